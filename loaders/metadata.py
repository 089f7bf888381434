"""Document metadata from a report's own lines: byline, source, editor, date.

A metadata line (本报记者 翟 倩, 来源:中国社会报, 编辑:JUNYU 审编:admin) is read for its
fields and kept out of entity extraction: 中国社会报 is the publisher, not an actor of the case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Metadata", "read_metadata"]

# Only the first and last lines of a text can be bylines or publication lines.
_HEAD_LINES = 4
_TAIL_LINES = 8
_MAX_LINE = 80

_AUTHOR = re.compile(
    r"^\s*(?:本报记者|本报通讯员|记者|通讯员|作者|撰稿|撰文|文)\s*[:：/]?\s*(?P<value>[^\d:：]{1,40}?)\s*$"
)
_FIELD = re.compile(
    r"(?P<label>来源|稿源|出处|责任编辑|编辑|审编|审核|校对|作者|记者|发布时间|发布日期|日期|时间)\s*[:：]\s*"
    r"(?P<value>.*?)(?=\s+\S{1,6}\s*[:：]|\s*$)"
)
# A reporter named inside another field's value, without a colon of its own: …　记者 张 三　2019年…
_INLINE_BYLINE = re.compile(
    r"\s(?:本报记者|本报通讯员|记者|通讯员|作者)\s*[:：]?\s*(?P<name>[^\d\s:：][^\d:：]{0,20}?)\s*(?=(?:19|20)\d{2}|$)"
)
# What a web page prints around an article: a breadcrumb (首页 > 新闻中心 > 正文), share and print
# buttons, copyright and licence lines, contacts. Such a line is kept out of extraction like a byline.
_BOILERPLATE = re.compile(
    r"^\s*(?:首页|當前位置|当前位置|您的位置)\s*[>＞›»]|扫一扫|掃一掃|版权所有|版權所有|Copyright|©|ICP备|ICP備|公网安备"
    r"|联系电话|聯繫電話|投稿邮箱|投稿郵箱|【打印】|【关闭】|【關閉】|【字号"
)
# A publication line may open with the date and time it was posted (2019-04-18 09:12　来源：…) or
# with the page's buttons (【打印】【关闭】　责任编辑：…) before its first field.
_LEADING = re.compile(
    r"^(?:\s*(?:(?:19|20)\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?|【[^】]{0,12}】))+"
)
_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*[年\-/.]\s*(?P<m>\d{1,2})\s*[月\-/.]\s*(?P<d>\d{1,2})\s*日?")
_LABEL_FIELD = {
    "来源": "source",
    "稿源": "source",
    "出处": "source",
    "责任编辑": "editor",
    "编辑": "editor",
    "审编": "reviewer",
    "审核": "reviewer",
    "校对": "proofreader",
    "作者": "author",
    "记者": "author",
    "发布时间": "date",
    "发布日期": "date",
    "日期": "date",
    "时间": "date",
}


@dataclass
class Metadata:
    source: str = ""
    author: str = ""
    date: str = ""
    extra: dict[str, str] = field(default_factory=dict)  # editor, reviewer ...
    lines: set[int] = field(default_factory=set)  # line numbers that are metadata


def read_metadata(match: str) -> Metadata:
    """Metadata fields from the first and last lines of the (folded) text."""
    meta = Metadata()
    lines = match.split("\n")
    numbered = [(i, line.strip()) for i, line in enumerate(lines) if line.strip()]
    candidates = numbered[:_HEAD_LINES] + numbered[-_TAIL_LINES:]
    for number, line in dict(candidates).items():
        if len(line) > _MAX_LINE:
            continue
        if _read_line(line, meta):
            meta.lines.add(number)
    return meta


def _read_line(line: str, meta: Metadata) -> bool:
    alone = _DATE.match(line)
    if alone and not line[alone.end() :].strip(" \t0123456789:："):
        meta.date = meta.date or _iso_date(alone.group(0))  # a line that is only a date (and time)
        return True
    author = _AUTHOR.match(line)
    if author and not _FIELD.search(line):
        meta.author = meta.author or _person_names(author.group("value"))
        return bool(meta.author)
    fields = list(_FIELD.finditer(line))
    # A line is metadata only when it opens with a field label (not 编辑 inside a sentence), after
    # the date it was posted or the page's buttons at most.
    lead = _LEADING.match(line)
    opening = lead.end() if lead else 0
    if not fields or line[opening : fields[0].start()].strip():
        return _BOILERPLATE.search(line) is not None
    for m in fields:
        key = _LABEL_FIELD[m.group("label")]
        value = m.group("value").strip()
        if not value:
            continue
        if key == "date":
            meta.date = meta.date or _iso_date(value)
        elif key == "author":
            meta.author = meta.author or _person_names(value)
        elif key == "source":
            meta.source = meta.source or _source_only(value, meta)
        else:
            meta.extra.setdefault(key, value)
    date = _DATE.search(line)
    if date and not meta.date:
        meta.date = _iso_date(date.group(0))
    return True


def _source_only(value: str, meta: Metadata) -> str:
    """来源：中国社会报　记者 翟 倩　2018年5月8日: the publication alone; the reporter (and the date,
    read from the whole line) are taken from the rest."""
    cut = len(value)
    byline = _INLINE_BYLINE.search(value)
    if byline:
        cut = byline.start()
        meta.author = meta.author or _person_names(byline.group("name"))
    date = _DATE.search(value)
    if date:
        cut = min(cut, date.start())
    return value[:cut].strip() or value


def _person_names(value: str) -> str:
    """翟 倩 -> 翟倩 (a name spaced out character by character); 张三 李四 -> 张三、李四."""
    parts = [p for p in re.split(r"[\s、,，]+", value.strip()) if p]
    if not parts:
        return ""
    if all(len(p) == 1 for p in parts):
        return "".join(parts)
    return "、".join(parts)


def _iso_date(value: str) -> str:
    m = _DATE.search(value)
    if not m:
        return value.strip()
    return f"{int(m.group('y')):04d}-{int(m.group('m')):02d}-{int(m.group('d')):02d}"
