"""Blocks (title, headings, paragraphs, metadata lines), sentences and clauses, with offsets.

Everything here works on the match text (see loaders.cleanup) and returns offsets that are
valid in the stored text, since both have the same length.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["Block", "Sentence", "clauses", "sentences", "split_blocks", "trim"]

HEADING_MAX_CHARS = 40
_MAX_QUOTE = 400  # a quotation longer than this is taken as an unclosed quote
_TERMINAL = "。！？；;!?：:,，、…"
_OPENERS = "“‘「『《（(【"
_CLOSERS = "”’」』》）)】"
_SENTENCE_END = re.compile(r"[。！？!?；;]+[”’」』）)]*|[“‘「『《（(【”’」』》）)】]")
_CLAUSE_END = re.compile(r"[,，:：]|[“‘「『《（(【”’」』》）)】]")
_HEADING_MARK = re.compile(r"^\s{0,3}#{1,6}\s")


@dataclass(frozen=True)
class Block:
    start: int
    end: int
    kind: str  # "title", "heading", "paragraph" or "meta"


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    block: int  # index into the block list


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) so it neither starts nor ends with whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_blocks(match: str, source: str, meta_lines: set[int], markdown: bool) -> list[Block]:
    """One block per non-empty line. `source` is the stored text (Markdown heading marks are read
    there, since the match text has them blanked); `meta_lines` are line numbers of metadata."""
    blocks: list[Block] = []
    offset = 0
    lines = match.split("\n")
    for number, line in enumerate(lines):
        start, end = trim(match, offset, offset + len(line))
        if start < end:
            if number in meta_lines:
                kind = "meta"
            elif (markdown and _HEADING_MARK.match(source[offset : offset + len(line)])) or (
                _looks_like_heading(match[start:end])
                and not _is_note(match[start:end])  # （记者 张三）, （本文为测试而编写）: a note, not a heading
                and _has_body_after(lines, number, meta_lines)
            ):
                kind = "heading"
            else:
                kind = "paragraph"
            blocks.append(Block(start, end, kind))
        offset += len(line) + 1
    # The first heading before any paragraph is the title when a Markdown H1 or a plain first line;
    # a bracketed note above it (（测试用文本…）, 【编者按】…) does not count as a paragraph.
    for i, block in enumerate(blocks):
        if block.kind == "meta" or (block.kind == "paragraph" and _is_note(match[block.start : block.end])):
            continue
        if block.kind == "heading" and _is_title(source, block, markdown):
            blocks[i] = Block(block.start, block.end, "title")
        break
    return blocks


def _is_note(line: str) -> bool:
    return (line[:1] in "（(【[" and line[-1:] in "）)】]") or line.startswith(("【编者按】", "编者按"))


def _is_title(source: str, block: Block, markdown: bool) -> bool:
    line_start = source.rfind("\n", 0, block.start) + 1
    if markdown:
        return source[line_start : block.end].lstrip().startswith("# ")
    return True


def _looks_like_heading(line: str) -> bool:
    stripped = line.strip()
    return 2 <= len(stripped) <= HEADING_MAX_CHARS and stripped[-1] not in _TERMINAL


def _has_body_after(lines: list[str], number: int, meta_lines: set[int]) -> bool:
    """A heading has body text below it: a longer line, past metadata lines (a byline) and other
    headings (a title followed by a section heading)."""
    for later in range(number + 1, min(len(lines), number + 12)):
        text = lines[later].strip()
        if not text or later in meta_lines or _looks_like_heading(text):
            continue
        return True
    return False


def _closed(match: str, after: int, opener: str, limit: int) -> bool:
    """The quote or bracket opened just before `after` closes nearby; an unclosed one is a typo,
    not a quotation to keep whole."""
    closer = _CLOSERS[_OPENERS.index(opener)]
    return match.find(closer, after, min(limit, after + _MAX_QUOTE)) >= 0


def sentences(match: str, block: Block, index: int) -> Iterator[Sentence]:
    """Sentences of a block: split after 。！？；!?; (with closing quotes) outside quotes and brackets."""
    depth = 0
    start = block.start
    for m in _SENTENCE_END.finditer(match, block.start, block.end):
        token = m.group(0)
        if token in _OPENERS:
            if _closed(match, m.end(), token, block.end):
                depth += 1
            continue
        if token in _CLOSERS:
            depth = max(0, depth - 1)
            continue
        # 。” closes the quote it ends: the sentence ends there when no quote stays open.
        closers = sum(1 for ch in token if ch in _CLOSERS)
        depth = max(0, depth - closers)
        if depth > 0:
            continue
        s, e = trim(match, start, m.end())
        if s < e:
            yield Sentence(s, e, index)
        start = m.end()
    s, e = trim(match, start, block.end)
    if s < e:
        yield Sentence(s, e, index)


def clauses(match: str, start: int, end: int) -> list[tuple[int, int]]:
    """Clauses of a sentence: split at commas and colons outside quotes and brackets."""
    found: list[tuple[int, int]] = []
    depth = 0
    clause_start = start
    for m in _CLAUSE_END.finditer(match, start, end):
        token = m.group(0)
        if token in _OPENERS:
            depth += 1 if _closed(match, m.end(), token, end) else 0
        elif token in _CLOSERS:
            depth = max(0, depth - 1)
        elif depth == 0:
            s, e = trim(match, clause_start, m.start())
            if s < e:
                found.append((s, e))
            clause_start = m.end()
    s, e = trim(match, clause_start, end)
    if s < e:
        found.append((s, e))
    return found
