"""How far a zone has gone with a practice, and when: stage, year and learning, from the words around it.

Case texts tell the spread of a practice with a small set of verbs and markers:
- a first trial: 试点, 试行, 试办, 先行, 率先, 首创, 首次, 起步, 发源 (甲镇先行试点);
- a roll-out over a whole area or to a larger one: 推广, 推开, 铺开, 全面推行, 在全县… (在全市推开);
- a plan or wish, which is no adoption yet: 将在/将于/拟/计划/准备/力争/下一步 (下一步将在全县推广);
- learning from another place: 学习借鉴, 借鉴, 学来, 效仿, 取经 (学习借鉴某地经验).
Anything else a zone does with a practice (推行, 建立, 实行, 依托 …) is plain adoption.

Years: the year written in the same sentence before the practice (2016年，甲镇…), else one written
after it in the same clause (始于2012年), else a relative year (次年, 当年, 同年) counted from the
last year the text gave.

Pure functions over the match text and offsets; nothing here knows about nodes or edges.
"""

from __future__ import annotations

import re

__all__ = [
    "ADOPTION_VERB",
    "ANAPHOR",
    "LOCATIVE_VERB",
    "adoption_stage",
    "learned_before",
    "relative_year",
    "transplanted",
    "years_in",
]

# Planned or wished: 将 only with what makes it future (将在, 将于, 将逐步 …), since formal writing
# also uses 将 for 把 (将议事会纳入…).
_PLANNED = re.compile(
    r"(将在|将于|将要|即将|将逐步|将全面|将进一步|将继续|将向|将把|拟|计划|准备|打算|力争|争取|有望|预计|下一步|下步|今后|未来|明年)"
)
_PROMOTED = re.compile(
    r"(推广|推开|铺开|全面推行|全面推进|全面实施|全域|推向|覆盖全|在全[省市县区镇乡国]|到全[省市县区镇乡国]|全[省市县区镇乡]范围"
    r"|全[省市县区镇乡](推行|实行|实施|部署|建立))"
)
_FIRST = re.compile(r"(率先|首创|首个|第一个|首家|首批)")
_LEARNED_REACH = 10
_LEARNED_AT_END = re.compile(
    r"(学习借鉴|借鉴|学来的?|学习|效仿|仿效|参照|引进|复制)(了|应用|运用|推广)?[^，。；]{0,4}$"
)
# After 把 + practice: a verb that moves it into a new place (搬到, 移植到, 引进, 带回).
_MOVED_AFTER = re.compile(r"[^，。；]{0,8}?(搬|移植|引进|引入|引到|带到|带回|复制到|嫁接)")
_PILOT = re.compile(r"(试点|试行|试办|先行|率先|首创|首次|首推|起步|发源|诞生|开创|试水)")
# A clause's own verb of adoption, for clauses that name no practice but refer back to one
# (这一做法在全市推开) or leave the object out (甲镇先行试点).
ADOPTION_VERB = re.compile(r"(试点|试行|试办|推广|推开|铺开|推行|实行|实施|引入|复制|落地|施行|运行)")
# Verbs after a locative zone that make that zone adopt too (在乙镇、丙街道先行试点, 在丁市推开).
LOCATIVE_VERB = re.compile(r"(试点|试行|试办|推广|推开|铺开|推行|实行|实施|落地|复制)")
# A noun phrase that points back to the practice just named: 这一做法, 该模式, 这套经验, 此项机制.
ANAPHOR = re.compile(
    r"(这|该|此|这一|这种|这套|这项|这个|上述|此项|该项)(种|套|项|个|一)?"
    r"(做法|经验|模式|机制|制度|办法|探索|形式|安排|工作法|改革|创新|实践|举措)"
)
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_RELATIVE = re.compile(r"(次年|翌年|第二年|当年|同年|同一年|这一年|那一年)")


def adoption_stage(clause_text: str, following: str = "") -> str:
    """The stage a practice reaches in a clause; when the clause itself says nothing of how far, the
    clauses that continue it without a subject of their own (部署在全省推行) may."""
    stage = _stage(clause_text)
    if stage == "adopted" and following:
        stage = _stage(following)
    return stage


def _stage(text: str) -> str:
    if _PLANNED.search(text):
        return "planned"
    # 在全国率先… and 全省首个… compare a first with the whole area: a first trial, not a roll-out.
    if _FIRST.search(text):
        return "pilot"
    if _PROMOTED.search(text):
        return "promoted"
    if _PILOT.search(text):
        return "pilot"
    return "adopted"


def learned_before(text: str, lo: int, position: int) -> bool:
    """The practice at `position` is named as learned from elsewhere: a marker of learning stands just
    before it in the same clause (学来的“某经验”, 借鉴“某经验”, 学习应用某经验), not anywhere in the sentence
    (某区委借鉴传统思路，在两镇试点“某某” learned nothing of the practice)."""
    window = text[max(lo, position - _LEARNED_REACH) : position]
    cut = max(window.rfind("，"), window.rfind(","), window.rfind("；"), window.rfind("。"))
    return _LEARNED_AT_END.search(window[cut + 1 :]) is not None


def transplanted(text: str, start: int, end: int, hi: int) -> bool:
    """The practice at [start, end) is carried over from elsewhere: 把“某经验”从陆地搬到了海上, 把某做法
    引进/移植到本村 — the disposal construction with a verb of moving it into a new place."""
    return text[max(0, start - 2) : start].endswith("把") and _MOVED_AFTER.match(text, end, hi) is not None


def years_in(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(offset, year) of every year written in [start, end)."""
    return [(m.start(), int(m.group(1))) for m in _YEAR.finditer(text, start, end)]


def relative_year(text: str, start: int, end: int, last_year: int | None) -> int | None:
    """A year given relatively in [start, end) (次年 = last year + 1, 当年 = last year)."""
    if last_year is None:
        return None
    m = _RELATIVE.search(text, start, end)
    if m is None:
        return None
    return last_year + 1 if m.group(1) in ("次年", "翌年", "第二年") else last_year
