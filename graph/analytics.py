"""Families of zones by practice, and the most central mechanisms and organisations.

Families: zones linked to their most similar zones (graph/similarity, the same score and
the same top-k the store's SIMILAR_TO holds) form a weighted graph; Louvain community detection
(igraph's, see `louvain`) splits it into groups of zones whose practices resemble each other more than they
resemble the rest. A family is named after its dominant categories: those most of its members
hold, rarer ones first when they tie.

Centrality: on the zone–mechanism–organisation network (zones adopt mechanisms, mechanisms have
parts, organisations take part in mechanisms and act in zones), degree says how many things a
mechanism or organisation is directly tied to, betweenness how often it lies on the shortest
paths between others: an organisation that appears in many zones' practices bridges them.

Functions take data (practice profiles, a graph document, a networkx graph) and return plain
values; `families_from_store` and `centrality_from_store` read a store first.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from typing import Any

import igraph
import networkx as nx

from govkg.graph.model import GraphDocument
from govkg.graph.similarity import (
    PracticeProfiles,
    SimilarityIndex,
    bare_profiles,
    counts_as_adoption,
    practice_graph,
    stored_ranking_state,
    top_similar_pairs,
)
from govkg.graph.similarity.incremental import RankState
from govkg.graph.store import GraphStore

__all__ = [
    "NETWORK_EDGES",
    "central_nodes",
    "centrality_from_store",
    "families_from_store",
    "graph_of_pairs",
    "louvain",
    "practice_network",
    "similarity_graph",
    "zone_families",
]

# Relationships of the zone–mechanism–organisation network.
NETWORK_EDGES: tuple[str, ...] = ("ADOPTS", "HAS_PART", "PARTICIPATES_IN", "HAS_ORGANISATION")
NETWORK_LABELS: tuple[str, ...] = ("Zone", "Mechanism", "Organisation")
UNCATEGORISED = ("未归类", "uncategorised")
DIGITS = 4
_IGRAPH_RANDOM = threading.Lock()  # igraph's random source is one for the process: a seeded run holds it


def similarity_graph(
    profiles: PracticeProfiles, top: int = 10, *, index: SimilarityIndex | None = None, state: RankState | None = None
) -> nx.Graph:
    """Zones with a profile as nodes (attribute `name`), each linked to its `top` most similar
    zones; an edge's `weight` is the pair's score (a pair in each other's top list once). `index`
    and `state` as in `top_similar_pairs`: the state the last refresh kept makes it seconds."""
    return graph_of_pairs(profiles, top_similar_pairs(profiles, top, index=index, state=state))


def graph_of_pairs(profiles: PracticeProfiles, pairs: list[tuple[str, str, float]], top: int | None = None) -> nx.Graph:
    """`similarity_graph` from pairs already ranked (`top_similar_pairs`, best first per zone), with
    each zone's first `top` of them (all when None): a picture's fewer links from the families' ten."""
    g = nx.Graph()
    for zone_id, profile in sorted(profiles.profiles.items()):
        g.add_node(zone_id, name=profile.zone.name)
    taken: Counter[str] = Counter()
    for a, b, score in pairs:
        if top is None or taken[a] < top:
            taken[a] += 1
            g.add_edge(a, b, weight=score)
    return g


def louvain(g: nx.Graph, *, resolution: float = 1.0, seed: int = 0) -> list[set[str]]:
    """Louvain communities of `g` (edge attribute `weight`, 1 where absent), maximising modularity at
    `resolution`; the same `g` and `seed` give the same communities. igraph's implementation (C):
    on the families' graph of a 10,000-document store (37,265 zones, 273,203 links) 0.9 s, the
    graph's conversion included, against 8.7 s for networkx's `louvain_communities`, at the same
    modularity (0.680 and 0.681, docs/measured.md). igraph visits the nodes in a random order drawn
    from its process-wide random source: it is set to Random(seed) for the run, under a lock."""
    nodes = sorted(g.nodes)
    if not nodes:
        return []
    row = {n: i for i, n in enumerate(nodes)}
    links = sorted((min(row[a], row[b]), max(row[a], row[b]), float(w))
                   for a, b, w in g.edges(data="weight", default=1.0))  # fmt: skip
    graph = igraph.Graph(n=len(nodes), edges=[(a, b) for a, b, _ in links])
    graph.es["weight"] = [w for _, _, w in links]
    with _IGRAPH_RANDOM:
        igraph.set_random_number_generator(random.Random(seed))
        try:
            parts = graph.community_multilevel(weights="weight", resolution=resolution)
        finally:
            igraph.set_random_number_generator(random)
    return [{nodes[i] for i in part} for part in parts]


def zone_families(
    profiles: PracticeProfiles, *, top: int = 10, resolution: float = 1.0, seed: int = 0, named_after: int = 2,
    index: SimilarityIndex | None = None, state: RankState | None = None, graph: nx.Graph | None = None,
) -> list[dict[str, Any]]:
    """Groups of zones by practice, largest first:
    `[{"family", "name", "name_en", "zones": [{"id", "name"}], "categories": [{"category",
    "category_en", "zones"}]}]`, where `categories` counts the members holding each category (most
    first) and the name joins the first `named_after` of those held by at least half the members.
    Louvain (`louvain`) on `similarity_graph`; `seed` makes it repeatable, a larger `resolution`
    gives smaller families. A zone sharing nothing with any other is a family of its own. `index`
    and `state` as in `similarity_graph`; `graph`: that graph, when the caller holds it.
    """
    g = similarity_graph(profiles, top, index=index, state=state) if graph is None else graph
    if g.number_of_nodes() == 0:
        return []
    communities = louvain(g, resolution=resolution, seed=seed)
    holders = Counter(key for p in profiles.profiles.values() for key in p.features["categories"])
    families: list[dict[str, Any]] = []
    for members in communities:
        held = Counter(key for z in members for key in profiles.profiles[z].features["categories"])
        ranked = sorted(held, key=lambda k: (-held[k], holders[k], profiles.feature_names[("categories", k)][0]))
        dominant = [k for k in ranked if 2 * held[k] >= len(members)][:named_after]
        names = [profiles.feature_names[("categories", k)] for k in dominant] or [UNCATEGORISED]
        zones = sorted(({"id": z, "name": profiles.profiles[z].zone.name} for z in members), key=lambda z: z["name"])
        families.append(
            {
                "name": "、".join(zh for zh, _ in names),
                "name_en": ", ".join(en for _, en in names),
                "zones": zones,
                "categories": [
                    {
                        "category": profiles.feature_names[("categories", k)][0],
                        "category_en": profiles.feature_names[("categories", k)][1],
                        "zones": held[k],
                    }
                    for k in ranked
                ],
            }
        )
    families.sort(key=lambda f: (-len(f["zones"]), f["name"], f["zones"][0]["name"]))
    return [{"family": i + 1, **f} for i, f in enumerate(families)]


def practice_network(graph: GraphDocument) -> nx.Graph:
    """The zone–mechanism–organisation network, undirected: nodes carry `label` and `name`, edges
    `type` (ADOPTS, HAS_PART, PARTICIPATES_IN, HAS_ORGANISATION). Zones without any of these
    relationships are left out, and so are planned adoptions."""
    nodes = graph.node_by_id()
    g = nx.Graph()
    for e in graph.edges:
        if e.type not in NETWORK_EDGES or e.source not in nodes or e.target not in nodes:
            continue
        if e.type == "ADOPTS" and not counts_as_adoption(e):
            continue  # a plan is no tie between a zone and a practice
        for end in (nodes[e.source], nodes[e.target]):
            g.add_node(end.id, label=end.label, name=end.name)
        g.add_edge(e.source, e.target, type=e.type)
    return g


def central_nodes(
    g: nx.Graph, *, labels: tuple[str, ...] = ("Mechanism", "Organisation"), top: int = 10
) -> dict[str, list[dict[str, Any]]]:
    """The `top` most central nodes of each label, by betweenness then degree:
    `{label: [{"id", "name", "degree", "degree_centrality", "betweenness"}]}`; `degree` counts the
    node's neighbours, the two centralities are networkx's normalised ones (0 to 1)."""
    if g.number_of_nodes() == 0:
        return {label: [] for label in labels}
    degree = nx.degree_centrality(g)
    betweenness = nx.betweenness_centrality(g, normalized=True)
    out: dict[str, list[dict[str, Any]]] = {}
    for label in labels:
        ids = [n for n, lab in g.nodes(data="label") if lab == label]
        ids.sort(key=lambda n: (-betweenness[n], -degree[n], str(g.nodes[n]["name"]), n))
        out[label] = [
            {
                "id": n,
                "name": g.nodes[n]["name"],
                "degree": int(g.degree(n)),
                "degree_centrality": round(degree[n], DIGITS),
                "betweenness": round(betweenness[n], DIGITS),
            }
            for n in ids[:top]
        ]
    return out


def families_from_store(store: GraphStore, **options: Any) -> list[dict[str, Any]]:
    """`zone_families` of the zones in a store (options as there), ranked from the state its last
    similarity refresh kept."""
    state = stored_ranking_state(store, options.get("top", 10))
    return zone_families(bare_profiles(store), state=state, **options)


def centrality_from_store(store: GraphStore, **options: Any) -> dict[str, list[dict[str, Any]]]:
    """`central_nodes` of a store's zone–mechanism–organisation network (options as there)."""
    return central_nodes(practice_network(practice_graph(store)), **options)
