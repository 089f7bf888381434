"""refresh_similarity's fast path (dense blocks, parts for all pairs at once) writes exactly the
SIMILAR_TO rows a straightforward computation gives: every pair scored by hand from the profiles
(weighted Jaccard over the feature sets, cosine of TF-IDF n-gram counts), each zone's best kept,
and each kept pair described by SimilarityIndex.compare.

Stores: the bundled sheets and article, and 80 SYNTHETIC documents from bench/corpus.py (seeded,
generated for benchmarks and tests, not real cases; they share mechanisms and wording widely, so
the ranking has many close calls)."""

from __future__ import annotations

import json
import math
from collections import Counter

import numpy as np
import pytest

from govkg.bench.corpus import synthetic_corpus, write_corpus
from govkg.graph.ladybug_store import LadybugStore
from govkg.graph.model import GraphDocument
from govkg.graph.similarity import (
    FEATURE_WEIGHTS,
    PARTS,
    SCORE_DIGITS,
    SET_PARTS,
    WORDING_WEIGHT,
    PracticeProfiles,
    SimilarityIndex,
    char_ngrams,
    practice_graph,
    profiles_from_graph,
    refresh_similarity,
)
from govkg.graph.similarity.answers import parts_json
from govkg.graph.similarity.scoring import TIE_WINDOW, top_k_dense
from govkg.loaders.extract import extract_paths

Row = tuple[str, str, float, str, list[str]]


def by_hand_scores(profiles: PracticeProfiles) -> dict[str, dict[str, float]]:
    """Every pair's score, computed pair by pair from the profiles with plain Python; a zone's own
    ancestors and descendants are no candidates (left out)."""
    ids = sorted(profiles.profiles)
    n = len(ids)
    features = {z: {(part, k) for part in SET_PARTS for k in profiles.profiles[z].features[part]} for z in ids}
    df = Counter(c for z in ids for c in features[z])
    weight = {c: FEATURE_WEIGHTS[c[0]] * math.log((n + 1) / d) for c, d in df.items()}
    counts = {z: Counter(char_ngrams(" ".join(profiles.profiles[z].wording.values()))) for z in ids}
    gram_df = Counter(g for z in ids for g in counts[z])
    vectors = {}
    for z in ids:
        raw = {g: (1 + math.log(tf)) * math.log((n + 1) / gram_df[g]) for g, tf in counts[z].items()}
        norm = math.sqrt(sum(v * v for v in raw.values())) or 1.0
        vectors[z] = {g: v / norm for g, v in raw.items()}
    scores: dict[str, dict[str, float]] = {}
    for a in ids:
        scores[a] = {}
        for b in ids:
            if a == b or b in profiles.lineage.get(a, frozenset()):
                continue
            shared = sum(weight[c] for c in features[a] & features[b])
            union = sum(weight[c] for c in features[a] | features[b])
            cosine = sum(v * vectors[b].get(g, 0.0) for g, v in vectors[a].items())
            scores[a][b] = (1 - WORDING_WEIGHT) * shared / union + WORDING_WEIGHT * cosine
    return scores


def expected_rows(store: LadybugStore, top: int) -> list[Row]:
    profiles = profiles_from_graph(practice_graph(store))
    index = SimilarityIndex.build(profiles)
    ids = sorted(profiles.profiles)
    rows: list[Row] = []
    for a, others in by_hand_scores(profiles).items():
        ranked = sorted(
            (b for b in others if others[b] > 0), key=lambda b: (-round(others[b], SCORE_DIGITS), ids.index(b))
        )
        for b in ranked[:top]:
            pair = index.compare(a, b, explain=False)
            parts = json.dumps(pair.parts, ensure_ascii=False, sort_keys=True)
            rows.append((a, b, pair.score, parts, list(pair.shared)))
    return rows


def stored_rows(store: LadybugStore) -> list[Row]:
    found = store.read(
        "MATCH (a:Zone)-[s:SIMILAR_TO]->(b:Zone) RETURN a.id AS a, b.id AS b, s.score AS score, "
        "s.parts AS parts, s.shared AS shared"
    ).records()
    # An empty list of shared names comes back as null.
    return [(r["a"], r["b"], r["score"], r["parts"], list(r["shared"] or [])) for r in found]


@pytest.fixture(scope="module")
def synthetic_store(tmp_path_factory: pytest.TempPathFactory) -> LadybugStore:
    folder = tmp_path_factory.mktemp("synthetic")
    paths = write_corpus(synthetic_corpus(80, seed=11), folder / "corpus")
    store = LadybugStore(folder / "govkg.lbdb")
    store.write(extract_paths(paths))
    return store


@pytest.mark.parametrize("top", [1, 3, 10])
def test_refresh_on_synthetic_documents_writes_what_pairwise_scoring_gives(
    synthetic_store: LadybugStore, top: int
) -> None:
    summary = refresh_similarity(synthetic_store, top=top)
    expected = expected_rows(synthetic_store, top)
    assert len(expected) > 50 * top  # most zones have `top` neighbours: the cut is exercised
    assert summary.edges_created == len(expected)
    assert sorted(stored_rows(synthetic_store)) == sorted(expected)


def test_refresh_on_the_bundle_writes_what_pairwise_scoring_gives(
    embedded_store: LadybugStore, bundled_graph: GraphDocument
) -> None:
    embedded_store.write(bundled_graph)
    refresh_similarity(embedded_store, top=3)
    expected = expected_rows(embedded_store, 3)
    assert len(expected) == 30  # three for each of the article's ten zones
    assert sorted(stored_rows(embedded_store)) == sorted(expected)


def test_the_rows_are_ranked_best_first_with_ties_to_the_lower_id(synthetic_store: LadybugStore) -> None:
    profiles = profiles_from_graph(practice_graph(synthetic_store, evidence=False), supports=False)
    index = SimilarityIndex.build(profiles)
    ranked = index.rank_all(4)
    scores = by_hand_scores(profiles)
    for source, target, score in zip(ranked.sources, ranked.targets, ranked.scores, strict=True):
        assert score == pytest.approx(scores[index.zone_ids[source]][index.zone_ids[target]], rel=1e-12)
    best = index.top_pairs(4)
    # Ranked by the score as stored (rounded), so pairs tied in exact arithmetic go to the lower id
    # however the last bits of either sum came out (the sets above are summed in hash order).
    assert [[c for c, _ in row] for row in best] == [
        [
            index.row_of(b)
            for b in sorted(scores[a], key=lambda b: (-round(scores[a][b], SCORE_DIGITS), b))[:4]
            if scores[a][b] > 0
        ]
        for a in index.zone_ids
    ]


def test_scores_a_last_bit_apart_rank_as_the_tie_they_are() -> None:
    """0.1 + 0.2 and 0.3 are one score a reader sees twice; the lower column goes first, not the
    float that came out a bit larger."""
    scores = np.array([[0.3, 0.1 + 0.2, 0.05, 0.0], [0.0, 0.1 + 0.7, 0.8, 0.5]])
    rows, columns, _ = top_k_dense(scores, 1)
    assert list(zip(rows.tolist(), columns.tolist(), strict=True)) == [(0, 0), (1, 1)]
    rows, columns, _ = top_k_dense(scores, 2)
    assert list(zip(rows.tolist(), columns.tolist(), strict=True)) == [(0, 0), (0, 1), (1, 1), (1, 2)]


def test_lean_reading_gives_the_same_index(synthetic_store: LadybugStore) -> None:
    full = SimilarityIndex.build(profiles_from_graph(practice_graph(synthetic_store)))
    lean_graph = practice_graph(synthetic_store, evidence=False, relationships=("ADOPTS", "HAS_PART", "IN_CATEGORY"))
    assert all(not e.evidence for e in lean_graph.edges)
    assert {e.type for e in lean_graph.edges} == {"ADOPTS", "HAS_PART", "IN_CATEGORY"}
    lean = SimilarityIndex.build(profiles_from_graph(practice_graph(synthetic_store, evidence=False), supports=False))
    assert lean.zone_ids == full.zone_ids and lean.columns == full.columns and lean.grams == full.grams
    assert (lean.features != full.features).nnz == 0 and (lean.wording != full.wording).nnz == 0


def test_the_single_precision_blocks_stay_within_their_error_bound(synthetic_store: LadybugStore) -> None:
    """The listing of pairs to score exactly (and the bounds an incremental ranking trusts) rests on
    every block score lying within block_error of the exact score, whichever zone's bound is taken."""
    index = SimilarityIndex.build(profiles_from_graph(practice_graph(synthetic_store)))
    n = len(index.zone_ids)
    blocks = index.score_block(np.arange(n)).astype(np.float64)
    sources, targets = np.nonzero(blocks > 0)
    exact, _, _ = index.pair_scores(sources, targets)
    apart = np.abs(blocks[sources, targets] - exact)
    error = index.block_error
    assert (apart <= np.minimum(error[sources], error[targets])).all()
    assert apart.max() > 1e-9  # single precision really: the bound is not checked against double sums
    assert error.max() < TIE_WINDOW / 4  # tight enough that the listing stays a tie window wide
    # Pairs that share nothing score 0 in both (a zone and its own kin are 0 in blocks by rule).
    kin = index.lineage.toarray() > 0
    np.fill_diagonal(kin, True)
    assert (index.pair_scores(*np.nonzero((blocks == 0) & ~kin))[0] == 0).all()


def test_the_stored_parts_are_the_json_of_the_parts() -> None:
    """parts_json formats what json.dumps(..., sort_keys=True) writes, for the values a rounded part takes."""
    rng = np.random.default_rng(7)
    samples = [tuple(round(float(v), SCORE_DIGITS) for v in rng.random(len(PARTS)) * scale)
               for scale in (1.0, 1e-3, 1e-4, 0.0) for _ in range(200)]  # fmt: skip
    samples.append((0.0, 1e-05, 0.1234, 1.0, 5e-05))
    for values in samples:
        assert parts_json(values) == json.dumps(dict(zip(PARTS, values, strict=True)), ensure_ascii=False,
                                                sort_keys=True)  # fmt: skip
