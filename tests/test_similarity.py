"""Zone similarity and the networkx view: hand-worked scores on the small graph (tests/conftest.py),
evidence in the explanations, SIMILAR_TO in the store, and judgements on the bundled article."""

from __future__ import annotations

import dataclasses
import json
import math
from collections import Counter
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from conftest import CAT, MECH, SMALL_DOC, SMALL_TEXT, ZONE

from govkg.errors import InputError, QueryError, StoreError, ZoneNotFound
from govkg.graph.ladybug_store import LadybugStore
from govkg.graph.model import Document, Edge, Evidence, GraphDocument, Node, document_id, node_id
from govkg.graph.networkx_view import export_graph, store_to_networkx, to_networkx
from govkg.graph.similarity import (
    FEATURE_WEIGHTS,
    NOTES,
    PARTS,
    WORDING_WEIGHT,
    SimilarityIndex,
    SimilarZone,
    SimilarZones,
    char_ngrams,
    practice_graph,
    profiles_from_graph,
    refresh_similarity,
    similar_zones,
    top_similar_pairs,
    zone_feature_graph,
)
from govkg.graph.store import GraphStore
from govkg.i18n import MESSAGES, similarity_note

S_EAST = "甲市东街道推行“友邻议事会”，它包括“议事日”和“邻里基金”。"
S_WEST = "甲市西街道同样推行“友邻议事会”，并建立“网格平台”。"

# Profiles by hand (mechanisms with their parts; categories of those; kinds of the zone's own
# organisations and policies). Three zones have a profile, so idf = ln(4 / df):
#   东: M = {友邻议事会, 议事日, 邻里基金}            C = {协商议事, 邻里互助}  O = {party}  P = {regulation}
#   西: M = {友邻议事会, 议事日, 邻里基金, 网格平台}  C = {协商议事, 邻里互助, 网格化与数字治理}
#   南: M = {网格平台, 睦邻空间}                      C = {网格化与数字治理, 服务综合体}
# Every feature held by two zones weighs ln 2 times its kind weight, one held by one zone 2·ln 2.
# With mechanism 3, category 2, organisation and policy 1 (L = ln 2):
#   西~东 shared 3·3L + 2·2L = 13L of 4·3L + 3·2L + 1·2L + 1·2L = 22L:
#         mechanisms 0.85·9/22, categories 0.85·4/22
#   西~南 shared 3L + 2L = 5L of (4·3L + 3·2L) + (3·2L + 2·2L) = 28L:
#         mechanisms 0.85·3/28, categories 0.85·2/28
#   东~南 share no feature and no character pair of their mechanisms' names.


def naive_wording_cosine(texts: dict[str, str], a: str, b: str) -> float:
    """Cosine of two zones' TF-IDF character n-gram vectors, written out plainly as a reference."""
    counts = {z: Counter(char_ngrams(t)) for z, t in texts.items()}
    n = len(texts)
    df = Counter(g for c in counts.values() for g in c)

    def vector(z: str) -> dict[str, float]:
        return {g: (1 + math.log(tf)) * math.log((n + 1) / df[g]) for g, tf in counts[z].items()}

    va, vb = vector(a), vector(b)
    dot = sum(v * vb.get(g, 0.0) for g, v in va.items())
    return dot / math.sqrt(sum(v * v for v in va.values()) * sum(v * v for v in vb.values()))


def similar_json(store: GraphStore, zone: str, top: int = 10) -> dict[str, Any]:
    """`similar_zones` as `govkg similar --format json` prints it (the words of a note aside)."""
    return similar_zones(store, zone, top).to_dict()


SMALL_WORDING = {
    "东": "友邻议事会 议事日 邻里基金",
    "西": "友邻议事会 议事日 邻里基金 网格平台",
    "南": "网格平台 睦邻空间",
}


def test_scores_worked_out_by_hand(small_store: LadybugStore) -> None:
    answer = similar_json(small_store, "西街道")
    assert answer["zone"] == "甲市西街道" and answer["zone_id"] == ZONE["西"]
    assert [s["zone"] for s in answer["similar"]] == ["甲市东街道", "乙市南街道"]
    east, south = answer["similar"]
    share = 1 - WORDING_WEIGHT
    assert east["parts"] == {
        "mechanisms": pytest.approx(share * 9 / 22, abs=1e-4),
        "categories": pytest.approx(share * 4 / 22, abs=1e-4),
        "organisations": 0.0,
        "policies": 0.0,
        "wording": pytest.approx(WORDING_WEIGHT * naive_wording_cosine(SMALL_WORDING, "西", "东"), abs=1e-4),
    }
    assert east["score"] == pytest.approx(sum(east["parts"].values()), abs=2e-4)
    assert east["shared"] == ["友邻议事会", "议事日", "邻里基金", "协商议事", "邻里互助"]
    assert south["parts"]["mechanisms"] == pytest.approx(share * 3 / 28, abs=1e-4)
    assert south["parts"]["categories"] == pytest.approx(share * 2 / 28, abs=1e-4)
    assert south["parts"]["wording"] == pytest.approx(
        WORDING_WEIGHT * naive_wording_cosine(SMALL_WORDING, "西", "南"), abs=1e-4
    )
    assert south["shared_mechanisms"] == ["网格平台"] and south["shared_categories"] == ["网格化与数字治理"]
    assert south["shared_wording"] == ["网格平台"]
    assert isinstance(south["score"], float) and list(south["parts"]) == list(PARTS)
    json.dumps(answer, ensure_ascii=False)  # the CLI prints it as JSON


def test_zones_sharing_nothing_are_left_out_and_top_cuts(small_store: LadybugStore) -> None:
    east = similar_json(small_store, "甲市东街道")
    assert [s["zone"] for s in east["similar"]] == ["甲市西街道"]
    assert east["similar"][0]["score"] == similar_json(small_store, "西街道")["similar"][0]["score"]  # symmetric
    assert len(similar_json(small_store, "西街道", top=1)["similar"]) == 1


def test_explanation_lists_each_shared_feature_with_evidence_from_both_zones(small_store: LadybugStore) -> None:
    east = similar_json(small_store, "西街道")["similar"][0]
    items = {(i["part"], i["feature"]): i for i in east["explanation"]}
    # Every shared mechanism and category is explained, and their shares add up to those parts.
    for part in ("mechanisms", "categories"):
        listed = [i for i in east["explanation"] if i["part"] == part]
        assert sorted(i["feature"] for i in listed) == sorted(east[f"shared_{part}"])
        assert sum(i["weight"] for i in listed) == pytest.approx(east["parts"][part], abs=1e-3)
    weights = [i["weight"] for i in east["explanation"]]
    assert weights == sorted(weights, reverse=True)

    council = items[("mechanisms", "友邻议事会")]
    assert council["this_zone"] == [{"via": "友邻议事会", "relation": "ADOPTS", "evidence": [evidence_of(S_WEST)]}]
    assert council["other_zone"] == [{"via": "友邻议事会", "relation": "ADOPTS", "evidence": [evidence_of(S_EAST)]}]
    fund = items[("mechanisms", "邻里基金")]  # a part: reached through the council it belongs to
    assert fund["this_zone"] == [{"via": "友邻议事会", "relation": "HAS_PART", "evidence": [evidence_of(S_EAST)]}]
    # A category names the mechanisms that put each zone in it, with the cue word.
    neighbours = items[("categories", "邻里互助")]
    assert neighbours["feature_en"] == "邻里互助"  # the small graph gives no English name
    assert [(s["via"], s["cue"]) for s in neighbours["this_zone"]] == [("友邻议事会", "友邻"), ("邻里基金", "邻里")]
    for item in east["explanation"]:
        for side in ("this_zone", "other_zone"):
            assert item[side], f"{item['feature']} has no support on {side}"
            for support in item[side]:
                for ev in support["evidence"]:
                    assert SMALL_TEXT[ev["start"] : ev["end"]] == ev["text"] and ev["document"] == SMALL_DOC
    wording = items[("wording", "友邻议事会")]
    assert [s["via"] for s in wording["this_zone"]] == ["友邻议事会"]


def evidence_of(sentence: str) -> dict[str, object]:
    start = SMALL_TEXT.index(sentence)
    return {"document": SMALL_DOC, "text": sentence, "start": start, "end": start + len(sentence)}


# WRITTEN FOR TESTING: three invented zones; 丙 and 丁 run the same two practices, 戊 another one.
TWIN_TEXT = "本段文字为测试而写。丙街道和丁街道都推行“楼道议事”和“邻里食堂”。戊街道推行“文化长廊”。"


def twin_graph() -> GraphDocument:
    doc = document_id(TWIN_TEXT)
    first, second = (TWIN_TEXT.index(s) for s in ("丙街道和", "戊街道"))
    ev = [Evidence(doc, TWIN_TEXT[first:second], first, second)]
    ev2 = [Evidence(doc, TWIN_TEXT[second:], second, len(TWIN_TEXT))]
    zones = {n: node_id("Zone", f"测试省{n}街道") for n in "丙丁戊"}
    mechs = {n: node_id("Mechanism", n) for n in ("楼道议事", "邻里食堂", "文化长廊")}
    nodes = [Node(i, "Zone", f"{n}街道", [], {"level": "street"}) for n, i in zones.items()]
    nodes += [Node(i, "Mechanism", n) for n, i in mechs.items()]
    edges = [Edge("ADOPTS", zones[z], mechs[m], ev) for z in "丙丁" for m in ("楼道议事", "邻里食堂")]
    edges.append(Edge("ADOPTS", zones["戊"], mechs["文化长廊"], ev2))
    return GraphDocument([Document(doc, "twins.txt", "测试", "", "", "", TWIN_TEXT)], nodes, edges)


def test_zones_with_the_same_profile_score_one_and_a_zone_apart_gets_a_note(embedded_store: LadybugStore) -> None:
    graph = twin_graph()
    assert graph.problems() == []
    embedded_store.write(graph)
    twins = similar_json(embedded_store, "丙街道")
    assert [(s["zone"], s["score"]) for s in twins["similar"]] == [("丁街道", 1.0)]
    apart = similar_json(embedded_store, "戊街道")
    assert apart["similar"] == [] and apart["note_code"] == "nothing_shared"
    assert "note" not in apart and not [t for t in _strings(apart) if " | " in t]  # a code, never prose
    assert "No other zone shares" in similarity_note(apart["note_code"], apart["zone"], "en")
    said_zh = similarity_note(apart["note_code"], apart["zone"], "zh")
    assert said_zh == "没有其他地区与戊街道共享机制、类别、组织或政策类型或措辞。"  # today's wording


def test_a_zone_without_mechanisms_gets_a_note(small_store: LadybugStore) -> None:
    answer = similar_json(small_store, "北街道")
    assert answer["similar"] == [] and answer["note_code"] == "no_mechanisms"
    said = similarity_note(answer["note_code"], answer["zone"], "en")
    assert "乙市北街道" in said and "no mechanism" in said


def test_answers_are_data_and_every_note_is_worded_in_both_languages(small_store: LadybugStore) -> None:
    # The domain says why a list is empty with a code; only the command line and the app word it.
    for zone in ("西街道", "北街道"):
        strings = _strings(similar_json(small_store, zone))
        assert not [t for t in strings if " | " in t], strings
        assert "note" not in similar_json(small_store, zone)
    # Typed and frozen: a renderer reads attributes and cannot change a cached answer.
    ranked, empty = similar_zones(small_store, "西街道"), similar_zones(small_store, "北街道")
    assert isinstance(ranked, SimilarZones) and all(isinstance(s, SimilarZone) for s in ranked.similar)
    assert ranked.note is None and empty.note == "no_mechanisms" and empty.zone == "乙市北街道"
    with pytest.raises(dataclasses.FrozenInstanceError):
        empty.note = "nothing_shared"  # type: ignore[misc]
    for note in NOTES:
        zh, en = MESSAGES[f"similar.note.{note}"]
        assert "{zone}" in zh and "{zone}" in en
        assert similarity_note(note, "甲市西街道", "zh").startswith(("甲市西街道", "没有"))
        assert "甲市西街道" in similarity_note(note, "甲市西街道", "en")


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _strings(v)]
    if isinstance(value, list):
        return [t for v in value for t in _strings(v)]
    return []


def test_an_unknown_zone_suggests_close_names(small_store: LadybugStore) -> None:
    with pytest.raises(ZoneNotFound) as caught:
        similar_json(small_store, "甲市东街")
    assert caught.value.suggestions[0] == "甲市东街道"
    assert "甲市东街" in str(caught.value) and "甲市东街道" in str(caught.value)
    with pytest.raises(ZoneNotFound) as nothing_close:
        similar_json(small_store, "完全不同的名字")
    assert nothing_close.value.suggestions == []


def test_any_name_of_the_zone_finds_it(small_store: LadybugStore) -> None:
    for name in ("乙市南街道", "南街道", "测试省乙市南街道", ZONE["南"], " 南 街道 "):
        assert similar_json(small_store, name)["zone_id"] == ZONE["南"], name


def test_a_short_name_two_zones_share_asks_for_the_full_name(small_store: LadybugStore) -> None:
    # Written for testing: a second 西街道, in 乙市.
    small_store.write(
        GraphDocument([], [Node("zone:测试省乙市西街道", "Zone", "乙市西街道", ["西街道"], {"level": "street"})], [])
    )
    with pytest.raises(QueryError, match="several zones"):
        similar_json(small_store, "西街道")
    assert similar_json(small_store, "甲市西街道")["zone_id"] == ZONE["西"]


def test_the_sparse_ranking_agrees_with_the_pairwise_explanation(small_graph: GraphDocument) -> None:
    profiles = profiles_from_graph(small_graph)
    index = SimilarityIndex.build(profiles)
    ranked = index.top_pairs(5)
    assert [[index.zone_ids[c] for c, _ in r] for r in ranked] == [
        [ZONE["西"]],  # 东: only 西
        [ZONE["西"]],  # 南: only 西
        [ZONE["东"], ZONE["南"]],  # 西
    ]
    for r, row in enumerate(ranked):
        for c, score in row:
            pair = index.compare(index.zone_ids[r], index.zone_ids[c])
            assert pair.score == pytest.approx(score, abs=1e-4)


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
        "organisation:party",
        "policy:regulation",
    }
    assert g.nodes[MECH["网格平台"]]["weight"] == pytest.approx(FEATURE_WEIGHTS["mechanisms"] * math.log(4 / 2))
    assert g.nodes[CAT["服务综合体"]]["weight"] == pytest.approx(FEATURE_WEIGHTS["categories"] * math.log(4 / 1))


def test_practice_graph_reads_what_the_store_holds(small_store: LadybugStore, small_graph: GraphDocument) -> None:
    read = practice_graph(small_store)
    wanted = {"ADOPTS", "HAS_PART", "IN_CATEGORY", "HAS_ORGANISATION", "PARTICIPATES_IN", "IMPLEMENTS", "FRAMED_BY"}
    expected = {(e.type, e.source, e.target, tuple(e.evidence)) for e in small_graph.edges if e.type in wanted}
    # The chain of units comes bare: only who lies under whom matters, never its sentences.
    expected |= {(e.type, e.source, e.target, ()) for e in small_graph.edges if e.type == "PART_OF"}
    assert {(e.type, e.source, e.target, tuple(e.evidence)) for e in read.edges} == expected
    cue = next(e for e in read.edges if e.type == "IN_CATEGORY" and e.target == CAT["服务综合体"])
    assert cue.properties == {"cue": "空间"}
    assert profiles_from_graph(read).profiles.keys() == profiles_from_graph(small_graph).profiles.keys()


# --- SIMILAR_TO in the store --------------------------------------------------------------------------


def stored_similarity(store: LadybugStore) -> list[tuple[str, str, float]]:
    rows = store.read(
        "MATCH (a:Zone)-[s:SIMILAR_TO]->(b:Zone) "
        "RETURN a.id AS zone, b.id AS other, s.score AS score ORDER BY zone, score DESC, other"
    ).rows
    return [(str(a), str(b), float(score)) for a, b, score in rows]


def test_refresh_writes_each_zone_s_nearest_and_replaces_the_old_ones(small_store: LadybugStore) -> None:
    first = refresh_similarity(small_store, top=10)
    assert first.edges_created == 4 and first.edges_deleted == 0
    held = stored_similarity(small_store)
    expected = top_similar_pairs(profiles_from_graph(practice_graph(small_store)), top=10)
    assert sorted(h[:2] for h in held) == sorted((a, b) for a, b, _ in expected)
    for a, b, score in held:
        assert score == pytest.approx(
            next(s["score"] for s in similar_json(small_store, a)["similar"] if s["zone_id"] == b), abs=1e-4
        )
    row = small_store.read(
        "MATCH (a:Zone {id: $a})-[s:SIMILAR_TO]->(b:Zone {id: $b}) RETURN s.parts AS parts, s.shared AS shared",
        {"a": ZONE["西"], "b": ZONE["南"]},
    ).records()[0]
    assert json.loads(row["parts"])["mechanisms"] == pytest.approx(0.85 * 3 / 28, abs=1e-4)
    assert row["shared"] == ["网格平台", "网格化与数字治理"]

    again = refresh_similarity(small_store, top=1)
    assert again.edges_deleted == 4 and again.edges_created == 3  # one nearest zone for each of three
    assert [h[:2] for h in stored_similarity(small_store)] == [
        (ZONE["南"], ZONE["西"]),
        (ZONE["东"], ZONE["西"]),
        (ZONE["西"], ZONE["东"]),
    ]
    assert small_store.counts()["SIMILAR_TO"] == 3


def test_a_failed_replacement_keeps_the_old_relationships(small_store: LadybugStore) -> None:
    refresh_similarity(small_store)
    before = stored_similarity(small_store)
    broken = [Edge("SIMILAR_TO", ZONE["东"], "zone:测试省没有这个地方", [], {"score": 0.5})]
    with pytest.raises(StoreError, match="nothing was written"):
        small_store.replace_relationships("SIMILAR_TO", broken)
    with pytest.raises(StoreError, match="ADOPTS"):
        small_store.replace_relationships("SIMILAR_TO", [Edge("ADOPTS", ZONE["东"], MECH["睦邻空间"])])
    assert stored_similarity(small_store) == before


# --- judgements on the bundled article ---------------------------------------------------------------
# The case sheets (data/cases) restate the article; the full bundle adds the free-text extractor's
# reading of the article itself. Each judgement is one a reader of the article would make.


@pytest.fixture(params=["sheets", "sheets+article"])
def judged_store(request: pytest.FixtureRequest) -> LadybugStore:
    name = "bundled_store" if request.param == "sheets" else "full_store"
    store: LadybugStore = request.getfixturevalue(name)
    return store


def nearest(store: LadybugStore, zone: str, n: int = 3) -> list[str]:
    return [s["zone"] for s in similar_json(store, zone, top=n)["similar"]]


def test_jianggan_is_near_another_neighbourhood_network_zone(judged_store: LadybugStore) -> None:
    # 江干区 builds self-government on its 邻里坊 (neighbourhood workshops); 五马街道's 党员邻里互助组
    # and 当湖街道's “三级友邻” network are neighbourhood networks too, so one of them must rank first.
    answer = similar_json(judged_store, "杭州市江干区")
    first = answer["similar"][0]
    assert first["zone"] in ("温州市五马街道", "平湖市当湖街道")
    assert "邻里互助" in first["shared_categories"]
    neighbourhood = next(i for i in first["explanation"] if i["feature"] == "邻里互助")
    assert any("邻里坊" in s["via"] for s in neighbourhood["this_zone"])
    assert all(ev["text"] for s in neighbourhood["other_zone"] for ev in s["evidence"])


def test_xihu_is_near_a_zone_with_standardised_processes(judged_store: LadybugStore) -> None:
    # 西湖区's “1246+N” is a framework of service standards; 当湖街道 runs its network by the
    # “三网六事法”标准化运行流程, a standardised process: the nearest zone shares that kind of practice.
    first = similar_json(judged_store, "杭州市西湖区")["similar"][0]
    assert first["zone"] == "平湖市当湖街道"
    standard = next(i for i in first["explanation"] if i["feature"] == "标准化服务")
    assert [s["via"] for s in standard["other_zone"]] == ["三网六事法"]
    assert any("标准化运行流程" in ev["text"] for s in standard["other_zone"] for ev in s["evidence"])


def test_lanjiang_is_near_another_zone_led_by_party_building(judged_store: LadybugStore) -> None:
    # 兰江街道 leads with its 社区党建综合体 and party members; 五马街道's 党员邻里互助组 and 余杭区's
    # “党建+治理” are party-led too, so one of them is among its three nearest, sharing 党建引领.
    near = similar_json(judged_store, "兰溪市兰江街道", top=3)["similar"]
    party_led = [s for s in near if s["zone"] in ("温州市五马街道", "杭州市余杭区")]
    assert party_led, [s["zone"] for s in near]
    assert all("党建引领" in s["shared_categories"] for s in party_led)


def test_culture_led_baoxi_has_no_close_neighbour(judged_store: LadybugStore) -> None:
    # 宝溪乡's culture-led village building is the only one of its kind in the article: whatever
    # ranks first shares no mechanism and no category with it, and scores low.
    first = similar_json(judged_store, "龙泉市宝溪乡")["similar"][0]
    assert first["shared_mechanisms"] == [] and first["shared_categories"] == []
    assert first["score"] < 0.05


def test_bad_input_on_the_bundle(judged_store: LadybugStore) -> None:
    # A slip of one character (千 for 干) gets the real name; the province adopts nothing itself.
    with pytest.raises(ZoneNotFound) as caught:
        similar_json(judged_store, "杭州市江千区")
    assert "杭州市江干区" in caught.value.suggestions
    province = similar_json(judged_store, "浙江省")
    assert province["similar"] == [] and province["note_code"] == "no_mechanisms" and province["zone"] == "浙江省"


def test_every_shared_feature_on_the_bundle_cites_its_sources_exactly(judged_store: LadybugStore) -> None:
    # A researcher quoting an explanation must find each sentence where it says it is.
    texts = {str(r[0]): str(r[1]) for r in judged_store.read("MATCH (d:Document) RETURN d.id, d.text").rows}
    for zone in ("杭州市江干区", "兰溪市兰江街道"):
        for pair in similar_json(judged_store, zone)["similar"]:
            for item in pair["explanation"]:
                evidence = [ev for side in ("this_zone", "other_zone") for s in item[side] for ev in s["evidence"]]
                assert evidence or item["part"] == "wording", (zone, pair["zone"], item["feature"])
                for ev in evidence:
                    assert texts[ev["document"]][ev["start"] : ev["end"]] == ev["text"]


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


def test_docstring_examples_run() -> None:
    import doctest

    import govkg.graph.analytics
    import govkg.graph.similarity

    for module in (govkg.graph.similarity, govkg.graph.analytics):
        failed, _ = doctest.testmod(module)
        assert failed == 0, module.__name__
