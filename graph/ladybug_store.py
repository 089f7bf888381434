"""The embedded store: a LadybugDB database in one file, no server.

Writes run in one explicit transaction on a read-write handle; ad-hoc reads are checked by
graph/cypher_guard and then run on a separate read-only handle of the same file, so a write the
guard misses is still refused by the database itself.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import ladybug
import pyarrow as pa

from govkg.errors import QueryError, ReadOnlyViolation, StoreError, StoreLockedError
from graph.curation import Cypher, retract, skipped_documents, without_documents
from graph.cypher_guard import check_read_only
from graph.ladybug_plan_guard import check_plan
from graph.merge import (
    WritePlan,
    document_from_row,
    edge_from_row,
    group_edges_by_labels,
    merge_edge_row,
    merge_node_row,
    node_from_row,
    paused_gc,
)
from graph.model import EDGE_TYPES, NODE_LABELS, Edge, GraphDocument, Node
from graph.schema import edge_columns, node_columns
from graph.store import GraphStore, QueryResult, WriteSummary

__all__ = ["LadybugStore"]

BATCH_SIZE = 5000
# New rows of one table from this many on are COPYed rather than MERGEd/CREATEd.
COPY_THRESHOLD = 1000
_ARROW_TYPES = {
    "STRING": pa.string(),
    "INT64": pa.int64(),
    "DOUBLE": pa.float64(),
    "BOOLEAN": pa.bool_(),
    "BOOL": pa.bool_(),  # how table_info names BOOLEAN
    "STRING[]": pa.list_(pa.string()),
    "INT64[]": pa.list_(pa.int64()),
}
_LOCK_PID = re.compile(r"Lock is held by PID (\d+)")


# Approved plans are remembered per query text (parameters do not change which operators run), so a
# query the app runs again and again is planned for the check only once.
PLAN_CACHE_SIZE = 256
READ_TIMEOUT = 30.0  # seconds an ad-hoc read may run (the same as Neo4j's default)

class LadybugStore(GraphStore):
    """A LadybugDB database at `path` (one file; parent folders are created)."""

    engine = "embedded"

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = Path(path).expanduser()
        self.read_only = read_only
        self._db: ladybug.Database | None = None
        self._conn: ladybug.Connection | None = None
        self._reader_db: ladybug.Database | None = None
        self._reader_conn: ladybug.Connection | None = None
        self._reader_stamp: tuple[tuple[int, int], ...] | None = None
        self._copied = False
        self._plans_checked: dict[str, None] = {}  # queries whose plan passed graph/ladybug_plan_guard
        if self.path.is_dir():
            raise StoreError(f"{self.path} is a folder; the embedded database is one file: give a file path (--db).")
        if read_only:
            if not self.path.exists():
                raise StoreError(
                    f"there is no database at {self.path}. Create one with `govkg load PATH...` "
                    "(or `govkg demo` for the bundled cases), or point --db / GOVKG_DB at an existing one."
                )
            self._reader()
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = _open_database(self.path, read_only=False)
            self._conn = ladybug.Connection(self._db)
            self.ensure_schema()

    # ----------------------------------------------------------------- connections

    def _writer(self) -> ladybug.Connection:
        if self._conn is None:
            raise StoreError(f"the database {self.path} is open read-only; open it without read_only to write.")
        return self._conn

    def _internal(self) -> ladybug.Connection:
        """The connection for the store's own fixed queries: the writer if there is one (always current)."""
        return self._conn if self._conn is not None else self._reader()

    def _stamp(self) -> tuple[tuple[int, int], ...]:
        """Size and modification time of the file and its write-ahead log: a change means another
        handle wrote, and a read-only handle (a snapshot taken when it opened) must be reopened."""
        stamp = []
        for p in (self.path, self.path.with_name(self.path.name + ".wal")):
            try:
                st = p.stat()
                stamp.append((st.st_mtime_ns, st.st_size))
            except OSError:
                stamp.append((0, 0))
        return tuple(stamp)

    def _reader(self) -> ladybug.Connection:
        stamp = self._stamp()
        if self._reader_conn is None or stamp != self._reader_stamp:
            self._close_reader()
            self._reader_db = _open_database(self.path, read_only=True)
            self._reader_conn = ladybug.Connection(self._reader_db)
            # As on Neo4j: an ad-hoc read (UNWIND range(1, 10^11)…) is stopped, not left to run the
            # machine out of memory.
            self._reader_conn.set_query_timeout(int(READ_TIMEOUT * 1000))
            self._reader_stamp = stamp
        return self._reader_conn

    def _close_reader(self) -> None:
        if self._reader_conn is not None:
            self._reader_conn.close()
        if self._reader_db is not None:
            self._reader_db.close()
        self._reader_conn = self._reader_db = None
        self._reader_stamp = None

    def close(self) -> None:
        self._close_reader()
        if self._conn is not None:
            self._conn.close()
        if self._db is not None:
            self._db.close()
        self._conn = self._db = None

    # ----------------------------------------------------------------- schema

    def _tables(self, conn: ladybug.Connection) -> dict[str, str]:
        """Existing table name -> NODE or REL."""
        return {str(row[1]): str(row[2]) for row in _rows(conn.execute("CALL show_tables() RETURN *"))}

    def ensure_schema(self) -> None:
        """Create every node and relationship table, and add columns graph/schema.py gained since."""
        if self._conn is None:
            return  # a read-only handle cannot create tables; reads of a missing table fail clearly
        conn = self._conn
        for label in NODE_LABELS:
            cols = ", ".join(f"{name} {kind}" for name, kind in node_columns(label).items())
            conn.execute(f"CREATE NODE TABLE IF NOT EXISTS {label}(id STRING PRIMARY KEY, {cols})")
        for edge_type, pairs in EDGE_TYPES.items():
            ends = ", ".join(f"FROM {a} TO {b}" for a, b in pairs)
            cols = ", ".join(f"{name} {kind}" for name, kind in edge_columns(edge_type).items())
            conn.execute(f"CREATE REL TABLE IF NOT EXISTS {edge_type}({ends}, {cols})")
        for table, declared in [
            *((label, node_columns(label)) for label in NODE_LABELS),
            *((t, edge_columns(t)) for t in EDGE_TYPES),
        ]:
            present = {str(row[1]) for row in _rows(conn.execute(f"CALL table_info('{table}') RETURN *"))}
            for name, kind in declared.items():
                if name not in present:
                    conn.execute(f"ALTER TABLE {table} ADD {name} {kind}")

    # ----------------------------------------------------------------- writing

    def write(self, graph: GraphDocument) -> WriteSummary:
        with paused_gc():
            return self._write(graph)

    def _write(self, graph: GraphDocument) -> WriteSummary:
        conn = self._writer()
        WritePlan.check(graph)  # rejects unknown labels and types before the transaction
        summary = WriteSummary()
        conn.execute("BEGIN TRANSACTION")
        try:
            # Curation (graph/curation.py): skip superseded documents, retract replaced ones.
            cypher = Cypher(lambda query, params: _rows(conn.execute(query, params)), _cast)
            summary.documents_skipped = skipped_documents(cypher, graph)
            graph = without_documents(graph, set(summary.documents_skipped))
            plan = WritePlan.from_graph(graph)
            summary.documents = len(plan.documents)
            retract(cypher, graph, summary)
            created = self._write_nodes(conn, plan, summary)
            self._write_edges(conn, plan, summary, created)
            conn.execute("COMMIT")
            self._copied = False
        except BaseException as err:
            # The failed statement may have ended the transaction already.
            with contextlib.suppress(RuntimeError):
                conn.execute("ROLLBACK")
            self._reopen_after_copy()
            if isinstance(err, StoreError):
                raise
            if isinstance(err, RuntimeError):
                raise StoreError(f"writing to {self.path} failed, nothing was written: {_first_line(err)}") from err
            raise
        finally:
            self._close_reader()  # its snapshot predates this write
        summary.counts_after = self.counts()
        return summary

    def replace_relationships(self, edge_type: str, edges: Sequence[Edge]) -> WriteSummary:
        """Delete every `edge_type` relationship and write `edges` instead, in one transaction."""
        if edge_type not in EDGE_TYPES:
            raise StoreError(f"unknown relationship type {edge_type!r}; known: {', '.join(EDGE_TYPES)}")
        stray = sorted({e.type for e in edges if e.type != edge_type})
        if stray:
            raise StoreError(f"replacing {edge_type} relationships, but given {', '.join(stray)} ones too")
        conn = self._writer()
        plan = WritePlan.from_graph(GraphDocument([], [], list(edges)))
        summary = WriteSummary()
        conn.execute("BEGIN TRANSACTION")
        try:
            for source, target in EDGE_TYPES[edge_type]:
                query = f"MATCH (:{source})-[r:{edge_type}]->(:{target}) DELETE r RETURN count(*)"
                summary.edges_deleted += int(_rows(conn.execute(query))[0][0])
            self._write_edges(conn, plan, summary, set(), none_held=True)
            conn.execute("COMMIT")
            self._copied = False
        except BaseException as err:
            with contextlib.suppress(RuntimeError):
                conn.execute("ROLLBACK")
            self._reopen_after_copy()
            if isinstance(err, RuntimeError):
                raise StoreError(
                    f"replacing {edge_type} in {self.path} failed, nothing changed: {_first_line(err)}"
                ) from err
            raise
        finally:
            self._close_reader()
        summary.counts_after = self.counts()
        return summary

    def _write_nodes(self, conn: ladybug.Connection, plan: WritePlan, summary: WriteSummary) -> set[str]:
        """Write the plan's nodes; return the ids of those created (absent before this write)."""
        created: set[str] = set()
        for label, wanted in plan.nodes_by_label().items():
            columns = node_columns(label)
            existing = self._existing_nodes(conn, label, list(wanted))
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
            # Bulk fast path: many new rows are COPYed (MEASURED.md: ~30x faster than MERGE);
            # changed existing rows, and small writes, go through MERGE.
            new = [r for r in rows if r["id"] not in existing]
            if len(new) >= COPY_THRESHOLD:
                self._copy(conn, label, new, ["id"])
                rows = [r for r in rows if r["id"] in existing]
            query = _merge_node_query(label, columns)
            for batch in _batches(rows):
                _rows(conn.execute(query, {"rows": batch}))  # closed: an open result holds its memory
        return created

    def _copy(
        self,
        conn: ladybug.Connection,
        table: str,
        rows: list[dict[str, Any]],
        keys: list[str],
        ends: tuple[str, str] | None = None,
    ) -> None:
        """COPY `rows` (all new) into `table` from an Arrow table whose columns follow the table's
        own order (`keys`: the primary key, or the two endpoint ids of a relationship)."""
        kinds = {str(r[1]): str(r[2]) for r in _rows(conn.execute(f"CALL table_info('{table}') RETURN *"))}
        columns = {key: pa.array([r[key] for r in rows], type=pa.string()) for key in keys}
        for name, kind in kinds.items():
            if name in keys or name == "id":
                continue
            columns[name] = pa.array([r.get(name) for r in rows], type=_ARROW_TYPES[kind])
        frame = pa.table(columns)
        option = f" (from='{ends[0]}', to='{ends[1]}')" if ends else ""
        self._copied = True  # a rollback after a COPY needs a fresh handle (see write)
        _rows(conn.execute(f"COPY {table} FROM $frame{option}", {"frame": frame}))
        _forget_copy_statements(conn)

    def _reopen_after_copy(self) -> None:
        """LadybugDB 0.22 crashes on the next COPY after a COPY was rolled back in the same
        database handle; a fresh handle is sound (the rollback itself leaves nothing behind)."""
        if not self._copied:
            return
        self._copied = False
        if self._conn is not None:
            self._conn.close()
        if self._db is not None:
            self._db.close()
        self._db = _open_database(self.path, read_only=False)
        self._conn = ladybug.Connection(self._db)

    def _existing_nodes(self, conn: ladybug.Connection, label: str, ids: list[str]) -> dict[str, dict[str, Any]]:
        columns = ["id", *node_columns(label)]
        returned = ", ".join(f"n.{c}" for c in columns)
        found: dict[str, dict[str, Any]] = {}
        for batch in _batches(ids):
            result = conn.execute(f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) RETURN {returned}", {"ids": batch})
            for row in _rows(result):
                found[str(row[0])] = dict(zip(columns, row, strict=True))
        return found

    def _labels_of(self, conn: ladybug.Connection, ids: Iterable[str], known: dict[str, str]) -> dict[str, str]:
        """Labels of edge endpoints: from this write, else from the store (nodes loaded earlier)."""
        labels = dict(known)
        missing = sorted({i for i in ids if i not in labels})
        for batch in _batches(missing):
            result = conn.execute("UNWIND $ids AS i MATCH (n {id: i}) RETURN n.id, label(n)", {"ids": batch})
            labels.update({str(r[0]): str(r[1]) for r in _rows(result)})
        return labels

    def _write_edges(
        self,
        conn: ladybug.Connection,
        plan: WritePlan,
        summary: WriteSummary,
        created: set[str],
        *,
        none_held: bool = False,
    ) -> None:
        """Write the plan's edges (and their MENTIONS). `created`: nodes this write created, whose
        relationships cannot exist yet, so they are not looked up; `none_held`: the transaction
        deleted every relationship of the plan's types (replace_relationships)."""
        labels = self._labels_of(conn, plan.endpoint_ids(), plan.labels)
        edges = plan.edges_with_mentions(labels)
        groups = group_edges_by_labels(edges, labels, str(self.path))
        for (edge_type, source_label, target_label), group in groups.items():
            columns = edge_columns(edge_type)
            old_ends = [] if none_held else [e for e in group if e.source not in created and e.target not in created]
            existing = self._existing_edges(conn, edge_type, source_label, target_label, old_ends)
            new_rows, held_rows = [], []
            for edge in group:
                held = existing.get((edge.source, edge.target))
                if held is None:
                    summary.edges_created += 1
                    new_rows.append(merge_edge_row(None, edge, columns))
                else:
                    summary.edges_matched += 1
                    row = merge_edge_row(held, edge, columns)
                    # Updating a relationship is slow next to a hub (SET finds it again among the
                    # hub's relationships), so only changed ones are written.
                    if any(row[c] != held.get(c) for c in columns):
                        held_rows.append(row)
            # The existing edges were read in this transaction, so new ones are CREATEd: a MERGE
            # would look for each among all of a hub's relationships again (a document with
            # 10,000 MENTIONS: 3-9 s a batch of 5,000). Seam for a bulk fast path: `new_rows`
            # could be COPYed from a frame (MEASURED.md).
            if len(new_rows) >= COPY_THRESHOLD:
                self._copy(conn, edge_type, new_rows, ["s", "t"], (source_label, target_label))
                new_rows = []
            for rows, make in ((new_rows, _create_edge_query), (held_rows, _update_edge_query)):
                for batch in _batches(rows):
                    query = make(edge_type, source_label, target_label, columns, _start_from_target(batch))
                    written = _rows(conn.execute(query, {"rows": batch}))[0][0]
                    if written != len(batch):
                        raise StoreError(
                            f"only {written} of {len(batch)} {edge_type} relationships found both endpoints"
                        )

    def _existing_edges(
        self, conn: ladybug.Connection, edge_type: str, source_label: str, target_label: str, edges: list[Edge]
    ) -> dict[tuple[str, str], dict[str, Any]]:
        columns = list(edge_columns(edge_type))
        returned = ", ".join(f"e.{c}" for c in columns)
        found: dict[tuple[str, str], dict[str, Any]] = {}
        pairs = [{"s": e.source, "t": e.target} for e in edges]
        for batch in _batches(pairs):
            # Two MATCH clauses (one MATCH of two patterns joins far more slowly, MEASURED.md); the
            # relationship is expanded from the first node matched, so that must not be a hub.
            if _start_from_target(batch):
                query = (
                    f"UNWIND $rows AS r MATCH (b:{target_label} {{id: r.t}}) "
                    f"MATCH (b)<-[e:{edge_type}]-(a:{source_label} {{id: r.s}}) RETURN r.s, r.t, {returned}"
                )
            else:
                query = (
                    f"UNWIND $rows AS r MATCH (a:{source_label} {{id: r.s}}) "
                    f"MATCH (a)-[e:{edge_type}]->(b:{target_label} {{id: r.t}}) RETURN r.s, r.t, {returned}"
                )
            for row in _rows(conn.execute(query, {"rows": batch})):
                found[(str(row[0]), str(row[1]))] = dict(zip(columns, row[2:], strict=True))
        return found

    # ----------------------------------------------------------------- reading

    def read(self, cypher: str, params: dict[str, Any] | None = None, *, limit: int | None = None) -> QueryResult:
        check_read_only(cypher)
        conn = self._reader()
        try:
            if cypher not in self._plans_checked:
                check_plan(lambda query: _explain(conn, query, params), cypher)
                self._plans_checked[cypher] = None
                while len(self._plans_checked) > PLAN_CACHE_SIZE:
                    del self._plans_checked[next(iter(self._plans_checked))]
            result = conn.execute(cypher, dict(params or {}))
        except RuntimeError as err:
            message = _first_line(err)
            if "read-only" in message:
                raise ReadOnlyViolation(f"the query tried to write and was refused: {message}") from err
            if "interrupted" in message.lower() or "timeout" in message.lower():
                raise QueryError(
                    f"the query ran longer than {READ_TIMEOUT:.0f} s and was stopped; narrow it or add a LIMIT"
                ) from err
            raise QueryError(message) from err
        if isinstance(result, list):  # several statements slipped through: keep the last result
            result = result[-1]
        columns = [str(c) for c in result.get_column_names()]
        rows: list[list[Any]] = []
        truncated = False
        while result.has_next():
            row = result.get_next()
            if limit is not None and len(rows) >= limit:
                truncated = True
                break
            rows.append([_plain(value) for value in row])
        result.close()
        return QueryResult(columns, rows, truncated)

    def counts(self) -> dict[str, int]:
        conn = self._internal()
        tables = self._tables(conn)
        out: dict[str, int] = {}
        for label in NODE_LABELS:
            out[label] = _scalar(conn, f"MATCH (n:{label}) RETURN count(n)") if label in tables else 0
        for edge_type in EDGE_TYPES:
            out[edge_type] = (
                _scalar(conn, f"MATCH ()-[e:{edge_type}]->() RETURN count(e)") if edge_type in tables else 0
            )
        return out

    def snapshot(self) -> GraphDocument:
        conn = self._internal()
        tables = self._tables(conn)
        graph = GraphDocument()
        for label in NODE_LABELS:
            if label not in tables:
                continue
            columns = ["id", *node_columns(label)]
            returned = ", ".join(f"n.{c}" for c in columns)
            for row in _rows(conn.execute(f"MATCH (n:{label}) RETURN {returned} ORDER BY n.id")):
                values = dict(zip(columns, row, strict=True))
                if label == "Document":
                    graph.documents.append(document_from_row(values))
                else:
                    graph.nodes.append(node_from_row(label, values))
        for edge_type in EDGE_TYPES:
            if edge_type not in tables:
                continue
            columns = list(edge_columns(edge_type))
            returned = ", ".join(f"e.{c}" for c in columns)
            query = f"MATCH (a)-[e:{edge_type}]->(b) RETURN a.id, b.id, {returned} ORDER BY a.id, b.id"
            for row in _rows(conn.execute(query)):
                graph.edges.append(
                    edge_from_row(edge_type, str(row[0]), str(row[1]), dict(zip(columns, row[2:], strict=True)))
                )
        return graph

    def neighbourhood(self, node_id: str, depth: int = 1, limit: int = 200) -> GraphDocument:
        """Breadth-first from `node_id`. Documents mention nearly everything, so MENTIONS is
        followed only when the start is a Document; nodes are kept nearest first, then by id."""
        conn = self._internal()
        start = _rows(conn.execute("MATCH (n {id: $id}) RETURN n.id, label(n)", {"id": node_id}))
        if not start or limit <= 0:
            return GraphDocument()
        follow_mentions = start[0][1] == "Document"
        labels: dict[str, str] = {node_id: str(start[0][1])}
        frontier = [node_id]
        for _ in range(max(depth, 0)):
            if not frontier or len(labels) >= limit:
                break
            where = "" if follow_mentions else "WHERE label(e) <> 'MENTIONS' "
            query = f"UNWIND $ids AS i MATCH (a {{id: i}})-[e]-(b) {where}RETURN DISTINCT b.id, label(b)"
            found = sorted((str(r[0]), str(r[1])) for r in _rows(conn.execute(query, {"ids": frontier})))
            frontier = []
            for found_id, found_label in found:
                if found_id not in labels and len(labels) < limit:
                    labels[found_id] = found_label
                    frontier.append(found_id)
        return self._subgraph(conn, labels, follow_mentions)

    def _subgraph(self, conn: ladybug.Connection, labels: dict[str, str], with_mentions: bool) -> GraphDocument:
        graph = GraphDocument()
        ids = list(labels)
        by_label: dict[str, list[str]] = {}
        for i, label in labels.items():
            by_label.setdefault(label, []).append(i)
        nodes: dict[str, Node] = {}
        for label, label_ids in by_label.items():
            rows = self._existing_nodes(conn, label, label_ids)
            for i, values in rows.items():
                if label == "Document":
                    doc = document_from_row(values)
                    nodes[i] = Node(
                        i, "Document", doc.title or doc.path or i, [], {"path": doc.path, "title": doc.title}
                    )
                else:
                    nodes[i] = node_from_row(label, values)
        graph.nodes = [nodes[i] for i in ids if i in nodes]
        query = (
            "MATCH (a)-[e]->(b) WHERE a.id IN $ids AND b.id IN $ids RETURN a.id, b.id, label(e), e ORDER BY a.id, b.id"
        )
        cited: set[str] = set()
        for source, target, edge_type, values in _rows(conn.execute(query, {"ids": ids})):
            if edge_type == "MENTIONS" and not with_mentions:
                continue
            columns = edge_columns(str(edge_type))
            edge = edge_from_row(str(edge_type), str(source), str(target), {c: values.get(c) for c in columns})
            graph.edges.append(edge)
            cited.update(ev.document for ev in edge.evidence)
        if cited:
            docs = self._existing_nodes(conn, "Document", sorted(cited))
            graph.documents = [document_from_row(docs[i]) for i in sorted(docs)]
        return graph


# --------------------------------------------------------------------- write planning


def _merge_node_query(label: str, columns: dict[str, str]) -> str:
    # CAST fixes the column type when a batch holds only nulls or empty lists, which the
    # parameter binder would otherwise type as STRING or STRING[].
    sets = ", ".join(f"n.{c} = CAST(r.{c} AS {kind})" for c, kind in columns.items())
    return f"UNWIND $rows AS r MERGE (n:{label} {{id: r.id}}) SET {sets}"


def _cast(name: str, kind: str) -> str:
    """A field of the UNWIND row `r`, typed as its column (null and empty lists included)."""
    return f"CAST(r.{name} AS {kind})"


def _edge_sets(columns: dict[str, str]) -> str:
    return ", ".join(f"e.{c} = CAST(r.{c} AS {kind})" for c, kind in columns.items())


def _create_edge_query(
    edge_type: str, source_label: str, target_label: str, columns: dict[str, str], from_target: bool
) -> str:
    # Two MATCH clauses: one MATCH of two patterns joins far more slowly (MEASURED.md).
    ends = [f"MATCH (a:{source_label} {{id: r.s}})", f"MATCH (b:{target_label} {{id: r.t}})"]
    if from_target:
        ends.reverse()
    # Properties in the CREATE pattern: a SET afterwards looks the new relationship up again.
    props = ", ".join(f"{c}: CAST(r.{c} AS {kind})" for c, kind in columns.items())
    return f"UNWIND $rows AS r {' '.join(ends)} CREATE (a)-[e:{edge_type} {{{props}}}]->(b) RETURN count(*)"


def _update_edge_query(
    edge_type: str, source_label: str, target_label: str, columns: dict[str, str], from_target: bool
) -> str:
    if from_target:
        match = f"MATCH (b:{target_label} {{id: r.t}}) MATCH (b)<-[e:{edge_type}]-(a:{source_label} {{id: r.s}})"
    else:
        match = f"MATCH (a:{source_label} {{id: r.s}}) MATCH (a)-[e:{edge_type}]->(b:{target_label} {{id: r.t}})"
    return f"UNWIND $rows AS r {match} SET {_edge_sets(columns)} RETURN count(*)"


def _start_from_target(rows: list[dict[str, Any]]) -> bool:
    """Whether to match the target end first: when a batch names fewer distinct sources than
    targets (one document mentioning many zones), the sources are likely hubs, and expanding a
    hub's relationships for every row costs O(rows x degree) (10,000 MENTIONS of one document:
    4.5 s from the document, 0.1 s from the zones)."""
    return len({r["s"] for r in rows}) < len({r["t"] for r in rows})


# --------------------------------------------------------------------- LadybugDB helpers


def _open_database(path: Path, *, read_only: bool) -> ladybug.Database:
    try:
        db = ladybug.Database(str(path), read_only=read_only)
        ladybug.Connection(db).execute("RETURN 1")  # the lock and file checks happen on first use
        return db
    except RuntimeError as err:
        message = str(err)
        if "Could not set lock" in message:
            pid = _LOCK_PID.search(message)
            holder = f"process {pid.group(1)}" if pid else "another process"
            raise StoreLockedError(
                f"the database {path} is in use by {holder} (数据库正被另一个进程使用). Close the govkg app or the "
                "other govkg command using it and try again, or choose another database with --db / GOVKG_DB."
            ) from err
        raise StoreError(f"cannot open the database {path}: {_first_line(err)}") from err


def _forget_copy_statements(conn: ladybug.Connection) -> None:
    """Drop the COPY statements LadybugDB's connection cached. Each keeps the Arrow frame it was
    bound to until the connection closes: a 10,000-document load would hold a copy of every row it
    wrote (about 250 MB) to the end. A COPY is prepared once per table and write, so nothing is lost."""
    cache = getattr(conn, "_pybind_implicit_prepared_cache", None)
    lock = getattr(conn, "_prepared_cache_lock", None)
    if not isinstance(cache, dict) or lock is None:
        return  # another ladybug version: nothing cached this way
    with lock:
        for key in [k for k in cache if isinstance(k, tuple) and str(k[0]).lstrip().upper().startswith("COPY ")]:
            statement = cache.pop(key)
            close = getattr(statement, "close", None)
            if callable(close):
                with contextlib.suppress(RuntimeError):
                    close()


def _explain(conn: ladybug.Connection, cypher: str, params: dict[str, Any] | None) -> str:
    """The printed physical plan of `cypher`: planned, not run (the text guard has already refused the
    statements whose binding acts, such as EXPORT DATABASE)."""
    rows = _rows(conn.execute(f"EXPLAIN {cypher}", dict(params or {})))
    return str(rows[0][0]) if rows and rows[0] else ""


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


def _rows(result: ladybug.QueryResult | list[ladybug.QueryResult]) -> list[list[Any]]:
    if isinstance(result, list):
        result = result[-1]
    rows = [list(r) for r in result.get_all()]
    result.close()
    return rows


def _scalar(conn: ladybug.Connection, query: str) -> int:
    return int(_rows(conn.execute(query))[0][0])


def _batches(items: Sequence[Any], size: int = BATCH_SIZE) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def _plain(value: Any) -> Any:
    """A LadybugDB value as plain Python, shaped like the Neo4j store's: node -> properties +
    `_label`, relationship -> properties + `_type`, path -> nodes and relationships, a
    variable-length relationship -> its list of relationships. Null properties are left out,
    as Neo4j does not store them."""
    if isinstance(value, dict):
        if "_NODES" in value and "_RELS" in value:
            # Both come typed RECURSIVE_REL; a path lists its end nodes too (one node more than
            # relationships), a variable-length relationship only the nodes in between.
            rels = [_plain(r) for r in value["_RELS"]]
            if len(value["_NODES"]) != len(rels) + 1:
                return rels
            return {"nodes": [_plain(n) for n in value["_NODES"]], "relationships": rels}
        if "_LABEL" in value and "_ID" in value:
            label = str(value["_LABEL"])
            if "_SRC" in value:
                declared = set(edge_columns(label)) if label in EDGE_TYPES else None
                out = _properties(value, declared)
                out["_type"] = label
                return out
            declared = {"id", *node_columns(label)} if label in NODE_LABELS else None
            out = _properties(value, declared)
            out["_label"] = label
            return out
        if set(value) == {"offset", "table"}:  # an internal id
            return f"{value['table']}:{value['offset']}"
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _properties(value: dict[str, Any], declared: set[str] | None) -> dict[str, Any]:
    # Unlabelled matches return the union of all tables' columns: keep only this table's.
    return {
        k: _plain(v)
        for k, v in value.items()
        if not k.startswith("_") and v is not None and (declared is None or k in declared)
    }
