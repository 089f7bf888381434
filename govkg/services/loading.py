"""The one way a graph reaches a store: `govkg load`, `govkg demo` and the app's Load page all call it.

Whatever the caller, a load is the same four steps: join what the store already holds under another
name (resolution), write in one transaction, rewrite the SIMILAR_TO relationships so saved queries
agree with the similar-zones page, and, on the embedded store, land both in one swap of a staging copy
(all or nothing, even under kill -9 or a full disk). Before this module the app's upload skipped the
similarity refresh, so `similar_zones` went stale after every upload.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import fields, replace
from pathlib import Path

from govkg.graph.corrections import Correction, Outcome, apply_corrections
from govkg.graph.factory import StoreSettings, open_store
from govkg.graph.model import GraphDocument, normalise_name
from govkg.graph.store import GraphStore, WriteSummary

__all__ = [
    "BATCH_FILES", "DEFAULT_SIMILAR_TOP", "FIRST_BATCH_FACTOR", "STAGES", "Progress", "StageTimer",
    "first_batch_files", "load_paths", "write_graph",
]

DEFAULT_SIMILAR_TOP = 10  # each zone's best matches kept as SIMILAR_TO
BATCH_FILES = 10_000  # files a streamed load extracts, resolves and writes at a time (load_paths)
# A streamed load's first batch into a store that holds nothing is this many batches. That write commits
# statement by statement into empty tables (LadybugStore._commits_by_statement); a later batch is one
# transaction into tables that hold rows, which keeps what it adds in memory and rewrites them at its
# commit. 20,000 synthetic documents into a new store: one batch 210 s, peak 3.4 GB; two batches of
# 10,000 390 s, peak 4.5 GB (docs/measured.md).
FIRST_BATCH_FACTOR = 3
# Unless the caller names a batch size, that first batch takes as many files as the memory free for the
# load holds, at PEAK_PER_TEXT_BYTE bytes of the process's peak a byte of their text, and never fewer
# than FIRST_BATCH_FACTOR batches: every later batch pays a commit that grows with the store (100,000
# documents in batches of 10,000: hours by a projection; in one batch 29.4 minutes). Measured: 100,000
# synthetic documents, 127.1 MB of text, peaked at 10,858 MB in one batch (85 bytes a byte); 10,000
# at 1,521 MB (120 a byte, the imports' and the engine's fixed part included) (docs/measured.md).
PEAK_PER_TEXT_BYTE = 90
# Of the memory free when the load starts: the rest for the machine's other work, and for texts that
# cost more a byte than the synthetic corpus did.
MEMORY_SHARE = 0.6
# Under this many nodes and relationships created (about 270 synthetic documents), a write's checkpoint
# is left to run beside the similarity ranking (write_graph) rather than before it.
SETTLE_BESIDE_ROWS = 20_000
STAGES = ("extract", "resolve", "write", "similarity", "commit")
# Told each stage's name and wall-clock seconds once it ends (the benchmarks time loads with it).
StageTimer = Callable[[str, float], None]
# Told (stage, done, total) as a load goes: ("extract", files read, files) after each file, then
# (stage, 0, 0) as each later stage begins, so a long load is never silent (the CLI and the app say it);
# a streamed load tells ("write", batch, batches) as each batch is written.
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
    resolved: bool = False,
) -> WriteSummary:
    """Write an extracted graph to `store` and refresh similarity; `similarity_top` 0 leaves similarity
    as it was (for many batches in a row, refreshed once at the end). A re-load never brings back what a
    researcher rejected: the corrections the store keeps with what they changed are applied to `graph`
    before it is written; `corrections` (kept from now on) and kept ones that have not changed stored
    facts yet (kept before their documents were loaded) are applied to the written facts in the same
    transaction and kept with what they changed, so each can be undone at once. `corrected` is told
    what all of them do to `graph`, before anything is written. `resolved`: `graph` is as
    `extract_paths` gives it, already resolved within itself."""
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
        del loading  # the graph's own id strings, not to be kept through the similarity refresh
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
            # A graph resolve_entities made (`resolved`) needs resolving again only against what the
            # store holds, or after corrections changed it.
            written, joined = resolved_against_store(graph, store, resolved=resolved and not before)
        del graph  # a caller that keeps no reference (load_paths) frees the extracted graph after the write
        with _stage("write", timer, progress):
            if settle:
                summary, settled = store.write_corrected(written, list(settle.values()), joined)
                applied += len(settled.applied)
                summary.corrections_recorded = len([c for c in corrections if c.id not in held])
            else:
                summary = store.write(written)
            del written  # not needed past the write: the similarity refresh reads the store
            # The engine's pages of a large write, before the refresh or the next batch (its checkpoint,
            # part of the write's cost). A small one leaves few pages, and its checkpoint (4 s into the
            # 10,000-document store, docs/measured.md) runs beside the refresh's ranking instead.
            if similarity_top <= 0 or summary.nodes_created + summary.edges_created >= SETTLE_BESIDE_ROWS:
                # The names' cache holds strings made all through the extraction, each keeping a piece of
                # the graph's freed memory from going back (20,000 documents: 594 -> 493 arenas of 1 MB).
                normalise_name.cache_clear()
                store.release_memory()  # and the graph's memory, back to the system
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
    batch_files: int | None = None,
) -> WriteSummary:
    """Extract every file first (a bad file stops the load before any write: a streamed load, below,
    before its swap), then `write_graph` (with `corrections`, a researcher's or a team's file, to apply
    and keep).
    `warn` receives each extraction warning (a file that loaded but named no zone) before the write;
    `corrected` what the corrections did (those whose fact is gone included), before the write;
    `timer` each stage's seconds (STAGES; "commit" spans resolve to the end of the swap).

    More than `batch_files` files (BATCH_FILES unless given) into a store whose `staged` block lands all
    or nothing (the embedded store) are streamed instead (`_write_in_batches`): extracted, resolved and
    written `batch_files` at a time (the first batch into a store that holds nothing larger:
    FIRST_BATCH_FACTOR times as many files when `batch_files` is given, otherwise `first_batch_files`, as
    many as the free memory holds; a load no larger than that is not streamed), each batch its own
    transaction inside the one staging copy,
    similarity refreshed once at the end. The load still lands whole or not at all (a bad file in the
    last batch leaves the store as it was); the extracted graph and each write transaction are bounded
    by a batch, not by the load (the similarity refresh after them, by the zones). Elsewhere (Neo4j,
    where each transaction commits) a load stays one extraction and one transaction."""
    from govkg.loaders.extract import expand_paths
    from govkg.memory import available_memory

    files = expand_paths(paths)
    _ready_for_a_large_write(settings, files)
    batch = BATCH_FILES if batch_files is None else batch_files
    if len(files) > batch:
        with open_store(settings) as store:
            if store.stages_atomically:
                first = batch
                if store.holds_nothing():
                    first = batch * FIRST_BATCH_FACTOR if batch_files is not None else first_batch_files(
                        files, available_memory(), batch)  # fmt: skip
                if len(files) > first:
                    return _write_in_batches(store, files, _batch_starts(len(files), first, batch),
                                             similarity_top=similarity_top, warn=warn, timer=timer,
                                             corrections=corrections, corrected=corrected,
                                             progress=progress)  # fmt: skip
    # The graph is handed over, not kept here: write_graph lets go of it once written, before the
    # similarity refresh (the refresh's peak is the load's).
    holder = [_extracted(files, warn, progress, 0, len(files), timer)]
    with open_store(settings) as store:
        return write_graph(store, holder.pop(), similarity_top=similarity_top, timer=timer,
                           corrections=corrections, corrected=corrected, progress=progress,
                           resolved=True)  # fmt: skip


def _ready_for_a_large_write(settings: StoreSettings, files: Sequence[Path]) -> None:
    """Before a large load extracts anything, the modules its write will import (the embedded store's
    COPY path): imported later, their objects pin the memory the extracted graph leaves when it is freed
    (`import_copy_modules`). A small load, which may never COPY, does not pay for them."""
    from govkg.loaders.extract import PARALLEL_MIN_FILES

    if settings.engine == "embedded" and len(files) >= PARALLEL_MIN_FILES:
        from govkg.graph.ladybug_store import import_copy_modules

        import_copy_modules()


def _extracted(
    files: list[Path],
    warn: Callable[[str], None] | None,
    progress: Progress | None,
    before: int,
    total: int,
    timer: StageTimer | None = None,
) -> GraphDocument:
    """`files` extracted (`before` of `total` files read already), their warnings told to `warn`."""
    from govkg.loaders.extract import extract_paths, extraction_warnings

    told = None if progress is None else lambda done, _: progress("extract", before + done, total)
    with _stage("extract", timer):
        graph = extract_paths(files, progress=told)
    if warn is not None:
        for warning in extraction_warnings(graph):
            warn(warning)
    return graph


def first_batch_files(files: Sequence[Path], available: int | None, batch_files: int = BATCH_FILES) -> int:
    """How many of `files`, in their order, the first batch of a load into a store that holds nothing
    takes when the caller names no batch size: as many as MEMORY_SHARE of `available` bytes holds at
    PEAK_PER_TEXT_BYTE a byte of their text (all of them when they fit), never fewer than
    FIRST_BATCH_FACTOR times `batch_files`; that floor alone when the free memory is unknown."""
    floor = min(len(files), FIRST_BATCH_FACTOR * batch_files)
    if available is None:
        return floor
    budget = available * MEMORY_SHARE / PEAK_PER_TEXT_BYTE  # bytes of text
    taken, text = 0, 0
    for path in files:
        text += _size(path)
        if text > budget:
            break
        taken += 1
    return max(floor, taken)


def _size(path: Path) -> int:
    """A file's size in bytes; 0 for one that cannot be read now (its extraction then says why)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _batch_starts(files: int, first: int, batch_files: int) -> list[int]:
    """Where each batch of a streamed load begins: the first holds `first` files, the others `batch_files`."""
    return [0, *range(first, files, batch_files)]


def _write_in_batches(
    store: GraphStore,
    files: list[Path],
    starts: list[int],
    *,
    similarity_top: int,
    warn: Callable[[str], None] | None,
    timer: StageTimer | None,
    corrections: Sequence[Correction],
    corrected: Callable[[Outcome], None] | None,
    progress: Progress | None,
) -> WriteSummary:
    """A streamed load (see `load_paths`), its batches beginning at `starts`: each batch is resolved
    against the store as the batches before it left it, exactly as loading the batches one after
    another would; the given corrections are kept with the first batch and applied, as kept ones, to
    every later one. `timer` is told each stage's total once; `corrected` what the corrections did over
    all batches, before the swap."""
    from govkg.graph.similarity import refresh_similarity
    from govkg.graph.similarity.answers import keep_state

    spent: dict[str, float] = {}

    def add(stage: str, seconds: float) -> None:
        spent[stage] = spent.get(stage, 0.0) + seconds

    outcomes: list[Outcome] = []
    total = WriteSummary()
    start = time.perf_counter()
    with store.staged():
        for number, (first, end) in enumerate(zip(starts, [*starts[1:], len(files)], strict=True), start=1):
            graph = _extracted(files[first:end], warn, progress, first, len(files), add)
            told = None if progress is None else _batch_progress(progress, number, len(starts))
            summary = write_graph(store, graph, similarity_top=0, timer=add,
                                  corrections=corrections if number == 1 else (),
                                  corrected=None if corrected is None else lambda o: outcomes.append(
                                      replace(o, graph=GraphDocument())),  # not the batch's graph
                                  progress=told, resolved=True)  # fmt: skip
            del graph  # the next batch is read without this one in memory
            _add_summary(total, summary)
        if similarity_top > 0:
            with _stage("similarity", add, progress):
                refresh_similarity(store, top=similarity_top)
            total.counts_after = store.counts()
        if corrected is not None and outcomes:
            corrected(_over_batches(outcomes))
    if similarity_top > 0:
        keep_state(store)
    if timer is not None:
        spent["commit"] = time.perf_counter() - start - spent.get("extract", 0.0)
        for stage in STAGES:
            if stage in spent:
                timer(stage, spent[stage])
    return total


def _batch_progress(progress: Progress, number: int, batches: int) -> Progress:
    """A batch's stages told with the batch's number: ("write", 2, 10) as the second of ten is written."""
    return lambda stage, done, total: progress(stage, number, batches) if stage == "write" else progress(
        stage, done, total)  # fmt: skip


def _add_summary(total: WriteSummary, batch: WriteSummary) -> None:
    """Add a batch's counts and lists to the load's (`counts_after` is the load's, set at its end);
    `nodes_matched` and `edges_matched` count what was present when each batch was written (a node an
    earlier batch created counts again as present)."""
    for name in (f.name for f in fields(WriteSummary) if f.name != "counts_after"):
        setattr(total, name, getattr(total, name) + getattr(batch, name))


def _over_batches(outcomes: list[Outcome]) -> Outcome:
    """What the corrections did over every batch: applied in any, missing where their documents were
    and never applied, for other documents only if no batch held theirs."""
    applied = _unique(c for o in outcomes for c in o.applied)
    done = {c.id for c in applied}
    missing = _unique(c for o in outcomes for c in o.missing if c.id not in done)
    done |= {c.id for c in missing}
    elsewhere = _unique(c for o in outcomes for c in o.elsewhere if c.id not in done)
    return Outcome(GraphDocument(), tuple(applied), tuple(missing), tuple(elsewhere),
                   tuple(e for o in outcomes for e in o.dropped))  # fmt: skip


def _unique(corrections: Iterable[Correction]) -> list[Correction]:
    seen: dict[str, Correction] = {}
    for c in corrections:
        seen.setdefault(c.id, c)
    return list(seen.values())
