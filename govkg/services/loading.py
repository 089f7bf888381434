"""The one way a graph reaches a store: `govkg load`, `govkg demo` and the app's Load page all call it.

Whatever the caller, a load is the same four steps: join what the store already holds under another
name (resolution), write in one transaction, rewrite the SIMILAR_TO relationships so saved queries
agree with the similar-zones page, and, on the embedded store, land both in one swap of a staging copy
(all or nothing, even under kill -9 or a full disk). Before this module the app's upload skipped the
similarity refresh, so `similar_zones` went stale after every upload.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from govkg.graph.factory import StoreSettings, open_store
from govkg.graph.model import GraphDocument
from govkg.graph.store import GraphStore, WriteSummary

__all__ = ["DEFAULT_SIMILAR_TOP", "load_paths", "write_graph"]

DEFAULT_SIMILAR_TOP = 10  # each zone's best matches kept as SIMILAR_TO


def write_graph(store: GraphStore, graph: GraphDocument, *, similarity_top: int = DEFAULT_SIMILAR_TOP) -> WriteSummary:
    """Write an extracted graph to `store` and refresh similarity; `similarity_top` 0 leaves similarity
    as it was (for many batches in a row, refreshed once at the end)."""
    from govkg.graph.similarity import refresh_similarity
    from govkg.loaders.resolution import resolve_against_store

    with store.staged():
        summary = store.write(resolve_against_store(graph, store))
        if similarity_top > 0:
            refresh_similarity(store, top=similarity_top)
            summary.counts_after = store.counts()
        return summary


def load_paths(
    settings: StoreSettings,
    paths: list[Path],
    *,
    similarity_top: int = DEFAULT_SIMILAR_TOP,
    warn: Callable[[str], None] | None = None,
) -> WriteSummary:
    """Extract every file first (a bad file stops the load before any write), then `write_graph`.
    `warn` receives each extraction warning (a file that loaded but named no zone) before the write."""
    from govkg.loaders.extract import extract_paths, extraction_warnings

    graph = extract_paths(paths)
    if warn is not None:
        for warning in extraction_warnings(graph):
            warn(warning)
    with open_store(settings) as store:
        return write_graph(store, graph, similarity_top=similarity_top)
