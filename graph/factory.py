"""Choosing and opening a store from command-line options or the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from govkg.errors import StoreError
from govkg.graph.store import GraphStore
from govkg.resources import default_db_path

ENGINES = ("embedded", "neo4j")


@dataclass
class StoreSettings:
    """Everything needed to open a store; unset Neo4j values come from NEO4J_* variables."""

    engine: str = "embedded"
    db_path: Path = field(default_factory=default_db_path)
    neo4j_uri: str = ""
    neo4j_user: str = ""
    neo4j_password: str = ""
    neo4j_database: str = ""

    @classmethod
    def from_env(cls, engine: str | None = None, db_path: str | Path | None = None) -> StoreSettings:
        return cls(
            engine=engine or os.environ.get("GOVKG_STORE", "embedded"),
            db_path=Path(db_path).expanduser() if db_path else default_db_path(),
            neo4j_uri=os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687"),
            neo4j_user=os.environ.get("NEO4J_USER", "neo4j"),
            neo4j_password=os.environ.get("NEO4J_PASSWORD", ""),
            neo4j_database=os.environ.get("NEO4J_DATABASE", "neo4j"),
        )

    def describe(self) -> str:
        """Where the store is, for messages and the app's sidebar."""
        if self.engine == "neo4j":
            return f"neo4j {self.neo4j_uri} (database {self.neo4j_database})"
        return f"embedded {self.db_path}"


def neo4j_password(settings: StoreSettings) -> str:
    """NEO4J_PASSWORD / --neo4j-password if given, else the generated one of the project's own
    server (`govkg neo4j start`) when the URI is one of those, else none."""
    if settings.neo4j_password:
        return settings.neo4j_password
    from govkg.graph.neo4j_registry import project_password

    return project_password(settings.neo4j_uri) or ""


def open_store(settings: StoreSettings, *, read_only: bool = False) -> GraphStore:
    """Open the chosen store, creating the embedded database and its schema on first use."""
    if settings.engine == "embedded":
        from govkg.graph.ladybug_store import LadybugStore

        return LadybugStore(settings.db_path, read_only=read_only)
    if settings.engine == "neo4j":
        from govkg.graph.neo4j_store import Neo4jStore

        return Neo4jStore(
            settings.neo4j_uri,
            user=settings.neo4j_user,
            password=neo4j_password(settings),
            database=settings.neo4j_database,
        )
    raise StoreError(f"unknown store {settings.engine!r}; use one of {', '.join(ENGINES)}")
