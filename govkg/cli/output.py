"""Rendering tabular results as an aligned table, JSON (a list of objects) or CSV."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Sequence
from typing import Any

from govkg.graph.export import spreadsheet_safe

FORMATS = ("table", "json", "csv")


def render(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str) -> str:
    if fmt == "json":
        return to_json([dict(zip(columns, row, strict=True)) for row in rows])
    if fmt == "csv":
        return to_csv(columns, rows)
    return to_table(columns, rows)


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _csv_cell(value: Any) -> str:
    """A cell as text; a text (not a number) that a spreadsheet would run as a formula is neutralised."""
    text = _cell(value)
    return text if isinstance(value, int | float) else spreadsheet_safe(text)


def to_csv(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return buffer.getvalue()


def marked(sentence: str, start: int, end: int, around: int = 12) -> str:
    """The part of `sentence` around characters [start, end), which are put in [brackets]: a search
    hit as a table cell (`around` characters each side, an ellipsis where it is cut)."""
    lo, hi = max(0, start - around), min(len(sentence), end + around)
    before = ("…" if lo > 0 else "") + sentence[lo:start]
    after = sentence[end:hi] + ("…" if hi < len(sentence) else "")
    return f"{before}[{sentence[start:end]}]{after}"


def display_width(text: str) -> int:
    """Terminal columns: wide (CJK, full-width) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fit(text: str, width: int) -> str:
    """Cut to `width` columns (with an ellipsis) and pad, counting wide characters as two."""
    text = text.replace("\n", " ")
    if display_width(text) > width:
        out, used = [], 0
        for ch in text:
            w = display_width(ch)
            if used + w > width - 1:
                break
            out.append(ch)
            used += w
        text = "".join(out) + "…"
    return text + " " * (width - display_width(text))


def to_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], max_width: int = 60) -> str:
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [
        min(max_width, max([display_width(c)] + [display_width(r[i].replace("\n", " ")) for r in cells]))
        for i, c in enumerate(columns)
    ]
    line = "  ".join(_fit(c, w) for c, w in zip(columns, widths, strict=True)).rstrip()
    rule = "  ".join("-" * w for w in widths)
    body = ["  ".join(_fit(v, w) for v, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    footer = f"({len(rows)} row{'s' if len(rows) != 1 else ''})"
    return "\n".join([line, rule, *body, footer]) + "\n"
