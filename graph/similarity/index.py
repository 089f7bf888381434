"""The profiles as matrices, ready to score: one pair with its explanation (`compare`), every
zone against every zone (`rank_all`), and the summaries of ranked pairs (`describe_pairs`)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TypeVar

import numpy as np
from scipy import sparse

from govkg.graph.similarity.blocks import (
    BLOCK_DTYPE,
    BlockScorer,
    CellValues,
    block_height,
    listed_of,
    on_threads,
)
from govkg.graph.similarity.parts import FEATURE_WEIGHTS, PARTS, SCORE_DIGITS, SET_PARTS, WORDING_WEIGHT
from govkg.graph.similarity.profiles import PracticeProfiles, Support, ZoneProfile
from govkg.graph.similarity.results import Explanation, PairSummaries, SimilarZone
from govkg.graph.similarity.scoring import (
    BLOCK_ROWS,
    CosineRows,
    JaccardRows,
    RankedPairs,
    binary_matrix,
    distinct_rows,
    idf_weights,
    jaccard_block,
    ranks_of,
    segment_sums,
    shared_strings,
    term_frequencies,
    top_k_dense,
)
from govkg.graph.similarity.triangle import Listed, list_everyone

_R = TypeVar("_R")

WORDING_SHOWN = 6  # shared strings listed in an explanation


# How far the exact scores of `pair_scores` may be from the real-number ones (about 1e-16: the last
# bits of double sums), with room to spare.
CLOSE = 1e-9


PAIR_CHUNK = 200_000  # pairs scored exactly at a time


@dataclass
class SimilarityIndex:
    """The profiles as sparse matrices, ready to score. Rows are the zones with a profile (sorted
    by id); `features` has one column per (part, key), `weights` its kind weight times idf;
    `wording` one L2-normalised TF-IDF row per zone over `grams`."""

    profiles: PracticeProfiles
    zone_ids: list[str]
    columns: list[tuple[str, str]]
    features: sparse.csr_matrix
    weights: np.ndarray
    wording: sparse.csr_matrix
    grams: list[str]

    @classmethod
    def build(cls, profiles: PracticeProfiles) -> SimilarityIndex:
        zone_ids = sorted(profiles.profiles)
        columns = sorted(
            {(part, k) for z in zone_ids for part in SET_PARTS for k in profiles.profiles[z].features[part]}
        )
        at = {c: i for i, c in enumerate(columns)}
        features = binary_matrix(
            [[at[(part, k)] for part in SET_PARTS for k in profiles.profiles[z].features[part]] for z in zone_ids],
            len(columns),
        )
        kind = np.array([FEATURE_WEIGHTS[part] for part, _ in columns])
        weights = kind * idf_weights(features)
        wording, grams = term_frequencies([list(profiles.profiles[z].wording.values()) for z in zone_ids])
        # TF-IDF rows scaled to length 1, in place: the matrix is the biggest thing the index holds.
        wording.data *= idf_weights(wording)[wording.indices]
        squares = sparse.csr_matrix((wording.data**2, wording.indices, wording.indptr), shape=wording.shape)
        norms = np.sqrt(np.asarray(squares.sum(axis=1)).ravel())
        del squares
        norms[norms == 0] = 1.0
        wording.data *= np.repeat(1.0 / norms, np.diff(wording.indptr))
        return cls(profiles, zone_ids, columns, features, weights, wording, grams)

    def row_of(self, zone_id: str) -> int:
        return self._row[zone_id]

    def scores(self, start: int, stop: int) -> sparse.csr_matrix:
        """The score of rows start..stop against every row (sparse: pairs sharing nothing are absent)."""
        jaccard = jaccard_block(self.features[start:stop], self.features, self.weights)
        cosine = self.wording[start:stop] @ self.wording.T
        return ((1.0 - WORDING_WEIGHT) * jaccard + WORDING_WEIGHT * cosine).tocsr()

    def top_pairs(self, k: int = 10, *, block_rows: int = BLOCK_ROWS) -> list[list[tuple[int, float]]]:
        """Every zone's k most similar zones (row index, score), best first."""
        ranked = self.rank_all(k, block_rows=block_rows)
        best: list[list[tuple[int, float]]] = [[] for _ in self.zone_ids]
        for source, target, score in zip(
            ranked.sources.tolist(), ranked.targets.tolist(), ranked.scores.tolist(), strict=True
        ):
            best[source].append((target, score))
        return best

    def rank_all(self, k: int = 10, *, block_rows: int = BLOCK_ROWS) -> RankedPairs:
        """Every zone's k most similar zones, best first (`ranking_key`; ties: the lower row first), zones scoring
        0 left out: the scores of a block of rows against all rows at a time, as dense arrays.

        The wording of a few thousand zones has n-grams most zones share, so nearly every pair
        scores above 0 and a sparse product would hold all n² of them: dense blocks cost the same
        arithmetic in a tenth of the memory and time. Zones with the same wording share its row
        of cosines, the n-grams most rows hold go through one dense matrix product (BLAS), the
        rest through a sparse one (CosineRows), and the Jaccard part likewise (JaccardRows).
        BLAS runs one thread a block: its idle threads spin between the many small products and
        starve the numpy work around them (20 s against 13 s at 11,000 zones on a busy 2-core
        machine); the blocks run on BLOCK_THREADS threads instead."""
        n = len(self.zone_ids)
        if n == 0 or k <= 0:
            return RankedPairs.empty()

        def best(rows: np.ndarray, scores: np.ndarray, cosine_at: CellValues) -> tuple[np.ndarray, ...]:
            r, c, v = top_k_dense(scores, k)
            return rows[r], c, v, cosine_at(r, c)

        found = self._map_blocks(np.arange(n), best, block_rows)
        sources, targets, scores_, cosines_ = (np.concatenate(parts) for parts in zip(*found, strict=True))
        order = np.argsort(sources, kind="stable")  # zone by zone, each best first as ranked
        return RankedPairs(sources[order], targets[order], scores_[order], cosines_[order])

    def _map_blocks(
        self, wanted: np.ndarray, consume: Callable[[np.ndarray, np.ndarray, CellValues], _R],
        block_rows: int = BLOCK_ROWS, dtype: type[np.floating] = np.float64,
    ) -> list[_R]:
        """`consume(rows, scores, cosine_at)` of the rows `wanted` against every row (`cosine_at(r, c)`:
        the wording's cosines of cells of `scores`), a block at a time
        on BLOCK_THREADS threads (a block's BLAS on one), the answers in block order: a zone's own
        score and those with its own ancestors and descendants are 0. `dtype`: the precision of the
        arithmetic (BLOCK_DTYPE: see `block_error`)."""
        n = len(self.zone_ids)
        wording_of, distinct = self.distinct_wording
        scorer = BlockScorer(
            JaccardRows(self.features, self.weights, dtype), CosineRows(distinct, dtype), wording_of, self.lineage
        )
        rows_per_block = block_height(n, block_rows)
        ordered = wanted[np.argsort(wording_of[wanted], kind="stable")]  # a block then needs few wording rows

        def block(b: int) -> _R:
            rows = ordered[b * rows_per_block : (b + 1) * rows_per_block]
            return consume(rows, *scorer.scores(rows))

        return on_threads(block, -(-len(ordered) // rows_per_block))

    def candidates(
        self, wanted: np.ndarray, k: int, listed: int, *, block_rows: int = BLOCK_ROWS
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For each row of `wanted`, the other rows that may be among its k best, and a bound on
        the rest: (sources, targets, bounds by row of `wanted`). Listed are the rows scoring above 0
        and at least the `listed`-th best score, or within TIE_WINDOW (and the arithmetic's error) of
        the k-th best (those that may tie it once rounded, which the exact scores of `pair_scores`
        settle); every row not listed scores at most its bound (0: none scores above 0). The block
        arithmetic is single precision: its scores are within `block_error` of the exact ones."""
        n = len(self.zone_ids)
        bounds = np.zeros(len(wanted))
        if n == 0 or k <= 0 or len(wanted) == 0:
            none = np.zeros(0, dtype=np.int64)
            return none, none, bounds

        error = self.block_error

        def listed_in(rows: np.ndarray, scores: np.ndarray, _: CellValues) -> Listed:
            r, c, bound = listed_of(scores, k, listed, error[rows])
            return rows, rows[r], c, bound

        where = {int(r): i for i, r in enumerate(wanted.tolist())}
        everyone = len(wanted) == n and np.array_equal(np.sort(wanted), np.arange(n))
        found = list_everyone(self, k, listed, block_rows) if everyone else None  # each pair scored once
        if found is None:
            found = self._map_blocks(wanted, listed_in, block_rows, BLOCK_DTYPE)
        for rows, _, _, bound in found:
            bounds[[where[int(r)] for r in rows.tolist()]] = bound
        sources = np.concatenate([f[1] for f in found])
        targets = np.concatenate([f[2] for f in found])
        return sources, targets, bounds

    def score_block(self, wanted: np.ndarray, *, block_rows: int = BLOCK_ROWS) -> np.ndarray:
        """The scores of the rows `wanted` against every row (rows in the order of `wanted`), as
        the block arithmetic gives them, in single precision: a pair's is within the `block_error`
        of either zone of its exact score (see `candidates`)."""
        out = np.zeros((len(wanted), len(self.zone_ids)), dtype=BLOCK_DTYPE)
        where = {int(r): i for i, r in enumerate(wanted.tolist())}

        def keep(rows: np.ndarray, scores: np.ndarray, _: CellValues) -> None:
            out[[where[int(r)] for r in rows.tolist()]] = scores  # each block its own rows of `out`

        self._map_blocks(wanted, keep, block_rows, BLOCK_DTYPE)
        return out

    def pair_scores(self, sources: np.ndarray, targets: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The exact scores of the pairs (sources[i], targets[i]): (score, the four set parts as an
        m x 4 array, cosine of the wording). Each pair's floats come from its own features and
        n-grams only, summed one by one in a fixed order (compare's order for the parts, n-gram
        order for the cosine), so a pair scores the same whichever other pairs are scored with it,
        in a full refresh or an incremental one; the score is symmetric. Taken PAIR_CHUNK pairs
        at a time, so that the memory stays bounded however many pairs are near a zone's cut (the
        cosines of all at once: the more pairs, the more of them `_cosines` finds alike)."""
        cosines = self._cosines(sources, targets)
        if len(sources) > PAIR_CHUNK:
            cuts = [slice(i, i + PAIR_CHUNK) for i in range(0, len(sources), PAIR_CHUNK)]
            chunks = [self._scored(sources[cut], targets[cut], cosines[cut]) for cut in cuts]
            return tuple(np.concatenate(part) for part in zip(*chunks, strict=True))  # type: ignore[return-value]
        return self._scored(sources, targets, cosines)

    def _scored(
        self, sources: np.ndarray, targets: np.ndarray, cosines: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """`pair_scores` of pairs whose wording cosines are known."""
        m = len(sources)
        part_sums = self._part_sums(sources, targets)
        union = self._sizes[sources] + self._sizes[targets] - part_sums.sum(axis=1)
        share = np.divide(1.0 - WORDING_WEIGHT, union, out=np.zeros(m), where=union > 0)
        parts = share[:, None] * part_sums
        total = np.zeros(m)
        for j in range(len(SET_PARTS)):
            total += parts[:, j]
        total += WORDING_WEIGHT * cosines
        return total, parts, cosines

    def _shared_columns(self, sources: np.ndarray, targets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(pair index, feature column) of every weighted feature the pairs (sources[i], targets[i]) share."""
        both = self.features[sources].multiply(self.features[targets]).tocsr()
        both.eliminate_zeros()
        pair = np.repeat(np.arange(len(sources)), np.diff(both.indptr))
        column = both.indices.astype(np.int64)
        held = self.weights[column] > 0
        return pair[held], column[held]

    def _part_sums(self, sources: np.ndarray, targets: np.ndarray) -> np.ndarray:
        """Each pair's shared weight part by part, summed one by one in compare's order (weight, then name)."""
        m = len(sources)
        part_sums = np.zeros((m, len(SET_PARTS)))
        if m == 0:
            return part_sums
        pair, column = self._shared_columns(sources, targets)
        part = self._part_index[column]
        order = np.lexsort((self._weight_rank[column], part, pair))
        starts, sums = segment_sums(pair[order] * len(SET_PARTS) + part[order], self.weights[column[order]])
        part_sums[pair[order][starts], part[order][starts]] = sums
        return part_sums

    def _cosines(self, sources: np.ndarray, targets: np.ndarray, chunk: int = 50_000) -> np.ndarray:
        """The cosine of each pair's wording rows, the products summed one by one in n-gram order.
        A cosine is a function of the two rows alone, and symmetric to the last bit (each product and
        the order of the sum are the same either way round), so each unordered pair of distinct rows is
        computed once (the 745,300 listed pairs of the 10,000-document store hold 464,614: 2.3-2.6 ->
        1.2 s, docs/measured.md)."""
        wording_of, distinct = self.distinct_wording
        a, b = wording_of[sources], wording_of[targets]
        n = max(distinct.shape[0], 1)
        keys, inverse = np.unique(np.minimum(a, b) * n + np.maximum(a, b), return_inverse=True)
        first, second = keys // n, keys % n
        out = np.zeros(len(keys))
        for start in range(0, len(keys), chunk):
            x, y = first[start : start + chunk], second[start : start + chunk]
            products = distinct[x].multiply(distinct[y]).tocsr()
            products.sort_indices()
            pair = np.repeat(np.arange(len(x)), np.diff(products.indptr))
            starts, sums = segment_sums(pair, products.data)
            out[start + pair[starts]] = sums
        return out[inverse.ravel()]

    def describe_pairs(self, ranked: RankedPairs) -> PairSummaries:
        """What `compare(..., explain=False)` says of each ranked pair, for all of them at once: the
        same score, parts and shared names (the exact scores of `pair_scores`, rounded)."""
        scored = None if ranked.parts is None else (ranked.scores, ranked.parts, ranked.cosines)
        return self.describe(ranked.sources, ranked.targets, scored)

    def describe(
        self, sources: np.ndarray, targets: np.ndarray,
        scored: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
    ) -> PairSummaries:
        """`describe_pairs` of the pairs (sources[i], targets[i]); `scored`: their `pair_scores`,
        when the ranking has them already (a first ranking: 372,650 pairs, about 1 s)."""
        m = len(sources)
        # pair_scores sums the score as compare does: the set parts from the left, then the wording.
        total, parts, cosines = self.pair_scores(sources, targets) if scored is None else scored
        values = np.column_stack([parts, WORDING_WEIGHT * cosines]).ravel().tolist()
        rounded = [round(v, SCORE_DIGITS) for v in values]  # Python's round, as compare's (not numpy's)
        pair, column = self._shared_columns(sources, targets)
        # Shared names part by part, each part's sorted by name.
        by_name = np.lexsort((self._name_rank[column], pair))
        names = [self._column_names[c] for c in column[by_name].tolist()]
        bounds = np.searchsorted(pair[by_name], np.arange(m + 1)).tolist()
        return PairSummaries(
            [round(v, SCORE_DIGITS) for v in total.tolist()],
            list(zip(*[iter(rounded)] * len(PARTS), strict=True)),
            [tuple(names[bounds[i] : bounds[i + 1]]) for i in range(m)],
        )

    @cached_property
    def block_error(self) -> np.ndarray:
        """Zone by zone, how far the single-precision block score of any pair with the zone may be
        from its exact score. With unit roundoff u and γ(n) = nu / (1 - nu): the cosine of two unit
        rows of non-negative TF-IDF values is a sum of m non-zero products (m at most either zone's
        n-grams), each rounded with its two factors, and the dense and sparse halves added: within
        γ(m + 3) of itself, and it is at most 1. The Jaccard index's shared weight (F features, F at
        most either zone's) is within γ(F + 2); the union, the two sizes added less the shared weight,
        is at least half their sum, so within γ(F + 7); the quotient, at most 1, within γ(2F + 10).
        Weighting and adding the two costs three roundings more. So γ(2F + m + 20) bounds the pair
        by the features and n-grams of either zone, and CLOSE the exact scores' own last bits."""
        unit = float(np.finfo(BLOCK_DTYPE).eps) / 2.0
        terms = 2.0 * np.diff(self.features.indptr) + np.diff(self.wording.indptr) + 20.0
        result: np.ndarray = terms * unit / (1.0 - terms * unit) + CLOSE
        return result

    @cached_property
    def lineage(self) -> sparse.csr_matrix:
        """Row by row, the rows of the zone's own ancestors and descendants (ranked as no peers)."""
        row = self._row
        pairs = [(row[z], row[k]) for z, kin in self.profiles.lineage.items() if z in row for k in kin if k in row]
        n = len(self.zone_ids)
        r = np.array([a for a, _ in pairs], dtype=np.int64)
        c = np.array([b for _, b in pairs], dtype=np.int64)
        return sparse.csr_matrix((np.ones(len(pairs)), (r, c)), shape=(n, n))

    @cached_property
    def distinct_wording(self) -> tuple[np.ndarray, sparse.csr_matrix]:
        """Each row's index among the distinct wording rows, and those rows (`distinct_rows`)."""
        return distinct_rows(self.wording)

    @cached_property
    def _sizes(self) -> np.ndarray:
        return np.asarray(self.features @ self.weights).ravel()

    @cached_property
    def _part_index(self) -> np.ndarray:
        return np.array([SET_PARTS.index(part) for part, _ in self.columns], dtype=np.int64)

    @cached_property
    def _column_names(self) -> list[str]:
        return [self.profiles.feature_names[c][0] for c in self.columns]

    @cached_property
    def _name_rank(self) -> np.ndarray:
        """Rank of each column by part, then name: the order of compare's `shared`."""
        ranked = sorted(range(len(self.columns)), key=lambda i: (self._part_index[i], self._column_names[i]))
        return ranks_of(ranked)

    @cached_property
    def _weight_rank(self) -> np.ndarray:
        """Rank of each column by weight (heaviest first), part, then name: compare's order."""
        ranked = sorted(
            range(len(self.columns)),
            key=lambda i: (-self.weight_of[self.columns[i]], self._part_index[i], self._column_names[i]),
        )
        return ranks_of(ranked)

    @cached_property
    def weight_of(self) -> dict[tuple[str, str], float]:
        return {c: float(w) for c, w in zip(self.columns, self.weights, strict=True)}

    @cached_property
    def _row(self) -> dict[str, int]:
        return {z: i for i, z in enumerate(self.zone_ids)}

    def compare(
        self, zone_id: str, other_id: str, *, explain: bool = True, supported: PracticeProfiles | None = None
    ) -> SimilarZone:
        """Score, parts and explanation of one pair, from the profiles (the formula `scores` uses).
        Without `explain`, the explanation (and the shared wording it lists) is left out. `supported`:
        profiles of the two zones with their supports (`supported_profiles`), when the index was built
        from profiles without (the same features, so the same score)."""
        held = supported.profiles if supported is not None else self.profiles.profiles
        a, b = held[zone_id], held[other_id]
        weight_of = self.weight_of
        mine = {(part, k) for part in SET_PARTS for k in a.features[part]}
        theirs = {(part, k) for part in SET_PARTS for k in b.features[part]}
        union = sum(weight_of[c] for c in mine | theirs)
        share = (1.0 - WORDING_WEIGHT) / union if union else 0.0
        shared = sorted(
            (c for c in mine & theirs if weight_of[c] > 0),
            key=lambda c: (-weight_of[c], SET_PARTS.index(c[0]), self.profiles.feature_names[c][0]),
        )
        parts = {part: share * sum(weight_of[c] for c in shared if c[0] == part) for part in SET_PARTS}
        explanation: list[Explanation] = []
        for part, key in shared if explain else ():
            name, name_en = self.profiles.feature_names[(part, key)]
            explanation.append(
                Explanation(part, name, name_en, round(share * weight_of[(part, key)], SCORE_DIGITS),
                            tuple(a.features[part][key]), tuple(b.features[part][key]))
            )
        row = self._row
        products = self.wording[row[zone_id]].multiply(self.wording[row[other_id]]).tocsr()
        parts["wording"] = WORDING_WEIGHT * float(products.sum())
        if explain:
            explanation.extend(self._wording_explanation(a, b, products))
        explanation.sort(key=lambda item: -item.weight)  # stable: ties keep the order above

        def names(part: str) -> tuple[str, ...]:
            return tuple(sorted(self.profiles.feature_names[c][0] for c in shared if c[0] == part))

        return SimilarZone(
            zone=b.zone.name,
            zone_id=b.zone.id,
            score=round(sum(parts.values()), SCORE_DIGITS),
            parts={part: round(parts[part], SCORE_DIGITS) for part in PARTS},
            shared_mechanisms=names("mechanisms"),
            shared_categories=names("categories"),
            shared_organisation_kinds=names("organisations"),
            shared_policy_kinds=names("policies"),
            shared_wording=tuple(item.feature for item in explanation if item.part == "wording"),
            explanation=tuple(explanation),
            explained=explain,
        )

    def _wording_explanation(self, a: ZoneProfile, b: ZoneProfile, products: sparse.csr_matrix) -> list[Explanation]:
        """The longest strings both zones' wording holds, ranked by the part of the wording score
        that comes from the n-grams inside them, each with the mechanisms on both sides using it."""
        contribution = {
            self.grams[i]: WORDING_WEIGHT * float(v) for i, v in zip(products.indices, products.data, strict=True)
        }
        listed: list[Explanation] = []
        for text, weight in shared_strings(list(a.wording.values()), list(b.wording.values()), contribution):
            if round(weight, SCORE_DIGITS) <= 0 or len(listed) == WORDING_SHOWN:
                break
            listed.append(
                Explanation("wording", text, text, round(weight, SCORE_DIGITS), _wording_supports(a, text),
                            _wording_supports(b, text))
            )
        return listed


def _wording_supports(profile: ZoneProfile, gram: str) -> tuple[Support, ...]:
    return tuple(
        Support(name, "WORDING", profile.mechanism_evidence.get(name, ()))
        for name, text in sorted(profile.wording.items())
        if gram in unicodedata.normalize("NFKC", text)
    )
