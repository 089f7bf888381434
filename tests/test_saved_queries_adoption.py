"""Saved queries over adoption timing: a planned adoption is no adoption, `adoption_timeline` lists a
practice's spread by year with plans flagged, `adopted_after_pilot` pairs pilots with later
adopters; both engines give the same rows for every saved query on such a graph.

Data: the hand-made test graph of tests/conftest.py (invented places), its adoptions given years
and stages here: 东街道 and 乙市 pilot 友邻议事会 in 2016, 西街道 takes it up in 2018 (learned),
甲市 rolls it out in 2019, 北街道 only plans it; 西街道 pilots 网格平台 in 2017 and 南街道 adopts it
in a year the text does not give.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from conftest import MECH, ZONE

from govkg.graph.ladybug_store import LadybugStore
from govkg.graph.model import Edge, GraphDocument
from govkg.graph.saved_queries import load_saved_queries, param_choices, run_saved_query
from govkg.graph.store import GraphStore, QueryResult

TIMING: list[tuple[str, str, dict[str, Any]]] = [
    ("东", "友邻议事会", {"year": 2016, "stage": "pilot"}),
    ("乙市", "友邻议事会", {"year": 2016, "stage": "pilot"}),
    ("西", "友邻议事会", {"year": 2018, "stage": "adopted", "learned": True}),
    ("甲市", "友邻议事会", {"year": 2019, "stage": "promoted"}),
    ("北", "友邻议事会", {"year": 2021, "stage": "planned"}),
    ("西", "网格平台", {"year": 2017, "stage": "pilot"}),
    ("南", "网格平台", {"stage": "adopted"}),
    ("南", "睦邻空间", {}),  # written without timing
]


def timed_graph(small_graph: GraphDocument) -> GraphDocument:
    said = next(e for e in small_graph.edges if e.type == "ADOPTS").evidence
    adopts = [Edge("ADOPTS", ZONE[z], MECH[m], list(said), props) for z, m, props in TIMING]
    return replace(small_graph, edges=[*(e for e in small_graph.edges if e.type != "ADOPTS"), *adopts])


@pytest.fixture()
def timed_store(embedded_store: LadybugStore, small_graph: GraphDocument) -> LadybugStore:
    embedded_store.write(timed_graph(small_graph))
    return embedded_store


def test_the_timeline_runs_by_year_with_the_plan_last_and_flagged(timed_store: LadybugStore) -> None:
    result = run_saved_query(timed_store, "adoption_timeline", {"mechanism": "友邻议事会"})
    assert result.columns == ["mechanism", "year", "stage", "planned", "zone", "learned", "evidence"]
    rows = [(r["year"], r["stage"], r["planned"], r["zone"], r["learned"]) for r in result.records()]
    assert rows == [
        (2016, "pilot", False, "乙市", False),
        (2016, "pilot", False, "甲市东街道", False),
        (2018, "adopted", False, "甲市西街道", True),
        (2019, "promoted", False, "甲市", False),
        (2021, "planned", True, "乙市北街道", False),
    ]
    assert all(r["evidence"] for r in result.records())


def test_the_timeline_of_all_mechanisms_puts_undated_after_dated(timed_store: LadybugStore) -> None:
    rows = run_saved_query(timed_store, "adoption_timeline").records()
    grid = [(r["year"], r["stage"], r["zone"]) for r in rows if r["mechanism"] == "网格平台"]
    assert grid == [(2017, "pilot", "甲市西街道"), (None, "adopted", "乙市南街道")]
    assert ("睦邻空间", None, "adopted") in {(r["mechanism"], r["year"], r["stage"]) for r in rows}


def test_adopted_after_pilot_pairs_each_pilot_with_later_adopters(timed_store: LadybugStore) -> None:
    result = run_saved_query(timed_store, "adopted_after_pilot")
    assert result.columns == [
        "mechanism",
        "pilot_zone",
        "pilot_year",
        "adopter",
        "adopter_year",
        "adopter_stage",
        "learned",
    ]
    # Two pilots of the same year are no followers of each other; a plan and an undated adoption
    # (南街道's 网格平台) are not counted.
    assert [tuple(r) for r in result.rows] == [
        ("友邻议事会", "乙市", 2016, "甲市西街道", 2018, "adopted", True),
        ("友邻议事会", "乙市", 2016, "甲市", 2019, "promoted", False),
        ("友邻议事会", "甲市东街道", 2016, "甲市西街道", 2018, "adopted", True),
        ("友邻议事会", "甲市东街道", 2016, "甲市", 2019, "promoted", False),
    ]
    assert run_saved_query(timed_store, "adopted_after_pilot", {"mechanism": "网格平台"}).rows == []


def test_a_same_year_adoption_follows_a_pilot_but_a_same_year_pilot_does_not(
    embedded_store: LadybugStore, small_graph: GraphDocument
) -> None:
    said = next(e for e in small_graph.edges if e.type == "ADOPTS").evidence
    edges = [
        Edge("ADOPTS", ZONE["东"], MECH["网格平台"], list(said), {"year": 2020, "stage": "pilot"}),
        Edge("ADOPTS", ZONE["西"], MECH["网格平台"], list(said), {"year": 2020, "stage": "promoted"}),
        Edge("ADOPTS", ZONE["南"], MECH["网格平台"], list(said), {"year": 2020, "stage": "pilot"}),
    ]
    embedded_store.write(replace(small_graph, edges=[*(e for e in small_graph.edges if e.type != "ADOPTS"), *edges]))
    rows = run_saved_query(embedded_store, "adopted_after_pilot", {"mechanism": "网格平台"}).rows
    assert [(r[1], r[3]) for r in rows] == [("乙市南街道", "甲市西街道"), ("甲市东街道", "甲市西街道")]


def test_no_saved_query_counts_a_plan_as_an_adoption(timed_store: LadybugStore) -> None:
    assert run_saved_query(timed_store, "zone_mechanisms", {"zone": "北街道"}).rows == []
    shared = run_saved_query(timed_store, "shared_mechanisms", {"zone": "东街道"}).records()
    assert "乙市北街道" not in {r["other_zone"] for r in shared}
    without = run_saved_query(timed_store, "zones_without_mechanisms").records()
    assert "乙市北街道" in {r["zone"] for r in without}
    overview = {r["zone"]: r["mechanisms"] for r in run_saved_query(timed_store, "zones_overview").records()}
    assert overview["乙市北街道"] == 0 and overview["甲市"] == 1
    by_category = run_saved_query(timed_store, "category_zones", {"category": "协商议事"}).records()
    assert "乙市北街道" not in {r["zone"] for r in by_category}
    parts = run_saved_query(timed_store, "mechanism_parts", {"mechanism": "友邻议事会"}).records()
    assert "乙市北街道" not in {r["zone"] for r in parts}
    choices = param_choices(timed_store, load_saved_queries()["zone_mechanisms"], "zone")
    assert "乙市北街道" not in choices and "甲市" in choices
    overview_rows = run_saved_query(timed_store, "category_overview").records()
    assert {r["category"]: r["zones"] for r in overview_rows}["协商议事"] == 4  # 东, 乙市, 西, 甲市


# --- both engines ----------------------------------------------------------------------------------


def _key(row: list[Any]) -> str:
    return json.dumps(row, ensure_ascii=False, sort_keys=True, default=str)


def _same(embedded: QueryResult, neo4j: QueryResult, ordered: bool, what: str) -> None:
    assert neo4j.columns == embedded.columns, what
    if ordered:
        assert neo4j.rows == embedded.rows, what
    else:
        assert sorted(neo4j.rows, key=_key) == sorted(embedded.rows, key=_key), what


@pytest.fixture()
def both(
    embedded_store: LadybugStore, neo4j_store: GraphStore, small_graph: GraphDocument
) -> Iterator[tuple[GraphStore, GraphStore]]:
    graph = timed_graph(small_graph)
    embedded_store.write(graph)
    neo4j_store.write(graph)
    yield embedded_store, neo4j_store


@pytest.mark.neo4j
def test_every_saved_query_agrees_on_a_graph_with_plans_and_pilots(both: tuple[GraphStore, GraphStore]) -> None:
    embedded, neo4j = both
    queries = load_saved_queries()
    assert {"adoption_timeline", "adopted_after_pilot"} <= set(queries)
    for name, query in queries.items():
        variants: list[dict[str, Any]] = [{}]
        for param in query.params:
            offered = param_choices(embedded, query, param.name)
            assert param_choices(neo4j, query, param.name) == offered, f"{name}: choices of {param.name}"
            variants.extend({param.name: value} for value in offered)
        for raw in variants:
            ordered = "ORDER BY" in query.cypher_for("neo4j").upper()
            _same(run_saved_query(embedded, name, raw), run_saved_query(neo4j, name, raw), ordered, f"{name} {raw}")
    timeline = run_saved_query(neo4j, "adoption_timeline", {"mechanism": "友邻议事会"}).records()
    assert [r["planned"] for r in timeline] == [False, False, False, False, True]
    assert len(run_saved_query(neo4j, "adopted_after_pilot").rows) == 4
