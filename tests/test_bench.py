"""The benchmark command's pieces on tiny sizes: well-formed results, no timing assertions.

The documents here come from bench/corpus.py: SYNTHETIC, generated for benchmarking and testing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from repo import PROJECT_ROOT

from govkg.bench.corpus import LABEL, MARK, districts, synthetic_corpus, write_corpus
from govkg.bench.loaders_bench import embedded_load, load_rows
from govkg.bench.queries_bench import percentile, saved_query_latency
from govkg.bench.report import figures, render_table
from govkg.bench.run import MODES, STEPS, run_step
from govkg.graph.ladybug_store import LadybugStore
from govkg.graph.model import node_id, normalise_name
from govkg.loaders.extract import extract_paths
from govkg.loaders.text_extractor import extract_text


def test_corpus_is_deterministic_and_labelled_synthetic() -> None:
    first, again = synthetic_corpus(50, seed=7), synthetic_corpus(50, seed=7)
    assert [d.text for d in first] == [d.text for d in again]
    assert [d.text for d in synthetic_corpus(50, seed=8)] != [d.text for d in first]
    assert [d.text for d in synthetic_corpus(20, seed=7)] == [d.text for d in first[:20]]
    for doc in first:
        assert MARK in doc.text and "SYNTHETIC" in doc.text
        assert doc.metadata["label"] == LABEL and doc.metadata["synthetic"] is True


def test_corpus_zones_come_from_the_division_table() -> None:
    known = {(d.province, d.city, d.district) for d in districts()}
    assert len(known) > 1000  # county-level units of every province
    for doc in synthetic_corpus(30):
        assert doc.zone_chain[:3] in known


def test_extractor_finds_the_planted_zone_and_mechanism() -> None:
    for doc in synthetic_corpus(5, seed=11):
        graph = extract_text(doc.text, doc.name)
        assert graph.problems() == []
        ids = {n.id for n in graph.nodes}
        assert node_id("Zone", "".join(doc.zone_chain)) in ids
        mechanism = node_id("Mechanism", doc.mechanism)
        assert mechanism in ids
        zone = node_id("Zone", "".join(doc.zone_chain))
        assert any(e.type == "ADOPTS" and e.source == zone and e.target == mechanism for e in graph.edges)
        parts = {e.target for e in graph.edges if e.type == "HAS_PART" and e.source == mechanism}
        assert parts == {node_id("Mechanism", normalise_name(p)) for p in doc.parts}


def test_corpus_is_never_written_into_data(tmp_path: Path) -> None:
    docs = synthetic_corpus(3)
    with pytest.raises(ValueError):
        write_corpus(docs, PROJECT_ROOT / "data" / "synthetic")
    paths = write_corpus(docs, tmp_path / "corpus")
    assert [p.read_text(encoding="utf-8") for p in paths] == [d.text for d in docs]


def test_minimal_loader_and_raw_copy_write_the_same_graph_as_the_store(tmp_path: Path) -> None:
    result = embedded_load(12, tmp_path)
    assert result["same_counts"] is True  # the store, the minimal loader and the raw COPY: the same counts
    assert result["rows"] == result["store_rows_written"] > 0
    assert result["store_rows_per_second"] > 0 and result["minimal_rows_per_second"] > 0
    assert result["copy_rows_per_second"] > 0
    # the ratio of the unrounded times, the seconds shown rounded: equal within the rounding
    assert abs(result["ratio_to_copy"] - result["copy_seconds"] / result["store_seconds"]) < 0.002


def test_saved_query_latency_covers_every_query(tmp_path: Path) -> None:
    graph = extract_paths(write_corpus(synthetic_corpus(15), tmp_path / "corpus"))
    rows = load_rows(graph)
    assert rows.count > len(graph.nodes)  # documents and MENTIONS are rows too
    store = LadybugStore(tmp_path / "q.lbdb")
    try:
        store.write(graph)
        latency = saved_query_latency(store, values=2, repeats=1, calls=5)
    finally:
        store.close()
    # every query timed at least `calls` times, whatever number of values it offers (a p95 of few is their slowest)
    assert all(q["calls"] >= 5 for q in latency["per_query"].values())
    assert any(q["calls"] == 5 for q in latency["per_query"].values())  # one value (defaults), 5 repeats
    assert any(q["calls"] == 6 for q in latency["per_query"].values())  # two values, 3 repeats each
    assert latency["queries"] + len(latency["skipped_no_value_offered"]) == len(
        list((PROJECT_ROOT / "queries").glob("*.cypher"))
    )
    assert 0 < latency["p50_ms"] <= latency["p95_ms"]
    assert percentile([5.0, 1.0, 3.0, 2.0, 4.0], 50) == 3.0


# Every step, of both engines, runs at the tiny sizes in tests/test_wheel.py, from an installed wheel.


def test_report_marks_misses_and_failed_steps(tmp_path: Path) -> None:
    step = run_step("similarity", MODES["tiny"], tmp_path, None)
    report: dict[str, Any] = {
        "mode": "tiny",
        "mode_sizes": MODES["tiny"].__dict__,
        "command": "pytest",
        "started_at": "2026-01-01T00:00:00+00:00",
        "finished_at": "2026-01-01T00:00:01+00:00",
        "machine": {
            "nproc": 2,
            "cpu": "test",
            "ram": "1 GiB",
            "platform": "test",
            "python": "3.11",
            "ladybug": "0.22",
            "neo4j_server": "5.26",
            "load_average_1min_at_start": 0.0,
        },
        "steps": {"similarity": step, "neo4j_load": {"status": "failed", "error": "Neo4j could not start: no Java"}},
    }
    report["figures"] = figures(report)
    table = render_table(report)
    assert "| figure | baseline | ratio to baseline |" in table
    assert "Neo4j could not start: no Java" in table and "**FAILED**" in table
    similarity = next(r for r in report["figures"] if r["figure"].startswith("similarity"))
    assert similarity["ratio"] == step["result"]["ratio"]
    assert ("**NO**" in table) == any(r.get("met") is False for r in report["figures"])


def test_a_steps_peak_memory_is_its_own_not_its_parents() -> None:
    """Each step runs in its own process, started by the bench command; the peak it reports must not
    be the parent's (ru_maxrss keeps that across exec: a parent holding 600 MB made a child that had
    done nothing report 600 MB)."""
    import subprocess
    import sys

    held = bytearray(600 * 2**20)
    held[:: 4096] = b"\x01" * len(held[:: 4096])  # touched, so resident
    child = "from govkg.bench.run import own_peak_rss_mb; print(own_peak_rss_mb())"
    reported = float(subprocess.run([sys.executable, "-c", child], capture_output=True, text=True,
                                    check=True).stdout)  # fmt: skip
    del held
    assert 0 < reported < 300


def _sized_report(
    mode: str, documents: int, nodes: int, seconds: float, peak_mb: float, p95_ms: float
) -> dict[str, Any]:
    """A report of the given sizes and times (the report's own logic under test, not a measurement)."""
    measured: dict[str, Any] = {
        "documents": documents, "seconds": seconds, "seconds_per_document_ms": 1000 * seconds / documents,
        "stages_seconds": {"extract": seconds / 2, "similarity": seconds / 2}, "nodes": nodes}  # fmt: skip
    scale = {"status": "ok", "peak_rss_mb": peak_mb, "result": measured}
    small = {"status": "ok", "peak_rss_mb": 1.0, "result": {**measured, "documents": 1000}}
    queries = {"status": "ok", "peak_rss_mb": 1.0, "result": {
        "nodes": nodes, "queries": 1, "calls": 5, "p50_ms": p95_ms / 2, "p95_ms": p95_ms, "slowest": "q",
        "per_query": {"q": {"p95_ms": p95_ms}}}}  # fmt: skip
    return {"mode": mode, "mode_sizes": MODES[mode].__dict__,
            "steps": {"scale_small": small, "scale_large": scale, "queries_embedded": queries}}  # fmt: skip


def test_huge_mode_is_judged_by_the_huge_targets_and_shows_only_its_steps() -> None:
    assert set(MODES["huge"].steps) <= set(STEPS) and MODES["huge"].scale_large == 100_000
    rows = {r["figure"].split(" (")[0].split(",")[0]: r for r in figures(_sized_report("huge", 100_000, 990_000,
                                                                                      850.0, 7000.0, 250.0))}
    assert set(rows) == {"100", "time per document", "saved queries on embedded"}  # no row for a step not run
    assert rows["100"]["target"] == "< 900 s and < 8 GB" and rows["100"]["met"] is True
    assert rows["saved queries on embedded"]["target"] == "every query's p95 <= 300 ms at 1,000,000 nodes"
    assert rows["saved queries on embedded"]["met"] is True
    slow = {r["figure"][:5]: r for r in figures(_sized_report("huge", 100_000, 990_000, 950.0, 7000.0, 350.0))}
    assert slow["100,0"]["met"] is False and slow["saved"]["met"] is False
    # at the full mode's sizes the same figures keep the 10,000-document and 100,000-node targets
    full = {r["figure"][:25]: r for r in figures(_sized_report("full", 10_000, 99_000, 850.0, 7000.0, 250.0))}
    assert full["10,000 documents into the"]["target"] == "< 90 s and < 2 GB"
    assert full["10,000 documents into the"]["met"] is False
    assert full["saved queries on embedded"]["target"] == "every query's p95 <= 100 ms at 100,000 nodes"
    assert full["saved queries on embedded"]["met"] is False


def test_a_missed_load_says_which_half_of_its_target_it_missed() -> None:
    def why(seconds: float, peak_mb: float) -> str:
        (row,) = [r for r in figures(_sized_report("full", 10_000, 99_000, seconds, peak_mb, 60.0))
                  if r["figure"].startswith("10,000 documents")]  # fmt: skip
        assert row["met"] is False
        return str(row["why"])

    assert why(103.3, 2025.5).startswith("time over (103.3 s against 90), memory met (2,025.5 MB against 2,048)")
    assert why(80.0, 2100.0).startswith("time met, memory over (2,100.0 MB against 2,048)")


def test_saved_queries_miss_when_one_query_does_even_if_the_calls_together_do_not() -> None:
    report = _sized_report("full", 10_000, 99_000, 80.0, 1000.0, 60.0)
    for step in ("queries_embedded", "queries_neo4j"):
        result = {**report["steps"]["queries_embedded"]["result"], "slowest": "slow",
                  "per_query": {"q": {"p95_ms": 60.0}, "slow": {"p95_ms": 465.0}}}  # fmt: skip
        report["steps"][step] = {"status": "ok", "peak_rss_mb": 1.0, "result": result}
    rows = [r for r in figures(report) if r["figure"].startswith("saved queries")]
    assert len(rows) == 2  # the embedded store and Neo4j, the same target
    for row in rows:
        assert row["target"] == "every query's p95 <= 100 ms at 100,000 nodes" and row["met"] is False
        assert "slow p95 465 ms" in row["value"]


def test_a_missed_query_figure_gives_the_reason_of_each_query_over_the_target_not_another() -> None:
    report = _sized_report("full", 10_000, 99_000, 80.0, 1000.0, 60.0)
    timings = {"zones_without_mechanisms": {"p95_ms": 60.0}, "category_zones": {"p95_ms": 278.0},
               "evidence_search": {"p95_ms": 232.0}, "new_query": {"p95_ms": 120.0}}  # fmt: skip
    result = {**report["steps"]["queries_embedded"]["result"], "slowest": "category_zones", "per_query": timings}
    report["steps"]["queries_neo4j"] = {"status": "ok", "peak_rss_mb": 1.0, "result": result}
    (row,) = [r for r in figures(report) if r["figure"].startswith("saved queries on Neo4j")]
    why = row["why"]
    assert "zones_without_mechanisms" not in why  # within the target this run: not a reason
    named = [why.index(f"{name} (p95 ") for name in ("category_zones", "evidence_search", "new_query")]
    assert named == sorted(named)  # slowest first
    assert "every zone of the category (up to 14,460)" in why and "no reason recorded yet" in why
