"""A researcher's corrections to what the extractor read, kept as data beside the machine's reading.

A correction names an action, the fact it acts on (a node by id, or a relationship by type, source
and target), the new value, who made it and when, an optional reason, what the extractor had said
(`before`) and the documents that fact was read from. `apply_corrections` applies a list, in order,
to a graph document: the preview of an upload, or a document extracted again, so a re-load
re-applies the corrections instead of bringing rejected facts back. A correction whose fact is not
in a graph that holds its documents is reported (`Outcome.missing`), never dropped without a word.

The actions:
- `reject`: a node (with its relationships) or a relationship is not a fact;
- `rename`: a node's name; its id follows the name, as every id does, and the old name stays an
  alias, since the text does write it (a zone keeps its id: a zone's id is its chain of units);
- `retype`: a node is another kind (Mechanism, Organisation or Policy); a zone's link to it
  becomes the new kind's link (ADOPTS, HAS_ORGANISATION, IMPLEMENTS); a link the new kind cannot
  have is dropped and reported (`Outcome.dropped`); "not an entity" is `reject`;
- `reattach`: a relationship moves to another source or target (another zone, parent zone or
  category), its evidence kept;
- `mark_planned`: an adoption is a plan (ADOPTS stage `planned`: stored, but no adoption);
- `merge`: two nodes are one thing: names and aliases united, relationships and evidence moved;
- `split_alias`: an alias names another thing: it leaves the node as a node of its own;
- `add_node`, `add_edge`: what the extractor missed, with the evidence the researcher selected.

Pure: reads and writes nothing. Times are given by the caller (UTC, ISO 8601).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast, get_args

from govkg.errors import CorrectionError
from govkg.graph.model import EDGE_TYPES, Edge, GraphDocument, Node, node_id

__all__ = [
    "ACTIONS",
    "RETYPABLE",
    "Action",
    "Correction",
    "Imported",
    "Outcome",
    "Target",
    "apply_corrections",
    "corrections_from_json",
    "corrections_to_json",
    "make_correction",
    "read_corrections_file",
    "with_joined_ids",
    "working_copy",
    "write_corrections_file",
]

Action = Literal[
    "reject", "rename", "retype", "reattach", "mark_planned", "merge", "split_alias", "add_node", "add_edge"
]
ACTIONS: tuple[str, ...] = get_args(Action)
# The kinds a node can be re-typed to, and the relationship that ties a zone to each.
RETYPABLE: dict[str, str] = {"Mechanism": "ADOPTS", "Organisation": "HAS_ORGANISATION", "Policy": "IMPLEMENTS"}
_NODE_ACTIONS = frozenset({"rename", "retype", "merge", "split_alias", "add_node"})
_EDGE_ACTIONS = frozenset({"reattach", "mark_planned", "add_edge"})
FORMAT = "govkg-corrections/1"  # the first key of an exported file, checked on import


@dataclass(frozen=True)
class Target:
    """The fact a correction acts on: a node id, or a relationship (type, source id, target id)."""

    node: str = ""
    edge: tuple[str, str, str] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"node": self.node} if self.edge is None else {"edge": list(self.edge)}

    @classmethod
    def from_dict(cls, data: Any, where: str) -> Target:
        if isinstance(data, dict) and isinstance(data.get("node"), str) and data["node"]:
            return cls(node=data["node"])
        edge = data.get("edge") if isinstance(data, dict) else None
        if isinstance(edge, list) and len(edge) == 3 and all(isinstance(p, str) and p for p in edge):
            return cls(edge=(edge[0], edge[1], edge[2]))
        raise CorrectionError(f"{where}: a target is {{\"node\": id}} or {{\"edge\": [type, source, target]}}")

    def __str__(self) -> str:
        return self.node if self.edge is None else f"({self.edge[1]})-[:{self.edge[0]}]->({self.edge[2]})"


@dataclass(frozen=True)
class Correction:
    action: Action
    target: Target
    value: dict[str, Any]
    author: str
    made_at: str  # UTC, ISO 8601
    reason: str = ""
    before: dict[str, Any] = field(default_factory=dict)  # the node or relationship as extracted
    documents: tuple[str, ...] = ()  # the documents the corrected fact was read from

    @property
    def id(self) -> str:
        """Stable over export and import: a digest of what was done, by whom and when."""
        said = json.dumps([self.action, self.target.to_dict(), self.value, self.author, self.made_at],
                          ensure_ascii=False, sort_keys=True)  # fmt: skip
        return "correction:" + hashlib.sha256(said.encode("utf-8")).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "action": self.action,
            "target": self.target.to_dict(),
            "value": self.value,
            "author": self.author,
            "made_at": self.made_at,
            "reason": self.reason,
            "before": self.before,
            "documents": list(self.documents),
        }

    @classmethod
    def from_dict(cls, data: Any, where: str) -> Correction:
        if not isinstance(data, dict):
            raise CorrectionError(f"{where}: a correction is an object")
        action = data.get("action")
        if action not in ACTIONS:
            raise CorrectionError(f"{where}: unknown action {action!r}; use one of {', '.join(ACTIONS)}")
        for key in ("author", "made_at"):
            if not isinstance(data.get(key), str) or not data[key]:
                raise CorrectionError(f"{where}: `{key}` is missing")
        value, before = data.get("value") or {}, data.get("before") or {}
        if not isinstance(value, dict) or not isinstance(before, dict):
            raise CorrectionError(f"{where}: `value` and `before` are objects")
        documents = data.get("documents") or []
        if not isinstance(documents, list) or not all(isinstance(d, str) for d in documents):
            raise CorrectionError(f"{where}: `documents` is a list of document ids")
        return cls(action, Target.from_dict(data.get("target"), where), value, data["author"], data["made_at"],
                   str(data.get("reason") or ""), before, tuple(documents))  # fmt: skip


@dataclass(frozen=True)
class Outcome:
    """A graph with corrections applied: which applied, which found their fact missing from a graph
    that holds its documents, which concern other documents, and relationships a re-typing dropped."""

    graph: GraphDocument
    applied: tuple[Correction, ...] = ()
    missing: tuple[Correction, ...] = ()
    elsewhere: tuple[Correction, ...] = ()
    dropped: tuple[Edge, ...] = ()


@dataclass
class Imported:
    """What taking in a corrections file did: applied to stored facts now, kept for the next load of
    documents the store does not hold, found nothing stored to correct (kept all the same), and kept
    already (left as they are)."""

    applied: list[Correction] = field(default_factory=list)
    for_later: list[Correction] = field(default_factory=list)
    missing: list[Correction] = field(default_factory=list)
    already: list[Correction] = field(default_factory=list)


def make_correction(
    graph: GraphDocument,
    action: str,
    target: Target,
    value: dict[str, Any] | None = None,
    *,
    author: str,
    made_at: str,
    reason: str = "",
) -> Correction:
    """A correction of a fact of `graph`, with what the extractor said of it and its documents.
    CorrectionError, saying what to do, when the action does not fit the fact or the value."""
    if action not in ACTIONS:
        raise CorrectionError(f"unknown action {action!r}; use one of {', '.join(ACTIONS)}")
    if not author.strip():
        raise CorrectionError("a correction needs an author: set your name in the app or GOVKG_USER")
    correction = Correction(cast(Action, action), target, dict(value or {}), author.strip(), made_at, reason.strip())
    _check_shape(correction)
    work = _Working(graph)
    if action == "add_node":
        new_node = Node.from_dict(correction.value["node"])
        return _with(correction, {}, _node_documents(work, new_node.id))
    if action == "add_edge":
        edge = Edge.from_dict(correction.value["edge"])
        return _with(correction, {}, tuple(sorted({ev.document for ev in edge.evidence})))
    if target.edge is not None:
        held = work.edges.get(target.edge)
        if held is None:
            raise CorrectionError(f"no relationship {target} in this graph; correct one that is there")
        return _with(correction, held.to_dict(), tuple(sorted({ev.document for ev in held.evidence})))
    node = work.nodes.get(target.node)
    if node is None:
        raise CorrectionError(f"no node {target.node!r} in this graph; correct one that is there")
    return _with(correction, node.to_dict(), _node_documents(work, node.id))


def apply_corrections(graph: GraphDocument, corrections: Iterable[Correction]) -> Outcome:
    """`graph` with `corrections` applied in order (see the module docstring)."""
    work = _Working(graph)
    held_documents = {d.id for d in graph.documents}
    applied: list[Correction] = []
    missing: list[Correction] = []
    elsewhere: list[Correction] = []
    for correction in corrections:
        if correction.documents and not held_documents.intersection(correction.documents):
            elsewhere.append(correction)
        elif work.apply(correction):
            applied.append(correction)
        else:
            missing.append(correction)
    return Outcome(work.result(), tuple(applied), tuple(missing), tuple(elsewhere), tuple(work.dropped))


def with_joined_ids(correction: Correction, joined: Mapping[str, str]) -> Correction:
    """`correction` naming, for each node a load joined into another (`joined`: id -> the id it joined,
    from loaders/resolution.py), the node the store holds: a correction made on an extracted graph,
    applied to the stored facts. The correction itself is unchanged when it names no joined node."""
    if not joined:
        return correction

    def held(node: str) -> str:
        return joined.get(node, node)

    edge = correction.target.edge
    target = Target(node=held(correction.target.node)) if edge is None else Target(
        edge=(edge[0], held(edge[1]), held(edge[2])))  # fmt: skip
    value = dict(correction.value)
    for key in ("into", "source", "target"):
        if isinstance(value.get(key), str):
            value[key] = held(value[key])
    if isinstance(value.get("edge"), dict):
        value["edge"] = value["edge"] | {k: held(str(value["edge"].get(k, ""))) for k in ("source", "target")}
    if target == correction.target and value == correction.value:
        return correction
    return Correction(correction.action, target, value, correction.author, correction.made_at, correction.reason,
                      correction.before, correction.documents)  # fmt: skip


def working_copy(graph: GraphDocument) -> _Working:
    """A copy of `graph` to apply corrections to one by one (`apply` says whether each found its
    fact; `result()` is the corrected graph): how a store corrects the facts around one in place."""
    return _Working(graph)


def corrections_to_json(corrections: Sequence[Correction]) -> str:
    """A file a team shares, or that moves corrections between stores."""
    data = {"format": FORMAT, "corrections": [c.to_dict() for c in corrections]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def corrections_from_json(text: str, where: str) -> list[Correction]:
    """The corrections of an exported file; CorrectionError naming the file and the entry otherwise."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as err:
        raise CorrectionError(f"{where}: not a corrections file ({type(err).__name__})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("corrections"), list):
        raise CorrectionError(f"{where}: not a corrections file (expected \"format\": \"{FORMAT}\"); "
                              "export one with `govkg corrections export`")  # fmt: skip
    found = []
    for i, entry in enumerate(data["corrections"], start=1):
        correction = Correction.from_dict(entry, f"{where}, correction {i}")
        _check_shape(correction)
        if isinstance(entry, dict) and entry.get("id") not in (None, correction.id):
            raise CorrectionError(f"{where}, correction {i}: its id does not match its content; it was edited")
        found.append(correction)
    return found


def read_corrections_file(path: Path) -> list[Correction]:
    """The corrections of a file written by `corrections_to_json`, read with the checks every case
    file gets (missing, not a regular file, too large, empty, binary: InputError naming the file);
    CorrectionError when it is not such a file."""
    from govkg.loaders.reading import read_text

    return corrections_from_json(read_text(path), str(path))


def write_corrections_file(path: Path, corrections: Sequence[Correction]) -> None:
    """Write the file whole or not at all: to a scratch file beside it, renamed into place."""
    scratch = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        scratch.write_text(corrections_to_json(corrections), encoding="utf-8")
        os.replace(scratch, path)
    except OSError as err:
        scratch.unlink(missing_ok=True)
        raise CorrectionError(f"{path}: cannot be written ({err.strerror or type(err).__name__})") from None


# --------------------------------------------------------------------------- checks


def _check_shape(c: Correction) -> None:
    """The target and value each action needs."""
    if c.action in _NODE_ACTIONS and c.target.edge is not None:
        raise CorrectionError(f"`{c.action}` acts on a node, not a relationship")
    if c.action in _EDGE_ACTIONS and c.target.edge is None:
        raise CorrectionError(f"`{c.action}` acts on a relationship, not a node")
    needs = {"rename": "name", "retype": "label", "merge": "into", "split_alias": "alias", "add_node": "node",
             "add_edge": "edge"}  # fmt: skip
    key = needs.get(c.action)
    if key is not None and not c.value.get(key):
        raise CorrectionError(f"`{c.action}` needs `{key}`")
    if c.action == "retype" and c.value["label"] not in RETYPABLE:
        raise CorrectionError(f"a node can be re-typed to {', '.join(RETYPABLE)}; to say it is no entity, reject it")
    if c.action == "reattach" and not (c.value.get("source") or c.value.get("target")):
        raise CorrectionError("`reattach` needs a new `source` or `target`")
    if c.action == "mark_planned" and c.target.edge is not None and c.target.edge[0] != "ADOPTS":
        raise CorrectionError("only an adoption (ADOPTS) can be marked planned")
    if c.action in ("add_node", "add_edge"):
        try:
            made = Node.from_dict(c.value["node"]) if c.action == "add_node" else Edge.from_dict(c.value["edge"])
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            raise CorrectionError(f"`{c.action}`: the new fact is incomplete ({type(err).__name__}: {err})") from None
        wanted = made.id if isinstance(made, Node) else made.key
        if (c.target.node if isinstance(made, Node) else c.target.edge) != wanted:
            raise CorrectionError(f"`{c.action}`: the target must be the new fact itself")


def _with(c: Correction, before: dict[str, Any], documents: tuple[str, ...]) -> Correction:
    return Correction(c.action, c.target, c.value, c.author, c.made_at, c.reason, before, documents)


def _node_documents(work: _Working, node: str) -> tuple[str, ...]:
    """The documents a node was read from: those mentioning it, or giving evidence of its links."""
    found = {e.source for e in work.edges.values() if e.type == "MENTIONS" and e.target == node}
    found |= {ev.document for e in work.edges.values() if node in (e.source, e.target) for ev in e.evidence}
    return tuple(sorted(found))


# --------------------------------------------------------------------------- applying


class _Working:
    """A copy of a graph the corrections change; edges keyed by (type, source, target)."""

    def __init__(self, graph: GraphDocument) -> None:
        copy = GraphDocument().merged(graph)  # fresh nodes and edges, duplicates united
        self.documents = copy.documents
        self.labels = {d.id: "Document" for d in copy.documents}
        self.nodes: dict[str, Node] = {n.id: n for n in copy.nodes}
        self.edges: dict[tuple[str, str, str], Edge] = {e.key: e for e in copy.edges}
        self.dropped: list[Edge] = []

    def result(self) -> GraphDocument:
        return GraphDocument(list(self.documents), list(self.nodes.values()), list(self.edges.values()))

    def label(self, node: str) -> str | None:
        held = self.nodes.get(node)
        return held.label if held is not None else self.labels.get(node)

    def apply(self, c: Correction) -> bool:
        """Apply one correction; False when its fact (or a node it names) is not here."""
        handler = getattr(self, f"_{c.action}")
        done: bool = handler(c)
        return done

    # -- nodes

    def _reject(self, c: Correction) -> bool:
        if c.target.edge is not None:
            return self.edges.pop(c.target.edge, None) is not None
        if self.nodes.pop(c.target.node, None) is None:
            return False
        for key in [k for k in self.edges if c.target.node in (k[1], k[2])]:
            del self.edges[key]
        return True

    def _rename(self, c: Correction) -> bool:
        node = self.nodes.get(c.target.node)
        if node is None:
            return False
        name = str(c.value["name"]).strip()
        if name == node.name:
            return True
        aliases = [a for a in [*node.aliases, node.name] if a != name]
        renamed = Node(node.id, node.label, name, list(dict.fromkeys(aliases)), dict(node.properties))
        if node.label == "Zone":
            self.nodes[node.id] = renamed
            return True
        renamed.id = node_id(node.label, name)
        self._replace(node.id, renamed)
        return True

    def _retype(self, c: Correction) -> bool:
        node = self.nodes.get(c.target.node)
        if node is None:
            return False
        label = str(c.value["label"])
        if label == node.label:
            return True
        retyped = Node(node_id(label, node.name), label, node.name, list(node.aliases), dict(node.properties))
        old_link = RETYPABLE.get(node.label)
        self._replace(node.id, retyped, relink=(old_link, RETYPABLE[label]) if old_link else None)
        return True

    def _merge(self, c: Correction) -> bool:
        node, into = self.nodes.get(c.target.node), self.nodes.get(str(c.value["into"]))
        if node is None or into is None or node.label != into.label:
            return False
        if node.id == into.id:
            return True
        # United as a load unites two readings of one node: `into` keeps its name, gains the other's.
        self._replace(node.id, _united(into, Node(into.id, into.label, node.name, node.aliases, node.properties)))
        return True

    def _split_alias(self, c: Correction) -> bool:
        node = self.nodes.get(c.target.node)
        alias = str(c.value["alias"])
        if node is None or alias not in node.aliases or node.label == "Zone":
            return False
        node.aliases.remove(alias)
        new_id = node_id(node.label, alias)
        self.nodes.setdefault(new_id, Node(new_id, node.label, alias))
        return True

    def _add_node(self, c: Correction) -> bool:
        node = Node.from_dict(c.value["node"])
        held = self.nodes.get(node.id)
        self.nodes[node.id] = node if held is None else _united(held, node)
        return True

    # -- relationships

    def _reattach(self, c: Correction) -> bool:
        assert c.target.edge is not None
        edge = self.edges.get(c.target.edge)
        if edge is None:
            return False
        source, target = str(c.value.get("source") or edge.source), str(c.value.get("target") or edge.target)
        if (self.label(source), self.label(target)) not in EDGE_TYPES[edge.type]:
            return False  # the new end is missing, or of a kind this relationship cannot reach
        del self.edges[edge.key]
        self._put(Edge(edge.type, source, target, list(edge.evidence), dict(edge.properties)))
        return True

    def _mark_planned(self, c: Correction) -> bool:
        assert c.target.edge is not None
        edge = self.edges.get(c.target.edge)
        if edge is None:
            return False
        edge.properties["stage"] = "planned"
        return True

    def _add_edge(self, c: Correction) -> bool:
        edge = Edge.from_dict(c.value["edge"])
        if (self.label(edge.source), self.label(edge.target)) not in EDGE_TYPES.get(edge.type, ()):
            return False
        self._put(edge)
        return True

    # -- helpers

    def _put(self, edge: Edge) -> None:
        """Add a relationship, united with one already there as a load unites them (evidence joined)."""
        held = self.edges.get(edge.key)
        united = GraphDocument([], [], [held, edge]).merged(GraphDocument()).edges[0] if held is not None else edge
        self.edges[edge.key] = united

    def _replace(self, old: str, new: Node, relink: tuple[str, str] | None = None) -> None:
        """Node `old` becomes `new` (united with a node already holding new's id); its relationships
        follow, a zone's link of kind relink[0] becoming relink[1]; those the new kind cannot have
        are dropped, and a relationship that would join the node to itself goes."""
        del self.nodes[old]
        held = self.nodes.get(new.id)
        if held is not None and held is not new:
            new = _united(held, new)
        self.nodes[new.id] = new
        for key in [k for k in self.edges if old in (k[1], k[2])]:
            edge = self.edges.pop(key)
            source = new.id if edge.source == old else edge.source
            target = new.id if edge.target == old else edge.target
            kind = relink[1] if relink is not None and edge.type == relink[0] and target == new.id else edge.type
            moved = Edge(kind, source, target, list(edge.evidence), dict(edge.properties))
            if kind != edge.type and kind != "ADOPTS":
                moved.properties.pop("stage", None)  # an adoption's stage belongs to adoptions
            if source == target:
                continue
            if (self.label(source), self.label(target)) not in EDGE_TYPES[kind]:
                self.dropped.append(moved)
                continue
            self._put(moved)


def _united(held: Node, new: Node) -> Node:
    """One node of two with the same id, as GraphDocument.merged unites them (aliases joined)."""
    return GraphDocument([], [held, new], []).merged(GraphDocument()).nodes[0]
