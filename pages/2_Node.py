"""Explore page: find a node by name or alias (traditional forms matched), see its neighbourhood to
depth 1–3 filtered by label, category, theme and level and capped in size, its properties and
aliases, each evidence sentence highlighted inside its paragraph, and the source documents; correct the
node or one of its relationships in place (reject, rename, re-type, merge, split an alias, re-attach,
mark planned: the form of govkg/app/correct_form.py, which the similar-zones page shows too, written
through govkg/services/correcting.py), with who corrected a fact and when shown beside its evidence.
The picker's choices can be narrowed by facets (kind, a zone's level and province; `f_<column>` in the
URL). `?node=<id>` opens a node directly (pictures link here on double-click)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from govkg.app import (
    caches,
    connection,
    error_display,
    node_details,
    overview_tables,
    page_frame,
    pictures,
    search,
    url_state,
)
from govkg.app.author import author_field
from govkg.app.correct_form import correct_form, take_corrected
from govkg.app.explore import filter_graph
from govkg.app.facet_view import facet_choices
from govkg.app.highlight import Span, evidence_html, highlight_html, relation_html, text_html
from govkg.app.language import (
    edge_name,
    edge_names_now,
    in_language_now,
    label_name,
    label_names_now,
    level_names_now,
    t,
    t_each,
)
from govkg.app.markdown import md_escape
from govkg.app.provenance import corrected_away, provenance, provenance_text
from govkg.app.timeline_view import show_timeline
from govkg.graph.correction_index import corrections_touching
from govkg.graph.corrections import Correction
from govkg.graph.model import NODE_LABELS
from govkg.graph.visual import cap_graph, picture_nodes, render_graph
from govkg.i18n import edge_type_names

HEIGHT_PX = 520
FETCH_LIMIT = 2000  # nodes read around the chosen one before filters and the cap
EVIDENCE_SHOWN = 100
FULL_TEXT_CHARS = 60_000  # longer documents are shown cut, with a note
CORRECT_DONE = "node_correct_done"  # what the last correction did, shown (and followed) on the next run


def away_text(away: list[Correction], names: dict[str, str]) -> str:
    """The relationships corrected away from a node, each with who corrected it, in the reader's language."""

    by_edge: dict[tuple[str, str, str], list[Correction]] = {}
    for c in away:
        if c.target.edge is not None:
            by_edge.setdefault(c.target.edge, []).append(c)

    def facts(lang: str) -> str:
        said = []
        for (kind, source, target), kept in by_edge.items():
            said.append(f"{names.get(source, source)} —{edge_type_names(lang).get(kind, kind)}→ "
                        f"{names.get(target, target)}{'：' if lang == 'zh' else ': '}{provenance_text(kept, lang)}")
        return " · ".join(said)

    return t_each("correct.away", lambda lang: {"facts": facts(lang)})


page_frame.page_setup("node.title")
author = author_field()
store = connection.require_store()
corrected = take_corrected(CORRECT_DONE)
if corrected is not None:  # a correction was made: show the node it became, or the default
    st.session_state["node_search"] = ""
    if corrected.became:
        st.session_state["node"] = corrected.became
    else:
        st.session_state.pop("node", None)
        if "node" in st.query_params:
            del st.query_params["node"]
    st.success(corrected.message)

with error_display.reporting_errors():
    entries = caches.cached_node_entries(*caches.cache_key(store), store)
    by_id = {e.id: e for e in entries}

    search_col, depth_col = st.columns([3, 1])
    query = search_col.text_input(t("node.search"), help=t("node.search_help"), key="node_search")
    url_state.restore_choice("depth", [1, 2, 3])
    depth = int(depth_col.slider(t("node.depth"), 1, 3, key="depth"))
    url_state.remember_choice("depth", depth, 1)
    found = search.search_nodes(entries, query, limit=None)
    provinces = caches.cached_provinces(*caches.cache_key(store), store).by_id
    kept = facet_choices(search.entry_frame(found, provinces), {"kind": label_names_now(), "level": level_names_now()},
                         scope="node", columns=search.NODE_FACETS, title=t("facets.nodes"))
    matches = [found[i].id for i in kept.index[: search.SEARCH_LIMIT]]
    # On arrival the page opens on the linked node, else the zone with the most mechanisms; with the
    # search cleared, the node in hand stays offered.
    preferred = opening = None
    if not query:
        opening = caches.cached_busiest_zone(*caches.cache_key(store), store)
        preferred = st.session_state.get("node") or st.query_params.get("node") or opening
        if preferred in by_id and preferred not in matches and len(kept) == len(found):  # facets not narrowing
            matches.insert(0, preferred)
    if not matches:
        st.info(t("node.no_match", query=md_escape(query)) if query else
                t("node.no_facet_match") if found else t("msg.store_empty"))  # fmt: skip
        st.stop()
    url_state.restore_choice("node", matches)
    chosen = st.selectbox(t("node.pick"), matches, index=url_state.initial_index("node", matches, preferred),
                          format_func=in_language_now(lambda i: by_id[i].caption()), key="node")
    url_state.remember_opening("node", chosen, opening)
    node = store.node(chosen) if chosen else None
    if node is None:
        st.warning(t("node.not_found", node=md_escape(str(chosen))))
        st.stop()

    around = store.neighbourhood(node.id, depth=depth, limit=FETCH_LIMIT)
    with st.expander(t("node.filters"), expanded=False):
        # Every label offered, none chosen (= all): the choice then holds as the depth changes.
        filters = pictures.filter_controls(store, list(NODE_LABELS), [])
        url_state.restore_choice("max_nodes", range(10, 1001, 10))
        limit = int(st.slider(t("graph.max_nodes"), min_value=10, max_value=1000, step=10, key="max_nodes",
                              value=url_state.widget_default("max_nodes", 200)))
        url_state.remember_choice("max_nodes", limit, 200)

    st.header(f"{md_escape(node.name)} · {label_name(node.label)}")
    kept = store.corrections()
    touching = corrections_touching(kept, node_id=node.id)
    if touching:
        st.caption(md_escape(provenance(touching)))
    info_col, picture_col = st.columns([1, 2])
    with info_col:
        st.subheader(t("node.properties"))
        rows = node_details.property_rows(node)
        st.table(pd.DataFrame({t("col.property"): [r[0] for r in rows], t("col.value"): [r[1] for r in rows]}),
                 hide_index=True)
        st.subheader(t("node.aliases"))
        st.markdown(" · ".join(md_escape(a) for a in node.aliases) if node.aliases else t("node.no_aliases"))
    with picture_col:
        st.subheader(t("node.neighbourhood"))
        shown = filter_graph(around, filters, caches.cached_membership(*caches.cache_key(store), store), keep=node.id)
        capped = cap_graph(shown, limit, keep=node.id)
        if len(picture_nodes(around)) >= FETCH_LIMIT:
            st.warning(t("msg.node.fetch_cut", limit=FETCH_LIMIT))
        if capped.cut:
            st.warning(t("msg.graph.cut", total=capped.total, shown=limit))
        st.caption(t("graph.summary", nodes=len(picture_nodes(capped.graph)), edges=len(capped.graph.edges))
                   + " " + t("graph.hint"))
        pictures.show_graph(
            render_graph(capped.graph, label_names=label_names_now(), edge_names=edge_names_now(),
                         focus=node.id, height_px=HEIGHT_PX, node_page=page_frame.NODE_PAGE,
                         words=pictures.picture_words()),
            HEIGHT_PX,
        )

    show_timeline(store, node)

    st.subheader(t("node.evidence"))
    docs = {str(d["id"]): d for d in overview_tables.documents(store)}
    titles = {i: str(d.get("title") or d.get("path") or i) for i, d in docs.items()}
    texts = {d.id: d.text for d in around.documents}
    evidence = node_details.evidence_rows(around, node.id, titles)
    if not evidence:
        st.caption(t("node.no_edges"))
    blocks = []
    for row in evidence[:EVIDENCE_SHOWN]:
        arrow = "→" if row.outgoing else "←"
        detail = f"{arrow} {row.other_name} ({label_name(row.other_label)})"
        if row.sentence:
            body = evidence_html(texts.get(row.document_id, ""), row.sentence, row.start, row.end)
            note = f"{t('node.document')}: {row.document_title} · {t('node.offsets')} {row.start}–{row.end}"
        else:
            body, note = "", t("node.no_evidence")
        key = (row.edge_type, node.id, row.other_id) if row.outgoing else (row.edge_type, row.other_id, node.id)
        edge_kept = corrections_touching(kept, edge_key=key)
        if edge_kept:
            note = f"{note} · {provenance(edge_kept)}"
        blocks.append(relation_html(edge_name(row.edge_type), detail, body, note))
    if blocks:  # one element for all rows: a page of many small elements is slow to draw
        st.html("".join(blocks))
    if len(evidence) > EVIDENCE_SHOWN:
        st.caption(t("node.more_edges", count=len(evidence) - EVIDENCE_SHOWN))
    nearest = store.neighbourhood(node.id, depth=1, limit=FETCH_LIMIT)
    away = corrected_away(kept, node.id, {e.key for e in nearest.edges})
    if away:  # facts whose evidence is no longer shown here: say what was corrected, by whom
        st.caption(md_escape(away_text(away, {e.id: e.name for e in entries})))

    with st.expander(t("correct.title"), expanded=False):
        correct_form(node, nearest, entries, author, done_key=CORRECT_DONE)

    cited = sorted({r.document_id for r in evidence if r.document_id}, key=lambda i: titles.get(i, i))
    if cited:
        st.subheader(t("node.sources"))
    for doc_id in cited:
        meta = docs.get(doc_id, {})
        with st.expander(f"{t('node.document')}: {md_escape(titles.get(doc_id, doc_id))}"):
            fields = [(t(f"col.{c}"), str(meta.get(c) or "")) for c in ("title", "source", "author", "date",
                                                                           "loaded_at", "path")]
            fields.append(("id", doc_id))
            st.table(pd.DataFrame({t("col.property"): [f[0] for f in fields],
                                   t("col.value"): [f[1] for f in fields]}), hide_index=True)
            text = texts.get(doc_id, "")
            spans = [Span(r.start, r.end) for r in evidence
                     if r.document_id == doc_id and text[r.start:r.end] == r.sentence]
            st.caption(t("node.full_text", count=len(spans)))
            st.html(text_html(highlight_html(text[:FULL_TEXT_CHARS], spans)))
            if len(text) > FULL_TEXT_CHARS:
                st.caption(t("node.text_cut", shown=FULL_TEXT_CHARS, total=len(text)))
