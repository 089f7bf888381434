"""The Neo4j store on a real Neo4j 5.26 (the project's server, see tests/neo4j_fixture.py): what only it
does (constraints, server-side refusals, timeouts, the row cap, connecting, auth, a lost server). What both
engines promise is in tests/test_store_contract.py."""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ORG, SMALL_DOC
from neo4j import GraphDatabase
from neo4j.exceptions import ConstraintError
from neo4j_fixture import Neo4jTarget, neo4j_unavailable
from test_store_contract import canonical

import govkg.graph.neo4j_store as neo4j_store_module
from govkg.errors import QueryError, ReadOnlyViolation, StoreError
from govkg.graph.model import (
    NODE_LABELS,
    Document,
    Edge,
    Evidence,
    GraphDocument,
    Node,
    document_id,
    node_id,
)
from govkg.graph.neo4j_store import Neo4jStore
from govkg.neo4j_server.server import ServerInfo, remove_home, server_status, start_server

pytestmark = pytest.mark.neo4j


def run(target: Neo4jTarget, cypher: str, **params: Any) -> list[dict[str, Any]]:
    """Straight to the server, past the store: to check what the store really did."""
    auth = (target.user, target.password) if target.password else None
    with GraphDatabase.driver(target.uri, auth=auth) as driver:
        records, _, _ = driver.execute_query(cypher, params)
    return [r.data() for r in records]


@pytest.fixture()
def small_neo4j(neo4j_store: Neo4jStore, small_graph: GraphDocument) -> Neo4jStore:
    neo4j_store.write(small_graph)
    return neo4j_store


# --- schema --------------------------------------------------------------------------------------


def test_schema_has_a_unique_id_and_a_name_index_per_label(neo4j_store: Neo4jStore, neo4j_target: Neo4jTarget) -> None:
    neo4j_store.ensure_schema()
    neo4j_store.ensure_schema()  # safe to call again
    constraints = run(neo4j_target, "SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties")
    unique = {r["labelsOrTypes"][0] for r in constraints if r["type"] == "UNIQUENESS" and r["properties"] == ["id"]}
    assert unique >= set(NODE_LABELS)
    indexes = run(neo4j_target, "SHOW INDEXES YIELD labelsOrTypes, properties, state")
    named = {r["labelsOrTypes"][0] for r in indexes if r["properties"] == ["name"] and r["state"] == "ONLINE"}
    assert named >= set(NODE_LABELS)
    # The server itself refuses a second node with the same id.
    run(neo4j_target, "CREATE (:Zone {id: 'zone:written-for-testing'})")
    with pytest.raises(ConstraintError):
        run(neo4j_target, "CREATE (:Zone {id: 'zone:written-for-testing'})")


# --- writing -------------------------------------------------------------------------------------


def test_evidence_is_stored_as_four_parallel_lists(small_neo4j: Neo4jStore, neo4j_target: Neo4jTarget) -> None:
    rows = run(
        neo4j_target,
        "MATCH (:Organisation {id: $org})-[p:PARTICIPATES_IN]->(:Mechanism) RETURN properties(p) AS p",
        org=ORG,
    )
    stored = rows[0]["p"]
    assert stored["evidence_documents"] == [SMALL_DOC]
    assert stored["evidence_texts"] == ["东街道党委参与“友邻议事会”。"]
    text = small_neo4j.snapshot().documents[0].text
    assert text[stored["evidence_starts"][0] : stored["evidence_ends"][0]] == stored["evidence_texts"][0]


# --- reading -------------------------------------------------------------------------------------

# Forms that once passed the guard: Neo4j ends a // comment at \r and decodes \uXXXX anywhere (issue 11).
DISGUISED = {
    "comment ended by a carriage return": "//\rLOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
    "escaped keyword": "WITH 1 AS x \\u004cOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
    "escaped CALL of an admin procedure": "\\u0043ALL dbms.listConfig()",
    "escaped quote closing a string": "RETURN '\\u0027 MERGE (:Zone {id: \\u0027zone:x\\u0027}) RETURN \\u0027'",
    "transaction kill after a comment": "//\rTERMINATE TRANSACTIONS 'neo4j-transaction-1'",
}


@pytest.mark.parametrize("form", sorted(DISGUISED))
def test_disguised_writes_and_file_reads_are_refused(small_neo4j: Neo4jStore, form: str) -> None:
    before = canonical(small_neo4j.snapshot())
    with pytest.raises(ReadOnlyViolation) as refused:
        small_neo4j.read(DISGUISED[form])
    assert "root:" not in str(refused.value)  # no line of /etc/passwd comes back in the message
    assert canonical(small_neo4j.snapshot()) == before


def test_the_server_reads_no_file_even_when_the_guard_missed_it(
    small_neo4j: Neo4jStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Pretend both guards missed it (text and plan): the server's own settings are under test.
    monkeypatch.setattr(neo4j_store_module, "check_read_only", lambda cypher: None)
    monkeypatch.setattr(neo4j_store_module, "check_plan", lambda plan: None)
    with pytest.raises(QueryError) as refused:
        small_neo4j.read("LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line")
    assert "root:" not in str(refused.value)


@pytest.mark.parametrize("cypher", ["MATCH (z:Zone) SET z.name = 'changed'", "CREATE (:Zone {id: 'zone:sneaked-in'})"])
def test_the_server_refuses_a_write_the_guard_missed(
    small_neo4j: Neo4jStore, monkeypatch: pytest.MonkeyPatch, cypher: str
) -> None:
    # Pretend both guards missed it (text and plan): the server's own settings are under test.
    monkeypatch.setattr(neo4j_store_module, "check_read_only", lambda cypher: None)
    monkeypatch.setattr(neo4j_store_module, "check_plan", lambda plan: None)
    before = canonical(small_neo4j.snapshot())
    with pytest.raises(ReadOnlyViolation, match="refused"):
        small_neo4j.read(cypher)
    assert canonical(small_neo4j.snapshot()) == before


def test_without_a_limit_the_stores_own_row_cap_applies(neo4j_target: Neo4jTarget) -> None:
    with Neo4jStore(neo4j_target.uri, user=neo4j_target.user, password=neo4j_target.password, max_rows=5) as store:
        default = store.read("UNWIND range(1, 1000000) AS x RETURN x")
    assert len(default.rows) == 5 and default.truncated


def test_a_slow_query_is_stopped_by_the_timeout(neo4j_target: Neo4jTarget) -> None:
    with Neo4jStore(
        neo4j_target.uri, user=neo4j_target.user, password=neo4j_target.password, read_timeout=1.0
    ) as store:
        started = time.monotonic()
        with pytest.raises(QueryError, match="longer than 1 s"):
            store.read("UNWIND range(1, 1000000000) AS x WITH x WHERE x % 7 = 3 RETURN count(x)")
        assert time.monotonic() - started < 30


def test_a_syntax_error_is_a_query_error(small_neo4j: Neo4jStore) -> None:
    with pytest.raises(QueryError, match="Invalid input"):
        small_neo4j.read("MATCH (z:Zone RETURN z")
    with pytest.raises(QueryError, match="not defined"):
        small_neo4j.read("MATCH (z:Zone) RETURN y")


# --- connecting ----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_server_that_is_down_is_named() -> None:
    uri = f"bolt://127.0.0.1:{_free_port()}"
    with pytest.raises(StoreError, match="cannot reach the Neo4j server at " + uri) as caught:
        Neo4jStore(uri)
    assert "govkg neo4j start" in str(caught.value)


def test_a_bad_uri_says_which_schemes_work() -> None:
    with pytest.raises(StoreError, match=r"bolt://, neo4j:// or neo4j\+s://"):
        Neo4jStore("http://127.0.0.1:7474")


def test_an_unknown_database_is_named(neo4j_target: Neo4jTarget) -> None:
    with pytest.raises(StoreError, match="no database 'nosuchdb'"):
        Neo4jStore(neo4j_target.uri, user=neo4j_target.user, password=neo4j_target.password, database="nosuchdb")


# --- a server with authentication ----------------------------------------------------------------

TEST_PASSWORD = "written-for-testing-1"


@pytest.fixture(scope="module")
def auth_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerInfo]:
    """A second, short-lived server with auth on; user neo4j gets TEST_PASSWORD."""
    home = tmp_path_factory.mktemp("neo4j-auth")
    try:
        info = start_server(home=home, password=TEST_PASSWORD)
    except StoreError as err:
        remove_home(home)
        neo4j_unavailable(str(err))
        return
    yield info
    remove_home(home)


def test_a_wrong_password_says_authentication_failed_for_the_user(auth_server: ServerInfo) -> None:
    with pytest.raises(StoreError, match=f"authentication failed for user 'neo4j' at {auth_server.uri}"):
        Neo4jStore(auth_server.uri, user="neo4j", password="not-the-password")
    with pytest.raises(StoreError, match="authentication failed for user 'somebody'"):
        Neo4jStore(auth_server.uri, user="somebody", password=TEST_PASSWORD)


def test_no_password_on_an_auth_server_says_to_set_one(auth_server: ServerInfo) -> None:
    with pytest.raises(StoreError, match="NEO4J_PASSWORD"):
        Neo4jStore(auth_server.uri, user="neo4j", password="")


def test_the_right_password_writes_and_reads(auth_server: ServerInfo, small_graph: GraphDocument) -> None:
    with Neo4jStore(auth_server.uri, user="neo4j", password=TEST_PASSWORD) as store:
        store.write(small_graph)
        assert store.read("MATCH (z:Zone) RETURN count(z) AS n").records() == [{"n": 7}]


# --- losing the server in the middle of a load ---------------------------------------------------


def _large_graph(cities: int, streets_per_city: int) -> GraphDocument:
    """WRITTEN FOR TESTING: invented numbered streets, each in its own invented sentence."""
    graph = GraphDocument()
    province = Node(node_id("Zone", "测试大省"), "Zone", "测试大省", [], {"level": "province"})
    graph.nodes.append(province)
    for c in range(cities):
        sentences = [f"测试{c}市第{s}街道属于测试{c}市。" for s in range(streets_per_city)]
        text = "".join(sentences)
        doc = Document(document_id(text), f"written-for-testing-{c}.txt", f"测试{c}", "", "", "", text)
        graph.documents.append(doc)
        city = Node(node_id("Zone", f"测试大省测试{c}市"), "Zone", f"测试{c}市", [], {"level": "city"})
        graph.nodes.append(city)
        graph.edges.append(
            Edge("PART_OF", city.id, province.id, [Evidence(doc.id, sentences[0], 0, len(sentences[0]))])
        )
        at = 0
        for s, sentence in enumerate(sentences):
            street = Node(node_id("Zone", f"测试大省测试{c}市第{s}街道"), "Zone", f"第{s}街道", [], {"level": "street"})
            graph.nodes.append(street)
            graph.edges.append(
                Edge("PART_OF", street.id, city.id, [Evidence(doc.id, sentence, at, at + len(sentence))])
            )
            at += len(sentence)
    return graph


def test_a_server_lost_mid_load_keeps_nothing_and_a_rerun_completes(tmp_path: Path, small_graph: GraphDocument) -> None:
    home = tmp_path / "neo4j-lost"
    try:
        info = start_server(home=home)
    except StoreError as err:
        neo4j_unavailable(str(err))
        return
    try:
        with Neo4jStore(info.uri, password=info.password) as store:
            store.write(small_graph)
            before = store.counts()
        big = _large_graph(cities=300, streets_per_city=20)
        assert big.problems() == []

        failure: list[BaseException] = []

        def load() -> None:
            try:
                with Neo4jStore(info.uri, password=info.password, retry_seconds=2.0) as loading:
                    loading.write(big)
            except BaseException as err:  # the main thread asserts on it
                failure.append(err)

        loader = threading.Thread(target=load)
        loader.start()
        # Wait until the load's transaction is running statements, then kill the server outright.
        deadline = time.monotonic() + 120
        with GraphDatabase.driver(info.uri, auth=info.auth) as watcher:
            while time.monotonic() < deadline:
                records, _, _ = watcher.execute_query("SHOW TRANSACTIONS YIELD currentQuery")
                if any(str(r["currentQuery"]).startswith("UNWIND $rows") for r in records):
                    break
                time.sleep(0.05)
            else:
                pytest.fail("the load never started")
        os.kill(info.pid, signal.SIGKILL)
        loader.join(timeout=120)
        assert not loader.is_alive()
        assert len(failure) == 1 and isinstance(failure[0], StoreError), failure
        message = str(failure[0])
        assert info.uri in message and "nothing of it was committed" in message

        # The dead server's state is cleaned; a restart on the same home recovers the store.
        assert server_status(home) is None
        again = start_server(home=home)
        with Neo4jStore(again.uri, password=again.password) as store:
            assert store.counts() == before  # nothing of the lost load
            done = store.write(big)
            assert done.nodes_created == len(big.nodes) + len(big.documents)
            rerun = store.write(big)  # and once more: no duplicates
            assert rerun.nodes_created == 0 and rerun.edges_created == 0
            assert rerun.counts_after == done.counts_after
            assert done.counts_after["Zone"] == before["Zone"] + len(big.nodes)
            assert done.counts_after["Document"] == before["Document"] + len(big.documents)
    finally:
        remove_home(home)
