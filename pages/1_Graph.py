"""Whole-graph page: a pyvis picture of the store, filtered by label, category, theme and zone level,
and capped in size (with a message when the cap cuts)."""

from __future__ import annotations

import streamlit as st

from govkg.app import caches, connection, error_display, page_frame, pictures, url_state
from govkg.app.explore import filter_graph
from govkg.app.language import edge_names_now, label_names_now, t
from govkg.graph.visual import cap_graph, picture_nodes, render_graph

HEIGHT_PX = 640

page_frame.page_setup("graph.title")
store = connection.require_store()

with error_display.reporting_errors():
    graph = caches.cached_snapshot(*caches.cache_key(store), store)
    present = pictures.labels_present(graph)
    # Documents and their MENTIONS edges crowd the picture; the reader can add them back.
    default = [lb for lb in present if lb != "Document"] or present
    filters = pictures.filter_controls(store, present, default)
    url_state.restore_choice("max_nodes", range(10, 1001, 10))
    limit = int(st.slider(t("graph.max_nodes"), min_value=10, max_value=1000, step=10, key="max_nodes",
                          value=url_state.widget_default("max_nodes", 200)))
    url_state.remember_choice("max_nodes", limit, 200)
    shown = filter_graph(pictures.filter_labels(graph, list(filters.labels)), filters,
                         caches.cached_membership(*caches.cache_key(store), store))
    if not picture_nodes(shown):
        st.info(t("graph.nothing"))
        st.stop()
    capped = cap_graph(shown, limit)
    if capped.cut:
        st.warning(t("msg.graph.cut", total=capped.total, shown=limit))
    drawn = capped.graph
    st.caption(t("graph.summary", nodes=len(picture_nodes(drawn)), edges=len(drawn.edges))
               + " " + t("graph.hint"))
    pictures.show_graph(
        render_graph(drawn, label_names=label_names_now(), edge_names=edge_names_now(), height_px=HEIGHT_PX,
                     node_page=page_frame.NODE_PAGE, words=pictures.picture_words()),
        HEIGHT_PX,
    )
