"""Reviewing an upload before it is written (the Load page): the facts a reader can correct, the
corrections the page's widgets describe, the sentence of a span the reader typed (its first occurrence)
or selected in the shown text (that very place), and the upload with the session's corrections applied.

Everything here returns data and touches no store; the page renders it and words it. A reader's
mistake the page should explain (an empty name, a span the text does not hold, a selected place
outside the text, a node already there) raises `Refused` with a message code
(`load.review.refused.<code>` in govkg/i18n.py); a correction that does not fit its fact raises
CorrectionError from graph/corrections.py.

A correction is made against the upload as reviewed so far (the store's kept corrections and the
session's earlier ones applied), as `write_graph` applies them in that order before writing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from govkg.errors import CorrectionError
from govkg.graph.corrections import RETYPABLE, Correction, Target, apply_corrections, make_correction
from govkg.graph.model import EDGE_TYPES, NODE_LABELS, Document, Edge, Evidence, GraphDocument, Node, node_id
from govkg.loaders.cleanup import mask_markdown
from govkg.loaders.sentences import sentences, split_blocks
from govkg.text import fold

__all__ = [
    "ADDABLE_EDGES",
    "ENDS",
    "FACT_LABELS",
    "NEW_NODE_LABELS",
    "Fact",
    "Found",
    "Refused",
    "Reviewed",
    "correction_for",
    "edge_from_span",
    "end_choices",
    "fact_key",
    "find_span",
    "node_from_span",
    "reattach_choices",
    "review",
    "reviewable_facts",
    "sentence_around",
    "span_at",
    "stamp",
    "without",
]

# The nodes a reader reviews (categories are assigned from cue words: their links are reviewed).
FACT_LABELS: tuple[str, ...] = ("Zone", "Mechanism", "Organisation", "Policy")
# The kinds of node a reader adds from a span (a zone's id is its chain of units, which a span does not give).
NEW_NODE_LABELS: tuple[str, ...] = tuple(RETYPABLE)
# The relationships a reader adds from a span; MENTIONS comes with an added node, SIMILAR_TO is computed.
ADDABLE_EDGES: tuple[str, ...] = tuple(t for t in EDGE_TYPES if t not in ("MENTIONS", "SIMILAR_TO", "UNDER_THEME"))
ENDS: tuple[str, str] = ("source", "target")
_MARKDOWN_SUFFIXES = (".md", ".markdown")


class Refused(CorrectionError):
    """A correction the page refuses, with the code of its message (`load.review.refused.<code>`) and
    the values the message names."""

    def __init__(self, code: str, **values: str) -> None:
        super().__init__(f"{code}: {values}" if values else code)
        self.code = code
        self.values = values


@dataclass(frozen=True)
class Fact:
    """A node or relationship of the upload the reader can correct, with its first evidence sentence
    and the actions that fit it."""

    key: str  # fact_key(target): a selectbox option
    target: Target
    label: str  # a node's label, or a relationship's type
    name: str  # a node's name; for a relationship, "" (its ends are from_node and to_node)
    from_node: str = ""
    to_node: str = ""
    evidence: str = ""
    actions: tuple[str, ...] = ()

    @property
    def is_edge(self) -> bool:
        return self.target.edge is not None


@dataclass(frozen=True)
class Found:
    """Where a span occurs: its document, its offsets, and the sentence holding it (the evidence)."""

    document: str
    start: int
    end: int
    sentence: Evidence

    @property
    def words(self) -> str:
        """The span as the document writes it (the sentence holds it)."""
        return self.sentence.text[self.start - self.sentence.start : self.end - self.sentence.start]


@dataclass(frozen=True)
class Reviewed:
    """The upload with corrections applied: the corrected graph; the store's kept corrections that
    applied; each of the session's corrections with its state ("applied", "missing": its fact is
    gone, "elsewhere": for a document not uploaded now); relationships a re-typing dropped."""

    graph: GraphDocument
    kept_applied: tuple[Correction, ...]
    made: tuple[tuple[Correction, str], ...]
    dropped: tuple[Edge, ...] = ()

    @property
    def to_keep(self) -> list[Correction]:
        """The session's corrections to write and keep: those that applied to this upload."""
        return [c for c, state in self.made if state == "applied"]

    def state(self, correction_id: str) -> str:
        return next((state for c, state in self.made if c.id == correction_id), "")


# --------------------------------------------------------------------------- the facts


def fact_key(target: Target) -> str:
    """A fact's key: a node's id, or a relationship's type, source and target joined by tabs (ids hold
    no whitespace: node_id drops it)."""
    return target.node if target.edge is None else "\t".join(target.edge)


def reviewable_facts(graph: GraphDocument) -> list[Fact]:
    """Every extracted zone, mechanism, organisation and policy, then every relationship but MENTIONS
    (and SIMILAR_TO, which a load computes), each with its evidence and the actions that fit it."""
    nodes = graph.node_by_id()
    facts: list[Fact] = []
    for node in sorted((n for n in graph.nodes if n.label in FACT_LABELS), key=_node_order):
        actions = ("reject", "rename", "retype") if node.label in RETYPABLE else ("reject", "rename")
        facts.append(Fact(node.id, Target(node=node.id), node.label, node.name,
                          evidence=_node_evidence(graph, node.id), actions=actions))  # fmt: skip
    order = list(EDGE_TYPES)
    edges = [e for e in graph.edges if e.type not in ("MENTIONS", "SIMILAR_TO")]
    for edge in sorted(edges, key=lambda e: (order.index(e.type) if e.type in order else len(order),
                                             _name(nodes, e.source), _name(nodes, e.target))):  # fmt: skip
        target = Target(edge=edge.key)
        can = ["reject"]
        if any(reattach_choices(graph, edge.key).values()):
            can.append("reattach")
        if edge.type == "ADOPTS" and edge.properties.get("stage") != "planned":
            can.append("mark_planned")
        facts.append(Fact(fact_key(target), target, edge.type, "", edge.source, edge.target,
                          edge.evidence[0].text if edge.evidence else "", tuple(can)))  # fmt: skip
    return facts


def end_choices(graph: GraphDocument, edge_type: str, end: str) -> list[str]:
    """Ids of the graph's nodes that can stand at `end` ("source" or "target") of an `edge_type`."""
    side = ENDS.index(end)
    labels = {pair[side] for pair in EDGE_TYPES.get(edge_type, ())}
    return [n.id for n in sorted((n for n in graph.nodes if n.label in labels), key=_node_order)]


def reattach_choices(graph: GraphDocument, edge: tuple[str, str, str]) -> dict[str, list[str]]:
    """Where a relationship can be moved: for each end, the graph's other nodes of the fitting kind
    (another zone, another parent zone, another category…), never one of its own ends."""
    kind, source, target = edge
    labels = {n.id: n.label for n in graph.nodes}
    choices: dict[str, list[str]] = {}
    for end, other in (("source", target), ("target", source)):
        fits = []
        for candidate in end_choices(graph, kind, end):
            pair = (labels[candidate], labels.get(other)) if end == "source" else (labels.get(other), labels[candidate])
            if candidate not in (source, target) and pair in EDGE_TYPES[kind]:
                fits.append(candidate)
        choices[end] = fits
    return choices


def correction_for(
    graph: GraphDocument,
    fact: Fact,
    action: str,
    *,
    author: str,
    made_at: str,
    name: str = "",
    label: str = "",
    end: str = "",
    node: str = "",
    reason: str = "",
) -> Correction:
    """The correction the review widgets describe: `action` on `fact`, with the new name (rename),
    label (retype), or end and node (reattach). Refused when a value is missing or does not fit."""
    if not author.strip():
        raise Refused("author")
    if action not in fact.actions:
        raise Refused("action")
    value: dict[str, Any] = {}
    if action == "rename":
        if not name.strip():
            raise Refused("name")
        if name.strip() == fact.name:
            raise Refused("same_name")
        value = {"name": name.strip()}
    elif action == "retype":
        if label not in RETYPABLE or label == fact.label:
            raise Refused("label")
        value = {"label": label}
    elif action == "reattach":
        assert fact.target.edge is not None  # "reattach" is offered for relationships only
        if end not in ENDS or node not in reattach_choices(graph, fact.target.edge).get(end, []):
            raise Refused("reattach")
        value = {end: node}
    return make_correction(graph, action, fact.target, value, author=author, made_at=made_at, reason=reason)


# --------------------------------------------------------------------------- what the extractor missed


def find_span(graph: GraphDocument, span: str) -> Found:
    """Where `span` (pasted or typed; whitespace around it ignored) first occurs in the upload's
    documents, as written or as the extractor reads it (traditional characters as simplified,
    full-width forms folded), with the sentence that holds it. Refused when it is empty or absent."""
    wanted = span.strip()
    if not wanted:
        raise Refused("span_empty")
    for document in graph.documents:
        start = document.text.find(wanted)
        if start < 0:
            start = fold(document.text).find(fold(wanted))
        if start >= 0:
            return _found(document, start, start + len(wanted))
    raise Refused("span_missing", span=wanted)


def span_at(graph: GraphDocument, document_id: str, start: int, end: int) -> Found:
    """The span at characters [start, end) of one of the upload's documents (as a reader selected it in
    the shown text; Python str offsets), whitespace at its ends left out, with the sentence holding
    it: that place, wherever else the same words occur. Refused when the document is not the upload's
    or the offsets fall outside its text ("span_outside"), or only whitespace is selected ("span_empty")."""
    document = next((d for d in graph.documents if d.id == document_id), None)
    if document is None or not 0 <= start <= end <= len(document.text):
        raise Refused("span_outside")
    selected = document.text[start:end]
    start, end = start + len(selected) - len(selected.lstrip()), end - (len(selected) - len(selected.rstrip()))
    if start >= end:
        raise Refused("span_empty")
    return _found(document, start, end)


def _found(document: Document, start: int, end: int) -> Found:
    s, e = sentence_around(document.text, start, end, markdown=_is_markdown(document))
    return Found(document.id, start, end, Evidence(document.id, document.text[s:e], s, e))


def sentence_around(text: str, start: int, end: int, *, markdown: bool = False) -> tuple[int, int]:
    """The bounds of the sentence(s) holding text[start:end], split as the extractor splits them
    (loaders/sentences.py: one block a line, sentences within); the span itself if none holds it."""
    match = fold(text)  # same length as `text`: offsets carry over
    if markdown:
        match = mask_markdown(match)
    first = last = None
    for index, block in enumerate(split_blocks(match, text, set(), markdown)):
        if block.end <= start or block.start >= end:
            continue
        for sentence in sentences(match, block, index):
            if sentence.start < end and sentence.end > start:
                first = sentence.start if first is None else first
                last = sentence.end
    if first is None or last is None:
        return start, end
    return min(first, start), max(last, end)


def node_from_span(
    graph: GraphDocument,
    span: str | Found,
    label: str,
    name: str = "",
    *,
    author: str,
    made_at: str,
    reason: str = "",
) -> list[Correction]:
    """A node the extractor missed, named `name` (the span if empty), of kind `label`, with the sentence
    holding the span as its evidence: two corrections, the node and its document's mention of it
    (where a node's evidence lives), both for that document. `span` is typed words (found where they
    first occur) or a place found already (span_at: the sentence it was selected in)."""
    if not author.strip():
        raise Refused("author")
    if label not in NEW_NODE_LABELS:
        raise Refused("label")
    found = span if isinstance(span, Found) else find_span(graph, span)
    written = span.words if isinstance(span, Found) else span.strip()
    name = (name or written).strip()
    new_id = node_id(label, name)
    if new_id in graph.node_by_id():
        raise Refused("node_exists", name=name)
    properties = {"description": found.sentence.text} if label == "Mechanism" else {}
    node = Node(new_id, label, name, [written] if written != name else [], properties)
    mention = Edge("MENTIONS", found.document, new_id, [found.sentence])
    # Made against the upload with the new node in it, so each correction names its document.
    with_node = GraphDocument(list(graph.documents), [*graph.nodes, node], [*graph.edges, mention])
    added = make_correction(with_node, "add_node", Target(node=new_id), {"node": node.to_dict()}, author=author,
                            made_at=made_at, reason=reason)  # fmt: skip
    mentioned = make_correction(with_node, "add_edge", Target(edge=mention.key), {"edge": mention.to_dict()},
                                author=author, made_at=stamp([added], made_at), reason=reason)  # fmt: skip
    return [added, mentioned]


def edge_from_span(
    graph: GraphDocument,
    span: str | Found,
    edge_type: str,
    source: str,
    target: str,
    *,
    author: str,
    made_at: str,
    reason: str = "",
) -> Correction:
    """A relationship the extractor missed between two of the upload's nodes, its evidence the sentence
    holding the span (typed words where they first occur, or a place found already, as node_from_span
    takes it). An adoption added so is an adoption (stage "adopted"); mark it planned after."""
    if not author.strip():
        raise Refused("author")
    labels = {n.id: n.label for n in graph.nodes}
    if edge_type not in ADDABLE_EDGES or (labels.get(source), labels.get(target)) not in EDGE_TYPES[edge_type]:
        raise Refused("ends")
    if source == target:
        raise Refused("ends")
    found = span if isinstance(span, Found) else find_span(graph, span)
    properties = {"stage": "adopted"} if edge_type == "ADOPTS" else {}
    edge = Edge(edge_type, source, target, [found.sentence], properties)
    return make_correction(graph, "add_edge", Target(edge=edge.key), {"edge": edge.to_dict()}, author=author,
                           made_at=made_at, reason=reason)  # fmt: skip


# --------------------------------------------------------------------------- the session's corrections


def review(graph: GraphDocument, kept: Sequence[Correction], made: Sequence[Correction]) -> Reviewed:
    """`graph` with the store's `kept` corrections, then the session's `made` ones, applied in order
    (as the load service applies them), and what became of each."""
    mine = {c.id for c in made}
    wanted = list({c.id: c for c in [*kept, *made]}.values())
    outcome = apply_corrections(graph, wanted)
    states = {c.id: "applied" for c in outcome.applied}
    states |= {c.id: "missing" for c in outcome.missing}
    states |= {c.id: "elsewhere" for c in outcome.elsewhere}
    kept_applied = tuple(c for c in outcome.applied if c.id not in mine)
    made_states = tuple((c, states.get(c.id, "missing")) for c in {c.id: c for c in made}.values())
    return Reviewed(outcome.graph, kept_applied, made_states, outcome.dropped)


def stamp(made: Sequence[Correction], at: str) -> str:
    """The time to stamp the next correction with: `at` (UTC, ISO 8601), or a microsecond after the
    session's last correction when `at` is not later. A store keeps corrections oldest first (by
    time), and a load applies them in that order, so corrections made within one second (a node and
    its mention, a rename and a re-typing of the renamed node) must not tie."""
    try:
        wanted = datetime.fromisoformat(at)
        last = max((datetime.fromisoformat(c.made_at) for c in made), default=None)
    except ValueError:
        return at  # a time written another way: left as given
    if last is not None and wanted <= last:
        wanted = last + timedelta(microseconds=1)
    return wanted.isoformat(timespec="seconds" if wanted.microsecond == 0 else "microseconds")


def without(made: Iterable[Correction], correction_id: str) -> list[Correction]:
    """The session's corrections but one; taking back an added node takes back its mention too."""
    made = list(made)
    gone = next((c for c in made if c.id == correction_id), None)
    if gone is None:
        return made
    companion = ("MENTIONS", gone.target.node) if gone.action == "add_node" else None
    return [c for c in made if c.id != correction_id and not (
        companion is not None and c.action == "add_edge" and c.target.edge is not None
        and (c.target.edge[0], c.target.edge[2]) == companion)]  # fmt: skip


# --------------------------------------------------------------------------- helpers


def _node_order(node: Node) -> tuple[int, str, str]:
    """By kind, then zones down their chains (a zone's id is its chain), other nodes by name."""
    return NODE_LABELS.index(node.label), node.id if node.label == "Zone" else node.name, node.id


def _name(nodes: dict[str, Node], node: str) -> str:
    held = nodes.get(node)
    return held.name if held is not None else node


def _node_evidence(graph: GraphDocument, node: str) -> str:
    """A node's first evidence: its document's mention of it, else a relationship's evidence."""
    mentions = [e for e in graph.edges if e.type == "MENTIONS" and e.target == node and e.evidence]
    others = [e for e in graph.edges if e.type != "MENTIONS" and node in (e.source, e.target) and e.evidence]
    for edge in [*mentions, *others]:
        return edge.evidence[0].text
    return ""


def _is_markdown(document: Document) -> bool:
    return document.path.lower().endswith(_MARKDOWN_SUFFIXES)
