"""The project's own throwaway Neo4j server: fetch the Community jars with Maven, start, stop, status.

Users run Neo4j their own way (Desktop, Docker, Aura, a cluster). This module gives contributors,
the tests and CI the same real server with no Docker: Neo4j 5.26 Community jars from Maven Central
(see neo4j/pom.xml and neo4j/README.md), started with `java -cp "<lib>/*"
org.neo4j.server.CommunityEntryPoint` on 127.0.0.1.

Locked down (issue 11), since any web page the researcher opens can reach a local port: Bolt on
127.0.0.1 only, HTTP off, authentication on with a generated password, LOAD CSV reads no file, an
empty plugins folder of its own, and a memory cap on transactions. Bolt also answers WebSocket
upgrades (from any Origin: Neo4j 5.26 has no setting to check or turn that off, read from its
TransportSelectionHandler), so the password is what keeps a page out.

State (pid, port, home, password) is written here and read by govkg.graph.neo4j_registry, so
`status` and `stop` work from another process and govkg finds the password of the project's server
from its URI alone. The state and password files are created readable by their owner only (0600).

Measured here (2 cores, OpenJDK 17.0.15, Maven 3.8.7, Neo4j 5.26.31, neo4j driver 6.4):
- fetch: 213 jars, 123 MB in the lib folder; 1 min 32 s with an empty ~/.m2 (144 MB there after).
- cold start (fresh home): answers verify_connectivity after about 9 s; warm start (existing
  home) about 7 s.
- memory: RSS about 620-700 MB after start (-Xms512m -Xmx512m, page cache 64m).
- stop (SIGTERM): about 12 s with the defaults, 10 s of it the Bolt server waiting for idle
  threads and connections; about 2.5 s with those two waits set to 1 s (see _settings).
- disk: a fresh home takes about 3 MB with tx-log preallocation off (516 MB with it on: two
  preallocated 256 MB transaction logs, which is why it is off).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

from govkg.errors import StoreError
from govkg.graph.neo4j_registry import (
    INITIAL_USER,
    MAIN_CLASS,
    ServerInfo,
    cache_dir,
    default_home,
    password_file,
    port_file,
    process_alive,
    read_password,
    server_status,
    state_file,
)
from govkg.resources import NEO4J_POM_FILE

NEO4J_VERSION = "5.26.31"
POM_FILE = NEO4J_POM_FILE
DEFAULT_START_TIMEOUT = 180.0  # a cold first start on two busy cores can take tens of seconds
DEFAULT_STOP_TIMEOUT = 60.0

# The launcher script normally applies heap settings; here the JVM is started directly.
# A load is one transaction, and Neo4j caps a transaction at 70% of the heap
# (dbms.memory.transaction.total.max): 512m holds the bundled data and a few hundred documents;
# a bigger load needs a bigger heap (`govkg neo4j start --heap 4g`, or GOVKG_NEO4J_HEAP).
DEFAULT_HEAP = "512m"
HEAP_ENV = "GOVKG_NEO4J_HEAP"
_HEAP = re.compile(r"\d+[kmgKMG]")
_UNIT_MIB = {"k": 1 / 1024, "m": 1, "g": 1024}
# Neo4j's own default, written out so the cap is stated here and in the README: all transactions
# together, and any one of them, may hold 70% of the heap (358 MiB at 512m). A read over it is
# stopped with "... threshold reached" (graph/neo4j_store.py turns that into one line).
TRANSACTION_MEMORY_SHARE = 0.7
# The procedures govkg calls on Neo4j: the store's schema set-up and the read-only ones its guard
# allows (graph/cypher_guard.READ_PROCEDURES, with Neo4j's spelling).
PROJECT_PROCEDURES = (
    "db.awaitIndexes",
    "db.labels",
    "db.relationshipTypes",
    "db.propertyKeys",
    "db.schema.visualization",
    "db.schema.nodeTypeProperties",
    "db.schema.relTypeProperties",
    "db.info",
    "db.ping",
    "dbms.components",
)
JVM_FLAGS = (
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
)


def lib_dir(cache: Path | None = None) -> Path:
    return (cache or cache_dir()) / f"lib-{NEO4J_VERSION}"


def _write_private(path: Path, text: str) -> None:
    """Write `text` to `path` readable by its owner only: the file is created 0600 (never chmod'ed
    after, so there is no moment it is readable by others) and renamed into place."""
    scratch = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    scratch.unlink(missing_ok=True)
    fd = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(scratch, path)


def fetch_jars(cache: Path | None = None, *, quiet: bool = True) -> Path:
    """The folder holding every Neo4j jar, downloading them with Maven on first use.

    Maven writes into a scratch folder that is renamed when complete, so an interrupted
    download never passes for a finished one; processes starting servers at once (two test
    workers, two shells) fetch one after another, the later finding the jars there.
    """
    target = lib_dir(cache)
    done_marker = target / ".complete"
    if done_marker.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with _locked(target.parent):
        return _fetch_jars(target, done_marker, quiet=quiet)


def _fetch_jars(target: Path, done_marker: Path, *, quiet: bool) -> Path:
    if done_marker.exists():
        return target
    mvn = shutil.which("mvn")
    if mvn is None:
        raise StoreError(
            "cannot fetch the Neo4j jars: Maven (mvn) is not on PATH. Install Maven and Java 17 "
            "(e.g. `apt-get install maven openjdk-17-jdk-headless`), or point NEO4J_URI at a Neo4j you run yourself."
        )
    scratch = target.with_name(target.name + ".partial")
    shutil.rmtree(scratch, ignore_errors=True)
    cmd = [
        mvn,
        "-B",
        *(["-q"] if quiet else []),
        "-f",
        str(POM_FILE),
        f"-Dneo4j.version={NEO4J_VERSION}",
        "dependency:copy-dependencies",
        "-DincludeScope=runtime",
        f"-DoutputDirectory={scratch}",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0 or not any(scratch.glob("neo4j-server-*.jar")):
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
        shutil.rmtree(scratch, ignore_errors=True)
        raise StoreError(
            f"Maven could not fetch Neo4j {NEO4J_VERSION} from Maven Central (exit {proc.returncode}); "
            f"check the network or proxy settings in ~/.m2/settings.xml.\n{tail}"
        )
    shutil.rmtree(target, ignore_errors=True)
    scratch.rename(target)
    done_marker.write_text(NEO4J_VERSION + "\n", encoding="utf-8")
    return target


def start_server(
    port: int | None = None,
    *,
    home: Path | None = None,
    password: str | None = None,
    fresh: bool = False,
    timeout: float = DEFAULT_START_TIMEOUT,
    settings: dict[str, str] | None = None,
    heap: str | None = None,
) -> ServerInfo:
    """Start the project's Neo4j (or return the one already running in `home`) once it answers.

    `port`: the Bolt port on 127.0.0.1 (default: a free one). Authentication is always on: user
    `neo4j` gets `password` in a new home (default: generated with secrets.token_urlsafe); it is
    kept in `govkg-password` and the state file, both 0600, and used again on the next start.
    `fresh`: wipe the home's data and password first. `settings`: more neo4j.conf settings
    (`-c key=value`), overriding the defaults here. `heap`: the JVM heap, e.g. "4g" (default GOVKG_NEO4J_HEAP or
    512m): it bounds the largest load, which is one transaction. Raises StoreError naming what to fix.
    """
    home = (home or default_home()).resolve()
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    with _locked(home):
        running = server_status(home)
        if running is not None:
            if port is not None and port != running.port:
                raise StoreError(
                    f"a Neo4j server for {home} is already running on port {running.port} (pid {running.pid}); "
                    "stop it first to use another port"
                )
            return running
        heap = _heap(heap)
        java = _java()
        lib = fetch_jars()
        if fresh:
            for sub in ("data", "logs", "run", "import", "plugins"):
                shutil.rmtree(home / sub, ignore_errors=True)
            password_file(home).unlink(missing_ok=True)
        new_home = not (home / "data" / "databases").exists()
        if port is None:
            port = _free_port()
        elif not _port_free(port):
            raise StoreError(f"port {port} on 127.0.0.1 is already in use; choose another or leave it out")
        known = read_password(home)
        password = password or known or secrets.token_urlsafe(24)
        if new_home or known is None:
            # Kept before the server learns it: a start cut short leaves a password govkg knows.
            _write_private(password_file(home), password + "\n")
        for sub in ("data", "logs", "run", "import", "plugins"):
            (home / sub).mkdir(exist_ok=True)
        # -Xms only at the default: a larger heap is a ceiling, not memory taken at start.
        sizes = [f"-Xms{heap}"] if heap == DEFAULT_HEAP else []
        cmd = [java, *sizes, f"-Xmx{heap}", *JVM_FLAGS, "-cp", f"{lib}/*", MAIN_CLASS, f"--home-dir={home}",
               "--console-mode"]
        for key, value in {**_settings(home, port, heap), **(settings or {})}.items():
            cmd += ["-c", f"{key}={value}"]
        console = home / "logs" / "console.log"
        with console.open("ab") as out:
            # A new session, so the server outlives `govkg neo4j start` and ignores the caller's Ctrl-C.
            proc = subprocess.Popen(
                cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
            )
        info = ServerInfo(f"bolt://127.0.0.1:{port}", proc.pid, home, port, True, password)
        try:
            _wait_until_answering(proc, info, console, timeout, initial_first=new_home or known is None)
        except BaseException:
            _terminate(proc.pid, DEFAULT_STOP_TIMEOUT)
            raise
        _write_private(state_file(home), info.to_json())
        port_file(port).parent.mkdir(parents=True, exist_ok=True)
        port_file(port).write_text(str(home), encoding="utf-8")
        return info


def stop_server(home: Path | None = None, *, timeout: float = DEFAULT_STOP_TIMEOUT) -> ServerInfo | None:
    """Stop the server of `home` with SIGTERM (its shutdown hook closes the store cleanly), waiting
    up to `timeout` before SIGKILL. Returns what was stopped, or None when nothing was running."""
    home = (home or default_home()).resolve()
    if not home.is_dir():
        return None
    with _locked(home):
        info = server_status(home)
        if info is None:
            return None
        _terminate(info.pid, timeout)
        state_file(home).unlink(missing_ok=True)
        port_file(info.port).unlink(missing_ok=True)
        return info


def _heap(wanted: str | None) -> str:
    """The heap size to start with: `wanted`, else GOVKG_NEO4J_HEAP, else 512m; like 512m or 4g."""
    heap = (wanted or os.environ.get(HEAP_ENV) or DEFAULT_HEAP).strip()
    if not _HEAP.fullmatch(heap):
        raise StoreError(f"Neo4j heap size {heap!r} is not a size like 512m or 4g (from --heap or {HEAP_ENV})")
    return heap


def remove_home(home: Path) -> None:
    """Stop the server of `home` if running and delete the folder (for throwaway test servers)."""
    stop_server(home)
    shutil.rmtree(home, ignore_errors=True)


def _heap_mib(heap: str) -> int:
    return int(int(heap[:-1]) * _UNIT_MIB[heap[-1].lower()])


def _settings(home: Path, port: int, heap: str) -> dict[str, str]:
    address = f"127.0.0.1:{port}"
    transaction_cap = f"{max(int(_heap_mib(heap) * TRANSACTION_MEMORY_SHARE), 1)}m"
    return {
        "server.bolt.listen_address": address,
        "server.bolt.advertised_address": address,
        "server.http.enabled": "false",
        "server.https.enabled": "false",
        # Any web page can open a WebSocket to Bolt: without the password it cannot log in.
        "dbms.security.auth_enabled": "true",
        "dbms.memory.transaction.total.max": transaction_cap,
        "db.memory.transaction.max": transaction_cap,
        "dbms.usage_report.enabled": "false",
        "server.memory.pagecache.size": "64m",
        "db.tx_log.preallocate": "false",
        # Bolt waits 5 s + 5 s for idle threads and connections on shutdown; 1 s each makes stop
        # take about 2.5 s instead of 12 s (internal settings of 5.26, read from BoltConnectorInternalSettings).
        "internal.server.bolt.thread_pool_shutdown_wait_time": "1s",
        "internal.server.bolt.connection_shutdown_wait_time": "1s",
        "server.directories.data": str(home / "data"),
        "server.directories.logs": str(home / "logs"),
        "server.directories.run": str(home / "run"),
        # LOAD CSV may not read this machine's files, whatever a query slips past the guard (issue 11):
        # file URLs are off and the import folder is the server's own, empty one.
        "dbms.security.allow_csv_import_from_file_urls": "false",
        "server.directories.import": str(home / "import"),
        # Only the procedures govkg calls may load from plug-ins, and the plugins folder is the
        # server's own, empty one. Measured on 5.26: the allow-list does not reach built-in
        # procedures (dbms.listConfig still runs with it set); graph/neo4j_plan_guard limits those.
        "dbms.security.procedures.allowlist": ",".join(PROJECT_PROCEDURES),
        "server.directories.plugins": str(home / "plugins"),
    }


def _wait_until_answering(
    proc: subprocess.Popen[bytes], info: ServerInfo, console: Path, timeout: float, *, initial_first: bool
) -> None:
    """Wait until the server answers `info.auth`. A home whose user still has Neo4j's initial
    password (a new home, or one made before auth was on) gets `info.password` set first."""
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable

    # Neo4j locks a user out for a while after a few failed logins: try the likelier password first.
    tries = ["initial", "known"] if initial_first else ["known", "initial"]
    deadline = time.monotonic() + timeout
    while True:
        code = proc.poll()
        if code is not None:
            hint = " (exit 3: the memory check or logging set-up failed)" if code == 3 else ""
            raise StoreError(
                f"Neo4j exited with status {code}{hint} before answering on {info.uri}; "
                f"see {console}:\n{_tail(console)}"
            )
        try:
            if tries[0] == "known":
                with GraphDatabase.driver(info.uri, auth=info.auth) as driver:
                    driver.verify_connectivity()
            else:
                with GraphDatabase.driver(info.uri, auth=(INITIAL_USER, "neo4j")) as driver:
                    driver.verify_connectivity()
                    driver.execute_query(
                        "ALTER CURRENT USER SET PASSWORD FROM $old TO $new",
                        old="neo4j",
                        new=info.password,
                        database_="system",
                    )
            return
        except (ServiceUnavailable, OSError):
            pass
        except (AuthError, Neo4jError) as err:
            if isinstance(err, Neo4jError) and not isinstance(err, AuthError) and "credentials" not in str(err).lower():
                pass  # not ready yet (e.g. the system database still starting)
            elif len(tries) > 1:
                tries.pop(0)
            else:
                raise StoreError(
                    f"the Neo4j server in {info.home} has a password govkg does not know; put it in "
                    f"{password_file(info.home)}, or start with --fresh (deletes the server's data)"
                ) from err
        if time.monotonic() > deadline:
            raise StoreError(
                f"Neo4j did not answer on {info.uri} within {timeout:.0f} s; see {console}:\n{_tail(console)}"
            )
        time.sleep(0.5)


def _terminate(pid: int, timeout: float) -> None:
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not process_alive(pid):
            return
        time.sleep(0.2)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    while process_alive(pid):
        time.sleep(0.1)


def _java() -> str:
    java = shutil.which("java")
    if java is None:
        raise StoreError("cannot start Neo4j: Java (java) is not on PATH. Install OpenJDK 17 or 21.")
    proc = subprocess.run([java, "-version"], capture_output=True, text=True, check=False)
    first = (proc.stderr or proc.stdout).splitlines()[:1]
    version = first[0] if first else ""
    try:
        major = int(version.split('"')[1].split(".")[0])
    except (IndexError, ValueError):
        return java
    if major < 17:
        raise StoreError(f"Neo4j {NEO4J_VERSION} needs Java 17 or 21; found {version.strip()}")
    return java


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no console log)"


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """One process at a time in `folder` (a server's home: a start or a stop; the jar cache: a fetch)."""
    with (folder / ".govkg-lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
