"""Correcting stored facts where a researcher reads them: the command line's `govkg correct` and the
app's explore and similar-zones pages call it, as every load calls govkg/services/loading.py.

A correction of a stored fact is made against what the store holds around it (the node or
relationship, its neighbours and the documents mentioning them), applied there in one transaction,
kept with what it changed (so `undo` puts back exactly what was there), and followed by a refresh of
the SIMILAR_TO relationships, all inside the embedded store's staging swap (all or nothing, even under
kill -9 or a full disk). A read-only store or a lost Neo4j connection refuses it and changes nothing.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from govkg.errors import CorrectionError
from govkg.graph.corrections import Correction, Imported, Target
from govkg.graph.factory import StoreSettings, open_store
from govkg.graph.store import GraphStore
from govkg.services.loading import DEFAULT_SIMILAR_TOP

__all__ = ["AUTHOR_VARIABLE", "CorrectionDone", "author_name", "correct", "import_corrections", "now", "undo"]

AUTHOR_VARIABLE = "GOVKG_USER"  # who a correction is by, when the caller names no one


@dataclass(frozen=True)
class CorrectionDone:
    """A correction made or undone: the correction, and how many stored nodes and relationships it
    changed (added, changed or removed). `in_place` is False for an undo of a correction that had
    changed no stored facts (kept for documents not loaded yet, or its fact not found): nothing was
    put back, and loads no longer apply it."""

    correction: Correction
    nodes_changed: int
    edges_changed: int
    in_place: bool = True


def now() -> str:
    """The time a correction is stamped with: UTC, ISO 8601, to the microsecond (corrections apply in
    the order they were made, and a researcher makes several in one second)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def author_name(given: str | None = None) -> str:
    """Who a correction is by: `given`, else GOVKG_USER, else the login name ("" if none is known)."""
    for name in (given, os.environ.get(AUTHOR_VARIABLE)):
        if name and name.strip():
            return name.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in a container without a passwd entry
        return ""


def correct(
    settings: StoreSettings,
    action: str,
    target: Target,
    value: dict[str, Any] | None = None,
    *,
    author: str,
    reason: str = "",
    made_at: str | None = None,
    similarity_top: int = DEFAULT_SIMILAR_TOP,
) -> CorrectionDone:
    """Correct a stored fact now, through a writable handle opened for this write only. CorrectionError
    (saying what to do) when the action does not fit the fact, the fact is not stored, or no author
    is named; StoreError when the store refuses the write (read-only, connection lost)."""
    if not author.strip():
        raise CorrectionError(f"a correction needs an author: set your name in the app or {AUTHOR_VARIABLE}")
    with open_store(settings) as store:
        with store.staged():
            correction = store.make_correction(action, target, value, author=author, made_at=made_at or now(),
                                               reason=reason)  # fmt: skip
            applied, nodes, edges = store.apply_correction(correction)
            _refresh_similarity(store, similarity_top)
        _keep_ranking_state(store, similarity_top)
        return CorrectionDone(applied, nodes, edges)


def undo(settings: StoreSettings, correction_id: str, *, similarity_top: int = DEFAULT_SIMILAR_TOP) -> CorrectionDone:
    """Undo a kept correction now: the facts it changed are put back as they were, in one
    transaction, and loads no longer apply it. CorrectionError when no such correction is kept, it
    was undone already, or what it changed has changed since (undo the later correction first)."""
    with open_store(settings) as store:
        with store.staged():
            undone, nodes, edges, in_place = store.revert_correction(correction_id, now())
            _refresh_similarity(store, similarity_top if in_place else 0)
        _keep_ranking_state(store, similarity_top if in_place else 0)
        return CorrectionDone(undone, nodes, edges, in_place)


def import_corrections(
    settings: StoreSettings, corrections: Sequence[Correction], *, similarity_top: int = DEFAULT_SIMILAR_TOP
) -> Imported:
    """Take in a team's corrections: each whose documents the store holds is applied to the stored
    facts now (so a store loaded from the same files gets the same corrected graph), the others are
    kept for the next load of their documents; one transaction, similarity refreshed."""
    with open_store(settings) as store:
        with store.staged():
            report = store.import_corrections(corrections)
            _refresh_similarity(store, similarity_top if report.applied else 0)
        _keep_ranking_state(store, similarity_top if report.applied else 0)
        return report


def _refresh_similarity(store: GraphStore, top: int) -> None:
    """The SIMILAR_TO refresh a changed fact needs (inside the staged write; `top` 0: none)."""
    from govkg.graph.similarity import refresh_similarity

    if top > 0:
        refresh_similarity(store, top=top)


def _keep_ranking_state(store: GraphStore, top: int) -> None:
    """Once the staged write has landed: keep the refresh's ranking state, so the next load ranks
    only what it changes (without it the first load after a correction ranks every zone again)."""
    from govkg.graph.similarity.answers import keep_state

    if top > 0:
        keep_state(store)
