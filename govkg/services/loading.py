"""The one way a graph reaches a store: `govkg load`, `govkg demo` and the app's Load page all call it.

Whatever the caller, a load is the same four steps: join what the store already holds under another
name (resolution), write in one transaction, rewrite the SIMILAR_TO relationships so saved queries
agree with the similar-zones page, and, on the embedded store, land both in one swap of a staging copy
(all or nothing, even under kill -9 or a full disk). Before this module the app's upload skipped the
similarity refresh, so `similar_zones` went stale after every upload.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from govkg.graph.corrections import Correction, Outcome, apply_corrections
from govkg.graph.factory import StoreSettings, open_store
from govkg.graph.model import GraphDocument
from govkg.graph.store import GraphStore, WriteSummary

__all__ = ["DEFAULT_SIMILAR_TOP", "STAGES", "Progress", "StageTimer", "load_paths", "write_graph"]

DEFAULT_SIMILAR_TOP = 10  # each zone's best matches kept as SIMILAR_TO
STAGES = ("extract", "resolve", "write", "similarity", "commit")
# Told each stage's name and wall-clock seconds once it ends (the benchmarks time loads with it).
StageTimer = Callable[[str, float], None]
# Told (stage, done, total) as a load goes: ("extract", files read, files) after each file, then
# (stage, 0, 0) as each later stage begins, so a long load is never silent (the CLI and the app say it).
Progress = Callable[[str, int, int], None]


@contextmanager
def _stage(name: str, timer: StageTimer | None, progress: Progress | None = None) -> Iterator[None]:
    if progress is not None:
        progress(name, 0, 0)
    start = time.perf_counter()
    yield
    if timer is not None:
        timer(name, time.perf_counter() - start)


def write_graph(
    store: GraphStore,
    graph: GraphDocument,
    *,
    similarity_top: int = DEFAULT_SIMILAR_TOP,
    timer: StageTimer | None = None,
    corrections: Sequence[Correction] = (),
    corrected: Callable[[Outcome], None] | None = None,
    progress: Progress | None = None,
) -> WriteSummary:
    """Write an extracted graph to `store` and refresh similarity; `similarity_top` 0 leaves similarity
    as it was (for many batches in a row, refreshed once at the end). A re-load never brings back what a
    researcher rejected: the corrections the store keeps with what they changed are applied to `graph`
    before it is written; `corrections` (kept from now on) and kept ones that have not changed stored
    facts yet (kept before their documents were loaded) are applied to the written facts in the same
    transaction and kept with what they changed, so each can be undone at once. `corrected` is told
    what all of them do to `graph`, before anything is written."""
    from govkg.graph.similarity import refresh_similarity
    from govkg.graph.similarity.answers import keep_state
    from govkg.loaders.resolution import resolved_against_store

    with _stage("commit", timer), store.staged():
        states = store.correction_states()
        loading = {d.id for d in graph.documents}
        standing = [c for c, undone, _ in states if not undone]
        # Settled after the write: new ones, and kept ones for these documents that changed nothing yet.
        settle = {c.id: c for c, undone, in_place in states
                  if not undone and not in_place and loading.intersection(c.documents)}  # fmt: skip
        held = {c.id for c, _, _ in states}
        settle |= {c.id: c for c in corrections if c.id not in held}
        before = [c for c in standing if c.id not in settle]
        if corrected is not None and (standing or corrections):
            corrected(apply_corrections(graph, list({c.id: c for c in [*standing, *corrections]}.values())))
        applied = 0
        if before:
            outcome = apply_corrections(graph, before)
            graph, applied = outcome.graph, len(outcome.applied)
        with _stage("resolve", timer, progress):
            resolved, joined = resolved_against_store(graph, store)
        with _stage("write", timer, progress):
            if settle:
                summary, settled = store.write_corrected(resolved, list(settle.values()), joined)
                applied += len(settled.applied)
                summary.corrections_recorded = len([c for c in corrections if c.id not in held])
            else:
                summary = store.write(resolved)
        del resolved  # the extracted graph stays with the caller; this copy is not needed past the write
        summary.corrections_applied = applied
        if similarity_top > 0:
            with _stage("similarity", timer, progress):
                refresh_similarity(store, top=similarity_top)
            summary.counts_after = store.counts()
    if similarity_top > 0:
        keep_state(store)  # the refresh's ranking state, for the next load to start from
    return summary


def load_paths(
    settings: StoreSettings,
    paths: list[Path],
    *,
    similarity_top: int = DEFAULT_SIMILAR_TOP,
    warn: Callable[[str], None] | None = None,
    timer: StageTimer | None = None,
    corrections: Sequence[Correction] = (),
    corrected: Callable[[Outcome], None] | None = None,
    progress: Progress | None = None,
) -> WriteSummary:
    """Extract every file first (a bad file stops the load before any write), then `write_graph`
    (with `corrections`, a researcher's or a team's file, to apply and keep).
    `warn` receives each extraction warning (a file that loaded but named no zone) before the write;
    `corrected` what the corrections did (those whose fact is gone included), before the write;
    `timer` each stage's seconds (STAGES; "commit" spans resolve to the end of the swap)."""
    from govkg.loaders.extract import extract_paths, extraction_warnings

    with _stage("extract", timer):
        graph = extract_paths(paths, progress=None if progress is None else lambda done, total: progress(
            "extract", done, total))  # fmt: skip
    if warn is not None:
        for warning in extraction_warnings(graph):
            warn(warning)
    with open_store(settings) as store:
        return write_graph(store, graph, similarity_top=similarity_top, timer=timer, corrections=corrections,
                           corrected=corrected, progress=progress)  # fmt: skip
