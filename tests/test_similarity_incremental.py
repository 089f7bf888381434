"""An incremental SIMILAR_TO refresh writes what a full one would, on both engines.

Loads of SYNTHETIC documents (bench/corpus.py: seeded, generated for benchmarks and tests, not real
cases) go through `load_paths` one batch after another, then a researcher rejects an adoption and
undoes the rejection; after each, the stored SIMILAR_TO rows (endpoints, score, parts, shared) equal
those a full ranking of the same store gives (no state kept). The incremental path must be taken:
with bounds loose enough for a small store (where one document moves every weight by a percent),
the refreshes after the first score only some zones in full."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from govkg.bench.corpus import synthetic_corpus, write_corpus
from govkg.graph.analytics import families_from_store, zone_families
from govkg.graph.corrections import Target
from govkg.graph.factory import StoreSettings, open_store
from govkg.graph.model import GraphDocument
from govkg.graph.similarity import (
    SimilarityIndex,
    incremental,
    practice_graph,
    profiles_from_graph,
    refresh_similarity,
    stored_ranking_state,
    top_similar_pairs,
)
from govkg.graph.similarity import blocks as blocks_module
from govkg.graph.similarity import index as index_module
from govkg.graph.similarity import scoring as scoring_module
from govkg.graph.similarity.answers import full_similar_to_table, state_path
from govkg.graph.store import GraphStore
from govkg.services.correcting import correct, undo
from govkg.services.loading import load_paths

TOP = 3
Row = tuple[str, str, float, str, tuple[str, ...]]


def stored_rows(store: GraphStore) -> list[Row]:
    found = store.read(
        "MATCH (a:Zone)-[s:SIMILAR_TO]->(b:Zone) RETURN a.id AS a, b.id AS b, s.score AS score, "
        "s.parts AS parts, s.shared AS shared"
    ).records()
    return sorted((r["a"], r["b"], float(r["score"]), r["parts"], tuple(r["shared"] or ())) for r in found)


def full_rows(store: GraphStore) -> list[Row]:
    table = full_similar_to_table(store, TOP)
    made = table.columns
    rows = zip(table.sources, table.targets, made["score"], made["parts"], made["shared"], strict=True)
    return sorted((s, t, float(score), parts, tuple(shared)) for s, t, score, parts, shared in rows)


@pytest.fixture()
def scored(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[list[tuple[int, int]]]:
    """(zones scored in full, zones) of each ranking; the state of a server in tmp_path; bounds loose
    enough for a store of a few hundred zones, where one document moves every weight by a percent."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(incremental, "MOVE", 1.0)
    monkeypatch.setattr(incremental, "CHANGED_SHARE", 1.0)
    calls: list[tuple[int, int]] = []
    original = SimilarityIndex.candidates

    def spy(self: SimilarityIndex, wanted: np.ndarray, k: int, listed: int, **kw: int) -> tuple[np.ndarray, ...]:
        calls.append((len(wanted), len(self.zone_ids)))
        return original(self, wanted, k, listed, **kw)

    monkeypatch.setattr(SimilarityIndex, "candidates", spy)
    yield calls


def test_after_loads_and_a_correction_similar_to_equals_a_full_refresh(
    empty_settings: StoreSettings, scored: list[tuple[int, int]], tmp_path: Path
) -> None:
    paths = write_corpus(synthetic_corpus(48, seed=5), tmp_path / "corpus")
    rng = random.Random(15)
    refreshed: list[tuple[int, int]] = []  # (zones scored in full, zones) of each load's refresh
    batches = [paths[:30]]
    rest = paths[30:]
    while rest:
        size = rng.choice([1, 1, 2, 5])
        batches.append(rest[:size])
        rest = rest[size:]
    for batch in batches:
        scored.clear()
        load_paths(empty_settings, batch, similarity_top=TOP)
        refreshed.append(scored[-1])
        with open_store(empty_settings) as store:
            assert stored_rows(store) == full_rows(store)
    # After the first load every refresh started from the state; some zones kept their ranking unscored.
    assert sum(wanted < n for wanted, n in refreshed[1:]) >= len(batches) // 2, refreshed

    with open_store(empty_settings) as store:
        adopts = store.read("MATCH (z:Zone)-[r:ADOPTS]->(m:Mechanism) RETURN z.id AS z, m.id AS m").records()
    zone, mechanism = sorted((r["z"], r["m"]) for r in adopts)[len(adopts) // 2]
    rejected = Target(edge=("ADOPTS", zone, mechanism))
    with open_store(empty_settings) as store:
        state = state_path(store)
    assert state is not None
    kept = hash(state.read_bytes())
    done = correct(empty_settings, "reject", rejected, author="测试研究员", similarity_top=TOP)
    # The correction kept its ranking's state for what comes next (the load's no longer fits the data).
    assert hash(state.read_bytes()) != kept
    with open_store(empty_settings) as store:
        assert stored_rows(store) == full_rows(store)
    kept = hash(state.read_bytes())
    undo(empty_settings, done.correction.id, similarity_top=TOP)
    assert hash(state.read_bytes()) != kept
    with open_store(empty_settings) as store:
        assert stored_rows(store) == full_rows(store)
        rows = stored_rows(store)
    assert len(rows) > 100 and all(json.loads(r[3]) for r in rows)
    with open_store(empty_settings) as store:  # nothing changed: nothing is written
        again = refresh_similarity(store, top=TOP)
        assert again.edges_matched == again.edges_created == again.edges_deleted == len(rows)
        assert stored_rows(store) == rows


def test_a_stale_or_broken_state_costs_time_not_correctness(empty_settings: StoreSettings, tmp_path: Path) -> None:
    paths = write_corpus(synthetic_corpus(24, seed=8), tmp_path / "corpus")
    load_paths(empty_settings, paths[:20], similarity_top=TOP)
    with open_store(empty_settings) as store:
        path = state_path(store)
    assert path is not None and path.exists()
    kept = path.read_bytes()
    load_paths(empty_settings, paths[20:], similarity_top=TOP)
    path.write_bytes(kept)  # the state of an earlier store
    load_paths(empty_settings, paths[20:22], similarity_top=TOP)  # a re-load: nothing new
    with open_store(empty_settings) as store:
        assert stored_rows(store) == full_rows(store)
    path.write_bytes(b"not a state")
    load_paths(empty_settings, paths[:1], similarity_top=TOP)
    with open_store(empty_settings) as store:
        assert stored_rows(store) == full_rows(store)


def test_families_ranked_from_the_kept_state_equal_those_of_a_fresh_ranking(
    scored: list[tuple[int, int]], tmp_path: Path
) -> None:
    """The app's families and its picture's links start from the state the last refresh kept (a
    minute less at 37,000 zones): the same pairs and scores as ranking every zone, from a state that
    fits and from one of earlier data. The embedded store only: the state is the same on both engines
    (the test above), and families on Neo4j equal the embedded store's (tests/test_similarity_neo4j.py)."""
    empty_settings = StoreSettings(db_path=tmp_path / "store.lbdb")
    paths = write_corpus(synthetic_corpus(40, seed=11), tmp_path / "corpus")
    load_paths(empty_settings, paths[:34])
    with open_store(empty_settings) as store:
        path = state_path(store)
    assert path is not None
    earlier = path.read_bytes()
    load_paths(empty_settings, paths[34:])
    with open_store(empty_settings) as store:
        profiles = profiles_from_graph(practice_graph(store))
        fresh = {top: top_similar_pairs(profiles, top) for top in (10, 5)}
        assert len(fresh[10]) > 100
        state = stored_ranking_state(store)
        assert state is not None and stored_ranking_state(store, 20) is None
        scored.clear()
        for top in (10, 5):
            assert top_similar_pairs(profiles, top, state=state) == fresh[top]
        assert sum(wanted for wanted, _ in scored) == 0  # the state fits: no zone ranked against all
        assert families_from_store(store) == zone_families(profiles)
        path.write_bytes(earlier)
        scored.clear()
        assert top_similar_pairs(profiles, 10, state=stored_ranking_state(store)) == fresh[10]
        assert sum(wanted for wanted, _ in scored) > 0  # the earlier state did not fit every zone


def test_a_refresh_of_unchanged_profiles_takes_the_kept_ranking_and_scores_nothing(
    empty_settings: StoreSettings, scored: list[tuple[int, int]], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A re-load of documents already held changes no profile: the kept state is the ranking, no
    pair is ranked again (only the kept ones are scored, to describe them), and SIMILAR_TO stays
    what a full refresh gives."""
    paths = write_corpus(synthetic_corpus(30, seed=21), tmp_path / "corpus")
    load_paths(empty_settings, paths, similarity_top=TOP)
    with open_store(empty_settings) as store:
        rows = stored_rows(store)
    rescored: list[int] = []
    original = SimilarityIndex.pair_scores

    def spy(self: SimilarityIndex, sources: np.ndarray, targets: np.ndarray) -> tuple[np.ndarray, ...]:
        rescored.append(len(sources))
        return original(self, sources, targets)

    monkeypatch.setattr(SimilarityIndex, "pair_scores", spy)
    scored.clear()
    load_paths(empty_settings, paths[:5], similarity_top=TOP)
    assert scored == [] and rescored == [len(rows)]
    with open_store(empty_settings) as store:
        assert stored_rows(store) == rows
    monkeypatch.setattr(SimilarityIndex, "pair_scores", original)
    with open_store(empty_settings) as store:
        assert rows == full_rows(store) and len(rows) > 50


def test_a_pair_scores_the_same_alone_in_chunks_and_either_way_round(
    bundled_graph: GraphDocument, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = SimilarityIndex.build(profiles_from_graph(bundled_graph, supports=False))
    n = len(index.zone_ids)
    sources, targets = (a.ravel() for a in np.meshgrid(np.arange(n), np.arange(n), indexing="ij"))
    together = index.pair_scores(sources, targets)[0]
    monkeypatch.setattr(index_module, "PAIR_CHUNK", 7)
    chunked = index.pair_scores(sources, targets)[0]
    alone = [index.pair_scores(sources[i : i + 1], targets[i : i + 1])[0][0] for i in range(0, len(sources), 5)]
    assert together.tobytes() == chunked.tobytes()  # the very same floats
    assert together[::5].tolist() == alone
    assert together.tobytes() == index.pair_scores(targets, sources)[0].tobytes()
    assert (together > 0).sum() > n


def test_blocks_finished_a_few_rows_at_a_time_score_and_list_as_whole_blocks(
    bundled_graph: GraphDocument, monkeypatch: pytest.MonkeyPatch
) -> None:
    # At large sizes a block's products take MIN_BLOCK_ROWS rows and the rest of its work goes
    # BLOCK_CELLS cells at a time: the same floats as one pass over the block, so the same listing.
    index = SimilarityIndex.build(profiles_from_graph(bundled_graph, supports=False))
    n = len(index.zone_ids)
    everyone = np.arange(n)
    whole = index.score_block(everyone), index.candidates(everyone, TOP, 2 * TOP), index.rank_all(TOP)
    monkeypatch.setattr(scoring_module, "BLOCK_CELLS", 2 * n)  # two rows a chunk
    chunked = index.score_block(everyone), index.candidates(everyone, TOP, 2 * TOP), index.rank_all(TOP)
    assert whole[0].tobytes() == chunked[0].tobytes()
    assert all(a.tobytes() == b.tobytes() for a, b in zip(whole[1], chunked[1], strict=True))
    for field in ("sources", "targets", "scores", "cosines"):
        assert getattr(whole[2], field).tobytes() == getattr(chunked[2], field).tobytes()
    assert (whole[0] > 0).sum() > n and len(whole[2].sources) > n
    # Fewer rows than MIN_BLOCK_ROWS fit in BLOCK_CELLS: the blocks take MIN_BLOCK_ROWS all the same.
    monkeypatch.setattr(blocks_module, "BLOCK_CELLS", n)
    monkeypatch.setattr(blocks_module, "MIN_BLOCK_ROWS", 4)
    heights = index._map_blocks(everyone, lambda rows, scores, _: len(rows))
    assert heights == [4] * (n // 4) + ([n % 4] if n % 4 else [])
    assert np.allclose(index.score_block(everyone), whole[0], rtol=1e-6, atol=0)
