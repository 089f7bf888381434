"""Word lists of the text extractor (data/lexicon/), editable by researchers, and its tokenizer.

The tokenizer is a private jieba instance that knows the lexicon's words, so teaching it
居委会 or 互助组 does not change segmentation for other users of jieba in the same process.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from govkg.errors import InputError
from govkg.resources import LEXICON_DIR
from govkg.text import to_simplified

__all__ = [
    "LEXICON_DIR",
    "OrgEntry",
    "boundary_words",
    "generic_name_words",
    "jieba_freq",
    "jieba_tag",
    "not_mechanisms",
    "org_suffixes",
    "organisations",
    "tokenize",
]


@dataclass(frozen=True)
class OrgEntry:
    name: str
    kind: str
    surfaces: tuple[str, ...]


def _words(path: Path) -> frozenset[str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise InputError(str(path), f"cannot read the word list ({err.strerror})") from err
    return frozenset(to_simplified(w) for line in lines if not line.lstrip().startswith("#") for w in line.split())


@lru_cache(maxsize=1)
def boundary_words() -> frozenset[str]:
    return _words(LEXICON_DIR / "boundary_words.txt")


@lru_cache(maxsize=1)
def generic_name_words() -> frozenset[str]:
    return _words(LEXICON_DIR / "generic_name_words.txt")


@lru_cache(maxsize=1)
def not_mechanisms() -> frozenset[str]:
    return _words(LEXICON_DIR / "not_mechanisms.txt")


@lru_cache(maxsize=1)
def _organisation_file() -> dict[str, Any]:
    path = LEXICON_DIR / "organisations.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise TypeError("expected a mapping with 'organisations' and 'org_suffixes'")
        return data
    except (OSError, yaml.YAMLError, TypeError) as err:
        raise InputError(str(path), f"cannot read the organisation word list ({err})") from err


@lru_cache(maxsize=1)
def organisations() -> tuple[OrgEntry, ...]:
    entries = []
    for item in _organisation_file().get("organisations") or []:
        name = to_simplified(str(item["name"]))
        surfaces = tuple(dict.fromkeys([name, *(to_simplified(str(s)) for s in item.get("surfaces") or [])]))
        entries.append(OrgEntry(name, str(item["kind"]), surfaces))
    return tuple(entries)


@lru_cache(maxsize=1)
def org_suffixes() -> dict[str, str]:
    return {to_simplified(str(k)): str(v) for k, v in (_organisation_file().get("org_suffixes") or {}).items()}


# Words the tokenizer must keep whole for the backward name scans to stop at the right place.
_EXTRA_WORDS = (
    "互助组", "服务中心", "综合体", "工作法", "换届", "选举办法", "两推一选", "自荐直选", "专职专选",
    "街道", "社区", "村社", "公益组织", "社会组织", "社区社会组织", "实验区",
)  # fmt: skip


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    for entry in organisations():
        for surface in entry.surfaces:
            if "(" not in surface and "（" not in surface:
                tokenizer.add_word(surface)
    for word in _EXTRA_WORDS:
        tokenizer.add_word(word)
    for word in boundary_words():
        if len(word) >= 2:  # so that 打造成 reads as one word, not 打|造成
            tokenizer.add_word(word)
    return tokenizer


def tokenize(text: str) -> list[str]:
    """jieba words of a short stretch of text (the extractor calls it on windows, not whole files)."""
    return list(_tokens(text))


@lru_cache(maxsize=65536)
def _tokens(text: str) -> tuple[str, ...]:
    # Cached: the name readers look at the same window once per candidate inside it (measured: about
    # a third of the calls on a long case text repeat an earlier window).
    return tuple(_tokenizer().lcut(text, HMM=False))


@lru_cache(maxsize=1)
def _tags() -> dict[str, str]:
    """jieba's dictionary tags, read from its word list (word, frequency, tag per line) without
    building a second tokenizer as jieba.posseg would."""
    import jieba

    tags: dict[str, str] = {}
    with jieba.get_dict_file() as stream:
        for raw in stream:
            parts = raw.decode("utf-8").split()
            if len(parts) == 3:
                tags[parts[0]] = parts[2]
    return tags


def jieba_freq(word: str) -> int:
    """How often jieba's dictionary has seen `word` (0 when unknown): common words are not names."""
    return int(_tokenizer().FREQ.get(word) or 0)


def jieba_tag(word: str) -> str | None:
    """The part-of-speech tag jieba's dictionary gives `word` (ns place, nr name, v verb ...), if any."""
    return _tags().get(word)
