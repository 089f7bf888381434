"""The Streamlit app, page by page, with streamlit.testing.v1.AppTest against a real embedded store.

Each test writes a graph into a LadybugDB file in tmp_path and points GOVKG_DB at it, as `govkg demo`
does. The small graph is the conftest's test data (written for testing); the bundled-data tests use
what the loaders extract from data/.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from neo4j_fixture import Neo4jTarget  # tests/ is on sys.path (see conftest.py)
from streamlit.testing.v1 import AppTest

from govkg.app_support import md_escape
from govkg.i18n import edge_type_names, label_names, tr
from govkg.paths import BUNDLED_CASES_DIR, PROJECT_ROOT
from graph.ladybug_store import LadybugStore
from graph.model import GraphDocument, Node
from graph.neo4j_store import Neo4jStore

PAGES = ["app.py", "pages/1_Graph.py", "pages/2_Node.py", "pages/3_Saved_queries.py", "pages/4_Similar_zones.py"]
TIMEOUT = 90


def _write_store(path: Path, graph: GraphDocument) -> Path:
    with LadybugStore(path) as store:
        store.write(graph)
    return path


@pytest.fixture(autouse=True)
def _fresh_streamlit_caches() -> Iterator[None]:
    """Each test opens its own store; release the shared handles (closing them) between tests."""
    yield
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture()
def small_db(tmp_path: Path, small_graph: GraphDocument, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = _write_store(tmp_path / "app.lbdb", small_graph)
    monkeypatch.setenv("GOVKG_STORE", "embedded")
    monkeypatch.setenv("GOVKG_DB", str(db))
    return db


def _page(page: str) -> AppTest:
    return AppTest.from_file(str(PROJECT_ROOT / page), default_timeout=TIMEOUT)


def _run(page: str) -> AppTest:
    at = _page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _texts(at: AppTest) -> str:
    """Everything the page shows as text (markdown, captions, alerts, titles, tables)."""
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        parts.extend(str(el.value) for el in getattr(at, kind))
    parts.extend(el.value.to_string() for el in at.table)
    return "\n".join(parts)


def _iframe_html(at: AppTest) -> str:
    frames = at.get("iframe")
    assert frames, "no picture embedded in an iframe"
    return str(frames[0].proto.srcdoc)


def _node(graph: GraphDocument, node_id: str) -> Node:
    return next(n for n in graph.nodes if n.id == node_id)


# --------------------------------------------------------------------------- every page


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_a_loaded_store(small_db: Path, page: str) -> None:
    at = _run(page)
    assert at.title and at.title[0].value
    assert not at.error, [e.value for e in at.error]


@pytest.mark.parametrize("page", PAGES)
def test_a_missing_store_says_how_to_load_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, page: str) -> None:
    missing = tmp_path / "nowhere" / "govkg.lbdb"
    monkeypatch.setenv("GOVKG_STORE", "embedded")
    monkeypatch.setenv("GOVKG_DB", str(missing))
    at = _run(page)
    assert at.info, "no message about the missing store"
    message = at.info[0].value
    assert str(missing) in message and "govkg load" in message and "govkg demo" in message
    assert not missing.exists(), "the app must not create a store"


def test_a_file_that_is_not_a_store_gives_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Written for testing: a text file where the database should be.
    not_a_db = tmp_path / "notes.lbdb"
    not_a_db.write_text("这不是数据库 / not a database\n" * 50, encoding="utf-8")
    monkeypatch.setenv("GOVKG_STORE", "embedded")
    monkeypatch.setenv("GOVKG_DB", str(not_a_db))
    at = _run("app.py")
    assert at.error, "no message about the unreadable store"
    assert str(not_a_db) in at.error[0].value and "GOVKG_DB" in at.error[0].value
    assert not at.metric, "the page went on without a store"


# --------------------------------------------------------------------------- overview


def test_overview_shows_the_counts_and_documents(small_db: Path, small_graph: GraphDocument) -> None:
    with LadybugStore(small_db, read_only=True) as store:
        counts = store.counts()
    at = _run("app.py")
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


def test_language_switch_shows_one_language(small_db: Path) -> None:
    at = _run("app.py")
    assert at.title[0].value == tr("app.title", "both")
    at.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == tr("app.title", "en")
    assert at.subheader[0].value == "Nodes by label"
    at.radio(key="lang").set_value("zh").run()
    assert at.subheader[0].value == "节点（按类型）"


def test_language_comes_from_the_link(small_db: Path) -> None:
    at = _page("app.py")
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert at.title[0].value == tr("app.title", "en")


# --------------------------------------------------------------------------- whole graph


def test_graph_page_draws_the_graph_offline(small_db: Path, small_graph: GraphDocument) -> None:
    at = _run("pages/1_Graph.py")
    page = _iframe_html(at)
    assert "new vis.Network(" in page and "<script src=" not in page
    for node in small_graph.nodes:
        assert json.dumps(node.id) in page, f"{node.name} is not drawn"
    assert not at.warning


def test_graph_page_says_when_the_cap_cuts(small_db: Path, small_graph: GraphDocument) -> None:
    at = _page("pages/1_Graph.py").run()
    at.slider(key="max_nodes").set_value(10).run()
    assert not at.exception
    assert at.warning, "no message that the picture was cut"
    assert str(len(small_graph.nodes)) in at.warning[0].value and "10" in at.warning[0].value
    page = _iframe_html(at)
    drawn = [n for n in small_graph.nodes if json.dumps(n.id) in page]
    assert len(drawn) == 10


def test_graph_page_filters_by_label(small_db: Path, small_graph: GraphDocument) -> None:
    at = _page("pages/1_Graph.py").run()
    zone_name = label_names("both")["Zone"]
    at.multiselect(key="labels").set_value(["Zone"]).run()
    assert not at.exception
    page = _iframe_html(at)
    assert zone_name in page  # the legend
    for node in small_graph.nodes:
        assert (json.dumps(node.id) in page) == (node.label == "Zone"), node.name


# --------------------------------------------------------------------------- node page


def test_node_page_shows_the_evidence_of_a_known_edge(small_db: Path, small_graph: GraphDocument) -> None:
    edge = next(e for e in small_graph.edges if e.type == "ADOPTS")
    zone = _node(small_graph, edge.source)
    mechanism = _node(small_graph, edge.target)
    at = _page("pages/2_Node.py").run()
    at.text_input(key="node_search").input(zone.aliases[0]).run()
    assert not at.exception
    assert at.selectbox(key="node").value == zone.id
    shown = _texts(at)
    assert md_escape(edge.evidence[0].text) in shown
    assert md_escape(mechanism.name) in shown
    assert small_graph.documents[0].title in shown
    assert f"{edge.evidence[0].start}–{edge.evidence[0].end}" in shown
    assert any(zone.aliases[0] in m.value for m in at.markdown), "aliases not shown"
    assert json.dumps(mechanism.id) in _iframe_html(at)


def test_node_page_finds_traditional_spelling_and_opens_from_a_link(small_db: Path,
                                                                    small_graph: GraphDocument) -> None:
    mechanism = next(n for n in small_graph.nodes if n.name == "友邻议事会")
    at = _page("pages/2_Node.py").run()
    at.text_input(key="node_search").input("友鄰議事會").run()  # traditional characters
    assert at.selectbox(key="node").value == mechanism.id

    linked = _page("pages/2_Node.py")
    linked.query_params["node"] = mechanism.id
    linked.run()
    assert not linked.exception
    assert linked.header[0].value.startswith(md_escape(mechanism.name))


def test_node_page_depth_widens_the_picture(small_db: Path, small_graph: GraphDocument) -> None:
    category = next(n for n in small_graph.nodes if n.label == "Category" and n.name == "协商议事")
    at = _page("pages/2_Node.py")
    at.query_params["node"] = category.id
    at.run()
    one_hop = _iframe_html(at)
    at.slider(key="depth").set_value(3).run()
    three_hops = _iframe_html(at)
    zones = [n for n in small_graph.nodes if n.label == "Zone" and n.name == "甲市东街道"]
    assert zones and json.dumps(zones[0].id) not in one_hop and json.dumps(zones[0].id) in three_hops


def test_node_page_reports_no_match(small_db: Path) -> None:
    at = _page("pages/2_Node.py").run()
    at.text_input(key="node_search").input("不存在的名字").run()
    assert not at.exception
    assert at.info and "不存在的名字" in at.info[0].value


# --------------------------------------------------------------------------- saved queries


def test_saved_queries_page_runs_a_query_and_shows_rows(small_db: Path, small_graph: GraphDocument) -> None:
    from graph.saved_queries import load_saved_queries

    name = "zone_mechanisms"
    query = load_saved_queries()[name]
    param = query.params[0]
    edge = next(e for e in small_graph.edges if e.type == "ADOPTS")
    zone = _node(small_graph, edge.source)
    expected = {_node(small_graph, e.target).name for e in small_graph.edges
                if e.type == "ADOPTS" and e.source == zone.id}

    at = _page("pages/3_Saved_queries.py").run()
    at.selectbox(key="query").set_value(name).run()
    assert query.title_zh in at.selectbox(key="query").format_func(name)
    picker = at.selectbox(key=f"param__{name}__{param.name}")
    assert zone.name in picker.options, "the choices query's values are not offered"
    picker.set_value(zone.name).run()
    at.button(key="run_query").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]

    rows = at.dataframe[0].value
    assert set(rows["mechanism"]) == expected
    assert edge.evidence[0].text in set(rows["evidence"])
    assert at.get("download_button"), "no CSV download"
    assert at.code and "$zone" in at.code[0].value


def test_saved_queries_page_says_when_nothing_matches(small_db: Path, small_graph: GraphDocument) -> None:
    from graph.saved_queries import load_saved_queries

    name = "zone_mechanisms"
    param = load_saved_queries()[name].params[0]
    zone_names = {n.name for n in small_graph.nodes if n.label == "Zone"}
    assert param.default not in zone_names  # the query's default zone is not in the test data
    at = _page("pages/3_Saved_queries.py").run()
    at.selectbox(key="query").set_value(name).run()
    assert at.selectbox(key=f"param__{name}__{param.name}").value == param.default  # the author's default first
    at.button(key="run_query").click().run()
    assert not at.exception and not at.error
    assert at.info and at.info[0].value == tr("queries.no_rows", "both")
    assert not at.dataframe


# --------------------------------------------------------------------------- similar zones


def test_similar_zones_page_ranks_a_zone(small_db: Path, small_graph: GraphDocument) -> None:
    from graph.similarity import similar_zones

    at = _run("pages/4_Similar_zones.py")
    chosen = str(at.selectbox(key="zone").value)
    assert _node(small_graph, chosen).label == "Zone"
    assert at.table, "no ranking shown"
    ranking = at.table[0].value
    with LadybugStore(small_db, read_only=True) as store:
        expected = similar_zones(store, chosen, top=10)["similar"]
    assert expected, "the opening zone shares nothing: the page should open on a zone that has mechanisms"
    assert list(ranking.iloc[:, 1]) == [r["zone"] for r in expected]
    assert [float(x) for x in ranking.iloc[:, 2]] == pytest.approx([r["score"] for r in expected], abs=1e-3)
    assert list(ranking.iloc[:, 0]) == list(range(1, len(expected) + 1))
    assert list(ranking.iloc[:, 4]) == ["、".join(r["shared_mechanisms"]) for r in expected]
    assert list(ranking.iloc[:, 5]) == ["、".join(r["shared_categories"]) for r in expected]


def test_similar_zones_page_follows_the_chosen_zone_and_top_n(small_db: Path, small_graph: GraphDocument) -> None:
    east = next(n for n in small_graph.nodes if n.name == "甲市东街道")
    west = next(n for n in small_graph.nodes if n.name == "甲市西街道")
    at = _page("pages/4_Similar_zones.py").run()
    at.selectbox(key="zone").set_value(east.id).run()
    assert not at.exception
    ranking = at.table[0].value
    assert ranking.iloc[0, 1] == west.name  # they share 友邻议事会 and its categories
    assert "友邻议事会" in ranking.iloc[0, 4]
    at.slider(key="top").set_value(1).run()
    assert len(at.table[0].value) == 1


def test_similar_zones_page_explains_a_zone_without_mechanisms(small_db: Path, small_graph: GraphDocument) -> None:
    adopting = {e.source for e in small_graph.edges if e.type == "ADOPTS"}
    idle = next(n for n in small_graph.nodes if n.label == "Zone" and n.id not in adopting)
    at = _page("pages/4_Similar_zones.py").run()
    at.selectbox(key="zone").set_value(idle.id).run()
    assert not at.exception and not at.error
    assert at.info and idle.name in at.info[0].value
    assert not at.table


# --------------------------------------------------------------------------- bundled data


@pytest.fixture(scope="module")
def cases_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GraphDocument]:
    """The bundled case sheets (data/cases), extracted by the loaders and written to a store once."""
    from loaders.extract import extract_paths

    graph = extract_paths([BUNDLED_CASES_DIR])
    assert graph.problems() == []
    return _write_store(tmp_path_factory.mktemp("cases") / "cases.lbdb", graph), graph


@pytest.fixture()
def cases_db(cases_store: tuple[Path, GraphDocument], monkeypatch: pytest.MonkeyPatch) -> GraphDocument:
    monkeypatch.setenv("GOVKG_STORE", "embedded")
    monkeypatch.setenv("GOVKG_DB", str(cases_store[0]))
    return cases_store[1]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_the_bundled_case_sheets(cases_db: GraphDocument, page: str) -> None:
    at = _run(page)
    assert not at.error, [e.value for e in at.error]


def test_node_page_shows_bundled_evidence(cases_db: GraphDocument) -> None:
    names = {n.id: n for n in cases_db.nodes}
    titles = {d.id: d.title for d in cases_db.documents}
    for edge in [e for e in cases_db.edges if e.type == "ADOPTS" and e.evidence][:3]:
        at = _page("pages/2_Node.py")
        at.query_params["node"] = edge.source
        at.run()
        assert not at.exception
        assert at.header[0].value.startswith(md_escape(names[edge.source].name))
        shown = _texts(at)
        assert md_escape(edge.evidence[0].text) in shown
        assert md_escape(titles[edge.evidence[0].document]) in shown


def test_similar_page_ranks_bundled_zones(cases_db: GraphDocument, cases_store: tuple[Path, GraphDocument]) -> None:
    from graph.similarity import similar_zones

    at = _run("pages/4_Similar_zones.py")
    chosen = str(at.selectbox(key="zone").value)
    with LadybugStore(cases_store[0], read_only=True) as store:
        expected = similar_zones(store, chosen, top=10)["similar"]
    shown = list(at.table[0].value.iloc[:, 1]) if at.table else []
    assert shown == [r["zone"] for r in expected]


@pytest.fixture()
def bundled_db(tmp_path: Path, bundled_graph: GraphDocument, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = _write_store(tmp_path / "bundled.lbdb", bundled_graph)
    monkeypatch.setenv("GOVKG_STORE", "embedded")
    monkeypatch.setenv("GOVKG_DB", str(db))
    return db


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_all_bundled_data(bundled_db: Path, page: str) -> None:
    """Case sheets and the free-text article together, as `govkg demo` loads them."""
    at = _run(page)
    assert not at.error, [e.value for e in at.error]


# --------------------------------------------------------------------------- helpers and messages


def test_every_message_the_app_uses_exists_in_both_languages() -> None:
    import re

    from govkg.i18n import EDGE_TYPE_NAMES, LABEL_NAMES, LANGUAGES, MESSAGES, ZONE_LEVEL_NAMES
    from graph.model import EDGE_TYPES, NODE_LABELS, ZONE_LEVELS

    for key, (zh, en) in MESSAGES.items():
        assert zh.strip() and en.strip(), f"message {key} lacks a language"
        assert sorted(re.findall(r"{(\w+)}", zh)) == sorted(re.findall(r"{(\w+)}", en)), f"{key}: fields differ"
    assert set(LABEL_NAMES) == set(NODE_LABELS) and set(EDGE_TYPE_NAMES) == set(EDGE_TYPES)
    assert set(ZONE_LEVEL_NAMES) == set(ZONE_LEVELS)
    used: set[str] = set()
    for source in [PROJECT_ROOT / "app.py", *(PROJECT_ROOT / "pages").glob("*.py"),
                   PROJECT_ROOT / "govkg" / "app_support.py"]:
        used |= set(re.findall(r"""\bt\(\s*["']([\w.]+)["']""", source.read_text(encoding="utf-8")))
    assert used, "no message ids found in the pages"
    missing = sorted(k for k in used if k not in MESSAGES)
    assert not missing, f"messages used but not defined: {missing}"
    # Ids the app builds at run time.
    built = [f"glossary.{label}" for label in NODE_LABELS] + [f"lang.{mode}" for mode in LANGUAGES]
    built += [f"col.{c}" for c in ("title", "source", "date", "loaded_at", "path")]
    built += [f"similar.part.{p}" for p in ("mechanisms", "categories")]
    assert not [k for k in built if k not in MESSAGES]


def test_node_search_ranks_exact_then_prefix_and_folds_traditional() -> None:
    from govkg.app_support import NodeEntry, search_nodes

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
    from govkg.app_support import evidence_rows

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


def test_query_rows_become_a_table_and_csv_that_spreadsheets_read() -> None:
    from govkg.app_support import csv_bytes, result_frame
    from graph.store import QueryResult

    # Written for testing: one row with a list, a node map and a number.
    result = QueryResult(["zone", "aliases", "node", "n"],
                         [["甲市东街道", ["东街道", "东"], {"name": "友邻议事会", "_label": "Mechanism"}, 2]])
    frame = result_frame(result)
    assert frame.iloc[0]["aliases"] == "东街道, 东"
    assert json.loads(frame.iloc[0]["node"]) == {"name": "友邻议事会", "_label": "Mechanism"}
    data = csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    assert "甲市东街道" in data.decode("utf-8-sig")


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
    for page in PAGES:
        at = _run(page)
        assert not at.error, (page, [e.value for e in at.error])
    overview = _run("app.py")
    shown = dict(zip(overview.table[0].value.iloc[:, 0], overview.table[0].value.iloc[:, 1], strict=True))
    assert shown[label_names("both")["Zone"]] == sum(1 for n in neo4j_app.nodes if n.label == "Zone")

    edge = next(e for e in neo4j_app.edges if e.type == "ADOPTS")
    node = _page("pages/2_Node.py")
    node.query_params["node"] = edge.source
    node.run()
    assert not node.exception
    assert md_escape(edge.evidence[0].text) in _texts(node)
    assert "neo4j" in _texts(node)  # the sidebar names the engine in use

    similar = _run("pages/4_Similar_zones.py")
    assert similar.table, "no ranking on Neo4j"


def test_cases_loaded_while_the_app_runs_show_up(small_db: Path, small_graph: GraphDocument) -> None:
    from graph.model import Document, Edge, Evidence, document_id, node_id

    at = _run("app.py")
    before = dict(zip(at.table[0].value.iloc[:, 0], at.table[0].value.iloc[:, 1], strict=True))
    # Written for testing: one more invented zone and mechanism, loaded while the app holds the store.
    text = "本句为测试而写：丙市新街道推行“测试新机制”。"
    doc = Document(document_id(text), "written-for-testing-2.txt", "测试文本二", "", "", "", text)
    zone = Node(node_id("Zone", "测试省丙市新街道"), "Zone", "丙市新街道", [], {"level": "street"})
    mech = Node(node_id("Mechanism", "测试新机制"), "Mechanism", "测试新机制")
    adopts = Edge("ADOPTS", zone.id, mech.id, [Evidence(doc.id, text, 0, len(text))])
    extra = GraphDocument([doc], [zone, mech], [adopts])
    assert extra.problems() == []
    _write_store(small_db, extra)

    at.button(key="govkg_reload").click().run()
    assert not at.exception
    after = dict(zip(at.table[0].value.iloc[:, 0], at.table[0].value.iloc[:, 1], strict=True))
    zone_label, mech_label = label_names("both")["Zone"], label_names("both")["Mechanism"]
    assert after[zone_label] == before[zone_label] + 1 and after[mech_label] == before[mech_label] + 1
    titles = list(at.dataframe[0].value.iloc[:, 0])
    assert sorted(titles) == sorted([small_graph.documents[0].title, "测试文本二"])
