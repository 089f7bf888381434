"""CSV case tables: one row per zone and mechanism, as a researcher keeps them in a spreadsheet.

Columns (English or Chinese headers, any order; docs/case-sheets.md lists them): zone and
mechanism are required; zone_level, parents, aliases, description, parts, category, evidence,
organisations, policies, theme, source, source_title, author, date, url are optional; note
columns are ignored. Rows are numbered as a spreadsheet numbers them (the header is row 1).
Rows are grouped by source into one document each, and by zone into cases, then built exactly
like a case sheet (loaders/sheet_build.py), so both give the same ids for the same facts.
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from govkg.errors import InputError
from govkg.graph.model import ZONE_LEVELS, GraphDocument, normalise_name
from govkg.loaders.reading import read_text
from govkg.loaders.sheet_build import build_graph
from govkg.loaders.sheet_model import (
    CaseSpec,
    MechanismSpec,
    OrganisationSpec,
    ParentSpec,
    PolicySpec,
    SheetSpec,
    SourceSpec,
    ThemeSpec,
    ZoneSpec,
    level_from_text,
    simplified,
    split_chain,
)
from govkg.loaders.taxonomy import Category, find_category, load_taxonomy

__all__ = ["COLUMNS", "REQUIRED_COLUMNS", "csv_from_text", "load_csv"]

# Column -> accepted headers (compared after lower-casing and turning spaces and hyphens into _).
COLUMNS: dict[str, tuple[str, ...]] = {
    "zone": ("zone", "地区", "区域", "地方"),
    "mechanism": ("mechanism", "机制", "机制名称"),
    "zone_level": ("zone_level", "level", "层级", "级别", "地区层级"),
    "parents": ("parents", "parent", "上级", "上级地区"),
    "aliases": ("aliases", "alias", "别名"),
    "description": ("description", "说明", "描述"),
    "parts": ("parts", "组成", "组成部分"),
    "category": ("category", "categories", "类别", "分类"),
    "evidence": ("evidence", "quote", "原文", "证据", "引文"),
    "organisations": ("organisations", "organizations", "组织", "参与组织"),
    "policies": ("policies", "政策"),
    "theme": ("theme", "主题"),
    "source": ("source", "publication", "来源"),
    "source_title": ("source_title", "title", "标题"),
    "author": ("author", "作者"),
    "date": ("date", "日期"),
    "url": ("url", "链接", "网址"),
}
REQUIRED_COLUMNS = ("zone", "mechanism")
IGNORED_HEADERS = ("note", "notes", "comment", "comments", "备注", "注释")
LIST_SEPARATORS = "、，,;；|"
_SOURCE_COLUMNS = ("source", "source_title", "author", "date", "url")

# A row's cell reader: column name -> stripped cell text ("" when the column is absent).
_Cell = Callable[[str], str]


def load_csv(path: Path) -> GraphDocument:
    """The graph document of a CSV case table (UTF-8 with or without BOM, or GB18030)."""
    return csv_from_text(read_text(path), str(path))


def csv_from_text(text: str, path: str) -> GraphDocument:
    """The graph document of a CSV table's text; `path` names the table in messages."""
    parts = [build_graph(sheet, "csv") for sheet in _Table(text, path).sheets()]
    # One merge over all sources' documents (pairwise merging would copy the growing graph each time).
    combined = GraphDocument(
        [d for g in parts for d in g.documents],
        [n for g in parts for n in g.nodes],
        [e for g in parts for e in g.edges],
    )
    return combined.merged(GraphDocument())


def _header_key(header: str) -> str:
    return header.strip().lower().replace(" ", "_").replace("-", "_")


_BY_HEADER = {_header_key(alias): column for column, aliases in COLUMNS.items() for alias in aliases}


def split_list(cell: str) -> list[str]:
    """Items of a list cell: 微平台、微组织 or a;b (empty items dropped)."""
    out = [cell]
    for sep in LIST_SEPARATORS:
        out = [piece for item in out for piece in item.split(sep)]
    return [item.strip() for item in out if item.strip()]


@dataclass
class _Case:
    spec: CaseSpec
    mechanisms: dict[str, MechanismSpec] = field(default_factory=dict)
    organisations: dict[str, OrganisationSpec] = field(default_factory=dict)
    policies: dict[str, PolicySpec] = field(default_factory=dict)


class _Table:
    def __init__(self, text: str, path: str) -> None:
        self.path = path
        self.text = text
        self.taxonomy = load_taxonomy()

    def fail(self, problem: str) -> InputError:
        return InputError(self.path, problem)

    def records(self) -> list[list[str]]:
        first_line = next((line for line in self.text.splitlines() if line.strip()), "")
        # Only the delimiter is guessed (a header line shows it); quoting is RFC 4180's, as spreadsheets
        # write it: a quote inside a quoted cell is doubled ("他说""你好""").
        try:
            delimiter = csv.Sniffer().sniff(first_line, delimiters=",\t;").delimiter
        except csv.Error:
            delimiter = ","
        try:
            return list(csv.reader(io.StringIO(self.text, newline=""), csv.excel, delimiter=delimiter))
        except csv.Error as err:
            raise self.fail(f"cannot read the table as CSV ({err}); save it from the spreadsheet as CSV UTF-8") from err

    def columns(self, header: list[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        unknown: list[str] = []
        for index, raw in enumerate(header):
            key = _header_key(raw)
            if not key or key in IGNORED_HEADERS:
                continue
            column = _BY_HEADER.get(key)
            if column is None:
                unknown.append(raw.strip())
            elif column in found:
                raise self.fail(
                    f"columns {header[found[column]].strip()!r} and {raw.strip()!r} both mean {column!r}; keep one"
                )
            else:
                found[column] = index
        shown = ", ".join(repr(h.strip()) for h in header if h.strip()) or "(none)"
        missing = [c for c in REQUIRED_COLUMNS if c not in found]
        if missing:
            wanted = "; ".join(f"{c} (or {', '.join(COLUMNS[c][1:])})" for c in missing)
            raise self.fail(
                f"missing required column(s): {wanted}. Columns found: {shown}. "
                "The first non-empty row must be the header; see docs/case-sheets.md"
            )
        if unknown:
            hints = []
            for name in unknown:
                close = difflib.get_close_matches(_header_key(name), list(_BY_HEADER), n=1)
                hints.append(f"{name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
            raise self.fail(
                f"unknown column(s) {', '.join(hints)}. Known columns: {', '.join(COLUMNS)}; "
                f"name a column note or 备注 to keep remarks that are not loaded"
            )
        return found

    def sheets(self) -> list[SheetSpec]:
        records = self.records()
        start = next((i for i, r in enumerate(records) if any(c.strip() for c in r)), None)
        if start is None:
            raise self.fail("the table is empty")
        header = records[start]
        columns = self.columns(header)
        sheets: dict[tuple[str, ...], SheetSpec] = {}
        cases: dict[tuple[int, tuple[str, ...]], _Case] = {}
        rows = 0
        for index in range(start + 1, len(records)):
            record = records[index]
            if not any(c.strip() for c in record):
                continue  # empty rows are skipped
            number = index + 1
            if len(record) > len(header) and any(c.strip() for c in record[len(header) :]):
                raise self.fail(
                    f"row {number} has {len(record)} cells but the header has {len(header)} columns; "
                    "put quotes around a cell that contains the separator"
                )

            def cell(column: str, record: list[str] = record) -> str:
                i = columns.get(column)
                return record[i].strip() if i is not None and i < len(record) else ""

            rows += 1
            self.add_row(number, cell, columns, sheets, cases)
        if not rows:
            raise self.fail("the table has a header but no rows; add one row per zone and mechanism")
        for (sheet_index, _), case in cases.items():
            case.spec.mechanisms = list(case.mechanisms.values())
            case.spec.organisations = list(case.organisations.values())
            case.spec.policies = list(case.policies.values())
            list(sheets.values())[sheet_index].cases.append(case.spec)
        return list(sheets.values())

    def add_row(
        self,
        number: int,
        cell: _Cell,
        columns: dict[str, int],
        sheets: dict[tuple[str, ...], SheetSpec],
        cases: dict[tuple[int, tuple[str, ...]], _Case],
    ) -> None:
        where = f"row {number}"
        zone_name, mechanism_name = cell("zone"), cell("mechanism")
        for column, value in (("zone", zone_name), ("mechanism", mechanism_name)):
            if not value:
                raise self.fail(f"{where}: the {column} cell is empty; fill it in, or delete the row")
        level: str | None = None
        if cell("zone_level"):
            level = level_from_text(cell("zone_level"))
            if level is None:
                close = difflib.get_close_matches(cell("zone_level").lower(), ZONE_LEVELS, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise self.fail(
                    f"{where}, column zone_level: {cell('zone_level')!r} is unknown{hint}; use one of "
                    f"{', '.join(ZONE_LEVELS)} (or 省, 市, 区, 县, 街道, 乡, 镇, 村, 社区)"
                )
        parents = [ParentSpec(name) for name in split_chain(cell("parents"))]

        source_key = tuple(cell(c) for c in _SOURCE_COLUMNS)
        if source_key not in sheets:
            publication, title, author, date, url = source_key
            source = SourceSpec(title=title, publication=publication, author=author, date=date, url=url)
            if not (title or publication):
                source = SourceSpec(title=Path(self.path).name, author=author, date=date, url=url)
            named = title or publication
            sheets[source_key] = SheetSpec(
                self.path, source, [], f"{Path(self.path).name}：{named}" if named else Path(self.path).name
            )
        sheet_index = list(sheets).index(source_key)

        theme = cell("theme")
        zone_key = (normalise_name(simplified(zone_name)), level or "", cell("parents"), theme)
        case = cases.get((sheet_index, zone_key))
        if case is None:
            zone = ZoneSpec(zone_name, level, parents, f"{where}, column zone")
            spec = CaseSpec(zone, f"{where}", theme=ThemeSpec(theme) if theme else None)
            case = cases[(sheet_index, zone_key)] = _Case(spec)

        key = normalise_name(simplified(mechanism_name))
        mechanism = case.mechanisms.get(key)
        if mechanism is None:
            mechanism = case.mechanisms[key] = MechanismSpec(mechanism_name, f"{where}, column mechanism")
        self.merge_mechanism(mechanism, where, cell)
        for name in split_list(cell("organisations")):
            org = case.organisations.setdefault(
                normalise_name(simplified(name)), OrganisationSpec(name, f"{where}, column organisations")
            )
            if mechanism_name not in org.mechanisms:
                org.mechanisms.append(mechanism_name)
            _add_quote(org.evidence, cell("evidence"))
        for name in split_list(cell("policies")):
            policy = case.policies.setdefault(
                normalise_name(simplified(name)), PolicySpec(name, f"{where}, column policies")
            )
            if mechanism_name not in policy.mechanisms:
                policy.mechanisms.append(mechanism_name)
            _add_quote(policy.evidence, cell("evidence"))

    def merge_mechanism(self, mechanism: MechanismSpec, where: str, cell: _Cell) -> None:
        """Fold one row into a mechanism: several rows may describe the same zone and mechanism."""
        for alias in split_list(cell("aliases")):
            if alias not in mechanism.aliases:
                mechanism.aliases.append(alias)
        if cell("description") and not mechanism.description:
            mechanism.description = cell("description")
        for part in split_list(cell("parts")):
            if all(normalise_name(p.name) != normalise_name(part) for p in mechanism.parts):
                mechanism.parts.append(MechanismSpec(part, f"{where}, column parts"))
        for name in split_list(cell("category")):
            category = self.category(name, where)
            if category not in mechanism.categories:
                mechanism.categories.append(category)
        _add_quote(mechanism.evidence, cell("evidence"))

    def category(self, name: str, where: str) -> Category:
        found = find_category(name, self.taxonomy) or find_category(simplified(name), self.taxonomy)
        if found is None:
            names = [c.name for c in self.taxonomy] + [c.key for c in self.taxonomy]
            close = difflib.get_close_matches(name, names, n=1, cutoff=0.4)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            listed = ", ".join(f"{c.name} ({c.key})" for c in self.taxonomy)
            raise self.fail(
                f"{where}, column category: unknown category {name!r}{hint}; "
                f"use a name or id from data/taxonomy.yaml: {listed}"
            )
        return found


def _add_quote(quotes: list[str], quote: str) -> None:
    if quote and quote not in quotes:
        quotes.append(quote)
