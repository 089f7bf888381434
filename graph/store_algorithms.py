"""The store algorithms, written once over the engine primitives of graph/store_primitives.py: the
write loop (curation, then nodes, then relationships, each merged with what the store holds), the
replacement of derived relationships, the neighbourhood search, and turning stored rows into a
GraphDocument. `EngineStore` wires them into the GraphStore interface; an engine supplies its
statements and its transaction (graph/ladybug_store.py, graph/neo4j_store.py).
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable, Container, Sequence
from typing import Any

from govkg.errors import StoreError
from govkg.graph.corrections import Correction, Imported, Target
from govkg.graph.curation import Cypher, retract, skipped_documents, without_documents
from govkg.graph.derived import STRUCTURE_TYPES, refresh_derived
from govkg.graph.merge import (
    WritePlan,
    document_from_row,
    edge_from_row,
    group_edges_by_labels,
    merge_edge_row,
    merge_node_row,
    node_from_row,
    paused_gc,
)
from govkg.graph.model import EDGE_TYPES, NODE_LABELS, Document, Edge, GraphDocument, Node
from govkg.graph.schema import EVIDENCE_PROPERTIES, edge_columns, node_columns
from govkg.graph.store import GraphStore, RelationshipTable, SearchableText, WriteSummary
from govkg.graph.store_primitives import EngineStatements, batches

__all__ = [
    "EngineStore",
    "neighbourhood",
    "relationship_table",
    "replace_table",
    "searchable_text",
    "snapshot",
    "subgraph",
    "write_graph",
]

# What an engine runs in one write transaction.
TransactionWork = Callable[[EngineStatements], WriteSummary]


class EngineStore(GraphStore):
    """A GraphStore whose writes, neighbourhoods and snapshots are the algorithms below."""

    @abstractmethod
    def _statements(self) -> EngineStatements:
        """The statements of the store's own reads (no guard, no row cap)."""

    @abstractmethod
    def _in_transaction(self, work: TransactionWork, replacing: str | None = None) -> WriteSummary:
        """Run `work` in one write transaction and return its summary with `counts_after`; if it
        raises, nothing of it stays. `replacing`: the relationship type being replaced, for the
        failure message (None: a load)."""

    def write(self, graph: GraphDocument) -> WriteSummary:
        WritePlan.check(graph)  # rejects unknown labels and types before any transaction
        return self._in_transaction(lambda tx: write_graph(tx, graph))

    def replace_relationships(self, edge_type: str, edges: Sequence[Edge] | RelationshipTable) -> WriteSummary:
        """Delete every `edge_type` relationship and write `edges` instead, in one transaction."""
        if edge_type not in EDGE_TYPES:
            raise StoreError(f"unknown relationship type {edge_type!r}; known: {', '.join(EDGE_TYPES)}")
        if isinstance(edges, RelationshipTable):
            if edges.edge_type != edge_type:
                raise StoreError(f"replacing {edge_type} relationships, but given a table of {edges.edge_type}")
            table = edges
        else:
            table = relationship_table(edge_type, edges)
        return self._in_transaction(lambda tx: replace_table(tx, table), replacing=edge_type)

    def neighbourhood(self, node_id: str, depth: int = 1, limit: int = 200) -> GraphDocument:
        return neighbourhood(self._statements(), node_id, depth, limit)

    # Corrections (graph/store_corrections.py, imported when used: it builds on this module).

    def corrections(self, *, undone: bool = False) -> list[Correction]:
        from govkg.graph.store_corrections import kept_corrections

        return [c for c, at in kept_corrections(self._statements()) if undone or not at]

    def correction_states(self) -> list[tuple[Correction, str, bool]]:
        from govkg.graph.store_corrections import correction_states

        return correction_states(self._statements())

    def record_corrections(self, corrections: Sequence[Correction]) -> WriteSummary:
        from govkg.graph.store_corrections import record_corrections

        return self._in_transaction(lambda tx: record_corrections(tx, list(corrections)))

    def make_correction(
        self, action: str, target: Target, value: dict[str, Any] | None = None, *, author: str, made_at: str,
        reason: str = "",
    ) -> Correction:
        from govkg.graph.store_corrections import prepare_correction

        return prepare_correction(self._statements(), action, target, value, author=author, made_at=made_at,
                                  reason=reason)  # fmt: skip

    def apply_correction(self, correction: Correction) -> tuple[Correction, int, int]:
        from govkg.graph.store_corrections import Changes, apply_in_place

        done: list[Changes] = []

        def work(tx: EngineStatements) -> WriteSummary:
            done[:] = [apply_in_place(tx, correction)[1]]  # the driver may run it again: the last run counts
            return WriteSummary()

        self._in_transaction(work)
        return (correction, *done[0].counts())

    def revert_correction(self, correction_id: str, at: str) -> tuple[Correction, int, int, bool]:
        from govkg.graph.store_corrections import revert_in_place

        done: list[tuple[Correction, tuple[int, int], bool]] = []

        def work(tx: EngineStatements) -> WriteSummary:
            correction, changes, in_place = revert_in_place(tx, correction_id, at)
            done[:] = [(correction, changes.counts(), in_place)]
            return WriteSummary()

        self._in_transaction(work)
        correction, (nodes, edges), in_place = done[0]
        return correction, nodes, edges, in_place

    def write_corrected(
        self, graph: GraphDocument, corrections: Sequence[Correction], joined: dict[str, str]
    ) -> tuple[WriteSummary, Imported]:
        from govkg.graph.store_corrections import settle_in_place

        done: list[Imported] = []

        def work(tx: EngineStatements) -> WriteSummary:
            summary = write_graph(tx, graph)
            done[:] = [settle_in_place(tx, list(corrections), joined)]  # a rerun by the driver: the last counts
            return summary

        with paused_gc():
            summary = self._in_transaction(work)
        return summary, done[0]

    def _settle_corrections(self, corrections: Sequence[Correction], joined: dict[str, str]) -> Imported:
        """`settle_in_place`, one transaction per correction, for an engine that cannot read what a
        transaction has changed (call it inside `staged()` so that all of them land together)."""
        from govkg.graph.store_corrections import settle_in_place

        return self._one_by_one(corrections, lambda tx, one: settle_in_place(tx, [one], joined))

    def _one_by_one(
        self, corrections: Sequence[Correction], step: Callable[[EngineStatements, Correction], Imported]
    ) -> Imported:
        """`step` for each correction in a transaction of its own, the reports joined in order."""
        report = Imported()
        done: list[Imported] = []  # the last run of each transaction's work (a driver may run it again)
        for correction in corrections:

            def work(tx: EngineStatements, one: Correction = correction) -> WriteSummary:
                done[:] = [step(tx, one)]
                return WriteSummary()

            self._in_transaction(work)
            for name in ("applied", "for_later", "missing", "already"):
                getattr(report, name).extend(getattr(done[0], name))
        return report

    def import_corrections(self, corrections: Sequence[Correction]) -> Imported:
        from govkg.graph.store_corrections import import_in_place

        done: list[Imported] = []

        def work(tx: EngineStatements) -> WriteSummary:
            done[:] = [import_in_place(tx, list(corrections))]
            return WriteSummary(corrections_recorded=len(done[0].applied) + len(done[0].for_later)
                                + len(done[0].missing))  # fmt: skip

        self._in_transaction(work)
        return done[0]

    def snapshot(self) -> GraphDocument:
        return snapshot(self._statements())

    def read_columns(self, cypher: str, params: dict[str, Any] | None = None) -> list[list[Any]]:
        # The store's own statements: no guard, no row cap, and LadybugDB's Arrow columns (the
        # similarity profiles' reads of a 10,000-document store: 3.2 s row by row, 1.8 s so). Rows
        # turned give no column when none came back: `read` then names them.
        return self._statements().columns(cypher, dict(params or {})) or super().read_columns(cypher, params)

    def searchable_text(self) -> SearchableText:
        return searchable_text(self._statements())


# --------------------------------------------------------------------- writing


def write_graph(tx: EngineStatements, graph: GraphDocument) -> WriteSummary:
    """A write with its curation (graph/curation.py), inside the open transaction: superseded
    documents are skipped, the documents a curated sheet replaces are retracted, then the nodes and
    relationships are written. It keeps no state outside: Neo4j's driver may run it again after a
    transient error."""
    cypher = Cypher(tx.run, tx.typed)
    summary = WriteSummary(documents_skipped=skipped_documents(cypher, graph))
    graph = without_documents(graph, set(summary.documents_skipped))
    plan = WritePlan.from_graph(graph)
    summary.documents = len(plan.documents)
    retract(cypher, graph, summary)
    changed: dict[str, str] = {}  # nodes held before whose row this write changes
    created = _write_nodes(tx, plan, summary, changed)
    ends: dict[str, str] = {}  # ends of the ADOPTS, HAS_PART and IN_CATEGORY relationships written
    _write_edges(tx, plan, summary, created, ends=ends)
    # The derived lookup and zone categories (graph/derived.py), for what this write changed only.
    refresh_derived(tx, changed, created={i: (plan.labels[i], row) for i, row in created.items()}, structure=ends,
                    everything=bool(summary.edges_retracted or summary.nodes_retracted))  # fmt: skip
    return summary


def relationship_table(edge_type: str, edges: Sequence[Edge]) -> RelationshipTable:
    """`edges` as the table replace_relationships writes (of `edge_type`, a known type), after
    refusing edges of another type or with evidence; the same pair twice is merged as a write merges it."""
    stray = sorted({e.type for e in edges if e.type != edge_type})
    if stray:
        raise StoreError(f"replacing {edge_type} relationships, but given {', '.join(stray)} ones too")
    if any(e.evidence for e in edges):
        raise StoreError(f"replacing {edge_type} relationships, but some carry evidence; nothing was written")
    plan = WritePlan.from_graph(GraphDocument([], [], list(edges)))
    columns = edge_columns(edge_type)
    rows = [merge_edge_row(None, e, columns) for e in plan.edges.values()]
    return RelationshipTable(
        edge_type, [r["s"] for r in rows], [r["t"] for r in rows], {c: [r[c] for r in rows] for c in columns}
    )


def replace_table(tx: EngineStatements, table: RelationshipTable) -> WriteSummary:
    """Make the `table.edge_type` relationships those of the table, inside the open transaction.
    Only the difference is written: held relationships the table lacks or changes are deleted, and
    its new and changed ones created (deleting and creating is twice as fast as updating in place on
    LadybugDB, docs/measured.md); equal ones are left alone (a SIMILAR_TO refresh after a small load
    changes a tenth of 370,000). When more than REWRITE_SHARE of the held ones would go, all go and
    all are created anew. The summary counts the replacement, every held relationship deleted and
    every planned one created, and `edges_matched` those left as they were. The table's type is a
    known one (replace_relationships checks)."""
    edge_type = table.edge_type
    summary = WriteSummary()
    columns = list(edge_columns(edge_type))
    unknown = sorted(set(table.columns) - set(columns))
    if unknown:
        raise StoreError(f"{edge_type} has no column {', '.join(unknown)}; known: {', '.join(columns)}")
    count = len(table.sources)
    # A column not given is empty, as a relationship written without it (merge_edge_row).
    values = [table.columns.get(c) or [[] if c in EVIDENCE_PROPERTIES else None] * count for c in columns]
    keys = list(zip(table.sources, table.targets, strict=True))
    if len(set(keys)) != count:
        raise StoreError(f"the {edge_type} table names the same pair twice; nothing was written")
    # Only the columns that hold a value on either side are read and compared: a column empty in every
    # planned and every held row is equal in all of them (SIMILAR_TO's evidence, `extra` and `curated`:
    # six of its nine, read as Python values for 1.0 s of the 2.4 s its held rows took, docs/measured.md).
    held_filled = _filled_columns(tx, edge_type)
    compared = [j for j, c in enumerate(columns) if c in held_filled or _any_filled(values[j])]
    held = _held_edges(tx, edge_type, [columns[j] for j in compared])
    held_count = sum(len(rows) for rows in held.values())
    pairs = _label_pairs(tx, edge_type, table, _labels_held(held))
    # Rows compared as tuples of their columns in the schema's order (a dict lookup per column per
    # row took 4.7 s of 370,000 SIMILAR_TO under cProfile); as stored (`_stored`) only when they differ.
    held_values = {key: row for rows in held.values() for key, row in rows.items()}
    same = set()
    planned_rows = zip(*(values[j] for j in compared), strict=True) if compared else [()] * count
    for key, mine in zip(keys, planned_rows, strict=True):
        theirs = held_values.get(key)
        if theirs is not None and (mine == theirs or tuple(map(_stored, mine)) == tuple(map(_stored, theirs))):
            same.add(key)
    del held_values
    if held_count - len(same) > REWRITE_SHARE * held_count:
        same = set()
    for (source, target), rows in held.items():
        if not same:
            tx.run(f"MATCH (:{source})-[r:{edge_type}]->(:{target}) DELETE r RETURN count(*)", {})
        else:
            tx.delete_edges(edge_type, source, target, [key for key in rows if key not in same])
    summary.edges_deleted = held_count
    summary.edges_matched = len(same)
    summary.edges_created = count
    for (source_label, target_label), at in _grouped(pairs).items():
        new = [i for i in at if keys[i] not in same] if same else at
        if not new:
            continue
        if len(new) == count:  # every row, in order (a first write, a full rewrite): the columns as given
            chosen = {"s": list(table.sources), "t": list(table.targets), **dict(zip(columns, values, strict=True))}
        else:
            chosen = {"s": [keys[i][0] for i in new], "t": [keys[i][1] for i in new]}
            chosen.update({c: [v[i] for i in new] for c, v in zip(columns, values, strict=True)})
        if tx.bulk_create_edge_columns(edge_type, source_label, target_label, chosen, release=table.disposable):
            continue
        names = list(chosen)
        for batch in batches(list(zip(*chosen.values(), strict=True))):
            batch_rows = [dict(zip(names, row, strict=True)) for row in batch]
            written = tx.create_edges(edge_type, source_label, target_label, batch_rows)
            if written != len(batch_rows):
                raise StoreError(f"only {written} of {len(batch)} {edge_type} relationships found both endpoints")
    return summary


def _label_pairs(
    tx: EngineStatements, edge_type: str, table: RelationshipTable, known: dict[str, str]
) -> list[tuple[str, str]]:
    """The (source, target) labels of each row, after refusing any row whose endpoint is not in the
    store or whose labels the type does not allow. `known`: labels of nodes known to be held, not
    looked up again."""
    labels = dict(known)
    for ids in batches(sorted((set(table.sources) | set(table.targets)) - labels.keys())):
        labels.update(tx.labels_of(ids))
    dangling = [(s, t) for s, t in zip(table.sources, table.targets, strict=True) if s not in labels or t not in labels]
    if dangling:
        shown = "; ".join(f"{edge_type} {s} -> {t}" for s, t in dangling[:5])
        raise StoreError(
            f"{len(dangling)} relationship(s) name a node that is not in {tx.where} ({shown}); nothing was written."
        )
    pairs = [(labels[s], labels[t]) for s, t in zip(table.sources, table.targets, strict=True)]
    allowed = EDGE_TYPES[edge_type]
    for (source_label, target_label), (s, t) in zip(pairs, zip(table.sources, table.targets, strict=True),
                                                   strict=True):  # fmt: skip
        if (source_label, target_label) not in allowed:
            raise StoreError(
                f"{edge_type} cannot link {source_label} to {target_label} ({s} -> {t}); "
                f"allowed: {', '.join(f'{a}->{b}' for a, b in allowed)}. Nothing was written."
            )
    return pairs


def _labels_held(held: dict[tuple[str, str], dict[tuple[str, str], tuple[Any, ...]]]) -> dict[str, str]:
    """The labels of the ends of held relationships: those nodes are in the store (a SIMILAR_TO
    refresh then looks up only new zones; all 37,673 took 0.6 s, docs/measured.md)."""
    labels: dict[str, str] = {}
    for (source, target), rows in held.items():
        for s, t in rows:
            labels[s] = source
            labels[t] = target
    return labels


def _grouped(pairs: list[tuple[str, str]]) -> dict[tuple[str, str], list[int]]:
    """The rows of each (source, target) label pair, in order."""
    groups: dict[tuple[str, str], list[int]] = {}
    for i, pair in enumerate(pairs):
        groups.setdefault(pair, []).append(i)
    return groups


REWRITE_SHARE = 0.25  # held relationships going, above which all are deleted and created anew


def _filled_columns(tx: EngineStatements, edge_type: str) -> set[str]:
    """The columns of `edge_type` in which some stored relationship holds a value (a list: a non-empty
    one), from one aggregate a label pair (0.12 s over 372,650 SIMILAR_TO)."""
    kinds = edge_columns(edge_type)
    if not kinds:
        return set()
    measures = ", ".join(
        f"max(size(coalesce(e.{c}, [])))" if kind.endswith("[]") else f"count(e.{c})" for c, kind in kinds.items()
    )
    filled: set[str] = set()
    for source, target in EDGE_TYPES[edge_type]:
        if not tx.holds(edge_type):
            break
        for (column, _), measure in zip(kinds.items(), tx.run(
                f"MATCH (:{source})-[e:{edge_type}]->(:{target}) RETURN {measures}", {})[0], strict=True):  # fmt: skip
            if measure:
                filled.add(column)
    return filled


def _any_filled(values: list[Any]) -> bool:
    """Whether any planned value is stored as more than null (`_stored`: None, "" and [] are null),
    counted in C rather than tested one by one in Python (SIMILAR_TO's six empty columns of 372,650
    rows: 0.25 -> 0.07 s)."""
    return len(values) > values.count(None) + values.count("") + values.count([])


def _held_edges(
    tx: EngineStatements, edge_type: str, columns: list[str]
) -> dict[tuple[str, str], dict[tuple[str, str], tuple[Any, ...]]]:
    """The stored `edge_type` relationships by the labels of their ends, then by their ends, each
    with `columns` in that order, read column by column (372,720 SIMILAR_TO of ten columns from
    LadybugDB: 1.3 s as Arrow columns, 3.8 s row by row)."""
    returned = "".join(f", e.{c}" for c in columns)
    held: dict[tuple[str, str], dict[tuple[str, str], tuple[Any, ...]]] = {}
    for source, target in EDGE_TYPES[edge_type]:
        if not tx.holds(edge_type):
            break
        read = tx.columns(f"MATCH (a:{source})-[e:{edge_type}]->(b:{target}) RETURN a.id, b.id{returned}", {})
        if not read:
            continue
        values = zip(*read[2:], strict=True) if columns else [()] * len(read[0])
        held[(source, target)] = {(str(s), str(t)): row for s, t, row in zip(read[0], read[1], values, strict=True)}
    return held


def _stored(value: Any) -> Any:
    """A column's value as compared for a rewrite: an empty list or string is stored as null."""
    return None if value in ("", []) else value


def _write_nodes(
    tx: EngineStatements, plan: WritePlan, summary: WriteSummary, changed: dict[str, str] | None = None
) -> dict[str, dict[str, Any]]:
    """Write the plan's nodes; return those created (absent before this write), id -> the row
    written. `changed` gains the held nodes whose row the write changes (id -> label)."""
    created: dict[str, dict[str, Any]] = {}
    for label, wanted in plan.nodes_by_label().items():
        columns = node_columns(label)
        held_rows = _node_rows(tx, label, list(wanted))
        rows = []
        for node_id, incoming in wanted.items():
            held = held_rows.get(node_id)
            row = merge_node_row(held, incoming, columns)
            if held is None:
                summary.nodes_created += 1
                created[node_id] = row
            else:
                summary.nodes_matched += 1
                if all(row[c] == held.get(c) for c in columns):
                    continue  # a re-load of the same fact: nothing to write
                if changed is not None:
                    changed[node_id] = label
            rows.append(row)
        if tx.bulk_create_nodes(label, [r for r in rows if r["id"] not in held_rows]):
            rows = [r for r in rows if r["id"] in held_rows]
        for batch in batches(rows):
            tx.upsert_nodes(label, batch)
    return created


def _write_edges(
    tx: EngineStatements,
    plan: WritePlan,
    summary: WriteSummary,
    created: Container[str],
    *,
    ends: dict[str, str] | None = None,
) -> None:
    """Write the plan's edges (and their MENTIONS). `created`: nodes this write created, whose
    relationships cannot exist yet, so they are not looked up; `ends` gains the ends (id -> label) of
    the relationships written that a zone's categories follow (graph/derived.py)."""
    labels = dict(plan.labels)
    missing = sorted(i for i in plan.endpoint_ids() if i not in labels)
    for ids in batches(missing):  # endpoints loaded earlier
        labels.update(tx.labels_of(ids))
    edges = plan.edges_with_mentions(labels)
    groups = group_edges_by_labels(edges, labels, tx.where)
    for (edge_type, source_label, target_label), group in groups.items():
        columns = edge_columns(edge_type)
        old_ends = [(e.source, e.target) for e in group if e.source not in created and e.target not in created]
        held_edges: dict[tuple[str, str], dict[str, Any]] = {}
        for pairs in batches(old_ends):
            held_edges.update(tx.edge_rows(edge_type, source_label, target_label, pairs))
        new_rows: list[dict[str, Any]] = []
        held_rows: list[dict[str, Any]] = []
        for edge in group:
            held = held_edges.get((edge.source, edge.target))
            row = merge_edge_row(held, edge, columns)
            if held is None:
                summary.edges_created += 1
                new_rows.append(row)
            else:
                summary.edges_matched += 1
                # Updating a relationship is slow next to a hub (the engine finds it again among the
                # hub's relationships), so only changed ones are written.
                if any(row[c] != held.get(c) for c in columns):
                    held_rows.append(row)
        if ends is not None and edge_type in STRUCTURE_TYPES:
            for row in (*new_rows, *held_rows):
                ends[row["s"]], ends[row["t"]] = source_label, target_label
        # The existing relationships were read in this transaction, so new ones are CREATEd: a
        # MERGE would look for each among all of a hub's relationships again.
        if new_rows and tx.bulk_create_edges(edge_type, source_label, target_label, new_rows):
            new_rows = []
        for rows, write in ((new_rows, tx.create_edges), (held_rows, tx.update_edges)):
            for batch in batches(rows):
                written = write(edge_type, source_label, target_label, batch)
                if written != len(batch):
                    raise StoreError(f"only {written} of {len(batch)} {edge_type} relationships found both endpoints")


def _node_rows(tx: EngineStatements, label: str, ids: list[str]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for batch in batches(ids):
        found.update(tx.node_rows(label, batch))
    return found


# --------------------------------------------------------------------- reading


def neighbourhood(reads: EngineStatements, node_id: str, depth: int, limit: int) -> GraphDocument:
    """Breadth-first from `node_id`: the nodes within `depth` hops, nearest first, then by id, up
    to `limit`, and the relationships among them. Documents mention nearly everything, so MENTIONS
    is followed only when the start is a Document."""
    start = reads.labels_of([node_id])
    if node_id not in start or limit <= 0:
        return GraphDocument()
    with_mentions = start[node_id] == "Document"
    labels: dict[str, str] = {node_id: start[node_id]}
    frontier = [node_id]
    for _ in range(max(depth, 0)):
        if not frontier or len(labels) >= limit:
            break
        found = sorted(set(reads.neighbours(_by_label(frontier, labels), with_mentions)))
        frontier = []
        for found_id, found_label in found:
            if found_id not in labels and len(labels) < limit:
                labels[found_id] = found_label
                frontier.append(found_id)
    return subgraph(reads, labels, with_mentions)


def subgraph(reads: EngineStatements, labels: dict[str, str], with_mentions: bool) -> GraphDocument:
    """The nodes `labels` names (id -> label, in that order), the relationships among them, and the
    documents their evidence cites. A Document among the nodes is shown as a node (its text stays
    in `documents` only if cited)."""
    graph = GraphDocument()
    ids = list(labels)
    by_label = _by_label(ids, labels)
    nodes: dict[str, Node] = {}
    for label, label_ids in by_label.items():
        for i, values in _node_rows(reads, label, label_ids).items():
            is_document = label == "Document"
            nodes[i] = _document_node(document_from_row(values)) if is_document else node_from_row(label, values)
    graph.nodes = [nodes[i] for i in ids if i in nodes]
    cited: set[str] = set()
    for source, target, edge_type, values in sorted(reads.edges_among(by_label), key=lambda r: r[:3]):
        if edge_type == "MENTIONS" and not with_mentions:
            continue
        edge = edge_from_row(edge_type, source, target, values)
        graph.edges.append(edge)
        cited.update(ev.document for ev in edge.evidence)
    if cited:
        docs = _node_rows(reads, "Document", sorted(cited))
        graph.documents = [document_from_row(docs[i]) for i in sorted(docs)]
    return graph


def snapshot(reads: EngineStatements) -> GraphDocument:
    """The whole graph: nodes by label then id, relationships by type then source and target."""
    graph = GraphDocument()
    for label in NODE_LABELS:
        for values in reads.node_rows(label).values():
            if label == "Document":
                graph.documents.append(document_from_row(values))
            else:
                graph.nodes.append(node_from_row(label, values))
    for edge_type in EDGE_TYPES:
        for source, target, _, values in reads.edges_of_type(edge_type):
            graph.edges.append(edge_from_row(edge_type, source, target, values))
    return graph


# Relationships that never keep evidence (derived from the others' evidence): the full-text index does
# not read them (at 1,000 synthetic documents SIMILAR_TO is the largest type, 43,000 relationships).
UNEVIDENCED: tuple[str, ...] = ("SIMILAR_TO",)


def searchable_text(reads: EngineStatements) -> SearchableText:
    """What the full-text index reads (graph/text_index.py), as `snapshot` would give it (the same
    names and evidence) but without assembling a graph or reading relationships that keep no evidence:
    at 1,000 synthetic documents, on the embedded store, 1.0-2.0 s against 3.0-4.2 s for the snapshot."""
    found = SearchableText()
    for label in NODE_LABELS:
        for values in reads.node_rows(label).values():
            if label == "Document":
                doc = document_from_row(values)
                found.nodes.append((doc.id, label, doc.title or doc.path or doc.id, ()))
                found.texts[doc.id] = doc.text
            else:
                aliases = tuple(str(a) for a in values.get("aliases") or ())
                found.nodes.append((str(values["id"]), label, str(values.get("name") or ""), aliases))
    for edge_type in EDGE_TYPES:
        if edge_type in UNEVIDENCED:
            continue
        for source, target, _, values in reads.edges_of_type(edge_type):
            columns = (values.get(c) or [] for c in EVIDENCE_PROPERTIES)  # documents, texts, starts, ends
            found.evidence.extend((edge_type, source, target, str(d), str(t), int(a), int(b))
                                  for d, t, a, b in zip(*columns, strict=False))  # fmt: skip
    return found


def _document_node(doc: Document) -> Node:
    return Node(doc.id, "Document", doc.title or doc.path or doc.id, [], {"path": doc.path, "title": doc.title})


def _by_label(ids: list[str], labels: dict[str, str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for i in ids:
        out.setdefault(labels[i], []).append(i)
    return out
