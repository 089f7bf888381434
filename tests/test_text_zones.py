"""Zone chains: the ids every loader must agree on."""

from __future__ import annotations

import pytest

from govkg.graph.model import Document, Evidence, GraphDocument, document_id, node_id
from govkg.loaders.zones import resolve_zone_chain, zone_nodes_and_edges

# The article's ten zones and the chains the team agreed on (common conventions).
ARTICLE_CHAINS = {
    "平湖市当湖街道": ["浙江省", "嘉兴市", "平湖市", "当湖街道"],
    "宁波市镇海区": ["浙江省", "宁波市", "镇海区"],
    "杭州市江干区": ["浙江省", "杭州市", "江干区"],
    "温州市五马街道": ["浙江省", "温州市", "五马街道"],
    "杭州市余杭区": ["浙江省", "杭州市", "余杭区"],
    "杭州市西湖区": ["浙江省", "杭州市", "西湖区"],
    "海宁市": ["浙江省", "嘉兴市", "海宁市"],
    "龙泉市宝溪乡": ["浙江省", "丽水市", "龙泉市", "宝溪乡"],
    "宁波市江北区文教街道": ["浙江省", "宁波市", "江北区", "文教街道"],
    "兰溪市兰江街道": ["浙江省", "金华市", "兰溪市", "兰江街道"],
}


@pytest.mark.parametrize("name", sorted(ARTICLE_CHAINS))
def test_article_zones_get_the_agreed_chain(name: str) -> None:
    chain = resolve_zone_chain(name)
    parts = ARTICLE_CHAINS[name]
    assert [ref.key for ref in chain] == ["".join(parts[: i + 1]) for i in range(len(parts))]
    assert chain[-1].name == name  # the fullest written form below the province
    assert chain[0].level == "province" and chain[0].code == "330000"


def test_pinghu_chain_levels_codes_and_aliases() -> None:
    chain = resolve_zone_chain("平湖市当湖街道")
    assert [(r.name, r.level, r.code) for r in chain] == [
        ("浙江省", "province", "330000"),
        ("嘉兴市", "city", "330400"),
        ("平湖市", "city", "330482"),  # a county-level city
        ("平湖市当湖街道", "street", None),
    ]
    assert chain[-1].node_id == node_id("Zone", "浙江省嘉兴市平湖市当湖街道")
    assert "当湖街道" in chain[-1].aliases


def test_township_and_merged_district_levels() -> None:
    assert resolve_zone_chain("龙泉市宝溪乡")[-1].level == "township"
    jianggan = resolve_zone_chain("杭州市江干区")[-1]
    assert (jianggan.level, jianggan.code) == ("district", "330104")  # merged away in 2021, kept as written


def test_bare_short_name_resolves_to_the_same_zone_given_its_parents() -> None:
    full = resolve_zone_chain("宁波市江北区文教街道")[-1]
    bare = resolve_zone_chain("文教街道", parents=["浙江省", "宁波市", "江北区"])[-1]
    assert bare.node_id == full.node_id
    district = resolve_zone_chain("江北区", parents=["浙江省"])
    assert district[-1].node_id == node_id("Zone", "浙江省宁波市江北区")


def test_ambiguous_district_needs_context() -> None:
    # Hangzhou and Nanchang both have a 西湖区: without context no parent is invented.
    alone = resolve_zone_chain("西湖区")
    assert [r.key for r in alone] == ["西湖区"]
    in_zhejiang = resolve_zone_chain("西湖区", parents=["浙江省"])
    assert in_zhejiang[-1].node_id == node_id("Zone", "浙江省杭州市西湖区")


def test_context_that_contradicts_the_name_is_ignored() -> None:
    chain = resolve_zone_chain("北京市朝阳区", parents=["浙江省"])
    assert [r.key for r in chain] == ["北京市", "北京市朝阳区"]


def test_same_short_name_in_different_parents_stays_apart() -> None:
    # Real towns: both counties have a 城关镇; the ids come from the whole chain.
    a = resolve_zone_chain("城关镇", parents=["河南省", "洛阳市", "宜阳县"])[-1]
    b = resolve_zone_chain("城关镇", parents=["甘肃省", "兰州市", "永登县"])[-1]
    assert a.node_id != b.node_id
    assert a.name == b.name == "城关镇"


@pytest.mark.parametrize("word", ["城乡", "城市", "乡村", "社区", "城乡社区", "乡村社区", "辖区", "小区", "中西部地区"])
def test_generic_words_are_not_zones(word: str) -> None:
    assert resolve_zone_chain(word) == []


def test_traditional_characters_resolve_to_the_simplified_id() -> None:
    chain = resolve_zone_chain("寧波市江北區文教街道")
    assert chain[-1].node_id == node_id("Zone", "浙江省宁波市江北区文教街道")


def test_village_below_town() -> None:
    chain = resolve_zone_chain("新塍镇红旗村", parents=["浙江省", "嘉兴市", "秀洲区"])
    assert [(r.name, r.level) for r in chain[-2:]] == [("新塍镇", "town"), ("新塍镇红旗村", "village")]


def test_caller_given_level_makes_a_zone_of_an_unsuffixed_name() -> None:
    chain = resolve_zone_chain("和平里", parents=["北京市", "东城区"], level="community")
    assert chain[-1].key == "北京市东城区和平里" and chain[-1].level == "community"


def test_nodes_and_part_of_edges_carry_evidence() -> None:
    text = "宁波市江北区文教街道通过和音坊社区服务中心开展工作。"  # written for testing
    doc = Document(document_id(text), "", "", "", "", "", text)
    evidence = Evidence(doc.id, text, 0, len(text))
    chain = resolve_zone_chain("宁波市江北区文教街道")
    nodes, edges = zone_nodes_and_edges(chain, evidence)
    graph = GraphDocument([doc], nodes, edges)
    assert graph.problems() == []
    pairs = {(e.source, e.target) for e in edges}
    assert (node_id("Zone", "浙江省宁波市江北区文教街道"), node_id("Zone", "浙江省宁波市江北区")) in pairs
    assert (node_id("Zone", "浙江省宁波市"), node_id("Zone", "浙江省")) in pairs
    assert len(edges) == len(chain) - 1  # each zone to its direct parent only
    assert all(e.evidence == [evidence] for e in edges)
    street = next(n for n in nodes if n.properties["level"] == "street")
    assert street.properties["full_name"] == "浙江省宁波市江北区文教街道"
    assert "code" not in street.properties
