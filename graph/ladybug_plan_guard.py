"""The embedded engine's own word on a query: its physical plan, checked against a read-only allow-list.

graph/cypher_guard.py reads the query's text; this module asks LadybugDB how it would run it
(`EXPLAIN`) and refuses a plan holding any operator or table function outside the lists below. An
operator this list has never seen, say one a newer LadybugDB adds, is refused: the list fails safe.

Run it only after the text guard: LadybugDB binds a statement to plan it, and binding some
statements already acts (measured on 0.22: `EXPLAIN EXPORT DATABASE '/x'` creates the folder).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from govkg.errors import QueryError, ReadOnlyViolation
from govkg.graph.cypher_guard import READ_PROCEDURES

__all__ = [
    "READ_OPERATORS",
    "READ_TABLE_FUNCTIONS",
    "TopK",
    "check_plan",
    "check_top_k_skips",
    "plan_parts",
    "top_k_operators",
]

# Physical operators of reading queries (LadybugDB 0.22 names, as EXPLAIN prints them). Left out on
# purpose: COPY_TO, INSERT, MERGE, SET_PROPERTY, DELETE, BATCH_INSERT, PARTITIONER, the DDL and
# database operators, TRANSACTION, STANDALONE_CALL (settings), the extension operators, PROFILE.
READ_OPERATORS: frozenset[str] = frozenset(
    {
        "AGGREGATE",
        "AGGREGATE_FINALIZE",
        "AGGREGATE_SCAN",
        # Counts the optimiser answers from the relationship tables themselves: `MATCH ()-[:R]->()-[:R]->()
        # RETURN count(*)` runs as COUNT_EXTEND_CHAIN and was refused as a write.
        "COUNT_ANTI_EDGE_CHAIN",
        "COUNT_EXTEND_CHAIN",
        "COUNT_REL_TABLE",
        "CROSS_PRODUCT",
        "DUMMY_SINK",
        "EMPTY_RESULT",
        "FILTER",
        "FLATTEN",
        "HASH_JOIN_BUILD",
        "HASH_JOIN_PROBE",
        "INDEX_LOOKUP",
        "INTERSECT",
        "INTERSECT_BUILD",
        "LIMIT",
        "MULTIPLICITY_REDUCER",
        "ORDER_BY",
        "ORDER_BY_MERGE",
        "ORDER_BY_SCAN",
        "PATH_PROPERTY_PROBE",
        "PRIMARY_KEY_SCAN_NODE_TABLE",
        "PROJECTION",
        "QUERY_PRIMARY_KEY_LOOKUP",  # 0.22's name for a lookup by id
        "REACHABLE_COUNT",
        "RECURSIVE_EXTEND",
        "REL_DEGREE_TABLE",
        "RESULT_COLLECTOR",
        "SCAN_NODE_TABLE",
        "SCAN_REL_TABLE",
        "SEMI_MASKER",
        "SKIP",
        "TABLE_FUNCTION_CALL",
        "TOP_K",
        "TOP_K_SCAN",
        "UNION_ALL_SCAN",
        "UNWIND",
    }
)
# Table functions a plan may call: the engine's own scan of intermediate results, and the read-only
# procedures the text guard allows.
READ_TABLE_FUNCTIONS: frozenset[str] = frozenset({"READ_FTABLE", *(name.upper() for name in READ_PROCEDURES)})

# An operator heads its box as NAME[id]; a table function is printed as `Function: NAME`.
_OPERATOR = re.compile(r"\b([A-Z][A-Z0-9_]*)\[\d+\]")
_FUNCTION = re.compile(r"\bFunction: ([A-Za-z_][A-Za-z0-9_.]*)")


# LadybugDB 0.22 plans an ORDER BY that both skips and limits as one top-k operator. Its scan starts at
# the skip-th sorted row without checking that the row exists: it finds the row's block as
# skip // (rows a block holds), and a block that does not exist is a wild pointer, so a skip past
# the end by a block or more kills the process (SIGSEGV; docs/measured.md). The sort's blocks are
# 256 KiB; a row is its keys (at most 17 bytes each: a flag and 16) and an 8-byte index. A skip
# below what one block holds stays inside the first block, which exists whenever there is a row:
# measured, DISTINCT over one integer key crashed from skip 15,420 = 262,144 // (8 + 9), never below.
_SORT_BLOCK_BYTES = 262_144
_ROW_INDEX_BYTES = 8
_KEY_BYTES_AT_MOST = 17
_TOP_K = re.compile(r"\bTOP_K\[\d+\]")  # not TOP_K_SCAN, which reads what the operator kept


@dataclass(frozen=True)
class TopK:
    """A top-k operator of a printed plan: how many rows it skips, and by how many keys it sorts."""

    skip: int
    keys: int

    @property
    def safe_skip(self) -> int:
        """The largest skip that stays inside the first block of sorted rows, whatever their number."""
        return _SORT_BLOCK_BYTES // (_ROW_INDEX_BYTES + _KEY_BYTES_AT_MOST * max(self.keys, 1)) - 1


def _box_lines(lines: list[str], row: int, column: int) -> list[str]:
    """The inner lines of the box whose title is at (row, column): boxes of one plan may stand side
    by side, so a box is read between its own borders."""
    left = lines[row].rfind("│", 0, column)
    right = lines[row].find("│", column)
    inner: list[str] = []
    for line in lines[row + 1 :]:
        part = line[left : right + 1]
        if not part.startswith("│"):  # its bottom edge (└) or a line too short: the box is over
            break
        inner.append(part.strip("│ "))
    return inner


def top_k_operators(plan: str) -> list[TopK]:
    """Every top-k operator of a printed plan, read from its box: `Order By:` then a key a line,
    then `Expressions:`; `Skip: N`. A box that cannot be read counts as skipping and unsafe."""
    lines = plan.splitlines()
    found: list[TopK] = []
    for row, line in enumerate(lines):
        for title in _TOP_K.finditer(line):
            inner = _box_lines(lines, row, title.start())
            skips = [int(text[len("Skip: ") :]) for text in inner if re.fullmatch(r"Skip: \d+", text)]
            at = next((i for i, text in enumerate(inner) if text.startswith("Order By:")), None)
            if len(skips) != 1 or at is None:
                found.append(TopK(skip=1 << 62, keys=1))
                continue
            keys = 1
            while at + keys < len(inner) and not inner[at + keys].startswith(("Expressions:", "Skip:", "---")):
                keys += 1
            found.append(TopK(skip=skips[0], keys=keys))
    return found


def check_top_k_skips(plan: str) -> None:
    """Raise QueryError when a top-k operator may skip past its first block of sorted rows (see above).
    An ORDER BY that skips, with its LIMIT in the next clause, is a sort and then a SKIP: safe."""
    if any(op.skip > op.safe_skip for op in top_k_operators(plan)):
        raise QueryError(
            "on the embedded store an ORDER BY that skips this many rows and limits in the same clause can crash "
            "LadybugDB 0.22 when the skip passes the last row: put the LIMIT in a clause of its own, e.g. "
            "`WITH n ORDER BY n.name SKIP 10000 RETURN n LIMIT 50`. "
            "嵌入式存储中跳过大量行时，请把 LIMIT 写在 ORDER BY … SKIP 之后的单独子句里。"
        )


def plan_parts(plan: str) -> tuple[set[str], set[str]]:
    """The operators and table functions named in a printed LadybugDB plan."""
    return set(_OPERATOR.findall(plan)), {f.upper() for f in _FUNCTION.findall(plan)}


def check_plan(explain: Callable[[str], str], cypher: str) -> None:
    """Raise ReadOnlyViolation unless every operator and table function of the query's plan is on
    the read-only lists. `explain` returns the printed plan of `EXPLAIN <cypher>`."""
    operators, functions = plan_parts(explain(cypher))
    if not operators:
        raise ReadOnlyViolation(
            "LadybugDB gave no plan for this query, so it cannot be checked: ad-hoc queries are read-only. "
            "只读查询须有可检查的执行计划。"
        )
    refused = sorted(operators - READ_OPERATORS)
    if refused:
        raise ReadOnlyViolation(
            f"the query's plan holds {', '.join(refused)}, which is not a read: ad-hoc queries are read-only. "
            "只读查询的执行计划只能读取。"
        )
    refused = sorted(functions - READ_TABLE_FUNCTIONS)
    if refused:
        raise ReadOnlyViolation(
            f"the query calls {', '.join(refused)}, which is not a known read-only function: ad-hoc queries "
            "are read-only. 只读查询只能调用只读函数。"
        )
