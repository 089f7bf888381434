"""Zone similarity and the networkx view, on the small hand-made graph (tests/conftest.py)."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from conftest import CAT, MECH, SMALL_DOC, ZONE

from govkg.errors import InputError, QueryError, ZoneNotFound
from graph.ladybug_store import LadybugStore
from graph.model import GraphDocument, Node
from graph.networkx_view import export_graph, store_to_networkx, to_networkx
from graph.similarity import similar_zones, zone_feature_graph

# Features by hand (mechanisms with their parts; categories of those):
#   东: M = {友邻议事会, 议事日, 邻里基金}            C = {协商议事, 邻里互助}
#   西: M = {友邻议事会, 议事日, 邻里基金, 网格平台}  C = {协商议事, 邻里互助, 网格化与数字治理}
#   南: M = {网格平台, 睦邻空间}                      C = {网格化与数字治理, 服务综合体}
# Weighted Jaccard with mechanism 2, category 1:
#   西~东 = (2·3 + 1·2) / (2·4 + 1·3) = 8/11  (mechanisms 6/11, categories 2/11)
#   西~南 = (2·1 + 1·1) / (2·5 + 1·4) = 3/14  (mechanisms 2/14, categories 1/14)
#   东~南 share nothing.


def test_scores_worked_out_by_hand(small_store: LadybugStore) -> None:
    answer = similar_zones(small_store, "西街道")
    assert answer["zone"] == "甲市西街道" and answer["zone_id"] == ZONE["西"]
    assert [s["zone"] for s in answer["similar"]] == ["甲市东街道", "乙市南街道"]
    east, south = answer["similar"]
    assert east["score"] == pytest.approx(8 / 11, abs=1e-4)
    assert east["parts"] == {
        "mechanisms": pytest.approx(6 / 11, abs=1e-4),
        "categories": pytest.approx(2 / 11, abs=1e-4),
    }
    assert east["shared"] == ["友邻议事会", "议事日", "邻里基金", "协商议事", "邻里互助"]
    assert east["zone_id"] == ZONE["东"]
    assert south["score"] == pytest.approx(3 / 14, abs=1e-4)
    assert south["shared_mechanisms"] == ["网格平台"] and south["shared_categories"] == ["网格化与数字治理"]
    assert isinstance(south["score"], float)
    json.dumps(answer, ensure_ascii=False)  # the CLI prints it as JSON


def test_zones_sharing_nothing_are_left_out_and_top_cuts(small_store: LadybugStore) -> None:
    east = similar_zones(small_store, "甲市东街道")
    assert [(s["zone"], s["score"]) for s in east["similar"]] == [("甲市西街道", pytest.approx(8 / 11, abs=1e-4))]
    assert len(similar_zones(small_store, "西街道", top=1)["similar"]) == 1


def test_any_name_of_the_zone_finds_it(small_store: LadybugStore) -> None:
    for name in ("乙市南街道", "南街道", "测试省乙市南街道", ZONE["南"], " 南 街道 "):
        assert similar_zones(small_store, name)["zone_id"] == ZONE["南"], name


def test_a_zone_without_mechanisms_gets_a_note(small_store: LadybugStore) -> None:
    answer = similar_zones(small_store, "北街道")
    assert answer["similar"] == []
    assert "乙市北街道" in answer["note"] and "no mechanism" in answer["note"]


def test_an_unknown_zone_suggests_close_names(small_store: LadybugStore) -> None:
    with pytest.raises(ZoneNotFound) as caught:
        similar_zones(small_store, "甲市东街")
    assert caught.value.suggestions[0] == "甲市东街道"
    assert "甲市东街" in str(caught.value) and "甲市东街道" in str(caught.value)
    with pytest.raises(ZoneNotFound) as nothing_close:
        similar_zones(small_store, "完全不同的名字")
    assert nothing_close.value.suggestions == []


def test_a_short_name_two_zones_share_asks_for_the_full_name(small_store: LadybugStore) -> None:
    # Written for testing: a second 西街道, in 乙市.
    small_store.write(
        GraphDocument([], [Node("zone:测试省乙市西街道", "Zone", "乙市西街道", ["西街道"], {"level": "street"})], [])
    )
    with pytest.raises(QueryError, match="several zones"):
        similar_zones(small_store, "西街道")
    assert similar_zones(small_store, "甲市西街道")["zone_id"] == ZONE["西"]


def test_feature_graph_is_bipartite_with_weights(small_store: LadybugStore) -> None:
    g = zone_feature_graph(small_store)
    zones = {n for n, kind in g.nodes(data="kind") if kind == "zone"}
    assert len(zones) == 7
    assert nx.is_bipartite(g)
    assert set(g.neighbors(ZONE["东"])) == {
        MECH["友邻议事会"],
        MECH["议事日"],
        MECH["邻里基金"],
        CAT["协商议事"],
        CAT["邻里互助"],
    }
    assert g.nodes[MECH["网格平台"]]["weight"] == 2.0 and g.nodes[CAT["服务综合体"]]["weight"] == 1.0


# --- networkx view and export ---------------------------------------------------------------------


def test_to_networkx_keeps_every_node_edge_and_evidence(small_graph: GraphDocument) -> None:
    g = to_networkx(small_graph)
    assert g.number_of_nodes() == len(small_graph.nodes) + len(small_graph.documents)
    assert g.number_of_edges() == len(small_graph.edges)
    adopts = g.get_edge_data(ZONE["东"], MECH["友邻议事会"], key="ADOPTS")
    assert adopts["evidence"][0]["document"] == SMALL_DOC
    assert g.nodes[ZONE["东"]]["level"] == "street" and g.nodes[ZONE["东"]]["aliases"] == ["东街道"]
    assert "text" not in g.nodes[SMALL_DOC]
    without_docs = to_networkx(small_graph, include_documents=False)
    assert SMALL_DOC not in without_docs


def test_store_to_networkx_includes_the_mentions(small_store: LadybugStore, small_graph: GraphDocument) -> None:
    g = store_to_networkx(small_store)
    mentions = [e for e in g.edges(keys=True) if e[2] == "MENTIONS"]
    assert len(mentions) == len(small_graph.nodes)  # every node of the small graph is named by an evidenced edge


@pytest.mark.parametrize("suffix", [".graphml", ".gexf"])
def test_export_round_trips_through_networkx(small_graph: GraphDocument, tmp_path: Path, suffix: str) -> None:
    path = export_graph(small_graph, tmp_path / "out" / f"kg{suffix}")
    back = nx.read_graphml(path) if suffix == ".graphml" else nx.read_gexf(path)
    assert back.number_of_nodes() == len(small_graph.nodes) + 1
    assert back.number_of_edges() == len(small_graph.edges)
    data = back.nodes[ZONE["东"]]
    assert data["name"] == "甲市东街道" and json.loads(data["aliases"]) == ["东街道"]


def test_export_refuses_an_unknown_format(small_graph: GraphDocument, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"\.graphml or \.gexf"):
        export_graph(small_graph, tmp_path / "kg.png")


def test_similarity_on_the_bundled_sheets(bundled_store: LadybugStore) -> None:
    # From the sheets: 杭州市江干区 has M = {一委N坊自治体系, 邻里坊工作机制}, C = {居民自治, 邻里互助}.
    #   温州市五马街道 M = {社区微自治体系}, C = {居民自治, 邻里互助, 党建引领}: 2 / (2·3 + 3) = 2/9
    #   杭州市余杭区 M = {余杭‘1+3’…, 组织机构协商议事体系}, C = {协商议事, 党建引领, 居民自治}: 1 / (2·4 + 4) = 1/12
    #   平湖市当湖街道 M = {三级友邻, 432, 三网六事法}, C = {邻里互助, 标准化服务}: 1 / (2·5 + 3) = 1/13
    #   兰溪市兰江街道 M = five mechanisms, C = {党建引领, 服务综合体, 公益与志愿, 居民自治}: 1 / (2·7 + 5) = 1/19
    answer = similar_zones(bundled_store, "江干区")
    assert answer["zone"] == "杭州市江干区"
    got = [(s["zone"], s["score"], s["shared"]) for s in answer["similar"]]
    assert got == [
        ("温州市五马街道", pytest.approx(2 / 9, abs=1e-4), ["居民自治", "邻里互助"]),
        ("杭州市余杭区", pytest.approx(1 / 12, abs=1e-4), ["居民自治"]),
        ("平湖市当湖街道", pytest.approx(1 / 13, abs=1e-4), ["邻里互助"]),
        ("兰溪市兰江街道", pytest.approx(1 / 19, abs=1e-4), ["居民自治"]),
    ]
    with pytest.raises(ZoneNotFound) as caught:
        similar_zones(bundled_store, "杭州市江千区")
    assert "杭州市江干区" in caught.value.suggestions
    assert similar_zones(bundled_store, "浙江省")["note"]  # a province adopts nothing itself
