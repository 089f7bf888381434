"""The benchmark's `search` step on tiny sizes: well-formed results and report lines, no timing assertions.
The documents come from bench/corpus.py: SYNTHETIC, generated for benchmarking and testing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from govkg.app.text_search_view import FACETED
from govkg.bench.report import figures, render_table
from govkg.bench.run import MODES, run_step
from govkg.bench.search_bench import search_queries


def test_the_search_step_times_every_query_and_the_index_build(tmp_path: Path) -> None:
    step = run_step("search", MODES["tiny"], tmp_path, None)
    result = step["result"]
    assert step["status"] == "ok" and result["nodes"] > 0
    assert set(result["per_query"]) == set(search_queries().values())
    assert result["calls"] == result["queries"] * MODES["tiny"].search_repeats
    assert 0 < result["p50_ms"] <= result["p95_ms"]
    assert result["page_hits"] == FACETED and 0 < result["page_p50_ms"] <= result["page_p95_ms"]  # the Search page
    hits = {q: v["hits"] for q, v in result["per_query"].items()}
    assert hits["量子计算机"] == 0 and hits["网格*"] == 0
    assert hits[search_queries()["a mechanism's full name"]] > 0
    assert hits["加裝電梯"] == hits["加装电梯"] > 0  # the traditional form finds the simplified text
    index = result["index"]
    assert index["passages"] > 0 and index["postings"] > 0 and index["file_mb"] >= 0
    assert (tmp_path / f"scale-{MODES['tiny'].scale_large}.lbdb.search").exists()

    report: dict[str, Any] = {
        "mode": "tiny", "mode_sizes": MODES["tiny"].__dict__, "command": "govkg bench --tiny",
        "started_at": "2026-01-01T00:00:00+00:00", "finished_at": "2026-01-01T00:00:01+00:00",
        "machine": {"nproc": 2, "cpu": "test", "ram": "1 GiB", "platform": "test", "python": "3.11",
                    "ladybug": "0.22", "neo4j_server": "5.26", "load_average_1min_at_start": 0.0},
        "steps": {"search": step},
    }  # fmt: skip
    report["figures"] = figures(report)
    row = next(r for r in report["figures"] if r["figure"].startswith("full-text search on embedded ("))
    assert row["met"] == (max(result["p95_ms"], result["page_p95_ms"]) <= 100)
    assert "smaller than the target" in row["figure"] and f"{FACETED} hits" in row["value"]
    table = render_table(report)
    assert "## Full-text search" in table and "`加裝電梯`" in table and "govkg bench --tiny" in table
    assert table.index("## Full-text search") < table.index("## Missed targets and failed steps")
