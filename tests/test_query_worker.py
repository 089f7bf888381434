"""Ad-hoc and saved queries run in a worker process (govkg/app/query_worker.py, issue 11): a read that
needs too much memory is refused there, and a worker that dies (killed as the out-of-memory killer
would, or by a segfault) or overruns its deadline is replaced, so the next query runs. Real stores and
real processes; the worker is killed from outside, as the kernel would."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from app_testing import run, write_store
from test_saved_queries import CAPPED

from govkg.app.query_worker import QueryWorker
from govkg.errors import QueryError, QueryStopped, ReadOnlyViolation
from govkg.graph.factory import StoreSettings
from govkg.graph.ladybug_store import LadybugStore
from govkg.graph.model import GraphDocument
from govkg.graph.read_limits import memory_limited
from govkg.graph.saved_queries import run_saved_query

HOSTILE = "UNWIND range(1, 100000000000) AS x RETURN count(x)"  # reached 5.6 GB in 8 s and killed the app
SLOW = ("UNWIND range(1, 100000) AS x UNWIND range(1, 100000) AS y WITH x, y WHERE (x * y) % 7 = 3 "
        "RETURN count(*)")  # runs until the engine's 30 s timeout


@pytest.fixture()
def worker(tmp_path: Path, small_graph: GraphDocument) -> Iterator[QueryWorker]:
    db = write_store(tmp_path / "worker.lbdb", small_graph)
    running = QueryWorker(StoreSettings(engine="embedded", db_path=db))
    yield running
    running.close()


def _zones(worker: QueryWorker) -> int:
    return int(worker.read("MATCH (z:Zone) RETURN count(z) AS n").rows[0][0])


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_reads_and_saved_queries_run_in_the_worker(worker: QueryWorker) -> None:
    assert _zones(worker) == 7
    assert worker.pid is not None and worker.pid != os.getpid()
    rows = run_saved_query(worker, "zone_mechanisms", {"zone": "甲市东街道"}).rows
    assert rows and all(isinstance(row, list) for row in rows)
    assert worker.counts()["Zone"] == 7
    with pytest.raises(ReadOnlyViolation):  # the guard's refusal comes back as the same error
        worker.read("CREATE (z:Zone {id: 'x'})")
    assert _zones(worker) == 7


@pytest.mark.parametrize("name", sorted(CAPPED))
@pytest.mark.parametrize("skip", [10**6, 10**9])
def test_a_page_past_the_end_is_empty_and_the_worker_lives(worker: QueryWorker, name: str, skip: int) -> None:
    """LadybugDB 0.22 reads outside its sorted rows, and dies (SIGSEGV), when one ORDER BY clause both
    skips and limits (its TOP_K) and the skip passes the last row by a block or more; the CLI runs
    saved queries in its own process. A saved query that pages skips in one clause and limits in the
    next (an ORDER BY then a SKIP): past the end, no rows."""
    pid = worker.pid
    assert run_saved_query(worker, name, {**CAPPED[name], "skip": skip}).rows == []
    assert worker.pid == pid, "the worker died and was replaced"
    assert run_saved_query(worker, name, CAPPED[name]).rows  # the first page is not empty


def test_an_ad_hoc_skip_that_could_crash_the_engine_is_refused_and_the_worker_lives(worker: QueryWorker) -> None:
    """The same flaw in a researcher's own query: an ORDER BY that skips a whole block of sorted rows
    and limits in one clause is refused with the rewrite that is safe; a small skip runs as written,
    and a skip given as a parameter is checked at every call, not only at the first."""
    pid = worker.pid
    fused = "MATCH (z:Zone) RETURN z.name AS name ORDER BY name SKIP $skip LIMIT 5"
    assert len(worker.read(fused, {"skip": 2}).rows) == 5  # a plan checked once, and cached
    for cypher, params in [(fused, {"skip": 10**6}), (fused.replace("$skip", "1000000"), {}),
                           ("UNWIND range(1, 10) AS x RETURN DISTINCT x ORDER BY x SKIP 15420 LIMIT 5", {})]:
        with pytest.raises(QueryError, match="LIMIT in a clause of its own"):
            worker.read(cypher, params)
    split = "MATCH (z:Zone) WITH z.name AS name ORDER BY name SKIP $skip RETURN name LIMIT 5"
    assert worker.read(split, {"skip": 10**6}).rows == []
    assert worker.read(split, {"skip": 2}).rows == worker.read(fused, {"skip": 2}).rows
    assert worker.pid == pid, "the worker died and was replaced"


def test_a_read_needing_too_much_memory_is_refused_and_the_worker_stays(worker: QueryWorker) -> None:
    _zones(worker)
    pid = worker.pid
    started = time.monotonic()
    with pytest.raises(QueryStopped, match="more memory than a read may take") as refused:
        worker.read(HOSTILE)
    assert refused.value.reason == "memory"
    assert time.monotonic() - started < 10
    assert "\n" not in str(refused.value)
    assert worker.pid == pid and _zones(worker) == 7  # refused inside the worker: no restart needed


@pytest.mark.parametrize("kill_with", [signal.SIGKILL, signal.SIGSEGV], ids=["oom-killer", "segfault"])
def test_a_worker_that_dies_mid_query_is_replaced(worker: QueryWorker, kill_with: signal.Signals) -> None:
    _zones(worker)
    pid = worker.pid
    assert pid is not None
    threading.Timer(1.0, os.kill, (pid, kill_with)).start()  # while SLOW runs
    started = time.monotonic()
    with pytest.raises(QueryStopped, match=f"stopped the process running it \\(signal {kill_with.name}\\)") as died:
        worker.read(SLOW)
    assert died.value.reason == "crashed" and time.monotonic() - started < 15
    assert not _alive(pid)
    assert _zones(worker) == 7  # the next query runs on a fresh worker
    assert worker.pid not in (None, pid)


def test_a_read_past_the_deadline_is_killed_and_the_next_runs(tmp_path: Path, small_graph: GraphDocument) -> None:
    db = write_store(tmp_path / "deadline.lbdb", small_graph)
    worker = QueryWorker(StoreSettings(engine="embedded", db_path=db), deadline=3.0)
    try:
        _zones(worker)
        pid = worker.pid
        assert pid is not None
        started = time.monotonic()
        with pytest.raises(QueryStopped, match="longer than 3 s") as stopped:
            worker.read(SLOW)
        assert stopped.value.reason == "deadline" and time.monotonic() - started < 10
        assert not _alive(pid)
        assert _zones(worker) == 7
    finally:
        worker.close()


def test_closing_the_worker_ends_its_process(worker: QueryWorker) -> None:
    _zones(worker)
    pid = worker.pid
    assert pid is not None
    worker.close()
    assert not _alive(pid)


def test_memory_limited_refuses_a_full_buffer_pool_and_restores_the_limit(
    small_store: LadybugStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    import resource

    import govkg.graph.ladybug_store as ladybug_store_module

    monkeypatch.setattr(ladybug_store_module, "READ_BUFFER_POOL", 256 << 20)
    monkeypatch.setattr(ladybug_store_module, "_read_pool", lambda path: 256 << 20)
    small_store._close_reader()
    small_store.read("RETURN 1")  # reopened with the small pool, outside the limit (opening reserves address space)
    before = resource.getrlimit(resource.RLIMIT_DATA)
    with pytest.raises(QueryStopped, match="more memory than a read may take"), memory_limited():
        small_store.read("UNWIND range(1, 20000) AS x UNWIND range(1, 20000) AS y RETURN size(collect(x * y))")
    assert resource.getrlimit(resource.RLIMIT_DATA) == before
    with memory_limited():
        assert small_store.read("MATCH (z:Zone) RETURN count(z)").rows == [[7]]


def test_the_saved_queries_page_shows_the_refusal_and_goes_on(small_db: Path, fresh_streamlit_caches: None) -> None:
    at = run("pages/3_Saved_queries.py")
    at.text_area(key="cypher").input(HOSTILE).run()
    at.button(key="run_cypher").click().run()
    assert not at.exception, [e.value for e in at.exception]
    shown = "\n".join(str(e.value) for e in at.error)
    assert "查询所需的内存超过单次读取的上限" in shown and "more memory than a read may take" in shown
    at.text_area(key="cypher").input("MATCH (z:Zone) RETURN count(z) AS zones").run()
    at.button(key="run_cypher").click().run()
    assert not at.error and at.dataframe[0].value["zones"].tolist() == [7]
