"""Words finds what the alternation regex of the same words (longest first) finds: the extractor
relied on that regex's matches before, and a different match would change what it extracts."""

from __future__ import annotations

import random
import re

from govkg.loaders.word_match import Words


def _regex(words: set[str]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


def test_finditer_takes_the_longest_word_at_each_place_left_to_right() -> None:
    text = "社区议事会议事规则由社区议事会定"
    words = Words({"社区议事会", "议事会议事", "社区", "议事规则"})
    assert list(words.finditer(text)) == [(0, 5, "社区议事会"), (5, 9, "议事规则"), (10, 15, "社区议事会")]


def test_a_match_stops_at_the_end_given() -> None:
    assert list(Words({"议事会"}).finditer("议事会议事会", 0, 5)) == [(0, 3, "议事会")]


def test_match_is_the_longest_word_starting_there() -> None:
    words = Words({"武义", "武义县", "后陈"})
    assert words.match("武义县后陈经验", 0) == "武义县"
    assert words.match("武义县后陈经验", 3) == "后陈"
    assert words.match("武义县后陈经验", 5) is None
    assert words.match("武义", 1) is None


def test_empty_words_match_nothing() -> None:
    words = Words({""})
    assert not words
    assert list(words.finditer("社区")) == []
    assert words.match("社区", 0) is None


def test_the_same_matches_as_the_alternation_on_random_texts() -> None:
    """Few letters, so that words overlap, nest and repeat as names in a report do."""
    rng = random.Random(2018)
    letters = "社区议事会村"
    for _ in range(2000):
        words = {"".join(rng.choices(letters, k=rng.randint(1, 4))) for _ in range(rng.randint(1, 6))}
        text = "".join(rng.choices(letters, k=rng.randint(0, 40)))
        lo = rng.randint(0, len(text))
        hi = rng.randint(lo, len(text))
        pattern, found = _regex(words), Words(words)
        assert list(found.finditer(text, lo, hi)) == [(m.start(), m.end(), m.group(0))
                                                      for m in pattern.finditer(text, lo, hi)]  # fmt: skip
        at = rng.randint(0, len(text))
        expected = pattern.match(text, at)
        assert found.match(text, at) == (expected.group(0) if expected else None)
