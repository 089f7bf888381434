"""The sparse and dense arithmetic under the score: idf weights, weighted Jaccard, character
n-grams and TF-IDF rows, blocked top-k, and the strings two groups of texts share. Numbers in,
numbers out: nothing here knows zones or stores."""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from govkg.graph.similarity.parts import SCORE_DIGITS

NGRAM_SIZES: tuple[int, ...] = (2, 3)


# Function characters: an n-gram that begins or ends with one (的标准, 和居民) is grammar, not wording.
FUNCTION_CHARACTERS = frozenset("的了和与及或在是等把被对为由以之其这那也都而个")


BLOCK_ROWS = 2048  # rows of zones per sparse product when ranking all pairs


# Ranking all pairs, the elementwise work on a block of scores goes at most this many cells (rows x
# zones) at a time: 16 MB an array in single precision, 32 in double.
BLOCK_CELLS = 4_000_000


# The products of a block take at least this many rows, however many zones there are: each block's
# dense product reads the whole matrix of the common n-grams (at 330,366 zones 205,775 distinct
# wordings x 398 n-grams, 328 MB), so blocks cut to BLOCK_CELLS (12 rows there) paid that read
# 27,500 times: 10.8-13.1 ms a zone against 8.7-10.1 with 96 rows (a sample of 1,536 zones), and
# 127 -> 119-120 s for the whole listing at 105,302 zones (docs/measured.md). Up to 41,666 zones a
# block is BLOCK_CELLS anyway.
MIN_BLOCK_ROWS = 96


# A score this far below another can still equal it once rounded to SCORE_DIGITS (`ranking_key`).
TIE_WINDOW = 10.0**-SCORE_DIGITS


DENSE_SHARE = 0.1  # a feature or n-gram more rows than this share hold is multiplied as a dense column


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


def jaccard_block(rows: sparse.csr_matrix, matrix: sparse.csr_matrix, weights: np.ndarray) -> sparse.csr_matrix:
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
    return _blocked_top_k(m.shape[0], lambda a, b: jaccard_block(m[a:b], m, w), k, block_rows)


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


@dataclass(frozen=True)
class RankedPairs:
    """Pairs of zone rows, zone by zone and best first within a zone: `sources[i]` is like
    `targets[i]` with `scores[i]`, whose wording part is WORDING_WEIGHT · `cosines[i]`. `parts`,
    when given: the pairs' exact scores as `SimilarityIndex.pair_scores` gives them (`scores` the
    totals, `parts` the four set parts, `cosines` the wording's), so describing them need not score
    them again."""

    sources: np.ndarray
    targets: np.ndarray
    scores: np.ndarray
    cosines: np.ndarray
    parts: np.ndarray | None = None

    @classmethod
    def empty(cls) -> RankedPairs:
        none = np.zeros(0, dtype=np.int64)
        return cls(none, none, np.zeros(0), np.zeros(0))


def term_frequencies(texts_by_row: list[list[str]]) -> tuple[sparse.csr_matrix, list[str]]:
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
    # Every n-gram of every distinct text, one entry each: the matrix sums repeats into counts (a Counter
    # per text and three appends per distinct n-gram: 1.5 s against 1.1-1.3 s at 36,777 texts).
    gram_at: dict[str, int] = {}
    text_cols: list[int] = []
    lengths: list[int] = []
    for text in text_at:
        found = char_ngrams(text)
        lengths.append(len(found))
        text_cols.extend([gram_at.setdefault(gram, len(gram_at)) for gram in found])
    grams = sorted(gram_at)
    sorted_at = np.empty(len(grams), dtype=np.int64)
    sorted_at[[gram_at[g] for g in grams]] = np.arange(len(grams))
    text_rows = np.repeat(np.arange(len(text_at), dtype=np.int64), lengths)
    text_grams = sparse.csr_matrix(
        (np.ones(len(text_cols)), (text_rows, sorted_at[np.asarray(text_cols, dtype=np.int64)])),
        shape=(len(text_at), len(grams)),
    )  # repeated (text, n-gram) entries summed: whole numbers, exact
    counts = (holds @ text_grams).tocsr()  # whole numbers, exact in floating point
    del holds, text_grams
    counts.sort_indices()
    tf = np.rint(counts.data).astype(np.int32)
    sublinear = np.array([0.0, *(1.0 + math.log(c) for c in range(1, int(tf.max(initial=0)) + 1))])
    counts.data = sublinear[tf]  # the very floats of 1 + math.log(tf)
    return counts, grams


def distinct_rows(matrix: sparse.csr_matrix) -> tuple[np.ndarray, sparse.csr_matrix]:
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


class CosineRows:
    """Dot products of chosen rows of an L2-normalised matrix with all its rows, as dense arrays
    (of `dtype`: the matrix's values rounded once to it). `cuts`: row numbers that cut the rows into
    pieces, so that `rows` can take the products with the rows from a piece's start on only."""

    def __init__(
        self, matrix: sparse.csr_matrix, dtype: type[np.floating] = np.float64, cuts: Sequence[int] | None = None
    ) -> None:
        dense = _dense_columns(matrix)
        self.dense = matrix[:, np.flatnonzero(dense)].toarray().astype(dtype, copy=False)
        self.sparse = matrix[:, np.flatnonzero(~dense)].tocsr().astype(dtype, copy=False)
        self.cuts, self.pieces = _pieces(self.sparse.T.tocsr(), cuts)

    def rows(self, rows: np.ndarray, piece: int = 0) -> np.ndarray:
        """The products of `rows` with the rows from the start of piece `piece` on."""
        first = self.cuts[piece]
        out = self.dense[rows] @ self.dense[first:].T
        mine = self.sparse[rows]
        for j in range(piece, len(self.pieces)):
            _add_sparse(out[:, self.cuts[j] - first : self.cuts[j + 1] - first], mine @ self.pieces[j])
        return out


def _pieces(transposed: sparse.csr_matrix, cuts: Sequence[int] | None) -> tuple[list[int], list[sparse.csr_matrix]]:
    """The columns of `transposed` cut at `cuts` (from 0 to its last column): a product with the
    columns from one cut on takes the pieces from there, never a slice of the whole made anew."""
    if cuts is None:
        return [0, transposed.shape[1]], [transposed]
    return list(cuts), [transposed[:, a:b].tocsr() for a, b in itertools.pairwise(cuts)]


class JaccardRows:
    """Weighted Jaccard of chosen rows of a 0/1 matrix with all its rows, as dense arrays (0 where
    a pair shares nothing): shared weight / (weight of one + weight of the other - shared). `cuts`:
    as CosineRows's, for the rows from a piece's start on."""

    def __init__(
        self, matrix: sparse.csr_matrix, weights: np.ndarray, dtype: type[np.floating] = np.float64,
        cuts: Sequence[int] | None = None,
    ) -> None:  # fmt: skip
        is_dense = _dense_columns(matrix)
        dense, rest = np.flatnonzero(is_dense), np.flatnonzero(~is_dense)
        # Weights and sizes computed in double, then rounded once to `dtype`.
        dense_block = matrix[:, dense].toarray()
        self.dense = dense_block.astype(dtype, copy=False)
        self.dense_weighted = (dense_block * weights[dense]).astype(dtype, copy=False)
        self.sparse_weighted = (matrix[:, rest] @ sparse.diags(weights[rest])).tocsr().astype(dtype, copy=False)
        self.cuts, self.pieces = _pieces(matrix[:, rest].T.tocsr().astype(dtype, copy=False), cuts)
        self.sizes = np.asarray(matrix @ weights).ravel().astype(dtype, copy=False)
        self.weighed = bool((self.sizes > 0).all())  # every row holds weight (every profiled zone does)

    def shared_rows(self, rows: np.ndarray, piece: int = 0) -> np.ndarray:
        """The weight `rows` share with every row from piece `piece` on (which `finish` turns into
        their Jaccard index)."""
        first = self.cuts[piece]
        shared = self.dense_weighted[rows] @ self.dense[first:].T
        mine = self.sparse_weighted[rows]
        for j in range(piece, len(self.pieces)):
            _add_sparse(shared[:, self.cuts[j] - first : self.cuts[j + 1] - first], mine @ self.pieces[j])
        return shared

    def finish(self, shared: np.ndarray, rows: np.ndarray, piece: int = 0) -> None:
        """`shared` (of `rows`, as `shared_rows` gives it) in place into their weighted Jaccard with
        every row from piece `piece` on."""
        union = np.add.outer(self.sizes[rows], self.sizes[self.cuts[piece] :])
        union -= shared
        if self.weighed:
            # Every union is at least the larger of its two sizes, so above 0: a plain division, 1.6
            # against 4.8 ms for a masked one over a block of 107 zones against 37,265, the same floats.
            np.divide(shared, union, out=shared)
        else:
            np.divide(shared, union, out=shared, where=union > 0)

    def rows(self, rows: np.ndarray) -> np.ndarray:
        shared = self.shared_rows(rows)
        for chunk in row_chunks(len(rows), shared.shape[1]):
            self.finish(shared[chunk], rows[chunk])
        return shared


# A sparse product holding more than this share of its cells is added to a dense block as a dense
# array: the rare n-grams' cosines fill about 30 % of a block, added so in 6 ms against 14 ms entry by
# entry (107 zones against 33,842 wordings, docs/measured.md); the rare features' shared weights fill
# about 2 %, where entry by entry is faster (0.8 against 1.9 ms).
DENSE_ADD_SHARE = 0.05


def row_chunks(n_rows: int, n_columns: int) -> list[slice]:
    """Consecutive slices of `n_rows` rows of `n_columns`, each of at most BLOCK_CELLS cells (at least one row)."""
    step = max(1, BLOCK_CELLS // max(n_columns, 1))
    return [slice(i, min(i + step, n_rows)) for i in range(0, n_rows, step)]


def _add_sparse(dense: np.ndarray, product: sparse.spmatrix) -> None:
    """dense += product. Each stored entry (a sparse product stores each (row, column) once) is added
    once either way, and a cell it does not store gets 0.0 added: the same floats."""
    if product.nnz > DENSE_ADD_SHARE * product.shape[0] * product.shape[1]:
        dense += product.toarray()
        return
    entries = product.tocoo()
    dense[entries.row, entries.col] += entries.data


def ranking_key(scores: np.ndarray) -> np.ndarray:
    """What zones are ranked by: the score as SIMILAR_TO stores it (SCORE_DIGITS), ties then going
    to the lower id. Two pairs that tie in exact arithmetic can come out of different sums a last
    bit apart (the 80 synthetic documents of the similarity tests hold about 200 such ties); ranking the raw
    floats let that noise, not the ids, order them, and a list showing two equal scores put the
    higher id first."""
    return np.round(scores, SCORE_DIGITS)


# Rows at least four times this long find their largest values through the maxima of this many
# stretches of them (`largest_values`); shorter ones partition.
SELECT_CHUNKS = 256


@dataclass(frozen=True)
class LargestCells:
    """Of a block of scores, every cell at least its row's `floor`, row by row, each row's largest
    first (`rank` 1 the largest; equal values in column order). The floor is at most the row's
    `deepest`-th largest value above 0 (`largest_cells`), so those values are all here."""

    rows: np.ndarray
    columns: np.ndarray
    values: np.ndarray
    rank: np.ndarray
    floor: np.ndarray

    def at_rank(self, r: int) -> np.ndarray:
        """Every row's r-th largest value (0 where the row has fewer than r above 0)."""
        out = np.zeros(len(self.floor), dtype=self.values.dtype)
        out[self.rows[self.rank == r]] = self.values[self.rank == r]
        return out


def largest_cells(scores: np.ndarray, deepest: int) -> LargestCells | None:
    """The cells of `scores` (values >= 0) that hold each row's `deepest` largest values above 0,
    found without sorting whole rows; None for rows too short (or a rank too deep) for it.

    A row of a block is 37,000 scores of which about 20 are wanted: the r-th largest value is at least
    the r-th largest of the maxima of SELECT_CHUNKS stretches of the row (r of the row's values reach
    that), so only the values at least that are sorted, about 21 a row on the 10,000-document store
    (11 ms a block of 107 rows against 27 ms for np.partition, the same values; docs/measured.md)."""
    n = scores.shape[1]
    if n < 4 * SELECT_CHUNKS or deepest > SELECT_CHUNKS // 2:  # (then there are over 200 chunks)
        return None
    step = -(-n // SELECT_CHUNKS)
    maxima = np.maximum.reduceat(scores, np.arange(0, n, step), axis=1)
    floor = np.partition(maxima, maxima.shape[1] - deepest, axis=1)[:, maxima.shape[1] - deepest]
    # Only values above 0: a row with fewer than r of them has 0 as its r-th largest, as partition gives.
    floor = np.maximum(floor, np.finfo(scores.dtype).smallest_subnormal)
    # Only the stretches whose maximum reaches the floor hold such cells, about `deepest` of a row's
    # SELECT_CHUNKS: their cells are read, not the whole row compared (in row and column order all the same).
    hit_rows, hit_stretches = np.nonzero(maxima >= floor[:, None])
    columns = (hit_stretches * step)[:, None] + np.arange(step)
    rows = np.broadcast_to(hit_rows[:, None], columns.shape)
    inside = columns < n
    rows, columns = rows[inside], columns[inside]
    values = scores[rows, columns]
    held = values >= floor[rows]
    rows, columns, values = rows[held], columns[held], values[held]
    order = np.lexsort((-values, rows))
    rows, columns, values = rows[order], columns[order], values[order]
    rank = np.arange(len(rows)) - np.searchsorted(rows, rows) + 1
    return LargestCells(rows, columns, values, rank, floor)


def largest_values(scores: np.ndarray, ranks: tuple[int, ...]) -> list[np.ndarray]:
    """For each rank r in `ranks` (1: the largest), every row's r-th largest value of `scores`
    (values >= 0; 0 where the row has fewer than r above 0), as np.partition would find it: from
    `largest_cells` where the rows are long enough, else by partition."""
    cells = largest_cells(scores, max(ranks))
    if cells is not None:
        return [cells.at_rank(r) for r in ranks]
    n = scores.shape[1]
    inside = [n - r for r in ranks if r <= n]
    cut = np.partition(scores, inside, axis=1) if inside else scores
    return [cut[:, n - r] if r <= n else np.zeros(scores.shape[0], dtype=scores.dtype) for r in ranks]


def top_k_dense(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, column, score) of each row's k best columns scoring above 0, row by row, best first
    (`ranking_key`), ties broken by the lower column."""
    n = scores.shape[1]
    keep = scores > 0
    if k < n:  # only values that can tie the k-th best once rounded can rank (ties kept for the sort)
        keep &= scores >= np.partition(scores, n - k, axis=1)[:, n - k : n - k + 1] - TIE_WINDOW
    r, c = np.nonzero(keep)
    v = scores[r, c]
    order = np.lexsort((c, -ranking_key(v), r))
    r, c, v = r[order], c[order], v[order]
    rank = np.arange(len(r)) - np.searchsorted(r, r)
    return r[rank < k], c[rank < k], v[rank < k]


def segment_sums(segments: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each run of equal `segments` (sorted) starts, and the sum of its values added one by
    one from the left as Python's sum does, so the floats are those of a plain loop."""
    if len(segments) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    starts = np.flatnonzero(np.r_[True, segments[1:] != segments[:-1]])
    lengths = np.diff(np.r_[starts, len(segments)])
    # Longest runs first, so that the runs still adding a j-th value are a prefix and each step
    # touches only those: a mask over every run each step took 0.73 s against 0.16 s for the cosines
    # of 400,000 pairs (runs of 49 n-grams on average, of up to 1,186). Each run still adds from the left.
    longest_first = np.argsort(-lengths, kind="stable")
    firsts = starts[longest_first]
    live = len(starts) - np.cumsum(np.bincount(lengths))  # live[j]: how many runs are longer than j
    acc = np.zeros(len(starts))
    for j in range(int(lengths.max())):
        acc[: live[j]] += values[firsts[: live[j]] + j]
    sums = np.empty(len(starts))
    sums[longest_first] = acc
    return starts, sums


def ranks_of(order: list[int]) -> np.ndarray:
    ranks = np.empty(len(order), dtype=np.int64)
    ranks[order] = np.arange(len(order))
    return ranks


def binary_matrix(rows: list[list[int]], n_columns: int) -> sparse.csr_matrix:
    indptr = np.cumsum([0, *(len(r) for r in rows)])
    indices = np.array([c for r in rows for c in r], dtype=np.int64)
    data = np.ones(len(indices), dtype=np.float64)
    matrix = sparse.csr_matrix((data, indices, indptr), shape=(len(rows), n_columns))
    matrix.sort_indices()
    return matrix
