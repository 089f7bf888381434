"""Named practices in a sentence: quoted names, names ending in 体系/模式/机制…, formulas, parts.

A quoted term is read with what follows it (“邻里坊”工作机制, “1246+N”标准化体系框架), then
classed as a mechanism, a policy (“两推一选”, “…”实验区) or nothing (“五个迈向”, “可视性”,
“重城市轻农村”问题). Names without quotes count only when some word in them is distinctive
(社区微自治体系, not 社区治理体系). Everything here reads the match text and returns offsets.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from graph.model import normalise_name
from loaders.lexicon import jieba_freq, jieba_tag, not_mechanisms, tokenize
from loaders.names import distinctive, name_after, name_before

__all__ = [
    "Found",
    "find_parts",
    "find_practice",
    "find_quoted",
    "find_unquoted_mechanisms",
    "quoted_spans",
]

# Endings that make the words after a quote part of a mechanism's name.
MECHANISM_ENDINGS = (
    "模式", "机制", "体系", "框架", "网络", "平台", "工作法", "法", "做法", "品牌", "项目", "工程",
    "行动", "模型", "驿站", "服务站", "超市", "银行", "综合体", "联盟", "工作室", "课堂", "改革",
)  # fmt: skip
# Endings after a quote that make the whole a policy, and its kind.
POLICY_TRAILING = {
    "实验区": "programme", "试验区": "programme", "示范区": "programme", "试点": "programme",
    "制度": "election-rule", "办法": "regulation", "条例": "regulation", "规定": "regulation",
    "意见": "document", "方案": "document", "标准": "standard", "规范": "standard",
}  # fmt: skip
# A quoted term that itself ends like this is a policy (“两推一选”, “自荐直选”).
POLICY_OWN_ENDINGS = {
    "选": "election-rule", "换届": "election-rule", "选举": "election-rule", "办法": "regulation",
    "条例": "regulation", "规定": "regulation", "意见": "document", "标准": "standard", "规范": "standard",
}  # fmt: skip
# Words right after a quote that say it is not a practice: a problem, an idea, a role.
_REJECT_AFTER = ("问题", "现象", "倾向", "难题", "困境", "误区", "短板", "思维", "理念", "口号", "精神", "目标", "岗位",
                 "委员", "人员", "职位", "称号", "荣誉")  # fmt: skip
_ABSTRACT_ENDINGS = ("性", "感", "观", "意识")
_SUMMARY = re.compile(r"^[一二三四五六七八九十两百千\d]+[个项条种大类]")
_FORMULA = re.compile(r"[0-9+＋N]|^[一二三四五六七八九十两]\S*[一二三四五六七八九十两N]")
_THEME_BEFORE = re.compile(r"(以|围绕|聚焦|坚持|突出|按照)$")
_THEME_AFTER = re.compile(r"^(为主题|为目标|为重点|为核心|为主线|为导向|为原则|的要求|的理念|的目标)")
_PART_TRIGGER = re.compile(r"(包括|涵盖|包含|含有|囊括|由)")
_PART_JOIN = re.compile(r"^(在内)?的?$|^等$|^等的$|^组成的$")
_QUOTE_PAIRS = {"“": "”", "「": "」", "『": "』", '"': '"'}
_QUOTE_OPEN = re.compile(r"[“「『\"]")
_NESTED = re.compile(r"[‘「『]([^‘’「」『』]{1,20})[’」』]")
_UNQUOTED_ENDINGS = ("体系", "模式", "机制", "综合体", "工作法", "平台", "基金")
_UNQUOTED = re.compile("|".join(_UNQUOTED_ENDINGS))
_PRACTICE = re.compile(
    r"(营造|打造|构建|创建|建设|培育)(?P<object>[^,，。；;、:：“”]{2,14}?(社区|家园|体系|品牌|空间|模式|机制|平台|网络))"
)
_MAX_QUOTED = 40
_CLAUSE_MARKS = ",，。；;、:：!！?？）)"


@dataclass
class Found:
    """One mention of a mechanism or policy."""

    label: str  # "Mechanism" or "Policy"
    start: int
    end: int
    name: str
    aliases: list[str] = field(default_factory=list)
    kind: str = ""  # a policy's kind
    core: str = ""  # the quoted words alone, for matching later mentions
    strong: bool = True  # named like a practice (ending, formula, trailing name), not just quoted
    group: int = -1  # items of one quoted list share a group


def quoted_spans(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """(start, end) of quoted terms “…” in [lo, hi), quotes included; ‘…’ nests inside."""
    spans: list[tuple[int, int]] = []
    pos = lo
    while True:
        m = _QUOTE_OPEN.search(text, pos, hi)
        if m is None:
            return spans
        close = text.find(_QUOTE_PAIRS[m.group(0)], m.end(), min(hi, m.end() + _MAX_QUOTED + 1))
        if close < 0:
            pos = m.end()
            continue
        spans.append((m.start(), close + 1))
        pos = close + 1


def _reject(text: str, start: int, end: int, inner: str, lo: int) -> bool:
    after = text[end : end + 4]
    before = text[max(lo, start - 2) : start]
    if inner in not_mechanisms() or inner.endswith(_ABSTRACT_ENDINGS):
        return True
    # “五个迈向” sums up trends; “三个一”工作法 is a practice with a numbered name.
    if _SUMMARY.match(inner) and name_after(text, end, len(text), MECHANISM_ENDINGS) is None:
        return True
    if after.startswith(_REJECT_AFTER):
        return True
    return bool(_THEME_BEFORE.search(before) and (_THEME_AFTER.match(text[end : end + 4]) or "、" in inner))


def find_quoted(text: str, lo: int, hi: int, group_base: int = 0) -> list[Found]:
    """Mechanisms and policies named in quotes in the sentence [lo, hi)."""
    found: list[Found] = []
    for number, (start, end) in enumerate(quoted_spans(text, lo, hi)):
        inner = text[start + 1 : end - 1].strip()
        if not inner or _reject(text, start, end, inner, lo):
            continue
        # A quoted list gives parts (“微平台、微组织…”在内的), unless a name follows it as a whole
        # (“街乡吹哨、部门报到”改革).
        is_list = "、" in inner or "，" in inner
        if is_list and name_after(text, end, hi, MECHANISM_ENDINGS) is None:
            found.extend(_list_items(text, start, end, inner, group_base + number))
            continue
        item = _read_quoted(text, start, end, inner, hi)
        if item is not None:
            found.append(item)
    return found


def _list_items(text: str, start: int, end: int, inner: str, group: int) -> list[Found]:
    """“微平台、微组织、微机制、微基金”: each item a mechanism (parts of what follows, see find_parts)."""
    items: list[Found] = []
    pos = start + 1
    for piece in re.split(r"[、，]", inner):
        offset = text.find(piece, pos, end)
        if offset < 0 or not piece.strip():
            continue
        pos = offset + len(piece)
        word = piece.strip()
        if 2 <= len(word) <= 12 and word not in not_mechanisms():
            items.append(Found("Mechanism", offset, offset + len(piece), word, [], strong=False, group=group))
    return items


def _read_quoted(text: str, start: int, end: int, inner: str, hi: int) -> Found | None:
    aliases = [m.group(1) for m in _NESTED.finditer(inner)]
    # The name may continue after the quote, with or without 的: “三级友邻”的网络体系.
    gap = 1 if text.startswith("的", end) else 0
    tail_end = name_after(text, end + gap, hi, (*MECHANISM_ENDINGS, *POLICY_TRAILING))
    if tail_end is None and gap:
        gap = 0
        tail_end = name_after(text, end, hi, (*MECHANISM_ENDINGS, *POLICY_TRAILING))
    if tail_end is not None:
        tail = text[end + gap : tail_end]
        written = text[start:end] + tail
        policy_kind = next((k for e, k in POLICY_TRAILING.items() if tail.endswith(e)), None)
        if policy_kind == "election-rule" and not inner.endswith(tuple(POLICY_OWN_ENDINGS)):
            policy_kind = None  # “村民说事”制度 is a practice; “自荐直选”制度 an election rule
        if policy_kind is not None and not tail.endswith("做法"):
            return Found("Policy", start, tail_end, written, [inner, *aliases], kind=policy_kind, core=inner)
        name = written[: -len("做法")] if written.endswith("做法") and len(tail) > 2 else written
        names = [inner, text[start:tail_end], *aliases]
        return Found("Mechanism", start, tail_end, name, [n for n in names if n != name], core=inner)
    own_policy = next((k for e, k in POLICY_OWN_ENDINGS.items() if inner.endswith(e)), None)
    if own_policy is not None:
        return Found("Policy", start, end, inner, aliases, kind=own_policy, core=inner)
    strong = bool(_FORMULA.search(inner)) or inner.endswith(MECHANISM_ENDINGS)
    if not strong and _common_word(inner):
        return None  # a quoted everyday word (“共同体”) is emphasis, not a name
    return Found("Mechanism", start, end, inner, aliases, core=inner, strong=strong)


def _common_word(word: str) -> bool:
    tag = jieba_tag(word)
    return tag is not None and jieba_freq(word) > 0 and tag[0] in "nvali"


def find_unquoted_mechanisms(text: str, lo: int, hi: int, claimed: list[tuple[int, int]]) -> list[Found]:
    """Names without quotes that end like a practice (社区微自治体系, 社区党建综合体) and say
    something of their own; generic ones (社区治理体系) are left out."""
    found: list[Found] = []
    for m in _UNQUOTED.finditer(text, lo, hi):
        if any(s < m.end() and m.start() < e for s, e in claimed):
            continue
        # A longer ending continues the word (体系 of 体系框架 is read as 框架 elsewhere).
        read = name_before(text, m.end(), m.start(), lo)
        if read is None:
            continue
        start, words = read
        if start >= m.start() or any(s < m.end() and start < e for s, e in claimed):
            continue
        name = text[start : m.end()]
        if name in not_mechanisms() or not distinctive(words, m.group(0)):
            continue
        found.append(Found("Mechanism", start, m.end(), name, [], core=name))
    return found


def find_practice(text: str, lo: int, hi: int) -> Found | None:
    """A practice named by what it builds when it has no name (营造有文化灵魂的乡村社区)."""
    for m in _PRACTICE.finditer(text, lo, hi):
        if m.end() < hi and text[m.end()] not in _CLAUSE_MARKS:
            continue  # the object goes on (营造良好的社区氛围): not a community built
        words = tokenize(m.group("object"))
        if distinctive(words, m.group(3)):
            return Found("Mechanism", m.start(), m.end(), m.group(0), [m.group("object")], strong=False)
    return None


def find_parts(text: str, clause: tuple[int, int], found: list[Found]) -> list[tuple[int, int]]:
    """(whole, part) index pairs into `found`: a list or name written inside 包括…在内的 / 涵盖…的
    right before a mechanism is a part of it (包括“微平台、微组织…”在内的“一微带四微”)."""
    lo, hi = clause
    inside = sorted((i for i, f in enumerate(found) if lo <= f.start < hi and f.label == "Mechanism"),
                    key=lambda i: found[i].start)  # fmt: skip
    pairs: list[tuple[int, int]] = []
    for a, b in itertools.pairwise(inside):
        part, whole = found[a], found[b]
        if part.group >= 0 and whole.group == part.group:
            continue
        gap = text[_group_end(found, part) : whole.start]
        gap = gap.replace("”", "").replace("’", "").strip()
        if not _PART_JOIN.match(gap):
            continue
        opening = text[lo : _group_start(found, part)]
        if not _PART_TRIGGER.search(opening):
            continue
        members = [i for i in inside if found[i].group == part.group] if part.group >= 0 else [a]
        pairs.extend((b, i) for i in members)
    return list(dict.fromkeys(pairs))


def _group_end(found: list[Found], item: Found) -> int:
    if item.group < 0:
        return item.end
    last = max(f.end for f in found if f.group == item.group)
    return last + 1  # past the closing quote of the list


def _group_start(found: list[Found], item: Found) -> int:
    if item.group < 0:
        return item.start
    return min(f.start for f in found if f.group == item.group) - 1


def key_of(name: str) -> str:
    return normalise_name(name)
