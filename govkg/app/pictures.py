"""Graph pictures on a page: the filters above a picture and the frame pyvis draws in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from govkg.app.caches import cache_key, cached_node_entries
from govkg.app.explore import Filters
from govkg.app.language import edge_name, in_language_now, label_name, level_name, t
from govkg.app.url_state import remember_many, restore_many
from govkg.graph.model import EDGE_TYPES, NODE_LABELS, ZONE_LEVELS, GraphDocument
from govkg.graph.store import GraphStore


def show_graph(page_html: str, height_px: int) -> None:
    """Embed a pyvis page in an iframe, where its scripts run and vis-network draws its canvas.

    st.iframe is Streamlit's successor to components.v1.html (deprecated, to be removed). The page is
    ours and every text from data in it is escaped (graph.visual), which st.iframe asks of its callers.
    """
    st.iframe(page_html, height=height_px + 60)


def picture_words() -> dict[str, str]:
    """The picture's buttons (fit, reset, save as PNG or SVG) in the reader's language, for render_graph."""
    return {key: t(f"picture.{key}") for key in ("fit", "reset", "png", "svg")}


def filter_labels(graph: GraphDocument, labels: list[str]) -> GraphDocument:
    """Only nodes of `labels` (documents only if "Document" is among them) and the edges among them."""
    wanted = set(labels)
    nodes = [n for n in graph.nodes if n.label in wanted]
    docs = list(graph.documents) if "Document" in wanted else []
    kept = {n.id for n in nodes} | {d.id for d in docs}
    edges = [e for e in graph.edges if e.source in kept and e.target in kept]
    return GraphDocument(docs, nodes, edges)


def labels_present(graph: GraphDocument) -> list[str]:
    present = {n.label for n in graph.nodes} | ({"Document"} if graph.documents else set())
    return [lb for lb in NODE_LABELS if lb in present]


def filter_controls(store: GraphStore, present: list[str], default_labels: list[str]) -> Filters:
    """The label, category, theme, level and relationship-type pickers over a picture, each kept in the URL
    (relationship types as `rels`)."""
    entries = cached_node_entries(*cache_key(store), store)
    categories = {e.id: e for e in entries if e.label == "Category"}
    themes = {e.id: e for e in entries if e.label == "Theme"}
    held = {e.level for e in entries if e.label == "Zone"}
    levels = [lv for lv in ZONE_LEVELS if lv in held]
    columns = st.columns(5)
    chosen: dict[str, list[str]] = {}
    specs: list[tuple[str, str, list[str], list[str], Callable[[str], str]]] = [
        ("labels", "filter.labels", present, default_labels, label_name),
        ("categories", "filter.categories", list(categories), [], lambda i: categories[i].name),
        ("themes", "filter.themes", list(themes), [], lambda i: themes[i].name),
        ("levels", "filter.levels", levels, [], level_name),
        ("rels", "filter.relationships", list(EDGE_TYPES), [], edge_name),
    ]
    for column, (key, message, options, default, show) in zip(columns, specs, strict=True):
        restore_many(key, options)
        start: dict[str, Any] = {} if key in st.session_state else {"default": default}
        picked = column.multiselect(t(message), options, format_func=in_language_now(show), key=key, **start,
                                    placeholder=t("filter.any"))
        remember_many(key, picked, default)
        chosen[key] = list(picked)
    return Filters(chosen["labels"] or present, chosen["categories"], chosen["themes"], chosen["levels"],
                   chosen["rels"])
