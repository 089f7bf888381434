"""Readable graph pictures (issue 14): what the pictures hand vis-network — which nodes are labelled
first, where nodes start, which similarity links are drawn, the relationship legend and the buttons —
and the relationship-type filter on the pages, kept in the URL.

Graphs here are small test data written for these tests; the AppTests use tests/data's small graph.
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path
from typing import Any

import pytest
from app_testing import iframe_html, run, texts
from neo4j_fixture import Neo4jTarget  # tests/ is on sys.path (see conftest.py)

from govkg.app.explore import Filters, Membership, filter_graph
from govkg.graph.model import Edge, GraphDocument, Node, node_id
from govkg.graph.neo4j_store import Neo4jStore
from govkg.graph.picture_layout import COLUMN_ORDER, importance, kind_columns, ranked, thin_similarity
from govkg.graph.visual import (
    EDGE_COLOURS,
    LABEL_BUDGET,
    LABEL_PX,
    LABEL_THRESHOLD_PX,
    ClusterNode,
    render_clusters,
    render_graph,
)

XSS = "<script>alert(1)</script>"


def _dataset(page: str, name: str) -> list[dict[str, Any]]:
    found = re.search(rf"{name} = new vis\.DataSet\((\[.*?\])\);", page, re.DOTALL)
    assert found, f"no {name} data in the page"
    data: list[dict[str, Any]] = json.loads(found.group(1))
    return data


def _star(zones: int = 6) -> GraphDocument:
    """Written for testing: a mechanism adopted by `zones` zones, one organisation, one theme."""
    mech = Node(node_id("Mechanism", "测试议事会"), "Mechanism", "测试议事会")
    org = Node(node_id("Organisation", "测试党委"), "Organisation", "测试党委")
    theme = Node(node_id("Theme", "测试主题"), "Theme", "测试主题")
    zs = [Node(node_id("Zone", f"测试{i}街道"), "Zone", f"测试{i}街道", [], {"level": "street"}) for i in range(zones)]
    edges = [Edge("ADOPTS", z.id, mech.id) for z in zs]
    edges += [Edge("PARTICIPATES_IN", org.id, mech.id), Edge("UNDER_THEME", mech.id, theme.id)]
    return GraphDocument([], [mech, org, theme, *zs], edges)


def test_importance_weights_degree_by_kind_and_puts_the_focus_first() -> None:
    graph = _star()
    nodes = graph.node_by_id()
    scores = importance(nodes, graph.edges)
    mech, org, theme = graph.nodes[0].id, graph.nodes[1].id, graph.nodes[2].id
    order = ranked(nodes, scores)
    assert order[0] == mech  # 8 links, a mechanism
    assert scores[org] == scores[theme] * 2  # one link each; an organisation weighs twice a theme
    assert order.index(org) < order.index(theme)
    zone = graph.nodes[5].id
    assert ranked(nodes, importance(nodes, graph.edges, focus=zone))[0] == zone
    assert ranked(nodes, scores) == order  # the same graph, the same order


def _similar(a: str, b: str, score: float) -> Edge:
    return Edge("SIMILAR_TO", a, b, [], {"score": score})


def test_similarity_keeps_each_zones_strongest_links_only() -> None:
    ids = [node_id("Zone", f"测试{i}区") for i in range(6)]
    clique = [_similar(a, b, 0.1 + 0.01 * i + 0.001 * j) for i, a in enumerate(ids) for j, b in enumerate(ids) if a < b]
    other = Edge("PART_OF", ids[0], ids[1])
    kept = thin_similarity([other, *clique], top=2)
    similar = [e for e in kept if e.type == "SIMILAR_TO"]
    assert other in kept
    assert len(similar) < len(clique)  # 15 pairs in the clique
    ends: dict[str, int] = {}
    for edge in similar:
        ends[edge.source] = ends.get(edge.source, 0) + 1
        ends[edge.target] = ends.get(edge.target, 0) + 1
    strongest = max(clique, key=lambda e: e.properties["score"])
    assert strongest in similar
    # every pair kept is among the two strongest of one of its zones
    for edge in similar:
        assert any(
            edge in sorted((e for e in clique if end in (e.source, e.target)),
                           key=lambda e: -e.properties["score"])[:2]
            for end in (edge.source, edge.target))
    assert thin_similarity(clique, top=2, min_score=0.5) == []


def test_layout_puts_each_kind_in_its_own_column() -> None:
    graph = _star(12)
    places = kind_columns(graph.node_by_id(), graph.edges)
    assert set(places) == {n.id for n in graph.nodes}
    spans: dict[str, tuple[float, float]] = {}
    for node in graph.nodes:
        x = places[node.id][0]
        lo, hi = spans.get(node.label, (x, x))
        spans[node.label] = (min(lo, x), max(hi, x))
    kinds = sorted(spans, key=COLUMN_ORDER.index)
    for left, right in itertools.pairwise(kinds):
        assert spans[left][1] < spans[right][0], (left, right, spans)
    assert kind_columns(graph.node_by_id(), graph.edges) == places  # seeded


def test_the_picture_hands_ranks_places_and_a_legible_label_setup() -> None:
    graph = _star()
    page = render_graph(graph, words={"fit": "适应窗口", "reset": "复原", "png": "保存 PNG", "svg": "保存 SVG"})
    nodes = {n["id"]: n for n in _dataset(page, "nodes")}
    assert nodes[graph.nodes[0].id]["rank"] == 0
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in nodes.values())
    options = json.loads(re.search(r"var options = (\{.*?\});\n", page).group(1))  # type: ignore[union-attr]
    assert options["physics"] == {"enabled": False}  # placed in Python: nothing moves in the browser
    assert options["nodes"]["scaling"]["label"]["drawThreshold"] == LABEL_THRESHOLD_PX
    assert LABEL_PX >= LABEL_THRESHOLD_PX >= 11 and LABEL_BUDGET > 0
    for word in ("适应窗口", "复原", "保存 PNG", "保存 SVG"):
        assert f">{word}</button>" in page
    assert "div.vis-tooltip{max-width:" in page and "white-space:pre-wrap" in page
    # the relationship legend: each type drawn, in its colour
    legend = re.search(r'<div class="govkg-legend govkg-edge-legend".*?</div>', page, re.DOTALL)
    assert legend and 'data-type="ADOPTS"' in legend.group(0) and EDGE_COLOURS["ADOPTS"] in legend.group(0)
    assert 'data-type="SIMILAR_TO"' not in legend.group(0)
    edges = _dataset(page, "edges")
    assert {e["relType"] for e in edges} == {"ADOPTS", "PARTICIPATES_IN", "UNDER_THEME"}
    assert all(e["color"]["color"] == EDGE_COLOURS[e["relType"]] for e in edges)


def test_button_words_and_relationship_names_stay_text() -> None:
    page = render_graph(_star(), words={"fit": XSS}, edge_names={"ADOPTS": XSS})
    assert XSS not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;</button>" in page


def test_similarity_links_are_thin_and_dashed_and_cut_in_the_picture() -> None:
    zones = [Node(node_id("Zone", f"测试{i}区"), "Zone", f"测试{i}区", [], {"level": "district"}) for i in range(8)]
    clique = [_similar(a.id, b.id, 0.2 + 0.001 * (i + j)) for i, a in enumerate(zones) for j, b in enumerate(zones)
              if i < j]
    page = render_graph(GraphDocument([], zones, clique))
    drawn = _dataset(page, "edges")
    assert 0 < len(drawn) <= 2 * len(zones) < len(clique)
    assert all(e["dashes"] is True and e["width"] < 1 for e in drawn)


def test_a_relationship_filter_keeps_nodes_and_drops_other_types() -> None:
    graph = _star()
    shown = filter_graph(graph, Filters(relationships=["ADOPTS"]), Membership())
    assert {e.type for e in shown.edges} == {"ADOPTS"}
    assert len(shown.nodes) == len(graph.nodes)
    assert filter_graph(graph, Filters(), Membership()) is graph


# --------------------------------------------------------------------------- the pages (AppTest)


@pytest.mark.usefixtures("fresh_streamlit_caches")
def test_graph_page_filters_relationship_types_and_keeps_them_in_the_url(small_db: Path,
                                                                          small_graph: GraphDocument) -> None:
    at = run("pages/1_Graph.py")
    every = {e["relType"] for e in _dataset(iframe_html(at), "edges")}
    assert {"ADOPTS", "IN_CATEGORY"} <= every
    at.multiselect(key="rels").set_value(["ADOPTS", "PART_OF"]).run()
    assert not at.exception
    assert at.query_params["rels"] == "ADOPTS,PART_OF"
    picture = iframe_html(at)
    assert {e["relType"] for e in _dataset(picture, "edges")} <= {"ADOPTS", "PART_OF"}
    assert 'data-type="IN_CATEGORY"' not in picture and 'data-type="ADOPTS"' in picture
    reopened = run("pages/1_Graph.py", rels="ADOPTS,PART_OF", lang="en")
    assert reopened.multiselect(key="rels").value == ["ADOPTS", "PART_OF"]
    english = iframe_html(reopened)
    assert ">Fit</button>" in english and ">Save SVG</button>" in english
    assert {e["relType"] for e in _dataset(english, "edges")} <= {"ADOPTS", "PART_OF"}
    chinese = iframe_html(run("pages/1_Graph.py", lang="zh"))
    assert ">适应窗口</button>" in chinese and ">保存 PNG</button>" in chinese


@pytest.mark.usefixtures("fresh_streamlit_caches")
def test_node_page_filters_relationship_types_from_its_link(small_db: Path, small_graph: GraphDocument) -> None:
    zone = next(n for n in small_graph.nodes if n.name == "甲市西街道")
    at = run("pages/2_Node.py", node=zone.id, depth="2", rels="PART_OF")
    assert not at.exception
    assert at.multiselect(key="rels").value == ["PART_OF"]
    assert {e["relType"] for e in _dataset(iframe_html(at), "edges")} <= {"PART_OF"}


@pytest.mark.neo4j
@pytest.mark.usefixtures("fresh_streamlit_caches")
def test_both_engines_hand_the_same_picture(small_db: Path, small_graph: GraphDocument, neo4j_store: Neo4jStore,
                                            neo4j_target: Neo4jTarget, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same graph gives the same places, ranks and relationships on either engine, filter included."""

    def drawn(at: Any) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        assert not at.exception, [e.value for e in at.exception]
        page = iframe_html(at)
        nodes = sorted((n["id"], n["rank"], n["x"], n["y"]) for n in _dataset(page, "nodes"))
        edges = sorted((e["from"], e["to"], e["relType"]) for e in _dataset(page, "edges"))
        return nodes, edges

    embedded = drawn(run("pages/1_Graph.py", rels="ADOPTS,IN_CATEGORY"))
    neo4j_store.write(small_graph)
    monkeypatch.setenv("GOVKG_STORE", "neo4j")
    monkeypatch.setenv("NEO4J_URI", neo4j_target.uri)
    monkeypatch.setenv("NEO4J_USER", neo4j_target.user)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_target.password)
    monkeypatch.delenv("NEO4J_DATABASE", raising=False)
    on_neo4j = run("pages/1_Graph.py", rels="ADOPTS,IN_CATEGORY")
    assert "neo4j" in texts(on_neo4j)
    assert drawn(on_neo4j) == embedded
    assert {t for _, _, t in embedded[1]} == {"ADOPTS", "IN_CATEGORY"}


def test_the_families_picture_ranks_by_link_strength_and_has_the_buttons() -> None:
    nodes = [ClusterNode(node_id("Zone", f"测试{i}区"), f"测试{i}区", i % 2) for i in range(4)]
    ids = [n.id for n in nodes]
    page = render_clusters(nodes, [(ids[0], ids[1], 0.9), (ids[1], ids[2], 0.2)], {0: "甲", 1: "乙"},
                           words={"svg": "保存 SVG"})
    ranks = {n["id"]: n["rank"] for n in _dataset(page, "nodes")}
    assert ranks[ids[1]] == 0 and ranks[ids[0]] == 1 and ranks[ids[3]] == 3
    assert ">保存 SVG</button>" in page and ">Fit</button>" in page
    assert "window.govkgPicture" in page
