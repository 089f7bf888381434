"""Families of zones and central mechanisms and organisations: by hand on the small graph
(tests/conftest.py), and judgements on the bundled article."""

from __future__ import annotations

import networkx as nx
import pytest
from conftest import MECH, ORG, ZONE

from govkg.graph.analytics import (
    central_nodes,
    centrality_from_store,
    families_from_store,
    louvain,
    practice_network,
    similarity_graph,
    zone_families,
)
from govkg.graph.ladybug_store import LadybugStore
from govkg.graph.model import GraphDocument
from govkg.graph.similarity import profiles_from_graph, similar_zones

# --- the small graph ---------------------------------------------------------------------------------


def test_similarity_graph_links_each_zone_to_its_nearest_with_the_score(small_store: LadybugStore) -> None:
    g = similarity_graph(profiles_from_graph(small_store.snapshot()))
    assert set(g.nodes) == {ZONE["东"], ZONE["西"], ZONE["南"]}  # 北 adopts nothing: no profile
    assert {frozenset(e) for e in g.edges} == {frozenset((ZONE["东"], ZONE["西"])), frozenset((ZONE["西"], ZONE["南"]))}
    west = {s.zone_id: s.score for s in similar_zones(small_store, "西街道").similar}
    for other, score in west.items():
        assert g.edges[ZONE["西"], other]["weight"] == pytest.approx(score, abs=1e-4)


def test_families_on_the_small_graph(small_graph: GraphDocument) -> None:
    # The similarity graph is a path 东 –0.63– 西 –0.18– 南. Splitting off 南 gives modularity
    # 0.63/0.82 - ((0.63 + 0.82)/1.64)² - (0.18/1.64)² < 0, keeping all three 0: one family, named
    # after the categories at least two of its three members hold (协商议事, 邻里互助 and 网格化与数字治理
    # tie at two; by name, the first two).
    families = zone_families(profiles_from_graph(small_graph))
    assert [[z["id"] for z in f["zones"]] for f in families] == [[ZONE["南"], ZONE["东"], ZONE["西"]]]
    assert families[0]["family"] == 1 and families[0]["name"] == "协商议事、网格化与数字治理"
    assert families[0]["categories"] == [
        {"category": "协商议事", "category_en": "协商议事", "zones": 2},
        {"category": "网格化与数字治理", "category_en": "网格化与数字治理", "zones": 2},
        {"category": "邻里互助", "category_en": "邻里互助", "zones": 2},
        {"category": "服务综合体", "category_en": "服务综合体", "zones": 1},
    ]
    # At resolution 1.5 (modularity Σ L_c/m - 1.5·Σ (d_c/2m)²) one family scores 1 - 1.5 = -0.5 and
    # {东, 西} + {南} scores 0.77 - 1.5·(0.79 + 0.01) = -0.43, the best split: 南 leaves.
    split = zone_families(profiles_from_graph(small_graph), resolution=1.5)
    assert [[z["id"] for z in f["zones"]] for f in split] == [[ZONE["东"], ZONE["西"]], [ZONE["南"]]]
    assert split[0]["name"] == "协商议事、邻里互助"
    # 南's two categories tie at one member; the one fewer zones hold comes first.
    assert split[1]["name"] == "服务综合体、网格化与数字治理"


def test_families_are_a_partition_and_repeatable(small_graph: GraphDocument) -> None:
    profiles = profiles_from_graph(small_graph)
    families = zone_families(profiles, seed=7)
    members = [z["id"] for f in families for z in f["zones"]]
    assert sorted(members) == sorted(profiles.profiles)
    assert zone_families(profiles, seed=7) == families
    everyone_alone = zone_families(profiles, resolution=50.0)
    assert [len(f["zones"]) for f in everyone_alone] == [1, 1, 1]
    assert zone_families(profiles_from_graph(GraphDocument())) == []


def test_louvain_finds_planted_groups_as_well_as_networkx_and_repeats_under_threads() -> None:
    """Six groups of 40 nodes, dense inside and sparse between, weights drawn at random: the
    families' Louvain finds the six, at no less modularity than networkx's, and the same seed gives
    the same groups even with other seeded runs going on at once (igraph's random source is shared)."""
    import random
    from concurrent.futures import ThreadPoolExecutor

    planted = nx.random_partition_graph([40] * 6, 0.3, 0.01, seed=3)
    rng = random.Random(4)
    g = nx.Graph()
    g.add_weighted_edges_from((f"z{a:03d}", f"z{b:03d}", round(rng.uniform(0.2, 1.0), 4)) for a, b in planted.edges)
    groups = [{f"z{n:03d}" for n in block} for block in planted.graph["partition"]]
    found = louvain(g, seed=1)
    assert sorted(map(sorted, found)) == sorted(map(sorted, groups))
    theirs = nx.community.louvain_communities(g, weight="weight", seed=1)
    assert nx.community.modularity(g, found) >= nx.community.modularity(g, theirs) - 1e-9
    with ThreadPoolExecutor(4) as pool:
        runs = list(pool.map(lambda seed: louvain(g, resolution=3.0, seed=seed % 2), range(8)))
    assert all(r == runs[0] for r in runs[::2]) and all(r == runs[1] for r in runs[1::2])
    assert louvain(nx.Graph()) == []


def test_centrality_worked_out_by_hand(small_graph: GraphDocument) -> None:
    # The network: 东–友邻议事会, 西–友邻议事会, 西–网格平台, 南–网格平台, 南–睦邻空间, 友邻议事会–议事日,
    # 友邻议事会–邻里基金, 东街道党委–友邻议事会, 东–东街道党委: nine nodes (北 has none of these links).
    # Betweenness over the 28 pairs of the other eight nodes: 友邻议事会 lies on every path from its
    # two parts (7 + 6 pairs), from 东 and from the 党委 to 西's side (4 + 4): 21/28. 网格平台 lies on
    # every path from {南, 睦邻空间} to the six nodes beyond 西: 12/28. The leaves lie on none.
    g = practice_network(small_graph)
    assert g.number_of_nodes() == 9 and g.number_of_edges() == 9
    central = central_nodes(g, top=3)
    assert [(n["id"], n["degree"], n["betweenness"]) for n in central["Mechanism"]] == [
        (MECH["友邻议事会"], 5, pytest.approx(21 / 28, abs=1e-4)),
        (MECH["网格平台"], 2, pytest.approx(12 / 28, abs=1e-4)),
        (MECH["睦邻空间"], 1, 0.0),  # the leaves tie; by name 睦 < 议 < 邻
    ]
    assert central["Mechanism"][0]["degree_centrality"] == pytest.approx(5 / 8, abs=1e-4)
    assert central["Organisation"] == [
        {"id": ORG, "name": "东街道党委", "degree": 2, "degree_centrality": 0.25, "betweenness": 0.0}
    ]
    assert central_nodes(nx.Graph()) == {"Mechanism": [], "Organisation": []}


def test_store_helpers_read_the_same_network(small_store: LadybugStore, small_graph: GraphDocument) -> None:
    assert centrality_from_store(small_store, top=2) == central_nodes(practice_network(small_graph), top=2)
    assert families_from_store(small_store) == zone_families(profiles_from_graph(small_graph))


# --- judgements on the bundled article ----------------------------------------------------------------


@pytest.fixture(params=["sheets", "sheets+article"])
def judged_store(request: pytest.FixtureRequest) -> LadybugStore:
    store: LadybugStore = request.getfixturevalue("bundled_store" if request.param == "sheets" else "full_store")
    return store


def family_of(families: list[dict[str, object]], zone: str) -> dict[str, object]:
    return next(f for f in families if any(z["name"] == zone for z in f["zones"]))  # type: ignore[attr-defined]


def test_the_ten_zones_fall_into_families(judged_store: LadybugStore) -> None:
    families = families_from_store(judged_store)
    zones = sorted(z["name"] for f in families for z in f["zones"])
    assert len(zones) == 10 and len(set(zones)) == 10  # every case zone once; parent units adopt nothing
    assert 2 <= len(families) <= 6


def test_self_governing_neighbourhoods_form_one_family(judged_store: LadybugStore) -> None:
    # 江干区 (居委会 with 邻里坊) and 五马街道 (party members' neighbourhood groups under 微自治) both build
    # residents' self-government on neighbourhood units: one family, named for that kind of practice.
    families = families_from_store(judged_store)
    family = family_of(families, "杭州市江干区")
    assert family is family_of(families, "温州市五马街道")
    assert "居民自治" in str(family["name"]) or "邻里互助" in str(family["name"])


def test_standardised_services_form_one_family(judged_store: LadybugStore) -> None:
    # 西湖区's “1246+N” standards and 当湖街道's standardised “三网六事法” process go together.
    families = families_from_store(judged_store)
    family = family_of(families, "杭州市西湖区")
    assert family is family_of(families, "平湖市当湖街道")
    assert "标准化服务" in str(family["name"])


def test_residents_are_the_most_central_organisation(judged_store: LadybugStore) -> None:
    # 居民 take part in the practices of three zones in the article (镇海区's services, 五马街道's groups,
    # 兰江街道's 爱心银行 and 我来当家), more than any other organisation: they bridge those zones.
    central = centrality_from_store(judged_store, top=3)
    assert central["Organisation"][0]["name"] == "居民"
    assert central["Organisation"][0]["degree"] >= 6
    assert all(n["betweenness"] <= central["Organisation"][0]["betweenness"] for n in central["Organisation"])
