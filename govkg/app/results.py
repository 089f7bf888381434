"""Query results in the app: a table a reader can scan, downloads that say where they came from, and
the nodes a result names (to draw them).

Downloads record the query, its parameters and the data version, so a file found later can be
traced to the view that made it:

- CSV: leading comment lines, each starting with `#` (`# query: zone_mechanisms`, `# parameters:
  {"zone": "平湖市当湖街道"}` as JSON, `# data_version: …`, …), then the header row and the rows.
  pandas reads it back with `pd.read_csv(path, comment="#")`; spreadsheet programs show the comment
  lines as the first rows. UTF-8 with a byte-order mark, so Excel reads the Chinese text.
- JSON: one object, `{"query", "title", "parameters", "engine", "data_version", "exported_at",
  "columns", "rows": [{column: value}], "truncated"}`.

The data version is a digest of the store's counts by label and type together with the time of
the latest load: the same store state always gives the same version.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from govkg.graph.export import spreadsheet_safe
from govkg.graph.store import GraphStore, QueryResult

__all__ = [
    "DataVersion",
    "ResultMeta",
    "csv_bytes",
    "data_version_of",
    "json_with_metadata",
    "node_ids_in",
    "readable_frame",
    "result_frame",
]

LATEST_LOAD_CYPHER = "MATCH (d:Document) RETURN max(d.loaded_at) AS latest"


@dataclass(frozen=True)
class DataVersion:
    """What identifies the store's contents: a digest of its counts and latest load time."""

    digest: str
    latest_loaded_at: str
    counts: tuple[tuple[str, int], ...]

    def to_dict(self) -> dict[str, Any]:
        return {"digest": self.digest, "latest_loaded_at": self.latest_loaded_at,
                "counts": {k: v for k, v in self.counts if v}}


def data_version_of(counts: Mapping[str, int], latest_loaded_at: str | None) -> DataVersion:
    held = tuple(sorted((str(k), int(v)) for k, v in counts.items()))
    latest = latest_loaded_at or ""
    blob = json.dumps([held, latest], ensure_ascii=False, separators=(",", ":"))
    return DataVersion("sha256:" + hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16], latest, held)


def store_data_version(store: GraphStore) -> DataVersion:
    rows = store.read(LATEST_LOAD_CYPHER).rows
    latest = rows[0][0] if rows and rows[0] and rows[0][0] is not None else ""
    return data_version_of(store.counts(), str(latest))


@dataclass(frozen=True)
class ResultMeta:
    """Where a result came from, recorded in its downloads."""

    query: str
    title: str
    parameters: Mapping[str, Any]
    engine: str
    version: DataVersion
    exported_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))


def _cell(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, list) and all(isinstance(v, (str, int, float, bool)) for v in value):
        return ", ".join(str(v) for v in value)
    return json.dumps(value, ensure_ascii=False, default=str)


def result_frame(result: QueryResult) -> pd.DataFrame:
    """Rows as a table a reader can scan: scalars kept, lists joined, nodes and maps as JSON."""
    return pd.DataFrame([[_cell(v) for v in row] for row in result.rows], columns=result.columns)


def readable_frame(
    frame: pd.DataFrame, columns: Mapping[str, str], values: Mapping[str, Mapping[str, str]]
) -> pd.DataFrame:
    """`frame` as a reader sees it: each column named by `columns` (its identifier where none), and in
    the columns `values` names, identifiers (HAS_PART, district) shown by their names. The downloads
    keep the identifiers, which other tools read."""
    shown = frame.copy()
    for column, names in values.items():
        if column in shown.columns:
            shown[column] = shown[column].map(lambda v, n=names: n.get(v, v) if isinstance(v, str) else v)
    shown.columns = [columns.get(c, c) for c in shown.columns]
    return shown


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV with a UTF-8 byte-order mark, so spreadsheet programs open the Chinese text correctly; text
    cells that a spreadsheet would run as a formula are neutralised (graph.export.spreadsheet_safe)."""
    return _safe(frame).to_csv(index=False).encode("utf-8-sig")


def _safe(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.map(lambda v: spreadsheet_safe(v) if isinstance(v, str) else v)


def json_with_metadata(result: QueryResult, meta: ResultMeta) -> bytes:
    """The rows as JSON objects (values as the store returned them) inside the metadata object."""
    payload = {
        "query": meta.query,
        "title": meta.title,
        "parameters": dict(meta.parameters),
        "engine": meta.engine,
        "data_version": meta.version.to_dict(),
        "exported_at": meta.exported_at,
        "columns": list(result.columns),
        "rows": result.records(),
        "truncated": result.truncated,
    }
    return json.dumps(payload, ensure_ascii=False, indent=2, default=str).encode("utf-8")


# --------------------------------------------------------------------------- nodes in a result


def _walk(value: Any) -> Iterator[dict[str, Any]]:
    """Every node value (a map with `_label` and `id`) inside a cell, paths and lists included."""
    if isinstance(value, dict):
        if "_label" in value and "id" in value:
            yield value
            return
        for inner in value.values():
            yield from _walk(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _walk(inner)


def node_ids_in(result: QueryResult, names: Mapping[str, str] | None = None) -> list[str]:
    """Ids of the nodes a result holds: node values (also inside paths and lists) and, with
    `names` (a node name -> id for names only one node has), cells that are exactly a node's name.
    In the order met, each once."""
    seen: dict[str, None] = {}
    for row in result.rows:
        for value in row:
            for node in _walk(value):
                seen.setdefault(str(node["id"]), None)
            if names and isinstance(value, str) and value in names:
                seen.setdefault(names[value], None)
            elif names and isinstance(value, list):
                for item in value:
                    if isinstance(item, str) and item in names:
                        seen.setdefault(names[item], None)
    return list(seen)


def unique_names(entries: Iterable[tuple[str, str]]) -> dict[str, str]:
    """(name, id) pairs -> name -> id, for names that only one node has."""
    found: dict[str, set[str]] = {}
    for name, node_id in entries:
        found.setdefault(name, set()).add(node_id)
    return {name: next(iter(ids)) for name, ids in found.items() if len(ids) == 1}
