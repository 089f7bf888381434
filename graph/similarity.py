"""Which zones are alike, and why: one score from five parts, each shared feature with its evidence.

A zone's practice profile (zones that adopt at least one mechanism have one) is read from the
graph:

- **mechanisms**: the mechanisms it adopts, with their parts up to three levels down;
- **categories**: the mechanism categories those mechanisms fall in (IN_CATEGORY);
- **organisations**: the kinds of organisation active in it (HAS_ORGANISATION): party, committee,
  mutual-aid-group ...;
- **policies**: the kinds of policy it implements (IMPLEMENTS): programme, election-rule,
  regulation, standard ...;
- **wording**: the names and descriptions of its mechanisms, as character 2- and 3-grams.

Only adoptions count: an ADOPTS whose stage is `planned` (下一步将推广…) is stored but gives the
zone nothing here (`counts_as_adoption`). A zone's own ancestors and descendants (the PART_OF
chain either way: a city and its own township) are never ranked as like it, in `similar_zones`,
`top_similar_pairs` or SIMILAR_TO: the township's practice is the city's text about itself, not a
second place arriving at the same practice. `compare` still scores such a pair when asked.

The score of two zones A and B is

    score = (1 - WORDING_WEIGHT) · J(A, B) + WORDING_WEIGHT · cos(A, B)

J is a weighted Jaccard index over the four feature sets together: the weight of the features A
and B share over the weight of all features either has. A feature weighs its kind's weight
(FEATURE_WEIGHTS) times its idf = ln((N + 1) / df), N being the number of zones with a profile and
df the number that have the feature: sharing a rare practice says more than sharing a common one,
and a feature every zone has (the programme all experimental zones belong to) weighs little
(ln(11/10) = 0.1 among ten zones, against ln(11) = 2.4 for a feature of one zone). cos is the
cosine of the zones' TF-IDF vectors of character n-grams of their mechanisms' wording (sublinear
term frequency, the same idf): no model and no word segmentation, which suits Chinese names.
The score lies between 0 and 1, and two zones with the same profile score 1.

The weights put the practice itself first. The very same named mechanism is the most specific
evidence of a common practice (3); the same kind of mechanism next (2), lower because categories
come from cue words; who acts and the kind of policy frame the setting more than the practice
(1 each). The wording catches kinships the taxonomy misses but also incidental words, so it gets
a small share (0.15). The reported `parts` (mechanisms, categories, organisations, policies,
wording) add up to the score, and the explanation lists every shared feature with its share of
the score and the sentences of the sources that support it on both sides.

Ranking all zones at once (`top_similar_pairs`, `refresh_similarity`) scores a block of zones
against all zones at a time (`SimilarityIndex.rank_all`). The wording makes nearly every pair
score above 0 (n-grams most zones share), so a block is a dense array: the features and n-grams
most zones hold go through a dense matrix product, the rare ones through a sparse one, and zones
with the same wording share one row of cosines. The work grows with the square of the number of
zones. The refresh reads the store without evidence and describes all kept pairs at once
(`describe_pairs`), with the same scores, parts and shared lists as `compare`
(tests/test_similarity_refresh.py checks against pair-by-pair scoring).
`top_k_weighted_jaccard` stays sparse: over mechanisms alone few pairs share anything
(bench/similarity_scale.py measures it).
"""

from __future__ import annotations

import difflib
import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import networkx as nx
import numpy as np
from scipy import sparse
from threadpoolctl import threadpool_limits

from govkg.errors import QueryError, ZoneNotFound
from govkg.graph.model import Edge, Evidence, GraphDocument, Node, normalise_name
from govkg.graph.store import GraphStore, WriteSummary

__all__ = [
    "CATEGORY_WEIGHT",
    "FEATURE_WEIGHTS",
    "FUNCTION_CHARACTERS",
    "MECHANISM_WEIGHT",
    "NGRAM_SIZES",
    "PARTS",
    "PART_DEPTH",
    "PLANNED",
    "SET_PARTS",
    "WORDING_WEIGHT",
    "PracticeProfiles",
    "SimilarityIndex",
    "Support",
    "ZoneProfile",
    "ZoneRecord",
    "char_ngrams",
    "counts_as_adoption",
    "find_zone",
    "idf_weights",
    "practice_graph",
    "profiles_from_graph",
    "refresh_similarity",
    "shared_strings",
    "similar_in_profiles",
    "similar_zones",
    "top_k_weighted_jaccard",
    "top_similar_pairs",
    "zone_feature_graph",
    "zone_records",
]

FEATURE_WEIGHTS: dict[str, float] = {
    "mechanisms": 3.0,
    "categories": 2.0,
    "organisations": 1.0,
    "policies": 1.0,
}
SET_PARTS: tuple[str, ...] = tuple(FEATURE_WEIGHTS)
WORDING_WEIGHT = 0.15
PARTS: tuple[str, ...] = (*SET_PARTS, "wording")
# The two leading weights, named for the app's explanation text (pages/4_Similar_zones.py).
MECHANISM_WEIGHT = FEATURE_WEIGHTS["mechanisms"]
CATEGORY_WEIGHT = FEATURE_WEIGHTS["categories"]
NGRAM_SIZES: tuple[int, ...] = (2, 3)
# Function characters: an n-gram that begins or ends with one (的标准, 和居民) is grammar, not wording.
FUNCTION_CHARACTERS = frozenset("的了和与及或在是等把被对为由以之其这那也都而个")
PART_DEPTH = 3  # parts of parts of parts, as the saved queries' HAS_PART*0..3
SCORE_DIGITS = 4
WORDING_SHOWN = 6  # shared strings listed in an explanation
BLOCK_ROWS = 2048  # rows of zones per sparse product when ranking all pairs
BLOCK_CELLS = 4_000_000  # at most rows x zones scores at a time (32 MB an array) when ranking all pairs
DENSE_SHARE = 0.1  # a feature or n-gram more rows than this share hold is multiplied as a dense column

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
_PROFILE_RELATIONSHIPS = ("ADOPTS", "HAS_PART", "IN_CATEGORY", "HAS_ORGANISATION", "IMPLEMENTS", "PART_OF")
# Read without evidence whatever is asked: only the chain of units matters, never its sentences.
_BARE_RELATIONSHIPS = frozenset({"PART_OF"})
# Properties read from a relationship beside its evidence: a category's cue, an adoption's stage.
_EDGE_PROPERTIES: dict[str, tuple[str, ...]] = {"IN_CATEGORY": ("cue",), "ADOPTS": ("stage",)}
PLANNED = "planned"  # graph.model.ADOPTION_STAGES: a plan is stored but is no adoption
_EVIDENCE_COLUMNS = "r.evidence_documents AS d, r.evidence_texts AS t, r.evidence_starts AS s, r.evidence_ends AS e"


# --------------------------------------------------------------------------- zones by name


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


# --------------------------------------------------------------------------- reading the practice graph


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
    for label, columns in _NODE_READS.items():
        extra = "".join(f", n.{c} AS {c}" for c in columns)
        cypher = f"MATCH (n:{label}) RETURN n.id AS id, n.name AS name, n.aliases AS aliases{extra} ORDER BY id"
        for r in store.read(cypher).records():
            values = {c: r[c] for c in columns if r[c] not in (None, "", [])}
            nodes.append(Node(str(r["id"]), label, str(r["name"] or ""), list(r["aliases"] or []), values))
    edges: list[Edge] = []
    for edge_type, source, target in _EDGE_READS:
        if edge_type not in wanted:
            continue
        wanted_props = _EDGE_PROPERTIES.get(edge_type, ())
        extra = "".join(f", r.{p} AS {p}" for p in wanted_props)
        with_evidence = evidence and edge_type not in _BARE_RELATIONSHIPS
        said_columns = f", {_EVIDENCE_COLUMNS}" if with_evidence else ""
        cypher = (
            f"MATCH (a:{source})-[r:{edge_type}]->(b:{target}) "
            f"RETURN a.id AS source, b.id AS target{said_columns}{extra} ORDER BY source, target"
        )
        for row in store.read(cypher).records():
            said = (
                [
                    Evidence(str(d), str(t), int(s), int(e))
                    for d, t, s, e in zip(row["d"] or [], row["t"] or [], row["s"] or [], row["e"] or [], strict=False)
                ]
                if with_evidence
                else []
            )
            props = {p: row[p] for p in wanted_props if row.get(p)}
            edges.append(Edge(edge_type, str(row["source"]), str(row["target"]), said, props))
    return GraphDocument([], nodes, edges)


# --------------------------------------------------------------------------- profiles


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


# --------------------------------------------------------------------------- sparse scoring core


def idf_weights(matrix: sparse.csr_matrix) -> np.ndarray:
    """ln((N + 1) / df) per column of an N-rows-by-features 0/1 matrix: as if one more row held
    nothing, so a feature every row has still weighs a little (two zones alike in everything
    score 1), and one only one row has weighs most. A column no row has weighs 0."""
    n = matrix.shape[0]
    df = np.bincount(matrix.indices, minlength=matrix.shape[1]).astype(np.float64)
    out = np.zeros(matrix.shape[1])
    held = df > 0
    out[held] = np.log((n + 1.0) / df[held])
    return out


def _jaccard_block(rows: sparse.csr_matrix, matrix: sparse.csr_matrix, weights: np.ndarray) -> sparse.csr_matrix:
    """Weighted Jaccard of `rows` against every row of `matrix`, nonzero only where they share a
    feature of positive weight: shared weight / (weight of one + weight of the other - shared)."""
    shared = (rows @ sparse.diags(weights) @ matrix.T).tocsr()
    shared.eliminate_zeros()
    size_rows = rows @ weights
    size_all = matrix @ weights
    counts = np.diff(shared.indptr)
    union = np.repeat(size_rows, counts) + size_all[shared.indices] - shared.data
    shared.data = shared.data / union
    return shared


def _top_k_rows(scores: sparse.csr_matrix, offset: int, k: int) -> Iterator[tuple[int, list[tuple[int, float]]]]:
    """For each row of a block (row r is zone offset + r): its k best other columns, best first,
    ties broken by the lower column index; zeros and the zone itself left out."""
    indptr, indices = scores.indptr, scores.indices
    rows = np.repeat(np.arange(scores.shape[0]), np.diff(indptr))
    data = np.where(indices == rows + offset, 0.0, scores.data)  # a zone is not its own neighbour
    for r in range(scores.shape[0]):
        cols = indices[indptr[r] : indptr[r + 1]]
        vals = data[indptr[r] : indptr[r + 1]]
        if len(vals) > k:
            # Only values at least as good as the k-th best can rank (ties kept for the sort).
            kth = np.partition(vals, len(vals) - k)[len(vals) - k]
            keep = np.flatnonzero(vals >= kth) if kth > 0 else np.flatnonzero(vals)
            cols, vals = cols[keep], vals[keep]
        order = np.lexsort((cols, -vals))[:k]
        ranked = [(c, v) for c, v in zip(cols[order].tolist(), vals[order].tolist(), strict=True) if v > 0]
        yield offset + r, ranked


def _blocked_top_k(
    n_rows: int, block_scores: Callable[[int, int], sparse.csr_matrix], k: int, block_rows: int
) -> list[list[tuple[int, float]]]:
    best: list[list[tuple[int, float]]] = [[] for _ in range(n_rows)]
    for start in range(0, n_rows, block_rows):
        stop = min(start + block_rows, n_rows)
        for row, ranked in _top_k_rows(block_scores(start, stop).tocsr(), start, k):
            best[row] = ranked
    return best


def top_k_weighted_jaccard(
    matrix: sparse.spmatrix, k: int = 10, weights: np.ndarray | None = None, *, block_rows: int = BLOCK_ROWS
) -> list[list[tuple[int, float]]]:
    """All-pairs top-k by weighted Jaccard for the rows of a rows-by-features 0/1 matrix.

    Returns, for every row, up to k `(other row, score)` pairs, best first (ties: lower index
    first); rows sharing nothing with a row are left out. `weights` (per feature) default to 1:
    plain Jaccard, |A ∩ B| / |A ∪ B|, what networkx's overlap_weighted_projected_graph gives.

    >>> m = sparse.csr_matrix(np.array([[1, 1, 0], [1, 1, 1], [0, 0, 1]]))
    >>> top_k_weighted_jaccard(m, k=1)
    [[(1, 0.6666666666666666)], [(0, 0.6666666666666666)], [(1, 0.3333333333333333)]]
    """
    m = sparse.csr_matrix(matrix, dtype=np.float64)
    m.data[:] = 1.0
    w = np.ones(m.shape[1]) if weights is None else np.asarray(weights, dtype=np.float64)
    return _blocked_top_k(m.shape[0], lambda a, b: _jaccard_block(m[a:b], m, w), k, block_rows)


# --------------------------------------------------------------------------- wording


_RUN = re.compile(r"\w+")


def char_ngrams(text: str, sizes: Iterable[int] = NGRAM_SIZES) -> list[str]:
    """Character n-grams of `text`, never across punctuation or spaces (width forms folded).

    N-grams that begin or end with a function character (FUNCTION_CHARACTERS) are left out.

    >>> char_ngrams("“三级友邻”的网络")
    ['三级', '级友', '友邻', '三级友', '级友邻', '网络']
    """
    grams: list[str] = []
    for run in _RUN.findall(unicodedata.normalize("NFKC", text)):
        for n in sizes:
            grams.extend(run[i : i + n] for i in range(len(run) - n + 1))
    return [g for g in grams if g[0] not in FUNCTION_CHARACTERS and g[-1] not in FUNCTION_CHARACTERS]


# --------------------------------------------------------------------------- the index


@dataclass
class SimilarityIndex:
    """The profiles as sparse matrices, ready to score. Rows are the zones with a profile (sorted
    by id); `features` has one column per (part, key), `weights` its kind weight times idf;
    `wording` one L2-normalised TF-IDF row per zone over `grams`."""

    profiles: PracticeProfiles
    zone_ids: list[str]
    columns: list[tuple[str, str]]
    features: sparse.csr_matrix
    weights: np.ndarray
    wording: sparse.csr_matrix
    grams: list[str]

    @classmethod
    def build(cls, profiles: PracticeProfiles) -> SimilarityIndex:
        zone_ids = sorted(profiles.profiles)
        columns = sorted(
            {(part, k) for z in zone_ids for part in SET_PARTS for k in profiles.profiles[z].features[part]}
        )
        at = {c: i for i, c in enumerate(columns)}
        features = _binary_matrix(
            [[at[(part, k)] for part in SET_PARTS for k in profiles.profiles[z].features[part]] for z in zone_ids],
            len(columns),
        )
        kind = np.array([FEATURE_WEIGHTS[part] for part, _ in columns])
        weights = kind * idf_weights(features)
        wording, grams = _term_frequencies([list(profiles.profiles[z].wording.values()) for z in zone_ids])
        # TF-IDF rows scaled to length 1, in place: the matrix is the biggest thing the index holds.
        wording.data *= idf_weights(wording)[wording.indices]
        squares = sparse.csr_matrix((wording.data**2, wording.indices, wording.indptr), shape=wording.shape)
        norms = np.sqrt(np.asarray(squares.sum(axis=1)).ravel())
        del squares
        norms[norms == 0] = 1.0
        wording.data *= np.repeat(1.0 / norms, np.diff(wording.indptr))
        return cls(profiles, zone_ids, columns, features, weights, wording, grams)

    def row_of(self, zone_id: str) -> int:
        return self._row[zone_id]

    def scores(self, start: int, stop: int) -> sparse.csr_matrix:
        """The score of rows start..stop against every row (sparse: pairs sharing nothing are absent)."""
        jaccard = _jaccard_block(self.features[start:stop], self.features, self.weights)
        cosine = self.wording[start:stop] @ self.wording.T
        return ((1.0 - WORDING_WEIGHT) * jaccard + WORDING_WEIGHT * cosine).tocsr()

    def top_pairs(self, k: int = 10, *, block_rows: int = BLOCK_ROWS) -> list[list[tuple[int, float]]]:
        """Every zone's k most similar zones (row index, score), best first."""
        ranked = self.rank_all(k, block_rows=block_rows)
        best: list[list[tuple[int, float]]] = [[] for _ in self.zone_ids]
        for source, target, score in zip(
            ranked.sources.tolist(), ranked.targets.tolist(), ranked.scores.tolist(), strict=True
        ):
            best[source].append((target, score))
        return best

    def rank_all(self, k: int = 10, *, block_rows: int = BLOCK_ROWS) -> RankedPairs:
        """Every zone's k most similar zones, best first (ties: the lower row first), zones scoring
        0 left out: the scores of a block of rows against all rows at a time, as dense arrays.

        The wording of a few thousand zones has n-grams most zones share, so nearly every pair
        scores above 0 and a sparse product would hold all n² of them: dense blocks cost the same
        arithmetic in a tenth of the memory and time. Zones with the same wording share its row
        of cosines, the n-grams most rows hold go through one dense matrix product (BLAS), the
        rest through a sparse one (_CosineRows), and the Jaccard part likewise (_JaccardRows).
        BLAS runs one thread here: its idle threads spin between the many small products and
        starve the numpy work around them (20 s against 13 s at 11,000 zones on a busy 2-core
        machine)."""
        n = len(self.zone_ids)
        if n == 0 or k <= 0:
            return RankedPairs.empty()
        with threadpool_limits(limits=1, user_api="blas"):
            return self._rank_all(n, k, block_rows)

    def _rank_all(self, n: int, k: int, block_rows: int) -> RankedPairs:
        wording_of, distinct = _distinct_rows(self.wording)
        cosine = _CosineRows(distinct)
        jaccard = _JaccardRows(self.features, self.weights)
        rows_per_block = max(1, min(block_rows, BLOCK_CELLS // n))
        by_wording = np.argsort(wording_of, kind="stable")  # a block then needs few distinct wording rows
        found: list[tuple[np.ndarray, ...]] = []
        for start in range(0, n, rows_per_block):
            rows = by_wording[start : start + rows_per_block]
            needed, at = np.unique(wording_of[rows], return_inverse=True)
            cosines = cosine.rows(needed)[at][:, wording_of]
            scores = jaccard.rows(rows)
            scores *= 1.0 - WORDING_WEIGHT
            scores += WORDING_WEIGHT * cosines
            scores[np.arange(len(rows)), rows] = 0.0  # a zone is not its own neighbour
            kin = self._lineage[rows].tocoo()  # nor are its own ancestors and descendants
            scores[kin.row, kin.col] = 0.0
            r, c, v = _top_k_dense(scores, k)
            found.append((rows[r], c, v, cosines[r, c]))
        sources, targets, scores_, cosines_ = (np.concatenate(parts) for parts in zip(*found, strict=True))
        order = np.argsort(sources, kind="stable")  # zone by zone, each best first as ranked
        return RankedPairs(sources[order], targets[order], scores_[order], cosines_[order])

    def describe_pairs(self, ranked: RankedPairs) -> list[dict[str, Any]]:
        """What `compare(..., explain=False)` says of each ranked pair, for all of them at once:
        `{"score", "parts", "shared"}` with the same rounding, sums in the same order."""
        m = len(ranked.sources)
        both = self.features[ranked.sources].multiply(self.features[ranked.targets]).tocsr()
        both.eliminate_zeros()
        pair = np.repeat(np.arange(m), np.diff(both.indptr))
        column = both.indices.astype(np.int64)
        held = self.weights[column] > 0
        pair, column = pair[held], column[held]
        part = self._part_index[column]
        # Each part's shared weight, summed one by one in compare's order (weight, then name).
        order = np.lexsort((self._weight_rank[column], part, pair))
        starts, sums = _segment_sums(pair[order] * len(SET_PARTS) + part[order], self.weights[column[order]])
        part_sums = np.zeros((m, len(SET_PARTS)))
        part_sums[pair[order][starts], part[order][starts]] = sums
        union = self._sizes[ranked.sources] + self._sizes[ranked.targets] - part_sums.sum(axis=1)
        share = np.divide(1.0 - WORDING_WEIGHT, union, out=np.zeros(m), where=union > 0)
        parts = share[:, None] * part_sums
        wording = WORDING_WEIGHT * ranked.cosines
        # Shared names part by part, each part's sorted by name.
        by_name = np.lexsort((self._name_rank[column], pair))
        names = [self._column_names[c] for c in column[by_name].tolist()]
        bounds = np.searchsorted(pair[by_name], np.arange(m + 1)).tolist()
        described = []
        for i, (values, said) in enumerate(zip(parts.tolist(), wording.tolist(), strict=True)):
            total = 0
            for value in values:
                total += value
            total += said
            described.append(
                {
                    "score": round(total, SCORE_DIGITS),
                    "parts": {
                        **{p: round(v, SCORE_DIGITS) for p, v in zip(SET_PARTS, values, strict=True)},
                        "wording": round(said, SCORE_DIGITS),
                    },
                    "shared": names[bounds[i] : bounds[i + 1]],
                }
            )
        return described

    @cached_property
    def _lineage(self) -> sparse.csr_matrix:
        """Row by row, the rows of the zone's own ancestors and descendants (ranked as no peers)."""
        row = self._row
        pairs = [(row[z], row[k]) for z, kin in self.profiles.lineage.items() if z in row for k in kin if k in row]
        n = len(self.zone_ids)
        r = np.array([a for a, _ in pairs], dtype=np.int64)
        c = np.array([b for _, b in pairs], dtype=np.int64)
        return sparse.csr_matrix((np.ones(len(pairs)), (r, c)), shape=(n, n))

    @cached_property
    def _sizes(self) -> np.ndarray:
        return np.asarray(self.features @ self.weights).ravel()

    @cached_property
    def _part_index(self) -> np.ndarray:
        return np.array([SET_PARTS.index(part) for part, _ in self.columns], dtype=np.int64)

    @cached_property
    def _column_names(self) -> list[str]:
        return [self.profiles.feature_names[c][0] for c in self.columns]

    @cached_property
    def _name_rank(self) -> np.ndarray:
        """Rank of each column by part, then name: the order of compare's `shared`."""
        ranked = sorted(range(len(self.columns)), key=lambda i: (self._part_index[i], self._column_names[i]))
        return _ranks(ranked)

    @cached_property
    def _weight_rank(self) -> np.ndarray:
        """Rank of each column by weight (heaviest first), part, then name: compare's order."""
        ranked = sorted(
            range(len(self.columns)),
            key=lambda i: (-self._weight_of[self.columns[i]], self._part_index[i], self._column_names[i]),
        )
        return _ranks(ranked)

    @cached_property
    def _weight_of(self) -> dict[tuple[str, str], float]:
        return {c: float(w) for c, w in zip(self.columns, self.weights, strict=True)}

    @cached_property
    def _row(self) -> dict[str, int]:
        return {z: i for i, z in enumerate(self.zone_ids)}

    def compare(self, zone_id: str, other_id: str, *, explain: bool = True) -> dict[str, Any]:
        """Score, parts and explanation of one pair, from the profiles (the formula `scores` uses).
        Without `explain`, the explanation (and the shared wording it lists) is left out."""
        a, b = self.profiles.profiles[zone_id], self.profiles.profiles[other_id]
        weight_of = self._weight_of
        mine = {(part, k) for part in SET_PARTS for k in a.features[part]}
        theirs = {(part, k) for part in SET_PARTS for k in b.features[part]}
        union = sum(weight_of[c] for c in mine | theirs)
        share = (1.0 - WORDING_WEIGHT) / union if union else 0.0
        shared = sorted(
            (c for c in mine & theirs if weight_of[c] > 0),
            key=lambda c: (-weight_of[c], SET_PARTS.index(c[0]), self.profiles.feature_names[c][0]),
        )
        parts = {part: share * sum(weight_of[c] for c in shared if c[0] == part) for part in SET_PARTS}
        explanation: list[dict[str, Any]] = []
        for part, key in shared if explain else ():
            name, name_en = self.profiles.feature_names[(part, key)]
            explanation.append(
                {
                    "part": part,
                    "feature": name,
                    "feature_en": name_en,
                    "weight": round(share * weight_of[(part, key)], SCORE_DIGITS),
                    "this_zone": [s.to_dict() for s in a.features[part][key]],
                    "other_zone": [s.to_dict() for s in b.features[part][key]],
                }
            )
        row = self._row
        products = self.wording[row[zone_id]].multiply(self.wording[row[other_id]]).tocsr()
        parts["wording"] = WORDING_WEIGHT * float(products.sum())
        if explain:
            explanation.extend(self._wording_explanation(a, b, products))
        explanation.sort(key=lambda item: -item["weight"])  # stable: ties keep the order above

        def names(part: str) -> list[str]:
            return sorted(self.profiles.feature_names[c][0] for c in shared if c[0] == part)

        answer = {
            "zone": b.zone.name,
            "zone_id": b.zone.id,
            "score": round(sum(parts.values()), SCORE_DIGITS),
            "shared": [n for part in SET_PARTS for n in names(part)],
            "shared_mechanisms": names("mechanisms"),
            "shared_categories": names("categories"),
            "shared_organisation_kinds": names("organisations"),
            "shared_policy_kinds": names("policies"),
            "shared_wording": [item["feature"] for item in explanation if item["part"] == "wording"],
            "parts": {part: round(parts[part], SCORE_DIGITS) for part in PARTS},
            "explanation": explanation,
        }
        if not explain:
            del answer["shared_wording"], answer["explanation"]
        return answer

    def _wording_explanation(self, a: ZoneProfile, b: ZoneProfile, products: sparse.csr_matrix) -> list[dict[str, Any]]:
        """The longest strings both zones' wording holds, ranked by the part of the wording score
        that comes from the n-grams inside them, each with the mechanisms on both sides using it."""
        contribution = {
            self.grams[i]: WORDING_WEIGHT * float(v) for i, v in zip(products.indices, products.data, strict=True)
        }
        listed: list[dict[str, Any]] = []
        for text, weight in shared_strings(list(a.wording.values()), list(b.wording.values()), contribution):
            if round(weight, SCORE_DIGITS) <= 0 or len(listed) == WORDING_SHOWN:
                break
            listed.append(
                {
                    "part": "wording",
                    "feature": text,
                    "feature_en": text,
                    "weight": round(weight, SCORE_DIGITS),
                    "this_zone": _wording_supports(a, text),
                    "other_zone": _wording_supports(b, text),
                }
            )
        return listed


def shared_strings(
    texts: list[str], other_texts: list[str], contribution: dict[str, float], longest: int = 16
) -> list[tuple[str, float]]:
    """The maximal strings (2 to `longest` characters, within a run of word characters) found in
    both groups of texts, with the summed `contribution` of the distinct n-grams inside each;
    those adding nothing are left out. Best first.

    >>> shared_strings(["友邻议事会"], ["社区议事会"], {"议事": 0.25, "事会": 0.25, "议事会": 0.5})
    [('议事会', 1.0)]
    """
    theirs: set[str] = set()
    for run in _runs(other_texts):
        for i in range(len(run)):
            theirs.update(run[i : i + n] for n in range(2, min(longest, len(run) - i) + 1))
    found: set[str] = set()
    for run in _runs(texts):
        for i in range(len(run) - 1):
            for n in range(2, min(longest, len(run) - i) + 1):
                if run[i : i + n] not in theirs:
                    break  # a longer string starting here holds this one, so it is not shared either
                found.add(run[i : i + n])
    maximal = {s.strip("".join(FUNCTION_CHARACTERS)) for s in found if not any(s != t and s in t for t in found)}
    weighted = [(s, sum(contribution.get(g, 0.0) for g in set(char_ngrams(s)))) for s in maximal if len(s) > 1]
    return sorted(((s, w) for s, w in weighted if w > 0), key=lambda item: (-item[1], item[0]))


def _runs(texts: Iterable[str]) -> Iterator[str]:
    for text in texts:
        yield from _RUN.findall(unicodedata.normalize("NFKC", text))


def _wording_supports(profile: ZoneProfile, gram: str) -> list[dict[str, Any]]:
    return [
        Support(name, "WORDING", profile.mechanism_evidence.get(name, ())).to_dict()
        for name, text in sorted(profile.wording.items())
        if gram in unicodedata.normalize("NFKC", text)
    ]


@dataclass(frozen=True)
class RankedPairs:
    """Pairs of zone rows, zone by zone and best first within a zone: `sources[i]` is like
    `targets[i]` with `scores[i]`, whose wording part is WORDING_WEIGHT · `cosines[i]`."""

    sources: np.ndarray
    targets: np.ndarray
    scores: np.ndarray
    cosines: np.ndarray

    @classmethod
    def empty(cls) -> RankedPairs:
        none = np.zeros(0, dtype=np.int64)
        return cls(none, none, np.zeros(0), np.zeros(0))


def _term_frequencies(texts_by_row: list[list[str]]) -> tuple[sparse.csr_matrix, list[str]]:
    """1 + ln(tf) of the character n-grams of each row's texts together, and the n-grams (sorted)
    the columns stand for. Each distinct text is cut into n-grams once, however many rows hold it:
    a mechanism's name and description come back in every zone that reaches it."""
    text_at: dict[str, int] = {}
    rows: list[int] = []
    held: list[int] = []
    for r, texts in enumerate(texts_by_row):
        for text in texts:
            rows.append(r)
            held.append(text_at.setdefault(text, len(text_at)))
    holds = sparse.csr_matrix(
        (np.ones(len(rows)), (rows, held)), shape=(len(texts_by_row), len(text_at)), dtype=np.float64
    )  # a text a row holds twice counts twice, as in the texts joined
    gram_at: dict[str, int] = {}
    text_rows: list[int] = []
    text_cols: list[int] = []
    text_counts: list[int] = []
    for t, text in enumerate(text_at):
        for gram, count in Counter(char_ngrams(text)).items():
            text_rows.append(t)
            text_cols.append(gram_at.setdefault(gram, len(gram_at)))
            text_counts.append(count)
    grams = sorted(gram_at)
    sorted_at = np.empty(len(grams), dtype=np.int64)
    sorted_at[[gram_at[g] for g in grams]] = np.arange(len(grams))
    text_grams = sparse.csr_matrix(
        (np.asarray(text_counts, dtype=np.float64), (text_rows, sorted_at[np.asarray(text_cols, dtype=np.int64)])),
        shape=(len(text_at), len(grams)),
    )
    counts = (holds @ text_grams).tocsr()  # whole numbers, exact in floating point
    del holds, text_grams
    counts.sort_indices()
    tf = np.rint(counts.data).astype(np.int32)
    sublinear = np.array([0.0, *(1.0 + math.log(c) for c in range(1, int(tf.max(initial=0)) + 1))])
    counts.data = sublinear[tf]  # the very floats of 1 + math.log(tf)
    return counts, grams


def _distinct_rows(matrix: sparse.csr_matrix) -> tuple[np.ndarray, sparse.csr_matrix]:
    """Each row's index among the distinct rows of `matrix`, and those distinct rows."""
    m = matrix if matrix.has_sorted_indices else matrix.sorted_indices()
    first: dict[tuple[bytes, bytes], int] = {}
    of = np.empty(m.shape[0], dtype=np.int64)
    for r in range(m.shape[0]):
        lo, hi = m.indptr[r], m.indptr[r + 1]
        of[r] = first.setdefault((m.indices[lo:hi].tobytes(), m.data[lo:hi].tobytes()), len(first))
    _, kept = np.unique(of, return_index=True)  # ids count up from 0 in order of first sight
    return of, m[kept]


def _dense_columns(matrix: sparse.csr_matrix) -> np.ndarray:
    """The columns more than DENSE_SHARE of the rows hold: cheaper in a dense product (one pass of
    BLAS over rows x rows) than in a sparse one (work growing with the square of the column's count)."""
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    return df > DENSE_SHARE * matrix.shape[0]


class _CosineRows:
    """Dot products of chosen rows of an L2-normalised matrix with all its rows, as dense arrays."""

    def __init__(self, matrix: sparse.csr_matrix) -> None:
        dense = _dense_columns(matrix)
        self.dense = matrix[:, np.flatnonzero(dense)].toarray()
        self.sparse = matrix[:, np.flatnonzero(~dense)].tocsr()
        self.sparse_t = self.sparse.T.tocsr()

    def rows(self, rows: np.ndarray) -> np.ndarray:
        out = self.dense[rows] @ self.dense.T
        _add_sparse(out, self.sparse[rows] @ self.sparse_t)
        return out


class _JaccardRows:
    """Weighted Jaccard of chosen rows of a 0/1 matrix with all its rows, as dense arrays (0 where
    a pair shares nothing): shared weight / (weight of one + weight of the other - shared)."""

    def __init__(self, matrix: sparse.csr_matrix, weights: np.ndarray) -> None:
        dense = np.flatnonzero(_dense_columns(matrix))
        rest = np.flatnonzero(~_dense_columns(matrix))
        self.dense = matrix[:, dense].toarray()
        self.dense_weighted = self.dense * weights[dense]
        self.sparse_weighted = (matrix[:, rest] @ sparse.diags(weights[rest])).tocsr()
        self.sparse_t = matrix[:, rest].T.tocsr()
        self.sizes = np.asarray(matrix @ weights).ravel()

    def rows(self, rows: np.ndarray) -> np.ndarray:
        shared = self.dense_weighted[rows] @ self.dense.T
        _add_sparse(shared, self.sparse_weighted[rows] @ self.sparse_t)
        union = np.add.outer(self.sizes[rows], self.sizes)
        union -= shared
        return np.divide(shared, union, out=shared, where=union > 0)


def _add_sparse(dense: np.ndarray, product: sparse.spmatrix) -> None:
    """dense += product, touching only the product's stored entries (a sparse product stores
    each (row, column) once)."""
    entries = product.tocoo()
    dense[entries.row, entries.col] += entries.data


def _top_k_dense(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, column, score) of each row's k best columns scoring above 0, row by row, best first,
    ties broken by the lower column."""
    n = scores.shape[1]
    keep = scores > 0
    if k < n:  # only values at least as good as the k-th best can rank (ties kept for the sort)
        keep &= scores >= np.partition(scores, n - k, axis=1)[:, n - k : n - k + 1]
    r, c = np.nonzero(keep)
    v = scores[r, c]
    order = np.lexsort((c, -v, r))
    r, c, v = r[order], c[order], v[order]
    rank = np.arange(len(r)) - np.searchsorted(r, r)
    return r[rank < k], c[rank < k], v[rank < k]


def _segment_sums(segments: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each run of equal `segments` (sorted) starts, and the sum of its values added one by
    one from the left as Python's sum does, so the floats are those of a plain loop."""
    if len(segments) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    starts = np.flatnonzero(np.r_[True, segments[1:] != segments[:-1]])
    lengths = np.diff(np.r_[starts, len(segments)])
    sums = np.zeros(len(starts))
    for j in range(int(lengths.max())):
        live = lengths > j
        sums[live] += values[starts[live] + j]
    return starts, sums


def _ranks(order: list[int]) -> np.ndarray:
    ranks = np.empty(len(order), dtype=np.int64)
    ranks[order] = np.arange(len(order))
    return ranks


def _binary_matrix(rows: list[list[int]], n_columns: int) -> sparse.csr_matrix:
    indptr = np.cumsum([0, *(len(r) for r in rows)])
    indices = np.array([c for r in rows for c in r], dtype=np.int64)
    data = np.ones(len(indices), dtype=np.float64)
    matrix = sparse.csr_matrix((data, indices, indptr), shape=(len(rows), n_columns))
    matrix.sort_indices()
    return matrix


# --------------------------------------------------------------------------- answers


def _no_profile_note(name: str) -> str:
    return (
        f"{name} 在图中没有采用任何机制，无法比较相似度。"
        f" | {name} adopts no mechanism in the graph, so there is nothing to compare;"
        " load a case that names its mechanisms."
    )


def similar_zones(store: GraphStore, zone: str, top: int = 10) -> dict[str, Any]:
    """Zones most like `zone`, best first.

    `{"zone", "zone_id", "similar": [{"zone", "zone_id", "score", "shared", "shared_mechanisms",
    "shared_categories", "shared_organisation_kinds", "shared_policy_kinds", "shared_wording",
    "parts": {part: value}, "explanation": [{"part", "feature", "feature_en", "weight", "this_zone":
    [support], "other_zone": [support]}]}]}`, where a support is `{"via", "relation", "cue"?,
    "evidence": [{"document", "text", "start", "end"}]}` and an explanation item's `weight` is its
    share of the score (best first). Scores and parts are rounded to four decimals; zones scoring 0
    are left out. A zone with no mechanisms, or one that shares nothing, gets an empty list and a
    `note` saying why.
    """
    profiles = profiles_from_graph(practice_graph(store))
    return similar_in_profiles(profiles, zone, top)


def similar_in_profiles(profiles: PracticeProfiles, zone: str, top: int = 10) -> dict[str, Any]:
    """`similar_zones` on profiles already read (see there)."""
    me = profiles.zone(zone)
    answer: dict[str, Any] = {"zone": me.name, "zone_id": me.id, "similar": []}
    if me.id not in profiles.profiles:
        answer["note"] = _no_profile_note(me.name)
        return answer
    index = SimilarityIndex.build(profiles)
    row = index.row_of(me.id)
    scores = index.scores(row, row + 1)
    kin = profiles.lineage.get(me.id, frozenset())
    candidates = [
        index.zone_ids[c]
        for c, v in zip(scores.indices, scores.data, strict=True)
        if c != row and v > 0 and index.zone_ids[c] not in kin
    ]
    ranked = [index.compare(me.id, other) for other in candidates]
    ranked = [r for r in ranked if r["score"] > 0]
    ranked.sort(key=lambda item: (-item["score"], item["zone"], item["zone_id"]))
    answer["similar"] = ranked[: max(top, 0)]
    if not ranked:
        answer["note"] = (
            f"没有其他地区与{me.name}共享机制、类别、组织或政策类型或措辞。"
            f" | No other zone shares a mechanism, category, kind of organisation or policy, or wording with {me.name}."
        )
    return answer


def top_similar_pairs(profiles: PracticeProfiles, top: int = 10) -> list[tuple[str, str, float]]:
    """Every profiled zone's `top` most similar zones as (zone id, other zone id, score), best
    first per zone; pairs scoring 0 are left out."""
    index = SimilarityIndex.build(profiles)
    return [
        (index.zone_ids[r], index.zone_ids[c], score)
        for r, ranked in enumerate(index.top_pairs(top))
        for c, score in ranked
    ]


def refresh_similarity(store: GraphStore, top: int = 10) -> WriteSummary:
    """Replace every SIMILAR_TO relationship by each zone's `top` most similar zones:
    `(zone)-[:SIMILAR_TO {score, parts, shared}]->(other)`, `parts` a JSON object of the score's
    parts, `shared` the names of the shared features. In one transaction: old edges go only if
    the new ones are written."""
    return store.replace_relationships("SIMILAR_TO", _similar_to_edges(store, top))


def _similar_to_edges(store: GraphStore, top: int) -> list[Edge]:
    """The SIMILAR_TO relationships refresh_similarity writes (a function of its own so that the
    profiles and the index are freed before the store writes)."""
    read = practice_graph(store, evidence=False, relationships=_PROFILE_RELATIONSHIPS)
    index = SimilarityIndex.build(profiles_from_graph(read, supports=False))
    del read
    ranked = index.rank_all(top)
    return [
        Edge(
            "SIMILAR_TO",
            index.zone_ids[source],
            index.zone_ids[target],
            [],
            {
                "score": pair["score"],
                "parts": json.dumps(pair["parts"], ensure_ascii=False, sort_keys=True),
                "shared": pair["shared"],
            },
        )
        for source, target, pair in zip(
            ranked.sources.tolist(), ranked.targets.tolist(), index.describe_pairs(ranked), strict=True
        )
        if pair["score"] > 0
    ]


def zone_feature_graph(store: GraphStore) -> nx.Graph:
    """A bipartite graph: zone ids on one side, their features on the other (node attribute
    `kind` is zone or the part: mechanisms, categories, organisations, policies; features carry
    `name` and `weight`, their kind weight times idf). The base for other similarities (simrank)."""
    profiles = profiles_from_graph(practice_graph(store))
    index = SimilarityIndex.build(profiles)
    g = nx.Graph()
    for z in profiles.zones:
        g.add_node(z.id, kind="zone", name=z.name)
    for zone_id, profile in profiles.profiles.items():
        for part in SET_PARTS:
            for key in profile.features[part]:
                name = profiles.feature_names[(part, key)][0]
                node = key if part in ("mechanisms", "categories") else name  # ids, or organisation:party
                g.add_node(node, kind=part, name=name, weight=index._weight_of[(part, key)])
                g.add_edge(zone_id, node)
    return g
