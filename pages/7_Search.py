"""Full-text search page: a name, word or phrase found in every node's name and aliases, every
relationship's evidence sentence and every document's text, in traditional or simplified characters
(graph/text_search.py, docs/search.md). Each hit links to its node's page and shows the sentence with
the match highlighted; a sentence that is evidence at several nodes is shown once with all of them.
The URL holds the query (`q`) and the label (`label`), so a copied link reopens the same search.

A page of its own rather than a box on the whole-graph page: that page draws a picture of the store
and its filters; a search answers with sentences to read, and its link is worth sharing by itself."""

from __future__ import annotations

import streamlit as st

from govkg.app import caches, connection, error_display, page_frame, url_state
from govkg.app.language import in_language_now, label_name, t
from govkg.app.markdown import md_escape
from govkg.app.text_search_view import (
    SHOWN,
    document_note,
    document_titles,
    grouped,
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
    hits = search_from_store(store, query, label=label or None, top=SHOWN, building=reading_note())
    if not hits:
        st.info(t("search.no_hits", query=md_escape(query.strip())))
        st.stop()
    st.caption(t("search.count", count=len(hits)) + (" " + t("search.more", count=SHOWN) if len(hits) >= SHOWN
                                                      else ""))  # fmt: skip
    titles = document_titles(*caches.cache_key(store), store)
    for group in grouped(hits):
        with st.container(border=True):
            st.markdown(links_markdown(group))
            st.html(sentence_html(group.first))
            note = document_note(group.first, titles)
            if note:
                st.caption(note)
