"""A node's relationships as rows with their evidence sentences, and its properties as shown."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from govkg.app.language import label_name, language
from govkg.graph.model import GraphDocument, Node
from govkg.i18n import zone_level_names


@dataclass(frozen=True)
class EvidenceRow:
    """One relationship of the chosen node, seen from it, with one evidence sentence (or none)."""

    edge_type: str
    outgoing: bool
    other_id: str
    other_name: str
    other_label: str
    sentence: str
    document_id: str
    document_title: str
    start: int
    end: int


def evidence_rows(graph: GraphDocument, node_id: str, titles: Mapping[str, str]) -> list[EvidenceRow]:
    """The chosen node's relationships in `graph`, one row per evidence sentence (a row with an empty
    sentence when a relationship has none), by type then the other end's name."""
    names = {n.id: n for n in graph.nodes}
    doc_titles = {d.id: d.title or d.path or d.id for d in graph.documents}
    rows: list[EvidenceRow] = []
    for edge in graph.edges:
        if node_id not in (edge.source, edge.target):
            continue
        outgoing = edge.source == node_id
        other_id = edge.target if outgoing else edge.source
        other = names.get(other_id)
        other_name = other.name if other else doc_titles.get(other_id) or titles.get(other_id) or other_id
        other_label = other.label if other else "Document"
        base = EvidenceRow(edge.type, outgoing, other_id, other_name, other_label, "", "", "", 0, 0)
        if not edge.evidence:
            rows.append(base)
        for ev in edge.evidence:
            title = titles.get(ev.document) or doc_titles.get(ev.document) or ev.document
            rows.append(replace(base, sentence=ev.text, document_id=ev.document, document_title=title,
                                start=ev.start, end=ev.end))
    rows.sort(key=lambda r: (r.edge_type, not r.outgoing, r.other_name, r.document_title, r.start))
    return rows


def property_rows(node: Node) -> list[tuple[str, str]]:
    """A node's properties as (name, shown value) pairs; lists joined, empty values left out."""
    rows = [("id", node.id), ("label", label_name(node.label))]
    for key, value in sorted(node.properties.items()):
        if value in (None, "", []):
            continue
        shown = ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
        if node.label == "Zone" and key == "level":
            shown = zone_level_names(language()).get(shown, shown)
        rows.append((key, shown))
    return rows
