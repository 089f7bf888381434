"""The project's own Neo4j: fetching, start, status from another process, stop, stale state, failures.

These start real servers in throwaway homes under tmp_path (the jars are cached in .neo4j/).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import GraphDatabase
from neo4j_fixture import neo4j_unavailable

from govkg.errors import StoreError
from govkg.graph.neo4j_store import Neo4jStore
from govkg.neo4j_server import server as neo4j_server
from govkg.neo4j_server.server import ServerInfo, remove_home, server_status, start_server, state_file, stop_server

pytestmark = pytest.mark.neo4j


@pytest.fixture()
def home(tmp_path: Path) -> Iterator[Path]:
    """A throwaway server home; whatever runs there is stopped afterwards."""
    path = tmp_path / "neo4j-home"
    yield path
    remove_home(path)


def _started(home: Path, **kwargs: object) -> ServerInfo:
    try:
        return start_server(home=home, **kwargs)  # type: ignore[arg-type]
    except StoreError as err:
        if "Maven" in str(err) or "Java" in str(err):
            neo4j_unavailable(str(err))
        raise


def _status_from_another_process(home: Path) -> dict[str, object] | None:
    code = textwrap.dedent(
        f"""
        import json
        from pathlib import Path
        from govkg.neo4j_server.server import server_status
        info = server_status(Path({str(home)!r}))
        print(json.dumps(None if info is None else json.loads(info.to_json())))
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_start_status_stop_across_processes_and_restart_keeps_the_data(home: Path) -> None:
    port = _free_port()
    info = _started(home, port=port)
    assert info.uri == f"bolt://127.0.0.1:{port}"
    assert info.home == home.resolve() and info.port == port and info.auth_enabled

    # `start` returned only once the server answers, with its generated password.
    with GraphDatabase.driver(info.uri, auth=info.auth) as driver:
        records, _, _ = driver.execute_query("RETURN 40 + 2 AS answer")
        driver.execute_query("CREATE (:Zone {id: 'zone:kept', name: 'written for testing'})")
    assert records[0]["answer"] == 42

    # Another process (as `govkg neo4j status` would be) sees the same server through the state file.
    seen = _status_from_another_process(home)
    assert seen is not None and seen["pid"] == info.pid and seen["uri"] == info.uri

    # Starting again returns the running server instead of a second one.
    assert start_server(home=home) == info
    with pytest.raises(StoreError, match=f"already running on port {port}"):
        start_server(home=home, port=_free_port())

    stopped = stop_server(home)
    assert stopped == info
    assert server_status(home) is None
    assert not state_file(home).exists()
    assert not _port_open(port)
    assert not Path(f"/proc/{info.pid}").exists()
    assert _status_from_another_process(home) is None
    assert stop_server(home) is None  # stopping twice is harmless

    # The home keeps its data across a restart; `fresh` wipes it.
    again = _started(home)
    assert again.password == info.password  # the home keeps its password across a restart
    with GraphDatabase.driver(again.uri, auth=again.auth) as driver:
        records, _, _ = driver.execute_query("MATCH (z:Zone) RETURN z.id AS id")
    assert [r["id"] for r in records] == ["zone:kept"]
    stop_server(home)
    wiped = _started(home, fresh=True)
    with GraphDatabase.driver(wiped.uri, auth=wiped.auth) as driver:
        records, _, _ = driver.execute_query("MATCH (n) RETURN count(n) AS n")
    assert records[0]["n"] == 0


def test_state_left_by_a_dead_server_is_cleaned(tmp_path: Path) -> None:
    home = tmp_path / "stale"
    home.mkdir()
    gone = subprocess.Popen(["true"])
    gone.wait()
    state_file(home).write_text(ServerInfo("bolt://127.0.0.1:1", gone.pid, home, 1).to_json(), encoding="utf-8")
    assert server_status(home) is None
    assert not state_file(home).exists()


def test_a_reused_pid_is_not_taken_for_the_server(tmp_path: Path) -> None:
    # The pid is alive but belongs to another program (here: this test process).
    home = tmp_path / "reused"
    home.mkdir()
    state_file(home).write_text(ServerInfo("bolt://127.0.0.1:1", os.getpid(), home, 1).to_json(), encoding="utf-8")
    assert server_status(home) is None
    assert stop_server(home) is None
    assert not state_file(home).exists()


def test_a_corrupt_state_file_names_itself(tmp_path: Path) -> None:
    home = tmp_path / "corrupt"
    home.mkdir()
    state_file(home).write_text("{not json", encoding="utf-8")
    with pytest.raises(StoreError, match=r"govkg-server\.json"):
        server_status(home)


def test_a_busy_port_is_refused_with_its_number(home: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(StoreError, match=f"port {port} .*already in use"):
            _started(home, port=port)
    assert server_status(home) is None


def test_a_server_that_exits_early_reports_its_status_and_log(home: Path) -> None:
    # Neo4j validates settings strictly: an unknown one stops it before Bolt opens.
    with pytest.raises(StoreError) as caught:
        _started(home, settings={"server.govkg_no_such_setting": "1"}, timeout=120)
    message = str(caught.value)
    assert "exited with status" in message
    assert "console.log" in message and "govkg_no_such_setting" in message
    assert server_status(home) is None


def test_without_maven_the_fetch_says_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "empty-cache"
    monkeypatch.setenv("GOVKG_NEO4J_HOME", str(cache))
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools-here"))
    assert neo4j_server.cache_dir() == cache.resolve()
    with pytest.raises(StoreError, match="Maven \\(mvn\\) is not on PATH"):
        neo4j_server.fetch_jars()
    assert not neo4j_server.lib_dir().exists()


def test_the_jar_cache_holds_the_pinned_server(neo4j_target: object) -> None:
    # The session server started from this cache, so it must be complete and pinned.
    lib = neo4j_server.fetch_jars()
    assert (lib / ".complete").read_text().strip() == neo4j_server.NEO4J_VERSION
    assert (lib / f"neo4j-server-{neo4j_server.NEO4J_VERSION}.jar").is_file()
    assert (lib / f"neo4j-{neo4j_server.NEO4J_VERSION}.jar").is_file()


def test_in_ci_an_unavailable_neo4j_fails_instead_of_skipping(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="required in CI"):
        neo4j_unavailable("written for testing")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="not available"):
        neo4j_unavailable("written for testing")


def test_a_bad_heap_size_is_refused_before_anything_starts(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(StoreError, match=r"'lots'.*512m or 4g"):
        _started(home, heap="lots")
    monkeypatch.setenv(neo4j_server.HEAP_ENV, "4 GB")
    with pytest.raises(StoreError, match=neo4j_server.HEAP_ENV):
        _started(home)
    assert server_status(home) is None


def test_a_load_over_the_transaction_memory_cap_says_how_to_fix_it_and_writes_nothing(
    home: Path, tmp_path: Path
) -> None:
    """Each load is one transaction and Neo4j caps its memory (70% of the heap by default); here the
    cap is set small (4 MiB) and 300 SYNTHETIC documents (bench/corpus.py) exceed it. The heap asked
    for reaches the JVM."""
    from govkg.bench.corpus import synthetic_corpus, write_corpus
    from govkg.loaders.extract import extract_paths

    graph = extract_paths(write_corpus(synthetic_corpus(300), tmp_path / "synthetic"))
    info = _started(home, heap="768m", settings={"db.memory.transaction.max": "4m"})
    cmdline = Path(f"/proc/{info.pid}/cmdline").read_bytes().split(b"\0")
    assert b"-Xmx768m" in cmdline
    with Neo4jStore(info.uri, password=info.password) as store:
        before = store.counts()
        with pytest.raises(StoreError) as caught:
            store.write(graph)
        assert "--heap" in str(caught.value) and "fewer files" in str(caught.value)
        assert store.counts() == before
