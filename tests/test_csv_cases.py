"""CSV case tables: a spreadsheet export in any of the encodings researchers' tools write becomes
the same graph; missing columns, empty cells and unknown categories are named with their row.

Fixtures in tests/data/sheets/ were written for testing (see its README).
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from govkg.errors import InputError
from govkg.graph.model import GraphDocument, node_id
from govkg.loaders.case_sheet import case_sheet_from_text
from govkg.loaders.csv_cases import csv_from_text, load_csv
from govkg.loaders.extract import extract_file

SHEETS = Path(__file__).parent / "data" / "sheets"
CASES = SHEETS / "cases.csv"

ZHENHAI = node_id("Zone", "浙江省宁波市镇海区")
JIANGGAN = node_id("Zone", "浙江省杭州市江干区")
HAINING = node_id("Zone", "浙江省嘉兴市海宁市")
SHEGONG = node_id("Mechanism", "社工委员专职专选")


def semantic(graph: GraphDocument) -> tuple[set[str], set[tuple[str, str, str]]]:
    """Node ids and edge keys, leaving out the document's MENTIONS (its id follows its text)."""
    return {n.id for n in graph.nodes}, {e.key for e in graph.edges if e.type != "MENTIONS"}


@pytest.fixture(scope="module")
def table() -> GraphDocument:
    graph = load_csv(CASES)
    assert graph.problems() == []
    return graph


def test_rows_become_zones_mechanisms_and_links(table: GraphDocument) -> None:
    keys = {e.key for e in table.edges}
    nodes = table.node_by_id()
    assert nodes[JIANGGAN].properties["level"] == "district"  # 区 in the level column
    assert nodes[HAINING].properties["full_name"] == "浙江省嘉兴市海宁市"
    weiminsheng = node_id("Mechanism", "微民生大服务治理体系")
    assert nodes[weiminsheng].aliases == ["微民生大服务"]
    assert nodes[weiminsheng].properties["description"] == "为测试而写的说明"
    assert ("ADOPTS", ZHENHAI, weiminsheng) in keys
    assert ("HAS_PART", weiminsheng, node_id("Mechanism", "一微带四微")) in keys
    # 居民自治、邻里互助 in one cell: two categories.
    yiwei = node_id("Mechanism", "一委N坊自治体系")
    assert {e.target for e in table.edges if e.type == "IN_CATEGORY" and e.source == yiwei} == {
        node_id("Category", "居民自治"),
        node_id("Category", "邻里互助"),
    }
    assert ("PARTICIPATES_IN", node_id("Organisation", "居委会"), yiwei) in keys
    assert ("FRAMED_BY", SHEGONG, node_id("Policy", "选举办法")) in keys
    assert ("UNDER_THEME", HAINING, node_id("Theme", "从重城市迈向城乡并重")) in keys


def test_rows_of_one_zone_and_mechanism_merge(table: GraphDocument) -> None:
    # 海宁市 / 社工委员专职专选 has two rows: one mechanism, both quotes, both categories.
    adopts = next(e for e in table.edges if e.key == ("ADOPTS", HAINING, SHEGONG))
    assert [ev.text[:6] for ev in adopts.evidence] == ["首批实验区自", "把政治素质好"]
    assert {e.target for e in table.edges if e.type == "IN_CATEGORY" and e.source == SHEGONG} == {
        node_id("Category", "选举与换届"),
        node_id("Category", "社工人才"),
    }
    (document,) = table.documents
    for edge in table.edges:
        for ev in edge.evidence:
            assert document.text[ev.start : ev.end] == ev.text
    assert (document.source, document.author, document.date) == ("中国社会报", "翟倩", "2018")
    assert "written for testing" not in document.text  # the note column is not loaded


def test_chinese_headers_give_the_same_graph(table: GraphDocument) -> None:
    chinese = load_csv(SHEETS / "cases-chinese-headers.csv")
    assert chinese.problems() == []
    assert semantic(chinese) == semantic(table)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "utf-16"])
def test_encodings_researchers_tools_write(tmp_path: Path, table: GraphDocument, encoding: str) -> None:
    path = tmp_path / "cases.csv"
    path.write_bytes(CASES.read_text(encoding="utf-8").encode(encoding))
    if encoding == "utf-8-sig":
        assert path.read_bytes().startswith(codecs.BOM_UTF8)
    graph = load_csv(path)
    # Same cells, same stored text: the very same document id as the UTF-8 file.
    assert graph.documents[0].text == table.documents[0].text
    assert semantic(graph) == semantic(table)


def test_tab_separated_and_reloaded_tables_are_stable(tmp_path: Path, table: GraphDocument) -> None:
    text = "\t".join(["地区", "机制", "类别"]) + "\n" + "\t".join(["海宁市", "社工委员专职专选", "elections"]) + "\n"
    graph = csv_from_text(text, "written-for-testing.tsv.csv")
    assert ("IN_CATEGORY", SHEGONG, node_id("Category", "选举与换届")) in {e.key for e in graph.edges}
    assert load_csv(CASES).to_dict() == table.to_dict()
    assert extract_file(CASES).to_dict() == table.to_dict()


def test_csv_and_case_sheet_give_the_same_ids() -> None:
    # Written for testing: one fact, once as a sheet and once as a table row.
    sheet = case_sheet_from_text(
        "source: {publication: 中国社会报}\n"
        "zone: {name: 杭州市江干区, level: district, parents: 浙江省 > 杭州市}\n"
        "mechanisms:\n  - {name: 一委N坊自治体系, categories: [居民自治], parts: [邻里坊工作机制]}\n",
        "written-for-testing.yaml",
    )
    row = csv_from_text(
        "zone,zone_level,parents,mechanism,category,parts,source\n"
        "杭州市江干区,district,浙江省>杭州市,一委N坊自治体系,居民自治,邻里坊工作机制,中国社会报\n",
        "written-for-testing.csv",
    )
    assert semantic(row) == semantic(sheet)


def test_rows_with_different_sources_become_different_documents() -> None:
    text = (
        "zone,mechanism,source,author\n"
        "海宁市,社工委员专职专选,中国社会报,翟倩\n"
        "杭州市江干区,一委N坊自治体系,为测试而写的来源,\n"
    )
    graph = csv_from_text(text, "written-for-testing.csv")
    assert sorted(d.source for d in graph.documents) == ["中国社会报", "为测试而写的来源"]
    assert graph.problems() == []
    adopts = {e.key[1]: e.evidence[0].document for e in graph.edges if e.type == "ADOPTS"}
    assert adopts[HAINING] != adopts[JIANGGAN]


@pytest.mark.parametrize(
    ("name", "fragments"),
    [
        (
            "bad-missing-columns.csv",
            ["missing required column(s): mechanism (or 机制, 机制名称)", "Columns found: '地方', '做法', '说明'"],
        ),
        ("bad-empty-zone.csv", ["row 4: the zone cell is empty"]),
        ("bad-unknown-category.csv", ["row 2, column category", "'选举换届'", "did you mean '选举与换届'"]),
        ("bad-unknown-column.csv", ["unknown column(s) 'catgory'", "did you mean 'category'"]),
        ("bad-header-only.csv", ["has a header but no rows"]),
    ],
)
def test_bad_tables_say_what_and_where(name: str, fragments: list[str]) -> None:
    path = SHEETS / name
    with pytest.raises(InputError) as caught:
        load_csv(path)
    assert str(caught.value).startswith(f"{path}: ")
    for fragment in fragments:
        assert fragment in str(caught.value)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        # Written for testing: one mistake each.
        ("zone,mechanism\n海宁市,\n", "row 2: the mechanism cell is empty"),
        ("zone,mechanism,zone_level\n海宁市,社工委员专职专选,citty\n", "row 2, column zone_level: 'citty' is unknown"),
        ("zone,地区,mechanism\n海宁市,海宁市,社工委员专职专选\n", "columns 'zone' and '地区' both mean 'zone'"),
        ("zone,mechanism\n海宁市,社工委员专职专选,多出来的格子\n", "row 2 has 3 cells but the header has 2 columns"),
        ("zone,mechanism\n为测试而写,社工委员专职专选\n", "row 2, column zone: cannot place zone '为测试而写'"),
    ],
)
def test_row_mistakes_are_named(text: str, fragment: str) -> None:
    with pytest.raises(InputError) as caught:
        csv_from_text(text, "written-for-testing.csv")
    assert fragment in str(caught.value)


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(codecs.BOM_UTF8 + b"\r\n")
    with pytest.raises(InputError, match="empty"):
        load_csv(path)


def test_quotes_doubled_inside_a_quoted_cell_are_read_as_spreadsheets_write_them() -> None:
    # Written for testing: a spreadsheet saves 他说"你好" as "他说""你好""".
    text = 'zone,mechanism,evidence\n平湖市当湖街道,三级友邻,"居民说""邻里有事好商量"",街道推行三级友邻。"\n'
    graph = csv_from_text(text, "written-for-testing.csv")
    adopts = next(e for e in graph.edges if e.type == "ADOPTS")
    assert graph.documents[0].text[adopts.evidence[0].start : adopts.evidence[0].end] == (
        '居民说"邻里有事好商量",街道推行三级友邻。'
    )
