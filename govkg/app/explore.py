"""Filtering a picture of the graph by label, mechanism category, theme, zone level and relationship type.

A reader narrowing a neighbourhood wants, say, only the deliberation mechanisms around a district, or
only street-level zones under one theme. Category and theme are relationships (IN_CATEGORY,
UNDER_THEME) that may lie outside the picture, so they are read once per data version from the
store into a Membership and applied here without Streamlit.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from govkg.graph.model import GraphDocument, Node
from govkg.graph.store import GraphStore

__all__ = ["Filters", "Membership", "filter_graph", "membership_of"]

CATEGORY_CYPHER = "MATCH (m:Mechanism)-[:IN_CATEGORY]->(c:Category) RETURN m.id AS node, c.id AS category"
THEME_CYPHER = (
    "MATCH (n:Zone)-[:UNDER_THEME]->(t:Theme) RETURN n.id AS node, t.id AS theme "
    "UNION MATCH (n:Mechanism)-[:UNDER_THEME]->(t:Theme) RETURN n.id AS node, t.id AS theme"
)


@dataclass(frozen=True)
class Membership:
    """Which categories each mechanism is in and which themes each zone or mechanism comes under."""

    categories: dict[str, frozenset[str]] = field(default_factory=dict)
    themes: dict[str, frozenset[str]] = field(default_factory=dict)


def _grouped(rows: list[list[object]]) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for node, group in rows:
        out.setdefault(str(node), set()).add(str(group))
    return {k: frozenset(v) for k, v in out.items()}


def membership_of(store: GraphStore) -> Membership:
    return Membership(_grouped(store.read(CATEGORY_CYPHER).rows), _grouped(store.read(THEME_CYPHER).rows))


@dataclass(frozen=True)
class Filters:
    """What a reader chose; an empty choice filters nothing."""

    labels: Collection[str] = ()
    categories: Collection[str] = ()  # Category ids
    themes: Collection[str] = ()  # Theme ids
    levels: Collection[str] = ()  # Zone levels
    relationships: Collection[str] = ()  # relationship types drawn

    @property
    def active(self) -> bool:
        return bool(self.labels or self.categories or self.themes or self.levels or self.relationships)


def _keeps(node: Node, filters: Filters, membership: Membership) -> bool:
    if filters.labels and node.label not in filters.labels:
        return False
    if filters.categories:
        if node.label == "Mechanism" and not membership.categories.get(node.id, frozenset()) & set(filters.categories):
            return False
        if node.label == "Category" and node.id not in filters.categories:
            return False
    if filters.themes:
        if node.label in ("Zone", "Mechanism") and not membership.themes.get(node.id, frozenset()) & set(
            filters.themes
        ):
            return False
        if node.label == "Theme" and node.id not in filters.themes:
            return False
    return not (filters.levels and node.label == "Zone" and node.properties.get("level") not in filters.levels)


def filter_graph(
    graph: GraphDocument, filters: Filters, membership: Membership, keep: str | None = None
) -> GraphDocument:
    """The nodes of `graph` the filters let through (and `keep`, the node in focus, always), and
    the edges among them. A category filter keeps mechanisms in one of the categories; a theme
    filter keeps zones and mechanisms under one of the themes; a level filter keeps zones of those
    levels; other labels pass the category, theme and level filters; a relationship filter keeps only
    edges of those types (nodes stay). Documents stay (evidence cites them); their MENTIONS edges go
    when the label filter leaves Document out."""
    if not filters.active:
        return graph
    nodes = [n for n in graph.nodes if n.id == keep or _keeps(n, filters, membership)]
    kept = {n.id for n in nodes}
    doc_ids = {d.id for d in graph.documents}
    documents_drawn = not filters.labels or "Document" in filters.labels or keep in doc_ids
    if documents_drawn:
        kept |= doc_ids
    types = set(filters.relationships)
    edges = [e for e in graph.edges if e.source in kept and e.target in kept and (not types or e.type in types)]
    return GraphDocument(list(graph.documents), nodes, edges)
