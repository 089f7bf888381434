"""Scale benchmark: all-pairs top-10 zone similarity on a SYNTHETIC zone–mechanism graph.

    python -m bench.similarity_scale            # 10,000 zones, 50,000 mechanisms (about a minute)
    python -m bench.similarity_scale --quick    # an eighth of that (seconds)

The data is synthetic (bench/synthetic.py: seeded random links, not real data). Both methods start
from the same link list in the same run and compute the same thing, each zone's ten most similar
zones by Jaccard index (|A ∩ B| / |A ∪ B| over the mechanisms they adopt):

- fast: graph/similarity's `top_k_weighted_jaccard` (scipy sparse products, a block of rows at
  a time), the code `refresh_similarity` runs, building its matrix from the links;
- networkx: a bipartite graph from the links, `bipartite.overlap_weighted_projected_graph(...,
  jaccard=True)`, then each zone's ten heaviest edges.

The two top-10 lists are compared zone by zone (they must be equal). Three growth series show how
time grows with the number of zone–mechanism links: graphs of the same shape at 1/8, 1/4, 1/2
and all of the full size (both methods), once with the skewed popularity of bench/synthetic.py
(popular mechanisms are adopted by more zones as the graph grows, so co-adopting pairs grow
faster than links) and once with every mechanism equally likely (pairs grow with links); and
the full-size node counts with 2.5, 5, 10 and 20 links per zone (fast only: more links per zone
means quadratically more co-adopting pairs).
Results go to bench/results/similarity.json (or --output) and a table is printed.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import scipy
from networkx.algorithms import bipartite

from govkg.bench.synthetic import LABEL, SyntheticGraph, synthetic_graph
from govkg.graph.similarity import top_k_weighted_jaccard

TOP = 10
ZONES, MECHANISMS, LINKS_PER_ZONE = 10_000, 50_000, 5.0
SAME_SHAPE = (0.125, 0.25, 0.5, 1.0)
LINKS_SERIES = (2.5, 5.0, 10.0, 20.0)
SKEWED = 0.8  # popularity exponent of the main series (bench/synthetic.py's default)
DEFAULT_OUTPUT = Path(__file__).resolve().parent / "results" / "similarity.json"

Ranked = list[list[tuple[int, float]]]


def fast_top_k(graph: SyntheticGraph) -> Ranked:
    return top_k_weighted_jaccard(graph.matrix(), k=TOP)


def networkx_top_k(graph: SyntheticGraph) -> Ranked:
    b = nx.Graph()
    zones = list(range(graph.n_zones))
    b.add_nodes_from(zones, bipartite=0)
    b.add_edges_from(zip(graph.zone.tolist(), (graph.mechanism + graph.n_zones).tolist(), strict=True))
    projected = bipartite.overlap_weighted_projected_graph(b, zones, jaccard=True)
    ranked: Ranked = []
    for z in zones:
        neighbours = sorted((-data["weight"], v) for v, data in projected[z].items() if v != z)
        ranked.append([(v, -w) for w, v in neighbours[:TOP]])
    return ranked


def timed(run: Callable[[SyntheticGraph], Ranked], graph: SyntheticGraph, repeats: int) -> tuple[float, Ranked]:
    """Best wall time of `repeats` runs (the machine is shared), and the last answer."""
    best, answer = math.inf, []
    for _ in range(repeats):
        start = time.perf_counter()
        answer = run(graph)
        best = min(best, time.perf_counter() - start)
    return best, answer


def measure(graph: SyntheticGraph, *, with_networkx: bool, repeats: int) -> dict[str, Any]:
    fast_seconds, fast = timed(fast_top_k, graph, repeats)
    row: dict[str, Any] = {
        "zones": graph.n_zones,
        "mechanisms": graph.n_mechanisms,
        "links": graph.links,
        "co_adopting_pairs": graph.co_adopting_pairs(),
        "fast_seconds": round(fast_seconds, 4),
        "fast_microseconds_per_link": round(1e6 * fast_seconds / graph.links, 3),
    }
    row["fast_nanoseconds_per_pair"] = round(1e9 * fast_seconds / max(row["co_adopting_pairs"], 1), 2)
    if with_networkx:
        nx_seconds, slow = timed(networkx_top_k, graph, 1)
        row["networkx_seconds"] = round(nx_seconds, 4)
        row["networkx_microseconds_per_link"] = round(1e6 * nx_seconds / graph.links, 3)
        row["ratio"] = round(nx_seconds / fast_seconds, 1)
        row["same_top_k"] = fast == slow
    return row


def growth_exponent(rows: list[dict[str, Any]], key: str) -> float:
    """The slope of log(time) against log(links): 1 is linear growth."""
    x = np.log([r["links"] for r in rows])
    y = np.log([r[key] for r in rows])
    return round(float(np.polyfit(x, y, 1)[0]), 2)


def run(quick: bool, seed: int, repeats: int) -> dict[str, Any]:
    scale = 0.125 if quick else 1.0
    zones, mechanisms = int(ZONES * scale), int(MECHANISMS * scale)

    def shape_series(exponent: float) -> list[dict[str, Any]]:
        return [
            measure(
                synthetic_graph(int(zones * f), int(mechanisms * f), LINKS_PER_ZONE, exponent=exponent, seed=seed),
                with_networkx=True,
                repeats=repeats,
            )
            for f in SAME_SHAPE
        ]

    same_shape = shape_series(SKEWED)
    uniform = shape_series(0.0)
    by_links = [
        measure(
            synthetic_graph(zones, mechanisms, links, exponent=SKEWED, seed=seed), with_networkx=False, repeats=repeats
        )
        for links in LINKS_SERIES
    ]
    headline = same_shape[-1]
    return {
        "label": LABEL,
        "question": f"all-pairs top-{TOP} Jaccard similarity of zones over the mechanisms they adopt",
        "quick": quick,
        "seed": seed,
        "repeats_fast": repeats,
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "networkx": nx.__version__,
        },
        "headline": headline,
        "same_shape": same_shape,
        "popularity_exponent": SKEWED,
        "same_shape_growth_exponent": {
            "fast": growth_exponent(same_shape, "fast_seconds"),
            "networkx": growth_exponent(same_shape, "networkx_seconds"),
            "co_adopting_pairs": growth_exponent(same_shape, "co_adopting_pairs"),
        },
        "same_shape_uniform": uniform,
        "same_shape_uniform_growth_exponent": {
            "fast": growth_exponent(uniform, "fast_seconds"),
            "networkx": growth_exponent(uniform, "networkx_seconds"),
            "co_adopting_pairs": growth_exponent(uniform, "co_adopting_pairs"),
        },
        "links_per_zone": [{"links_per_zone": n, **row} for n, row in zip(LINKS_SERIES, by_links, strict=True)],
        "links_per_zone_growth_exponent": {
            "fast": growth_exponent(by_links, "fast_seconds"),
            "co_adopting_pairs": growth_exponent(by_links, "co_adopting_pairs"),
        },
    }


def _shape_table(title: str, rows: list[dict[str, Any]], growth: dict[str, float]) -> list[str]:
    lines = [
        "",
        title,
        f"{'zones':>7} {'mechs':>7} {'links':>8} {'pairs':>10} {'fast s':>8} {'us/link':>8} {'ns/pair':>8}"
        f" {'networkx s':>11} {'us/link':>8} {'ratio':>6} {'same':>5}",
    ]
    for r in rows:
        lines.append(
            f"{r['zones']:>7} {r['mechanisms']:>7} {r['links']:>8} {r['co_adopting_pairs']:>10} "
            f"{r['fast_seconds']:>8.3f} {r['fast_microseconds_per_link']:>8.2f} {r['fast_nanoseconds_per_pair']:>8.1f}"
            f" {r['networkx_seconds']:>11.2f} {r['networkx_microseconds_per_link']:>8.1f} {r['ratio']:>6.1f}"
            f" {'yes' if r['same_top_k'] else 'NO':>5}"
        )
    lines.append(
        f"time ~ links^k: fast k = {growth['fast']}, networkx k = {growth['networkx']}"
        f" (co-adopting pairs grow as links^{growth['co_adopting_pairs']})"
    )
    return lines


def table(results: dict[str, Any]) -> str:
    lines = [
        f"{results['label']}",
        f"all-pairs top-{TOP} similarity; fast = graph.similarity (scipy sparse), networkx = overlap-weighted"
        " bipartite projection",
    ]
    lines += _shape_table(
        f"graphs of one shape, skewed popularity (exponent {results['popularity_exponent']}):",
        results["same_shape"],
        results["same_shape_growth_exponent"],
    )
    lines += _shape_table(
        "graphs of one shape, every mechanism equally likely:",
        results["same_shape_uniform"],
        results["same_shape_uniform_growth_exponent"],
    )
    lines += [
        "",
        "full-size node counts, skewed popularity, more links per zone (fast only):",
        f"{'links/zone':>10} {'links':>8} {'pairs':>10} {'fast s':>8} {'us/link':>8} {'ns/pair':>8}",
    ]
    for r in results["links_per_zone"]:
        lines.append(
            f"{r['links_per_zone']:>10} {r['links']:>8} {r['co_adopting_pairs']:>10} {r['fast_seconds']:>8.3f}"
            f" {r['fast_microseconds_per_link']:>8.2f} {r['fast_nanoseconds_per_pair']:>8.1f}"
        )
    g = results["links_per_zone_growth_exponent"]
    lines.append(
        f"time ~ links^k at fixed node counts: fast k = {g['fast']} (pairs grow as links^{g['co_adopting_pairs']})"
    )
    h = results["headline"]
    lines += [
        "",
        f"headline: {h['zones']:,} zones, {h['mechanisms']:,} mechanisms, {h['links']:,} links: fast "
        f"{h['fast_seconds']:.3f} s, networkx {h['networkx_seconds']:.2f} s, {h['ratio']}x faster, same top-{TOP}: "
        f"{'yes' if h['same_top_k'] else 'NO'}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="an eighth of the full size, for a quick check")
    parser.add_argument("--seed", type=int, default=2018, help="seed of the synthetic graph")
    parser.add_argument("--repeats", type=int, default=3, help="runs of the fast method (the best is kept)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="where to write the JSON results")
    args = parser.parse_args(argv)
    results = run(args.quick, args.seed, args.repeats)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(table(results))
    print(f"\nwritten to {args.output}")
    compared = results["same_shape"] + results["same_shape_uniform"]
    return 0 if all(r["same_top_k"] for r in compared) else 1


if __name__ == "__main__":
    raise SystemExit(main())
