"""The Neo4j store on a real Neo4j 5.26 (the project's server, see tests/neo4j_fixture.py)."""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import MECH, ORG, SMALL_DOC, ZONE
from neo4j import GraphDatabase
from neo4j.exceptions import ConstraintError
from neo4j_fixture import Neo4jTarget, neo4j_unavailable

import govkg.graph.neo4j_store as neo4j_store_module
from govkg.errors import QueryError, ReadOnlyViolation, StoreError
from govkg.graph.model import (
    EDGE_TYPES,
    NODE_LABELS,
    Document,
    Edge,
    Evidence,
    GraphDocument,
    Node,
    document_id,
    node_id,
)
from govkg.graph.neo4j_store import Neo4jStore
from govkg.neo4j_server.server import ServerInfo, remove_home, server_status, start_server

pytestmark = pytest.mark.neo4j


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
    return {(ev.document, end) for e in graph.edges for ev in e.evidence for end in (e.source, e.target)}


def run(target: Neo4jTarget, cypher: str, **params: Any) -> list[dict[str, Any]]:
    """Straight to the server, past the store: to check what the store really did."""
    auth = (target.user, target.password) if target.password else None
    with GraphDatabase.driver(target.uri, auth=auth) as driver:
        records, _, _ = driver.execute_query(cypher, params)
    return [r.data() for r in records]


@pytest.fixture()
def small_neo4j(neo4j_store: Neo4jStore, small_graph: GraphDocument) -> Neo4jStore:
    neo4j_store.write(small_graph)
    return neo4j_store


# --- schema --------------------------------------------------------------------------------------


def test_schema_has_a_unique_id_and_a_name_index_per_label(neo4j_store: Neo4jStore, neo4j_target: Neo4jTarget) -> None:
    neo4j_store.ensure_schema()
    neo4j_store.ensure_schema()  # safe to call again
    constraints = run(neo4j_target, "SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties")
    unique = {r["labelsOrTypes"][0] for r in constraints if r["type"] == "UNIQUENESS" and r["properties"] == ["id"]}
    assert unique >= set(NODE_LABELS)
    indexes = run(neo4j_target, "SHOW INDEXES YIELD labelsOrTypes, properties, state")
    named = {r["labelsOrTypes"][0] for r in indexes if r["properties"] == ["name"] and r["state"] == "ONLINE"}
    assert named >= set(NODE_LABELS)
    # The server itself refuses a second node with the same id.
    run(neo4j_target, "CREATE (:Zone {id: 'zone:written-for-testing'})")
    with pytest.raises(ConstraintError):
        run(neo4j_target, "CREATE (:Zone {id: 'zone:written-for-testing'})")


# --- writing -------------------------------------------------------------------------------------


def test_write_then_counts_and_snapshot(neo4j_store: Neo4jStore, small_graph: GraphDocument) -> None:
    summary = neo4j_store.write(small_graph)
    expected: dict[str, int] = {name: 0 for name in [*NODE_LABELS, *EDGE_TYPES]}
    for node in small_graph.nodes:
        expected[node.label] += 1
    expected["Document"] = len(small_graph.documents)
    for edge in small_graph.edges:
        expected[edge.type] += 1
    expected["MENTIONS"] = len(mentions_expected(small_graph))
    assert summary.counts_after == expected == neo4j_store.counts()
    assert summary.nodes_created == len(small_graph.nodes) + 1 and summary.nodes_matched == 0
    assert summary.edges_created == len(small_graph.edges) + expected["MENTIONS"]

    snap = neo4j_store.snapshot()
    assert snap.problems() == []  # every evidence offset still points at its sentence
    got, want = canonical(snap), canonical(small_graph)
    assert got["documents"] == want["documents"]
    assert got["nodes"] == want["nodes"]
    assert [e for e in got["edges"] if e["type"] != "MENTIONS"] == want["edges"]
    assert {(e.source, e.target) for e in snap.edges if e.type == "MENTIONS"} == mentions_expected(small_graph)


def test_evidence_is_stored_as_four_parallel_lists(small_neo4j: Neo4jStore, neo4j_target: Neo4jTarget) -> None:
    rows = run(
        neo4j_target,
        "MATCH (:Organisation {id: $org})-[p:PARTICIPATES_IN]->(:Mechanism) RETURN properties(p) AS p",
        org=ORG,
    )
    stored = rows[0]["p"]
    assert stored["evidence_documents"] == [SMALL_DOC]
    assert stored["evidence_texts"] == ["东街道党委参与“友邻议事会”。"]
    text = small_neo4j.snapshot().documents[0].text
    assert text[stored["evidence_starts"][0] : stored["evidence_ends"][0]] == stored["evidence_texts"][0]


def test_writing_twice_changes_nothing(neo4j_store: Neo4jStore, small_graph: GraphDocument) -> None:
    first = neo4j_store.write(small_graph)
    before = neo4j_store.snapshot()
    second = neo4j_store.write(small_graph)
    after = neo4j_store.snapshot()
    assert second.counts_after == first.counts_after
    assert second.nodes_created == 0 and second.nodes_matched == first.nodes_created
    assert second.edges_created == 0 and second.edges_matched == first.edges_created
    assert canonical(after) == canonical(before)
    assert after.documents[0].properties["loaded_at"] == before.documents[0].properties["loaded_at"]
    for edge in after.edges:
        assert len(edge.evidence) == len(set(edge.evidence)), edge.key


def test_a_second_document_unites_evidence_and_aliases(small_neo4j: Neo4jStore) -> None:
    text = "这段文字为测试而写：东街道继续推行“友邻议事会”。"  # written for testing
    doc = Document(document_id(text), "second.txt", "第二份测试文本", "", "", "", text)
    start = text.index("东街道")
    evidence = Evidence(doc.id, text[start:], start, len(text))
    zone = Node(ZONE["东"], "Zone", "甲市东街道", ["东街道", "东街"], {"level": "street"})
    mechanism = Node(MECH["友邻议事会"], "Mechanism", "友邻议事会")
    graph = GraphDocument([doc], [zone, mechanism], [Edge("ADOPTS", zone.id, mechanism.id, [evidence])])
    first = small_neo4j.write(graph)
    assert (first.nodes_created, first.nodes_matched) == (1, 2)
    again = small_neo4j.write(graph)
    assert (again.nodes_created, again.nodes_matched) == (0, 3)
    assert again.counts_after == first.counts_after
    rows = small_neo4j.read(
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


def test_undeclared_properties_are_kept_in_extra(neo4j_store: Neo4jStore, neo4j_target: Neo4jTarget) -> None:
    node = Node(
        "zone:测试乡", "Zone", "测试乡", [], {"level": "township", "note": "written for testing", "rank": [1, 2]}
    )
    policy = Node("policy:测试办法", "Policy", "测试办法", [], {"year": "2017", "kind": "rule"})
    neo4j_store.write(GraphDocument([], [node, policy], []))
    snap = {n.id: n for n in neo4j_store.snapshot().nodes}
    assert snap[node.id].properties == node.properties
    assert snap[policy.id].properties == {"year": 2017, "kind": "rule"}
    [stored] = run(neo4j_target, "MATCH (z:Zone) RETURN z.extra AS extra, keys(z) AS keys")
    assert stored["extra"] == '{"note": "written for testing", "rank": [1, 2]}'
    assert sorted(stored["keys"]) == ["aliases", "extra", "id", "level", "name"]  # no stray properties, no nulls


# --- atomicity -----------------------------------------------------------------------------------


def test_a_failed_load_leaves_the_store_as_it_was(small_neo4j: Neo4jStore) -> None:
    before_counts, before = small_neo4j.counts(), canonical(small_neo4j.snapshot())
    text = "为测试而写：丙街道推行“新机制”。"  # written for testing
    doc = Document(document_id(text), "bad.txt", "", "", "", "", text)
    new_zone = Node("zone:测试省丙街道", "Zone", "丙街道", [], {"level": "street"})
    ev = Evidence(doc.id, text[6:], 6, len(text))
    # The nodes are written inside the transaction before the dangling edge is found.
    graph = GraphDocument([doc], [new_zone], [Edge("ADOPTS", new_zone.id, "mechanism:无此机制", [ev])])
    with pytest.raises(StoreError, match="mechanism:无此机制"):
        small_neo4j.write(graph)
    assert small_neo4j.counts() == before_counts
    assert canonical(small_neo4j.snapshot()) == before


def test_a_bad_row_midway_rolls_back_the_nodes_already_written(small_neo4j: Neo4jStore) -> None:
    before_counts, before = small_neo4j.counts(), canonical(small_neo4j.snapshot())
    bad = GraphDocument(
        [],
        [
            Node("zone:测试省新街道", "Zone", "新街道", [], {"level": "street"}),
            Node(None, "Theme", "没有 id 的主题"),  # type: ignore[arg-type]  # the server refuses a null id
        ],
        [],
    )
    with pytest.raises(StoreError, match="nothing was written"):
        small_neo4j.write(bad)
    assert small_neo4j.counts() == before_counts
    assert canonical(small_neo4j.snapshot()) == before


def test_an_edge_between_the_wrong_labels_is_refused(small_neo4j: Neo4jStore) -> None:
    before = small_neo4j.counts()
    with pytest.raises(StoreError, match="ADOPTS cannot link Mechanism to Zone"):
        small_neo4j.write(GraphDocument([], [], [Edge("ADOPTS", MECH["网格平台"], ZONE["东"])]))
    assert small_neo4j.counts() == before


def test_an_edge_to_a_node_loaded_earlier_is_accepted(small_neo4j: Neo4jStore) -> None:
    summary = small_neo4j.write(GraphDocument([], [], [Edge("ADOPTS", ZONE["北"], MECH["网格平台"])]))
    assert summary.edges_created == 1
    assert small_neo4j.counts()["ADOPTS"] == 6


# --- reading -------------------------------------------------------------------------------------

WRITES = {
    "CREATE": "CREATE (:Zone {id: 'zone:x', name: 'x'})",
    "MERGE": "MERGE (:Zone {id: 'zone:x'})",
    "DELETE": "MATCH (z:Zone) DELETE z",
    "DETACH": "MATCH (z:Zone) DETACH DELETE z",
    "SET": "MATCH (z:Zone) SET z.name = 'x'",
    "REMOVE": "MATCH (z:Zone) REMOVE z.level",
    "DROP": "DROP CONSTRAINT govkg_zone_id",
    "LOAD": "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
    "FOREACH": "MATCH (z:Zone) FOREACH (x IN [1] | SET z.name = 'x')",
    "CALL": "CALL db.createLabel('Written')",
}


@pytest.mark.parametrize("clause", sorted(WRITES))
def test_ad_hoc_writes_are_refused_and_change_nothing(small_neo4j: Neo4jStore, clause: str) -> None:
    before = canonical(small_neo4j.snapshot())
    with pytest.raises(ReadOnlyViolation, match=clause):
        small_neo4j.read(WRITES[clause])
    assert canonical(small_neo4j.snapshot()) == before


# Forms that once passed the guard: Neo4j ends a // comment at \r and decodes \uXXXX anywhere (issue 11).
DISGUISED = {
    "comment ended by a carriage return": "//\rLOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
    "escaped keyword": "WITH 1 AS x \\u004cOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
    "escaped CALL of an admin procedure": "\\u0043ALL dbms.listConfig()",
    "escaped quote closing a string": "RETURN '\\u0027 MERGE (:Zone {id: \\u0027zone:x\\u0027}) RETURN \\u0027'",
    "transaction kill after a comment": "//\rTERMINATE TRANSACTIONS 'neo4j-transaction-1'",
}


@pytest.mark.parametrize("form", sorted(DISGUISED))
def test_disguised_writes_and_file_reads_are_refused(small_neo4j: Neo4jStore, form: str) -> None:
    before = canonical(small_neo4j.snapshot())
    with pytest.raises(ReadOnlyViolation) as refused:
        small_neo4j.read(DISGUISED[form])
    assert "root:" not in str(refused.value)  # no line of /etc/passwd comes back in the message
    assert canonical(small_neo4j.snapshot()) == before


def test_the_server_reads_no_file_even_when_the_guard_missed_it(
    small_neo4j: Neo4jStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Pretend both guards missed it (text and plan): the server's own settings are under test.
    monkeypatch.setattr(neo4j_store_module, "check_read_only", lambda cypher: None)
    monkeypatch.setattr(neo4j_store_module, "check_plan", lambda plan: None)
    with pytest.raises(QueryError) as refused:
        small_neo4j.read("LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line")
    assert "root:" not in str(refused.value)


@pytest.mark.parametrize("cypher", ["MATCH (z:Zone) SET z.name = 'changed'", "CREATE (:Zone {id: 'zone:sneaked-in'})"])
def test_the_server_refuses_a_write_the_guard_missed(
    small_neo4j: Neo4jStore, monkeypatch: pytest.MonkeyPatch, cypher: str
) -> None:
    # Pretend both guards missed it (text and plan): the server's own settings are under test.
    monkeypatch.setattr(neo4j_store_module, "check_read_only", lambda cypher: None)
    monkeypatch.setattr(neo4j_store_module, "check_plan", lambda plan: None)
    before = canonical(small_neo4j.snapshot())
    with pytest.raises(ReadOnlyViolation, match="refused"):
        small_neo4j.read(cypher)
    assert canonical(small_neo4j.snapshot()) == before


def test_values_come_back_as_plain_python(small_neo4j: Neo4jStore) -> None:
    rows = small_neo4j.read(
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
    chain = small_neo4j.read("MATCH (z:Zone {id: $z})-[r:PART_OF*1..3]->(top:Zone) RETURN r", {"z": ZONE["南"]})
    assert sorted(len(r[0]) for r in chain.rows) == [1, 2]
    year = small_neo4j.read("MATCH (p:Policy) RETURN p.year AS year, p.year + 1 AS next").records()
    assert year == [{"year": 2019, "next": 2020}] and isinstance(year[0]["year"], int)


def test_limit_caps_rows_and_says_so(small_neo4j: Neo4jStore, neo4j_target: Neo4jTarget) -> None:
    capped = small_neo4j.read("MATCH (z:Zone) RETURN z.name ORDER BY z.name", limit=3)
    assert len(capped.rows) == 3 and capped.truncated
    whole = small_neo4j.read("MATCH (z:Zone) RETURN z.name ORDER BY z.name", limit=7)
    assert len(whole.rows) == 7 and not whole.truncated
    # Without a limit the store's own cap still applies.
    with Neo4jStore(neo4j_target.uri, user=neo4j_target.user, password=neo4j_target.password, max_rows=5) as store:
        default = store.read("UNWIND range(1, 1000000) AS x RETURN x")
    assert len(default.rows) == 5 and default.truncated


def test_a_slow_query_is_stopped_by_the_timeout(neo4j_target: Neo4jTarget) -> None:
    with Neo4jStore(
        neo4j_target.uri, user=neo4j_target.user, password=neo4j_target.password, read_timeout=1.0
    ) as store:
        started = time.monotonic()
        with pytest.raises(QueryError, match="longer than 1 s"):
            store.read("UNWIND range(1, 1000000000) AS x WITH x WHERE x % 7 = 3 RETURN count(x)")
        assert time.monotonic() - started < 30


def test_a_syntax_error_is_a_query_error(small_neo4j: Neo4jStore) -> None:
    with pytest.raises(QueryError, match="Invalid input"):
        small_neo4j.read("MATCH (z:Zone RETURN z")
    with pytest.raises(QueryError, match="not defined"):
        small_neo4j.read("MATCH (z:Zone) RETURN y")


def test_neighbourhood_and_node(small_neo4j: Neo4jStore) -> None:
    around = small_neo4j.neighbourhood(ZONE["东"], depth=1)
    assert {n.id for n in around.nodes} == {
        ZONE["东"],
        ZONE["甲市"],
        MECH["友邻议事会"],
        ORG,
        node_id("Policy", "社区协商规则"),
        node_id("Theme", "测试主题一"),
    }
    assert around.nodes[0].id == ZONE["东"]
    assert [d.id for d in around.documents] == [SMALL_DOC]
    assert around.problems() == []
    wider = small_neo4j.neighbourhood(ZONE["东"], depth=2, limit=8)
    assert len(wider.nodes) == 8 and wider.nodes[0].id == ZONE["东"]
    node = small_neo4j.node(ZONE["西"])
    assert node is not None and node.name == "甲市西街道" and node.aliases == ["西街道"]
    assert small_neo4j.node("zone:没有这个地方") is None


# --- connecting ----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_server_that_is_down_is_named() -> None:
    uri = f"bolt://127.0.0.1:{_free_port()}"
    with pytest.raises(StoreError, match="cannot reach the Neo4j server at " + uri) as caught:
        Neo4jStore(uri)
    assert "govkg neo4j start" in str(caught.value)


def test_a_bad_uri_says_which_schemes_work() -> None:
    with pytest.raises(StoreError, match=r"bolt://, neo4j:// or neo4j\+s://"):
        Neo4jStore("http://127.0.0.1:7474")


def test_an_unknown_database_is_named(neo4j_target: Neo4jTarget) -> None:
    with pytest.raises(StoreError, match="no database 'nosuchdb'"):
        Neo4jStore(neo4j_target.uri, user=neo4j_target.user, password=neo4j_target.password, database="nosuchdb")


# --- a server with authentication ----------------------------------------------------------------

TEST_PASSWORD = "written-for-testing-1"


@pytest.fixture(scope="module")
def auth_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerInfo]:
    """A second, short-lived server with auth on; user neo4j gets TEST_PASSWORD."""
    home = tmp_path_factory.mktemp("neo4j-auth")
    try:
        info = start_server(home=home, password=TEST_PASSWORD)
    except StoreError as err:
        remove_home(home)
        neo4j_unavailable(str(err))
        return
    yield info
    remove_home(home)


def test_a_wrong_password_says_authentication_failed_for_the_user(auth_server: ServerInfo) -> None:
    with pytest.raises(StoreError, match=f"authentication failed for user 'neo4j' at {auth_server.uri}"):
        Neo4jStore(auth_server.uri, user="neo4j", password="not-the-password")
    with pytest.raises(StoreError, match="authentication failed for user 'somebody'"):
        Neo4jStore(auth_server.uri, user="somebody", password=TEST_PASSWORD)


def test_no_password_on_an_auth_server_says_to_set_one(auth_server: ServerInfo) -> None:
    with pytest.raises(StoreError, match="NEO4J_PASSWORD"):
        Neo4jStore(auth_server.uri, user="neo4j", password="")


def test_the_right_password_writes_and_reads(auth_server: ServerInfo, small_graph: GraphDocument) -> None:
    with Neo4jStore(auth_server.uri, user="neo4j", password=TEST_PASSWORD) as store:
        store.write(small_graph)
        assert store.read("MATCH (z:Zone) RETURN count(z) AS n").records() == [{"n": 7}]


# --- losing the server in the middle of a load ---------------------------------------------------


def _large_graph(cities: int, streets_per_city: int) -> GraphDocument:
    """WRITTEN FOR TESTING: invented numbered streets, each in its own invented sentence."""
    graph = GraphDocument()
    province = Node(node_id("Zone", "测试大省"), "Zone", "测试大省", [], {"level": "province"})
    graph.nodes.append(province)
    for c in range(cities):
        sentences = [f"测试{c}市第{s}街道属于测试{c}市。" for s in range(streets_per_city)]
        text = "".join(sentences)
        doc = Document(document_id(text), f"written-for-testing-{c}.txt", f"测试{c}", "", "", "", text)
        graph.documents.append(doc)
        city = Node(node_id("Zone", f"测试大省测试{c}市"), "Zone", f"测试{c}市", [], {"level": "city"})
        graph.nodes.append(city)
        graph.edges.append(
            Edge("PART_OF", city.id, province.id, [Evidence(doc.id, sentences[0], 0, len(sentences[0]))])
        )
        at = 0
        for s, sentence in enumerate(sentences):
            street = Node(node_id("Zone", f"测试大省测试{c}市第{s}街道"), "Zone", f"第{s}街道", [], {"level": "street"})
            graph.nodes.append(street)
            graph.edges.append(
                Edge("PART_OF", street.id, city.id, [Evidence(doc.id, sentence, at, at + len(sentence))])
            )
            at += len(sentence)
    return graph


def test_a_server_lost_mid_load_keeps_nothing_and_a_rerun_completes(tmp_path: Path, small_graph: GraphDocument) -> None:
    home = tmp_path / "neo4j-lost"
    try:
        info = start_server(home=home)
    except StoreError as err:
        neo4j_unavailable(str(err))
        return
    try:
        with Neo4jStore(info.uri, password=info.password) as store:
            store.write(small_graph)
            before = store.counts()
        big = _large_graph(cities=300, streets_per_city=20)
        assert big.problems() == []

        failure: list[BaseException] = []

        def load() -> None:
            try:
                with Neo4jStore(info.uri, password=info.password, retry_seconds=2.0) as loading:
                    loading.write(big)
            except BaseException as err:  # the main thread asserts on it
                failure.append(err)

        loader = threading.Thread(target=load)
        loader.start()
        # Wait until the load's transaction is running statements, then kill the server outright.
        deadline = time.monotonic() + 120
        with GraphDatabase.driver(info.uri, auth=info.auth) as watcher:
            while time.monotonic() < deadline:
                records, _, _ = watcher.execute_query("SHOW TRANSACTIONS YIELD currentQuery")
                if any(str(r["currentQuery"]).startswith("UNWIND $rows") for r in records):
                    break
                time.sleep(0.05)
            else:
                pytest.fail("the load never started")
        os.kill(info.pid, signal.SIGKILL)
        loader.join(timeout=120)
        assert not loader.is_alive()
        assert len(failure) == 1 and isinstance(failure[0], StoreError), failure
        message = str(failure[0])
        assert info.uri in message and "nothing of it was committed" in message

        # The dead server's state is cleaned; a restart on the same home recovers the store.
        assert server_status(home) is None
        again = start_server(home=home)
        with Neo4jStore(again.uri, password=again.password) as store:
            assert store.counts() == before  # nothing of the lost load
            done = store.write(big)
            assert done.nodes_created == len(big.nodes) + len(big.documents)
            rerun = store.write(big)  # and once more: no duplicates
            assert rerun.nodes_created == 0 and rerun.edges_created == 0
            assert rerun.counts_after == done.counts_after
            assert done.counts_after["Zone"] == before["Zone"] + len(big.nodes)
            assert done.counts_after["Document"] == before["Document"] + len(big.documents)
    finally:
        remove_home(home)
