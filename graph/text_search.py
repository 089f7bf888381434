"""Full-text search over names, aliases, evidence sentences and documents' text, Chinese-aware.

A query is folded as the index folds passages (graph/text_index.match_form: traditional characters to
simplified, full-width to half-width, ASCII lower case) and split into terms at whitespace and quote
marks (“”「」《》"' …). Every term must occur in a passage, as written (after folding): a hit is an exact
occurrence, never a guess. The index finds the candidates from the terms' grams (the bigrams of a term,
its character when it is one character long); a passage that holds all the grams of a term longer than
two characters but not the term itself (网格 and 格化 far apart, not 网格化) is checked and dropped. Every
other character is an ordinary character: `"`, `*`, `~`, `(`, `\\` have no meaning here and reach no
query language (both engines are searched through the same index, graph/text_index.py, never through
Cypher or Lucene syntax).

Ranking, best first:
1. exact names: a name or alias equal to the query (quotes and spaces aside) — the node the reader
   named;
2. other names and aliases holding the query, then
3. evidence sentences and documents' sentences holding it;
within each, by BM25 over the query's grams (k1 = 1.2, b = 0.75, the usual values), with each kind of
passage measured against its own mean length (a name of 8 characters is short for a sentence, long for
a name). Ties: the passage's place in the index (names alphabetically, sentences by document and
offset), then the owner (name before alias before evidence before text, then label, then id).

Why names first rather than one BM25 over everything (measured on the bundled cases and article, 568
passages): searching each mechanism by its full name, BM25 alone ranked the mechanism's own name first
for 1 of 28 (a case-sheet line such as 机制：一委N坊自治体系 is short for a sentence, while the name is of
a name's usual length, so the line scores higher), each zone by its name for 2 of 21; with names first,
28 of 28 and 21 of 21. A reader who types a name is looking for the node first; the sentences follow. BM25
still orders the many sentences, favouring those that hold the query more often and are shorter.

Each hit is one node and one passage: the node's id, label and name, where the passage is the node's
(`name`, `alias`, `evidence`, `text`), the passage (a sentence longer than SNIPPET_CHARS is cut to a
window around the first match), the start and end of the first match in it and every match, and for
evidence and text the document and where the passage starts in the document's stored text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from govkg.errors import SearchError
from govkg.graph.model import NODE_LABELS
from govkg.graph.store import GraphStore
from govkg.graph.text_index import (
    EVIDENCE,
    NAME_KIND,
    WHERE,
    TextIndex,
    exact_hash,
    exact_key,
    gram_keys,
    match_form,
)
from govkg.graph.text_index_cache import index_for_store

__all__ = [
    "DEFAULT_TOP",
    "MAX_QUERY_CHARS",
    "MAX_TOP",
    "SNIPPET_CHARS",
    "SearchHit",
    "query_terms",
    "search_from_store",
    "search_index",
]

MAX_QUERY_CHARS = 200  # longer than a sentence: a pasted paragraph is refused, not searched
DEFAULT_TOP = 10
MAX_TOP = 1000
SNIPPET_CHARS = 240  # a longer sentence is shown as a window of this many characters around its match
K1, B = 1.2, 0.75
_TIER_GAP = 1e9  # far above any score: a 200-character query has at most 199 grams of idf < 30 each
_SPLIT = re.compile(r"[\s“”‘’\"'「」『』《》〈〉]+")


@dataclass(frozen=True)
class SearchHit:
    """One node and one passage that holds the query (see the module docstring)."""

    node: str
    label: str
    name: str
    where: str  # name, alias, evidence or text
    sentence: str  # the name, alias or sentence (a window of a long one)
    start: int  # the first match: sentence[start:end]
    end: int
    spans: tuple[tuple[int, int], ...]  # every match of every term, in order
    document: str | None  # evidence and text: the document
    document_start: int | None  # where `sentence` starts in the document's stored text
    relationships: tuple[tuple[str, str, str], ...]  # evidence: (type, source id, target id) it supports
    exact: bool  # a name or alias equal to the query
    score: float

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (docs/contracts.md, `govkg search --format json`)."""
        return {
            "node": self.node,
            "label": self.label,
            "name": self.name,
            "where": self.where,
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
            "spans": [list(s) for s in self.spans],
            "document": self.document,
            "document_start": self.document_start,
            "relationships": [{"type": t, "source": s, "target": e} for t, s, e in self.relationships],
            "exact": self.exact,
            "score": self.score,
        }


def query_terms(query: str) -> list[str]:
    """The terms of `query` in matching form, each once; SearchError (one line, what to do) for a query
    that is empty or longer than MAX_QUERY_CHARS."""
    text = query.strip()
    if len(text) > MAX_QUERY_CHARS:
        raise SearchError(
            f"the search text is {len(text)} characters long; search for at most {MAX_QUERY_CHARS} "
            "(a name, a word or a phrase)"
        )
    terms = list(dict.fromkeys(t for t in _SPLIT.split(match_form(text)) if t))
    if not terms:
        raise SearchError("the search text is empty (spaces and quote marks aside): give a name, a word or a phrase "
                          "to search for")
    return terms


def search_index(index: TextIndex, query: str, *, label: str | None = None, top: int = DEFAULT_TOP) -> list[SearchHit]:
    """The `top` best hits of `query` in `index`, best first (see the module docstring); only nodes of
    `label` if given."""
    terms = query_terms(query)
    if label is not None and label not in NODE_LABELS:
        raise SearchError(f"unknown label {label!r}; give one of {', '.join(NODE_LABELS)}")
    top = max(1, min(int(top), MAX_TOP))
    found = _candidates(index, terms)
    if found is None:
        return []
    passages, score = found
    if label is not None:
        keep = (index.label_bits[passages] & np.uint8(1 << NODE_LABELS.index(label))) > 0
        passages, score = passages[keep], score[keep]
    wanted = exact_key(query)
    exact = index.exact[passages] == np.uint64(exact_hash(wanted))
    if exact.any():  # a digest can collide: the names themselves decide
        exact[exact] = [exact_key(index.passage(int(p))) == wanted for p in passages[exact]]
    tier = np.where(exact, 0, np.where(index.kind[passages] == NAME_KIND, 1, 2))
    rank = tier * _TIER_GAP - score  # smaller is better
    check = any(len(t) > 2 for t in terms)  # a term of one or two characters is its own gram: no check
    hits: list[SearchHit] = []
    for i in _best_first(rank, passages, top):
        p = int(passages[i])
        form = match_form(index.passage(p))
        if check and not all(t in form for t in terms):
            continue
        hits.extend(_hits(index, p, form, terms, bool(exact[i]), float(score[i]), label, top - len(hits)))
        if len(hits) >= top:
            break
    return hits


def search_from_store(store: GraphStore, query: str, *, label: str | None = None, top: int = DEFAULT_TOP,
                      building: Callable[[], None] | None = None) -> list[SearchHit]:  # fmt: skip
    """`search_index` over the store's index, built or refreshed first if the store's data changed
    (graph/text_index_cache.py; `building` is called before a build): never a hit from data the store
    no longer holds."""
    query_terms(query)  # refuse a bad query before any index is read or built
    return search_index(index_for_store(store, building=building), query, label=label, top=top)


def _candidates(index: TextIndex, terms: list[str]) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float64]] | None:
    """The passages holding every gram of every term, with their BM25 score; None if a gram is absent."""
    keys = sorted({k for t in terms for k in gram_keys(t)})
    lists = []
    for key in keys:
        g = int(np.searchsorted(index.gram_keys, np.uint64(key)))
        if g >= len(index.gram_keys) or int(index.gram_keys[g]) != key:
            return None
        lo, hi = int(index.gram_ptr[g]), int(index.gram_ptr[g + 1])
        lists.append((index.post_passage[lo:hi], index.post_tf[lo:hi]))
    lists.sort(key=lambda pair: len(pair[0]))
    passages = lists[0][0]
    tfs = [lists[0][1]]
    for held, tf in lists[1:]:
        at = np.searchsorted(held, passages)
        at[at >= len(held)] = 0
        keep = held[at] == passages
        passages = passages[keep]
        tfs = [t[keep] for t in tfs]
        tfs.append(tf[at[keep]])
        if not len(passages):
            return None
    total = index.passages
    lengths = (index.offsets[passages + 1] - index.offsets[passages]).astype(np.float64)
    mean = np.where(index.kind[passages] == NAME_KIND, index.avg_length[0], index.avg_length[1])
    norm = K1 * (1 - B + B * lengths / mean)
    score = np.zeros(len(passages), dtype=np.float64)
    for (held, _), tf in zip(lists, tfs, strict=True):
        df = len(held)
        idf = math.log(1 + (total - df + 0.5) / (df + 0.5))
        f = tf.astype(np.float64)
        score += idf * f * (K1 + 1) / (f + norm)
    return passages, score


def _best_first(rank: npt.NDArray[np.float64], passages: npt.NDArray[np.int32], top: int) -> Iterator[int]:
    """Indices into the candidates, best first by (rank, passage), sorting only as many as a search
    needs: the best 4*top first (a partial sort), the rest only if checks or filters left too few."""
    if len(rank) <= 4 * top + 64:
        yield from np.lexsort((passages, rank)).tolist()
        return
    threshold = np.partition(rank, 4 * top)[4 * top]
    first = np.flatnonzero(rank <= threshold)
    yield from first[np.lexsort((passages[first], rank[first]))].tolist()
    rest = np.flatnonzero(rank > threshold)
    yield from rest[np.lexsort((passages[rest], rank[rest]))].tolist()


def _hits(index: TextIndex, p: int, form: str, terms: list[str], exact: bool, score: float, label: str | None,
          room: int) -> list[SearchHit]:  # fmt: skip
    """The hits of passage `p` (one per owner, of `label` if given), at most `room`."""
    text = index.passage(p)
    spans = _spans(form, terms)
    if not spans:
        return []
    lo, hi = _window(len(text), spans[0])
    shown = tuple((s - lo, e - lo) for s, e in spans if s >= lo and e <= hi)
    doc = int(index.document[p])
    out: list[SearchHit] = []
    for o in range(int(index.owner_ptr[p]), int(index.owner_ptr[p + 1])):
        node = int(index.owner_node[o])
        if label is not None and index.node_labels[node] != label:
            continue
        where = int(index.owner_where[o])
        node_id = index.node_ids[node]
        out.append(SearchHit(
            node=node_id, label=index.node_labels[node], name=index.node_names[node] or node_id,
            where=WHERE[where], sentence=text[lo:hi], start=shown[0][0], end=shown[0][1], spans=shown,
            document=index.documents[doc] if doc >= 0 else None,
            document_start=int(index.start[p]) + lo if doc >= 0 else None,
            relationships=_relationships(index, o) if where == EVIDENCE else (), exact=exact, score=round(score, 4),
        ))  # fmt: skip
        if len(out) >= room:
            break
    return out


def _relationships(index: TextIndex, owner: int) -> tuple[tuple[str, str, str], ...]:
    """The relationships an evidence owner stands for: (type, source id, target id), sorted."""
    held = index.owner_rel[int(index.owner_rel_ptr[owner]) : int(index.owner_rel_ptr[owner + 1])].tolist()
    ids = index.node_ids
    return tuple(sorted((index.rel_types[int(index.rel_type[r])], ids[int(index.rel_source[r])],
                         ids[int(index.rel_target[r])]) for r in held))  # fmt: skip


def _spans(form: str, terms: list[str]) -> list[tuple[int, int]]:
    """Every occurrence of every term in `form`, in order, overlaps dropped (the earlier, then the
    longer, stays)."""
    found = []
    for term in terms:
        at = form.find(term)
        while at >= 0:
            found.append((at, at + len(term)))
            at = form.find(term, at + len(term))
    found.sort(key=lambda s: (s[0], -s[1]))
    spans: list[tuple[int, int]] = []
    for s, e in found:
        if not spans or s >= spans[-1][1]:
            spans.append((s, e))
    return spans


def _window(length: int, first: tuple[int, int]) -> tuple[int, int]:
    """The part of a passage of `length` characters shown: all of it, or SNIPPET_CHARS around the first
    match (a third before it)."""
    if length <= SNIPPET_CHARS:
        return 0, length
    lo = max(0, min(first[0] - SNIPPET_CHARS // 3, length - SNIPPET_CHARS))
    return lo, min(length, max(lo + SNIPPET_CHARS, first[1]))
