"""Names, evidence and uploads that hold markup appear as text on every page, never as HTML or script.

The store holds tests/xss_case.py's hostile case (written for testing). For each page and view, every
text Streamlit renders as markdown must carry the markup escaped, every st.html block and every pyvis
picture must hold it only as entities, and the hostile names must still be shown (as text)."""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path

import pytest
import xss_case as xss
from app_testing import html_blocks, iframes, page, point_app_at, run, uploader, write_store
from streamlit.testing.v1 import AppTest

from govkg.app.markdown import md_escape
from govkg.graph.ladybug_store import LadybugStore
from govkg.graph.model import GraphDocument
from govkg.i18n import field_names

UNESCAPED_MARKUP = re.compile(r"(?<!\\)<\s*(script|img)", re.IGNORECASE)


pytestmark = pytest.mark.usefixtures("fresh_streamlit_caches")  # app_testing.py


@pytest.fixture()
def hostile_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GraphDocument:
    graph = xss.build_xss_graph()
    assert graph.problems() == []
    point_app_at(monkeypatch, write_store(tmp_path / "hostile.lbdb", graph))
    return graph


def _markdown_texts(at: AppTest) -> list[str]:
    """Every text Streamlit renders as markdown: headings, paragraphs, captions, alerts, expander labels."""
    found: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        found.extend(str(el.value) for el in getattr(at, kind))
    found.extend(str(e.label) for e in at.expander)
    return found


def _picture_texts(page_html: str) -> list[str]:
    """The labels and tooltips pyvis hands to vis-network (which shows tooltips with innerHTML)."""
    out: list[str] = []
    for name in ("nodes", "edges"):
        found = re.search(rf"{name} = new vis\.DataSet\((\[.*?\])\);", page_html, re.DOTALL)
        assert found, f"no {name} in the picture"
        for item in json.loads(found.group(1)):
            out.extend(str(item.get(k, "")) for k in ("label", "title"))
    return out


def assert_inert(at: AppTest) -> None:
    """No markup from data can take effect anywhere on the page."""
    assert not at.exception, [e.value for e in at.exception]
    for text in _markdown_texts(at):
        assert not UNESCAPED_MARKUP.search(text), f"markup reaches markdown: {text[:200]}"
    for block in html_blocks(at):
        for raw in xss.HOSTILE:
            assert raw not in block and "<script" not in block.lower() and "<img" not in block.lower(), block[:300]
    for frame in iframes(at):
        for raw in xss.HOSTILE:
            assert raw not in frame, "a raw tag from data reached a picture's source"
        # Labels are drawn on a canvas and tooltips set with innerText (vis-network 9): never the
        # innerHTML popup pyvis can switch to.
        assert "popup.innerHTML" not in frame


def _shown(at: AppTest) -> str:
    parts = _markdown_texts(at) + html_blocks(at) + [t.value.to_string() for t in at.table]
    for frame in iframes(at):
        parts.extend(_picture_texts(frame))
    return "\n".join(parts)


VIEWS: list[tuple[str, dict[str, str]]] = [
    ("app.py", {}),
    ("pages/1_Graph.py", {"labels": "Zone,Organisation,Mechanism,Policy,Document,Category,Theme"}),
    ("pages/2_Node.py", {"node": xss.ZONE, "depth": "2"}),
    ("pages/2_Node.py", {"node": xss.MECHANISM}),
    ("pages/2_Node.py", {"node": xss.ORGANISATION}),
    ("pages/2_Node.py", {"node": xss.XSS_DOC}),
    ("pages/3_Saved_queries.py", {"query": "zone_mechanisms", "p_zone": f"{xss.SCRIPT}街道", "run": "1"}),
    ("pages/3_Saved_queries.py", {"query": "evidence_search", "p_text": "议事会", "run": "1"}),
    ("pages/4_Similar_zones.py", {"zone": xss.ZONE}),
    ("pages/4_Similar_zones.py", {"zone": xss.ZONE, "other": xss.OTHER_ZONE, "view": "compare"}),
    ("pages/4_Similar_zones.py", {"zone": xss.OTHER_ZONE, "lang": "en", "view": "families"}),
    ("pages/4_Similar_zones.py", {"zone": xss.OTHER_ZONE, "view": "families", "families": "network"}),
    ("pages/4_Similar_zones.py", {"zone": xss.OTHER_ZONE, "view": "families", "families": "table"}),
    ("pages/5_Load.py", {}),
    ("pages/7_Search.py", {"q": "议事会"}),
    ("pages/7_Search.py", {"q": xss.IMG, "lang": "en"}),
    ("pages/7_Search.py", {"q": xss.SCRIPT}),
]


@pytest.mark.parametrize(("script", "params"), VIEWS, ids=[f"{s}?{'&'.join(p)}" for s, p in VIEWS])
def test_markup_in_data_stays_text(hostile_db: GraphDocument, script: str, params: dict[str, str]) -> None:
    at = run(script, **params)
    assert_inert(at)


def test_hostile_names_are_shown_as_text(hostile_db: GraphDocument) -> None:
    node = run("pages/2_Node.py", node=xss.ZONE)
    assert node.header[0].value.startswith(md_escape(f"{xss.SCRIPT}街道"))  # escaped, so shown literally
    assert html.escape(xss.IMG) in _shown(node)  # the alias, the evidence
    tooltip = next(t for t in _picture_texts(iframes(node)[0]) if t.startswith(f"{xss.SCRIPT}街道"))
    assert xss.IMG in tooltip  # the alias, as text

    similar = run("pages/4_Similar_zones.py", zone=xss.ZONE, other=xss.OTHER_ZONE, view="compare")
    assert md_escape(f"{xss.IMG}议事会") in _shown(similar)  # the shared mechanism, as text

    queried = run("pages/3_Saved_queries.py", query="zone_mechanisms", p_zone=f"{xss.SCRIPT}街道", run="1")
    assert list(queried.dataframe[0].value[field_names()["mechanism"]]) == [f"{xss.IMG}议事会"]  # the raw text


def test_an_uploaded_hostile_text_is_previewed_as_text(hostile_db: GraphDocument) -> None:
    at = page("pages/5_Load.py").run()
    uploader(at).set_value(("hostile.txt", xss.XSS_UPLOAD.encode("utf-8"), "text/plain"))
    at.run()
    assert_inert(at)
    preview = "\n".join(html_blocks(at))
    assert html.escape(f"{xss.SCRIPT}议事会") in preview and html.escape(f"{xss.IMG}互助组") in preview
    # The hostile mechanism is highlighted as an entity: inside a <mark>, escaped.
    assert re.search(r"<mark[^>]*>" + re.escape(html.escape(f"{xss.SCRIPT}议事会")) + "</mark>", preview)


def test_ad_hoc_cypher_cannot_write_markup_into_the_store(hostile_db: GraphDocument) -> None:
    at = run("pages/3_Saved_queries.py")
    at.text_area(key="cypher").input(f"CREATE (z:Zone {{id: 'x', name: '{xss.SCRIPT}'}})").run()
    at.button(key="run_cypher").click().run()
    assert at.error, "the write was not refused"
    assert_inert(at)
    with LadybugStore(Path(os.environ["GOVKG_DB"]), read_only=True) as store:
        assert store.counts()["Zone"] == sum(1 for n in hostile_db.nodes if n.label == "Zone")
