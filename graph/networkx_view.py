"""The graph as networkx: the analytics layer and the exchange format (GraphML, GEXF for Gephi)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx

from govkg.errors import InputError
from govkg.graph.model import GraphDocument
from govkg.graph.store import GraphStore

__all__ = ["export_graph", "store_to_networkx", "to_networkx"]

EXPORT_SUFFIXES = (".graphml", ".gexf")


def to_networkx(graph: GraphDocument, *, include_documents: bool = True) -> nx.MultiDiGraph:
    """A MultiDiGraph keyed by node id; each edge's key is its type.

    Node attributes: label, name, aliases and the node's properties; documents (when included)
    carry path, title, source, author and date but not their text. Edge attributes: type,
    evidence (a list of dicts) and the edge's properties. The graph document is not changed.
    """
    g = nx.MultiDiGraph()
    if include_documents:
        for d in graph.documents:
            g.add_node(
                d.id,
                label="Document",
                name=d.title or d.path or d.id,
                aliases=[],
                path=d.path,
                title=d.title,
                source=d.source,
                author=d.author,
                date=d.date,
            )
    for n in graph.nodes:
        if n.label == "Document" and not include_documents:
            continue
        g.add_node(n.id, **{**n.properties, "label": n.label, "name": n.name, "aliases": list(n.aliases)})
    for e in graph.edges:
        if not (g.has_node(e.source) and g.has_node(e.target)):
            continue  # an edge to a left-out document
        attrs = {**e.properties, "type": e.type, "evidence": [ev.to_dict() for ev in e.evidence]}
        g.add_edge(e.source, e.target, key=e.type, **attrs)
    return g


def store_to_networkx(store: GraphStore, *, include_documents: bool = True) -> nx.MultiDiGraph:
    """The whole store as a MultiDiGraph (see `to_networkx`)."""
    return to_networkx(store.snapshot(), include_documents=include_documents)


def _scalar(value: Any) -> Any:
    """GraphML and GEXF hold only scalars: lists and dicts travel as JSON text."""
    if value is None:
        return ""
    if isinstance(value, str | int | float | bool):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _flat(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    flat = nx.MultiDiGraph()
    for node, attrs in g.nodes(data=True):
        values = {k: _scalar(v) for k, v in attrs.items()}
        # Gephi shows a node's `label` attribute on the picture: give it the name, keep the kind as `kind`.
        values["kind"] = values.get("label", "")
        values["label"] = values.get("name", node)
        flat.add_node(node, **values)
    for source, target, key, attrs in g.edges(keys=True, data=True):
        values = {k: _scalar(v) for k, v in attrs.items()}
        values["evidence_count"] = len(attrs.get("evidence") or [])
        # GEXF reserves an edge's `type` (directed or undirected): the relationship goes as its label and
        # `relationship`. Each edge's id must be unique in the file (Gephi refuses repeats): its key is
        # its type and ends, unique since a store holds one relationship of a type between two nodes.
        kind = str(values.pop("type", key))
        values["relationship"] = kind
        values["label"] = kind
        flat.add_edge(source, target, key=f"{kind}:{source}->{target}", **values)
    return flat


def export_graph(graph: GraphDocument | nx.MultiDiGraph, path: Path) -> Path:
    """Write the graph for Gephi and friends; the format follows the suffix (.graphml or .gexf)."""
    g = to_networkx(graph) if isinstance(graph, GraphDocument) else graph
    suffix = path.suffix.lower()
    if suffix not in EXPORT_SUFFIXES:
        raise InputError(
            str(path), f"cannot export to {suffix or 'a file without suffix'}; use {' or '.join(EXPORT_SUFFIXES)}"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    flat = _flat(g)
    if suffix == ".graphml":
        nx.write_graphml(flat, path)
    else:
        nx.write_gexf(flat, path)
    return path
