"""Saved-queries page: pick a query from queries/, fill its typed parameters with pickers, run it
read-only, see the rows (and a picture when they name nodes), the Cypher, and download CSV or JSON
that record the query, its parameters and the data version. An ad-hoc Cypher box runs read-only.

The URL holds the query (`query`), its parameters (`p_<name>`) and whether it ran (`run=1`), so a
copied link reopens the same result; the ad-hoc box keeps its text in `cypher`."""

from __future__ import annotations

from typing import Any

import streamlit as st

from govkg.app import caches, connection, error_display, page_frame, parameters, pictures, url_state
from govkg.app.facet_view import facet_choices, forget_facets
from govkg.app.facets import with_province
from govkg.app.language import (
    both,
    edge_names_now,
    field_names_now,
    in_language_now,
    label_names_now,
    level_names_now,
    t,
)
from govkg.app.markdown import md_escape
from govkg.app.results import (
    ResultMeta,
    csv_bytes,
    json_with_metadata,
    node_ids_in,
    readable_frame,
    result_frame,
    unique_names,
)
from govkg.errors import GovkgError
from govkg.graph.saved_queries import load_saved_queries, run_saved_query
from govkg.graph.store import GraphStore, QueryResult
from govkg.graph.visual import cap_graph, picture_nodes, render_graph

RESULT_STATE = "saved_query_result"
ADHOC_STATE = "adhoc_result"
ROW_LIMIT = 5000
PICTURE_NODES = 300
HEIGHT_PX = 480


def show_result(store: GraphStore, result: QueryResult, meta: ResultMeta, prefix: str) -> None:
    """Rows, downloads and, when the rows name nodes, a picture of them."""
    frame = result_frame(result)
    if result.truncated:
        st.warning(t("queries.truncated", count=len(frame)))
    if frame.empty:
        st.info(t("queries.no_rows"))
        return
    st.caption(t("queries.rows", count=len(frame)))
    if prefix == "saved":  # a saved query's columns are named for readers; an ad-hoc query's are its author's
        kinds = label_names_now()
        named = {"relationship": edge_names_now(), "level": level_names_now(), "kind": kinds, "other_kind": kinds}
        provinces = caches.cached_provinces(*caches.cache_key(store), store)
        shown = facet_choices(with_province(frame, provinces.by_name), named, scope="queries")
        if len(shown) < len(frame):
            st.caption(t("facets.shown", shown=len(shown), total=len(frame)))
        st.dataframe(readable_frame(shown, field_names_now(), named), hide_index=True)
    else:
        st.dataframe(frame, hide_index=True)
    csv_col, json_col = st.columns(2)
    stem = meta.query.replace("/", "_")
    csv_col.download_button(t("queries.download"), csv_bytes(frame), file_name=f"{stem}.csv",
                            mime="text/csv", on_click="ignore", key=f"{prefix}_download_csv")
    json_col.download_button(t("queries.download_json"), json_with_metadata(result, meta),
                             file_name=f"{stem}.json", mime="application/json", on_click="ignore",
                             key=f"{prefix}_download_json")
    st.caption(t("queries.download_note", version=meta.version.digest))

    entries = caches.cached_node_entries(*caches.cache_key(store), store)
    ids = node_ids_in(result, unique_names((e.name, e.id) for e in entries))
    if not ids:
        return
    graph = caches.graph_of_nodes(store, ids)
    if not picture_nodes(graph):
        return
    st.subheader(t("queries.picture"))
    capped = cap_graph(graph, PICTURE_NODES)
    if capped.cut:
        st.warning(t("msg.graph.cut", total=capped.total, shown=PICTURE_NODES))
    st.caption(t("queries.picture_note", nodes=len(picture_nodes(capped.graph)), edges=len(capped.graph.edges))
               + " " + t("graph.hint"))
    pictures.show_graph(render_graph(capped.graph, label_names=label_names_now(), edge_names=edge_names_now(),
                               height_px=HEIGHT_PX, node_page=page_frame.NODE_PAGE,
                               words=pictures.picture_words()), HEIGHT_PX)


page_frame.page_setup("queries.title")
store = connection.require_store()

with error_display.reporting_errors():
    queries = load_saved_queries()
    if not queries:
        st.info(t("queries.none"))
        st.stop()
    names = sorted(queries)
    url_state.restore_choice("query", names)
    name = st.selectbox(t("queries.pick"), names, key="query",
                        format_func=in_language_now(
                            lambda n: f"{both(queries[n].title_zh, queries[n].title_en)} · {n}"))
    url_state.remember_opening("query", name, names[0])
    query = queries[name]
    chosen_now = url_state.subject_changed("queries", name)  # another query: the last one's state goes
    parameters.forget_other_params(query, chosen_now=chosen_now)
    if chosen_now:
        forget_facets("queries")
    description = both(query.description_zh, query.description_en, paragraph=True)
    if description:
        st.markdown(md_escape(description))

    st.subheader(t("queries.params"))
    values: dict[str, Any] = {param.name: parameters.parameter_input(store, query, param) for param in query.params}
    if not query.params:
        st.caption(t("queries.no_params"))

    held = st.session_state.get(RESULT_STATE)
    if held and held[0] != name:
        url_state.remember_choice("run", None)  # another query: its results wait for Run
    clicked = st.button(t("queries.run"), type="primary", key="run_query")
    if clicked or (st.query_params.get("run") == "1" and not (held and held[:2] == (name, values))):
        # On a copied link (run=1) the result is reproduced without a click.
        try:
            meta = caches.result_meta(store, name, both(query.title_zh, query.title_en), query.bind(values))
            result = run_saved_query(connection.query_store(), name, values, limit=ROW_LIMIT)
            st.session_state[RESULT_STATE] = (name, values, result, meta)
            url_state.remember_choice("run", "1")
        except GovkgError as err:  # a parameter of the wrong type, a query the engine refuses or stopped
            st.session_state.pop(RESULT_STATE, None)
            error_display.show_error(err)
    held = st.session_state.get(RESULT_STATE)
    if held and held[:2] == (name, values):  # results of other parameters would mislead
        show_result(store, held[2], held[3], "saved")

    st.caption(t("queries.cypher", engine=store.engine))
    st.code(query.cypher_for(store.engine), language="cypher")

    with st.expander(t("queries.adhoc"), expanded=bool(st.query_params.get("cypher"))):
        st.caption(t("queries.adhoc_help"))
        if "cypher" not in st.session_state and st.query_params.get("cypher"):
            st.session_state["cypher"] = st.query_params["cypher"]
        statement = st.text_area(t("queries.adhoc_text"), key="cypher", height=120,
                                 placeholder="MATCH (z:Zone)-[r:ADOPTS]->(m:Mechanism) RETURN z, r, m LIMIT 25")
        url_state.remember_choice("cypher", statement.strip() or None)
        if st.button(t("queries.run_adhoc"), key="run_cypher") and statement.strip():
            meta = caches.result_meta(store, "ad-hoc", statement.strip(), {})
            try:  # read refuses anything that writes (ReadOnlyViolation); a crash stops only the worker
                result = connection.query_store().read(statement, limit=ROW_LIMIT)
                st.session_state[ADHOC_STATE] = (statement, result, meta)
            except GovkgError as err:
                st.session_state.pop(ADHOC_STATE, None)
                error_display.show_error(err)
        adhoc = st.session_state.get(ADHOC_STATE)
        if adhoc and adhoc[0] == statement:
            show_result(store, adhoc[1], adhoc[2], "adhoc")
