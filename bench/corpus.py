"""A seeded SYNTHETIC corpus of case documents for benchmarks, in the genre of the bundled article.

Not real data. Each document is a short report (a reporter line, a title, paragraphs, a source
line) about one street-level zone and two or three communities under it: the street's quoted mechanism
with its parts and an organisation, each community's own mechanism (named after the community,
as real ones are named after their place: 余杭‘1+3’基层协商治理模式) and organisation, and a policy
the district issued under its own name. The province, prefecture city and district of each zone
are real division names from cpca's table (its adcodes.csv), so the extractor resolves them as it
would a real report; the street or township and the communities below them, the mechanisms, their
parts, the organisations, the policy and the reporter are composed from stems and do not describe
any real place or practice. Every document says so in its text (a line marked 合成 / SYNTHETIC)
and in `SyntheticDocument.metadata`.

Size (measured with loaders.extract.extract_paths, seed 2018): 1,000 documents give 15,071
nodes, 10,000 give 100,389 (documents included). Per document the street, its two or three
communities, their mechanisms and the district's policy are mostly new, while street mechanisms,
parts and organisations recur across documents (what zones share, which similarity needs).

Documents are written only where the caller says (a temporary or output folder), never to data/.

    docs = synthetic_corpus(1000, seed=2018)     # the same arguments give the same texts
    write_corpus(docs, folder)                    # one UTF-8 .txt per document
"""

from __future__ import annotations

import csv
import importlib.util
import itertools
import random
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from govkg.loaders.zones import ONLY_AFTER_PARENT, division_index
from govkg.resources import DATA_DIR
from govkg.text import to_simplified

__all__ = [
    "LABEL",
    "MARK",
    "SOURCE",
    "District",
    "SyntheticCommunity",
    "SyntheticDocument",
    "community_stems",
    "districts",
    "synthetic_corpus",
    "write_corpus",
]

LABEL = "SYNTHETIC: a generated benchmark document, not real data"
MARK = "【合成基准语料 SYNTHETIC：本文由程序生成，非真实案例】"
SOURCE = "govkg合成基准语料(SYNTHETIC)"

# Stems for composing the parts of a synthetic name (not lists of real units or practices).
# Street stems that begin no county-level name in cpca's table (长安, 新华 ... would read as a district).
_STREET_STEMS = (
    "东城", "西城", "南苑", "北苑", "人民", "文昌", "河西", "桂花", "金桥", "江滨", "梅园", "竹林", "石桥",
    "枫林", "明珠", "春晖", "丰乐", "望湖", "翠苑", "锦绣", "杏林", "云栖", "朝晖", "柳营", "芳草", "紫荆",
)  # fmt: skip
_STREET_KINDS = (("街道", "street"), ("街道", "street"), ("镇", "town"), ("乡", "township"))
# Community stems are composed of two characters (丹 + 桂); community_stems() drops the pairs that
# are, start or contain a division name (兰溪 is 兰溪市) so that each reads as a community only.
_COMMUNITY_FIRST = "丹翠锦碧紫银玉兰桃梨杏松柏枫荷梧芙映晓朗澄晴霞瑞祥嘉馨怡悦雅"
_COMMUNITY_SECOND = "桂苑园湾庭林湖溪桥泉景岸坊府畔亭月辉荫"
_COMMUNITIES_PER_DOCUMENT = (2, 3)  # drawn per document
_NUMBERS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十")
_FORMULAS = ("1+3", "1+N", "2+X", "3+1", "1246+N", "4+2", "5+X")
_STEMS = (
    "友邻", "邻里", "议事", "生活", "民生", "协商", "红色", "睦邻", "共治", "乐居", "楼道", "院落", "网格",
    "同心", "连心", "暖心", "众创", "共建", "共享", "和美", "善治", "聚力", "携手", "安居",
)  # fmt: skip
_SUFFIXES = ("工作法", "工作机制", "治理平台", "服务模式", "治理体系", "协商机制", "服务体系", "治理模式")
# Part names also take these familiar words (no 乡/镇/村/街/社区 in them: that would read as a zone).
_PART_HEADS = (*_STEMS, "幸福", "温馨", "阳光", "爱心", "邻家", "银龄", "青春", "巾帼", "党群", "法治", "平安", "和谐")
_PART_STEMS = ("议事", "服务", "调解", "互助", "公益", "志愿", "文化", "帮扶", "关爱", "评议", "睦邻", "便民")
_PART_KINDS = ("会", "站", "队", "坊", "室", "超市", "驿站", "中心", "小组", "工作室", "联盟", "客厅")
# Parts per street mechanism: four, so that the quoted list stays within the 40 characters the
# extractor reads as one quoted term (six often ran over, and the document then lost all its parts;
# that, not unfamiliar stems, is why part names once seemed to be dropped). Parts stay generic
# words, shared across documents as real ones are (微平台, 邻里坊).
_PARTS_PER_MECHANISM = 4
# Organisation kinds, each ending as the extractor's named bodies end (org_suffixes); no 社区 or 乡
# inside (春晖社区社会组织…, 丹桂乡贤… would also read as a zone of that name).
_ORG_KINDS = ("社会组织联合会", "邻里互助会", "志愿服务队", "社会工作服务中心", "居民议事会")
_COMMUNITY_ORG_KINDS = (
    "邻里互助会", "志愿服务队", "居民议事会", "社会工作服务中心", "睦邻理事会", "公益服务社", "老年协会",
    "乐龄志愿队", "民情恳谈会", "调解协会", "文体协会", "邻里互助组",
)  # fmt: skip
# What a community does with its mechanism and organisation (the genre's sentence shapes; the
# communities of one document each take a different one).
_COMMUNITY_SENTENCES = (
    "{zone}探索“{mechanism}”,由{organisation}牵头,组织居民就停车、加装电梯等身边事开展协商。",
    "{zone}打造“{mechanism}”,依托{organisation}为老年人和困难家庭提供上门服务。",
    "{zone}推行“{mechanism}”,{organisation}定期收集居民的意见和建议。",
)
_POLICY_TOPICS = ("城乡社区协商", "社区治理创新", "社区服务体系建设", "居民自治", "社会组织培育")
_POLICY_KINDS = ("实施意见", "工作方案", "指导意见")
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_GIVEN = "明华伟芳敏静丽强磊洋艳勇军杰娟涛超"


@dataclass(frozen=True)
class District:
    """A real county-level unit from cpca's table, with its real province and prefecture city."""

    province: str
    city: str
    district: str
    code: str  # 6-digit division code


@dataclass(frozen=True)
class SyntheticCommunity:
    """A community under the document's street, with the mechanism it adopts and the organisation
    that runs it."""

    name: str  # 丹桂社区
    mechanism: str
    organisation: str


@dataclass(frozen=True)
class SyntheticDocument:
    """One generated report: `text` is what a researcher's file would hold; the planted facts are
    kept beside it so a test can check that the extractor finds them. `zone_chain`, `mechanism`,
    `parts` and `organisation` are the street's; `communities` the zones below it."""

    name: str  # file name
    text: str
    zone_chain: tuple[str, ...]  # province, city, district, street
    zone_level: str
    mechanism: str
    parts: tuple[str, ...]
    organisation: str
    policy: str  # issued by the district (zone_chain[:3]) in `year`
    year: int
    communities: tuple[SyntheticCommunity, ...] = ()
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def mechanisms(self) -> tuple[str, ...]:
        """Every named mechanism of the document (the street's first), parts aside."""
        return (self.mechanism, *(c.mechanism for c in self.communities))

    def community_chain(self, community: SyntheticCommunity) -> tuple[str, ...]:
        """Province, city, district, street and the community: the names its zone id joins."""
        return (*self.zone_chain, community.name)


@cache
def _division_names() -> tuple[dict[str, str], frozenset[str]]:
    """cpca's table: 6-digit code -> name, and every name with its short form (兰溪市, 兰溪)."""
    # Read from its folder, not imported: importing cpca loads much more.
    spec = importlib.util.find_spec("cpca")
    assert spec is not None and spec.origin is not None, "cpca is a dependency of govkg"
    table = Path(spec.origin).parent / "resources" / "adcodes.csv"
    with table.open(encoding="utf-8") as handle:
        names = {row["adcode"][:6]: row["name"] for row in csv.DictReader(handle)}
    forms = {n for n in names.values() if len(n) >= 2}
    forms |= {n[:-1] for n in forms if len(n) >= 3 and n.endswith(("省", "市", "区", "县", "州", "盟", "旗"))}
    return names, frozenset(forms)


@cache
def districts() -> tuple[District, ...]:
    """County-level units of provinces and autonomous regions whose province and prefecture city
    are both in cpca's table (municipalities and 省直辖 units are left out: their chains differ)."""
    names = _division_names()[0]
    out = []
    for code, name in sorted(names.items()):
        province, city = names.get(code[:2] + "0000"), names.get(code[:4] + "00")
        if code.endswith("00") or province is None or city is None or city == province:
            continue
        if not province.endswith(("省", "自治区")) or not city.endswith(("市", "州", "盟", "地区")):
            continue
        # 区/县/市/旗 only: a unit such as 南沙群岛 is no subject of a sentence for the extractor.
        if name.endswith(("市辖区", "区划")) or len(name) < 2 or not name.endswith(("区", "县", "市", "旗")):
            continue
        # A name the extractor's traditional-to-simplified folding changes (乾县 -> 干县) is left out.
        if to_simplified(province + city + name) != province + city + name:
            continue
        out.append(District(province, city, name, code))
    return tuple(out)


@cache
def community_stems() -> tuple[str, ...]:
    """Two-character community stems (丹桂) that no division name starts with, equals or sits in."""
    forms = _division_names()[1]
    stems = []
    for first, second in itertools.product(_COMMUNITY_FIRST, _COMMUNITY_SECOND):
        stem = first + second
        if first == second or any(f.startswith(stem) or f in stem + "社区" for f in forms):
            continue
        stems.append(stem)
    return tuple(stems)


def _stands_alone(district: str) -> bool:
    """Whether the extractor places the district from its own name. One that is only a zone after
    its parent (市中区, 洋县) or that several cities have (桥西区) is written with its city."""
    if district in ONLY_AFTER_PARENT or len(district) <= 2:
        return False
    return len({div.code for div, short in division_index().get(district, ()) if not short}) == 1


def _mechanism(rng: random.Random, place: str) -> tuple[str, tuple[str, ...]]:
    """The street's practice and its parts; half the names open with the place (春晖三联邻里服务体系),
    half are generic (三联邻里服务体系) and recur across documents, as parts do."""
    head = (
        rng.choice(_FORMULAS) if rng.random() < 0.3 else rng.choice(_NUMBERS[:5]) + rng.choice(("级", "心", "联", "社"))
    )
    name = (place if rng.random() < 0.5 else "") + head + rng.choice(_STEMS) + rng.choice(_SUFFIXES)
    parts = tuple(
        dict.fromkeys(
            rng.choice(_PART_HEADS) + rng.choice(_PART_STEMS) + rng.choice(_PART_KINDS)
            for _ in range(_PARTS_PER_MECHANISM)
        )
    )
    return name, parts


def _community_mechanism(rng: random.Random, stem: str, formula: str) -> str:
    """A practice named after its place, sometimes with a formula in inner quotes (丹桂‘1+N’邻里协商机制).
    The communities of one document never share a formula: the extractor takes a shared inner
    name (‘1+N’) for one practice named twice."""
    quoted = f"‘{formula}’" if rng.random() < 0.4 else ""
    return stem + quoted + rng.choice(_STEMS) + rng.choice(_SUFFIXES)


def _document(index: int, rng: random.Random, units: tuple[District, ...]) -> SyntheticDocument:
    unit = rng.choice(units)
    street_name, level = rng.choice(_STREET_KINDS)
    place = rng.choice(_STREET_STEMS)
    street = place + street_name
    mechanism, parts = _mechanism(rng, place)
    organisation = place + rng.choice(_ORG_KINDS)
    year = rng.randint(2015, 2022)
    policy = f"{unit.district}关于加强{rng.choice(_POLICY_TOPICS)}的{rng.choice(_POLICY_KINDS)}"
    reporter = rng.choice(_SURNAMES) + " " + rng.choice(_GIVEN)
    count = rng.choice(_COMMUNITIES_PER_DOCUMENT)
    stems, formulas = rng.sample(community_stems(), count), rng.sample(_FORMULAS, count)
    communities = tuple(
        SyntheticCommunity(
            stem + "社区", _community_mechanism(rng, stem, formula), stem + rng.choice(_COMMUNITY_ORG_KINDS)
        )
        for stem, formula in zip(stems, formulas, strict=True)
    )
    quoted_parts = "、".join(parts)
    district = unit.district if _stands_alone(unit.district) else unit.city + unit.district
    local = district + street
    paragraphs = [
        f"本报记者 {reporter}",
        MARK,
        f"{local}探索“{mechanism}”的实践",
        f"{unit.province}{unit.city}{unit.district}{street}构建包括“{quoted_parts}”在内的“{mechanism}”,"
        "推动居民从“旁观者”变为“参与者”,进一步夯实社区治理的共同体。",
        f"{street}社区党委牵头成立{organisation},以楼道和院落为单元,组织居民参与公共事务的协商和服务,"
        f"{organisation}每月召开一次协商会,把“{mechanism}”落到实处。",
        *(
            shape.format(zone=local + c.name, mechanism=c.mechanism, organisation=c.organisation)
            for c, shape in zip(communities, rng.sample(_COMMUNITY_SENTENCES, count), strict=True)
        ),
        # The year in the issuer's clause is the policy's year.
        f"{district}于{year}年出台《{policy}》,将{street}的做法在全{unit.district[-1]}推广,"
        "为基层治理提供了可复制的经验。",
        f"来源:{SOURCE}",
    ]
    text = "\n".join(paragraphs) + "\n"
    return SyntheticDocument(
        name=f"synthetic-{index:05d}.txt",
        text=text,
        zone_chain=(unit.province, unit.city, unit.district, street),
        zone_level=level,
        mechanism=mechanism,
        parts=parts,
        organisation=organisation,
        policy=policy,
        year=year,
        communities=communities,
        metadata={"label": LABEL, "synthetic": True, "seed_index": index, "district_code": unit.code},
    )


def synthetic_corpus(count: int, *, seed: int = 2018) -> list[SyntheticDocument]:
    """`count` synthetic documents (100 to 10,000 is the intended range; any positive count works);
    the same count and seed give the same documents, and a smaller count gives a prefix of a
    larger one with the same seed."""
    if count < 1:
        raise ValueError("need at least one document")
    rng = random.Random(seed)
    units = districts()
    return [_document(i, rng, units) for i in range(count)]


def write_corpus(documents: list[SyntheticDocument], folder: Path) -> list[Path]:
    """Write each document as UTF-8 text in `folder` (created); refuses the project's data/ folder."""
    folder = Path(folder).resolve()
    data = DATA_DIR.resolve()
    if folder == data or data in folder.parents:
        raise ValueError(f"synthetic documents are never written under {data}; choose a temporary folder")
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for doc in documents:
        path = folder / doc.name
        path.write_text(doc.text, encoding="utf-8")
        paths.append(path)
    return paths
