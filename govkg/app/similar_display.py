"""The similar-zones page's small helpers: the zone it opens on and a score's parts as text."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from govkg.app.language import both, t
from govkg.graph.store import GraphStore
from govkg.i18n import MESSAGES

BUSIEST_ZONE_CYPHER = (
    "MATCH (z:Zone)-[a:ADOPTS]->(m:Mechanism) WHERE coalesce(a.stage, '') <> 'planned' "
    "RETURN z.id AS id, count(m) AS n ORDER BY n DESC, id LIMIT 1"
)


def busiest_zone(store: GraphStore) -> str | None:
    """The zone with the most mechanisms: the similar-zones page opens on it, so it shows a ranking at once."""
    rows = store.read(BUSIEST_ZONE_CYPHER).rows
    return str(rows[0][0]) if rows else None


def format_parts(parts: Any) -> str:
    """A similarity score's parts ({"mechanisms": 0.5, "categories": 0.1}) as short text, named in the
    reader's language."""
    if isinstance(parts, Mapping):
        return "; ".join(f"{_part_name(str(k))} {_number(v)}" for k, v in parts.items())
    if isinstance(parts, (list, tuple)):
        return "; ".join(str(p) for p in parts)
    return "" if parts is None else str(parts)


def _part_name(part: str) -> str:
    key = f"similar.part.{part}"
    return t(key) if key in MESSAGES else part


def bilingual_note(note: str) -> str:
    """A note from the analytics written "中文 | English", shown in the reader's language."""
    zh, bar, en = note.partition(" | ")
    return both(zh.strip(), en.strip(), paragraph=True) if bar else note


def _number(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)
