"""Neo4j's own word on a query: the plan `EXPLAIN` returns, checked against a read-only allow-list.

graph/cypher_guard.py reads the query's text; Neo4j reads it otherwise in places (a `//` comment
ends at `\\r`, `\\u0043ALL` is `CALL`), so the store also asks the server how it would run the query
and refuses a plan holding any operator, procedure or plug-in function outside the lists below.
EXPLAIN plans without running. An operator this list has never seen (say one a newer Neo4j adds),
an administration command (planned as `AdministrationCommand`, or not planned at all) and a query
the server cannot plan are all refused: the list fails safe.

Operator names are those of Neo4j 5.26's plan descriptions (read from its
LogicalPlan2PlanDescription and from EXPLAIN of the saved queries in queries/).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from govkg.errors import ReadOnlyViolation
from govkg.graph.cypher_guard import READ_PROCEDURES

__all__ = ["READ_FUNCTIONS", "READ_OPERATORS", "check_plan", "plan_operators"]

# Operators of reading queries. Left out on purpose: LoadCSV; every write (Create, Merge, LockingMerge,
# Set*, Remove*, Delete, DetachDelete, Foreach, AssertSame*, the (Locking) index seeks of MERGE); the
# schema and administration commands (CreateIndex, DropConstraint, DoNothingIfExists, AdministrationCommand);
# ShowTransactions, TerminateTransactions, ShowSettings, ShowProcedures, ShowFunctions; CALL { … } IN
# TRANSACTIONS (TransactionApply, TransactionForeach); RunQueryAt (composite databases).
READ_OPERATORS: frozenset[str] = frozenset(
    {
        # results, rows and projection
        "ProduceResults", "Projection", "Filter", "Unwind", "PartitionedUnwind", "Argument", "EmptyRow",
        "CacheProperties", "Eager", "EmptyResult", "Optional", "ProjectEndpoints",
        # ordering, paging, distinct, aggregation
        "Sort", "PartialSort", "Top", "PartialTop", "Limit", "ExhaustiveLimit", "Skip",
        "Distinct", "OrderedDistinct", "EagerAggregation", "OrderedAggregation",
        "NodeCountFromCountStore", "RelationshipCountFromCountStore",
        # scans and seeks (index seeks are matched by _INDEX_OPERATOR)
        "AllNodesScan", "NodeByLabelScan", "UnionNodeByLabelsScan", "IntersectionNodeByLabelsScan",
        "SubtractionNodeByLabelsScan", "NodeByIdSeek", "NodeByElementIdSeek",
        "DirectedAllRelationshipsScan", "UndirectedAllRelationshipsScan",
        "DirectedRelationshipTypeScan", "UndirectedRelationshipTypeScan",
        "DirectedUnionRelationshipTypesScan", "UndirectedUnionRelationshipTypesScan",
        "DirectedRelationshipByIdSeek", "UndirectedRelationshipByIdSeek",
        "DirectedRelationshipByElementIdSeek", "UndirectedRelationshipByElementIdSeek",
        "MultiNodeIndexSeek",
        "PartitionedAllNodesScan", "PartitionedNodeByLabelScan", "PartitionedUnionNodeByLabelsScan",
        "PartitionedIntersectionNodeByLabelsScan", "PartitionedSubtractionNodeByLabelsScan",
        "PartitionedDirectedAllRelationshipsScan", "PartitionedUndirectedAllRelationshipsScan",
        "PartitionedDirectedRelationshipTypeScan", "PartitionedUndirectedRelationshipTypeScan",
        "PartitionedDirectedUnionRelationshipTypesScan", "PartitionedUndirectedUnionRelationshipTypesScan",
        # traversal
        "ShortestPath", "PathPropagatingBFS", "TriadicSelection", "TriadicBuild", "TriadicFilter",
        # joins, subqueries (CALL { }, EXISTS { }, COUNT { }, COLLECT { }, pattern predicates), UNION
        "Apply", "SemiApply", "AntiSemiApply", "LetSemiApply", "LetAntiSemiApply", "SelectOrSemiApply",
        "SelectOrAntiSemiApply", "LetSelectOrSemiApply", "LetSelectOrAntiSemiApply", "RollUpApply",
        "CartesianProduct", "NodeHashJoin", "NodeLeftOuterHashJoin", "NodeRightOuterHashJoin", "ValueHashJoin",
        "Union", "OrderedUnion",
        # CALL of a procedure: allowed only for the names in READ_PROCEDURES (checked below)
        "ProcedureCall",
        # listing the schema, as graph/cypher_guard allows `SHOW INDEXES` and `SHOW CONSTRAINTS`
        "ShowIndexes", "ShowConstraints",
    }
)
# Traversals that name their mode in brackets: Expand(All), Expand(Into), OptionalExpand(Into),
# VarLengthExpand(Pruning,BFS,All), StatefulShortestPath(Into), Repeat(Trail)...
READ_MODED_OPERATORS: frozenset[str] = frozenset(
    {"Expand", "OptionalExpand", "VarLengthExpand", "StatefulShortestPath", "Repeat", "BidirectionalRepeat"}
)
# Index reads: NodeIndexSeek, NodeUniqueIndexSeekByRange, DirectedRelationshipIndexContainsScan,
# PartitionedNodeIndexScan… A MERGE's locking seek ends in "(Locking)" and does not match.
_INDEX_OPERATOR = re.compile(
    r"(?:Partitioned)?(?:Asserting)?(?:Node|DirectedRelationship|UndirectedRelationship|Relationship)"
    r"(?:Unique)?Index(?:Seek(?:ByRange)?|Scan|ContainsScan|EndsWithScan)"
)
_MODED = re.compile(r"([A-Za-z]+)\([A-Za-z,]+\)")

# Namespaced functions built into Neo4j 5.26 (`SHOW FUNCTIONS YIELD name, isBuiltIn`). Any other
# namespaced call in a plan is a plug-in's (apoc.*, a user-defined function) and is refused: a
# plug-in function may read files or URLs. Functions without a namespace are all built in.
READ_FUNCTIONS: frozenset[str] = frozenset(
    f"{kind}.{what}"
    for kinds, whats in (
        (("date", "localtime", "time", "localdatetime", "datetime"), ("realtime", "statement", "transaction",
                                                                       "truncate")),
        (("datetime",), ("fromepoch", "fromepochmillis")),
        (("duration",), ("between", "indays", "inmonths", "inseconds")),
        (("point",), ("distance", "withinbbox")),
        (("vector.similarity",), ("cosine", "euclidean")),
        (("graph",), ("byelementid", "byname")),
    )
    for kind in kinds
    for what in whats
)

# A namespaced call in an operator's details: `name.space.fn(`, back-quoted parts allowed.
_CALL = re.compile(r"((?:`[^`]+`|[A-Za-z_][A-Za-z0-9_]*)(?:\s*\.\s*(?:`[^`]+`|[A-Za-z_][A-Za-z0-9_]*))+)\s*\(")


def plan_operators(plan: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """Every operator of a plan tree (the driver's ResultSummary.plan) as (name, details), root first.
    The name loses the `@database` suffix Neo4j 5 adds ("Expand(All)@neo4j")."""
    stack = [plan]
    while stack:
        node = stack.pop()
        name = str(node.get("operatorType", "")).partition("@")[0]
        arguments = node.get("args") or node.get("arguments") or {}
        yield name, str(arguments.get("Details", ""))
        stack.extend(reversed(list(node.get("children") or [])))


def check_plan(plan: Mapping[str, Any] | None) -> None:
    """Raise ReadOnlyViolation unless every operator, procedure and namespaced function of `plan`
    (from `EXPLAIN <query>`) is on the read-only lists."""
    if not plan:
        raise ReadOnlyViolation("Neo4j gave no plan for the query, so it is not run; only reading queries are allowed")
    for operator, details in plan_operators(plan):
        if not _is_read_operator(operator):
            raise ReadOnlyViolation(
                f"the query was refused: Neo4j would run it with the operator {operator}, which is not on the "
                "read-only list (writes, LOAD CSV, administration and transaction commands are not allowed)"
            )
        if operator == "ProcedureCall":
            details = _check_procedure(details)
        for name in _CALL.findall(details):
            function = _plain_name(name)
            if function.lower() not in READ_FUNCTIONS:
                raise ReadOnlyViolation(
                    f"the query was refused: it calls the function {function}, which is not built into Neo4j "
                    "(plug-in functions are not allowed in ad-hoc queries)"
                )


def _is_read_operator(operator: str) -> bool:
    if operator in READ_OPERATORS or _INDEX_OPERATOR.fullmatch(operator):
        return True
    moded = _MODED.fullmatch(operator)
    return bool(moded and moded.group(1) in READ_MODED_OPERATORS)


def _check_procedure(details: str) -> str:
    """Refuse a procedure outside READ_PROCEDURES; return the details after its name (its arguments)."""
    head = _CALL.match(details.strip())
    name = _plain_name(head.group(1)) if head else ""
    if name.lower() not in READ_PROCEDURES:
        shown = name or details.strip().split("(", 1)[0] or "an unnamed procedure"
        allowed = ", ".join(sorted(p for p in READ_PROCEDURES if "." in p))
        raise ReadOnlyViolation(f"the query was refused: CALL {shown} is not a read-only procedure; allowed: {allowed}")
    return details.strip()[head.end() :] if head else ""


def _plain_name(name: str) -> str:
    """`db`.`labels` or db . labels -> db.labels."""
    return ".".join(part.strip().strip("`") for part in name.split("."))
