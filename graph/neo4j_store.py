"""The Neo4j store: the same graph as the embedded store, in any Neo4j 5 (Community, Aura, a cluster).

Its writes, neighbourhoods and snapshots are the algorithms both engines share
(graph/store_algorithms.py, over the statements below), so both engines hold the same graph by
construction; tests/test_store_contract.py checks what both promise, tests/test_parity.py what is
engine specific: storage, null handling, value conversion and the saved queries.

Writes run in one managed write transaction (the driver retries it on transient errors);
ad-hoc reads are checked twice, on the text by graph/cypher_guard and on the server's plan
(`EXPLAIN`) by graph/neo4j_plan_guard, then run in a READ transaction with a timeout and a row cap
under the server's memory cap, so a write both guards miss is still refused by the server.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import neo4j
from neo4j import GraphDatabase, ManagedTransaction
from neo4j.exceptions import (
    AuthError,
    ClientError,
    ConfigurationError,
    DriverError,
    IncompleteCommit,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)
from neo4j.graph import Node as Neo4jNode
from neo4j.graph import Path as Neo4jPath
from neo4j.graph import Relationship as Neo4jRelationship

from govkg.errors import QueryError, ReadOnlyViolation, StoreError
from govkg.graph.cypher_guard import check_read_only
from govkg.graph.derived import (
    COUNTED_ADOPTION,
    DERIVED_EDGE_TYPES,
    LOOKUP_LABEL,
    ZONE_CATEGORY,
    ZONE_WITHIN,
    ZONE_WITHOUT,
    rebuild_derived,
)
from govkg.graph.model import EDGE_TYPES, NODE_LABELS
from govkg.graph.neo4j_plan_guard import check_plan
from govkg.graph.schema import CORRECTION_TABLE, EVIDENCE_PROPERTIES, edge_columns
from govkg.graph.store import DataToken, QueryResult, WriteSummary
from govkg.graph.store_algorithms import EngineStore, TransactionWork
from govkg.graph.store_primitives import EdgeRow, EngineStatements, EvidenceRow

__all__ = ["DEFAULT_MAX_ROWS", "DEFAULT_READ_TIMEOUT", "Neo4jStore"]

DEFAULT_READ_TIMEOUT = 30.0  # seconds an ad-hoc query may run before the server stops it
DEFAULT_MAX_ROWS = 100_000  # rows kept when the caller gives no limit
# The driver's HTTP Query API (http://) is a preview needing aiohttp; the store speaks Bolt only.
BOLT_SCHEMES = ("bolt", "neo4j", "neo4j+s", "bolt+s", "bolt+ssc", "neo4j+ssc")
_ACCESS_MODE_CODES = ("Neo.ClientError.Statement.AccessMode", "Neo.ClientError.Security.Forbidden")
_OUT_OF_MEMORY = "MemoryPoolOutOfMemoryError"
# "... would use more than the limit 358.4 MiB. ... dbms.memory.transaction.total.max threshold reached"
_MEMORY_LIMIT = re.compile(r"limit ([0-9.]+ ?[KMGT]?i?B)\b.*?([a-z_.]+) threshold reached", re.S)
# Approved plans are remembered per query text (parameters cannot change which operators or
# procedures a plan holds), so a query the app runs again and again is explained only once.
PLAN_CACHE_SIZE = 512
_LOAD_MEMORY_HINT = (
    " The load is one transaction and the server caps a transaction's memory (70% of its heap):"
    " load fewer files at once, or give the server a larger heap (govkg neo4j start --heap 4g,"
    " or server.memory.heap.max_size on your own server)."
)


class Neo4jStore(EngineStore):
    """A Neo4j database reached over Bolt (`bolt://`, `neo4j://`, `neo4j+s://` ...).

    An empty `password` connects without authentication (the project's test server has auth off).
    `retry_seconds` bounds the driver's retries of a write on transient errors and lost connections.
    """

    engine = "neo4j"

    def __init__(
        self,
        uri: str,
        *,
        user: str = "neo4j",
        password: str = "",
        database: str = "neo4j",
        read_timeout: float = DEFAULT_READ_TIMEOUT,
        max_rows: int = DEFAULT_MAX_ROWS,
        retry_seconds: float = 30.0,
    ) -> None:
        self.uri = uri
        self.user = user
        self.database = database or "neo4j"
        self.read_timeout = read_timeout
        self.max_rows = max_rows
        self._schema_ready = False
        self._plans_checked: dict[str, None] = {}  # query texts whose plan passed graph/neo4j_plan_guard
        auth = (user, password) if password else None
        scheme = uri.partition("://")[0].lower()
        if scheme not in BOLT_SCHEMES:
            raise StoreError(
                f"cannot use the Neo4j URI {uri!r}: give a bolt://, neo4j:// or neo4j+s:// URI "
                f"(also {', '.join(s + '://' for s in BOLT_SCHEMES[3:])}) in NEO4J_URI / --neo4j-uri."
            )
        try:
            self._driver = GraphDatabase.driver(
                uri,
                auth=auth,
                max_transaction_retry_time=retry_seconds,
                connection_timeout=10.0,
                # Warnings such as "label does not exist yet" are normal on an empty database.
                notifications_min_severity="OFF",
            )
        except (ConfigurationError, ValueError) as err:
            raise StoreError(
                f"cannot use the Neo4j URI {uri!r}: {err}. Give a bolt://, neo4j:// or neo4j+s:// URI "
                "(NEO4J_URI / --neo4j-uri)."
            ) from err
        try:
            self._driver.verify_connectivity()
            # Touch the database: a missing one is reported here, not on the first query.
            self._driver.execute_query("RETURN 1", database_=self.database, routing_=neo4j.RoutingControl.READ)
        except BaseException as err:
            self._driver.close()
            raise self._connection_error(err, auth is not None) from err

    def __repr__(self) -> str:
        return f"Neo4jStore({self.uri!r}, database={self.database!r})"

    def close(self) -> None:
        self._driver.close()

    # ----------------------------------------------------------------- errors

    def _connection_error(self, err: BaseException, with_auth: bool = True) -> BaseException:
        if isinstance(err, AuthError):
            if not with_auth:
                return StoreError(
                    f"the Neo4j server at {self.uri} requires a password and none was given: "
                    "set NEO4J_PASSWORD (or --neo4j-password) and NEO4J_USER."
                )
            return StoreError(
                f"authentication failed for user {self.user!r} at {self.uri}: check NEO4J_USER and NEO4J_PASSWORD."
            )
        if isinstance(err, ServiceUnavailable | SessionExpired | OSError):
            return StoreError(
                f"cannot reach the Neo4j server at {self.uri} ({_first_line(err)}). Is it running? "
                "`govkg neo4j start` starts the project's own; or set NEO4J_URI to your server."
            )
        if isinstance(err, Neo4jError) and err.code == "Neo.ClientError.Database.DatabaseNotFound":
            return StoreError(
                f"the Neo4j server at {self.uri} has no database {self.database!r} (Community has only 'neo4j'): "
                "set NEO4J_DATABASE to an existing one."
            )
        if isinstance(err, Neo4jError | DriverError):
            return StoreError(f"Neo4j at {self.uri} failed: {_first_line(err)}")
        return err

    # ----------------------------------------------------------------- schema

    def ensure_schema(self) -> None:
        """A uniqueness constraint on `id` and an index on `name` for every label (idempotent)."""
        statements = []
        for label in NODE_LABELS:
            key = label.lower()
            statements.append(f"CREATE CONSTRAINT govkg_{key}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE")
            statements.append(f"CREATE INDEX govkg_{key}_name IF NOT EXISTS FOR (n:{label}) ON (n.name)")
        statements.append(f"CREATE CONSTRAINT govkg_correction_id IF NOT EXISTS FOR (c:{CORRECTION_TABLE}) "
                          "REQUIRE c.id IS UNIQUE")  # fmt: skip
        statements.append(f"CREATE CONSTRAINT govkg_namekey_key IF NOT EXISTS FOR (k:{LOOKUP_LABEL}) "
                          "REQUIRE k.key IS UNIQUE")  # fmt: skip
        statements.append(EVIDENCE_INDEX_DDL)
        try:
            # Schema changes cannot share a transaction with data writes: each runs on its own.
            for statement in statements:
                self._driver.execute_query(statement, database_=self.database)
            # A new full-text index on a store already large is filled before the first read needs it.
            self._driver.execute_query("CALL db.awaitIndexes(600)", database_=self.database)
        except BaseException as err:
            raise self._connection_error(err) from err
        self._schema_ready = True
        # A store written before the derived data (graph/derived.py), before ADOPTER_WITHIN or
        # WITHOUT_MECHANISMS, or before ZONE_IN_CATEGORY held its paths, gets it made from its facts.
        # ZONES_AT_LEVEL needs no such check: every write recounts all of it.
        if (not self._fixed(f"MATCH (k:{LOOKUP_LABEL}) RETURN count(k)")[0][0] and self._fixed(
            f"MATCH (n) WHERE NOT n:{CORRECTION_TABLE} RETURN n.id LIMIT 1"
        )) or self._fixed(_WITHIN_MISSING) or self._fixed(_PATHS_MISSING) or (
            not self._fixed(f"MATCH ()-[r:{ZONE_WITHOUT}]->() RETURN count(r) > 0")[0][0]
            and self._fixed(_WITHOUT_MISSING)
        ):

            def rebuild(tx: EngineStatements) -> WriteSummary:
                rebuild_derived(tx)
                return WriteSummary()

            self._in_transaction(rebuild)

    # ----------------------------------------------------------------- writing

    def _in_transaction(self, work: TransactionWork, replacing: str | None = None) -> WriteSummary:
        """One managed write transaction (the driver retries it on transient errors)."""
        if not self._schema_ready:
            self.ensure_schema()
        what = "the load" if replacing is None else f"replacing {replacing}"

        def once(tx: ManagedTransaction) -> WriteSummary:
            try:
                # The driver may run this again after a transient error: all of it starts afresh.
                return work(_Neo4jStatements(lambda query, params: [list(r.values()) for r in tx.run(query, params)]))
            except Neo4jError as err:
                # The driver takes the memory cap for a transient error and would load it all again
                # until its retry time is spent; it fails the same way each time.
                if _OUT_OF_MEMORY in (err.code or ""):
                    raise StoreError(
                        f"writing to Neo4j at {self.uri} failed, nothing was written: {_first_line(err)}"
                        f"{_LOAD_MEMORY_HINT}"
                    ) from err
                raise

        try:
            with self._driver.session(database=self.database) as session:
                summary: WriteSummary = session.execute_write(once)
        except StoreError:
            raise
        except IncompleteCommit as err:
            raise StoreError(
                f"the connection to {self.uri} was lost while {what} was being committed, so it may or may not "
                "have been stored. Loading is idempotent: run the same load again once the server answers."
            ) from err
        except (ServiceUnavailable, SessionExpired, OSError) as err:
            raise StoreError(
                f"lost the connection to the Neo4j server at {self.uri} during {what} ({_first_line(err)}). "
                "It runs in one transaction, so nothing of it was committed; run it again once the server answers."
            ) from err
        except (Neo4jError, DriverError) as err:
            hint = ""
            if "memory.transaction" in str(err) or _OUT_OF_MEMORY in str(getattr(err, "code", "")):
                hint = _LOAD_MEMORY_HINT
            raise StoreError(
                f"writing to Neo4j at {self.uri} failed, nothing was written: {_first_line(err)}{hint}"
            ) from err
        summary.counts_after = self.counts()
        return summary

    # ----------------------------------------------------------------- reading

    def read(self, cypher: str, params: dict[str, Any] | None = None, *, limit: int | None = None) -> QueryResult:
        check_read_only(cypher)
        cap = self.max_rows if limit is None else max(limit, 0)
        values = dict(params or {})

        # A managed transaction takes its timeout from unit_of_work (neo4j.Query is for auto-commit runs).
        @neo4j.unit_of_work(timeout=self.read_timeout)
        def run(tx: ManagedTransaction) -> QueryResult:
            self._check_plan(tx, cypher, values)
            try:
                result = tx.run(cypher, values)
                columns = list(result.keys())
                rows: list[list[Any]] = []
                truncated = False
                for record in result:
                    if len(rows) >= cap:
                        truncated = True
                        break
                    rows.append([_plain(value) for value in record.values()])
                result.consume()
            except Neo4jError as err:
                # Transient to the driver, which would run the query again and again until its retry
                # time is spent: raised as a QueryError, it ends the transaction at once.
                if _OUT_OF_MEMORY in (err.code or ""):
                    raise QueryError(_memory_message(err)) from err
                raise
            return QueryResult(columns, rows, truncated)

        try:
            with self._driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session:
                return session.execute_read(run)
        except Neo4jError as err:
            code = err.code or ""
            if code in _ACCESS_MODE_CODES or "read access mode" in str(err.message or "").lower():
                raise ReadOnlyViolation(f"the query tried to write and was refused: {err.message}") from err
            if "TransactionTimedOut" in code or "Transaction.TransactionTimedOut" in code:
                raise QueryError(
                    f"the query ran longer than {self.read_timeout:.0f} s and was stopped; narrow it or add a LIMIT"
                ) from err
            if isinstance(err, ClientError):
                raise QueryError(str(err.message or err)) from err
            raise self._connection_error(err) from err
        except (ServiceUnavailable, SessionExpired, DriverError, OSError) as err:
            raise self._connection_error(err) from err

    def _check_plan(self, tx: ManagedTransaction, cypher: str, params: dict[str, Any]) -> None:
        """Refuse the query unless the plan Neo4j gives for it passes graph/neo4j_plan_guard.
        EXPLAIN plans without running; a query the server cannot plan is not run either."""
        if cypher in self._plans_checked:
            return
        check_plan(tx.run("EXPLAIN " + cypher, params).consume().plan)
        self._plans_checked[cypher] = None
        while len(self._plans_checked) > PLAN_CACHE_SIZE:
            del self._plans_checked[next(iter(self._plans_checked))]

    def _statements(self) -> EngineStatements:
        return _Neo4jStatements(self._fixed)

    def data_token(self) -> DataToken | None:
        """The bookmark a read transaction ends with: it names the database and its last committed
        transaction, so any write (by govkg or any other client) gives a new one, and a transaction
        that changed nothing does not (seen on Neo4j 5.26; Community keeps no transaction id that
        SHOW DATABASES reports). Compared, never parsed. On a cluster it is the state of the member
        that answered. None if the server gives no bookmark."""
        try:
            with self._driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session:
                session.execute_read(lambda tx: tx.run("RETURN 1").consume())
                marks = sorted(session.last_bookmarks().raw_values)
        except BaseException as err:
            raise self._connection_error(err) from err
        if not marks:
            return None
        return DataToken(f"neo4j:{self.uri}#{self.database}", " ".join(marks))

    def _fixed(self, cypher: str, params: dict[str, Any] | None = None) -> list[list[Any]]:
        """The store's own queries (no guard, no cap)."""
        try:
            records, _, _ = self._driver.execute_query(
                cypher, params, database_=self.database, routing_=neo4j.RoutingControl.READ
            )
        except BaseException as err:
            raise self._connection_error(err) from err
        return [list(r.values()) for r in records]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        # The count store answers label- and type-counts without scanning.
        for label in NODE_LABELS:
            out[label] = int(self._fixed(f"MATCH (n:{label}) RETURN count(n)")[0][0])
        for edge_type in EDGE_TYPES:
            out[edge_type] = int(self._fixed(f"MATCH ()-[e:{edge_type}]->() RETURN count(e)")[0][0])
        return out


# --------------------------------------------------------------------- Neo4j statements


# The evidence sentences in a full-text index (Lucene's CJK analyzer: Han text as overlapping
# bigrams), which evidence_search's Neo4j text reads for Han words instead of scanning every
# sentence (queries/evidence_search.cypher). Neo4j keeps it in the transaction of every write.
EVIDENCE_INDEX = "govkg_evidence_text"
EVIDENCE_INDEX_DDL = (
    f"CREATE FULLTEXT INDEX {EVIDENCE_INDEX} IF NOT EXISTS FOR ()-[r:"
    + "|".join(t for t in EDGE_TYPES if t not in ("MENTIONS", "SIMILAR_TO"))
    + "]-() ON EACH [r.evidence_texts] OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}"
)


# A zone with mechanisms inside another, and no ADOPTER_WITHIN at all: a store from before it.
_WITHIN_MISSING = (
    f"MATCH (z:Zone)-[a:ADOPTS]->(:Mechanism) WHERE {COUNTED_ADOPTION} "
    f"AND EXISTS {{ MATCH (z)-[:PART_OF]->(:Zone) }} AND NOT EXISTS {{ MATCH ()-[:{ZONE_WITHIN}]->() }} "
    "RETURN z.id LIMIT 1"
)


# A ZONE_IN_CATEGORY written before its rows held their paths (graph/derived.py).
_PATHS_MISSING = f"MATCH ()-[r:{ZONE_CATEGORY}]->() WHERE r.adopted IS NULL RETURN 1 LIMIT 1"


# A zone without mechanisms (when no WITHOUT_MECHANISMS is held at all: a store from before it).
_WITHOUT_MISSING = (
    f"MATCH (z:Zone) WHERE NOT EXISTS {{ MATCH (z)-[a:ADOPTS]->(:Mechanism) WHERE {COUNTED_ADOPTION} }} "
    "RETURN z.id LIMIT 1"
)


# The internal relationships of graph/derived.py: never part of a neighbourhood or a picture.
_NOT_DERIVED = " AND ".join(f"type(e) <> '{t}'" for t in DERIVED_EDGE_TYPES)


class _Neo4jStatements(EngineStatements):
    """Neo4j's dialect over one way of running a statement (a managed transaction's, or the store's
    own reads): one query per label (an unlabelled match by id would scan every node), properties
    as maps (a null removes one: Neo4j stores no nulls), and the count store consulted before a
    lookup."""

    where = "the Neo4j database"

    def __init__(self, run: Callable[[str, dict[str, Any]], list[list[Any]]]) -> None:
        self._run = run

    def run(self, query: str, params: dict[str, Any]) -> list[list[Any]]:
        return self._run(query, params)

    def id_pairs(self, match: str, key: str, other: str, params: dict[str, Any]) -> list[tuple[str, str]]:
        # All rows in one record: the driver decodes one list of 20,000 pairs 4x faster than 20,000
        # records (docs/measured.md). Two short ids a row keep the list small beside the heap.
        rows = self.run(f"{match} RETURN collect([{key}, {other}])", params)[0][0]
        return [(str(a), str(b)) for a, b in rows]

    def typed(self, name: str, kind: str) -> str:
        return f"r.{name}"  # Neo4j keeps a parameter's type, null and empty lists included

    def _any(self, pattern: str) -> bool:
        """Whether anything matches `pattern` (`n`: a label, `e`: a type), from the count store, no
        scan: a label or type with nothing stored needs no lookup."""
        return bool(self.run(f"MATCH {pattern} RETURN count(*)", {})[0][0])

    # ----------------------------------------------------------------- reading

    def labels_of(self, ids: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        missing = list(ids)
        for label in NODE_LABELS:
            if not missing:
                break
            rows = self.run(f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) RETURN n.id", {"ids": missing})
            found.update({str(r[0]): label for r in rows})
            missing = [i for i in missing if i not in found]
        return found

    def node_rows(self, label: str, ids: list[str] | None = None) -> dict[str, dict[str, Any]]:
        if ids is None:
            rows = self.run(f"MATCH (n:{label}) RETURN properties(n) ORDER BY n.id", {})
        elif self._any(f"(n:{label})"):
            rows = self.run(f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) RETURN properties(n)", {"ids": ids})
        else:
            rows = []
        return {str(values["id"]): dict(values) for (values,) in rows}

    def edge_rows(
        self, edge_type: str, source_label: str, target_label: str, pairs: list[tuple[str, str]]
    ) -> dict[tuple[str, str], dict[str, Any]]:
        if not self._any(f"()-[e:{edge_type}]->()"):
            return {}
        query = (
            f"UNWIND $rows AS r MATCH (a:{source_label} {{id: r.s}}) "
            f"MATCH (a)-[e:{edge_type}]->(b:{target_label} {{id: r.t}}) RETURN r.s, r.t, properties(e)"
        )
        rows = self.run(query, {"rows": [{"s": s, "t": t} for s, t in pairs]})
        return {(str(s), str(t)): _edge_values(edge_type, values) for s, t, values in rows}

    def edges_of_type(self, edge_type: str) -> list[EdgeRow]:
        query = f"MATCH (a)-[e:{edge_type}]->(b) RETURN a.id, b.id, properties(e) ORDER BY a.id, b.id"
        return [(str(s), str(t), edge_type, _edge_values(edge_type, values)) for s, t, values in self.run(query, {})]

    def neighbours(self, by_label: dict[str, list[str]], with_mentions: bool) -> list[tuple[str, str]]:
        where = _NOT_DERIVED + ("" if with_mentions else " AND type(e) <> 'MENTIONS'")
        found: list[tuple[str, str]] = []
        for label, ids in by_label.items():
            query = (f"UNWIND $ids AS i MATCH (a:{label} {{id: i}})-[e]-(b) WHERE {where} "
                     "RETURN DISTINCT b.id, labels(b)[0]")
            found.extend((str(r[0]), str(r[1])) for r in self.run(query, {"ids": ids}))
        return found

    def evidence_at(self, by_label: dict[str, list[str]]) -> list[EvidenceRow]:
        found: list[EvidenceRow] = []
        for label, ids in by_label.items():
            query = (f"UNWIND $ids AS i MATCH (a:{label} {{id: i}})-[e]-() WHERE type(e) <> 'MENTIONS' "
                     f"AND {_NOT_DERIVED} RETURN i, "
                     "e.evidence_documents, e.evidence_texts, e.evidence_starts, e.evidence_ends")  # fmt: skip
            found.extend((str(r[0]), r[1] or [], r[2] or [], r[3] or [], r[4] or [])
                         for r in self.run(query, {"ids": ids}))  # fmt: skip
        return found

    def edges_among(self, by_label: dict[str, list[str]]) -> list[EdgeRow]:
        every = [i for ids in by_label.values() for i in ids]
        out: list[EdgeRow] = []
        for label, ids in by_label.items():
            query = (
                f"UNWIND $ids AS i MATCH (a:{label} {{id: i}})-[e]->(b) WHERE b.id IN $all AND {_NOT_DERIVED} "
                "RETURN a.id, b.id, type(e), properties(e)"
            )
            for s, t, edge_type, values in self.run(query, {"ids": ids, "all": every}):
                out.append((str(s), str(t), str(edge_type), _edge_values(str(edge_type), values)))
        return out

    # ----------------------------------------------------------------- writing

    def upsert_nodes(self, label: str, rows: list[dict[str, Any]]) -> None:
        # MERGE even for new rows: the server refuses a null id there, so a bad row fails the
        # write. `SET n += r`: a null value removes the property, as Neo4j stores no nulls.
        self.run(f"UNWIND $rows AS r MERGE (n:{label} {{id: r.id}}) SET n += r", {"rows": rows})

    def create_edges(self, edge_type: str, source_label: str, target_label: str, rows: list[dict[str, Any]]) -> int:
        query = f"{_ends(source_label, target_label)}CREATE (a)-[e:{edge_type}]->(b) SET e = r.p RETURN count(*)"
        return int(self.run(query, {"rows": [_edge_param(row) for row in rows]})[0][0])

    def update_edges(self, edge_type: str, source_label: str, target_label: str, rows: list[dict[str, Any]]) -> int:
        query = f"{_ends(source_label, target_label)}MERGE (a)-[e:{edge_type}]->(b) SET e += r.p RETURN count(*)"
        return int(self.run(query, {"rows": [_edge_param(row) for row in rows]})[0][0])


def _ends(source_label: str, target_label: str) -> str:
    return f"UNWIND $rows AS r MATCH (a:{source_label} {{id: r.s}}) MATCH (b:{target_label} {{id: r.t}}) "


def _edge_param(row: dict[str, Any]) -> dict[str, Any]:
    """A relationship row as `SET e = r.p` takes it: the endpoints apart from the properties."""
    return {"s": row["s"], "t": row["t"], "p": {k: v for k, v in row.items() if k not in ("s", "t")}}


# --------------------------------------------------------------------- helpers


def _edge_values(edge_type: str, values: dict[str, Any]) -> dict[str, Any]:
    """A relationship's declared columns (missing ones None), as the embedded store returns them."""
    out: dict[str, Any] = {c: values.get(c) for c in edge_columns(edge_type)}
    for c in EVIDENCE_PROPERTIES:
        out[c] = list(out[c] or [])
    return out


def _memory_message(err: Neo4jError) -> str:
    """One line for a query the server stopped at its memory cap, naming the cap and the setting."""
    found = _MEMORY_LIMIT.search(str(err.message or ""))
    cap = f" ({found.group(1)}, {found.group(2)})" if found else ""
    return (
        f"the query needed more memory than the Neo4j server allows a transaction{cap} and was stopped; "
        "narrow it, collect less or add a LIMIT"
    )


def _first_line(err: BaseException) -> str:
    text = str(getattr(err, "message", None) or err).strip()
    return text.splitlines()[0] if text else type(err).__name__


def _plain(value: Any) -> Any:
    """A Neo4j value as plain Python, shaped like the embedded store's: node -> properties +
    `_label`, relationship -> properties + `_type`, path -> nodes and relationships."""
    if isinstance(value, Neo4jNode):
        out = {k: _plain(v) for k, v in value.items()}
        out["_label"] = sorted(value.labels)[0] if value.labels else ""
        return out
    if isinstance(value, Neo4jRelationship):
        out = {k: _plain(v) for k, v in value.items()}
        out["_type"] = value.type
        return out
    if isinstance(value, Neo4jPath):
        return {
            "nodes": [_plain(n) for n in value.nodes],
            "relationships": [_plain(r) for r in value.relationships],
        }
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)
