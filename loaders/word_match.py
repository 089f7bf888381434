"""Finding any of a text's own words in it, longest first, without compiling a pattern.

The extractor looks for words it has just collected from one text (the names it quoted, the places
it named) in that same text. An alternation regex of the words, longest first, does that, but each
text's words differ, so every text compiled two or three patterns of its own: 0.39 s of 4.6 s for
1,000 texts of the synthetic corpus of `govkg bench` (docs/measured.md). `Words` finds the same
matches with `str.find` and `str.startswith`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

__all__ = ["Words"]


class Words:
    """A set of words matched as the regex `w1|w2|…` with the longer words first would match them:
    at each place the longest word that starts there, scanning left to right without overlaps.
    Empty words are ignored (an empty alternative would match everywhere)."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = frozenset(w for w in words if w)
        self._lengths = sorted({len(w) for w in self.words}, reverse=True)

    def __bool__(self) -> bool:
        return bool(self.words)

    def finditer(self, text: str, lo: int = 0, hi: int | None = None) -> Iterator[tuple[int, int, str]]:
        """(start, end, word) of each match inside text[lo:hi], left to right, as re.finditer(text,
        lo, hi) of the alternation: a match may not run past `hi`."""
        hi = len(text) if hi is None else hi
        longest: dict[int, str] = {}  # start -> the longest word found starting there
        for word in self.words:
            at = text.find(word, lo, hi)
            while at >= 0:
                if len(word) > len(longest.get(at, "")):
                    longest[at] = word
                at = text.find(word, at + 1, hi)
        free = lo
        for start in sorted(longest):
            if start >= free:
                word = longest[start]
                free = start + len(word)
                yield start, free, word

    def match(self, text: str, at: int) -> str | None:
        """The longest word that starts at `at`, as the alternation's match(text, at), or None."""
        for length in self._lengths:
            piece = text[at : at + length]
            if len(piece) == length and piece in self.words:
                return piece
        return None
