"""Uploads on the app's Load page: bytes -> checked text -> a graph document to preview, and the write
of an upload.

Nothing here writes to the store until `write_upload`, which opens a writable handle just for that
write (with the review's corrections, applied and kept in its one transaction) and closes it;
`kept_corrections` reads the corrections the store keeps, so the preview shows what a write would.
A bad upload (unknown format, empty, binary, undecodable, malformed) raises InputError naming the
file, as the command line does.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from govkg.app.highlight import Span, entity_spans
from govkg.errors import GovkgError, InputError
from govkg.graph.corrections import Correction
from govkg.graph.factory import StoreSettings, open_store
from govkg.graph.model import GraphDocument
from govkg.graph.store import WriteSummary
from govkg.graph.visual import colour_for
from govkg.loaders.extract import case_file_kind, extract_case_text
from govkg.loaders.reading import MAX_FILE_BYTES, decode_bytes

__all__ = ["Upload", "case_sheet_text", "combined", "entity_highlights", "kept_corrections", "read_upload", "tint",
           "write_upload"]


@dataclass(frozen=True)
class Upload:
    """One uploaded file, read: its decoded text, what kind of case file it is, and its extraction."""

    name: str
    kind: str  # "text", "sheet" or "csv"
    text: str
    graph: GraphDocument

    def label_counts(self) -> Counter[str]:
        return Counter(n.label for n in self.graph.nodes)


def read_upload(name: str, raw: bytes) -> Upload:
    """Decode and extract an uploaded case file (by its name's suffix), without writing anything.
    Whatever the bytes, the outcome is an Upload or an InputError naming the file: an upload is
    untrusted input, and one bad file must not take the page (or the other files) down."""
    try:
        return _read_upload(name, raw)
    except GovkgError:
        raise
    except (RecursionError, MemoryError, ValueError, TypeError, KeyError, IndexError, UnicodeError) as err:
        raise InputError(name, f"cannot be read ({type(err).__name__}); please report this file") from err


def _read_upload(name: str, raw: bytes) -> Upload:
    kind = case_file_kind(name)
    if len(raw) > MAX_FILE_BYTES:
        raise InputError(name, f"file is {len(raw) // 1_048_576} MB; the limit is {MAX_FILE_BYTES // 1_048_576} MB")
    text = decode_bytes(raw, name)
    graph = extract_case_text(text, name)
    problems = graph.problems()
    if problems:  # a loader bug, not the reader's: refuse to write it
        raise InputError(name, f"the extraction is inconsistent ({problems[0]}); please report this file")
    return Upload(name, kind, text, graph)


def tint(colour: str, keep: float = 0.35) -> str:
    """A light version of a #RRGGBB colour (mixed with white), as a background behind text."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(255 - (255 - c) * keep):02X}" for c in (r, g, b))


def entity_highlights(graph: GraphDocument, text: str, label_names: dict[str, str]) -> list[Span]:
    """Spans of `text` naming an extracted node (its name or an alias), coloured by label."""
    names: dict[str, tuple[str, str]] = {}
    for node in graph.nodes:
        if node.label in ("Document", "Category"):
            continue  # a category is assigned from cue words, not named in the text
        title = f"{label_names.get(node.label, node.label)}: {node.name}"
        for written in (node.name, *node.aliases):
            names.setdefault(written, (tint(colour_for(node.label)), title))
    return entity_spans(text, names)


def case_sheet_text(upload: Upload) -> str:
    """The extraction as a case sheet (YAML) for the reader to correct and load back."""
    from govkg.loaders.sheet_export import case_sheet_to_yaml

    return case_sheet_to_yaml(upload.graph)


def combined(uploads: list[Upload]) -> GraphDocument:
    """The uploads as one graph, the same zone or mechanism named differently in two files joined
    (as `govkg load` does for the files of one load)."""
    from govkg.loaders.resolution import resolve_entities

    merged = GraphDocument()
    for upload in uploads:
        merged = merged.merged(upload.graph)
    return resolve_entities(merged)


def write_upload(settings: StoreSettings, graph: GraphDocument, corrections: Sequence[Correction] = (),
                 progress: Callable[[str, int, int], None] | None = None) -> WriteSummary:  # fmt: skip
    """Write `graph` through a writable handle opened for this write only, by the load service
    `govkg load` uses: the same resolution, one transaction, similarity refreshed. The reader's
    `corrections` (the review's) are applied with the ones the store keeps and kept from now on, in
    that one transaction. `progress` is told each stage as it begins (govkg/services/loading.py)."""
    from govkg.services.loading import write_graph

    with open_store(settings) as store:
        return write_graph(store, graph, corrections=corrections, progress=progress)


def kept_corrections(settings: StoreSettings) -> list[Correction] | None:
    """The corrections the store keeps (every load applies them), read through a read-only handle
    opened for this read; [] when there is no store yet, None when it cannot be read now (held by
    another process, a lost connection): the write still applies them."""
    if settings.engine == "embedded" and not settings.db_path.exists():
        return []
    try:
        with open_store(settings, read_only=True) as store:
            return store.corrections()
    except GovkgError:
        return None
