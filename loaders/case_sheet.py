"""Case sheets: a zone, its mechanisms, organisations and policies, written by hand in YAML or JSON.

The format is documented for researchers in docs/case-sheets.md. Every problem a researcher can
make raises InputError naming the file, the field (path and line) and the fix; unknown fields
are refused so that a typo never passes silently.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govkg.errors import InputError
from govkg.graph.model import ADOPTION_STAGES, ZONE_LEVELS, GraphDocument
from govkg.loaders.reading import read_text
from govkg.loaders.sheet_build import build_graph
from govkg.loaders.sheet_export import graph_to_case_sheet
from govkg.loaders.sheet_model import (
    CaseSpec,
    MechanismSpec,
    OrganisationSpec,
    ParentSpec,
    PolicySpec,
    ReplacedSpec,
    SheetSpec,
    SourceSpec,
    ThemeSpec,
    ZoneSpec,
    level_from_text,
    simplified,
    split_chain,
    stage_from_text,
)
from govkg.loaders.sheet_yaml import LineDict, LineList, parse_sheet_text
from govkg.loaders.taxonomy import Category, find_category, load_taxonomy

__all__ = ["case_sheet_from_dict", "case_sheet_from_text", "graph_to_case_sheet", "load_case_sheet"]

SOURCE_FIELDS = ("title", "publication", "author", "date", "url", "citation")
CASE_FIELDS = ("title", "zone", "theme", "summary", "mechanisms", "organisations", "policies")
SHEET_FIELDS = ("title", "source", "cases", "replaces", "unplaced")
UNPLACED_FIELDS = ("title", "theme", "summary", "mechanisms", "organisations", "policies")
REPLACED_FIELDS = ("document", "path")
# A document id as `govkg extract --format yaml` writes it (graph.model.document_id).
_DOCUMENT_ID = re.compile(r"^document:[0-9a-f]{16}$")
ZONE_FIELDS = ("name", "level", "parents", "aliases")
PARENT_FIELDS = ("name", "level", "aliases")
THEME_FIELDS = ("name", "name_en")
MECHANISM_FIELDS = ("name", "aliases", "description", "parts", "categories", "evidence", "year", "stage")
ORGANISATION_FIELDS = ("name", "kind", "aliases", "mechanisms", "role", "evidence")
POLICY_FIELDS = ("name", "kind", "year", "aliases", "mechanisms", "evidence")
HELP = "see docs/case-sheets.md"

# Whitespace between two Chinese characters or full-width marks: a line break YAML folded into a
# space (summary: >-), which Chinese prose does not have. Quotes (evidence) are never touched.
_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’"
_CJK_GAP = re.compile(f"(?<=[{_CJK}])\\s+(?=[{_CJK}])")


def load_case_sheet(path: Path) -> GraphDocument:
    """The graph document of a .yaml, .yml or .json case sheet."""
    return case_sheet_from_text(read_text(path), str(path))


def case_sheet_from_text(text: str, path: str) -> GraphDocument:
    """The graph document of a sheet's text (JSON when `path` ends in .json, else YAML); for uploads."""
    data = parse_sheet_text(text, path)
    if data is None:
        raise InputError(path, f"the sheet holds no data (only comments or blank lines); {HELP} for an example")
    return case_sheet_from_dict(data, path)


def case_sheet_from_dict(data: dict[str, Any], path: str) -> GraphDocument:
    """The graph document of already-parsed sheet data; `path` names the sheet in messages."""
    return build_graph(parse_sheet(data, path), "case-sheet")


def parse_sheet(data: Any, path: str) -> SheetSpec:
    """Validate sheet data into a SheetSpec; raises InputError on the first problem found."""
    return _Reader(path).sheet(data)


def _without(data: dict[Any, Any], keys: tuple[str, ...]) -> LineDict:
    """A copy of a mapping without `keys`, keeping the line numbers of the rest."""
    out = LineDict({k: v for k, v in data.items() if k not in keys})
    out.line = getattr(data, "line", None)
    out.key_lines = {k: v for k, v in getattr(data, "key_lines", {}).items() if k not in keys}
    return out


@dataclass(frozen=True)
class _Loc:
    """A field's place in the sheet: its path (mechanisms[1].name) and line when known."""

    path: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.path or "the top level"
        return f"{where} (line {self.line})" if self.line else where

    def key(self, mapping: Any, key: str) -> _Loc:
        line = mapping.key_lines.get(key) if isinstance(mapping, LineDict) else None
        return _Loc(f"{self.path}.{key}" if self.path else key, line or self.line)

    def item(self, sequence: Any, index: int) -> _Loc:
        line = sequence.item_lines[index] if isinstance(sequence, LineList) else None
        return _Loc(f"{self.path}[{index}]", line or self.line)


def _kind_of(value: Any) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"true/false ({value})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"text ({value!r})"
    if isinstance(value, dict):
        return "a mapping (key: value lines)"
    if isinstance(value, list):
        return "a list (lines starting with '- ')"
    return type(value).__name__


class _Reader:
    """Walks sheet data, checking each field, and builds the specs."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.taxonomy = load_taxonomy()

    def fail(self, loc: _Loc, problem: str) -> InputError:
        return InputError(self.path, f"{loc}: {problem}")

    # ---- generic field readers -------------------------------------------------------------

    def mapping(
        self, value: Any, loc: _Loc, allowed: tuple[str, ...], required: tuple[str, ...] = ()
    ) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(
                loc, f"expected a mapping with fields {', '.join(allowed)}, found {_kind_of(value)}; {HELP}"
            )
        unknown = [str(k) for k in value if k not in allowed]
        if unknown:
            hints = []
            for key in unknown:
                close = difflib.get_close_matches(key, allowed, n=1)
                hints.append(f"{key!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
            raise self.fail(loc, f"unknown field {', '.join(hints)}; the fields allowed here are {', '.join(allowed)}")
        for key in required:
            if key not in value:
                raise self.fail(loc, f"the required field {key!r} is missing; {HELP}")
            if value[key] in (None, "", [], {}):
                raise self.fail(loc.key(value, key), f"is empty; the field {key!r} needs a value ({HELP})")
        return value

    def text(self, mapping: dict[str, Any], key: str, loc: _Loc, *, required: bool = False) -> str:
        value = mapping.get(key)
        where = loc.key(mapping, key)
        if value is None:
            if required:
                raise self.fail(where, f"is missing or empty; give it a value ({HELP})")
            return ""
        return self.scalar_text(value, where, required=required)

    def scalar_text(self, value: Any, loc: _Loc, *, required: bool = True) -> str:
        if isinstance(value, bool) or not isinstance(value, str | int | dt.date):
            raise self.fail(
                loc, f"expected text, found {_kind_of(value)}; put the value in quotes if it is meant as text"
            )
        out = value.isoformat() if isinstance(value, dt.date) else str(value).strip()
        if required and not out:
            raise self.fail(loc, "is empty; give it a value or remove the field")
        return out

    def prose(self, mapping: dict[str, Any], key: str, loc: _Loc) -> str:
        """Free text (summary, description, role): folded line breaks between Chinese characters removed."""
        return _CJK_GAP.sub("", self.text(mapping, key, loc))

    def text_list(self, mapping: dict[str, Any], key: str, loc: _Loc) -> list[str]:
        """A list of texts; a single text is accepted as a one-item list."""
        value = mapping.get(key)
        where = loc.key(mapping, key)
        if value is None:
            return []
        if not isinstance(value, list):
            return [self.scalar_text(value, where)]
        return [self.scalar_text(item, where.item(value, i)) for i, item in enumerate(value)]

    def items(self, mapping: dict[str, Any], key: str, loc: _Loc) -> list[tuple[Any, _Loc]]:
        value = mapping.get(key)
        where = loc.key(mapping, key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(where, f"expected a list (lines starting with '- '), found {_kind_of(value)}")
        return [(item, where.item(value, i)) for i, item in enumerate(value)]

    # ---- the sheet ---------------------------------------------------------------------------

    def sheet(self, data: Any) -> SheetSpec:
        top = _Loc("", getattr(data, "line", None))
        if not isinstance(data, dict):
            raise self.fail(
                top, f"a case sheet is a mapping with fields source, zone, mechanisms…, found {_kind_of(data)}; {HELP}"
            )
        if "cases" in data:
            self.mapping(data, top, SHEET_FIELDS, required=("source", "cases"))
            cases = [self.case(item, loc) for item, loc in self.items(data, "cases", top)]
            if not cases:
                raise self.fail(top.key(data, "cases"), "the list of cases is empty; add at least one case")
        else:
            fields = tuple(dict.fromkeys((*SHEET_FIELDS[:2], "replaces", "unplaced", *CASE_FIELDS)))
            self.mapping(data, top, fields, required=("source", "zone"))
            cases = [self.case(_without(data, ("source", "title", "replaces", "unplaced")), top)]
        if data.get("unplaced") is not None:
            cases.append(self.unplaced(data["unplaced"], top.key(data, "unplaced")))
        return SheetSpec(
            self.path,
            self.source(data["source"], top.key(data, "source")),
            cases,
            self.text(data, "title", top),
            [self.replaced(item, loc) for item, loc in self._list_items(data, "replaces", top)],
        )

    def replaced(self, value: Any, loc: _Loc) -> ReplacedSpec:
        """One `replaces:` entry: a document id, or a mapping of document and path."""
        if isinstance(value, dict):
            mapping = self.mapping(value, loc, REPLACED_FIELDS, required=("document",))
            document = self.text(mapping, "document", loc, required=True)
            where = loc.key(mapping, "document")
            path = self.text(mapping, "path", loc)
        else:
            document, where, path = self.scalar_text(value, loc), loc, ""
        if not _DOCUMENT_ID.match(document):
            raise self.fail(
                where,
                f"{document!r} is not a document id (document: followed by 16 hex digits, as "
                "`govkg extract FILE --format yaml` writes it); copy it unchanged, or remove `replaces` "
                "to load the sheet as a new source that replaces nothing",
            )
        return ReplacedSpec(document, path)

    def source(self, value: Any, loc: _Loc) -> SourceSpec:
        mapping = self.mapping(value, loc, SOURCE_FIELDS)
        spec = SourceSpec(**{key: self.text(mapping, key, loc) for key in SOURCE_FIELDS})
        if not (spec.title or spec.publication or spec.citation):
            raise self.fail(loc, "name the source: give at least one of title, publication or citation")
        return spec

    def unplaced(self, value: Any, loc: _Loc) -> CaseSpec:
        """Facts the source states without a place: mechanisms no zone adopts, organisations and
        policies tied to no zone. Written like a case without `zone`."""
        mapping = self.mapping(value, loc, UNPLACED_FIELDS)
        return self._case_fields(mapping, loc, None)

    def case(self, value: Any, loc: _Loc) -> CaseSpec:
        # A case may hold only organisations or policies (a province that runs a programme), or
        # only its zone (a place the source names without a practice); a list written empty is a slip.
        mapping = self.mapping(value, loc, CASE_FIELDS, required=("zone",))
        for key in ("mechanisms", "organisations", "policies"):
            if key in mapping and mapping[key] in (None, "", [], {}):
                raise self.fail(loc.key(mapping, key), f"is empty; the field {key!r} needs a value ({HELP})")
        return self._case_fields(mapping, loc, self.zone(mapping["zone"], loc.key(mapping, "zone")))

    def _case_fields(self, mapping: dict[str, Any], loc: _Loc, zone: ZoneSpec | None) -> CaseSpec:
        return CaseSpec(
            zone=zone,
            where=str(loc),
            title=self.text(mapping, "title", loc),
            summary=self.prose(mapping, "summary", loc),
            theme=self.theme(mapping.get("theme"), loc.key(mapping, "theme")),
            mechanisms=[self.mechanism(item, where) for item, where in self.items(mapping, "mechanisms", loc)],
            organisations=[self.organisation(item, where) for item, where in self.items(mapping, "organisations", loc)],
            policies=[self.policy(item, where) for item, where in self.items(mapping, "policies", loc)],
        )

    def zone(self, value: Any, loc: _Loc) -> ZoneSpec:
        if isinstance(value, str):  # compact form: zone: 平湖市当湖街道
            return ZoneSpec(self.scalar_text(value, loc), None, [], str(loc))
        mapping = self.mapping(value, loc, ZONE_FIELDS, required=("name",))
        level = self.level(mapping, loc)
        parents: list[ParentSpec] = []
        raw = mapping.get("parents")
        where = loc.key(mapping, "parents")
        if isinstance(raw, str):  # compact chain: parents: 浙江省 > 嘉兴市 > 平湖市
            parents = [ParentSpec(name) for name in split_chain(raw)]
        else:
            for item, item_loc in self.items(mapping, "parents", loc):
                if isinstance(item, dict):
                    parent = self.mapping(item, item_loc, PARENT_FIELDS, required=("name",))
                    parents.append(
                        ParentSpec(
                            self.text(parent, "name", item_loc, required=True),
                            self.level(parent, item_loc),
                            tuple(self.text_list(parent, "aliases", item_loc)),
                        )
                    )
                else:
                    parents.append(ParentSpec(self.scalar_text(item, item_loc)))
        if raw is not None and not parents:
            raise self.fail(where, "names no parent; write e.g. parents: 浙江省 > 嘉兴市 > 平湖市, or remove the field")
        name = self.text(mapping, "name", loc, required=True)
        return ZoneSpec(name, level, parents, str(loc), self.text_list(mapping, "aliases", loc))

    def level(self, mapping: dict[str, Any], loc: _Loc) -> str | None:
        if mapping.get("level") is None:
            return None
        where = loc.key(mapping, "level")
        written = self.scalar_text(mapping["level"], where)
        level = level_from_text(written)
        if level is None:
            close = difflib.get_close_matches(written.lower(), ZONE_LEVELS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise self.fail(
                where,
                f"level {written!r} is unknown{hint}; use one of {', '.join(ZONE_LEVELS)} "
                "(or 省, 市, 区, 县, 街道, 乡, 镇, 村, 社区)",
            )
        return level

    def theme(self, value: Any, loc: _Loc) -> ThemeSpec | None:
        if value is None:
            return None
        if isinstance(value, dict):
            mapping = self.mapping(value, loc, THEME_FIELDS, required=("name",))
            return ThemeSpec(self.text(mapping, "name", loc, required=True), self.text(mapping, "name_en", loc))
        return ThemeSpec(self.scalar_text(value, loc))

    def mechanism(self, value: Any, loc: _Loc) -> MechanismSpec:
        if isinstance(value, str | int) and not isinstance(value, bool):
            return MechanismSpec(self.scalar_text(value, loc), str(loc))  # named only: "- 微平台"
        mapping = self.mapping(value, loc, MECHANISM_FIELDS, required=("name",))
        return MechanismSpec(
            name=self.text(mapping, "name", loc, required=True),
            where=str(loc),
            aliases=self.text_list(mapping, "aliases", loc),
            description=self.prose(mapping, "description", loc),
            parts=[self.mechanism(item, where) for item, where in self.items(mapping, "parts", loc)],
            categories=[self.category(item, where) for item, where in self._list_items(mapping, "categories", loc)],
            evidence=self.text_list(mapping, "evidence", loc),
            year=self.year(mapping, loc),
            stage=self.stage(mapping, loc),
        )

    def stage(self, mapping: dict[str, Any], loc: _Loc) -> str:
        written = self.text(mapping, "stage", loc)
        if not written:
            return ""
        found = stage_from_text(written)
        if found is None:
            raise self.fail(
                loc.key(mapping, "stage"),
                f"unknown stage {written!r}; use one of {', '.join(ADOPTION_STAGES)} (or 试点, 推行, 推广, 计划)",
            )
        return found

    def _list_items(self, mapping: dict[str, Any], key: str, loc: _Loc) -> list[tuple[Any, _Loc]]:
        """Items of a list field; a single value counts as a one-item list."""
        value = mapping.get(key)
        if value is not None and not isinstance(value, list):
            return [(value, loc.key(mapping, key))]
        return self.items(mapping, key, loc)

    def category(self, value: Any, loc: _Loc) -> Category:
        written = self.scalar_text(value, loc)
        found = find_category(written, self.taxonomy) or find_category(simplified(written), self.taxonomy)
        if found is None:
            names = [c.name for c in self.taxonomy] + [c.key for c in self.taxonomy]
            close = difflib.get_close_matches(written, names, n=1, cutoff=0.4)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            listed = ", ".join(f"{c.name} ({c.key})" for c in self.taxonomy)
            raise self.fail(
                loc,
                f"unknown category {written!r}{hint}; use a name or id from data/taxonomy.yaml: {listed}",
            )
        return found

    def organisation(self, value: Any, loc: _Loc) -> OrganisationSpec:
        mapping = self.mapping(value, loc, ORGANISATION_FIELDS, required=("name",))
        return OrganisationSpec(
            name=self.text(mapping, "name", loc, required=True),
            where=str(loc),
            kind=self.text(mapping, "kind", loc),
            aliases=self.text_list(mapping, "aliases", loc),
            mechanisms=self.text_list(mapping, "mechanisms", loc),
            role=self.prose(mapping, "role", loc),
            evidence=self.text_list(mapping, "evidence", loc),
        )

    def policy(self, value: Any, loc: _Loc) -> PolicySpec:
        mapping = self.mapping(value, loc, POLICY_FIELDS, required=("name",))
        return PolicySpec(
            name=self.text(mapping, "name", loc, required=True),
            where=str(loc),
            kind=self.text(mapping, "kind", loc),
            year=self.year(mapping, loc),
            aliases=self.text_list(mapping, "aliases", loc),
            mechanisms=self.text_list(mapping, "mechanisms", loc),
            evidence=self.text_list(mapping, "evidence", loc),
        )

    def year(self, mapping: dict[str, Any], loc: _Loc) -> int | None:
        value = mapping.get("year")
        if value is None:
            return None
        where = loc.key(mapping, "year")
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2100:
            raise self.fail(where, f"expected a four-digit year such as 2017, found {_kind_of(value)}")
        return value
