"""Both engines hold the same graph and answer every query alike.

The same data (the hand-made test graph, and the bundled cases and article) is loaded into the
embedded LadybugDB store and into Neo4j; then counts, snapshots, neighbourhoods, every saved query
for every value its form offers, and a set of ad-hoc queries covering each kind of value must agree.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from test_saved_queries import reprinted_graph
from test_store_contract import canonical  # tests/ is on sys.path (see conftest.py)

from govkg.graph.ladybug_store import LadybugStore
from govkg.graph.model import Document, Edge, Evidence, GraphDocument, Node
from govkg.graph.neo4j_store import Neo4jStore
from govkg.graph.saved_queries import load_saved_queries, param_choices, run_saved_query
from govkg.graph.store import GraphStore, QueryResult

pytestmark = pytest.mark.neo4j

DATASETS = ("small", "bundled")


@dataclass
class Pair:
    embedded: LadybugStore
    neo4j: Neo4jStore
    graph: GraphDocument

    @property
    def stores(self) -> tuple[GraphStore, GraphStore]:
        return self.embedded, self.neo4j


@pytest.fixture(params=DATASETS)
def pair(
    request: pytest.FixtureRequest, embedded_store: LadybugStore, neo4j_store: Neo4jStore, small_graph: GraphDocument
) -> Iterator[Pair]:
    """Both stores holding the same data set, each loaded once."""
    graph = small_graph if request.param == "small" else request.getfixturevalue("bundled_graph")
    embedded_store.write(graph)
    neo4j_store.write(graph)
    yield Pair(embedded_store, neo4j_store, graph)


def _row_key(row: list[Any]) -> str:
    return json.dumps(row, ensure_ascii=False, sort_keys=True)


def _without_load_time(value: Any) -> Any:
    """A Document node's `loaded_at` is the clock at load time, different per engine by design."""
    if isinstance(value, dict):
        return {
            k: _without_load_time(v)
            for k, v in value.items()
            if not (k == "loaded_at" and value.get("_label") == "Document")
        }
    if isinstance(value, list):
        return [_without_load_time(v) for v in value]
    return value


def assert_same_rows(embedded: QueryResult, neo4j: QueryResult, cypher: str, what: str) -> None:
    assert neo4j.columns == embedded.columns, what
    assert neo4j.truncated == embedded.truncated, what
    got, want = _without_load_time(neo4j.rows), _without_load_time(embedded.rows)
    if "ORDER BY" in cypher.upper():
        assert got == want, what
    else:
        assert sorted(got, key=_row_key) == sorted(want, key=_row_key), what


# --- the stored graph ----------------------------------------------------------------------------


def test_counts_and_snapshots_agree(pair: Pair) -> None:
    assert pair.neo4j.counts() == pair.embedded.counts()
    assert sum(pair.neo4j.counts().values()) > 0
    embedded_snap, neo4j_snap = pair.embedded.snapshot(), pair.neo4j.snapshot()
    assert neo4j_snap.problems() == [] and embedded_snap.problems() == []
    assert canonical(neo4j_snap) == canonical(embedded_snap)


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


def test_neighbourhoods_agree(pair: Pair) -> None:
    starts = [n.id for n in pair.graph.nodes[:: max(1, len(pair.graph.nodes) // 12)]]
    starts.append(pair.graph.documents[0].id)  # from a document MENTIONS is followed
    for start in starts:
        for depth, limit in ((1, 200), (2, 15)):
            embedded = pair.embedded.neighbourhood(start, depth=depth, limit=limit)
            neo4j = pair.neo4j.neighbourhood(start, depth=depth, limit=limit)
            what = f"{start} depth {depth} limit {limit}"
            assert [n.id for n in neo4j.nodes] == [n.id for n in embedded.nodes], what
            assert canonical(neo4j) == canonical(embedded), what
    assert pair.neo4j.node("zone:没有这个地方") is None and pair.embedded.node("zone:没有这个地方") is None


# --- saved queries -------------------------------------------------------------------------------


def test_every_saved_query_gives_the_same_rows_for_every_offered_value(pair: Pair) -> None:
    queries = load_saved_queries()
    assert queries, "no saved queries found"
    runs = 0
    non_empty = 0
    for name, query in queries.items():
        variants: list[dict[str, Any]] = [{}]  # the defaults
        for param in query.params:
            embedded_choices = param_choices(pair.embedded, query, param.name)
            neo4j_choices = param_choices(pair.neo4j, query, param.name)
            assert neo4j_choices == embedded_choices, f"{name}: choices of {param.name}"
            variants.extend({param.name: value} for value in embedded_choices)
        for raw in variants:
            what = f"{name} {raw}"
            embedded = run_saved_query(pair.embedded, name, raw, queries=queries)
            neo4j = run_saved_query(pair.neo4j, name, raw, queries=queries)
            assert_same_rows(embedded, neo4j, query.cypher_for("neo4j"), what)
            runs += 1
            non_empty += bool(embedded.rows)
    assert non_empty > 0, "every saved query returned nothing: the comparison proved little"
    assert runs >= len(queries)


# Saved queries whose parameter finds one node by any text that names it (id, name, full name, alias):
# on Neo4j through the name lookup, on the embedded store by comparing the node's own properties.
# (parameter, label, the relationship that gives the node rows and at which end it is, its named-by properties)
_NAMED_BY_ANY_TEXT = {
    "zone_policies": ("zone", "Zone", ("IMPLEMENTS", "source"), ("name", "full_name")),
    "mechanism_parts": ("mechanism", "Mechanism", ("HAS_PART", "source"), ("name",)),
    "mechanism_organisations": ("mechanism", "Mechanism", ("PARTICIPATES_IN", "target"), ("name",)),
    "adoption_timeline": ("mechanism", "Mechanism", ("ADOPTS", "target"), ("name",)),
    "policy_mechanisms": ("policy", "Policy", None, ("name",)),  # every policy has a row
}


@pytest.mark.parametrize("name", sorted(_NAMED_BY_ANY_TEXT))
def test_a_node_is_found_by_every_text_that_names_it_on_both_engines(pair: Pair, name: str) -> None:
    """Each text of each node the query reports on (its id, names and aliases) gives that node's rows,
    the same on both engines; the offered values (names only) would not catch a lookup that misses ids
    or aliases."""
    param, label, edges, named_by = _NAMED_BY_ANY_TEXT[name]
    nodes = [n for n in pair.graph.nodes if n.label == label]
    if edges is not None:
        edge_type, end = edges
        ends = {e.source if end == "source" else e.target for e in pair.graph.edges if e.type == edge_type}
        nodes = [n for n in nodes if n.id in ends]
    kinds: set[str] = set()
    for node in nodes:
        texts = {"id": [node.id], "alias": list(node.aliases)}
        for prop in named_by:
            value = node.name if prop == "name" else node.properties.get(prop)
            texts[prop] = [value] if value else []
        for kind, values in texts.items():
            for text in values:
                embedded = run_saved_query(pair.embedded, name, {param: text})
                neo4j = run_saved_query(pair.neo4j, name, {param: text})
                assert_same_rows(embedded, neo4j, "ORDER BY", f"{name} {kind} {text}")
                assert embedded.rows, f"{name}: {kind} {text!r} of {node.id} found nothing"
                kinds.add(kind)
    assert {"id", "name"} <= kinds, f"{name}: too few texts tried ({sorted(kinds)})"


def test_a_row_limit_cuts_both_engines_at_the_same_row(pair: Pair) -> None:
    embedded = run_saved_query(pair.embedded, "zones_overview", {}, limit=3)
    neo4j = run_saved_query(pair.neo4j, "zones_overview", {}, limit=3)
    assert neo4j.rows == embedded.rows and len(neo4j.rows) == 3
    assert neo4j.truncated and embedded.truncated


# --- ad-hoc queries: every kind of value --------------------------------------------------------

AD_HOC = {
    "nodes": "MATCH (z:Zone) RETURN z ORDER BY z.id",
    "every label": "MATCH (n) WHERE n.id STARTS WITH $prefix RETURN n ORDER BY n.id",
    "relationships": "MATCH (a)-[r:ADOPTS]->(b) RETURN a.id AS zone, r, b.id AS mechanism ORDER BY zone, mechanism",
    "evidence lists": "MATCH (d:Document)-[m:MENTIONS]->(n) RETURN d.id AS document, n.id AS node, "
    "size(m.evidence_texts) AS k, m.evidence_starts AS offsets ORDER BY document, node",
    "paths": "MATCH p = (z:Zone)-[:PART_OF]->(up:Zone) RETURN p ORDER BY z.id, up.id",
    "variable length": (
        "MATCH (z:Zone)-[r:PART_OF*1..4]->(top:Zone) RETURN z.id AS zone, top.id AS above, r ORDER BY zone, above"
    ),
    "aggregation": "MATCH (z:Zone) RETURN z.level AS level, count(*) AS zones ORDER BY level",
    "optional match": "MATCH (m:Mechanism) OPTIONAL MATCH (m)-[:HAS_PART]->(p:Mechanism) "
    "RETURN m.id AS mechanism, p.id AS part ORDER BY mechanism, part",
    "maps": "MATCH (z:Zone) RETURN {name: z.name, level: z.level, code: z.code} AS zone ORDER BY z.id",
    "scalars": "RETURN null AS nothing, 1.5 AS x, 7 AS n, true AS yes, 'é中' AS s, [1, 2, 3] AS l",
    "unordered": "MATCH (m:Mechanism)-[c:IN_CATEGORY]->(k:Category) RETURN m.name, c.cue, k.name",
    "integers": "MATCH (p:Policy) RETURN p.name AS policy, p.year AS year ORDER BY policy",
    "exists": "MATCH (z:Zone) WHERE EXISTS { MATCH (z)-[:ADOPTS]->(:Mechanism) } RETURN z.name ORDER BY z.name",
}


@pytest.mark.parametrize("name", sorted(AD_HOC))
def test_ad_hoc_queries_give_the_same_values(pair: Pair, name: str) -> None:
    cypher = AD_HOC[name]
    params = {"prefix": ""} if "$prefix" in cypher else {}
    embedded = pair.embedded.read(cypher, params)
    neo4j = pair.neo4j.read(cypher, params)
    assert_same_rows(embedded, neo4j, cypher, name)


def _searched_texts(graph: GraphDocument) -> list[str]:
    """Texts of every kind evidence_search treats apart: pieces of real evidence sentences (Han words
    of two and more characters, one character, a piece across a comma, one ending in a mark), Latin
    letters and digits, Lucene's special characters and quote marks, none found."""
    sentences = sorted({ev.text for e in graph.edges for ev in e.evidence} - {""})
    assert sentences
    longest = max(sentences, key=len)
    comma = next((t for t in sentences if "，" in t[2:-2]), longest)
    at = comma.find("，", 2)
    return [
        longest[:2], longest[2:9], longest[-6:], longest[:1], comma[at - 2 : at + 3], longest,
        "社区", "议事会", "邻里", "没有这样的证据句", "街道 ", "1246", "N", "+N", "AND", '"', '议事"会',
        "议事*", "(议事)", "\\", "议事 会", "１２",
    ]  # fmt: skip


def test_evidence_search_agrees_for_every_kind_of_text(pair: Pair) -> None:
    """On Neo4j a Han word is looked up in the full-text index of the evidence, anything else read
    from every sentence: both must give the embedded store's rows, found sentences and none."""
    found = 0
    for text in _searched_texts(pair.graph):
        embedded = run_saved_query(pair.embedded, "evidence_search", {"text": text})
        neo4j = run_saved_query(pair.neo4j, "evidence_search", {"text": text})
        assert neo4j.columns == embedded.columns and neo4j.rows == embedded.rows, text
        found += bool(embedded.rows)
    assert found >= 6, "the texts found too little: the comparison proved little"


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


# --- derived relationships -----------------------------------------------------------------------


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


def test_bundled_data_is_really_compared(pair: Pair) -> None:
    """Guard against a vacuous pass: the bundled set must hold the article's documents and zones."""
    counts = pair.neo4j.counts()
    assert counts["Document"] == len(pair.graph.documents) >= 1
    assert counts["Zone"] == sum(1 for n in pair.graph.nodes if n.label == "Zone") >= 3


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
