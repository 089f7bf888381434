"""The answers callers ask for: a zone's most similar zones (`similar_zones`), the best pairs,
the SIMILAR_TO relationships written to the store, and the zone-feature graph."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import numpy as np

from govkg.graph.merge import paused_gc
from govkg.graph.similarity.incremental import STATE_SUFFIX, RankState, load_state, rank_exact, save_state
from govkg.graph.similarity.index import SimilarityIndex
from govkg.graph.similarity.parts import PARTS, SCORE_DIGITS, SET_PARTS
from govkg.graph.similarity.profiles import (
    PROFILE_RELATIONSHIPS,
    PracticeProfiles,
    practice_graph,
    profiles_from_graph,
    supported_profiles,
)
from govkg.graph.similarity.results import SimilarZones
from govkg.graph.store import GraphStore, RelationshipTable, WriteSummary
from govkg.resources import user_cache_dir

# Scores are reported (and ranked) rounded to SCORE_DIGITS: a candidate whose unrounded score is within
# two steps of that rounding below the top-th can tie it once rounded, and is explained too.
RANK_MARGIN = 2 * 10.0**-SCORE_DIGITS


def similar_zones(store: GraphStore, zone: str, top: int = 10) -> SimilarZones:
    """Zones most like `zone`, best first, each explained (results.SimilarZone): every shared
    feature with its share of the score and the supports on both sides. Scores and parts are
    rounded to four decimals; zones scoring 0 are left out. A zone with no mechanisms, or one that
    shares nothing, gets an empty list and a `note` code saying why. Every zone is scored from the
    store read without evidence; only the zones explained are read with theirs.
    """
    profiles = bare_profiles(store)
    return similar_in_profiles(profiles, zone, top, supported=lambda ids: supported_profiles(store, ids))


def bare_profiles(store: GraphStore) -> PracticeProfiles:
    """Every zone's profile without supports: what scores, rankings and families need (at 100,000
    nodes less than half the time of a read with evidence, docs/measured.md)."""
    return profiles_from_graph(practice_graph(store, evidence=False, relationships=PROFILE_RELATIONSHIPS),
                               supports=False)  # fmt: skip


def similar_in_profiles(profiles: PracticeProfiles, zone: str, top: int = 10,
                        index: SimilarityIndex | None = None,
                        supported: Callable[[list[str]], PracticeProfiles] | None = None) -> SimilarZones:  # fmt: skip
    """`similar_zones` on profiles already read (see there); `index`: the profiles' index, when the
    caller keeps one; `supported`: the profiles of the given zones with their supports, for profiles
    read without (`bare_profiles`): asked once, for the zone and those explained."""
    me = profiles.zone(zone)
    if me.id not in profiles.profiles:
        return SimilarZones(me.name, me.id, (), "no_mechanisms")
    index = SimilarityIndex.build(profiles) if index is None else index
    row = index.row_of(me.id)
    scores = index.scores(row, row + 1)
    kin = profiles.lineage.get(me.id, frozenset())
    scored = sorted(
        ((float(v), index.zone_ids[c]) for c, v in zip(scores.indices, scores.data, strict=True)
         if c != row and v > 0 and index.zone_ids[c] not in kin),
        reverse=True,
    )  # fmt: skip
    if 0 < top < len(scored):
        # Only the best are explained: at 10,000 zones nearly every zone shares some wording with this
        # one, and explaining them all took minutes. Those within RANK_MARGIN of the top-th are kept,
        # so ties of the rounded scores (ordered by name below) cannot change who is in.
        floor = scored[top - 1][0] - RANK_MARGIN
        scored = [s for s in scored if s[0] >= floor]
    explained = supported([me.id, *(other for _, other in scored)]) if supported is not None and scored else None
    ranked = [index.compare(me.id, other, supported=explained) for _, other in scored]
    ranked = [r for r in ranked if r.score > 0]
    ranked.sort(key=lambda item: (-item.score, item.zone, item.zone_id))
    return SimilarZones(me.name, me.id, tuple(ranked[: max(top, 0)]), None if ranked else "nothing_shared")


def top_similar_pairs(
    profiles: PracticeProfiles, top: int = 10, *, index: SimilarityIndex | None = None, state: RankState | None = None
) -> list[tuple[str, str, float]]:
    """Every profiled zone's `top` most similar zones as (zone id, other zone id, score), best
    first per zone; pairs scoring 0 are left out. Scores are rounded as SIMILAR_TO's are. `index`:
    the profiles' index, when the caller keeps one; `state`: the ranking state the last refresh
    kept (`stored_ranking_state`), to rank from (exact all the same; a state of the profiles as they
    are ranks 37,000 zones in seconds instead of a minute and more, docs/measured.md)."""
    index = SimilarityIndex.build(profiles) if index is None else index
    if state is not None and state.k >= top > 0:
        ranked, _ = rank_exact(index, profiles, state.k, state)
        # Each zone's pairs are best first: its first `top` are its `top` best.
        keep = np.arange(len(ranked.sources)) - np.searchsorted(ranked.sources, ranked.sources) < top
        sources, targets, scores = ranked.sources[keep], ranked.targets[keep], ranked.scores[keep]
    else:
        ranked = index.rank_all(top)
        sources, targets, scores = ranked.sources, ranked.targets, ranked.scores
    return [
        (index.zone_ids[s], index.zone_ids[t], round(score, SCORE_DIGITS))
        for s, t, score in zip(sources.tolist(), targets.tolist(), scores.tolist(), strict=True)
        if round(score, SCORE_DIGITS) > 0
    ]


def stored_ranking_state(store: GraphStore, top: int = 10) -> RankState | None:
    """The ranking state the store's last similarity refresh kept, if it ranked `top` or more zones
    a zone (a state that no longer fits the data costs time in `top_similar_pairs`, never exactness)."""
    return load_state(state_path(store), top, or_more=True)


def refresh_similarity(store: GraphStore, top: int = 10) -> WriteSummary:
    """Replace every SIMILAR_TO relationship by each zone's `top` most similar zones:
    `(zone)-[:SIMILAR_TO {score, parts, shared}]->(other)`, `parts` a JSON object of the score's
    parts, `shared` the names of the shared features. In one transaction: old edges go only if
    the new ones are written. The ranking starts from the state the last refresh left beside the
    store (incremental.py) and is the same as a full one; only relationships that change are written."""
    path = state_path(store)
    # The profiles, the index and the table are built of objects that all stay alive until the table
    # is made, none of them in cycles: each collection the collector ran walked them all for nothing
    # (a first refresh at 10,000 documents 42.8-44.4 -> 34.3-40.3 s, docs/measured.md). The release
    # below collects once.
    with paused_gc():
        table, state = _similar_to_table(store, top, load_state(path, top))
    # The pages the read of the profiles left in the engine, and the profiles' and the index's memory,
    # before the store writes.
    store.release_memory()
    summary = store.replace_relationships("SIMILAR_TO", table)
    if path is not None:
        if _staging(store, path):  # kept once the write lands (keep_state), never before
            _PENDING[path] = state
        else:
            save_state(state, path)
    return summary


_PENDING: dict[Path, RankState] = {}  # state file -> the state of a refresh inside a staged write


def keep_state(store: GraphStore) -> None:
    """Save the ranking state a refresh inside `store.staged()` left, once the staged write has landed
    (a write that fails leaves no state of data the store never held). Without it the next refresh
    ranks in full."""
    path = state_path(store)
    if path is None or _staging(store, path):
        return  # an outer staged block has not landed yet: its caller keeps the state
    state = _PENDING.pop(path, None)
    if state is not None:
        save_state(state, path)


def _staging(store: GraphStore, path: Path) -> bool:
    """Whether `store` is an embedded store staging a write (its data is not the file's yet)."""
    return getattr(store, "path", None) == path.with_name(path.name.removesuffix(STATE_SUFFIX)) and (
        store.data_token() is None
    )


def state_path(store: GraphStore) -> Path | None:
    """Where the ranking state of `store` is kept: beside an embedded store's file, in the per-user
    cache for a server (one file per server and database), nowhere for a store that names neither."""
    path = getattr(store, "path", None)
    if isinstance(path, Path):
        return path.with_name(path.name + STATE_SUFFIX)
    token = store.data_token()
    if token is None:
        return None
    digest = hashlib.sha256(token.where.encode("utf-8")).hexdigest()[:20]
    return user_cache_dir() / "similarity" / f"{digest}{STATE_SUFFIX}"


# The JSON of a pair's parts, keys sorted, as json.dumps(..., sort_keys=True) writes it (floats by
# repr, as json does): one format a row instead of an encoder's walk (372,650 rows: 1.0 -> 0.36 s).
_PARTS_ORDER = sorted(range(len(PARTS)), key=lambda i: PARTS[i])
_PARTS_JSON = "{" + ", ".join(f'"{PARTS[i]}": %r' for i in _PARTS_ORDER) + "}"


def parts_json(values: tuple[float, ...]) -> str:
    """The stored `parts` of a SIMILAR_TO: its values (in PARTS order) by name, as a JSON object."""
    return _PARTS_JSON % tuple(values[i] for i in _PARTS_ORDER)


def full_similar_to_table(store: GraphStore, top: int) -> RelationshipTable:
    """The SIMILAR_TO relationships a full ranking of the store gives, without writing them (what a
    refresh must leave stored, whatever state it started from)."""
    table, _ = _similar_to_table(store, top)
    return table


def _similar_to_table(
    store: GraphStore, top: int, state: RankState | None = None
) -> tuple[RelationshipTable, RankState]:
    """The SIMILAR_TO relationships refresh_similarity writes, as columns, and the ranking state to
    keep (a function of its own so that the profiles and the index are freed before the store writes)."""
    read = practice_graph(store, evidence=False, relationships=PROFILE_RELATIONSHIPS)
    # The store's pending checkpoint (a small load's write, govkg/services/loading.py) runs beside the
    # ranking, which needs the store no more.
    with store.settling():
        profiles = profiles_from_graph(read, supports=False)
        del read
        index = SimilarityIndex.build(profiles)
        ranked, kept = rank_exact(index, profiles, top, state)
        described = index.describe_pairs(ranked)
    written = [i for i, score in enumerate(described.scores) if score > 0]
    ids = index.zone_ids
    sources, targets = ranked.sources.tolist(), ranked.targets.tolist()
    table = RelationshipTable(
        "SIMILAR_TO",
        [ids[sources[i]] for i in written],
        [ids[targets[i]] for i in written],
        {
            "score": [described.scores[i] for i in written],
            "parts": [parts_json(described.parts[i]) for i in written],
            "shared": [list(described.shared[i]) for i in written],
        },
        disposable=True,  # built to be written: the store may let go of the rows once it holds them
    )
    return table, kept


def zone_feature_graph(store: GraphStore) -> nx.Graph:
    """A bipartite graph: zone ids on one side, their features on the other (node attribute
    `kind` is zone or the part: mechanisms, categories, organisations, policies; features carry
    `name` and `weight`, their kind weight times idf). The base for other similarities (simrank)."""
    profiles = bare_profiles(store)
    index = SimilarityIndex.build(profiles)
    g = nx.Graph()
    for z in profiles.zones:
        g.add_node(z.id, kind="zone", name=z.name)
    for zone_id, profile in profiles.profiles.items():
        for part in SET_PARTS:
            for key in profile.features[part]:
                name = profiles.feature_names[(part, key)][0]
                node = key if part in ("mechanisms", "categories") else name  # ids, or organisation:party
                g.add_node(node, kind=part, name=name, weight=index.weight_of[(part, key)])
                g.add_edge(zone_id, node)
    return g
