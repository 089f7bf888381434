"""Text hygiene before extraction: line endings, the site footer, and Markdown markup.

Two texts come out: the stored text (what the Document keeps and evidence offsets point
into: the file's text with the footer cut off) and the match text (same length: folded to
simplified characters, Markdown markup blanked), on which every extractor runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from govkg.text import fold

__all__ = ["CleanText", "clean", "cut_footer", "mask_markdown"]

# A line that opens a site's copyright or disclaimer block.
_FOOTER_START = re.compile(
    r"(版权及免责声明|免责声明|版权声明|版权所有|copyright|all rights reserved|©|本网(站)?(所有|声明)|未经本网授权)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class CleanText:
    stored: str  # Document.text
    match: str  # same length as `stored`: folded, markup blanked
    markdown: bool
    footer: str  # what was cut off (kept for the record, not stored in the graph)


def clean(text: str, markdown: bool = False) -> CleanText:
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    stored, footer = cut_footer(text)
    match = fold(stored)
    if markdown:
        match = mask_markdown(match)
    return CleanText(stored, match, markdown, footer)


def cut_footer(text: str) -> tuple[str, str]:
    """Split off a copyright/disclaimer footer that starts in the last third of the lines."""
    lines = text.split("\n")
    first_allowed = (len(lines) * 2) // 3
    offset = 0
    for i, line in enumerate(lines):
        if i >= first_allowed and len(line) < 200 and _FOOTER_START.search(fold(line)):
            return text[:offset].rstrip(), text[offset:]
        offset += len(line) + 1
    return text.rstrip(), ""


# Markdown constructs whose markup (not their words) is blanked: headings' hashes, list and quote
# markers, emphasis, inline code ticks, link targets, images, HTML tags, table pipes, rules.
_MD_LINE_PREFIX = re.compile(r"^( {0,3}(#{1,6}|>+|[-*+]|\d{1,3}[.)])[ \t]+)", re.MULTILINE)
_MD_RULE = re.compile(r"^ {0,3}([-*_=])( *\1){2,} *$", re.MULTILINE)
_MD_FENCE = re.compile(r"^ {0,3}(```|~~~).*$", re.MULTILINE)
_MD_LINK = re.compile(r"!?\[([^\]\n]*)\]\(([^)\n]*)\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|~~|`)")
_MD_HTML = re.compile(r"<[^>\n]{1,200}>")
_MD_TABLE = re.compile(r"\|")


def mask_markdown(text: str) -> str:
    """Blank Markdown markup with spaces, keeping every character's position (link words stay)."""
    chars = list(text)

    def blank(start: int, end: int) -> None:
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "

    for m in _MD_FENCE.finditer(text):
        blank(m.start(), m.end())
    for m in _MD_RULE.finditer(text):
        blank(m.start(), m.end())
    for m in _MD_LINE_PREFIX.finditer(text):
        blank(m.start(1), m.end(1))
    for m in _MD_LINK.finditer(text):
        if m.group(0).startswith("!"):
            blank(m.start(), m.end())  # an image's alt text is not part of the case
            continue
        blank(m.start(), m.start(1))
        blank(m.end(1), m.end())
    for regex in (_MD_EMPHASIS, _MD_HTML, _MD_TABLE):
        for m in regex.finditer(text):
            blank(m.start(), m.end())
    return "".join(chars)
