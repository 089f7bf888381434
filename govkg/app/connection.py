"""The app's one read-only store handle, shared by every session and opened from the environment
(GOVKG_STORE, GOVKG_DB, NEO4J_*) as the command line opens it, and the worker process where the
reader's own queries run."""

from __future__ import annotations

import threading
from contextlib import suppress
from typing import Any, NoReturn, TypeVar

import streamlit as st

from govkg.app.language import t
from govkg.app.query_worker import QueryWorker
from govkg.errors import GovkgError, ReadOnlyViolation, StoreLockedError
from govkg.graph.corrections import Correction
from govkg.graph.factory import StoreSettings, open_store
from govkg.graph.model import GraphDocument, Node
from govkg.graph.store import DataToken, GraphStore, QueryResult, SearchableText, WriteSummary


class SerialStore(GraphStore):
    """A read-only view of a store whose calls take turns.

    Streamlit serves each browser session from its own thread, but the app keeps one store handle
    for all of them (st.cache_resource); the embedded engine's connection is not made for
    concurrent queries, so calls are serialised here.
    """

    def __init__(self, inner: GraphStore) -> None:
        self.inner = inner
        self.engine = inner.engine
        self._lock = threading.RLock()

    def ensure_schema(self) -> None:
        raise ReadOnlyViolation("the app opens the store read-only; load data with `govkg load`")

    def write(self, graph: GraphDocument) -> WriteSummary:
        raise ReadOnlyViolation("the app opens the store read-only; load data with `govkg load`")

    def corrections(self, *, undone: bool = False) -> list[Correction]:
        with self._lock:
            return self.inner.corrections(undone=undone)

    def read(self, cypher: str, params: dict[str, Any] | None = None, *, limit: int | None = None) -> QueryResult:
        with self._lock:
            return self.inner.read(cypher, params, limit=limit)

    def counts(self) -> dict[str, int]:
        with self._lock:
            return self.inner.counts()

    def snapshot(self) -> GraphDocument:
        with self._lock:
            return self.inner.snapshot()

    def node(self, node_id: str) -> Node | None:
        with self._lock:
            return self.inner.node(node_id)

    def data_token(self) -> DataToken | None:
        with self._lock:
            return self.inner.data_token()

    def searchable_text(self) -> SearchableText:
        with self._lock:
            return self.inner.searchable_text()

    def read_columns(self, cypher: str, params: dict[str, Any] | None = None) -> list[list[Any]]:
        with self._lock:
            return self.inner.read_columns(cypher, params)

    def neighbourhood(self, node_id: str, depth: int = 1, limit: int = 200) -> GraphDocument:
        with self._lock:
            return self.inner.neighbourhood(node_id, depth, limit)

    def close(self) -> None:
        with self._lock:
            self.inner.close()

    def __getattr__(self, name: str) -> Any:
        # Engine-specific extras (used by analytics modules) go through the same lock.
        value = getattr(self.inner, name)
        if not callable(value):
            return value

        def locked(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                return value(*args, **kwargs)

        return locked


def current_settings() -> StoreSettings:
    return StoreSettings.from_env()


def store_key(settings: StoreSettings) -> str:
    """What identifies one store for the caches (never the password)."""
    return f"{settings.describe()} user={settings.neo4j_user}"


def _close_store(store: GraphStore) -> None:
    # Releasing a handle must never break the page that asked for it.
    with suppress(Exception):
        store.close()


@st.cache_resource(show_spinner=False, on_release=_close_store)
def _cached_store(key: str, _settings: StoreSettings) -> GraphStore:
    return SerialStore(open_store(_settings, read_only=True))


@st.cache_resource(show_spinner=False, on_release=_close_store)
def _cached_worker(key: str, _settings: StoreSettings) -> QueryWorker:
    return QueryWorker(_settings)


def query_store() -> QueryWorker:
    """Where the reader's own queries (ad-hoc and saved) run: a worker process with its own read-only
    handle, under a memory limit and a deadline, so a query that crashes the engine or runs it out of
    memory stops that process (restarted for the next query), not the app. Call after require_store."""
    settings = current_settings()
    return _cached_worker(store_key(settings), settings)


def release_store() -> None:
    """Close the shared handle and forget cached data, so the next run reopens the store."""
    _cached_store.clear()
    _cached_worker.clear()
    for cached in _FORGOTTEN_ON_RELEASE:
        cached.clear()
    st.cache_data.clear()


_FORGOTTEN_ON_RELEASE: list[Any] = []
Cached = TypeVar("Cached")


def forgotten_on_release(cached: Cached) -> Cached:
    """Mark a cached function (st.cache_resource) whose entries release_store() drops: data read
    through the released handle. Registered here, so this module needs none of them."""
    _FORGOTTEN_ON_RELEASE.append(cached)
    return cached


def require_store() -> GraphStore:
    """The shared read-only store, or a clear message saying what to do and the page stops."""
    settings = current_settings()
    if settings.engine == "embedded" and not settings.db_path.exists():
        st.info(t("msg.store_missing", where=str(settings.db_path)))
        st.stop()
    try:
        return _cached_store(store_key(settings), settings)
    except StoreLockedError as err:
        _stop_with(t("msg.store_locked", problem=str(err)))
    except GovkgError as err:
        _stop_with(t("msg.store_error", where=settings.describe(), problem=str(err)))


def _stop_with(message: str) -> NoReturn:
    st.error(message)
    st.stop()
    raise AssertionError("unreachable")  # st.stop() raises; this keeps type checkers sure of it


def data_version(store: GraphStore) -> tuple[tuple[str, int], ...]:
    """Counts as a cache key: cached pictures and lists refresh when a load changes the store."""
    return tuple(sorted(store.counts().items()))
