"""Folding Chinese text for matching while keeping offsets: every character maps to exactly one.

The stored text keeps what the author wrote (traditional characters, full-width forms); the
extractors match on `fold(text)`, which has the same length, so an offset found in the folded
text is an offset into the stored text.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

__all__ = ["fold", "fold_table", "to_simplified"]

# Full-width punctuation that sentence splitting and quote matching rely on keeps its own form;
# folding it to ASCII would lose nothing, but keeping it makes the folded text easier to read.
_KEEP = set("，。！？；：（）【】《》〈〉「」『』“”‘’、")


@lru_cache(maxsize=1)
def fold_table() -> dict[int, str]:
    """Character -> one character: OpenCC's traditional-to-simplified character table (first
    candidate) and NFKC for full-width and compatibility forms that fold to a single character."""
    table: dict[int, str] = {}
    # NFKC first: full-width ASCII (Ｎ１２４６＋) and the ideographic space.
    for code in range(0xFF01, 0xFF5F):
        ch = chr(code)
        if ch in _KEEP:
            continue
        folded = unicodedata.normalize("NFKC", ch)
        if len(folded) == 1:
            table[code] = folded
    table[0x3000] = " "
    table[0xFEFF] = " "  # a stray byte-order mark inside the text reads as a space
    for code in range(0xF900, 0xFB00):  # CJK compatibility ideographs
        folded = unicodedata.normalize("NFKC", chr(code))
        if len(folded) == 1 and folded != chr(code):
            table[code] = folded
    import opencc

    dictionary = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    for line in dictionary.read_text(encoding="utf-8").splitlines():
        source, _, targets = line.partition("\t")
        candidates = targets.split()
        if len(source) == 1 and candidates and len(candidates[0]) == 1 and candidates[0] != source:
            table[ord(source)] = candidates[0]
    return table


def fold(text: str) -> str:
    """Simplified, width-folded form of `text`, of the same length (offsets stay valid)."""
    return text.translate(fold_table())


def to_simplified(name: str) -> str:
    """A name as it should be keyed: folded to simplified characters, outer whitespace removed."""
    return fold(name).strip()
