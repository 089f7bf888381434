"""Case sheets (YAML/JSON): what a researcher writes becomes the right graph, and every mistake a
researcher can make is reported with the file, the field, the line and the fix.

Fixtures in tests/data/sheets/ were written for testing (see its README); the good ones restate
facts of the bundled article, the bad-* ones are deliberately malformed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from govkg.errors import InputError
from govkg.graph.model import GraphDocument, node_id
from govkg.loaders.case_sheet import case_sheet_from_dict, case_sheet_from_text, graph_to_case_sheet, load_case_sheet
from govkg.loaders.extract import extract_file
from govkg.loaders.sheet_export import case_sheet_to_yaml

SHEETS = Path(__file__).parent / "data" / "sheets"
TWO_ZONES = SHEETS / "two-zones.yaml"

ZHENHAI = node_id("Zone", "浙江省宁波市镇海区")
HAINING = node_id("Zone", "浙江省嘉兴市海宁市")
WEIMINSHENG = node_id("Mechanism", "微民生大服务治理体系")
ONE_FOUR = node_id("Mechanism", "一微带四微")
SHEGONG = node_id("Mechanism", "社工委员专职专选")


def edge_keys(graph: GraphDocument) -> set[tuple[str, str, str]]:
    return {e.key for e in graph.edges}


def targets(graph: GraphDocument, edge_type: str, source: str) -> set[str]:
    return {e.target for e in graph.edges if e.type == edge_type and e.source == source}


@pytest.fixture(scope="module")
def two_zones() -> GraphDocument:
    graph = load_case_sheet(TWO_ZONES)
    assert graph.problems() == []
    return graph


def test_zone_chain_ids_follow_the_shared_convention(two_zones: GraphDocument) -> None:
    nodes = two_zones.node_by_id()
    # 宁波市镇海区 with parents 浙江省 > 宁波市; 海宁市 with parent 浙江省 only: the division table adds 嘉兴市.
    assert nodes[ZHENHAI].properties == {"level": "district", "full_name": "浙江省宁波市镇海区", "code": "330211"}
    assert nodes[HAINING].properties["level"] == "city"
    assert nodes[HAINING].properties["code"] == "330481"
    part_of = {(e.source, e.target) for e in two_zones.edges if e.type == "PART_OF"}
    assert (HAINING, node_id("Zone", "浙江省嘉兴市")) in part_of
    assert (node_id("Zone", "浙江省嘉兴市"), node_id("Zone", "浙江省")) in part_of
    assert (ZHENHAI, node_id("Zone", "浙江省宁波市")) in part_of
    # Each zone points to its direct parent only.
    assert (HAINING, node_id("Zone", "浙江省")) not in part_of


def test_mechanisms_parts_categories_organisations_policies(two_zones: GraphDocument) -> None:
    nodes = two_zones.node_by_id()
    assert nodes[WEIMINSHENG].aliases == ["微民生大服务"]
    assert nodes[WEIMINSHENG].properties["parts"] == ["一微带四微"]
    # Parts nest, and the zone adopts every part as well as the whole.
    micro = {node_id("Mechanism", n) for n in ("微平台", "微组织", "微机制", "微基金")}
    assert targets(two_zones, "HAS_PART", WEIMINSHENG) == {ONE_FOUR}
    assert targets(two_zones, "HAS_PART", ONE_FOUR) == micro
    assert targets(two_zones, "ADOPTS", ZHENHAI) == {WEIMINSHENG, ONE_FOUR, *micro}
    assert targets(two_zones, "ADOPTS", HAINING) == {SHEGONG}
    # Categories by id, English name or Chinese name all reach the taxonomy's Category node.
    assert targets(two_zones, "IN_CATEGORY", WEIMINSHENG) == {node_id("Category", "服务综合体")}
    assert targets(two_zones, "IN_CATEGORY", SHEGONG) == {
        node_id("Category", "选举与换届"),
        node_id("Category", "社工人才"),
    }
    cue = next(e for e in two_zones.edges if e.type == "IN_CATEGORY" and e.source == WEIMINSHENG)
    assert cue.properties["cue"] == "综合体"
    assert cue.properties["cue"] in cue.evidence[0].text
    # An organisation takes part in a mechanism named by its alias; the role is kept.
    resident = node_id("Organisation", "居民")
    assert nodes[resident].properties == {"kind": "role-group"}
    joins = [e for e in two_zones.edges if e.type == "PARTICIPATES_IN" and e.source == resident]
    assert [(e.target, e.properties) for e in joins] == [(WEIMINSHENG, {"role": "参与者"})]
    assert resident in targets(two_zones, "HAS_ORGANISATION", ZHENHAI)
    # A policy's year written as text becomes a number; the mechanism it frames is linked.
    rule = node_id("Policy", "选举办法")
    assert nodes[rule].properties == {"kind": "regulation", "year": 2017}
    assert targets(two_zones, "FRAMED_BY", SHEGONG) == {rule}
    assert targets(two_zones, "IMPLEMENTS", HAINING) == {rule}
    theme = node_id("Theme", "从注重社区物理空间打造迈向社会空间创设")
    assert nodes[theme].properties == {"name_en": "from physical to social space"}
    assert theme in targets(two_zones, "UNDER_THEME", ZHENHAI)
    assert theme in targets(two_zones, "UNDER_THEME", WEIMINSHENG)


def test_evidence_is_the_quoted_sentence_at_its_offsets(two_zones: GraphDocument) -> None:
    (document,) = two_zones.documents
    sheet = yaml.safe_load(TWO_ZONES.read_text(encoding="utf-8"))
    quote = sheet["cases"][0]["mechanisms"][0]["evidence"]
    adopts = next(e for e in two_zones.edges if e.key == ("ADOPTS", ZHENHAI, WEIMINSHENG))
    assert [ev.text for ev in adopts.evidence] == [quote]
    for edge in two_zones.edges:
        assert edge.evidence, f"{edge.key} has no evidence"
        for ev in edge.evidence:
            assert ev.document == document.id
            assert document.text[ev.start : ev.end] == ev.text
    # The document carries the sheet's source; the folded summary has no stray space.
    assert (document.title, document.source, document.author, document.date) == (
        "测试用案例表（两个地区）",
        "中国社会报",
        "翟倩",
        "2018",
    )
    assert document.properties["url"] == "https://example.org/written-for-testing"
    assert "为测试而写的概述：折行的中文不应留下空格。" in document.text


def test_ids_are_stable_across_reloads_and_formats(two_zones: GraphDocument) -> None:
    again = load_case_sheet(TWO_ZONES)
    assert again.to_dict() == two_zones.to_dict()
    as_json = load_case_sheet(SHEETS / "two-zones.json")
    assert {n.id for n in as_json.nodes} == {n.id for n in two_zones.nodes}
    assert edge_keys(as_json) == edge_keys(two_zones)
    # Same content, same stored text, same document id: loading both writes one document.
    assert as_json.documents[0].id == two_zones.documents[0].id
    # The loader dispatch picks the sheet loader by suffix.
    assert extract_file(TWO_ZONES).to_dict() == two_zones.to_dict()


def test_traditional_characters_give_simplified_ids() -> None:
    # Written for testing: the same facts in traditional characters.
    text = """
source: {publication: 中國社會報}
zone: {name: 平湖市當湖街道, level: 街道, parents: 浙江省 > 平湖市}
mechanisms:
  - name: 三級友鄰
    categories: [鄰里互助]
"""
    graph = case_sheet_from_text(text, "written-for-testing.yaml")
    assert graph.problems() == []
    zone = node_id("Zone", "浙江省嘉兴市平湖市当湖街道")
    mechanism = node_id("Mechanism", "三级友邻")
    assert ("ADOPTS", zone, mechanism) in edge_keys(graph)
    assert ("IN_CATEGORY", mechanism, node_id("Category", "邻里互助")) in edge_keys(graph)
    node = graph.node_by_id()[mechanism]
    assert node.name == "三级友邻"
    assert "三級友鄰" in node.aliases


def test_case_sheet_from_dict_serves_an_upload_preview() -> None:
    data = json.loads((SHEETS / "two-zones.json").read_text(encoding="utf-8"))
    graph = case_sheet_from_dict(data, "upload.json")
    assert graph.problems() == []
    assert graph.documents[0].path == "upload.json"
    data["cases"][1]["zone"]["level"] = "county-ish"
    with pytest.raises(InputError) as caught:
        case_sheet_from_dict(data, "upload.json")
    assert str(caught.value).startswith("upload.json: cases[1].zone.level: level 'county-ish' is unknown")


@pytest.mark.parametrize(
    ("name", "fragments"),
    [
        ("bad-syntax.yaml", ["YAML syntax error at line 7", "indentation"]),
        ("bad-syntax.json", ["JSON syntax error at line 3"]),
        ("bad-missing-zone-name.yaml", ["zone (line 3)", "the required field 'name' is missing"]),
        ("bad-unknown-level.yaml", ["zone.level (line 5)", "'streat'", "did you mean 'street'", "township"]),
        (
            "bad-unknown-category.yaml",
            ["mechanisms[0].categories[1] (line 6)", "'友邻网络'", "data/taxonomy.yaml", "邻里互助"],
        ),
        ("bad-unknown-key.yaml", ["mechanisms[0] (line 5)", "'descripton'", "did you mean 'description'"]),
        ("bad-wrong-type.yaml", ["mechanisms (line 4)", "expected a list", "found a mapping"]),
        ("bad-duplicate-key.yaml", ["'description' appears twice", "lines 6 and 7"]),
        ("bad-comments-only.yaml", ["holds no data", "docs/case-sheets.md"]),
        ("bad-empty.yaml", ["file is empty"]),
        ("bad-wrong-parent.yaml", ["parent '江苏省' is not on the chain", "浙江省 > 嘉兴市 > 平湖市"]),
        ("bad-unknown-reference.yaml", ["organisations[0] (line 7)", "'一委N方自治体系'", "一委N坊自治体系"]),
    ],
)
def test_malformed_sheets_say_what_where_and_how_to_fix(name: str, fragments: list[str]) -> None:
    path = SHEETS / name
    with pytest.raises(InputError) as caught:
        load_case_sheet(path)
    message = str(caught.value)
    assert caught.value.path == str(path)
    assert message.startswith(f"{path}: ")
    for fragment in fragments:
        assert fragment in message


@pytest.mark.parametrize(
    ("snippet", "fragment"),
    [
        # Written for testing: one mistake each, inside an otherwise sound sheet.
        ("mechanisms: []", "mechanisms (line 3): is empty; the field 'mechanisms' needs a value"),
        (
            "mechanisms:\n  - name: 三级友邻\n    categories: [邻里互助]\n    aliases: [true]",
            "expected text, found true/false",
        ),
        ("mechanisms:\n  - {name: 三级友邻}\n  - {name: “三级友邻”}", "listed twice"),
        ("mechanisms: [三级友邻]\npolicies:\n  - {name: 选举办法, year: 17}", "expected a four-digit year"),
        ("mechanisms: [三级友邻]\nzones: []", "unknown field 'zones' (did you mean 'zone'?)"),
    ],
)
def test_other_mistakes_are_named(snippet: str, fragment: str) -> None:
    text = f"source: {{publication: 中国社会报}}\nzone: {{name: 平湖市当湖街道, level: street}}\n{snippet}\n"
    with pytest.raises(InputError) as caught:
        case_sheet_from_text(text, "written-for-testing.yaml")
    assert fragment in str(caught.value)


def test_parent_level_contradicting_the_division_table_is_refused() -> None:
    text = """
source: {publication: 中国社会报}
zone:
  name: 当湖街道
  level: street
  parents: [{name: 浙江省, level: province}, {name: 平湖市, level: county}]
mechanisms: [三级友邻]
"""
    with pytest.raises(InputError) as caught:
        case_sheet_from_text(text, "written-for-testing.yaml")
    assert "'平湖市' has level 'county'" in str(caught.value)
    assert "write level: city" in str(caught.value)


def test_short_zone_name_with_parents_reaches_the_same_zone() -> None:
    text = """
source: {publication: 中国社会报}
zone: {name: 当湖街道, level: street, parents: 浙江省 > 嘉兴市 > 平湖市}
mechanisms: [三级友邻]
"""
    graph = case_sheet_from_text(text, "written-for-testing.yaml")
    assert ("ADOPTS", node_id("Zone", "浙江省嘉兴市平湖市当湖街道"), node_id("Mechanism", "三级友邻")) in edge_keys(
        graph
    )


def test_graph_to_case_sheet_round_trips(two_zones: GraphDocument) -> None:
    sheet = graph_to_case_sheet(two_zones)
    assert [case["zone"]["name"] for case in sheet["cases"]] == ["宁波市镇海区", "海宁市"]
    first = sheet["cases"][0]["mechanisms"][0]
    assert first["name"] == "微民生大服务治理体系"
    assert first["parts"][0]["name"] == "一微带四微"  # adopted parts stay nested under their whole
    reloaded = case_sheet_from_dict(yaml.safe_load(case_sheet_to_yaml(two_zones)), "exported.yaml")
    assert reloaded.problems() == []
    assert {n.id for n in reloaded.nodes} == {n.id for n in two_zones.nodes}
    # Everything but the document's own MENTIONS (its text differs: the summary is not in the graph).
    assert {k for k in edge_keys(reloaded) if k[0] != "MENTIONS"} == {
        k for k in edge_keys(two_zones) if k[0] != "MENTIONS"
    }
    adopts = next(e for e in reloaded.edges if e.key == ("ADOPTS", ZHENHAI, WEIMINSHENG))
    original = next(e for e in two_zones.edges if e.key == adopts.key)
    assert [ev.text for ev in adopts.evidence] == [ev.text for ev in original.evidence]


def test_one_zone_exports_in_the_single_case_form() -> None:
    text = """
source: {publication: 中国社会报, author: 翟倩}
zone: {name: 杭州市江干区, level: district}
mechanisms:
  - name: 一委N坊自治体系
    parts: [邻里坊工作机制]
"""
    graph = case_sheet_from_text(text, "written-for-testing.yaml")
    sheet = graph_to_case_sheet(graph)
    assert "cases" not in sheet
    assert sheet["zone"]["parents"] == [{"name": "浙江省", "level": "province"}, {"name": "杭州市", "level": "city"}]
    assert sheet["mechanisms"] == [{"name": "一委N坊自治体系", "parts": ["邻里坊工作机制"]}]
    assert sheet["source"] == {"publication": "中国社会报", "author": "翟倩"}
    assert sheet["replaces"] == {"document": graph.documents[0].id, "path": "written-for-testing.yaml"}
    # Nothing in this sheet is lost on the way out, so it comes back as the very same document (same
    # text, same id: it replaces nothing), only marked as curated.
    reloaded = case_sheet_from_dict(sheet, "written-for-testing.yaml")
    assert reloaded.documents[0].properties["replaces"] == [graph.documents[0].id]
    assert all(n.properties["curated"] is True for n in reloaded.nodes)
    assert without_curation(reloaded.to_dict()) == graph.to_dict()


def without_curation(data: dict[str, Any]) -> dict[str, Any]:
    """A graph document's dict without the marks a curated sheet adds (curated, replaces)."""
    marks = ("curated", "replaces", "replaces_paths")
    out: dict[str, Any] = {}
    for part, items in data.items():
        out[part] = []
        for item in items:
            item = dict(item)
            properties = {k: v for k, v in item.get("properties", {}).items() if k not in marks}
            if properties or part == "nodes":  # nodes always list their properties, others only when set
                item["properties"] = properties
            else:
                item.pop("properties", None)
            out[part].append(item)
    return out


def test_a_graph_without_zones_cannot_become_a_sheet() -> None:
    with pytest.raises(InputError, match="no zone was found here"):
        graph_to_case_sheet(GraphDocument())


DOCS = Path(__file__).parent.parent / "docs" / "case-sheets.md"


def test_docs_describe_every_field_and_column() -> None:
    from govkg.loaders import case_sheet
    from govkg.loaders.csv_cases import COLUMNS, IGNORED_HEADERS

    docs = DOCS.read_text(encoding="utf-8")
    fields = {
        *case_sheet.SHEET_FIELDS,
        *case_sheet.SOURCE_FIELDS,
        *case_sheet.CASE_FIELDS,
        *case_sheet.ZONE_FIELDS,
        *case_sheet.THEME_FIELDS,
        *case_sheet.MECHANISM_FIELDS,
        *case_sheet.ORGANISATION_FIELDS,
        *case_sheet.POLICY_FIELDS,
        *case_sheet.REPLACED_FIELDS,
        *case_sheet.UNPLACED_FIELDS,
    }
    assert [f for f in sorted(fields) if f"`{f}`" not in docs] == []
    headers = {h for aliases in COLUMNS.values() for h in aliases} | set(IGNORED_HEADERS)
    assert [h for h in sorted(headers) if h not in docs] == []


def test_docs_examples_are_the_bundled_sheet_and_load() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    blocks = docs.split("```yaml\n")[1:]
    examples = [block.split("```", 1)[0] for block in blocks]
    bundled = Path(__file__).parent.parent / "data" / "cases" / "ningbo-zhenhai-district.yaml"
    without_comments = "".join(
        line for line in bundled.read_text(encoding="utf-8").splitlines(keepends=True) if not line.startswith("#")
    )
    assert examples[0] == without_comments  # the full example is the real sheet, kept in step
    for example in examples:
        graph = case_sheet_from_text(example, "docs-example.yaml")
        assert graph.problems() == []


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_sheets_saved_in_other_encodings_load_the_same(tmp_path: Path, two_zones: GraphDocument, encoding: str) -> None:
    path = tmp_path / "two-zones.yml"
    path.write_bytes(TWO_ZONES.read_text(encoding="utf-8").encode(encoding))
    graph = extract_file(path)
    assert graph.documents[0].text == two_zones.documents[0].text
    assert {n.id for n in graph.nodes} == {n.id for n in two_zones.nodes}


def test_year_and_stage_reach_the_adoption_and_round_trip() -> None:
    # Written for testing: a street that piloted one practice and plans another.
    text = (
        "source: {publication: 中国社会报}\nzone: {name: 平湖市当湖街道, level: street}\n"
        "mechanisms:\n  - {name: 三级友邻, year: 2016, stage: 试点}\n  - {name: 邻里议事会, stage: planned}\n"
        "  - 微网格\n"
    )
    graph = case_sheet_from_text(text, "written-for-testing.yaml")
    adopts = {graph.node_by_id()[e.target].name: e.properties for e in graph.edges if e.type == "ADOPTS"}
    assert adopts["三级友邻"] == {"stage": "pilot", "year": 2016}
    assert adopts["邻里议事会"] == {"stage": "planned"}
    assert adopts["微网格"] == {"stage": "adopted"}
    exported = graph_to_case_sheet(graph)
    again = case_sheet_from_dict(exported, "again.yaml")
    timing = {
        graph.node_by_id()[e.target].name: {k: v for k, v in e.properties.items() if k in ("stage", "year")}
        for e in again.edges
        if e.type == "ADOPTS"
    }
    assert timing == adopts


def test_unknown_stage_names_the_choices() -> None:
    text = (
        "source: {publication: 中国社会报}\nzone: {name: 平湖市当湖街道}\n"
        "mechanisms:\n  - {name: 三级友邻, stage: 试验}\n"
    )
    with pytest.raises(InputError) as caught:
        case_sheet_from_text(text, "written-for-testing.yaml")
    assert "mechanisms[0].stage" in str(caught.value)
    assert "pilot, adopted, promoted, planned" in str(caught.value)
