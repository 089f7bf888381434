"""Similarity, SIMILAR_TO, families and centrality give the same answers on Neo4j as on the embedded
store, for the bundled sheets and article (needs the project's Neo4j; skipped without Java)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from govkg.graph.analytics import centrality_from_store, families_from_store
from govkg.graph.ladybug_store import LadybugStore
from govkg.graph.model import GraphDocument
from govkg.graph.neo4j_store import Neo4jStore
from govkg.graph.saved_queries import run_saved_query
from govkg.graph.similarity import practice_graph, refresh_similarity, similar_zones

pytestmark = pytest.mark.neo4j

CASE_ZONES = ("杭州市江干区", "杭州市西湖区", "兰溪市兰江街道", "海宁市", "龙泉市宝溪乡")


@pytest.fixture()
def both(
    embedded_store: LadybugStore, neo4j_store: Neo4jStore, bundled_graph: GraphDocument
) -> Iterator[tuple[LadybugStore, Neo4jStore]]:
    embedded_store.write(bundled_graph)
    neo4j_store.write(bundled_graph)
    yield embedded_store, neo4j_store


def test_similarity_and_analytics_agree_across_engines(both: tuple[LadybugStore, Neo4jStore]) -> None:
    embedded, neo4j = both
    read = [practice_graph(s) for s in both]
    assert sorted(e.key for e in read[0].edges) == sorted(e.key for e in read[1].edges)
    for zone in CASE_ZONES:
        assert similar_zones(neo4j, zone) == similar_zones(embedded, zone), zone
    assert similar_zones(neo4j, "江干区").similar[0].zone == "温州市五马街道"
    assert families_from_store(neo4j) == families_from_store(embedded)
    assert centrality_from_store(neo4j) == centrality_from_store(embedded)


def test_refresh_writes_the_same_similar_to_on_both(both: tuple[LadybugStore, Neo4jStore]) -> None:
    summaries = [refresh_similarity(store, top=3) for store in both]
    assert summaries[0].edges_created == summaries[1].edges_created == 30  # three for each of ten zones
    rows = [run_saved_query(store, "similar_zones", {"zone": "兰溪市兰江街道"}).rows for store in both]
    assert rows[0] == rows[1] and len(rows[0]) == 3
    again = [refresh_similarity(store, top=1) for store in both]
    assert again[0].edges_deleted == again[1].edges_deleted == 30
    assert [s.counts_after["SIMILAR_TO"] for s in again] == [10, 10]
