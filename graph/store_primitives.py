"""What each engine supplies to the store algorithms written once in graph/store_algorithms.py.

An `EngineStatements` runs statements in the engine's own dialect in one place: an open write
transaction, or the store's own read connection. Each primitive is one statement (or one bulk load)
over one batch; batching, merging with what the store holds, counting and the checks live in the
algorithms, so both engines write, search and assemble graphs the same way by construction.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

__all__ = ["BATCH_SIZE", "EdgeRow", "EngineStatements", "EvidenceRow", "batches"]

BATCH_SIZE = 5000  # ids or rows passed to one statement

# A relationship as the primitives return it: source id, target id, type, its declared columns.
EdgeRow = tuple[str, str, str, dict[str, Any]]
# A node's id and one of its relationships' evidence columns: documents, texts, starts, ends.
EvidenceRow = tuple[str, list[Any], list[Any], list[Any], list[Any]]

_T = TypeVar("_T")


def batches(items: Sequence[_T], size: int = BATCH_SIZE) -> Iterator[list[_T]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


class EngineStatements(ABC):
    """One engine's statements, run in one transaction or on one read connection.

    Rows come back with every declared column (graph/schema.py) that the engine stores; a node row
    also has `id`. Ids and labels come back as str.
    """

    # Names the store in a refusal ("... neither in this load nor in {where}").
    where: str = "the store"

    # ----------------------------------------------------------------- any statement

    @abstractmethod
    def run(self, query: str, params: dict[str, Any]) -> list[list[Any]]:
        """Run `query`; its rows, read to the end."""

    def columns(self, query: str, params: dict[str, Any]) -> list[list[Any]]:
        """Run `query`; its result column by column (none when no row came back). An engine that
        reads a column at once (LadybugDB through Arrow) reads 370,000 relationships 3x faster so."""
        return [list(column) for column in zip(*self.run(query, params), strict=True)]

    def id_pairs(self, match: str, key: str, other: str, params: dict[str, Any]) -> list[tuple[str, str]]:
        """Every row of `match RETURN key, other` (two ids) as a pair of strings."""
        read = self.columns(f"{match} RETURN {key}, {other}", params)
        return list(zip(map(str, read[0]), map(str, read[1]), strict=True)) if read else []

    @abstractmethod
    def typed(self, name: str, kind: str) -> str:
        """The field `name` of the UNWIND row `r` as an expression of column type `kind`, which keeps
        its type when null or empty (graph/curation.py's Cypher.value)."""

    def holds(self, table: str) -> bool:
        """Whether the store has `table` (a read-only handle of an older embedded file may lack one
        added since); Neo4j makes a label when it is first written, so it always does."""
        return True

    # ----------------------------------------------------------------- reading

    @abstractmethod
    def labels_of(self, ids: list[str]) -> dict[str, str]:
        """The label of each of `ids` the store holds (absent ones are left out)."""

    @abstractmethod
    def node_rows(self, label: str, ids: list[str] | None = None) -> dict[str, dict[str, Any]]:
        """id -> row of the `label` nodes among `ids`; with no ids every `label` node, in id order."""

    @abstractmethod
    def edge_rows(
        self, edge_type: str, source_label: str, target_label: str, pairs: list[tuple[str, str]]
    ) -> dict[tuple[str, str], dict[str, Any]]:
        """(source, target) -> row of the `edge_type` relationships among `pairs` that exist."""

    @abstractmethod
    def edges_of_type(self, edge_type: str) -> list[EdgeRow]:
        """Every `edge_type` relationship, ordered by source id, then target id."""

    @abstractmethod
    def neighbours(self, by_label: dict[str, list[str]], with_mentions: bool) -> Iterable[tuple[str, str]]:
        """(id, label) of every node one relationship (either direction) away from the nodes
        `by_label` names; MENTIONS relationships only if `with_mentions`."""

    @abstractmethod
    def evidence_at(self, by_label: dict[str, list[str]]) -> list[EvidenceRow]:
        """For every relationship but MENTIONS at the nodes `by_label` names (either direction), one
        row: the node's id and the relationship's evidence columns (documents, texts, starts, ends)."""

    @abstractmethod
    def edges_among(self, by_label: dict[str, list[str]]) -> list[EdgeRow]:
        """Every relationship whose both ends are among the nodes `by_label` names."""

    # ----------------------------------------------------------------- writing

    @abstractmethod
    def upsert_nodes(self, label: str, rows: list[dict[str, Any]]) -> None:
        """Create or update the `label` nodes of `rows` by id, setting every column of the row (a
        null id must fail)."""

    @abstractmethod
    def create_edges(self, edge_type: str, source_label: str, target_label: str, rows: list[dict[str, Any]]) -> int:
        """Create one relationship per row (`s`, `t` and the columns; none exists yet); how many were."""

    @abstractmethod
    def update_edges(self, edge_type: str, source_label: str, target_label: str, rows: list[dict[str, Any]]) -> int:
        """Set the columns of the existing relationship of each row; how many were found."""

    def delete_edges(self, edge_type: str, source_label: str, target_label: str, pairs: list[tuple[str, str]]) -> int:
        """Delete the `edge_type` relationship of each (source, target) pair; how many were."""
        deleted = 0
        for batch in batches([{"s": s, "t": t} for s, t in pairs]):
            deleted += int(self.run(
                f"UNWIND $rows AS r MATCH (a:{source_label} {{id: r.s}}) "
                f"MATCH (a)-[e:{edge_type}]->(b:{target_label} {{id: r.t}}) DELETE e RETURN count(*)",
                {"rows": batch},
            )[0][0])  # fmt: skip
        return deleted

    def merge_keys(self, label: str, keys: list[str]) -> None:
        """Make sure a `label` node with each of `keys` (distinct) as its `key` exists."""
        for batch in batches(keys):
            self.run(f"UNWIND $keys AS x MERGE (:{label} {{key: x}})", {"keys": batch})

    def bulk_create_nodes(self, label: str, rows: list[dict[str, Any]]) -> bool:
        """Create all of `rows` (all new) at once if the engine has a faster path for this many;
        False leaves them to upsert_nodes."""
        return False

    def bulk_create_edges(
        self, edge_type: str, source_label: str, target_label: str, rows: list[dict[str, Any]]
    ) -> bool:
        """As bulk_create_nodes, for new relationships; False leaves them to create_edges."""
        return False

    def bulk_create_edge_columns(
        self, edge_type: str, source_label: str, target_label: str, columns: dict[str, list[Any]],
        *, release: bool = False,
    ) -> bool:
        """bulk_create_edges of rows given as columns (`s`, `t` and the type's columns, each a list
        of the same length; a column left out is null); False leaves them to create_edges. `release`:
        the lists may be emptied once the engine holds the rows in a form of its own."""
        return False
