"""The embedded store on a real LadybugDB file in tmp_path."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from conftest import MECH, ORG, POLICY, SMALL_DOC, THEME, ZONE

import govkg.graph.ladybug_store as ladybug_store
from govkg.errors import QueryError, ReadOnlyViolation, StoreError, StoreLockedError
from govkg.graph.ladybug_store import LadybugStore
from govkg.graph.model import EDGE_TYPES, NODE_LABELS, Document, Edge, Evidence, GraphDocument, Node, document_id
from govkg.graph.schema import edge_columns, node_columns


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


# --- schema --------------------------------------------------------------------------------------


def test_a_new_store_creates_every_table_with_its_declared_columns(embedded_store: LadybugStore) -> None:
    assert embedded_store.path.is_file()
    counts = embedded_store.counts()
    assert counts == {name: 0 for name in [*NODE_LABELS, *EDGE_TYPES]}
    for label in NODE_LABELS:
        columns = {r[1] for r in embedded_store.read(f"CALL table_info('{label}') RETURN *").rows}
        assert columns == {"id", *node_columns(label)}
    for edge_type in EDGE_TYPES:
        columns = {r[1] for r in embedded_store.read(f"CALL table_info('{edge_type}') RETURN *").rows}
        assert columns == set(edge_columns(edge_type))


def test_reopening_keeps_the_data_and_the_schema(tmp_path: Path, small_graph: GraphDocument) -> None:
    path = tmp_path / "deep" / "folder" / "kg.lbdb"
    with LadybugStore(path) as store:
        store.write(small_graph)
        before = store.counts()
    with LadybugStore(path) as store:
        assert store.counts() == before


# --- writing -------------------------------------------------------------------------------------


def test_write_then_counts(embedded_store: LadybugStore, small_graph: GraphDocument) -> None:
    summary = embedded_store.write(small_graph)
    expected: dict[str, int] = {name: 0 for name in [*NODE_LABELS, *EDGE_TYPES]}
    for node in small_graph.nodes:
        expected[node.label] += 1
    expected["Document"] = len(small_graph.documents)
    for edge in small_graph.edges:
        expected[edge.type] += 1
    expected["MENTIONS"] = len(mentions_expected(small_graph))
    assert summary.counts_after == expected
    assert embedded_store.counts() == expected
    assert summary.documents == 1
    assert summary.nodes_created == len(small_graph.nodes) + 1 and summary.nodes_matched == 0
    assert summary.edges_created == len(small_graph.edges) + expected["MENTIONS"]
    assert summary.edges_matched == 0


def test_writing_twice_changes_nothing(embedded_store: LadybugStore, small_graph: GraphDocument) -> None:
    first = embedded_store.write(small_graph)
    before = embedded_store.snapshot()
    second = embedded_store.write(small_graph)
    after = embedded_store.snapshot()
    assert second.counts_after == first.counts_after
    assert second.nodes_created == 0 and second.nodes_matched == first.nodes_created
    assert second.edges_created == 0 and second.edges_matched == first.edges_created
    assert canonical(after) == canonical(before)
    # The document keeps the time it was first loaded.
    assert after.documents[0].properties["loaded_at"] == before.documents[0].properties["loaded_at"]
    for edge in after.edges:
        assert len(edge.evidence) == len(set(edge.evidence)), edge.key


def test_snapshot_gives_back_what_was_written(small_store: LadybugStore, small_graph: GraphDocument) -> None:
    snap = small_store.snapshot()
    assert snap.problems() == []
    got = canonical(snap)
    want = canonical(small_graph)
    assert got["documents"] == want["documents"]
    assert got["nodes"] == want["nodes"]
    without_mentions = [e for e in got["edges"] if e["type"] != "MENTIONS"]
    assert without_mentions == want["edges"]
    mentions = {(e.source, e.target) for e in snap.edges if e.type == "MENTIONS"}
    assert mentions == mentions_expected(small_graph)


def test_mentions_carry_the_sentences_that_name_the_node(small_store: LadybugStore, small_graph: GraphDocument) -> None:
    rows = small_store.read(
        "MATCH (d:Document)-[m:MENTIONS]->(o:Organisation) RETURN d.id, m.evidence_texts AS texts"
    ).records()
    assert [r["d.id"] for r in rows] == [SMALL_DOC]
    org_sentences = {ev.text for e in small_graph.edges if ORG in (e.source, e.target) for ev in e.evidence}
    assert set(rows[0]["texts"]) == org_sentences == {"东街道党委参与“友邻议事会”。"}


def test_a_second_document_unites_evidence_and_aliases(small_store: LadybugStore) -> None:
    text = "这段文字为测试而写：东街道继续推行“友邻议事会”。"  # written for testing
    doc = Document(document_id(text), "second.txt", "第二份测试文本", "", "", "", text)
    start = text.index("东街道")
    evidence = Evidence(doc.id, text[start:], start, len(text))
    zone = Node(ZONE["东"], "Zone", "甲市东街道", ["东街道", "东街"], {"level": "street"})
    mechanism = Node(MECH["友邻议事会"], "Mechanism", "友邻议事会")
    graph = GraphDocument([doc], [zone, mechanism], [Edge("ADOPTS", zone.id, mechanism.id, [evidence])])
    first = small_store.write(graph)
    assert (first.nodes_created, first.nodes_matched) == (1, 2)  # only the document is new
    again = small_store.write(graph)  # and again: still no duplicates
    assert (again.nodes_created, again.nodes_matched) == (0, 3)
    assert again.counts_after == first.counts_after
    rows = small_store.read(
        "MATCH (z:Zone {id: $z})-[a:ADOPTS]->(m:Mechanism {id: $m}) "
        "RETURN z.aliases AS aliases, a.evidence_documents AS docs, a.evidence_texts AS texts",
        {"z": ZONE["东"], "m": MECH["友邻议事会"]},
    ).records()
    assert rows[0]["aliases"] == ["东街道", "东街"]
    assert rows[0]["docs"] == [SMALL_DOC, doc.id]
    assert rows[0]["texts"][1] == "东街道继续推行“友邻议事会”。"
    # The properties the second load did not give are kept.
    assert small_store.read("MATCH (z:Zone {id: $z}) RETURN z.full_name", {"z": ZONE["东"]}).rows == [
        ["测试省甲市东街道"]
    ]


def test_undeclared_properties_are_kept_in_extra(embedded_store: LadybugStore) -> None:
    node = Node(
        "zone:测试乡", "Zone", "测试乡", [], {"level": "township", "note": "written for testing", "rank": [1, 2]}
    )
    policy = Node("policy:测试办法", "Policy", "测试办法", [], {"year": "2017", "kind": "rule"})
    embedded_store.write(GraphDocument([], [node, policy], []))
    snap = {n.id: n for n in embedded_store.snapshot().nodes}
    assert snap[node.id].properties == node.properties
    assert snap[policy.id].properties == {"year": 2017, "kind": "rule"}  # year coerced to its INT64 column
    stored = embedded_store.read("MATCH (z:Zone) RETURN z.extra AS extra").rows
    assert stored == [['{"note": "written for testing", "rank": [1, 2]}']]


# --- atomicity -----------------------------------------------------------------------------------


def test_an_edge_to_a_missing_node_writes_nothing(small_store: LadybugStore) -> None:
    before_counts, before = small_store.counts(), canonical(small_store.snapshot())
    text = "为测试而写：丙街道推行“新机制”。"  # written for testing
    doc = Document(document_id(text), "bad.txt", "", "", "", "", text)
    new_zone = Node("zone:测试省丙街道", "Zone", "丙街道", [], {"level": "street"})
    ev = Evidence(doc.id, text[6:], 6, len(text))
    graph = GraphDocument(
        [doc],
        [new_zone],
        [Edge("ADOPTS", new_zone.id, "mechanism:无此机制", [ev])],  # the mechanism is in neither the load nor the store
    )
    with pytest.raises(StoreError, match="mechanism:无此机制"):
        small_store.write(graph)
    assert small_store.counts() == before_counts
    assert canonical(small_store.snapshot()) == before


def test_a_bad_row_midway_rolls_back_the_nodes_already_written(small_store: LadybugStore) -> None:
    before_counts, before = small_store.counts(), canonical(small_store.snapshot())
    extra = GraphDocument(
        [],
        [
            Node("zone:测试省新街道", "Zone", "新街道", [], {"level": "street"}),  # written before the bad row
            Node(None, "Theme", "没有 id 的主题"),  # type: ignore[arg-type]  # a null primary key
        ],
        [],
    )
    with pytest.raises(StoreError, match="nothing was written"):
        small_store.write(extra)
    assert small_store.counts() == before_counts
    assert canonical(small_store.snapshot()) == before


def test_an_edge_between_the_wrong_labels_is_refused(small_store: LadybugStore) -> None:
    before = small_store.counts()
    with pytest.raises(StoreError, match="ADOPTS cannot link Mechanism to Zone"):
        small_store.write(GraphDocument([], [], [Edge("ADOPTS", MECH["网格平台"], ZONE["东"])]))
    assert small_store.counts() == before


def test_an_edge_to_a_node_loaded_earlier_is_accepted(small_store: LadybugStore) -> None:
    summary = small_store.write(GraphDocument([], [], [Edge("ADOPTS", ZONE["北"], MECH["网格平台"])]))
    assert summary.edges_created == 1
    assert small_store.counts()["ADOPTS"] == 6


# --- reading -------------------------------------------------------------------------------------

WRITES = {
    "CREATE": "CREATE (:Zone {id: 'zone:x', name: 'x'})",
    "MERGE": "MERGE (:Zone {id: 'zone:x'})",
    "DELETE": "MATCH (z:Zone) DELETE z",
    "DETACH": "MATCH (z:Zone) DETACH DELETE z",
    "SET": "MATCH (z:Zone) SET z.name = 'x'",
    "REMOVE": "MATCH (z:Zone) REMOVE z.level",
    "DROP": "DROP TABLE SIMILAR_TO",
    "ALTER": "ALTER TABLE Zone ADD note STRING",
    "COPY": "COPY Zone FROM 'zones.csv'",
    "LOAD": "LOAD FROM 'zones.csv' RETURN *",
    "INSTALL": "INSTALL fts",
    "ATTACH": "ATTACH 'other.lbdb' AS other",
    "BEGIN": "BEGIN TRANSACTION",
    "COMMIT": "COMMIT",
    "CHECKPOINT": "CHECKPOINT",
    "CALL": "CALL threads = 1",
}


@pytest.mark.parametrize("clause", sorted(WRITES))
def test_ad_hoc_writes_are_refused_and_change_nothing(small_store: LadybugStore, clause: str) -> None:
    before = canonical(small_store.snapshot())
    with pytest.raises(ReadOnlyViolation, match=clause):
        small_store.read(WRITES[clause])
    assert canonical(small_store.snapshot()) == before


def test_the_read_only_handle_refuses_a_write_the_guard_missed(
    small_store: LadybugStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ladybug_store, "check_read_only", lambda cypher: None)  # pretend the guard missed it
    before = canonical(small_store.snapshot())
    with pytest.raises(ReadOnlyViolation, match="read-only"):
        small_store.read("MATCH (z:Zone) SET z.name = 'changed'")
    assert canonical(small_store.snapshot()) == before


def test_write_words_inside_strings_and_comments_are_allowed(small_store: LadybugStore) -> None:
    result = small_store.read(
        "// DELETE everything? no: this only reads\n"
        "MATCH (z:Zone) WHERE z.name <> 'CREATE (x) SET y' /* MERGE */ RETURN count(z) AS zones"
    )
    assert result.records() == [{"zones": 7}]


def test_values_come_back_as_plain_python(small_store: LadybugStore) -> None:
    row = small_store.read(
        "MATCH p = (z:Zone {id: $z})-[a:ADOPTS]->(m:Mechanism) RETURN z, a, m.name AS mechanism, p",
        {"z": ZONE["南"]},
    ).records()
    assert [r["mechanism"] for r in row] == ["网格平台", "睦邻空间"] or [r["mechanism"] for r in row] == [
        "睦邻空间",
        "网格平台",
    ]
    zone, adopts, path = row[0]["z"], row[0]["a"], row[0]["p"]
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
    chain = small_store.read("MATCH (z:Zone {id: $z})-[r:PART_OF*1..3]->(top:Zone) RETURN r", {"z": ZONE["南"]})
    assert sorted(len(r[0]) for r in chain.rows) == [1, 2]


def test_limit_caps_rows_and_says_so(small_store: LadybugStore) -> None:
    capped = small_store.read("MATCH (z:Zone) RETURN z.name ORDER BY z.name", limit=3)
    assert len(capped.rows) == 3 and capped.truncated
    whole = small_store.read("MATCH (z:Zone) RETURN z.name ORDER BY z.name", limit=7)
    assert len(whole.rows) == 7 and not whole.truncated


def test_a_syntax_error_is_a_one_line_query_error(small_store: LadybugStore) -> None:
    with pytest.raises(QueryError) as caught:
        small_store.read("MATCH (z:Zone RETURN z")
    assert "Parser exception" in str(caught.value) and "\n" not in str(caught.value)
    with pytest.raises(QueryError, match="nope"):
        small_store.read("MATCH (z:Zone) RETURN z.nope")


def test_neighbourhood_and_node(small_store: LadybugStore) -> None:
    around = small_store.neighbourhood(ZONE["东"], depth=1)
    assert {n.id for n in around.nodes} == {
        ZONE["东"],
        ZONE["甲市"],
        MECH["友邻议事会"],
        ORG,
        POLICY,
        THEME["测试主题一"],
    }
    assert {e.type for e in around.edges} >= {"PART_OF", "ADOPTS", "HAS_ORGANISATION", "IMPLEMENTS", "UNDER_THEME"}
    assert all(
        e.source in {n.id for n in around.nodes} and e.target in {n.id for n in around.nodes} for e in around.edges
    )
    assert [d.id for d in around.documents] == [SMALL_DOC]  # the evidence's document comes along
    assert around.problems() == []
    wider = small_store.neighbourhood(ZONE["东"], depth=2, limit=8)
    assert len(wider.nodes) == 8 and wider.nodes[0].id == ZONE["东"]
    node = small_store.node(ZONE["西"])
    assert node is not None and node.name == "甲市西街道" and node.aliases == ["西街道"]
    assert small_store.node("zone:没有这个地方") is None


# --- opening -------------------------------------------------------------------------------------


def test_read_only_on_a_missing_file_says_how_to_create_one(tmp_path: Path) -> None:
    missing = tmp_path / "none.lbdb"
    with pytest.raises(StoreError, match="govkg load") as caught:
        LadybugStore(missing, read_only=True)
    assert str(missing) in str(caught.value)
    assert not missing.exists()


def test_read_only_store_refuses_write_and_sees_later_loads(tmp_path: Path, small_graph: GraphDocument) -> None:
    path = tmp_path / "kg.lbdb"
    writer = LadybugStore(path)
    reader = LadybugStore(path, read_only=True)
    try:
        assert reader.counts()["Zone"] == 0
        with pytest.raises(StoreError, match="read-only"):
            reader.write(small_graph)
        writer.write(small_graph)
        assert reader.counts()["Zone"] == 7
        assert reader.read("MATCH (z:Zone) RETURN count(z)").rows == [[7]]
    finally:
        reader.close()
        writer.close()


def test_a_database_held_by_another_process_raises_store_locked(tmp_path: Path) -> None:
    path = tmp_path / "held.lbdb"
    LadybugStore(path).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import time
                from pathlib import Path
                from govkg.graph.ladybug_store import LadybugStore
                store = LadybugStore(Path({str(path)!r}))
                print("holding", flush=True)
                time.sleep(60)
                """
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        with pytest.raises(StoreLockedError) as caught:
            LadybugStore(path)
        message = str(caught.value)
        assert str(path) in message and str(holder.pid) in message and "--db" in message
        # Reading stays possible while another process writes.
        with LadybugStore(path, read_only=True) as reader:
            assert reader.counts()["Zone"] == 0
    finally:
        holder.kill()
        holder.wait()
    LadybugStore(path).close()  # free again once the holder is gone


# --- the bundled data: case sheets and the article ----------------------------------------------------


def test_the_bundled_cases_and_article_load_idempotently(bundled_graph: GraphDocument, tmp_path: Path) -> None:
    assert bundled_graph.problems() == []
    with LadybugStore(tmp_path / "bundled.lbdb") as store:
        first = store.write(bundled_graph)
        snap = store.snapshot()
        again = store.write(bundled_graph)
        assert again.counts_after == first.counts_after
        assert again.nodes_created == 0 and again.edges_created == 0
        assert canonical(store.snapshot()) == canonical(snap)
        assert snap.problems() == []
        # Every node the loaders emitted is there, and every edge with all of its evidence (a
        # MENTIONS edge the loaders emit also gains the sentences of the edges at its node).
        assert {n.id for n in snap.nodes} == {n.id for n in bundled_graph.nodes}
        stored = {e.key: e for e in snap.edges}
        for edge in bundled_graph.edges:
            if edge.type == "MENTIONS":
                assert set(stored[edge.key].evidence) >= set(edge.evidence), edge.key
            else:
                assert set(stored[edge.key].evidence) == set(edge.evidence), edge.key
