"""Node page: find a node by name or alias, see its neighbourhood, properties, aliases, and the evidence
sentences of its relationships with the documents they come from. `?node=<id>` opens a node directly."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from govkg import app_support as ui
from graph.visual import render_graph

HEIGHT_PX = 520
NEIGHBOURHOOD_LIMIT = 200
EVIDENCE_SHOWN = 200

ui.page_setup("node.title")
store = ui.require_store()

with ui.reporting_errors():
    key = ui.store_key(ui.current_settings())
    entries = ui.cached_node_entries(key, ui.data_version(store), store)
    by_id = {e.id: e for e in entries}

    search_col, depth_col = st.columns([3, 1])
    query = search_col.text_input(ui.t("node.search"), help=ui.t("node.search_help"), key="node_search")
    ui.restore_choice("depth", [1, 2, 3])
    depth = int(depth_col.slider(ui.t("node.depth"), 1, 3, key="depth"))
    ui.remember_choice("depth", depth, 1)
    matches = [e.id for e in ui.search_nodes(entries, query)]
    # On arrival the page opens on the linked node, else the zone with the most mechanisms; with the
    # search cleared, the node in hand stays offered.
    preferred = None
    if not query:
        preferred = st.session_state.get("node") or st.query_params.get("node") or ui.busiest_zone(store)
        if preferred in by_id and preferred not in matches:
            matches.insert(0, preferred)
    if not matches:
        st.info(ui.t("node.no_match", query=ui.md_escape(query)) if query else ui.t("msg.store_empty"))
        st.stop()
    ui.restore_choice("node", matches)
    chosen = st.selectbox(ui.t("node.pick"), matches, index=ui.initial_index("node", matches, preferred),
                          format_func=lambda i: by_id[i].caption(), key="node")
    ui.remember_choice("node", chosen)
    node = store.node(chosen) if chosen else None
    if node is None:
        st.warning(ui.t("node.not_found", node=ui.md_escape(str(chosen))))
        st.stop()

    st.header(f"{ui.md_escape(node.name)} · {ui.label_name(node.label)}")
    info_col, picture_col = st.columns([1, 2])
    with info_col:
        st.subheader(ui.t("node.properties"))
        rows = ui.property_rows(node)
        st.table(pd.DataFrame({ui.t("col.property"): [r[0] for r in rows], ui.t("col.value"): [r[1] for r in rows]}),
                 hide_index=True)
        st.subheader(ui.t("node.aliases"))
        st.markdown(" · ".join(ui.md_escape(a) for a in node.aliases) if node.aliases else ui.t("node.no_aliases"))
    with picture_col:
        st.subheader(ui.t("node.neighbourhood"))
        st.caption(ui.t("graph.hint"))
        around = store.neighbourhood(node.id, depth=depth, limit=NEIGHBOURHOOD_LIMIT)
        ui.show_graph(
            render_graph(around, label_names=ui.label_names_now(), edge_names=ui.edge_names_now(), focus=node.id,
                         height_px=HEIGHT_PX, node_page=ui.NODE_PAGE),
            HEIGHT_PX,
        )

    st.subheader(ui.t("node.evidence"))
    titles = {str(d["id"]): str(d.get("title") or d.get("path") or d["id"]) for d in ui.documents(store)}
    evidence = ui.evidence_rows(around, node.id, titles)
    if not evidence:
        st.caption(ui.t("node.no_edges"))
    for row in evidence[:EVIDENCE_SHOWN]:
        arrow = "→" if row.outgoing else "←"
        st.markdown(f"**{ui.md_escape(ui.edge_name(row.edge_type))}** {arrow} "
                    f"{ui.md_escape(row.other_name)} ({ui.md_escape(ui.label_name(row.other_label))})")
        if row.sentence:
            st.markdown(f"> {ui.md_escape(row.sentence)}")
            st.caption(f"{ui.t('node.document')}: {ui.md_escape(row.document_title)} · "
                       f"{ui.t('node.offsets')} {row.start}–{row.end}")
        else:
            st.caption(ui.t("node.no_evidence"))
    if len(evidence) > EVIDENCE_SHOWN:
        st.caption(ui.t("node.more_edges", count=len(evidence) - EVIDENCE_SHOWN))
