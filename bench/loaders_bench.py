"""Load speed of the two stores, each beside a minimal hand-written loader writing the same rows.

The rows are those of one load of a SYNTHETIC corpus (bench/corpus.py): every node (documents
included) and every relationship (the MENTIONS the stores add for evidence included), each as the
store would store it (graph.ladybug_store's row builders). The minimal loaders are what one
writes in an afternoon: `UNWIND $rows AS r MERGE (n:Label {id: r.id}) SET ...` per label, then
`UNWIND $rows AS r MATCH (a ...) MATCH (b ...) MERGE (a)-[e:TYPE]->(b) SET ...` per relationship
type and label pair, batches of 5,000, in one transaction; no reads, no checks, no curation. Both
start from an empty database with the same schema (the embedded one on a fresh file each, Neo4j
on the same server emptied in between), so the ratio is the price of the store's checks and
merging against the plain idempotent write.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ladybug
import pyarrow as pa
from neo4j import GraphDatabase

from govkg.bench.corpus import synthetic_corpus, write_corpus
from govkg.graph.ladybug_store import ARROW_TYPES, LadybugStore  # ARROW_TYPES: the store's own COPY types
from govkg.graph.merge import WritePlan, merge_edge_row, merge_node_row
from govkg.graph.model import GraphDocument
from govkg.graph.neo4j_registry import project_password
from govkg.graph.neo4j_store import Neo4jStore
from govkg.graph.schema import edge_columns, node_columns
from govkg.loaders.extract import extract_paths

__all__ = ["LoadRows", "corpus_graph", "embedded_load", "load_rows", "neo4j_load"]

BATCH = 5000


@dataclass
class LoadRows:
    """The rows of one load, grouped as a loader writes them."""

    nodes: dict[str, list[dict[str, Any]]]  # label -> rows
    edges: dict[tuple[str, str, str], list[dict[str, Any]]]  # (type, source label, target label) -> rows

    @property
    def count(self) -> int:
        return sum(map(len, self.nodes.values())) + sum(map(len, self.edges.values()))


def corpus_graph(count: int, folder: Path, *, seed: int = 2018) -> tuple[GraphDocument, float]:
    """The graph `govkg load` would write for `count` synthetic documents written to `folder`, and
    the seconds extraction took."""
    paths = write_corpus(synthetic_corpus(count, seed=seed), folder)
    start = time.perf_counter()
    graph = extract_paths(paths)
    return graph, time.perf_counter() - start


def load_rows(graph: GraphDocument) -> LoadRows:
    """Every row a first load of `graph` writes into an empty store."""
    plan = WritePlan.from_graph(graph)
    nodes = {
        label: [merge_node_row(None, node, node_columns(label)) for node in wanted.values()]
        for label, wanted in plan.nodes_by_label().items()
    }
    edges: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for edge in plan.edges_with_mentions(plan.labels):
        key = (edge.type, plan.labels[edge.source], plan.labels[edge.target])
        edges.setdefault(key, []).append(merge_edge_row(None, edge, edge_columns(edge.type)))
    return LoadRows(nodes, edges)


def _batches(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    return [rows[i : i + BATCH] for i in range(0, len(rows), BATCH)]


# --------------------------------------------------------------------- embedded


def minimal_ladybug_load(path: Path, rows: LoadRows) -> None:
    """The minimal UNWIND … MERGE loader on a LadybugDB file whose schema exists."""
    db = ladybug.Database(str(path))
    conn = ladybug.Connection(db)
    try:
        conn.execute("BEGIN TRANSACTION")
        for label, node_rows in rows.nodes.items():
            sets = ", ".join(f"n.{c} = CAST(r.{c} AS {k})" for c, k in node_columns(label).items())
            for batch in _batches(node_rows):
                conn.execute(f"UNWIND $rows AS r MERGE (n:{label} {{id: r.id}}) SET {sets}", {"rows": batch})
        for (edge_type, source, target), edge_rows in rows.edges.items():
            sets = ", ".join(f"e.{c} = CAST(r.{c} AS {k})" for c, k in edge_columns(edge_type).items())
            query = (
                f"UNWIND $rows AS r MATCH (a:{source} {{id: r.s}}) MATCH (b:{target} {{id: r.t}}) "
                f"MERGE (a)-[e:{edge_type}]->(b) SET {sets}"
            )
            for batch in _batches(edge_rows):
                conn.execute(query, {"rows": batch})
        conn.execute("COMMIT")
    finally:
        conn.close()
        db.close()


def raw_copy_load(path: Path, rows: LoadRows) -> None:
    """The same rows COPYed straight from typed Arrow tables into a LadybugDB file whose schema exists,
    one table at a time in one transaction: the engine's own bulk path with nothing read or checked
    first, the ceiling a loader can approach (issue 15's baseline for the embedded write rate)."""
    db = ladybug.Database(str(path))
    conn = ladybug.Connection(db)

    def copy(table: str, table_rows: list[dict[str, Any]], keys: list[str], ends: str = "") -> None:
        kinds = {str(r[1]): str(r[2]) for r in _all(conn.execute(f"CALL table_info('{table}') RETURN *"))}
        columns = {key: pa.array([r[key] for r in table_rows], type=pa.string()) for key in keys}
        for name, kind in kinds.items():
            if name not in keys and name != "id":
                columns[name] = pa.array([r.get(name) for r in table_rows], type=ARROW_TYPES[kind])
        conn.execute(f"COPY {table} FROM $frame{ends}", {"frame": pa.table(columns)})

    try:
        conn.execute("BEGIN TRANSACTION")
        for label, node_rows in rows.nodes.items():
            copy(label, node_rows, ["id"])
        for (edge_type, source, target), edge_rows in rows.edges.items():
            copy(edge_type, edge_rows, ["s", "t"], f" (from='{source}', to='{target}')")
        conn.execute("COMMIT")
    finally:
        conn.close()
        db.close()


def _all(result: Any) -> list[list[Any]]:
    found = []
    while result.has_next():
        found.append(result.get_next())
    return found


def _into_empty(path: Path, load: Callable[[], None]) -> tuple[float, dict[str, int]]:
    """The seconds `load` takes into a new store's empty schema at `path`, and the counts it leaves."""
    LadybugStore(path).close()  # the store's schema, empty
    start = time.perf_counter()
    load()
    seconds = time.perf_counter() - start
    check = LadybugStore(path, read_only=True)
    try:
        return seconds, check.counts()
    finally:
        check.close()


def embedded_load(count: int, workdir: Path, *, seed: int = 2018) -> dict[str, Any]:
    """LadybugStore.write against the minimal loader, each on a fresh database file, same rows."""
    graph, extract_seconds = corpus_graph(count, workdir / "corpus", seed=seed)
    rows = load_rows(graph)
    store_path, minimal_path = workdir / "store.lbdb", workdir / "minimal.lbdb"
    store = LadybugStore(store_path)
    try:
        start = time.perf_counter()
        summary = store.write(graph)
        store_seconds = time.perf_counter() - start
        counts = store.counts()
    finally:
        store.close()
    minimal_seconds, minimal_counts = _into_empty(minimal_path, lambda: minimal_ladybug_load(minimal_path, rows))
    copy_path = workdir / "copy.lbdb"
    copy_seconds, copy_counts = _into_empty(copy_path, lambda: raw_copy_load(copy_path, rows))
    written = summary.nodes_created + summary.edges_created
    return {
        "documents": count,
        "rows": rows.count,
        "store_rows_written": written,
        "extract_seconds": round(extract_seconds, 3),
        "store_seconds": round(store_seconds, 3),
        "minimal_seconds": round(minimal_seconds, 3),
        "store_rows_per_second": round(rows.count / store_seconds),
        "minimal_rows_per_second": round(rows.count / minimal_seconds),
        "ratio": round(minimal_seconds / store_seconds, 3),
        "copy_seconds": round(copy_seconds, 3),
        "copy_rows_per_second": round(rows.count / copy_seconds),
        "ratio_to_copy": round(copy_seconds / store_seconds, 3),
        "same_counts": counts == minimal_counts == copy_counts,
        "counts": counts,
    }


# --------------------------------------------------------------------- Neo4j


def _empty_neo4j(driver: Any) -> None:
    # CALL … IN TRANSACTIONS needs an implicit (auto-commit) transaction: session.run.
    with driver.session(database="neo4j") as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


def minimal_neo4j_load(driver: Any, rows: LoadRows) -> None:
    """The minimal UNWIND … MERGE driver loader, one transaction (the store's constraints exist)."""

    def work(tx: Any) -> None:
        for label, node_rows in rows.nodes.items():
            for batch in _batches(node_rows):
                tx.run(f"UNWIND $rows AS r MERGE (n:{label} {{id: r.id}}) SET n += r", rows=batch).consume()
        for (edge_type, source, target), edge_rows in rows.edges.items():
            query = (
                f"UNWIND $rows AS r MATCH (a:{source} {{id: r.s}}) MATCH (b:{target} {{id: r.t}}) "
                f"MERGE (a)-[e:{edge_type}]->(b) SET e += r.p"
            )
            for batch in _batches(edge_rows):
                shaped = [{"s": r["s"], "t": r["t"], "p": {k: v for k, v in r.items() if k not in ("s", "t")}}
                          for r in batch]  # fmt: skip
                tx.run(query, rows=shaped).consume()

    with driver.session(database="neo4j") as session:
        session.execute_write(work)


def neo4j_load(
    count: int, workdir: Path, uri: str, *, seed: int = 2018, rounds: int = 2, warm_up: bool = True
) -> dict[str, Any]:
    """Neo4jStore.write against the minimal driver loader on the same server, emptied before each
    run. Both first run once untimed (the server's JIT and query-plan cache warm up on whichever
    runs first, which otherwise decides most of the ratio); then `rounds` alternating timed runs
    each, the fastest of each kept, as on a shared machine the slower runs measure the neighbours.
    Without `warm_up` (a check that the step runs, whose figures mean nothing) the first runs are timed."""
    graph, extract_seconds = corpus_graph(count, workdir / "corpus", seed=seed)
    rows = load_rows(graph)
    store_times: list[float] = []
    minimal_times: list[float] = []
    password = project_password(uri) or ""
    with GraphDatabase.driver(uri, auth=("neo4j", password) if password else None) as driver:
        store = Neo4jStore(uri, password=password)
        try:
            store.ensure_schema()  # the constraints stay: the minimal loader gets the same index lookups
            for timed in [False] * warm_up + [True] * rounds:
                _empty_neo4j(driver)
                start = time.perf_counter()
                summary = store.write(graph)
                if timed:
                    store_times.append(time.perf_counter() - start)
                counts = store.counts()
                _empty_neo4j(driver)
                start = time.perf_counter()
                minimal_neo4j_load(driver, rows)
                if timed:
                    minimal_times.append(time.perf_counter() - start)
        finally:
            store.close()
        _empty_neo4j(driver)
    store_seconds, minimal_seconds = min(store_times), min(minimal_times)
    return {
        "documents": count,
        "rows": rows.count,
        "store_rows_written": summary.nodes_created + summary.edges_created,
        "extract_seconds": round(extract_seconds, 3),
        "store_seconds": round(store_seconds, 3),
        "minimal_seconds": round(minimal_seconds, 3),
        "store_runs_seconds": [round(t, 3) for t in store_times],
        "minimal_runs_seconds": [round(t, 3) for t in minimal_times],
        "store_rows_per_second": round(rows.count / store_seconds),
        "minimal_rows_per_second": round(rows.count / minimal_seconds),
        "ratio": round(minimal_seconds / store_seconds, 3),
        "counts": counts,
    }
