"""Named practices in a sentence: quoted names, names ending in 体系/模式/机制…, formulas, parts.

A quoted term is read with what follows it (“邻里坊”工作机制, “1246+N”标准化体系框架), then
classed as a mechanism, a policy (“两推一选”, “…”实验区) or nothing. Quotes in this genre mark
names, but just as often speech, scare words (“老大难”), slogans, problems (“…”的问题), honours
(“…”单位) and events, so a quoted term counts only when:
- it is named like a practice: a practice ending (…模式, …经验, …理事会), a formula (“3+1”), a
  name read on after the quote; or
- its context presents it as one: a verb that puts a practice in place just before it (推行、探索、
  试点…), a practice word just after it (“…”创建, “…”探索实践, …等做法), a headline slot
  (某地：“…”); or
- the same text presents the same term as a practice somewhere else (document-wide names).
A quoted coordination (“网格化管理、组团式服务”) is one practice when presented as one, written
whole. Parts are the items of an enumeration joined to a practice (…，即A、B、C; A、B、C的“某某”;
“某某”包括“A”“B”), kept when a trigger word says so or the count in the name matches.
Names without quotes count only when some word in them is distinctive (社区微自治体系, not
社区治理体系). Everything here reads the match text and returns offsets.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import lru_cache

from govkg.graph.model import normalise_name
from govkg.loaders.lexicon import jieba_freq, jieba_tag, not_mechanisms, org_suffixes, tokenize
from govkg.loaders.names import closes_word, distinctive, name_after, name_before, stops

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
# A quoted term that ends like this is named like a practice on its own (“后陈经验”, “五社联动”,
# “乡贤参事会”: a council the text puts in quotes is presented as a practice).
_OWN_PRACTICE_ENDINGS = (
    *MECHANISM_ENDINGS, "经验", "联动", "互动", "理事会", "参事会", "议事会", "恳谈会", "评议会", "说事会", "协商会",
)  # fmt: skip
# Endings after a quote that make the whole a policy, and its kind.
POLICY_TRAILING = {
    "实验区": "programme", "试验区": "programme", "示范区": "programme",
    "制度": "election-rule", "办法": "regulation", "条例": "regulation", "规定": "regulation",
    "意见": "document", "方案": "document", "标准": "standard", "规范": "standard",
    "规划": "document", "计划": "document",
}  # fmt: skip
# A quoted term that itself ends like this is a policy (“两推一选”, “自荐直选”).
POLICY_OWN_ENDINGS = {
    "选": "election-rule", "换届": "election-rule", "选举": "election-rule", "办法": "regulation",
    "条例": "regulation", "规定": "regulation", "意见": "document", "标准": "standard", "规范": "standard",
}  # fmt: skip
# Words right after a quote that say it is not a practice: a problem, an idea, a role, an honour,
# a body (“…”等社会组织), a predicament (“…”的尴尬).
_REJECT_AFTER = re.compile(
    r"^的?(问题|现象|倾向|难题|困境|尴尬|窘境|局面|怪圈|恶性循环|顽疾|误区|短板|思维|理念|口号|精神|目标|愿景|原则"
    r"|岗位|委员|人员|职位|称号|荣誉|单位|先进集体|创建先进集体|示范村|示范社区|示范单位|集体|奖|情况)"
    r"|^等?(社会组织|组织|协会|公司|企业|机构|团队|队伍|成员|栏目|板块)"
)
# Words right before a quote that make it an honour, a problem or a scare word, not a practice.
_REJECT_BEFORE = re.compile(
    r"(评为|评选|评选出|命名为|授予|获评|荣获|获得|捧得|入选|列为|创成|建成|当选|"
    r"解决|破解|针对|陷入|出现|存在|面临|避免|防止|克服|倡导|秉持|做到|达到|实现|提倡)"
    r"(了|为)?([\d一二三四五六七八九十百千]+[个项批家])?$"
    r"|(搞成|沦为|当成|流于)[^，,。“”]{0,6}$"
)
# A naming verb before a quote marks a nickname or scare word (被称作“某某之乡”, 管这叫“唱账”); a
# numbered name after it (当地称为“一长八员”) is the name of what was just listed.
_NAMING_BEFORE = re.compile(r"(称作|称为|称之为|叫作|叫做|管这叫|概括为|概括的|说成)$")
# A verb that puts a practice in place, right before its name (推行“某某”, 开始开展“某某”创建).
_PRACTICE_BEFORE = re.compile(
    r"(推行|推出|推广|推开|推进|探索|创新|创立|创建|创设|创制|创造|首创|建立|建起|实施|实行|试行|试点|依托|启动|上线|"
    r"搭建|打造|开展|借鉴|学习|学习应用|结合|运用|应用|引入|引进|形成|总结|提炼|摸索|深化|抓住|采用|发起|开创|践行|复制|"
    r"施行|完善|健全|构建|肯定)(出|起|了|出了|起了)?(一套|一种|一项|一个|这套|这种|这一|新的|其自称的|学来的)?$"
)
# Practice words right after a quote (“某某”创建, “某某”探索实践, “甲”、“乙”等做法).
_PRACTICE_AFTER = re.compile(
    r"^[”」』’\"]*(创建|探索|实践|做法|经验|试点|工作|改革|由此起步|写入|写进|纳入|上升为|入选|"
    r"等做法|等经验|等模式|等机制|等举措|等方式|等治理方式|等工作法)"
)
# 把“甲”作为/列为…: the text treats the quoted term as a measure of its own.
_PUT_AS = re.compile(r"^[”」』’\"]*(作为|列为|确定为|打造成|建设成|建成)")
_PUT_BEFORE = re.compile(r"(把|将)$")
# 以“某某”为品牌/抓手: a brand or lever of the practice, not a theme (以“…”为主题).
_AS_LEVER = re.compile(r"^[”」』’\"]*为(品牌|抓手|载体|平台|路径|模式|机制|切入点|突破口|依托)")
_SPEECH_INSIDE = re.compile(r"[。！？!?；;…，]|[\u4e00-\u9fff][ \u3000]+[\u4e00-\u9fff]")
_PRONOUN = re.compile(r"[我你咱您他她]")
# Places, facilities, events and bodies named in quotes: not practices of a zone.
_PLACE_END = re.compile(r"(省|市|县|区|镇|乡|村|街道|社区|自治区|旗)$")
_FACILITY_END = re.compile(r"(之家|食堂|书屋|广场|公园|大礼堂|礼堂)$")
_EVENT_END = re.compile(r"[\d·月].*[日节]$|(论坛|大会|峰会|博览会|洽谈会|交易会|会议|仪式)$")
_BODY_END = re.compile(r"(小组|协会|公司|委员会|办公室|合作社|服务队|志愿队|联合会|俱乐部)$")
_HONOUR_START = re.compile(r"^(先进|优秀|模范|十佳|最美)")
_ABSTRACT_ENDINGS = ("性", "感", "观", "意识")
_SUMMARY = re.compile(r"^[一二三四五六七八九十两百千\d]+[个项条种大类]")
_FORMULA = re.compile(r"[0-9+＋N]|^[一二三四五六七八九十两]\S*[一二三四五六七八九十两N]")
_DIGIT_FORMULA = re.compile(r"[0-9+＋]")
_BARE_NUMBER = re.compile(r"^([\d一二三四五六七八九十两N])$")
_EXPLAINED = re.compile(r"^[”」』\"]*(指|是|即|代表)")
_THEME_BEFORE = re.compile(r"(以|围绕|聚焦|坚持|突出|按照)$")
_THEME_AFTER = re.compile(r"^(为主题|为目标|为重点|为核心|为主线|为导向|为原则|为愿景|为宗旨|的要求|的理念|的目标)")
_PART_TRIGGER = re.compile(r"(包括|涵盖|包含|含有|囊括|由)")
_PART_JOIN = re.compile(r"^(在内)?的?$|^等$|^等的$|^组成的$")
_QUOTE_PAIRS = {"“": "”", "「": "」", "『": "』", '"': '"', "‘": "’"}
_QUOTE_OPEN = re.compile(r"[“「『\"‘]")
_CLOSERS = '”」』"’'
_NESTED = re.compile(r"[‘「『]([^‘’「」『』]{1,20})[’」』]")
_UNQUOTED_ENDINGS = ("体系", "模式", "机制", "综合体", "工作法", "平台", "基金", "制度")
_UNQUOTED = re.compile("|".join(_UNQUOTED_ENDINGS))
# 两项制度, 这套机制, 四个平台: a counted or pointed-at noun, not a name.
_COUNTED_START = re.compile(r"^([这那该此本每各同]|[一二两三四五六七八九十\d]+)?[项套种个类批条份]")
# 五议决策法, 三三工程: a numbered name with a method head needs no quotes (not 一系列办法, 一部宪法,
# nor 一律按…法: the numeral must stand as a word of its own).
_NUMBERED_METHOD = re.compile(
    r"[一二三四五六七八九十两双][^个部系项条批些种年次名位件是方分\W\d][\u4e00-\u9fff]{0,5}?(决策法|工作法|法|工程)"
)
# 推行积分制: a 制 practice named after the verb that introduces it (not 体制, 机制, 编制).
_SYSTEM_AFTER_VERB = re.compile(r"(推行|实行|推广|实施|试行|探索|建立|运用)([\u4e00-\u9fff]{2,6}制)(?![度定作约造衡])")
# 参与式预算, 推行网格化服务管理: a manner compound (X式, X化) heading activity nouns names a method;
# X化 only right after a verb that puts it in place (加强精细化管理 is an aim, not a practice).
_ACTIVITY = r"(服务|管理|治理|预算|决策|协商|议事|调解|监督|自治|养老)"
_MANNER = re.compile(
    rf"(?P<verb>推行|试行|实行|推广|引入|探索|开展)?(?P<name>[\u4e00-\u9fff]{{2}}(?P<mark>式|化){_ACTIVITY}{{1,2}})"
)
# 被统称为民主恳谈: a formal naming verb gives a name to what the text describes.
_NAMED_AS = re.compile(r"(定名为|命名为|统称为|通称为)([\u4e00-\u9fff]{2,8})(?=[，,。；;]|$)")
# 《三三工程》: a title mark around a practice name (no document head) names the practice.
_TITLE = re.compile(r"《([^《》\n]{2,20})》")
_DOCUMENT_END = re.compile(
    r"(法|条例|办法|规定|细则|标准|规范|指南|意见|通知|方案|规划|纲要|决定|报告|文件|清单|计划|条|号)$"
)
_PRACTICE = re.compile(
    r"(营造|打造|构建|创建|建设|培育)(?P<object>[^,，。；;、:：“”]{2,14}?(社区|家园|体系|品牌|空间|模式|机制|平台|网络))"
)
# Any mark that opens a quoted term (the openers of quoted_spans) or a title: a clause without one
# has nothing for the quoted-name reader.
_ANY_QUOTE = re.compile(_QUOTE_OPEN.pattern[:-1] + "《]")
_MAX_QUOTED = 40
_CLAUSE_MARKS = ",，。；;、:：!！?？）)"
_CONTEXT = 14  # characters of context read on either side of a quote
_CUT = re.compile(r"[。；;！？!?\n，,：:]")
_HEADLINE_MAX = 24  # a headline's place before its colon (四、广东省某市某区（原某县）：)
_SPEECH_VERB = re.compile(r"(说|道|问|称|讲|表示|写着|写道|认为|坦言|感慨|共识|介绍|指出|强调)$")


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
    parts_group: int = -1  # the group whose items are this practice's parts


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


# -- context of a quote -------------------------------------------------------------------------


def _before(text: str, start: int) -> str:
    """The words before a quote back to the last clause mark (at most _CONTEXT characters)."""
    window = text[max(0, start - _CONTEXT) : start]
    cuts = [m.end() for m in _CUT.finditer(window)]
    return window[cuts[-1] :] if cuts else window


def _head_before(text: str, start: int) -> str:
    """The words before a quote, or before the quoted modifier it heads: in 形成了“甲、乙、丙”的“某某”
    the verb governs the whole phrase, whose head is “某某”."""
    if start >= 2 and text[start - 1] == "的" and text[start - 2] in _CLOSERS:
        opener = {"”": "“", "」": "「", "』": "『", '"': '"', "’": "‘"}[text[start - 2]]
        at = text.rfind(opener, max(0, start - 2 - _MAX_QUOTED - 1), start - 2)
        if at >= 0:
            return _before(text, at)
    return _before(text, start)


def _after(text: str, end: int) -> str:
    window = text[end : end + _CONTEXT]
    cut = _CUT.search(window)
    return window[: cut.start()] if cut else window


def _in_title(text: str, start: int) -> bool:
    """The quote sits inside a 《title》: it belongs to the policy (《关于建设“平安某省”的决定》)."""
    opened = text.rfind("《", max(0, start - 60), start)
    return opened >= 0 and text.find("》", opened, start) < 0


def _headline_slot(text: str, start: int, end: int) -> bool:
    """A headline names its topic: 四、某县：“某某”, · 某地：“某某”…, or 某地“某某”：副题."""
    line_start = text.rfind("\n", 0, start) + 1
    lead = text[line_start:start].rstrip()
    if lead.endswith(("：", ":")):
        place = lead[:-1]
        plain = not re.search(r"[，,。；;！？]", place) and not _SPEECH_VERB.search(place)
        return len(place) <= _HEADLINE_MAX and plain
    subtitle = text[end : end + 1] in ("：", ":")
    return subtitle and len(lead) <= 8 and not re.search(r"[的，,。；;！？\s]", lead.lstrip("·• "))


def _chains(text: str, spans: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Quotes written one after another (“甲”“乙”、“丙”和“丁”) share their context."""
    chains: list[list[tuple[int, int]]] = []
    for span in spans:
        if chains and re.fullmatch(r"\s*(、|和|与|及|以及)?\s*", text[chains[-1][-1][1] : span[0]]):
            chains[-1].append(span)
        else:
            chains.append([span])
    return chains


# -- classing one quoted term ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Reading:
    """A quoted term read in its context: rejected, or named or presented as a practice."""

    found: Found | None
    presented: bool  # the context presents it as a practice (not just a quoted word)


def _rejected(text: str, start: int, end: int, inner: str, before: str, after: str) -> bool:
    """Not a practice whatever follows: speech, a problem, an honour, a place, a facility, an event."""
    if inner in not_mechanisms() or inner.endswith(_ABSTRACT_ENDINGS) or _component_marker(inner, after):
        return True
    if _REJECT_AFTER.search(after) or _REJECT_BEFORE.search(before) or _HONOUR_START.search(inner):
        return True
    if _NAMING_BEFORE.search(before) and not _FORMULA.search(inner):
        return True
    if "、" not in inner and _place_like(inner):
        return True
    if _FACILITY_END.search(inner) or _EVENT_END.search(inner) or _BODY_END.search(inner):
        return True
    if _PRONOUN.search(inner):
        return True  # 我为人人: slogans and speech speak in persons; names do not
    theme = bool(_THEME_BEFORE.search(before) and (_THEME_AFTER.match(after) or "、" in inner))
    return theme


def _component_marker(inner: str, after: str) -> bool:
    """“6”指…, “1”是…: one number of a formula being explained, not a name of its own."""
    return bool(_BARE_NUMBER.match(inner) or (inner.isdigit() and _EXPLAINED.match(after)))


def _place_like(name: str) -> bool:
    """Ends in a unit's suffix as a place or designation does (天津市和平区, 平安市, 文明村), not as a
    word that happens to end in one (夜市, 超市: common nouns in jieba's dictionary)."""
    if not _PLACE_END.search(name):
        return False
    last = tokenize(name)[-1]
    tag = jieba_tag(last) or ""
    return len(last) == 1 or not (tag[:1] in ("n", "v") and tag not in ("ns", "nr", "nz"))


def _presented(text: str, start: int, end: int, before: str, after: str) -> bool:
    """The context presents the quoted term as a practice."""
    if _PRACTICE_BEFORE.search(before) or _PRACTICE_AFTER.match(after) or _AS_LEVER.match(after):
        return True
    if _PUT_BEFORE.search(before) and _PUT_AS.match(after):
        return True
    return _headline_slot(text, start, end)


def _parallel(items: list[str]) -> bool:
    """Clauses of one shape (小事不出村、大事不出镇、矛盾不上交): lengths within one character."""
    lengths = [len(i) for i in items]
    return len(items) >= 2 and min(lengths) >= 2 and max(lengths) - min(lengths) <= 1 and max(lengths) <= 8


def _read(text: str, start: int, end: int, hi: int, before: str, after: str) -> _Reading:
    inner = text[start + 1 : end - 1].strip()
    if not inner or _in_title(text, start):
        return _Reading(None, False)
    presented = _presented(text, start, end, before, after)
    gap = 1 if text.startswith("的", end) else 0
    tail_end = name_after(text, end + gap, hi, (*MECHANISM_ENDINGS, *POLICY_TRAILING))
    if tail_end is None and gap:
        tail_end = name_after(text, end, hi, (*MECHANISM_ENDINGS, *POLICY_TRAILING))
        gap = 0
    if _rejected(text, start, end, inner, before, after if tail_end is None else ""):
        return _Reading(None, False)
    if tail_end is not None:
        return _Reading(_named(text, start, end, end + gap, tail_end, inner), True)
    if _SPEECH_INSIDE.search(inner):
        return _Reading(None, False)  # speech, a slogan of several clauses, a banner
    if "、" in inner:
        # A coordination is one practice when presented as one and of one shape (网格化管理、组团式服务).
        items = [i.strip() for i in inner.split("、")]
        if presented and _parallel(items):
            return _Reading(Found("Mechanism", start, end, inner, [], core=inner), True)
        return _Reading(None, False)
    own_policy = next((k for e, k in POLICY_OWN_ENDINGS.items() if inner.endswith(e)), None)
    aliases = [m.group(1) for m in _NESTED.finditer(inner)]
    if own_policy is not None:
        return _Reading(Found("Policy", start, end, inner, aliases, kind=own_policy, core=inner), True)
    strong = bool(_FORMULA.search(inner)) or inner.endswith(_OWN_PRACTICE_ENDINGS)
    if not strong and not presented and _common_word(inner):
        return _Reading(None, False)  # a quoted everyday word (“共同体”) is emphasis, not a name
    if before.endswith(("：", ":")) and not _headline_slot(text, start, end):
        return _Reading(None, False)
    found = Found("Mechanism", start, end, inner, aliases, core=inner, strong=strong)
    return _Reading(found, presented or _self_evident(inner) or _listed(text, found))


def _listed(text: str, found: Found) -> bool:
    """A numbered name whose parts the text lists (送煤、送菜、送炉具的“老三送”; “三个重心下移”，包括…)."""
    return bool(_counts(found.core)) and bool(_parts_of(text, Found(**vars(found)), 0, 0, -1))


def _self_evident(inner: str) -> bool:
    """Named like a practice whatever the context: a formula with figures (“3+1”, “1+3+X”) or a
    practice ending after words of its own (“后陈经验”, “时间银行”; not “老经验”, “银行”). A formula
    of Chinese numerals alone is as often a saying (“六多一少”, “二一添作五”), and a counted noun
    (“五个迈向”, “四个平台”) a summary: both need their context."""
    if _SUMMARY.match(inner):
        return False
    if _DIGIT_FORMULA.search(inner):
        return True
    ending = next((e for e in _OWN_PRACTICE_ENDINGS if inner.endswith(e)), "")
    return bool(ending) and len(inner) - len(ending) >= 2


def _named(text: str, start: int, end: int, tail_start: int, tail_end: int, inner: str) -> Found:
    """A quoted term with the name words after it (“三级友邻”的网络体系): a practice or a policy."""
    aliases = [m.group(1) for m in _NESTED.finditer(inner)]
    tail = text[tail_start:tail_end]
    written = text[start:end] + tail
    policy_kind = next((k for e, k in POLICY_TRAILING.items() if tail.endswith(e)), None)
    if policy_kind == "election-rule" and not inner.endswith(tuple(POLICY_OWN_ENDINGS)):
        policy_kind = None  # “村民说事”制度 is a practice; “自荐直选”制度 an election rule
    if policy_kind is not None and not tail.endswith("做法"):
        return Found("Policy", start, tail_end, written, [inner, *aliases], kind=policy_kind, core=inner)
    name = written[: -len("做法")] if written.endswith("做法") and len(tail) > 2 else written
    names = [inner, text[start:tail_end], *aliases]
    return Found("Mechanism", start, tail_end, name, [n for n in names if n != name], core=inner)


def _common_word(word: str) -> bool:
    tag = jieba_tag(word)
    return tag is not None and jieba_freq(word) > 0 and tag[0] in "nvali"


def _read_chain(text: str, chain: list[tuple[int, int]], hi: int) -> list[tuple[tuple[int, int], _Reading]]:
    """Each quote of a chain, read with the words before the chain (分别推出“甲”“乙”“丙”) and, when its
    own words after do not present it, with those after the chain (探索“甲”、“乙”等做法)."""
    first, last = chain[0], chain[-1]
    before = _head_before(text, first[0])
    after_chain = _after(text, last[1])
    readings = []
    for start, end in chain:
        reading = _read(text, start, end, hi, before, _after(text, end))
        if reading.found is not None and not reading.presented and len(chain) > 1:
            reading = _Reading(reading.found, _presented(text, first[0], last[1], before, after_chain))
        readings.append(((start, end), reading))
    return readings


@lru_cache(maxsize=8)
def _presented_names(text: str) -> frozenset[str]:
    """Quoted terms that the text presents as practices somewhere: a later bare mention counts too."""
    names: set[str] = set()
    for chain in _chains(text, quoted_spans(text, 0, len(text))):
        for _, reading in _read_chain(text, chain, len(text)):
            item = reading.found
            if item is None:
                continue
            if reading.presented:
                names.add(normalise_name(item.core or item.name))
    return frozenset(names)


def find_quoted(text: str, lo: int, hi: int, group_base: int = 0) -> list[Found]:
    """Mechanisms and policies named in quotes (or a practice's 《title》) in the sentence [lo, hi),
    with the parts the text lists for them."""
    if not _ANY_QUOTE.search(text, lo, hi):
        return []  # most clauses hold no quote and no title: nothing to read
    found: list[Found] = []
    known = _presented_names(text)
    spans = quoted_spans(text, lo, hi)
    for chain in _chains(text, spans):
        for _, reading in _read_chain(text, chain, hi):
            item = reading.found
            if item is None:
                continue
            # Presented here, or named so elsewhere: itself or its inner name (“某县‘某村经验’” after “某村经验”).
            forms = [item.core or item.name, *item.aliases]
            if reading.presented or any(normalise_name(form) in known for form in forms):
                found.append(item)
    found.extend(_practice_titles(text, lo, hi))
    taken = {(f.start, f.end) for f in found}
    extra: list[Found] = []
    for number, whole in enumerate(f for f in list(found) if f.label == "Mechanism"):
        for part in _parts_of(text, whole, lo, hi, group_base + 500 + number):
            same = next((f for f in found if (f.start, f.end) == (part.start, part.end)), None)
            if same is not None:
                same.group = part.group
            elif (part.start, part.end) not in taken:
                extra.append(part)
                taken.add((part.start, part.end))
    return sorted([*found, *extra], key=lambda f: f.start)


def _practice_titles(text: str, lo: int, hi: int) -> list[Found]:
    """《三三工程》: a practice name in title marks (a document's title ends in 意见, 办法, 规划…)."""
    found = []
    for m in _TITLE.finditer(text, lo, hi):
        title = m.group(1)
        if title.endswith(_OWN_PRACTICE_ENDINGS) and not _DOCUMENT_END.search(title) and "“" not in title:
            found.append(Found("Mechanism", m.start(), m.end(), title, [], core=title))
    return found


# -- parts ---------------------------------------------------------------------------------------

_NUMERALS = dict(zip("一二两双三四五六七八九十", (1, 2, 2, 2, 3, 4, 5, 6, 7, 8, 9, 10), strict=True))
# After a practice: its parts, introduced by a trigger (…，即A、B; “某某”包括“甲”“乙”; …：A、B).
_FORWARD = re.compile(
    r"[”」』’》\"]*\s*(?P<sep>[，,：:])?\s*(则|又|还|再)?"
    r"(?P<trigger>主要包括|具体包括|包括|即|分为|涵盖|包含|具体为|由|延伸出|细化为|分解为|拆分为|拆解成|拆解为)?"
)
# 按“某某”办理，即A、B: a short verb may come between the practice and 即.
_FORWARD_VERB = re.compile(r"[”」』’》\"]*[\u4e00-\u9fff]{1,3}(?P<sep>[，,])\s*(?P<trigger>即)")
# Before a practice: A、B、C的“某某”, 由A、B组成的“某某”, …在内的“某某”, A、B，当地称为“某某”.
_BACKWARD_JOIN = re.compile(r"(组成的|构成的|在内的|的|等)$")
_BACKWARD_NAMING = re.compile(
    r"[，,](当地|大家|群众|村民|人们|居民|干部)?(称为|称之为|称作|叫作|叫做|简称|合称|统称为|概括为)$"
)
_LIST_END = re.compile(r"[，,。；;：:！？!?\n]")
_COUNTED_TAIL = re.compile(r"[一二三四五六七八九十两\d]+(个|项|类|种|条|件|大|方面|环节|部分)")
_ITEM_TAIL = re.compile(r"(组成的?|构成的?|在内的?|等([一二三四五六七八九十\d]+[个项类种条]?[\u4e00-\u9fff]{0,4})?)$")
_CONTINUE = re.compile(r"[，,](加上|以及|还有|另有)")
# “6”指A、B…; “1”指C: the numbers of a formula explained one by one.
_COMPONENT = re.compile(r"[“「\"](?P<n>\d+|[一二三四五六七八九十])[”」\"](指|是|即|代表)")
_COVERB = re.compile(r"^(依托|依靠|通过|借助|围绕|为|以|对|向|把|将|由|从|按照|针对|结合|并|还|又|也)")
_DISTRIBUTIVE = re.compile(r"^(每|各|所有|全部)")


def _counts(name: str) -> set[int]:
    """Numbers a name holds (两委三队: 2, 3 and 5 in all), which an enumeration of its parts matches."""
    numbers = [int(d) for d in re.findall(r"\d+", name)] + [_NUMERALS[c] for c in name if c in _NUMERALS]
    return {*numbers, sum(numbers)} if numbers else set()


def _split_items(segment: str) -> list[str]:
    pieces = segment.split("、")
    if len(pieces) == 1 and "—" in segment:
        return [p.strip() for p in segment.split("—")]  # 社区党委—楼栋党支部—单元党小组: a chain of levels
    # A conjunction before the last item (A、B和C) splits it only where jieba reads it as a word of its
    # own: 和美关爱室 and 民生和谐站 hold 和 inside a word.
    words = tokenize(pieces[-1]) if any(ch in pieces[-1] for ch in "和及与") else []
    at = next((k for k, w in enumerate(words) if k > 0 and w in ("和", "及", "与", "以及")), None)
    if at is not None and at < len(words) - 1:
        pieces = [*pieces[:-1], "".join(words[:at]), "".join(words[at + 1 :])]
    return [p.strip() for p in pieces]


def _trim_last(item: str) -> str:
    counted = _COUNTED_TAIL.search(item)
    if counted and counted.start() >= 2:
        item = item[: counted.start()]
    return _ITEM_TAIL.sub("", item)


def _trim_first(item: str, others: list[str]) -> str:
    """The first item of a list runs into the words before it (另设经济员): keep the words from its end
    back to a verb or function word, no longer than the longest other item."""
    limit = max((len(o) for o in others), default=len(item))
    kept = ""
    for token in reversed(tokenize(item)):
        if stops(token) or len(kept) + len(token) > limit:
            break
        kept = token + kept
    return kept


# 在自然村设甲、在行政村设乙: parallel clauses that each set up a body list the bodies.
_SET_UP = re.compile(r"^在[^，,、]{1,8}?(设立|设置|组建|成立|建立|建起|设|建)")


def _objects(text: str, items: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The objects of items that are parallel clauses of setting up (在某级设某会), else the items."""
    heads = [_SET_UP.match(text[s:e]) for s, e in items]
    if all(heads):
        return [(s + h.end(), e) for (s, e), h in zip(items, heads, strict=True) if h]
    return items


def _valid(items: list[str], minimum: int = 2) -> bool:
    return len(items) >= minimum and all(
        2 <= len(i) <= 14 and not _DISTRIBUTIVE.match(i) and not re.search(r"[“”「」\"]", i) for i in items
    )


def _quoted_chain_at(text: str, pos: int, limit: int) -> list[tuple[int, int]]:
    spans = quoted_spans(text, pos, limit)
    if not spans or spans[0][0] != pos:
        return []
    return _chains(text, spans)[0]


def _items_forward(text: str, pos: int) -> list[tuple[int, int]]:
    """(start, end) of the items of an enumeration that starts at `pos`: quoted or 、-separated."""
    limit = min(len(text), pos + 120)
    chain = _quoted_chain_at(text, pos, limit)
    if chain:
        return [(s + 1, e - 1) for s, e in chain]
    spans: list[tuple[int, int]] = []
    while True:
        stop = _LIST_END.search(text, pos, limit)
        end = stop.start() if stop else limit
        spans.extend(_segment_items(text, pos, end, first_trimmed=False))
        more = _CONTINUE.match(text, end)
        if not more:
            return spans
        pos = more.end()


def _segment_items(text: str, start: int, end: int, first_trimmed: bool) -> list[tuple[int, int]]:
    segment = text[start:end]
    items = _split_items(segment)
    if len(items) < 2 and not first_trimmed:
        items = [_trim_last(segment.strip())]
    else:
        items[-1] = _trim_last(items[-1])
    if first_trimmed and items:
        items[0] = _trim_first(items[0], items[1:])
    spans = []
    pos = start
    for item in items:
        at = text.find(item, pos, end) if item else -1
        if at < 0:
            return []
        spans.append((at, at + len(item)))
        pos = at + len(item)
    return spans


def _items_backward(text: str, end: int) -> list[tuple[int, int]]:
    """Items of an enumeration that ends at `end` (送煤、送菜、送炉具|的“老三送”)."""
    window_start = max(0, end - 120)
    cuts = [m.end() for m in _LIST_END.finditer(text, window_start, end)]
    start = cuts[-1] if cuts else window_start
    if text[end - 1 : end] in _CLOSERS:
        spans = quoted_spans(text, start, end)
        chains = _chains(text, spans)
        if chains and chains[-1][-1][1] == end:
            chain = chains[-1]
            if len(chain) >= 2:
                return [(s + 1, e - 1) for s, e in chain]
            s, e = chain[0]
            return _segment_items(text, s + 1, e - 1, first_trimmed=False)
        return []
    return _segment_items(text, start, end, first_trimmed=True)


def _org_like(item: str) -> bool:
    return item.endswith(tuple(org_suffixes()))


def _parts_of(text: str, whole: Found, lo: int, hi: int, group: int) -> list[Found]:
    """Parts the text lists for a practice it names in quotes (see the module's contract)."""
    counts = _counts(whole.core or whole.name)
    spans: list[tuple[int, int]] = []
    m = _FORWARD_VERB.match(text, whole.end) or _FORWARD.match(text, whole.end)
    if m and (m.group("sep") or m.group("trigger")):
        items = _items_forward(text, m.end())
        names = [text[s:e] for s, e in items]
        # Without a count in the name, a trigger word or a colon before quoted items says they are parts.
        quoted_after_colon = m.group("sep") in ("：", ":") and _QUOTE_OPEN.match(text, m.end()) is not None
        listed = bool(m.group("trigger")) or quoted_after_colon
        # After a bare comma, a clause that goes on (依托某会为老人和困难家庭提供服务) is no list of parts.
        clause_goes_on = not m.group("trigger") and any(_COVERB.match(n) for n in names)
        if _valid(names) and not clause_goes_on and (len(names) in counts if counts else listed):
            spans = _objects(text, items)
    if not spans:
        head = text[max(0, whole.start - 12) : whole.start]
        join = _BACKWARD_JOIN.search(head) or _BACKWARD_NAMING.search(head)
        if join:
            items = _items_backward(text, whole.start - len(join.group(0)))
            names = [text[s:e] for s, e in items]
            opening = text[max(0, items[0][0] - 6) : items[0][0]] if items else ""
            # A trigger word (包括…在内的) says they are parts whatever the name's count; without one, the
            # count must match (“三联”：A、B、C).
            said = bool(_PART_TRIGGER.search(opening))
            if _valid(names) and (said or (len(names) in counts if counts else False)):
                spans = items
    spans.extend(_components(text, whole, counts))
    # Items that name bodies (和美调解站, 治保委员会) are parts too: the extractor leaves part items to the
    # organisation reader as well, so such a body is both.
    if not spans:
        return []
    whole.parts_group = group
    return [Found("Mechanism", s, e, text[s:e], [], core=text[s:e], strong=False, group=group) for s, e in spans]


def _components(text: str, whole: Found, counts: set[int]) -> list[tuple[int, int]]:
    """“6+1”模式——“6”指A、B…六项…，“1”指C: each number's items are parts of the formula."""
    if not re.search(r"\d", whole.core or whole.name):
        return []
    sentence_end = text.find("。", whole.end)
    limit = sentence_end if sentence_end >= 0 else min(len(text), whole.end + 200)
    spans: list[tuple[int, int]] = []
    for m in _COMPONENT.finditer(text, whole.end, limit):
        number = m.group("n")
        value = int(number) if number.isdigit() else _NUMERALS[number]
        if value not in counts:
            continue
        items = _items_forward(text, m.end())
        names = [text[s:e] for s, e in items]
        if len(names) == value and _valid(names, minimum=1):
            spans.extend(items)
    return spans


def find_parts(text: str, clause: tuple[int, int], found: list[Found]) -> list[tuple[int, int]]:
    """(whole, part) index pairs into `found`: the items find_quoted read as a practice's parts, and a
    list written inside 包括…在内的 / 涵盖…的 right before a mechanism (包括“微平台、微组织…”在内的“一微带四微”)."""
    if len(found) < 2:
        return []  # a whole and a part are two names at least
    lo, hi = clause
    pairs: list[tuple[int, int]] = []
    linked: set[int] = set()
    for w, whole in enumerate(found):
        if whole.parts_group < 0:
            continue
        members = [p for p, f in enumerate(found) if f.group == whole.parts_group and p != w]
        pairs.extend((w, p) for p in members)
        linked.add(whole.parts_group)
    inside = sorted((i for i, f in enumerate(found) if lo <= f.start < hi and f.label == "Mechanism"),
                    key=lambda i: found[i].start)  # fmt: skip
    for a, b in itertools.pairwise(inside):
        part, whole = found[a], found[b]
        if part.group < 0 or part.group in linked or whole.group == part.group:
            continue
        gap = text[_group_end(found, part) : whole.start].replace("”", "").replace("’", "").strip()
        if not _PART_JOIN.match(gap) or not _PART_TRIGGER.search(text[lo : _group_start(found, part)]):
            continue
        pairs.extend((b, i) for i in inside if found[i].group == part.group)
    return list(dict.fromkeys(pairs))


def _group_end(found: list[Found], item: Found) -> int:
    last = max(f.end for f in found if f.group == item.group)
    return last + 1  # past the closing quote of the list


def _group_start(found: list[Found], item: Found) -> int:
    return min(f.start for f in found if f.group == item.group) - 1


# -- names without quotes --------------------------------------------------------------------------


def find_unquoted_mechanisms(text: str, lo: int, hi: int, claimed: list[tuple[int, int]]) -> list[Found]:
    """Names without quotes that end like a practice (社区微自治体系, 社区党建综合体, 乡贤参事会制度)
    and say something of their own (generic ones such as 社区治理体系 are left out); numbered methods
    (五议决策法); a 制 put in place by its verb (推行积分制); a formal naming (被统称为某某)."""
    found: list[Found] = []
    # Words inside quotes were read (and maybe turned down) as quoted terms: “某某式工作法”单位 is an
    # honour, not a 工作法 to read again without its quotes.
    taken = [*claimed, *(quoted_spans(text, lo, hi) if _ANY_QUOTE.search(text, lo, hi) else [])]

    def free(start: int, end: int) -> bool:
        return not any(s < end and start < e for s, e in taken)

    for m in _UNQUOTED.finditer(text, lo, hi):
        if not free(m.start(), m.end()):
            continue
        # A longer ending continues the word (体系 of 体系框架 is read as 框架 elsewhere).
        read = name_before(text, m.end(), m.start(), lo)
        if read is None:
            continue
        start, words = read
        if start >= m.start() or not free(start, m.end()):
            continue
        name = text[start : m.end()]
        if name in not_mechanisms() or _COUNTED_START.match(name) or not distinctive(words, m.group(0)):
            continue
        found.append(Found("Mechanism", start, m.end(), name, [], core=name))
        taken.append((start, m.end()))
    for m in _NUMBERED_METHOD.finditer(text, lo, hi):
        first = tokenize(m.group(0))[0]
        numeral_first = re.fullmatch(r"[一二三四五六七八九十两双]+", first) is not None or jieba_tag(first) == "m"
        if free(m.start(), m.end()) and _closes(text, m.end()) and closes_word(text, m.start()) and numeral_first:
            found.append(Found("Mechanism", m.start(), m.end(), m.group(0), [], core=m.group(0)))
            taken.append((m.start(), m.end()))
    for m in _SYSTEM_AFTER_VERB.finditer(text, lo, hi):
        name = _shortest_name(m.group(2))
        start = m.end(2) - len(name)
        if name and free(start, m.end(2)) and _closes(text, m.end(2)):
            found.append(Found("Mechanism", start, m.end(2), name, [], core=name))
            taken.append((start, m.end(2)))
    for m in _MANNER.finditer(text, lo, hi):
        start, end = m.span("name")
        if m.group("mark") == "化" and not m.group("verb"):
            continue
        if free(start, end) and closes_word(text, end) and _manner_word(m.group("name")):
            found.append(Found("Mechanism", start, end, m.group("name"), [], core=m.group("name")))
            taken.append((start, end))
    heading = _heading_name(text, lo, hi)
    if heading is not None and free(*heading):
        name = text[heading[0] : heading[1]]
        found.append(Found("Mechanism", heading[0], heading[1], name, [], core=name))
    for m in _NAMED_AS.finditer(text, lo, hi):
        name = m.group(2)
        not_practice = _PLACE_END.search(name) or _HONOUR_START.search(name) or _BODY_END.search(name)
        if free(m.start(2), m.end(2)) and not not_practice:
            found.append(Found("Mechanism", m.start(2), m.end(2), name, [], core=name))
            taken.append((m.start(2), m.end(2)))
    return sorted(found, key=lambda f: f.start)


def _manner_word(name: str) -> bool:
    """式 or 化 is a word of its own after a word of two characters (参与|式|预算, not 形式, 文化)."""
    tokens = tokenize(name)
    marks = [i for i, t in enumerate(tokens) if t in ("式", "化") or (t.endswith(("式", "化")) and len(t) == 3)]
    return bool(marks) and (tokens[marks[0]] != "式" or (marks[0] > 0 and len(tokens[marks[0] - 1]) == 2))


_HEADING_NUMBER = re.compile(r"\s*(第?[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）])")


def _heading_name(text: str, lo: int, hi: int) -> tuple[int, int] | None:
    """四、某省某区：区直管社区: in a numbered heading, the words after the place and its colon are the
    practice's name when they hold no verb or function word."""
    before = text[max(0, lo - 2) : lo].rstrip()
    if not before.endswith(("：", ":")):
        return None  # most clauses: no colon before them
    line_start = text.rfind("\n", 0, lo) + 1
    line_end = text.find("\n", hi)
    if text[hi : line_end if line_end >= 0 else len(text)].strip():
        return None
    if not _HEADING_NUMBER.match(text, line_start, lo) or not 3 <= hi - lo <= 10:
        return None
    tokens = tokenize(text[lo:hi])
    if any(stops(t) for t in tokens) or not re.fullmatch(r"[\u4e00-\u9fff]+", text[lo:hi]):
        return None
    return lo, hi


def _closes(text: str, end: int) -> bool:
    """The name ends here: no word runs on (工程师, 法人)."""
    return not re.match(r"[师人院学律规官典则庭治制]", text[end : end + 1])


def _shortest_name(phrase: str) -> str:
    """积分制 out of 全面积分制: the words of the name back from 制 to a verb or function word."""
    tokens = tokenize(phrase)
    kept = ""
    for token in reversed(tokens):
        if stops(token):
            break
        kept = token + kept
    return kept if len(kept) >= 3 else ""


def find_practice(text: str, lo: int, hi: int) -> Found | None:
    """A practice named by what it builds when it has no name (营造有文化灵魂的乡村社区)."""
    for m in _PRACTICE.finditer(text, lo, hi):
        if m.end() < hi and text[m.end()] not in _CLAUSE_MARKS:
            continue  # the object goes on (营造良好的社区氛围): not a community built
        if re.match(r"了?(一(批|些|系列)|多个|若干)", m.group("object")):
            continue  # 打造了一批互嵌式社区: a kind of place, many of them, not a practice
        words = tokenize(m.group("object"))
        if distinctive(words, m.group(3)):
            return Found("Mechanism", m.start(), m.end(), m.group(0), [m.group("object")], strong=False)
    return None


def key_of(name: str) -> str:
    return normalise_name(name)
