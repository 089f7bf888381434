"""Load page: upload case files (text, Markdown, YAML/JSON case sheets, CSV), preview what was extracted
with the entities highlighted in the text, download the extraction as a case sheet to correct, review
it (reject, rename, re-type, re-attach, mark planned, add what the extractor missed from a span of the
text, selected in the previewed text with the mouse or typed) and accept to write the reviewed result,
its corrections kept with it. One of the places the app writes: a writable handle is opened for the
write only, then the app's cached read-only handle and data are refreshed. The review's logic is
govkg/app/review.py (the span field and a selection's place: govkg/app/review_span.py; the text a
reader selects in: govkg/app/span_picker.py); this script renders it."""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Callable

import pandas as pd
import streamlit as st

from govkg.app import connection, error_display, page_frame
from govkg.app.author import author_field
from govkg.app.highlight import highlight_html
from govkg.app.language import edge_name, in_language_now, joined, label_name, label_names_now, t
from govkg.app.markdown import md_escape
from govkg.app.review import (
    ADDABLE_EDGES,
    ENDS,
    NEW_NODE_LABELS,
    Fact,
    Found,
    Refused,
    Reviewed,
    correction_for,
    edge_from_span,
    end_choices,
    find_span,
    node_from_span,
    reattach_choices,
    review,
    reviewable_facts,
    stamp,
    without,
)
from govkg.app.review_span import FIELD, forget_place, refusal, select, span_in_field
from govkg.app.span_picker import Selection, span_picker
from govkg.app.upload import (
    Upload,
    case_sheet_text,
    combined,
    entity_highlights,
    kept_corrections,
    read_upload,
    tint,
    write_upload,
)
from govkg.errors import GovkgError
from govkg.graph.corrections import RETYPABLE, Correction
from govkg.graph.factory import StoreSettings
from govkg.graph.model import ADOPTION_STAGES, NODE_LABELS, GraphDocument, Node
from govkg.graph.visual import colour_for
from govkg.services.correcting import now

PREVIEW_CHARS = 30_000
SUMMARY_STATE = "load_summary"
REVIEW_STATE = "load_review"  # the corrections of this review: list[Correction], oldest first
REVIEW_DONE = "load_review_done"  # what the last review action did, shown on the next run
REVIEW_CLEAR = "load_review_clear"  # text fields to empty on the next run, after a correction is made
KEPT_SECONDS = 30


@st.cache_data(ttl=KEPT_SECONDS, show_spinner=False)
def kept(key: str, _settings: StoreSettings) -> list[Correction] | None:
    return kept_corrections(_settings)  # refreshed after a write (connection.release_store clears it)


def legend(labels: list[str]) -> str:
    items = "".join(
        f'<span style="background:{tint(colour_for(lb))};padding:0 4px;margin-right:10px;border-radius:2px">'
        f"{html.escape(label_name(lb))}</span>"
        for lb in labels
    )
    return f'<div style="font-size:0.85rem;margin-bottom:4px">{items}</div>'


def node_text(node: Node | None, fallback: str) -> str:
    if node is None:
        return fallback
    return f"{label_name(node.label)}: {node.properties.get('full_name') or node.name}"


def fact_text(fact: Fact, nodes: dict[str, Node]) -> str:
    if not fact.is_edge:
        return f"{label_name(fact.label)}: {nodes[fact.key].properties.get('full_name') or fact.name}"
    source, target = nodes.get(fact.from_node), nodes.get(fact.to_node)
    return (f"{source.name if source else fact.from_node} —{edge_name(fact.label)}→ "
            f"{target.name if target else fact.to_node}")


def stage_name(stage: object) -> str:
    return t(f"load.review.stage.{stage}") if stage in ADOPTION_STAGES else ""


def selected_in(graph: GraphDocument, document_id: str) -> Callable[[Selection], None]:
    """What a selection in a document's previewed text does: fill the review's span field with the
    selected words and remember their place (a callback: it runs before the script draws the field)."""
    return lambda picked: select(st.session_state, graph, document_id, picked.start, picked.end)


def preview(upload: Upload, index: int, shown: GraphDocument) -> None:
    """One file: what the extractor found in it, its text with the reviewed entities marked (select words
    in it to add what the extractor missed), its case sheet."""
    counts = upload.label_counts()
    with st.container(border=True):
        st.subheader(f"{md_escape(upload.name)} · {t('load.kind.' + upload.kind)}")
        st.caption(t("load.found", nodes=len(upload.graph.nodes), edges=len(upload.graph.edges),
                        documents=len(upload.graph.documents)))
        if not any(counts.get(lb) for lb in ("Zone", "Mechanism")):
            st.warning(t("load.nothing_found"))
        present = [lb for lb in NODE_LABELS if any(n.label == lb for n in shown.nodes)
                   and lb not in ("Document", "Category")]
        for number, doc in enumerate(upload.graph.documents):
            st.markdown(f"**{t('node.document')}**: {md_escape(doc.title or doc.path or doc.id)}")
            text = doc.text[:PREVIEW_CHARS]  # a prefix: offsets into it are offsets into the document
            body = highlight_html(text, entity_highlights(shown, text, label_names_now()))
            span_picker(text, body, key=f"review_pick_{index}_{number}", on_select=selected_in(shown, doc.id),
                        legend=legend(present))  # fmt: skip
            if len(doc.text) > PREVIEW_CHARS:
                st.caption(t("node.text_cut", shown=PREVIEW_CHARS, total=len(doc.text)))
        if any(doc.text for doc in upload.graph.documents):
            st.caption(t("load.review.select_hint"))
        try:
            sheet = case_sheet_text(upload)
        except GovkgError as err:
            st.caption(t("load.no_sheet", problem=md_escape(str(err))))
        else:
            stem = upload.name.rsplit(".", 1)[0] or "case"
            st.download_button(t("load.download_sheet"), sheet.encode("utf-8"), file_name=f"{stem}.yaml",
                               mime="application/x-yaml", on_click="ignore", key=f"sheet_{index}")
            st.caption(t("load.sheet_note"))


def reviewed_tables(reviewed: Reviewed, kept_now: list[Correction] | None) -> None:
    """The counts and tables of the upload as reviewed."""
    graph = reviewed.graph
    counts = Counter(n.label for n in graph.nodes)
    for col, label in zip(st.columns(4), ("Zone", "Mechanism", "Organisation", "Policy"), strict=True):
        col.metric(label_name(label), counts.get(label, 0))
    st.caption(t("load.review.counts", nodes=len(graph.nodes), edges=len(graph.edges)))
    if kept_now is None:
        st.caption(t("load.review.kept_unknown"))
    elif reviewed.kept_applied:
        st.caption(t("load.review.kept_applied", count=len(reviewed.kept_applied)))
    evidence = {e.target: e.evidence[0].text for e in graph.edges if e.type == "MENTIONS" and e.evidence}
    with st.expander(t("load.review.nodes")):
        nodes = sorted(graph.nodes, key=lambda n: (NODE_LABELS.index(n.label), n.name))
        st.dataframe(pd.DataFrame({
            t("col.label"): [label_name(n.label) for n in nodes],
            t("col.name"): [n.name for n in nodes],
            t("node.aliases"): [joined(n.aliases) for n in nodes],
            t("col.evidence"): [evidence.get(n.id, "") for n in nodes],
            "id": [n.id for n in nodes],
        }), hide_index=True)
    with st.expander(t("load.review.edges")):
        names = {n.id: n.name for n in graph.nodes} | {d.id: d.title for d in graph.documents}
        edges = [e for e in graph.edges if e.type != "MENTIONS"]
        st.dataframe(pd.DataFrame({
            t("col.from"): [names.get(e.source, e.source) for e in edges],
            t("col.type"): [edge_name(e.type) for e in edges],
            t("col.to"): [names.get(e.target, e.target) for e in edges],
            t("load.review.col.stage"): [stage_name(e.properties.get("stage")) for e in edges],
            t("col.evidence"): [e.evidence[0].text if e.evidence else "" for e in edges],
        }), hide_index=True)


def made(corrections: list[Correction], message: str, clear: tuple[str, ...]) -> None:
    """Keep the session's corrections, say what was done on the next run, empty the text fields."""
    st.session_state[REVIEW_STATE] = corrections
    st.session_state[REVIEW_DONE] = message
    st.session_state[REVIEW_CLEAR] = clear
    st.rerun()


def refused(err: GovkgError) -> None:
    """A correction the page cannot make: the reader's mistake worded in their language, anything else
    in one line."""
    if isinstance(err, Refused):
        st.error(t(f"load.review.refused.{err.code}", **{k: md_escape(v) for k, v in err.values.items()}))
    else:
        error_display.show_error(err)


def fix_form(graph: GraphDocument, author: str, session: list[Correction]) -> None:
    """Correct one extracted fact: choose it, the action and its value, apply."""
    facts = reviewable_facts(graph)
    if not facts:
        st.caption(t("load.review.nothing"))
        return
    nodes = graph.node_by_id()
    by_key = {f.key: f for f in facts}
    key = st.selectbox(t("load.review.fact"), list(by_key), key="review_fact",
                       format_func=in_language_now(lambda k: fact_text(by_key[k], nodes)))  # fmt: skip
    fact = by_key[key]
    st.caption(t("load.review.evidence", sentence=md_escape(fact.evidence)) if fact.evidence
               else t("load.review.no_evidence"))  # fmt: skip
    action = st.selectbox(t("load.review.action"), fact.actions, key="review_action",
                          format_func=in_language_now(lambda a: t(f"corrections.action.{a}")))  # fmt: skip
    name = label = end = node = ""
    if action == "rename":
        name = st.text_input(t("load.review.new_name"), key="review_name")
    elif action == "retype":
        label = st.selectbox(t("load.review.new_label"), [lb for lb in RETYPABLE if lb != fact.label],
                             key="review_label", format_func=in_language_now(label_name)) or ""  # fmt: skip
    elif action == "reattach" and fact.target.edge is not None:
        choices = reattach_choices(graph, fact.target.edge)
        ends = {"source": fact.from_node, "target": fact.to_node}
        end = st.selectbox(t("load.review.end"), [e for e in ENDS if choices[e]], key="review_end",
                           format_func=in_language_now(lambda e: t(f"load.review.end.{e}", name=node_text(
                               nodes.get(ends[e]), ends[e])))) or ""  # fmt: skip
        node = st.selectbox(t("load.review.new_end"), choices.get(end, []), key="review_node",
                            format_func=in_language_now(lambda i: node_text(nodes.get(i), i))) or ""  # fmt: skip
    reason = st.text_input(t("load.review.reason"), key="review_reason")
    if st.button(t("load.review.apply"), key="review_apply", disabled=not author,
                 help=None if author else t("load.review.need_author")):  # fmt: skip
        try:
            correction = correction_for(graph, fact, action, author=author, made_at=stamp(session, now()), name=name,
                                        label=label, end=end, node=node, reason=reason)  # fmt: skip
        except GovkgError as err:
            refused(err)
        else:
            made([*session, correction], f"{t('load.review.applied')} · {md_escape(described(correction, nodes))}",
                 ("review_name", "review_reason"))


def add_form(graph: GraphDocument, author: str, session: list[Correction]) -> None:
    """Add a node or relationship the extractor missed, its evidence the sentence holding a span: the words
    selected in the previewed text (that place), or typed into the field (where they first occur)."""
    typed = st.text_input(t("load.review.span"), key=FIELD, help=t("load.review.span_help"),
                          on_change=lambda: forget_place(st.session_state))  # fmt: skip
    not_taken = refusal(st.session_state)
    if not_taken is not None:
        refused(not_taken)
    span = span_in_field(st.session_state, graph, typed)
    if typed.strip():
        try:
            found = span if isinstance(span, Found) else find_span(graph, span)
        except GovkgError as err:
            refused(err)
        else:
            st.caption(t("load.review.span_sentence", sentence=md_escape(found.sentence.text)))
    nodes = graph.node_by_id()
    what = st.selectbox(t("load.review.add_what"), ["node", *ADDABLE_EDGES], key="review_add_what",
                        format_func=in_language_now(lambda w: t("load.review.add_node") if w == "node"
                                                    else t("load.review.add_edge", type=edge_name(w))))  # fmt: skip
    label = name = source = target = ""
    if what == "node":
        label = st.selectbox(t("load.review.add_label"), NEW_NODE_LABELS, key="review_add_label",
                             format_func=in_language_now(label_name)) or ""  # fmt: skip
        name = st.text_input(t("load.review.add_name"), key="review_add_name")
    else:
        shown = in_language_now(lambda i: node_text(nodes.get(i), i))
        source = st.selectbox(t("load.review.add_source"), end_choices(graph, what, "source"),
                              key="review_add_source", format_func=shown) or ""  # fmt: skip
        target = st.selectbox(t("load.review.add_target"), end_choices(graph, what, "target"),
                              key="review_add_target", format_func=shown) or ""  # fmt: skip
    reason = st.text_input(t("load.review.reason"), key="review_add_reason")
    if st.button(t("load.review.add_button"), key="review_add", disabled=not author,
                 help=None if author else t("load.review.need_author")):  # fmt: skip
        try:
            at = stamp(session, now())
            if what == "node":
                new = node_from_span(graph, span, label, name, author=author, made_at=at, reason=reason)
            else:
                new = [edge_from_span(graph, span, what, source, target, author=author, made_at=at, reason=reason)]
        except GovkgError as err:
            refused(err)
        else:
            done = "; ".join(described(c, nodes) for c in new)
            made([*session, *new], f"{t('load.review.applied')} · {md_escape(done)}",
                 (FIELD, "review_add_name", "review_add_reason"))


def described(correction: Correction, nodes: dict[str, Node]) -> str:
    """A correction of this review in a line: action, fact, new value, reason."""
    def name_of(node: str) -> str:
        return nodes[node].name if node in nodes else node

    before = correction.before
    if correction.target.edge is not None:
        kind, source, target = correction.target.edge
        fact = f"{name_of(source)} —{edge_name(kind)}→ {name_of(target)}"
    elif correction.action == "add_node":
        added = correction.value.get("node") or {}
        fact = f"{label_name(str(added.get('label', '')))}: {added.get('name', correction.target.node)}"
    else:
        fact = f"{label_name(str(before.get('label', '')))}: {before.get('name') or correction.target.node}"
    value = correction.value
    new = {"rename": str(value.get("name", "")), "retype": label_name(str(value.get("label", ""))),
           "reattach": name_of(str(value.get("source") or value.get("target") or ""))}.get(correction.action)
    line = f"{t('corrections.action.' + correction.action)} · {fact}" + (f" → {new}" if new else "")
    return line + (f" ({correction.reason})" if correction.reason else "")


def made_list(reviewed: Reviewed, nodes: dict[str, Node], session: list[Correction]) -> None:
    """The corrections of this review, each with what became of it and a button to take it back."""
    st.markdown(f"**{t('load.review.made')}**")
    if not reviewed.made:
        st.caption(t("load.review.none_made"))
    for correction, state in reviewed.made:
        text, undo = st.columns([8, 1], vertical_alignment="center")
        line = f"{md_escape(described(correction, nodes))} · {t('load.review.state.' + state)}"
        if state == "applied":
            text.markdown(line)
        else:
            text.warning(line)
        if undo.button(t("load.review.undo"), key=f"review_undo_{correction.id}"):
            said = md_escape(described(correction, nodes))
            made(without(session, correction.id), f"{t('load.review.undone')} · {said}", ())
    if reviewed.dropped:
        dropped = joined(f"{e.source} —{edge_name(e.type)}→ {e.target}" for e in reviewed.dropped)
        st.caption(t("load.review.dropped", edges=md_escape(dropped)))


def review_section(merged: GraphDocument, reviewed: Reviewed, kept_now: list[Correction] | None, author: str,
                   session: list[Correction]) -> None:  # fmt: skip
    with st.container(border=True):
        st.subheader(t("load.review.title"))
        st.markdown(t("msg.load.review.about"))
        done = st.session_state.pop(REVIEW_DONE, None)
        if done:
            st.success(done)
        reviewed_tables(reviewed, kept_now)
        if not author:
            st.warning(t("load.review.need_author"))
        st.markdown(f"**{t('load.review.fix')}**")
        fix_form(reviewed.graph, author, session)
        st.markdown(f"**{t('load.review.add')}**")
        add_form(reviewed.graph, author, session)
        made_list(reviewed, merged.node_by_id() | reviewed.graph.node_by_id(), session)


page_frame.page_setup("load.title")
st.markdown(t("msg.load.intro"))
settings = connection.current_settings()
st.caption(f"{t('sidebar.store')}: {settings.describe()}")
author = author_field()

uploaded = st.file_uploader(t("load.pick"), accept_multiple_files=True, key="upload", help=t("load.pick_help"))
done = st.session_state.pop(SUMMARY_STATE, None)
if done:
    st.success(done)
if not uploaded:
    st.caption(t("load.waiting"))
    st.stop()

reads: list[Upload] = []
reading = st.progress(0.0, text=t("load.reading", done=0, total=len(uploaded))) if len(uploaded) > 1 else None
for number, file in enumerate(uploaded, start=1):
    try:
        reads.append(read_upload(file.name, file.getvalue()))
    except GovkgError as err:
        # Nothing is written for a file that cannot be read; the page and the other files go on.
        st.error(t("msg.load.bad_file", name=md_escape(file.name), problem=md_escape(str(err))))
    if reading is not None:  # many files take a while to read: say how far it is
        reading.progress(number / len(uploaded), text=t("load.reading", done=number, total=len(uploaded)))
if reading is not None:
    reading.empty()
if not reads:
    st.stop()

for cleared in st.session_state.pop(REVIEW_CLEAR, ()):
    st.session_state[cleared] = ""  # before the fields are drawn: a made correction empties them
session: list[Correction] = list(st.session_state.get(REVIEW_STATE, []))
merged = combined(reads)
kept_now = kept(connection.store_key(settings), settings)
reviewed = review(merged, kept_now or [], session)

for index, upload in enumerate(reads):
    preview(upload, index, reviewed.graph)
review_section(merged, reviewed, kept_now, author, session)

st.markdown(t("load.ready", files=len(reads), nodes=len(reviewed.graph.nodes), edges=len(reviewed.graph.edges)))
if st.button(t("load.write"), type="primary", key="write_upload"):
    keep = reviewed.to_keep
    status = st.status(t("load.stage.start"), expanded=False)

    def stage_begins(stage: str, _done: int, _total: int) -> None:
        status.update(label=t(f"load.stage.{stage}"))  # a long write says which stage it is in

    try:
        summary = write_upload(settings, merged, corrections=keep, progress=stage_begins)
    except GovkgError as err:
        status.update(label=t("load.stage.failed"), state="error")
        error_display.show_error(err)
    else:
        status.update(label=t("load.stage.done"), state="complete")
        connection.release_store()  # the app's read-only handle and cached pictures now show the new data
        replaced = Counter(summary.documents_replaced)
        message = t("load.written", documents=summary.documents, nodes_new=summary.nodes_created,
                       nodes_old=summary.nodes_matched, edges_new=summary.edges_created,
                       edges_old=summary.edges_matched)
        if summary.corrections_applied:
            message += " " + t("load.corrected", count=summary.corrections_applied)
        if summary.corrections_recorded:
            message += " " + t("load.kept", count=summary.corrections_recorded)
        gone = [c for c, state in reviewed.made if state == "missing"]
        if gone:
            message += " " + t("load.not_kept", count=len(gone))
        if replaced:
            message += " " + t("load.replaced", count=len(replaced))
        if summary.documents_skipped:
            message += " " + t("load.skipped", count=len(summary.documents_skipped))
        # Kept by the store now; a correction for a document not uploaded waits for its file.
        st.session_state[REVIEW_STATE] = [c for c, state in reviewed.made if state == "elsewhere"]
        st.session_state[SUMMARY_STATE] = message
        st.rerun()
