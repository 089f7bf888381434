"""Categories of a mechanism from the taxonomy's cue words, each assignment with the cue that made it.

A cue counts only as a word, or a word's start or end, of the text it is found in: 村社 is no cue
in 乡村社区 (乡村|社区), while 站 is one in 五站. The mechanism's own names decide first; only a
name with no cue is classed by the clause that names it.
"""

from __future__ import annotations

from collections.abc import Sequence

from loaders.lexicon import tokenize
from loaders.taxonomy import Category, CategoryMatch

__all__ = ["mechanism_categories"]


def mechanism_categories(
    names: Sequence[str],
    *,
    context: str = "",
    description: str = "",
    parts: Sequence[str] = (),
    taxonomy: tuple[Category, ...],
) -> list[CategoryMatch]:
    """The categories of a mechanism known by `names`, named in the clause `context` (empty for a
    list item, which would take its neighbours' cues), described by `description`, with `parts`."""
    matches = _cues(list(names), taxonomy)
    if not matches and context:
        matches = _cues([context], taxonomy)
    return matches


def _cues(texts: list[str], taxonomy: tuple[Category, ...]) -> list[CategoryMatch]:
    """Categories whose cue is a word or a word's start or end in one of `texts`: 村社 is no cue
    in 乡村社区 (乡村|社区), while 站 is one in 五站."""
    found: dict[str, CategoryMatch] = {}
    for text in texts:
        if not any(cue in text for cat in taxonomy for cue in cat.cues):
            continue
        bounds = _token_bounds(text)
        for category in taxonomy:
            if category.key in found:
                continue
            for cue in category.cues:
                position = text.find(cue)
                while position >= 0:
                    if position in bounds or position + len(cue) in bounds:
                        found[category.key] = CategoryMatch(category, cue)
                        break
                    position = text.find(cue, position + 1)
                if category.key in found:
                    break
    return list(found.values())


def _token_bounds(text: str) -> set[int]:
    bounds = {0, len(text)}
    position = 0
    for token in tokenize(text):
        position += len(token)
        bounds.add(position)
    return bounds
