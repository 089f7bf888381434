"""What a graph picture is handed besides the nodes and edges: which labels matter most, where each node
starts, and which similarity links are worth drawing. Plain data, no HTML (graph/visual.py draws it).

- Importance: a node's degree in the picture, weighted by its kind (zones and mechanisms first, then
  organisations and policies, then categories, themes and documents), the node in focus first of all.
  The page labels the most important nodes at a legible size and leaves the rest to hover and zoom.
- Layout: one column per kind (themes, zones, mechanisms, categories, organisations, policies,
  documents), each column as wide as its share of the nodes; inside a column nodes keep the place a
  force layout of the whole picture gave them, so linked nodes sit at the same height across columns.
  Computed here, seeded, so the same graph always gives the same picture and the browser draws it
  without running physics (no dancing, and a 500-node picture draws in a fraction of a second).
- Similarity: SIMILAR_TO holds each zone's ten most similar; drawn all, they form a clique. A picture
  keeps each zone's `top` strongest links scoring at least `min_score`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

import numpy as np

from govkg.graph.model import Edge, Node

__all__ = [
    "COLUMN_ORDER",
    "KIND_WEIGHT",
    "SIMILAR_MIN_SCORE",
    "SIMILAR_TOP",
    "force_layout",
    "importance",
    "kind_columns",
    "ranked",
    "thin_similarity",
]

# Kinds a reader looks for first weigh more: a zone with 3 links outranks a theme with 6.
KIND_WEIGHT: dict[str, float] = {
    "Zone": 3.0, "Mechanism": 3.0, "Organisation": 2.0, "Policy": 2.0, "Category": 1.0, "Theme": 1.0,
    "Document": 0.5,
}  # fmt: skip
COLUMN_ORDER: tuple[str, ...] = ("Theme", "Zone", "Mechanism", "Category", "Organisation", "Policy", "Document")
SIMILAR_TOP = 2
SIMILAR_MIN_SCORE = 0.0  # scores run low on sparse profiles (0.1 on the synthetic corpus): top-k does the cutting
WIDTH = 1600.0  # canvas units; the browser fits the view to the frame
HEIGHT = 1000.0
GAP = 0.06  # share of the width between two columns


def importance(nodes: Mapping[str, Node], edges: Iterable[Edge], focus: str | None = None) -> dict[str, float]:
    """Each node's weight: (1 + its degree among `edges`) × its kind's weight; the focus gets the most."""
    degree: Counter[str] = Counter()
    for edge in edges:
        if edge.source in nodes and edge.target in nodes:
            degree[edge.source] += 1
            degree[edge.target] += 1
    scores = {i: (1 + degree[i]) * KIND_WEIGHT.get(n.label, 1.0) for i, n in nodes.items()}
    if focus in scores:
        scores[focus] = max(scores.values()) + 1
    return scores


def ranked(nodes: Mapping[str, Node], scores: Mapping[str, float]) -> list[str]:
    """Node ids, most important first; ties by name, then id, so the order never changes between runs."""
    return sorted(nodes, key=lambda i: (-scores.get(i, 0.0), nodes[i].name, i))


def thin_similarity(edges: Iterable[Edge], top: int = SIMILAR_TOP, min_score: float = SIMILAR_MIN_SCORE) -> list[Edge]:
    """The edges with SIMILAR_TO cut to each zone's `top` strongest links scoring at least `min_score`
    (a pair stays when either zone keeps it); other types pass unchanged, in their order."""
    edges = list(edges)
    similar = [e for e in edges if e.type == "SIMILAR_TO" and _score(e) >= min_score]
    best: dict[str, list[Edge]] = {}
    for edge in sorted(similar, key=lambda e: (-_score(e), e.source, e.target)):
        for end in (edge.source, edge.target):
            held = best.setdefault(end, [])
            if len(held) < top:
                held.append(edge)
    kept = {id(e) for held in best.values() for e in held}
    return [e for e in edges if e.type != "SIMILAR_TO" or id(e) in kept]


def _score(edge: Edge) -> float:
    try:
        return float(edge.properties.get("score") or 0.0)
    except (TypeError, ValueError):
        return 0.0


def _spread(values: list[float]) -> list[float]:
    """Each value's place in [0, 1]: mostly its rank among the values, a little its position between
    their least and greatest, so a dense clump is spread out (and a far-flung small component does
    not squeeze the rest) while order and big gaps still show."""
    if len(values) == 1:
        return [0.5]
    order = sorted(range(len(values)), key=lambda i: values[i])
    rank = [0.0] * len(values)
    for place, i in enumerate(order):
        rank[i] = place / (len(values) - 1)
    lo, hi = min(values), max(values)
    return [0.85 * r + 0.15 * ((v - lo) / (hi - lo) if hi > lo else 0.5) for r, v in zip(rank, values, strict=True)]


def force_layout(ids: list[str], edges: Iterable[Edge], *, seed: int = 7, iterations: int = 50) -> np.ndarray:
    """Fruchterman-Reingold on a dense matrix (numpy), seeded: one (x, y) row per id in [0, 1]².
    networkx's spring_layout switches to a sparse loop from 500 nodes, 2 s for a 500-node picture;
    this takes a tenth of that. Similarity links pull less than facts."""
    n = len(ids)
    if n == 1:
        return np.array([[0.5, 0.5]])
    index = {node_id: i for i, node_id in enumerate(ids)}
    weights = np.zeros((n, n))
    for edge in edges:
        a, b = index.get(edge.source), index.get(edge.target)
        if a is not None and b is not None and a != b:
            w = 0.3 if edge.type == "SIMILAR_TO" else 1.0
            weights[a, b] = weights[b, a] = max(weights[a, b], w)
    pos = np.random.default_rng(seed).random((n, 2))
    k = 1.0 / np.sqrt(n)
    step = 0.1
    for _ in range(iterations):
        dx = pos[:, 0:1] - pos[:, 0]
        dy = pos[:, 1:2] - pos[:, 1]
        distance = np.maximum(np.hypot(dx, dy), 0.01)
        force = k * k / (distance * distance) - weights * (distance / k)
        shift = np.stack(((dx * force).sum(axis=1), (dy * force).sum(axis=1)), axis=1)
        length = np.maximum(np.hypot(shift[:, 0], shift[:, 1]), 0.01)
        pos += shift * (step / length)[:, None]
        step = max(step - 0.1 / (iterations + 1), 0.002)
    return pos


def kind_columns(nodes: Mapping[str, Node], edges: Iterable[Edge], seed: int = 7) -> dict[str, tuple[float, float]]:
    """A start position for every node: one column per kind (COLUMN_ORDER, then any other label), each
    as wide as its share of the nodes (at least a sliver); inside it, the node's place in a seeded force
    layout of the whole picture, scaled to the column."""
    if not nodes:
        return {}
    ids = sorted(nodes)
    spring = dict(zip(ids, force_layout(ids, edges, seed=seed), strict=True))
    kinds = sorted({n.label for n in nodes.values()},
                   key=lambda k: (COLUMN_ORDER.index(k) if k in COLUMN_ORDER else len(COLUMN_ORDER), k))
    counts = Counter(n.label for n in nodes.values())
    shares = {k: max(counts[k] / len(nodes), 0.04) for k in kinds}
    usable = 1.0 - GAP * (len(kinds) - 1)
    total = sum(shares.values())
    placed: dict[str, tuple[float, float]] = {}
    left = 0.0
    for kind in kinds:
        width = usable * shares[kind] / total
        members = [i for i in ids if nodes[i].label == kind]
        fx, fy = _spread([float(spring[i][0]) for i in members]), _spread([float(spring[i][1]) for i in members])
        for i, x, y in zip(members, fx, fy, strict=True):
            placed[i] = (round((left + x * width) * WIDTH, 1), round(y * HEIGHT, 1))
        left += width + GAP
    return placed
