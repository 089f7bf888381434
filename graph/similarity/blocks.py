"""A block of zones scored against many zones at once, as dense arrays, and what such a block lists
for exact scoring (`listed_of`). Shared by every ranking and listing of `SimilarityIndex` and by the
listing that scores each pair once (triangle.py)."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
from scipy import sparse
from threadpoolctl import threadpool_limits

from govkg.graph.similarity.parts import WORDING_WEIGHT
from govkg.graph.similarity.scoring import (
    BLOCK_CELLS,
    MIN_BLOCK_ROWS,
    TIE_WINDOW,
    CosineRows,
    JaccardRows,
    LargestCells,
    largest_cells,
    largest_values,
    row_chunks,
)

_R = TypeVar("_R")

CellValues = Callable[[np.ndarray, np.ndarray], np.ndarray]  # values of the cells (rows[i], columns[i]) of a block


# Listing the pairs worth scoring exactly (`candidates`, and the changed zones of an incremental
# ranking) scores every pair in single precision: half the memory traffic of double (docs/measured.md).
# How far a block's score may be from the exact one is bounded zone by zone (`block_error`), and
# the listing widens by that.
BLOCK_DTYPE = np.float32


# Blocks of scores computed at once, one a thread: numpy and BLAS let go of the GIL, so two threads
# scored 3,000 zones against 37,000 in 4.5 s against 7.2 s on one (two cores; each block's BLAS
# stays on one thread, see `rank_all`).
BLOCK_THREADS = max(1, min(2, os.cpu_count() or 1))


def on_threads(block: Callable[[int], _R], count: int) -> list[_R]:
    """[block(0), ..., block(count - 1)], the blocks on BLOCK_THREADS threads in that order, each
    block's BLAS on one thread (see `SimilarityIndex.rank_all`)."""
    with threadpool_limits(limits=1, user_api="blas"):
        if BLOCK_THREADS == 1 or count < 2:
            return [block(i) for i in range(count)]
        with ThreadPoolExecutor(BLOCK_THREADS, thread_name_prefix="govkg-similarity") as pool:
            return list(pool.map(block, range(count)))


def block_height(n: int, block_rows: int) -> int:
    """How many zones a block takes when there are `n` zones: BLOCK_CELLS scores, at least
    MIN_BLOCK_ROWS zones, at most `block_rows`."""
    return max(1, min(block_rows, max(MIN_BLOCK_ROWS, BLOCK_CELLS // max(n, 1))))


@dataclass(frozen=True)
class BlockScorer:
    """Scores blocks of rows against the rows from a piece's start on (the pieces of `jaccard` and
    `cosine`, whose cuts match: `cosine`'s rows are the distinct wordings, `wording_of[r]` row r's,
    never falling as r rises past a cut). `lineage`: each row's own ancestors and descendants."""

    jaccard: JaccardRows
    cosine: CosineRows
    wording_of: np.ndarray
    lineage: sparse.csr_matrix

    def scores(self, rows: np.ndarray, piece: int = 0) -> tuple[np.ndarray, CellValues]:
        """The scores of `rows` against every row from piece `piece` on (column 0: that piece's first
        row), a zone's own score and those with its own ancestors and descendants 0, and the wording's
        cosines of any of their cells (`cosine_at(r, c)`)."""
        first, first_wording = self.jaccard.cuts[piece], self.cosine.cuts[piece]
        needed, at = np.unique(self.wording_of[rows], return_inverse=True)
        # The cosines of the distinct wordings: a zone's row there is at[r], a column's wording columns[c].
        cosines = self.cosine.rows(needed, piece)
        columns = self.wording_of[first:] - first_wording if first_wording else self.wording_of[first:]
        scores = self.jaccard.shared_rows(rows, piece)
        # The elementwise work goes BLOCK_CELLS cells at a time (a block holds more only where
        # MIN_BLOCK_ROWS raised it, above 41,666 zones).
        for chunk in row_chunks(len(rows), scores.shape[1]):
            part = scores[chunk]
            self.jaccard.finish(part, rows[chunk], piece)
            part *= 1.0 - WORDING_WEIGHT
            # np.take, not fancy indexing, along the columns: that result comes in Fortran order, and the
            # weighting over scores in C order ran three times slower (18 against 6 ms a block). mode="clip"
            # (the indices are in range): with the default, np.take copies through a buffer.
            wording = np.take(cosines[at[chunk]], columns, axis=1, mode="clip")
            wording *= WORDING_WEIGHT
            part += wording
        scores[np.arange(len(rows)), rows - first] = 0.0  # a zone is not its own neighbour
        kin = self.lineage[rows].tocoo()  # nor are its own ancestors and descendants
        inside = kin.col >= first
        scores[kin.row[inside], kin.col[inside] - first] = 0.0
        return scores, lambda r, c: cosines[at[r], columns[c]]


def listed_of(
    scores: np.ndarray, k: int, listed: int, error: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Of a block of scores (rows against all zones), the cells listed for exact scoring: above 0
    and at least the row's `listed`-th best, or close enough to its k-th best to tie it once rounded
    (TIE_WINDOW, and twice the row's `error`: the block's score of a pair and of the k-th best may
    each be that far from the exact one); and each row's bound on those left out (0: none scores
    above 0). (row, column, bounds by row), row by row, each row's columns in order."""
    n = scores.shape[1]
    if listed >= n:
        r, c = cells_at_least(scores, above_zero(scores, np.zeros(scores.shape[0])), None)
        return r, c, np.zeros(scores.shape[0])
    cells = largest_cells(scores, listed)
    ranks = (listed, min(k, n))
    at_listed, kth = ([cells.at_rank(r) for r in ranks] if cells else largest_values(scores, ranks))
    cut, bound = listing_cut(at_listed, kth, error)
    r, c = cells_at_least(scores, above_zero(scores, cut), cells)
    return r, c, bound


def listing_cut(at_listed: np.ndarray, kth: np.ndarray, error: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row by row, from its `listed`-th and k-th best block scores (0 where it has fewer above 0):
    the lowest score a listed cell may have (before the floor of above 0), and the bound on those
    left out."""
    at_listed, kth = at_listed.astype(np.float64), kth.astype(np.float64)
    lowest = np.minimum(at_listed, kth - TIE_WINDOW - 2.0 * error)
    return lowest, np.where(at_listed > 0, at_listed + error, 0.0)


def above_zero(scores: np.ndarray, lowest: np.ndarray) -> np.ndarray:
    # At least `lowest` and above 0, a score being above 0 exactly when it is at least the least
    # positive number of its precision: one comparison a cell (12 % of `listed_of` when it
    # partitioned with three and two masks).
    return np.maximum(lowest, float(np.finfo(scores.dtype).smallest_subnormal))


def cells_at_least(
    scores: np.ndarray, cut: np.ndarray, cells: LargestCells | None
) -> tuple[np.ndarray, np.ndarray]:
    """(row, column) of the cells at least their row's `cut`, row by row, each row's columns in
    order; `cells`: the block's `largest_cells`, if found."""
    if cells is None:
        r, c = np.nonzero(scores >= cut[:, None])
        return r, c
    # The cells that gave the listed-th best hold every cell of a row whose cut is not below its
    # floor: those rows are listed from them, not by comparing the whole block again (the cut of a
    # block of 107 zones against 37,265: 18 -> 9 ms, the same cells; docs/measured.md). A row whose
    # k-th best is within the tie window of its listed-th best may reach lower, and is compared whole.
    held = cells.values >= cut[cells.rows]
    r, c = cells.rows[held], cells.columns[held]
    deeper = np.flatnonzero(cut < cells.floor)
    if len(deeper):
        more_r, more_c = np.nonzero(scores[deeper] >= cut[deeper][:, None])
        others = ~np.isin(r, deeper)
        r, c = np.concatenate([r[others], deeper[more_r]]), np.concatenate([c[others], more_c])
    order = np.lexsort((c, r))
    return r[order], c[order]
