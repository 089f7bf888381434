"""The fast all-pairs top-k (sparse, in blocks of rows) gives what a naive computation gives, on a
small SYNTHETIC graph (bench/synthetic.py: seeded random links, not real data)."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numpy as np
import pytest
from networkx.algorithms import bipartite
from scipy import sparse

from govkg.bench.synthetic import SyntheticGraph, synthetic_graph
from govkg.graph.similarity import idf_weights, top_k_weighted_jaccard
from govkg.graph.similarity.scoring import JaccardRows, jaccard_block, segment_sums


def naive_top_k(features: list[set[int]], k: int, weights: np.ndarray | None = None) -> list[list[tuple[int, float]]]:
    """Every pair by hand: weighted |A ∩ B| / |A ∪ B|, best first, ties by the lower index."""

    def weight(items: set[int]) -> float:
        return float(len(items)) if weights is None else float(sum(weights[i] for i in sorted(items)))

    out = []
    for a, mine in enumerate(features):
        scored = []
        for b, theirs in enumerate(features):
            shared = mine & theirs
            if b != a and shared and weight(shared) > 0:
                scored.append((b, weight(shared) / weight(mine | theirs)))
        scored.sort(key=lambda pair: (-pair[1], pair[0]))
        out.append(scored[:k])
    return out


@pytest.fixture(scope="module")
def graph_features() -> tuple[SyntheticGraph, list[set[int]]]:
    graph = synthetic_graph(300, 900, mean_links=4, seed=7)
    features: list[set[int]] = [set() for _ in range(graph.n_zones)]
    for z, m in zip(graph.zone.tolist(), graph.mechanism.tolist(), strict=True):
        features[z].add(m)
    return graph, features


@pytest.mark.parametrize("block_rows", [1, 37, 300, 4096])
def test_fast_top_k_equals_the_naive_one(
    graph_features: tuple[SyntheticGraph, list[set[int]]], block_rows: int
) -> None:
    graph, features = graph_features
    fast = top_k_weighted_jaccard(graph.matrix(), k=10, block_rows=block_rows)
    assert fast == naive_top_k(features, 10)  # counts are whole numbers: the same floats, the same ties
    assert sum(len(r) for r in fast) > 2000  # the synthetic zones do overlap


def test_weighted_top_k_equals_the_naive_one(graph_features: tuple[SyntheticGraph, list[set[int]]]) -> None:
    graph, features = graph_features
    matrix = graph.matrix()
    weights = idf_weights(matrix)
    assert weights.max() == pytest.approx(math.log(301))  # a mechanism of one zone: ln((300 + 1) / 1)
    fast = top_k_weighted_jaccard(matrix, k=5, weights=weights, block_rows=64)
    naive = naive_top_k(features, 5, weights)
    for got, want in zip(fast, naive, strict=True):
        assert [s for _, s in got] == pytest.approx([s for _, s in want], rel=1e-9)
        if want:  # float sums may order exact ties differently: compare the zones above the last score
            last = want[-1][1]
            assert {b for b, s in got if s > last * (1 + 1e-9)} == {b for b, s in want if s > last * (1 + 1e-9)}


def test_scores_are_networkx_overlap_weighted_projection(graph_features: tuple[SyntheticGraph, list[set[int]]]) -> None:
    graph, _ = graph_features
    b = nx.Graph()
    zones = [f"z{i}" for i in range(graph.n_zones)]
    b.add_nodes_from(zones, bipartite=0)
    b.add_edges_from((f"z{z}", f"m{m}") for z, m in zip(graph.zone, graph.mechanism, strict=True))
    projected = bipartite.overlap_weighted_projected_graph(b, zones, jaccard=True)
    everything = top_k_weighted_jaccard(graph.matrix(), k=graph.n_zones)
    pairs = {(f"z{a}", f"z{c}"): s for a, row in enumerate(everything) for c, s in row}
    assert len(pairs) == 2 * projected.number_of_edges()
    for u, v, w in projected.edges(data="weight"):
        assert pairs[(u, v)] == w and pairs[(v, u)] == w


def test_the_synthetic_graph_is_seeded_and_labelled() -> None:
    one, two = synthetic_graph(50, 200, seed=3), synthetic_graph(50, 200, seed=3)
    assert np.array_equal(one.zone, two.zone) and np.array_equal(one.mechanism, two.mechanism)
    assert not np.array_equal(one.mechanism, synthetic_graph(50, 200, seed=4).mechanism)
    assert "SYNTHETIC" in one.label and "not real data" in one.label
    assert set(np.bincount(one.zone, minlength=50).tolist()) - {0} and one.zone.min() == 0


def test_term_frequencies_count_every_repeat_as_the_texts_joined_would() -> None:
    """1 + ln(tf) of each row's n-grams, a text held twice and an n-gram repeated inside one text
    counted each time, columns the sorted n-grams: worked out by hand against a plain count."""
    from collections import Counter

    from govkg.graph.similarity.scoring import char_ngrams, term_frequencies

    rows = [["议事会议事", "议事会议事"], ["居民议事会"], [], ["议事"]]
    matrix, grams = term_frequencies(rows)
    assert grams == sorted({g for texts in rows for t in texts for g in char_ngrams(t)})
    for r, texts in enumerate(rows):
        counts = Counter(g for t in texts for g in char_ngrams(t))
        row = matrix.getrow(r)
        got = {grams[c]: v for c, v in zip(row.indices, row.data, strict=True)}
        assert got == {g: 1.0 + math.log(n) for g, n in counts.items()}
    assert matrix.getrow(0).toarray().max() == 1.0 + math.log(4)  # 议事: twice in each of two texts


def test_segment_sums_add_each_run_from_the_left_as_python_does() -> None:
    """A pair's score must not depend on which other pairs are scored with it, so each run of values is
    summed left to right, bit for bit as Python's sum; magnitudes far apart make the order show."""
    rng = np.random.default_rng(3)
    lengths = rng.integers(1, 60, 500)
    lengths[[7, 300]] = [400, 1]  # one long run among short ones, and a run of one
    segments = np.repeat(np.arange(len(lengths)) * 3, lengths)  # runs named by any sorted keys
    values = rng.random(len(segments)) * 10.0 ** rng.integers(-12, 4, len(segments))
    starts, sums = segment_sums(segments, values)
    bounds = np.r_[0, np.cumsum(lengths)]
    assert starts.tolist() == bounds[:-1].tolist()
    runs = list(itertools.pairwise(bounds.tolist()))
    assert sums.tolist() == [sum(values[a:b].tolist()) for a, b in runs]
    assert [math.fsum(values[a:b]) for a, b in runs] != sums.tolist()  # the order does show


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("empty_row", [False, True])
def test_jaccard_rows_give_the_weighted_jaccard_of_every_pair(dtype: type[np.floating], empty_row: bool) -> None:
    # The dense blocks of the ranking against the sparse definition (jaccard_block), with features
    # most rows hold (the dense columns) and rare ones; a row holding nothing scores 0 with every row.
    rng = np.random.default_rng(3)
    held = rng.random((60, 25)) < np.r_[np.full(5, 0.8), np.full(20, 0.08)]
    if empty_row:
        held[17] = False
    matrix = sparse.csr_matrix(held.astype(np.float64))
    weights = rng.random(25) + 0.1
    rows = np.arange(60)
    got = JaccardRows(matrix, weights, dtype).rows(rows)
    want = jaccard_block(matrix, matrix, weights).toarray()
    assert np.isfinite(got).all()
    assert np.allclose(got, want, rtol=1e-5 if dtype == np.float32 else 1e-12, atol=0)
    assert (got[17] == 0).all() == empty_row
