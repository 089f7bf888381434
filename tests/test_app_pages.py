"""The Streamlit app, page by page, with streamlit.testing.v1.AppTest against a real embedded store.

Each test writes a graph into a LadybugDB file in tmp_path and points GOVKG_DB at it, as `govkg demo`
does. The small graph is the conftest's test data (written for testing); the bundled-data tests use
what the loaders extract from data/. Expected values are read from the graph written, never typed in.
"""

from __future__ import annotations

import functools
import html
import io
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest
from app_testing import PAGES, find_node, html_blocks, iframe_html, iframes, page, point_app_at, run, texts, write_store
from neo4j_fixture import Neo4jTarget  # tests/ is on sys.path (see conftest.py)
from repo import PROJECT_ROOT
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from govkg.app.markdown import md_escape
from govkg.graph.ladybug_store import LadybugStore
from govkg.graph.model import GraphDocument
from govkg.graph.neo4j_store import Neo4jStore
from govkg.i18n import edge_type_names, field_names, label_names, tr, zone_level_names
from govkg.resources import BUNDLED_CASES_DIR

pytestmark = pytest.mark.usefixtures("fresh_streamlit_caches")  # app_testing.py


FIELD = field_names()  # how the result tables name saved-query columns in the default mode


@pytest.fixture()
def downloads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[bytes, str, str | None]]:
    """What the page hands to its download buttons: (data, mime type, file name), in order."""
    seen: list[tuple[bytes, str, str | None]] = []
    original = MemoryMediaFileStorage.load_and_get_id

    def recording(self: MemoryMediaFileStorage, data: Any, mimetype: str, kind: Any,
                  filename: str | None = None) -> str:
        if isinstance(data, bytes):
            seen.append((data, mimetype, filename))
        return original(self, data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", recording)
    return seen


def chart_frames(at: AppTest) -> list[pd.DataFrame]:
    """The data of every vega-lite chart (st.bar_chart, st.altair_chart) on the page."""
    frames = []
    for chart in at.get("vega_lite_chart"):
        for dataset in chart.proto.datasets:
            frames.append(pa.ipc.open_stream(dataset.data.data).read_all().to_pandas())
        if chart.proto.HasField("data") and chart.proto.data.data:
            frames.append(pa.ipc.open_stream(chart.proto.data.data).read_all().to_pandas())
    return frames


def _mark_of(sentence: str) -> str:
    """How an evidence sentence appears highlighted: escaped, inside a <mark>."""
    return f">{html.escape(sentence)}</mark>"


# --------------------------------------------------------------------------- every page


@pytest.mark.parametrize("script", PAGES)
def test_every_page_runs_on_a_loaded_store(small_db: Path, script: str) -> None:
    at = run(script)
    assert at.title and at.title[0].value
    assert not at.error, [e.value for e in at.error]


@pytest.mark.parametrize("script", [p for p in PAGES if p != "pages/5_Load.py"])
def test_a_missing_store_says_how_to_load_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str) -> None:
    missing = tmp_path / "nowhere" / "govkg.lbdb"
    point_app_at(monkeypatch, missing)
    at = run(script)
    assert at.info, "no message about the missing store"
    message = at.info[0].value
    assert str(missing) in message and "govkg load" in message and "govkg demo" in message
    assert not missing.exists(), "the app must not create a store"


def test_the_load_page_works_before_any_store_exists(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "nowhere" / "govkg.lbdb"
    point_app_at(monkeypatch, missing)
    at = run("pages/5_Load.py")
    assert at.get("file_uploader") and not at.error
    assert not missing.exists(), "opening the page wrote nothing"


def test_a_file_that_is_not_a_store_gives_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Written for testing: a text file where the database should be.
    not_a_db = tmp_path / "notes.lbdb"
    not_a_db.write_text("这不是数据库 / not a database\n" * 50, encoding="utf-8")
    point_app_at(monkeypatch, not_a_db)
    at = run("app.py")
    assert at.error, "no message about the unreadable store"
    assert str(not_a_db) in at.error[0].value and "GOVKG_DB" in at.error[0].value
    assert not at.metric, "the page went on without a store"


def test_the_sidebar_names_every_page_in_the_readers_language(small_db: Path) -> None:
    at = run("app.py", lang="en")
    links = [str(p.proto.label) for p in at.get("page_link")]
    assert links == [tr(k, "en") for k in ("nav.overview", "nav.graph", "nav.node", "nav.search", "nav.queries",
                                           "nav.similar", "nav.map", "nav.load", "nav.corrections")]
    assert all(str(p.proto.query_string) == "lang=en" for p in at.get("page_link"))
    zh = run("app.py", lang="zh")
    assert next(str(p.proto.label) for p in zh.get("page_link")) == "概览"


# --------------------------------------------------------------------------- overview


def test_overview_shows_the_counts_and_documents(small_db: Path, small_graph: GraphDocument) -> None:
    with LadybugStore(small_db, read_only=True) as store:
        counts = store.counts()
    at = run("app.py")
    labels_table = at.table[0].value
    names = label_names("both")
    shown = dict(zip(labels_table.iloc[:, 0], labels_table.iloc[:, 1], strict=True))
    for label in ("Zone", "Mechanism", "Category", "Organisation", "Policy", "Theme"):
        assert shown[names[label]] == counts[label]
    assert counts["Zone"] == sum(1 for n in small_graph.nodes if n.label == "Zone")
    types_table = at.table[1].value
    by_type = dict(zip(types_table.iloc[:, 0], types_table.iloc[:, 1], strict=True))
    adopts = sum(1 for e in small_graph.edges if e.type == "ADOPTS")
    assert by_type[edge_type_names("both")["ADOPTS"]] == counts["ADOPTS"] == adopts
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[tr("overview.total_documents", "both")] == "1"
    documents = at.dataframe[0].value
    assert list(documents.iloc[:, 0]) == [small_graph.documents[0].title]
    loaded = str(documents.iloc[0, 3])
    assert loaded[:10] == metrics[tr("overview.latest_load", "both")]  # documents loaded, and when


def test_overview_charts_count_mechanism_categories_by_zone_and_level(small_db: Path,
                                                                      small_graph: GraphDocument) -> None:
    nodes = small_graph.node_by_id()
    expected_zone: Counter[tuple[str, str]] = Counter()
    expected_level: Counter[tuple[str, str]] = Counter()
    for adopt in (e for e in small_graph.edges if e.type == "ADOPTS"):
        for cat in (e for e in small_graph.edges if e.type == "IN_CATEGORY" and e.source == adopt.target):
            zone = nodes[adopt.source]
            expected_zone[(zone.name, nodes[cat.target].name)] += 1
            expected_level[(zone.properties["level"], nodes[cat.target].name)] += 1

    at = run("app.py", lang="zh")
    by_zone, by_level = chart_frames(at)
    assert {(r["zone"], r["category"]): r["mechanisms"] for _, r in by_zone.iterrows()} == dict(expected_zone)
    levels = zone_level_names("zh")
    assert {(r["level"], r["category"]): r["mechanisms"] for _, r in by_level.iterrows()} == {
        (levels[lv], cat): n for (lv, cat), n in expected_level.items()}
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert spec["encoding"]["y"]["title"] == "地区"  # axis titles in the reader's language

    english = run("app.py", lang="en")
    categories = {n.name: n.properties.get("name_en") or n.name for n in small_graph.nodes if n.label == "Category"}
    assert set(chart_frames(english)[0]["category"]) == {categories[c] for _, c in expected_zone}


def test_language_switch_shows_one_language(small_db: Path) -> None:
    at = run("app.py")
    assert at.title[0].value == tr("app.title", "both")
    at.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == tr("app.title", "en")
    assert at.subheader[0].value == "Nodes by label"
    at.radio(key="lang").set_value("zh").run()
    assert at.subheader[0].value == "节点（按类型）"


# --------------------------------------------------------------------------- whole graph


def test_graph_page_draws_the_graph_offline(small_db: Path, small_graph: GraphDocument) -> None:
    at = run("pages/1_Graph.py")
    picture = iframe_html(at)
    assert "new vis.Network(" in picture and "<script src=" not in picture
    for node in small_graph.nodes:
        assert json.dumps(node.id) in picture, f"{node.name} is not drawn"
    assert not at.warning


def test_graph_page_says_when_the_cap_cuts(small_db: Path, small_graph: GraphDocument) -> None:
    at = run("pages/1_Graph.py")
    at.slider(key="max_nodes").set_value(10).run()
    assert not at.exception
    assert at.warning, "no message that the picture was cut"
    assert str(len(small_graph.nodes)) in at.warning[0].value and "10" in at.warning[0].value
    drawn = [n for n in small_graph.nodes if json.dumps(n.id) in iframe_html(at)]
    assert len(drawn) == 10
    assert at.query_params["max_nodes"] == "10"


def test_graph_page_filters_by_label(small_db: Path, small_graph: GraphDocument) -> None:
    at = run("pages/1_Graph.py")
    zone_name = label_names("both")["Zone"]
    at.multiselect(key="labels").set_value(["Zone"]).run()
    assert not at.exception
    picture = iframe_html(at)
    assert zone_name in picture  # the legend
    for node in small_graph.nodes:
        assert (json.dumps(node.id) in picture) == (node.label == "Zone"), node.name


def test_graph_page_filters_by_category_theme_and_level(small_db: Path, small_graph: GraphDocument) -> None:
    nodes = small_graph.node_by_id()
    category = next(n for n in small_graph.nodes if n.label == "Category" and n.name == "邻里互助")
    in_category = {e.source for e in small_graph.edges if e.type == "IN_CATEGORY" and e.target == category.id}
    at = run("pages/1_Graph.py")
    at.multiselect(key="categories").set_value([category.id]).run()
    picture = iframe_html(at)
    for node in small_graph.nodes:
        if node.label == "Mechanism":
            assert (json.dumps(node.id) in picture) == (node.id in in_category), node.name
        if node.label == "Category":
            assert (json.dumps(node.id) in picture) == (node.id == category.id), node.name
    assert at.query_params["categories"] == category.id

    theme = next(n for n in small_graph.nodes if n.label == "Theme" and n.name == "测试主题二")
    under = {e.source for e in small_graph.edges if e.type == "UNDER_THEME" and e.target == theme.id}
    at.multiselect(key="categories").set_value([]).run()
    at.multiselect(key="themes").set_value([theme.id]).run()
    picture = iframe_html(at)
    for node in small_graph.nodes:
        if node.label == "Zone":
            assert (json.dumps(node.id) in picture) == (node.id in under), node.name

    at.multiselect(key="themes").set_value([]).run()
    at.multiselect(key="levels").set_value(["city"]).run()
    picture = iframe_html(at)
    for node in (n for n in nodes.values() if n.label == "Zone"):
        assert (json.dumps(node.id) in picture) == (node.properties["level"] == "city"), node.name


# --------------------------------------------------------------------------- explore (node page)


def test_node_page_highlights_each_evidence_sentence_in_its_paragraph(small_db: Path,
                                                                      small_graph: GraphDocument) -> None:
    edge = next(e for e in small_graph.edges if e.type == "ADOPTS")
    zone = find_node(small_graph, edge.source)
    mechanism = find_node(small_graph, edge.target)
    at = page("pages/2_Node.py").run()
    at.text_input(key="node_search").input(zone.aliases[0]).run()
    assert not at.exception
    assert at.selectbox(key="node").value == zone.id
    shown = texts(at)
    evidence = edge.evidence[0]
    text = small_graph.documents[0].text
    blocks = [b for b in html_blocks(at) if _mark_of(evidence.text) in b]
    assert blocks, "the evidence sentence is not highlighted"
    # The highlight sits in its paragraph: the text before and after it is shown around the mark.
    before, after = text[: evidence.start], text[evidence.end :]
    assert html.escape(before[-10:]) + "<mark" in blocks[0].replace("</mark>", "")
    assert "</mark>" + html.escape(after[:10]) in blocks[0]
    assert md_escape(mechanism.name) in shown
    assert small_graph.documents[0].title in shown
    assert f"{evidence.start}–{evidence.end}" in shown
    assert any(zone.aliases[0] in m.value for m in at.markdown), "aliases not shown"
    assert json.dumps(mechanism.id) in iframe_html(at)
    properties = dict(zip(at.table[0].value.iloc[:, 0], at.table[0].value.iloc[:, 1], strict=True))
    assert properties["full_name"] == zone.properties["full_name"]


def test_node_page_shows_the_source_document_with_the_nodes_evidence(small_db: Path,
                                                                     small_graph: GraphDocument) -> None:
    zone = next(n for n in small_graph.nodes if n.name == "甲市东街道")
    at = run("pages/2_Node.py", node=zone.id)
    document = small_graph.documents[0]
    assert any(document.title in str(e.label) for e in at.expander), "no source document panel"
    sentences = {ev.text for e in small_graph.edges if zone.id in (e.source, e.target) for ev in e.evidence}
    full = [b for b in html_blocks(at) if b.count("<mark") == len(sentences)]
    assert full, "the full text does not mark every evidence sentence of the node"
    assert all(_mark_of(s) in full[0] for s in sentences)
    metadata = next(t.value for t in at.table if document.id in list(t.value.iloc[:, 1]))
    assert document.id in list(metadata.iloc[:, 1]) and document.path in list(metadata.iloc[:, 1])


def test_node_page_finds_traditional_spelling_and_opens_from_a_link(small_db: Path,
                                                                    small_graph: GraphDocument) -> None:
    mechanism = next(n for n in small_graph.nodes if n.name == "友邻议事会")
    at = page("pages/2_Node.py").run()
    at.text_input(key="node_search").input("友鄰議事會").run()  # traditional characters
    assert at.selectbox(key="node").value == mechanism.id
    assert at.query_params["node"] == mechanism.id  # the choice is in the URL

    linked = run("pages/2_Node.py", node=mechanism.id, depth="2")
    assert linked.header[0].value.startswith(md_escape(mechanism.name))
    assert linked.slider(key="depth").value == 2


def test_node_page_depth_widens_the_picture(small_db: Path, small_graph: GraphDocument) -> None:
    category = next(n for n in small_graph.nodes if n.label == "Category" and n.name == "协商议事")
    at = run("pages/2_Node.py", node=category.id)
    one_hop = iframe_html(at)
    at.slider(key="depth").set_value(3).run()
    three_hops = iframe_html(at)
    zones = [n for n in small_graph.nodes if n.label == "Zone" and n.name == "甲市东街道"]
    assert zones and json.dumps(zones[0].id) not in one_hop and json.dumps(zones[0].id) in three_hops


def test_node_page_filters_and_caps_the_neighbourhood(small_db: Path, small_graph: GraphDocument) -> None:
    zone = next(n for n in small_graph.nodes if n.name == "甲市西街道")
    at = run("pages/2_Node.py", node=zone.id, depth="3")
    everything = [n for n in small_graph.nodes if json.dumps(n.id) in iframe_html(at)]
    assert len(everything) > 10
    at.slider(key="max_nodes").set_value(10).run()
    assert at.warning and str(len(everything)) in at.warning[0].value, "no message that the cap cut"
    capped = iframe_html(at)
    assert json.dumps(zone.id) in capped, "the node in focus must stay in the picture"
    assert sum(json.dumps(n.id) in capped for n in small_graph.nodes) == 10

    at.slider(key="max_nodes").set_value(200).run()
    at.multiselect(key="labels").set_value(["Zone"]).run()
    drawn = [n for n in small_graph.nodes if json.dumps(n.id) in iframe_html(at)]
    assert drawn and {n.label for n in drawn} == {"Zone"}
    at.multiselect(key="levels").set_value(["street"]).run()
    drawn = [n for n in small_graph.nodes if json.dumps(n.id) in iframe_html(at)]
    assert {n.properties["level"] for n in drawn} == {"street"}


def test_node_page_reports_no_match(small_db: Path) -> None:
    at = page("pages/2_Node.py").run()
    at.text_input(key="node_search").input("不存在的名字").run()
    assert not at.exception
    assert at.info and "不存在的名字" in at.info[0].value


# --------------------------------------------------------------------------- saved queries


def _zone_with_mechanisms(graph: GraphDocument) -> tuple[str, set[str], str]:
    edge = next(e for e in graph.edges if e.type == "ADOPTS")
    zone = find_node(graph, edge.source)
    mechanisms = {find_node(graph, e.target).name for e in graph.edges if e.type == "ADOPTS" and e.source == zone.id}
    return zone.name, mechanisms, edge.evidence[0].text


def test_saved_queries_page_runs_a_query_and_shows_rows_picture_and_cypher(
    small_db: Path, small_graph: GraphDocument
) -> None:
    from govkg.graph.saved_queries import load_saved_queries

    name = "zone_mechanisms"
    query = load_saved_queries()[name]
    zone, mechanisms, sentence = _zone_with_mechanisms(small_graph)

    at = run("pages/3_Saved_queries.py")
    at.selectbox(key="query").set_value(name).run()
    assert query.title_zh in at.selectbox(key="query").format_func(name)
    picker = at.selectbox(key=f"param__{name}__zone")
    assert zone in picker.options, "the choices query's values are not offered"
    picker.set_value(zone).run()
    at.button(key="run_query").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]

    rows = at.dataframe[0].value
    assert set(rows[FIELD["mechanism"]]) == mechanisms  # columns named for the reader (both languages)
    assert sentence in set(rows[FIELD["evidence"]])
    assert at.code and "$zone" in at.code[0].value
    # The rows name nodes: they are drawn with the relationships among them.
    picture = iframe_html(at)
    ids = {n.id for n in small_graph.nodes if n.name in mechanisms | {zone}}
    assert all(json.dumps(i) in picture for i in ids)
    assert at.query_params["query"] == name and at.query_params["p_zone"] == zone and at.query_params["run"] == "1"


def test_saved_query_downloads_record_query_parameters_and_data_version(
    small_db: Path, small_graph: GraphDocument, downloads: list[tuple[bytes, str, str | None]]
) -> None:
    name = "zone_mechanisms"
    zone, mechanisms, _ = _zone_with_mechanisms(small_graph)
    at = run("pages/3_Saved_queries.py", query=name, p_zone=zone, run="1")  # a copied link
    assert not at.error
    csv_data = next(d for d, mime, _ in downloads if mime == "text/csv")
    json_data = next(d for d, mime, _ in downloads if mime == "application/json")

    # The CSV opens as it is (header on its first line, as Excel and pandas expect): the rows only.
    text = csv_data.decode("utf-8-sig")
    table = pd.read_csv(io.StringIO(text))
    assert text.splitlines()[0] == ",".join(table.columns) and set(table["mechanism"]) == mechanisms

    # The JSON records the query, its parameters and the data version, beside the same rows.
    payload = json.loads(json_data)
    assert payload["query"] == name and payload["parameters"] == {"zone": zone}
    assert payload["data_version"]["digest"].startswith("sha256:")
    assert payload["data_version"]["counts"]["Zone"] == sum(1 for n in small_graph.nodes if n.label == "Zone")
    assert {r["mechanism"] for r in payload["rows"]} == mechanisms
    assert payload["data_version"]["digest"] in texts(at)  # the page names the version too


def test_saved_queries_page_says_when_nothing_matches(small_db: Path, small_graph: GraphDocument) -> None:
    from govkg.graph.saved_queries import load_saved_queries

    name = "zone_mechanisms"
    param = load_saved_queries()[name].params[0]
    zone_names = {n.name for n in small_graph.nodes if n.label == "Zone"}
    assert param.default not in zone_names  # the query's default zone is not in the test data
    at = run("pages/3_Saved_queries.py")
    at.selectbox(key="query").set_value(name).run()
    assert at.selectbox(key=f"param__{name}__{param.name}").value == param.default  # the author's default first
    at.button(key="run_query").click().run()
    assert not at.exception and not at.error
    assert at.info and at.info[0].value == tr("queries.no_rows", "both")
    assert not at.dataframe


def test_typed_parameters_get_typed_pickers(small_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           small_graph: GraphDocument) -> None:
    import govkg.graph.saved_queries as saved

    # Written for testing: a saved query with an int, a float and a bool parameter.
    folder = tmp_path / "queries"
    folder.mkdir()
    (folder / "typed_test.cypher").write_text(
        "// title: 测试用查询 | A query written for testing\n"
        "// param: most: int = 2 — 最多几行 | at most this many rows\n"
        "// param: factor: float = 1.5 — 系数 | a factor\n"
        "// param: streets: bool = true — 只要街道 | streets only\n"
        "MATCH (z:Zone) WHERE ($streets = false OR z.level = 'street')\n"
        "RETURN z.name AS zone, $factor AS factor ORDER BY zone LIMIT $most\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(saved, "load_saved_queries", functools.partial(saved.load_saved_queries, folder))
    at = run("pages/3_Saved_queries.py")
    assert [w.label.split(" ")[0] for w in at.number_input] == ["most", "factor"]
    assert at.number_input(key="param__typed_test__most").value == 2
    assert at.checkbox(key="param__typed_test__streets").value is True
    at.button(key="run_query").click().run()
    streets = sorted(n.name for n in small_graph.nodes if n.properties.get("level") == "street")
    assert list(at.dataframe[0].value[FIELD["zone"]]) == streets[:2]
    at.number_input(key="param__typed_test__most").set_value(3).run()
    at.checkbox(key="param__typed_test__streets").uncheck().run()
    zones = sorted(n.name for n in small_graph.nodes if n.label == "Zone")
    assert list(at.dataframe[0].value[FIELD["zone"]]) == zones[:3]  # the result follows the parameters
    assert at.query_params["p_most"] == "3" and at.query_params["p_streets"] == "false"

    linked = run("pages/3_Saved_queries.py", p_most="1", p_factor="2.5", run="1")
    assert linked.number_input(key="param__typed_test__most").value == 1
    assert list(linked.dataframe[0].value["factor"]) == [2.5]


def test_ad_hoc_cypher_is_read_only(small_db: Path, small_graph: GraphDocument) -> None:
    at = run("pages/3_Saved_queries.py")
    at.text_area(key="cypher").input("MATCH (z:Zone) DETACH DELETE z").run()
    at.button(key="run_cypher").click().run()
    assert not at.exception
    assert at.error, "a write was not refused"
    with LadybugStore(small_db, read_only=True) as store:
        assert store.counts()["Zone"] == sum(1 for n in small_graph.nodes if n.label == "Zone")

    at.text_area(key="cypher").input("MATCH (z:Zone)-[r:ADOPTS]->(m:Mechanism) RETURN z, r, m").run()
    at.button(key="run_cypher").click().run()
    assert not at.error
    adopting = {e.source for e in small_graph.edges if e.type == "ADOPTS"}
    frame = at.dataframe[-1].value
    assert len(frame) == sum(1 for e in small_graph.edges if e.type == "ADOPTS")
    picture = iframes(at)[-1]  # node values in the rows: drawn
    assert all(json.dumps(z) in picture for z in adopting)


# --------------------------------------------------------------------------- similar zones


def test_similar_zones_page_ranks_a_zone_with_parts_and_evidence(small_db: Path, small_graph: GraphDocument) -> None:
    from govkg.graph.similarity import PARTS, similar_zones

    at = run("pages/4_Similar_zones.py", lang="en")
    chosen = str(at.selectbox(key="zone").value)
    assert find_node(small_graph, chosen).label == "Zone"
    ranking = at.dataframe[0].value
    with LadybugStore(small_db, read_only=True) as store:
        expected = similar_zones(store, chosen, top=10).similar
    assert expected, "the opening zone shares nothing: the page should open on a zone that has mechanisms"
    assert list(ranking["Zone"]) == [r.zone for r in expected]
    assert [float(x) for x in ranking["Score"]] == pytest.approx([r.score for r in expected], abs=1e-3)
    assert list(ranking["Rank"]) == list(range(1, len(expected) + 1))
    for part in PARTS:
        column = tr(f"similar.part.{part}", "en")
        assert [float(x) for x in ranking[column]] == pytest.approx([r.parts[part] for r in expected], abs=1e-3)
    assert list(ranking["Shared mechanisms"]) == [", ".join(r.shared_mechanisms) for r in expected]
    # Compact: beside each score, the three features giving most of it (heaviest first), and what is left out.
    for shown_row, r in zip(ranking["Strongest shared features"], expected, strict=True):
        heaviest = [e.feature_en for e in sorted(r.explanation, key=lambda e: -e.weight)[:3]]
        assert str(shown_row).startswith(", ".join(heaviest)), (shown_row, heaviest)
        assert ("more" in str(shown_row)) == (len(r.explanation) > 3)
    assert "its own higher and lower units" in texts(at)
    # Each shared feature with the sentences behind it, on both sides.
    first = expected[0].explanation[0]
    shown = texts(at)
    assert md_escape(first.this_zone[0].evidence[0].text) in shown
    assert md_escape(first.other_zone[0].evidence[0].text) in shown


def test_similar_zones_page_follows_the_chosen_zone_and_top_n(small_db: Path, small_graph: GraphDocument) -> None:
    east = next(n for n in small_graph.nodes if n.name == "甲市东街道")
    west = next(n for n in small_graph.nodes if n.name == "甲市西街道")
    at = run("pages/4_Similar_zones.py")
    at.selectbox(key="zone").set_value(east.id).run()
    assert not at.exception
    at.radio(key="lang").set_value("en").run()
    ranking = at.dataframe[0].value
    assert ranking["Zone"].iloc[0] == west.name  # they share 友邻议事会 and its categories
    assert "友邻议事会" in ranking["Shared mechanisms"].iloc[0]
    at.slider(key="top").set_value(1).run()
    assert len(at.dataframe[0].value) == 1
    assert at.query_params["zone"] == east.id and at.query_params["top"] == "1"


def test_similar_zones_page_compares_two_zones_side_by_side(small_db: Path, small_graph: GraphDocument) -> None:
    west = next(n for n in small_graph.nodes if n.name == "甲市西街道")
    south = next(n for n in small_graph.nodes if n.name == "乙市南街道")
    at = run("pages/4_Similar_zones.py", zone=west.id, other=south.id, view="compare")
    assert at.selectbox(key="other").value == south.id
    adopted = {z: {e.target for e in small_graph.edges if e.type == "ADOPTS" and e.source == z}
               for z in (west.id, south.id)}
    shared = adopted[west.id] & adopted[south.id]
    only_west, only_south = adopted[west.id] - shared, adopted[south.id] - shared
    assert shared and only_west and only_south
    shown = texts(at)
    for mechanism in shared | only_west | only_south:
        node = find_node(small_graph, mechanism)
        assert f"#### {md_escape(node.name)}" in shown
        for edge in (e for e in small_graph.edges if e.type == "ADOPTS" and e.target == mechanism
                     and e.source in adopted):
            assert md_escape(edge.evidence[0].text) in shown  # each with its evidence
    headers = [h.value for h in at.subheader]
    assert tr("similar.only", "both", zone=md_escape(west.name)) in headers
    assert tr("similar.only", "both", zone=md_escape(south.name)) in headers


def test_similar_zones_page_pictures_families(small_db: Path, small_graph: GraphDocument) -> None:
    from govkg.graph.analytics import families_from_store

    at = run("pages/4_Similar_zones.py", lang="en", view="families")
    assert not at.dataframe and not iframes(at), "the ranking or the network ran in a closed tab"
    with LadybugStore(small_db, read_only=True) as store:
        families = families_from_store(store)
    heat = chart_frames(at)[0]
    members = {z["name"] for f in families for z in f["zones"]}
    assert set(heat["zone"]) == members
    categories = {n.properties.get("name_en") or n.name for n in small_graph.nodes if n.label == "Category"}
    assert set(heat["category"]) <= categories
    network = run("pages/4_Similar_zones.py", lang="en", view="families", families="network")
    cluster = iframes(network)[-1]
    for family in families:
        for zone in family["zones"]:
            assert json.dumps(zone["id"]) in cluster
        assert html.escape(family["name_en"]) in cluster  # the legend names each family
    listed = run("pages/4_Similar_zones.py", lang="en", view="families", families="table")
    table = listed.dataframe[-1].value
    assert list(table["Family"]) == [f["family"] for f in families]
    assert listed.query_params["view"] == "families" and listed.query_params["families"] == "table"


def test_similar_zones_page_explains_a_zone_without_mechanisms(small_db: Path, small_graph: GraphDocument) -> None:
    adopting = {e.source for e in small_graph.edges if e.type == "ADOPTS"}
    idle = next(n for n in small_graph.nodes if n.label == "Zone" and n.id not in adopting)
    at = page("pages/4_Similar_zones.py").run()
    at.selectbox(key="zone").set_value(idle.id).run()
    assert not at.exception and not at.error
    assert at.info and idle.name in at.info[0].value
    assert not [d for d in at.dataframe if "排名 / Rank" in d.value.columns], "a ranking with nothing to rank"


# --------------------------------------------------------------------------- bundled data


@pytest.fixture(scope="module")
def cases_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GraphDocument]:
    """The bundled case sheets (data/cases), extracted by the loaders and written to a store once."""
    from govkg.loaders.extract import extract_paths

    graph = extract_paths([BUNDLED_CASES_DIR])
    assert graph.problems() == []
    return write_store(tmp_path_factory.mktemp("cases") / "cases.lbdb", graph), graph


@pytest.fixture()
def cases_db(cases_store: tuple[Path, GraphDocument], monkeypatch: pytest.MonkeyPatch) -> GraphDocument:
    point_app_at(monkeypatch, cases_store[0])
    return cases_store[1]


@pytest.mark.parametrize("script", PAGES)
def test_every_page_runs_on_the_bundled_case_sheets(cases_db: GraphDocument, script: str) -> None:
    at = run(script)
    assert not at.error, [e.value for e in at.error]


def test_node_page_shows_bundled_evidence(cases_db: GraphDocument) -> None:
    names = {n.id: n for n in cases_db.nodes}
    titles = {d.id: d.title for d in cases_db.documents}
    for edge in [e for e in cases_db.edges if e.type == "ADOPTS" and e.evidence][:3]:
        at = run("pages/2_Node.py", node=edge.source)
        assert at.header[0].value.startswith(md_escape(names[edge.source].name))
        assert any(_mark_of(edge.evidence[0].text) in b for b in html_blocks(at))
        assert md_escape(titles[edge.evidence[0].document]) in texts(at)


def test_similar_page_ranks_bundled_zones(cases_db: GraphDocument, cases_store: tuple[Path, GraphDocument]) -> None:
    from govkg.graph.similarity import similar_zones

    at = run("pages/4_Similar_zones.py", lang="en")
    chosen = str(at.selectbox(key="zone").value)
    with LadybugStore(cases_store[0], read_only=True) as store:
        expected = similar_zones(store, chosen, top=10).similar
    shown = list(at.dataframe[0].value["Zone"]) if at.dataframe else []
    assert shown == [r.zone for r in expected]
    kinds = [f for r in expected for f in r.shared if f.startswith(("organisation:", "policy:"))]
    page_text = at.dataframe[0].value.to_csv() + "".join(e.label for e in at.expander)
    assert kinds, "the bundled zones share organisation or policy kinds"
    # Shared kinds read as names ("organisation kind: committee"), not as keys.
    assert "organisation:" not in page_text and "policy:" not in page_text
    assert "organisation kind: " in page_text or "policy kind: " in page_text


@pytest.fixture()
def bundled_db(tmp_path: Path, bundled_graph: GraphDocument, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = write_store(tmp_path / "bundled.lbdb", bundled_graph)
    point_app_at(monkeypatch, db)
    return db


@pytest.mark.parametrize("script", PAGES)
def test_every_page_runs_on_all_bundled_data(bundled_db: Path, script: str) -> None:
    """Case sheets and the free-text article together, as `govkg demo` loads them."""
    at = run(script)
    assert not at.error, [e.value for e in at.error]


def test_overview_charts_are_tall_enough_for_their_category_legend(bundled_db: Path) -> None:
    """Vega-Lite clips a legend taller than its chart: the bundled data's 12 categories over four
    zone levels once lost the last categories from the by-level chart's legend."""
    at = run("app.py", lang="zh")
    charts = at.get("vega_lite_chart")
    assert len(charts) == 2
    for chart, frame in zip(charts, chart_frames(at), strict=True):
        height = json.loads(chart.proto.spec)["height"]
        assert height >= 20 * frame["category"].nunique(), (height, sorted(frame["category"].unique()))


# --------------------------------------------------------------------------- helpers and messages


def test_every_message_the_app_uses_exists_in_both_languages() -> None:
    import re

    from govkg.app.page_frame import PAGES as NAV
    from govkg.graph.model import EDGE_TYPES, NODE_LABELS, ZONE_LEVELS
    from govkg.graph.saved_queries import PARAM_TYPES
    from govkg.graph.similarity import PARTS
    from govkg.i18n import EDGE_TYPE_NAMES, LABEL_NAMES, LANGUAGES, MESSAGES, ZONE_LEVEL_NAMES

    for key, (zh, en) in MESSAGES.items():
        assert zh.strip() and en.strip(), f"message {key} lacks a language"
        assert sorted(re.findall(r"{(\w+)}", zh)) == sorted(re.findall(r"{(\w+)}", en)), f"{key}: fields differ"
    assert set(LABEL_NAMES) == set(NODE_LABELS) and set(EDGE_TYPE_NAMES) == set(EDGE_TYPES)
    assert set(ZONE_LEVEL_NAMES) == set(ZONE_LEVELS)
    used: set[str] = set()
    for source in [PROJECT_ROOT / "app.py", *(PROJECT_ROOT / "pages").glob("*.py"),
                   *(PROJECT_ROOT / "govkg" / "app").glob("*.py")]:
        text = source.read_text(encoding="utf-8")
        used |= set(re.findall(r"""\bt\(\s*["']([\w.]+[\w])["']""", text))
        used |= set(re.findall(r"""["']((?:filter|nav)\.\w+)["']""", text))
    assert used, "no message ids found in the pages"
    missing = sorted(k for k in used if k not in MESSAGES)
    assert not missing, f"messages used but not defined: {missing}"
    # Ids the app builds at run time.
    built = [f"glossary.{label}" for label in NODE_LABELS] + [f"lang.{mode}" for mode in LANGUAGES]
    built += [f"col.{c}" for c in ("title", "source", "author", "date", "loaded_at", "path")]
    built += [f"similar.part.{p}" for p in PARTS] + [f"queries.type.{p}" for p in PARAM_TYPES]
    built += [f"load.kind.{k}" for k in ("text", "sheet", "csv")] + [key for _, _, key in NAV]
    assert not [k for k in built if k not in MESSAGES]


def test_node_search_ranks_exact_then_prefix_and_folds_traditional() -> None:
    from govkg.app.search import NodeEntry, search_nodes

    # Written for testing: three invented mechanism names.
    entries = [
        NodeEntry("mechanism:邻里议事会扩展", "Mechanism", "邻里议事会扩展", ()),
        NodeEntry("mechanism:社区邻里议事会", "Mechanism", "社区邻里议事会", ()),
        NodeEntry("mechanism:邻里议事会", "Mechanism", "邻里议事会", ("议事会",)),
    ]
    found = [e.id for e in search_nodes(entries, "鄰里議事會")]
    assert found == ["mechanism:邻里议事会", "mechanism:邻里议事会扩展", "mechanism:社区邻里议事会"]
    assert next(e.id for e in search_nodes(entries, " 议事会 ")) == "mechanism:邻里议事会"  # alias, exact
    assert search_nodes(entries, "不在其中") == []
    assert search_nodes(entries, "", limit=2) == entries[:2]


def test_evidence_rows_list_each_sentence_from_the_chosen_node(small_graph: GraphDocument) -> None:
    from govkg.app.node_details import evidence_rows

    zone = next(n for n in small_graph.nodes if n.name == "甲市东街道")
    rows = evidence_rows(small_graph, zone.id, {})
    incident = [e for e in small_graph.edges if zone.id in (e.source, e.target)]
    assert len(rows) == sum(max(1, len(e.evidence)) for e in incident)
    adopts = [r for r in rows if r.edge_type == "ADOPTS"]
    assert adopts and all(r.outgoing for r in adopts)
    text = small_graph.documents[0].text
    for row in rows:
        assert text[row.start:row.end] == row.sentence
        assert row.document_title == small_graph.documents[0].title
    part_of_in = [r for r in rows if r.edge_type == "PART_OF" and r.outgoing]
    assert [r.other_name for r in part_of_in] == ["甲市"]


def test_markdown_escape_keeps_data_literal() -> None:
    # Written for testing: text with markdown, LaTeX and HTML syntax.
    raw = "“1+3”模式 *重点* $x$ <b>粗</b> [链接](http://x) # 标题"
    escaped = md_escape(raw)
    for mark in ("*", "$", "<", "[", "#", "+"):
        assert f"\\{mark}" in escaped
    assert escaped.replace("\\", "") == raw.replace("\\", "")


# --------------------------------------------------------------------------- the Neo4j engine


@pytest.fixture()
def neo4j_app(neo4j_store: Neo4jStore, neo4j_target: Neo4jTarget, small_graph: GraphDocument,
              monkeypatch: pytest.MonkeyPatch) -> GraphDocument:
    """The small graph in the session's Neo4j, and the app pointed at it through NEO4J_* as a user would."""
    neo4j_store.write(small_graph)
    monkeypatch.setenv("GOVKG_STORE", "neo4j")
    monkeypatch.setenv("NEO4J_URI", neo4j_target.uri)
    monkeypatch.setenv("NEO4J_USER", neo4j_target.user)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_target.password)
    monkeypatch.delenv("NEO4J_DATABASE", raising=False)
    return small_graph


@pytest.mark.neo4j
def test_every_page_works_on_neo4j(neo4j_app: GraphDocument) -> None:
    for script in PAGES:
        at = run(script)
        assert not at.error, (script, [e.value for e in at.error])
    overview = run("app.py")
    shown = dict(zip(overview.table[0].value.iloc[:, 0], overview.table[0].value.iloc[:, 1], strict=True))
    assert shown[label_names("both")["Zone"]] == sum(1 for n in neo4j_app.nodes if n.label == "Zone")
    assert chart_frames(overview), "no category charts on Neo4j"

    edge = next(e for e in neo4j_app.edges if e.type == "ADOPTS")
    node = run("pages/2_Node.py", node=edge.source)
    assert any(_mark_of(edge.evidence[0].text) in b for b in html_blocks(node))
    assert "neo4j" in texts(node)  # the sidebar names the engine in use

    similar = run("pages/4_Similar_zones.py")
    assert similar.dataframe and len(similar.dataframe[0].value), "no ranking on Neo4j"
    zone, mechanisms, _ = _zone_with_mechanisms(neo4j_app)
    queried = run("pages/3_Saved_queries.py", query="zone_mechanisms", p_zone=zone, run="1")
    assert set(queried.dataframe[0].value[FIELD["mechanism"]]) == mechanisms


def test_cases_loaded_while_the_app_runs_show_up(small_db: Path, small_graph: GraphDocument) -> None:
    from govkg.graph.model import Document, Edge, Evidence, Node, document_id, node_id

    at = run("app.py")
    before = dict(zip(at.table[0].value.iloc[:, 0], at.table[0].value.iloc[:, 1], strict=True))
    # Written for testing: one more invented zone and mechanism, loaded while the app holds the store.
    text = "本句为测试而写：丙市新街道推行“测试新机制”。"
    doc = Document(document_id(text), "written-for-testing-2.txt", "测试文本二", "", "", "", text)
    zone = Node(node_id("Zone", "测试省丙市新街道"), "Zone", "丙市新街道", [], {"level": "street"})
    mech = Node(node_id("Mechanism", "测试新机制"), "Mechanism", "测试新机制")
    adopts = Edge("ADOPTS", zone.id, mech.id, [Evidence(doc.id, text, 0, len(text))])
    extra = GraphDocument([doc], [zone, mech], [adopts])
    assert extra.problems() == []
    write_store(small_db, extra)

    at.button(key="govkg_reload").click().run()
    assert not at.exception
    after = dict(zip(at.table[0].value.iloc[:, 0], at.table[0].value.iloc[:, 1], strict=True))
    zone_label, mech_label = label_names("both")["Zone"], label_names("both")["Mechanism"]
    assert after[zone_label] == before[zone_label] + 1 and after[mech_label] == before[mech_label] + 1
    titles = list(at.dataframe[0].value.iloc[:, 0])
    assert sorted(titles) == sorted([small_graph.documents[0].title, "测试文本二"])
