"""Both engines hold the same graph and answer every query alike.

The same data (the hand-made test graph, and the bundled cases and article) is loaded into the
embedded LadybugDB store and into Neo4j; then counts, snapshots, neighbourhoods, every saved query
for every value its form offers, and a set of ad-hoc queries covering each kind of value must agree.
These tests only read, so each data set is loaded once for all of them; the comparisons that write
are in tests/test_parity_writes.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from conftest import build_small_graph
from neo4j_fixture import Neo4jTarget, clear_database
from test_store_contract import canonical  # tests/ is on sys.path (see conftest.py)

from govkg.graph.ladybug_store import LadybugStore
from govkg.graph.model import GraphDocument
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
    counts: dict[str, int] = field(default_factory=dict)  # Neo4j's, as loaded

    @property
    def stores(self) -> tuple[GraphStore, GraphStore]:
        return self.embedded, self.neo4j


@pytest.fixture(scope="module", params=DATASETS)
def held_pair(request: pytest.FixtureRequest, neo4j_target: Neo4jTarget,
              tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    """Both stores holding the same data set, loaded once for the module's tests, which only read them
    (the tests that write are in tests/test_parity_writes.py)."""
    graph = build_small_graph() if request.param == "small" else request.getfixturevalue("bundled_graph")
    clear_database(neo4j_target)
    embedded = LadybugStore(tmp_path_factory.mktemp("parity") / "govkg.lbdb")
    neo4j = Neo4jStore(neo4j_target.uri, user=neo4j_target.user, password=neo4j_target.password)
    try:
        embedded.write(graph)
        neo4j.write(graph)
        yield Pair(embedded, neo4j, graph, neo4j.counts())
    finally:
        embedded.close()
        neo4j.close()


@pytest.fixture()
def pair(held_pair: Pair) -> Pair:
    """The module's loaded pair, checked still whole: a test that emptied or wrote the shared Neo4j
    database would otherwise make the next tests compare the wrong data."""
    assert held_pair.neo4j.counts() == held_pair.counts, "the shared Neo4j database was changed by a test"
    return held_pair


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


# --- the guard -----------------------------------------------------------------------------------


def test_bundled_data_is_really_compared(pair: Pair) -> None:
    """Guard against a vacuous pass: the bundled set must hold the article's documents and zones."""
    counts = pair.neo4j.counts()
    assert counts["Document"] == len(pair.graph.documents) >= 1
    assert counts["Zone"] == sum(1 for n in pair.graph.nodes if n.label == "Zone") >= 3
