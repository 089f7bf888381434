"""Whole-graph page: a pyvis picture of the store, filtered by label and capped in size."""

from __future__ import annotations

import streamlit as st

from govkg import app_support as ui
from graph.visual import cap_graph, picture_nodes, render_graph

HEIGHT_PX = 640

ui.page_setup("graph.title")
store = ui.require_store()

with ui.reporting_errors():
    key = ui.store_key(ui.current_settings())
    graph = ui.cached_snapshot(key, ui.data_version(store), store)
    present = ui.labels_present(graph)
    # Documents and their MENTIONS edges crowd the picture; the reader can add them back.
    default = [lb for lb in present if lb != "Document"] or present
    left, right = st.columns([3, 1])
    chosen = left.multiselect(ui.t("graph.labels"), present, default=default, format_func=ui.label_name,
                              key="labels")
    limit = right.slider(ui.t("graph.max_nodes"), min_value=10, max_value=1000, value=200, step=10,
                         key="max_nodes")
    shown = ui.filter_labels(graph, chosen)
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
