"""Entry point of the loaders: turn files and folders into one merged graph document."""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePath

from govkg.errors import InputError
from govkg.graph.merge import paused_gc
from govkg.graph.model import Evidence, GraphDocument, GraphUnion

TEXT_SUFFIXES = (".txt", ".md", ".markdown")
SHEET_SUFFIXES = (".yaml", ".yml", ".json")
CSV_SUFFIXES = (".csv",)
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + SHEET_SUFFIXES + CSV_SUFFIXES
# From this many files on, extraction runs in worker processes (one per core): below it the pool's
# start and the copying of results back cost more than the second core saves.
PARALLEL_MIN_FILES = 200
_CHUNK = 25  # files per task: few round trips, and the cores stay evenly busy to the end


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, and supported files inside named folders (sorted, recursive)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*") if p.is_file() and _is_case_file(p))
            if not inside:
                raise InputError(str(path), f"folder holds no case files ({', '.join(SUPPORTED_SUFFIXES)})")
            files.extend(inside)
        else:
            files.append(path)
    return files


def _is_case_file(path: Path) -> bool:
    """A supported file inside a named folder; a folder's README (README.md …) describes the folder
    and is not a case, so data/cases/README.md is not loaded as a case text."""
    return path.suffix.lower() in SUPPORTED_SUFFIXES and path.stem.lower() != "readme"


def case_file_kind(name: str) -> str:
    """What kind of case file `name` is by its suffix: "text", "sheet" or "csv" (InputError naming
    the supported suffixes otherwise). The one place the suffixes decide the reader, for files
    named on the command line and for uploads alike."""
    suffix = PurePath(name).suffix.lower()
    for kind, suffixes in (("text", TEXT_SUFFIXES), ("sheet", SHEET_SUFFIXES), ("csv", CSV_SUFFIXES)):
        if suffix in suffixes:
            return kind
    supported = ", ".join(SUPPORTED_SUFFIXES)
    raise InputError(name, f"unsupported file type {suffix or '(none)'}; use one of {supported}")


def extract_case_text(text: str, name: str) -> GraphDocument:
    """The graph document of a case file's decoded text, read as its name's suffix says."""
    kind = case_file_kind(name)
    if kind == "text":
        from govkg.loaders.text_extractor import extract_text

        return extract_text(text, name)
    if kind == "sheet":
        from govkg.loaders.case_sheet import case_sheet_from_text

        return case_sheet_from_text(text, name)
    from govkg.loaders.csv_cases import csv_from_text

    return csv_from_text(text, name)


def extract_file(path: Path) -> GraphDocument:
    """One file's graph document, by its suffix."""
    try:
        case_file_kind(str(path))
    except InputError:
        if not path.exists():  # the likelier mistake: say so rather than blame the suffix
            raise InputError(str(path), "file not found") from None
        raise
    from govkg.loaders.reading import read_text

    return extract_case_text(read_text(path), str(path))


def extract_paths(
    paths: Iterable[Path], *, workers: int | None = None, progress: Callable[[int, int], None] | None = None
) -> GraphDocument:
    """Every file's extraction merged into one graph document, the same zone or mechanism named
    differently in two files joined into one node (loaders/resolution.py). Any bad file raises before
    anything is returned, so a caller that writes only after this succeeds never writes part of a batch.

    `workers`: processes extracting at once (default: one per core for many files, else 1). The
    result is the same whatever the number: files are extracted independently and taken in order.
    `progress` is told (files read, files in all) after each file."""
    from govkg.loaders.resolution import resolve_entities

    files = expand_paths(paths)
    # Each file's graph joins the union as it arrives and is then dropped: the union holds one node
    # per id and one edge per key, so the files' own graphs are never all held beside it. (Merging
    # file by file with GraphDocument.merged copied the growing union each time: quadratic.)
    union = GraphUnion()
    ids: dict[str, str] = {}
    for done, part in enumerate(_extract_files(files, workers), 1):
        with paused_gc():  # the union only builds objects that stay (graph/merge.py)
            union.add(_share_ids(part, ids))
        del part
        if progress is not None:
            progress(done, len(files))
    graph = union.result()
    # The union's own indexes (by id, by key, the evidence of repeated edges) are not needed past
    # here: 8 of its 28 MB at 1,000 documents, let go of before resolution copies the graph.
    del union
    with paused_gc():
        return resolve_entities(graph)


def _extract_files(files: list[Path], workers: int | None) -> Iterator[GraphDocument]:
    """Each file's graph document, in the order of `files`; the first bad file (in that order) raises."""
    if workers is None:
        workers = _cores() if len(files) >= PARALLEL_MIN_FILES else 1
    workers = min(workers, len(files))
    if workers < 2 or not _can_fork():
        yield from (_extract_compact(path) for path in files)
        return
    # The first file is read here, so the workers (forked after it) share the tokenizer, lexicon and
    # division tables it loaded instead of each building its own.
    yield _extract_compact(files[0])
    rest = files[1:]
    for stream in (sys.stdout, sys.stderr):  # else a worker may print the parent's unflushed output again
        stream.flush()
    with (
        # gc.enable: a worker forked while the collector is paused here collects as usual.
        ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"), initializer=gc.enable) as pool,
        paused_gc(),  # here only results arrive, to be kept
    ):
        for outcome in pool.map(_extract_in_worker, rest, chunksize=_CHUNK):
            if isinstance(outcome, _Failed):
                pool.shutdown(wait=True, cancel_futures=True)
                raise InputError(outcome.path, outcome.problem)
            yield outcome


@dataclass(frozen=True)
class _Failed:
    """A worker's InputError, carried back as a value (the exception's own pickling loses `problem`)."""

    path: str
    problem: str


def _extract_in_worker(path: Path) -> GraphDocument | _Failed:
    try:
        return _extract_compact(path)
    except InputError as err:
        return _Failed(err.path, err.problem)


def _extract_compact(path: Path) -> GraphDocument:
    """extract_file, with equal pieces of evidence made one object. A sentence backs many edges
    (its zone adopts, the mechanism has parts, falls in categories ...) and each edge got its own
    copy of the sentence: at 10,000 documents, hundreds of thousands of copies of a few tens of
    thousands of sentences. Evidence of different files never is equal (the document differs), so
    sharing within each file shares all."""
    graph = extract_file(path)
    shared: dict[tuple[str, str, int, int], Evidence] = {}
    for edge in graph.edges:
        edge.evidence = [shared.setdefault((ev.document, ev.text, ev.start, ev.end), ev) for ev in edge.evidence]
    return graph


def _share_ids(graph: GraphDocument, ids: dict[str, str]) -> GraphDocument:
    """`graph` with every equal node id one string object, the first that `ids` holds (which gains
    the new ones). Each edge names its ends by id and got its own copy of the string, and a worker's
    results arrive as copies per file; `extract_paths` passes every file's graph through here with
    one `ids` for the load, so the ids held fall from about 52,900 strings to 15,100 at 1,000
    documents (docs/measured.md)."""
    for node in graph.nodes:
        node.id = ids.setdefault(node.id, node.id)
    for edge in graph.edges:
        edge.source = ids.setdefault(edge.source, edge.source)
        edge.target = ids.setdefault(edge.target, edge.target)
    return graph


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _can_fork() -> bool:
    """Workers are forked (they start at once, sharing what is loaded); forking a process that runs
    other Python threads (the Streamlit app) is unsafe, so such a process extracts in one."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def extraction_warnings(graph: GraphDocument) -> list[str]:
    """What a researcher should know about files that loaded without error: a text in which no
    zone was found is kept (its text is stored and searchable) but holds no facts."""
    cited = {ev.document for edge in graph.edges for ev in edge.evidence}
    return [
        f"{doc.path or doc.id}: no zone found (未找到地区): the text is stored, but no practice, "
        "organisation or policy could be placed; name the place in full (e.g. 浙江省平湖市当湖街道) "
        "or describe the case in a case sheet"
        for doc in graph.documents
        if doc.id not in cited
    ]
