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
import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

from govkg.errors import InputError
from govkg.loaders.lexicon import LEXICON_DIR, boundary_words, jieba_freq, jieba_tag, tokenize
from govkg.loaders.zones import (
    ADDRESS_WORDS,
    ONLY_AFTER_PARENT,
    SUB_COUNTY_SUFFIXES,
    Division,
    ZoneRef,
    county_units_by_stem,
    division_index,
    divisions,
    is_generic_stem,
    renamed_county,
    resolve_zone_chain,
    unknown_county_at,
)
from govkg.text import to_simplified

__all__ = ["ZoneMention", "find_zone_mentions"]

_TRIGGER = re.compile(r"[省市区县旗州盟]")
_HAN_RUN = re.compile(r"[\u3400-\u9fff]+")
_SUFFIX_RE = re.compile("|".join(sorted((s for s, _ in SUB_COUNTY_SUFFIXES), key=len, reverse=True)))
_SUFFIXES = tuple(sorted((s for s, _ in SUB_COUNTY_SUFFIXES), key=len, reverse=True))
_NAME_TAGS = frozenset({"ns", "nr", "nz", "nrt", "nrfg", "nt"})
_NOT_NAME_TAGS = frozenset({"v", "vn", "vd", "d", "r", "p", "c", "u", "uj", "m", "q", "a", "ad", "an", "b", "f", "t"})
_MAX_STEM = 8
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


@lru_cache(maxsize=1)
def _name_words() -> frozenset[str]:
    """Naming words jieba tags as verbs or adjectives (胜利, 团结): data/lexicon/zone_name_words.txt."""
    path = LEXICON_DIR / "zone_name_words.txt"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise InputError(str(path), f"cannot read the word list ({err.strerror})") from err
    return frozenset(to_simplified(w) for line in lines if not line.lstrip().startswith("#") for w in line.split())


def _ending_starts_word(text: str, end: int) -> bool:
    """True when the zone ending that stops at `end` is the first character of another word
    (洛舍乡|贤参事会 reads 洛舍|乡贤参事会): a council of local worthies, not a township."""
    first = text[end - 1 : end]
    return any(text.startswith(word, end - 1) for word in _suffix_words_by_first().get(first, ()))


@lru_cache(maxsize=1)
def _suffix_words_by_first() -> dict[str, tuple[str, ...]]:
    by_first: dict[str, list[str]] = {}
    for word in _suffix_words():
        by_first.setdefault(word[:1], []).append(word)
    return {first: tuple(words) for first, words in by_first.items()}


@dataclass
class ZoneMention:
    start: int
    end: int
    chain: list[ZoneRef]
    full: bool  # named with its parents here (宁波市江北区文教街道), not a short form

    @cached_property
    def zone(self) -> ZoneRef:
        return self.chain[-1]  # a mention's chain is never changed once read


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


def _stem_ok(stem: str) -> bool:
    """A stem right after its parent's name needs only to be no common noun of a kind (示范, 各)."""
    return bool(stem) and len(stem) <= _MAX_STEM and not is_generic_stem(stem) and stem not in boundary_words()


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
                if (
                    _stem_ok(candidate)
                    and not _ending_starts_word(text, unit_end)
                    and not _BODY_AFTER.match(text, unit_end)
                ):
                    pos += len(stem) + len(token)
                    advanced = True
                break
            if token in boundary_words() or len(stem) + len(token) > _MAX_STEM:
                break
            stem += token
        if not advanced:
            return pos
    return pos


def _reads_upward(text: str, group: Sequence[_Match], nxt: _Match) -> bool:
    """A city's short form right after a county-level name starts another name, since names run
    from the top down (天津和平区|朝阳里: a community, not 朝阳市)."""
    if not nxt.short:
        return False
    ranks = {div.rank for m in group for div, _ in division_index().get(text[m.start : m.end], ())}
    return 2 in ranks


_LOCATIVE_PREPOSITIONS = ("在", "到", "赴", "从", "于", "来自")


def _place_word(text: str, start: int, end: int, lo: int, hi: int) -> bool:
    """A city's short form standing alone (南京走的是另一条路, 在金华，): jieba knows it as a place name
    and reads it as a word of its own there, not the start of another (南京路, 长治久安)."""
    if text.startswith(ADDRESS_WORDS, end):
        return False
    if jieba_tag(text[start:end]) != "ns":
        # Another tag (金华 is also a brand): a place all the same as the object of a locative
        # preposition closing its phrase (在某地，).
        return text.endswith(_LOCATIVE_PREPOSITIONS, lo, start) and end < hi and not _HAN_RUN.match(text[end])
    cuts = _cuts(text, start, end, lo, hi)
    return start in cuts and end in cuts and not text.startswith(_SUFFIXES, end)


def _inside_word(text: str, start: int, end: int, lo: int, hi: int) -> bool:
    """True when a name written alone starts inside a word jieba reads there."""
    return start > lo and bool(_HAN_RUN.match(text[start - 1])) and start not in _cuts(text, start, end, lo, hi)


def _cuts(text: str, start: int, end: int, lo: int, hi: int) -> set[int]:
    """Positions between jieba's words around text[start:end]."""
    offset = max(lo, start - 4)
    cuts = {offset}
    for token in tokenize(text[offset : min(hi, end + 4)]):
        offset += len(token)
        cuts.add(offset)
    return cuts


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
            while (
                i + 1 < len(matches)
                and matches[i + 1].start == group[-1].end
                and not _reads_upward(text, group, matches[i + 1])
            ):
                i += 1
                group.append(matches[i])
            i += 1
            start = group[0].start
            if group[-1].short and text.startswith(ADDRESS_WORDS, group[-1].end):
                continue  # the short form opens a longer name (朝阳里社区, 南京路)
            last = division_index().get(text[group[-1].start : group[-1].end], ())
            end = _sub_county_after(text, group[-1].end, hi, any(div.rank == 1 for div, _ in last))
            extended = end > group[-1].end
            if group[0].needs_parent and not extended:
                continue
            if len(group) == 1 and not extended and _inside_word(text, start, group[0].end, lo, hi):
                continue  # 粤西|山区 is no 西山区
            if (
                len(group) == 1
                and group[0].prefecture_short
                and not extended
                and not _place_word(text, start, end, lo, hi)
            ):
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
    mentions.extend(_county_short_forms(text, mentions, aliases))
    mentions.sort(key=lambda m: m.start)
    mentions.extend(_li_communities(text, mentions, aliases))
    mentions.sort(key=lambda m: m.start)
    mentions.extend(_former_units(text, spans, mentions, aliases))
    mentions.sort(key=lambda m: m.start)
    mentions.extend(_designators(text, spans, mentions, aliases))
    mentions.sort(key=lambda m: m.start)
    mentions.extend(_listed_units(text, spans, mentions, aliases))
    mentions.sort(key=lambda m: m.start)
    return sorted([*mentions, *_pass_two(text, spans, mentions, aliases)], key=lambda m: m.start)


def _county_short_forms(text: str, mentions: Sequence[ZoneMention], aliases: _AliasMap) -> list[ZoneMention]:
    """A county written without its ending right after its province or city (浙江德清 -> 德清县, as
    news style shortens): the stem of a county-level unit of that province or city, ending where
    jieba ends a word and no unit ending follows."""
    found: list[ZoneMention] = []
    starts = {m.start for m in mentions}
    for mention in mentions:
        upper = divisions().get(mention.zone.code or "")
        if upper is None or upper.rank > 1 or mention.end in starts:
            continue
        for size in (3, 2):
            start, end = mention.end, mention.end + size
            stem = text[start:end]
            units = [d for d in county_units_by_stem(stem) if d.belongs_to(upper)]
            if len(units) != 1 or not _HAN_RUN.fullmatch(stem) or end > len(text):
                continue
            if text.startswith((*_SUFFIXES, *"省市县区旗", *ADDRESS_WORDS), end):
                continue  # 德清镇, 德清路: another name
            if end not in _cuts(text, start, end, max(0, start - 4), min(len(text), end + 4)):
                continue
            chain = resolve_zone_chain(units[0].name)
            if chain:
                leaf = chain[-1]
                chain = [*chain[:-1], dataclasses.replace(leaf, aliases=(*leaf.aliases, stem))]
                found.append(ZoneMention(start, end, chain, True))
                aliases.add(chain)
            break
    return found


def _li_communities(text: str, mentions: Sequence[ZoneMention], aliases: _AliasMap) -> list[ZoneMention]:
    """A neighbourhood named 某某里 right after its district, closing the name (天津某区某某里：): northern
    cities name residents' communities so (某某里社区). Its stem is a name, not a common word before
    the locative 里 (胡同里, 小区里, 家里)."""
    found: list[ZoneMention] = []
    starts = {m.start for m in mentions}
    for mention in mentions:
        if mention.zone.level not in ("district", "county") or mention.end in starts:
            continue
        for size in (3, 2):
            start, end = mention.end, mention.end + size + 1
            if end > len(text) or text[end - 1] != "里" or not _HAN_RUN.fullmatch(text, start, end):
                continue
            if end < len(text) and _HAN_RUN.match(text[end]):
                continue  # 某某里的, 某某里社区: read by the other rules
            stem = text[start : end - 1]
            if _common_word(stem) or _common_word(stem + "里") or not _structural(stem, "community"):
                continue
            chain = resolve_zone_chain(stem + "里", parents=[mention.zone.key], level="community")
            if chain:
                found.append(ZoneMention(start, end, chain, True))
                aliases.add(chain)
            break
    return found


# Cues that a county-level name the table lacks is a unit: 原 before it (原某某区, a former unit),
# 撤销/撤并 before a list of them, （今…） after it (某县（今某市）: the name then).
_FORMER_BEFORE = ("原",)
_ABOLISHED_BEFORE = ("撤销", "撤消", "撤并")
_NOW_AFTER = ("（今", "(今")
_COUNTY_UNITS = "县区"
# Common nouns in 区 that end no county-level name (most 区 of a text are 社区's).
_AREA_WORDS = frozenset(
    {"社区", "小区", "辖区", "地区", "园区", "景区", "市区", "郊区", "街区", "片区", "校区", "验区"}
)
_CUE_CHARS = re.compile("[原撤、和]")  # a cue or a list separator shortly before: worth reading


def _former_units(
    text: str, spans: Sequence[tuple[int, int]], mentions: Sequence[ZoneMention], aliases: _AliasMap
) -> list[ZoneMention]:
    """County-level units the division table lacks: a county since made a city or district (某县 of
    today's 某市 or 某区), or any 某区/某县 a former-unit cue marks. Each is a zone of its own, under
    the city the text last named."""
    taken = _Spans([(m.start, m.end) for m in mentions])
    starts = [m.start for m in mentions]
    found: list[ZoneMention] = []
    for lo, hi in spans:
        listed_until = -1  # end of the last unit of a 撤销 list: the next item follows a 、
        for m in re.finditer(f"[{_COUNTY_UNITS}]", text[lo:hi]):
            end = lo + m.end()
            if taken.overlaps(end - 1, end) or text.startswith("级", end) or text[end - 2 : end] in _AREA_WORDS:
                continue  # 县级 is a rank, 社区 or 小区 no district
            hit = _renamed_at(text, lo, end)
            if hit is None and (_CUE_CHARS.search(text, max(lo, end - 8), end) or text.startswith(_NOW_AFTER, end)):
                hit = _cued_at(text, lo, end, listed_until)
            if hit is None:
                continue
            start, current = hit
            listed_until = end if _abolished_list(text, lo, start, listed_until) else -1
            before = [mn for mn in mentions[: bisect.bisect_left(starts, start)] if mn.end <= start]
            parents = _county_parents(current, before)
            name = text[start:end]
            key = (parents[-1].key if parents else "") + name
            level = "district" if name.endswith("区") else "county"
            mention = ZoneMention(start, end, [*parents, ZoneRef(name, level, key)], bool(parents))
            found.append(mention)
            taken.add(start, end)
            aliases.add(mention.chain)
    return found


def _renamed_at(text: str, lo: int, end: int) -> tuple[int, tuple[Division, ...]] | None:
    """A county-level name ending at `end` that the table holds under another ending (诸暨县 ->
    诸暨市); the longest stem of two to four characters."""
    for size in range(5, 2, -1):
        start = end - size
        if start < lo or not _HAN_RUN.fullmatch(text, start, end):
            continue
        current = renamed_county(text[start:end])
        if current and (_at_name_start(text, lo, start) or start in _cuts(text, start, end, lo, len(text))):
            return start, current
    return None


def _cued_at(text: str, lo: int, end: int, listed_until: int) -> tuple[int, tuple[Division, ...]] | None:
    """A county-level name ending at `end` that a former-unit cue marks (原某区, 撤销某区、某区,
    某县（今…）); its stem two to four characters with no function word, no common word (老城区)."""
    for size in range(5, 2, -1):
        start = end - size
        if start < lo or not _HAN_RUN.fullmatch(text, start, end):
            continue
        cued = (
            text.endswith(_FORMER_BEFORE, lo, start)
            or text.endswith(_ABOLISHED_BEFORE, lo, start)
            or (listed_until >= 0 and text[listed_until:start] in ("、", "和"))
            or (text.startswith(_NOW_AFTER, end) and _at_name_start(text, lo, start))
        )
        if not cued:
            continue
        county = unknown_county_at(text[:end], start)
        if (
            county is None
            or county.end() != end
            or _common_word(text[start:end])
            or _common_word(text[start : end - 1])
        ):
            return None
        return start, ()
    return None


def _abolished_list(text: str, lo: int, start: int, listed_until: int) -> bool:
    return text.endswith(_ABOLISHED_BEFORE, lo, start) or (
        listed_until >= 0 and text[listed_until:start] in ("、", "和")
    )


def _at_name_start(text: str, lo: int, start: int) -> bool:
    """A name may start here: at the block's start, after a non-Han character, a function word,
    a former-unit cue or a division name (浙江|诸暨县)."""
    if start <= lo or not _HAN_RUN.match(text[start - 1]):
        return True
    if text[start - 1] in _FUNCTION_CHARS or text.endswith(_ABOLISHED_BEFORE, lo, start):
        return True
    return any(m.end == start for m in _division_matches(text, max(lo, start - 6), start))


def _county_parents(current: Sequence[Division], before: Sequence[ZoneMention]) -> list[ZoneRef]:
    """Parents of a county-level unit the table lacks: those of the unit it became (诸暨县 -> 诸暨市's
    city), choosing by the zones named before when the stem is shared; else the city or province of
    the zone named last (原某区 after 某市)."""
    chains = [resolve_zone_chain(div.name) for div in current]
    chains = [c for c in chains if len(c) > 1]
    if len(chains) > 1:
        named = {ref.code for mention in before for ref in mention.chain if ref.code}
        chains = [c for c in chains if any(ref.code in named for ref in c[:-1])]
    if chains:
        return chains[0][:-1] if len(chains) == 1 else []
    if current or not before:
        return []
    chain = before[-1].chain
    upper = [ref for ref in chain if _CHAIN_RANK.get(ref.level, 9) <= 1]
    return upper


# Names coordinated before one unit word they share, with 等 or a count (甲、乙、丙等镇; 甲、乙两县;
# 甲和乙两个村): each name is a unit of that kind. Items hold no 、, conjunction or 等.
_ITEM = r"(?:(?![和与及等])[\u4e00-\u9fff]){2,4}"
_COUNT = r"(?:[一二两三四五六七八九十]{1,2}|\d{1,2})"
_LISTED = re.compile(
    rf"((?:{_ITEM}、)*{_ITEM}(?:、|和|与|及))({_ITEM}?)(?:(等)({_COUNT})?|({_COUNT}))个?"
    r"(社区|街道|县|区|市|旗|镇|乡|村)$"
)
# What ends such a list (等镇, 三县, 10个村), found first: the full pattern is tried only before it.
_LIST_TAIL = re.compile(rf"(?:等|{_COUNT})个?(?:社区|街道|县|区|市|旗|镇|乡|村)")
_LIST_SEPARATORS = re.compile("[、和与及]")
_LIST_WINDOW = 40
_COUNT_VALUES = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)} | {"两": 2}


def _count(written: str) -> int | None:
    if written.isdigit():
        return int(written)
    if len(written) == 1:
        return _COUNT_VALUES.get(written)
    if written[0] == "十":
        return 10 + _COUNT_VALUES.get(written[1], 0)
    return None


def _count_fits(number: str | None, etc: bool, items: int) -> bool:
    """The count a list gives matches its names: exactly, or at least with 等 (甲、乙等5个村)."""
    if number is None:
        return True
    count = _count(number)
    return count is not None and (count >= items if etc else count == items)


def _listed_units(
    text: str, spans: Sequence[tuple[int, int]], mentions: Sequence[ZoneMention], aliases: _AliasMap
) -> list[ZoneMention]:
    """Each name of a list before a shared unit word (甲、乙、丙等镇 -> 甲镇, 乙镇, 丙镇), named with its
    unit (the form as written stays an alias), under the zone named last that can hold it."""
    taken = _Spans([(m.start, m.end) for m in mentions])
    starts = [m.start for m in mentions]
    found: list[ZoneMention] = []
    for lo, hi in spans:
        for tail in _LIST_TAIL.finditer(text, lo, hi):
            window = max(lo, tail.start() - _LIST_WINDOW)
            if not _LIST_SEPARATORS.search(text, window, tail.start()):
                continue
            m = _LISTED.search(text, window, tail.end())
            if m is None:
                continue
            unit = m.group(6)
            end = m.end()
            if len(unit) == 1 and (_continues_word(text, end, lo, hi) or _ending_starts_word(text, end)):
                continue  # 等村民, 两县级: no unit word
            items = _list_items(text, lo, m)
            if items is None:
                continue
            if not _count_fits(m.group(4) or m.group(5), bool(m.group(3)), len(items)):
                continue  # 甲、乙三县 names no three counties: not read as this list
            before = [mn for mn in mentions[: bisect.bisect_left(starts, m.start())] if mn.end <= m.start()]
            for start, stop in items:
                if taken.overlaps(start, stop):
                    continue
                chain = _listed_chain(text[start:stop], unit, before)
                if chain:
                    mention = ZoneMention(start, stop, chain, len(chain) > 1)
                    found.append(mention)
                    aliases.add(chain)
    return found


def _list_items(text: str, lo: int, m: re.Match[str]) -> list[tuple[int, int]] | None:
    """The spans of a list's names, the first read back to where a name can start (位于|宜州); None
    when one of them reads as no name (a common word, a phrase, a unit already)."""
    items: list[tuple[int, int]] = []
    pos = m.start(1)
    for piece in re.split(r"(、|和|与|及)", m.group(1) + m.group(2)):
        if piece in ("、", "和", "与", "及"):
            pos += len(piece)
            continue
        if piece:
            items.append((pos, pos + len(piece)))
        pos += len(piece)
    if len(items) < 2:
        return None
    first_start, first_end = items[0]
    new_start = first_end
    for token in reversed(tokenize(text[first_start:first_end])):
        if _ends_stem(token, None) or (len(token) > 1 and _common_word(token)):
            break
        new_start -= len(token)
    items[0] = (new_start, first_end)
    for start, stop in items:
        name = text[start:stop]
        if not 2 <= len(name) <= 4 or name.endswith(_SUFFIXES) or name[-1] in "省市县区旗":
            return None
        if is_generic_stem(name) or any(ch in _FUNCTION_CHARS for ch in name):
            return None
        if not (_name_like(name) or name in division_index() or _county_stems_hold(name)):
            return None
    return items


_COUNTY_ENDINGS = ("县", "市", "区", "旗", "自治县")


def _county_stems_hold(name: str) -> bool:
    return any(name + ending in division_index() for ending in _COUNTY_ENDINGS)


def _listed_chain(item: str, unit: str, before: Sequence[ZoneMention]) -> list[ZoneRef]:
    """The chain of a listed name with its shared unit word: a county-level one from the division
    table when it has a unit of that stem (柳江 in 柳江、忻城两县 -> 柳江区 today), else the name
    and the unit word under the zone named last that can hold it."""
    province = next((_province_of(mn.chain) for mn in reversed(before) if _province_of(mn.chain)), None)
    if unit in ("县", "区", "市", "旗"):
        names = [n for n in (item + e for e in _COUNTY_ENDINGS) if any(not s for _, s in division_index().get(n, ()))]
        chains = [resolve_zone_chain(n, parents=[province] if province else None) for n in names]
        if province:
            chains = [c for c in chains if c and c[0].name == province] or chains
        chains = [c for c in chains if c]
        if len(chains) != 1:
            return []
        chain = chains[0]
    else:
        level = _level_of(unit)
        context = _context(before, level)
        chain = resolve_zone_chain(item + unit, parents=[p.key for p in context] or None)
        if not chain:
            return []
    leaf = chain[-1]
    return [*chain[:-1], dataclasses.replace(leaf, aliases=(*leaf.aliases, item))]


# An anonymised unit: one Latin capital and a unit word (A县, B社区, M县N村), as field studies write
# the places they keep unnamed; never inside a Latin word or code (5A级, AB区).
_DESIGNATOR = re.compile(r"(?<![A-Za-z0-9])[A-Z](街道|社区|县|区|市|镇|乡|村)")
_DESIGNATOR_LEVELS = {
    "市": "city", "县": "county", "区": "district", "街道": "street",
    "镇": "town", "乡": "township", "社区": "community", "村": "village",
}  # fmt: skip
# Rank of each level in a chain, top first: a designator hangs under the zone written right before
# it only when that zone ranks above it (A县|B社区).
_CHAIN_RANK = {
    "province": 0, "region": 0, "city": 1, "county": 2, "district": 2,
    "street": 3, "town": 3, "township": 3, "community": 4, "village": 4,
}  # fmt: skip


def _designators(
    text: str, spans: Sequence[tuple[int, int]], mentions: Sequence[ZoneMention], aliases: _AliasMap
) -> list[ZoneMention]:
    """Anonymised units (A县, B社区), under the zone or designator written right before them."""
    found: list[ZoneMention] = []
    ending_at = {m.end: m for m in mentions}
    for lo, hi in spans:
        for m in _DESIGNATOR.finditer(text, lo, hi):
            start, end = m.span()
            unit = m.group(1)
            if _BODY_AFTER.match(text, end) or (len(unit) == 1 and _continues_word(text, end, lo, hi)):
                continue  # C社区服务有限公司 is a firm; A村民 no village
            if unit == "区" and start > lo and _HAN_RUN.match(text[start - 1]) and text[start - 1] not in "省市":
                continue  # 小区A区, 园区B区: a block of an estate or park
            level = _DESIGNATOR_LEVELS[unit]
            before = ending_at.get(start)
            parents = (
                before.chain
                if before is not None and _CHAIN_RANK.get(before.zone.level, 9) < _CHAIN_RANK[level]
                else []
            )
            name = text[start:end]
            key = (parents[-1].key if parents else "") + name
            mention = ZoneMention(start, end, [*parents, ZoneRef(name, level, key)], bool(parents))
            found.append(mention)
            ending_at[end] = mention
            aliases.add(mention.chain)
    return found


def _pass_two(
    text: str, spans: Sequence[tuple[int, int]], mentions: list[ZoneMention], aliases: _AliasMap
) -> list[ZoneMention]:
    """Sub-county units on their own, known short forms first, scanning left to right with the
    zones named so far as context (the latest one decides the parent)."""
    extra: list[ZoneMention] = []
    taken = _Spans([(m.start, m.end) for m in mentions])
    ending_at: dict[int, ZoneMention] = {m.end: m for m in mentions}
    recent: list[ZoneMention] = []
    passed = 0
    for lo, hi in spans:
        for m in _SUFFIX_RE.finditer(text, lo, hi):
            while passed < len(mentions) and mentions[passed].start < m.start():
                _note(mentions[passed], recent)
                passed += 1
            end = m.end()
            if taken.overlaps(m.start(), end) or _part_of_longer_unit(text, end, hi, _level_of(m.group(0))):
                continue
            found = _known_short_form(text, lo, end, aliases, recent)
            if found is not None and _placed_closer(found, ending_at):
                closer = _unit(text, lo, hi, m, ending_at, recent)
                if closer is not None and closer.start == found.start:
                    _repoint(extra, found.zone.key, closer.chain)
                    found = closer
            if found is None and not _ending_starts_word(text, end):
                found = _unit(text, lo, hi, m, ending_at, recent)
            if found is None or taken.overlaps(found.start, found.end):
                continue
            extra.append(found)
            taken.add(found.start, found.end)
            ending_at[found.end] = found
            aliases.add(found.chain)
            _note(found, recent)
    return extra


def _placed_closer(found: ZoneMention, ending_at: dict[int, ZoneMention]) -> bool:
    """A unit named before under its province alone (a heading's 某社区) now follows a zone that can
    hold it and is not in its chain (某街道|某社区): this place is named more closely here."""
    held = ending_at.get(found.start)
    return (
        held is not None
        and _holds(held.zone, found.zone.level)
        and all(ref.key != held.zone.key for ref in found.chain)
        and all(ref.key in {r.key for r in held.chain} for ref in found.chain[:-1])
    )


def _repoint(extra: list[ZoneMention], key: str, chain: list[ZoneRef]) -> None:
    """Earlier mentions of a unit take the closer chain found for it later (one name, one place)."""
    for i, mention in enumerate(extra):
        if mention.zone.key == key:
            extra[i] = ZoneMention(mention.start, mention.end, chain, mention.full)


_RECENT = 32


def _note(mention: ZoneMention, recent: list[ZoneMention]) -> None:
    """Record a zone as context for what follows."""
    recent.append(mention)
    if len(recent) > _RECENT:
        del recent[0]


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


# Single characters that, as a token of their own, are function words: no name holds them, so a
# stem read backwards stops there (在|茅坪镇, 带|着|村民, 68|个|居村, 原|洋北村 a former village).
_FUNCTION_CHARS = frozenset(
    "的了在和与及是为对从把被受将向于以由并也就都又还而则即各该本全每此其某这那着过到往给让等个名位户所原"
)
# Tags of words (two characters or more) that come before a name, not inside one.
_BEFORE_NAME_TAGS = frozenset({"v", "vd", "vn", "d", "p", "c", "u", "uj", "ul", "r", "m", "q", "t", "ad", "l", "i"})
# Longest stem read before each ending: villages and towns have short names, communities longer ones
# (a residential estate's name: 长风花园社区).
_LONGEST_STEM = {"社区": 6, "居民区": 6, "街道": 5, "街道办事处": 5}
_SHORT_STEM = 4
# The next unit starts a longer one whose name holds this unit (永清二村|居民区, 某村|社区).
_HOLDING_ENDINGS = ("居民区", "社区")
# Endings that are words of their own: jieba may join one to the body that follows (社区党委), and
# the unit before is named all the same.
_UNIT_WORDS = frozenset({"社区", "街道", "居民区", "街道办事处"})
# Rank of a sub-county level in a chain: a unit sits below units of a lower rank only, so an ending
# of the same or a lower level inside a stem is part of the name (兴村|镇, 内村|村, 永清二村|居民区).
_RANK = {"street": 1, "town": 1, "township": 1, "community": 2, "village": 2}
# Ending + a word that makes a named body of it (和音坊社区服务中心, 某社区互助中心): a body, not a place.
_BODY_AFTER = re.compile(
    r"(?:服务|互助|发展|公益|慈善|志愿|养老|营造|教育)[\u4e00-\u9fff]{0,2}?"
    r"(?:中心|有限公司|公司|协会|基金会|服务社|促进会|联合会|会)"
)
# A level written alone before a stem is no part of a name (区|直管社区: the district's own).
_LEVEL_CHARS = frozenset("省市县区乡镇村街")
# Endings of attributive words (互嵌式, 学习型, 现代化): a kind of community, not a name.
_KIND_ENDINGS = ("式", "型", "化", "性", "级")
# Single-character words of these kinds inside a stem named alone make it a phrase (手机连起村, 回村).
_PHRASE_TAGS = frozenset({"d", "p", "c", "u", "uj", "ul", "r"})
# Locatives that jieba glues to an ending (镇上, 村里, 区内): the unit is still named.
_LOCATIVES = frozenset("上里内中外")
# Nations and world regions before 社区 (美国社区): communities of a country, not a named one.
_FOREIGN = frozenset({"日本", "欧美", "西方", "国外", "海外", "境外", "外国"})


def _part_of_longer_unit(text: str, end: int, hi: int, level: str) -> bool:
    """The ending opens the name of a unit that holds it: one the name may hold (永清二村|居民区) or one
    of a higher rank, which a unit cannot sit above (尚村|镇: a town named 尚村镇, not a village)."""
    if end >= hi:
        return False
    if any(text.startswith(ending, end) for ending in _HOLDING_ENDINGS):
        return True
    nxt = _SUFFIX_RE.match(text, end)
    return nxt is not None and _RANK[_level_of(nxt.group(0))] < _RANK[level]


def _continues_word(text: str, end: int, lo: int, hi: int) -> bool:
    """True when jieba reads the ending and what follows as one word (村|民 -> 村民, 村|务, 城镇|化):
    the ending does not end a unit there."""
    window_start = max(lo, end - 4)
    offset = window_start
    for token in tokenize(text[window_start : min(hi, end + 4)]):
        token_end = offset + len(token)
        if offset < end < token_end:
            if text[offset:end] in _UNIT_WORDS:
                return False  # 社区党委, 街道办: the unit word opens a body's name of its own
            locative = len(token) == 2 and token[1] in _LOCATIVES and token_end == end + 1
            return not locative and jieba_tag(token) not in _NAME_TAGS  # 雷甸|镇原|洋北村: 镇原 is a county
        offset = token_end
        if offset >= end:
            return False
    return False


def _glued_word(text: str, start: int, end: int, lo: int) -> str:
    """The word jieba reads across the start of an ending (法治|乡村, 江南|小镇, 骆|山村), or ''."""
    offset = max(lo, start - 4)
    for token in tokenize(text[offset:end]):
        token_end = offset + len(token)
        if offset < start < token_end:
            return token
        offset = token_end
    return ""


def _common_word(word: str) -> bool:
    """A frequent dictionary word that is no place name (乡村, 小镇, 年轻人)."""
    return jieba_tag(word) != "ns" and jieba_freq(word) >= 100


def _ends_stem(token: str, level: str | None) -> bool:
    """True when `token`, read backwards from an ending, lies before the name, not inside it. Right
    before the ending (`level` given), a word ending in a unit that cannot hold this one is inside
    the name (尚村|镇, 永清二村|居民区)."""
    if len(token) == 1:
        if level is not None and token in _SUFFIXES and _RANK[_level_of(token)] >= _RANK[level]:
            return False
        return token in _FUNCTION_CHARS or token in _LEVEL_CHARS or not _HAN_RUN.fullmatch(token)
    if token in _name_words() and level is not None:
        return False  # 在|胜利|村: a naming word right before the ending is the name
    if token in boundary_words() or jieba_tag(token) in _BEFORE_NAME_TAGS:
        return True
    if token[-1] in "省市县区旗":
        return True
    inner = next((s for s in _SUFFIXES if token.endswith(s)), None)
    return inner is not None and (level is None or _RANK[_level_of(inner)] < _RANK[level])


def _stem_start(text: str, run_start: int, start: int, longest: int, level: str) -> int | None:
    """Where the name before an ending starts: after the nearest word that cannot be part of it."""
    window_start = max(run_start, start - longest - 2)
    pos = start
    for token in reversed(tokenize(text[window_start:start])):
        if _ends_stem(token, level if pos == start else None):
            break
        pos -= len(token)
        if start - pos > longest:
            return None
    else:
        if window_start > run_start:
            return None
    return pos if pos < start else None


def _foreign(stem: str) -> bool:
    """A nation or world region (美国社区: the communities of a country); a frequent word in 国 is a
    country, a rare one a town's name (泽国镇)."""
    return stem in _FOREIGN or (stem.endswith("国") and jieba_freq(stem) >= 1000)


def _structural(stem: str, level: str) -> bool:
    """A stem holds no function word or verb (专题研究|村务, 建立健全|村务) and is no common noun of a
    kind (城乡, 示范, 全镇 …)."""
    if is_generic_stem(stem) or stem in boundary_words() or stem.endswith(_KIND_ENDINGS) or _foreign(stem):
        return False
    tokens = tokenize(stem)
    if is_generic_stem(tokens[-1]) and not _inner_ending(tokens, level):
        return False  # 市级试点社区
    for token in tokens:
        if len(token) == 1 and token in _FUNCTION_CHARS:
            return False
        if len(token) > 1 and (token in boundary_words() or jieba_tag(token) in _BEFORE_NAME_TAGS):
            return token in _name_words() and len(tokens) == 1
    return True


def _inner_ending(tokens: Sequence[str], level: str) -> bool:
    """The stem ends in a unit ending of its own that cannot hold this unit (兴|村 + 镇, 永清|二|村 + 居民区)."""
    last = tokens[-1]
    return len(tokens) > 1 and last in _SUFFIXES and _RANK[_level_of(last)] >= _RANK[level]


def _without_inner_ending(stem: str, level: str) -> str:
    """The stem without an ending of its own (尚村 -> 尚), whose words are then read as a phrase or not."""
    last = stem[-1]
    return stem[:-1] if last in _SUFFIXES and _RANK[_level_of(last)] >= _RANK[level] else stem


def _phrase(stem: str) -> bool:
    """A stem of several words one of which is a function word or a common word (小事不出|村,
    年轻人回|村): a phrase, not a name jieba could not cut."""
    tokens = tokenize(stem)
    return len(tokens) > 1 and any(
        (len(t) == 1 and (t in boundary_words() or jieba_tag(t) in _PHRASE_TAGS)) or (len(t) > 1 and _common_word(t))
        for t in tokens
    )


_NOUN_TAGS = frozenset({"n", "ns", "nz", "s", "f"})


def _name_in_phrase(stem: str) -> int | None:
    """Where the name starts in a stem of several words before a full unit word (社区, 街道): 0 for a
    name and common nouns after it, as estates are named (某山|花园|社区), or after common nouns of
    place before it (县城|某某|街道); None when the words make a phrase."""
    tokens = tokenize(stem)
    estate = jieba_tag(tokens[0]) in _NAME_TAGS and not _common_word(tokens[0])
    if estate and all(jieba_tag(t) in _NOUN_TAGS and len(t) > 1 for t in tokens[1:]) and len(tokens[0]) > 1:
        return 0
    offset = 0
    for k, token in enumerate(tokens[:-1]):
        if jieba_tag(token) not in _NOUN_TAGS or len(token) < 2:
            return None
        offset += len(token)
        rest = tokens[k + 1 :]
        name = "".join(rest)
        if len(name) >= 2 and not _phrase(name) and _name_like(name):
            return offset
    return None


def _name_like(stem: str) -> bool:
    """A stem named on its own, without a parent or list around it, must read as a name: a place or
    person name or a word jieba does not know, not a common word (普通, 桃花)."""
    if len(stem) < 2 or stem in division_index():
        return False  # 深圳社区(治理) is about Shenzhen's communities, not a community named 深圳
    if stem in _name_words():
        return True
    tag = jieba_tag(stem)
    if tag in _NAME_TAGS or tag is None:
        return True
    return tag not in _NOT_NAME_TAGS and jieba_freq(stem) < 100


_SUFFIX_LEVEL = dict(SUB_COUNTY_SUFFIXES)


def _level_of(name: str) -> str:
    exact = _SUFFIX_LEVEL.get(name)  # an ending on its own, as the scanners ask most often
    return exact if exact is not None else next(lvl for s, lvl in SUB_COUNTY_SUFFIXES if name.endswith(s))


def _holds(parent: ZoneRef, level: str) -> bool:
    return parent.level in _PARENT_LEVELS.get(level, ())


def _unit(
    text: str, lo: int, hi: int, match: re.Match[str], ending_at: dict[int, ZoneMention], recent: Sequence[ZoneMention]
) -> ZoneMention | None:
    """A unit named without a division before it (溪口镇, 茅坪镇陈家坝村, 甲村、乙村). Its stem runs back
    to the zone just before it (a chain) or to the nearest word that cannot be part of a name."""
    start, end = match.span()
    suffix = match.group(0)
    level = _level_of(suffix)
    if _continues_word(text, end, lo, hi) or _BODY_AFTER.match(text, end):
        return None
    longest = _LONGEST_STEM.get(suffix, _SHORT_STEM)
    run_start = start
    while run_start > lo and _HAN_RUN.match(text[run_start - 1]):
        run_start -= 1
    parent = _chain_parent(text, run_start, start, longest, level, ending_at)
    if parent is not None:
        after_parent = parent.end + (1 if text[parent.end] == "原" else 0)
        if start > after_parent and _structural(text[after_parent:start], level):
            return _placed(text, after_parent, end, [parent.zone], full=True)
    stem_start = _stem_start(text, run_start, start, longest, level)
    if stem_start is None:
        return None
    stem = text[stem_start:start]
    if not _structural(stem, level) or len(stem) < 2:
        return None
    if _phrase(_without_inner_ending(stem, level)):
        offset = _name_in_phrase(stem) if suffix in _UNIT_WORDS else None
        if offset is None:
            return None
        stem_start += offset
        stem = stem[offset:]
    cue = _in_list(text, lo, stem_start, end, hi) or _chain_follows(text, end, hi, level)
    glued = _glued_word(text, start, end, lo)
    if not cue and (_common_word(glued) or not _name_like(stem)):
        return None
    context = _context(recent, level)
    return _placed(text, stem_start, end, context, full=bool(context) and context[-1].level != "province")


def _chain_parent(
    text: str, run_start: int, start: int, longest: int, level: str, ending_at: dict[int, ZoneMention]
) -> ZoneMention | None:
    """The zone that ends right before this unit's stem and can hold it (岔路镇|下畈村)."""
    for stem_start in range(max(run_start, start - longest - 1), start):
        held = ending_at.get(stem_start)
        if held is not None and _holds(held.zone, level):
            return held
    return None


def _chain_follows(text: str, end: int, hi: int, level: str) -> bool:
    """A lower unit follows right after (碛口镇|高家坪村): the pair is one chain of names."""
    limit = min(hi, end + _SHORT_STEM + 3)
    m = _SUFFIX_RE.search(text, end, limit)
    while m is not None and _ending_inside_name(text, m, hi):
        m = _SUFFIX_RE.search(text, m.end(), limit)
    if m is None or not _HAN_RUN.fullmatch(text[end : m.end()]):
        return False
    stem = text[end : m.start()].removeprefix("原")
    return (
        0 < len(stem) <= _SHORT_STEM
        and _holds_level(level, _level_of(m.group(0)))
        and _structural(stem, _level_of(m.group(0)))
    )


def _ending_inside_name(text: str, ending: re.Match[str], hi: int) -> bool:
    """Another ending of the same or a higher rank follows: this one is inside that unit's name
    (内村|村, 尚村|镇)."""
    nxt = _SUFFIX_RE.match(text, ending.end(), hi)
    return nxt is not None and _RANK[_level_of(nxt.group(0))] <= _RANK[_level_of(ending.group(0))]


def _holds_level(upper: str, lower: str) -> bool:
    return upper in _PARENT_LEVELS.get(lower, ())


def _in_list(text: str, lo: int, stem_start: int, end: int, hi: int) -> bool:
    """The unit is an item of a list of units (甲村、乙村、丙村; 甲镇、乙街道)."""
    after = (
        _SUFFIX_RE.search(text, end + 1, min(hi, end + 1 + _SHORT_STEM + 5)) if text[end : end + 1] == "、" else None
    )
    if after is not None and _HAN_RUN.fullmatch(text[end + 1 : after.end()]):
        return True
    if stem_start - 1 <= lo or text[stem_start - 1] != "、":
        return False
    return any(text.endswith(s, lo, stem_start - 1) for s in _SUFFIXES)


def _context(recent: Sequence[ZoneMention], level: str) -> list[ZoneRef]:
    """Parents for a unit named alone: the deepest zone of the latest mention's chain that can hold
    it (a sibling village's town), else that chain's province."""
    if not recent:
        return []
    chain = recent[-1].chain
    for depth in range(len(chain) - 1, -1, -1):
        if _holds(chain[depth], level):
            return [chain[depth]]
    top = chain[0]
    return [top] if top.level == "province" and top.code else []


def _placed(text: str, start: int, end: int, parents: list[ZoneRef], full: bool) -> ZoneMention | None:
    name = text[start:end]
    chain = resolve_zone_chain(name, parents=[p.key for p in parents] or None)
    if not chain:
        return None
    return ZoneMention(start, end, chain, full and len(chain) > 1)
