"""Export (GraphML, CSV, Cypher script) and the Cypher round trip between the two engines."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from conftest import MECH, ORG, SMALL_DOC, ZONE
from neo4j import GraphDatabase
from neo4j_fixture import Neo4jTarget

from govkg.errors import InputError
from govkg.graph.export import export_graph, import_cypher_script, parse_cypher_script
from govkg.graph.ladybug_store import LadybugStore
from govkg.graph.model import NODE_LABELS, Document, Edge, Evidence, GraphDocument, Node, document_id
from govkg.graph.neo4j_store import Neo4jStore
from govkg.graph.store import GraphStore


def canonical(graph: GraphDocument) -> dict[str, list[dict[str, Any]]]:
    docs = sorted((d.to_dict() for d in graph.documents), key=lambda d: str(d["id"]))
    nodes = sorted((n.to_dict() for n in graph.nodes), key=lambda n: str(n["id"]))
    edges = sorted((e.to_dict() for e in graph.edges), key=lambda e: (e["type"], e["source"], e["target"]))
    return {"documents": docs, "nodes": nodes, "edges": edges}


@pytest.fixture()
def small_embedded(embedded_store: LadybugStore, small_graph: GraphDocument) -> LadybugStore:
    embedded_store.write(small_graph)
    return embedded_store


def _totals(store: GraphStore) -> tuple[int, int]:
    counts = store.counts()
    nodes = sum(v for k, v in counts.items() if k in NODE_LABELS)
    return nodes, sum(counts.values()) - nodes


# --- GraphML and CSV -----------------------------------------------------------------------------


def test_graphml_opens_with_every_node_and_relationship(small_embedded: LadybugStore, tmp_path: Path) -> None:
    [path] = export_graph(small_embedded, "graphml", tmp_path / "out" / "govkg.graphml")
    assert path.suffix == ".graphml" and path.read_bytes().startswith(b"<?xml")
    g = nx.read_graphml(path)
    assert (g.number_of_nodes(), g.number_of_edges()) == _totals(small_embedded)
    assert g.nodes[ZONE["东"]]["name"] == "甲市东街道"
    # Gephi labels a node with its `label` attribute: the name a researcher reads, the kind kept apart.
    assert (g.nodes[ZONE["东"]]["label"], g.nodes[ZONE["东"]]["kind"]) == ("甲市东街道", "Zone")
    assert json.loads(g.nodes[ZONE["东"]]["aliases"]) == ["东街道"]
    participation = [attrs for s, _, attrs in g.edges(data=True)
                     if s == ORG and attrs["relationship"] == "PARTICIPATES_IN"]  # fmt: skip
    assert [json.loads(a["evidence"])[0]["text"] for a in participation] == ["东街道党委参与“友邻议事会”。"]


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_network_exports_give_every_edge_its_own_id_and_keep_gexf_types_valid(
    small_embedded: LadybugStore, tmp_path: Path, fmt: str
) -> None:
    """Gephi refuses a file whose edge ids repeat, and GEXF's edge `type` may only say directed,
    undirected or mutual; networkx reads each file back whole, relationship types included."""
    import xml.etree.ElementTree as ET

    [path] = export_graph(small_embedded, fmt, tmp_path / f"govkg.{fmt}")
    edges = [el for el in ET.parse(path).iter() if el.tag.rsplit("}", 1)[-1] == "edge"]
    ids = [el.get("id") for el in edges]
    assert len(ids) == _totals(small_embedded)[1] and None not in ids and len(set(ids)) == len(ids)
    if fmt == "gexf":
        assert {el.get("type") for el in edges} <= {None, "directed", "undirected", "mutual"}
    back = nx.read_graphml(path, force_multigraph=True) if fmt == "graphml" else nx.read_gexf(path)
    assert (back.number_of_nodes(), back.number_of_edges()) == _totals(small_embedded)
    types = sorted(str(attrs["relationship"]) for _, _, attrs in back.edges(data=True))
    counts = small_embedded.counts()
    assert types == sorted(t for t, n in counts.items() if t not in NODE_LABELS for _ in range(n))


def test_csv_is_utf8_with_bom_and_holds_everything(small_embedded: LadybugStore, tmp_path: Path) -> None:
    nodes_path, edges_path = export_graph(small_embedded, "csv", tmp_path / "csv")
    for path in (nodes_path, edges_path):
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads Chinese only with the BOM
    with nodes_path.open(encoding="utf-8-sig", newline="") as handle:
        nodes = list(csv.DictReader(handle))
    with edges_path.open(encoding="utf-8-sig", newline="") as handle:
        edges = list(csv.DictReader(handle))
    assert (len(nodes), len(edges)) == _totals(small_embedded)
    by_id = {row["id"]: row for row in nodes}
    assert by_id[ZONE["东"]]["name"] == "甲市东街道" and by_id[ZONE["东"]]["level"] == "street"
    assert json.loads(by_id[ZONE["东"]]["aliases"]) == ["东街道"]
    assert by_id[SMALL_DOC]["label"] == "Document" and "友邻议事会" in by_id[SMALL_DOC]["text"]
    policy = next(row for row in nodes if row["label"] == "Policy")
    assert policy["year"] == "2019"
    cues = {(row["source"], row["target"]): row["cue"] for row in edges if row["type"] == "IN_CATEGORY"}
    assert "议事" in cues.values()
    for row in edges:
        evidence = json.loads(row["evidence"])
        assert int(row["evidence_count"]) == len(evidence)
        for ev in evidence:
            text = by_id[ev["document"]]["text"]
            assert text[ev["start"] : ev["end"]] == ev["text"]


def test_bad_export_requests_name_the_problem(small_embedded: LadybugStore, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown export format 'xlsx'"):
        export_graph(small_embedded, "xlsx", tmp_path / "x.xlsx")
    taken = tmp_path / "a-file"
    taken.write_text("written for testing", encoding="utf-8")
    with pytest.raises(InputError, match="is a file"):
        export_graph(small_embedded, "csv", taken)


# --- the Cypher script ---------------------------------------------------------------------------


def test_the_script_reads_back_the_same_graph(small_embedded: LadybugStore, tmp_path: Path) -> None:
    [path] = export_graph(small_embedded, "cypher", tmp_path / "govkg.cypher")
    snapshot = small_embedded.snapshot()
    parsed = parse_cypher_script(path.read_text(encoding="utf-8"), str(path))
    assert parsed.problems() == []
    assert canonical(parsed) == canonical(snapshot)  # documents keep their load time, too


@pytest.mark.neo4j
def test_cypher_round_trip_embedded_to_neo4j_and_back(
    small_embedded: LadybugStore, neo4j_store: Neo4jStore, tmp_path: Path
) -> None:
    [script] = export_graph(small_embedded, "cypher", tmp_path / "from-embedded.cypher")
    summary = import_cypher_script(neo4j_store, script)
    assert summary.counts_after == small_embedded.counts()
    assert canonical(neo4j_store.snapshot()) == canonical(small_embedded.snapshot())
    again = import_cypher_script(neo4j_store, script)  # importing twice changes nothing
    assert again.nodes_created == 0 and again.edges_created == 0
    assert again.counts_after == summary.counts_after

    [back] = export_graph(neo4j_store, "cypher", tmp_path / "from-neo4j.cypher")
    with LadybugStore(tmp_path / "fresh" / "govkg.lbdb") as fresh:
        import_cypher_script(fresh, back)
        assert fresh.counts() == small_embedded.counts()
        assert canonical(fresh.snapshot()) == canonical(small_embedded.snapshot())


@pytest.mark.neo4j
def test_bundled_data_round_trips(
    bundled_graph: GraphDocument, embedded_store: LadybugStore, neo4j_store: Neo4jStore, tmp_path: Path
) -> None:
    embedded_store.write(bundled_graph)
    [script] = export_graph(embedded_store, "cypher", tmp_path / "bundled.cypher")
    summary = import_cypher_script(neo4j_store, script)
    assert summary.counts_after == embedded_store.counts()
    assert summary.counts_after["Document"] == len(bundled_graph.documents)
    assert canonical(neo4j_store.snapshot()) == canonical(embedded_store.snapshot())


@pytest.mark.neo4j
def test_the_script_runs_as_plain_cypher_in_neo4j(
    small_embedded: LadybugStore, neo4j_store: Neo4jStore, neo4j_target: Neo4jTarget, tmp_path: Path
) -> None:
    """What a researcher gets by pasting the file into cypher-shell: no govkg involved."""
    [script] = export_graph(small_embedded, "cypher", tmp_path / "plain.cypher")
    statements = [
        line for line in script.read_text(encoding="utf-8").splitlines() if line and not line.startswith("//")
    ]
    auth = (neo4j_target.user, neo4j_target.password) if neo4j_target.password else None
    with GraphDatabase.driver(neo4j_target.uri, auth=auth) as driver, driver.session() as session:
        for _ in range(2):  # re-running the script is harmless
            for statement in statements:
                session.run(statement.rstrip(";")).consume()
    assert neo4j_store.counts() == small_embedded.counts()
    assert canonical(neo4j_store.snapshot()) == canonical(small_embedded.snapshot())


@pytest.mark.neo4j
def test_a_curated_store_round_trips_with_its_replaced_documents(
    small_embedded: LadybugStore, neo4j_store: Neo4jStore, tmp_path: Path
) -> None:
    """A curated sheet replaced the test document; the export must restore both documents as they
    are (the replaced one keeps its text), not replay the replacement."""
    text = "这段文字为测试而写：甲市东街道推行“友邻议事会”。"  # written for testing
    curated = Document(document_id(text), "curated.yaml", "整理后的测试表", "", "", "", text, {"replaces": [SMALL_DOC]})
    evidence = Evidence(curated.id, text[10:], 10, len(text))
    zone = Node(ZONE["东"], "Zone", "甲市东街道", [], {"level": "street", "full_name": "测试省甲市东街道"})
    mechanism = Node(MECH["友邻议事会"], "Mechanism", "友邻议事会")
    done = small_embedded.write(
        GraphDocument([curated], [zone, mechanism], [Edge("ADOPTS", zone.id, mechanism.id, [evidence])])
    )
    assert done.documents_replaced == [SMALL_DOC]
    [script] = export_graph(small_embedded, "cypher", tmp_path / "curated.cypher")
    import_cypher_script(neo4j_store, script)
    assert neo4j_store.counts() == small_embedded.counts()
    assert canonical(neo4j_store.snapshot()) == canonical(small_embedded.snapshot())
    replaced = next(d for d in neo4j_store.snapshot().documents if d.id == SMALL_DOC)
    assert replaced.properties["superseded_by"] == curated.id and "友邻议事会" in replaced.text


def test_a_foreign_or_broken_script_names_file_and_line(embedded_store: LadybugStore, tmp_path: Path) -> None:
    foreign = tmp_path / "foreign.cypher"
    foreign.write_text("CREATE (:Zone {id: 'x'});\n", encoding="utf-8")  # written for testing
    with pytest.raises(InputError, match="not a govkg Cypher export"):
        import_cypher_script(embedded_store, foreign)
    broken = tmp_path / "broken.cypher"
    broken.write_text(
        "// govkg Cypher export: written for testing\n"
        'MERGE (n:Zone {id: "zone:测试"}) SET n.name = "测试", n.level = "street";\n'
        'MERGE (n:Zone {id: "zone:坏"}) SET n.name = "坏;\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"broken\.cypher: line 3"):
        import_cypher_script(embedded_store, broken)
    assert embedded_store.counts()["Zone"] == 0  # nothing of a bad script is written
    with pytest.raises(InputError, match="file not found"):
        import_cypher_script(embedded_store, tmp_path / "missing.cypher")


@pytest.mark.parametrize(
    ("statement", "problem"),
    [
        ('MERGE (n:Zone {id: "zone:x"}) SET n.name = "x", n.extra = "[1,2]";', "extra must hold a JSON object"),
        ('MERGE (n:Zone {id: "zone:x"}) SET n.name = ' + "[" * 50_000 + "]" * 50_000 + ";", "nests too deep"),
    ],
)
def test_a_hostile_script_is_one_line_naming_the_line(statement: str, problem: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_cypher_script("// govkg Cypher export\n" + statement, "hostile.cypher")
    assert str(caught.value).startswith("hostile.cypher: line 2: ") and problem in str(caught.value)
