"""Parsing a case sheet's YAML or JSON text into plain data that remembers line numbers.

Mappings and lists come back as dict and list subclasses carrying the line of each key and
item, so a validation message can say "mechanisms[1].categories[0] (line 23)". Duplicate keys,
which YAML would silently collapse to the last one, are refused.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import yaml
from yaml.nodes import MappingNode, SequenceNode

from govkg.errors import InputError


class LineDict(dict[Any, Any]):
    """A YAML mapping with the 1-based line of itself and of each key."""

    line: int | None = None
    key_lines: dict[Any, int]


class LineList(list[Any]):
    """A YAML sequence with the 1-based line of itself and of each item."""

    line: int | None = None
    item_lines: list[int]


class _DuplicateKey(Exception):
    def __init__(self, key: Any, first: int, again: int) -> None:
        super().__init__(key)
        self.key, self.first, self.again = key, first, again


class _LineLoader(yaml.SafeLoader):
    """SafeLoader whose mappings and sequences remember their lines."""


def _construct_mapping(loader: _LineLoader, node: MappingNode) -> Iterator[LineDict]:
    data = LineDict()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool) and key is not None:
            raise yaml.constructor.ConstructorError(None, None, "a key must be plain text", key_node.start_mark)
        line = key_node.start_mark.line + 1
        if key in data:
            raise _DuplicateKey(key, data.key_lines[key], line)
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_lines[key] = line


def _construct_sequence(loader: _LineLoader, node: SequenceNode) -> Iterator[LineList]:
    data = LineList()
    data.line = node.start_mark.line + 1
    data.item_lines = []
    yield data
    for item in node.value:
        data.append(loader.construct_object(item, deep=True))
        data.item_lines.append(item.start_mark.line + 1)


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


MAX_ALIASES = 100  # a case sheet needs none; a few keep a hand-written sheet short
MAX_DEPTH = 64  # a sheet nests five or six levels (cases > mechanisms > parts > …)


def parse_sheet_text(text: str, path: str) -> Any:
    """The data of a sheet's text: JSON when `path` ends in .json, else YAML. Refused with one line:
    more than MAX_ALIASES YAML aliases (a few lines aliased thousands of times expand to gigabytes),
    nesting deeper than MAX_DEPTH, a date that does not exist, text that is no valid Unicode."""
    data = _parse(text, path)
    _check_values(data, path)
    return data


def _check_values(data: Any, path: str) -> None:
    """Depth and Unicode of every value, walked without recursion."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise InputError(path, f"nests deeper than {MAX_DEPTH} levels; a case sheet needs a handful")
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as err:
                raise InputError(
                    path, f"holds a character that is no valid Unicode ({value[err.start]!a}); retype that text"
                ) from err
        elif isinstance(value, dict):
            stack.extend((item, depth + 1) for pair in value.items() for item in pair)
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)


def _parse(text: str, path: str) -> Any:
    if path.lower().endswith(".json"):
        try:
            return json.loads(text)
        except RecursionError as err:
            raise InputError(path, f"nests deeper than {MAX_DEPTH} levels; a case sheet needs a handful") from err
        except json.JSONDecodeError as err:
            raise InputError(
                path,
                f"JSON syntax error at line {err.lineno}, column {err.colno}: {err.msg}; "
                "fix it there, or write the sheet as YAML",
            ) from err
    aliases = 0
    try:
        aliases = sum(1 for token in yaml.scan(text) if isinstance(token, yaml.AliasToken))
        if aliases <= MAX_ALIASES:
            return yaml.load(text, Loader=_LineLoader)  # a SafeLoader subclass: no arbitrary objects
    except RecursionError as err:
        raise InputError(path, f"nests deeper than {MAX_DEPTH} levels; a case sheet needs a handful") from err
    except _DuplicateKey as err:
        raise InputError(
            path,
            f"key {err.key!r} appears twice in one mapping (lines {err.first} and {err.again}); "
            "keep one and merge their values",
        ) from err
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = err.problem or err.context or "cannot parse"
        raise InputError(
            path,
            f"YAML syntax error{where}: {problem}; check the indentation there, and put quotes around "
            "a value that contains ': ' or ' #' or starts with one of [ { * & ! | > ' \" %",
        ) from err
    except yaml.YAMLError as err:
        raise InputError(path, f"YAML syntax error: {err}") from err
    except ValueError as err:  # a timestamp such as 2018-13-45 passes the scanner, not the calendar
        raise InputError(
            path, f"holds a value YAML cannot read ({err}); write dates as 2018-12-31 or put the value in quotes"
        ) from err
    raise InputError(path, f"uses {aliases} YAML aliases (*name); the limit is {MAX_ALIASES}: write the values out")
