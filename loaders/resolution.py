"""Entity resolution across documents: the same zone or mechanism named differently in two files
becomes one node, with both names as aliases.

Ids come from names (graph.model.node_id), so most of the work is done by the ids themselves:
平湖市当湖街道 and 嘉兴市平湖市当湖街道 both place the zone at 浙江省嘉兴市平湖市当湖街道. What
ids cannot do, this module does, for nodes of different documents (a text's extraction already
resolved its own mentions):

- **Zones**: a zone whose chain is incomplete (a bare 当湖街道 with no higher unit in its text, or
  温州市五马街道 without its district) joins the one more complete zone of the same level whose chain
  holds all of its units and ends in the same unit. When two complete zones fit (城关镇 in 郧西县 and
  in 宜阳县) it joins neither; when its own text names a province, the zone it joins must lie in one
  of the provinces named. Two complete chains are never merged: two 城关镇 in different counties stay
  apart.
- **Mechanisms**: a mechanism joins another that shares a name or alias (“三级友邻”网络体系 and
  “三级友邻”服务机制 both have 三级友邻) and is adopted by the same zone; again only when exactly one
  fits. A shared short name alone (“1+3” in two cities) is not enough.

The node joined keeps its id and name (first loaded, first kept); the other name becomes an alias.
A curated sheet's name wins instead (the researcher's word). `resolve_entities` works within one
graph (loaders.extract.extract_paths: the files of one load), `resolve_against_store` also against
what a store holds (the command line's load).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from govkg.graph.curation import CURATED, replacements
from govkg.graph.merge import paused_gc
from govkg.graph.model import Document, Edge, GraphDocument, Node, normalise_name
from govkg.graph.store import GraphStore
from govkg.loaders.zones import division_index
from govkg.text import to_simplified

__all__ = [
    "KnownEntities",
    "known_from_store",
    "resolve_against_store",
    "resolve_entities",
    "resolved_against_store",
    "resolved_entities",
]

# Properties that place a zone: the joined zone's own are kept, never the joining zone's.
_ZONE_PLACE = ("full_name", "level", "code")
_MIN_KEY = 2  # a one-character alias says too little to join two mechanisms


@dataclass
class _Entry:
    """A zone or mechanism as resolution sees it."""

    id: str
    label: str
    name: str
    aliases: list[str]
    properties: dict[str, Any]
    documents: set[str] = field(default_factory=set)
    segments: tuple[str, ...] = ()  # zones: the unit names along the chain, top first
    zones: set[str] = field(default_factory=set)  # mechanisms: the zones adopting it
    order: int = 0  # earlier entries are kept when two join

    @property
    def keys(self) -> set[str]:
        keys = {normalise_name(to_simplified(n)) for n in [self.name, *self.aliases]}
        return {k for k in keys if len(k) >= _MIN_KEY}


@dataclass
class KnownEntities:
    """Zones and mechanisms already stored, by id."""

    zones: dict[str, _Entry] = field(default_factory=dict)
    mechanisms: dict[str, _Entry] = field(default_factory=dict)


def resolve_against_store(graph: GraphDocument, store: GraphStore) -> GraphDocument:
    """`graph` with its zones and mechanisms joined to the same ones in `store` (and to each other).

    Nodes that only documents this graph replaces support (a curated sheet's source) are not joined
    to: the sheet replaces them."""
    return resolved_against_store(graph, store)[0]


def resolved_against_store(
    graph: GraphDocument, store: GraphStore, *, resolved: bool = False
) -> tuple[GraphDocument, dict[str, str]]:
    """`resolve_against_store`, and each joined node's id -> the id it was joined into (a correction
    made on the extracted graph names the former; the store holds the latter). `resolved`: `graph`
    is `resolve_entities`' own answer (as `extract_paths` gives it), which resolving again leaves as
    it is (tests/test_resolution.py): with nothing known from the store, it is returned at once
    (a first load of 10,000 documents resolved them twice, 3.3 s the second time)."""
    ignore = {r.document for r in replacements(graph)}
    with paused_gc():
        known = known_from_store(store, ignore)
        if resolved and not known.zones and not known.mechanisms:
            return graph, {}
        return resolved_entities(graph, known)


def known_from_store(store: GraphStore, ignore_documents: Iterable[str] = ()) -> KnownEntities:
    """The store's zones and mechanisms, minus those mentioned only by `ignore_documents`."""
    ignored = set(ignore_documents)

    def rows(query: str) -> list[tuple[Any, ...]]:
        # As columns (LadybugDB's Arrow): the whole store's zones and mechanisms are read for every
        # load, however small (37,673 zones and 36,777 mechanisms: 1.1–1.4 s against 2.0–2.5 s as rows).
        return list(zip(*store.read_columns(query), strict=True))

    mentions: dict[str, set[str]] = defaultdict(set)
    for label in ("Zone", "Mechanism"):
        for doc, node in rows(f"MATCH (d:Document)-[:MENTIONS]->(n:{label}) RETURN d.id, n.id"):
            mentions[str(node)].add(str(doc))

    def kept(node_id: str) -> bool:
        docs = mentions.get(node_id)
        return not docs or not docs <= ignored

    known = KnownEntities()
    for i, name, aliases, level, full_name, code in rows(
        "MATCH (z:Zone) RETURN z.id, z.name, z.aliases, z.level, z.full_name, z.code"
    ):
        if kept(str(i)):
            props = {k: v for k, v in (("level", level), ("full_name", full_name), ("code", code)) if v}
            known.zones[str(i)] = _Entry(str(i), "Zone", str(name), list(aliases or []), props, mentions[str(i)])
    parents = {str(a): str(b) for a, b in rows("MATCH (a:Zone)-[:PART_OF]->(b:Zone) RETURN a.id, b.id")}
    full_names = {i: str(e.properties.get("full_name") or e.name) for i, e in known.zones.items()}
    for entry in known.zones.values():
        entry.segments = _segments(entry.id, parents, full_names)
    for i, name, aliases, description, parts in rows(
        "MATCH (m:Mechanism) RETURN m.id, m.name, m.aliases, m.description, m.parts"
    ):
        if kept(str(i)):
            props = {k: v for k, v in (("description", description), ("parts", parts)) if v}
            known.mechanisms[str(i)] = _Entry(
                str(i), "Mechanism", str(name), list(aliases or []), props, mentions[str(i)]
            )
    for zone, mechanism in rows("MATCH (z:Zone)-[:ADOPTS]->(m:Mechanism) RETURN z.id, m.id"):
        if str(mechanism) in known.mechanisms:
            known.mechanisms[str(mechanism)].zones.add(str(zone))
    return known


def resolve_entities(graph: GraphDocument, known: KnownEntities | None = None) -> GraphDocument:
    """`graph` with zones and mechanisms of different documents (and of `known`) that are the same
    unit or practice joined into one node. Pure: returns a new graph document."""
    return resolved_entities(graph, known)[0]


def resolved_entities(graph: GraphDocument, known: KnownEntities | None = None) -> tuple[GraphDocument, dict[str, str]]:
    """`resolve_entities`, and each joined node's id -> the id of the node it joined."""
    known = known or KnownEntities()
    zones, mechanisms = _entries(graph)
    if not zones and not mechanisms:
        return graph, {}
    mapping: dict[str, str] = {}
    _resolve_zones(zones, known, mapping)
    _resolve_mechanisms(mechanisms, known, mapping)
    if not mapping:
        return graph, {}
    joined = {source: _final(source, mapping) for source in mapping}
    return _rewrite(graph, mapping, known), {a: b for a, b in joined.items() if a != b}


# --------------------------------------------------------------------------- entries


def _entries(graph: GraphDocument) -> tuple[dict[str, _Entry], dict[str, _Entry]]:
    documents: dict[str, set[str]] = defaultdict(set)
    for edge in graph.edges:
        if edge.evidence:  # an edge's documents once, not once a piece (750,000 at 10,000 documents)
            cited = {ev.document for ev in edge.evidence}
            documents[edge.source].update(cited)
            documents[edge.target].update(cited)
    order = {d.id: i for i, d in enumerate(graph.documents)}
    zones: dict[str, _Entry] = {}
    mechanisms: dict[str, _Entry] = {}
    for node in graph.nodes:
        if node.label not in ("Zone", "Mechanism"):
            continue
        docs = documents.get(node.id, set())
        entry = _Entry(
            node.id,
            node.label,
            node.name,
            list(node.aliases),
            dict(node.properties),
            set(docs),
            order=min((order.get(d, len(order)) for d in docs), default=len(order)),
        )
        (zones if node.label == "Zone" else mechanisms)[node.id] = entry
    parents = {e.source: e.target for e in graph.edges if e.type == "PART_OF"}
    full_names = {i: str(e.properties.get("full_name") or e.name) for i, e in zones.items()}
    for entry in zones.values():
        entry.segments = _segments(entry.id, parents, full_names)
    for edge in graph.edges:
        if edge.type == "ADOPTS" and edge.target in mechanisms:
            mechanisms[edge.target].zones.add(edge.source)
    return zones, mechanisms


def _segments(zone_id: str, parents: dict[str, str], full_names: dict[str, str]) -> tuple[str, ...]:
    """The unit names along a zone's chain: each full name minus its parent's (浙江省, 嘉兴市, …)."""
    chain = [zone_id]
    while (parent := parents.get(chain[-1])) is not None and parent in full_names and parent not in chain:
        chain.append(parent)
    chain.reverse()
    segments: list[str] = []
    above = ""
    for node in chain:
        full = full_names.get(node, "")
        segments.append(full[len(above) :] if above and full.startswith(above) else full)
        above = full
    return tuple(s for s in segments if s)


# --------------------------------------------------------------------------- zones


def _is_province(name: str) -> bool:
    return any(div.rank == 0 for div, _ in division_index().get(name, ()))


def _within(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Every unit of `short`, in order, is in `long`, and both end in the same unit."""
    if not short or not long or short[-1] != long[-1] or len(short) >= len(long):
        return False
    units = iter(long)
    return all(unit in units for unit in short)


def _resolve_zones(zones: dict[str, _Entry], known: KnownEntities, mapping: dict[str, str]) -> None:
    pool = {**zones, **known.zones}
    # Candidates end in the same unit, have the same level and hold the entry's first unit: indexed
    # by all three, since a common street name (人民街道) ends thousands of chains of other levels and
    # places, and comparing each with all others of its name grew with the square of them (10,000
    # synthetic documents: 2.5 million comparisons, 1.3 s, twice a load; docs/measured.md).
    by_unit: dict[tuple[str, Any, str], list[_Entry]] = defaultdict(list)
    for entry in pool.values():
        for unit in set(entry.segments):
            by_unit[(entry.segments[-1], entry.properties.get("level"), unit)].append(entry)
    # Provinces each document names, to keep a bare unit from joining one in another province.
    provinces: dict[str, set[str]] = defaultdict(set)
    for entry in zones.values():
        if entry.segments and _is_province(entry.segments[0]):
            for doc in entry.documents:
                provinces[doc].add(entry.segments[0])
    for entry in zones.values():
        if entry.id in known.zones:
            continue
        level = entry.properties.get("level")
        named = set().union(*(provinces[d] for d in entry.documents)) if entry.documents else set()
        candidates = {
            other.id
            for other in (by_unit.get((entry.segments[-1], level, entry.segments[0]), []) if entry.segments else [])
            if other.id != entry.id
            and len(other.segments) > len(entry.segments)
            and _within(entry.segments, other.segments)
            and not (other.documents & entry.documents and other.id in zones)  # its own text kept them apart
            and (not named or other.segments[0] in named)
        }
        # Among nested candidates (温州市五马街道 within 浙江省温州市鹿城区五马街道) the most complete one.
        complete = {c for c in candidates if not any(_within(pool[c].segments, pool[o].segments) for o in candidates)}
        if len(complete) == 1:
            mapping[entry.id] = complete.pop()


# --------------------------------------------------------------------------- mechanisms


def _resolve_mechanisms(mechanisms: dict[str, _Entry], known: KnownEntities, mapping: dict[str, str]) -> None:
    pool = {**mechanisms, **known.mechanisms}
    # Zones were resolved before, and mechanisms never map to zones: each entry's zones, as the
    # zones resolved, stay the same while mechanisms join below.
    final_zones = {i: {_final(z, mapping) for z in e.zones} for i, e in pool.items()}
    keys = {i: e.keys for i, e in pool.items()}
    # A candidate shares a name and a zone: indexed by both, so a common short name (议事会, in
    # thousands of places) is not compared with every mechanism of that name.
    by_key_zone: dict[tuple[str, str], list[_Entry]] = defaultdict(list)
    for i, entry in pool.items():
        for key in keys[i]:
            for zone in final_zones[i]:
                by_key_zone[(key, zone)].append(entry)
    for entry in sorted(mechanisms.values(), key=lambda e: (e.order, e.id)):
        if entry.id in known.mechanisms or entry.id in mapping:
            continue
        zones = {_final(z, mapping) for z in entry.zones}
        if not zones:
            continue
        candidates = {
            _final(other.id, mapping)
            for key in keys[entry.id]
            for zone in zones
            for other in by_key_zone.get((key, zone), ())
            if other.id != entry.id
            and (other.id in known.mechanisms or other.order < entry.order)  # the earlier one is kept
            and _final(other.id, mapping) != entry.id
            and not (other.documents & entry.documents and other.id in mechanisms)
        }
        if len(candidates) == 1:
            mapping[entry.id] = candidates.pop()


def _final(node_id: str, mapping: dict[str, str]) -> str:
    seen = {node_id}
    while node_id in mapping and mapping[node_id] not in seen:
        node_id = mapping[node_id]
        seen.add(node_id)
    return node_id


# --------------------------------------------------------------------------- rewriting


def _rewrite(graph: GraphDocument, mapping: dict[str, str], known: KnownEntities) -> GraphDocument:
    final = {source: _final(source, mapping) for source in mapping}
    present = {n.id: n for n in graph.nodes}
    nodes: dict[str, Node] = {}
    # Targets first, so that the node joined keeps its name and properties.
    for node in sorted(graph.nodes, key=lambda n: n.id in final):
        target = final.get(node.id, node.id)
        if target == node.id:
            nodes[node.id] = Node(node.id, node.label, node.name, list(node.aliases), dict(node.properties))
            continue
        held = nodes.get(target)
        if held is None:
            stored = known.zones.get(target) or known.mechanisms.get(target)
            if target in present:
                base = present[target]
                held = Node(target, base.label, base.name, list(base.aliases), dict(base.properties))
            else:
                assert stored is not None
                held = Node(target, node.label, stored.name, [], _missing_properties(node, stored))
            nodes[target] = held
        _join(held, node)
    edges: list[Edge] = []
    for edge in graph.edges:
        if edge.type == "PART_OF" and edge.source in final:
            continue  # the joined zone's own chain stands
        source, target = final.get(edge.source, edge.source), final.get(edge.target, edge.target)
        if source == target:
            continue
        edges.append(Edge(edge.type, source, target, list(edge.evidence), dict(edge.properties)))
    documents: dict[str, Document] = {}
    for document in graph.documents:  # one per id, the first, as GraphDocument.merged keeps them
        documents.setdefault(document.id, document)
    return GraphDocument(list(documents.values()), list(nodes.values()), _one_per_key(edges))


def _one_per_key(edges: list[Edge]) -> list[Edge]:
    """One edge per key, evidence united (two names of one practice adopted by one zone), in the
    order of first occurrence, as `GraphDocument.merged` gives it; only the edges whose keys repeat
    go through the merge (merging all of them copied 577,000 edges again for a few hundred joined)."""
    keys = [edge.key for edge in edges]
    seen = Counter(keys)
    if len(seen) == len(edges):
        return edges
    joined = GraphDocument().merged(GraphDocument([], [], [e for e, k in zip(edges, keys, strict=True) if seen[k] > 1]))
    united = {edge.key: edge for edge in joined.edges}
    out: list[Edge] = []
    for edge, key in zip(edges, keys, strict=True):
        if seen[key] == 1:
            out.append(edge)
        elif key in united:
            out.append(united.pop(key))  # at its first occurrence
    return out


def _join(held: Node, node: Node) -> None:
    """`node` joins `held`: its names become aliases; it fills properties `held` lacks. A curated
    sheet's node brings its own name (the researcher's word)."""
    if node.properties.get(CURATED) and node.name != held.name:
        held.aliases = [a for a in [held.name, *held.aliases] if a != node.name]
        held.name = node.name
    for alias in [node.name, *node.aliases]:
        if alias != held.name and alias not in held.aliases:
            held.aliases.append(alias)
    for key, value in node.properties.items():
        if held.label == "Zone" and key in _ZONE_PLACE:
            continue
        if key == "parts" and isinstance(value, list):
            held.properties["parts"] = list(dict.fromkeys([*(held.properties.get("parts") or []), *value]))
        elif held.properties.get(key) in (None, "", []):
            held.properties[key] = value


def _missing_properties(node: Node, stored: _Entry) -> dict[str, Any]:
    """What a node joining a stored one may add: the properties the stored node lacks (the store
    lets new values win, so the stored ones are passed back unchanged)."""
    props = dict(stored.properties)
    for key, value in node.properties.items():
        if node.label == "Zone" and key in _ZONE_PLACE:
            continue
        if key == "parts" and isinstance(value, list):
            props["parts"] = list(dict.fromkeys([*(props.get("parts") or []), *value]))
        elif props.get(key) in (None, "", []) or (node.properties.get(CURATED) and key != "parts"):
            props[key] = value
    return props
