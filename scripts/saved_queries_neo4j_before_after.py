"""Saved-query latency on Neo4j before and after a change to queries/ (an ad-hoc measure for issue 15's
queries that do not scan): a throwaway project server, `DOCUMENTS` synthetic documents written through
the store (derived data included) with SIMILAR_TO, every saved query run with the texts of commit `BEFORE`
and with the working tree's, rows compared (a line DIFFERENT names any that differ), then the latency of
both (govkg.bench.queries_bench.saved_query_latency, p50/p95 per query) into WORKDIR/neo.json.

Run: .venv/bin/python scripts/saved_queries_neo4j_before_after.py DOCUMENTS WORKDIR [BEFORE] [HEAP] [VALUES]
e.g. 10000 /tmp/neo 27f3d49 6g 5 (the store of `govkg bench --full`, about 20 minutes on two shared cores)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from govkg.bench.corpus import synthetic_corpus, write_corpus
from govkg.bench.queries_bench import saved_query_latency
from govkg.graph.neo4j_store import Neo4jStore
from govkg.graph.saved_queries import load_saved_queries, param_choices, run_saved_query
from govkg.graph.similarity import refresh_similarity
from govkg.loaders.extract import extract_paths
from govkg.neo4j_server.server import remove_home, start_server


def main(argv: list[str]) -> None:
    documents, work = int(argv[0]), Path(argv[1])
    before, heap, values = (argv[2:] + ["27f3d49", "6g", "5"][len(argv) - 2:])[:3]
    work.mkdir(parents=True, exist_ok=True)
    old = work / "old-queries"
    old.mkdir(exist_ok=True)
    listed = subprocess.run(["git", "ls-tree", "--name-only", before, "queries/"], capture_output=True, text=True,
                            check=True).stdout.split()  # fmt: skip
    for name in (f for f in listed if f.endswith(".cypher")):
        text = subprocess.run(["git", "show", f"{before}:{name}"], capture_output=True, text=True, check=True).stdout
        (old / Path(name).name).write_text(text, encoding="utf-8")
    home = work / "neo4j-home"
    info = start_server(home=home, heap=heap)
    try:
        store = Neo4jStore(info.uri, password=info.password)
        store._driver.execute_query("MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")
        paths = write_corpus(synthetic_corpus(documents), work / "corpus")
        start = time.perf_counter()
        store.write(extract_paths(paths))
        refresh_similarity(store, top=10)
        load = time.perf_counter() - start
        print("load and similarity", round(load, 1), "s", store.counts(), flush=True)
        new, olds = load_saved_queries(), load_saved_queries(old)
        for name, query in sorted(new.items()):
            sets: list[dict[str, object]] = [{}]
            for p in query.params:
                choices = param_choices(store, query, p.name, limit=50)
                if choices:
                    sets = [{p.name: c} for c in choices[:3]]
            for params in sets:
                a, b = run_saved_query(store, name, params), run_saved_query(store, name, params, queries=olds)
                if a.rows != b.rows or a.columns != b.columns:
                    print("DIFFERENT", name, params, len(a.rows), len(b.rows), flush=True)
        result: dict[str, Any] = {"before": saved_query_latency(store, values=int(values), repeats=3, folder=old),
                  "after": saved_query_latency(store, values=int(values), repeats=3),
                  "load_and_similarity_seconds": load, "counts": store.counts()}  # fmt: skip
        (work / "neo.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
        for name in sorted(result["after"]["per_query"]):
            b, a = result["before"]["per_query"][name], result["after"]["per_query"][name]
            print(f"{name:28s} before p50 {b['p50_ms']:8} p95 {b['p95_ms']:8}  "
                  f"after p50 {a['p50_ms']:8} p95 {a['p95_ms']:8}")
        print("p95 of all calls: before", result["before"]["p95_ms"], "after", result["after"]["p95_ms"])
        store.close()
    finally:
        remove_home(home)


if __name__ == "__main__":
    main(sys.argv[1:])
