"""Zone mentions in free text: where a zone is named, and which zone (its whole chain) it is.

Three kinds of mention, found in this order:
1. division names from the division table, run together with the units that follow them
   (宁波市江北区文教街道, 温州市五马街道, 龙泉市宝溪乡), and province short forms (浙江);
2. shorter forms of zones already named in full (a later bare 文教街道 or 江北区);
3. a sub-county unit named on its own (溪口镇), accepted only when its stem reads as a name,
   placed under the nearest zone of the paragraph that can be its parent.
Ambiguous names are resolved with the province the text is about (the running context).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from govkg.errors import InputError
from loaders.chinese import to_simplified
from loaders.lexicon import LEXICON_DIR, boundary_words, jieba_freq, jieba_tag, tokenize
from loaders.zones import (
    ONLY_AFTER_PARENT,
    SUB_COUNTY_SUFFIXES,
    ZoneRef,
    division_index,
    is_generic_stem,
    resolve_zone_chain,
    unknown_county_at,
)

__all__ = ["ZoneMention", "find_zone_mentions"]

_TRIGGER = re.compile(r"[省市区县旗州盟]")
_HAN_RUN = re.compile(r"[\u3400-\u9fff]+")
_SUFFIX_RE = re.compile("|".join(sorted((s for s, _ in SUB_COUNTY_SUFFIXES), key=len, reverse=True)))
_SUFFIXES = tuple(sorted((s for s, _ in SUB_COUNTY_SUFFIXES), key=len, reverse=True))
_NAME_TAGS = frozenset({"ns", "nr", "nz", "nrt", "nrfg", "nt"})
_NOT_NAME_TAGS = frozenset({"v", "vn", "vd", "d", "r", "p", "c", "u", "uj", "m", "q", "a", "ad", "an", "b", "f", "t"})
_MAX_STEM = 8
# A stem jieba could only cut into single characters (唐|昌|街道) is an unknown name: taken before
# the less ambiguous endings only (社区 also ends named centres: 和|音|坊|社区服务中心).
_SINGLES_ENDINGS = ("街道", "乡", "镇", "村")
_NOT_IN_NAME = frozenset("的了在和与及是为对从把被将向于以由并也就都又还而则即各该本全每此其某这那区县市省")
# Parent levels a unit named on its own may hang under (nearest first in the paragraph).
_PARENT_LEVELS = {
    "village": ("town", "township", "street"),
    "community": ("street", "town", "township"),
    "street": ("district", "city", "county"),
    "town": ("county", "city", "district"),
    "township": ("county", "city", "district"),
}


@lru_cache(maxsize=1)
def _suffix_words() -> tuple[str, ...]:
    """Words that start with a zone ending's last character (乡贤, 乡村, 乡镇): data/lexicon/zone_suffix_words.txt."""
    path = LEXICON_DIR / "zone_suffix_words.txt"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise InputError(str(path), f"cannot read the word list ({err.strerror})") from err
    words = {to_simplified(w) for line in lines if not line.lstrip().startswith("#") for w in line.split()}
    return tuple(sorted(words, key=len, reverse=True))


def _ending_starts_word(text: str, end: int) -> bool:
    """True when the zone ending that stops at `end` is the first character of another word
    (洛舍乡|贤参事会 reads 洛舍|乡贤参事会): a council of local worthies, not a township."""
    return any(text.startswith(word, end - 1) for word in _suffix_words())


@dataclass
class ZoneMention:
    start: int
    end: int
    chain: list[ZoneRef]
    full: bool  # named with its parents here (宁波市江北区文教街道), not a short form

    @property
    def zone(self) -> ZoneRef:
        return self.chain[-1]


@dataclass
class _Match:
    start: int
    end: int
    short: bool
    prefecture_short: bool
    needs_parent: bool


@lru_cache(maxsize=1)
def _full_names() -> tuple[dict[str, bool], int]:
    """Full division names -> whether they need a parent before them (城区, 东区)."""
    names: dict[str, bool] = {}
    for name, entries in division_index().items():
        if all(short for _, short in entries):
            continue
        county_only = all(div.rank == 2 for div, short in entries if not short)
        names[name] = name in ONLY_AFTER_PARENT or (county_only and len(name) <= 2)
    return names, max(len(n) for n in names)


@lru_cache(maxsize=1)
def _short_forms() -> tuple[re.Pattern[str], frozenset[str]]:
    """Short forms of provinces (浙江) and prefecture-level cities (宁波); the latter only count as
    the start of a longer name (宁波江北区), since many are also common words (长治, 来宾)."""
    provinces: set[str] = set()
    prefectures: set[str] = set()
    for name, entries in division_index().items():
        if not all(short for _, short in entries) or len(name) < 2:
            continue
        ranks = {div.rank for div, _ in entries}
        if ranks == {0}:
            provinces.add(name)
        elif ranks == {1}:
            prefectures.add(name)
    words = sorted(provinces | prefectures, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words))), frozenset(prefectures)


def _division_matches(text: str, lo: int, hi: int) -> list[_Match]:
    full, longest = _full_names()
    found: list[_Match] = []
    for m in _TRIGGER.finditer(text, lo, hi):
        end = m.end()
        for size in range(min(longest, end - lo), 1, -1):
            word = text[end - size : end]
            if word in full:
                found.append(_Match(end - size, end, False, False, full[word]))
                break
    pattern, prefectures = _short_forms()
    for m in pattern.finditer(text, lo, hi):
        found.append(_Match(m.start(), m.end(), True, m.group(0) in prefectures, False))
    # Leftmost, then longest; no overlaps.
    found.sort(key=lambda x: (x.start, -(x.end - x.start)))
    chosen: list[_Match] = []
    for match in found:
        if chosen and match.start < chosen[-1].end:
            continue
        chosen.append(match)
    return chosen


def _stem_ok(stem: str, standalone: bool) -> bool:
    if not stem or len(stem) > _MAX_STEM or is_generic_stem(stem) or stem in boundary_words():
        return False
    if not standalone:
        return True
    if len(stem) < 2 or stem in division_index():
        return False  # 深圳社区(治理) is about Shenzhen's communities, not a community named 深圳
    tag = jieba_tag(stem)
    if tag in _NAME_TAGS or tag is None:
        return True
    return tag not in _NOT_NAME_TAGS and jieba_freq(stem) < 100


def _sub_county_after(text: str, pos: int, hi: int, after_prefecture: bool) -> int:
    """End of the units written right after a division name (五马街道 after 温州市; after a
    prefecture-level city also a county-level unit the table does not know yet, 郫都区)."""
    if after_prefecture:
        county = unknown_county_at(text[:hi], pos)
        if county is not None:
            pos = county.end()
    for _ in range(3):  # town, village, and a community below a village at most
        run = _HAN_RUN.match(text, pos, min(hi, pos + 16))
        if run is None:
            return pos
        stem = ""
        advanced = False
        for token in tokenize(run.group(0)):
            suffix = next((s for s in _SUFFIXES if token.endswith(s)), None)
            if suffix is not None:
                candidate = stem + token[: -len(suffix)]
                unit_end = pos + len(stem) + len(token)
                if _stem_ok(candidate, standalone=False) and not _ending_starts_word(text, unit_end):
                    pos += len(stem) + len(token)
                    advanced = True
                break
            if token in boundary_words() or len(stem) + len(token) > _MAX_STEM:
                break
            stem += token
        if not advanced:
            return pos
    return pos


class _AliasMap:
    """Names and short forms of zones already resolved in this text -> their chains."""

    def __init__(self) -> None:
        self.chains: dict[str, list[list[ZoneRef]]] = {}
        self.longest = 0

    def add(self, chain: list[ZoneRef]) -> None:
        for depth, ref in enumerate(chain):
            for name in (ref.name, *ref.aliases):
                held = self.chains.setdefault(name, [])
                if all(c[-1].key != ref.key for c in held):
                    held.append(chain[: depth + 1])
                    self.longest = max(self.longest, len(name))

    def get(self, name: str, recent: Sequence[ZoneMention]) -> list[ZoneRef] | None:
        options = self.chains.get(name)
        if not options:
            return None
        if len(options) == 1:
            return options[0]
        # One short name, several zones (城关镇 in two counties): the one named most recently.
        for mention in reversed(recent):
            for option in options:
                if any(ref.key == option[-1].key for ref in mention.chain):
                    return option
        return None


def _province_of(chain: Sequence[ZoneRef]) -> str | None:
    top = chain[0] if chain else None
    return top.name if top is not None and top.level == "province" and top.code else None


def find_zone_mentions(text: str, spans: Sequence[tuple[int, int]]) -> list[ZoneMention]:
    """Zone mentions inside `spans` (blocks of the match text), in text order."""
    mentions: list[ZoneMention] = []
    aliases = _AliasMap()
    province: str | None = None
    resolved: dict[tuple[str, str | None], list[ZoneRef]] = {}
    # Pass 1: names that start with a division.
    for lo, hi in spans:
        matches = _division_matches(text, lo, hi)
        i = 0
        while i < len(matches):
            group = [matches[i]]
            while i + 1 < len(matches) and matches[i + 1].start == group[-1].end:
                i += 1
                group.append(matches[i])
            i += 1
            start = group[0].start
            last = division_index().get(text[group[-1].start : group[-1].end], ())
            end = _sub_county_after(text, group[-1].end, hi, any(div.rank == 1 for div, _ in last))
            extended = end > group[-1].end
            if group[0].needs_parent and not extended:
                continue
            if len(group) == 1 and group[0].prefecture_short and not extended:
                continue
            surface = text[start:end]
            chain = aliases.get(surface, mentions[-_RECENT:]) if not extended and len(group) == 1 else None
            full = chain is None  # named from the division table here, not a short form of an earlier name
            if chain is None:
                cache_key = (surface, province)
                if cache_key not in resolved:
                    resolved[cache_key] = resolve_zone_chain(surface, parents=[province] if province else None)
                chain = resolved[cache_key]
            if not chain:
                continue
            province = _province_of(chain) or province
            mentions.append(ZoneMention(start, end, chain, full))
            aliases.add(chain)
    mentions.sort(key=lambda m: m.start)
    return sorted([*mentions, *_pass_two(text, spans, mentions, aliases)], key=lambda m: m.start)


def _pass_two(
    text: str, spans: Sequence[tuple[int, int]], mentions: list[ZoneMention], aliases: _AliasMap
) -> list[ZoneMention]:
    """Sub-county units on their own, known short forms first, scanning left to right with the
    zones named so far (the running province, the last zone of each level) as context."""
    extra: list[ZoneMention] = []
    taken = _Spans([(m.start, m.end) for m in mentions])
    last_of_level: dict[str, ZoneMention] = {}
    recent: list[ZoneMention] = []
    province: str | None = None
    passed = 0
    for lo, hi in spans:
        for m in _SUFFIX_RE.finditer(text, lo, hi):
            while passed < len(mentions) and mentions[passed].start < m.start():
                province = _note(mentions[passed], last_of_level, recent) or province
                passed += 1
            end = m.end()
            if taken.overlaps(m.start(), end):
                continue
            found = _known_short_form(text, lo, end, aliases, recent)
            if found is None and not _ending_starts_word(text, end):
                found = _standalone(text, lo, m, last_of_level, province)
            if found is None or taken.overlaps(found.start, found.end):
                continue
            extra.append(found)
            taken.add(found.start, found.end)
            aliases.add(found.chain)
            province = _note(found, last_of_level, recent) or province
    return extra


_RECENT = 32


def _note(mention: ZoneMention, last_of_level: dict[str, ZoneMention], recent: list[ZoneMention]) -> str | None:
    """Record a zone as context for what follows; returns its province, if it names one."""
    for depth, ref in enumerate(mention.chain):
        last_of_level[ref.level] = ZoneMention(mention.start, mention.end, mention.chain[: depth + 1], False)
    recent.append(mention)
    if len(recent) > _RECENT:
        del recent[0]
    return _province_of(mention.chain)


class _Spans:
    """Non-overlapping (start, end) spans, sorted, with an overlap test in O(log n)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for start, end in sorted(spans):
            self.add(start, end)

    def add(self, start: int, end: int) -> None:
        at = bisect.bisect_left(self.starts, start)
        self.starts.insert(at, start)
        self.ends.insert(at, end)

    def overlaps(self, start: int, end: int) -> bool:
        at = bisect.bisect_left(self.starts, end)  # spans starting before `end`
        return at > 0 and self.ends[at - 1] > start  # spans do not overlap, so ends are sorted too


def _known_short_form(
    text: str, lo: int, end: int, aliases: _AliasMap, recent: Sequence[ZoneMention]
) -> ZoneMention | None:
    for size in range(min(aliases.longest, end - lo), 1, -1):
        chain = aliases.get(text[end - size : end], recent)
        if chain is not None:
            return ZoneMention(end - size, end, chain, False)
    return None


def _standalone(
    text: str, lo: int, match: re.Match[str], last_of_level: dict[str, ZoneMention], province: str | None
) -> ZoneMention | None:
    """A unit named on its own (溪口镇): the suffix must end a word whose stem reads as a name. Its
    parent is the zone named last before it at a level that can hold it (a county for a town)."""
    end = match.end()
    window_start = max(lo, end - _MAX_STEM - len(match.group(0)))
    run_start = window_start
    for run in _HAN_RUN.finditer(text, window_start, end):
        if run.end() == end:
            run_start = run.start()
    tokens = tokenize(text[run_start:end])
    if not tokens:
        return None
    last = tokens[-1]
    suffix = next((s for s in _SUFFIXES if last.endswith(s)), None)
    if suffix is None:
        return None
    stem = last[: -len(suffix)]
    if not stem and suffix in _SINGLES_ENDINGS and len(tokens) > 2 and len(tokens[-2]) == len(tokens[-3]) == 1:
        singles = ""
        for token in reversed(tokens[:-1]):
            if len(token) != 1 or token in _NOT_IN_NAME or len(singles) >= 3:
                break
            singles = token + singles
        stem = singles if len(singles) >= 2 else tokens[-2]
    elif not stem:
        stem = tokens[-2] if len(tokens) > 1 else ""
    elif (
        len(stem) < 2
        and len(tokens) > 1
        and len(tokens[-2]) == 1
        and tokens[-2] not in boundary_words()
        and jieba_tag(last) in _NAME_TAGS
    ):
        stem = tokens[-2] + stem  # jieba cut the name across words (孝|丰镇)
    if not _stem_ok(stem, standalone=True):
        return None
    start = end - len(suffix) - len(stem)
    name = text[start:end]
    level = next(lvl for s, lvl in SUB_COUNTY_SUFFIXES if name.endswith(s))
    candidates = [last_of_level[lv] for lv in _PARENT_LEVELS.get(level, ()) if lv in last_of_level]
    parent = max(candidates, key=lambda m: m.start) if candidates else None
    parents = [parent.zone.key] if parent is not None else [province] if province else []
    chain = resolve_zone_chain(name, parents=parents or None)
    if not chain:
        return None
    return ZoneMention(start, end, chain, parent is not None or len(chain) == 1)
