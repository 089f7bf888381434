"""Folding Chinese text for matching while keeping offsets: every character maps to exactly one.

The stored text keeps what the author wrote (traditional characters, full-width forms); the
extractors match on `fold(text)`, which has the same length, so an offset found in the folded
text is an offset into the stored text.

A few characters are both a traditional form and a simplified character of their own: OpenCC maps
乾 to 干, yet 乾县 (陕西省咸阳市, 610424) is written 乾 in simplified Chinese. Such characters fold
everywhere except inside a division name of cpca's table, so 乾县 keeps its name and its code
while 乾淨 still folds to 干净.
"""

from __future__ import annotations

import csv
import importlib.util
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

__all__ = ["fold", "fold_table", "to_simplified"]

# Full-width punctuation that sentence splitting and quote matching rely on keeps its own form;
# folding it to ASCII would lose nothing, but keeping it makes the folded text easier to read.
_KEEP = set("，。！？；：（）【】《》〈〉「」『』“”‘’、")


@lru_cache(maxsize=1)
def fold_table() -> dict[int, str]:
    """The folding that holds everywhere: `_base_table` without the characters a division name
    keeps (乾), which `fold` folds only outside such names."""
    kept, _, _ = _kept()
    return {code: ch for code, ch in _base_table().items() if code not in kept}


@lru_cache(maxsize=1)
def _base_table() -> dict[int, str]:
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


@lru_cache(maxsize=1)
def _division_names() -> tuple[str, ...]:
    """Names of cpca's division table (province, prefecture and county levels), read from its CSV
    without importing cpca, which loads much more."""
    spec = importlib.util.find_spec("cpca")
    if spec is None or spec.origin is None:
        return ()
    path = Path(spec.origin).parent / "resources" / "adcodes.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(row["name"] for row in csv.DictReader(handle) if row.get("name"))


@lru_cache(maxsize=1)
def _kept() -> tuple[dict[int, str], dict[str, tuple[tuple[str, int], ...]], re.Pattern[str] | None]:
    """Characters t2s would change inside a division name (乾): their folded form, and for each the
    names that keep it (乾县, 乾安县, 乾安) with the character's place in the name."""
    table = _base_table()
    folds: dict[int, str] = {}
    names: dict[str, list[tuple[str, int]]] = {}
    for name in _division_names():
        forms = {name}
        if len(name) >= 3 and name[-1] in "省市县区":
            forms.add(name[:-1])  # the short form a text may use (乾安 for 乾安县)
        for form in forms:
            for at, ch in enumerate(form):
                if ord(ch) in table:
                    folds[ord(ch)] = table[ord(ch)]
                    names.setdefault(ch, []).append((form, at))
    pattern = re.compile("[" + "".join(sorted(names)) + "]") if names else None
    return folds, {ch: tuple(held) for ch, held in names.items()}, pattern


@lru_cache(maxsize=1)
def _double_duty() -> tuple[dict[int, None], re.Pattern[str]]:
    """Characters t2s may leave as they are (乾 -> 干 or 乾, 於 -> 于 or 於): in simplified writing they
    are characters of their own (乾元镇, 於潜镇), so they fold only in a text written in traditional
    characters; and the characters that are traditional only, which tell such a text."""
    import opencc

    dictionary = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    double: dict[int, None] = {}
    for line in dictionary.read_text(encoding="utf-8").splitlines():
        source, _, targets = line.partition("\t")
        if len(source) == 1 and source in targets.split():
            double[ord(source)] = None
    only = "".join(chr(c) for c in _base_table() if c not in double and 0x3400 <= c <= 0x9FFF)
    return double, re.compile("[" + re.escape(only) + "]")


def _written_traditional(text: str) -> bool:
    """Most of the text's characters that differ between the scripts are in their traditional form
    (measured: a simplified news report holds a handful of traditional-only characters, mostly in
    names; a traditional one holds hundreds)."""
    _, traditional_only = _double_duty()
    found = len(traditional_only.findall(text))
    return (found >= 3 and found * 50 >= len(text)) or (found >= 1 and len(text) <= 12)


def fold(text: str) -> str:
    """Simplified, width-folded form of `text`, of the same length (offsets stay valid)."""
    traditional = _written_traditional(text)
    double, _ = _double_duty()
    folded = text.translate(fold_table() if traditional else _simplified_text_table())
    folds, names, pattern = _kept()
    if pattern is None or pattern.search(folded) is None:
        return folded
    out = list(folded)
    for m in pattern.finditer(folded):
        i = m.start()
        if not traditional and ord(m.group(0)) in double:
            continue
        # Judged on the folded text, so 乾縣 (traditional 縣) keeps its 乾 as well.
        if not any(i >= at and folded.startswith(name, i - at) for name, at in names[m.group(0)]):
            out[i] = folds[ord(m.group(0))]
    return "".join(out)


@lru_cache(maxsize=1)
def _simplified_text_table() -> dict[int, str]:
    """The folding for a text written in simplified characters: characters of double duty stay."""
    double, _ = _double_duty()
    return {code: ch for code, ch in fold_table().items() if code not in double}


def to_simplified(name: str) -> str:
    """A name as it should be keyed: folded to simplified characters, outer whitespace removed."""
    return fold(name).strip()
