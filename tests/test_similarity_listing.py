"""What the block arithmetic lists for exact scoring (`listed_of`) decides which pairs can reach a
zone's top k: a pair left out is never scored again. Near a k-th best there can be more close scores
than the listed count (thousands of zones sharing the same common kinds); every one that may round to
the k-th best's stored score must be listed, or a tie that goes to the lower id is lost."""

from __future__ import annotations

import numpy as np
import pytest

from govkg.graph.similarity.index import listed_of
from govkg.graph.similarity.scoring import SELECT_CHUNKS, TIE_WINDOW, largest_cells, largest_values, ranking_key

K, LISTED = 10, 20


def _near_ties(rng: np.random.Generator, dtype: type[np.floating]) -> np.ndarray:
    """Rows of mostly low scores, a few zeros, and 40 scores within a third of the tie window of
    each other: more than LISTED of them round to what the K-th best rounds to or sit just below."""
    scores = (rng.random((6, 500)) * 0.1).astype(dtype)
    scores[rng.random(scores.shape) < 0.2] = 0.0
    for row in range(scores.shape[0]):
        cells = rng.choice(scores.shape[1], 40, replace=False)
        scores[row, cells] = (0.5 + rng.random(40) * TIE_WINDOW / 3).astype(dtype)
    return scores


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_every_score_that_may_tie_the_kth_best_is_listed(dtype: type[np.floating]) -> None:
    rng = np.random.default_rng(7)
    scores = _near_ties(rng, dtype)
    error = np.full(scores.shape[0], 1e-6)
    rows, columns, bounds = listed_of(scores, K, LISTED, error)
    for row in range(scores.shape[0]):
        values = np.sort(scores[row].astype(np.float64))[::-1]
        kth, at_listed = values[K - 1], values[LISTED - 1]
        listed = set(columns[rows == row].tolist())
        rounded = ranking_key(scores[row].astype(np.float64))
        may_tie = set(np.flatnonzero((rounded >= ranking_key(np.array([kth]))[0]) & (scores[row] > 0)).tolist())
        assert len(may_tie) > LISTED
        assert may_tie - listed == set(), "a score that rounds to the k-th best's score was not listed"
        assert all(scores[row, c] > 0 for c in listed)
        left_out = [float(scores[row, c]) for c in range(scores.shape[1]) if c not in listed]
        assert max(left_out) <= bounds[row]  # the bound holds every score not listed
        assert bounds[row] == pytest.approx(at_listed + error[row])


def test_a_row_with_fewer_positive_scores_than_listed_lists_them_all_and_no_zero() -> None:
    scores = np.zeros((2, 50), dtype=np.float32)
    scores[0, [3, 9, 30]] = np.array([0.2, np.finfo(np.float32).smallest_subnormal, 0.7], dtype=np.float32)
    rows, columns, bounds = listed_of(scores, K, LISTED, np.zeros(2))
    assert sorted(columns[rows == 0].tolist()) == [3, 9, 30]
    assert columns[rows == 1].tolist() == []
    assert bounds.tolist() == [0.0, 0.0]  # nothing left out scores above 0


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_largest_values_of_long_rows_are_those_a_partition_finds(dtype: type[np.floating]) -> None:
    # Rows long enough to go through the chunks' maxima: spread scores, ties, the best all in one
    # stretch of the row (similar zones sit together in id order), and rows with few or no scores.
    rng = np.random.default_rng(11)
    n = 4 * SELECT_CHUNKS + 37
    scores = (rng.random((8, n)) * 0.2).astype(dtype)
    scores[rng.random(scores.shape) < 0.5] = 0.0
    scores[1, 100:160] = dtype(0.9)  # sixty ties in one stretch
    scores[2, 500:530] = np.sort(rng.random(30)).astype(dtype)  # the best thirty together
    scores[3] = 0.0
    scores[3, [5, 700]] = [0.4, 0.3]  # fewer above 0 than the ranks asked
    scores[4] = 0.0
    scores[5] = np.round(scores[5], 2)  # many ties everywhere
    ranks = (1, 10, 20, 37)
    cut = np.partition(scores, [n - r for r in ranks], axis=1)
    for r, found in zip(ranks, largest_values(scores, ranks), strict=True):
        assert found.dtype == scores.dtype
        assert np.array_equal(found, cut[:, n - r]), f"rank {r}"


def _listed_by_definition(scores: np.ndarray, error: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """listed_of as its docstring states it, each row sorted whole."""
    ordered = -np.sort(-scores.astype(np.float64), axis=1)
    kth, at_listed = ordered[:, K - 1], ordered[:, LISTED - 1]
    lowest = np.minimum(at_listed, kth - TIE_WINDOW - 2.0 * error)
    rows, columns = np.nonzero((scores > 0) & (scores >= lowest[:, None]))
    return rows, columns, np.where(at_listed > 0, at_listed + error, 0.0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_long_rows_list_what_the_definition_lists(dtype: type[np.floating]) -> None:
    # Rows long enough for the chunks' maxima (the listing of a real block: a zone against
    # thousands), listed from the cells gathered for the listed-th best, or, for a row whose k-th
    # best sits within the tie window of its listed-th, compared whole: both kinds are here.
    rng = np.random.default_rng(5)
    n = 4 * SELECT_CHUNKS + 101
    scores = (rng.random((9, n)) * 0.1).astype(dtype)
    scores[rng.random(scores.shape) < 0.3] = 0.0
    scores[0, rng.choice(n, 40, replace=False)] = (0.5 + rng.random(40) * TIE_WINDOW / 3).astype(dtype)
    scores[1, 200:260] = dtype(0.7)  # sixty ties in one stretch
    scores[2, rng.choice(n, 15, replace=False)] = (0.6 + rng.random(15) * 0.01).astype(dtype)
    scores[2, rng.choice(n, 30, replace=False)] = (0.6 - rng.random(30) * TIE_WINDOW).astype(dtype)
    scores[3] = 0.0
    scores[3, [4, 600, 900]] = [0.3, 0.2, 0.1]  # fewer above 0 than listed
    scores[4] = 0.0
    scores[5] = np.round(scores[5], 3)  # ties everywhere
    error = rng.random(scores.shape[0]) * 1e-5
    rows, columns, bounds = listed_of(scores, K, LISTED, error)
    want_rows, want_columns, want_bounds = _listed_by_definition(scores, error)
    assert rows.tolist() == want_rows.tolist()
    assert columns.tolist() == want_columns.tolist()
    assert bounds.tolist() == want_bounds.tolist()
    # Both ways were taken: some rows' listing reaches below the floor of the gathered cells, some not.
    cells = largest_cells(scores, LISTED)
    assert cells is not None
    reach = np.array([scores[r][want_columns[want_rows == r]].min() if (want_rows == r).any() else np.inf
                      for r in range(scores.shape[0])])  # fmt: skip
    deeper = reach < cells.floor
    assert deeper.any() and not deeper.all()
