"""The Search page's data: full-text hits (graph/text_search.py) grouped by sentence, each node a link to
its page, the sentence with every match highlighted (escaped, govkg/app/highlight.py), and where in
which document it stands. Words come from govkg/i18n.py in the reader's language."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import pandas as pd
import streamlit as st

from govkg.app.connection import forgotten_on_release
from govkg.app.highlight import Span, highlight_html, text_html
from govkg.app.language import LANGUAGE_KEY, label_name, language, t
from govkg.app.markdown import md_escape
from govkg.app.overview_tables import documents
from govkg.app.page_frame import NODE_PAGE
from govkg.errors import SearchError
from govkg.graph.store import GraphStore
from govkg.graph.text_search import MAX_QUERY_CHARS, SearchHit, query_terms
from govkg.i18n import DEFAULT_LANGUAGE

__all__ = ["FACETED", "SEARCH_FACETS", "SHOWN", "HitGroup", "document_note", "document_titles", "grouped",
           "hit_frame", "links_markdown", "node_url", "query_problem", "sentence_html"]  # fmt: skip

SHOWN = 50  # hits a search shows
FACETED = 500  # hits a search reads, for its facets' counts: beyond the first page, few enough to count at once
SEARCH_FACETS: tuple[str, ...] = ("kind", "where", "level", "province", "document")


@dataclass(frozen=True)
class HitGroup:
    """Hits of one sentence (the same document, place and text) at one or more nodes, or one name."""

    hits: tuple[SearchHit, ...]

    @property
    def first(self) -> SearchHit:
        return self.hits[0]


def grouped(hits: list[SearchHit]) -> list[HitGroup]:
    """Neighbouring hits of the same sentence as one group (a sentence is evidence at a zone and at the
    mechanism it adopts, and a sentence of its document), in the order of the hits."""
    groups: list[list[SearchHit]] = []
    for hit in hits:
        if groups and hit.document is not None and _same_sentence(groups[-1][0], hit):
            groups[-1].append(hit)
        else:
            groups.append([hit])
    return [HitGroup(tuple(g)) for g in groups]


def _same_sentence(a: SearchHit, b: SearchHit) -> bool:
    return (a.document, a.document_start, a.sentence) == (b.document, b.document_start, b.sentence)


def hit_frame(hits: list[SearchHit], levels: Mapping[str, str], provinces: Mapping[str, str]) -> pd.DataFrame:
    """The hits as rows for their facets (one row a hit, in order): the node's kind, where the match
    is, a zone's level and province (empty for other nodes), the document of a sentence."""
    return pd.DataFrame({
        "kind": [h.label for h in hits],
        "where": [h.where for h in hits],
        "level": [levels.get(h.node, "") for h in hits],
        "province": [provinces.get(h.node, "") for h in hits],
        "document": [h.document or "" for h in hits],
    })  # fmt: skip


def query_problem(query: str) -> str | None:
    """The reader's words for a query that cannot be searched (None: it can); the page says them
    instead of searching."""
    try:
        query_terms(query)
    except SearchError:
        if len(query.strip()) > MAX_QUERY_CHARS:
            return t("search.too_long", count=len(query.strip()), most=MAX_QUERY_CHARS)
        return t("msg.search.hint")
    return None


def node_url(node_id: str) -> str:
    """The node page's address for a node, in the reader's language (a link relative to this page)."""
    params = {"node": node_id}
    if language() != DEFAULT_LANGUAGE:
        params[LANGUAGE_KEY] = language()
    return f"./{NODE_PAGE}?{urlencode(params, quote_via=quote)}"


def links_markdown(group: HitGroup) -> str:
    """Each node of a group as a link to its page, with its label and where the sentence is its."""
    return " · ".join(
        f"**[{md_escape(h.name)}]({node_url(h.node)})** ({md_escape(label_name(h.label))}, "
        f"{md_escape(t('search.where.' + h.where))})"
        for h in group.hits
    )


def sentence_html(hit: SearchHit) -> str:
    """The sentence (or name) with every match marked, escaped."""
    return text_html(highlight_html(hit.sentence, [Span(s, e) for s, e in hit.spans]), css_class="govkg-search-hit")


def document_note(hit: SearchHit, titles: dict[str, str]) -> str | None:
    """Which document a sentence is from and its characters there (None for a name or alias)."""
    if hit.document is None or hit.document_start is None:
        return None
    return t("search.in_document", document=md_escape(titles.get(hit.document, hit.document)),
             start=hit.document_start, end=hit.document_start + len(hit.sentence))  # fmt: skip


@forgotten_on_release
@st.cache_resource(ttl=600, max_entries=2, show_spinner=False)
def document_titles(key: str, version: tuple[tuple[str, int], ...], _store: GraphStore) -> dict[str, str]:
    """Document id -> its title (else its file), kept per data version (caches.cache_key)."""
    return {str(d["id"]): str(d.get("title") or d.get("path") or d["id"]) for d in documents(_store)}


def reading_note() -> Callable[[], None]:
    """What a search says while it reads the store for its index (once after each change)."""

    def say() -> None:
        st.caption(t("search.reading"))

    return say
