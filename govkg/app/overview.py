"""The overview's charts as data: how many mechanisms of each category each zone adopts, and the
same by zone level. Long tables (one row per zone or level and category), as st.bar_chart draws
them stacked; names come in both languages so the page can show the reader's."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from govkg.graph.model import ZONE_LEVELS
from govkg.graph.store import GraphStore

__all__ = [
    "CATEGORY_PALETTE",
    "CategoryCount",
    "by_level",
    "by_zone",
    "category_colours",
    "category_counts",
    "top_zones",
]

CATEGORY_COUNTS_CYPHER = (
    "MATCH (z:Zone)-[a:ADOPTS]->(m:Mechanism)-[:IN_CATEGORY]->(c:Category) "
    "WHERE coalesce(a.stage, '') <> 'planned' "  # a plan is no adoption
    "RETURN z.id AS zone_id, z.name AS zone, z.level AS level, c.id AS category_id, c.name AS category, "
    "c.name_en AS category_en, count(DISTINCT m.id) AS mechanisms ORDER BY zone_id, category_id"
)


@dataclass(frozen=True)
class CategoryCount:
    """Mechanisms of one category that one zone adopts (directly, parts included when adopted)."""

    zone_id: str
    zone: str
    level: str
    category_id: str
    category: str
    category_en: str
    mechanisms: int


def category_counts(store: GraphStore) -> list[CategoryCount]:
    return [
        CategoryCount(str(r["zone_id"]), str(r["zone"] or r["zone_id"]), str(r["level"] or ""), str(r["category_id"]),
                      str(r["category"] or r["category_id"]), str(r["category_en"] or r["category"] or ""),
                      int(r["mechanisms"]))
        for r in store.read(CATEGORY_COUNTS_CYPHER).records()
    ]


def top_zones(counts: list[CategoryCount], limit: int) -> list[str]:
    """Ids of the `limit` zones with the most categorised mechanisms (ties by name): the chart's rows."""
    totals: Counter[str] = Counter()
    names: dict[str, str] = {}
    for c in counts:
        totals[c.zone_id] += c.mechanisms
        names[c.zone_id] = c.zone
    return sorted(totals, key=lambda z: (-totals[z], names[z], z))[:limit]


def _zone_labels(counts: list[CategoryCount]) -> dict[str, str]:
    """A zone's name on the chart; zones sharing a name get their id added so they stay apart."""
    names: dict[str, str] = {c.zone_id: c.zone for c in counts}
    seen = Counter(names.values())
    return {z: (n if seen[n] == 1 else f"{n} ({z})") for z, n in names.items()}


def by_zone(counts: list[CategoryCount], zones: list[str], english: bool) -> list[dict[str, object]]:
    """Rows {zone, category, mechanisms} for the chosen zones, in their order."""
    label = _zone_labels(counts)
    order = {z: i for i, z in enumerate(zones)}
    rows = [c for c in counts if c.zone_id in order]
    rows.sort(key=lambda c: (order[c.zone_id], c.category_id))
    return [{"zone": label[c.zone_id], "category": c.category_en if english else c.category,
             "mechanisms": c.mechanisms} for c in rows]


def by_level(counts: list[CategoryCount], english: bool) -> list[dict[str, object]]:
    """Rows {level, category, mechanisms}: adoptions summed over the zones of each level, levels in
    schema order (province first)."""
    totals: Counter[tuple[str, str]] = Counter()
    names: dict[str, str] = {}
    for c in counts:
        totals[(c.level, c.category_id)] += c.mechanisms
        names[c.category_id] = c.category_en if english else c.category
    rank = {lv: i for i, lv in enumerate(ZONE_LEVELS)}
    keys = sorted(totals, key=lambda k: (rank.get(k[0], len(rank)), k[0], k[1]))
    return [{"level": level, "category": names[cat], "mechanisms": totals[(level, cat)]} for level, cat in keys]


# Tableau 20, the palette the charts used before: here each category keeps its colour whatever the
# language, because colours follow the category's id, not its name (names sort differently in Chinese
# and English, and Vega gives a nominal scale's colours in sorted-name order).
CATEGORY_PALETTE: tuple[str, ...] = (
    "#4C78A8", "#9ECAE9", "#F58518", "#FFBF79", "#54A24B", "#88D27A", "#B79A20", "#F2CF5B", "#439894", "#83BCB6",
    "#E45756", "#FF9D98", "#79706E", "#BAB0AC", "#D67195", "#FCBFD2", "#B279A2", "#D6A5C9", "#9E765F", "#D8B5A5",
)  # fmt: skip


def category_colours(counts: list[CategoryCount], english: bool) -> tuple[list[str], list[str]]:
    """The charts' colour scale: category names in the reader's language (the domain) and each one's
    colour, given by the category's place among the ids (the range)."""
    names: dict[str, str] = {}
    for c in counts:
        names[c.category_id] = c.category_en if english else c.category
    ids = sorted(names)
    return [names[i] for i in ids], [CATEGORY_PALETTE[n % len(CATEGORY_PALETTE)] for n in range(len(ids))]
