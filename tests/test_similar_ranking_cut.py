"""A zone's ranking explains only its best candidates (at 10,000 zones explaining every zone sharing
some wording took minutes): the answer must equal explaining them all and cutting afterwards."""

from __future__ import annotations

import pytest

from govkg.bench.corpus import synthetic_corpus, write_corpus
from govkg.graph.factory import StoreSettings, open_store
from govkg.graph.similarity import (
    PracticeProfiles,
    SimilarityIndex,
    practice_graph,
    profiles_from_graph,
    similar_in_profiles,
)
from govkg.resources import BUNDLED_CASES_DIR
from govkg.services.loading import load_paths


@pytest.fixture(scope="module")
def profiles(tmp_path_factory: pytest.TempPathFactory) -> PracticeProfiles:
    """The bundled cases and 60 SYNTHETIC documents (govkg.bench.corpus: generated, labelled as such)."""
    folder = tmp_path_factory.mktemp("ranking")
    paths = write_corpus(synthetic_corpus(60), folder / "synthetic")
    settings = StoreSettings(db_path=folder / "s.lbdb")
    load_paths(settings, [BUNDLED_CASES_DIR, *paths], similarity_top=0)
    with open_store(settings, read_only=True) as store:
        return profiles_from_graph(practice_graph(store))


def test_explaining_only_the_best_gives_the_ranking_explaining_all_gives(profiles: PracticeProfiles) -> None:
    index = SimilarityIndex.build(profiles)
    assert len(profiles.profiles) > 50
    for zone in sorted(profiles.profiles)[::4]:
        kin = profiles.lineage.get(zone, frozenset())
        every = [index.compare(zone, other) for other in profiles.profiles if other != zone and other not in kin]
        every = sorted((r for r in every if r.score > 0), key=lambda r: (-r.score, r.zone, r.zone_id))
        for top in (1, 2, 3, 5, 10):
            answer = similar_in_profiles(profiles, zone, top, index)
            assert answer.similar == tuple(every[:top]), (zone, top)  # who, in which order, and why
