"""A zone's practice profile, read from the store: its mechanisms (with their parts), their
categories, the kinds of organisation and policy it has, and the wording of its mechanisms, each
feature with the supports (node, relationship, evidence) that bring it to the zone."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from govkg.errors import QueryError, ZoneNotFound
from govkg.graph.model import Edge, Evidence, GraphDocument, Node, normalise_name
from govkg.graph.similarity.parts import SET_PARTS
from govkg.graph.store import GraphStore

PART_DEPTH = 3  # parts of parts of parts, as the saved queries' HAS_PART*0..3


ZONES_CYPHER = (
    "MATCH (z:Zone) RETURN z.id AS id, z.name AS name, z.aliases AS aliases, z.full_name AS full_name ORDER BY id"
)


# What the profiles read from a store: these nodes and relationships, evidence included.
_NODE_READS: dict[str, tuple[str, ...]] = {
    "Zone": ("level", "full_name"),
    "Mechanism": ("description",),
    "Category": ("name_en",),
    "Organisation": ("kind",),
    "Policy": ("kind", "year"),
}


_EDGE_READS: tuple[tuple[str, str, str], ...] = (
    ("ADOPTS", "Zone", "Mechanism"),
    ("HAS_PART", "Mechanism", "Mechanism"),
    ("IN_CATEGORY", "Mechanism", "Category"),
    ("HAS_ORGANISATION", "Zone", "Organisation"),
    ("PARTICIPATES_IN", "Organisation", "Mechanism"),
    ("IMPLEMENTS", "Zone", "Policy"),
    ("FRAMED_BY", "Mechanism", "Policy"),
    ("PART_OF", "Zone", "Zone"),
)


# The relationships a profile is built from (PARTICIPATES_IN and FRAMED_BY serve the analytics;
# PART_OF keeps a zone's own ancestors and descendants out of its ranking).
PROFILE_RELATIONSHIPS = ("ADOPTS", "HAS_PART", "IN_CATEGORY", "HAS_ORGANISATION", "IMPLEMENTS", "PART_OF")


# Read without evidence whatever is asked: only the chain of units matters, never its sentences.
_BARE_RELATIONSHIPS = frozenset({"PART_OF"})


# Properties read from a relationship beside its evidence: a category's cue, an adoption's stage.
_EDGE_PROPERTIES: dict[str, tuple[str, ...]] = {"IN_CATEGORY": ("cue",), "ADOPTS": ("stage",)}


PLANNED = "planned"  # graph.model.ADOPTION_STAGES: a plan is stored but is no adoption


_EVIDENCE_COLUMNS = "r.evidence_documents AS d, r.evidence_texts AS t, r.evidence_starts AS s, r.evidence_ends AS e"


@dataclass(frozen=True)
class ZoneRecord:
    id: str
    name: str
    aliases: tuple[str, ...]
    full_name: str
    level: str = ""

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases, *((self.full_name,) if self.full_name else ()))


def zone_records(store: GraphStore) -> list[ZoneRecord]:
    rows = store.read(ZONES_CYPHER).records()
    return [
        ZoneRecord(str(r["id"]), str(r["name"] or ""), tuple(r["aliases"] or ()), str(r["full_name"] or ""))
        for r in rows
    ]


def find_zone(zones: list[ZoneRecord], wanted: str) -> ZoneRecord:
    """The zone called `wanted`: by name, then id, full name, alias (width forms, quotes and spaces
    ignored). Unknown -> ZoneNotFound with close names; a short name two zones share -> QueryError."""
    if wanted.startswith("zone:"):  # an id (node_id): names never carry the prefix, so no name can match first
        exact = [z for z in zones if z.id == wanted]
        if len(exact) == 1:
            return exact[0]  # without normalising every zone's names (0.6 s at 37,000 zones)
    key = normalise_name(wanted)
    tiers = (
        lambda z: normalise_name(z.name) == key,
        lambda z: z.id == wanted.strip() or normalise_name(z.id) == key,
        lambda z: bool(z.full_name) and normalise_name(z.full_name) == key,
        lambda z: any(normalise_name(a) == key for a in z.aliases),
    )
    for matches in tiers:
        found = [z for z in zones if matches(z)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            names = ", ".join(z.full_name or z.name for z in found)
            raise QueryError(f"{wanted!r} names several zones ({names}); give the full name or the id")
    candidates: dict[str, str] = {}
    for z in zones:
        for n in z.names():
            candidates.setdefault(n, z.name)
    close = difflib.get_close_matches(wanted.strip(), list(candidates), n=5, cutoff=0.5)
    suggestions = list(dict.fromkeys(candidates[c] for c in close))
    raise ZoneNotFound(wanted, suggestions)


def practice_graph(
    store: GraphStore, *, evidence: bool = True, relationships: Iterable[str] | None = None
) -> GraphDocument:
    """The part of the store similarity and the analytics read: zones, mechanisms, categories,
    organisations and policies, and the relationships among them with their evidence (documents
    are left out: evidence carries its sentence), and the zones' PART_OF chain (bare). Without
    `evidence` the relationships come bare: scores need only who links to what, and the evidence
    lists are most of what a store holds. `relationships` narrows the types read (default: all
    eight). An ADOPTS keeps its `stage` (a planned one is read, and left out by the profiles)."""
    wanted = set(relationships) if relationships is not None else {t for t, _, _ in _EDGE_READS}
    nodes: list[Node] = []
    for label in _NODE_READS:
        nodes += _read_nodes(store, label)
    edges: list[Edge] = []
    for edge_type, source, target in _EDGE_READS:
        if edge_type in wanted:
            edges += _read_edges(store, edge_type, source, target, evidence=evidence)
    return GraphDocument([], nodes, edges)


def practice_subgraph(store: GraphStore, zone_ids: Iterable[str]) -> GraphDocument:
    """What the profiles of `zone_ids` are built from, evidence included: their adoptions, the parts
    of what they adopt (PART_DEPTH levels), those mechanisms' categories, the zones' organisations and
    policies, and the nodes these reach. Profiles built from it hold the same features, with their
    supports, as those from `practice_graph`: a page explains a few zones without reading every
    sentence in the store (14 s at 100,000 nodes)."""
    zones = sorted(set(zone_ids))
    edges = _read_edges(store, "ADOPTS", "Zone", "Mechanism", evidence=True, sources=zones)
    mechanisms = {e.target for e in edges}
    frontier = set(mechanisms)
    for _ in range(PART_DEPTH):
        parts = _read_edges(store, "HAS_PART", "Mechanism", "Mechanism", evidence=True, sources=sorted(frontier))
        edges += parts
        frontier = {e.target for e in parts} - mechanisms
        mechanisms |= frontier
    edges += _read_edges(store, "IN_CATEGORY", "Mechanism", "Category", evidence=True, sources=sorted(mechanisms))
    edges += _read_edges(store, "HAS_ORGANISATION", "Zone", "Organisation", evidence=True, sources=zones)
    edges += _read_edges(store, "IMPLEMENTS", "Zone", "Policy", evidence=True, sources=zones)
    wanted: dict[str, set[str]] = {label: set() for label in _NODE_READS}
    wanted["Zone"].update(zones)
    wanted["Mechanism"].update(mechanisms)
    for e in edges:
        wanted[_TARGET_LABEL[e.type]].add(e.target)
    nodes = [n for label, ids in wanted.items() if ids for n in _read_nodes(store, label, sorted(ids))]
    return GraphDocument([], nodes, edges)


def supported_profiles(store: GraphStore, zone_ids: Iterable[str]) -> PracticeProfiles:
    """The profiles of `zone_ids` (those adopting a mechanism), each feature with its supports, read
    from their part of the store alone (`practice_subgraph`)."""
    return profiles_from_graph(practice_subgraph(store, zone_ids))


_TARGET_LABEL = {edge_type: target for edge_type, _, target in _EDGE_READS}


def _read_nodes(store: GraphStore, label: str, ids: list[str] | None = None) -> list[Node]:
    """Nodes of `label` (those of `ids` only, when given) with the properties the profiles read."""
    columns = _NODE_READS[label]
    extra = "".join(f", n.{c} AS {c}" for c in columns)
    where = " WHERE n.id IN $ids" if ids is not None else ""
    cypher = f"MATCH (n:{label}){where} RETURN n.id AS id, n.name AS name, n.aliases AS aliases{extra} ORDER BY id"
    out = []
    found = store.read_columns(cypher, {"ids": ids} if ids is not None else None)
    for node_id, name, aliases, *more in zip(*found, strict=True):
        values = {c: v for c, v in zip(columns, more, strict=True) if v not in (None, "", [])}
        out.append(Node(str(node_id), label, str(name or ""), list(aliases or []), values))
    return out


def _read_edges(
    store: GraphStore, edge_type: str, source: str, target: str, *, evidence: bool, sources: list[str] | None = None
) -> list[Edge]:
    """Relationships of one type (from `sources` only, when given), with their evidence if asked."""
    if sources is not None and not sources:
        return []
    wanted_props = _EDGE_PROPERTIES.get(edge_type, ())
    extra = "".join(f", r.{p} AS {p}" for p in wanted_props)
    with_evidence = evidence and edge_type not in _BARE_RELATIONSHIPS
    said_columns = f", {_EVIDENCE_COLUMNS}" if with_evidence else ""
    where = " WHERE a.id IN $ids" if sources is not None else ""
    cypher = (
        f"MATCH (a:{source})-[r:{edge_type}]->(b:{target}){where} "
        f"RETURN a.id AS source, b.id AS target{said_columns}{extra} ORDER BY source, target"
    )
    edges = []
    found = store.read_columns(cypher, {"ids": sources} if sources is not None else None)
    for source_id, target_id, *more in zip(*found, strict=True):
        said: list[Evidence] = []
        if with_evidence:
            docs, texts, starts, ends = (c or [] for c in more[:4])
            said = [Evidence(str(d), str(t), int(s), int(e))
                    for d, t, s, e in zip(docs, texts, starts, ends, strict=False)]  # fmt: skip
            more = more[4:]
        props = {p: v for p, v in zip(wanted_props, more, strict=True) if v}
        edges.append(Edge(edge_type, str(source_id), str(target_id), said, props))
    return edges


@dataclass(frozen=True)
class Support:
    """Why a zone has a feature: the node it has it through, how, and the sentences that say so.

    `via` is a mechanism, organisation or policy name; `relation` the relationship that brings the
    feature to the zone (ADOPTS, HAS_PART, IN_CATEGORY, HAS_ORGANISATION, IMPLEMENTS, or WORDING
    for a mechanism whose name or description holds a shared string); `cue` the cue word of a
    category assignment.
    """

    via: str
    relation: str
    evidence: tuple[Evidence, ...] = ()
    cue: str = ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"via": self.via, "relation": self.relation}
        if self.cue:
            out["cue"] = self.cue
        out["evidence"] = [e.to_dict() for e in self.evidence]
        return out


@dataclass
class ZoneProfile:
    """A zone's features by part (feature key -> why it has it) and the wording of its mechanisms."""

    zone: ZoneRecord
    features: dict[str, dict[str, list[Support]]]
    wording: dict[str, str]  # mechanism name -> its name and description
    mechanism_evidence: dict[str, tuple[Evidence, ...]]  # mechanism name -> how the zone has it


@dataclass
class PracticeProfiles:
    """Every zone (for finding one by name) and the profiles of those adopting a mechanism."""

    zones: list[ZoneRecord]
    profiles: dict[str, ZoneProfile]
    feature_names: dict[tuple[str, str], tuple[str, str]]  # (part, key) -> (name, English name)
    # zone id -> its own ancestors and descendants (PART_OF), never ranked as like it
    lineage: dict[str, frozenset[str]] = field(default_factory=dict)

    def zone(self, wanted: str) -> ZoneRecord:
        return find_zone(self.zones, wanted)


def _kind_label(part: str, kind: str) -> str:
    return f"{'organisation' if part == 'organisations' else 'policy'}:{kind}"


def counts_as_adoption(edge: Edge) -> bool:
    """Whether a relationship is a zone's adoption of a practice: an ADOPTS that is no mere plan
    (stage 'planned': 下一步将推广… is stored, but the zone has not done it)."""
    return edge.type == "ADOPTS" and edge.properties.get("stage") != PLANNED


class _Links:
    """The graph's relationships by type and source; planned adoptions are left out."""

    def __init__(self, graph: GraphDocument) -> None:
        self.nodes = graph.node_by_id()
        self.out: dict[tuple[str, str], list[Edge]] = {}
        for e in graph.edges:
            if e.source not in self.nodes or e.target not in self.nodes:
                continue
            if e.type == "ADOPTS" and not counts_as_adoption(e):
                continue
            self.out.setdefault((e.type, e.source), []).append(e)

    def edges(self, edge_type: str, source: str) -> list[Edge]:
        return self.out.get((edge_type, source), [])

    def lineage(self, zone_ids: Iterable[str]) -> dict[str, frozenset[str]]:
        """Each of `zone_ids` with its own ancestors and descendants (the PART_OF chain either way):
        a city is no peer of its own township, which repeats what the city's text says of it."""
        up: dict[str, set[str]] = {}
        for (edge_type, source), edges in self.out.items():
            if edge_type == "PART_OF":
                up.setdefault(source, set()).update(e.target for e in edges)
        ancestors: dict[str, set[str]] = {}

        def above(zone: str) -> set[str]:
            if zone not in ancestors:
                ancestors[zone] = set()  # a cycle (bad data) stops here
                found: set[str] = set()
                for parent in up.get(zone, ()):
                    found.add(parent)
                    found |= above(parent)
                found.discard(zone)
                ancestors[zone] = found
            return ancestors[zone]

        wanted = set(zone_ids)
        kin: dict[str, set[str]] = {z: set(above(z)) for z in wanted}
        for zone in list(up):
            for ancestor in above(zone):
                if ancestor in wanted:
                    kin[ancestor].add(zone)
        return {z: frozenset(k) for z, k in kin.items() if k}


class _ProfileBuilder:
    """One zone's features, each with the supports that bring it to the zone."""

    def __init__(self, links: _Links, names: dict[tuple[str, str], tuple[str, str]], *, supports: bool = True) -> None:
        self.links = links
        self.names = names
        self.supports = supports  # without: the features alone, as scores need (a zone reaches one
        # category hundreds of ways, and comparing each new way with those held is most of the work)
        self.features: dict[str, dict[str, list[Support]]] = {part: {} for part in SET_PARTS}

    def add(self, part: str, key: str, via: str, relation: str, evidence: tuple[Evidence, ...], cue: str = "") -> None:
        held = self.features[part].setdefault(key, [])
        if self.supports:
            support = Support(via, relation, evidence, cue)
            if support not in held:
                held.append(support)

    def add_kind(self, part: str, node: Node, relation: str, edge: Edge) -> None:
        kind = str(node.properties.get("kind") or "")
        if kind:  # the kind is the feature: a node without one says nothing comparable
            self.names[(part, kind)] = (_kind_label(part, kind), _kind_label(part, kind))
            self.add(part, kind, node.name, relation, tuple(edge.evidence))

    def mechanisms(self, zone_id: str) -> dict[str, tuple[Evidence, ...]]:
        """The zone's mechanisms with their parts (breadth first, PART_DEPTH levels), each with the
        evidence of the first way it was reached."""
        nodes = self.links.nodes
        reached: dict[str, tuple[Evidence, ...]] = {}
        frontier: list[str] = []
        for e in self.links.edges("ADOPTS", zone_id):
            self.add("mechanisms", e.target, nodes[e.target].name, "ADOPTS", tuple(e.evidence))
            if e.target not in reached:
                reached[e.target] = tuple(e.evidence)
                frontier.append(e.target)
        for _ in range(PART_DEPTH):
            following: list[str] = []
            for parent in frontier:
                for e in self.links.edges("HAS_PART", parent):
                    self.add("mechanisms", e.target, nodes[parent].name, "HAS_PART", tuple(e.evidence))
                    if e.target not in reached:
                        reached[e.target] = tuple(e.evidence)
                        following.append(e.target)
            frontier = following
        return reached

    def build(self, zone: ZoneRecord) -> ZoneProfile:
        nodes = self.links.nodes
        reached = self.mechanisms(zone.id)
        wording: dict[str, str] = {}
        for mechanism_id, how in reached.items():
            mechanism = nodes[mechanism_id]
            self.names[("mechanisms", mechanism_id)] = (mechanism.name, mechanism.name)
            wording[mechanism.name] = f"{mechanism.name} {mechanism.properties.get('description') or ''}".strip()
            for e in self.links.edges("IN_CATEGORY", mechanism_id):
                category = nodes[e.target]
                self.names[("categories", category.id)] = (
                    category.name,
                    str(category.properties.get("name_en") or category.name),
                )
                cue = str(e.properties.get("cue") or "")
                self.add("categories", category.id, mechanism.name, "IN_CATEGORY", tuple(e.evidence) or how, cue)
        # Only the zone's own links: PARTICIPATES_IN and FRAMED_BY hang on a mechanism several zones
        # may share, so they would credit a zone with another zone's actors and count the shared
        # mechanism twice.
        for e in self.links.edges("HAS_ORGANISATION", zone.id):
            self.add_kind("organisations", nodes[e.target], "HAS_ORGANISATION", e)
        for e in self.links.edges("IMPLEMENTS", zone.id):
            self.add_kind("policies", nodes[e.target], "IMPLEMENTS", e)
        evidence = {nodes[m].name: how for m, how in reached.items()}
        return ZoneProfile(zone, self.features, wording, evidence)


def profiles_from_graph(graph: GraphDocument, *, supports: bool = True) -> PracticeProfiles:
    """The practice profile of every zone in `graph` that adopts at least one mechanism. Without
    `supports` each feature's list of supports is left empty (enough to score, not to explain)."""
    links = _Links(graph)
    zones = sorted(
        (
            ZoneRecord(
                n.id,
                n.name,
                tuple(n.aliases),
                str(n.properties.get("full_name") or ""),
                str(n.properties.get("level") or ""),
            )
            for n in links.nodes.values()
            if n.label == "Zone"
        ),
        key=lambda z: z.id,
    )
    names: dict[tuple[str, str], tuple[str, str]] = {}
    profiles = {
        z.id: _ProfileBuilder(links, names, supports=supports).build(z) for z in zones if links.edges("ADOPTS", z.id)
    }
    return PracticeProfiles(zones, profiles, names, links.lineage(profiles))
