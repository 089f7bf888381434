"""Which zones are alike: a first, explainable similarity from shared mechanisms and categories.

A zone's features are the mechanisms it adopts (with their parts, up to three levels down) and
the categories those mechanisms fall in. Two zones score the weighted Jaccard of their feature
sets: the weight of the features they share over the weight of all features either has, a
mechanism weighing MECHANISM_WEIGHT and a category CATEGORY_WEIGHT:

    score = (wm·|M1 ∩ M2| + wc·|C1 ∩ C2|) / (wm·|M1 ∪ M2| + wc·|C1 ∪ C2|)

so sharing the very same mechanism counts more than only sharing a kind of mechanism, and the
score splits into a mechanism part and a category part that add up to it.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

import networkx as nx

from govkg.errors import QueryError, ZoneNotFound
from graph.model import normalise_name
from graph.store import GraphStore

__all__ = [
    "CATEGORY_WEIGHT",
    "MECHANISM_WEIGHT",
    "ZoneRecord",
    "find_zone",
    "similar_zones",
    "zone_feature_graph",
    "zone_records",
]

MECHANISM_WEIGHT = 2.0
CATEGORY_WEIGHT = 1.0
SCORE_DIGITS = 4

ZONES_CYPHER = (
    "MATCH (z:Zone) RETURN z.id AS id, z.name AS name, z.aliases AS aliases, z.full_name AS full_name ORDER BY id"
)
MECHANISMS_CYPHER = (
    "MATCH (z:Zone)-[:ADOPTS]->(:Mechanism)-[:HAS_PART*0..3]->(m:Mechanism) "
    "RETURN DISTINCT z.id AS zone, m.id AS id, m.name AS name ORDER BY zone, id"
)
CATEGORIES_CYPHER = (
    "MATCH (z:Zone)-[:ADOPTS]->(:Mechanism)-[:HAS_PART*0..3]->(:Mechanism)-[:IN_CATEGORY]->(c:Category) "
    "RETURN DISTINCT z.id AS zone, c.id AS id, c.name AS name ORDER BY zone, id"
)


@dataclass(frozen=True)
class ZoneRecord:
    id: str
    name: str
    aliases: tuple[str, ...]
    full_name: str

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases, *((self.full_name,) if self.full_name else ()))


def zone_records(store: GraphStore) -> list[ZoneRecord]:
    rows = store.read(ZONES_CYPHER).records()
    return [
        ZoneRecord(str(r["id"]), str(r["name"] or ""), tuple(r["aliases"] or ()), str(r["full_name"] or ""))
        for r in rows
    ]


def find_zone(zones: list[ZoneRecord], wanted: str) -> ZoneRecord:
    """The zone called `wanted`: by name, then id, full name, alias (width forms, quotes and spaces
    ignored). Unknown -> ZoneNotFound with close names; a short name two zones share -> QueryError."""
    key = normalise_name(wanted)
    tiers = (
        lambda z: normalise_name(z.name) == key,
        lambda z: z.id == wanted.strip() or normalise_name(z.id) == key,
        lambda z: bool(z.full_name) and normalise_name(z.full_name) == key,
        lambda z: any(normalise_name(a) == key for a in z.aliases),
    )
    for matches in tiers:
        found = [z for z in zones if matches(z)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            names = ", ".join(z.full_name or z.name for z in found)
            raise QueryError(f"{wanted!r} names several zones ({names}); give the full name or the id")
    candidates: dict[str, str] = {}
    for z in zones:
        for n in z.names():
            candidates.setdefault(n, z.name)
    close = difflib.get_close_matches(wanted.strip(), list(candidates), n=5, cutoff=0.5)
    suggestions = list(dict.fromkeys(candidates[c] for c in close))
    raise ZoneNotFound(wanted, suggestions)


def zone_feature_graph(store: GraphStore) -> nx.Graph:
    """A bipartite graph: zone ids on one side, their mechanism and category features on the
    other (node attribute `kind` is zone, mechanism or category; features carry `weight` and
    `name`). The base for this similarity and for later ones (e.g. simrank)."""
    g = nx.Graph()
    for z in zone_records(store):
        g.add_node(z.id, kind="zone", name=z.name)
    for cypher, kind, weight in (
        (MECHANISMS_CYPHER, "mechanism", MECHANISM_WEIGHT),
        (CATEGORIES_CYPHER, "category", CATEGORY_WEIGHT),
    ):
        for row in store.read(cypher).records():
            g.add_node(row["id"], kind=kind, name=row["name"], weight=weight)
            g.add_edge(row["zone"], row["id"])
    return g


def _features(g: nx.Graph, zone_id: str, kind: str) -> set[str]:
    return {f for f in g.neighbors(zone_id) if g.nodes[f]["kind"] == kind}


def _names(g: nx.Graph, ids: set[str]) -> list[str]:
    return sorted(str(g.nodes[i]["name"]) for i in ids)


def similar_zones(store: GraphStore, zone: str, top: int = 10) -> dict[str, Any]:
    """Zones most like `zone`, best first: `{"zone", "zone_id", "similar": [{"zone", "zone_id",
    "score", "shared", "shared_mechanisms", "shared_categories", "parts": {"mechanisms",
    "categories"}}]}`; scores are rounded to four decimals and zero scores left out. A zone
    with no mechanisms gets an empty list and a `note` saying why."""
    zones = zone_records(store)
    me = find_zone(zones, zone)
    g = zone_feature_graph(store)
    my_mechanisms = _features(g, me.id, "mechanism")
    my_categories = _features(g, me.id, "category")
    answer: dict[str, Any] = {"zone": me.name, "zone_id": me.id, "similar": []}
    if not my_mechanisms:
        answer["note"] = (
            f"{me.name} 在图中没有采用任何机制，无法比较相似度。"
            f" | {me.name} adopts no mechanism in the graph, so there is nothing to compare;"
            " load a case that names its mechanisms."
        )
        return answer
    scored: list[dict[str, Any]] = []
    for other in zones:
        if other.id == me.id:
            continue
        mechanisms = _features(g, other.id, "mechanism")
        categories = _features(g, other.id, "category")
        shared_m, shared_c = my_mechanisms & mechanisms, my_categories & categories
        if not shared_m and not shared_c:
            continue
        union = MECHANISM_WEIGHT * len(my_mechanisms | mechanisms) + CATEGORY_WEIGHT * len(my_categories | categories)
        part_m = MECHANISM_WEIGHT * len(shared_m) / union
        part_c = CATEGORY_WEIGHT * len(shared_c) / union
        shared_mechanisms, shared_categories = _names(g, shared_m), _names(g, shared_c)
        scored.append(
            {
                "zone": other.name,
                "zone_id": other.id,
                "score": round(part_m + part_c, SCORE_DIGITS),
                "shared": shared_mechanisms + shared_categories,
                "shared_mechanisms": shared_mechanisms,
                "shared_categories": shared_categories,
                "parts": {"mechanisms": round(part_m, SCORE_DIGITS), "categories": round(part_c, SCORE_DIGITS)},
            }
        )
    scored.sort(key=lambda item: (-item["score"], item["zone"], item["zone_id"]))
    answer["similar"] = scored[: max(top, 0)]
    return answer
