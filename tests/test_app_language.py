"""The language switch covers every label on every page, and links reproduce the view.

With English chosen, a store whose data is all in English (written for testing below) must show no
Chinese character and no raw message id anywhere but in the language switch's own options; with
Chinese chosen, every page title is Chinese. Links (AppTest query_params) carry page state."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from app_testing import (
    PAGES,
    html_blocks,
    iframes,
    page,
    point_app_at,
    run,
    texts,
    uploader,
    widget_labels,
    write_store,
)
from streamlit.testing.v1 import AppTest

from govkg.graph.model import Document, Edge, Evidence, GraphDocument, Node, document_id, node_id
from govkg.graph.saved_queries import load_saved_queries
from govkg.i18n import MESSAGES, tr

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
PREFIXES = "|".join(sorted({k.split(".")[0] for k in MESSAGES}))
MESSAGE_ID = re.compile(rf"\b(?:{PREFIXES})\.[a-z_]+(?:\.[a-z_]+)*\b")
TITLES = {"app.py": "app.title", "pages/1_Graph.py": "graph.title", "pages/2_Node.py": "node.title",
          "pages/3_Saved_queries.py": "queries.title", "pages/4_Similar_zones.py": "similar.title",
          "pages/5_Load.py": "load.title", "pages/6_Corrections.py": "corrections.title",
          "pages/7_Search.py": "search.title", "pages/8_Map.py": "map.title"}

# WRITTEN FOR TESTING: an invented English-language case about invented places, so that any Chinese
# on an English page can only come from the app's own labels.
TEXT = (
    "This text was written for testing; its places and practices are invented. "
    "North Ward runs the Neighbour Council. South Ward also runs the Neighbour Council and a Grid Desk. "
    "East Ward runs the Grid Desk."
)
DOC = document_id(TEXT)


def _sentence(fragment: str) -> Evidence:
    at = TEXT.index(fragment)
    start = TEXT.rfind(". ", 0, at)
    start = 0 if start < 0 else start + 2
    end = TEXT.index(".", at) + 1
    return Evidence(DOC, TEXT[start:end], start, end)


def english_graph() -> GraphDocument:
    city = Node(node_id("Zone", "Test City"), "Zone", "Test City", [], {"level": "city", "full_name": "Test City"})
    wards = {w: Node(node_id("Zone", f"Test City {w} Ward"), "Zone", f"{w} Ward", [],
                     {"level": "street", "full_name": f"Test City {w} Ward"}) for w in ("North", "South", "East")}
    council = Node(node_id("Mechanism", "Neighbour Council"), "Mechanism", "Neighbour Council")
    desk = Node(node_id("Mechanism", "Grid Desk"), "Mechanism", "Grid Desk")
    talk = Node(node_id("Category", "Talk"), "Category", "Talk", [], {"name_en": "deliberation"})
    grid = Node(node_id("Category", "Grid"), "Category", "Grid", [], {"name_en": "grids"})
    theme = Node(node_id("Theme", "Test theme"), "Theme", "Test theme", [], {"name_en": "Test theme"})
    edges = [
        *(Edge("PART_OF", w.id, city.id, [_sentence(f"{k} Ward")]) for k, w in wards.items()),
        Edge("ADOPTS", wards["North"].id, council.id, [_sentence("North Ward runs")]),
        Edge("ADOPTS", wards["South"].id, council.id, [_sentence("South Ward also")]),
        Edge("ADOPTS", wards["South"].id, desk.id, [_sentence("South Ward also")]),
        Edge("ADOPTS", wards["East"].id, desk.id, [_sentence("East Ward runs")]),
        Edge("IN_CATEGORY", council.id, talk.id, [_sentence("North Ward runs")], {"cue": "Council"}),
        Edge("IN_CATEGORY", desk.id, grid.id, [_sentence("East Ward runs")], {"cue": "Grid"}),
        Edge("UNDER_THEME", wards["North"].id, theme.id, [_sentence("North Ward runs")]),
    ]
    doc = Document(DOC, "english-test.txt", "An English test text", "test", "", "2020", TEXT)
    return GraphDocument([doc], [city, *wards.values(), council, desk, talk, grid, theme], edges)


pytestmark = pytest.mark.usefixtures("fresh_streamlit_caches")  # app_testing.py


@pytest.fixture()
def english_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GraphDocument:
    graph = english_graph()
    assert graph.problems() == []
    point_app_at(monkeypatch, write_store(tmp_path / "en.lbdb", graph))
    return graph


def everything_shown(at: AppTest) -> list[str]:
    """Every text, widget label, option, table, chart and picture legend: all a reader sees."""
    shown: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        shown.extend(str(el.value) for el in getattr(at, kind))
    shown.extend(t.value.to_string() for t in at.table)
    shown.extend(f"{m.label} {m.value}" for m in at.metric)
    shown.extend(html_blocks(at))
    shown.extend(widget_labels(at))
    for kind in ("selectbox", "multiselect"):
        for widget in getattr(at, kind):
            shown.extend(str(o) for o in widget.options)
    for frame in at.dataframe:
        shown.append(frame.value.to_string())
    for chart in at.get("vega_lite_chart"):
        shown.append(str(chart.proto.spec))
    for picture in iframes(at):
        legend = re.search(r'<div class="govkg-legend".*?</div>', picture, re.DOTALL)
        shown.append(legend.group(0) if legend else "")
    own_names = {str(o) for o in at.radio(key="lang").options}  # each language named in itself
    # A saved query's default value is data its author wrote (a zone's name), offered as written.
    defaults = {str(p.default) for q in load_saved_queries().values() for p in q.params}
    return [s for s in shown if s not in own_names and s not in defaults]


VIEWS: list[tuple[str, dict[str, str]]] = [
    ("app.py", {}),
    ("pages/1_Graph.py", {}),
    ("pages/2_Node.py", {"node": node_id("Zone", "Test City South Ward")}),
    ("pages/3_Saved_queries.py", {"query": "zone_mechanisms", "p_zone": "South Ward", "run": "1"}),
    ("pages/4_Similar_zones.py", {"zone": node_id("Zone", "Test City South Ward")}),
    ("pages/4_Similar_zones.py", {"zone": node_id("Zone", "Test City South Ward"), "view": "compare"}),
    ("pages/4_Similar_zones.py", {"zone": node_id("Zone", "Test City South Ward"), "view": "families"}),
    ("pages/4_Similar_zones.py", {"zone": node_id("Zone", "Test City South Ward"), "view": "families",
                                  "families": "network"}),
    ("pages/5_Load.py", {}),
    ("pages/6_Corrections.py", {}),
    ("pages/8_Map.py", {}),
    ("pages/8_Map.py", {"colour": "year", "level": "street"}),
]


@pytest.mark.parametrize(("script", "params"), VIEWS, ids=[f"{v[0]}?{'&'.join(v[1].values())}" for v in VIEWS])
def test_english_pages_show_no_chinese_and_no_message_ids(english_db: GraphDocument, script: str,
                                                          params: dict[str, str]) -> None:
    at = run(script, lang="en", **params)
    assert not at.error, [e.value for e in at.error]
    for text in everything_shown(at):
        assert not CJK.search(text), f"untranslated text on {script}: {CJK.search(text)} in {text[:300]!r}"
        assert not MESSAGE_ID.search(text.replace("govkg.", "")), f"a message id is shown: {text[:300]!r}"


def test_an_english_bad_upload_is_explained_in_english(english_db: GraphDocument) -> None:
    at = page("pages/5_Load.py")
    at.query_params["lang"] = "en"
    at.run()
    uploader(at).set_value(("notes.docx", b"PK\x03\x04 not a case file", "application/zip"))
    at.run()
    assert at.error and not CJK.search(at.error[0].value)
    assert at.error[0].value.startswith(tr("msg.load.bad_file", "en", name="notes\\.docx", problem="")[:30])


@pytest.mark.parametrize("script", PAGES)
def test_chinese_page_titles_are_chinese(english_db: GraphDocument, script: str) -> None:
    at = run(script, lang="zh")
    title = at.title[0].value
    assert title == tr(TITLES[script], "zh")
    assert CJK.search(title) and not re.search(r"[A-Za-z]", title.replace("govkg", ""))
    labels = [str(p.proto.label) for p in at.get("page_link")] or [m.value for m in at.sidebar.markdown][1:]
    assert all(CJK.search(label) for label in labels), labels


def test_links_reproduce_each_view(english_db: GraphDocument) -> None:
    """A view's state goes into the URL as it is chosen; opening that URL gives the same view."""
    south = node_id("Zone", "Test City South Ward")
    north = node_id("Zone", "Test City North Ward")

    explore = page("pages/2_Node.py").run()
    explore.text_input(key="node_search").input("South Ward").run()
    explore.slider(key="depth").set_value(2).run()
    copied = dict(explore.query_params)
    assert copied["node"] == south and copied["depth"] == "2"
    reopened = run("pages/2_Node.py", **{k: str(v) for k, v in copied.items()})
    assert reopened.header[0].value == explore.header[0].value and iframes(reopened) == iframes(explore)

    similar = run("pages/4_Similar_zones.py", zone=south, lang="en", view="compare")
    similar.selectbox(key="other").set_value(north).run()
    similar.slider(key="top").set_value(2).run()
    copied = {k: str(v) for k, v in similar.query_params.items()}
    assert copied == {"zone": south, "other": north, "top": "2", "lang": "en", "view": "compare"}
    again = run("pages/4_Similar_zones.py", **copied)
    assert again.selectbox(key="other").value == north
    assert texts(again) == texts(similar)

    queries = run("pages/3_Saved_queries.py", lang="en")
    queries.selectbox(key="query").set_value("zone_mechanisms").run()
    queries.selectbox(key="param__zone_mechanisms__zone").set_value("South Ward").run()
    queries.button(key="run_query").click().run()
    copied = {k: str(v) for k, v in queries.query_params.items()}
    assert copied == {"query": "zone_mechanisms", "p_zone": "South Ward", "run": "1", "lang": "en"}
    shared = run("pages/3_Saved_queries.py", **copied)  # no click: the link shows the result
    assert shared.dataframe[0].value.equals(queries.dataframe[0].value)
