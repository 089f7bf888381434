"""Full-text search: the index's build and the latency of a fixed set of queries, p50 and p95, on a
loaded store (the step `search` of `govkg bench`).

The queries: names taken from the first document of the SYNTHETIC corpus (bench/corpus.py; with its
seed that document is the same at every size), words of the corpus's evidence sentences, one in
traditional characters, a name part most mechanisms share, one character, two terms, one with a
character Lucene would read as syntax, and one absent. Each runs `repeats` times after one warm-up,
through `search_from_store`: the path the command line and the app take (the store's data token
checked, then the search), top 10; and again for the PAGE_HITS best, as the app's Search page reads them
to count its facets.

The build is timed in its parts, as the first search after a change does it: reading the store
(GraphStore.searchable_text), building the index, writing its file; then a new process's first search
reads the file back (forgetting the index held in memory stands for the new process).
"""

from __future__ import annotations

import time
from typing import Any

from govkg.bench.corpus import synthetic_corpus
from govkg.bench.queries_bench import latency_summary, percentile
from govkg.graph.store import GraphStore
from govkg.graph.text_index import build_index, save_index
from govkg.graph.text_index_cache import forget_indexes, index_for_store, index_path
from govkg.graph.text_search import search_from_store

__all__ = ["PAGE_HITS", "search_latency", "search_queries"]

PAGE_HITS = 500  # what the app's Search page reads for its facets (govkg/app/text_search_view.FACETED)


def _timed(store: GraphStore, query: str, top: int, repeats: int) -> list[float]:
    """Milliseconds of `repeats` searches for the `top` best hits."""
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        search_from_store(store, query, top=top)
        timings.append(1000 * (time.perf_counter() - start))
    return timings


def search_queries() -> dict[str, str]:
    """What each query stands for -> the query."""
    first = synthetic_corpus(1)[0]
    return {
        "a mechanism's full name": first.mechanism,
        "an organisation's name": first.organisation,
        "a street's short name (many zones share it)": first.zone_chain[-1],
        "a community's name": first.communities[0].name,
        "a name part most mechanisms hold": "议事会",
        "a common word": "社区",
        "evidence words": "加装电梯",
        "evidence words, longer": "困难家庭提供上门服务",
        "evidence words, traditional characters": "加裝電梯",
        "one character": "镇",
        "two terms": "邻里 议事",
        "a Lucene operator as a character": "网格*",
        "absent": "量子计算机",
    }


def search_latency(store: GraphStore, *, repeats: int = 20) -> dict[str, Any]:
    """The index's build (seconds, by part) and the latency in milliseconds of every query on `store`."""
    token = store.data_token()
    if token is None:
        raise ValueError("the benchmark needs a store that gives a data token (both engines do)")
    forget_indexes()
    start = time.perf_counter()
    source = store.searchable_text()
    read = time.perf_counter() - start
    start = time.perf_counter()
    index = build_index(source, token.version)
    build = time.perf_counter() - start
    path = index_path(token)
    start = time.perf_counter()
    save_index(index, path)
    save = time.perf_counter() - start
    del source, index
    forget_indexes()
    start = time.perf_counter()
    loaded = index_for_store(store)
    load = time.perf_counter() - start
    everything: list[float] = []
    paged: list[float] = []
    per_query: dict[str, Any] = {}
    for what, query in search_queries().items():
        hits = search_from_store(store, query)  # warm-up
        timings = _timed(store, query, 10, repeats)
        page = _timed(store, query, PAGE_HITS, repeats)
        everything += timings
        paged += page
        per_query[query] = {"what": what, "hits": len(hits), "p50_ms": round(percentile(timings, 50), 2),
                            "p95_ms": round(percentile(timings, 95), 2),
                            "page_p95_ms": round(percentile(page, 95), 2)}  # fmt: skip
    return {
        **latency_summary(per_query, everything),
        "page_hits": PAGE_HITS,
        "page_p50_ms": round(percentile(paged, 50), 2),
        "page_p95_ms": round(percentile(paged, 95), 2),
        "per_query": per_query,
        "index": {
            "read_seconds": round(read, 2),
            "build_seconds": round(build, 2),
            "write_seconds": round(save, 2),
            "load_seconds": round(load, 2),
            "file_mb": round(path.stat().st_size / (1 << 20), 1),
            "passages": loaded.passages,
            "postings": len(loaded.post_passage),
        },
    }
