"""The overview page's tables: counts by label and relationship type, the glossary, the documents."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from govkg.app.language import edge_name, label_name, t
from govkg.app.markdown import md_escape
from govkg.graph.model import EDGE_TYPES, NODE_LABELS
from govkg.graph.store import GraphStore


@dataclass(frozen=True)
class CountRow:
    name: str
    display: str
    count: int


def count_tables(counts: Mapping[str, int]) -> tuple[list[CountRow], list[CountRow]]:
    """Counts split into node labels and relationship types, in schema order, names in the reader's language."""
    labels = [CountRow(lb, label_name(lb), int(counts.get(lb, 0))) for lb in NODE_LABELS]
    known = [*NODE_LABELS, *EDGE_TYPES]
    types = [CountRow(ty, edge_name(ty), int(counts.get(ty, 0))) for ty in EDGE_TYPES]
    types += [CountRow(k, k, int(v)) for k, v in sorted(counts.items()) if k not in known]
    return labels, types


def glossary_markdown() -> str:
    """One line per node label: its name and what it stands for, in the reader's language."""
    return "\n".join(f"- **{md_escape(label_name(label))}**: {md_escape(t(f'glossary.{label}'))}"
                     for label in NODE_LABELS)


DOCUMENTS_CYPHER = (
    "MATCH (d:Document) RETURN d.id AS id, d.title AS title, d.source AS source, d.author AS author, "
    "d.date AS date, d.loaded_at AS loaded_at, d.path AS path ORDER BY d.loaded_at, d.title"
)


def documents(store: GraphStore) -> list[dict[str, Any]]:
    """The documents loaded (without their text)."""
    return store.read(DOCUMENTS_CYPHER).records()
