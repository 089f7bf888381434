"""govkg overview page: what the store holds, by label and relationship type; the mechanism categories
by zone and by zone level; the documents loaded and when.

Run with `govkg demo`, or `streamlit run app.py` with GOVKG_DB (or GOVKG_STORE=neo4j and NEO4J_*) set;
both listen on 127.0.0.1 only (.streamlit/config.toml).
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from govkg.app import support as ui
from govkg.app.overview import by_level, by_zone, top_zones

CHART_ZONES = 25  # zones drawn in the chart by zone: the ones with the most categorised mechanisms
LEGEND_ROW_PX = 20  # a chart is at least as tall as its category legend, which Vega-Lite would clip



def stacked_bars(frame: pd.DataFrame, row: str, row_title: str, height: int) -> alt.Chart:
    """Horizontal bars, one per zone or level, stacked by category, legend on the right."""
    order = list(dict.fromkeys(frame[row]))
    return alt.Chart(frame).mark_bar().encode(
        y=alt.Y(f"{row}:N", sort=order, title=row_title, axis=alt.Axis(labelLimit=220)),
        x=alt.X("sum(mechanisms):Q", title=ui.t("col.mechanisms"), axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("category:N", title=ui.t("col.category"), scale=alt.Scale(scheme="tableau20"),
                        legend=alt.Legend(orient="right", labelLimit=260)),
        tooltip=[alt.Tooltip(f"{row}:N", title=row_title), alt.Tooltip("category:N", title=ui.t("col.category")),
                 alt.Tooltip("mechanisms:Q", title=ui.t("col.mechanisms"))],
    ).properties(height=max(120, height, LEGEND_ROW_PX * frame["category"].nunique() + 30))


ui.page_setup("app.title")
st.markdown(ui.t("msg.app.intro"))
with st.container(border=True):
    st.markdown(f"**{ui.t('overview.glossary')}**\n\n" + ui.glossary_markdown())
store = ui.require_store()

with ui.reporting_errors():
    label_rows, type_rows = ui.count_tables(store.counts())
    docs = ui.documents(store)
    version = ui.cached_version(*ui.cache_key(store), store)

    total, relationships, loaded, latest = st.columns(4)
    total.metric(ui.t("overview.total_nodes"), sum(r.count for r in label_rows if r.name != "Document"))
    relationships.metric(ui.t("overview.total_edges"), sum(r.count for r in type_rows))
    loaded.metric(ui.t("overview.total_documents"), len(docs))
    latest.metric(ui.t("overview.latest_load"), version.latest_loaded_at[:10] or "—",
                  help=f"{version.latest_loaded_at} · " + ui.t("overview.version_help", version=version.digest))
    if not any(r.count for r in label_rows):
        st.info(ui.t("msg.store_empty"))

    left, right = st.columns(2)
    with left:
        st.subheader(ui.t("overview.nodes"))
        st.table(pd.DataFrame({ui.t("col.label"): [r.display for r in label_rows],
                               ui.t("col.count"): [r.count for r in label_rows]}), hide_index=True)
    with right:
        st.subheader(ui.t("overview.edges"))
        st.table(pd.DataFrame({ui.t("col.type"): [r.display for r in type_rows],
                               ui.t("col.count"): [r.count for r in type_rows]}), hide_index=True)

    counts = ui.cached_category_counts(*ui.cache_key(store), store)
    english = ui.language() == "en"
    st.subheader(ui.t("overview.by_zone"))
    if counts:
        zones = top_zones(counts, CHART_ZONES)
        by_zone_rows = pd.DataFrame(by_zone(counts, zones, english))
        st.altair_chart(stacked_bars(by_zone_rows, "zone", ui.t("col.zone"), 26 * len(zones) + 40))
        shown_zones = len({c.zone_id for c in counts})
        caption = ui.t("overview.by_zone_note")
        if shown_zones > len(zones):
            caption += " " + ui.t("overview.by_zone_cut", shown=len(zones), total=shown_zones)
        st.caption(caption)

        st.subheader(ui.t("overview.by_level"))
        levels = pd.DataFrame(by_level(counts, english))
        levels["level"] = [ui.level_name(str(v)) for v in levels["level"]]
        st.altair_chart(stacked_bars(levels, "level", ui.t("col.level"), 34 * levels["level"].nunique() + 40))
        st.caption(ui.t("overview.by_level_note"))
    else:
        st.caption(ui.t("overview.no_categories"))

    st.subheader(ui.t("overview.documents"))
    if docs:
        columns = ["title", "source", "date", "loaded_at", "path"]
        frame = pd.DataFrame([[d.get(c) for c in columns] for d in docs],
                             columns=[ui.t(f"col.{c}") for c in columns])
        st.dataframe(frame, hide_index=True)
    else:
        st.caption(ui.t("overview.no_documents"))
