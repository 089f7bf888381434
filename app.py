"""govkg overview page: what the store holds, by label and relationship type, and the documents loaded.

Run with `govkg demo`, or `streamlit run app.py` with GOVKG_DB (or GOVKG_STORE=neo4j and NEO4J_*) set.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from govkg import app_support as ui

ui.page_setup("app.title")
st.markdown(ui.t("msg.app.intro"))
with st.container(border=True):
    st.markdown(f"**{ui.t('overview.glossary')}**\n\n" + ui.glossary_markdown())
store = ui.require_store()

with ui.reporting_errors():
    label_rows, type_rows = ui.count_tables(store.counts())
    docs = ui.documents(store)

    total, relationships, loaded = st.columns(3)
    total.metric(ui.t("overview.total_nodes"), sum(r.count for r in label_rows if r.name != "Document"))
    relationships.metric(ui.t("overview.total_edges"), sum(r.count for r in type_rows))
    loaded.metric(ui.t("overview.total_documents"), len(docs))
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

    st.subheader(ui.t("overview.documents"))
    if docs:
        columns = ["title", "source", "date", "loaded_at", "path"]
        frame = pd.DataFrame([[d.get(c) for c in columns] for d in docs],
                             columns=[ui.t(f"col.{c}") for c in columns])
        st.dataframe(frame, hide_index=True)
    else:
        st.caption(ui.t("overview.no_documents"))
