"""Reading a name out of running text around a known ending (…体系, …互助组, …换届).

Chinese runs words together, so a name's start is found by walking back word by word (jieba)
from its ending until a verb or function word that names never contain (组建|党员邻里互助组).
"""

from __future__ import annotations

import re

from govkg.loaders.lexicon import boundary_words, generic_name_words, org_suffixes, tokenize

__all__ = ["closes_word", "distinctive", "name_after", "name_before", "stops"]

_HAN_RUN = re.compile(r"[\u3400-\u9fffA-Za-z0-9+]+")
_DASHES = "—-－–―"


def name_before(text: str, end: int, suffix_start: int, lo: int, max_chars: int = 12) -> tuple[int, list[str]] | None:
    """Start and words of the name that ends at `end`, whose ending begins at `suffix_start`.

    Returns None when the ending does not close a word (村社 is not 村 + 社)."""
    run_start = max(lo, end - max_chars - (end - suffix_start) - 4)
    for run in _HAN_RUN.finditer(text, run_start, end):
        if run.end() == end:
            run_start = run.start()
    stretch = text[run_start:end]
    if not stretch:
        return None
    tokens = _joined_heads(tokenize(stretch))
    if not tokens or not _ends_at(tokens, end - suffix_start) or not closes_word(text, end):
        return None
    # Right after a dash or a colon the whole short stretch is the name (公益组织——和音坊社区服务中心),
    # even when it opens with a word that is also a conjunction (和).
    preceding = text[run_start - 1] if run_start > lo else ""
    after_dash = bool(preceding) and preceding in _DASHES + ":：" and len(stretch) <= max_chars
    if after_dash and not any(_stops(t) for t in tokens[1:]):
        return run_start, tokens
    words: list[str] = []
    size = 0
    for token in reversed(tokens):
        covered = bool(words) and len("".join(words)) >= end - suffix_start
        if covered and (_stops(token) or size + len(token) > max_chars):
            break
        words.insert(0, token)
        size += len(token)
    return end - size, words


def _joined_heads(tokens: list[str]) -> list[str]:
    """Tokens with a body's head put back together (乡贤|参事|会 -> 乡贤|参事会): jieba splits heads it
    does not know, and 会 alone reads as the modal verb that ends a name."""
    heads = org_suffixes()
    out: list[str] = []
    for token in tokens:
        if out and len(token) == 1 and out[-1] + token in heads:
            out[-1] += token
        else:
            out.append(token)
    return out


def closes_word(text: str, end: int) -> bool:
    """No word runs on past `end` (基金 in 基金会 does not end a word)."""
    window = text[max(0, end - 4) : end + 3]
    cut = end - max(0, end - 4)
    position = 0
    for token in tokenize(window):
        if position == cut:
            return True
        if position > cut:
            return False
        position += len(token)
    return position == cut


def stops(token: str) -> bool:
    """A word names never contain: a verb or function word that is not also a name word (创新, 服务)."""
    return token in boundary_words() and token not in generic_name_words()


_stops = stops


def _ends_at(tokens: list[str], suffix_len: int) -> bool:
    """The last words together are exactly the ending (or end with it): the ending closes a word."""
    size = 0
    for token in reversed(tokens):
        size += len(token)
        if size >= suffix_len:
            return True
    return False


def name_after(text: str, start: int, hi: int, endings: tuple[str, ...], max_chars: int = 16) -> int | None:
    """End of a name part that continues after a quoted term (“教治”融通发展创新模式): the longest
    run of name words from `start` that finishes with one of `endings`, or None."""
    run = _HAN_RUN.match(text, start, min(hi, start + max_chars + 2))
    if run is None:
        return None
    pos = start
    best: int | None = None
    for token in tokenize(run.group(0)):
        if _stops(token):
            break
        pos += len(token)
        if pos - start > max_chars:
            break
        if token.endswith(endings):
            best = pos
    return best


def distinctive(words: list[str], ending: str) -> bool:
    """Some word of the name (ending aside) is not a generic word: 社区微自治体系 yes, 社区治理体系 no."""
    body = "".join(words)
    if body.endswith(ending):
        body = body[: -len(ending)]
    if not body:
        return False
    rest = [w for w in tokenize(body) if w not in generic_name_words()]
    return bool(rest)
