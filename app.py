"""govkg overview page: what the store holds, by label and relationship type; the mechanism categories
by zone and by zone level; the documents loaded and when.

Run with `govkg demo`, or `streamlit run app.py` with GOVKG_DB (or GOVKG_STORE=neo4j and NEO4J_*) set;
both listen on 127.0.0.1 only (.streamlit/config.toml).
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from govkg.app import caches, connection, error_display, overview_tables, page_frame
from govkg.app.facet_view import facet_choices
from govkg.app.language import language, level_name, t
from govkg.app.overview import by_level, by_zone, category_colours, top_zones

CHART_ZONES = 25  # zones drawn in the chart by zone: the ones with the most categorised mechanisms
LEGEND_ROW_PX = 20  # a chart is at least as tall as its category legend, which Vega-Lite would clip



def stacked_bars(frame: pd.DataFrame, row: str, row_title: str, height: int,
                 colours: tuple[list[str], list[str]]) -> alt.Chart:  # fmt: skip
    """Horizontal bars, one per zone or level, stacked by category (`colours`: names and their colours,
    the same in every language), legend on the right."""
    order = list(dict.fromkeys(frame[row]))
    return alt.Chart(frame).mark_bar().encode(
        y=alt.Y(f"{row}:N", sort=order, title=row_title, axis=alt.Axis(labelLimit=220)),
        x=alt.X("sum(mechanisms):Q", title=t("col.mechanisms"), axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("category:N", title=t("col.category"), scale=alt.Scale(domain=colours[0], range=colours[1]),
                        legend=alt.Legend(orient="right", labelLimit=260)),
        tooltip=[alt.Tooltip(f"{row}:N", title=row_title), alt.Tooltip("category:N", title=t("col.category")),
                 alt.Tooltip("mechanisms:Q", title=t("col.mechanisms"))],
    ).properties(height=max(120, height, LEGEND_ROW_PX * frame["category"].nunique() + 30))


page_frame.page_setup("app.title")
st.markdown(t("msg.app.intro"))
with st.container(border=True):
    st.markdown(f"**{t('overview.glossary')}**\n\n" + overview_tables.glossary_markdown())
store = connection.require_store()

with error_display.reporting_errors():
    label_rows, type_rows = overview_tables.count_tables(store.counts())
    docs = overview_tables.documents(store)
    version = caches.cached_version(*caches.cache_key(store), store)

    total, relationships, loaded, latest = st.columns(4)
    total.metric(t("overview.total_nodes"), sum(r.count for r in label_rows if r.name != "Document"))
    relationships.metric(t("overview.total_edges"), sum(r.count for r in type_rows))
    loaded.metric(t("overview.total_documents"), len(docs))
    latest.metric(t("overview.latest_load"), version.latest_loaded_at[:10] or "—",
                  help=f"{version.latest_loaded_at} · " + t("overview.version_help", version=version.digest))
    if not any(r.count for r in label_rows):
        st.info(t("msg.store_empty"))

    left, right = st.columns(2)
    with left:
        st.subheader(t("overview.nodes"))
        st.table(pd.DataFrame({t("col.label"): [r.display for r in label_rows],
                               t("col.count"): [r.count for r in label_rows]}), hide_index=True)
    with right:
        st.subheader(t("overview.edges"))
        st.table(pd.DataFrame({t("col.type"): [r.display for r in type_rows],
                               t("col.count"): [r.count for r in type_rows]}), hide_index=True)

    counts = caches.cached_category_counts(*caches.cache_key(store), store)
    english = language() == "en"
    st.subheader(t("overview.by_zone"))
    if counts:
        zones = top_zones(counts, CHART_ZONES)
        colours = category_colours(counts, english)
        by_zone_rows = pd.DataFrame(by_zone(counts, zones, english))
        st.altair_chart(stacked_bars(by_zone_rows, "zone", t("col.zone"), 26 * len(zones) + 40, colours))
        shown_zones = len({c.zone_id for c in counts})
        caption = t("overview.by_zone_note")
        if shown_zones > len(zones):
            caption += " " + t("overview.by_zone_cut", shown=len(zones), total=shown_zones)
        st.caption(caption)

        st.subheader(t("overview.by_level"))
        levels = pd.DataFrame(by_level(counts, english))
        levels["level"] = [level_name(str(v)) for v in levels["level"]]
        st.altair_chart(stacked_bars(levels, "level", t("col.level"), 34 * levels["level"].nunique() + 40,
                                     colours))  # fmt: skip
        st.caption(t("overview.by_level_note"))
    else:
        st.caption(t("overview.no_categories"))

    st.subheader(t("overview.documents"))
    if docs:
        columns = ["title", "source", "date", "loaded_at", "path"]
        raw = pd.DataFrame([[d.get(c) for c in columns] for d in docs], columns=columns)
        raw["year"] = [str(d)[:4] if d and str(d)[:4].isdigit() else "" for d in raw["date"]]
        raw = facet_choices(raw, {}, scope="documents", columns=("source", "year"), title=t("facets.documents"),
                            headings={"source": t("col.source")})  # fmt: skip
        if len(raw) < len(docs):
            st.caption(t("facets.documents_shown", shown=len(raw), total=len(docs)))
        st.dataframe(raw[columns].set_axis([t(f"col.{c}") for c in columns], axis=1), hide_index=True)
    else:
        st.caption(t("overview.no_documents"))
