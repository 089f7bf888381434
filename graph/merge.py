"""Write planning and row merging shared by the stores and the export: how a write's nodes and
edges become stored rows (merged with what a store already holds), and how rows become model
objects again. Pure Python, no database: graph/ladybug_store.py, graph/neo4j_store.py and
graph/export.py import it so the two engines and the export store the same facts the same way."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from govkg.errors import StoreError
from govkg.graph.model import (
    EDGE_TYPES,
    NODE_LABELS,
    Document,
    Edge,
    Evidence,
    GraphDocument,
    Node,
    evidence_key,
    merge_adoption,
)
from govkg.graph.schema import EVIDENCE_PROPERTIES

__all__ = [
    "DOCUMENT_FIELDS",
    "WritePlan",
    "document_from_row",
    "document_node",
    "edge_from_row",
    "evidence_from_row",
    "merge_edge_row",
    "merge_node_row",
    "node_from_row",
    "paused_gc",
    "unite_evidence",
]

# Document fields stored as Document node properties.
DOCUMENT_FIELDS = ("path", "title", "source", "author", "date", "text")


@contextmanager
def paused_gc() -> Iterator[None]:
    """Python's cycle collector paused for a bulk step. A load builds millions of objects that all
    stay alive, and each full collection walks every one of them: at 10,000 documents the collector
    took more time than the write itself. Nothing the step builds is left in cycles to collect, and
    the collector resumes (and collects) afterwards; nesting is harmless."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def unite_evidence(held: list[Evidence], new: Iterable[Evidence]) -> None:
    """Append to `held` each piece of `new` evidence it does not hold yet, in order. A set makes
    this linear: a hub edge (one document mentioning a zone in thousands of sentences) would
    otherwise cost a list scan per piece."""
    seen = {evidence_key(ev) for ev in held}
    for ev in new:
        key = evidence_key(ev)
        if key not in seen:
            seen.add(key)
            held.append(ev)


def _unique_evidence(evidence: list[Evidence]) -> list[Evidence]:
    if len(evidence) < 2:
        return list(evidence)
    out: list[Evidence] = []
    unite_evidence(out, evidence)
    return out


def _each_once(graph: GraphDocument) -> bool:
    return (
        len({d.id for d in graph.documents}) == len(graph.documents)
        and len({n.id for n in graph.nodes}) == len(graph.nodes)
        and len({e.key for e in graph.edges}) == len(graph.edges)
    )


def _merged(graph: GraphDocument) -> GraphDocument:
    """One node per id, one edge per key with evidence united, one document per id."""
    return GraphDocument().merged(graph)


@dataclass
class WritePlan:
    """One write's documents, nodes and edges, each id once (the input may repeat them)."""

    documents: list[Document]
    nodes: dict[str, Node]
    edges: dict[tuple[str, str, str], Edge]
    labels: dict[str, str] = field(default_factory=dict)

    @staticmethod
    def check(graph: GraphDocument) -> None:
        """Raise StoreError for an unknown label or relationship type (before any transaction)."""
        for node in graph.nodes:
            if node.label not in NODE_LABELS:
                raise StoreError(f"node {node.id} has unknown label {node.label!r}; known: {', '.join(NODE_LABELS)}")
        for edge in graph.edges:
            if edge.type not in EDGE_TYPES:
                raise StoreError(f"relationship {edge.source} -> {edge.target} has unknown type {edge.type!r}")

    @classmethod
    def from_graph(cls, graph: GraphDocument) -> WritePlan:
        cls.check(graph)
        # A graph that names each document, node and edge once (what the loaders give) is its own
        # merge: its objects are used as they are (a plan never changes them), not copied.
        merged = graph if _each_once(graph) else _merged(graph)
        plan = cls(
            documents=merged.documents,
            nodes={n.id: n for n in merged.nodes},
            edges={e.key: e for e in merged.edges},
        )
        plan.labels = {d.id: "Document" for d in plan.documents} | {n.id: n.label for n in merged.nodes}
        return plan

    def endpoint_ids(self) -> set[str]:
        ids = {i for e in self.edges.values() for i in (e.source, e.target)}
        ids.update(ev.document for e in self.edges.values() for ev in e.evidence)
        return ids

    def nodes_by_label(self) -> dict[str, dict[str, Node]]:
        """Nodes to write per label; documents become Document nodes."""
        out: dict[str, dict[str, Node]] = {}
        for doc in self.documents:
            out.setdefault("Document", {})[doc.id] = document_node(doc)
        for node in self.nodes.values():
            out.setdefault(node.label, {})[node.id] = node
        return out

    def edges_with_mentions(self, labels: dict[str, str]) -> list[Edge]:
        """The edges, plus (:Document)-[:MENTIONS]->(endpoint) for every piece of evidence. The
        plan's own edges are returned as they are (not copied) and never changed: a MENTIONS edge
        of the plan that gains evidence here is a new Edge."""
        edges: dict[tuple[str, str, str], Edge] = dict(self.edges)
        seen: dict[tuple[str, str, str], set[tuple[str, str, int, int]]] = {}
        for edge in self.edges.values():
            if edge.type == "MENTIONS":
                continue
            ends = [e for e in (edge.source, edge.target) if labels.get(e) not in (None, "Document")]
            for ev in edge.evidence:
                mark = evidence_key(ev)
                for endpoint in ends:
                    key = ("MENTIONS", ev.document, endpoint)
                    held_seen = seen.get(key)
                    if held_seen is None:
                        planned = edges.get(key)
                        if planned is None:
                            edges[key] = Edge("MENTIONS", ev.document, endpoint)
                            held_seen = seen[key] = set()
                        else:
                            edges[key] = Edge(
                                "MENTIONS", ev.document, endpoint, list(planned.evidence), dict(planned.properties)
                            )
                            held_seen = seen[key] = {evidence_key(e) for e in planned.evidence}
                    if mark not in held_seen:
                        held_seen.add(mark)
                        edges[key].evidence.append(ev)
        return list(edges.values())


def document_node(doc: Document) -> Node:
    """A document as the Document node the stores hold (first-load time kept by merge_node_row)."""
    props: dict[str, Any] = {k: getattr(doc, k) for k in DOCUMENT_FIELDS}
    props.update(doc.properties)
    props.setdefault("loaded_at", datetime.now(UTC).isoformat(timespec="seconds"))
    return Node(doc.id, "Document", doc.title or Path(doc.path).name or doc.id, [], props)


def merge_node_row(held: dict[str, Any] | None, node: Node, columns: dict[str, str]) -> dict[str, Any]:
    """The stored row after merging `node` into what the store holds: the new name and non-empty
    properties win, aliases are united (a replaced name becomes an alias), and a document keeps
    the time it was first loaded."""
    held = held or {}
    extra = _load_extra(held.get("extra"))
    values = {c: held.get(c) for c in columns if c not in ("name", "aliases", "extra")}
    for key, value in node.properties.items():
        if value is None or value == "" or value == []:
            continue
        if key == "loaded_at" and values.get("loaded_at"):
            continue
        kind = columns.get(key)
        converted = _to_column(value, kind) if kind and key not in ("name", "aliases", "extra") else _NOT_A_COLUMN
        if converted is _NOT_A_COLUMN:
            extra[key] = value
        else:
            values[key] = converted
    aliases: list[str] = []
    for alias in [*(held.get("aliases") or []), held.get("name"), *node.aliases]:
        if alias and alias != node.name and alias not in aliases:
            aliases.append(str(alias))
    return {
        "id": node.id,
        "name": node.name,
        "aliases": aliases,
        "extra": json.dumps(extra, ensure_ascii=False, sort_keys=True) if extra else None,
        **values,
    }


def merge_edge_row(held: dict[str, Any] | None, edge: Edge, columns: dict[str, str]) -> dict[str, Any]:
    """The stored row after merging `edge`: evidence united (stored first, new appended, never
    twice), new non-empty properties win, undeclared ones kept in `extra`."""
    if held:
        evidence = evidence_from_row(held)
        unite_evidence(evidence, edge.evidence)
    else:
        evidence = _unique_evidence(edge.evidence)  # a new row: the edge's own evidence, once each
        held = {}
    extra = _load_extra(held.get("extra"))
    values = {c: held.get(c) for c in columns if c not in EVIDENCE_PROPERTIES and c != "extra"}
    properties = edge.properties
    if edge.type == "ADOPTS" and held:  # the earliest year, and a plan never overrides a deed
        properties = merge_adoption({k: v for k, v in values.items() if v is not None}, edge.properties)
    for key, value in properties.items():
        if value is None or value == "" or value == []:
            continue
        kind = columns.get(key)
        converted = (
            _to_column(value, kind) if kind and key not in EVIDENCE_PROPERTIES and key != "extra" else _NOT_A_COLUMN
        )
        if converted is _NOT_A_COLUMN:
            extra[key] = value
        else:
            values[key] = converted
    return {
        "s": edge.source,
        "t": edge.target,
        "evidence_documents": [ev.document for ev in evidence],
        "evidence_texts": [ev.text for ev in evidence],
        "evidence_starts": [ev.start for ev in evidence],
        "evidence_ends": [ev.end for ev in evidence],
        "extra": json.dumps(extra, ensure_ascii=False, sort_keys=True) if extra else None,
        **values,
    }


class _NotAColumn:
    pass


_NOT_A_COLUMN: Any = _NotAColumn()


def _to_column(value: Any, kind: str) -> Any:
    """`value` in the column's type, or _NOT_A_COLUMN when it does not fit (it then goes to `extra`)."""
    try:
        if kind == "STRING":
            return (
                value if isinstance(value, str) else (str(value) if isinstance(value, int | float) else _NOT_A_COLUMN)
            )
        if kind == "INT64":
            if isinstance(value, bool):
                return _NOT_A_COLUMN
            if isinstance(value, int):
                return value
            return int(str(value).strip()) if str(value).strip().lstrip("-").isdigit() else _NOT_A_COLUMN
        if kind == "DOUBLE":
            return float(value) if not isinstance(value, bool) else _NOT_A_COLUMN
        if kind == "STRING[]":
            if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
                return list(value)
            return _NOT_A_COLUMN
        if kind == "BOOLEAN":
            return value if isinstance(value, bool) else _NOT_A_COLUMN
        if kind == "INT64[]":
            if isinstance(value, list | tuple) and all(isinstance(v, int) and not isinstance(v, bool) for v in value):
                return list(value)
            return _NOT_A_COLUMN
    except (TypeError, ValueError):
        return _NOT_A_COLUMN
    return _NOT_A_COLUMN


def _load_extra(raw: Any) -> dict[str, Any]:
    if not raw:
        return {}
    try:
        loaded = json.loads(raw)
    except (TypeError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


# --------------------------------------------------------------------- rebuilding the model


def evidence_from_row(values: dict[str, Any]) -> list[Evidence]:
    docs = values.get("evidence_documents") or []
    texts = values.get("evidence_texts") or []
    starts = values.get("evidence_starts") or []
    ends = values.get("evidence_ends") or []
    return [Evidence(str(d), str(t), int(s), int(e)) for d, t, s, e in zip(docs, texts, starts, ends, strict=False)]


def _properties_from_row(values: dict[str, Any], skip: Iterable[str]) -> dict[str, Any]:
    skipped = {"extra", *skip}
    props = {k: v for k, v in values.items() if k not in skipped and v is not None}
    props.update(_load_extra(values.get("extra")))
    return props


def node_from_row(label: str, values: dict[str, Any]) -> Node:
    props = _properties_from_row(values, ("id", "name", "aliases"))
    return Node(str(values["id"]), label, str(values.get("name") or ""), list(values.get("aliases") or []), props)


def document_from_row(values: dict[str, Any]) -> Document:
    props = _properties_from_row(values, ("id", "name", "aliases", *DOCUMENT_FIELDS))
    fields = {k: str(values.get(k) or "") for k in DOCUMENT_FIELDS}
    return Document(id=str(values["id"]), properties=props, **fields)


def edge_from_row(edge_type: str, source: str, target: str, values: dict[str, Any]) -> Edge:
    props = _properties_from_row(values, EVIDENCE_PROPERTIES)
    return Edge(edge_type, source, target, evidence_from_row(values), props)


def group_edges_by_labels(
    edges: list[Edge], labels: dict[str, str], where: str
) -> dict[tuple[str, str, str], list[Edge]]:
    """Edges grouped by (type, source label, target label), after refusing any whose endpoint is
    unknown (`where` names the store in the message) or whose labels the type does not allow."""
    dangling = [e for e in edges if e.source not in labels or e.target not in labels]
    if dangling:
        shown = "; ".join(f"{e.type} {e.source} -> {e.target}" for e in dangling[:5])
        raise StoreError(
            f"{len(dangling)} relationship(s) name a node that is neither in this load nor in {where} "
            f"({shown}); nothing was written. Check the loader output with `govkg extract`."
        )
    groups: dict[tuple[str, str, str], list[Edge]] = {}
    for edge in edges:
        pair = (labels[edge.source], labels[edge.target])
        if pair not in EDGE_TYPES[edge.type]:
            raise StoreError(
                f"{edge.type} cannot link {pair[0]} to {pair[1]} ({edge.source} -> {edge.target}); "
                f"allowed: {', '.join(f'{a}->{b}' for a, b in EDGE_TYPES[edge.type])}. Nothing was written."
            )
        groups.setdefault((edge.type, *pair), []).append(edge)
    return groups
