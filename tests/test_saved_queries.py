"""Saved queries: header parsing, parameter binding, and every query run on a real embedded store."""

from __future__ import annotations

from pathlib import Path

import pytest

from govkg.errors import QueryError
from govkg.paths import QUERIES_DIR
from graph.ladybug_store import LadybugStore
from graph.saved_queries import (
    QueryParam,
    SavedQuery,
    load_saved_queries,
    param_choices,
    parse_saved_query,
    run_saved_query,
)

# --- parsing -------------------------------------------------------------------------------------

EXAMPLE = """\
// title: 某地区的机制 | Mechanisms of a zone
// description: 说明 | What it shows
//
// param: zone: string = 平湖市当湖街道 — 地区名称或别名 | zone name or alias
// param: top: int = 5
// param: exact: bool = false — 精确匹配 | exact match
// param_choices: zone: MATCH (z:Zone) RETURN z.name AS value ORDER BY value
MATCH (z:Zone) WHERE z.name = $zone OR $zone IN z.aliases
// a comment that mentions $not_a_param
MATCH (z)-[:ADOPTS]->(m) WHERE m.name <> '$neither' AND $extra = $extra
RETURN m.name AS mechanism LIMIT $top;
"""


def test_header_gives_titles_descriptions_and_typed_parameters() -> None:
    q = parse_saved_query(EXAMPLE, "example")
    assert (q.title_zh, q.title_en) == ("某地区的机制", "Mechanisms of a zone")
    assert (q.description_zh, q.description_en) == ("说明", "What it shows")
    assert [(p.name, p.type, p.default) for p in q.params] == [
        ("zone", "string", "平湖市当湖街道"),
        ("top", "int", 5),
        ("exact", "bool", False),
        ("extra", "string", None),  # found in the text, not declared: required text
    ]
    assert q.params[0].description == "地区名称或别名 | zone name or alias"
    assert q.params[0].choices_query == "MATCH (z:Zone) RETURN z.name AS value ORDER BY value"
    assert q.cypher_for("embedded").endswith("LIMIT $top")  # trailing semicolon dropped
    assert q.cypher_for("neo4j") == q.cypher_for("embedded")


def test_bind_coerces_defaults_and_reports_mistakes() -> None:
    q = parse_saved_query(EXAMPLE, "example")
    assert q.bind({"extra": "x", "top": "12", "exact": "yes"}) == {
        "zone": "平湖市当湖街道",
        "top": 12,
        "exact": True,
        "extra": "x",
    }
    with pytest.raises(QueryError, match="needs parameter extra"):
        q.bind({})
    with pytest.raises(QueryError, match=r"no parameter colour; its parameters: zone, top, exact, extra"):
        q.bind({"extra": "x", "colour": "red"})
    with pytest.raises(QueryError, match="top must be a whole number, not 'many'"):
        q.bind({"extra": "x", "top": "many"})
    with pytest.raises(QueryError, match="exact must be true or false"):
        q.bind({"extra": "x", "exact": "perhaps"})


@pytest.mark.parametrize(
    ("text", "line", "hint"),
    [
        ("// title: a | b\n// colour: red\nRETURN 1", 2, "key one of"),
        ("// title: a | b\n// param: zone: text = x\nRETURN $zone", 2, "use one of string, int, float, bool"),
        ("// title: a | b\n// param zone string\nRETURN $zone", 2, "key one of"),
        ("// title: a | b\n// param: top: int = lots\nRETURN $top", 2, "whole number"),
        ("// description: no title\nRETURN 1", 1, "title"),
    ],
)
def test_a_malformed_header_names_the_file_and_line(tmp_path: Path, text: str, line: int, hint: str) -> None:
    (tmp_path / "broken.cypher").write_text(text, encoding="utf-8")
    with pytest.raises(QueryError) as caught:
        load_saved_queries(tmp_path)
    message = str(caught.value)
    assert str(tmp_path / "broken.cypher") in message and f"line {line}" in message and hint in message


def test_engine_variants_pick_the_store_s_text() -> None:
    text = (
        "// title: 标签 | Labels\n"
        "// engine: embedded\nMATCH (n) RETURN label(n) AS kind\n"
        "// engine: neo4j\nMATCH (n) RETURN labels(n)[0] AS kind\n"
    )
    q = parse_saved_query(text, "labels")
    assert q.cypher_for("embedded") == "MATCH (n) RETURN label(n) AS kind"
    assert q.cypher_for("neo4j") == "MATCH (n) RETURN labels(n)[0] AS kind"


def test_run_saved_query_names_the_available_queries(small_store: LadybugStore) -> None:
    with pytest.raises(QueryError) as caught:
        run_saved_query(small_store, "no_such_query", {})
    assert "no_such_query" in str(caught.value) and "zone_mechanisms" in str(caught.value)


def test_every_bundled_query_parses_and_is_documented() -> None:
    queries = load_saved_queries()
    assert len(queries) >= 8
    readme = (QUERIES_DIR / "README.md").read_text(encoding="utf-8")
    for name, q in queries.items():
        assert q.title_zh and q.title_en and q.title_zh != q.title_en, name
        assert q.description_zh and q.description_en, name
        assert f"`{name}`" in readme, f"{name} is missing from queries/README.md"
        for p in q.params:
            assert p.default is not None, f"{name}.{p.name} needs a default so the query runs as listed"
            assert p.description, f"{name}.{p.name} needs a description"
        assert "ORDER BY" in q.cypher_for("embedded"), f"{name} rows must be deterministic"


# --- running on the small test graph (tests/conftest.py); expected rows worked out by hand ----------

S_EAST = "甲市东街道推行“友邻议事会”，它包括“议事日”和“邻里基金”。"
S_WEST = "甲市西街道同样推行“友邻议事会”，并建立“网格平台”。"
S_SOUTH = "乙市南街道推行“网格平台”，并打造“睦邻空间”。"
S_ORG = "东街道党委参与“友邻议事会”。"
S_POLICY = "东街道实施《社区协商规则》（2019年），“友邻议事会”依此运行。"

# Chinese strings sort by code point: 乙 (U+4E59) < 测 (U+6D4B) < 甲 (U+7532); 友 < 睦 < 网; 议 < 邻.
EXPECTED: dict[tuple[str, tuple[tuple[str, str], ...]], list[list[object]]] = {
    ("zone_mechanisms", (("zone", "西街道"),)): [
        ["甲市西街道", "友邻议事会", S_WEST],
        ["甲市西街道", "网格平台", S_WEST],
    ],
    ("zone_mechanisms", (("zone", "zone:测试省乙市南街道"),)): [
        ["乙市南街道", "睦邻空间", S_SOUTH],
        ["乙市南街道", "网格平台", S_SOUTH],
    ],
    ("category_zones", (("category", "协商议事"),)): [
        ["协商议事", "甲市东街道", "友邻议事会", "友邻议事会", "议事"],
        ["协商议事", "甲市东街道", "友邻议事会", "议事日", "议事"],
        ["协商议事", "甲市西街道", "友邻议事会", "友邻议事会", "议事"],
        ["协商议事", "甲市西街道", "友邻议事会", "议事日", "议事"],
    ],
    ("category_zones", (("category", "服务综合体"),)): [
        ["服务综合体", "乙市南街道", "睦邻空间", "睦邻空间", "空间"],
    ],
    ("zones_under", (("zone", "乙市"),)): [
        ["乙市", "乙市北街道", "street", "乙市", "测试省乙市北街道"],
        ["乙市", "乙市南街道", "street", "乙市", "测试省乙市南街道"],
    ],
    ("zones_under", (("zone", "测试省"),)): [
        ["测试省", "乙市", "city", "测试省", "测试省乙市"],
        ["测试省", "乙市北街道", "street", "乙市", "测试省乙市北街道"],
        ["测试省", "乙市南街道", "street", "乙市", "测试省乙市南街道"],
        ["测试省", "甲市", "city", "测试省", "测试省甲市"],
        ["测试省", "甲市东街道", "street", "甲市", "测试省甲市东街道"],
        ["测试省", "甲市西街道", "street", "甲市", "测试省甲市西街道"],
    ],
    ("mechanism_organisations", ()): [
        ["友邻议事会", "东街道党委", "party", "甲市东街道", S_ORG],
        ["友邻议事会", "东街道党委", "party", "甲市西街道", S_ORG],
    ],
    ("mechanism_organisations", (("mechanism", "网格平台"),)): [],
    ("zone_policies", ()): [
        ["甲市东街道", "社区协商规则", "regulation", 2019, S_POLICY],
    ],
    ("zone_policies", (("zone", "西街道"),)): [],
    ("shared_mechanisms", (("zone", "甲市西街道"),)): [
        ["甲市西街道", "乙市南街道", "网格平台"],
        ["甲市西街道", "甲市东街道", "友邻议事会"],
    ],
    ("shared_mechanisms", (("zone", "北街道"),)): [],
    ("shared_categories", (("zone", "南街道"),)): [
        ["乙市南街道", "甲市西街道", "网格化与数字治理", "网格平台"],
    ],
    ("mechanism_parts", (("mechanism", "友邻议事会"),)): [
        ["甲市东街道", "友邻议事会", "议事日", S_EAST],
        ["甲市东街道", "友邻议事会", "邻里基金", S_EAST],
        ["甲市西街道", "友邻议事会", "议事日", S_EAST],
        ["甲市西街道", "友邻议事会", "邻里基金", S_EAST],
    ],
    ("zones_by_theme", ()): [
        ["测试主题一", "甲市东街道", "street"],
        ["测试主题一", "甲市西街道", "street"],
        ["测试主题二", "乙市南街道", "street"],
    ],
    ("zones_by_theme", (("theme", "测试主题二"),)): [["测试主题二", "乙市南街道", "street"]],
    ("category_overview", ()): [
        # 协商议事: 友邻议事会 and its part 议事日, adopted (directly or as a part) by 东 and 西.
        ["协商议事", None, 2, 2],
        ["邻里互助", None, 2, 2],
        ["网格化与数字治理", None, 2, 1],
        ["服务综合体", None, 1, 1],
    ],
    ("zones_overview", ()): [
        ["乙市", "city", "测试省", 0, 0, 0],
        ["乙市北街道", "street", "乙市", 0, 0, 0],
        ["乙市南街道", "street", "乙市", 2, 0, 0],
        ["测试省", "province", None, 0, 0, 0],
        ["甲市", "city", "测试省", 0, 0, 0],
        ["甲市东街道", "street", "甲市", 1, 1, 1],
        ["甲市西街道", "street", "甲市", 2, 0, 0],
    ],
}


@pytest.mark.parametrize(("name", "params"), list(EXPECTED), ids=[f"{n}{dict(p)}" for n, p in EXPECTED])
def test_saved_query_rows_on_the_small_graph(
    small_store: LadybugStore, name: str, params: tuple[tuple[str, str], ...]
) -> None:
    result = run_saved_query(small_store, name, dict(params))
    assert result.rows == EXPECTED[(name, params)]
    assert all(c.isidentifier() for c in result.columns), result.columns


def test_every_saved_query_has_an_expectation_here() -> None:
    assert set(load_saved_queries()) == {name for name, _ in EXPECTED}


def test_every_saved_query_runs_with_its_defaults(small_store: LadybugStore) -> None:
    for name, q in load_saved_queries().items():
        result = run_saved_query(small_store, name, {})
        assert result.columns, name
        for p in q.params:
            values = param_choices(small_store, q, p.name)
            assert p.choices_query is None or values, f"{name}.{p.name}: choices query found nothing"


def test_limit_reaches_the_store(small_store: LadybugStore) -> None:
    result = run_saved_query(small_store, "zones_overview", {}, limit=2)
    assert len(result.rows) == 2 and result.truncated


def test_a_hand_made_query_object_runs(small_store: LadybugStore) -> None:
    q = SavedQuery(
        "levels",
        "层级",
        "Levels",
        "",
        "",
        [QueryParam("level", "string", "street")],
        "MATCH (z:Zone) WHERE z.level = $level RETURN count(z) AS zones ORDER BY zones",
    )
    assert run_saved_query(small_store, "levels", {"level": "city"}, queries={"levels": q}).rows == [[2]]
