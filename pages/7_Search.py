"""Full-text search page: a name, word or phrase found in every node's name and aliases, every
relationship's evidence sentence and every document's text, in traditional or simplified characters
(graph/text_search.py, docs/search.md). Each hit links to its node's page and shows the sentence with
the match highlighted; a sentence that is evidence at several nodes is shown once with all of them.
The URL holds the query (`q`) and the label (`label`), so a copied link reopens the same search.

Facets (kind, where found, a zone's level and province, document) narrow the first FACETED hits; the
choices are in the URL too (`f_<column>`).

A page of its own rather than a box on the whole-graph page: that page draws a picture of the store
and its filters; a search answers with sentences to read, and its link is worth sharing by itself."""

from __future__ import annotations

import streamlit as st

from govkg.app import caches, connection, error_display, page_frame, url_state
from govkg.app.facet_view import facet_choices
from govkg.app.language import in_language_now, label_name, label_names_now, level_names_now, t
from govkg.app.markdown import md_escape
from govkg.app.text_search_view import (
    FACETED,
    SEARCH_FACETS,
    SHOWN,
    document_note,
    document_titles,
    grouped,
    hit_frame,
    links_markdown,
    query_problem,
    reading_note,
    sentence_html,
)
from govkg.graph.model import NODE_LABELS
from govkg.graph.text_search import search_from_store

QUERY_KEY = "search_q"
LABEL_KEY = "search_label"

page_frame.page_setup("search.title")
store = connection.require_store()

with error_display.reporting_errors():
    if QUERY_KEY not in st.session_state and st.query_params.get("q"):
        st.session_state[QUERY_KEY] = st.query_params["q"]  # a copied link
    query = st.text_input(t("search.query"), key=QUERY_KEY, help=t("search.query_help"))
    url_state.remember_choice("q", query.strip() or None)
    labels = ["", *NODE_LABELS]
    url_state.restore_choice(LABEL_KEY, labels, url_key="label")
    label = st.selectbox(t("search.label"), labels, key=LABEL_KEY,
                         format_func=in_language_now(lambda v: label_name(v) if v else t("search.any_label")))
    url_state.remember_choice("label", label or None)
    problem = query_problem(query)
    if problem is not None:
        st.info(problem)
        st.stop()
    found = search_from_store(store, query, label=label or None, top=FACETED, building=reading_note())
    if not found:
        st.info(t("search.no_hits", query=md_escape(query.strip())))
        st.stop()
    key = caches.cache_key(store)
    titles = document_titles(*key, store)
    levels = {e.id: e.level for e in caches.cached_node_entries(*key, store) if e.level}
    named = {"kind": label_names_now(), "level": level_names_now(), "document": titles,
             "where": {w: t("search.where." + w) for w in ("name", "alias", "evidence", "text")}}
    kept = facet_choices(hit_frame(found, levels, caches.cached_provinces(*key, store).by_id), named,
                         scope="search", columns=SEARCH_FACETS, title=t("search.facets"))
    hits = [found[i] for i in kept.index]
    st.caption(t("search.count", count=len(found)) + (" " + t("search.facets_of", count=FACETED)
                                                      if len(found) >= FACETED else ""))  # fmt: skip
    if len(hits) < len(found):
        st.caption(t("search.shown", shown=len(hits), total=len(found)))
    if len(hits) > SHOWN:
        st.caption(t("search.more", count=SHOWN))
    hits = hits[:SHOWN]
    for group in grouped(hits):
        with st.container(border=True):
            st.markdown(links_markdown(group))
            st.html(sentence_html(group.first))
            note = document_note(group.first, titles)
            if note:
                st.caption(note)
