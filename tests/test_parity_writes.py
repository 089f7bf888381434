"""Both engines alike where a test writes: loading again, replacing derived relationships, and small
graphs written for one question each (evidence_search's orders and pages, shared_categories' two plans).
The read-only comparisons on one loaded pair are in tests/test_parity.py."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from test_parity import DATASETS, Pair, assert_same_rows
from test_saved_queries import reprinted_graph
from test_store_contract import canonical  # tests/ is on sys.path (see conftest.py)

from govkg.graph.ladybug_store import LadybugStore
from govkg.graph.model import Document, Edge, Evidence, GraphDocument, Node
from govkg.graph.neo4j_store import Neo4jStore
from govkg.graph.saved_queries import run_saved_query

pytestmark = pytest.mark.neo4j


@pytest.fixture(params=DATASETS)
def pair(
    request: pytest.FixtureRequest, embedded_store: LadybugStore, neo4j_store: Neo4jStore, small_graph: GraphDocument
) -> Iterator[Pair]:
    """Both stores holding the same data set, each loaded afresh for a test that writes."""
    graph = small_graph if request.param == "small" else request.getfixturevalue("bundled_graph")
    embedded_store.write(graph)
    neo4j_store.write(graph)
    yield Pair(embedded_store, neo4j_store, graph)


def test_loading_twice_changes_nothing_on_either(pair: Pair) -> None:
    before = {store.engine: (store.counts(), canonical(store.snapshot())) for store in pair.stores}
    summaries = {store.engine: store.write(pair.graph) for store in pair.stores}
    for store in pair.stores:
        summary = summaries[store.engine]
        assert summary.nodes_created == 0 and summary.edges_created == 0, store.engine
        assert (store.counts(), canonical(store.snapshot())) == before[store.engine], store.engine
    embedded, neo4j = summaries["embedded"], summaries["neo4j"]
    assert (neo4j.documents, neo4j.nodes_matched, neo4j.edges_matched, neo4j.counts_after) == (
        embedded.documents,
        embedded.nodes_matched,
        embedded.edges_matched,
        embedded.counts_after,
    )



def _searched_on_both(
    embedded_store: LadybugStore, neo4j_store: Neo4jStore, graph: GraphDocument, words: tuple[str, ...]
) -> dict[str, list[list[Any]]]:
    """`graph` written to both stores, then evidence_search for each word: the embedded rows, each
    word's checked equal to Neo4j's. One character goes to Neo4j's plan for texts its full-text index
    cannot serve, two and more Han characters (rare here) to the index."""
    assert graph.problems() == []
    embedded_store.write(graph)
    neo4j_store.write(graph)
    found: dict[str, list[list[Any]]] = {}
    for word in words:
        embedded = run_saved_query(embedded_store, "evidence_search", {"text": word})
        neo4j = run_saved_query(neo4j_store, "evidence_search", {"text": word})
        assert neo4j.rows == embedded.rows, word
        found[word] = embedded.rows
    return found


def _community(zone_id: str, name: str) -> Node:
    return Node(zone_id, "Zone", name, properties={"level": "community"})


def test_evidence_search_orders_a_source_without_a_name_first_on_both_engines(
    embedded_store: LadybugStore, neo4j_store: Neo4jStore
) -> None:
    """For a text its full-text index cannot serve, Neo4j reads the sources in name order from the name
    lookup, which holds no empty name: a source named "" (sorted first) must still be found, as on the
    embedded store, and by the index too."""
    text = "两个社区共建邻里议事会，居民共同商议公共事务。"
    at = text.index("邻里议事会")
    document = Document("document:nameless", "nameless.txt", "无名", "", "", "", text)
    evidence = [Evidence(document.id, text[at : at + 5], at, at + 5)]
    graph = GraphDocument(
        [document],
        [_community("zone:nameless", ""), _community("zone:named", "甲社区"),
         Node("mechanism:council", "Mechanism", "邻里议事会")],
        [Edge("ADOPTS", zone, "mechanism:council", evidence) for zone in ("zone:nameless", "zone:named")],
    )  # fmt: skip
    for word, rows in _searched_on_both(embedded_store, neo4j_store, graph, ("邻", "邻里", "议事会")).items():
        assert [row[0] for row in rows] == ["", "甲社区"], word


def test_evidence_search_finds_every_evidenced_type_on_both_engines(
    embedded_store: LadybugStore, neo4j_store: Neo4jStore
) -> None:
    """Every relationship type that keeps evidence (LEARNED_FROM too) is searched, on both engines."""
    text = "乙社区学习借鉴了甲社区的邻里议事经验。"
    document = Document("document:learned", "learned.txt", "借鉴", "", "", "", text)
    graph = GraphDocument(
        [document],
        [_community("zone:learner", "乙社区"), _community("zone:model", "甲社区")],
        [Edge("LEARNED_FROM", "zone:learner", "zone:model", [Evidence(document.id, text, 0, len(text))])],
    )
    for word, rows in _searched_on_both(embedded_store, neo4j_store, graph, ("鉴", "借鉴", "学习借鉴")).items():
        assert rows == [["乙社区", "LEARNED_FROM", "甲社区", text, "借鉴"]], word


def test_shared_categories_pages_agree_whichever_way_neo4j_finds_the_other_zones(
    embedded_store: LadybugStore, neo4j_store: Neo4jStore
) -> None:
    """Neo4j finds the other zones either by walking the shared categories or by reading all zones in
    name order (when the categories hold many rows for the page asked); every page must be the embedded
    store's, names tied, empty and repeated included."""
    text = "各社区推行邻里议事会和红色物业。"
    document = Document("document:shared", "shared.txt", "共享", "", "", "", text)
    evidence = [Evidence(document.id, text, 0, len(text))]
    names = ["", "甲社区", "甲社区", "乙社区", "丙社区", *(f"社区{i:02d}" for i in range(25))]
    zones = [_community(f"zone:s{i:02d}", name) for i, name in enumerate(names)]
    categories = [Node("category:deliberation", "Category", "协商议事"), Node("category:property", "Category", "物业")]
    mechanisms = [Node(f"mechanism:m{i}", "Mechanism", f"机制{i}") for i in range(3)]
    edges = [
        Edge("IN_CATEGORY", "mechanism:m0", "category:deliberation", evidence),
        Edge("IN_CATEGORY", "mechanism:m1", "category:property", evidence),
        Edge("IN_CATEGORY", "mechanism:m2", "category:deliberation", evidence),
        Edge("IN_CATEGORY", "mechanism:m2", "category:property", evidence),
    ]
    # Every zone adopts one of the three mechanisms, a few none: categories of 10-20 zones each.
    edges += [Edge("ADOPTS", z.id, f"mechanism:m{i % 3}", evidence) for i, z in enumerate(zones) if i % 7 != 6]
    # Written in reverse: of two zones with the same name, the one Neo4j stores first has the higher id.
    graph = GraphDocument([document], [*reversed(zones), *categories, *mechanisms], edges)
    assert graph.problems() == []
    embedded_store.write(graph)
    neo4j_store.write(graph)
    categories_of: dict[str, list[str]] = {}
    for e in edges:
        if e.type == "IN_CATEGORY":
            categories_of.setdefault(e.source, []).append(e.target)
    rows_of = Counter(c for e in edges if e.type == "ADOPTS" for c in categories_of[e.target])  # zones a category
    plans = set()
    found = 0
    for i, zone in enumerate(zones):
        if i % 7 == 6:
            continue
        rows = sum(rows_of[c] for c in categories_of[f"mechanism:m{i % 3}"])  # what the shared categories hold
        for skip, limit in ((0, 100), (0, 1), (0, 3), (2, 2), (9, 4), (30, 5)):
            plans.add(rows * rows >= (skip + limit) * len(zones))  # the query's own choice
            values = {"zone": zone.id, "skip": skip, "limit": limit}
            embedded = run_saved_query(embedded_store, "shared_categories", values)
            neo4j = run_saved_query(neo4j_store, "shared_categories", values)
            assert neo4j.rows == embedded.rows, values
            found += len(embedded.rows)
    assert plans == {True, False}, "only one of Neo4j's two ways was taken"
    assert found > 100, "the pages held too little: the comparison proved little"



def test_replacing_derived_relationships_agrees(pair: Pair) -> None:
    zones = sorted(n.id for n in pair.graph.nodes if n.label == "Zone")
    assert len(zones) >= 3
    first = [
        Edge("SIMILAR_TO", zones[0], zones[1], [], {"score": 0.5, "shared": ["written for testing"]}),
        Edge("SIMILAR_TO", zones[1], zones[2], [], {"score": 0.25, "shared": []}),
    ]
    second = [Edge("SIMILAR_TO", zones[0], zones[2], [], {"score": 1.0, "shared": ["written for testing"]})]
    for edges in (first, second):
        summaries = [store.replace_relationships("SIMILAR_TO", edges) for store in pair.stores]
        assert summaries[1].edges_deleted == summaries[0].edges_deleted
        assert summaries[1].counts_after == summaries[0].counts_after
        assert summaries[1].counts_after["SIMILAR_TO"] == len(edges)
    cypher = "MATCH (a:Zone)-[s:SIMILAR_TO]->(b:Zone) RETURN a.id AS zone, b.id AS other, s ORDER BY zone, other"
    assert_same_rows(pair.embedded.read(cypher), pair.neo4j.read(cypher), cypher, "SIMILAR_TO")
    assert canonical(pair.neo4j.snapshot()) == canonical(pair.embedded.snapshot())



def test_evidence_search_pages_agree_where_names_and_titles_repeat(
    embedded_store: LadybugStore, neo4j_store: Neo4jStore
) -> None:
    """Two sources of one name and an article printed twice under one title, whose rows collapse: every
    page on Neo4j (the full-text index for 议事 and 网格服务, sources in name order for 议 and 。) is the
    embedded store's, which is held to its one-pass definition in tests/test_saved_queries.py."""
    graph = reprinted_graph()
    _searched_on_both(embedded_store, neo4j_store, graph, ())
    for text in ("议事", "议", "网格服务", "。"):
        for skip in (0, 1, 4, 9):
            for limit in (1, 3, 500):
                params = {"text": text, "skip": skip, "limit": limit}
                embedded = run_saved_query(embedded_store, "evidence_search", params).rows
                assert run_saved_query(neo4j_store, "evidence_search", params).rows == embedded, params
