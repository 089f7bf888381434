"""The answers callers ask for: a zone's most similar zones (`similar_zones`), the best pairs,
the SIMILAR_TO relationships written to the store, and the zone-feature graph."""

from __future__ import annotations

import json
from typing import Any

import networkx as nx

from govkg.graph.model import Edge
from govkg.graph.similarity.index import SimilarityIndex
from govkg.graph.similarity.parts import SET_PARTS
from govkg.graph.similarity.profiles import PROFILE_RELATIONSHIPS, PracticeProfiles, practice_graph, profiles_from_graph
from govkg.graph.store import GraphStore, WriteSummary


def _no_profile_note(name: str) -> str:
    return (
        f"{name} 在图中没有采用任何机制，无法比较相似度。"
        f" | {name} adopts no mechanism in the graph, so there is nothing to compare;"
        " load a case that names its mechanisms."
    )


def similar_zones(store: GraphStore, zone: str, top: int = 10) -> dict[str, Any]:
    """Zones most like `zone`, best first.

    `{"zone", "zone_id", "similar": [{"zone", "zone_id", "score", "shared", "shared_mechanisms",
    "shared_categories", "shared_organisation_kinds", "shared_policy_kinds", "shared_wording",
    "parts": {part: value}, "explanation": [{"part", "feature", "feature_en", "weight", "this_zone":
    [support], "other_zone": [support]}]}]}`, where a support is `{"via", "relation", "cue"?,
    "evidence": [{"document", "text", "start", "end"}]}` and an explanation item's `weight` is its
    share of the score (best first). Scores and parts are rounded to four decimals; zones scoring 0
    are left out. A zone with no mechanisms, or one that shares nothing, gets an empty list and a
    `note` saying why.
    """
    profiles = profiles_from_graph(practice_graph(store))
    return similar_in_profiles(profiles, zone, top)


def similar_in_profiles(profiles: PracticeProfiles, zone: str, top: int = 10) -> dict[str, Any]:
    """`similar_zones` on profiles already read (see there)."""
    me = profiles.zone(zone)
    answer: dict[str, Any] = {"zone": me.name, "zone_id": me.id, "similar": []}
    if me.id not in profiles.profiles:
        answer["note"] = _no_profile_note(me.name)
        return answer
    index = SimilarityIndex.build(profiles)
    row = index.row_of(me.id)
    scores = index.scores(row, row + 1)
    kin = profiles.lineage.get(me.id, frozenset())
    candidates = [
        index.zone_ids[c]
        for c, v in zip(scores.indices, scores.data, strict=True)
        if c != row and v > 0 and index.zone_ids[c] not in kin
    ]
    ranked = [index.compare(me.id, other) for other in candidates]
    ranked = [r for r in ranked if r["score"] > 0]
    ranked.sort(key=lambda item: (-item["score"], item["zone"], item["zone_id"]))
    answer["similar"] = ranked[: max(top, 0)]
    if not ranked:
        answer["note"] = (
            f"没有其他地区与{me.name}共享机制、类别、组织或政策类型或措辞。"
            f" | No other zone shares a mechanism, category, kind of organisation or policy, or wording with {me.name}."
        )
    return answer


def top_similar_pairs(profiles: PracticeProfiles, top: int = 10) -> list[tuple[str, str, float]]:
    """Every profiled zone's `top` most similar zones as (zone id, other zone id, score), best
    first per zone; pairs scoring 0 are left out."""
    index = SimilarityIndex.build(profiles)
    return [
        (index.zone_ids[r], index.zone_ids[c], score)
        for r, ranked in enumerate(index.top_pairs(top))
        for c, score in ranked
    ]


def refresh_similarity(store: GraphStore, top: int = 10) -> WriteSummary:
    """Replace every SIMILAR_TO relationship by each zone's `top` most similar zones:
    `(zone)-[:SIMILAR_TO {score, parts, shared}]->(other)`, `parts` a JSON object of the score's
    parts, `shared` the names of the shared features. In one transaction: old edges go only if
    the new ones are written."""
    return store.replace_relationships("SIMILAR_TO", _similar_to_edges(store, top))


def _similar_to_edges(store: GraphStore, top: int) -> list[Edge]:
    """The SIMILAR_TO relationships refresh_similarity writes (a function of its own so that the
    profiles and the index are freed before the store writes)."""
    read = practice_graph(store, evidence=False, relationships=PROFILE_RELATIONSHIPS)
    index = SimilarityIndex.build(profiles_from_graph(read, supports=False))
    del read
    ranked = index.rank_all(top)
    return [
        Edge(
            "SIMILAR_TO",
            index.zone_ids[source],
            index.zone_ids[target],
            [],
            {
                "score": pair["score"],
                "parts": json.dumps(pair["parts"], ensure_ascii=False, sort_keys=True),
                "shared": pair["shared"],
            },
        )
        for source, target, pair in zip(
            ranked.sources.tolist(), ranked.targets.tolist(), index.describe_pairs(ranked), strict=True
        )
        if pair["score"] > 0
    ]


def zone_feature_graph(store: GraphStore) -> nx.Graph:
    """A bipartite graph: zone ids on one side, their features on the other (node attribute
    `kind` is zone or the part: mechanisms, categories, organisations, policies; features carry
    `name` and `weight`, their kind weight times idf). The base for other similarities (simrank)."""
    profiles = profiles_from_graph(practice_graph(store))
    index = SimilarityIndex.build(profiles)
    g = nx.Graph()
    for z in profiles.zones:
        g.add_node(z.id, kind="zone", name=z.name)
    for zone_id, profile in profiles.profiles.items():
        for part in SET_PARTS:
            for key in profile.features[part]:
                name = profiles.feature_names[(part, key)][0]
                node = key if part in ("mechanisms", "categories") else name  # ids, or organisation:party
                g.add_node(node, kind=part, name=name, weight=index.weight_of[(part, key)])
                g.add_edge(zone_id, node)
    return g
