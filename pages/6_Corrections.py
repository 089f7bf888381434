"""Corrections page: the corrections researchers made that the store keeps, oldest first, each beside
what the extractor had said (docs/corrections.md); undoing one (what it changed in the store is put
back now, or, for one that had not changed stored facts, loads no longer apply it); the kept
corrections as a file to share; and a team's file taken in (applied now where the store holds its
documents, kept for their next load otherwise). Writes go through govkg/services/correcting.py."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from govkg.app import connection, error_display, page_frame
from govkg.app.corrections_view import EXPORT_NAME, correction_rows, export_text, import_file, undo
from govkg.app.facet_view import facet_choices
from govkg.app.language import in_language_now, t
from govkg.app.markdown import md_escape
from govkg.errors import CorrectionError, GovkgError, InputError

DONE_STATE = "corrections_done"
UPLOAD_ROUND = "corrections_upload_round"  # bumped after an import, so the uploader starts empty

page_frame.page_setup("corrections.title")
st.caption(t("corrections.about"))
store = connection.require_store()
if DONE_STATE in st.session_state:
    st.success(st.session_state.pop(DONE_STATE))

with error_display.reporting_errors():
    kept = store.corrections()
    rows = correction_rows(kept)
    if not rows:
        st.info(t("corrections.none"))
    else:
        facet_rows = pd.DataFrame({"action": [r.action for r in rows], "author": [r.author for r in rows]})
        actions = {a: t(f"corrections.action.{a}") for a in set(facet_rows["action"])}
        kept_rows = facet_choices(facet_rows, {"action": actions},
                                  scope="corrections", columns=("action", "author"), title=t("facets.corrections"),
                                  headings={"action": t("corrections.col.action"),
                                            "author": t("corrections.col.author")})  # fmt: skip
        if len(kept_rows) < len(rows):
            st.caption(t("facets.corrections_shown", shown=len(kept_rows), total=len(rows)))
        rows = [rows[i] for i in kept_rows.index]
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
                said = "corrections.undone_now" if undone.in_place else "corrections.undone"
                st.session_state[DONE_STATE] = t(said, target=md_escape(str(undone.correction.target)))
                st.rerun()
        st.download_button(t("corrections.export"), export_text(kept).encode("utf-8"), file_name=EXPORT_NAME,
                           mime="application/json", on_click="ignore", key="export_corrections")  # fmt: skip
        st.caption(t("corrections.export_note"))

    st.subheader(t("corrections.import"))
    uploaded = st.file_uploader(t("corrections.import"), type=["json"], label_visibility="collapsed",
                                key=f"corrections_file_{st.session_state.get(UPLOAD_ROUND, 0)}")  # fmt: skip
    if uploaded is not None and st.button(t("corrections.import_button"), key="import_corrections"):
        try:
            report = import_file(connection.current_settings(), uploaded.name, uploaded.getvalue())
        except (CorrectionError, InputError) as err:
            st.error(t("corrections.bad_file", name=md_escape(uploaded.name), problem=md_escape(str(err))))
        except GovkgError as err:
            error_display.show_error(err)
        else:
            connection.release_store()
            st.session_state[UPLOAD_ROUND] = st.session_state.get(UPLOAD_ROUND, 0) + 1
            st.session_state[DONE_STATE] = t("corrections.imported", applied=len(report.applied),
                                             later=len(report.for_later), already=len(report.already),
                                             missing=len(report.missing))  # fmt: skip
            st.rerun()
