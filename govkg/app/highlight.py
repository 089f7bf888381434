"""Text from data, marked up as HTML that can only ever show it as text.

The app shows evidence sentences highlighted inside their paragraph and the entities an upload
names highlighted in its text. Every piece of source text goes through html.escape; the only tags
are the fixed <mark>/<span>/<div> this module writes, with attribute values escaped too. Pages show
the result with st.html (no markdown or LaTeX runs on it); the Load page's text goes through
span_picker, which sets it as its text box's HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

__all__ = [
    "ELLIPSIS",
    "EVIDENCE_COLOUR",
    "PARAGRAPH_CHARS",
    "Span",
    "entity_spans",
    "evidence_html",
    "highlight_html",
    "paragraph_bounds",
    "relation_html",
    "text_html",
]

PARAGRAPH_CHARS = 480  # context shown around an evidence sentence in a very long paragraph
ELLIPSIS = "…"
EVIDENCE_COLOUR = "#FFE08A"
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\n")
_SENTENCE_END = "。！？!?；;"
_BOX_STYLE = "line-height:1.7;font-size:0.95rem;white-space:pre-wrap;word-break:break-word"


@dataclass(frozen=True)
class Span:
    """Characters [start, end) of a text to mark, with a background colour and a hover title."""

    start: int
    end: int
    colour: str = EVIDENCE_COLOUR
    title: str = ""


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


_COLOUR = re.compile(r"^#[0-9A-Fa-f]{3,8}$")


def _mark(text: str, span: Span) -> str:
    colour = span.colour if _COLOUR.match(span.colour) else EVIDENCE_COLOUR  # never data in a style
    title = f' title="{_attr(span.title)}"' if span.title else ""
    return (f'<mark style="background:{colour};padding:0 1px;border-radius:2px"{title}>'
            f"{html.escape(text)}</mark>")


def highlight_html(text: str, spans: Iterable[Span]) -> str:
    """`text` escaped, with each span wrapped in a <mark>; overlapping spans after the first are
    dropped, spans outside the text ignored."""
    out: list[str] = []
    at = 0
    for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        start, end = max(span.start, 0), min(span.end, len(text))
        if start < at or end <= start:
            continue
        out.append(html.escape(text[at:start]))
        out.append(_mark(text[start:end], span))
        at = end
    out.append(html.escape(text[at:]))
    return "".join(out)


def text_html(body: str, *, css_class: str = "govkg-text") -> str:
    """Marked-up text (from highlight_html) in a block that keeps line breaks."""
    return f'<div class="{_attr(css_class)}" style="{_BOX_STYLE}">{body}</div>'


def paragraph_bounds(text: str, start: int, end: int, max_chars: int = PARAGRAPH_CHARS) -> tuple[int, int]:
    """The paragraph (between line breaks) holding text[start:end]; when it is much longer than
    `max_chars`, the sentences around the span that fit in about `max_chars`."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    left = max((m.end() for m in _PARAGRAPH_BREAK.finditer(text, 0, start)), default=0)
    found = _PARAGRAPH_BREAK.search(text, end)
    right = found.start() if found else len(text)
    if right - left <= max_chars:
        return left, right
    room = max(0, (max_chars - (end - start)) // 2)
    lo, hi = max(left, start - room), min(right, end + room)
    # Widen or trim to whole sentences where one ends close by.
    cut = max((text.rfind(ch, lo, start) for ch in _SENTENCE_END), default=-1)
    lo = cut + 1 if cut >= lo else lo
    stop = [p for p in (text.find(ch, end, hi) for ch in _SENTENCE_END) if p >= 0]
    hi = min(stop) + 1 if stop else hi
    return lo, hi


def evidence_html(document_text: str, sentence: str, start: int, end: int) -> str:
    """The evidence sentence highlighted inside its paragraph of the document. When the offsets do
    not point at the sentence (a document stored without its text), the sentence alone, marked."""
    if not document_text or document_text[start:end] != sentence:
        found = document_text.find(sentence) if document_text and sentence else -1
        if found < 0:
            return text_html(highlight_html(sentence, [Span(0, len(sentence))]), css_class="govkg-evidence")
        start, end = found, found + len(sentence)
    lo, hi = paragraph_bounds(document_text, start, end)
    body = highlight_html(document_text[lo:hi], [Span(start - lo, end - lo)])
    before = ELLIPSIS if lo > 0 and document_text[lo - 1] not in "\n" else ""
    after = ELLIPSIS if hi < len(document_text) and document_text[hi] not in "\n" else ""
    return text_html(f"{before}{body}{after}", css_class="govkg-evidence")


def relation_html(heading: str, detail: str, body: str, note: str) -> str:
    """One relationship of a node: a bold heading (its type), the other end, the evidence (`body`,
    already HTML from evidence_html) and a note (document and characters). Texts are escaped here."""
    return (
        f'<div class="govkg-relation" style="margin:0.9rem 0 0.25rem"><b>{html.escape(heading)}</b> '
        f"{html.escape(detail)}</div>{body}"
        f'<div class="govkg-note" style="color:#6b6f7b;font-size:0.85rem;margin-top:0.2rem">{html.escape(note)}</div>'
    )


def entity_spans(text: str, names: Mapping[str, tuple[str, str]], min_length: int = 2) -> list[Span]:
    """Where the names of extracted entities occur in `text`: name -> (colour, hover title).
    Longer names win where they overlap (当湖街道 inside 平湖市当湖街道 is not marked twice)."""
    wanted = sorted((n for n in names if len(n) >= min_length), key=len, reverse=True)
    taken = bytearray(len(text))
    spans: list[Span] = []
    for name in wanted:
        colour, title = names[name]
        at = text.find(name)
        while at >= 0:
            stop = at + len(name)
            if not any(taken[at:stop]):
                taken[at:stop] = b"\x01" * len(name)
                spans.append(Span(at, stop, colour, title))
            at = text.find(name, stop)
    return sorted(spans, key=lambda s: s.start)
