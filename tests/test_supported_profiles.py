"""Explaining a few zones reads only their part of the store, and says what reading all of it said.

Scores, rankings and families need only the features (`bare_profiles`: the store read without
evidence, less than half the time at 100,000 nodes); what a page or `govkg similar` explains, each shared
feature with the sentences behind it on both sides, comes from the zones explained alone
(`supported_profiles`). Both are checked against profiles read the whole way (`practice_graph` with
evidence): on the bundled sheets and article (real cases), and on SYNTHETIC documents (bench/corpus.py)
whose mechanisms have parts.
"""

from __future__ import annotations

import pytest

from govkg.app.compare import compare_zones, family_heat_rows
from govkg.bench.corpus import synthetic_corpus, write_corpus
from govkg.graph.analytics import zone_families
from govkg.graph.factory import StoreSettings, open_store
from govkg.graph.ladybug_store import LadybugStore
from govkg.graph.similarity import (
    PracticeProfiles,
    bare_profiles,
    practice_graph,
    practice_subgraph,
    profiles_from_graph,
    similar_in_profiles,
    similar_zones,
    supported_profiles,
)
from govkg.graph.store import GraphStore
from govkg.services.loading import load_paths


@pytest.fixture(scope="module")
def synthetic_store(tmp_path_factory: pytest.TempPathFactory) -> LadybugStore:
    folder = tmp_path_factory.mktemp("supported")
    settings = StoreSettings(db_path=folder / "store.lbdb")
    load_paths(settings, write_corpus(synthetic_corpus(40, seed=21), folder / "corpus"))
    with open_store(settings) as store:
        assert store.read("MATCH (:Mechanism)-[:HAS_PART]->(:Mechanism) RETURN count(*) AS n").rows[0][0] > 0
    return LadybugStore(folder / "store.lbdb", read_only=True)


@pytest.fixture(params=["cases", "synthetic"])
def store(request: pytest.FixtureRequest) -> GraphStore:
    found: GraphStore = request.getfixturevalue("full_store" if request.param == "cases" else "synthetic_store")
    return found


def read_whole(store: GraphStore) -> PracticeProfiles:
    return profiles_from_graph(practice_graph(store))


def sample(ids: list[str], wanted: int = 12) -> list[str]:
    return ids[:: max(1, len(ids) // wanted)]


def test_a_few_zones_read_alone_have_the_features_and_supports_of_the_whole_read(store: GraphStore) -> None:
    whole = read_whole(store)
    bare = bare_profiles(store)
    assert set(bare.profiles) == set(whole.profiles) and len(whole.profiles) >= 5
    ids = sample(sorted(whole.profiles))
    alone = supported_profiles(store, ids)
    assert set(alone.profiles) == set(ids)
    supports = 0
    for zone in ids:
        mine, theirs = alone.profiles[zone], whole.profiles[zone]
        assert mine.features == theirs.features, zone
        assert mine.wording == theirs.wording and mine.mechanism_evidence == theirs.mechanism_evidence, zone
        assert {p: set(f) for p, f in bare.profiles[zone].features.items()} == {
            p: set(f) for p, f in theirs.features.items()}  # fmt: skip
        supports += sum(len(s) for f in mine.features.values() for s in f.values())
    assert supports > len(ids)  # the supports are there, evidence and all
    assert supported_profiles(store, ["zone:nowhere"]).profiles == {}


def test_what_a_page_explains_equals_what_the_whole_read_explained(store: GraphStore) -> None:
    whole = read_whole(store)
    ids = sorted(whole.profiles)
    explained = 0
    for zone in sample(ids, 8):
        now = similar_zones(store, zone, top=5)
        assert now == similar_in_profiles(whole, zone, 5), zone
        explained += sum(len(s.explanation) for s in now.similar)
        for other in [s.zone_id for s in now.similar][:2]:
            assert compare_zones(supported_profiles(store, [zone, other]), zone, other) == compare_zones(
                whole, zone, other)  # fmt: skip
    assert explained > 0
    families = zone_families(whole)
    shown = [z["id"] for f in families for z in f["zones"]][:30]
    assert family_heat_rows(supported_profiles(store, shown), families, False, 30) == family_heat_rows(
        whole, families, False, 30)  # fmt: skip


def test_explaining_two_zones_reads_their_part_of_the_graph_only(full_store: LadybugStore) -> None:
    whole = practice_graph(full_store)
    ids = sorted({e.source for e in whole.edges if e.type == "ADOPTS"})[:2]
    part = practice_subgraph(full_store, ids)
    assert {e.source for e in part.edges if e.type == "ADOPTS"} == set(ids)
    assert 0 < len(part.edges) < len(whole.edges) and len(part.nodes) < len(whole.nodes)
