"""Graph pictures (graph/visual.py): colours, legend, escaping of data, offline resources, the size cap.

All graphs here are small test data written for these tests; names and sentences are not from a case.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest

from govkg.graph.model import NODE_LABELS, Document, Edge, Evidence, GraphDocument, Node, document_id, node_id
from govkg.graph.visual import LABEL_COLOURS, cap_graph, legend_html, picture_nodes, render_graph

XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "<script>alert(1)</script>"


def _dataset(page: str, name: str) -> list[dict[str, Any]]:
    """The JSON pyvis hands to vis-network for `nodes` or `edges`."""
    found = re.search(rf"{name} = new vis\.DataSet\((\[.*?\])\);", page, re.DOTALL)
    assert found, f"no {name} data in the page"
    data: list[dict[str, Any]] = json.loads(found.group(1))
    return data


def _one_of_each_label() -> GraphDocument:
    # Written for testing: one node per label, chained so every node has an edge.
    labels = [label for label in NODE_LABELS if label != "Document"]
    nodes = [Node(node_id(label, f"测试{label}"), label, f"测试{label}") for label in labels]
    nodes[0].properties["level"] = "district"
    text = "测试文本：测试Zone采用测试Mechanism。"  # written for testing
    doc = Document(document_id(text), "test.txt", "测试文献", "test", "", "", text)
    edges = [Edge("MENTIONS", doc.id, n.id) for n in nodes]
    graph = GraphDocument([doc], nodes, edges)
    assert graph.problems() == []
    return graph


def test_each_label_is_drawn_in_its_own_colour() -> None:
    graph = _one_of_each_label()
    nodes = _dataset(render_graph(graph), "nodes")
    colour_by_label = {n["id"].split(":")[0]: n["color"] for n in nodes}
    assert colour_by_label["document"] == LABEL_COLOURS["Document"]
    for label in NODE_LABELS:
        assert colour_by_label[label.lower()] == LABEL_COLOURS[label]
    assert len(set(LABEL_COLOURS.values())) == len(NODE_LABELS), "two labels share a colour"


def test_legend_names_the_labels_drawn_with_their_colours() -> None:
    text = "测试：甲街道采用乙机制。"  # written for testing
    doc = Document(document_id(text), "t.txt", "t", "", "", "", text)
    zone = Node(node_id("Zone", "甲街道"), "Zone", "甲街道", [], {"level": "street"})
    mech = Node(node_id("Mechanism", "乙机制"), "Mechanism", "乙机制")
    adopts = Edge("ADOPTS", zone.id, mech.id, [Evidence(doc.id, text, 0, len(text))])
    graph = GraphDocument([doc], [zone, mech], [adopts])
    page = render_graph(graph, label_names={"Zone": "地区 / Zone", "Mechanism": "机制 / Mechanism"})
    legend = re.search(r'<div class="govkg-legend".*?</div>', page, re.DOTALL)
    assert legend, "the picture has no legend"
    assert "地区 / Zone" in legend.group(0) and LABEL_COLOURS["Zone"] in legend.group(0)
    assert "机制 / Mechanism" in legend.group(0) and LABEL_COLOURS["Mechanism"] in legend.group(0)
    # Only labels in the picture: the document is cited as evidence only, so it is not drawn.
    assert 'data-label="Document"' not in legend.group(0)
    assert 'data-label="Policy"' not in legend.group(0)


@pytest.mark.parametrize("name", [XSS_IMG, XSS_SCRIPT, '<a href="javascript:alert(1)">链接</a>'])
def test_markup_in_names_and_sentences_stays_text(name: str) -> None:
    # Written for testing: a hostile name, alias, property, sentence and legend text.
    text = f"测试句子{name}结束。"
    doc = Document(document_id(text), "t.txt", name, "", "", "", text)
    zone = Node(node_id("Zone", "测试区"), "Zone", name, [name], {"level": "district", "note": name})
    mech = Node(node_id("Mechanism", "测试机制"), "Mechanism", "测试机制")
    edge = Edge("ADOPTS", zone.id, mech.id, [Evidence(doc.id, text, 0, len(text))])
    mention = Edge("MENTIONS", doc.id, zone.id)
    page = render_graph(GraphDocument([doc], [zone, mech], [edge, mention]), label_names={"Zone": name})

    assert name not in page, "a raw tag from data reached the page's source"
    assert "popup.innerHTML" not in page, "pyvis's HTML popup would render tooltips as markup"
    # vis-network draws labels on the canvas and sets string tooltips with innerText: plain text, so
    # the reader sees the name as written (escaping would show &lt; instead).
    nodes = {n["id"]: n for n in _dataset(page, "nodes")}
    shown = name.replace("href", "hre\u200bf")
    assert shown in nodes[zone.id]["title"] and nodes[zone.id]["label"].startswith(shown[:10])
    edges = _dataset(page, "edges")
    adopts = next(e for e in edges if e["from"] == zone.id)
    assert text.replace("href", "hre\u200bf") in adopts["title"]
    legend = re.search(r'<div class="govkg-legend".*?</div>', page, re.DOTALL)
    assert legend and html.escape(name) in legend.group(0) and name not in legend.group(0)


def test_vis_network_is_inlined_and_no_cdn_is_needed() -> None:
    page = render_graph(_one_of_each_label())
    remote_scripts = re.findall(r"<script[^>]*\bsrc\s*=", page, re.IGNORECASE)
    remote_styles = re.findall(r"<link[^>]*\bhref\s*=\s*[\"']?https?:", page, re.IGNORECASE)
    assert remote_scripts == [] and remote_styles == [], "the picture would load resources from a CDN"
    assert "bootstrap" not in page.lower()
    assert "new vis.Network(" in page
    assert len(page) > 300_000, "vis-network's code is not inlined"


def test_focus_node_is_drawn_larger() -> None:
    graph = _one_of_each_label()
    focus = graph.nodes[0].id
    nodes = {n["id"]: n for n in _dataset(render_graph(graph, focus=focus), "nodes")}
    assert nodes[focus]["size"] > max(n["size"] for i, n in nodes.items() if i != focus)


def test_cap_keeps_the_best_connected_nodes_and_says_it_cut() -> None:
    # Written for testing: a hub zone with five mechanisms, and one isolated policy.
    hub = Node(node_id("Zone", "中心区"), "Zone", "中心区", [], {"level": "district"})
    mechs = [Node(node_id("Mechanism", f"机制{i}"), "Mechanism", f"机制{i}") for i in range(5)]
    lonely = Node(node_id("Policy", "孤立政策"), "Policy", "孤立政策")
    graph = GraphDocument([], [hub, *mechs, lonely], [Edge("ADOPTS", hub.id, m.id) for m in mechs])

    capped = cap_graph(graph, 3)
    kept = {n.id for n in capped.graph.nodes}
    assert capped.cut and capped.total == 7 and len(kept) == 3
    assert hub.id in kept and lonely.id not in kept
    assert all(e.source in kept and e.target in kept for e in capped.graph.edges)
    assert len(capped.graph.edges) == 2

    pinned = cap_graph(graph, 2, keep=lonely.id)
    assert lonely.id in {n.id for n in pinned.graph.nodes}

    whole = cap_graph(graph, 50)
    assert not whole.cut and whole.graph is graph


def test_documents_are_drawn_only_when_an_edge_reaches_them() -> None:
    text = "测试：甲街道采用乙机制。"  # written for testing
    cited = Document(document_id(text), "t.txt", "被引文献", "", "", "", text)
    text2 = "另一测试文本。"  # written for testing
    linked = Document(document_id(text2), "u.txt", "提及文献", "", "", "", text2)
    zone = Node(node_id("Zone", "甲街道"), "Zone", "甲街道", [], {"level": "street"})
    graph = GraphDocument([cited, linked], [zone], [Edge("MENTIONS", linked.id, zone.id)])
    drawn = picture_nodes(graph)
    assert linked.id in drawn and drawn[linked.id].label == "Document" and drawn[linked.id].name == "提及文献"
    assert cited.id not in drawn


def test_legend_html_escapes_and_colours() -> None:
    snippet = legend_html(["Zone", "Policy"], {"Zone": XSS_SCRIPT})
    assert XSS_SCRIPT not in snippet and html.escape(XSS_SCRIPT) in snippet
    assert LABEL_COLOURS["Zone"] in snippet and LABEL_COLOURS["Policy"] in snippet


def test_double_click_opens_the_node_page_only_when_asked() -> None:
    graph = _one_of_each_label()
    linked = render_graph(graph, node_page="Node")
    assert 'network.on("doubleClick"' in linked
    assert 'replace(/[^\\/]*$/, "Node")' in linked and 'wanted.set("node"' in linked
    assert 'wanted.set("lang", lang)' in linked  # the reader's language follows the link
    assert linked.index('network.on("doubleClick"') > linked.index("new vis.Network(")
    assert 'network.on("doubleClick"' not in render_graph(graph)
