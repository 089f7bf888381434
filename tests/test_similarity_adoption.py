"""Similarity counts only real adoptions and ranks no zone beside its own ancestors or descendants.

Data: the hand-made test graph of tests/conftest.py (invented places), with a planned adoption
and a city that adopts a practice its own streets adopt added here.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import MECH, ZONE

from govkg.graph.analytics import practice_network
from govkg.graph.ladybug_store import LadybugStore
from govkg.graph.model import Edge, GraphDocument
from govkg.graph.similarity import (
    SimilarityIndex,
    counts_as_adoption,
    practice_graph,
    profiles_from_graph,
    refresh_similarity,
    similar_in_profiles,
    similar_zones,
    top_similar_pairs,
)


def _with(graph: GraphDocument, *edges: Edge) -> GraphDocument:
    return replace(graph, edges=[*graph.edges, *edges])


def _adopts(zone: str, mechanism: str, graph: GraphDocument, **props: object) -> Edge:
    said = next(e for e in graph.edges if e.type == "ADOPTS").evidence
    return Edge("ADOPTS", ZONE[zone], MECH[mechanism], list(said), dict(props))


def test_a_planned_adoption_is_no_adoption(small_graph: GraphDocument) -> None:
    planned = _adopts("北", "友邻议事会", small_graph, stage="planned")
    graph = _with(small_graph, planned)
    assert not counts_as_adoption(planned)
    assert counts_as_adoption(_adopts("北", "友邻议事会", small_graph, stage="pilot"))
    assert counts_as_adoption(_adopts("北", "友邻议事会", small_graph))  # no timing written: adopted
    profiles = profiles_from_graph(graph)
    assert ZONE["北"] not in profiles.profiles
    assert ZONE["北"] not in {z.zone_id for z in similar_in_profiles(profiles, ZONE["东"]).similar}
    assert not practice_network(graph).has_edge(ZONE["北"], MECH["友邻议事会"])


def test_a_planned_adoption_in_the_store_is_read_and_left_out(
    embedded_store: LadybugStore, small_graph: GraphDocument
) -> None:
    embedded_store.write(_with(small_graph, _adopts("北", "友邻议事会", small_graph, stage="planned")))
    read = practice_graph(embedded_store)
    plan = next(e for e in read.edges if e.type == "ADOPTS" and e.source == ZONE["北"])
    assert plan.properties == {"stage": "planned"}
    assert similar_zones(embedded_store, "北街道").similar == ()
    refresh_similarity(embedded_store, top=10)
    rows = embedded_store.read("MATCH (z:Zone {id: $id})-[:SIMILAR_TO]-() RETURN count(*)", {"id": ZONE["北"]}).rows
    assert rows == [[0]]


@pytest.fixture()
def city_graph(small_graph: GraphDocument) -> GraphDocument:
    """甲市 itself adopts the practice its two streets adopt; 乙市's street shares a practice too."""
    return _with(small_graph, _adopts("甲市", "友邻议事会", small_graph), _adopts("甲市", "网格平台", small_graph))


def test_a_zone_s_own_ancestors_and_descendants_are_never_ranked(city_graph: GraphDocument) -> None:
    profiles = profiles_from_graph(city_graph)
    assert profiles.lineage[ZONE["甲市"]] >= {ZONE["东"], ZONE["西"]}
    assert ZONE["甲市"] in profiles.lineage[ZONE["东"]]
    city = [z.zone_id for z in similar_in_profiles(profiles, ZONE["甲市"]).similar]
    assert city == [ZONE["南"]]  # not its own streets, however alike
    street = [z.zone_id for z in similar_in_profiles(profiles, ZONE["东"]).similar]
    assert ZONE["甲市"] not in street and ZONE["西"] in street  # a sibling is no ancestor
    for a, b, _ in top_similar_pairs(profiles, top=10):
        assert b not in profiles.lineage.get(a, frozenset()), (a, b)
    index = SimilarityIndex.build(profiles)
    assert index.compare(ZONE["甲市"], ZONE["东"]).score > 0  # asked for directly, still compared


def test_the_store_path_and_the_refresh_leave_the_lineage_out(
    embedded_store: LadybugStore, city_graph: GraphDocument
) -> None:
    embedded_store.write(city_graph)
    assert [z.zone for z in similar_zones(embedded_store, "甲市").similar] == ["乙市南街道"]
    refresh_similarity(embedded_store, top=10)
    stored = embedded_store.read(
        "MATCH (a:Zone)-[:SIMILAR_TO]->(b:Zone) RETURN a.id AS source, b.id AS target ORDER BY source, target"
    ).rows
    assert (ZONE["甲市"], ZONE["东"]) not in {(a, b) for a, b in stored}
    assert (ZONE["东"], ZONE["甲市"]) not in {(a, b) for a, b in stored}
    assert (ZONE["甲市"], ZONE["南"]) in {(a, b) for a, b in stored}
