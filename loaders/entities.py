"""Organisations, role groups and policies named in a sentence (besides quoted names).

Organisations come from the word list (data/lexicon/organisations.yaml: 居委会, 党组织, 社工 …)
and from endings of named bodies (和音坊社区服务中心, 党员邻里互助组). Policies come from
《…》 titles and from endings (村社同步换届, 选举办法, …标准); years from the same clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from loaders.lexicon import OrgEntry, org_suffixes, organisations
from loaders.mechanisms import Found
from loaders.names import distinctive, name_before

__all__ = ["OrgFound", "find_organisations", "find_policies", "year_before"]

_TITLE = re.compile(r"《([^《》\n]{2,60})》")
_POLICY_ENDINGS = {
    "换届": "election-rule", "选举办法": "regulation", "办法": "regulation", "条例": "regulation",
    "实施细则": "regulation", "细则": "regulation", "实施方案": "document", "标准": "standard", "规范": "standard",
    "实验区": "programme",
}  # fmt: skip
_POLICY_RE = re.compile("|".join(sorted(_POLICY_ENDINGS, key=len, reverse=True)))
_TITLE_KINDS = (
    ("条例", "regulation"), ("办法", "regulation"), ("规定", "regulation"), ("细则", "regulation"),
    ("标准", "standard"), ("规范", "standard"), ("指南", "standard"), ("意见", "document"), ("通知", "document"),
    ("方案", "document"), ("规划", "document"), ("纲要", "document"), ("法", "law"),
)  # fmt: skip
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_APPOSITION = re.compile(r"(社会组织|公益组织|社区社会组织|志愿组织|慈善组织)\s*(——|—|-|:|：)\s*$")


@dataclass
class OrgFound:
    start: int
    end: int
    name: str
    kind: str
    entry: bool  # from the word list (a generic body or role) rather than a named one


@lru_cache(maxsize=1)
def _lexicon() -> tuple[re.Pattern[str], dict[str, list[OrgEntry]]]:
    by_surface: dict[str, list[OrgEntry]] = {}
    for entry in organisations():
        for surface in entry.surfaces:
            by_surface.setdefault(surface, []).append(entry)
    words = sorted(by_surface, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words))), by_surface


@lru_cache(maxsize=1)
def _suffix_re() -> re.Pattern[str]:
    return re.compile("|".join(sorted(map(re.escape, org_suffixes()), key=len, reverse=True)))


def find_organisations(text: str, lo: int, hi: int, claimed: list[tuple[int, int]]) -> list[OrgFound]:
    """Organisations and role groups in [lo, hi), outside the `claimed` spans (names of practices)."""
    found: list[OrgFound] = []
    taken = list(claimed)
    names = {entry.name for entry in organisations()}
    # Named bodies first: 党员邻里互助组 must not also read as 党员.
    for m in _suffix_re().finditer(text, lo, hi):
        if _overlaps(taken, m.start(), m.end()):
            continue
        read = name_before(text, m.end(), m.start(), lo)
        if read is None:
            continue
        start, words = read
        name = text[start : m.end()]
        if start >= m.start() or name in names or not distinctive(words, m.group(0)):
            continue
        kind = org_suffixes()[m.group(0)]
        if _APPOSITION.search(text[max(lo, start - 10) : start]):
            kind = "social-organisation"
        found.append(OrgFound(start, m.end(), name, kind, entry=False))
        taken.append((start, m.end()))
    pattern, by_surface = _lexicon()
    for m in pattern.finditer(text, lo, hi):
        if _overlaps(taken, m.start(), m.end()):
            continue
        for entry in by_surface[m.group(0)]:
            found.append(OrgFound(m.start(), m.end(), entry.name, entry.kind, entry=True))
    return sorted(found, key=lambda f: f.start)


def find_policies(text: str, lo: int, hi: int, claimed: list[tuple[int, int]]) -> list[Found]:
    """Policies named by a 《title》 or by an ending (村社同步换届, 选举办法) in [lo, hi)."""
    found: list[Found] = []
    taken = list(claimed)
    for m in _TITLE.finditer(text, lo, hi):
        title = m.group(1).strip()
        kind = next((k for e, k in _TITLE_KINDS if title.endswith(e)), "document")
        found.append(Found("Policy", m.start(), m.end(), title, [], kind=kind, core=title))
        taken.append((m.start(), m.end()))
    for m in _POLICY_RE.finditer(text, lo, hi):
        if _overlaps(taken, m.start(), m.end()):
            continue
        read = name_before(text, m.end(), m.start(), lo)
        if read is None:
            continue
        start, words = read
        name = text[start : m.end()]
        ending = m.group(0)
        if ending == "实验区":
            # A bare 实验区 refers to a programme named in quotes elsewhere; resolved by the caller.
            found.append(Found("Policy", start, m.end(), name, [], kind="programme", core=name, strong=False))
            continue
        if start >= m.start():
            if ending != "选举办法":  # the one ending that names a policy on its own
                continue
        elif not distinctive(words, ending):
            continue
        found.append(Found("Policy", start, m.end(), name, [], kind=_POLICY_ENDINGS[ending], core=name))
        taken.append((start, m.end()))
    return sorted(found, key=lambda f: f.start)


def year_before(text: str, lo: int, position: int) -> int | None:
    """The last year written in [lo, position) (the clause before a policy's name), if any."""
    years = _YEAR.findall(text, lo, position)
    return int(years[-1]) if years else None


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)
