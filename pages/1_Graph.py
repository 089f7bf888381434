"""Whole-graph page: a pyvis picture of the store, filtered by label, category, theme and zone level,
and capped in size (with a message when the cap cuts)."""

from __future__ import annotations

import streamlit as st

from govkg.app import support as ui
from govkg.app.explore import filter_graph
from govkg.graph.visual import cap_graph, picture_nodes, render_graph

HEIGHT_PX = 640

ui.page_setup("graph.title")
store = ui.require_store()

with ui.reporting_errors():
    graph = ui.cached_snapshot(*ui.cache_key(store), store)
    present = ui.labels_present(graph)
    # Documents and their MENTIONS edges crowd the picture; the reader can add them back.
    default = [lb for lb in present if lb != "Document"] or present
    filters = ui.filter_controls(store, present, default)
    ui.restore_choice("max_nodes", range(10, 1001, 10))
    limit = int(st.slider(ui.t("graph.max_nodes"), min_value=10, max_value=1000, step=10, key="max_nodes",
                          value=ui.widget_default("max_nodes", 200)))
    ui.remember_choice("max_nodes", limit, 200)
    shown = filter_graph(ui.filter_labels(graph, list(filters.labels)), filters,
                         ui.cached_membership(*ui.cache_key(store), store))
    if not picture_nodes(shown):
        st.info(ui.t("graph.nothing"))
        st.stop()
    capped = cap_graph(shown, limit)
    if capped.cut:
        st.warning(ui.t("msg.graph.cut", total=capped.total, shown=limit))
    drawn = capped.graph
    st.caption(ui.t("graph.summary", nodes=len(picture_nodes(drawn)), edges=len(drawn.edges))
               + " " + ui.t("graph.hint"))
    ui.show_graph(
        render_graph(drawn, label_names=ui.label_names_now(), edge_names=ui.edge_names_now(), height_px=HEIGHT_PX,
                     node_page=ui.NODE_PAGE),
        HEIGHT_PX,
    )
