"""Fixtures for tests that need a real Neo4j: the project's own server, started once per session.

Registered from tests/conftest.py (`pytest_plugins = ["neo4j_fixture"]`). The first run
fetches the Neo4j jars with Maven (about 1.5 minutes, cached in .neo4j/); later runs start the
server in about 10 s. Each test gets an emptied database. The server has auth on, as every
project server does: the target carries its generated password.

GOVKG_TEST_NEO4J_URI (with GOVKG_TEST_NEO4J_USER / _PASSWORD) points the tests at another
Neo4j instead; its database is EMPTIED by every test, so only give a disposable one.
In CI (CI=true) a Neo4j that cannot start fails the tests; elsewhere they are skipped.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from neo4j import GraphDatabase

from govkg.errors import StoreError
from govkg.graph.factory import StoreSettings
from govkg.graph.neo4j_store import Neo4jStore
from govkg.neo4j_server.server import remove_home, start_server


@dataclass(frozen=True)
class Neo4jTarget:
    """Where the session's Neo4j answers."""

    uri: str
    user: str = "neo4j"
    password: str = ""


def neo4j_unavailable(reason: str) -> None:
    """Fail in CI, skip elsewhere: CI must prove the Neo4j engine, a laptop without Java need not."""
    if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        pytest.fail(f"Neo4j is required in CI and could not be started: {reason}", pytrace=False)
    pytest.skip(f"Neo4j not available: {reason}")


@pytest.fixture(scope="session")
def neo4j_target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Neo4jTarget]:
    """The session's Neo4j: GOVKG_TEST_NEO4J_URI, else the project's server in a throwaway home."""
    external = os.environ.get("GOVKG_TEST_NEO4J_URI")
    if external:
        yield Neo4jTarget(
            external,
            os.environ.get("GOVKG_TEST_NEO4J_USER", "neo4j"),
            os.environ.get("GOVKG_TEST_NEO4J_PASSWORD", ""),
        )
        return
    home = tmp_path_factory.mktemp("neo4j-home")
    try:
        info = start_server(home=home)
    except StoreError as err:
        remove_home(home)
        neo4j_unavailable(str(err))
        return
    try:
        yield Neo4jTarget(info.uri, password=info.password)
    finally:
        remove_home(home)


def clear_database(target: Neo4jTarget) -> None:
    auth = (target.user, target.password) if target.password else None
    with GraphDatabase.driver(target.uri, auth=auth) as driver:
        driver.execute_query("MATCH (n) DETACH DELETE n")


@pytest.fixture()
def neo4j_store(neo4j_target: Neo4jTarget) -> Iterator[Neo4jStore]:
    """A Neo4jStore on an emptied database (Community has one user database: it is cleared, not renamed)."""
    clear_database(neo4j_target)
    store = Neo4jStore(neo4j_target.uri, user=neo4j_target.user, password=neo4j_target.password)
    yield store
    store.close()


def neo4j_settings(target: Neo4jTarget) -> StoreSettings:
    """Settings that open the session's Neo4j as a store."""
    return StoreSettings(engine="neo4j", neo4j_uri=target.uri, neo4j_user=target.user,
                         neo4j_password=target.password, neo4j_database="neo4j")  # fmt: skip


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def empty_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreSettings]:
    """Settings of an empty store of each engine: a LadybugDB file in tmp_path (not created yet), or the
    session's Neo4j emptied before and after the test."""
    if request.param == "embedded":
        yield StoreSettings(db_path=tmp_path / "store.lbdb")
        return
    target: Neo4jTarget = request.getfixturevalue("neo4j_target")
    clear_database(target)
    yield neo4j_settings(target)
    clear_database(target)
