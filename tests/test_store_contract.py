"""What every GraphStore promises, checked on both engines: a LadybugDB file in tmp_path and the
project's real Neo4j server (tests/neo4j_fixture.py; emptied for each test). Engine-specific
behaviour (files, locks, staging; sessions, server settings, auth) stays in tests/test_ladybug_store.py
and tests/test_neo4j_store.py."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import MECH, ORG, POLICY, SMALL_DOC, THEME, ZONE, build_small_graph

from govkg.errors import CorrectionError, ReadOnlyViolation, StoreError
from govkg.graph import ladybug_store, store_algorithms
from govkg.graph.corrections import Correction, Target, make_correction
from govkg.graph.model import EDGE_TYPES, NODE_LABELS, Document, Edge, Evidence, GraphDocument, Node, document_id
from govkg.graph.store import GraphStore, RelationshipTable
from govkg.services.loading import write_graph


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest) -> GraphStore:
    """An empty store of each engine (conftest's embedded_store, neo4j_fixture's neo4j_store)."""
    fixture = "embedded_store" if request.param == "embedded" else "neo4j_store"
    found: GraphStore = request.getfixturevalue(fixture)
    return found


@pytest.fixture()
def loaded(store: GraphStore, small_graph: GraphDocument) -> GraphStore:
    """The store holding `small_graph`."""
    store.write(small_graph)
    return store


def canonical(graph: GraphDocument) -> dict[str, list[dict[str, Any]]]:
    """A graph in a comparable form: sorted, documents without their load time."""
    docs = sorted(
        (
            {**d.to_dict(), "properties": {k: v for k, v in d.properties.items() if k != "loaded_at"}}
            for d in graph.documents
        ),
        key=lambda d: str(d["id"]),
    )
    nodes = sorted((n.to_dict() for n in graph.nodes), key=lambda n: str(n["id"]))
    edges = sorted((e.to_dict() for e in graph.edges), key=lambda e: (e["type"], e["source"], e["target"]))
    return {"documents": docs, "nodes": nodes, "edges": edges}


def mentions_expected(graph: GraphDocument) -> set[tuple[str, str]]:
    """(document, node) pairs the writer should link with MENTIONS: both ends of every evidenced edge."""
    return {(ev.document, end) for e in graph.edges for ev in e.evidence for end in (e.source, e.target)}


# --- writing -------------------------------------------------------------------------------------


def test_write_then_counts_and_snapshot(store: GraphStore, small_graph: GraphDocument) -> None:
    assert store.holds_nothing()
    summary = store.write(small_graph)
    assert not store.holds_nothing()
    expected: dict[str, int] = {name: 0 for name in [*NODE_LABELS, *EDGE_TYPES]}
    for node in small_graph.nodes:
        expected[node.label] += 1
    expected["Document"] = len(small_graph.documents)
    for edge in small_graph.edges:
        expected[edge.type] += 1
    expected["MENTIONS"] = len(mentions_expected(small_graph))
    assert summary.counts_after == expected == store.counts()
    assert summary.documents == 1
    assert summary.nodes_created == len(small_graph.nodes) + 1 and summary.nodes_matched == 0
    assert summary.edges_created == len(small_graph.edges) + expected["MENTIONS"]
    assert summary.edges_matched == 0

    snap = store.snapshot()
    assert snap.problems() == []  # every evidence offset still points at its sentence
    got, want = canonical(snap), canonical(small_graph)
    assert got["documents"] == want["documents"]
    assert got["nodes"] == want["nodes"]
    assert [e for e in got["edges"] if e["type"] != "MENTIONS"] == want["edges"]
    assert {(e.source, e.target) for e in snap.edges if e.type == "MENTIONS"} == mentions_expected(small_graph)


def test_a_store_keeping_only_a_correction_does_not_hold_nothing(store: GraphStore) -> None:
    # What decides a streamed load's first batch (services/loading.py): the staging copy of such a
    # store writes as any store holding rows does.
    assert store.holds_nothing()
    kept = Correction("rename", Target(node="mechanism:未载入的机制"), {"name": "新名字"}, "测试研究员",
                      "2026-12-06T00:00:00Z", documents=("doc:未载入",))  # fmt: skip
    store.record_corrections([kept])
    assert not store.holds_nothing()
    assert set(store.counts().values()) == {0}  # a correction is not counted as a node of the graph


def test_writing_twice_changes_nothing(store: GraphStore, small_graph: GraphDocument) -> None:
    first = store.write(small_graph)
    before = store.snapshot()
    second = store.write(small_graph)
    after = store.snapshot()
    assert second.counts_after == first.counts_after
    assert second.nodes_created == 0 and second.nodes_matched == first.nodes_created
    assert second.edges_created == 0 and second.edges_matched == first.edges_created
    assert canonical(after) == canonical(before)
    # The document keeps the time it was first loaded.
    assert after.documents[0].properties["loaded_at"] == before.documents[0].properties["loaded_at"]
    for edge in after.edges:
        assert len(edge.evidence) == len(set(edge.evidence)), edge.key


def test_a_second_document_unites_evidence_and_aliases(loaded: GraphStore) -> None:
    text = "这段文字为测试而写：东街道继续推行“友邻议事会”。"  # written for testing
    doc = Document(document_id(text), "second.txt", "第二份测试文本", "", "", "", text)
    start = text.index("东街道")
    evidence = Evidence(doc.id, text[start:], start, len(text))
    zone = Node(ZONE["东"], "Zone", "甲市东街道", ["东街道", "东街"], {"level": "street"})
    mechanism = Node(MECH["友邻议事会"], "Mechanism", "友邻议事会")
    graph = GraphDocument([doc], [zone, mechanism], [Edge("ADOPTS", zone.id, mechanism.id, [evidence])])
    first = loaded.write(graph)
    assert (first.nodes_created, first.nodes_matched) == (1, 2)  # only the document is new
    again = loaded.write(graph)  # and again: still no duplicates
    assert (again.nodes_created, again.nodes_matched) == (0, 3)
    assert again.counts_after == first.counts_after
    rows = loaded.read(
        "MATCH (z:Zone {id: $z})-[a:ADOPTS]->(m:Mechanism {id: $m}) "
        "RETURN z.aliases AS aliases, z.full_name AS full, a.evidence_documents AS docs, a.evidence_texts AS texts",
        {"z": ZONE["东"], "m": MECH["友邻议事会"]},
    ).records()
    assert rows == [
        {
            "aliases": ["东街道", "东街"],
            "full": "测试省甲市东街道",  # kept: the second load did not give it
            "docs": [SMALL_DOC, doc.id],
            "texts": ["甲市东街道推行“友邻议事会”，它包括“议事日”和“邻里基金”。", "东街道继续推行“友邻议事会”。"],
        }
    ]


def test_undeclared_properties_are_kept_in_extra(store: GraphStore) -> None:
    node = Node(
        "zone:测试乡", "Zone", "测试乡", [], {"level": "township", "note": "written for testing", "rank": [1, 2]}
    )
    policy = Node("policy:测试办法", "Policy", "测试办法", [], {"year": "2017", "kind": "rule"})
    store.write(GraphDocument([], [node, policy], []))
    snap = {n.id: n for n in store.snapshot().nodes}
    assert snap[node.id].properties == node.properties
    assert snap[policy.id].properties == {"year": 2017, "kind": "rule"}  # year coerced to its INT64 column
    [stored] = store.read("MATCH (z:Zone) RETURN z.extra AS extra, z AS zone").records()
    assert stored["extra"] == '{"note": "written for testing", "rank": [1, 2]}'
    # No stray properties and no nulls: a node value holds exactly what was stored.
    assert sorted(stored["zone"]) == ["_label", "aliases", "extra", "id", "level", "name"]


# --- atomicity -----------------------------------------------------------------------------------


def test_an_edge_to_a_missing_node_writes_nothing(loaded: GraphStore) -> None:
    before_counts, before = loaded.counts(), canonical(loaded.snapshot())
    text = "为测试而写：丙街道推行“新机制”。"  # written for testing
    doc = Document(document_id(text), "bad.txt", "", "", "", "", text)
    new_zone = Node("zone:测试省丙街道", "Zone", "丙街道", [], {"level": "street"})
    ev = Evidence(doc.id, text[6:], 6, len(text))
    # The mechanism is in neither the load nor the store; the nodes are written before that is found.
    graph = GraphDocument([doc], [new_zone], [Edge("ADOPTS", new_zone.id, "mechanism:无此机制", [ev])])
    with pytest.raises(StoreError, match="mechanism:无此机制"):
        loaded.write(graph)
    assert loaded.counts() == before_counts
    assert canonical(loaded.snapshot()) == before


def test_a_bad_row_midway_rolls_back_the_nodes_already_written(loaded: GraphStore) -> None:
    before_counts, before = loaded.counts(), canonical(loaded.snapshot())
    bad = GraphDocument(
        [],
        [
            Node("zone:测试省新街道", "Zone", "新街道", [], {"level": "street"}),  # written before the bad row
            Node(None, "Theme", "没有 id 的主题"),  # type: ignore[arg-type]  # a null primary key
        ],
        [],
    )
    with pytest.raises(StoreError, match="nothing was written"):
        loaded.write(bad)
    assert loaded.counts() == before_counts
    assert canonical(loaded.snapshot()) == before


def test_an_edge_between_the_wrong_labels_is_refused(loaded: GraphStore) -> None:
    before = loaded.counts()
    with pytest.raises(StoreError, match="ADOPTS cannot link Mechanism to Zone"):
        loaded.write(GraphDocument([], [], [Edge("ADOPTS", MECH["网格平台"], ZONE["东"])]))
    assert loaded.counts() == before


# --- replacing derived relationships -------------------------------------------------------------


def similar_rows(store: GraphStore) -> list[tuple[Any, ...]]:
    found = store.read(
        "MATCH (a:Zone)-[s:SIMILAR_TO]->(b:Zone) RETURN a.id AS a, b.id AS b, s.score AS score, "
        "s.parts AS parts, s.shared AS shared, s.evidence_texts AS texts"
    ).records()
    return sorted((r["a"], r["b"], r["score"], r["parts"], r["shared"] or [], r["texts"] or []) for r in found)


@pytest.mark.parametrize("copy_from", [1, 1000], ids=["bulk", "row by row"])
def test_a_relationship_table_replaces_as_its_edges_do(
    loaded: GraphStore, monkeypatch: pytest.MonkeyPatch, copy_from: int
) -> None:
    """The columns SIMILAR_TO is refreshed from store what the same relationships as edges store: a
    second replacement by those edges finds every row equal. Only the difference is written."""
    monkeypatch.setattr(ladybug_store, "COPY_THRESHOLD", copy_from)  # the embedded store's COPY path, or not
    zones = [ZONE["东"], ZONE["西"], ZONE["南"], ZONE["北"]]
    loaded.replace_relationships("SIMILAR_TO", [
        Edge("SIMILAR_TO", zones[0], zones[1], [], {"score": 0.5, "parts": "{}", "shared": ["网格平台"]}),
        Edge("SIMILAR_TO", zones[1], zones[2], [], {"score": 0.25, "shared": []}),
        Edge("SIMILAR_TO", zones[2], zones[3], [], {"score": 0.125}),
        Edge("SIMILAR_TO", zones[3], zones[0], [], {"score": 0.5}),
    ])  # fmt: skip
    table = RelationshipTable(
        "SIMILAR_TO", [zones[0], zones[1], zones[2], zones[3]], [zones[1], zones[2], zones[3], zones[0]],
        {"score": [0.5, 0.25, 0.125, 1.0], "parts": ["{}", None, None, '{"wording": 1.0}'],
         "shared": [["网格平台"], [], [], ["a", "b"]]},
    )  # fmt: skip
    summary = loaded.replace_relationships("SIMILAR_TO", table)
    # Three rows stay as they were (an empty list as a list left out); one changes.
    assert (summary.edges_deleted, summary.edges_created, summary.edges_matched) == (4, 4, 3)
    assert loaded.counts()["SIMILAR_TO"] == 4
    rows = similar_rows(loaded)
    assert sorted(rows) == sorted([
        (zones[0], zones[1], 0.5, "{}", ["网格平台"], []),
        (zones[1], zones[2], 0.25, None, [], []),
        (zones[2], zones[3], 0.125, None, [], []),
        (zones[3], zones[0], 1.0, '{"wording": 1.0}', ["a", "b"], []),
    ])  # fmt: skip
    new = RelationshipTable("SIMILAR_TO", [zones[1]], [zones[0]], {"score": [0.75]})
    assert loaded.replace_relationships("SIMILAR_TO", new).edges_matched == 0  # all four go: a rewrite
    assert similar_rows(loaded) == [(zones[1], zones[0], 0.75, None, [], [])]
    loaded.replace_relationships("SIMILAR_TO", table)
    made = table.columns
    as_edges = [
        Edge("SIMILAR_TO", s, t, [], {"score": score, "parts": parts, "shared": shared})
        for s, t, score, parts, shared in zip(table.sources, table.targets, made["score"], made["parts"],
                                              made["shared"], strict=True)
    ]  # fmt: skip
    again = loaded.replace_relationships("SIMILAR_TO", as_edges)
    assert again.edges_matched == 4 and similar_rows(loaded) == rows


def test_a_column_the_new_table_leaves_out_is_emptied_where_it_was_held(loaded: GraphStore) -> None:
    """Only columns holding a value on either side are compared: one that only the held rows fill
    (`parts`, `shared`) still makes those rows differ, and they are written without it."""
    zones = [ZONE["东"], ZONE["西"], ZONE["南"], ZONE["北"]]
    sources, targets = map(list, zip(*[(a, b) for a in zones for b in zones if a != b][:8], strict=True))
    scores = [i / 8 for i in range(1, 9)]
    parts: list[str | None] = [None] * 8
    shared: list[list[str]] = [[] for _ in range(8)]
    parts[1], shared[6] = '{"wording": 1.0}', ["网格平台"]  # two of eight: under the rewrite share
    first: dict[str, list[Any]] = {"score": scores, "parts": parts, "shared": shared}
    loaded.replace_relationships("SIMILAR_TO", RelationshipTable("SIMILAR_TO", sources, targets, first))
    summary = loaded.replace_relationships("SIMILAR_TO", RelationshipTable("SIMILAR_TO", sources, targets,
                                                                           {"score": scores}))  # fmt: skip
    assert summary.edges_matched == 6  # all but the two that held parts or shared names
    assert similar_rows(loaded) == sorted(zip(sources, targets, scores, [None] * 8, [[]] * 8, [[]] * 8, strict=True))


@pytest.mark.parametrize("copy_from", [1, 1000], ids=["bulk", "row by row"])
def test_a_table_of_several_label_pairs_is_written_pair_by_pair(
    loaded: GraphStore, monkeypatch: pytest.MonkeyPatch, copy_from: int
) -> None:
    """MENTIONS runs from a document to nodes of every label: rows of two label pairs, interleaved,
    land each with its own ends."""
    monkeypatch.setattr(ladybug_store, "COPY_THRESHOLD", copy_from)
    ends = [ZONE["东"], ZONE["西"], MECH["网格平台"], ZONE["南"], MECH["睦邻空间"]]
    table = RelationshipTable("MENTIONS", [SMALL_DOC] * len(ends), ends, {})
    summary = loaded.replace_relationships("MENTIONS", table)
    assert summary.edges_created == len(ends)
    found = loaded.read("MATCH (d:Document)-[:MENTIONS]->(n) RETURN d.id AS d, n.id AS n").records()
    assert sorted((r["d"], r["n"]) for r in found) == sorted((SMALL_DOC, end) for end in ends)


@pytest.mark.parametrize("disposable", [False, True], ids=["kept", "disposable"])
def test_a_table_is_emptied_only_when_disposable_and_written_either_way(
    loaded: GraphStore, monkeypatch: pytest.MonkeyPatch, disposable: bool
) -> None:
    """A table the caller may use again is never touched; one built only to be written (SIMILAR_TO's
    rows) is let go of once the embedded store's COPY frame holds it, so the rows are not in memory
    twice while the engine writes (docs/measured.md). Either way the same relationships land."""
    monkeypatch.setattr(ladybug_store, "COPY_THRESHOLD", 1)  # the COPY path with a small table
    zones = [ZONE["东"], ZONE["西"], ZONE["南"]]
    pairs = [(a, b) for a in zones for b in zones if a != b]
    scores = [0.5 + i / 100 for i in range(len(pairs))]
    parts = [f'{{"wording": {v}}}' for v in scores]
    shared = [["网格平台"] if i % 2 else [] for i in range(len(pairs))]
    table = RelationshipTable("SIMILAR_TO", [a for a, _ in pairs], [b for _, b in pairs],
                              {"score": list(scores), "parts": list(parts), "shared": [list(x) for x in shared]},
                              disposable=disposable)  # fmt: skip
    assert loaded.replace_relationships("SIMILAR_TO", table).edges_created == len(pairs)
    rows = zip(pairs, scores, parts, shared, strict=True)
    want: list[tuple[Any, ...]] = sorted((a, b, v, p, x, []) for (a, b), v, p, x in rows)
    assert similar_rows(loaded) == want
    emptied = disposable and loaded.engine == "embedded"
    assert table.columns["parts"] == ([] if emptied else parts)
    assert table.columns["shared"] == ([] if emptied else shared)
    assert (table.sources, table.targets) == ([a for a, _ in pairs], [b for _, b in pairs])


def test_a_planned_column_is_compared_exactly_when_a_value_of_it_is_stored() -> None:
    """A column no held row fills is compared only if some planned value is stored as more than null
    (None, "" and [] are stored as null); a zero, False or a list holding an empty string are values."""
    cases: list[tuple[list[Any], bool]] = [
        ([None, "", []], False), ([], False), ([0], True), ([False], True), ([0.0], True), ([[""]], True),
        ([None, "a"], True), ([[], [1]], True),
    ]  # fmt: skip
    for values, filled in cases:
        assert store_algorithms._any_filled(values) is filled, values


def test_a_bad_relationship_table_changes_nothing(loaded: GraphStore) -> None:
    zones = [ZONE["东"], ZONE["西"]]
    loaded.replace_relationships("SIMILAR_TO", [Edge("SIMILAR_TO", zones[0], zones[1], [], {"score": 0.5})])
    before = similar_rows(loaded)
    bad = {
        "a zone not in the store": RelationshipTable(
            "SIMILAR_TO", [zones[0]], ["zone:测试省没有这个地方"], {"score": [0.5]}),
        "the wrong labels": RelationshipTable("SIMILAR_TO", [zones[0]], [MECH["网格平台"]], {"score": [0.5]}),
        "a column the type lacks": RelationshipTable("SIMILAR_TO", [zones[1]], [zones[0]], {"stage": ["planned"]}),
        "the same pair twice": RelationshipTable("SIMILAR_TO", [zones[1]] * 2, [zones[0]] * 2, {"score": [0.5, 0.6]}),
    }  # fmt: skip
    for why, table in bad.items():
        with pytest.raises(StoreError, match=r"(?i)nothing was written|no column") as caught:
            loaded.replace_relationships("SIMILAR_TO", table)
        assert "\n" not in str(caught.value), why
        assert similar_rows(loaded) == before, why
    with pytest.raises(StoreError, match="unknown relationship type 'SIMILAR'"):
        loaded.replace_relationships("SIMILAR", RelationshipTable("SIMILAR", [], [], {}))
    with pytest.raises(StoreError, match="given a table of ADOPTS"):
        loaded.replace_relationships("SIMILAR_TO", RelationshipTable("ADOPTS", [], [], {}))
    with pytest.raises(StoreError, match="differ in length"):
        RelationshipTable("SIMILAR_TO", [zones[0]], [zones[1]], {"score": []})
    assert similar_rows(loaded) == before


def test_an_edge_to_a_node_loaded_earlier_is_accepted(loaded: GraphStore) -> None:
    summary = loaded.write(GraphDocument([], [], [Edge("ADOPTS", ZONE["北"], MECH["网格平台"])]))
    assert summary.edges_created == 1
    assert loaded.counts()["ADOPTS"] == 6


# --- reading -------------------------------------------------------------------------------------

# (the clause the refusal must name, a statement that writes): each engine's own dialect, all tried on both.
WRITES = [
    ("CREATE", "CREATE (:Zone {id: 'zone:x', name: 'x'})"),
    ("MERGE", "MERGE (:Zone {id: 'zone:x'})"),
    ("DELETE", "MATCH (z:Zone) DELETE z"),
    ("DETACH", "MATCH (z:Zone) DETACH DELETE z"),
    ("SET", "MATCH (z:Zone) SET z.name = 'x'"),
    ("REMOVE", "MATCH (z:Zone) REMOVE z.level"),
    ("FOREACH", "MATCH (z:Zone) FOREACH (x IN [1] | SET z.name = 'x')"),
    ("DROP", "DROP TABLE SIMILAR_TO"),
    ("DROP", "DROP CONSTRAINT govkg_zone_id"),
    ("ALTER", "ALTER TABLE Zone ADD note STRING"),
    ("COPY", "COPY Zone FROM 'zones.csv'"),
    ("LOAD", "LOAD FROM 'zones.csv' RETURN *"),
    ("LOAD", "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line"),
    ("INSTALL", "INSTALL fts"),
    ("ATTACH", "ATTACH 'other.lbdb' AS other"),
    ("BEGIN", "BEGIN TRANSACTION"),
    ("COMMIT", "COMMIT"),
    ("CHECKPOINT", "CHECKPOINT"),
    ("CALL", "CALL threads = 1"),
    ("CALL", "CALL db.createLabel('Written')"),
]


@pytest.mark.parametrize(("clause", "statement"), WRITES, ids=[s for _, s in WRITES])
def test_ad_hoc_writes_are_refused_and_change_nothing(loaded: GraphStore, clause: str, statement: str) -> None:
    before = canonical(loaded.snapshot())
    with pytest.raises(ReadOnlyViolation, match=clause):
        loaded.read(statement)
    assert canonical(loaded.snapshot()) == before


def test_values_come_back_as_plain_python(loaded: GraphStore) -> None:
    rows = loaded.read(
        "MATCH p = (z:Zone {id: $z})-[a:ADOPTS]->(m:Mechanism) RETURN z, a, m.name AS mechanism, p ORDER BY m.id",
        {"z": ZONE["南"]},
    ).records()
    assert sorted(r["mechanism"] for r in rows) == ["睦邻空间", "网格平台"]
    zone, adopts, path = rows[0]["z"], rows[0]["a"], rows[0]["p"]
    assert zone == {
        "id": ZONE["南"],
        "name": "乙市南街道",
        "aliases": ["南街道"],
        "level": "street",
        "full_name": "测试省乙市南街道",
        "_label": "Zone",
    }
    assert adopts["_type"] == "ADOPTS" and adopts["evidence_texts"] == ["乙市南街道推行“网格平台”，并打造“睦邻空间”。"]
    assert [n["_label"] for n in path["nodes"]] == ["Zone", "Mechanism"]
    assert [r["_type"] for r in path["relationships"]] == ["ADOPTS"]
    chain = loaded.read("MATCH (z:Zone {id: $z})-[r:PART_OF*1..3]->(top:Zone) RETURN r", {"z": ZONE["南"]})
    assert sorted(len(r[0]) for r in chain.rows) == [1, 2]
    year = loaded.read("MATCH (p:Policy) RETURN p.year AS year, p.year + 1 AS next").records()
    assert year == [{"year": 2019, "next": 2020}] and isinstance(year[0]["year"], int)


def test_columns_of_a_read_are_its_rows_turned(loaded: GraphStore) -> None:
    """`read_columns` (the similarity profiles' reads, Arrow columns on the embedded store) gives the
    values `read` gives, lists, integers and empty results included."""
    reads: list[tuple[str, dict[str, Any] | None]] = [
        ("MATCH (z:Zone) RETURN z.id AS id, z.name AS name, z.aliases AS aliases, z.level AS level ORDER BY id", None),
        ("MATCH (a:Zone)-[r:ADOPTS]->(b:Mechanism) WHERE a.id IN $ids RETURN a.id, b.id, r.evidence_texts, "
         "r.evidence_starts ORDER BY a.id, b.id", {"ids": [ZONE["南"], ZONE["东"]]}),
        ("MATCH (p:Policy) RETURN p.year AS year", None),
        ("MATCH (z:Zone) WHERE z.id IN $ids RETURN z.id, z.aliases", {"ids": []}),
    ]
    for cypher, params in reads:
        rows = loaded.read(cypher, params).rows
        columns = loaded.read_columns(cypher, params)
        assert [list(r) for r in zip(*columns, strict=True)] == [list(r) for r in rows]
        assert len(columns) == len(loaded.read(cypher, params).columns)
    assert len(loaded.read_columns("MATCH (z:Zone) RETURN z.id")[0]) == loaded.counts()["Zone"] > 0


def test_limit_caps_rows_and_says_so(loaded: GraphStore) -> None:
    capped = loaded.read("MATCH (z:Zone) RETURN z.name ORDER BY z.name", limit=3)
    assert len(capped.rows) == 3 and capped.truncated
    whole = loaded.read("MATCH (z:Zone) RETURN z.name ORDER BY z.name", limit=7)
    assert len(whole.rows) == 7 and not whole.truncated


def test_neighbourhood_and_node(loaded: GraphStore) -> None:
    around = loaded.neighbourhood(ZONE["东"], depth=1)
    assert {n.id for n in around.nodes} == {
        ZONE["东"],
        ZONE["甲市"],
        MECH["友邻议事会"],
        ORG,
        POLICY,
        THEME["测试主题一"],
    }
    assert around.nodes[0].id == ZONE["东"]
    assert {e.type for e in around.edges} >= {"PART_OF", "ADOPTS", "HAS_ORGANISATION", "IMPLEMENTS", "UNDER_THEME"}
    assert all(
        e.source in {n.id for n in around.nodes} and e.target in {n.id for n in around.nodes} for e in around.edges
    )
    assert [d.id for d in around.documents] == [SMALL_DOC]  # the evidence's document comes along
    assert around.problems() == []
    wider = loaded.neighbourhood(ZONE["东"], depth=2, limit=8)
    assert len(wider.nodes) == 8 and wider.nodes[0].id == ZONE["东"]
    node = loaded.node(ZONE["西"])
    assert node is not None and node.name == "甲市西街道" and node.aliases == ["西街道"]
    assert loaded.node("zone:没有这个地方") is None


# --- researchers' corrections (graph/corrections.py), kept beside the graph -------------------------


def _corrections(graph: GraphDocument) -> list[Correction]:
    return [
        make_correction(graph, "reject", Target(node=MECH["睦邻空间"]), author="测试研究员",
                        made_at="2026-12-04T01:00:00Z", reason="written for testing"),
        make_correction(graph, "mark_planned", Target(edge=("ADOPTS", ZONE["南"], MECH["网格平台"])),
                        author="测试研究员", made_at="2026-12-04T00:00:00Z"),
    ]  # fmt: skip


def test_corrections_are_kept_listed_and_undone(loaded: GraphStore, small_graph: GraphDocument) -> None:
    made = _corrections(small_graph)
    before, counts = canonical(loaded.snapshot()), loaded.counts()
    assert loaded.corrections() == []
    assert loaded.record_corrections(made).corrections_recorded == 2
    assert loaded.corrections() == [made[1], made[0]]  # oldest first
    assert loaded.record_corrections(made).corrections_recorded == 0  # kept once
    # Kept beside the graph, not in it: the graph, its counts and its snapshot are as they were.
    assert canonical(loaded.snapshot()) == before and loaded.counts() == counts
    assert loaded.revert_correction(made[0].id, "2026-12-04T02:00:00Z")[0] == made[0]
    assert loaded.corrections() == [made[1]] and loaded.corrections(undone=True) == [made[1], made[0]]
    with pytest.raises(CorrectionError, match="undone already"):
        loaded.revert_correction(made[0].id, "2026-12-04T03:00:00Z")
    with pytest.raises(CorrectionError, match="no correction"):
        loaded.revert_correction("correction:0000", "2026-12-04T03:00:00Z")
    assert loaded.record_corrections(made).corrections_recorded == 0 and loaded.corrections() == [made[1]]


def test_every_load_applies_the_kept_corrections(store: GraphStore, small_graph: GraphDocument) -> None:
    rejected, planned = _corrections(small_graph)
    write_graph(store, small_graph, corrections=[rejected, planned], similarity_top=0)
    stage = "MATCH (:Zone {id: $z})-[a:ADOPTS]->(:Mechanism {id: $m}) RETURN a.stage"

    def state() -> tuple[bool, object]:
        held = store.node(MECH["睦邻空间"]) is not None
        return held, store.read(stage, {"z": ZONE["南"], "m": MECH["网格平台"]}).rows[0][0]

    assert state() == (False, "planned")
    write_graph(store, build_small_graph(), similarity_top=0)  # the same document read again
    assert state() == (False, "planned")
    store.revert_correction(rejected.id, "2026-12-04T02:00:00Z")
    write_graph(store, build_small_graph(), similarity_top=0)
    assert state() == (True, "planned")  # what the extractor read is back; the other correction stands
