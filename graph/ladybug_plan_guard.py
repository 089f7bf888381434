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

from govkg.errors import ReadOnlyViolation
from govkg.graph.cypher_guard import READ_PROCEDURES

__all__ = ["READ_OPERATORS", "READ_TABLE_FUNCTIONS", "check_plan", "plan_parts"]

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
