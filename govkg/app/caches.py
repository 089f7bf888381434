"""What pages read from the store, kept per data version (the store's counts): after a load the
next run reads afresh. Shared, not copied (st.cache_resource): pages must not change what they get."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import networkx as nx
import streamlit as st

from govkg.app.connection import current_settings, data_version, forgotten_on_release, store_key
from govkg.app.explore import Membership, membership_of
from govkg.app.overview import CategoryCount, category_counts
from govkg.app.results import DataVersion, ResultMeta, store_data_version
from govkg.app.search import NodeEntry, node_entries
from govkg.app.similar_display import busiest_zone
from govkg.graph.analytics import graph_of_pairs, zone_families
from govkg.graph.model import GraphDocument
from govkg.graph.places import Provinces, ZonePlace, provinces_from_store, zone_places_from_store
from govkg.graph.similarity import (
    PracticeProfiles,
    SimilarityIndex,
    SimilarZones,
    bare_profiles,
    similar_in_profiles,
    stored_ranking_state,
    supported_profiles,
    top_similar_pairs,
)
from govkg.graph.store import GraphStore
from govkg.services.loading import DEFAULT_SIMILAR_TOP

CACHE_SECONDS = 600
FAMILY_LINKS = DEFAULT_SIMILAR_TOP  # each zone's links in the families: SIMILAR_TO's, so the kept ranking state fits


# Shared, not copied (st.cache_resource): pages only read these, and a copy per rerun of a whole
# snapshot would cost more than building the picture. The counts in `version` refresh them after a load.
@forgotten_on_release
@st.cache_resource(ttl=CACHE_SECONDS, max_entries=4, show_spinner=False)
def cached_node_entries(key: str, version: tuple[tuple[str, int], ...], _store: GraphStore) -> list[NodeEntry]:
    return node_entries(_store)


@forgotten_on_release
@st.cache_resource(ttl=CACHE_SECONDS, max_entries=6, show_spinner=False)
def cached_captions(key: str, version: tuple[tuple[str, int], ...], _store: GraphStore, lang: str) -> dict[str, str]:
    """Every node's caption in a picker, worded once per data version and language: a picker words all
    its options on every run (37,000 zones took most of a second)."""
    return {e.id: e.caption() for e in cached_node_entries(key, version, _store)}


@forgotten_on_release
@st.cache_resource(ttl=CACHE_SECONDS, max_entries=2, show_spinner=False)
def cached_busiest_zone(key: str, version: tuple[tuple[str, int], ...], _store: GraphStore) -> str | None:
    """The zone with the most mechanisms, where the explore and similar-zones pages open."""
    return busiest_zone(_store)


@forgotten_on_release
@st.cache_resource(ttl=CACHE_SECONDS, max_entries=2, show_spinner=False)
def cached_snapshot(key: str, version: tuple[tuple[str, int], ...], _store: GraphStore) -> GraphDocument:
    return _store.snapshot()


def result_meta(store: GraphStore, query: str, title: str, parameters: Mapping[str, Any]) -> ResultMeta:
    """Where a result came from, for its downloads."""
    version = cached_version(store_key(current_settings()), data_version(store), store)
    return ResultMeta(query, title, dict(parameters), store.engine, version)


@forgotten_on_release
@st.cache_resource(ttl=CACHE_SECONDS, max_entries=4, show_spinner=False)
def cached_version(key: str, version: tuple[tuple[str, int], ...], _store: GraphStore) -> DataVersion:
    return store_data_version(_store)


def graph_of_nodes(store: GraphStore, ids: list[str]) -> GraphDocument:
    """The nodes with these ids and the relationships among them, from the cached snapshot."""
    snapshot = cached_snapshot(store_key(current_settings()), data_version(store), store)
    wanted = set(ids)
    nodes = [n for n in snapshot.nodes if n.id in wanted]
    edges = [e for e in snapshot.edges if e.source in wanted and e.target in wanted]
    return GraphDocument([d for d in snapshot.documents if d.id in wanted], nodes, edges)


@forgotten_on_release
@st.cache_resource(ttl=CACHE_SECONDS, max_entries=2, show_spinner=False)
def cached_profiles(key: str, version: tuple[tuple[str, int], ...], _store: GraphStore) -> PracticeProfiles:
    """Every zone's practice profile (graph/similarity) without supports, read once per data version:
    what scores, rankings and families need. What a page explains comes from `cached_supported`."""
    return bare_profiles(_store)


@forgotten_on_release
@st.cache_resource(ttl=CACHE_SECONDS, max_entries=64, show_spinner=False)
def cached_supported(key: str, version: tuple[tuple[str, int], ...], _store: GraphStore,
                     zone_ids: tuple[str, ...]) -> PracticeProfiles:
    """The profiles of a few zones with their supports (the evidence a comparison shows)."""
    return supported_profiles(_store, zone_ids)


@forgotten_on_release
@st.cache_resource(ttl=CACHE_SECONDS, max_entries=2, show_spinner=False)
def cached_index(key: str, version: tuple[tuple[str, int], ...], _store: GraphStore) -> SimilarityIndex:
    """The profiles as sparse matrices, to score any pair of zones."""
    return SimilarityIndex.build(cached_profiles(key, version, _store))


@forgotten_on_release
@st.cache_resource(ttl=CACHE_SECONDS, max_entries=64, show_spinner=False)
def cached_similar(key: str, version: tuple[tuple[str, int], ...], _store: GraphStore, zone_id: str,
                   top: int) -> SimilarZones:
    """A zone's ranking with explanations (graph/similarity), kept per data version: readers who
    open the same zone share it. Pages must not change it."""
    return similar_in_profiles(cached_profiles(key, version, _store), zone_id, top,
                               cached_index(key, version, _store), lambda ids: supported_profiles(_store, ids))


@forgotten_on_release
@st.cache_resource(ttl=CACHE_SECONDS, max_entries=2, show_spinner=False)
def cached_top_pairs(key: str, version: tuple[tuple[str, int], ...],
                     _store: GraphStore) -> list[tuple[str, str, float]]:
    """Every zone's FAMILY_LINKS most similar zones, ranked from the state the last refresh kept beside
    the store (seconds, not a minute, at 37,000 zones; under a second when no profile changed since):
    the families and their picture share them."""
    return top_similar_pairs(cached_profiles(key, version, _store), FAMILY_LINKS,
                             index=cached_index(key, version, _store), state=stored_ranking_state(_store, FAMILY_LINKS))


@forgotten_on_release
@st.cache_resource(ttl=CACHE_SECONDS, max_entries=2, show_spinner=False)
def cached_families(key: str, version: tuple[tuple[str, int], ...], _store: GraphStore) -> list[dict[str, Any]]:
    profiles = cached_profiles(key, version, _store)
    pairs = cached_top_pairs(key, version, _store)
    return zone_families(profiles, top=FAMILY_LINKS, graph=graph_of_pairs(profiles, pairs))


@forgotten_on_release
@st.cache_resource(ttl=CACHE_SECONDS, max_entries=2, show_spinner=False)
def cached_similarity_graph(key: str, version: tuple[tuple[str, int], ...], _store: GraphStore,
                            top: int) -> nx.Graph:
    """The families' similarity graph with each zone's first `top` (at most FAMILY_LINKS) links."""
    return graph_of_pairs(cached_profiles(key, version, _store), cached_top_pairs(key, version, _store), top)


@forgotten_on_release
@st.cache_resource(ttl=CACHE_SECONDS, max_entries=2, show_spinner=False)
def cached_membership(key: str, version: tuple[tuple[str, int], ...], _store: GraphStore) -> Membership:
    return membership_of(_store)


@forgotten_on_release
@st.cache_resource(ttl=CACHE_SECONDS, max_entries=2, show_spinner=False)
def cached_category_counts(key: str, version: tuple[tuple[str, int], ...], _store: GraphStore) -> list[CategoryCount]:
    return category_counts(_store)


@forgotten_on_release
@st.cache_resource(ttl=CACHE_SECONDS, max_entries=2, show_spinner=False)
def cached_places(key: str, version: tuple[tuple[str, int], ...], _store: GraphStore) -> list[ZonePlace]:
    return zone_places_from_store(_store)


@forgotten_on_release
@st.cache_resource(ttl=CACHE_SECONDS, max_entries=2, show_spinner=False)
def cached_provinces(key: str, version: tuple[tuple[str, int], ...], _store: GraphStore) -> Provinces:
    return provinces_from_store(_store)


def cache_key(store: GraphStore) -> tuple[str, tuple[tuple[str, int], ...]]:
    """(store key, data version): the first two arguments of every cached_* helper."""
    return store_key(current_settings()), data_version(store)
