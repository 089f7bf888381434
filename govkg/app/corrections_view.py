"""The corrections page's data and its one write: the kept corrections as table rows, and undoing one
through a writable handle opened for that write only (as the Load page writes)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from govkg.graph.corrections import Correction
from govkg.graph.factory import StoreSettings, open_store

__all__ = ["CorrectionRow", "correction_rows", "undo"]


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


def undo(settings: StoreSettings, correction_id: str) -> Correction:
    """Mark a kept correction undone, now; loads no longer apply it."""
    with open_store(settings) as store:
        return store.undo_correction(correction_id, datetime.now(UTC).isoformat(timespec="seconds"))
