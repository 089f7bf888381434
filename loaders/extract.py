"""Entry point of the loaders: turn files and folders into one merged graph document."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from govkg.errors import InputError
from graph.model import GraphDocument

TEXT_SUFFIXES = (".txt", ".md", ".markdown")
SHEET_SUFFIXES = (".yaml", ".yml", ".json")
CSV_SUFFIXES = (".csv",)
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + SHEET_SUFFIXES + CSV_SUFFIXES


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


def extract_file(path: Path) -> GraphDocument:
    """One file's graph document, by its suffix."""
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        from loaders.text_extractor import extract_text_file

        return extract_text_file(path)
    if suffix in SHEET_SUFFIXES:
        from loaders.case_sheet import load_case_sheet

        return load_case_sheet(path)
    if suffix in CSV_SUFFIXES:
        from loaders.csv_cases import load_csv

        return load_csv(path)
    if not path.exists():
        raise InputError(str(path), "file not found")
    supported = ", ".join(SUPPORTED_SUFFIXES)
    raise InputError(str(path), f"unsupported file type {suffix or '(none)'}; use one of {supported}")


def extract_paths(paths: Iterable[Path]) -> GraphDocument:
    """Every file's extraction merged into one graph document, the same zone or mechanism named
    differently in two files joined into one node (loaders/resolution.py). Any bad file raises before
    anything is returned, so a caller that writes only after this succeeds never writes part of a batch."""
    from loaders.resolution import resolve_entities

    parts = [extract_file(path) for path in expand_paths(paths)]
    # One merge of everything: merging file by file copies the growing union each time (quadratic:
    # 1,000 files took minutes, see BENCHMARKS.md); the result is the same, first occurrence first.
    everything = GraphDocument(
        [d for g in parts for d in g.documents],
        [n for g in parts for n in g.nodes],
        [e for g in parts for e in g.edges],
    )
    return resolve_entities(GraphDocument().merged(everything))


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
