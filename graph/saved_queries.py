"""Saved queries: one `.cypher` file each in queries/, with a header of `//` lines.

The header (see queries/README.md) gives a bilingual title and description and declares the
parameters; parameters are also read from the `$names` in the query text, and a declaration
wins. The file stays runnable unchanged in Neo4j Browser or cypher-shell, since the header is
only comments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govkg.errors import QueryError
from govkg.graph.cypher_guard import named_parameters
from govkg.graph.model import ZONE_LEVEL_WORDS, ZONE_LEVELS, zone_level_code
from govkg.graph.store import GraphStore, QueryResult
from govkg.resources import QUERIES_DIR

__all__ = [
    "PARAM_TYPES",
    "QueryParam",
    "SavedQuery",
    "load_saved_queries",
    "param_choices",
    "parse_saved_query",
    "run_saved_query",
]

PARAM_TYPES = ("string", "int", "float", "bool")
HEADER_KEYS = ("title", "description", "param", "param_choices")
ENGINE_MARKER = re.compile(r"^//\s*engine:\s*(\S+)\s*$")
_HEADER_LINE = re.compile(r"^//\s*([A-Za-z_]+)\s*:\s*(.*?)\s*$")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_TRUE = ("true", "yes", "1", "是", "y", "t")
_FALSE = ("false", "no", "0", "否", "n", "f")


@dataclass(frozen=True)
class QueryParam:
    """A parameter: `default` is already of `type`; None means the caller must give it."""

    name: str
    type: str = "string"
    default: Any = None
    description: str = ""
    choices_query: str | None = None

    @property
    def required(self) -> bool:
        return self.default is None

    def coerce(self, raw: Any, *, where: str) -> Any:
        """`raw` (text from a command line or a form) as this parameter's type."""
        try:
            return _coerce(raw, self.type)
        except OverflowError:
            raise QueryError(
                f"{where}: parameter {self.name} must be a whole number that fits in 64 bits "
                f"(at most 9,223,372,036,854,775,807 either way), not {raw!r}"
            ) from None
        except ValueError:
            raise QueryError(f"{where}: parameter {self.name} must be {_TYPE_HINTS[self.type]}, not {raw!r}") from None


# A capped query's page (queries/README.md): how many rows or zones to skip, and how many to show.
PAGING_PARAMS = ("skip", "limit")

_TYPE_HINTS = {
    "string": "text",
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
}


def _coerce(raw: Any, kind: str) -> Any:
    if kind == "string":
        return raw if isinstance(raw, str) else str(raw)
    if kind == "int":
        if isinstance(raw, bool):
            raise ValueError(raw)
        value = raw if isinstance(raw, int) else int(str(raw).strip())
        if not -(2**63) <= value < 2**63:  # both engines' integers; the driver would fail without a word
            raise OverflowError(raw)
        return value
    if kind == "float":
        if isinstance(raw, bool):
            raise ValueError(raw)
        return float(raw) if isinstance(raw, int | float) else float(str(raw).strip())
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValueError(raw)
    raise ValueError(kind)


@dataclass(frozen=True)
class SavedQuery:
    name: str
    title_zh: str
    title_en: str
    description_zh: str
    description_en: str
    params: list[QueryParam]
    cypher: str  # the text every engine runs, unless it has a variant below
    variants: dict[str, str] = field(default_factory=dict)
    path: Path | None = None

    def cypher_for(self, engine: str) -> str:
        """The query text for `engine` ("embedded" or "neo4j"), without a trailing semicolon."""
        text = self.variants.get(engine, self.cypher)
        if not text.strip():
            raise QueryError(f"saved query {self.name} has no text for the {engine} store ({self.path})")
        return text.strip().rstrip(";").rstrip()

    def param(self, name: str) -> QueryParam | None:
        return next((p for p in self.params if p.name == name), None)

    def bind(self, raw: dict[str, Any] | None) -> dict[str, Any]:
        """Every parameter's value: given ones coerced to their type, the others their default."""
        raw = dict(raw or {})
        known = [p.name for p in self.params]
        unknown = sorted(set(raw) - set(known))
        if unknown:
            listed = ", ".join(known) if known else "none"
            raise QueryError(f"saved query {self.name} has no parameter {', '.join(unknown)}; its parameters: {listed}")
        bound: dict[str, Any] = {}
        for p in self.params:
            if p.name in raw and raw[p.name] is not None:
                bound[p.name] = p.coerce(raw[p.name], where=f"saved query {self.name}")
                if p.name == "level" and p.type == "string" and bound[p.name]:
                    bound[p.name] = _level(bound[p.name], self.name)
                if p.name in PAGING_PARAMS and p.type == "int" and bound[p.name] < 0:
                    given = bound[p.name]
                    raise QueryError(f"saved query {self.name}: parameter {p.name} must be 0 or more, not {given}")
            elif p.required:
                about = f"{p.type}: {p.description}" if p.description else p.type
                raise QueryError(
                    f"saved query {self.name} needs parameter {p.name} ({about}); give it with --param {p.name}=VALUE"
                )
            else:
                bound[p.name] = p.default
        return bound


def _level(given: str, query: str) -> str:
    """A `level` parameter as the store holds levels: a reader may write 区 or District for district.
    A word that names no level is refused, rather than matching nothing without a word."""
    code = zone_level_code(given)
    if code is None:
        words = {v: k for k, v in ZONE_LEVEL_WORDS.items()}
        known = ", ".join(f"{lv} ({words[lv]})" for lv in ZONE_LEVELS if lv in words)
        raise QueryError(f"saved query {query}: {given!r} is no zone level; use one of {known}")
    return code


def _split_bilingual(value: str) -> tuple[str, str]:
    """`中文 | English` -> both halves; without a bar both are the whole text."""
    zh, bar, en = value.partition("|")
    return (zh.strip(), en.strip()) if bar else (value.strip(), value.strip())


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


def _parse_param(value: str, where: str) -> QueryParam:
    """`name: type [= default] [— description]`."""
    spec, dash, description = value.partition("—")
    if not dash:
        spec, _, description = value.partition(" -- ")
    name, colon, rest = spec.partition(":")
    name = name.strip()
    if not colon or not _NAME.match(name):
        raise QueryError(f"{where}: expected `// param: name: type [= default] [— description]`, got {value!r}")
    kind, eq, default_text = rest.partition("=")
    kind = kind.strip().lower()
    if kind not in PARAM_TYPES:
        raise QueryError(f"{where}: parameter {name} has type {kind!r}; use one of {', '.join(PARAM_TYPES)}")
    param = QueryParam(name, kind, None, description.strip())
    if not eq:
        return param
    return QueryParam(name, kind, param.coerce(_unquote(default_text), where=where), param.description)


def parse_saved_query(text: str, name: str, path: Path | None = None) -> SavedQuery:
    """One saved query from its file text; a malformed header raises QueryError naming file and line."""
    source = str(path) if path else name
    lines = text.splitlines()
    header: list[tuple[int, str, str]] = []
    body_start = len(lines)
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped.startswith("//") or ENGINE_MARKER.match(stripped):
            body_start = number - 1
            break
        if not stripped[2:].strip():
            continue
        match = _HEADER_LINE.match(stripped)
        if not match or match.group(1) not in HEADER_KEYS:
            raise QueryError(
                f"{source}, line {number}: expected a header line `// key: value` with key one of "
                f"{', '.join(HEADER_KEYS)}, got {stripped!r}"
            )
        header.append((number, match.group(1), match.group(2)))

    title: tuple[str, str] | None = None
    description = ("", "")
    declared: dict[str, QueryParam] = {}
    choices: dict[str, str] = {}
    for number, key, value in header:
        where = f"{source}, line {number}"
        if key == "title":
            title = _split_bilingual(value)
        elif key == "description":
            description = _split_bilingual(value)
        elif key == "param":
            param = _parse_param(value, where)
            if param.name in declared:
                raise QueryError(f"{where}: parameter {param.name} is declared twice")
            declared[param.name] = param
        else:
            pname, colon, query = value.partition(":")
            if not colon or not _NAME.match(pname.strip()) or not query.strip():
                raise QueryError(f"{where}: expected `// param_choices: name: MATCH … RETURN … AS value`")
            choices[pname.strip()] = query.strip()
    if title is None:
        raise QueryError(f"{source}, line 1: the header needs `// title: 中文 | English`")

    common, variants = _split_variants(lines[body_start:], source, body_start)
    used: list[str] = []
    for cypher in [common, *variants.values()]:
        used.extend(p for p in named_parameters(cypher) if p not in used)
    params = list(declared.values()) + [QueryParam(p) for p in used if p not in declared]
    for pname, query in choices.items():
        index = next((i for i, p in enumerate(params) if p.name == pname), None)
        if index is None:
            raise QueryError(f"{source}: param_choices names {pname}, which the query does not use")
        p = params[index]
        params[index] = QueryParam(p.name, p.type, p.default, p.description, query)
    if not common.strip() and not variants:
        raise QueryError(f"{source}: no Cypher after the header")
    return SavedQuery(name, *title, *description, params, common, variants, path)


def _split_variants(lines: list[str], source: str, offset: int) -> tuple[str, dict[str, str]]:
    """The text before any `// engine: NAME` marker, and each marked section by engine name."""
    common: list[str] = []
    variants: dict[str, list[str]] = {}
    current = common
    for number, line in enumerate(lines, start=offset + 1):
        marker = ENGINE_MARKER.match(line.strip())
        if marker:
            engine = marker.group(1)
            if engine not in ("embedded", "neo4j"):
                raise QueryError(f"{source}, line {number}: engine must be embedded or neo4j, not {engine!r}")
            current = variants.setdefault(engine, [])
            continue
        current.append(line)
    return "\n".join(common).strip(), {k: "\n".join(v).strip() for k, v in variants.items()}


# Parsed queries by file and text: every run of a saved query looks its query up through
# load_saved_queries, and parsing every file again cost tens of milliseconds a call; reading the
# files is cheap, and a changed text is parsed again (file times are too coarse to trust).
_PARSED: dict[tuple[Path, str], SavedQuery] = {}


def load_saved_queries(folder: Path = QUERIES_DIR) -> dict[str, SavedQuery]:
    """Every `<name>.cypher` in `folder`, by name, sorted."""
    if not folder.is_dir():
        raise QueryError(f"{folder}: the saved-query folder does not exist")
    queries: dict[str, SavedQuery] = {}
    for path in sorted(folder.glob("*.cypher")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise QueryError(f"{path}: cannot read the saved query ({err})") from err
        parsed = _PARSED.get((path, text))
        if parsed is None:
            parsed = parse_saved_query(text, path.stem, path)
            if len(_PARSED) > 1000:  # many folders (tests): keep the memory bounded
                _PARSED.clear()
            _PARSED[(path, text)] = parsed
        queries[path.stem] = parsed
    return queries


def _find(name: str, queries: dict[str, SavedQuery] | None) -> SavedQuery:
    queries = queries if queries is not None else load_saved_queries()
    query = queries.get(name)
    if query is None:
        raise QueryError(
            f"no saved query named {name!r}; available: {', '.join(queries) or 'none'} (see `govkg queries`)"
        )
    return query


def run_saved_query(
    store: GraphStore,
    name: str,
    raw_params: dict[str, Any] | None = None,
    limit: int | None = None,
    *,
    queries: dict[str, SavedQuery] | None = None,
) -> QueryResult:
    """Run a saved query by name on `store` (read-only), with parameters coerced and defaulted."""
    query = _find(name, queries)
    bound = query.bind(raw_params)
    cypher = query.cypher_for(store.engine)
    used = named_parameters(cypher)
    return store.read(cypher, {k: v for k, v in bound.items() if k in used}, limit=limit)


def param_choices(store: GraphStore, query: SavedQuery, param_name: str, limit: int = 1000) -> list[Any]:
    """The values a form may offer for a parameter (first column of its choices query), or []."""
    param = query.param(param_name)
    if param is None or not param.choices_query:
        return []
    result = store.read(param.choices_query, limit=limit)
    return [row[0] for row in result.rows]
