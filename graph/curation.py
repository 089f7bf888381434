"""Replacing documents by curated ones inside a store write: the part both engines share.

A curated case sheet (docs/case-sheets.md, `replaces:`) names the documents whose automatic
extraction it corrects; its Document carries their ids in `replaces`. Each store's write calls
`skipped_documents` and `retract` inside its own transaction, through a `Cypher` runner, so a
curated load either replaces the old facts and writes the new ones, or changes nothing.

What a replacement does (the contract of GraphStore.write):
- the replaced documents' evidence is taken off every relationship; a relationship left without
  evidence is deleted (relationships that never had evidence, such as SIMILAR_TO, are not touched);
- a node that no document mentions any more is deleted with its relationships, so a mechanism the
  researcher struck out disappears, and one the sheet states again is written afresh from the sheet;
- each replaced Document stays, without its MENTIONS, marked `superseded_by`; an incoming document
  already so marked is not written again, so re-loading the original file does not bring the
  automatic extraction back (a placeholder Document is made when the replaced one was never loaded);
- `curated` on a relationship or node stays true only while a curated document supports it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govkg.graph.model import EDGE_TYPES, Edge, Evidence, GraphDocument
from govkg.graph.schema import EVIDENCE_PROPERTIES
from govkg.graph.store import WriteSummary

__all__ = [
    "CURATED",
    "REPLACES",
    "REPLACES_PATHS",
    "SUPERSEDED_BY",
    "Cypher",
    "Replacement",
    "replacements",
    "retract",
    "skipped_documents",
    "without_documents",
]

REPLACES = "replaces"  # Document property: ids of the documents a curated sheet replaces
REPLACES_PATHS = "replaces_paths"  # their file paths, as the sheet recorded them
SUPERSEDED_BY = "superseded_by"
CURATED = "curated"


@dataclass(frozen=True)
class Replacement:
    """A document to replace: its id, the curated document replacing it, and its path if known."""

    document: str
    by: str
    path: str = ""


@dataclass(frozen=True)
class Cypher:
    """How one engine runs a statement inside the write's transaction.

    `run(query, params)` returns the rows; `value(param, kind)` writes a parameter read from the
    UNWIND row `r` so that it keeps its column type even when null or empty (LadybugDB needs a CAST,
    Neo4j does not)."""

    run: Callable[[str, dict[str, Any]], list[list[Any]]]
    value: Callable[[str, str], str]


def replacements(graph: GraphDocument) -> list[Replacement]:
    """The documents the graph's curated documents replace; a document naming itself is ignored
    (an unchanged sheet loaded again is the same document, not a replacement)."""
    out: dict[str, Replacement] = {}
    for doc in graph.documents:
        ids = doc.properties.get(REPLACES) or []
        paths = doc.properties.get(REPLACES_PATHS) or []
        for index, replaced in enumerate(ids if isinstance(ids, list) else [ids]):
            if replaced and replaced != doc.id:
                path = paths[index] if isinstance(paths, list) and index < len(paths) else ""
                out.setdefault(str(replaced), Replacement(str(replaced), doc.id, str(path or "")))
    return list(out.values())


def skipped_documents(cypher: Cypher, graph: GraphDocument) -> list[str]:
    """Incoming documents not to write: already superseded in the store, or replaced by another
    document of this same write (the article and its curated sheet loaded together)."""
    incoming = [d.id for d in graph.documents]
    if not incoming:
        return []
    rows = cypher.run(
        f"UNWIND $ids AS i MATCH (d:Document {{id: i}}) WHERE d.{SUPERSEDED_BY} IS NOT NULL RETURN d.id",
        {"ids": incoming},
    )
    skipped = {str(r[0]) for r in rows}
    skipped.update(r.document for r in replacements(graph) if r.document in incoming)
    return [i for i in incoming if i in skipped]


def without_documents(graph: GraphDocument, ids: set[str]) -> GraphDocument:
    """The graph minus what only the documents `ids` support: their evidence goes; a relationship
    that had evidence and has none left goes; a node that only such relationships touched goes."""
    if not ids:
        return graph
    edges: list[Edge] = []
    touched: set[str] = set()
    kept_ends: set[str] = set()
    for edge in graph.edges:
        touched.update((edge.source, edge.target))
        evidence = [ev for ev in edge.evidence if ev.document not in ids]
        if (edge.evidence and not evidence) or edge.source in ids or edge.target in ids:
            continue
        edges.append(Edge(edge.type, edge.source, edge.target, evidence, dict(edge.properties)))
        kept_ends.update((edge.source, edge.target))
    nodes = [n for n in graph.nodes if n.id in kept_ends or n.id not in touched]
    documents = [d for d in graph.documents if d.id not in ids]
    return GraphDocument(documents, nodes, edges)


def retract(cypher: Cypher, graph: GraphDocument, summary: WriteSummary) -> None:
    """Replace what the graph's curated documents replace (see the module docstring)."""
    wanted = replacements(graph)
    if not wanted:
        return
    replaced = {r.document for r in wanted}
    curated_documents = {
        str(r[0]) for r in cypher.run(f"MATCH (d:Document) WHERE d.{CURATED} = true RETURN d.id", {})
    } - replaced
    mentioned: dict[str, set[str]] = {}  # label -> ids of nodes the replaced documents mention
    for document in sorted(replaced):
        for label in _mention_targets():
            rows = cypher.run(
                f"MATCH (d:Document {{id: $d}})-[e:MENTIONS]->(n:{label}) DELETE e RETURN n.id", {"d": document}
            )
            mentioned.setdefault(label, set()).update(str(r[0]) for r in rows)
        for edge_type, pairs in EDGE_TYPES.items():
            if edge_type == "MENTIONS":
                continue
            for source, target in pairs:
                _retract_evidence(cypher, edge_type, source, target, document, replaced, curated_documents, summary)
    for label, ids in mentioned.items():
        _drop_unmentioned(cypher, label, sorted(ids), curated_documents, summary)
    for item in wanted:
        if _mark_superseded(cypher, item):
            summary.documents_replaced.append(item.document)


def _mention_targets() -> list[str]:
    return [target for source, target in EDGE_TYPES["MENTIONS"] if source == "Document"]


def _retract_evidence(
    cypher: Cypher,
    edge_type: str,
    source: str,
    target: str,
    document: str,
    replaced: set[str],
    curated_documents: set[str],
    summary: WriteSummary,
) -> None:
    evidence_columns = list(EVIDENCE_PROPERTIES)
    returned = ", ".join(f"e.{c}" for c in evidence_columns)
    rows = cypher.run(
        f"MATCH (a:{source})-[e:{edge_type}]->(b:{target}) WHERE $d IN e.evidence_documents "
        f"RETURN a.id, b.id, {returned}, e.{CURATED}",
        {"d": document},
    )
    gone: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    for row in rows:
        values = dict(zip(evidence_columns, row[2:6], strict=True))
        kept = [ev for ev in _evidence(values) if ev.document not in replaced]
        ends = {"s": str(row[0]), "t": str(row[1])}
        if not kept:
            gone.append(ends)
            continue
        curated = True if any(ev.document in curated_documents for ev in kept) else None
        changed.append(
            {
                **ends,
                "evidence_documents": [ev.document for ev in kept],
                "evidence_texts": [ev.text for ev in kept],
                "evidence_starts": [ev.start for ev in kept],
                "evidence_ends": [ev.end for ev in kept],
                CURATED: curated,
            }
        )
    match = f"UNWIND $rows AS r MATCH (a:{source} {{id: r.s}}) MATCH (a)-[e:{edge_type}]->(b:{target} {{id: r.t}})"
    if gone:
        cypher.run(f"{match} DELETE e", {"rows": gone})
        summary.edges_retracted += len(gone)
    if changed:
        kinds = {**EVIDENCE_PROPERTIES, CURATED: "BOOLEAN"}
        sets = ", ".join(f"e.{c} = {cypher.value(c, kind)}" for c, kind in kinds.items())
        cypher.run(f"{match} SET {sets}", {"rows": changed})


def _drop_unmentioned(
    cypher: Cypher, label: str, ids: list[str], curated_documents: set[str], summary: WriteSummary
) -> None:
    """Delete the nodes no document mentions any more; reset `curated` on the others."""
    if not ids:
        return
    rows = cypher.run(
        f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) OPTIONAL MATCH (d:Document)-[:MENTIONS]->(n) "
        f"RETURN n.id, n.{CURATED}, collect(d.id)",
        {"ids": ids},
    )
    orphans = [str(r[0]) for r in rows if not r[2]]
    recurated = [
        {"id": str(r[0]), CURATED: curated}
        for r in rows
        if r[2] and (curated := True if set(r[2]) & curated_documents else None) != r[1]
    ]
    if orphans:
        cypher.run(f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) DETACH DELETE n", {"ids": orphans})
        summary.nodes_retracted += len(orphans)
    if recurated:
        cypher.run(
            f"UNWIND $rows AS r MATCH (n:{label} {{id: r.id}}) SET n.{CURATED} = {cypher.value(CURATED, 'BOOLEAN')}",
            {"rows": recurated},
        )


def _mark_superseded(cypher: Cypher, item: Replacement) -> bool:
    """Mark the replaced document; False when this very replacement was made before."""
    found = cypher.run(f"MATCH (d:Document {{id: $id}}) RETURN d.{SUPERSEDED_BY}", {"id": item.document})
    if found:
        if found[0][0] == item.by:
            return False
        cypher.run(f"MATCH (d:Document {{id: $id}}) SET d.{SUPERSEDED_BY} = $by", {"id": item.document, "by": item.by})
        return True
    # Never loaded here: a placeholder remembers the replacement, so a later load of the original
    # file is recognised and skipped.
    name = Path(item.path).name if item.path else item.document
    cypher.run(
        f"CREATE (d:Document {{id: $id, name: $name, path: $path, {SUPERSEDED_BY}: $by}})",
        {"id": item.document, "name": name, "path": item.path, "by": item.by},
    )
    return True


def _evidence(values: dict[str, Any]) -> list[Evidence]:
    return [
        Evidence(str(d), str(t), int(s), int(e))
        for d, t, s, e in zip(
            values.get("evidence_documents") or [],
            values.get("evidence_texts") or [],
            values.get("evidence_starts") or [],
            values.get("evidence_ends") or [],
            strict=False,
        )
    ]

