"""Zone names -> parent chains (province › city › county › street/township/town › village/community).

One module for every loader, so a zone gets the same id whether it came from free text or a
case sheet: node_id("Zone", <names along the chain from the top>), e.g. 平湖市当湖街道 ->
"浙江省嘉兴市平湖市当湖街道".

Province, prefecture and county levels come from the administrative-division table that ships
with cpca (codes included, and units since merged away such as 杭州市江干区 330104); the levels
below (街道, 乡, 镇, 村, 社区) come from the name's own suffixes. A parent is added only when the
table or the caller's context supports it: a bare 西湖区 (Hangzhou and Nanchang both have one)
stays without parents unless the context names the province or city.
"""

from __future__ import annotations

import itertools
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from types import ModuleType

from govkg.graph.model import Edge, Evidence, Node, node_id
from govkg.resources import LEXICON_DIR
from govkg.text import to_simplified

__all__ = [
    "ADDRESS_WORDS",
    "ONLY_AFTER_PARENT",
    "SUB_COUNTY_SUFFIXES",
    "UNKNOWN_COUNTY",
    "Division",
    "ZoneRef",
    "county_units_by_stem",
    "division_index",
    "division_points",
    "divisions",
    "is_generic_stem",
    "renamed_county",
    "resolve_zone_chain",
    "unknown_county_at",
    "zone_nodes_and_edges",
]

# Suffix -> level, longest first so 街道 wins over a stem ending in 街.
SUB_COUNTY_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("街道办事处", "street"),
    ("街道", "street"),
    ("民族乡", "township"),
    ("苏木", "township"),
    ("社区", "community"),
    ("居民区", "community"),  # Shanghai's name for a residents' committee area (永清X村居民区)
    ("嘎查", "village"),
    ("乡", "township"),
    ("镇", "town"),
    ("村", "village"),
    ("屯", "village"),  # a natural village (Guangxi, the north-east)
)
# Rank of each sub-county level inside a chain: a village sits below a town, never beside it in one
# name, so 兴村镇大庄村 reads 兴村镇|大庄村 and not 兴村|镇大庄村.
_SUB_COUNTY_RANK = {"street": 1, "town": 1, "township": 1, "community": 2, "village": 2}

# Stems that make a zone-shaped word that is not a place: 城乡社区, 农村社区, 示范村, 全镇 ...
_GENERIC_STEMS_FILE = LEXICON_DIR / "zone_generic_stems.txt"
_GENERIC_FIRST_CHARS = frozenset("各该本全每此其某这那哪")

# Table entries that are bookkeeping rows, not places, and generic names that are only a place
# right after their parent (长治市城区).
_NOT_PLACES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})
ONLY_AFTER_PARENT = frozenset({"城区", "郊区", "矿区", "市中区", "新区", "开发区", "高新区"})
_MUNICIPALITIES = frozenset({"北京市", "天津市", "上海市", "重庆市"})
_PROVINCE_SHORT = {
    "内蒙古自治区": "内蒙古",
    "广西壮族自治区": "广西",
    "西藏自治区": "西藏",
    "宁夏回族自治区": "宁夏",
    "新疆维吾尔自治区": "新疆",
    "香港特别行政区": "香港",
    "澳门特别行政区": "澳门",
}
_HAN = re.compile(r"^[\u3400-\u9fff]+$")
UNKNOWN_COUNTY = re.compile(r"([\u3400-\u9fff]{2,4}?)(自治县|自治旗|区|县|旗)")


@dataclass(frozen=True)
class Division:
    """A province-, prefecture- or county-level unit of the division table."""

    code: str  # 6 digits
    name: str
    rank: int  # 0 province, 1 prefecture, 2 county

    @property
    def level(self) -> str:
        if self.rank == 0:
            if self.name in _MUNICIPALITIES:
                return "city"
            return "region" if self.name.endswith("特别行政区") else "province"
        if self.rank == 1:
            return "city" if self.name.endswith("市") else "region"
        if self.name.endswith("市"):
            return "city"  # a county-level city such as 平湖市
        if self.name.endswith("区"):
            return "district"
        return "county"

    def belongs_to(self, other: Division) -> bool:
        return other.rank < self.rank and self.code.startswith(other.code[: (other.rank + 1) * 2])


@dataclass(frozen=True)
class ZoneRef:
    """One zone of a chain. `key` is the chain's names from the top; the node id derives from it."""

    name: str
    level: str
    key: str
    code: str | None = None
    aliases: tuple[str, ...] = ()

    @property
    def node_id(self) -> str:
        return node_id("Zone", self.key)

    def to_node(self) -> Node:
        properties: dict[str, str] = {"level": self.level, "full_name": self.key}
        if self.code:
            properties["code"] = self.code
        return Node(self.node_id, "Zone", self.name, [a for a in self.aliases if a != self.name], properties)


def cpca_module() -> ModuleType:
    """cpca, imported without the deprecation warning its use of pkg_resources would print on every
    run (pyproject.toml keeps setuptools below 81, so pkg_resources is there)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="pkg_resources is deprecated", category=UserWarning)
        import cpca
    return cpca


@lru_cache(maxsize=1)
def divisions() -> dict[str, Division]:
    """code -> Division for every real place of cpca's table (bookkeeping rows left out)."""
    cpca = cpca_module()
    table: dict[str, Division] = {}
    for info in cpca.ad_2_addr_dict.values():
        name = str(info.name)
        if name in _NOT_PLACES or not _HAN.match(name):
            continue
        table[str(info.adcode)[:6]] = Division(str(info.adcode)[:6], name, int(info.rank))
    return table


@lru_cache(maxsize=1)
def division_points() -> dict[str, tuple[float, float]]:
    """code -> (longitude, latitude) of each unit of cpca's table that gives one (the seat of a
    province-, prefecture- or county-level unit; streets, towns and villages have none)."""
    cpca = cpca_module()
    points: dict[str, tuple[float, float]] = {}
    for info in cpca.ad_2_addr_dict.values():
        try:
            lon, lat = float(info.longitude), float(info.latitude)
        except (AttributeError, TypeError, ValueError):
            continue
        if -180 <= lon <= 180 and -90 <= lat <= 90 and (lon, lat) != (0.0, 0.0):
            points[str(info.adcode)[:6]] = (lon, lat)
    return points


@lru_cache(maxsize=1)
def division_index() -> dict[str, tuple[tuple[Division, bool], ...]]:
    """Name as written -> (division, is_short_form). Short forms drop 省/市/自治区 from provinces and
    prefecture-level cities (浙江, 嘉兴) and 市 from county-level cities (海宁), as cpca does."""
    index: dict[str, list[tuple[Division, bool]]] = {}
    for div in divisions().values():
        index.setdefault(div.name, []).append((div, False))
        short = _PROVINCE_SHORT.get(div.name)
        if short is None and div.name.endswith(("省", "市")) and len(div.name) >= 3:
            short = div.name[:-1]
        if short and len(short) >= 2:
            index.setdefault(short, []).append((div, True))
    return {name: tuple(entries) for name, entries in index.items()}


@lru_cache(maxsize=1)
def _longest_name() -> int:
    return max(len(n) for n in division_index())


@lru_cache(maxsize=1)
def _generic_stems() -> frozenset[str]:
    lines = _GENERIC_STEMS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(word for line in lines if not line.startswith("#") for word in line.split())


def is_generic_stem(stem: str) -> bool:
    """True when `stem` + 社区/村/镇… is a common noun (城乡社区, 全镇), not a place name."""
    return not stem or stem in _generic_stems() or stem[0] in _GENERIC_FIRST_CHARS or not _HAN.match(stem)


@dataclass
class _Segment:
    surface: str  # as written (simplified)
    candidates: list[Division] = field(default_factory=list)  # divisions; empty for sub-county units
    level: str = ""  # sub-county level
    short: bool = False


def _parse_divisions(text: str) -> tuple[list[_Segment], int]:
    """Leading division names of `text`, longest match first; returns segments and where they end."""
    index = division_index()
    segments: list[_Segment] = []
    pos = 0
    while pos < len(text):
        found: tuple[str, tuple[tuple[Division, bool], ...]] | None = None
        for size in range(min(_longest_name(), len(text) - pos), 1, -1):
            word = text[pos : pos + size]
            entries = index.get(word)
            if entries is None:
                continue
            if word in ONLY_AFTER_PARENT and not segments:
                continue
            # A short form must not swallow the start of a sub-county name (平湖 in 平湖镇).
            if all(short for _, short in entries) and _starts_sub_county(text[pos + size :]):
                continue
            # Nor the start of a county-level name the table does not know (宜州 in 宜州区, 2016), nor
            # of a lane or street named after the city (朝阳里社区, 南京路).
            rest = text[pos + size :]
            if all(short for _, short in entries) and (rest[:1] in _COUNTY_ENDINGS or rest.startswith(ADDRESS_WORDS)):
                continue
            found = (word, entries)
            break
        if found is None:
            break
        word, entries = found
        segments.append(_Segment(word, [d for d, _ in entries], short=all(s for _, s in entries)))
        pos += len(word)
    return segments, pos


_COUNTY_ENDINGS = frozenset("区县旗市")
# Words of addresses and proper names a place name can open (朝阳里, 南京路, 中山大学).
ADDRESS_WORDS = ("里", "路", "街", "巷", "弄", "道", "桥", "广场", "大学", "公园")
# 原 before a unit marks a former unit (某镇原某村): no part of its name.
_FORMER = "原"


def _starts_sub_county(rest: str) -> bool:
    return any(rest.startswith(suffix) for suffix, _ in SUB_COUNTY_SUFFIXES)


def _parse_sub_county(text: str) -> list[_Segment] | None:
    """Split `text` into stem+suffix units (新塍镇红旗村 -> 新塍镇, 红旗村), or None when it is not one.

    Dynamic programming over end positions, preferring more units, so 湖镇镇 stays one unit while
    新塍镇红旗村 becomes two; each unit ranks below the one before it (a village after a town)."""
    if not text:
        return []
    n = len(text)
    # best[end][rank of the last unit] -> (units, segments)
    best: list[dict[int, tuple[int, list[_Segment]]]] = [{} for _ in range(n + 1)]
    best[0][0] = (0, [])
    for start in range(n):
        if start and text[start] == _FORMER:
            for rank, state in best[start].items():
                best[start + 1].setdefault(rank, state)
            continue
        for rank, state in list(best[start].items()):
            for end in range(start + 2, min(n, start + 14) + 1):
                piece = text[start:end]
                for suffix, level in SUB_COUNTY_SUFFIXES:
                    if piece.endswith(suffix) and not is_generic_stem(piece[: -len(suffix)]):
                        own_rank = _SUB_COUNTY_RANK[level]
                        if own_rank > rank:
                            candidate = (state[0] + 1, [*state[1], _Segment(piece, level=level)])
                            held = best[end].get(own_rank)
                            if held is None or candidate[0] > held[0]:
                                best[end][own_rank] = candidate
                        break
    if not best[n]:
        return None
    return max(best[n].values(), key=lambda held: held[0])[1]


def _parse(name: str) -> list[_Segment] | None:
    segments, pos = _parse_divisions(name)
    # A county-level unit newer than the table (郫都区, 2016) right after its prefecture-level city.
    county = unknown_county_at(name, pos) if segments and any(d.rank == 1 for d in segments[-1].candidates) else None
    if county is not None:
        rest = _parse_sub_county(name[county.end() :])
        if rest is not None:
            level = "district" if county.group(2) == "区" else "county"
            return [*segments, _Segment(county.group(0), level=level), *rest]
    rest = _parse_sub_county(name[pos:])
    return None if rest is None else segments + rest


_NOT_IN_COUNTY_STEM = frozenset(
    "的了在和与及是为对从把被将向于以由并也就又还而则即各该本全每此其某这那区县市省乡镇村街"
)


def unknown_county_at(text: str, pos: int) -> re.Match[str] | None:
    """A county-level name (X区/X县) at `pos` that the division table does not list."""
    m = UNKNOWN_COUNTY.match(text, pos)
    if m is None or is_generic_stem(m.group(1)) or any(ch in _NOT_IN_COUNTY_STEM for ch in m.group(1)):
        return None
    return m


_COUNTY_LEVEL_ENDINGS = ("县", "市", "区")


@lru_cache(maxsize=1)
def _county_stems() -> dict[str, tuple[Division, ...]]:
    """Stem of each county-level unit (诸暨 of 诸暨市, 云安 of 云安区) -> the units with that stem."""
    stems: dict[str, list[Division]] = {}
    for div in divisions().values():
        if div.rank == 2 and div.name.endswith(_COUNTY_LEVEL_ENDINGS) and len(div.name) >= 3:
            stems.setdefault(div.name[:-1], []).append(div)
    return {stem: tuple(held) for stem, held in stems.items()}


def county_units_by_stem(stem: str) -> tuple[Division, ...]:
    """County-level units named stem + 县/市/区 (德清 -> 德清县)."""
    return _county_stems().get(stem, ())


def renamed_county(name: str) -> tuple[Division, ...]:
    """The county-level units a name the table lacks stands for under another ending: a county made
    a city or district (诸暨县 -> 诸暨市, 撤县设市/设区) or one made so after the table (X区 of X县).
    Empty when the table knows the name itself or no unit has its stem."""
    if len(name) < 3 or not name.endswith(_COUNTY_LEVEL_ENDINGS) or name in division_index():
        return ()
    return _county_stems().get(name[:-1], ())


def _choose(segments: Sequence[_Segment]) -> list[Division] | None:
    """One division per division segment such that each belongs to the one before it; None when
    no choice or more than one choice fits."""
    fits = _fits(segments)
    return fits[0] if len(fits) == 1 else None


def _fits(segments: Sequence[_Segment]) -> list[list[Division]]:
    """The choices of one division per division segment that nest, stopping at two different ones."""
    pools = [s.candidates for s in segments if s.candidates]
    if not pools:
        return [[]]
    fits: list[list[Division]] = []
    for combo in itertools.product(*pools):
        picked = _dedupe(combo)
        if all(b.belongs_to(a) for a, b in itertools.pairwise(picked)):
            if fits and fits[0] != picked:
                return [fits[0], picked]
            fits = [picked]
    return fits


def _dedupe(combo: Iterable[Division]) -> list[Division]:
    out: list[Division] = []
    for div in combo:
        if all(held.code != div.code for held in out):
            out.append(div)
    return out


def _ancestors(div: Division) -> list[Division]:
    """The division's parents from the table, top first (嘉兴市 and 浙江省 for 平湖市)."""
    table = divisions()
    found: list[Division] = []
    if div.rank >= 1:
        province = table.get(div.code[:2] + "0000")
        if province is not None:
            found.append(province)
    if div.rank == 2:
        prefecture = table.get(div.code[:4] + "00")
        if prefecture is not None:
            found.append(prefecture)
    return found


def resolve_zone_chain(name: str, parents: list[str] | None = None, level: str | None = None) -> list[ZoneRef]:
    """The chain of zones from the top down to `name`, or [] when `name` is not a zone name.

    `name` is the zone as the source writes it (平湖市当湖街道, 宁波市江北区文教街道, 当湖街道,
    traditional characters allowed). `parents` are names of higher units from the context, top
    first (["浙江省"] from a report's opening, or a case sheet's province and city); they fill
    missing upper levels when they agree with the table, and are ignored when they contradict it.
    `level` is the zone's level when the caller knows it; it also lets a name without a known
    suffix be a zone below its parents.

    The last ZoneRef is the zone itself: its name is the fullest form written below the province
    (平湖市当湖街道), its aliases the shorter forms (当湖街道). Upper zones carry their own names.
    """
    written = to_simplified(name)
    own = _parse(written)
    if own is None or not own:
        if not level or not written or is_generic_stem(written):
            return []
        own = [_Segment(written, level=level)]
    if not _fits(own):
        return []  # divisions that cannot nest name no place (浙江省 + Qinghai's 平安区 is a title)
    context: list[_Segment] = []
    for parent in parents or []:
        parsed = _parse(to_simplified(parent))
        if parsed:
            context.extend(parsed)
    chosen = _choose(context + own) if context else None
    used_context = chosen is not None
    if chosen is None:
        chosen = _choose(own)
    segments = (context + own) if used_context else own
    # Divisions: the chosen ones plus their table ancestors; ambiguous ones stay as written.
    top: list[Division] = []
    if chosen:
        by_code = {d.code: d for d in [*_ancestors(chosen[-1]), *chosen]}
        top = sorted(by_code.values(), key=lambda d: d.rank)
    sub = _sub_county(segments, chosen)
    if sub is None:
        return []
    written_as = _written_forms(own, chosen or [])
    refs: list[ZoneRef] = []
    key = ""
    for div in top:
        key += div.name
        refs.append(ZoneRef(div.name, div.level, key, div.code, written_as.get(div.code, ())))
    for surface, sub_level in sub:
        key += surface
        refs.append(ZoneRef(surface, sub_level, key))
    if not refs:
        return []
    if level and refs[-1].level != level:
        last = refs[-1]
        refs[-1] = ZoneRef(last.name, level, last.key, last.code)
    refs[-1] = _named_leaf(refs[-1], written, own, top)
    return refs


def _written_forms(own: Sequence[_Segment], chosen: Sequence[Division]) -> dict[str, tuple[str, ...]]:
    """Division code -> the short form the name writes it in (浙江 in 浙江衢州市…), so the upper
    units of a chain keep the text's own spelling too."""
    forms: dict[str, tuple[str, ...]] = {}
    for seg in own:
        for div in seg.candidates:
            if seg.surface != div.name and any(d.code == div.code for d in chosen):
                forms[div.code] = (seg.surface,)
    return forms


def _sub_county(segments: Sequence[_Segment], chosen: list[Division] | None) -> list[tuple[str, str]] | None:
    """(name, level) of the units below county level, plus ambiguous divisions kept as written."""
    out: list[tuple[str, str]] = []
    for seg in segments:
        if seg.candidates:
            if chosen:
                continue
            # Ambiguous or unplaceable division: keep it as written, level from its own suffix.
            div = seg.candidates[0]
            if seg.short:
                return None
            out.append((seg.surface, div.level))
        elif all(held != seg.surface for held, _ in out):
            out.append((seg.surface, seg.level))
    return out


def _named_leaf(leaf: ZoneRef, written: str, own: Sequence[_Segment], top: Sequence[Division]) -> ZoneRef:
    """The zone's display name (fullest written form below the province) and shorter aliases."""
    below = written
    skip = 0
    names_province = bool(own and own[0].candidates and own[0].candidates[0].rank == 0)
    if top and top[0].level == "province" and names_province and len(own) > 1:
        below = written[len(own[0].surface) :]
        skip = 1
    if not below.endswith(leaf.name):
        # A short form (海宁, 浙江) names the unit; its official name is the display name.
        return ZoneRef(leaf.name, leaf.level, leaf.key, leaf.code, _unique([written, below]))
    aliases: list[str] = []
    if below != written:
        aliases.append(written)
    pos = 0
    for seg in own[skip:-1]:
        pos += len(seg.surface)
        if below[pos : pos + 1] == _FORMER:
            pos += 1
        aliases.append(below[pos:])
    return ZoneRef(below, leaf.level, leaf.key, leaf.code, _unique(a for a in aliases if a and a != below))


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def zone_nodes_and_edges(chain: Sequence[ZoneRef], evidence: Evidence | None = None) -> tuple[list[Node], list[Edge]]:
    """Nodes for every zone of `chain` and PART_OF edges, each zone to its direct parent only,
    carrying `evidence` (the sentence where the full name appears) when given."""
    nodes = [ref.to_node() for ref in chain]
    edges = [
        Edge("PART_OF", child.node_id, parent.node_id, [evidence] if evidence else [])
        for parent, child in itertools.pairwise(chain)
    ]
    return nodes, edges
