"""The views researchers expect (issue 14) in a real browser (Debian's headless Chromium), on both
engines, in Chinese and in English, each opened from a link that holds its state: the map (coloured
by category, then by year for streets only; closed in on the zones shown or all of China), a mechanism's
timeline with its diffusion arrows, the whole-graph picture narrowed to two relationship types, a saved
query, the search hits, the node picker and the similar-zones ranking narrowed by facets, and a
full-text search; and one press of Back leaving a page reached from the sidebar.
Screenshots: test-output/screenshots/views-*.png."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from app_serving import serving
from conftest import MECH, build_small_graph
from neo4j_fixture import Neo4jTarget, clear_database, neo4j_settings
from playwright.sync_api import Browser, Dialog, Page
from test_browser import browser  # noqa: F401 (the fixture: one headless Chromium a module)
from test_browser_corrections import SCREENSHOTS, WAIT_MS, idle
from test_browser_pictures import _picture
from test_timeline import timed

from govkg.graph.factory import StoreSettings, open_store
from govkg.graph.places import zone_places_from_store
from govkg.graph.timeline import adoptions_from_store, diffusion
from govkg.i18n import tr
from govkg.resources import BUNDLED_CASES_DIR, BUNDLED_CORPUS_DIR
from govkg.services.loading import load_paths

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[StoreSettings]:
    """A store of each engine holding the bundled cases and article, loaded once for the module's tests,
    which only read it."""
    target: Neo4jTarget | None = None
    if request.param == "embedded":
        settings = StoreSettings(db_path=tmp_path_factory.mktemp("views") / "store.lbdb")
    else:
        target = request.getfixturevalue("neo4j_target")
        clear_database(target)
        settings = neo4j_settings(target)
    load_paths(settings, [BUNDLED_CASES_DIR, BUNDLED_CORPUS_DIR])
    with open_store(settings) as held:  # the bundled texts give few years: add the timed test graph
        held.write(timed(build_small_graph()))
    yield settings
    if target is not None:
        clear_database(target)


@pytest.fixture(scope="module")
def url(store: StoreSettings) -> Iterator[str]:
    """The app served over the module's store, once an engine."""
    with serving(store) as served:
        yield served


def opened(browser: Browser, url: str) -> Page:  # noqa: F811
    page = browser.new_page(viewport={"width": 1400, "height": 1600})
    dialogs: list[str] = []

    def seen(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", seen)
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_text("govkg").first.wait_for(timeout=WAIT_MS)
    idle(page)
    assert not dialogs, dialogs
    assert page.locator("[data-testid='stException']").count() == 0, "the page raised"
    return page


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"views-{name}.png"), full_page=True)


def chart_drawn(page: Page) -> None:
    page.locator("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg").first.wait_for(
        timeout=WAIT_MS)


def test_map_timeline_facets_and_search_in_both_languages(browser: Browser, store: StoreSettings,  # noqa: F811
                                                          url: str) -> None:
    with open_store(store) as held:
        every = zone_places_from_store(held)
        assert diffusion(adoptions_from_store(held, mechanism_id=MECH["友邻议事会"]))  # its arrow
    places = [p for p in every if p.placed]
    exact = sum(p.exact for p in places)
    streets = [p for p in every if p.level == "street"]
    placed_streets = sum(p.placed for p in streets)
    engine = store.engine
    for lang in ("zh", "en"):
        # The map, from a link; then coloured by year, streets only (the link holds both).
        page = opened(browser, f"{url}/Map?lang={lang}")
        chart_drawn(page)
        summary = tr("map.summary", lang, shown=len(places), exact=exact, above=len(places) - exact,
                     unplaced=len(every) - len(places))  # fmt: skip
        page.get_by_text(summary, exact=True).first.wait_for(timeout=WAIT_MS)
        shot(page, f"{engine}-map-{lang}")
        page.close()
        page = opened(browser, f"{url}/Map?lang={lang}&colour=year&level=street")
        chart_drawn(page)
        summary = tr("map.summary", lang, shown=placed_streets, exact=0, above=placed_streets,
                     unplaced=len(streets) - placed_streets)  # fmt: skip
        page.get_by_text(summary, exact=True).first.wait_for(timeout=WAIT_MS)
        shot(page, f"{engine}-map-streets-by-year-{lang}")
        page.close()

        # A mechanism's timeline, with the diffusion its adoptions show.
        page = opened(browser, f"{url}/Node?node={quote(MECH['友邻议事会'], safe='')}&lang={lang}")
        page.get_by_text(tr("node.timeline", lang), exact=True).first.wait_for(timeout=WAIT_MS)
        chart_drawn(page)
        assert page.get_by_text(tr("node.diffusion", lang, items="")[:8], exact=False).count() >= 1
        shot(page, f"{engine}-timeline-{lang}")
        page.close()

        # A saved query narrowed by a facet, from a link.
        page = opened(browser, f"{url}/Saved_queries?lang={lang}&query=zones_overview&run=1&f_level=street")
        page.get_by_text(tr("facets.title", lang), exact=False).first.wait_for(timeout=WAIT_MS)
        narrowed = tr("facets.shown", lang, shown=len(streets), total=len(every))
        page.get_by_text(narrowed, exact=True).first.wait_for(timeout=WAIT_MS)
        shot(page, f"{engine}-facets-{lang}")
        page.close()

        # The whole-graph picture, from a link that holds its size and relationship types.
        page = opened(browser, f"{url}/Graph?lang={lang}&max_nodes=60&rels=ADOPTS,IN_CATEGORY")
        drawn = _picture(page).evaluate(
            "() => new Set(network.body.data.edges.get().map(e => e.relType)).size")
        assert drawn == 2  # only the two relationship types the link names
        shot(page, f"{engine}-graph-{lang}")
        page.close()

        # Full-text search for a word of the evidence, from a link.
        page = opened(browser, f"{url}/Search?lang={lang}&q={quote('议事')}")
        page.locator("mark").first.wait_for(timeout=WAIT_MS)  # the match highlighted in its sentence
        shot(page, f"{engine}-search-{lang}")
        page.close()


def test_facets_on_lists_the_map_closing_in_and_one_back_leaving_a_page(browser: Browser,  # noqa: F811
                                                                         store: StoreSettings, url: str) -> None:
    from govkg.app.similar_display import busiest_zone
    from govkg.app.text_search_view import FACETED
    from govkg.graph.similarity import similar_zones
    from govkg.graph.text_search import search_from_store

    with open_store(store) as held:
        levels = {str(r[0]): str(r[1]) for r in held.read("MATCH (z:Zone) RETURN z.id, z.level").rows}
        ranked = similar_zones(held, str(busiest_zone(held)), top=10).similar
        found = search_from_store(held, "议事", top=FACETED)
    mechanisms = sum(h.label == "Mechanism" for h in found)
    assert 0 < mechanisms < len(found)
    by_level = Counter(levels[r.zone_id] for r in ranked)
    assert len(by_level) >= 2, by_level  # the ranking holds zones of two levels at least: a facet to use
    level = by_level.most_common()[-1][0]
    engine = store.engine
    for lang in ("zh", "en"):
        # The similar-zones ranking narrowed to one level, from a link.
        page = opened(browser, f"{url}/Similar_zones?lang={lang}&f_level={level}")
        narrowed = tr("facets.similar_shown", lang, shown=by_level[level], total=len(ranked))
        page.get_by_text(narrowed, exact=True).first.wait_for(timeout=WAIT_MS)
        shot(page, f"{engine}-similar-facets-{lang}")
        page.close()
        # Search hits narrowed to mechanisms; the node picker to streets.
        page = opened(browser, f"{url}/Search?lang={lang}&q={quote('议事')}&f_kind=Mechanism")
        narrowed = tr("search.shown", lang, shown=mechanisms, total=len(found))
        page.get_by_text(narrowed, exact=True).first.wait_for(timeout=WAIT_MS)
        page.locator("mark").first.wait_for(timeout=WAIT_MS)
        shot(page, f"{engine}-search-facets-{lang}")
        page.close()
        page = opened(browser, f"{url}/Node?lang={lang}&f_level=street")
        page.get_by_text(tr("facets.nodes", lang), exact=True).first.wait_for(timeout=WAIT_MS)
        shot(page, f"{engine}-node-facets-{lang}")
        page.close()
        # The map closes in on the zones shown; all of China on request.
        for extent in ("zones", "china"):
            page = opened(browser, f"{url}/Map?lang={lang}&level=street&extent={extent}")
            chart_drawn(page)
            shot(page, f"{engine}-map-{extent}-{lang}")
            page.close()

    # A page reached from the sidebar is in the reader's language (English only, not both), its URL
    # says so, and one press of Back leaves it (it changed nothing in the URL on arrival).
    page = opened(browser, f"{url}/?lang=en")
    home = page.url
    for nav, title, path in (("nav.similar", "similar.title", "Similar_zones"), ("nav.node", "node.title", "Node"),
                             ("nav.queries", "queries.title", "Saved_queries")):  # fmt: skip
        page.get_by_role("link", name=tr(nav, "en"), exact=True).first.click()
        page.get_by_role("heading", name=tr(title, "en"), exact=True).first.wait_for(timeout=WAIT_MS)
        idle(page)
        assert page.url == f"{url}/{path}?lang=en"
        page.go_back()
        page.wait_for_url(home, timeout=WAIT_MS)
        page.get_by_role("heading", name=tr("app.title", "en"), exact=True).first.wait_for(timeout=WAIT_MS)
    page.close()
