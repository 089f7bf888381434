"""Saved queries: header parsing, parameter binding, and every query run on a real embedded store."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from govkg.errors import QueryError
from govkg.graph.ladybug_store import LadybugStore
from govkg.graph.model import Document, Edge, Evidence, GraphDocument, Node
from govkg.graph.saved_queries import (
    QueryParam,
    SavedQuery,
    load_saved_queries,
    param_choices,
    parse_saved_query,
    run_saved_query,
)
from govkg.graph.similarity import refresh_similarity, similar_zones
from govkg.resources import BUNDLED_CORPUS_DIR, QUERIES_DIR

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
    assert len(queries) >= 15
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
S_THEME = "东街道和西街道的做法属于“测试主题一”，南街道属于“测试主题二”。"
SMALL_TITLE = "测试文本"

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
    # Every relationship read from a sentence holding 邻里 (only S_EAST, through 邻里基金).
    ("evidence_search", ()): [
        ["友邻议事会", "HAS_PART", "议事日", S_EAST, SMALL_TITLE],
        ["友邻议事会", "HAS_PART", "邻里基金", S_EAST, SMALL_TITLE],
        ["友邻议事会", "IN_CATEGORY", "协商议事", S_EAST, SMALL_TITLE],
        ["友邻议事会", "IN_CATEGORY", "邻里互助", S_EAST, SMALL_TITLE],
        ["甲市东街道", "ADOPTS", "友邻议事会", S_EAST, SMALL_TITLE],
        ["甲市东街道", "PART_OF", "甲市", S_EAST, SMALL_TITLE],
        ["议事日", "IN_CATEGORY", "协商议事", S_EAST, SMALL_TITLE],
        ["邻里基金", "IN_CATEGORY", "邻里互助", S_EAST, SMALL_TITLE],
    ],
    ("evidence_search", (("text", "睦邻"),)): [
        ["乙市南街道", "ADOPTS", "睦邻空间", S_SOUTH, SMALL_TITLE],
        ["乙市南街道", "ADOPTS", "网格平台", S_SOUTH, SMALL_TITLE],
        ["乙市南街道", "PART_OF", "乙市", S_SOUTH, SMALL_TITLE],
        ["睦邻空间", "IN_CATEGORY", "服务综合体", S_SOUTH, SMALL_TITLE],
        ["网格平台", "IN_CATEGORY", "网格化与数字治理", S_SOUTH, SMALL_TITLE],
    ],
    ("relationship_evidence", (("node", "东街道"),)): [
        ["甲市东街道", "ADOPTS", "友邻议事会", "Mechanism", S_EAST],
        ["甲市东街道", "HAS_ORGANISATION", "东街道党委", "Organisation", S_ORG],
        ["甲市东街道", "IMPLEMENTS", "社区协商规则", "Policy", S_POLICY],
        ["甲市东街道", "PART_OF", "甲市", "Zone", S_EAST],
        ["甲市东街道", "UNDER_THEME", "测试主题一", "Theme", S_THEME],
    ],
    ("relationship_evidence", (("node", "友邻议事会"), ("other", "社区协商规则"))): [
        ["友邻议事会", "FRAMED_BY", "社区协商规则", "Policy", S_POLICY],
    ],
    ("mechanisms_by_theme", ()): [
        ["测试主题一", "友邻议事会", "甲市东街道"],
        ["测试主题一", "友邻议事会", "甲市西街道"],
        ["测试主题一", "网格平台", "甲市西街道"],
        ["测试主题二", "睦邻空间", "乙市南街道"],
        ["测试主题二", "网格平台", "乙市南街道"],
    ],
    ("organisation_kinds_by_zone", ()): [["甲市东街道", "party", 1]],
    ("organisation_kinds_by_zone", (("zone", "西街道"),)): [],
    ("policy_mechanisms", ()): [["社区协商规则", "regulation", 2019, "友邻议事会", "甲市东街道"]],
    ("zones_by_level", ()): [
        ["乙市北街道", "street", "乙市", None, 0],
        ["乙市南街道", "street", "乙市", None, 2],
        ["甲市东街道", "street", "甲市", None, 1],
        ["甲市西街道", "street", "甲市", None, 2],
    ],
    ("zones_by_level", (("level", "city"),)): [
        ["乙市", "city", "测试省", None, 0],
        ["甲市", "city", "测试省", None, 0],
    ],
    # The province and the two cities hold the streets that adopt; 北街道 adopts nothing yet.
    ("zones_without_mechanisms", ()): [
        ["乙市", "city", "测试省", 1, 1],
        ["乙市北街道", "street", "乙市", 0, 1],
        ["测试省", "province", None, 3, 1],
        ["甲市", "city", "测试省", 2, 1],
    ],
    ("zones_without_mechanisms", (("level", "street"),)): [["乙市北街道", "street", "乙市", 0, 1]],
    # No adoption of the test text has a year or stage: each is adopted, undated, none planned.
    ("adoption_timeline", (("mechanism", "友邻议事会"),)): [
        ["友邻议事会", None, "adopted", False, "甲市东街道", False, [S_EAST]],
        ["友邻议事会", None, "adopted", False, "甲市西街道", False, [S_WEST]],
    ],
    ("adopted_after_pilot", ()): [],  # no pilot (tests/test_saved_queries_adoption.py times them)
    # The one test text names all seven zones, five mechanisms, one organisation and one policy.
    ("document_mentions", ()): [[SMALL_TITLE, None, None, 7, 5, 1, 1]],
    ("categories_by_level", ()): [
        ["street", "协商议事", None, 2],
        ["street", "网格化与数字治理", None, 2],
        ["street", "邻里互助", None, 2],
        ["street", "服务综合体", None, 1],
    ],
}

# Queries whose rows depend on a computation first (SIMILAR_TO is written by refresh_similarity).
COMPUTED = {"similar_zones"}


@pytest.mark.parametrize(("name", "params"), list(EXPECTED), ids=[f"{n}{dict(p)}" for n, p in EXPECTED])
def test_saved_query_rows_on_the_small_graph(
    small_store: LadybugStore, name: str, params: tuple[tuple[str, str], ...]
) -> None:
    result = run_saved_query(small_store, name, dict(params))
    assert result.rows == EXPECTED[(name, params)]
    assert all(c.isidentifier() for c in result.columns), result.columns


def test_every_saved_query_has_an_expectation_here() -> None:
    assert set(load_saved_queries()) == {name for name, _ in EXPECTED} | COMPUTED
    assert len(load_saved_queries()) >= 15


def test_similar_zones_query_reads_what_refresh_similarity_wrote(small_store: LadybugStore) -> None:
    assert run_saved_query(small_store, "similar_zones", {"zone": "西街道"}).rows == []  # nothing computed yet
    refresh_similarity(small_store, top=10)
    rows = run_saved_query(small_store, "similar_zones", {"zone": "西街道"}).records()
    expected = similar_zones(small_store, "西街道").similar
    assert [(r["similar_zone"], r["score"], r["shared"]) for r in rows] == [
        (s.zone, s.score, list(s.shared)) for s in expected
    ]
    assert json.loads(rows[0]["parts"]) == expected[0].parts


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


# Queries whose answer grows with the corpus (thousands of rows at 100,000 nodes) rank and cap it.
CAPPED = {
    "zones_overview": {},
    "zones_by_level": {"level": "street"},
    "zones_without_mechanisms": {},
    "zones_under": {"zone": "测试省"},
    "category_zones": {"category": "协商议事"},
    "shared_categories": {"zone": "甲市西街道"},
    "evidence_search": {"text": "街道"},
}


def test_capped_queries_say_so_and_take_a_typed_limit_and_skip() -> None:
    queries = load_saved_queries()
    for name in CAPPED:
        q = queries[name]
        limit, skip = q.param("limit"), q.param("skip")
        assert limit is not None and limit.type == "int" and isinstance(limit.default, int) and limit.default > 0
        assert skip is not None and skip.type == "int" and skip.default == 0
        assert "前 N" in q.title_zh and "first N" in q.title_en, name  # never capped silently
        assert f"{limit.default}" in q.description_zh and f"{limit.default}" in q.description_en, name


@pytest.mark.parametrize("name", sorted(CAPPED))
def test_a_page_below_zero_or_past_64_bits_is_refused_in_words(small_store: LadybugStore, name: str) -> None:
    """The engines refuse a negative skip in their own words, and the driver cannot pass an integer past
    64 bits at all: both are the reader's input, refused naming the parameter. The largest 64-bit
    limit is a page holding everything."""
    raw = CAPPED[name]
    refused: list[tuple[dict[str, object], str]] = [
        ({"skip": -1}, "skip must be 0 or more"),
        ({"limit": "-5"}, "limit must be 0 or more"),
        ({"limit": 2**63}, "limit must be a whole number that fits in 64 bits"),
        ({"skip": "99999999999999999999"}, "skip must be a whole number that fits in 64 bits"),
    ]
    for given, words in refused:
        with pytest.raises(QueryError, match=words):
            run_saved_query(small_store, name, {**raw, **given})
    everything = run_saved_query(small_store, name, {**raw, "limit": 1000}).rows
    assert run_saved_query(small_store, name, {**raw, "limit": 2**63 - 1}).rows == everything


@pytest.mark.parametrize("name", sorted(CAPPED))
def test_limit_and_skip_page_through_the_same_rows(small_store: LadybugStore, name: str) -> None:
    """Pages of a capped query, put together, are its whole uncapped answer, in the same order."""
    raw = CAPPED[name]
    everything = run_saved_query(small_store, name, {**raw, "limit": 1000}).rows
    assert len(everything) >= 2, name  # the small graph has enough for two pages
    first = run_saved_query(small_store, name, {**raw, "limit": 1}).rows
    rest = run_saved_query(small_store, name, {**raw, "limit": 1000, "skip": 1}).rows
    # zones_overview and the other zone lists cap zones (each zone's rows stay together); the
    # evidence search caps rows; either way the pages join up to the whole answer.
    assert first and first + rest == everything, name
    assert first == everything[: len(first)]


# The embedded evidence_search reads names only for the sources a page can hold (a cut at the
# (skip + limit)-th distinct source name); its rows must be those of this one-pass definition.
EVIDENCE_SEARCH_DEFINITION = (
    "MATCH (a)-[r:PART_OF|ADOPTS|HAS_PART|IN_CATEGORY|PARTICIPATES_IN|HAS_ORGANISATION|IMPLEMENTS|FRAMED_BY"
    "|UNDER_THEME|LEARNED_FROM]->(b)"
    """
UNWIND range(1, size(r.evidence_texts)) AS i
WITH a, r, b, r.evidence_texts[i] AS evidence, r.evidence_documents[i] AS document_id
WHERE evidence CONTAINS $text
MATCH (d:Document {id: document_id})
RETURN DISTINCT a.name AS source, label(r) AS relationship, b.name AS target, evidence, d.title AS document
ORDER BY source, relationship, target, evidence, document
SKIP $skip LIMIT $limit
"""
)


def reprinted_graph() -> GraphDocument:
    """Zones adopting mechanisms on sentences of an article printed twice under one title, two of the
    zones with the same name: their rows collapse into one, so that distinct names, not sources or
    sentences, are what a page can count on."""
    sentences = ["两个社区共建议事会。", "街道推行议事日制度。", "居民参与网格服务。"]
    text = "".join(sentences)
    docs = [Document(f"document:{k}", f"{k}.txt", title, "", "", "", text)
            for k, title in (("first", "重印稿"), ("reprint", "重印稿"), ("other", "另一篇"))]  # fmt: skip

    def said(sentence: int, *documents: str) -> list[Evidence]:
        start = text.index(sentences[sentence])
        end = start + len(sentences[sentence])
        return [Evidence(f"document:{d}", sentences[sentence], start, end) for d in documents]

    # Sorted: 丁, 万寿 (twice, one row between them), 丙, 乙, 己, 戊, 甲: a cut counting sources, not
    # distinct names, would end the first three rows at 万寿.
    names = ["乙社区", "万寿社区", "万寿社区", "丁社区", "甲社区", "丙社区", "戊社区", "己社区"]
    zones = [Node(f"zone:{i}", "Zone", name, properties={"level": "community"}) for i, name in enumerate(names)]
    council, day, grid = (Node(f"mechanism:{k}", "Mechanism", n) for k, n in
                          (("council", "议事会"), ("day", "议事日"), ("grid", "网格服务")))  # fmt: skip
    edges = [Edge("ADOPTS", z.id, council.id, said(0, "first", "reprint")) for z in zones]
    edges += [Edge("ADOPTS", zones[i].id, day.id, said(1, "first")) for i in (0, 4, 6)]
    edges += [Edge("ADOPTS", z.id, grid.id, said(2, "other", "first")) for z in zones[1::3]]
    edges.append(Edge("HAS_PART", council.id, day.id, said(1, "other")))
    return GraphDocument(docs, [*zones, council, day, grid], edges)


def test_evidence_search_pages_are_those_of_the_one_pass_definition(embedded_store: LadybugStore) -> None:
    graph = reprinted_graph()
    assert graph.problems() == []
    embedded_store.write(graph)
    collapsed = 0
    for text in ("议事", "议", "网格服务", "社区", "。", "无此词"):
        whole = embedded_store.read(EVIDENCE_SEARCH_DEFINITION, {"text": text, "skip": 0, "limit": 1000}).rows
        entries = sum(1 for e in graph.edges for ev in e.evidence if text in ev.text)
        collapsed += entries - len(whole)
        for skip in range(len(whole) + 2):
            for limit in (1, 2, 3, 5, 500):
                params = {"text": text, "skip": skip, "limit": limit}
                want = embedded_store.read(EVIDENCE_SEARCH_DEFINITION, params).rows
                assert run_saved_query(embedded_store, "evidence_search", params).rows == want, params
    assert collapsed > 0, "no rows collapsed: the same-named sources proved nothing"


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


# --- running on the bundled case sheets (data/cases); expected rows read from the sheets -----------

ARTICLE = (BUNDLED_CORPUS_DIR / "zhejiang-experimental-zones-2018.txt").read_text(encoding="utf-8")


def article_sentence(beginning: str) -> str:
    """The article's sentence that begins with `beginning` (the sheets quote sentences unchanged)."""
    start = ARTICLE.index(beginning)
    return ARTICLE[start : ARTICLE.index("。", start) + 1]


OPENING = article_sentence("城乡社区是社会治理的基本单元")
PINGHU = article_sentence("平湖市当湖街道立足于")
WENJIAO = article_sentence("首批实验区的创新实践中")
HAINING = article_sentence("首批实验区自觉地担当起")
WUMA = article_sentence("温州市五马街道创新组建")
JIANGGAN = article_sentence("杭州市江干区从")
ZHENHAI = article_sentence("宁波市镇海区探索")
YUHANG_1_3 = "余杭‘1+3’基层协商治理模式"
WUMA_SHEET = "温州市五马街道：街坊党员邻里互助组与社区微自治体系"
XIHU_SHEET = "杭州市西湖区：“1246+N”标准化体系框架"

BUNDLED_EXPECTED: dict[tuple[str, tuple[tuple[str, str], ...]], list[list[object]]] = {
    # pinghu-danghu-street.yaml: “三级友邻”网络体系 with its parts 432 and 三网六事法, one quoted
    # sentence. (The opening quote “ is U+201C, so it sorts before every Chinese character.)
    ("zone_mechanisms", (("zone", "当湖街道"),)): [
        ["平湖市当湖街道", "432", PINGHU],
        ["平湖市当湖街道", "“三级友邻”网络体系", PINGHU],
        ["平湖市当湖街道", "三网六事法", PINGHU],
    ],
    ("zone_mechanisms", (("zone", "浙江省宁波市江北区文教街道"),)): [
        ["宁波市江北区文教街道", "“教治”融通发展创新模式", WENJIAO],
    ],
    # haining-city.yaml gives the practice no year or stage; no sheet pilots one.
    ("adoption_timeline", (("mechanism", "社工委员专职专选"),)): [
        ["社工委员专职专选", None, "adopted", False, "海宁市", False, [HAINING]],
    ],
    ("adopted_after_pilot", ()): [],
    # hangzhou-yuhang-district.yaml: the model and its part 组织机构协商议事体系 are both 协商议事.
    ("category_zones", (("category", "协商议事"),)): [
        ["协商议事", "杭州市余杭区", YUHANG_1_3, YUHANG_1_3, "协商"],
        ["协商议事", "杭州市余杭区", YUHANG_1_3, "组织机构协商议事体系", "协商"],
        ["协商议事", "杭州市余杭区", "组织机构协商议事体系", "组织机构协商议事体系", "协商"],
    ],
    ("category_zones", (("category", "social-work professionals"),)): [
        ["社工人才", "海宁市", "社工委员专职专选", "社工委员专职专选", "社工"],
    ],
    # 平湖市 and 海宁市 sit under 嘉兴市 (the division table), 当湖街道 under 平湖市.
    ("zones_under", (("zone", "嘉兴市"),)): [
        ["嘉兴市", "平湖市", "city", "嘉兴市", "浙江省嘉兴市平湖市"],
        ["嘉兴市", "平湖市当湖街道", "street", "平湖市", "浙江省嘉兴市平湖市当湖街道"],
        ["嘉兴市", "海宁市", "city", "嘉兴市", "浙江省嘉兴市海宁市"],
    ],
    # wenzhou-wuma-street.yaml: four organisations take part in 社区微自治体系, all quoting one sentence.
    ("mechanism_organisations", (("mechanism", "微自治体系"),)): [
        ["社区微自治体系", "党员", "role-group", "温州市五马街道", WUMA],
        ["社区微自治体系", "党员中心户", "role-group", "温州市五马街道", WUMA],
        ["社区微自治体系", "党员邻里互助组", "mutual-aid-group", "温州市五马街道", WUMA],
        ["社区微自治体系", "居民", "role-group", "温州市五马街道", WUMA],
    ],
    # haining-city.yaml: five policies; the programme quotes the opening sentence and its own.
    ("zone_policies", (("zone", "海宁市"),)): [
        ["海宁市", "“自荐直选”制度", "election-rule", None, HAINING],
        ["海宁市", "两推一选", "election-rule", None, HAINING],
        ["海宁市", "村社同步换届", "election-rule", 2017, HAINING],
        ["海宁市", "社区治理与服务创新实验区", "programme", 2016, OPENING],
        ["海宁市", "社区治理与服务创新实验区", "programme", 2016, HAINING],
        ["海宁市", "选举办法", "regulation", None, HAINING],
    ],
    # No mechanism appears in two sheets.
    ("shared_mechanisms", (("zone", "平湖市当湖街道"),)): [],
    # 当湖街道: 三级友邻 is 邻里互助, 三网六事法 标准化服务; 江干区 and 五马街道 have 邻里互助, 西湖区 标准化服务.
    ("shared_categories", (("zone", "平湖市当湖街道"),)): [
        ["平湖市当湖街道", "杭州市江干区", "邻里互助", "一委N坊自治体系"],
        ["平湖市当湖街道", "杭州市江干区", "邻里互助", "邻里坊工作机制"],
        ["平湖市当湖街道", "杭州市西湖区", "标准化服务", "1246+N标准化体系框架"],
        ["平湖市当湖街道", "温州市五马街道", "邻里互助", "社区微自治体系"],
    ],
    ("mechanism_parts", (("mechanism", "一委N坊"),)): [
        ["杭州市江干区", "一委N坊自治体系", "邻里坊工作机制", JIANGGAN],
    ],
    ("mechanism_parts", (("mechanism", "微民生大服务"),)): [
        ["宁波市镇海区", "微民生大服务治理体系", "“一微带四微”治理体系", ZHENHAI],
        ["宁波市镇海区", "微民生大服务治理体系", "四室五站两中心一校一场所", ZHENHAI],
    ],
    ("zones_by_theme", (("theme", "从重城市迈向城乡并重"),)): [
        ["从重城市迈向城乡并重", "海宁市", "city"],
        ["从重城市迈向城乡并重", "龙泉市宝溪乡", "township"],
    ],
    ("zones_by_theme", (("theme", "from favouring cities to equal weight for town and country"),)): [
        ["从重城市迈向城乡并重", "海宁市", "city"],
        ["从重城市迈向城乡并重", "龙泉市宝溪乡", "township"],
    ],
    # Counted from the sheets' `categories` (parts included; a zone counts once).
    ("category_overview", ()): [
        ["居民自治", "residents' self-governance", 4, 4],
        ["邻里互助", "neighbourhood networks", 3, 4],
        ["党建引领", "party-building-led governance", 3, 3],
        ["服务综合体", "service hubs and spaces", 2, 3],
        ["标准化服务", "standardised services", 2, 2],
        ["公益与志愿", "charity, volunteering, credit schemes", 1, 2],
        ["协商议事", "deliberation and consultation", 1, 2],
        ["教育融合", "education and learning", 1, 1],
        ["文化营造", "culture-led community building", 1, 1],
        ["社工人才", "social-work professionals", 1, 1],
        ["选举与换届", "elections and leadership renewal", 1, 1],
    ],
    # wenzhou-wuma-street.yaml quotes one sentence, the one naming 党员邻里互助组, for its mechanism,
    # its three categories and its four organisations (each present in the zone and taking part).
    ("evidence_search", (("text", "互助组"),)): [
        ["党员", "PARTICIPATES_IN", "社区微自治体系", WUMA, WUMA_SHEET],
        ["党员中心户", "PARTICIPATES_IN", "社区微自治体系", WUMA, WUMA_SHEET],
        ["党员邻里互助组", "PARTICIPATES_IN", "社区微自治体系", WUMA, WUMA_SHEET],
        ["居民", "PARTICIPATES_IN", "社区微自治体系", WUMA, WUMA_SHEET],
        ["温州市五马街道", "ADOPTS", "社区微自治体系", WUMA, WUMA_SHEET],
        ["温州市五马街道", "HAS_ORGANISATION", "党员", WUMA, WUMA_SHEET],
        ["温州市五马街道", "HAS_ORGANISATION", "党员中心户", WUMA, WUMA_SHEET],
        ["温州市五马街道", "HAS_ORGANISATION", "党员邻里互助组", WUMA, WUMA_SHEET],
        ["温州市五马街道", "HAS_ORGANISATION", "居民", WUMA, WUMA_SHEET],
        ["社区微自治体系", "IN_CATEGORY", "党建引领", WUMA, WUMA_SHEET],
        ["社区微自治体系", "IN_CATEGORY", "居民自治", WUMA, WUMA_SHEET],
        ["社区微自治体系", "IN_CATEGORY", "邻里互助", WUMA, WUMA_SHEET],
    ],
    # haining-city.yaml: 海宁市 implements 村社同步换届 (2017), read from its sentence.
    ("relationship_evidence", (("node", "海宁市"), ("other", "村社同步换届"))): [
        ["海宁市", "IMPLEMENTS", "村社同步换届", "Policy", HAINING],
    ],
    # The two zones the article puts under this trend: 江干区 (with the part 邻里坊) and 五马街道.
    ("mechanisms_by_theme", (("theme", "从实验形式翻新迈向实验内核创新"),)): [
        ["从实验形式翻新迈向实验内核创新", "一委N坊自治体系", "杭州市江干区"],
        ["从实验形式翻新迈向实验内核创新", "社区微自治体系", "温州市五马街道"],
        ["从实验形式翻新迈向实验内核创新", "邻里坊工作机制", "杭州市江干区"],
    ],
    # 五马街道: the mutual-aid group, and 党员中心户, 党员 and 居民 as role groups.
    ("organisation_kinds_by_zone", (("zone", "温州市五马街道"),)): [
        ["温州市五马街道", "mutual-aid-group", 1],
        ["温州市五马街道", "role-group", 3],
    ],
    ("organisation_kinds_by_zone", (("zone", "海宁市"),)): [
        ["海宁市", "committee", 2],
        ["海宁市", "party", 1],
        ["海宁市", "role-group", 1],
        ["海宁市", "social-organisation", 1],
    ],
    # The 社工委员 practice was written into the 选举办法.
    ("policy_mechanisms", (("policy", "选举办法"),)): [["选举办法", "regulation", None, "社工委员专职专选", "海宁市"]],
    # The article's districts and 江北区 (above 文教街道), with their division codes.
    ("zones_by_level", (("level", "district"),)): [
        ["宁波市镇海区", "district", "宁波市", "330211", 7],
        ["杭州市余杭区", "district", "杭州市", "330110", 2],
        ["杭州市江干区", "district", "杭州市", "330104", 2],
        ["杭州市西湖区", "district", "杭州市", "330106", 1],
        ["江北区", "district", "宁波市", "330205", 0],
    ],
    # Every prefecture and county-level city above a case zone; 海宁市 adopts its own practice.
    ("zones_without_mechanisms", (("level", "city"),)): [
        ["丽水市", "city", "浙江省", 1, 1],
        ["兰溪市", "city", "金华市", 1, 1],
        ["嘉兴市", "city", "浙江省", 2, 2],
        ["宁波市", "city", "浙江省", 2, 2],
        ["平湖市", "city", "嘉兴市", 1, 1],
        ["杭州市", "city", "浙江省", 3, 3],
        ["温州市", "city", "浙江省", 1, 1],
        ["金华市", "city", "浙江省", 1, 1],
        ["龙泉市", "city", "丽水市", 1, 1],
    ],
    # The 西湖区 sheet names the district, 杭州市 and 浙江省, one mechanism and the programme.
    ("document_mentions", (("document", XIHU_SHEET),)): [[XIHU_SHEET, "中国社会报", "2018", 3, 1, 0, 1]],
    # Counted from the sheets' categories by the level of the zone adopting them.
    ("categories_by_level", ()): [
        ["city", "社工人才", "social-work professionals", 1],
        ["city", "选举与换届", "elections and leadership renewal", 1],
        ["district", "居民自治", "residents' self-governance", 2],
        ["district", "党建引领", "party-building-led governance", 1],
        ["district", "协商议事", "deliberation and consultation", 1],
        ["district", "服务综合体", "service hubs and spaces", 1],
        ["district", "标准化服务", "standardised services", 1],
        ["district", "邻里互助", "neighbourhood networks", 1],
        ["street", "党建引领", "party-building-led governance", 2],
        ["street", "居民自治", "residents' self-governance", 2],
        ["street", "邻里互助", "neighbourhood networks", 2],
        ["street", "公益与志愿", "charity, volunteering, credit schemes", 1],
        ["street", "教育融合", "education and learning", 1],
        ["street", "服务综合体", "service hubs and spaces", 1],
        ["street", "标准化服务", "standardised services", 1],
        ["township", "文化营造", "culture-led community building", 1],
    ],
}

# zones_overview, for the ten case zones: mechanisms (parts included), organisations, policies per sheet.
BUNDLED_ZONES = [
    ["兰溪市兰江街道", "street", "兰溪市", 5, 5, 1],
    ["宁波市江北区文教街道", "street", "江北区", 1, 1, 1],
    ["宁波市镇海区", "district", "宁波市", 7, 1, 1],
    ["平湖市当湖街道", "street", "平湖市", 3, 0, 1],
    ["杭州市余杭区", "district", "杭州市", 2, 0, 1],
    ["杭州市江干区", "district", "杭州市", 2, 1, 1],
    ["杭州市西湖区", "district", "杭州市", 1, 0, 1],
    ["海宁市", "city", "嘉兴市", 1, 5, 5],
    ["温州市五马街道", "street", "温州市", 1, 4, 1],
    ["龙泉市宝溪乡", "township", "龙泉市", 1, 0, 1],
]


@pytest.mark.parametrize(("name", "params"), list(BUNDLED_EXPECTED), ids=[f"{n}{dict(p)}" for n, p in BUNDLED_EXPECTED])
def test_saved_query_rows_on_the_bundled_sheets(
    bundled_store: LadybugStore, name: str, params: tuple[tuple[str, str], ...]
) -> None:
    assert run_saved_query(bundled_store, name, dict(params)).rows == BUNDLED_EXPECTED[(name, params)]


def test_zones_overview_on_the_bundled_sheets(bundled_store: LadybugStore) -> None:
    rows = run_saved_query(bundled_store, "zones_overview", {}).rows
    assert len(rows) == 21  # ten case zones and the eleven units above them
    assert [r for r in rows if r[3]] == BUNDLED_ZONES
    assert ["浙江省", "province", None, 0, 0, 0] in rows


def test_no_two_bundled_zones_share_a_mechanism(bundled_store: LadybugStore) -> None:
    for zone in [r[0] for r in BUNDLED_ZONES]:
        assert run_saved_query(bundled_store, "shared_mechanisms", {"zone": zone}).rows == [], zone


def test_every_saved_query_covered_on_the_bundled_sheets() -> None:
    covered = {name for name, _ in BUNDLED_EXPECTED} | {"zones_overview"} | COMPUTED
    assert covered == set(load_saved_queries())


@pytest.fixture(scope="module")
def sheets_with_similarity(
    tmp_path_factory: pytest.TempPathFactory, bundled_cases_graph: GraphDocument
) -> Iterator[LadybugStore]:
    """The bundled sheets with SIMILAR_TO computed (its own store: the shared one is read only)."""
    store = LadybugStore(tmp_path_factory.mktemp("similar") / "govkg.lbdb")
    store.write(bundled_cases_graph)
    refresh_similarity(store, top=10)
    yield store
    store.close()


def test_similar_zones_query_on_the_bundled_sheets(sheets_with_similarity: LadybugStore) -> None:
    # 江干区's 邻里坊-based self-government is nearest to 五马街道's neighbourhood mutual-aid groups.
    rows = run_saved_query(sheets_with_similarity, "similar_zones", {"zone": "江干区"}).records()
    assert rows[0]["similar_zone"] == "温州市五马街道"
    assert {"居民自治", "邻里互助"} <= set(rows[0]["shared"])
    expected = similar_zones(sheets_with_similarity, "江干区").similar
    assert [(r["similar_zone"], r["score"]) for r in rows] == [(s.zone, s.score) for s in expected]


# --- the sheets and the article together: rows that are facts of the article ------------------------


def test_the_article_s_facts_on_sheets_and_article(full_store: LadybugStore) -> None:
    def rows(name: str, **params: str) -> list[list[object]]:
        return run_saved_query(full_store, name, params).rows

    # 当湖街道 adopts 三网六事法, read from its sentence in the article and in its sheet.
    found = rows("evidence_search", text="三网六事法")
    assert ["平湖市当湖街道", "ADOPTS", "三网六事法", PINGHU] in [r[:4] for r in found]
    assert len({r[4] for r in found}) >= 2  # the sheet and the article both say so
    # 江干区 is a district of 杭州市 (330104), with the article's two mechanisms.
    assert ["杭州市江干区", "district", "杭州市", "330104", 2] in rows("zones_by_level", level="district")
    # 五马街道's mutual-aid group and 海宁市's election rules, whoever read them.
    assert ["温州市五马街道", "mutual-aid-group", 1] in rows("organisation_kinds_by_zone", zone="五马街道")
    framed = rows("policy_mechanisms", policy="选举办法")
    assert any(r[3] in ("社工委员专职专选", "“社工委员”专职专选") and r[4] == "海宁市" for r in framed)
    # The province adopts nothing itself; every case zone lies below it.
    province = [r for r in rows("zones_without_mechanisms", level="province") if r[0] == "浙江省"]
    assert province and province[0][3] == 10
    # 宝溪乡 is the township of the article's culture-led practice.
    assert ["township", "文化营造", "culture-led community building", 1] in rows("categories_by_level")
    # Both the sheets and the article are documents, and the article names all ten case zones.
    documents = rows("document_mentions")
    assert len(documents) == 11
    assert max(int(str(r[3])) for r in documents) >= 10
