"""Listing every zone's candidates with each pair scored once (graph/similarity/triangle.py) lists
what the plain listing lists, where each zone's block is scored against every zone: the same pairs
for exact scoring, the same bounds on the rest, in the same order. Which pairs a ranking scores
exactly, and so SIMILAR_TO, rests on it."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from govkg.bench.corpus import synthetic_corpus, write_corpus
from govkg.graph.similarity import SimilarityIndex, blocks, profiles_from_graph, triangle
from govkg.graph.similarity import index as index_module
from govkg.graph.similarity.incremental import rank_exact
from govkg.graph.similarity.index import CLOSE
from govkg.graph.similarity.scoring import TIE_WINDOW
from govkg.loaders.extract import extract_paths

BLOCK_ROWS = 16  # many blocks of a small index, as a large one has


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> SimilarityIndex:
    # About 1,300 zones: the strips of the first segments are long enough for `largest_cells`, the
    # last ones are not, so both ways of finding a row's best are taken.
    folder: Path = tmp_path_factory.mktemp("corpus")
    graph = extract_paths(write_corpus(synthetic_corpus(300, seed=11), folder))
    return SimilarityIndex.build(profiles_from_graph(graph, supports=False))


def plain_listing(
    index: SimilarityIndex, k: int, listed: int, monkeypatch: pytest.MonkeyPatch
) -> tuple[np.ndarray, ...]:
    with monkeypatch.context() as patch:
        patch.setattr(index_module, "list_everyone", lambda *_: None)
        return index.candidates(np.arange(len(index.zone_ids)), k, listed, block_rows=BLOCK_ROWS)


def check_listing(index: SimilarityIndex, k: int, listed: int, found: tuple[np.ndarray, ...]) -> None:
    """`candidates`'s promise, against scores in double precision (within CLOSE of the exact ones):
    every pair left out scores at most its zone's bound; listed are all pairs that may tie the k-th
    best once rounded, and all that beat the `listed`-th best by more than the arithmetic's error."""
    n = len(index.zone_ids)
    exact = index.scores(0, n).toarray()
    np.fill_diagonal(exact, 0.0)
    exact[index.lineage.toarray() > 0] = 0.0
    sources, targets, bounds = found
    chosen = np.zeros((n, n), dtype=bool)
    chosen[sources, targets] = True
    assert len(sources) == chosen.sum()  # no pair twice
    error = index.block_error
    assert (np.where(chosen, 0.0, exact).max(axis=1) <= bounds + CLOSE).all()
    ranked = -np.sort(-exact, axis=1)
    kth, at_listed = ranked[:, k - 1], ranked[:, listed - 1]
    may_tie = (exact >= (kth - TIE_WINDOW)[:, None]) & (kth > 0)[:, None] & (exact > 0)
    beats = exact > (at_listed + 2 * error + CLOSE)[:, None]
    assert chosen[may_tie].all() and chosen[beats].all()
    assert may_tie.sum() >= k * n // 2 and (bounds > 0).sum() > n // 2  # a listing worth checking


@pytest.mark.parametrize(
    ("segment_zones", "threads", "k", "listed"),
    [(64, 2, 10, 20), (64, 1, 10, 20), (16, 2, 3, 6), (16, 1, 3, 3), (100_000, 2, 10, 20)],
)
def test_each_pair_scored_once_lists_what_every_zone_against_every_zone_lists(
    index: SimilarityIndex, monkeypatch: pytest.MonkeyPatch, segment_zones: int, threads: int, k: int, listed: int
) -> None:
    n = len(index.zone_ids)
    assert n > 1_100
    monkeypatch.setattr(triangle, "SEGMENT_ZONES", segment_zones)
    monkeypatch.setattr(blocks, "BLOCK_THREADS", threads)
    handed: list[int] = []
    original = triangle._HandedOn.hand_on

    def counted(self: triangle._HandedOn, segment: int, cells: np.ndarray, first: int, rows: np.ndarray) -> None:
        handed.append(cells.shape[1])
        original(self, segment, cells, first, rows)

    monkeypatch.setattr(triangle._HandedOn, "hand_on", counted)
    got = index.candidates(np.arange(n), k, listed, block_rows=BLOCK_ROWS)
    assert len(handed) == -(-n // BLOCK_ROWS)  # the triangle listed, block by block
    if segment_zones < n:
        assert sum(handed) > 0  # and blocks handed cells on to later segments
    check_listing(index, k, listed, got)
    # The plain listing scores each pair in its own zone's block; a pair's single-precision score
    # can differ in its last bits with the shape of the block it is scored in (BLAS), so a pair
    # within that of a cut, or a bound, may come out otherwise: almost never.
    want = plain_listing(index, k, listed, monkeypatch)
    check_listing(index, k, listed, want)
    assert (np.abs(got[2] - want[2]) <= 2 * index.block_error).all()
    mine = set(zip(got[0].tolist(), got[1].tolist(), strict=True))
    theirs = set(zip(want[0].tolist(), want[1].tolist(), strict=True))
    assert len(mine ^ theirs) <= len(theirs) // 1000


def test_the_ranking_from_either_listing_is_the_same(index: SimilarityIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    # The exact scores of the listed pairs settle each zone's k best: SIMILAR_TO is the same.
    monkeypatch.setattr(triangle, "SEGMENT_ZONES", 64)
    small = lambda n, rows: BLOCK_ROWS  # noqa: E731 - many blocks, as at scale
    monkeypatch.setattr(triangle, "block_height", small)
    monkeypatch.setattr(index_module, "block_height", small)
    calls: list[int] = []
    monkeypatch.setattr(triangle._HandedOn, "done", lambda self, *_: calls.append(1))
    ranked, _ = rank_exact(index, index.profiles, 10, None)
    assert len(calls) == -(-len(index.zone_ids) // BLOCK_ROWS)
    with monkeypatch.context() as patch:
        patch.setattr(index_module, "list_everyone", lambda *_: None)
        plain, _ = rank_exact(index, index.profiles, 10, None)
    for field in ("sources", "targets", "scores"):
        assert getattr(ranked, field).tobytes() == getattr(plain, field).tobytes()
    assert len(ranked.sources) >= 9 * len(index.zone_ids)


def test_the_listing_takes_all_zones_in_any_order(index: SimilarityIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    n = len(index.zone_ids)
    monkeypatch.setattr(triangle, "SEGMENT_ZONES", 64)
    shuffled = np.random.default_rng(3).permutation(n)
    sources, targets, bounds = index.candidates(shuffled, 10, 20, block_rows=BLOCK_ROWS)
    with monkeypatch.context() as patch:
        patch.setattr(index_module, "list_everyone", lambda *_: None)
        want = index.candidates(shuffled, 10, 20, block_rows=BLOCK_ROWS)
    assert (np.abs(bounds - want[2]) <= 2 * index.block_error[shuffled]).all()  # each where its zone is in `wanted`
    mine = set(zip(sources.tolist(), targets.tolist(), strict=True))
    assert len(mine ^ set(zip(want[0].tolist(), want[1].tolist(), strict=True))) <= len(mine) // 1000
    order = np.argsort(shuffled)
    check_listing(index, 10, 20, (sources, targets, bounds[order]))


def test_a_block_that_fails_fails_the_listing_and_stops_the_others(
    index: SimilarityIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A block waits for the blocks of earlier segments; one that fails must not leave it waiting.
    monkeypatch.setattr(triangle, "SEGMENT_ZONES", 64)
    original = triangle.listed_rows
    calls = 0

    def failing(*args: object, **kwargs: object) -> tuple[np.ndarray, ...]:
        nonlocal calls
        calls += 1
        if calls == 9:
            raise MemoryError("no room for this block")
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(triangle, "listed_rows", failing)
    raised: list[BaseException] = []

    def run() -> None:
        try:
            index.candidates(np.arange(len(index.zone_ids)), 10, 20, block_rows=BLOCK_ROWS)
        except BaseException as err:
            raised.append(err)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(120)
    assert not worker.is_alive(), "the listing hung after a block failed"
    assert len(raised) == 1 and isinstance(raised[0], MemoryError)
