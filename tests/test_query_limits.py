"""Ad-hoc reads have limits on the embedded store (issue 11): a query nested deep enough to crash a
parser is refused before it reaches one, a long-running read is stopped with a message, and a read
that would take the machine's memory ends in one line (the buffer pool and the process's memory
limit; govkg/app/query_worker.py)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import govkg.graph.ladybug_store as ladybug_store_module
from govkg.errors import QueryError
from govkg.graph.cypher_guard import MAX_NESTING, MAX_QUERY_CHARS
from govkg.graph.ladybug_store import LadybugStore

GOVKG = str(Path(sys.executable).with_name("govkg"))


def test_deep_nesting_and_huge_queries_never_reach_the_parser(small_store: LadybugStore) -> None:
    with pytest.raises(QueryError, match="nests brackets"):
        small_store.read("RETURN " + "[" * 1_000 + "1" + "]" * 1_000)  # once crashed the whole process
    with pytest.raises(QueryError, match="characters long"):
        small_store.read("RETURN 1 " + " " * MAX_QUERY_CHARS)
    nested = "RETURN " + "[" * (MAX_NESTING // 2) + "1" + "]" * (MAX_NESTING // 2) + " AS x"
    assert small_store.read(nested).rows  # ordinary nesting still runs


def test_a_long_read_is_stopped_with_a_message(small_store: LadybugStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ladybug_store_module, "READ_TIMEOUT", 1.0)
    small_store._close_reader()  # the next read opens a reader with the shorter limit
    started = time.monotonic()
    with pytest.raises(QueryError, match="ran longer than 1 s"):
        small_store.read(
            "UNWIND range(1, 100000) AS x UNWIND range(1, 100000) AS y WITH x, y WHERE (x * y) % 7 = 3 "
            "RETURN count(*)"
        )
    assert time.monotonic() - started < 20


def _run_watched(args: list[str], bound_mb: int) -> tuple[subprocess.CompletedProcess[str], int, float]:
    """Run `args`, sampling its resident memory every 20 ms and killing it past `bound_mb`; the result,
    the peak in MB and the seconds it took."""
    started = time.monotonic()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0
    while process.poll() is None:
        status_file = f"/proc/{process.pid}/status"
        with contextlib.suppress(OSError, StopIteration), open(status_file, encoding="ascii") as status:
            peak = max(peak, int(next(line for line in status if line.startswith("VmRSS:")).split()[1]) // 1024)
        if peak > bound_mb:
            process.kill()
        time.sleep(0.02)
    stderr = process.stderr.read() if process.stderr else ""
    return subprocess.CompletedProcess(args, process.returncode, "", stderr), peak, time.monotonic() - started


def test_a_read_that_would_eat_the_memory_ends_in_one_line(small_store: LadybugStore) -> None:
    small_store.close()
    hostile = "UNWIND range(1, 100000000000) AS x RETURN count(x)"  # reached 17 GB, then crashed the process
    done, peak_mb, seconds = _run_watched([GOVKG, "cypher", hostile, "--db", str(small_store.path)], 1500)
    assert done.returncode == 1, (done.returncode, done.stderr)
    assert done.stderr.strip().count("\n") == 0
    assert "more memory than a read may take" in done.stderr and "LIMIT" in done.stderr
    assert peak_mb < 1500 and seconds < 30
    ordinary, _, _ = _run_watched([GOVKG, "query", "zones_overview", "--db", str(small_store.path)], 1500)
    assert ordinary.returncode == 0, ordinary.stderr


def test_the_read_only_buffer_pool_grows_with_the_file(tmp_path: Path) -> None:
    small = tmp_path / "small.lbdb"
    small.write_bytes(b"x")
    assert ladybug_store_module._read_pool(small) == ladybug_store_module.READ_BUFFER_POOL
    large = tmp_path / "large.lbdb"
    with large.open("wb") as handle:
        handle.truncate(1 << 30)  # sparse: a 1 GB file takes no disk
    machine = 0.8 * os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    assert ladybug_store_module._read_pool(large) == min(8 << 30, int(machine))
