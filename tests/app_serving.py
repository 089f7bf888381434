"""The app served for real-browser tests, as `govkg demo` serves it: `python -m streamlit run app.py`,
headless, from the app's folder, on a free port, over the store a test names (a LadybugDB file or the
session's Neo4j server)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from govkg.graph.factory import StoreSettings
from govkg.process_group import stop_process_group
from govkg.resources import APP_FILE

__all__ = ["DemoApp", "demo_serving", "free_port", "serving", "store_env", "wait_for_port"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[bytes] | subprocess.Popen[str], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"streamlit exited early with {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.3)
    raise AssertionError(f"the app did not listen on port {port} in time")


def store_env(settings: StoreSettings) -> dict[str, str]:
    """The environment that points the app at the store of `settings`."""
    if settings.engine == "neo4j":
        return {"GOVKG_STORE": "neo4j", "NEO4J_URI": settings.neo4j_uri, "NEO4J_USER": settings.neo4j_user,
                "NEO4J_PASSWORD": settings.neo4j_password, "NEO4J_DATABASE": settings.neo4j_database}  # fmt: skip
    return {"GOVKG_STORE": "embedded", "GOVKG_DB": str(settings.db_path)}


@contextmanager
def serving(settings: StoreSettings) -> Iterator[str]:
    """The app serving the store of `settings`; its URL. Port races between two test runs on one machine
    are retried: a port taken between choosing it and Streamlit binding it gives a new one."""
    for attempt in range(3):
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GOVKG_", "NEO4J_"))} | store_env(settings)
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(APP_FILE), "--server.port", str(port),
             "--server.address", "localhost", "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--client.toolbarMode", "viewer",
             # As `govkg demo`, but not watching the source: an edit to a page while the test runs would
             # otherwise leave a "File change. Rerun?" prompt in the status widget.
             "--server.fileWatcherType", "none"],
            env=env, cwd=APP_FILE.parent, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        try:
            try:
                wait_for_port(port, process)
            except AssertionError:
                if attempt < 2 and process.poll() is not None:
                    continue  # exited at once: most likely the port was taken meanwhile
                raise
            yield f"http://localhost:{port}"
            return
        finally:
            if process.poll() is None:
                stop_process_group(process)
    raise AssertionError("the app did not start")


@dataclass(frozen=True)
class DemoApp:
    url: str
    db: Path
    pid: int  # `govkg demo`, which runs the Streamlit server; its children share its session


@contextmanager
def demo_serving(db: Path, seconds: float = 180) -> Iterator[DemoApp]:
    """`govkg demo` (load the bundled cases if the store is new, then serve the app) on the LadybugDB file
    `db`, as a researcher starts it; stopped with its whole session at the end."""
    govkg = str(Path(sys.executable).with_name("govkg"))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOVKG_", "NEO4J_"))}
    process = subprocess.Popen([govkg, "demo", "--port", str(port), "--no-browser", "--db", str(db)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)  # fmt: skip
    try:
        wait_for_port(port, process, seconds)
        yield DemoApp(f"http://localhost:{port}", db, process.pid)
    finally:
        stop_process_group(process)
