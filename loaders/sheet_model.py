"""The validated content of a case sheet or CSV case table, independent of the file format.

The YAML/JSON reader (loaders/case_sheet.py) and the CSV reader (loaders/csv_cases.py) check
their own input and produce these specs; loaders/sheet_build.py turns them into a graph
document. Each spec keeps `where` (a field path and line, or a CSV row and column) so a
problem found while building is reported where the researcher can fix it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from govkg.graph.model import ADOPTION_STAGES, ZONE_LEVELS
from govkg.loaders.taxonomy import Category
from govkg.text import to_simplified

# Chinese level words a researcher may write instead of the English level names.
CHINESE_LEVELS: dict[str, str] = {
    "省": "province",
    "自治区": "province",
    "直辖市": "province",
    "市": "city",
    "地级市": "city",
    "县级市": "city",
    "区": "district",
    "县": "county",
    "街道": "street",
    "乡": "township",
    "镇": "town",
    "村": "village",
    "社区": "community",
    "片区": "region",
    "地区": "region",
}

# Chinese stage words a researcher may write instead of the English ADOPTS stages.
CHINESE_STAGES: dict[str, str] = {
    "试点": "pilot", "试行": "pilot", "采用": "adopted", "推行": "adopted", "实施": "adopted",
    "推广": "promoted", "计划": "planned", "拟推行": "planned",
}  # fmt: skip

# Separators of a compact parent chain: "浙江省 > 嘉兴市 > 平湖市".
CHAIN_SEPARATORS = re.compile(r"\s*[>＞›»]\s*")


def level_from_text(value: str) -> str | None:
    """The ZONE_LEVELS name for an English or Chinese level word, else None."""
    wanted = value.strip()
    if wanted.lower() in ZONE_LEVELS:
        return wanted.lower()
    return CHINESE_LEVELS.get(wanted)


def stage_from_text(value: str) -> str | None:
    """The ADOPTION_STAGES name for an English or Chinese stage word, else None."""
    wanted = value.strip()
    if wanted.lower() in ADOPTION_STAGES:
        return wanted.lower()
    return CHINESE_STAGES.get(wanted)


def split_chain(value: str) -> list[str]:
    """Names of a compact chain, top to bottom, empty pieces dropped."""
    return [piece for piece in CHAIN_SEPARATORS.split(value.strip()) if piece]


def simplified(text: str) -> str:
    """`text` folded to simplified characters (and half-width forms): ids are built from these."""
    return to_simplified(text)


@dataclass(frozen=True)
class SourceSpec:
    """Where the case was read. The bundled sheets cite a newspaper report."""

    title: str = ""
    publication: str = ""
    author: str = ""
    date: str = ""
    url: str = ""
    citation: str = ""


@dataclass(frozen=True)
class ParentSpec:
    name: str
    level: str | None = None
    aliases: tuple[str, ...] = ()  # other spellings (the source's traditional form 寧波市)


@dataclass
class ZoneSpec:
    name: str
    level: str | None
    parents: list[ParentSpec]
    where: str
    aliases: list[str] = field(default_factory=list)


@dataclass
class MechanismSpec:
    """A mechanism, or a part of one (parts nest: a part has the same fields)."""

    name: str
    where: str
    aliases: list[str] = field(default_factory=list)
    description: str = ""
    parts: list[MechanismSpec] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    year: int | None = None  # when the case's zone took it up (its ADOPTS), if the source says
    stage: str = ""  # pilot / adopted / promoted / planned; empty: adopted


@dataclass
class OrganisationSpec:
    name: str
    where: str
    kind: str = ""
    aliases: list[str] = field(default_factory=list)
    mechanisms: list[str] = field(default_factory=list)
    role: str = ""
    evidence: list[str] = field(default_factory=list)


@dataclass
class PolicySpec:
    name: str
    where: str
    kind: str = ""
    year: int | None = None
    aliases: list[str] = field(default_factory=list)
    mechanisms: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ThemeSpec:
    name: str
    name_en: str = ""


@dataclass
class CaseSpec:
    """One zone and what it does; `zone` is None for the facts a sheet lists as `unplaced`."""

    zone: ZoneSpec | None
    where: str
    title: str = ""
    summary: str = ""
    theme: ThemeSpec | None = None
    mechanisms: list[MechanismSpec] = field(default_factory=list)
    organisations: list[OrganisationSpec] = field(default_factory=list)
    policies: list[PolicySpec] = field(default_factory=list)


@dataclass(frozen=True)
class ReplacedSpec:
    """A document whose automatic extraction this (curated) sheet replaces: its id and file path."""

    document: str
    path: str = ""


@dataclass
class SheetSpec:
    """One source and the cases read from it; becomes one Document."""

    path: str
    source: SourceSpec
    cases: list[CaseSpec]
    title: str = ""
    replaces: list[ReplacedSpec] = field(default_factory=list)
