"""Finding a node by name or alias, in traditional or simplified characters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from govkg.app.language import label_name
from govkg.graph.model import NODE_LABELS, normalise_name
from govkg.graph.store import GraphStore
from govkg.text import fold

SEARCH_LIMIT = 300
NODE_FACETS: tuple[str, ...] = ("kind", "level", "province")


@dataclass(frozen=True)
class NodeEntry:
    id: str
    label: str
    name: str
    aliases: tuple[str, ...]
    level: str = ""  # zones only

    def caption(self) -> str:
        """How a node is listed in a picker: name, label, and aliases that tell it apart."""
        extra = f" · {' / '.join(self.aliases[:3])}" if self.aliases else ""
        return f"{self.name} ({label_name(self.label)}){extra}"


def node_entries(store: GraphStore) -> list[NodeEntry]:
    """Every node but documents, by label then name: one query per label, which both engines accept."""
    entries: list[NodeEntry] = []
    for label in NODE_LABELS:
        if label == "Document":
            continue
        level = "n.level" if label == "Zone" else "''"
        # A column at a time (Arrow on the embedded store): 89,000 nodes read row by row took a second.
        columns = store.read_columns(
            f"MATCH (n:{label}) RETURN n.id AS id, n.name AS name, n.aliases AS aliases, {level} AS level"
        )
        found = [
            NodeEntry(str(i), label, str(name or i), tuple(str(a) for a in aliases or []), str(at or ""))
            for i, name, aliases, at in zip(*columns, strict=True)
        ]
        entries.extend(sorted(found, key=lambda e: (e.name, e.id)))
    return entries


def entry_frame(entries: list[NodeEntry], provinces: Mapping[str, str]) -> pd.DataFrame:
    """The entries as rows for their facets (NODE_FACETS; one row an entry, in order): kind, and a
    zone's level and province (empty for other nodes)."""
    return pd.DataFrame({
        "kind": [e.label for e in entries],
        "level": [e.level for e in entries],
        "province": [provinces.get(e.id, "") for e in entries],
    })  # fmt: skip


def search_key(text: str) -> str:
    """A name or query as search compares it: folded to simplified characters as the loaders fold
    names (govkg.text.fold), then without quotes or spaces, lower case."""
    return normalise_name(fold(text)).lower()


def search_nodes(entries: list[NodeEntry], query: str, limit: int | None = SEARCH_LIMIT) -> list[NodeEntry]:
    """Nodes whose name or an alias contains `query` (traditional or simplified), best matches first:
    exact name, then name starting with it, then the rest, shorter names first; at most `limit` (None:
    all)."""
    wanted = search_key(query)
    if not wanted:
        return entries[:limit]
    scored: list[tuple[int, int, NodeEntry]] = []
    for entry in entries:
        keys = [search_key(entry.name), *(search_key(a) for a in entry.aliases)]
        if not any(wanted in k for k in keys):
            continue
        rank = 0 if wanted in keys else 1 if any(k.startswith(wanted) for k in keys) else 2
        scored.append((rank, len(entry.name), entry))
    scored.sort(key=lambda s: (s[0], s[1], s[2].name, s[2].id))
    return [s[2] for s in scored[:limit]]
