"""Correcting stored facts in place, written once over the engine primitives: the store's side of
govkg/services/correcting.py.

A correction is applied to the stored facts around it (its nodes, every node one relationship away,
the documents mentioning them, and the relationships among all of these): the same `_Working` copy
that applies corrections to an extracted graph (graph/corrections.py) applies it there, and the
difference between before and after is written exactly (removed facts deleted, changed and new ones
written whole, not merged). What it changed, before and after, is kept with the correction, so an
undo puts back exactly what was there; an undo whose facts changed since (a later correction, a load
adding evidence) is refused rather than losing the later change. Everything runs in the caller's
one transaction.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from govkg.errors import CorrectionError
from govkg.graph.corrections import Correction, Imported, Target, make_correction, with_joined_ids, working_copy
from govkg.graph.derived import keys_of, refresh_derived
from govkg.graph.merge import merge_edge_row, merge_node_row
from govkg.graph.model import Edge, Evidence, GraphDocument, Node
from govkg.graph.schema import CORRECTION_TABLE, edge_columns, node_columns
from govkg.graph.store import WriteSummary
from govkg.graph.store_algorithms import subgraph
from govkg.graph.store_primitives import EngineStatements, batches

Mark = tuple[str, str, int, int]  # a piece of evidence: document, sentence, start, end

__all__ = [
    "Changes",
    "apply_in_place",
    "correction_states",
    "import_in_place",
    "kept_corrections",
    "prepare_correction",
    "record_corrections",
    "revert_in_place",
    "set_undone",
    "settle_in_place",
]


@dataclass
class Changes:
    """Facts to delete and facts to write whole, by id or key; what a correction or its undo does."""

    removed_nodes: dict[str, str] = field(default_factory=dict)  # id -> label
    removed_edges: list[Edge] = field(default_factory=list)
    put_nodes: list[Node] = field(default_factory=list)
    put_edges: list[Edge] = field(default_factory=list)

    def any(self) -> bool:
        return bool(self.removed_nodes or self.removed_edges or self.put_nodes or self.put_edges)

    def counts(self) -> tuple[int, int]:
        """Nodes and relationships (other than a document's mentions) this changes."""
        edges = {e.key for e in [*self.removed_edges, *self.put_edges] if e.type != "MENTIONS"}
        return len(set(self.removed_nodes) | {n.id for n in self.put_nodes}), len(edges)


# --------------------------------------------------------------------- kept corrections


def _keep_query(tx: EngineStatements) -> str:
    return (
        f"UNWIND $rows AS r MERGE (c:{CORRECTION_TABLE} {{id: r.id}}) SET c.action = r.action, "
        f"c.author = r.author, c.made_at = r.made_at, c.body = r.body, c.undone_at = {tx.typed('undone_at', 'STRING')}"
    )


def _kept_rows(tx: EngineStatements) -> list[tuple[Correction, str, dict[str, Any] | None]]:
    """Each kept correction, oldest first, with when it was undone ("" if it stands) and what it
    changed in place (None while it has changed no stored facts: kept for documents not loaded yet,
    found nothing, or kept by a store written before loads applied corrections in place)."""
    if not tx.holds(CORRECTION_TABLE):
        return []
    rows = tx.run(f"MATCH (c:{CORRECTION_TABLE}) RETURN c.id, c.body, c.undone_at ORDER BY c.made_at, c.id", {})
    out = []
    for cid, body, undone in rows:
        data = json.loads(str(body))
        effect = data.get("effect") if isinstance(data, dict) else None
        out.append((Correction.from_dict(data, f"stored {cid}"), str(undone or ""), effect or None))
    return out


def correction_states(tx: EngineStatements) -> list[tuple[Correction, str, bool]]:
    """Each kept correction, oldest first, with when it was undone ("" if it stands) and whether it
    changed stored facts in place (so an undo puts them back at once)."""
    return [(c, undone, effect is not None) for c, undone, effect in _kept_rows(tx)]


def kept_corrections(tx: EngineStatements) -> list[tuple[Correction, str]]:
    """The corrections a store keeps, oldest first, each with when it was undone ("" if it stands)."""
    return [(c, undone) for c, undone, _ in _kept_rows(tx)]


def record_corrections(tx: EngineStatements, corrections: list[Correction]) -> WriteSummary:
    """Keep the corrections not kept yet, inside the open transaction (an undone one stays undone)."""
    held = {c.id for c, _ in kept_corrections(tx)}
    new = list({c.id: c for c in corrections if c.id not in held}.values())
    for batch in batches([_row(c, "", None) for c in new]):
        tx.run(_keep_query(tx), {"rows": batch})
    return WriteSummary(corrections_recorded=len(new))


def set_undone(tx: EngineStatements, correction: Correction, at: str, effect: dict[str, Any] | None) -> None:
    tx.run(_keep_query(tx), {"rows": [_row(correction, at, effect)]})


def _row(c: Correction, undone_at: str, effect: dict[str, Any] | None) -> dict[str, Any]:
    # The body is the correction as exported, plus (store-local, never exported) what it changed here.
    body = c.to_dict() | ({"effect": effect} if effect else {})
    return {"id": c.id, "action": c.action, "author": c.author, "made_at": c.made_at,
            "body": json.dumps(body, ensure_ascii=False, sort_keys=True), "undone_at": undone_at or None}  # fmt: skip


# --------------------------------------------------------------------- correcting


def prepare_correction(
    tx: EngineStatements, action: str, target: Target, value: dict[str, Any] | None, *, author: str,
    made_at: str, reason: str,
) -> Correction:  # fmt: skip
    """A correction of a stored fact, with what the store holds of it (`before`) and its documents."""
    around = surroundings(tx, _named_ids(target, dict(value or {})), neighbours=target.edge is None)
    return make_correction(around, action, target, value, author=author, made_at=made_at, reason=reason)


def apply_in_place(tx: EngineStatements, correction: Correction) -> tuple[Correction, Changes]:
    """Apply `correction` to the stored facts and keep it with what it changed. CorrectionError when its
    fact is not stored, or it would change nothing; nothing is written then."""
    if any(c.id == correction.id for c, _ in kept_corrections(tx)):
        raise CorrectionError(f"correction {correction.id} is kept already; `govkg corrections` lists it")
    changes = _changed_in_place(tx, correction)
    if changes is None:
        raise CorrectionError(f"`{correction.action}` found no stored {correction.target} to correct (or a node "
                              "it names is missing or of another kind); find the fact and correct it there")
    if not changes.any():
        raise CorrectionError(f"`{correction.action}` of {correction.target} changes nothing that is stored")
    return correction, changes


def import_in_place(tx: EngineStatements, corrections: list[Correction]) -> Imported:
    """Keep `corrections` (oldest first) and apply each whose documents the store holds to the stored
    facts, as if it had been made here, inside the open transaction. One kept already is left as it is."""
    return _take_in(tx, corrections, {}, skip={c.id for c, _ in kept_corrections(tx)})


def settle_in_place(tx: EngineStatements, corrections: list[Correction], joined: dict[str, str]) -> Imported:
    """After a load has written its documents, inside its transaction: apply each of `corrections`
    (oldest first; made on the extracted graph, or kept without having changed stored facts yet) to
    the stored facts and keep it with what it changed, so that an undo puts them back at once.
    `joined` maps each extracted node the load joined into a stored one (loaders/resolution.py).
    One kept with what it changed already, or undone, is left as it is."""
    return _take_in(tx, corrections, joined, skip={c.id for c, undone, effect in _kept_rows(tx) if undone or effect})


def _take_in(tx: EngineStatements, corrections: list[Correction], joined: dict[str, str], skip: set[str]) -> Imported:
    """Keep each correction not in `skip` and apply it to the stored facts where its documents are held
    (naming joined nodes as the store does); say which applied, wait for their documents, found nothing."""
    report = Imported()
    for correction in {c.id: c for c in corrections}.values():  # in the given order: oldest first
        if correction.id in skip:
            report.already.append(correction)
            continue
        documents = sorted(correction.documents)
        if documents and not tx.labels_of(documents):
            report.for_later.append(correction)
            tx.run(_keep_query(tx), {"rows": [_row(correction, "", None)]})
            continue
        changes = _changed_in_place(tx, correction, with_joined_ids(correction, joined))
        if changes is None or not changes.any():
            report.missing.append(correction)
            tx.run(_keep_query(tx), {"rows": [_row(correction, "", None)]})
        else:
            report.applied.append(correction)
    return report


def _changed_in_place(
    tx: EngineStatements, correction: Correction, applied_as: Correction | None = None
) -> Changes | None:
    """Apply `correction` (as `applied_as`, the same naming the stored nodes, when given) to the stored
    facts and keep it with what it changed; None (nothing written) when its fact is not stored."""
    correction_applied = applied_as or correction
    ids = _named_ids(correction_applied.target, correction_applied.value)
    applied = _applied(tx, correction_applied, ids)
    if applied is None:
        return None
    before, after = applied
    new_ids = {n.id for n in after.nodes} - {n.id for n in before.nodes}
    if tx.labels_of(sorted(new_ids)):  # a new name is one the store holds already: unite with it
        applied = _applied(tx, correction_applied, ids | set(tx.labels_of(sorted(new_ids))))
        if applied is None:
            return None
        before, after = applied
    changes = difference(before, after)
    if changes.any():
        write_changes(tx, changes, _labels(before, after))
        effect = {"before": _facts(before, changes), "after": _facts(after, changes)}
        tx.run(_keep_query(tx), {"rows": [_row(correction, "", effect)]})
    return changes


def revert_in_place(tx: EngineStatements, correction_id: str, at: str) -> tuple[Correction, Changes, bool]:
    """Undo a kept correction (see the module docstring); whether it had changed stored facts."""
    kept = {c.id: (c, undone, effect) for c, undone, effect in _kept_rows(tx)}
    if correction_id not in kept:
        raise CorrectionError(f"no correction {correction_id!r} in this store; `govkg corrections` lists them")
    correction, undone, effect = kept[correction_id]
    if undone:
        raise CorrectionError(f"correction {correction_id} was undone already, at {undone}")
    changes = Changes()
    if effect:
        was, now = GraphDocument.from_dict(effect["before"]), GraphDocument.from_dict(effect["after"])
        ids = {n.id for n in [*was.nodes, *now.nodes]} | {i for e in [*was.edges, *now.edges] for i in e.key[1:]}
        current = surroundings(tx, ids, neighbours=False)  # every fact it changed has both ends in `ids`
        held_nodes, held_edges = _canonical_index(current)
        for node in now.nodes:
            if held_nodes.get(node.id) != _canonical_node(node):
                raise CorrectionError(f"{node.id} changed after correction {correction_id}; undo the later "
                                      "correction first (`govkg corrections` lists them)")  # fmt: skip
        for edge in now.edges:
            if held_edges.get(edge.key) != _canonical_edge(edge):
                raise CorrectionError(f"{Target(edge=edge.key)} changed after correction {correction_id}; undo "
                                      "the later correction first (`govkg corrections` lists them)")  # fmt: skip
        was_nodes, was_edges = {n.id for n in was.nodes}, {e.key for e in was.edges}
        changes = Changes(
            removed_nodes={n.id: n.label for n in now.nodes if n.id not in was_nodes},
            removed_edges=[e for e in now.edges if e.key not in was_edges],
            put_nodes=list(was.nodes),
            put_edges=list(was.edges),
        )
        labels = _labels(current, was) | _labels(now, GraphDocument())
        for edge in was.edges:
            gone = [end for end in (edge.source, edge.target) if end not in labels]
            if gone:  # a later correction renamed, merged or rejected an end of what this one took away
                raise CorrectionError(f"{gone[0]} changed after correction {correction_id}; undo the later "
                                      "correction first (`govkg corrections` lists them)")  # fmt: skip
        write_changes(tx, changes, labels)
    set_undone(tx, correction, at, effect)
    return correction, changes, bool(effect)


# --------------------------------------------------------------------- the facts around a correction


def surroundings(tx: EngineStatements, ids: set[str], *, neighbours: bool = True) -> GraphDocument:
    """The stored nodes `ids` names, with `neighbours` every node one relationship away (documents
    included), and the relationships among them; normalised as graph/corrections.py works on graphs.
    A correction of a relationship needs only its ends: next to a hub (a category of thousands of
    mechanisms) the neighbours would cost seconds (8 s against 1 s at 2,000 synthetic documents)."""
    labels = tx.labels_of(sorted(ids))
    if not labels:
        return GraphDocument()
    if not neighbours:  # the ends, and the documents their relationships cite (for the mentions)
        cited = {d.id for d in subgraph(tx, labels, with_mentions=True).documents} - set(labels)
        labels.update(tx.labels_of(sorted(cited)))
        return GraphDocument().merged(subgraph(tx, labels, with_mentions=True))
    by_label: dict[str, list[str]] = {}
    for i, label in labels.items():
        by_label.setdefault(label, []).append(i)
    for found_id, found_label in sorted(set(tx.neighbours(by_label, True))):
        labels.setdefault(found_id, found_label)
    return GraphDocument().merged(subgraph(tx, labels, with_mentions=True))


def _named_ids(target: Target, value: dict[str, Any]) -> set[str]:
    """The stored nodes a correction names: its target and the nodes its value points to. A new name
    the store holds already is found once the correction has been applied (apply_in_place)."""
    ids = {target.node} if target.edge is None else {target.edge[1], target.edge[2]}
    ids |= {str(value[k]) for k in ("into", "source", "target") if isinstance(value.get(k), str)}
    if isinstance(value.get("edge"), dict):
        ids |= {str(value["edge"].get(k)) for k in ("source", "target")}
        ids |= {str(ev.get("document")) for ev in value["edge"].get("evidence") or [] if isinstance(ev, dict)}
    return {i for i in ids if i}


def _applied(
    tx: EngineStatements, correction: Correction, ids: set[str]
) -> tuple[GraphDocument, GraphDocument] | None:
    """The stored facts around `ids`, and the same with `correction` applied; None if it finds nothing."""
    before = surroundings(tx, ids, neighbours=correction.target.edge is None)
    work = working_copy(before)
    if not work.apply(correction):
        return None
    after = work.result()
    return before, follow_mentions(before, after, _stored_evidence(tx, _losing(before, after)))


def follow_mentions(
    before: GraphDocument, after: GraphDocument, stored: dict[tuple[str, str], Counter[Mark]]
) -> GraphDocument:
    """`after` with each document's mentions following the evidence, as a load writes them
    (graph/merge.py: a document mentions every end of a relationship it gives evidence for, with that
    evidence): a relationship moved, rejected or added takes its evidence off its old ends' mentions
    and onto its new ends'; a mention left without the evidence it had goes. `stored`: for the nodes
    `_losing` names, the evidence of all their stored relationships (those outside `before` too), so a
    sentence another relationship of the node still cites stays in its mention."""
    was, now = _carried(before), _carried(after)
    present = {n.id: n.label for n in after.nodes}
    edges = {e.key: e for e in after.edges}
    for document, node in sorted(set(was) | set(now)):
        if present.get(node) in (None, "Document"):
            continue  # gone, or renamed (its mentions moved with it)
        held, wanted = was.get((document, node), Counter()), now.get((document, node), Counter())
        # What the node's relationships cite after the change: the stored ones outside `before`, and `after`'s.
        still = stored.get((document, node), held) - held + wanted
        lost = {mark for mark in held if not still[mark]}
        gained = [ev for ev in _evidence_of(after, document, node) if _evidence_mark(ev) not in held]
        if not lost and not gained:
            continue
        key = ("MENTIONS", document, node)
        mention = edges.get(key)
        if mention is None:
            if gained and present.get(document) == "Document":
                edges[key] = Edge("MENTIONS", document, node, gained)
            continue
        evidence = [ev for ev in mention.evidence if _evidence_mark(ev) not in lost]
        evidence += [ev for ev in gained if _evidence_mark(ev) not in {_evidence_mark(e) for e in evidence}]
        if evidence or not mention.evidence:
            edges[key] = Edge("MENTIONS", document, node, evidence, dict(mention.properties))
        else:
            del edges[key]
    return GraphDocument(list(after.documents), list(after.nodes), list(edges.values()))


def _losing(before: GraphDocument, after: GraphDocument) -> set[str]:
    """Nodes kept by a change whose relationships in `after` cite less than in `before`."""
    was, now = _carried(before), _carried(after)
    present = {n.id for n in after.nodes if n.label != "Document"}
    return {node for (document, node), held in was.items() if node in present and held - now.get((document, node),
            Counter())}  # fmt: skip


def _stored_evidence(tx: EngineStatements, nodes: set[str]) -> dict[tuple[str, str], Counter[Mark]]:
    """(document, node) -> the evidence all stored relationships (not MENTIONS) of `nodes` cite."""
    out: dict[tuple[str, str], Counter[Mark]] = {}
    if not nodes:
        return out
    by_label: dict[str, list[str]] = {}
    for node, label in tx.labels_of(sorted(nodes)).items():
        by_label.setdefault(label, []).append(node)
    for node, documents, texts, starts, ends in tx.evidence_at(by_label):
        for document, text, start, end in zip(documents, texts, starts, ends, strict=False):
            out.setdefault((str(document), node), Counter())[(str(document), str(text), int(start), int(end))] += 1
    return out


def _carried(graph: GraphDocument) -> dict[tuple[str, str], Counter[Mark]]:
    """(document, node) -> the evidence the document gives for the node's relationships, counted."""
    out: dict[tuple[str, str], Counter[Mark]] = {}
    for edge in graph.edges:
        if edge.type == "MENTIONS":
            continue
        for ev in edge.evidence:
            for end in (edge.source, edge.target):
                out.setdefault((ev.document, end), Counter())[_evidence_mark(ev)] += 1
    return out


def _evidence_of(graph: GraphDocument, document: str, node: str) -> list[Evidence]:
    found: dict[Mark, Evidence] = {}
    for edge in graph.edges:
        if edge.type != "MENTIONS" and node in (edge.source, edge.target):
            found.update((_evidence_mark(ev), ev) for ev in edge.evidence if ev.document == document)
    return list(found.values())


def _evidence_mark(ev: Evidence) -> Mark:
    return (ev.document, ev.text, ev.start, ev.end)


def difference(before: GraphDocument, after: GraphDocument) -> Changes:
    """What turns `before` into `after`. Documents (shown as nodes) never change."""
    old_nodes = {n.id: n for n in before.nodes if n.label != "Document"}
    new_nodes = {n.id: n for n in after.nodes if n.label != "Document"}
    old_edges, new_edges = {e.key: e for e in before.edges}, {e.key: e for e in after.edges}
    return Changes(
        removed_nodes={i: n.label for i, n in old_nodes.items() if i not in new_nodes},
        removed_edges=[e for k, e in old_edges.items() if k not in new_edges],
        put_nodes=[n for i, n in new_nodes.items() if i not in old_nodes or
                   _canonical_node(old_nodes[i]) != _canonical_node(n)],
        put_edges=[e for k, e in new_edges.items() if k not in old_edges or
                   _canonical_edge(old_edges[k]) != _canonical_edge(e)],
    )  # fmt: skip


def write_changes(tx: EngineStatements, changes: Changes, labels: dict[str, str]) -> None:
    """Delete, then write whole, inside the open transaction: relationships first, so a node deleted
    here takes none it should not."""
    dropped = keys_of(tx, changes.removed_nodes)  # their lookup keys (graph/derived.py), before they go
    for (edge_type, source, target), edges in _grouped(changes.removed_edges, labels).items():
        rows = [{"s": e.source, "t": e.target} for e in edges]
        tx.run(f"UNWIND $rows AS r MATCH (a:{source} {{id: r.s}})-[e:{edge_type}]->(b:{target} {{id: r.t}}) "
               "DELETE e", {"rows": rows})  # fmt: skip
    for label in sorted(set(changes.removed_nodes.values())):
        ids = sorted(i for i, lb in changes.removed_nodes.items() if lb == label)
        tx.run(f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) DETACH DELETE n", {"ids": ids})
    for label in sorted({n.label for n in changes.put_nodes}):
        columns = node_columns(label)
        tx.upsert_nodes(label, [merge_node_row(None, n, columns) for n in changes.put_nodes if n.label == label])
    for (edge_type, source, target), edges in _grouped(changes.put_edges, labels).items():
        columns = edge_columns(edge_type)
        held = tx.edge_rows(edge_type, source, target, [(e.source, e.target) for e in edges])
        rows = [merge_edge_row(None, e, columns) for e in edges]
        new = [r for r in rows if (r["s"], r["t"]) not in held]
        old = [r for r in rows if (r["s"], r["t"]) in held]
        for batch, write in ((new, tx.create_edges), (old, tx.update_edges)):
            if batch and write(edge_type, source, target, batch) != len(batch):
                raise CorrectionError(f"a {edge_type} relationship lost an end while being corrected; nothing "
                                      "was changed, try again")  # fmt: skip
    # The lookup of names and the zones' categories (graph/derived.py), for every node this changes.
    touched = {**changes.removed_nodes, **{n.id: n.label for n in changes.put_nodes}}
    for edge in [*changes.removed_edges, *changes.put_edges]:
        touched.update({edge.source: labels[edge.source], edge.target: labels[edge.target]})
    refresh_derived(tx, touched, dropped=dropped)


def _grouped(edges: list[Edge], labels: dict[str, str]) -> dict[tuple[str, str, str], list[Edge]]:
    out: dict[tuple[str, str, str], list[Edge]] = {}
    for edge in edges:
        out.setdefault((edge.type, labels[edge.source], labels[edge.target]), []).append(edge)
    return out


def _labels(*graphs: GraphDocument) -> dict[str, str]:
    return {n.id: n.label for g in graphs for n in g.nodes}


def _facts(graph: GraphDocument, changes: Changes) -> dict[str, Any]:
    """The facts `changes` touches as they are in `graph` (before the change: those removed or
    changed; after it: those written), as a graph document's dict."""
    touched_nodes = set(changes.removed_nodes) | {n.id for n in changes.put_nodes}
    touched_edges = {e.key for e in [*changes.removed_edges, *changes.put_edges]}
    nodes = [n for n in graph.nodes if n.id in touched_nodes and n.label != "Document"]
    return GraphDocument([], nodes, [e for e in graph.edges if e.key in touched_edges]).to_dict()


def _canonical_node(node: Node) -> tuple[Any, ...]:
    return (node.label, node.name, tuple(sorted(set(node.aliases) - {node.name})), _clean(node.properties))


def _canonical_edge(edge: Edge) -> tuple[Any, ...]:
    evidence = tuple(sorted({(ev.document, ev.text, ev.start, ev.end) for ev in edge.evidence}))
    return (edge.key, evidence, _clean(edge.properties))


def _clean(properties: dict[str, Any]) -> str:
    # Empty values are not stored (graph/merge.py), so they do not count as a change.
    kept = {k: v for k, v in properties.items() if v not in (None, "", [])}
    return json.dumps(kept, ensure_ascii=False, sort_keys=True, default=str)


def _canonical_index(graph: GraphDocument) -> tuple[dict[str, tuple[Any, ...]], dict[tuple[str, str, str], Any]]:
    return ({n.id: _canonical_node(n) for n in graph.nodes if n.label != "Document"},
            {e.key: _canonical_edge(e) for e in graph.edges})  # fmt: skip
