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
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from pyvis.edge import Edge as VisEdge
from pyvis.network import Network

from govkg.graph.model import NODE_LABELS, GraphDocument, Node

__all__ = [
    "DEFAULT_HEIGHT_PX",
    "FAMILY_COLOURS",
    "LABEL_COLOURS",
    "LABEL_SHAPES",
    "CappedGraph",
    "ClusterNode",
    "cap_graph",
    "colour_for",
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
    """Keep the `limit` best-connected nodes (and `keep`, if given) and the edges among them.

    Documents linked by an edge count as nodes here, since the picture draws them. The order is by degree, then name,
    so the same graph always gives the same picture.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    everything = picture_nodes(graph)
    total = len(everything)
    if total <= limit:
        return CappedGraph(graph, total, limit)
    degree: Counter[str] = Counter()
    for edge in graph.edges:
        degree[edge.source] += 1
        degree[edge.target] += 1
    ranked = sorted(everything.values(), key=lambda n: (n.id != keep, -degree[n.id], n.name, n.id))
    kept = {n.id for n in ranked[:limit]}
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
) -> str:
    """A complete HTML page drawing `graph` with one colour and shape per label.

    `label_names` / `edge_names` give the text shown for a label or relationship type (for example
    in the reader's language); `focus` is a node id drawn larger. Documents named by edges are drawn
    as Document nodes titled by their title. With `node_page` (a page of the app, such as "Node"),
    double-clicking a node opens that page at `?node=<id>` in the app around the picture.
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
    net.set_options(json.dumps(_options(len(drawn))))
    for node in drawn.values():
        net.add_node(
            node.id,
            label=_plain_text(_short(node.name, 24)),
            title=_node_title(node, names),
            color=colour_for(node.label),
            shape=LABEL_SHAPES.get(node.label, "dot"),
            size=26 if node.id == focus else 16,
            borderWidth=4 if node.id == focus else 1,
        )  # no `group`: pyvis drops the colour of grouped nodes and vis would pick its own
    for edge in graph.edges:
        if edge.source not in drawn or edge.target not in drawn:
            continue  # a dangling edge would make pyvis raise; the store never returns one knowingly
        rel = rel_names.get(edge.type, edge.type)
        lines = [rel, *(_short(ev.text, MAX_TITLE_TEXT) for ev in edge.evidence[:3])]
        if len(edge.evidence) > 3:
            lines.append(f"(+{len(edge.evidence) - 3})")
        _append_edge(net, edge.source, edge.target, label=_plain_text(rel), title=_plain_text("\n".join(lines)))
    page = _checked(net.generate_html())
    page = _BOOTSTRAP_TAGS.sub("", page)
    page = _EMPTY_HEADING.sub("", page)
    page = _DEAD_COMMENT.sub("", page)
    if legend:
        present = sorted({n.label for n in drawn.values()}, key=_label_order)
        page = page.replace("<body>", "<body>\n" + legend_html(present, names), 1)
    page = _append_before_body_end(page, _REFIT_SCRIPT)
    if node_page:
        page = _append_before_body_end(page, _node_link_script(node_page))
    return page


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
) -> str:
    """A page drawing weighted, undirected links (such as similarity scores) between nodes coloured
    by group, with a legend naming each group. Every text from data is escaped, as in render_graph."""
    net = Network(height=f"{height_px}px", width="100%", directed=False, cdn_resources="in_line",
                  bgcolor="#ffffff", font_color="#222222")
    options = _options(len(nodes))
    options["edges"] = {"color": {"color": "#BBBBBB", "highlight": "#333333"}, "smooth": {"enabled": False}}
    net.set_options(json.dumps(options))
    known = set()
    for node in nodes:
        known.add(node.id)
        colour = FAMILY_COLOURS[node.group % len(FAMILY_COLOURS)]
        net.add_node(node.id, label=_plain_text(_short(node.name, 24)),
                     title=_plain_text("\n".join([node.name, *node.lines])),
                     color=colour, shape="dot", size=24 if node.id == focus else 12,
                     borderWidth=4 if node.id == focus else 1)
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
    page = _append_before_body_end(page, _REFIT_SCRIPT)
    if node_page:
        page = _append_before_body_end(page, _node_link_script(node_page))
    return page


# A picture drawn while hidden (in a tab or a collapsed expander) has no width, and vis-network fits
# the view to that; when the frame gets its size, fit again.
_REFIT_SCRIPT = """<script>
(function () {
  if (typeof network === "undefined" || !network) { return; }
  var box = document.getElementById("mynetwork");
  if (!box) { return; }
  var width = box.clientWidth;
  var refit = function () {
    if (box.clientWidth > 0 && box.clientWidth !== width) { width = box.clientWidth; network.redraw(); network.fit(); }
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
        "nodes": {"font": {"size": 14, "face": "sans-serif"}},
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
