"""The benchmark's `app_pages` step on tiny sizes: every page runs for each choice and the report names
the slowest against the target; no timing assertions. The documents come from bench/corpus.py:
SYNTHETIC, generated for benchmarking and testing."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from govkg.bench.app_pages import CHOICES
from govkg.bench.report import figures
from govkg.bench.run import MODES, run_step


def test_the_app_pages_step_times_each_page_for_each_choice(tmp_path: Path) -> None:
    before = {k: os.environ.get(k) for k in ("GOVKG_STORE", "GOVKG_DB")}
    step = run_step("app_pages", MODES["tiny"], tmp_path, None)
    assert {k: os.environ.get(k) for k in before} == before  # the step leaves the environment as it was
    assert step["status"] == "ok", step.get("error")
    result = step["result"]
    assert set(result["pages"]) == {"overview", "explore", "search", "similar", "families"}
    for page in result["pages"].values():
        assert page["choices"] == CHOICES and 0 < page["choice_p50_seconds"] <= page["choice_max_seconds"]
    assert result["choice_max_seconds"] == result["pages"][result["slowest"]]["choice_max_seconds"]
    report: dict[str, Any] = {"steps": {"app_pages": step}, "mode": "tiny", "mode_sizes": MODES["tiny"].__dict__}
    row = next(r for r in figures(report) if r["figure"].startswith("app pages"))
    assert row["met"] == (result["choice_max_seconds"] <= 2.0) and "smaller than the target" in row["figure"]
