"""The corrections page's data and its writes: the kept corrections as table rows; undoing one and
taking in a team's file through govkg/services/correcting.py (a writable handle opened for that write
only, as the Load page writes); the kept corrections as a file to share."""

from __future__ import annotations

import json
from dataclasses import dataclass

from govkg.graph.corrections import Correction, Imported, corrections_from_json, corrections_to_json
from govkg.graph.factory import StoreSettings
from govkg.loaders.reading import decode_bytes
from govkg.services import correcting

__all__ = ["EXPORT_NAME", "CorrectionRow", "correction_rows", "export_text", "import_file", "undo"]

EXPORT_NAME = "govkg-corrections.json"


@dataclass(frozen=True)
class CorrectionRow:
    id: str
    action: str
    target: str
    value: str
    author: str
    made_at: str
    reason: str
    before: str  # what the extractor had said: a node's name, or the relationship


def correction_rows(kept: list[Correction]) -> list[CorrectionRow]:
    """One row a correction, oldest first, with what the extractor had said beside it."""
    return [
        CorrectionRow(c.id, c.action, str(c.target), json.dumps(c.value, ensure_ascii=False) if c.value else "",
                      c.author, c.made_at, c.reason, _before(c))
        for c in kept
    ]


def _before(c: Correction) -> str:
    if "name" in c.before:
        return f"{c.before['name']} ({c.before.get('label', '')})"
    if "type" in c.before:
        return f"({c.before['source']})-[:{c.before['type']}]->({c.before['target']})"
    return ""


def undo(settings: StoreSettings, correction_id: str) -> correcting.CorrectionDone:
    """Undo a kept correction now (govkg/services/correcting.py): the facts it changed put back as they
    were (`in_place`), or, for one that had not changed stored facts, loads no longer apply it."""
    return correcting.undo(settings, correction_id)


def export_text(kept: list[Correction]) -> str:
    """The kept corrections as the file a team shares (`govkg corrections export` writes the same)."""
    return corrections_to_json(kept)


def import_file(settings: StoreSettings, name: str, raw: bytes) -> Imported:
    """Take in an uploaded corrections file: read with the checks every case file gets (empty, binary,
    undecodable: InputError naming it), CorrectionError when it is not a corrections file, else
    applied now where the store holds its documents and kept for later otherwise."""
    return correcting.import_corrections(settings, corrections_from_json(decode_bytes(raw, name), name))
