"""Corrections page: the corrections researchers made that the store keeps, oldest first, each beside
what the extractor had said (docs/corrections.md), and undoing one. Every load applies the kept
corrections, so an undone one's fact comes back when its documents are next loaded."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from govkg.app import connection, error_display, page_frame
from govkg.app.corrections_view import correction_rows, undo
from govkg.app.language import in_language_now, t
from govkg.app.markdown import md_escape
from govkg.errors import GovkgError

DONE_STATE = "corrections_done"

page_frame.page_setup("corrections.title")
st.caption(t("corrections.about"))
store = connection.require_store()
if DONE_STATE in st.session_state:
    st.success(st.session_state.pop(DONE_STATE))

with error_display.reporting_errors():
    rows = correction_rows(store.corrections())
    if not rows:
        st.info(t("corrections.none"))
        st.stop()
    st.dataframe(pd.DataFrame({
        t("corrections.col.action"): [t(f"corrections.action.{r.action}") for r in rows],
        t("corrections.col.target"): [r.target for r in rows],
        t("corrections.col.before"): [r.before for r in rows],
        t("corrections.col.value"): [r.value for r in rows],
        t("corrections.col.author"): [r.author for r in rows],
        t("corrections.col.made_at"): [r.made_at for r in rows],
        t("corrections.col.reason"): [r.reason for r in rows],
        "id": [r.id for r in rows],
    }), hide_index=True, key="corrections")
    by_id = {r.id: r for r in rows}
    chosen = st.selectbox(t("corrections.pick"), list(by_id), key="undo_pick", format_func=in_language_now(
        lambda i: f"{t('corrections.action.' + by_id[i].action)} · {by_id[i].target} · {by_id[i].author}"))
    if st.button(t("corrections.undo"), key="undo_correction"):
        try:
            undone = undo(connection.current_settings(), chosen)
        except GovkgError as err:
            error_display.show_error(err)
        else:
            connection.release_store()
            st.session_state[DONE_STATE] = t("corrections.undone", target=md_escape(str(undone.target)))
            st.rerun()
