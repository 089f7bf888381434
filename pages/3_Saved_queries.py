"""Saved-queries page: pick a query from queries/, fill its parameters, run it read-only, see the rows
and the Cypher, download the rows as CSV."""

from __future__ import annotations

import streamlit as st

from govkg import app_support as ui
from graph.saved_queries import load_saved_queries, run_saved_query

RESULT_STATE = "saved_query_result"

ui.page_setup("queries.title")
store = ui.require_store()

with ui.reporting_errors():
    queries = load_saved_queries()
    if not queries:
        st.info(ui.t("queries.none"))
        st.stop()
    names = sorted(queries)
    ui.restore_choice("query", names)
    name = st.selectbox(ui.t("queries.pick"), names, key="query",
                        format_func=lambda n: f"{ui.both(queries[n].title_zh, queries[n].title_en)} · {n}")
    ui.remember_choice("query", name)
    query = queries[name]
    description = ui.both(query.description_zh, query.description_en, paragraph=True)
    if description:
        st.markdown(description)

    st.subheader(ui.t("queries.params"))
    raw = {param.name: ui.parameter_input(store, name, param) for param in query.params}
    if not query.params:
        st.caption(ui.t("queries.no_params"))

    if st.button(ui.t("queries.run"), type="primary", key="run_query"):
        st.session_state[RESULT_STATE] = (name, raw, run_saved_query(store, name, raw))
    held = st.session_state.get(RESULT_STATE)
    if held and held[0] == name and held[1] == raw:  # results of other parameters would mislead
        result = held[2]
        frame = ui.result_frame(result)
        if result.truncated:
            st.warning(ui.t("queries.truncated", count=len(frame)))
        if frame.empty:
            st.info(ui.t("queries.no_rows"))
        else:
            st.caption(ui.t("queries.rows", count=len(frame)))
            st.dataframe(frame, hide_index=True)
            st.download_button(ui.t("queries.download"), ui.csv_bytes(frame), file_name=f"{name}.csv",
                               mime="text/csv", on_click="ignore", key="download_csv")

    st.caption(ui.t("queries.cypher", engine=store.engine))
    st.code(query.cypher_for(store.engine), language="cypher")
