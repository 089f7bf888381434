"""Correcting a stored fact where a researcher reads it (the node page, the similar-zones page): which
actions fit a node and each of its relationships, the stored nodes a node can be merged into or a
relationship re-attached to, the (action, target, value) the widgets describe, and the node the page
shows once the correction is made.

Everything here returns data; the page renders and words it, and writes through
govkg/services/correcting.py. A reader's mistake the page should explain (no name given, the same
name, no node chosen) raises `Refused` with a message code (`correct.refused.<code>` in
govkg/i18n.py)."""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from govkg.app.search import NodeEntry
from govkg.errors import CorrectionError
from govkg.graph.corrections import RETYPABLE, Target
from govkg.graph.model import EDGE_TYPES, Edge, GraphDocument, Node, node_id
from govkg.graph.store import GraphStore

__all__ = [
    "CORRECTABLE_LABELS",
    "ENDS",
    "Choice",
    "Planned",
    "Refused",
    "adopted_by",
    "adoption_rejection",
    "became",
    "choices_for",
    "edge_choice",
    "edge_key_text",
    "mechanism_rejection",
    "merge_candidates",
    "node_choice",
    "planned",
    "reattach_candidates",
    "shared_mechanism_offers",
]

# The nodes a reader corrects on the node page (categories and themes come from the taxonomy).
CORRECTABLE_LABELS: tuple[str, ...] = ("Zone", "Mechanism", "Organisation", "Policy")
# Relationships the store computes (SIMILAR_TO) or that only say where a node is written (MENTIONS).
_NOT_CORRECTED = frozenset({"MENTIONS", "SIMILAR_TO"})
ENDS: tuple[str, str] = ("source", "target")
NODE_KEY = "node"  # the key of the node itself among a page's choices
ADOPTED_CYPHER = "MATCH (z:Zone)-[:ADOPTS]->(m:Mechanism) WHERE z.id = $zone RETURN m.id AS id"


class Refused(CorrectionError):
    """A correction the page refuses, with the code of its message (`correct.refused.<code>`)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Choice:
    """A fact a reader can correct: the node itself, or one of its relationships, with the actions
    that fit it and what each needs to choose from (aliases to split out, labels to re-type to, nodes
    to merge into, and for each end of a relationship the nodes it can be moved to)."""

    key: str  # NODE_KEY for the node, else the relationship's type, source and target joined by tabs
    target: Target
    kind: str  # the node's label, or the relationship's type
    actions: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    merge_into: tuple[str, ...] = ()
    reattach_to: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def is_edge(self) -> bool:
        return self.target.edge is not None


@dataclass(frozen=True)
class Planned:
    """A correction the widgets describe, ready for govkg.services.correcting.correct."""

    action: str
    target: Target
    value: dict[str, Any]


def edge_key_text(key: tuple[str, str, str]) -> str:
    """A relationship's choice key (ids hold no whitespace: node_id drops it)."""
    return "\t".join(key)


Ordered = dict[str, tuple[tuple[str, str], ...]]  # label -> (name, id) of its stored nodes, by name


def ordered_by_label(entries: Sequence[NodeEntry]) -> Ordered:
    """The stored nodes of each label by name: sorted once for all the candidates a form offers (at
    100,000 nodes sorting them again for each relationship took seconds)."""
    grouped: dict[str, list[tuple[str, str]]] = {}
    for entry in entries:
        grouped.setdefault(entry.label, []).append((entry.name, entry.id))
    return {label: tuple(sorted(found)) for label, found in grouped.items()}


def merge_candidates(entries: Sequence[NodeEntry], node: Node, ordered: Ordered | None = None) -> tuple[str, ...]:
    """Ids of the stored nodes `node` can be merged into: the others of its label, by name."""
    ordered = ordered_by_label(entries) if ordered is None else ordered
    return tuple(i for _, i in ordered.get(node.label, ()) if i != node.id)


def reattach_candidates(entries: Sequence[NodeEntry], edge: tuple[str, str, str], labels: dict[str, str],
                        ordered: Ordered | None = None) -> dict[str, tuple[str, ...]]:  # fmt: skip
    """Where a relationship can be moved: for each end, the stored nodes of a kind that end can be
    (another zone, parent zone, mechanism, category…), never one of its own ends, by name. `labels`
    gives the labels of the relationship's ends."""
    ordered = ordered_by_label(entries) if ordered is None else ordered
    kind, source, target = edge
    pairs = EDGE_TYPES.get(kind, ())
    found: dict[str, tuple[str, ...]] = {}
    for end, other in (("source", target), ("target", source)):
        other_label = labels.get(other)
        fitting = [label for label in ordered
                   if ((label, other_label) if end == "source" else (other_label, label)) in pairs]  # fmt: skip
        named = heapq.merge(*(ordered[label] for label in fitting))
        found[end] = tuple(i for _, i in named if i not in (source, target))
    return found


def node_choice(node: Node, entries: Sequence[NodeEntry], ordered: Ordered | None = None) -> Choice | None:
    """The node itself as a fact to correct, or None for a kind the reader does not correct here."""
    if node.label not in CORRECTABLE_LABELS:
        return None
    actions = ["reject", "rename"]
    labels = tuple(lb for lb in RETYPABLE if lb != node.label) if node.label in RETYPABLE else ()
    if labels:
        actions.append("retype")
    into = merge_candidates(entries, node, ordered)
    if into:
        actions.append("merge")
    aliases = tuple(a for a in node.aliases if a != node.name) if node.label != "Zone" else ()
    if aliases:
        actions.append("split_alias")
    return Choice(NODE_KEY, Target(node=node.id), node.label, tuple(actions), aliases, labels, into)


def edge_choice(edge: Edge, entries: Sequence[NodeEntry], labels: dict[str, str],
                ordered: Ordered | None = None) -> Choice | None:  # fmt: skip
    """One relationship as a fact to correct, or None for one the store computes or a mention."""
    if edge.type in _NOT_CORRECTED:
        return None
    actions = ["reject"]
    moves = reattach_candidates(entries, edge.key, labels, ordered)
    moves = {end: ids for end, ids in moves.items() if ids}
    if moves:
        actions.append("reattach")
    if edge.type == "ADOPTS" and edge.properties.get("stage") != "planned":
        actions.append("mark_planned")
    return Choice(edge_key_text(edge.key), Target(edge=edge.key), edge.type, tuple(actions), reattach_to=moves)


def choices_for(node: Node, around: GraphDocument, entries: Sequence[NodeEntry]) -> list[Choice]:
    """What a reader can correct on a node's page: the node, then each of its relationships in
    `around` (its neighbourhood) by type and the other end's name."""
    labels = {e.id: e.label for e in entries} | {n.id: n.label for n in around.nodes}
    names = {e.id: e.name for e in entries}
    found: list[Choice] = []
    ordered = ordered_by_label(entries)
    itself = node_choice(node, entries, ordered)
    if itself is not None:
        found.append(itself)
    order = list(EDGE_TYPES)
    mine = [e for e in around.edges if node.id in (e.source, e.target)]
    mine.sort(key=lambda e: (order.index(e.type) if e.type in order else len(order),
                             names.get(e.target if e.source == node.id else e.source, ""), e.key))  # fmt: skip
    seen: set[tuple[str, str, str]] = set()
    for edge in mine:
        if edge.key in seen:
            continue
        seen.add(edge.key)
        choice = edge_choice(edge, entries, labels, ordered)
        if choice is not None:
            found.append(choice)
    return found


def planned(choice: Choice, action: str, *, name: str = "", label: str = "", into: str = "", alias: str = "",
            end: str = "", to: str = "", current_name: str = "") -> Planned:  # fmt: skip
    """The correction the widgets describe: `action` on `choice`, with the new name (rename), label
    (retype), node to merge into (merge), alias (split_alias) or end and node (reattach). Refused
    when a value is missing or does not fit."""
    if action not in choice.actions:
        raise Refused("action")
    value: dict[str, Any] = {}
    if action == "rename":
        if not name.strip():
            raise Refused("name")
        if name.strip() == current_name:
            raise Refused("same_name")
        value = {"name": name.strip()}
    elif action == "retype":
        if label not in choice.labels:
            raise Refused("label")
        value = {"label": label}
    elif action == "merge":
        if into not in choice.merge_into:
            raise Refused("into")
        value = {"into": into}
    elif action == "split_alias":
        if alias not in choice.aliases:
            raise Refused("alias")
        value = {"alias": alias}
    elif action == "reattach":
        if end not in choice.reattach_to or to not in choice.reattach_to[end]:
            raise Refused("reattach")
        value = {end: to}
    return Planned(action, choice.target, value)


def became(done: Planned, node: Node) -> str | None:
    """The node the page shows once `done` is made on `node`'s page: the node the corrected one became
    (renamed or re-typed: its id follows its name and label, a zone keeps its id; merged: the one it
    went into), the same node when a relationship or an alias was corrected, None when it was rejected."""
    if done.target.edge is not None or done.target.node != node.id:
        return node.id
    if done.action == "reject":
        return None
    if done.action == "rename":
        return node.id if node.label == "Zone" else node_id(node.label, str(done.value["name"]))
    if done.action == "retype":
        return node_id(str(done.value["label"]), node.name)
    if done.action == "merge":
        return str(done.value["into"])
    return node.id


def adoption_rejection(zone: str, mechanism: str) -> Planned:
    """Rejecting a zone's adoption of a mechanism (the similar-zones page, beside a shared mechanism)."""
    return Planned("reject", Target(edge=("ADOPTS", zone, mechanism)), {})


def mechanism_rejection(mechanism: str) -> Planned:
    """Rejecting a mechanism itself (the similar-zones page): it is no mechanism, and leaves the graph
    with its relationships."""
    return Planned("reject", Target(node=mechanism), {})


def shared_mechanism_offers(mechanism: str, zones: Sequence[str], adopts: Mapping[str, frozenset[str]]
                            ) -> list[Planned]:  # fmt: skip
    """What a reader can reject beside a mechanism two compared zones share: each zone's own adoption
    of it (`adopts`: the mechanisms each zone adopts itself; a zone that has it only as a part of
    another mechanism has no adoption to reject), then the mechanism itself."""
    offers = [adoption_rejection(zone, mechanism) for zone in zones if mechanism in adopts.get(zone, frozenset())]
    offers.append(mechanism_rejection(mechanism))
    return offers


def adopted_by(store: GraphStore, zone_id: str) -> frozenset[str]:
    """The mechanisms a zone adopts itself (an ADOPTS relationship, which a reader can reject), as
    opposed to those it has as parts of them, which similarity counts too."""
    return frozenset(str(r["id"]) for r in store.read(ADOPTED_CYPHER, {"zone": zone_id}).records())
