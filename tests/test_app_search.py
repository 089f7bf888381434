"""The Search page (pages/7_Search.py) with AppTest against a real embedded store holding the search graph
(tests/search_testing.py: every text in it WRITTEN FOR TESTING, about invented places)."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from app_testing import html_blocks, point_app_at, run, texts, write_store
from search_testing import DOC_A, EAST, HALL, NORTH, later_graph, search_graph

from govkg.app.markdown import md_escape
from govkg.graph.ladybug_store import LadybugStore
from govkg.graph.text_index_cache import forget_indexes
from govkg.graph.text_search import MAX_QUERY_CHARS
from govkg.i18n import tr

PAGE = "pages/7_Search.py"
pytestmark = pytest.mark.usefixtures("fresh_streamlit_caches")  # app_testing.py


@pytest.fixture()
def search_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    forget_indexes()
    db = write_store(tmp_path / "search.lbdb", search_graph())
    point_app_at(monkeypatch, db)
    return db


def marks(at: object) -> list[str]:
    """The highlighted parts of the page's sentences, unescaped."""
    return [html.unescape(m) for block in html_blocks(at) for m in re.findall(r"<mark[^>]*>(.*?)</mark>", block)]  # type: ignore[arg-type]


def test_the_query_in_the_url_shows_hits_with_links_and_highlights(search_db: Path) -> None:
    at = run(PAGE, q="邻里议事厅", lang="en")
    links = [m.value for m in at.markdown]
    # The exact name first, linked to its node page in the reader's language.
    assert links[0].startswith(f"**[{md_escape('邻里议事厅')}](./Node?node={quote(HALL, safe='')}&lang=en)**")
    assert "(Mechanism, name)" in links[0]
    # A sentence that is evidence at the zone and the mechanism and a sentence of its document: once.
    shared = next(m for m in links if quote(NORTH, safe="") in m)
    assert quote(HALL, safe="") in shared and quote(DOC_A, safe="") in shared and "evidence" in shared
    assert "document text" in shared
    assert set(marks(at)) == {"邻里议事厅"}
    assert "Document: 测试文本甲 · characters 20–47" in texts(at)
    assert at.text_input(key="search_q").value == "邻里议事厅"


def test_typing_a_traditional_query_finds_simplified_and_keeps_it_in_the_url(search_db: Path) -> None:
    at = run(PAGE, lang="zh")
    assert tr("msg.search.hint", "zh") in [i.value for i in at.info]
    at.text_input(key="search_q").input("網格管家").run()
    assert not at.exception
    assert at.query_params["q"] == "網格管家"
    assert "網格管家" in marks(at)  # the traditional sentence, its match marked
    assert f"./Node?node={quote(EAST, safe='')}" in "\n".join(m.value for m in at.markdown)
    assert "（机制，名称）" not in texts(at)  # label and where are worded in the reader's language
    assert "(机制, 名称)" in texts(at)


def test_the_label_filter(search_db: Path) -> None:
    at = run(PAGE, q="议事厅", label="Zone", lang="en")
    assert at.selectbox(key="search_label").value == "Zone"
    shown = "\n".join(m.value for m in at.markdown)
    assert quote(NORTH, safe="") in shown and quote(HALL, safe="") not in shown
    at.selectbox(key="search_label").set_value("").run()
    assert "label" not in at.query_params
    assert quote(HALL, safe="") in "\n".join(m.value for m in at.markdown)


def test_no_hits_and_refused_queries_are_said_in_the_readers_language(search_db: Path) -> None:
    at = run(PAGE, q="没有这个词", lang="en")
    assert at.info[0].value == tr("search.no_hits", "en", query="没有这个词")
    at = run(PAGE, q="议" * (MAX_QUERY_CHARS + 1), lang="zh")
    assert at.info[0].value == tr("search.too_long", "zh", count=MAX_QUERY_CHARS + 1, most=MAX_QUERY_CHARS)
    at = run(PAGE, q='""', lang="en")
    assert at.info[0].value == tr("msg.search.hint", "en")
    assert not at.error


@pytest.mark.parametrize("query", ['议事厅"', "*", "~议事", "(议事厅)", "\\", "<script>alert(1)</script>"])
def test_special_characters_and_markup_in_a_query(search_db: Path, query: str) -> None:
    at = run(PAGE, q=query, lang="en")
    assert not at.error
    shown = "\n".join(str(i.value) for i in at.info)
    assert not re.search(r"(?<!\\)<\s*script", shown)  # escaped for markdown: shown as text
    if query == '议事厅"':
        assert marks(at) and set(marks(at)) == {"议事厅"}


def test_a_search_after_a_load_sees_the_new_document(search_db: Path) -> None:
    assert run(PAGE, q="共享菜园").info
    with LadybugStore(search_db) as store:
        store.write(later_graph())
    at = run(PAGE, q="共享菜园", lang="en")
    assert "共享菜园" in marks(at) and not at.info
