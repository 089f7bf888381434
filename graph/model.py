"""The graph document: typed nodes and edges with evidence, shared by loaders, stores and the CLI.

Its JSON form is the contract of `govkg extract --format json` (docs/contracts.md).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

NODE_LABELS: tuple[str, ...] = (
    "Zone",
    "Organisation",
    "Mechanism",
    "Policy",
    "Document",
    "Category",
    "Theme",
)

ZONE_LEVELS: tuple[str, ...] = (
    "province",
    "city",
    "district",
    "county",
    "street",
    "township",
    "town",
    "village",
    "community",
    "region",
)
# How Chinese texts and readers name each level (the unit's generic word): 区 is a district, 街道 a street.
ZONE_LEVEL_WORDS: dict[str, str] = {
    "省": "province", "市": "city", "区": "district", "县": "county", "街道": "street", "乡": "township",
    "镇": "town", "村": "village", "社区": "community", "片区": "region",
}  # fmt: skip


def zone_level_code(given: str) -> str | None:
    """A level as stored (`ZONE_LEVELS`) from its code in any case, its Chinese word, or that word with
    级 (区级 = district); None when it names no level."""
    text = given.strip()
    if text.lower() in ZONE_LEVELS:
        return text.lower()
    return ZONE_LEVEL_WORDS.get(text.removesuffix("级") if len(text) > 1 else text)

# Relationship type -> allowed (source label, target label) pairs.
EDGE_TYPES: dict[str, tuple[tuple[str, str], ...]] = {
    "PART_OF": (("Zone", "Zone"),),
    "ADOPTS": (("Zone", "Mechanism"),),
    "HAS_PART": (("Mechanism", "Mechanism"),),
    "IN_CATEGORY": (("Mechanism", "Category"),),
    "PARTICIPATES_IN": (("Organisation", "Mechanism"),),
    "HAS_ORGANISATION": (("Zone", "Organisation"),),
    "IMPLEMENTS": (("Zone", "Policy"),),
    "FRAMED_BY": (("Mechanism", "Policy"),),
    "UNDER_THEME": (("Zone", "Theme"), ("Mechanism", "Theme")),
    "MENTIONS": tuple(("Document", label) for label in NODE_LABELS if label != "Document"),
    "SIMILAR_TO": (("Zone", "Zone"),),
    # The text says the zone learned a practice from (or modelled it on) another zone's experience.
    "LEARNED_FROM": (("Zone", "Zone"),),
}

# ADOPTS.stage: how far a zone has gone with a practice, as the text tells it. A planned adoption
# (下一步将在全县推广) is kept, but it is no adoption: similarity and the saved queries leave it out.
ADOPTION_STAGES: tuple[str, ...] = ("pilot", "adopted", "promoted", "planned")
# Which stage an adoption keeps when two statements of the same year (or of no year) meet.
_STAGE_RANK = {"pilot": 0, "promoted": 1, "adopted": 2, "planned": 3}


def merge_adoption(held: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """One ADOPTS's year, stage and learned when two statements of it meet (two sentences, two files,
    a stored row and a new load): the earliest year and its stage, since the year is the first the
    sources give; a plan yields to any statement that the zone has done it; learned if either says so.
    Other properties: the new non-empty value wins."""
    merged = {**held, **{k: v for k, v in new.items() if v not in (None, "", [])}}
    timing = ("stage", "year", "learned")
    if not any(p.get(k) is not None for p in (held, new) for k in timing):
        return merged  # an edge written without timing (older files, hand-built graphs) stays without
    stages = [(p.get("stage") or "adopted", p.get("year")) for p in (held, new) if p]
    done = [(stage, year) for stage, year in stages if stage != "planned"] or stages
    years = [year for _, year in done if isinstance(year, int)]
    first = min(years) if years else None
    candidates = [stage for stage, year in done if year == first] if first is not None else [s for s, _ in done]
    merged["stage"] = min(candidates, key=lambda s: _STAGE_RANK.get(s, 2)) if candidates else "adopted"
    merged["year"] = first if first is not None else merged.get("year")
    if merged["year"] is None:
        merged.pop("year", None)
    if "learned" in held or "learned" in new:
        merged["learned"] = bool(held.get("learned")) or bool(new.get("learned"))
    return merged

_QUOTES = "“”‘’\"'「」『』《》〈〉"
_DROP_QUOTES = {ord(ch): None for ch in _QUOTES}
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=65536)
def normalise_name(name: str) -> str:
    """Fold width forms (NFKC), drop quotes and whitespace: the key two spellings of one name share.

    Traditional-to-simplified folding happens in the loaders, before names reach the model.
    """
    folded = unicodedata.normalize("NFKC", name)
    folded = folded.translate(_DROP_QUOTES)
    return _SPACE.sub("", folded).strip()


def node_id(label: str, key: str) -> str:
    """Stable id from kind and normalised name, so loading the same fact twice yields one node.

    For zones `key` is the full name along the parent chain (浙江省平湖市当湖街道), so two
    units that share a short name in different counties stay apart.
    """
    if label not in NODE_LABELS:
        raise ValueError(f"unknown node label {label!r}")
    return f"{label.lower()}:{normalise_name(key)}"


def document_id(text: str) -> str:
    """A document's id: a digest of its stored text, so re-loading the same file never duplicates it."""
    return "document:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a fact was read: `document.text[start:end] == text`."""

    document: str
    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"document": self.document, "text": self.text, "start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Evidence:
        return cls(str(data["document"]), str(data["text"]), int(data["start"]), int(data["end"]))


def evidence_key(ev: Evidence) -> tuple[str, str, int, int]:
    """What makes two pieces of evidence equal (Evidence.__eq__), as a plain tuple: hashing it is
    several times cheaper than the dataclass's own __hash__, which a 10,000-document load calls
    millions of times."""
    return (ev.document, ev.text, ev.start, ev.end)


@dataclass(slots=True)
class Node:
    id: str
    label: str
    name: str
    aliases: list[str] = field(default_factory=list)
    properties: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "name": self.name,
            "aliases": list(self.aliases),
            "properties": dict(self.properties),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Node:
        return cls(
            id=str(data["id"]),
            label=str(data["label"]),
            name=str(data["name"]),
            aliases=[str(a) for a in data.get("aliases") or []],
            properties=dict(data.get("properties") or {}),
        )


@dataclass(slots=True)
class Edge:
    type: str
    source: str
    target: str
    evidence: list[Evidence] = field(default_factory=list)
    properties: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.type, self.source, self.target)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "type": self.type,
            "source": self.source,
            "target": self.target,
            "evidence": [e.to_dict() for e in self.evidence],
        }
        if self.properties:
            out["properties"] = dict(self.properties)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Edge:
        return cls(
            type=str(data["type"]),
            source=str(data["source"]),
            target=str(data["target"]),
            evidence=[Evidence.from_dict(e) for e in data.get("evidence") or []],
            properties=dict(data.get("properties") or {}),
        )


@dataclass(slots=True)
class Document:
    id: str
    path: str
    title: str
    source: str
    author: str
    date: str
    text: str
    properties: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "path": self.path,
            "title": self.title,
            "source": self.source,
            "author": self.author,
            "date": self.date,
            "text": self.text,
        }
        if self.properties:
            out["properties"] = dict(self.properties)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        return cls(
            id=str(data["id"]),
            path=str(data.get("path") or ""),
            title=str(data.get("title") or ""),
            source=str(data.get("source") or ""),
            author=str(data.get("author") or ""),
            date=str(data.get("date") or ""),
            text=str(data.get("text") or ""),
            properties=dict(data.get("properties") or {}),
        )


@dataclass(slots=True)
class GraphDocument:
    """Documents, nodes and edges extracted from one or more case files."""

    documents: list[Document] = field(default_factory=list)
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": [d.to_dict() for d in self.documents],
            "nodes": [n.to_dict() for n in self.nodes],
            "edges": [e.to_dict() for e in self.edges],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GraphDocument:
        return cls(
            documents=[Document.from_dict(d) for d in data.get("documents") or []],
            nodes=[Node.from_dict(n) for n in data.get("nodes") or []],
            edges=[Edge.from_dict(e) for e in data.get("edges") or []],
        )

    def merged(self, other: GraphDocument) -> GraphDocument:
        """Union with `other`: one node per id (aliases united, first non-empty property wins),
        one edge per (type, source, target) with evidence united, one document per id (the first).
        Neither input changes: the union's nodes and edges are fresh objects."""
        union = GraphUnion()
        union.add(self)
        union.add(other)
        return union.result()

    def node_by_id(self) -> dict[str, Node]:
        return {n.id: n for n in self.nodes}

    def problems(self) -> list[str]:
        """Contract violations: unknown labels or types, dangling edges, evidence that does not
        match its document's text. Empty when the document is sound."""
        found: list[str] = []
        labels = {n.id: n.label for n in self.nodes}
        texts = {d.id: d.text for d in self.documents}
        for d in self.documents:
            labels.setdefault(d.id, "Document")
        for n in self.nodes:
            if n.label not in NODE_LABELS:
                found.append(f"node {n.id}: unknown label {n.label!r}")
            if n.label == "Zone" and n.properties.get("level") not in ZONE_LEVELS:
                found.append(f"node {n.id}: zone level {n.properties.get('level')!r} is not one of {ZONE_LEVELS}")
        for e in self.edges:
            pairs = EDGE_TYPES.get(e.type)
            if pairs is None:
                found.append(f"edge {e.key}: unknown type")
                continue
            pair = (labels.get(e.source), labels.get(e.target))
            if None in pair:
                found.append(f"edge {e.key}: endpoint missing from nodes")
            elif pair not in pairs:
                found.append(f"edge {e.key}: {pair[0]}->{pair[1]} not allowed for {e.type}")
            for ev in e.evidence:
                text = texts.get(ev.document)
                if text is None:
                    found.append(f"edge {e.key}: evidence names unknown document {ev.document}")
                elif text[ev.start : ev.end] != ev.text:
                    found.append(f"edge {e.key}: evidence offsets {ev.start}:{ev.end} do not match its text")
        return found


def unite_node(held: Node, node: Node) -> None:
    """`node`, a statement of the node `held` is, united into `held`: its names become aliases that
    `held` lacks, and it fills the properties `held` has no value for."""
    for alias in [node.name, *node.aliases]:
        if alias != held.name and alias not in held.aliases:
            held.aliases.append(alias)
    for key, value in node.properties.items():
        if held.properties.get(key) in (None, "", []):
            held.properties[key] = value


class GraphUnion:
    """`GraphDocument.merged` of many graph documents, added one at a time: what the union holds
    never depends on how the graphs were grouped, and a caller can drop each graph once added. A
    load of 10,000 files that kept every file's graph until one merge at the end held both at once
    (docs/measured.md); adding each as it arrives holds one file's graph beside the union."""

    __slots__ = ("_documents", "_edges", "_evidence_seen", "_nodes")

    def __init__(self) -> None:
        self._documents: dict[str, Document] = {}
        self._nodes: dict[str, Node] = {}
        self._edges: dict[tuple[str, str, str], Edge] = {}
        # Linear union, order kept; pieces compared by evidence_key (the dataclass's own hash took
        # 2.0 of 4.8 s at 10,000 documents under cProfile). Made for an edge when it first repeats.
        self._evidence_seen: dict[tuple[str, str, str], set[tuple[str, str, int, int]]] = {}

    def add(self, graph: GraphDocument) -> None:
        """Unite `graph` with what the union holds, first occurrences first. `graph` is not changed."""
        for d in graph.documents:
            self._documents.setdefault(d.id, d)
        nodes = self._nodes
        for n in graph.nodes:
            seen = nodes.get(n.id)
            if seen is None:
                nodes[n.id] = Node(n.id, n.label, n.name, list(n.aliases), dict(n.properties))
                continue
            unite_node(seen, n)
        edges, evidence_seen = self._edges, self._evidence_seen
        for e in graph.edges:
            key = e.key
            held = edges.get(key)
            if held is None:
                edges[key] = Edge(e.type, e.source, e.target, list(e.evidence), dict(e.properties))
                continue
            seen_evidence = evidence_seen.get(key)
            if seen_evidence is None:
                seen_evidence = evidence_seen[key] = {evidence_key(ev) for ev in held.evidence}
            for ev in e.evidence:
                mark = evidence_key(ev)
                if mark not in seen_evidence:
                    seen_evidence.add(mark)
                    held.evidence.append(ev)
            if e.type == "ADOPTS":
                held.properties = merge_adoption(held.properties, e.properties)
                continue
            for k, v in e.properties.items():
                held.properties.setdefault(k, v)

    def result(self) -> GraphDocument:
        """The union as one graph document (its own lists; the nodes and edges are the union's)."""
        return GraphDocument(list(self._documents.values()), list(self._nodes.values()), list(self._edges.values()))
