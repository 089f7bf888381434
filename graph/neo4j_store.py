"""The Neo4j store: the same graph as the embedded store, in any Neo4j 5 (Community, Aura, a cluster).

It shares the engine-neutral rules of graph/ladybug_store.py (how a write is planned, how an
incoming node or edge is merged with what the store holds, how rows become model objects), so
both engines hold the same graph by construction; tests/test_parity.py checks what is engine
specific: storage, null handling, value conversion and the saved queries.

Writes run in one managed write transaction (the driver retries it on transient errors);
ad-hoc reads are checked twice, on the text by graph/cypher_guard and on the server's plan
(`EXPLAIN`) by graph/neo4j_plan_guard, then run in a READ transaction with a timeout and a row cap
under the server's memory cap, so a write both guards miss is still refused by the server.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
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
from govkg.graph.curation import Cypher, retract, skipped_documents, without_documents
from govkg.graph.cypher_guard import check_read_only
from govkg.graph.merge import (
    WritePlan,
    document_from_row,
    edge_from_row,
    group_edges_by_labels,
    merge_edge_row,
    merge_node_row,
    node_from_row,
)
from govkg.graph.model import EDGE_TYPES, NODE_LABELS, Edge, GraphDocument, Node
from govkg.graph.neo4j_plan_guard import check_plan
from govkg.graph.schema import EVIDENCE_PROPERTIES, edge_columns, node_columns
from govkg.graph.store import GraphStore, QueryResult, WriteSummary

__all__ = ["DEFAULT_MAX_ROWS", "DEFAULT_READ_TIMEOUT", "Neo4jStore"]

BATCH_SIZE = 5000
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


class Neo4jStore(GraphStore):
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
        try:
            # Schema changes cannot share a transaction with data writes: each runs on its own.
            for statement in statements:
                self._driver.execute_query(statement, database_=self.database)
            self._driver.execute_query("CALL db.awaitIndexes(60)", database_=self.database)
        except BaseException as err:
            raise self._connection_error(err) from err
        self._schema_ready = True

    # ----------------------------------------------------------------- writing

    def write(self, graph: GraphDocument) -> WriteSummary:
        WritePlan.check(graph)  # rejects unknown labels and types before touching the server
        return self._in_one_transaction(_write_graph, graph, what="the load")

    def replace_relationships(self, edge_type: str, edges: Sequence[Edge]) -> WriteSummary:
        """Delete every `edge_type` relationship and write `edges` instead, in one transaction."""
        if edge_type not in EDGE_TYPES:
            raise StoreError(f"unknown relationship type {edge_type!r}; known: {', '.join(EDGE_TYPES)}")
        stray = sorted({e.type for e in edges if e.type != edge_type})
        if stray:
            raise StoreError(f"replacing {edge_type} relationships, but given {', '.join(stray)} ones too")
        plan = WritePlan.from_graph(GraphDocument([], [], list(edges)))
        return self._in_one_transaction(_replace_plan, plan, edge_type, what=f"replacing {edge_type}")

    def _in_one_transaction(self, work: Callable[..., WriteSummary], *args: Any, what: str) -> WriteSummary:
        """Run `work(tx, *args)` as one managed write transaction (retried on transient errors)."""
        if not self._schema_ready:
            self.ensure_schema()
        def once(tx: ManagedTransaction, *work_args: Any) -> WriteSummary:
            try:
                return work(tx, *work_args)
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
                summary: WriteSummary = session.execute_write(once, *args)
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

    def _fixed(self, cypher: str, **params: Any) -> list[list[Any]]:
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

    def snapshot(self) -> GraphDocument:
        graph = GraphDocument()
        for label in NODE_LABELS:
            for (values,) in self._fixed(f"MATCH (n:{label}) RETURN properties(n) ORDER BY n.id"):
                if label == "Document":
                    graph.documents.append(document_from_row(values))
                else:
                    graph.nodes.append(node_from_row(label, values))
        for edge_type in EDGE_TYPES:
            query = f"MATCH (a)-[e:{edge_type}]->(b) RETURN a.id, b.id, properties(e) ORDER BY a.id, b.id"
            for source, target, values in self._fixed(query):
                graph.edges.append(edge_from_row(edge_type, str(source), str(target), _edge_values(edge_type, values)))
        return graph

    def neighbourhood(self, node_id: str, depth: int = 1, limit: int = 200) -> GraphDocument:
        """Breadth-first from `node_id`, as the embedded store does: MENTIONS is followed only when
        the start is a Document; nodes are kept nearest first, then by id."""
        start = self._label_of([node_id])
        if node_id not in start or limit <= 0:
            return GraphDocument()
        follow_mentions = start[node_id] == "Document"
        labels: dict[str, str] = {node_id: start[node_id]}
        frontier = [node_id]
        where = "" if follow_mentions else "WHERE type(e) <> 'MENTIONS' "
        for _ in range(max(depth, 0)):
            if not frontier or len(labels) >= limit:
                break
            found: set[tuple[str, str]] = set()
            for label, ids in _group(frontier, labels).items():
                query = (
                    f"UNWIND $ids AS i MATCH (a:{label} {{id: i}})-[e]-(b) {where}RETURN DISTINCT b.id, labels(b)[0]"
                )
                found.update((str(r[0]), str(r[1])) for r in self._fixed(query, ids=ids))
            frontier = []
            for found_id, found_label in sorted(found):
                if found_id not in labels and len(labels) < limit:
                    labels[found_id] = found_label
                    frontier.append(found_id)
        return self._subgraph(labels, follow_mentions)

    def _label_of(self, ids: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for label in NODE_LABELS:
            for (i,) in self._fixed(f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) RETURN n.id", ids=ids):
                found[str(i)] = label
        return found

    def _subgraph(self, labels: dict[str, str], with_mentions: bool) -> GraphDocument:
        graph = GraphDocument()
        ids = list(labels)
        nodes: dict[str, Node] = {}
        documents: dict[str, dict[str, Any]] = {}
        for label, label_ids in _group(ids, labels).items():
            query = f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) RETURN properties(n)"
            for (values,) in self._fixed(query, ids=label_ids):
                if label == "Document":
                    doc = document_from_row(values)
                    documents[doc.id] = values
                    nodes[doc.id] = Node(
                        doc.id, "Document", doc.title or doc.path or doc.id, [], {"path": doc.path, "title": doc.title}
                    )
                else:
                    nodes[str(values["id"])] = node_from_row(label, values)
        graph.nodes = [nodes[i] for i in ids if i in nodes]
        rows: list[list[Any]] = []
        for label, label_ids in _group(ids, labels).items():
            query = (
                f"UNWIND $ids AS i MATCH (a:{label} {{id: i}})-[e]->(b) WHERE b.id IN $all "
                "RETURN a.id, b.id, type(e), properties(e)"
            )
            rows.extend(self._fixed(query, ids=label_ids, all=ids))
        cited: set[str] = set()
        for source, target, edge_type, values in sorted(rows, key=lambda r: (r[0], r[1], r[2])):
            if edge_type == "MENTIONS" and not with_mentions:
                continue
            edge = edge_from_row(str(edge_type), str(source), str(target), _edge_values(str(edge_type), values))
            graph.edges.append(edge)
            cited.update(ev.document for ev in edge.evidence)
        if cited:
            query = "UNWIND $ids AS i MATCH (n:Document {id: i}) RETURN properties(n) ORDER BY n.id"
            graph.documents = [document_from_row(v) for (v,) in self._fixed(query, ids=sorted(cited))]
        return graph


# --------------------------------------------------------------------- the write transaction


def _write_graph(tx: ManagedTransaction, graph: GraphDocument) -> WriteSummary:
    """A write with its curation (graph/curation.py): superseded documents are skipped and the
    documents a curated sheet replaces are retracted, in the same transaction as the write."""
    cypher = Cypher(
        lambda query, params: [list(r.values()) for r in tx.run(query, params)], lambda name, _kind: f"r.{name}"
    )
    curation = WriteSummary(documents_skipped=skipped_documents(cypher, graph))
    graph = without_documents(graph, set(curation.documents_skipped))
    retract(cypher, graph, curation)
    summary = _write_plan(tx, WritePlan.from_graph(graph))
    summary.documents_skipped = curation.documents_skipped
    summary.documents_replaced = curation.documents_replaced
    summary.edges_retracted = curation.edges_retracted
    summary.nodes_retracted = curation.nodes_retracted
    return summary


def _write_plan(tx: ManagedTransaction, plan: WritePlan) -> WriteSummary:
    """Everything of one write, inside one transaction. The driver may run it again after a
    transient error, so it starts from the plan each time and keeps no state outside."""
    summary = WriteSummary(documents=len(plan.documents))
    created = _write_nodes(tx, plan, summary)
    _write_edges(tx, plan, summary, created)
    return summary


def _replace_plan(tx: ManagedTransaction, plan: WritePlan, edge_type: str) -> WriteSummary:
    summary = WriteSummary()
    for source, target in EDGE_TYPES[edge_type]:
        deleted = tx.run(f"MATCH (:{source})-[r:{edge_type}]->(:{target}) DELETE r RETURN count(*) AS n")
        summary.edges_deleted += int(deleted.single(strict=True)["n"])
    _write_edges(tx, plan, summary, set())
    return summary


def _write_nodes(tx: ManagedTransaction, plan: WritePlan, summary: WriteSummary) -> set[str]:
    """Write the plan's nodes; return the ids of those created (absent before this write)."""
    created: set[str] = set()
    for label, wanted in plan.nodes_by_label().items():
        columns = node_columns(label)
        existing = _existing_nodes(tx, label, list(wanted))
        rows = []
        for node_id_, incoming in wanted.items():
            held = existing.get(node_id_)
            row = merge_node_row(held, incoming, columns)
            if held is None:
                summary.nodes_created += 1
                created.add(node_id_)
            else:
                summary.nodes_matched += 1
                if all(row[c] == held.get(c) for c in columns):
                    continue  # a re-load of the same fact: nothing to write
            rows.append(row)
        # MERGE even for new rows: the server refuses a null id there, so a bad row fails the
        # write. `SET n += r`: a null value removes the property, as Neo4j stores no nulls.
        query = f"UNWIND $rows AS r MERGE (n:{label} {{id: r.id}}) SET n += r"
        for batch in _batches(rows):
            tx.run(query, rows=batch).consume()
    return created


def _write_edges(tx: ManagedTransaction, plan: WritePlan, summary: WriteSummary, created: set[str]) -> None:
    """Write the plan's edges (and their MENTIONS). `created`: nodes this write created, whose
    relationships cannot exist yet, so they are not looked up."""
    labels = dict(plan.labels)
    missing = sorted(i for i in plan.endpoint_ids() if i not in labels)
    for label in NODE_LABELS:
        if not missing:
            break
        for batch in _batches(missing):
            found = tx.run(f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) RETURN n.id AS id", ids=batch)
            labels.update({str(r["id"]): label for r in found})
        missing = [i for i in missing if i not in labels]
    edges = plan.edges_with_mentions(labels)
    groups = group_edges_by_labels(edges, labels, "the Neo4j database")
    for (edge_type, source_label, target_label), group in groups.items():
        columns = edge_columns(edge_type)
        old_ends = [e for e in group if e.source not in created and e.target not in created]
        held_edges = _existing_edges(tx, edge_type, source_label, target_label, old_ends)
        new_rows, held_rows = [], []
        for edge in group:
            held = held_edges.get((edge.source, edge.target))
            row = merge_edge_row(held, edge, columns)
            shaped = {"s": row.pop("s"), "t": row.pop("t"), "p": row}
            if held is None:
                summary.edges_created += 1
                new_rows.append(shaped)
            else:
                summary.edges_matched += 1
                if all(row[c] == held.get(c) for c in columns):
                    continue
                held_rows.append(shaped)
        ends = f"UNWIND $rows AS r MATCH (a:{source_label} {{id: r.s}}) MATCH (b:{target_label} {{id: r.t}}) "
        # Relationships read as absent in this transaction are CREATEd: MERGE would search each
        # among its endpoints' relationships again, which costs most next to a hub.
        for rows, query in (
            (new_rows, f"{ends}CREATE (a)-[e:{edge_type}]->(b) SET e = r.p RETURN count(*) AS written"),
            (held_rows, f"{ends}MERGE (a)-[e:{edge_type}]->(b) SET e += r.p RETURN count(*) AS written"),
        ):
            for batch in _batches(rows):
                written = tx.run(query, rows=batch).single(strict=True)["written"]
                if written != len(batch):
                    raise StoreError(f"only {written} of {len(batch)} {edge_type} relationships found both endpoints")


def _existing_nodes(tx: ManagedTransaction, label: str, ids: list[str]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    # The count comes from Neo4j's count store (no scan): a label with no nodes needs no lookup.
    if not ids or not tx.run(f"MATCH (n:{label}) RETURN count(n) AS n").single(strict=True)["n"]:
        return found
    for batch in _batches(ids):
        result = tx.run(f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) RETURN properties(n) AS p", ids=batch)
        for record in result:
            found[str(record["p"]["id"])] = dict(record["p"])
    return found


def _existing_edges(
    tx: ManagedTransaction, edge_type: str, source_label: str, target_label: str, edges: list[Edge]
) -> dict[tuple[str, str], dict[str, Any]]:
    found: dict[tuple[str, str], dict[str, Any]] = {}
    if not edges or not tx.run(f"MATCH ()-[e:{edge_type}]->() RETURN count(e) AS n").single(strict=True)["n"]:
        return found
    query = (
        f"UNWIND $rows AS r MATCH (a:{source_label} {{id: r.s}}) "
        f"MATCH (a)-[e:{edge_type}]->(b:{target_label} {{id: r.t}}) RETURN r.s AS s, r.t AS t, properties(e) AS p"
    )
    pairs = [{"s": e.source, "t": e.target} for e in edges]
    for batch in _batches(pairs):
        for record in tx.run(query, rows=batch):
            found[(str(record["s"]), str(record["t"]))] = _edge_values(edge_type, record["p"])
    return found


# --------------------------------------------------------------------- helpers


def _edge_values(edge_type: str, values: dict[str, Any]) -> dict[str, Any]:
    """A relationship's declared columns (missing ones None), as the embedded store returns them."""
    out: dict[str, Any] = {c: values.get(c) for c in edge_columns(edge_type)}
    for c in EVIDENCE_PROPERTIES:
        out[c] = list(out[c] or [])
    return out


def _group(ids: Iterable[str], labels: dict[str, str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for i in ids:
        out.setdefault(labels[i], []).append(i)
    return out


def _batches(items: list[Any], size: int = BATCH_SIZE) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


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
