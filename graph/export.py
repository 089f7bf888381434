"""Exporting a store's whole graph (GraphML/GEXF, CSV, a Cypher script) and importing that script.

- GraphML and GEXF (for Gephi, yEd, Cytoscape) come from graph/networkx_view.py.
- CSV: `nodes.csv` and `edges.csv` in a folder, UTF-8 with a byte-order mark so that Excel shows
  Chinese correctly; lists and maps are JSON text in their cell.
- Cypher: one statement per line (`MERGE` per node, `MATCH … MATCH … MERGE` per relationship),
  holding exactly the properties the stores hold (declared columns, `extra` JSON, evidence as
  four parallel lists). It runs unchanged in cypher-shell or Neo4j Browser and rebuilds the graph
  in any Neo4j; `import_cypher_script` reads it back into either engine through `store.write`,
  so a graph can move from the embedded store to Neo4j and back.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from govkg.errors import InputError
from govkg.graph.curation import REPLACES
from govkg.graph.merge import DOCUMENT_FIELDS, document_node, merge_edge_row, merge_node_row
from govkg.graph.model import EDGE_TYPES, NODE_LABELS, Document, Edge, Evidence, GraphDocument, Node
from govkg.graph.networkx_view import export_graph as export_network
from govkg.graph.schema import EVIDENCE_PROPERTIES, edge_columns, node_columns
from govkg.graph.store import GraphStore, WriteSummary

__all__ = [
    "EXPORT_FORMATS",
    "export_csv",
    "export_cypher",
    "export_graph",
    "import_cypher_script",
    "parse_cypher_script",
    "spreadsheet_safe",
]

EXPORT_FORMATS = ("graphml", "gexf", "csv", "cypher")
_FORMULA_STARTS = frozenset("=+-@\t\r")
SCRIPT_MARKER = "// govkg Cypher export"
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DECODER = json.JSONDecoder()


def export_graph(store: GraphStore, fmt: str, path: Path) -> list[Path]:
    """Write the store's whole graph as `fmt` to `path` (a folder for csv); returns the files written."""
    fmt = fmt.lower()
    path = Path(path)
    if fmt not in EXPORT_FORMATS:
        raise InputError(str(path), f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    graph = store.snapshot()
    try:
        if fmt in ("graphml", "gexf"):
            target = path if path.suffix.lower() == f".{fmt}" else path.with_suffix(f".{fmt}")
            return [export_network(graph, target)]
        if fmt == "csv":
            return export_csv(graph, path)
        return [export_cypher(graph, path)]
    except OSError as err:
        raise InputError(str(path), f"cannot write the export ({err.strerror or err})") from err


# --------------------------------------------------------------------- CSV


def export_csv(graph: GraphDocument, folder: Path) -> list[Path]:
    """`nodes.csv` (documents included, with their text) and `edges.csv` in `folder`."""
    if folder.exists() and not folder.is_dir():
        raise InputError(str(folder), "is a file; CSV export writes nodes.csv and edges.csv into a folder")
    folder.mkdir(parents=True, exist_ok=True)
    node_rows: list[dict[str, Any]] = []
    for doc in graph.documents:
        node = document_node(doc)
        node_rows.append({"id": node.id, "label": "Document", "name": node.name, "aliases": [], **node.properties})
    for n in graph.nodes:
        node_rows.append({"id": n.id, "label": n.label, "name": n.name, "aliases": n.aliases, **n.properties})
    edge_rows = [
        {
            "type": e.type,
            "source": e.source,
            "target": e.target,
            "evidence_count": len(e.evidence),
            "evidence": [ev.to_dict() for ev in e.evidence],
            **e.properties,
        }
        for e in graph.edges
    ]
    nodes = _write_csv(folder / "nodes.csv", ["id", "label", "name", "aliases"], node_rows)
    edges = _write_csv(folder / "edges.csv", ["type", "source", "target", "evidence_count", "evidence"], edge_rows)
    return [nodes, edges]


def _write_csv(path: Path, fixed: list[str], rows: list[dict[str, Any]]) -> Path:
    extra = sorted({k for row in rows for k in row} - set(fixed))
    with path.open("w", encoding="utf-8-sig", newline="") as handle:  # the BOM tells Excel it is UTF-8
        writer = csv.writer(handle)
        writer.writerow([*fixed, *extra])
        for row in rows:
            writer.writerow([_cell(row.get(k)) for k in [*fixed, *extra]])
    return path


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return spreadsheet_safe(value)
    if isinstance(value, int | float):
        return str(value)
    return spreadsheet_safe(json.dumps(value, ensure_ascii=False, sort_keys=True))


def spreadsheet_safe(text: str) -> str:
    """A text cell a spreadsheet will show, not run: one starting with = + - @, a tab or a carriage
    return gets a leading apostrophe (OWASP's advice against formula injection: a loaded text could
    hold `=cmd|' /C calc'!A0`)."""
    return "'" + text if text[:1] in _FORMULA_STARTS and text else text


# --------------------------------------------------------------------- Cypher script


def export_cypher(graph: GraphDocument, path: Path) -> Path:
    """A Cypher script rebuilding the graph: constraints, then nodes, then relationships."""
    path.parent.mkdir(parents=True, exist_ok=True)
    nodes = [document_node(d) for d in graph.documents] + list(graph.nodes)
    labels = {n.id: n.label for n in nodes}
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write(
            f"{SCRIPT_MARKER}: {len(nodes)} nodes, {len(graph.edges)} relationships, "
            f"{datetime.now(UTC).isoformat(timespec='seconds')}\n"
            "// Run it in cypher-shell (`cypher-shell -f FILE`) or Neo4j Browser, or load it into either govkg\n"
            "// store with graph.export.import_cypher_script. One statement per line; MERGE makes it re-runnable.\n"
        )
        for label in NODE_LABELS:
            out.write(
                f"CREATE CONSTRAINT govkg_{label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE;\n"
            )
        for node in nodes:
            row = merge_node_row(None, node, node_columns(node.label))
            sets = _assignments("n", row, skip=("id",))
            out.write(f"MERGE (n:{node.label} {{id: {_literal(node.id)}}}){sets};\n")
        for edge in graph.edges:
            source, target = labels.get(edge.source), labels.get(edge.target)
            if source is None or target is None:
                raise InputError(
                    str(path), f"relationship {edge.type} {edge.source} -> {edge.target} names a missing node"
                )
            row = merge_edge_row(None, edge, edge_columns(edge.type))
            sets = _assignments("r", row, skip=("s", "t"))
            ends = (
                f"MATCH (a:{source} {{id: {_literal(edge.source)}}}) MATCH (b:{target} {{id: {_literal(edge.target)}}})"
            )
            out.write(f"{ends} MERGE (a)-[r:{edge.type}]->(b){sets};\n")
    return path


def _literal(value: Any) -> str:
    """A Cypher literal. JSON's strings, numbers, lists, true/false are valid Cypher as they stand."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def _assignments(variable: str, row: dict[str, Any], skip: Iterable[str]) -> str:
    parts = [
        f"{variable}.{key} = {_literal(value)}" for key, value in row.items() if key not in skip and value is not None
    ]
    return (" SET " + ", ".join(parts)) if parts else ""


def import_cypher_script(store: GraphStore, path: Path) -> WriteSummary:
    """Load a script written by `export_cypher` into `store` (either engine), idempotently.

    The script is a finished state, not a curated load: a curated document's `replaces` would make
    the write retract the very documents the script restores (their text would be lost). So the
    graph is written first without those markers, then the curated documents with them, which finds
    nothing left to retract. Two transactions: if the second fails, importing again completes it.
    """
    graph = parse_cypher_script(_read_script(path), str(path))
    curated = [d for d in graph.documents if d.properties.get(REPLACES)]
    if not curated:
        return store.write(graph)
    plain = [
        replace(d, properties={k: v for k, v in d.properties.items() if k != REPLACES}) if d in curated else d
        for d in graph.documents
    ]
    summary = store.write(GraphDocument(plain, graph.nodes, graph.edges))
    summary.counts_after = store.write(GraphDocument(curated, [], [])).counts_after
    return summary


def _read_script(path: Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise InputError(str(path), "file not found") from err
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(str(path), f"cannot read the Cypher script ({err})") from err


def parse_cypher_script(text: str, name: str = "<script>") -> GraphDocument:
    """The graph a govkg Cypher export describes. Only the statements export_cypher writes are
    understood; anything else raises InputError naming the line."""
    if not text.lstrip("\ufeff").startswith(SCRIPT_MARKER):
        raise InputError(name, f"not a govkg Cypher export (it should start with {SCRIPT_MARKER!r})")
    graph = GraphDocument()
    for number, line in enumerate(text.splitlines(), start=1):
        statement = line.strip()
        if not statement or statement.startswith("//") or statement.startswith("CREATE CONSTRAINT "):
            continue
        try:
            if statement.startswith("MERGE (n:"):
                _add_node(graph, _Reader(statement))
            elif statement.startswith("MATCH (a:"):
                graph.edges.append(_edge(_Reader(statement)))
            else:
                raise ValueError("expected MERGE (n:…) for a node or MATCH (a:…) … MERGE for a relationship")
        except RecursionError:
            raise InputError(name, f"line {number}: a value nests too deep for a govkg export") from None
        except ValueError as err:
            raise InputError(name, f"line {number}: {err}") from None
    return graph


class _Reader:
    """A cursor over one statement of the export's own, fixed shape."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0

    def expect(self, literal: str) -> None:
        if not self.text.startswith(literal, self.at):
            raise ValueError(f"expected {literal!r} at column {self.at + 1}")
        self.at += len(literal)

    def name(self, allowed: Iterable[str] | None = None) -> str:
        match = _KEY.match(self.text, self.at)
        if not match or (allowed is not None and match.group() not in allowed):
            raise ValueError(f"unexpected name at column {self.at + 1}")
        self.at = match.end()
        return match.group()

    def value(self) -> Any:
        try:
            value, self.at = _DECODER.raw_decode(self.text, self.at)
        except json.JSONDecodeError as err:
            raise ValueError(f"unreadable value at column {self.at + 1} ({err.msg})") from None
        return value

    def assignments(self, variable: str) -> dict[str, Any]:
        values: dict[str, Any] = {}
        if self.text.startswith(" SET ", self.at):
            self.at += len(" SET ")
            while True:
                self.expect(f"{variable}.")
                key = self.name()
                self.expect(" = ")
                values[key] = self.value()
                if not self.text.startswith(", ", self.at):
                    break
                self.at += 2
        self.expect(";")
        if self.at != len(self.text):
            raise ValueError(f"unexpected text after the statement at column {self.at + 1}")
        return values


def _add_node(graph: GraphDocument, reader: _Reader) -> None:
    reader.expect("MERGE (n:")
    label = reader.name(NODE_LABELS)
    reader.expect(" {id: ")
    node_id = reader.value()
    reader.expect("})")
    values = reader.assignments("n")
    if not isinstance(node_id, str):
        raise ValueError("a node id must be a string")
    extra = values.pop("extra", None)
    name = values.pop("name", "")
    aliases = values.pop("aliases", None) or []
    props = {**values, **_extra(extra)}
    if label == "Document":
        fields = {k: str(props.pop(k, "") or "") for k in DOCUMENT_FIELDS}
        graph.documents.append(Document(id=node_id, properties=props, **fields))
    else:
        graph.nodes.append(Node(node_id, label, str(name), [str(a) for a in aliases], props))


def _extra(extra: Any) -> dict[str, Any]:
    """The `extra` property: a JSON object of the properties without a column of their own."""
    if not isinstance(extra, str) or not extra:
        return {}
    value = json.loads(extra)  # a JSONDecodeError is a ValueError: reported with the line
    if not isinstance(value, dict):
        raise ValueError("extra must hold a JSON object ({…})")
    return value


def _edge(reader: _Reader) -> Edge:
    ends: list[str] = []
    for variable in ("a", "b"):
        reader.expect(f"MATCH ({variable}:")
        reader.name(NODE_LABELS)
        reader.expect(" {id: ")
        ends.append(str(reader.value()))
        reader.expect("}) ")
    reader.expect("MERGE (a)-[r:")
    edge_type = reader.name(EDGE_TYPES)
    reader.expect("]->(b)")
    values = reader.assignments("r")
    lists = [values.pop(c, None) or [] for c in EVIDENCE_PROPERTIES]
    if len({len(x) for x in lists}) > 1:
        raise ValueError("the four evidence lists differ in length")
    evidence = [Evidence(str(d), str(t), int(s), int(e)) for d, t, s, e in zip(*lists, strict=True)]
    extra = values.pop("extra", None)
    props = {**values, **_extra(extra)}
    return Edge(edge_type, ends[0], ends[1], evidence, props)
