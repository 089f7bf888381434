"""A load lets go of the pages the embedded engine kept from its writes between batches, before the
similarity refresh and before its SIMILAR_TO write (GraphStore.release_memory): the process's memory
falls, and the load still gives the very store it gave before, whole or not at all. A small load's
checkpoint runs on a thread of its own beside the similarity ranking instead (GraphStore.settling), with
the same outcome, a fault there included.

The documents loaded are SYNTHETIC (bench/corpus.py; every text says so), generated into tmp_path.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import ladybug
import pytest
from test_correct_in_place import canonical
from test_first_load import embedded
from test_load_atomicity import SYNTHETIC_DOCUMENTS

from govkg.bench.corpus import synthetic_corpus, write_corpus
from govkg.errors import StoreError
from govkg.graph.factory import StoreSettings, open_store
from govkg.graph.ladybug_store import STAGING_SUFFIX, LadybugStore
from govkg.graph.model import GraphDocument, Node
from govkg.memory import _malloc_trim, return_freed_memory
from govkg.services import loading
from govkg.services.loading import load_paths


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_corpus(synthetic_corpus(SYNTHETIC_DOCUMENTS), tmp_path_factory.mktemp("release"))


def stored(settings: StoreSettings) -> dict[str, object]:
    with open_store(settings, read_only=True) as store:
        return canonical(store.snapshot())


def _resident_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    pytest.skip("no /proc/self/status here to read the resident memory from")


def test_a_streamed_load_that_lets_go_between_batches_gives_the_same_store(
    corpus: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    released = embedded(tmp_path / "released.lbdb")
    calls: list[bool] = []
    real = LadybugStore.release_memory

    def counted(self: LadybugStore) -> None:
        calls.append(self._staging is not None)
        real(self)

    monkeypatch.setattr(LadybugStore, "release_memory", counted)
    batch = SYNTHETIC_DOCUMENTS // 5  # into a new store: a first batch of 120, then two of 40
    load_paths(released, corpus, batch_files=batch)
    # After each batch's write and before the SIMILAR_TO write, inside the one staged load.
    assert calls == [True] * 4

    monkeypatch.setattr(LadybugStore, "release_memory", lambda self: None)
    kept = embedded(tmp_path / "kept.lbdb")
    load_paths(kept, corpus, batch_files=batch)
    assert stored(released) == stored(kept)
    assert stored(released)["edges"], "the load wrote nothing to compare"


def test_a_failure_after_letting_go_leaves_the_store_as_it_was(corpus: list[Path], tmp_path: Path) -> None:
    settings = embedded(tmp_path / "s.lbdb")
    half = SYNTHETIC_DOCUMENTS // 2
    load_paths(settings, corpus[:half])
    before = stored(settings)
    with open_store(settings) as store, pytest.raises(KeyboardInterrupt), store.staged():
        extra = GraphDocument(nodes=[Node("doc:extra", "Document", "额外文件")])
        store.write(extra)
        store.release_memory()
        assert store.counts()["Document"] == half + 1  # the staged write, seen after letting go
        raise KeyboardInterrupt  # Ctrl+C before the block lands
    assert stored(settings) == before
    assert not [p.name for p in tmp_path.iterdir() if STAGING_SUFFIX in p.name]  # the staging copy is gone


@pytest.mark.skipif(_malloc_trim() is None, reason="the C library has no malloc_trim (not glibc)")
def test_letting_go_after_a_large_write_gives_its_pages_back(tmp_path: Path) -> None:
    # 2,000 documents of 60 KB of text each: 120 MB of UTF-8 the engine's pages hold after the write.
    text = "社区治理" * 5000
    nodes = [Node(f"doc:{i}", "Document", f"文件{i}", properties={"text": f"{text}{i}"}) for i in range(2000)]
    text_mb = sum(len(n.properties["text"].encode()) for n in nodes) / 2**20
    settings = embedded(tmp_path / "s.lbdb")
    with open_store(settings) as store, store.staged():
        store.write(GraphDocument(nodes=nodes))
        del nodes
        return_freed_memory()
        before = _resident_mb()
        store.release_memory()
        return_freed_memory()
        after = _resident_mb()
        assert store.counts()["Document"] == 2000
    assert before - after > text_mb / 2, (before, after, text_mb)
    with open_store(settings, read_only=True) as store:
        assert store.counts()["Document"] == 2000


# --- a small load's checkpoint beside the similarity ranking (GraphStore.settling) ---------------------

CHECKPOINT_THREAD = "govkg-checkpoint"


def _checkpoints_by_thread(monkeypatch: pytest.MonkeyPatch, fail: bool = False) -> list[str]:
    """The thread of every CHECKPOINT the engine is asked for; with `fail`, the one on the settling
    thread fails as a full disk would."""
    seen: list[str] = []
    real = ladybug.Connection.execute

    def execute(self: ladybug.Connection, query: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(query, str) and query.strip().upper() == "CHECKPOINT":
            seen.append(threading.current_thread().name)
            if fail and threading.current_thread().name == CHECKPOINT_THREAD:
                raise RuntimeError("IO exception: Cannot write to file: No space left on device")
        return real(self, query, *args, **kwargs)

    monkeypatch.setattr(ladybug.Connection, "execute", execute)
    return seen


def test_a_small_load_checkpoints_beside_the_ranking_and_gives_the_same_store(
    corpus: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    half = SYNTHETIC_DOCUMENTS // 2
    beside, before = embedded(tmp_path / "beside.lbdb"), embedded(tmp_path / "before.lbdb")
    for settings in (beside, before):
        load_paths(settings, corpus[:half])
    seen = _checkpoints_by_thread(monkeypatch)
    load_paths(beside, corpus[half : half + 1])
    assert seen[0] == CHECKPOINT_THREAD  # the write's checkpoint: the first, on its own thread
    seen.clear()
    monkeypatch.setattr(loading, "SETTLE_BESIDE_ROWS", 0)  # every write released before the refresh
    load_paths(before, corpus[half : half + 1])
    assert seen[0] == "MainThread"
    assert stored(beside) == stored(before)
    assert stored(beside)["edges"], "the load wrote nothing to compare"


def test_a_checkpoint_that_fails_beside_the_ranking_leaves_the_store_as_it_was(
    corpus: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = embedded(tmp_path / "s.lbdb")
    half = SYNTHETIC_DOCUMENTS // 2
    load_paths(settings, corpus[:half])
    before = stored(settings)
    seen = _checkpoints_by_thread(monkeypatch, fail=True)
    with pytest.raises(StoreError, match="nothing was written: IO exception"):
        load_paths(settings, corpus[half : half + 1])
    assert CHECKPOINT_THREAD in seen  # the fault was met where it was meant to be
    monkeypatch.undo()
    assert stored(settings) == before
    assert not [p.name for p in tmp_path.iterdir() if STAGING_SUFFIX in p.name]  # the staging copy is gone


def test_ctrl_c_beside_a_checkpoint_waits_for_it_and_lands_nothing(corpus: list[Path], tmp_path: Path) -> None:
    settings = embedded(tmp_path / "s.lbdb")
    load_paths(settings, corpus[: SYNTHETIC_DOCUMENTS // 2])
    before = stored(settings)
    with open_store(settings) as store, pytest.raises(KeyboardInterrupt), store.staged():
        store.write(GraphDocument(nodes=[Node("doc:extra", "Document", "额外文件")]))
        with store.settling():
            raise KeyboardInterrupt  # Ctrl+C while the checkpoint runs: the connection closes after it
    assert stored(settings) == before
    assert not [p.name for p in tmp_path.iterdir() if STAGING_SUFFIX in p.name]
