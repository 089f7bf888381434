"""Ad-hoc and saved queries run where they cannot take the app down (issue 11).

`QueryWorker` is a store whose calls run in a child process of their own, which holds its own
read-only handle and runs each call under `memory_limited()`. If the child dies (a crash in the
engine, the kernel's out-of-memory killer, a kill) or a call overruns its wall-clock deadline, the
call raises QueryStopped and the next call starts a fresh child: the app's server stays up.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import threading
from contextlib import suppress
from multiprocessing.connection import Connection
from typing import Any

from govkg import errors
from govkg.errors import GovkgError, QueryError, QueryStopped, ReadOnlyViolation
from govkg.graph.factory import StoreSettings, open_store
from govkg.graph.model import GraphDocument
from govkg.graph.read_limits import QUERY_MEMORY, memory_limited
from govkg.graph.store import GraphStore, QueryResult, WriteSummary

__all__ = ["DEADLINE", "QueryWorker"]

# Wall-clock seconds a call to the worker may take: the engines stop a read at 30 s; this also
# covers starting a fresh worker (about 1 s) and reads the engine cannot interrupt.
DEADLINE = 60.0
# What a worker may be asked to run: a store's reading calls.
_CALLS = frozenset({"read", "counts", "snapshot", "neighbourhood"})


# --------------------------------------------------------------------------- the child


def _serve(conn: Connection) -> None:
    """The worker's loop: the store's settings and the memory budget, then one call at a time on one
    read-only store, until the parent closes its end (or dies)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C in the server's terminal is the parent's to handle
    settings, budget = conn.recv()
    store: GraphStore | None = None
    try:
        while True:
            try:
                call, args, kwargs = conn.recv()
            except EOFError:
                return
            try:
                if store is None:
                    store = open_store(settings, read_only=True)
                # Outside the limit: a store changed by a load is reopened here, and opening reserves
                # address space the limit would count.
                store.read("RETURN 1")
                with memory_limited(budget):
                    reply: tuple[Any, ...] = ("ok", getattr(store, call)(*args, **kwargs))
            except GovkgError as err:
                reply = ("error", type(err).__name__, getattr(err, "reason", ""), str(err))
            except Exception as err:  # an engine failure the store did not word: still one line
                reply = ("error", "QueryError", "", f"the query failed: {type(err).__name__}: {err}")
            try:
                conn.send(reply)
            except OSError:  # the parent is gone
                return
    finally:
        if store is not None:
            store.close()


def _error_from(name: str, reason: str, message: str) -> GovkgError:
    if name == "QueryStopped":
        return QueryStopped(reason, message)
    kind = getattr(errors, name, None)
    if isinstance(kind, type) and issubclass(kind, GovkgError):
        with suppress(TypeError):  # errors that take more than a message come back as QueryError
            return kind(message)
    return QueryError(message)


def _describe_exit(code: int | None) -> str:
    if code is not None and code < 0:
        with suppress(ValueError):
            return f"signal {signal.Signals(-code).name}"
    return f"exit code {code}"


# --------------------------------------------------------------------------- the parent


class QueryWorker(GraphStore):
    """The reads of the store `settings` names, each run in a child process. Calls take turns; a child
    that dies or overruns `deadline` is killed, the call raises QueryStopped, and the next call
    starts a new one.

    The child is a fresh interpreter (`python -m govkg.app.query_worker`), not a fork (the app's server
    has many threads) nor multiprocessing's spawn (which runs the parent's `__main__` again in the
    child: under Streamlit that is the page script). Starting one takes about 0.3 s."""

    def __init__(self, settings: StoreSettings, *, deadline: float = DEADLINE, budget: int = QUERY_MEMORY) -> None:
        self.settings = settings
        self.engine = settings.engine
        self.deadline = deadline
        self.budget = budget
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._conn: Connection | None = None
        self._start()  # in the background: the first query finds the child ready

    @property
    def pid(self) -> int | None:
        """The current child's process id (None before a restart)."""
        return self._process.pid if self._process is not None else None

    def _start(self) -> None:
        ours, theirs = socket.socketpair()
        with ours, theirs:
            process = subprocess.Popen([sys.executable, "-m", "govkg.app.query_worker", str(theirs.fileno())],
                                       pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL)
            # The parent keeps only its end: a dead child then reads as EOF.
            conn = Connection(ours.detach())
        conn.send((self.settings, self.budget))
        self._process, self._conn = process, conn

    def _stop(self) -> int | None:
        """Kill the child (if alive) and forget it; its exit code."""
        process, conn = self._process, self._conn
        self._process = self._conn = None
        if conn is not None:
            conn.close()
        if process is None:
            return None
        if process.poll() is None:
            process.kill()
        with suppress(subprocess.TimeoutExpired):
            process.wait(10)
        return process.returncode

    def _call(self, call: str, *args: Any, **kwargs: Any) -> Any:
        assert call in _CALLS
        with self._lock:
            if self._process is None or self._process.poll() is not None:
                self._stop()
                self._start()
            assert self._conn is not None
            try:
                self._conn.send((call, args, kwargs))
                answered = self._conn.poll(self.deadline)
                reply = self._conn.recv() if answered else None
            except (EOFError, OSError):
                code = self._stop()
                raise QueryStopped(
                    "crashed", f"the query stopped the process running it ({_describe_exit(code)}); "
                    "a fresh one takes the next query: narrow this one before running it again") from None
            if reply is None:
                self._stop()
                raise QueryStopped(
                    "deadline", f"the query ran longer than {self.deadline:.0f} s and was stopped; "
                    "narrow it or add a LIMIT")
        if reply[0] == "ok":
            return reply[1]
        raise _error_from(*reply[1:])

    def read(self, cypher: str, params: dict[str, Any] | None = None, *, limit: int | None = None) -> QueryResult:
        result: QueryResult = self._call("read", cypher, dict(params or {}), limit=limit)
        return result

    def counts(self) -> dict[str, int]:
        found: dict[str, int] = self._call("counts")
        return found

    def snapshot(self) -> GraphDocument:
        graph: GraphDocument = self._call("snapshot")
        return graph

    def neighbourhood(self, node_id: str, depth: int = 1, limit: int = 200) -> GraphDocument:
        graph: GraphDocument = self._call("neighbourhood", node_id, depth, limit)
        return graph

    def ensure_schema(self) -> None:
        raise ReadOnlyViolation("the query worker only reads; load data with `govkg load`")

    def write(self, graph: GraphDocument) -> WriteSummary:
        raise ReadOnlyViolation("the query worker only reads; load data with `govkg load`")

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                with suppress(OSError):
                    self._conn.close()  # the child reads EOF and closes its store
                self._conn = None
            if self._process is not None:
                with suppress(subprocess.TimeoutExpired):
                    self._process.wait(5)
            self._stop()


if __name__ == "__main__":  # the child: its end of the socket pair is the file descriptor given
    _serve(Connection(int(sys.argv[1])))
