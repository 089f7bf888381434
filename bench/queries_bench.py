"""Saved-query latency: every saved query (queries/*.cypher), p50 and p95, on a loaded store.

Each query runs with values its own parameter forms offer (`param_choices`, the first few of a
seeded shuffle; queries without choices run with their defaults), each value a few times after
one warm-up run, through `run_saved_query`: the path the CLI and the app take, row conversion
included. Latency is wall time per call. Each query is timed at least `calls` times in all (more
repeats of each value when it has few): a nearest-rank p95 of fewer than 20 calls is their slowest,
one stall of a shared machine.
"""

from __future__ import annotations

import math
import random
import statistics
import time
from pathlib import Path
from typing import Any

from govkg.graph.saved_queries import load_saved_queries, param_choices, run_saved_query
from govkg.graph.store import GraphStore
from govkg.resources import QUERIES_DIR

__all__ = ["percentile", "saved_query_latency"]


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100), nearest-rank: a value that was actually measured."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def latency_summary(per_query: dict[str, dict[str, Any]], everything: list[float]) -> dict[str, Any]:
    """Calls, p50, p95 and mean over every timing (ms), and the query with the highest p95."""
    return {
        "queries": len(per_query),
        "calls": len(everything),
        "p50_ms": round(percentile(everything, 50), 2),
        "p95_ms": round(percentile(everything, 95), 2),
        "mean_ms": round(statistics.fmean(everything), 2),
        "slowest": max(per_query, key=lambda n: per_query[n]["p95_ms"]),
    }


def _parameter_sets(store: GraphStore, query: Any, values: int, rng: random.Random) -> list[dict[str, Any]]:
    """Up to `values` parameter sets: each parameter that offers choices takes one of them; none
    when a required parameter offers no choice (the query cannot run without a typed value)."""
    offered: dict[str, list[Any]] = {}
    for param in query.params:
        choices = param_choices(store, query, param.name, limit=500)
        if choices:
            rng.shuffle(choices)
            offered[param.name] = choices
        elif param.required:
            return []
    if not offered:
        return [{}]
    return [{name: choices[i % len(choices)] for name, choices in offered.items()} for i in range(values)]


def saved_query_latency(
    store: GraphStore, *, values: int = 5, repeats: int = 3, calls: int = 20, seed: int = 2018,
    folder: Path = QUERIES_DIR,
) -> dict[str, Any]:
    """Latency in milliseconds of every saved query on `store`: overall and per query p50/p95.
    `folder` holds the queries (another folder: an earlier version of them, as a baseline)."""
    rng = random.Random(seed)
    everything: list[float] = []
    per_query: dict[str, Any] = {}
    skipped: list[str] = []
    queries = load_saved_queries(folder)
    # The bundled queries are looked up by name on every call, as the CLI and the app do.
    given = None if folder == QUERIES_DIR else queries
    for name, query in sorted(queries.items()):
        timings: list[float] = []
        rows = 0
        sets = _parameter_sets(store, query, values, rng)
        if not sets:
            skipped.append(name)
            continue
        each = max(repeats, math.ceil(calls / len(sets)))
        for params in sets:
            run_saved_query(store, name, params, queries=given)  # warm-up: caches and plans, not measured
            for _ in range(each):
                start = time.perf_counter()
                result = run_saved_query(store, name, params, queries=given)
                timings.append(1000 * (time.perf_counter() - start))
                rows = max(rows, len(result.rows))
        everything += timings
        per_query[name] = {
            "calls": len(timings),
            "p50_ms": round(percentile(timings, 50), 2),
            "p95_ms": round(percentile(timings, 95), 2),
            "max_rows": rows,
        }
    return {
        **latency_summary(per_query, everything),
        "skipped_no_value_offered": skipped,
        "per_query": per_query,
    }
