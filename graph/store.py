"""The one interface both engines (embedded LadybugDB, Neo4j) implement. What they share beyond it, the
write loop, the neighbourhood search and the assembly of stored rows into graphs, is written once in
graph/store_algorithms.py over the engine primitives of graph/store_primitives.py."""

from __future__ import annotations

import contextlib
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govkg.errors import StoreError
from govkg.graph.corrections import Correction, Imported, Target
from govkg.graph.model import Edge, GraphDocument, Node
from govkg.memory import return_freed_memory


@dataclass
class QueryResult:
    """Rows of a query, values converted to plain Python (str, int, float, bool, None, list, dict).

    A node value becomes a dict of its properties plus `_label`; a relationship a dict of its
    properties plus `_type`; so both engines yield the same rows for the same data.
    """

    columns: list[str]
    rows: list[list[Any]]
    truncated: bool = False

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


@dataclass
class WriteSummary:
    """What a write did: counts of nodes and relationships created or already present."""

    documents: int = 0
    nodes_created: int = 0
    nodes_matched: int = 0
    edges_created: int = 0
    edges_matched: int = 0
    edges_deleted: int = 0
    # Curation (see GraphStore.write): documents replaced by a curated sheet in this write, the
    # relationships and nodes that went with them, and incoming documents not written because a
    # curated sheet already replaced them.
    documents_replaced: list[str] = field(default_factory=list)
    edges_retracted: int = 0
    nodes_retracted: int = 0
    documents_skipped: list[str] = field(default_factory=list)
    counts_after: dict[str, int] = field(default_factory=dict)
    corrections_recorded: int = 0  # researchers' corrections kept by this write (graph/corrections.py)
    corrections_applied: int = 0  # kept or given corrections applied to what this write read


@dataclass(frozen=True)
class RelationshipTable:
    """Relationships of one type, without evidence, as columns: `sources[i]` -> `targets[i]` with
    `columns[name][i]` for each named column of the type's schema (a column not named is empty).
    What a derived relationship recomputed as a whole is written from (SIMILAR_TO: 372,650 of them at
    10,000 documents, where an Edge object and a row dictionary each cost seconds and hundreds of MB,
    docs/measured.md). `disposable`: the table is built only to be written, and the store may empty
    its column lists once it holds the rows in its own form (an Arrow frame for a COPY), so that they
    are not in memory twice while the engine writes them."""

    edge_type: str
    sources: list[str]
    targets: list[str]
    columns: dict[str, list[Any]]
    disposable: bool = False

    def __post_init__(self) -> None:
        lengths = {len(self.sources), len(self.targets), *(len(c) for c in self.columns.values())}
        if len(lengths) > 1:
            raise StoreError(f"the {self.edge_type} table's columns differ in length; nothing was written")


@dataclass(frozen=True)
class DataToken:
    """What a store holds at one moment: `where` names the store, `version` changes whenever any of its
    data does (the embedded file's identity; Neo4j's last committed transaction). `beside`: a file
    the store's derived files (the full-text index) may be kept next to, if any."""

    where: str
    version: str
    beside: Path | None = None


# One piece of evidence of a relationship: type, source id, target id, document id, sentence, start, end.
EvidenceRecord = tuple[str, str, str, str, str, int, int]


@dataclass
class SearchableText:
    """Everything a full-text search reads (graph/text_index.py): each node's id, label, name and
    aliases (documents included, named by their title); each document's text; and the evidence of
    every relationship that keeps evidence."""

    nodes: list[tuple[str, str, str, tuple[str, ...]]] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    evidence: list[EvidenceRecord] = field(default_factory=list)


class GraphStore(ABC):
    """A graph store. Writes are atomic and idempotent; ad-hoc queries are read-only."""

    engine: str = ""
    # True where `staged` lands every write inside it together or none (the embedded store's staging
    # copy): a load may then be written in several transactions and still be all or nothing.
    stages_atomically: bool = False

    @abstractmethod
    def ensure_schema(self) -> None:
        """Create tables, constraints and indexes if they are missing. Safe to call again."""

    @abstractmethod
    def write(self, graph: GraphDocument) -> WriteSummary:
        """Write documents, nodes and edges in one transaction, merging on stable ids.

        Evidence of an edge already present is united with the new evidence, never duplicated.
        On any failure nothing of this call remains in the store.

        Curation, in the same transaction: a document whose properties name `replaces` (a list of
        document ids; set by a curated case sheet) replaces those documents. Their evidence is
        taken off every relationship; a relationship left without evidence is deleted, and so is a
        node no document mentions any more. Each replaced Document stays, without its MENTIONS,
        with `superseded_by` = the replacing document's id, so that loading the original file
        again writes nothing (it is listed in `documents_skipped`). Relationships and nodes keep
        `curated` = true while a curated document supports them.
        """

    @contextlib.contextmanager
    def staged(self) -> Iterator[None]:
        """Where the engine can, the writes made inside land together when the block ends, or none
        of them if it raises or the process dies first (the embedded store: one staging copy,
        swapped in by a rename). Elsewhere (Neo4j) each write stays its own transaction."""
        yield

    @contextlib.contextmanager
    def settling(self) -> Iterator[None]:
        """Where the engine can, the writes before are made durable (the embedded store's checkpoint)
        on a thread of its own while the block computes; the block ends once they are. Nothing inside
        may use the store. Elsewhere (Neo4j, durable at each commit) the block just runs."""
        yield

    def release_memory(self) -> None:
        """Let go of what the engine keeps in this process from the work before (the pages its
        writes and reads left in memory; nothing where the engine is a server) ahead of a step that
        needs the memory, and give what the process has freed back to the system; the data, and a
        staged write in progress, stay as they are."""
        return_freed_memory()

    def replace_relationships(self, edge_type: str, edges: Sequence[Edge] | RelationshipTable) -> WriteSummary:
        """Delete every relationship of `edge_type` and write `edges` (all of that type, without
        evidence; many are best given as one RelationshipTable) instead, in one transaction: on
        failure the old relationships stay. For derived relationships such as SIMILAR_TO,
        recomputed as a whole."""
        raise StoreError(f"the {self.engine or 'this'} store cannot replace {edge_type} relationships yet")

    def corrections(self, *, undone: bool = False) -> list[Correction]:
        """The researchers' corrections this store keeps, oldest first (undone ones only if asked)."""
        raise StoreError(f"the {self.engine or 'this'} store keeps no corrections")

    def correction_states(self) -> list[tuple[Correction, str, bool]]:
        """Every kept correction, oldest first, undone ones too, with when it was undone ("" if it
        stands) and whether it changed stored facts in place (an undo puts them back at once)."""
        raise StoreError(f"the {self.engine or 'this'} store keeps no corrections")

    def record_corrections(self, corrections: Sequence[Correction]) -> WriteSummary:
        """Keep `corrections` (one already kept, by id, is left as it is), in one transaction."""
        raise StoreError(f"the {self.engine or 'this'} store keeps no corrections")

    def make_correction(
        self, action: str, target: Target, value: dict[str, Any] | None = None, *, author: str, made_at: str,
        reason: str = "",
    ) -> Correction:
        """A correction of a stored fact, with what the store holds of it as `before` and its documents
        (graph/corrections.make_correction over the fact's surroundings). Nothing is written."""
        raise StoreError(f"the {self.engine or 'this'} store cannot correct stored facts")

    def apply_correction(self, correction: Correction) -> tuple[Correction, int, int]:
        """Apply `correction` to the stored facts and keep it, with what it changed, in one
        transaction; the kept correction and how many nodes and relationships changed.
        CorrectionError when its fact is not stored (nothing changes)."""
        raise StoreError(f"the {self.engine or 'this'} store cannot correct stored facts")

    def revert_correction(self, correction_id: str, at: str) -> tuple[Correction, int, int, bool]:
        """Undo a kept correction at `at` (UTC) in one transaction: what it changed in place is put back
        exactly (refused with CorrectionError if those facts changed since), and it is marked undone.
        The correction, nodes and relationships changed, and whether it had changed stored facts (one
        kept for documents not loaded yet had not)."""
        raise StoreError(f"the {self.engine or 'this'} store keeps no corrections")

    def write_corrected(
        self, graph: GraphDocument, corrections: Sequence[Correction], joined: dict[str, str]
    ) -> tuple[WriteSummary, Imported]:
        """`write`, then, in the same transaction, apply `corrections` (a load's new ones, and kept ones
        that have not changed stored facts yet) to the written facts and keep each with what it changed,
        so an undo puts them back at once; `joined` maps extracted node ids the resolution joined into
        stored ones. On failure nothing of this call remains."""
        raise StoreError(f"the {self.engine or 'this'} store keeps no corrections")

    def import_corrections(self, corrections: Sequence[Correction]) -> Imported:
        """Keep `corrections` and apply each whose documents the store holds to the stored facts, in one
        transaction (a team's file taken into a store loaded from the same documents)."""
        raise StoreError(f"the {self.engine or 'this'} store keeps no corrections")

    @abstractmethod
    def read(self, cypher: str, params: dict[str, Any] | None = None, *, limit: int | None = None) -> QueryResult:
        """Run a query that must not write; a write attempt raises ReadOnlyViolation and changes nothing."""

    @abstractmethod
    def counts(self) -> dict[str, int]:
        """Number of nodes per label and relationships per type (every declared one, zeros included)."""

    def holds_nothing(self) -> bool:
        """Whether the store holds no node at all (kept corrections included, where it keeps them)."""
        return not any(self.read("MATCH (n) RETURN 1 LIMIT 1").rows)

    @abstractmethod
    def snapshot(self) -> GraphDocument:
        """The whole graph as a graph document (documents without their text is not allowed: keep it)."""

    def data_token(self) -> DataToken | None:
        """A token that changes whenever the stored data changes, to key what is derived from it (the
        full-text index); None when the store cannot tell (what is derived is then built afresh)."""
        return None

    def read_columns(self, cypher: str, params: dict[str, Any] | None = None) -> list[list[Any]]:
        """The columns of a read of the store's own (one of its modules' fixed queries, never a
        reader's), each a list of plain values; during a staged write, what that write holds so far.
        Here `read`'s rows turned; the engine stores run it through their own statements."""
        result = self.read(cypher, params)
        if not result.rows:
            return [[] for _ in result.columns]
        return [list(column) for column in zip(*result.rows, strict=True)]

    def searchable_text(self) -> SearchableText:
        """Names, aliases, documents' text and relationships' evidence, for the full-text index."""
        return searchable_text_of(self.snapshot())

    def node(self, node_id: str) -> Node | None:
        """One node by id, or None."""
        graph = self.neighbourhood(node_id, depth=0, limit=1)
        return next((n for n in graph.nodes if n.id == node_id), None)

    @abstractmethod
    def neighbourhood(self, node_id: str, depth: int = 1, limit: int = 200) -> GraphDocument:
        """The node, the nodes within `depth` hops (either direction) up to `limit` nodes, and the
        edges among them."""

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def searchable_text_of(graph: GraphDocument) -> SearchableText:
    """What a full-text search reads, from a whole graph."""
    found = SearchableText()
    for doc in graph.documents:
        found.nodes.append((doc.id, "Document", doc.title or doc.path or doc.id, ()))
        found.texts[doc.id] = doc.text or ""
    found.nodes.extend((n.id, n.label, n.name, tuple(n.aliases)) for n in graph.nodes)
    for e in graph.edges:
        found.evidence.extend((e.type, e.source, e.target, ev.document, ev.text, ev.start, ev.end) for ev in e.evidence)
    return found
