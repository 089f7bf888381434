"""Graph pictures: a GraphDocument drawn as a self-contained pyvis (vis-network) HTML page.

The page works offline: vis-network is inlined and the Bootstrap links pyvis always adds (used only by
its select/filter menus, which are off here) are removed.

Text from data stays text. Node and edge data reach the page through Jinja's `tojson`, which writes
`<`, `>`, `&` and `'` as JSON unicode escapes, so nothing in them can end the script they sit in.
vis-network 9.1 (the version pyvis 0.3.2 inlines) draws labels on the canvas and shows a string tooltip with
`innerText`, so labels and tooltips are given as plain text (escaping them would show `&lt;` to the
reader). pyvis swaps in its own popup, which uses `innerHTML`, when any tooltip contains "href": a
tooltip never does (`_plain_text`), and `render_graph` refuses a page with that popup. The legend is
HTML this module writes, so its names are escaped.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

from pyvis.edge import Edge as VisEdge
from pyvis.network import Network

from govkg.graph.model import EDGE_TYPES, NODE_LABELS, GraphDocument, Node
from govkg.graph.picture_layout import importance, kind_columns, ranked, thin_similarity

__all__ = [
    "DEFAULT_HEIGHT_PX",
    "EDGE_COLOURS",
    "FAMILY_COLOURS",
    "LABEL_COLOURS",
    "LABEL_SHAPES",
    "TOOL_WORDS",
    "CappedGraph",
    "ClusterNode",
    "cap_graph",
    "colour_for",
    "edge_colour",
    "edge_legend_html",
    "legend_html",
    "picture_nodes",
    "render_clusters",
    "render_graph",
]

# One colour per label (colour-blind-safe Okabe-Ito hues); unknown labels fall back to grey.
LABEL_COLOURS: dict[str, str] = {
    "Zone": "#0072B2",
    "Organisation": "#E69F00",
    "Mechanism": "#009E73",
    "Policy": "#CC79A7",
    "Document": "#7F7F7F",
    "Category": "#D55E00",
    "Theme": "#56B4E9",
}
FALLBACK_COLOUR = "#BBBBBB"
# A second cue besides colour, for readers who cannot tell the hues apart.
LABEL_SHAPES: dict[str, str] = {
    "Zone": "dot",
    "Organisation": "diamond",
    "Mechanism": "square",
    "Policy": "triangle",
    "Document": "box",
    "Category": "star",
    "Theme": "triangleDown",
}
# The legend draws each label's shape as a glyph in its colour.
_SHAPE_GLYPHS = {"dot": "●", "diamond": "◆", "square": "■", "triangle": "▲", "box": "▬", "star": "★",
                 "triangleDown": "▼"}
DEFAULT_HEIGHT_PX = 620
MAX_TITLE_TEXT = 300

assert set(LABEL_COLOURS) == set(NODE_LABELS) == set(LABEL_SHAPES)

# pyvis links Bootstrap from a CDN in every page; unreachable offline and from much of mainland China,
# where a blocking <script src> can hold the picture back until the request times out.
_BOOTSTRAP_TAGS = re.compile(
    r"<link[^>]*bootstrap[^>]*/?>|<script[^>]*bootstrap[^>]*>\s*</script>", re.IGNORECASE | re.DOTALL
)
_EMPTY_HEADING = re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>", re.IGNORECASE)
_DEAD_COMMENT = re.compile(r"<!--.*?node_modules.*?-->", re.DOTALL)


def colour_for(label: str) -> str:
    return LABEL_COLOURS.get(label, FALLBACK_COLOUR)


@dataclass
class CappedGraph:
    """A graph cut down to at most `limit` nodes; `total` is how many it had, `cut` whether any were dropped."""

    graph: GraphDocument
    total: int
    limit: int

    @property
    def cut(self) -> bool:
        return self.total > len(self.graph.nodes)


def cap_graph(graph: GraphDocument, limit: int, keep: str | None = None) -> CappedGraph:
    """Keep the `limit` most important nodes (and `keep`, if given) and the edges among them.

    Documents linked by an edge count as nodes here, since the picture draws them. Importance is the
    degree weighted by kind (picture_layout.importance; SIMILAR_TO left out), then the name, so the same
    graph always gives the same picture.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    everything = picture_nodes(graph)
    total = len(everything)
    if total <= limit:
        return CappedGraph(graph, total, limit)
    # Derived similarity links do not make a node important (each zone has ten): facts do.
    scores = importance(everything, (e for e in graph.edges if e.type not in DERIVED_EDGES), keep)
    kept = set(ranked(everything, scores)[:limit])
    return CappedGraph(
        GraphDocument(
            documents=[d for d in graph.documents if d.id in kept or d.id not in everything],
            nodes=[n for n in graph.nodes if n.id in kept],
            edges=[e for e in graph.edges if e.source in kept and e.target in kept],
        ),
        total,
        limit,
    )


def render_graph(
    graph: GraphDocument,
    *,
    label_names: Mapping[str, str] | None = None,
    edge_names: Mapping[str, str] | None = None,
    focus: str | None = None,
    height_px: int = DEFAULT_HEIGHT_PX,
    legend: bool = True,
    node_page: str | None = None,
    words: Mapping[str, str] | None = None,
) -> str:
    """A complete HTML page drawing `graph` with one colour and shape per label.

    `label_names` / `edge_names` give the text shown for a label or relationship type (for example
    in the reader's language); `focus` is a node id drawn larger. Documents named by edges are drawn
    as Document nodes titled by their title. With `node_page` (a page of the app, such as "Node"),
    double-clicking a node opens that page at `?node=<id>` in the app around the picture. `words` are
    the picture's buttons (`TOOL_WORDS`' keys) in the reader's language.

    Nodes start in one column per kind (graph/picture_layout.py) and stay there (no physics); the most
    important nodes are labelled at a legible size, the rest on hover and as the reader zooms in;
    similarity links are cut to each zone's strongest (picture_layout.thin_similarity).
    """
    names = dict(label_names or {})
    rel_names = dict(edge_names or {})
    net = Network(
        height=f"{height_px}px",
        width="100%",
        directed=True,
        cdn_resources="in_line",
        bgcolor="#ffffff",
        font_color="#222222",
    )
    drawn = picture_nodes(graph)
    edges = thin_similarity(e for e in graph.edges if e.source in drawn and e.target in drawn)
    # a dangling edge would make pyvis raise; the store never returns one knowingly
    order = ranked(drawn, importance(drawn, edges, focus))
    rank = {node_id: i for i, node_id in enumerate(order)}
    places = kind_columns(drawn, edges)
    options = _options(len(drawn))
    options["physics"] = {"enabled": False}
    options["layout"] = {"improvedLayout": False}
    net.set_options(json.dumps(options))
    for node in drawn.values():
        x, y = places[node.id]
        net.add_node(
            node.id,
            label=_plain_text(_short(node.name, 24)),
            title=_node_title(node, names),
            color=colour_for(node.label),
            shape=LABEL_SHAPES.get(node.label, "dot"),
            size=26 if node.id == focus else 16,
            borderWidth=4 if node.id == focus else 1,
            x=x,
            y=y,
            rank=rank[node.id],
        )  # no `group`: pyvis drops the colour of grouped nodes and vis would pick its own
    few = len(drawn) <= EDGE_LABELS_UP_TO
    for edge in edges:
        rel = rel_names.get(edge.type, edge.type)
        lines = [rel, *(_short(ev.text, MAX_TITLE_TEXT) for ev in edge.evidence[:3])]
        if len(edge.evidence) > 3:
            lines.append(f"(+{len(edge.evidence) - 3})")
        if edge.type == "SIMILAR_TO" and "score" in edge.properties:
            lines.append(f"{edge.properties['score']:.3f}" if isinstance(edge.properties["score"], float)
                         else str(edge.properties["score"]))
        style: dict[str, object] = {"color": {"color": edge_colour(edge.type), "highlight": "#333333"},
                                    "relType": edge.type}
        if edge.type in LIGHT_EDGES:
            style.update(dashes=True, width=0.6)
        if few:
            style["label"] = _plain_text(rel)
        _append_edge(net, edge.source, edge.target, title=_plain_text("\n".join(lines)), **style)
    page = _checked(net.generate_html())
    page = _BOOTSTRAP_TAGS.sub("", page)
    page = _EMPTY_HEADING.sub("", page)
    page = _DEAD_COMMENT.sub("", page)
    if legend:
        present = sorted({n.label for n in drawn.values()}, key=_label_order)
        types = [t for t in EDGE_TYPES if any(e.type == t for e in edges)]
        page = page.replace("<body>", "<body>\n" + legend_html(present, names) + edge_legend_html(types, rel_names), 1)
    page = _with_tools(page, order, words, height_px)
    page = _append_before_body_end(page, _REFIT_SCRIPT)
    if node_page:
        page = _append_before_body_end(page, _node_link_script(node_page))
    return page


EDGE_LABELS_UP_TO = 25  # pictures this small name each relationship on its line; bigger ones use the legend
# One colour per relationship type (muted, so nodes stay in front); similarity and mentions drawn dashed and thin.
EDGE_COLOURS: dict[str, str] = {
    "PART_OF": "#6F6F6F",
    "ADOPTS": "#3C9A7A",
    "HAS_PART": "#7DB89F",
    "IN_CATEGORY": "#D9875A",
    "PARTICIPATES_IN": "#D1A545",
    "HAS_ORGANISATION": "#C8A060",
    "IMPLEMENTS": "#B97FA3",
    "FRAMED_BY": "#9F86B8",
    "UNDER_THEME": "#73A9CF",
    "MENTIONS": "#B5B5B5",
    "SIMILAR_TO": "#9DB4D3",
    "LEARNED_FROM": "#2F5F9E",
}
LIGHT_EDGES = frozenset({"SIMILAR_TO", "MENTIONS"})
DERIVED_EDGES = frozenset({"SIMILAR_TO"})
assert set(EDGE_COLOURS) == set(EDGE_TYPES)


def edge_colour(edge_type: str) -> str:
    return EDGE_COLOURS.get(edge_type, "#999999")


def edge_legend_html(types: list[str], edge_names: Mapping[str, str] | None = None) -> str:
    """A row naming each relationship type drawn, with a line in its colour (dashed for the light ones)."""
    if not types:
        return ""
    names = edge_names or {}
    items = "".join(
        f'<span class="govkg-legend-item" data-type="{_escape(kind)}" '
        f'style="display:inline-block;margin-right:14px;white-space:nowrap">'
        f'<span style="display:inline-block;width:18px;margin-right:4px;vertical-align:middle;'
        f'border-top:2px {"dashed" if kind in LIGHT_EDGES else "solid"} {edge_colour(kind)}"></span>'
        f"{_escape(names.get(kind, kind))}</span>"
        for kind in types
    )
    return (
        '<div class="govkg-legend govkg-edge-legend" style="font:12px sans-serif;color:#444;padding:0 2px 6px">'
        f"{items}</div>"
    )


# Family colours for clustered pictures (Tableau 10; repeats after ten families, shapes do not change).
FAMILY_COLOURS: tuple[str, ...] = (
    "#4E79A7", "#F28E2B", "#E15759", "#76B7B2", "#59A14F", "#EDC948", "#B07AA1", "#FF9DA7", "#9C755F", "#BAB0AC",
)


@dataclass(frozen=True)
class ClusterNode:
    """A node of a clustered picture: its group (0, 1, …) picks the colour; `lines` make the tooltip."""

    id: str
    name: str
    group: int
    lines: tuple[str, ...] = ()


def render_clusters(
    nodes: list[ClusterNode],
    edges: list[tuple[str, str, float]],
    groups: Mapping[int, str],
    *,
    focus: str | None = None,
    height_px: int = DEFAULT_HEIGHT_PX,
    node_page: str | None = None,
    words: Mapping[str, str] | None = None,
) -> str:
    """A page drawing weighted, undirected links (such as similarity scores) between nodes coloured
    by group, with a legend naming each group. Every text from data is escaped, as in render_graph."""
    net = Network(height=f"{height_px}px", width="100%", directed=False, cdn_resources="in_line",
                  bgcolor="#ffffff", font_color="#222222")
    options = _options(len(nodes))
    options["edges"] = {"color": {"color": "rgba(150,150,150,0.45)", "highlight": "#333333"},
                        "smooth": {"enabled": False}, "scaling": {"min": 0.3, "max": 2.5}}
    net.set_options(json.dumps(options))
    known = {node.id for node in nodes}
    strength: dict[str, float] = {}
    for a, b, weight in edges:
        if a in known and b in known:
            strength[a] = strength.get(a, 0.0) + weight
            strength[b] = strength.get(b, 0.0) + weight
    order = sorted(known, key=lambda i: (i != focus, -strength.get(i, 0.0), i))
    rank = {node_id: i for i, node_id in enumerate(order)}
    for node in nodes:
        colour = FAMILY_COLOURS[node.group % len(FAMILY_COLOURS)]
        net.add_node(node.id, label=_plain_text(_short(node.name, 24)),
                     title=_plain_text("\n".join([node.name, *node.lines])),
                     color=colour, shape="dot", size=24 if node.id == focus else 12,
                     borderWidth=4 if node.id == focus else 1, rank=rank[node.id])
    for a, b, weight in edges:
        if a in known and b in known:
            _append_edge(net, a, b, value=max(weight, 0.01), title=f"{weight:.3f}")
    page = _checked(net.generate_html())
    page = _BOOTSTRAP_TAGS.sub("", page)
    page = _EMPTY_HEADING.sub("", page)
    page = _DEAD_COMMENT.sub("", page)
    used = sorted({n.group for n in nodes})
    items = "".join(
        f'<span class="govkg-legend-item" style="display:inline-block;margin-right:14px;white-space:nowrap">'
        f'<span style="color:{FAMILY_COLOURS[g % len(FAMILY_COLOURS)]};margin-right:4px;font-size:15px">●</span>'
        f"{_escape(groups.get(g, str(g)))}</span>"
        for g in used
    )
    legend = f'<div class="govkg-legend" style="font:13px sans-serif;color:#222;padding:4px 2px 6px">{items}</div>'
    page = page.replace("<body>", "<body>\n" + legend, 1)
    page = _with_tools(page, order, words, height_px)
    page = _append_before_body_end(page, _REFIT_SCRIPT)
    if node_page:
        page = _append_before_body_end(page, _node_link_script(node_page))
    return page


# The picture's buttons; pages pass them in the reader's language.
TOOL_WORDS: dict[str, str] = {"fit": "Fit", "reset": "Reset", "png": "PNG", "svg": "SVG"}
LABEL_PX = 13  # screen size of the labels drawn at the first view
LABEL_THRESHOLD_PX = 12  # vis-network draws no label smaller than this on screen (fading from 1 px below)
LABEL_BUDGET = 45  # at most this many labels at the first view; fewer where they would overlap


def _with_tools(page: str, order: list[str], words: Mapping[str, str] | None, height_px: int) -> str:
    """The fit, reset, PNG and SVG buttons over the canvas, tooltips that wrap inside the frame, and the
    script that labels the most important nodes (`order`, most important first) at a legible size."""
    told = {**TOOL_WORDS, **(words or {})}
    buttons = "".join(
        f'<button type="button" class="govkg-tool" data-tool="{key}">{_escape(told[key])}</button>'
        for key in TOOL_WORDS
    )
    style = (
        "<style>.card{position:relative}"
        ".govkg-tools{position:absolute;top:6px;right:6px;z-index:5;display:flex;gap:4px}"
        ".govkg-tool{font:12px sans-serif;padding:2px 8px;border:1px solid #bbb;border-radius:4px;background:#fff;"
        "color:#222;cursor:pointer}.govkg-tool:hover{background:#f0f0f0}"
        f"div.vis-tooltip{{max-width:min(420px,80vw);max-height:{max(height_px - 40, 80)}px;overflow:hidden;"
        "white-space:pre-wrap !important;word-break:break-word;font:12px sans-serif !important}</style>"
    )
    page = page.replace("</head>", style + "\n</head>", 1) if "</head>" in page else style + page
    page = page.replace('<div id="mynetwork"', f'<div class="govkg-tools">{buttons}</div>\n<div id="mynetwork"', 1)
    config = {"order": order, "px": LABEL_PX, "threshold": LABEL_THRESHOLD_PX, "budget": LABEL_BUDGET}
    data = json.dumps(config, ensure_ascii=True).replace("<", "\\u003c").replace(">", "\\u003e")
    return _append_before_body_end(page, _TOOLS_SCRIPT.replace("__CONFIG__", data))


# Labels by importance: after the first fit (or the end of physics' stabilisation), the `budget` most
# important nodes whose labels do not overlap get a font of `px` screen pixels; the others a smaller
# one, by rank, that vis-network only draws once the reader zooms in far enough (its drawThreshold).
# When a zoom or a pan ends, the same choice is made again for the view then shown.
# Then physics stops, so nothing moves; reset puts the nodes back where they were then.
# window.govkgPicture tells tests when the picture was ready and which labels it drew.
_TOOLS_SCRIPT = r"""<script>
(function () {
  if (typeof network === "undefined" || !network) { return; }
  var cfg = __CONFIG__;
  var box = document.getElementById("mynetwork");
  var state = window.govkgPicture = {ready: false, readyAt: null, labelled: [], scale: null};
  var start = null;
  var measure = document.createElement("canvas").getContext("2d");
  function labelBox(node, p, px) {
    measure.font = px + "px sans-serif";
    var w = measure.measureText(String(node.label || "")).width + 4;
    var d = network.canvasToDOM(p);
    var below = node.shape === "box" ? -px / 2 : (node.size || 16) * network.getScale() + 2;
    return {x1: d.x - w / 2, x2: d.x + w / 2, y1: d.y + below, y2: d.y + below + px * 1.25};
  }
  function overlaps(a, list) {
    for (var i = 0; i < list.length; i++) {
      var b = list[i];
      if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) { return true; }
    }
    return false;
  }
  function relabel() {
    var scale = network.getScale();
    var pos = network.getPositions();
    var width = box.clientWidth, height = box.clientHeight;
    var taken = [], marks = [], shown = [], updates = [], hidden = 0;
    cfg.order.forEach(function (id) {
      var node = nodes.get(id), p = pos[id];
      if (!node || !p) { return; }
      var px = 0;
      if (shown.length < cfg.budget && node.label) {
        // A label covers no other label and no more important node's marker (lesser ones it may).
        var r = labelBox(node, p, cfg.px);
        if (r.x1 >= 0 && r.y1 >= 0 && r.x2 <= width && r.y2 <= height && !overlaps(r, taken) &&
            !overlaps(r, marks)) {
          taken.push(r); shown.push({id: id, px: cfg.px, box: r}); px = cfg.px;
        }
      }
      var d = network.canvasToDOM(p), half = (node.size || 16) * scale * 0.8;
      marks.push({x1: d.x - half, x2: d.x + half, y1: d.y - half, y2: d.y + half});
      if (!px) {  // drawn once zoomed in: the next ranks first
        px = Math.max(2, (cfg.threshold - 1.5) * Math.pow(0.75, Math.floor(hidden / Math.max(cfg.budget, 1))));
        hidden += 1;
      }
      updates.push({id: id, font: {size: px / scale}});
    });
    nodes.update(updates);
    state.labelled = shown; state.scale = scale;
  }
  window.govkgRelabel = relabel;
  // After the reader zooms or pans, label again for what the view now shows (once the gesture ends).
  var pending = null;
  function later() {
    if (pending) { clearTimeout(pending); }
    pending = setTimeout(function () { pending = null; if (state.ready) { relabel(); } }, 200);
  }
  network.on("zoom", later);
  network.on("dragEnd", function (params) { if (!params.nodes || !params.nodes.length) { later(); } });
  function ready() {
    network.setOptions({physics: {enabled: false}});
    network.fit();
    relabel();
    start = {positions: network.getPositions(), view: {position: network.getViewPosition(), scale: network.getScale()}};
    network.once("afterDrawing", function () {
      state.ready = true; state.readyAt = performance.timeOrigin + performance.now();
    });
    network.redraw();
  }
  if (network.physics && network.physics.physicsEnabled && network.physics.options.enabled) {
    network.once("stabilizationIterationsDone", ready);
  } else { ready(); }

  function save(name, blob) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
  }
  function png() {
    var source = box.querySelector("canvas");
    var out = document.createElement("canvas");
    out.width = source.width; out.height = source.height;
    var g = out.getContext("2d");
    g.fillStyle = "#ffffff"; g.fillRect(0, 0, out.width, out.height);
    g.drawImage(source, 0, 0);
    out.toBlob(function (blob) { save("govkg-graph.png", blob); }, "image/png");
  }
  function colourOf(value, fallback) {
    if (!value) { return fallback; }
    return typeof value === "string" ? value : (value.color || value.background || fallback);
  }
  // vis-network draws on a canvas only: the SVG is written from the nodes' places as shown now.
  function svg() {
    var NS = "http://www.w3.org/2000/svg";
    var scale = network.getScale();
    var pos = network.getPositions();
    var width = box.clientWidth, height = box.clientHeight;
    var root = document.createElementNS(NS, "svg");
    root.setAttribute("xmlns", NS);
    root.setAttribute("width", width); root.setAttribute("height", height);
    root.setAttribute("viewBox", "0 0 " + width + " " + height);
    function el(name, attrs, parent) {
      var e = document.createElementNS(NS, name);
      for (var k in attrs) { e.setAttribute(k, attrs[k]); }
      (parent || root).appendChild(e);
      return e;
    }
    el("rect", {x: 0, y: 0, width: width, height: height, fill: "#ffffff"});
    var lines = el("g", {"class": "edges"});
    edges.get().forEach(function (e) {
      var a = pos[e.from], b = pos[e.to];
      if (!a || !b) { return; }
      var p = network.canvasToDOM(a), q = network.canvasToDOM(b);
      var line = el("line", {x1: p.x.toFixed(1), y1: p.y.toFixed(1), x2: q.x.toFixed(1), y2: q.y.toFixed(1),
        stroke: colourOf(e.color, "#999999"), "stroke-width": e.width || 1}, lines);
      if (e.dashes) { line.setAttribute("stroke-dasharray", "5 4"); }
    });
    var group = el("g", {"class": "nodes"});
    nodes.get().forEach(function (n) {
      var p = pos[n.id];
      if (!p) { return; }
      var d = network.canvasToDOM(p), r = Math.max(2, (n.size || 12) * scale);
      var g = el("g", {"class": "node", "data-id": n.id}, group);
      el("title", {}, g).textContent = String(n.title || n.label || "");
      var fill = colourOf(n.color, "#bbbbbb");
      if (n.shape === "dot" || !n.shape) {
        el("circle", {cx: d.x.toFixed(1), cy: d.y.toFixed(1), r: r.toFixed(1), fill: fill, stroke: "#ffffff"}, g);
      } else {
        el("rect", {x: (d.x - r).toFixed(1), y: (d.y - r).toFixed(1), width: (2 * r).toFixed(1),
          height: (2 * r).toFixed(1), fill: fill, stroke: "#ffffff"}, g);
      }
      var px = (n.font && n.font.size ? n.font.size : 14) * scale;
      if (n.label && px >= cfg.threshold - 1) {
        el("text", {x: d.x.toFixed(1), y: (d.y + r + px + 1).toFixed(1), "font-size": px.toFixed(1),
          "font-family": "sans-serif", "text-anchor": "middle", fill: "#222222"}, g).textContent = String(n.label);
      }
    });
    var text = new XMLSerializer().serializeToString(root);
    save("govkg-graph.svg", new Blob(['<?xml version="1.0" encoding="UTF-8"?>\n' + text], {type: "image/svg+xml"}));
  }
  var actions = {
    fit: function () { network.fit(); relabel(); },
    reset: function () {
      if (!start) { return; }
      Object.keys(start.positions).forEach(function (id) {
        network.moveNode(id, start.positions[id].x, start.positions[id].y);
      });
      network.moveTo({position: start.view.position, scale: start.view.scale});
      relabel();
    },
    png: png,
    svg: svg
  };
  document.querySelectorAll(".govkg-tool").forEach(function (button) {
    button.addEventListener("click", function () { actions[button.getAttribute("data-tool")](); });
  });
  state.svg = svg; state.png = png;
})();
</script>"""


# A picture drawn while hidden (in a tab or a collapsed expander) has no width, and vis-network fits
# the view to that; when the frame gets its size, fit again.
_REFIT_SCRIPT = """<script>
(function () {
  if (typeof network === "undefined" || !network) { return; }
  var box = document.getElementById("mynetwork");
  if (!box) { return; }
  var width = box.clientWidth;
  var refit = function () {
    if (box.clientWidth > 0 && box.clientWidth !== width) { width = box.clientWidth; network.redraw(); network.fit();
      if (window.govkgRelabel) { window.govkgRelabel(); } }
  };
  if (window.ResizeObserver) { new ResizeObserver(refit).observe(box); }
  window.addEventListener("resize", refit);
})();
</script>"""


def _node_link_script(node_page: str) -> str:
    """Double-click a node: open `node_page?node=<id>` (keeping `lang`) in the page that embeds the picture.

    The picture sits in a sandboxed same-origin iframe that may not navigate its parent itself, so it
    clicks a link it places in the parent's document: the parent follows its own link. Where the frame
    cannot reach its parent (another origin) the picture simply stays as it is."""
    target = json.dumps(node_page).replace("<", "\\u003c")
    return f"""<script>
(function () {{
  if (typeof network === "undefined" || !network) {{ return; }}
  network.on("doubleClick", function (params) {{
    if (!params.nodes || !params.nodes.length) {{ return; }}
    try {{
      var here = window.parent.location;
      var wanted = new URLSearchParams();
      wanted.set("node", String(params.nodes[0]));
      var lang = new URLSearchParams(here.search).get("lang");
      if (lang) {{ wanted.set("lang", lang); }}
      var link = window.parent.document.createElement("a");
      link.href = here.pathname.replace(/[^\\/]*$/, {target}) + "?" + wanted.toString();
      link.style.display = "none";
      window.parent.document.body.appendChild(link);
      link.click();
    }} catch (err) {{ /* no access to the app around the picture */ }}
  }});
}})();
</script>"""


def _append_before_body_end(page: str, snippet: str) -> str:
    at = page.rfind("</body>")
    return page + snippet if at < 0 else page[:at] + snippet + "\n" + page[at:]


def legend_html(labels: list[str], label_names: Mapping[str, str] | None = None) -> str:
    """A row of coloured swatches naming each label, escaped, for the top of a picture."""
    names = label_names or {}
    items = "".join(
        f'<span class="govkg-legend-item" data-label="{_escape(label)}" '
        f'style="display:inline-block;margin-right:14px;white-space:nowrap">'
        f'<span style="color:{colour_for(label)};margin-right:4px;font-size:15px">'
        f"{_SHAPE_GLYPHS.get(LABEL_SHAPES.get(label, 'dot'), '●')}</span>"
        f"{_escape(names.get(label, label))}</span>"
        for label in labels
    )
    return (
        '<div class="govkg-legend" style="font:13px sans-serif;color:#222;padding:4px 2px 6px">'
        f"{items}</div>"
    )


def picture_nodes(graph: GraphDocument) -> dict[str, Node]:
    """The nodes a picture draws, by id: every node, and each document an edge starts or ends at (MENTIONS)
    as a Document node. Documents only cited as evidence would float unconnected, so they are left out."""
    nodes = {n.id: n for n in graph.nodes}
    linked = {e.source for e in graph.edges} | {e.target for e in graph.edges}
    for doc in graph.documents:
        if doc.id in linked:
            title = doc.title or doc.path or doc.id
            nodes.setdefault(doc.id, Node(doc.id, "Document", title, [], {"source": doc.source, "date": doc.date}))
    return nodes


def _node_title(node: Node, label_names: Mapping[str, str]) -> str:
    lines = [f"{node.name} ({label_names.get(node.label, node.label)})"]
    if node.aliases:
        lines.append(" / ".join(node.aliases))
    for key, value in node.properties.items():
        if value in (None, "", []) or key in ("text", "cues"):
            continue
        shown = ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
        lines.append(f"{key}: {_short(shown, 120)}")
    return _plain_text("\n".join(lines))


BIG_PICTURE = 150  # nodes above which a picture trades looks for speed


def _options(node_count: int) -> dict[str, object]:
    """vis-network options. On big pictures: fewer stabilisation rounds; no "improved layout" (its
    Kamada-Kawai start runs in the page's own thread, since the picture's frame shares the app's
    origin, and froze a 500-node page for seconds); straight edges (curved "dynamic" edges add a
    hidden physics node per edge)."""
    big = node_count > BIG_PICTURE
    return {
        "layout": {"improvedLayout": not big},
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 110, "avoidOverlap": 0.4},
            "stabilization": {"enabled": True, "iterations": 120 if big else 300, "fit": True},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "font": {"size": 10, "align": "middle", "color": "#555555"},
            "color": {"color": "#999999", "highlight": "#333333"},
            "smooth": {"enabled": False} if big else {"enabled": True, "type": "dynamic"},
        },
        "nodes": {"font": {"size": 14, "face": "sans-serif", "background": "rgba(255,255,255,0.75)"},
                  "scaling": {"label": {"drawThreshold": LABEL_THRESHOLD_PX, "maxVisible": 24}}},
        "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False},
    }


def _label_order(label: str) -> tuple[int, str]:
    return (NODE_LABELS.index(label) if label in NODE_LABELS else len(NODE_LABELS), label)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _append_edge(net: Network, source: str, target: str, **options: object) -> None:
    """Network.add_edge without its checks, which scan every node and edge for each new edge (seconds
    for a few thousand edges). Callers only pass edges between nodes already added, each once."""
    net.edges.append(VisEdge(source, target, net.directed, **options).options)


def _plain_text(text: str) -> str:
    """A label or tooltip for vis-network, shown as text. "href" gets a zero-width space so that pyvis
    never switches to its innerHTML popup (see the module's docstring)."""
    return _HREF.sub("hre\u200bf", text)


_HREF = re.compile("href")
_INNER_HTML_POPUP = "popup.innerHTML"


def _checked(page: str) -> str:
    if _INNER_HTML_POPUP in page:  # pyvis's link popup would show tooltips as HTML
        raise ValueError("the picture would show tooltips as HTML; a tooltip holds 'href'")
    return page


def _escape(text: str) -> str:
    return html.escape(text, quote=True)
