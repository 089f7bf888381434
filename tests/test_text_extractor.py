"""The free-text extractor end to end: the bundled article, Markdown, encodings, bad input, a store."""

from __future__ import annotations

from pathlib import Path

import pytest

from govkg.errors import InputError
from govkg.graph.ladybug_store import LadybugStore
from govkg.graph.model import GraphDocument, document_id, node_id
from govkg.loaders.text_extractor import MAX_EVIDENCE, extract_text, extract_text_file
from govkg.resources import BUNDLED_CORPUS_DIR

ARTICLE = BUNDLED_CORPUS_DIR / "zhejiang-experimental-zones-2018.txt"
TEST_TEXTS = Path(__file__).parent / "data" / "text"


@pytest.fixture(scope="module")
def article() -> GraphDocument:
    return extract_text_file(ARTICLE)


def names(graph: GraphDocument, label: str) -> set[str]:
    return {n.name for n in graph.nodes if n.label == label}


def edge_pairs(graph: GraphDocument, edge_type: str) -> set[tuple[str, str]]:
    by_id = {n.id: n.name for n in graph.nodes}
    return {(by_id[e.source], by_id[e.target]) for e in graph.edges if e.type == edge_type and e.source in by_id}


def assert_sound(graph: GraphDocument) -> None:
    """The contract every output keeps: no problems, every node reached by an edge with evidence,
    every piece of evidence a sentence of the stored text."""
    assert graph.problems() == []
    reached = {end for e in graph.edges if e.evidence for end in (e.source, e.target)}
    assert {n.id for n in graph.nodes} <= reached
    text = graph.documents[0].text
    for edge in graph.edges:
        for ev in edge.evidence:
            assert text[ev.start : ev.end] == ev.text and ev.text.strip() == ev.text


@pytest.mark.parametrize("path", [ARTICLE, *sorted(TEST_TEXTS.glob("*.txt")), *sorted(TEST_TEXTS.glob("*.md"))])
def test_every_output_is_sound(path: Path) -> None:
    assert_sound(extract_text_file(path))


def test_document_keeps_the_text_without_the_footer(article: GraphDocument) -> None:
    (document,) = article.documents
    assert document.id == document_id(document.text)
    assert document.text.startswith("本报记者 翟 倩")
    assert "免责声明" not in document.text
    assert (document.source, document.author) == ("中国社会报", "翟倩")
    assert document.path == str(ARTICLE)


def test_practices_are_attributed_to_the_zone_of_their_clause(article: GraphDocument) -> None:
    adopts = edge_pairs(article, "ADOPTS")
    assert ("兰溪市兰江街道", "爱心银行") in adopts
    assert ("宁波市江北区文教街道", "“教治”融通发展创新模式") in adopts
    assert ("龙泉市宝溪乡", "营造有文化灵魂的乡村社区") in adopts
    assert not any(zone == "宁波市江北区文教街道" and mech == "爱心银行" for zone, mech in adopts)
    assert not any(zone == "浙江省" for zone, _ in adopts)  # the province frames, the zones act


def test_parts_descriptions_and_categories(article: GraphDocument) -> None:
    by_name = {n.name: n for n in article.nodes}
    system = by_name["“一微带四微”治理体系"]
    assert system.properties["parts"] == ["微平台", "微组织", "微机制", "微基金"]
    assert "一微带四微" in system.aliases
    assert "即1个基本范围" in by_name["“1246+N”标准化体系框架"].properties["description"]
    cues = {
        (article.node_by_id()[e.source].name, article.node_by_id()[e.target].name): e.properties["cue"]
        for e in article.edges
        if e.type == "IN_CATEGORY"
    }
    assert cues[("爱心银行", "公益与志愿")] == "爱心银行"
    assert cues[("余杭‘1+3’基层协商治理模式", "协商议事")] == "协商"
    # 村社 is no cue inside 乡村社区: the culture practice is not an urban–rural one.
    assert ("营造有文化灵魂的乡村社区", "城乡统筹") not in cues


def test_organisations_policies_and_their_relations(article: GraphDocument) -> None:
    assert ("和音坊社区服务中心", "“教治”融通发展创新模式") in edge_pairs(article, "PARTICIPATES_IN")
    assert ("宁波市江北区文教街道", "和音坊社区服务中心") in edge_pairs(article, "HAS_ORGANISATION")
    assert ("“社工委员”专职专选", "选举办法") in edge_pairs(article, "FRAMED_BY")
    policies = {n.name: n.properties for n in article.nodes if n.label == "Policy"}
    assert policies["村社同步换届"]["year"] == 2017
    assert policies["“社区治理与服务创新”实验区"]["year"] == 2016
    assert "year" not in policies["两推一选"]  # 2017 is written in another clause
    assert ("浙江省", "“社区治理与服务创新”实验区") in edge_pairs(article, "IMPLEMENTS")


def test_themes_from_the_five_headings(article: GraphDocument) -> None:
    assert len(names(article, "Theme")) == 5
    assert all(t.startswith("从") and "迈向" in t for t in names(article, "Theme"))
    assert ("龙泉市宝溪乡", "从重城市迈向城乡并重") in edge_pairs(article, "UNDER_THEME")
    assert ("爱心银行", "从单极化突破迈向融合性创新") in edge_pairs(article, "UNDER_THEME")


def test_part_of_evidence_is_the_sentence_naming_the_zone_in_full(article: GraphDocument) -> None:
    street = node_id("Zone", "浙江省宁波市江北区文教街道")
    (edge,) = [e for e in article.edges if e.type == "PART_OF" and e.source == street]
    assert edge.target == node_id("Zone", "浙江省宁波市江北区")
    assert "宁波市江北区文教街道" in edge.evidence[0].text


def test_traditional_text_keeps_its_characters_and_gets_simplified_ids() -> None:
    graph = extract_text_file(TEST_TEXTS / "wenjiao-traditional.txt")
    assert "寧波市江北區文教街道" in graph.documents[0].text
    street = graph.node_by_id()[node_id("Zone", "浙江省宁波市江北区文教街道")]
    assert street.name == "宁波市江北区文教街道"
    mechanism = next(n for n in graph.nodes if n.label == "Mechanism")
    assert mechanism.name == "“邻里守望”互助机制"
    assert "「鄰里守望」互助機制" in mechanism.aliases  # the written form stays findable
    adopts = next(e for e in graph.edges if e.type == "ADOPTS")
    assert "寧波市江北區文教街道推行「鄰里守望」" in adopts.evidence[0].text


def test_markdown_offsets_point_into_the_markdown_source() -> None:
    graph = extract_text_file(TEST_TEXTS / "gusu-work-summary.md")
    text = graph.documents[0].text
    assert text.startswith("<!--")  # the stored text is the Markdown source
    assert graph.documents[0].title == "姑苏区2019年社区治理工作总结"
    adopts = [e for e in graph.edges if e.type == "ADOPTS"]
    assert adopts and all(text[ev.start : ev.end] == ev.text for e in adopts for ev in e.evidence)
    assert any(ev.text.startswith("平江街道推行") for e in adopts for ev in e.evidence)
    assert "一、健全议事协商" in names(graph, "Theme")
    assert "written for testing" not in " ".join(n.name for n in graph.nodes)  # the HTML comment is markup


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-16"])
def test_encodings_give_the_same_graph(tmp_path: Path, encoding: str, article: GraphDocument) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(ARTICLE.read_text(encoding="utf-8").encode(encoding))
    graph = extract_text_file(path)
    assert {n.id for n in graph.nodes} == {n.id for n in article.nodes}
    assert graph.documents[0].id == article.documents[0].id


def test_text_without_a_zone_gives_the_document_alone() -> None:
    # Written for testing.
    graph = extract_text("居民积极参与“邻里节”活动，志愿者也来帮忙。", "note.txt")
    assert len(graph.documents) == 1 and graph.nodes == [] and graph.edges == []
    assert graph.problems() == []


def test_empty_and_missing_files_raise_input_errors(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    with pytest.raises(InputError, match="empty"):
        extract_text_file(empty)
    with pytest.raises(InputError, match="not found"):
        extract_text_file(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="binary"):
        binary = tmp_path / "binary.txt"
        binary.write_bytes(bytes(range(256)) * 8)
        extract_text_file(binary)


def test_long_repetitive_text_resolves_to_the_same_entities(article: GraphDocument) -> None:
    body = ARTICLE.read_text(encoding="utf-8").split("来源:")[0]
    graph = extract_text(body * 60)  # about 130,000 characters
    assert {n.id for n in graph.nodes if n.label != "Theme"} == {n.id for n in article.nodes if n.label != "Theme"}
    assert max(len(e.evidence) for e in graph.edges) == MAX_EVIDENCE  # evidence stays bounded
    assert graph.problems() == []


def test_text_without_punctuation_or_with_stray_quotes_is_handled() -> None:
    # Written for testing: no sentence marks at all, and quotes that never close.
    graph = extract_text("宁波市江北区文教街道推行“邻里守望互助机制" + "居民参与社区治理" * 5000 + "“")
    assert graph.problems() == []
    assert node_id("Zone", "浙江省宁波市江北区文教街道") in graph.node_by_id()


def test_extracted_article_loads_into_an_embedded_store(tmp_path: Path, article: GraphDocument) -> None:
    with LadybugStore(tmp_path / "govkg.lbdb") as store:
        store.write(article)
        rows = store.read(
            "MATCH (z:Zone)-[:ADOPTS]->(m:Mechanism) WHERE z.name = $zone RETURN m.name AS name",
            {"zone": "兰溪市兰江街道"},
        ).records()
        # (提升“我来当家”意识 is an attitude fostered, not a practice: see tests/data/text/gold-zhejiang-2018.yaml.)
        assert sorted(r["name"] for r in rows) == sorted(["微公益超市", "爱心银行", "社区党建综合体"])
        parents = store.read(
            "MATCH (z:Zone {id: $id})-[:PART_OF*1..3]->(p:Zone) RETURN p.name AS name",
            {"id": node_id("Zone", "浙江省丽水市龙泉市宝溪乡")},
        ).records()
        assert sorted(r["name"] for r in parents) == sorted(["龙泉市", "丽水市", "浙江省"])
        store.write(article)  # loading the same text again changes nothing
        assert store.counts()["Mechanism"] == len(names(article, "Mechanism"))


def test_blank_text_is_an_input_error_naming_the_source() -> None:
    with pytest.raises(InputError, match=r"upload\.txt: the text is empty"):
        extract_text(" \n\t", "upload.txt")


def test_long_sentence_of_commas_stays_linear() -> None:
    # Written for testing: one sentence, thousands of clauses, each naming a zone and actors.
    graph = extract_text("宁波市江北区文教街道推行“邻里守望”机制，居民和志愿者参与，" * 3000)
    assert graph.problems() == []
    adopts = [e for e in graph.edges if e.type == "ADOPTS"]
    assert len(adopts) == 1 and len(adopts[0].evidence) == 1  # one sentence, cited once


def test_a_sub_unit_introduced_by_该区_is_the_subject() -> None:
    # Written for testing (real district and street, invented practice).
    graph = extract_text("北京市朝阳区推进接诉即办。该区望京街道推行“小区议事厅”协商机制。")
    assert ("望京街道", "“小区议事厅”协商机制") in edge_pairs(graph, "ADOPTS")
    street = graph.node_by_id()[node_id("Zone", "北京市朝阳区望京街道")]
    assert street.properties["level"] == "street"
