"""Every zone's listing for exact scoring with each pair scored once (`list_everyone`): what
`SimilarityIndex.candidates` promises for all zones, at a little more than half the arithmetic.

The plain listing scores a block of zones against every zone, so it scores each pair twice, once
in each zone's block. Here the zones go in the blocks' order (by wording, as `_map_blocks` orders
them), cut into segments of whole blocks (SEGMENT_ZONES), and a block is scored only against the
zones from its own segment's start on (its strip): the pieces of `JaccardRows` and `CosineRows` take
those columns without copying. A row then has every score but those with the zones of earlier
segments, which the earlier blocks' strips held, the score being symmetric. So each block hands on,
to every zone of a later segment, the cells that can reach that zone's cut, and the zone takes them
when its own block comes.

Which cells can reach a zone's cut: the cut (`listing_cut`) is the lower of its `listed`-th best and
its k-th best less the tie window, and the r-th largest of the maxima of any disjoint groups of its
cells is at most its r-th best. Each block gives the maxima of its rows in groups of MAXIMA_ROWS for
every later zone; a cell below the cut those maxima give so far is below the zone's cut, and is
dropped. A zone's row is then listed as `listed_of` lists a whole row: its r-th best is the r-th
largest of its strip's best and the cells handed on (which hold every earlier cell at least that).

A pair's single-precision score is within `block_error` of the exact one from either side, so the
listing keeps its promise (tests/test_similarity_triangle.py checks it against double precision).
It is not always the plain listing to the bit: BLAS can round a cell's last bits otherwise in a
narrower product, so a pair within that of a cut, or a bound, can come out otherwise (one bound in
a zone of 1,300 in the test; none at 37,265 zones, where the two listings were the same arrays).
The exact scores of `pair_scores` then settle the ranking alike."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import numpy as np

from govkg.graph.similarity.blocks import (
    BLOCK_DTYPE,
    BlockScorer,
    above_zero,
    block_height,
    cells_at_least,
    listing_cut,
    on_threads,
)
from govkg.graph.similarity.scoring import CosineRows, JaccardRows, largest_cells

if TYPE_CHECKING:
    from govkg.graph.similarity.index import SimilarityIndex

# A segment holds whole blocks of at least this many zones. A block's strip starts at its segment's
# start, so the pairs within a segment are scored twice (at 37,265 zones, 9 segments: 1/9 of the
# pairs, 1/18 more work than the plain listing's half); and each block takes its sparse products
# piece by piece, one a segment, about 80 µs each whatever the piece's size: at 37,265 zones on one
# thread the blocks' scores took 12.0 s with 8 segments, 12.1 with 16, 12.9 with 32 and 14.2 with 64
# (docs/measured.md).
SEGMENT_ZONES = 4096

MAXIMA_ROWS = 4  # a block's rows give the zones of later segments one maximum per this many

# The cells held are pruned when there are twice this many a zone, or twice as many as after the last
# pruning: each pruning sorts them all, holding up the other thread's blocks. The blocks hand on about
# 120 cells a zone at 37,265 zones and 180 at 105,302; pruning from 64 a zone took the listing at
# 37,265 zones from 8.7-9.0 s to 9.3-9.9 s (docs/measured.md), for a peak no lower.
PRUNE_PER_ZONE = 128

Listed = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # rows, sources, targets, bounds


class _HandedOn:
    """The cells blocks hand on to the zones of later segments (in positions: the order of the
    blocks), and, zone by zone, the largest maxima of its groups of cells handed on so far and the
    cut they give. Blocks run on threads: `lock` guards it all, and a block of segment s waits
    (`earlier_cells`) until every block of the segments before it has handed its cells on."""

    def __init__(self, cuts: np.ndarray, per_segment: int, k: int, listed: int, error: np.ndarray) -> None:
        n = int(cuts[-1])
        self.cuts, self.per_segment, self.k, self.listed, self.error = cuts, per_segment, k, listed, error
        self.maxima = np.zeros((n, listed), dtype=BLOCK_DTYPE)  # each zone's `listed` largest, in no order
        self.least = np.zeros(n, dtype=BLOCK_DTYPE)  # the least of those
        self.cut = np.full(n, float(np.finfo(BLOCK_DTYPE).smallest_subnormal))
        self.pending: list[list[tuple[np.ndarray, ...]]] = [[] for _ in range(len(cuts) - 1)]
        self.ready: dict[int, tuple[np.ndarray, ...]] = {}
        self.held = 0  # cells in `pending`
        self.kept = PRUNE_PER_ZONE * n  # cells in `pending` after the last pruning (at least PRUNE_PER_ZONE a zone)
        self.handed = [0] * (len(cuts) - 1)  # segment by segment, its blocks that have handed their cells on
        self.finished = [0] * (len(cuts) - 1)
        self.failed = False
        self.lock = threading.Condition()

    def hand_on(self, segment: int, cells: np.ndarray, first: int, rows: np.ndarray) -> None:
        """Hand on the cells of `rows` (positions, of a block of `segment`) with the zones from
        position `first` on."""
        if cells.shape[1] == 0:  # the last segment's
            self._handed(segment)
            return
        n = len(self.least)
        group_maxima = _group_maxima(cells)
        best = group_maxima.max(axis=0)
        with self.lock:
            rising = np.flatnonzero(best > self.least[first:])
            if len(rising):
                zones = first + rising
                merged = np.concatenate([self.maxima[zones], group_maxima[:, rising].T], axis=1)
                width = merged.shape[1]
                # Sorted, not partitioned: numpy sorts short rows of floats with SIMD, 0.4 ms for 5,000 rows of 47
                # against 3.3 ms for a partition at three ranks.
                merged.sort(axis=1)
                self.maxima[zones] = merged[:, width - self.listed :]
                self.least[zones] = merged[:, width - self.listed]
                lowest, _ = listing_cut(merged[:, width - self.listed], merged[:, width - self.k], self.error[zones])
                self.cut[zones] = np.maximum(self.cut[zones], lowest)
            cut = self.cut[first:n].copy()
        # Segment by segment (the transient arrays stay small, and each segment's cells go to its own
        # list): a group whose maximum is below a zone's cut holds none of its cells to hand on, so the
        # groups' maxima are compared, then the cells of the groups that reach it.
        found = []
        for s in range(segment + 1, len(self.cuts) - 1):
            a, b = int(self.cuts[s]) - first, int(self.cuts[s + 1]) - first
            groups, c = np.nonzero(group_maxima[:, a:b] >= cut[a:b])
            r = (groups[:, None] * MAXIMA_ROWS + np.arange(MAXIMA_ROWS)).ravel()
            c = np.repeat(c + a, MAXIMA_ROWS)
            inside = r < cells.shape[0]
            r, c = r[inside], c[inside]
            values = cells[r, c]
            held = values >= cut[c]
            # Positions fit in 32 bits (a block's scores against 2**31 zones would not fit in memory).
            found.append((s, (first + c[held]).astype(np.int32), rows[r[held]].astype(np.int32), values[held]))
        with self.lock:
            for s, zones, others, values in found:
                self.pending[s].append((zones, others, values))
                self.held += len(values)
            if self.held > 2 * self.kept:
                self._prune()
        self._handed(segment)

    def _prune(self) -> None:
        """Raise each zone's cut to the one its own cells held give (their `listed`-th and k-th
        largest are at most its row's), and drop the cells held below it: each time the cells held
        double, so the work stays in proportion to the cells handed on. The maxima's cut alone kept
        about 180 cells a zone at 105,302 zones, some 300 MB more than the plain listing's peak."""
        for s, pieces in enumerate(self.pending):
            if pieces:
                zones, others, values = (np.concatenate(part) for part in zip(*pieces, strict=True))
                at_listed, kth = _at_ranks(zones, values, len(self.cut), (self.listed, self.k))
                lowest, _ = listing_cut(at_listed, kth, self.error)
                np.maximum(self.cut, lowest, out=self.cut)
                keep = values >= self.cut[zones]
                self.pending[s] = [(zones[keep], others[keep], values[keep])]
        self.held = sum(len(p[0]) for pieces in self.pending for p in pieces)
        self.kept = max(self.held, PRUNE_PER_ZONE * len(self.least))

    def _handed(self, segment: int) -> None:
        with self.lock:
            self.handed[segment] += 1
            self.lock.notify_all()

    def earlier_cells(self, segment: int) -> tuple[np.ndarray, ...]:
        """The cells handed on to the zones of `segment` (zones, the other zones, values; by zone),
        once every block of the segments before it has handed its cells on."""
        with self.lock:
            while sum(self.handed[:segment]) < segment * self.per_segment:
                if self.failed:  # what it waits for will never come; the failed block's error is raised first
                    raise RuntimeError("another block of the listing failed")
                self.lock.wait()
            if segment not in self.ready:
                pieces = self.pending[segment]
                self.pending[segment] = []
                self.held -= sum(len(p[0]) for p in pieces)
                zones, others, values = (np.concatenate([p[i] for p in pieces]) if pieces else
                                         np.zeros(0, dtype=dtype) for i, dtype in
                                         enumerate((np.int32, np.int32, BLOCK_DTYPE)))  # fmt: skip
                keep = values >= self.cut[zones]  # the cut rose since some were handed on
                zones, others, values = zones[keep], others[keep], values[keep]
                order = np.lexsort((others, zones))
                zones, others, values = zones[order], others[order], values[order]
                self.ready[segment] = (zones, others, values)
            return self.ready[segment]

    def done(self, segment: int, blocks_in_segment: int) -> None:
        with self.lock:
            self.finished[segment] += 1
            if self.finished[segment] == blocks_in_segment:
                self.ready.pop(segment, None)

    def fail(self) -> None:
        with self.lock:
            self.failed = True
            self.lock.notify_all()


def _group_maxima(cells: np.ndarray) -> np.ndarray:
    """The maxima of the cells of every zone (column) in each group of MAXIMA_ROWS rows, the last group
    what is left. A reshaped view, not np.maximum.reduceat: that took 2.5 of the 21 s of the listing at
    37,265 zones on one thread."""
    whole = cells.shape[0] - cells.shape[0] % MAXIMA_ROWS
    maxima = cells[:whole].reshape(-1, MAXIMA_ROWS, cells.shape[1]).max(axis=1)
    if whole < cells.shape[0]:
        maxima = np.concatenate([maxima, cells[whole:].max(axis=0, keepdims=True)])
    return maxima


def _at_ranks(rows: np.ndarray, values: np.ndarray, n: int, ranks: tuple[int, ...]) -> list[np.ndarray]:
    """For each rank r in `ranks` (1: the largest), the r-th largest of the values of each of `n`
    rows (`values[i]` is in row `rows[i]`), 0 where a row has fewer."""
    order = np.lexsort((-values, rows))
    rows, values = rows[order], values[order]
    rank = np.arange(len(rows)) - np.searchsorted(rows, rows) + 1
    found = []
    for wanted in ranks:
        at = np.zeros(n, dtype=values.dtype)
        at[rows[rank == wanted]] = values[rank == wanted]
        found.append(at)
    return found


def listed_rows(
    scores: np.ndarray, first: int, earlier: tuple[np.ndarray, np.ndarray, np.ndarray],
    k: int, listed: int, error: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """`listed_of` of rows whose scores with the zones from position `first` on are `scores` and
    whose cells with earlier zones that can reach their cut are `earlier` (row, position, value):
    (row, position, bounds by row), row by row, positions in order."""
    h, width = scores.shape
    cells = largest_cells(scores, listed)
    if cells is not None:
        best = cells.rank <= listed
        best_rows, best_values = cells.rows[best], cells.values[best]
    else:  # a short strip: the last segment's, when there are few zones
        depth = min(listed, width)
        best_values = np.partition(scores, width - depth, axis=1)[:, width - depth :].ravel()
        best_rows = np.repeat(np.arange(h), depth)
    earlier_rows, earlier_positions, earlier_values = earlier
    at_listed, kth = _at_ranks(
        np.concatenate([best_rows, earlier_rows]), np.concatenate([best_values, earlier_values]), h, (listed, k)
    )
    lowest, bound = listing_cut(at_listed, kth, error)
    cut = above_zero(scores, lowest)
    r, c = cells_at_least(scores, cut, cells)
    held = earlier_values >= cut[earlier_rows]
    r = np.concatenate([r, earlier_rows[held]])
    c = np.concatenate([c + first, earlier_positions[held]])
    return r, c, bound


def list_everyone(index: SimilarityIndex, k: int, listed: int, block_rows: int) -> list[Listed] | None:
    """`SimilarityIndex.candidates` of every zone, block by block in the order `_map_blocks` takes
    them (rows, sources, targets, bounds of the rows), each pair scored once; None where the plain
    listing serves (a single block, or every zone listed whole)."""
    n = len(index.zone_ids)
    height = block_height(n, block_rows)
    starts = np.arange(0, n, height)
    if len(starts) < 2 or not 0 < k <= listed < n:
        return None
    per_segment = -(-SEGMENT_ZONES // height)
    cuts = np.r_[starts[::per_segment], n]
    wording_of, distinct = index.distinct_wording
    ordered = np.argsort(wording_of, kind="stable")
    wording = wording_of[ordered]
    lineage = index.lineage[ordered][:, ordered].tocsr()
    scorer = BlockScorer(
        JaccardRows(index.features[ordered], index.weights, BLOCK_DTYPE, cuts.tolist()),
        CosineRows(distinct, BLOCK_DTYPE, [*wording[cuts[:-1]].tolist(), distinct.shape[0]]),
        wording, lineage,
    )  # fmt: skip
    error = index.block_error[ordered]
    handed = _HandedOn(cuts, per_segment, k, listed, error)

    def block(b: int) -> Listed:
        segment = b // per_segment
        rows = np.arange(starts[b], min(starts[b] + height, n))
        first, later = int(cuts[segment]), int(cuts[segment + 1])
        try:
            scores, _ = scorer.scores(rows, segment)
            handed.hand_on(segment, scores[:, later - first :], later, rows)
            zones, others, values = handed.earlier_cells(segment)
            a, z = np.searchsorted(zones, [rows[0], rows[-1] + 1])
            earlier = (zones[a:z] - rows[0], others[a:z], values[a:z])
            r, c, bound = listed_rows(scores, first, earlier, k, listed, error[rows])
        except BaseException:
            handed.fail()
            raise
        in_segment = min(per_segment, len(starts) - segment * per_segment)
        handed.done(segment, in_segment)
        sources, targets = ordered[rows][r], ordered[c]
        order = np.lexsort((targets, r))
        return ordered[rows], sources[order], targets[order], bound

    return on_threads(block, len(starts))
