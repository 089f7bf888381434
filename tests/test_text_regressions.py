"""Extraction bugs found while building the synthetic benchmark corpus, each kept fixed here:
folding that renamed real divisions (乾县 -> 干县), one mechanism node for two practices sharing an
inner formula (‘1+3’), and organisation names read as townships (X乡贤参事会 -> X乡)."""

from __future__ import annotations

import csv
from pathlib import Path

from govkg.graph.model import GraphDocument, node_id
from govkg.loaders.text_extractor import extract_text
from govkg.loaders.zone_mentions import ZoneMention, find_zone_mentions
from govkg.loaders.zones import cpca_module, resolve_zone_chain
from govkg.text import fold, to_simplified


def mentions(text: str) -> list[ZoneMention]:
    return find_zone_mentions(text, [(0, len(text))])


def nodes(graph: GraphDocument, label: str) -> dict[str, set[str]]:
    """name -> aliases of the nodes of one label."""
    return {n.name: set(n.aliases) for n in graph.nodes if n.label == label}


# -- 1. folding keeps the division table's own names ----------------------------------------------


def test_every_name_of_the_division_table_folds_to_itself() -> None:
    path = Path(str(cpca_module().__file__)).parent / "resources" / "adcodes.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        table = [row["name"] for row in csv.DictReader(handle)]
    assert len(table) > 3000
    changed = [name for name in table if to_simplified(name) != name]
    assert changed == []


def test_qianxian_keeps_its_name_code_and_parents() -> None:
    chain = resolve_zone_chain("乾县")
    assert [(ref.name, ref.level, ref.code) for ref in chain] == [
        ("陕西省", "province", "610000"),
        ("咸阳市", "city", "610400"),
        ("乾县", "county", "610424"),
    ]
    assert chain[-1].node_id == node_id("Zone", "陕西省咸阳市乾县")
    # Traditional characters around it still fold (陝, 陽, 縣) and reach the same zone.
    traditional = resolve_zone_chain("陝西省咸陽市乾縣")
    assert traditional[-1].key == "陕西省咸阳市乾县"
    assert traditional[-1].code == "610424"


def test_traditional_text_still_resolves_and_the_character_still_folds_elsewhere() -> None:
    chain = resolve_zone_chain("嘉興市平湖市")
    assert chain[-1].key == "浙江省嘉兴市平湖市"
    assert chain[-1].code == "330482"
    text = "乾縣街道乾淨整潔"  # written for testing
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded == "乾县街道干净整洁"  # 乾 kept in the county's name, folded in 乾淨


def test_qianxian_in_running_text_is_a_zone_with_its_code() -> None:
    # Written for testing.
    graph = extract_text("陕西省咸阳市乾县推行“乾县网格治理模式”，乾县居民参与议事。", "written-for-testing.txt")
    assert graph.problems() == []
    zones = {n.properties["full_name"]: n for n in graph.nodes if n.label == "Zone"}
    assert zones["陕西省咸阳市乾县"].properties.get("code") == "610424"
    assert not any("干县" in key for key in zones)
    assert "乾县网格治理模式" in nodes(graph, "Mechanism")
    part_of = {(e.source, e.target) for e in graph.edges if e.type == "PART_OF"}
    assert (node_id("Zone", "陕西省咸阳市乾县"), node_id("Zone", "陕西省咸阳市")) in part_of


# -- 2. a shared inner formula does not merge two practices -------------------------------------

_TWO_PRACTICES = (  # written for testing
    "杭州市余杭区推行“怡辉‘1+3’网格协商机制”。宁波市江北区推行“杏府‘1+3’网格协商机制”。居民认为“1+3”很有效。"
)


def test_two_practices_sharing_a_formula_stay_two() -> None:
    graph = extract_text(_TWO_PRACTICES, "written-for-testing.txt")
    assert graph.problems() == []
    mechanisms = nodes(graph, "Mechanism")
    assert {"怡辉‘1+3’网格协商机制", "杏府‘1+3’网格协商机制"} <= set(mechanisms)
    # Each practice is adopted by its own zone.
    names = {n.id: n.name for n in graph.nodes}
    adopts = {(names[e.source], names[e.target]) for e in graph.edges if e.type == "ADOPTS"}
    assert ("杭州市余杭区", "怡辉‘1+3’网格协商机制") in adopts
    assert ("宁波市江北区", "杏府‘1+3’网格协商机制") in adopts
    assert ("杭州市余杭区", "杏府‘1+3’网格协商机制") not in adopts


def test_a_bare_formula_two_practices_share_is_attached_to_neither() -> None:
    graph = extract_text(_TWO_PRACTICES, "written-for-testing.txt")
    mechanisms = nodes(graph, "Mechanism")
    assert "1+3" not in mechanisms
    assert all("1+3" not in aliases for aliases in mechanisms.values())
    ambiguous = "居民认为“1+3”很有效。"
    mechanism_ids = {n.id for n in graph.nodes if n.label == "Mechanism"}
    touching = [e for e in graph.edges if mechanism_ids & {e.source, e.target}]
    assert touching  # the two practices have their edges ...
    assert not [e for e in touching if any(ev.text == ambiguous for ev in e.evidence)]  # ... none from it


def test_a_bare_formula_one_practice_holds_resolves_to_it() -> None:
    # Written for testing.
    text = "杭州市余杭区推行“怡辉‘1+3’网格协商机制”。居民认为“1+3”很有效。"
    graph = extract_text(text, "written-for-testing.txt")
    mechanisms = nodes(graph, "Mechanism")
    assert set(mechanisms) == {"怡辉‘1+3’网格协商机制"}
    assert "1+3" in mechanisms["怡辉‘1+3’网格协商机制"]
    names = {n.id: n.name for n in graph.nodes}
    mechanism_ids = {n.id for n in graph.nodes if n.label == "Mechanism"}
    joined = {
        names[e.target]
        for e in graph.edges
        if e.target in mechanism_ids and any(ev.text == "居民认为“1+3”很有效。" for ev in e.evidence)
    }
    assert joined == {"怡辉‘1+3’网格协商机制"}


def test_yuhang_model_still_resolves_its_short_mentions() -> None:
    # Written for testing, with the name the bundled article uses.
    text = "杭州市余杭区探索创建“余杭‘1+3’基层协商治理模式”，重点完善组织机构。“1+3”模式由居民参与。"
    graph = extract_text(text, "written-for-testing.txt")
    mechanisms = nodes(graph, "Mechanism")
    assert set(mechanisms) == {"余杭‘1+3’基层协商治理模式"}
    assert "1+3" in mechanisms["余杭‘1+3’基层协商治理模式"]
    # 居民 is a role word, not an organisation (the gold's rule, docs/evaluation.md): it takes part in nothing.
    assert "居民" not in nodes(graph, "Organisation")


# -- 3. organisation names and 乡 compounds do not create townships ------------------------------


def test_a_council_of_local_worthies_is_not_a_township() -> None:
    # Written for testing (德清县 and its town 钟管镇 are real; there is no 洛舍乡 or 钟管乡).
    found = mentions("浙江省湖州市德清县成立洛舍乡贤参事会，钟管乡贤参事会和钟管镇乡贤议事会也已成立。")
    keys = {m.zone.key for m in found}
    assert not any(key.endswith("乡") for key in keys)
    assert "浙江省湖州市德清县钟管镇" in keys  # a real town right before an organisation name stays


def test_xiangcun_and_xiangzhen_compounds_are_not_townships() -> None:
    # Written for testing.
    found = mentions("湖州市德清县推行洛舍乡村治理，莫干山乡镇干部和塘栖乡亲共同参与。")
    assert {m.zone.level for m in found} <= {"province", "city", "county"}
    assert not any(m.zone.level == "township" for m in found)


def test_real_townships_are_still_found() -> None:
    # Written for testing, with the bundled article's township.
    graph = extract_text("丽水市龙泉市宝溪乡推行乡贤参事会。宝溪乡组织乡贤议事。", "written-for-testing.txt")
    townships = {
        n.properties["full_name"] for n in graph.nodes if n.label == "Zone" and n.properties["level"] == "township"
    }
    assert townships == {"浙江省丽水市龙泉市宝溪乡"}
    assert "乡贤参事会" in nodes(graph, "Organisation")
