"""Categories of a mechanism from the taxonomy's cue words, each assignment with the cue that made it.

A cue counts only as whole words, or a word's start or end, of the text it is found in: 村社 is no
cue in 乡村社区 (乡村|社区), nor 为老 in 为老年人 (为|老年人), while 站 is one in 五站. Texts are
matched in simplified characters (a traditional text's 協商 is 协商), and the cue recorded is the
taxonomy's.

What speaks for a practice, strongest first:

1. its own names, and the names of its parts (HAS_PART: 有事好商量 makes a 四量工作法 a
   deliberation; the parts of a practice are what it does);
2. else its description, the sentence around it (社区每月开展…，由居民代表商议…), read outside
   quotation marks only: a quoted term there names another thing (a neighbour in a list of
   practices, a slogan), while the unquoted words say what this practice is;
3. else the clause that names it (`context`; empty for a list item, which would take its
   neighbours' cues).

Names decide alone when they hold a cue: a description speaks of more than one thing, and adding
its cues to a named category would blur the very kind the name gives.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from govkg.loaders.lexicon import tokenize
from govkg.loaders.taxonomy import Category, CategoryMatch
from govkg.text import fold

__all__ = ["mechanism_categories", "unquoted"]

# A quoted stretch in any of the genre's quoting styles (“…”, 「…」, 『…』, "…", ‘…’, 《…》).
_QUOTED = re.compile(r"“[^”]*”|「[^」]*」|『[^』]*』|\"[^\"]*\"|‘[^’]*’|《[^》]*》")


def mechanism_categories(
    names: Sequence[str],
    *,
    context: str = "",
    description: str = "",
    parts: Sequence[str] = (),
    taxonomy: tuple[Category, ...],
) -> list[CategoryMatch]:
    """The categories of a mechanism known by `names`, with `parts` (the names of its components),
    described by `description` (the sentence around it), named in the clause `context` (empty for a
    list item). See the module docstring for the order."""
    matches = _cues([*names, *parts], taxonomy)
    if not matches and description:
        matches = _cues([unquoted(description)], taxonomy)
    if not matches and context:
        matches = _cues([context], taxonomy)
    return matches


def unquoted(text: str) -> str:
    """`text` with every quoted stretch cut to a comma, so no cue spans the cut: the words the
    author writes in their own voice.

    >>> unquoted("推行“友邻议事会”，由居民协商")
    '推行，，由居民协商'
    """
    return _QUOTED.sub("，", text)


def _cues(texts: Iterable[str], taxonomy: tuple[Category, ...]) -> list[CategoryMatch]:
    """Categories whose cue is a word or a word's start or end in one of `texts`, each with the
    first such cue (taxonomy order); categories in taxonomy order."""
    found: dict[str, CategoryMatch] = {}
    cues = _all_cues(taxonomy)
    for raw in texts:
        text = fold(raw)
        # The cues the text holds at all, in taxonomy order: most texts hold none or a few of the
        # taxonomy's cues, and each one absent cost a search and a call (12 % of extraction).
        present = [(category, cue) for category, cue in cues if cue in text and category.key not in found]
        if not present:
            continue
        bounds = _token_bounds(text)
        for category, cue in present:
            if category.key not in found and _bounded(text, cue, bounds):
                found[category.key] = CategoryMatch(category, cue)
    return [found[c.key] for c in taxonomy if c.key in found]


@lru_cache(maxsize=8)
def _all_cues(taxonomy: tuple[Category, ...]) -> tuple[tuple[Category, str], ...]:
    """Every (category, cue) of the taxonomy, in its order."""
    return tuple((category, cue) for category in taxonomy for cue in category.cues)


def _bounded(text: str, cue: str, bounds: frozenset[int]) -> bool:
    """Whether `cue` occurs in `text` as whole words, or as the start or end of one word: 为老 is
    a cue in 为老服务 (为老|服务), not in 为老年人 (为|老年人), where it straddles two words."""
    position = text.find(cue)
    while position >= 0:
        end = position + len(cue)
        starts, ends = position in bounds, end in bounds
        if (starts and ends) or ((starts or ends) and not any(b in bounds for b in range(position + 1, end))):
            return True
        position = text.find(cue, position + 1)
    return False


@lru_cache(maxsize=4096)
def _token_bounds(text: str) -> frozenset[int]:
    # Cached: a description is shared by every practice named in its sentence.
    bounds = {0, len(text)}
    position = 0
    for token in tokenize(text):
        position += len(token)
        bounds.add(position)
    return frozenset(bounds)
