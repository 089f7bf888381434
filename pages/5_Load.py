"""Load page: upload case files (text, Markdown, YAML/JSON case sheets, CSV), preview what was extracted
with the entities highlighted in the text, download the extraction as a case sheet to correct, and
accept to write it to the store. One of the two places the app writes (the other: undoing a correction):
a writable handle is opened for the write only, then the app's cached read-only handle and data are refreshed."""

from __future__ import annotations

import html
from collections import Counter

import pandas as pd
import streamlit as st

from govkg.app import connection, error_display, page_frame
from govkg.app.highlight import highlight_html, text_html
from govkg.app.language import edge_name, joined, label_name, label_names_now, t
from govkg.app.markdown import md_escape
from govkg.app.upload import Upload, case_sheet_text, combined, entity_highlights, read_upload, tint, write_upload
from govkg.errors import GovkgError
from govkg.graph.model import NODE_LABELS
from govkg.graph.visual import colour_for

PREVIEW_CHARS = 30_000
SUMMARY_STATE = "load_summary"


def legend(labels: list[str]) -> str:
    items = "".join(
        f'<span style="background:{tint(colour_for(lb))};padding:0 4px;margin-right:10px;border-radius:2px">'
        f"{html.escape(label_name(lb))}</span>"
        for lb in labels
    )
    return f'<div style="font-size:0.85rem;margin-bottom:4px">{items}</div>'


def preview(upload: Upload, index: int) -> None:
    counts = upload.label_counts()
    with st.container(border=True):
        st.subheader(f"{md_escape(upload.name)} · {t('load.kind.' + upload.kind)}")
        cols = st.columns(4)
        for col, label in zip(cols, ("Zone", "Mechanism", "Organisation", "Policy"), strict=True):
            col.metric(label_name(label), counts.get(label, 0))
        st.caption(t("load.found", nodes=len(upload.graph.nodes), edges=len(upload.graph.edges),
                        documents=len(upload.graph.documents)))
        if not any(counts.get(lb) for lb in ("Zone", "Mechanism")):
            st.warning(t("load.nothing_found"))
        for doc in upload.graph.documents:
            st.markdown(f"**{t('node.document')}**: {md_escape(doc.title or doc.path or doc.id)}")
            spans = entity_highlights(upload.graph, doc.text[:PREVIEW_CHARS], label_names_now())
            present = [lb for lb in NODE_LABELS if any(n.label == lb for n in upload.graph.nodes)
                       and lb not in ("Document", "Category")]
            st.html(legend(present) + text_html(highlight_html(doc.text[:PREVIEW_CHARS], spans)))
            if len(doc.text) > PREVIEW_CHARS:
                st.caption(t("node.text_cut", shown=PREVIEW_CHARS, total=len(doc.text)))
        with st.expander(t("load.nodes")):
            nodes = sorted(upload.graph.nodes, key=lambda n: (NODE_LABELS.index(n.label), n.name))
            st.dataframe(pd.DataFrame({
                t("col.label"): [label_name(n.label) for n in nodes],
                t("col.name"): [n.name for n in nodes],
                t("node.aliases"): [joined(n.aliases) for n in nodes],
                "id": [n.id for n in nodes],
            }), hide_index=True)
        with st.expander(t("load.edges")):
            names = {n.id: n.name for n in upload.graph.nodes} | {d.id: d.title for d in upload.graph.documents}
            edges = [e for e in upload.graph.edges if e.type != "MENTIONS"]
            st.dataframe(pd.DataFrame({
                t("col.from"): [names.get(e.source, e.source) for e in edges],
                t("col.type"): [edge_name(e.type) for e in edges],
                t("col.to"): [names.get(e.target, e.target) for e in edges],
                t("col.evidence"): [e.evidence[0].text if e.evidence else "" for e in edges],
            }), hide_index=True)
        try:
            sheet = case_sheet_text(upload)
        except GovkgError as err:
            st.caption(t("load.no_sheet", problem=md_escape(str(err))))
        else:
            stem = upload.name.rsplit(".", 1)[0] or "case"
            st.download_button(t("load.download_sheet"), sheet.encode("utf-8"), file_name=f"{stem}.yaml",
                               mime="application/x-yaml", on_click="ignore", key=f"sheet_{index}")
            st.caption(t("load.sheet_note"))


page_frame.page_setup("load.title")
st.markdown(t("msg.load.intro"))
settings = connection.current_settings()
st.caption(f"{t('sidebar.store')}: {settings.describe()}")

uploaded = st.file_uploader(t("load.pick"), accept_multiple_files=True, key="upload", help=t("load.pick_help"))
done = st.session_state.pop(SUMMARY_STATE, None)
if done:
    st.success(done)
if not uploaded:
    st.caption(t("load.waiting"))
    st.stop()

reads: list[Upload] = []
for file in uploaded:
    try:
        reads.append(read_upload(file.name, file.getvalue()))
    except GovkgError as err:
        # Nothing is written for a file that cannot be read; the page and the other files go on.
        st.error(t("msg.load.bad_file", name=md_escape(file.name), problem=md_escape(str(err))))

for index, upload in enumerate(reads):
    preview(upload, index)

if reads:
    merged = combined(reads)
    st.markdown(t("load.ready", files=len(reads), nodes=len(merged.nodes), edges=len(merged.edges)))
    if st.button(t("load.write"), type="primary", key="write_upload"):
        try:
            summary = write_upload(settings, merged)
        except GovkgError as err:
            error_display.show_error(err)
        else:
            connection.release_store()  # the app's read-only handle and cached pictures now show the new data
            replaced = Counter(summary.documents_replaced)
            message = t("load.written", documents=summary.documents, nodes_new=summary.nodes_created,
                           nodes_old=summary.nodes_matched, edges_new=summary.edges_created,
                           edges_old=summary.edges_matched)
            if summary.corrections_applied:
                message += " " + t("load.corrected", count=summary.corrections_applied)
            if replaced:
                message += " " + t("load.replaced", count=len(replaced))
            if summary.documents_skipped:
                message += " " + t("load.skipped", count=len(summary.documents_skipped))
            st.session_state[SUMMARY_STATE] = message
            st.rerun()
