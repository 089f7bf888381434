"""Organisations and policies named in a sentence (besides quoted names).

Contract of `find_organisations`: bodies only, never people or roles (居民, 党员, 志愿者, 网格员 …
are a closed class of role words, kind role-group in data/lexicon/organisations.yaml, and are not
returned). A body is found in two ways:
- a head noun that ends the names of bodies (…党委, …政府, …民政局, …委员会, …协会, …有限公司:
  `org_suffixes` in the yaml gives each its kind), read backwards word by word to the start of its
  name. The name may hold one zone (X街道党工委, A县民政局; at 舟山市普陀区委 the reading stops before
  the second one), name words (村务监督, 家庭事务服务), a quoted name (“某某”俱乐部); it stops at a
  verb or function word (组建|某某协会, 召开|某某理事会), a numeral (三级|…), a role word's left
  edge (村民|理事会 keeps 村民, nothing before it but a place), and punctuation. What must stand
  before the head for the phrase to name one body depends on the head's class (`_enough`):
  party and government heads need a level or place (社区党委, 县政府), a one-character head a
  field of two characters or a level (民政局 needs a place too; 公安部, 县委 do not), a company a
  proper name (百子物业公司, not 物业公司), the rest some word that is not generic;
- types of self-governing body and the central organs the word list names (居委会, 村民委员会,
  国务院, 中办), which stand alone.
A reading equal to a word-list form (社区党委, 村民委员会) becomes that entry's node (its written
form an alias); a bare generic type (党委, 社会组织, 物业公司) is not an organisation.

Policies come from 《…》 titles, from endings (村社同步换届, 选举办法, …标准) and from serial
documents named bare (中央一号文件, “十四五”规划, 党的二十大报告, 1982年宪法); years from the same
clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from govkg.loaders.lexicon import (
    OrgEntry,
    boundary_words,
    generic_name_words,
    jieba_freq,
    jieba_tag,
    org_suffixes,
    organisations,
    tokenize,
)
from govkg.loaders.mechanisms import Found
from govkg.loaders.names import closes_word, distinctive, name_before

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
# Endings of document titles (…意见, …条例, …36条); a 《title》 ending otherwise needs its context.
_DOCUMENT_ENDINGS = (
    "意见", "通知", "方案", "规划", "纲要", "法", "条例", "办法", "规定", "细则", "标准", "规范", "指南", "决定",
    "决议", "报告", "计划", "清单", "制度", "守则", "公约", "章程", "事项", "准则", "要点", "规则", "导则", "指引",
    "民约", "不准", "（试行）", "(试行)", "（草案）",
)  # fmt: skip
_NUMBERED_ARTICLES = re.compile(r"[0-9一二三四五六七八九十百]+条$")
# Verbs that issue, adopt or amend documents, right before a title (印发《…》, 修订的《…》).
_ISSUED = re.compile(r"(印发|出台|发布|公布|颁布|制定|订立|修订|修改|通过|作出|施行|实施|下发|起草|编制)(了|的)?\s*$")
# Titles listed together (《…》《…》, 《…》和《…》).
_LISTED = re.compile(r"\s*(、|和|及|与|以及)?\s*")
# A document noun after a list of titles (《…》《…》三项国家标准, 《…》和《…》两份清单).
_TYPED_AFTER = re.compile(
    r"\s*(等)?[0-9一二三四五六七八九十两]*[项份个部件本]?(国家|地方|行业|团体|省级|市级|县级)?(标准|文件|清单|法规|规章|制度|规范)"
)
# Grades of a document type: …地方标准, …国家标准 names the type, not a document.
_GRADES = ("地方", "国家", "行业", "团体", "企业", "省级", "市级", "县级", "区级", "镇级", "村级")
# Serial documents named bare: the issuer's 一号文件, the party congress's report, the five-year plan,
# a constitution by its year.
_SERIAL = re.compile(
    r"(中央|国务院|省委|市委|县委)[一二三四五六七八九十]+号文件"
    r"|(党的)?(十[一二三四五六七八九]?|二十[一二三四五六七八九]?)(次全国代表)?大报告"
    r"|[“\"‘]?十[一二三四五六七八九]五[”\"’]?规划"
    r"|((?:19|20)\d{2}年)?宪法"
)
# Anything a policy reading needs: a title mark, a document ending, or a serial document's noun.
_POLICY_HINT = re.compile("《|文件|报告|规划|宪法|" + "|".join(sorted(_POLICY_ENDINGS, key=len, reverse=True)))
_APPOSITION = re.compile(r"(社会组织|公益组织|社区社会组织|志愿组织|慈善组织)\s*(——|—|-|:|：)\s*$")

# -- organisations: the classes the rules are stated in ----------------------------------------------

# Words that name a level of the administration, alone (县委, 社区党委, 居委会) or closing a place (温岭市).
_LEVELS = frozenset({"省", "市", "县", "区", "镇", "乡", "村", "居", "州", "旗", "盟", "街道", "社区", "乡镇", "居村",
                     "自治区", "自治州", "自治县", "中央", "全国", "国家"})  # fmt: skip
_LEVEL_ENDINGS = ("自治区", "自治州", "自治县", "街道", "社区", "省", "市", "县", "区", "镇", "乡", "村", "州", "旗")
# Verbs that set up, hold, join or lead a body, and words that bring in a post (时任|某某党支部书记):
# they stand before a body's name, never inside it (成立|某某协会, 召开|某某理事会, 村民组成|某某理事会).
_BODY_VERBS = frozenset({"设", "设立", "成立", "组建", "重组", "组成", "召开", "引入", "孵化", "发起", "参加", "加入",
                         "挂牌", "带领", "统筹", "领导", "指导", "交给", "依托", "参照", "新设", "撤销", "撤并",
                         "改组", "筹建", "组织", "建起", "建", "办起", "选举", "产生", "选出", "授予", "认定",
                         "时任", "现任", "原任", "兼任", "担任", "出任", "新任", "前任", "历任"})  # fmt: skip
# Modifiers that say which body of a kind without naming one: a body with only these before its head
# is the generic type (有关部门, 基层党组织, 地方政府).
_UNNAMING = frozenset({"有关", "相关", "各级", "各", "上级", "基层", "地方", "职能", "主管", "业务", "行政",
                       "所属", "当地", "本地", "全体", "其他", "其它", "城市", "农村", "一般", "普通",
                       "该", "这个"})  # fmt: skip
# One-character prepositions, particles and adverbs before a body's name (往|村委会, 着|居委会).
_FUNCTION_CHARS = frozenset("往着了过给对向朝从在到被把让由以与和及跟同替为当就才都也又还再将其该这那每各")
# Heads before which no verb names the body's task: a verb there is the clause's (取代|村委会).
_TASKLESS_HEADS = frozenset({"委会", "两委", "代表会议", "代表大会", "人大", "人代会", "常委会", "人大常委会"})
# Part-of-speech tags of words a name never holds (numerals, measure words, pronouns, prepositions,
# conjunctions, particles, adverbs, times, directions).
_STOP_TAGS = frozenset(
    {"s", "m", "mq", "q", "r", "p", "c", "u", "uj", "ul", "uz", "ug", "uv", "ud", "d", "t", "f", "y", "e"}
)
_PROPER_TAGS = frozenset({"ns", "nr", "nrt", "nz", "nt", "nrfg"})
_OPEN_QUOTES = '“‘「『"'
_CLOSE_QUOTES = '”’」』"'
_RUN = re.compile(r"[\u3400-\u9fffA-Za-z0-9+“”‘’「」『』（）()]+")
_MAX_NAME = 16
_DASHES = "—-－–―:："
_MAX_PLACE = 6  # characters of a place name before its level word (南京雨花翠竹|社区)
_NUMERAL = re.compile(r"[0-9一二三四五六七八九十百千两第]+[级个次轮批届名位]?")
# Units below a community that have their own party cell (楼栋党支部, 单元党小组, 网格党支部).
_SUB_LEVELS = frozenset({"楼栋", "楼道", "单元", "网格", "小区", "院落", "片区", "楼", "栋", "组"})
# The national level's own names: a body named with them is one body (国务院办公厅, 中共中央, 全国人大).
_CENTRAL = ("中共中央", "党中央", "国务院", "全国人大", "中办", "国办")
# Kinds whose heads need a level or place before them (bare 党委, 政府 name no one body).
_PLACED_KINDS = frozenset({"party", "government-department"})
# Heads of firms: only a proper name before them names one (百子物业公司; 物业公司 is any firm).
_FIRM_HEADS = frozenset({"公司", "有限公司", "有限责任公司", "集团"})
# One-character heads that name a body with a level and a one-character field (县委, 中央农办);
# the others need a field of two characters (公安部, 民政局; not 干部, 全部, 格局).
_ABBREVIATED_HEADS = frozenset({"委", "办"})
# One-character heads of local offices: a place or level must stand before the field (A县民政局,
# 某某派出所), as a bare 民政局 or 派出所 is any county's.
_LOCAL_HEADS = frozenset({"局", "所", "办"})
# Words rarer than this in jieba's dictionary read as proper names (百子, 翠竹).
_RARE = 60
# Kinds a level alone names (社区理事会, 镇党委, 县政府); a centre or a team needs a name word.
_LEVEL_NAMES_KINDS = frozenset({"party", "government-department", "committee", "council"})


@dataclass
class OrgFound:
    start: int
    end: int
    name: str
    kind: str
    entry: bool  # a word-list body or generic type (居委会, 社区党委 -> 党委) rather than a named one


@lru_cache(maxsize=1)
def _entries() -> dict[str, list[OrgEntry]]:
    """Written form -> word-list bodies (村(居)委会: two), bodies only (role groups are not organisations)."""
    by_surface: dict[str, list[OrgEntry]] = {}
    for entry in organisations():
        if entry.kind == "role-group":
            continue
        for surface in entry.surfaces:
            by_surface.setdefault(surface, []).append(entry)
    return by_surface


@lru_cache(maxsize=1)
def _standalone() -> re.Pattern[str]:
    """Word-list forms that name a body on their own: the self-governing committees (居委会, 村民委员会),
    the central organs (国务院, 中办), and generic types written with a level before them (社区党委).
    A bare generic type (党委, 社会组织, 民政局) or an unnamed firm (物业公司) is no one body."""
    forms = [
        s
        for s, held in _entries().items()
        for e in held[:1]
        if e.kind == "committee" or _central(e.name) or _levelled(s)
    ]
    return re.compile("|".join(map(re.escape, sorted(forms, key=len, reverse=True))))


def _central(name: str) -> bool:
    return name.startswith(_CENTRAL)


def _levelled(form: str) -> bool:
    """A generic type with a level before it (社区党委 = 社区 + 党委), not a type named with a level
    word (社区社会组织)."""
    name = _entries()[form][0].name
    return form.endswith(name) and form[: -len(name)] in _LEVELS


@lru_cache(maxsize=1)
def _heads() -> tuple[str, ...]:
    return tuple(org_suffixes())


@lru_cache(maxsize=1)
def _head_re() -> re.Pattern[str]:
    return re.compile("|".join(sorted(map(re.escape, org_suffixes()), key=len, reverse=True)))


@lru_cache(maxsize=1)
def _role_words() -> frozenset[str]:
    return frozenset(s for e in organisations() if e.kind == "role-group" for s in e.surfaces)


@lru_cache(maxsize=4096)
def _is_level(token: str) -> bool:
    """A level word (街道, 县) or a place closed by one (温岭市, 尹集镇; not 小区, 城市, 农村)."""
    if token in _LEVELS:
        return True
    if len(token) < 3 or not token.endswith(_LEVEL_ENDINGS):
        return False
    tag = jieba_tag(token)
    return tag is None or tag in _PROPER_TAGS


def _is_level_body(token: str) -> bool:
    """A level's own organ used as a modifier (市委 in 某市委宣传部): a level character and 委."""
    return len(token) == 2 and token[1] == "委" and token[0] in "省市县区镇乡"


def _stops(token: str, task: bool, before: str) -> bool:
    """A word a body's name never holds, read right to left (`before`: the word before it). `task`:
    the word stands right before the head of a body with a task, where a verb names the task
    (调解|委员会, 巡逻|队, 推进|委员会)."""
    if token in _BODY_VERBS or token in _FUNCTION_CHARS or _NUMERAL.fullmatch(token):
        return True
    tag = jieba_tag(token)
    if tag == "t" and task:
        return False  # 老年|协会: a time word that is an age, right before a body's head
    if tag in _STOP_TAGS:
        return True
    verb = tag is not None and tag.startswith("v") and tag != "vn"
    if verb and (task or (_object_before(before) and token not in boundary_words())):
        return False  # the task (巡逻|队) or a compound with its subject or object (居民|自治|管理委员会)
    return verb or (token in boundary_words() and token not in generic_name_words())


def _object_before(word: str) -> bool:
    """A noun or role word that makes a compound with the verb after it (居民自治, 蔬菜种植)."""
    if word in _role_words():
        return True
    tag = jieba_tag(word) or ""
    return tag in ("n", "nz") and word not in boundary_words() and word not in _BODY_VERBS


@dataclass
class _Reading:
    start: int
    words: list[str]  # the name's words before the head, left to right (the head's own stem included)
    levels: int
    head_stem: str  # the part of the head's own word before the head (民政 of 民政局)
    head_word_tag: str  # jieba's tag of the word that holds the head ("" when unknown)


def _read_name(text: str, hs: int, he: int, lo: int) -> _Reading | None:
    """The words before the head [hs, he): name words and at most one zone, right to left."""
    run_start = max(lo, hs - _MAX_NAME)
    for run in _RUN.finditer(text, run_start, he):
        if run.end() >= he:
            run_start = max(run_start, run.start())
    tokens = list(tokenize(text[run_start:he]))
    # Split the head off its word (社区党委 -> 社区 + 党委, 民政局 -> 民政 + 局).
    size = 0
    while tokens and size < he - hs:
        size += len(tokens.pop())
    if size < he - hs:
        return None
    tokens = _join_levels(tokens)
    state = _Walk(task=_has_task(text[hs:he]))
    # The rest of the head's own word is in the name whatever it is (组织|部, 派出|所, 社区|党委).
    for token in reversed(_join_levels(list(tokenize(text[he - size : hs]))) if he - size < hs else []):
        if (_is_level(token) or _is_level_body(token)) and not state.levels:
            state.levels, state.stem = 1, 0
        state.role = token in _role_words()
        state.words.insert(0, token)
    i = len(tokens) - 1
    while i >= 0 and he - state.pos(hs) <= _MAX_NAME:
        token = tokens[i]
        if token[-1] in _CLOSE_QUOTES and state.stem < 0 and not state.role:
            opener = next((j for j in range(i - 1, -1, -1) if tokens[j][0] in _OPEN_QUOTES), None)
            if opener is None:
                break
            state.words.insert(0, "".join(tokens[opener : i + 1]))
            i = opener - 1
            continue
        if not state.take(token, tokens[i - 1] if i else ""):
            break
        i -= 1
    words = state.words
    # Right after a dash or colon the whole short stretch is the name (公益组织——和音坊社区服务中心),
    # even when it opens with a word that is also a conjunction (和).
    after_dash = run_start > lo and text[run_start - 1] in _DASHES and he - run_start <= _MAX_NAME
    if after_dash and 0 <= i < len(tokens) and not any(_stops(t, False, "") for t in tokens[1 : i + 1]):
        words[:0] = tokens[: i + 1]
        i = -1
    # Lone characters in a row are a name jieba could not cut (后|陈|村, 映|亭|调解协会): the name
    # starts where they start.
    lone = 0
    while (
        words
        and i >= 0
        and lone < 2
        and (_lone_name_char(tokens[i], words[0]) or _paired_name_char(tokens, i))
        and (len(words[0]) == 1 or (i > 0 and _lone_name_char(tokens[i - 1], tokens[i])))
    ):
        words.insert(0, tokens[i])
        i, lone = i - 1, lone + 1
    if words and len(words[0]) == 1 and i >= 0 and _NUMERAL.fullmatch(tokens[i]):
        del words[0]  # 8|轮|议事会: a measure word after a numeral
    stem = text[he - size : hs]
    return _Reading(hs - sum(map(len, words)), words, state.levels, stem, jieba_tag(text[he - size : he]) or "")


def _lone_name_char(token: str, first: str) -> bool:
    """`token`, a lone character before the name's first word `first`, is part of the name: not a
    digit, function word or verb; one with a function word's tag only before another lone character
    of a place name (后|陈|村, not 年|里|村)."""
    if len(token) != 1 or not _RUN.fullmatch(token) or token.isdigit() or _NUMERAL.fullmatch(token):
        return False
    if token in _FUNCTION_CHARS or token in _BODY_VERBS or token in boundary_words() or _is_level(token):
        return False
    return jieba_tag(token) not in _STOP_TAGS or (len(first) == 1 and not _is_level(first))


_AREA_AFTER = re.compile(r"(地区|区域|一带|省份|城市|农村|乡村|沿海|山区)")
_PARTICLES = frozenset("的地得之是有了着过个")


def _paired_name_char(tokens: list[str], i: int) -> bool:
    """tokens[i], a lone character with a function word's tag (月, 山), closes a two-character name with
    the lone character before it (碧|月, 霞|月, 映|月): two characters jieba could not join are a name."""
    token = tokens[i]
    if i == 0 or len(token) != 1 or token in _FUNCTION_CHARS or token in _PARTICLES:
        return False
    if token in _BODY_VERBS or _is_level(token):
        return False
    if token.isdigit() or not _RUN.fullmatch(token):
        return False
    first = tokens[i - 1]
    return (
        len(first) == 1
        and _RUN.fullmatch(first) is not None
        and not first.isdigit()
        and first not in _FUNCTION_CHARS
        and first not in _PARTICLES
        and first not in _BODY_VERBS
        and not _is_level(first)
    )


def _join_levels(tokens: list[str]) -> list[str]:
    """Rejoin a level word jieba cut in two (居|村 -> 居村) and part two it joined (街道社区)."""
    out: list[str] = []
    for token in tokens:
        if out and out[-1] + token in _LEVELS:
            out[-1] += token
            continue
        pairs = range(1, len(token)) if token not in _LEVELS else range(0)
        split = next((k for k in pairs if token[:k] in _LEVELS and token[k:] in _LEVELS), None)
        out.extend([token[:split], token[split:]] if split else [token])
    return out


@dataclass
class _Walk:
    """The state of a backward reading: the words taken, whether a zone (and how much of its place
    name) or a role word has been read."""

    task: bool  # the head names a body with a task (a verb right before it is the task)
    words: list[str] = field(default_factory=list)
    levels: int = 0
    stem: int = -1  # characters of place name read before the level word; -1 while no level is read
    full: bool = False  # the level word is a whole place name (温岭市)
    role: bool = False

    def pos(self, hs: int) -> int:
        return hs - sum(map(len, self.words))

    def take(self, token: str, before: str) -> bool:
        """Take `token` (preceded by `before`) into the name, or say the name starts after it."""
        if not _RUN.fullmatch(token) or token[0] in _OPEN_QUOTES + "（）()":
            return False
        if _is_level(token) or _is_level_body(token):
            if self.levels:
                return False  # a second zone: the body is the nearer one's (舟山市|普陀区委)
            self.levels, self.stem = 1, 0
            self.full = token not in _LEVELS and not _is_level_body(token)
        elif self.stem >= 0:
            if not self._place_name(token, before):
                return False
            self.stem += len(token)
        elif self.role:
            # Before a role word only a place (社区|居民议事会, read above) or a proper name (某某|居民议事会).
            # A common noun there is a name only right after a verb that sets up or relies on a body
            # or a preposition (成立|某某|居民议事会, 由|某某|居民议事会), not after an adverb (不|替代|…).
            noun = (jieba_tag(token) or "n").startswith("n") and (before in _BODY_VERBS or before in _FUNCTION_CHARS)
            if len(token) == 1 or not (noun or _proper(token)) or token in generic_name_words():
                return False
            self.role = False
        elif token in _role_words():
            self.role = True
        elif _stops(token, self.task and not self.words, before):
            return False
        self.words.insert(0, token)
        return True

    def _place_name(self, token: str, before: str) -> bool:
        """Before a level word only its place's name: a noun right before it (翠竹|社区), a verb
        only between two zones (某某街道|丰收|社区), then name-like words (南京雨花|翠竹社区)."""
        if token in generic_name_words() or token in _BODY_VERBS or token in _FUNCTION_CHARS:
            return False
        if self.stem == 0 and not self.full:
            tag = jieba_tag(token) or ""
            if tag.startswith("v") and tag != "vn":
                return _is_level(before)
            return not _stops(token, False, before)
        return _name_like(token) and self.stem + len(token) <= _MAX_PLACE


def _has_task(head: str) -> bool:
    return org_suffixes()[head] not in _PLACED_KINDS and head not in _TASKLESS_HEADS


def _name_like(token: str) -> bool:
    """A word that can be (part of) a place's or a body's proper name: a name tag, rare or unknown,
    or a character jieba leaves alone (苍|霞) that is no function word."""
    tag = jieba_tag(token)
    if len(token) == 1:
        return token not in _FUNCTION_CHARS and tag not in _STOP_TAGS and not (tag or "").startswith("v")
    return tag is None or tag in _PROPER_TAGS or jieba_freq(token) < _RARE


def _enough(head: str, kind: str, reading: _Reading) -> bool:
    """Whether the words before `head` name one body of its class (see the module's contract)."""
    words = reading.words
    if not words:
        return False
    if len(head) == 1:
        field = words[-1]
        if reading.head_word_tag.startswith("v"):
            return False  # 举办, 创办: the head's character closes a verb
        levelled = len(words) >= 2 and (_is_level(words[-2]) or _is_level_body(words[-2]))
        if not (len(field) >= 2 or _is_level(field) or (head in _ABBREVIATED_HEADS and levelled)):
            return False
        return not (head in _LOCAL_HEADS and len(words) < 2 and not _is_level(field))
    naming = [w for w in words if not _is_level(w) and not _is_level_body(w) and w not in _UNNAMING]
    if kind in _PLACED_KINDS and not reading.levels:
        # A party or government organ is a level's or a unit's (县政府, 楼栋党支部, 居委会党支部).
        return any(_proper(w) or w in _SUB_LEVELS or _is_body(w) for w in naming)
    if head in _FIRM_HEADS:
        return any(_proper(w) or (_name_like(w) and len(w) > 1) for w in naming)
    if kind in ("committee", "council") and any(w in _role_words() for w in naming):
        return True  # 村民理事会, 业主委员会: the members name the body
    if any(w not in generic_name_words() and w not in _role_words() for w in naming):
        return True
    return reading.levels > 0 and kind in _LEVEL_NAMES_KINDS


def _is_body(word: str) -> bool:
    """A body's name used as a modifier (居委会|党支部, 人大|财经小组), not a generic word (政府|部门)."""
    return (word in _entries() or word.endswith(_heads())) and word not in generic_name_words()


def _proper(word: str) -> bool:
    """A word that names: quoted, Latin letters or digits, or a word jieba knows as a name or not at
    all (玄武, 温岭; not 农村基层)."""
    if word[0] in _OPEN_QUOTES or word.isascii():
        return True
    tag = jieba_tag(word)
    return len(word) > 1 and (tag is None or tag in _PROPER_TAGS)


def find_organisations(text: str, lo: int, hi: int, claimed: list[tuple[int, int]]) -> list[OrgFound]:
    """Bodies named in [lo, hi), outside the `claimed` spans (names of practices and policies); never
    people or roles."""
    readings: list[OrgFound] = []
    for m in _head_re().finditer(text, lo, hi):
        hs, he = m.span()
        # A practice named like a body (红白理事会 rolled out) is also that body: a claimed span that
        # ends with the head does not hide it (FORMAT: such names may be both).
        blocking = [(s, e) for s, e in claimed if e != he]
        if _overlaps(blocking, hs, he) or not closes_word(text, he) or _quoted(text, lo, hs):
            continue
        if _AREA_AFTER.match(text, he):
            continue  # 中西部|地区, 东部|省份: a region that ends like a ministry, not a body
        reading = _read_name(text, hs, he, lo)
        if reading is None:
            continue
        # A name may hold a practice's name whole (“某某”俱乐部), not start inside one.
        start = max([reading.start, *(e for s, e in claimed if s < reading.start < e)])
        if start != reading.start or not _enough(m.group(0), org_suffixes()[m.group(0)], reading):
            continue
        readings.extend(_bodies(text, start, he, org_suffixes()[m.group(0)], lo))
    # The longest reading wins where two overlap (温岭市委宣传部 over 温岭市委).
    found: list[OrgFound] = []
    taken: list[tuple[int, int]] = []
    for org in sorted(readings, key=lambda o: (o.start - o.end, o.start)):
        if (org.start, org.end) in taken or not _overlaps(taken, org.start, org.end):
            found.append(org)
            taken.append((org.start, org.end))
    taken += claimed
    for m in _standalone().finditer(text, lo, hi):
        if _overlaps(taken, *m.span()) or not closes_word(text, m.end()) or not _opens_word(text, m.start()):
            continue
        found.extend(OrgFound(m.start(), m.end(), e.name, e.kind, entry=True) for e in _entries()[m.group(0)])
        taken.append(m.span())
    return sorted(found, key=lambda f: f.start)


def _quoted(text: str, lo: int, position: int) -> bool:
    """`position` is inside quotes: a name there is a quoted term's (a practice, its parts, a slogan),
    not a body of the running text (“无字书”俱乐部 has its head outside)."""
    stretch = text[lo:position]
    return any(stretch.count(a) > stretch.count(b) for a, b in ("“”", "「」", "『』", "‘’"))


def _bodies(text: str, start: int, end: int, kind: str, lo: int) -> list[OrgFound]:
    """The body read at [start, end): a word-list form is its entries' nodes (社区党委 -> 党委)."""
    name = text[start:end]
    if name in _entries():
        return [OrgFound(start, end, e.name, e.kind, entry=True) for e in _entries()[name]]
    if _APPOSITION.search(text[max(lo, start - 10) : start]):
        kind = "social-organisation"
    return [OrgFound(start, end, name, kind, entry=False)]


def _opens_word(text: str, start: int) -> bool:
    """A word starts at `start` (中办 is not read out of 集中办理)."""
    return start == 0 or not text[start - 1].isalnum() or closes_word(text, start)


def find_policies(text: str, lo: int, hi: int, claimed: list[tuple[int, int]]) -> list[Found]:
    """Policies in [lo, hi): 《titles》 of documents, serial documents named bare (中央一号文件), and
    names read before a document ending (村社同步换届, 选举办法)."""
    if not _POLICY_HINT.search(text, lo, hi):
        return []  # no title mark, document ending or serial document here
    found = [*_titles(text, lo, hi), *_serial(text, lo, hi, claimed)]
    taken = list(claimed) + [(f.start, f.end) for f in found]
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
        elif not distinctive(words, ending) or not _names_a_document(words, ending):
            continue
        found.append(Found("Policy", start, m.end(), name, [], kind=_POLICY_ENDINGS[ending], core=name))
        taken.append((start, m.end()))
    return sorted(found, key=lambda f: f.start)


def _titles(text: str, lo: int, hi: int) -> list[Found]:
    """《Titles》 that name documents. Book-title marks also enclose papers, platforms and practices
    (《某某一张图》, 《某某工程》), so a title counts when it ends like a document (…意见, …条例, …清单),
    when a verb that issues documents stands before it (印发《…》, 制定《…》), or when the titles it is
    listed with are followed by a document noun (《…》《…》三项国家标准)."""
    found: list[Found] = []
    group: list[re.Match[str]] = []
    matches = list(_TITLE.finditer(text, lo, hi))
    for n, m in enumerate(matches):
        group.append(m)
        follows = matches[n + 1].start() if n + 1 < len(matches) else None
        if follows is not None and _LISTED.fullmatch(text, m.end(), follows):
            continue  # the next title is listed with this one
        issued = bool(_ISSUED.search(text, max(lo, group[0].start() - 6), group[0].start()))
        typed = bool(_TYPED_AFTER.match(text, m.end(), hi))
        for title_match in group:
            title = title_match.group(1).strip()
            if issued or typed or title.endswith(_DOCUMENT_ENDINGS) or _NUMBERED_ARTICLES.search(title):
                kind = next((k for e, k in _TITLE_KINDS if title.endswith(e)), "document")
                found.append(Found("Policy", title_match.start(), title_match.end(), title, [], kind=kind, core=title))
        group = []
    return found


def _serial(text: str, lo: int, hi: int, claimed: list[tuple[int, int]]) -> list[Found]:
    """Documents of a series named bare: 中央一号文件, 党的二十大报告, “十四五”规划, 1982年宪法."""
    found: list[Found] = []
    for m in _SERIAL.finditer(text, lo, hi):
        if _overlaps(claimed, m.start(), m.end()) or _quoted(text, lo, m.start()):
            continue
        name = m.group(0)
        kind = "law" if name.endswith("宪法") else "document"
        found.append(Found("Policy", m.start(), m.end(), name, [], kind=kind, core=name))
    return found


def _names_a_document(words: list[str], ending: str) -> bool:
    """A name read before a document ending names one document: not a count (一套标准, 三项国家标准),
    a grade of the document type (地方标准, 国家标准: a document of that grade, named elsewhere or not
    at all), an adjective (老办法), or a clause with its verb (运行作出规范)."""
    written = "".join(words)
    body = list(tokenize(written[: -len(ending)])) if written.endswith(ending) else words
    if not body or body[-1] in _GRADES or body[-1].endswith(_GRADES):
        return False
    if any(_NUMERAL.match(w) or jieba_tag(w) in ("m", "q", "mq") for w in body):
        return False
    if all((jieba_tag(w) or "").startswith("a") for w in body):
        return False
    if any(w in _POLICY_ENDINGS for w in body):
        return False  # 标准规范: two endings, no name
    return not any(
        (jieba_tag(w) or "") == "v" and not _object_before(body[k - 1] if k else "") for k, w in enumerate(body[1:], 1)
    )


def year_before(text: str, lo: int, position: int) -> int | None:
    """The last year written in [lo, position) (the clause before a policy's name), if any."""
    years = _YEAR.findall(text, lo, position)
    return int(years[-1]) if years else None


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)
