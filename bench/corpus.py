"""A seeded SYNTHETIC corpus of case documents for benchmarks, in the genre of the bundled article.

Not real data. Each document is a short report (a reporter line, a title, paragraphs, a source
line) about one zone and one quoted mechanism with its parts, an organisation and a policy. The
province, prefecture city and district of each zone are real division names from cpca's table
(its adcodes.csv), so the extractor resolves them as it would a real report; the street or
township below them, the mechanism, its parts, the organisation, the policy and the reporter are
composed from stems and do not describe any real place or practice. Every document says so in
its text (a line marked 合成 / SYNTHETIC) and in `SyntheticDocument.metadata`.

Documents are written only where the caller says (a temporary or output folder), never to data/.

    docs = synthetic_corpus(1000, seed=2018)     # the same arguments give the same texts
    write_corpus(docs, folder)                    # one UTF-8 .txt per document
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import cpca

from govkg.paths import PROJECT_ROOT

__all__ = ["LABEL", "District", "SyntheticDocument", "districts", "synthetic_corpus", "write_corpus"]

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
_NUMBERS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十")
_FORMULAS = ("1+3", "1+N", "2+X", "3+1", "1246+N", "4+2", "5+X")
_STEMS = (
    "友邻", "邻里", "议事", "生活", "民生", "协商", "红色", "睦邻", "共治", "乐居", "楼道", "院落", "网格",
    "同心", "连心", "暖心", "众创", "共建", "共享", "和美", "善治", "聚力", "携手", "安居",
)  # fmt: skip
_SUFFIXES = ("工作法", "工作机制", "治理平台", "服务模式", "治理体系", "协商机制", "服务体系", "治理模式")
_PART_STEMS = ("议事", "服务", "调解", "互助", "公益", "志愿", "文化", "帮扶", "关爱", "评议", "睦邻", "便民")
_PART_KINDS = ("会", "站", "队", "坊", "室", "超市", "驿站", "中心", "小组", "工作室", "联盟", "客厅")
# Parts per mechanism (more parts and stems than before: a large corpus keeps yielding new
# mechanism nodes). Part names composed from stems the extractor does not read as list items
# (e.g. 诚睿互助坊) were tried and dropped: it keeps quoted list items of familiar words only.
_PARTS_PER_MECHANISM = 6
_ORG_KINDS = ("社区社会组织联合会", "邻里互助会", "志愿服务队", "社会工作服务中心", "居民议事会")
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
class SyntheticDocument:
    """One generated report: `text` is what a researcher's file would hold; the planted facts are
    kept beside it so a test can check that the extractor finds them."""

    name: str  # file name
    text: str
    zone_chain: tuple[str, ...]  # province, city, district, street
    zone_level: str
    mechanism: str
    parts: tuple[str, ...]
    organisation: str
    policy: str
    year: int
    metadata: dict[str, Any] = field(default_factory=dict)


@cache
def districts() -> tuple[District, ...]:
    """County-level units of provinces and autonomous regions whose province and prefecture city
    are both in cpca's table (municipalities and 省直辖 units are left out: their chains differ)."""
    table = Path(cpca.__file__).parent / "resources" / "adcodes.csv"
    with table.open(encoding="utf-8") as handle:
        names = {row["adcode"][:6]: row["name"] for row in csv.DictReader(handle)}
    out = []
    for code, name in sorted(names.items()):
        province, city = names.get(code[:2] + "0000"), names.get(code[:4] + "00")
        if code.endswith("00") or province is None or city is None or city == province:
            continue
        if not province.endswith(("省", "自治区")) or not city.endswith(("市", "州", "盟", "地区")):
            continue
        if name.endswith(("市辖区", "区划")) or len(name) < 2:
            continue
        out.append(District(province, city, name, code))
    return tuple(out)


def _mechanism(rng: random.Random) -> tuple[str, tuple[str, ...]]:
    head = (
        rng.choice(_FORMULAS) if rng.random() < 0.3 else rng.choice(_NUMBERS[:5]) + rng.choice(("级", "心", "联", "社"))
    )
    name = head + rng.choice(_STEMS) + rng.choice(_SUFFIXES)
    parts = tuple(
        dict.fromkeys(
            rng.choice(_STEMS) + rng.choice(_PART_STEMS) + rng.choice(_PART_KINDS) for _ in range(_PARTS_PER_MECHANISM)
        )
    )
    return name, parts


def _document(index: int, rng: random.Random, units: tuple[District, ...]) -> SyntheticDocument:
    unit = rng.choice(units)
    street_name, level = rng.choice(_STREET_KINDS)
    street = rng.choice(_STREET_STEMS) + street_name
    mechanism, parts = _mechanism(rng)
    organisation = street.removesuffix(street_name) + rng.choice(_ORG_KINDS)
    year = rng.randint(2015, 2022)
    policy = f"关于加强{rng.choice(_POLICY_TOPICS)}的{rng.choice(_POLICY_KINDS)}"
    reporter = rng.choice(_SURNAMES) + " " + rng.choice(_GIVEN)
    quoted_parts = "、".join(parts)
    local = f"{unit.district}{street}"
    paragraphs = [
        f"本报记者 {reporter}",
        MARK,
        f"{local}探索“{mechanism}”的实践",
        f"{unit.province}{unit.city}{local}构建包括“{quoted_parts}”在内的“{mechanism}”,"
        "推动居民从“旁观者”变为“参与者”,进一步夯实社区治理的共同体。",
        f"{street}社区党委牵头成立{organisation},以楼道和院落为单元,组织居民参与公共事务的协商和服务,"
        f"{organisation}每月召开一次协商会,把“{mechanism}”落到实处。",
        f"{year}年,{unit.district}出台《{policy}》,将{street}的做法在全区推广,为基层治理提供了可复制的经验。",
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
    data = (PROJECT_ROOT / "data").resolve()
    if folder == data or data in folder.parents:
        raise ValueError(f"synthetic documents are never written under {data}; choose a temporary folder")
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for doc in documents:
        path = folder / doc.name
        path.write_text(doc.text, encoding="utf-8")
        paths.append(path)
    return paths
