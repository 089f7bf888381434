"""Every zone's top k, exactly, re-scoring after a change only the zones it can have moved.

A full ranking scores every zone against every zone (`SimilarityIndex.candidates`): the work grows
with the square of the zones (13.5-14.8 s of numpy at 37,000 zones, in single precision,
docs/measured.md). It keeps, for each zone, a list of the zones that could matter (its `listed`
best, and any that may tie its k-th best) with their exact scores (`SimilarityIndex.pair_scores`),
and a bound on the score of every zone not listed. That state (`RankState`) is kept in a file beside
the store (`answers.state_path`), written once the write it describes has landed
(`answers.keep_state`, after a load's or a correction's staged write: a write that fails leaves no
state of data the store never held).

The next refresh reads the profiles again and compares them with the state, zone by zone (a digest
of each zone's features, wording and own ancestors and descendants):

- a zone whose profile changed, a new one, and one whose score can move by more than MOVE (below)
  is scored against every zone, as in a full ranking;
- every other zone's score with another unchanged zone can move only because the weights moved
  (idf = ln((N + 1) / df) moves with N and with each df): by at most move(a) + move(b), where
  move(a) = 0.85 * 2 * sum over a's features of |w' - w| / (a's weight) + 0.15 * 2 * |tf-idf' -
  tf-idf| / |tf-idf'| (bounds of a weighted Jaccard index and of a cosine under changed weights).
  Its listed zones are scored exactly under the new weights, and the changed zones that score
  near its best; if its k-th best then beats its bound plus the largest moves, no zone left out
  can enter its top k, and the ranking of that zone is exact. Otherwise it is scored in full.

When nothing changed at all (the same zones, digests and df), the state's lists are the ranking
and nothing is scored (`_unchanged`).

Pairs are ranked by their exact scores rounded as SIMILAR_TO stores them (`ranking_key`), ties to
the lower zone id, in both paths, so an incremental
refresh keeps the very SIMILAR_TO rows a full one would (tests/test_similarity_incremental.py).
A state that does not match (another k, another version, unreadable, too many changes) gives a
full ranking; nothing in the file is trusted beyond what the comparison with the profiles confirms,
so a stale or foreign file costs time, never correctness.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse

from govkg.graph.similarity.index import CLOSE, SimilarityIndex, listed_of
from govkg.graph.similarity.parts import FEATURE_WEIGHTS, SET_PARTS, WORDING_WEIGHT
from govkg.graph.similarity.profiles import PracticeProfiles
from govkg.graph.similarity.scoring import TIE_WINDOW, RankedPairs, ranking_key

__all__ = ["STATE_SUFFIX", "RankState", "load_state", "rank_exact", "save_state"]

STATE_SUFFIX = ".similarity"
STATE_VERSION = 2  # 2: ranked by the rounded score (ranking_key)
LISTED_PER_K = 2  # a zone keeps its 2k best (and near ties) with their exact scores
MOVE = 1e-3  # a zone whose scores can move more than this is scored in full
CHANGED_SHARE = 0.25  # more changed zones than this share: a full ranking


@dataclass
class RankState:
    """What a ranking leaves for the next one: the zones ranked, a digest of each one's profile,
    N and the df of every feature and n-gram, and each zone's listed zones (CSR: `indptr`,
    `targets` as positions in `zone_ids`, `scores` exact) with the bound on all others."""

    k: int
    zone_ids: np.ndarray  # str
    digests: np.ndarray  # S16
    features: np.ndarray  # str: part + \x1f + key
    feature_df: np.ndarray
    grams: np.ndarray  # str
    gram_df: np.ndarray
    indptr: np.ndarray
    targets: np.ndarray
    scores: np.ndarray
    bounds: np.ndarray

    @property
    def n(self) -> int:
        return len(self.zone_ids)


def save_state(state: RankState, path: Path) -> None:
    """Write the state to `path` (atomically; a folder that cannot be written keeps none)."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                np.savez(out, version=np.array([STATE_VERSION, state.k]), zone_ids=state.zone_ids,
                         digests=state.digests, features=state.features, feature_df=state.feature_df,
                         grams=state.grams, gram_df=state.gram_df, indptr=state.indptr, targets=state.targets,
                         scores=state.scores, bounds=state.bounds)  # fmt: skip
            os.replace(temporary, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def load_state(path: Path | None, k: int, *, or_more: bool = False) -> RankState | None:
    """The state kept at `path` for rankings of `k` (`or_more`: of k or more, whose k best hold the
    k best of any smaller k), or None (no file, another version or k, unreadable)."""
    if path is None or not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as held:
            version, kept_k = (int(v) for v in held["version"])
            if version != STATE_VERSION or kept_k < k or (kept_k != k and not or_more):
                return None
            return RankState(kept_k, held["zone_ids"], held["digests"], held["features"], held["feature_df"],
                             held["grams"], held["gram_df"], held["indptr"], held["targets"], held["scores"],
                             held["bounds"])  # fmt: skip
    except (OSError, ValueError, KeyError, EOFError):
        return None


def digests(profiles: PracticeProfiles, zone_ids: list[str]) -> np.ndarray:
    """A digest of what a zone's scores depend on: its features, its wording, its own kin."""
    out = []
    for z in zone_ids:
        p = profiles.profiles[z]
        h = hashlib.blake2b(digest_size=16)
        for part in SET_PARTS:
            h.update(part.encode())
            for key in sorted(p.features[part]):
                h.update(b"\x1f" + key.encode())
        h.update(b"\x1e")
        for text in p.wording.values():  # in the order the wording is joined (term frequencies count it)
            h.update(text.encode() + b"\x1f")
        h.update(b"\x1e")
        for kin in sorted(profiles.lineage.get(z, ())):
            h.update(kin.encode() + b"\x1f")
        out.append(h.digest())
    return np.array(out, dtype="S16")


def rank_exact(
    index: SimilarityIndex, profiles: PracticeProfiles, k: int, state: RankState | None
) -> tuple[RankedPairs, RankState]:
    """Every zone's k best (exact scores above 0, best first, ties to the lower id) and the state for
    the next ranking: incrementally from `state` when it fits, else in full."""
    n = len(index.zone_ids)
    listed = max(LISTED_PER_K * k, k)
    marks = digests(profiles, index.zone_ids)
    if state is not None and n > 0 and k > 0:
        done = _unchanged(index, marks, k, state) or _incremental(index, marks, k, listed, state)
        if done is not None:
            return done
    sources, targets, bounds = index.candidates(np.arange(n), k, listed)
    return _settle(index, marks, k, listed, sources, targets, index.pair_scores(sources, targets), bounds)


def _unchanged(
    index: SimilarityIndex, marks: np.ndarray, k: int, state: RankState
) -> tuple[RankedPairs, RankState] | None:
    """The state's own ranking when nothing it was made from has changed (None otherwise): the same
    zones in the same rows with the same digests, the same features and n-grams in the same columns
    with the same df, so the same weights. Every listed score is then what scoring the pair again
    gives, bit for bit (a pair's floats depend on its own row data only), and each zone's list is
    best first: its first k are its k best. A re-load of documents already held, a correction that
    changes no profile and the app's families after a load rank that way: at 37,000 zones rescoring
    the 745,000 listed pairs took 5 s (docs/measured.md)."""
    if state.k != k or state.n != len(index.zone_ids):
        return None
    if not (np.array_equal(state.zone_ids, np.array(index.zone_ids, dtype=str))
            and np.array_equal(state.digests, marks)):  # fmt: skip
        return None
    for then, now in zip((state.features, state.feature_df, state.grams, state.gram_df), _dfs(index), strict=True):
        if not np.array_equal(then, now):
            return None
    lengths = np.diff(state.indptr)
    sources = np.repeat(np.arange(state.n, dtype=np.int64), lengths)
    rank = np.arange(len(sources)) - np.repeat(state.indptr[:-1], lengths)
    top = rank < k
    ranked = RankedPairs(sources[top], state.targets[top].astype(np.int64), state.scores[top], np.zeros(int(top.sum())))
    return ranked, state


Scored = tuple[np.ndarray, np.ndarray, np.ndarray]  # pair_scores: totals, set parts, cosines


def _taken(scored: Scored, at: np.ndarray) -> Scored:
    total, parts, cosines = scored
    return total[at], parts[at], cosines[at]


def _joined(*scored: Scored) -> Scored:
    total, parts, cosines = zip(*scored, strict=True)
    return np.concatenate(total), np.concatenate(parts), np.concatenate(cosines)


def _settle(
    index: SimilarityIndex, marks: np.ndarray, k: int, listed: int, sources: np.ndarray, targets: np.ndarray,
    scored: Scored, bounds: np.ndarray,
) -> tuple[RankedPairs, RankState]:
    """Cut each zone's candidate pairs, scored exactly (`scored`, as `pair_scores` gives it), to its
    k best, and keep its `listed` best (bounds raised to the best of those dropped) as the state. The
    ranked pairs keep their scores' parts, for describing them."""
    n = len(index.zone_ids)
    positive = scored[0] > 0
    sources, targets, scored = sources[positive], targets[positive], _taken(scored, positive)
    order = np.lexsort((targets, -ranking_key(scored[0]), sources))
    sources, targets, scored = sources[order], targets[order], _taken(scored, order)
    total = scored[0]
    rank = np.arange(len(sources)) - np.searchsorted(sources, sources)
    top = rank < k
    best = _taken(scored, top)
    ranked = RankedPairs(sources[top], targets[top], best[0], best[2], best[1])
    kept = rank < listed
    bounds = bounds.copy()
    if (~kept).any():
        np.maximum.at(bounds, sources[~kept], total[~kept])
    indptr = np.searchsorted(sources[kept], np.arange(n + 1))
    state = RankState(k, np.array(index.zone_ids, dtype=str), marks, *_dfs(index), indptr.astype(np.int64),
                      targets[kept].astype(np.int64), total[kept], bounds)  # fmt: skip
    return ranked, state


def _dfs(index: SimilarityIndex) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    feature_df = np.bincount(index.features.indices, minlength=index.features.shape[1])
    gram_df = np.bincount(index.wording.indices, minlength=index.wording.shape[1])
    keys = np.array([f"{part}\x1f{key}" for part, key in index.columns], dtype=str)
    return keys, feature_df.astype(np.int64), np.array(index.grams, dtype=str), gram_df.astype(np.int64)


def _moves(index: SimilarityIndex, state: RankState) -> np.ndarray:
    """How far each zone's score with any other zone whose profile did not change can move, from
    the weights alone (a zone's own part: the bound of a pair is the sum of both zones' moves)."""
    n_old, n_new = state.n, len(index.zone_ids)
    old_df = dict(zip(state.features.tolist(), state.feature_df.tolist(), strict=True))
    kind = np.array([FEATURE_WEIGHTS[part] for part, _ in index.columns])
    df_then = np.array([old_df.get(f"{part}\x1f{key}", 0) for part, key in index.columns], dtype=np.float64)
    w_then = np.where(df_then > 0, kind * np.log((n_old + 1.0) / np.maximum(df_then, 1)), 0.0)
    changed_weight = np.abs(index.weights - w_then)
    sizes = np.asarray(index.features @ index.weights).ravel()
    drift = np.asarray(index.features @ changed_weight).ravel()
    jaccard = np.divide(2.0 * drift, sizes, out=np.zeros(n_new), where=sizes > 0)
    old_gram_df = dict(zip(state.grams.tolist(), state.gram_df.tolist(), strict=True))
    gram_df_then = np.array([old_gram_df.get(g, 0) for g in index.grams], dtype=np.float64)
    gram_df_now = np.bincount(index.wording.indices, minlength=index.wording.shape[1]).astype(np.float64)
    idf_now = np.zeros(len(index.grams))
    held = gram_df_now > 0
    idf_now[held] = np.log((n_new + 1.0) / gram_df_now[held])
    idf_then = np.where(gram_df_then > 0, np.log((n_old + 1.0) / np.maximum(gram_df_then, 1)), 0.0)
    ratio = np.divide(np.abs(idf_now - idf_then), idf_now, out=np.zeros(len(idf_now)), where=idf_now > 0)
    # |tf-idf' - tf-idf| / |tf-idf'| = |u' * (idf' - idf) / idf'| for the unit row u'.
    moved = sparse.csr_matrix(index.wording.multiply(ratio[None, :]))
    cosine = 2.0 * np.sqrt(np.asarray(moved.multiply(moved).sum(axis=1)).ravel())
    return (1.0 - WORDING_WEIGHT) * jaccard + WORDING_WEIGHT * cosine + CLOSE


def _incremental(
    index: SimilarityIndex, marks: np.ndarray, k: int, listed: int, state: RankState
) -> tuple[RankedPairs, RankState] | None:
    n = len(index.zone_ids)
    row_of = {z: i for i, z in enumerate(index.zone_ids)}
    then_of = {z: i for i, z in enumerate(state.zone_ids.tolist())}
    old_row = np.array([then_of.get(z, -1) for z in index.zone_ids], dtype=np.int64)
    same = old_row >= 0
    same[same] = state.digests[old_row[same]] == marks[same]
    move = _moves(index, state)
    same &= move <= MOVE
    changed = np.flatnonzero(~same)
    if len(changed) > CHANGED_SHARE * n:
        return None
    largest_move = float(move[same].max(initial=0.0))
    # The changed zones against every zone: their own rankings, and who they may enter.
    against = index.score_block(changed) if len(changed) else np.zeros((0, n))
    error = index.block_error
    # Each unchanged zone's listed zones that are unchanged, in new rows.
    new_of_old = np.full(state.n, -1, dtype=np.int64)
    moved_to = np.array([row_of.get(z, -1) for z in state.zone_ids.tolist()], dtype=np.int64)
    new_of_old[:] = moved_to
    keep_rows = np.flatnonzero(same)
    lengths = np.diff(state.indptr)[old_row[keep_rows]]
    starts = state.indptr[old_row[keep_rows]]
    src = np.repeat(keep_rows, lengths)
    at = np.repeat(starts - np.cumsum(np.r_[0, lengths[:-1]]), lengths) + np.arange(int(lengths.sum()))
    tgt = new_of_old[state.targets[at]] if len(at) else np.zeros(0, dtype=np.int64)
    alive = tgt >= 0
    alive[alive] = same[tgt[alive]]
    src, tgt = src[alive], tgt[alive]
    scored = index.pair_scores(src, tgt)
    positive = scored[0] > 0
    src, tgt, scored = src[positive], tgt[positive], _taken(scored, positive)
    # The k-th best of those (0 if fewer): a changed zone scoring below it cannot enter.
    order = np.lexsort((tgt, -ranking_key(scored[0]), src))
    src, tgt, scored = src[order], tgt[order], _taken(scored, order)
    total = scored[0]
    rank = np.arange(len(src)) - np.searchsorted(src, src)
    kth = np.zeros(n)
    kth[src[rank == k - 1]] = total[rank == k - 1]
    if len(changed):
        # A pair's block score is within either zone's block_error of the exact one.
        entering = (against > 0) & (against >= (kth - TIE_WINDOW - error)[None, :])
        entering[:, changed] = False
        zc, za = np.nonzero(entering)
        held_out = np.where(entering, 0.0, against)
        held_out[:, changed] = 0.0
        best_out = held_out.max(axis=0)
        scored = _joined(scored, index.pair_scores(za, changed[zc]))
        src, tgt = np.r_[src, za], np.r_[tgt, changed[zc]]
    else:
        best_out = np.zeros(n)
    # Bounds of the zones left out: unchanged ones moved at most this far; changed ones scored below.
    then_bound = np.zeros(n)
    then_bound[keep_rows] = state.bounds[old_row[keep_rows]]
    bound = np.where(then_bound > 0, then_bound + move + largest_move, 0.0)
    bound = np.maximum(bound, best_out + error * (best_out > 0))
    positive = scored[0] > 0
    src, tgt, scored = src[positive], tgt[positive], _taken(scored, positive)
    order = np.lexsort((tgt, -ranking_key(scored[0]), src))
    src, tgt, scored = src[order], tgt[order], _taken(scored, order)
    total = scored[0]
    rank = np.arange(len(src)) - np.searchsorted(src, src)
    count = np.bincount(src, minlength=n)
    kth_now = np.zeros(n)
    kth_now[src[rank == k - 1]] = total[rank == k - 1]
    # A zone left out scores at most its bound, so once rounded at most the bound rounded: it ties or
    # beats the k-th best only if that does not round above the bound.
    sure = same & ((bound == 0) | ((count >= k) & (ranking_key(kth_now) > ranking_key(bound))))
    unsure = np.flatnonzero(~sure)
    if len(unsure) > CHANGED_SHARE * n:
        return None
    # Zones scored in full: changed ones (scored above), and those whose k-th best does not clear their bound.
    bounds = bound.copy()
    r, c, bounds[changed] = listed_of(against, k, listed, error[changed])
    failed = unsure[~np.isin(unsure, changed)]
    failed_src, failed_tgt, bounds[failed] = index.candidates(failed, k, listed)
    full_src, full_tgt = np.r_[changed[r], failed_src], np.r_[c, failed_tgt]
    held = sure[src]
    return _settle(index, marks, k, listed, np.r_[src[held], full_src], np.r_[tgt[held], full_tgt],
                   _joined(_taken(scored, held), index.pair_scores(full_src, full_tgt)), bounds)  # fmt: skip
