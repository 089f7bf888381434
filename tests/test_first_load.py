"""The first write into an empty embedded store, and its first SIMILAR_TO, commit statement by statement,
the staging copy being their transaction (LadybugStore._commits_by_statement): they give the very store
one transaction gives, a failure part way or a SIGKILL leaves the store empty, the next load lands whole,
and a staged block that goes on writing after such a failure lands nothing.

The documents loaded are SYNTHETIC (bench/corpus.py; every text says so), generated into tmp_path.
"""

from __future__ import annotations

import signal
import time
from pathlib import Path
from typing import Any

import pytest
from test_correct_in_place import canonical
from test_derived import derived_state
from test_load_atomicity import SYNTHETIC_DOCUMENTS, read_counts, start_load

from govkg.bench.corpus import synthetic_corpus, write_corpus
from govkg.errors import StoreError
from govkg.graph import store_algorithms
from govkg.graph.factory import StoreSettings, open_store
from govkg.graph.ladybug_store import LadybugStore
from govkg.loaders.extract import extract_paths
from govkg.services.loading import load_paths


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    # Enough documents for COPY (1,000+ new rows in a table), the path whose commit this is about.
    return write_corpus(synthetic_corpus(SYNTHETIC_DOCUMENTS), tmp_path_factory.mktemp("corpus"))


def embedded(path: Path) -> StoreSettings:
    return StoreSettings(engine="embedded", db_path=path)


def counting_statement_writes(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """The writes that commit statement by statement, recorded as each is decided."""
    calls: list[bool] = []
    real = LadybugStore._commits_by_statement

    def counted(self: LadybugStore, replacing: str | None) -> bool:
        by_statement = real(self, replacing)
        if by_statement:
            calls.append(by_statement)
        return by_statement

    monkeypatch.setattr(LadybugStore, "_commits_by_statement", counted)
    return calls


def failing_after_the_edges(monkeypatch: pytest.MonkeyPatch) -> None:
    """The next write fails once its nodes and relationships are written, before the derived data."""

    def fail(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the disk went away (injected)")

    monkeypatch.setattr(store_algorithms, "refresh_derived", fail)


def test_a_first_load_statement_by_statement_equals_one_transaction(
    corpus: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = counting_statement_writes(monkeypatch)
    by_statement = embedded(tmp_path / "by-statement.lbdb")
    load_paths(by_statement, corpus, similarity_top=3)
    assert len(calls) == 2, "the first load's write and its SIMILAR_TO did not commit statement by statement"

    real_open = LadybugStore._open_staging

    def as_if_not_empty(self: LadybugStore, staging: Path) -> None:
        real_open(self, staging)
        self._staging_empty = False

    monkeypatch.setattr(LadybugStore, "_open_staging", as_if_not_empty)
    monkeypatch.setattr(LadybugStore, "_holds_no", lambda self, edge_type: False)
    calls.clear()
    one_transaction = embedded(tmp_path / "one-transaction.lbdb")
    load_paths(one_transaction, corpus, similarity_top=3)
    assert not calls

    with open_store(by_statement) as a, open_store(one_transaction) as b:
        assert a.counts() == b.counts()
        assert canonical(a.snapshot()) == canonical(b.snapshot())
    assert derived_state(by_statement) == derived_state(one_transaction)


def test_a_later_load_is_one_transaction(corpus: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = embedded(tmp_path / "store.lbdb")
    load_paths(settings, corpus[:20], similarity_top=3)
    calls = counting_statement_writes(monkeypatch)
    load_paths(settings, corpus[20:], similarity_top=3)
    assert not calls  # into tables holding rows, one transaction is the faster (docs/measured.md)


def test_a_first_load_failing_part_way_leaves_the_store_empty(
    corpus: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = embedded(tmp_path / "reference.lbdb")
    load_paths(reference, corpus, similarity_top=0)
    settings = embedded(tmp_path / "store.lbdb")
    with monkeypatch.context() as patched:
        failing_after_the_edges(patched)
        with pytest.raises(StoreError, match=r"failed, nothing was written: the disk went away \(injected\)"):
            load_paths(settings, corpus, similarity_top=0)
    assert not any(read_counts(settings.db_path).values())
    load_paths(settings, corpus, similarity_top=0)
    assert read_counts(settings.db_path) == read_counts(reference.db_path)


def test_a_block_going_on_after_a_failed_first_write_lands_nothing(
    corpus: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    graph = extract_paths(corpus[:40])
    db = tmp_path / "store.lbdb"
    refused = pytest.raises(StoreError, match="failed part way, so nothing of this one was stored")
    with LadybugStore(db) as store, refused, store.staged():
        with monkeypatch.context() as patched:
            failing_after_the_edges(patched)
            with pytest.raises(StoreError, match="injected"):
                store.write(graph)
        with pytest.raises(StoreError, match="nothing more is written in this block"):
            store.write(graph)
    assert not any(read_counts(db).values())


def test_a_first_load_killed_part_way_leaves_the_store_empty_and_the_next_lands_whole(
    corpus: list[Path], tmp_path: Path
) -> None:
    reference = tmp_path / "reference.lbdb"
    load_paths(embedded(reference), corpus, similarity_top=0)
    db = tmp_path / "store.lbdb"
    staging = db.with_name(db.name + ".staging")
    process = start_load(corpus[0].parent, db)
    deadline = time.monotonic() + 120
    # Killed once the staging copy has half the size the whole store has: statements have committed.
    while process.poll() is None and time.monotonic() < deadline:
        if staging.exists() and staging.stat().st_size >= reference.stat().st_size // 2:
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(0.005)
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL, "the load ended before it could be killed part way"
    assert not db.exists() or not any(read_counts(db).values())
    load = start_load(corpus[0].parent, db)
    _, stderr = load.communicate(timeout=300)
    assert load.returncode == 0, stderr
    counts = read_counts(db)
    assert {k: v for k, v in counts.items() if k != "SIMILAR_TO"} == {
        k: v for k, v in read_counts(reference).items() if k != "SIMILAR_TO"
    }
    assert counts["SIMILAR_TO"] > 0  # govkg load refreshes similarity; the reference was loaded without
