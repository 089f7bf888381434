"""A long load is never silent (issue 14): `govkg load` says on stderr how many files it has read, the
share, an estimate of the time left and each later stage; the load service tells any caller the same."""

from __future__ import annotations

import io
import re
from pathlib import Path

from test_cli import govkg

from govkg.cli.progress import LoadProgress
from govkg.graph.factory import StoreSettings
from govkg.resources import BUNDLED_CASES_DIR
from govkg.services.loading import load_paths

CASE_FILES = sorted(p for p in BUNDLED_CASES_DIR.iterdir() if p.suffix == ".yaml")


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_files_read_are_said_at_most_once_a_second_with_the_time_left() -> None:
    out, clock = io.StringIO(), FakeClock()
    progress = LoadProgress(out, live=False, clock=clock)
    for done in range(1, 301):  # 300 files at 0.05 s each: 15 s
        clock.now += 0.05
        progress("extract", done, 300)
    progress("write", 0, 0)
    lines = out.getvalue().splitlines()
    reads = [line for line in lines if line.startswith("read ")]
    assert reads[0] == "read 1/300 files (0%)"  # said at once, no estimate from the first file alone
    assert reads[-1] == "read 300/300 files (100%)"
    assert 14 <= len(reads) <= 17  # about one a second over 15 s, and the last
    # An estimate once a tenth of the files is read (the first ones also load the tables).
    later = [r for r in reads[:-1] if int(r.split()[1].split("/")[0]) >= 30]
    assert all("left" not in r for r in reads if r not in later)
    estimates = [re.fullmatch(r"read (\d+)/300 files \(\d+%\), about (\d+) s left", r) for r in later]
    assert estimates and all(estimates), reads
    for found in estimates:
        assert found is not None
        done, left = int(found[1]), int(found[2])
        assert abs(left - 0.05 * (300 - done)) <= 0.51  # the rate so far times the files still to read
    assert lines[-1] == "writing (one transaction) … (15 s so far)"


def test_a_live_line_is_rewritten_in_place_and_ended_once() -> None:
    out, clock = io.StringIO(), FakeClock()
    progress = LoadProgress(out, live=True, clock=clock)
    for done in (1, 2):
        clock.now += 2
        progress("extract", done, 2)
    progress.close()
    text = out.getvalue()
    assert text.count("\r") == 2 and text.endswith("\n") and text.count("\n") == 1


def test_the_load_service_tells_each_file_then_each_stage(tmp_path: Path) -> None:
    seen: list[tuple[str, int, int]] = []
    load_paths(StoreSettings(db_path=tmp_path / "govkg.lbdb"), CASE_FILES, progress=lambda *e: seen.append(e))
    files = len(CASE_FILES)
    assert seen[:files] == [("extract", n, files) for n in range(1, files + 1)]
    assert [stage for stage, _, _ in seen[files:]] == ["resolve", "write", "similarity"]


def test_govkg_load_says_how_it_goes_when_asked_and_is_quiet_in_a_pipe_otherwise(tmp_path: Path) -> None:
    db = tmp_path / "govkg.lbdb"
    told = govkg("load", *map(str, CASE_FILES[:4]), "--progress", db=db).stderr
    assert "read 4/4 files (100%)" in told and "writing (one transaction)" in told
    assert "refreshing similar zones" in told
    quiet = govkg("load", *map(str, CASE_FILES[:4]), db=db).stderr  # stderr is a pipe here: no progress
    assert "read " not in quiet and "writing" not in quiet
