"""A store's full-text index, kept current: read from its file or built from the store when the
store's data changed, kept in memory, and never used for data other than that it was built from.

Where it is kept, and why not a table in the store written in the same transaction as each load: the
index is derived from everything the store holds, so every write path (loads, curation, corrections
made in place and undone, imports) would have to update it inside its transaction, on both engines; a
file beside the data, keyed by the store's data token, stays correct whatever writes the store, and
is the same index on both engines, so both give the same answers.

- embedded store: `<database>.search` beside the database file (`kg.lbdb.search`);
- Neo4j: the per-user cache folder, `$XDG_CACHE_HOME/govkg/search/` (else `~/.cache/govkg/search/`),
  one file per server and database;
- a folder that cannot be written: in this process's memory only.

When it is rebuilt: every search first asks the store for its data token (GraphStore.data_token: the
embedded file's identity, which every write changes since a write renames a new file in; Neo4j's
bookmark of its last committed transaction, which any client's write changes), and uses an index only
if it was built from data of that very token; otherwise it reads the store afresh. A read that a
write overtakes (the token after it differs from the token before it) is read again, so an index never
mixes two states of the store. A store that gives no token is read for every search.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections.abc import Callable
from pathlib import Path

from govkg.errors import SearchError
from govkg.graph.store import DataToken, GraphStore
from govkg.graph.text_index import TextIndex, build_index, load_index, save_index
from govkg.resources import user_cache_dir

__all__ = ["INDEX_SUFFIX", "forget_indexes", "index_for_store", "index_path"]

INDEX_SUFFIX = ".search"
READ_ATTEMPTS = 3  # reads of the store overtaken by a write before the search gives up

_MEMORY: dict[str, TextIndex] = {}  # DataToken.where -> the index last read or built for that store
_LOCK = threading.Lock()  # one build at a time: sessions of the app share the index


def index_path(token: DataToken) -> Path:
    """Where the index of the store `token` names is kept."""
    if token.beside is not None:
        return token.beside.with_name(token.beside.name + INDEX_SUFFIX)
    digest = hashlib.sha256(token.where.encode("utf-8")).hexdigest()[:20]
    return user_cache_dir() / "search" / f"{digest}{INDEX_SUFFIX}"


def index_for_store(store: GraphStore, *, building: Callable[[], None] | None = None) -> TextIndex:
    """The index of what `store` holds now; `building` is called first when it has to be built (it
    takes a while on a large store: tell the reader)."""
    token = store.data_token()
    if token is None:
        if building is not None:
            building()
        return build_index(store.searchable_text())
    with _LOCK:
        held = _MEMORY.get(token.where)
        if held is not None and held.version == token.version:
            return held
        path = index_path(token)
        index = load_index(path, token.version) if path.exists() else None
        if index is None:
            if building is not None:
                building()
            index = _build(store, token)
            _save(index, path)
        _MEMORY[token.where] = index
        return index


def forget_indexes() -> None:
    """Drop the indexes held in memory (their files stay)."""
    with _LOCK:
        _MEMORY.clear()


def _build(store: GraphStore, token: DataToken) -> TextIndex:
    """The index of the store's data of one token: read between two equal tokens."""
    before = token
    for _ in range(READ_ATTEMPTS):
        source = store.searchable_text()
        after = store.data_token()
        if after is None:
            return build_index(source)
        if after.version == before.version:
            return build_index(source, before.version)
        before = after
    raise SearchError(
        "the store changed while its search index was being read (a load or a correction is being written); "
        "search again once it has finished"
    )


def _save(index: TextIndex, path: Path) -> None:
    """Keep the index in its file if the folder can be written (else it lives in memory only)."""
    if not index.version:
        return
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        save_index(index, path)
