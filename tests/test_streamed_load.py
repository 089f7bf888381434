"""A load of many files on the embedded store is streamed: read, resolved and written a batch at a
time, each batch its own transaction inside one staging copy, similarity refreshed once at the end.
It must give exactly what loading the batches one after another gives, land whole or not at all (a
bad file in the last batch, a kill between batches), and say what the corrections did once.

The documents are SYNTHETIC (bench/corpus.py; every text says so), generated into tmp_path.
"""

from __future__ import annotations

import json
import signal
import subprocess
from pathlib import Path
from typing import Any

import pytest
from test_load_atomicity import GOVKG, beside, govkg_env, read_counts
from test_similarity_refresh import stored_rows

from govkg.bench.corpus import synthetic_corpus, write_corpus
from govkg.errors import InputError
from govkg.graph.corrections import Correction, Outcome, Target, make_correction
from govkg.graph.factory import StoreSettings
from govkg.graph.ladybug_store import LadybugStore
from govkg.loaders.extract import extract_paths
from govkg.resources import BUNDLED_CASES_DIR
from govkg.services import loading
from govkg.services.loading import FIRST_BATCH_FACTOR, MEMORY_SHARE, PEAK_PER_TEXT_BYTE, first_batch_files, load_paths

DOCUMENTS = 60
BATCH = 20
# Into a new store the first batch is FIRST_BATCH_FACTOR batches: with these, 30 of the 60 documents,
# then a batch at a time.
NEW_STORE_BATCH = 10


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_corpus(synthetic_corpus(DOCUMENTS, seed=5), tmp_path_factory.mktemp("streamed") / "corpus")


def snapshot(db: Path) -> dict[str, Any]:
    """Everything a researcher can read of the store: nodes, relationships with their evidence, the
    similar zones, the counts, and the derived tables the saved queries read."""
    store = LadybugStore(db, read_only=True)
    try:
        graph = store.snapshot()
        derived = {
            name: sorted(map(tuple, store.read(query).rows))
            for name, query in {
                "categories": "MATCH (z:Zone)-[:ZONE_IN_CATEGORY]->(c:Category) RETURN z.id, c.id",
                "within": "MATCH (a:Zone)-[:ADOPTER_WITHIN]->(b:Zone) RETURN a.id, b.id",
                "without": "MATCH (a:Zone)-[:WITHOUT_MECHANISMS]->(b:Zone) RETURN a.id, b.id",
                "names": "MATCH (k:NameKey)-[n:NAMES]->(x) RETURN k.key, n.how, x.id",
            }.items()
        }
        return {
            "counts": store.counts(),
            "nodes": sorted(json.dumps(n.to_dict(), ensure_ascii=False, sort_keys=True) for n in graph.nodes),
            "edges": sorted(json.dumps(e.to_dict(), ensure_ascii=False, sort_keys=True) for e in graph.edges),
            "similar": sorted(stored_rows(store), key=repr),  # as stored: in no set order
            "derived": derived,
        }
    finally:
        store.close()


def with_a_bad_last_file(corpus: list[Path], folder: Path) -> Path:
    """A folder of the corpus and a broken file sorted after it (zz-last.json: the last batch's)."""
    folder.mkdir()
    for path in corpus:
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "zz-last.json").write_text("{not json", encoding="utf-8")
    return folder


def test_a_streamed_load_equals_its_batches_loaded_one_after_another(corpus: list[Path], tmp_path: Path) -> None:
    streamed, sequential = tmp_path / "streamed.lbdb", tmp_path / "sequential.lbdb"
    files = [BUNDLED_CASES_DIR, *corpus]
    told: list[tuple[str, int, int]] = []
    batch = NEW_STORE_BATCH
    load_paths(StoreSettings(db_path=streamed), files, batch_files=batch, progress=lambda *e: told.append(e))
    expanded = sorted(BUNDLED_CASES_DIR.glob("*.yaml")) + corpus
    starts = [0, *range(FIRST_BATCH_FACTOR * batch, len(expanded), batch)]
    for first, end in zip(starts, [*starts[1:], len(expanded)], strict=True):
        load_paths(StoreSettings(db_path=sequential), expanded[first:end], batch_files=batch)
    batches = len(starts)
    assert batches > 2
    assert [e for e in told if e[0] == "write"] == [("write", n, batches) for n in range(1, batches + 1)]
    assert told.count(("similarity", 0, 0)) == 1  # once, at the end
    assert ("extract", len(expanded), len(expanded)) in told
    got, want = snapshot(streamed), snapshot(sequential)
    assert got == want
    assert got["counts"]["Document"] == len(expanded) and got["similar"]


def test_a_new_store_takes_a_load_of_its_first_batch_in_one_write(corpus: list[Path], tmp_path: Path) -> None:
    # Up to FIRST_BATCH_FACTOR batches of files into a store that holds nothing: one write, not streamed.
    told: list[tuple[str, int, int]] = []
    batch = NEW_STORE_BATCH
    files = corpus[: FIRST_BATCH_FACTOR * batch]
    load_paths(StoreSettings(db_path=tmp_path / "new.lbdb"), files, batch_files=batch,
               progress=lambda *e: told.append(e))
    assert [e for e in told if e[0] == "write"] == [("write", 0, 0)]
    assert read_counts(tmp_path / "new.lbdb")["Document"] == len(files)
    # The same files into a store that holds something are streamed a batch at a time.
    told.clear()
    held = tmp_path / "held.lbdb"
    load_paths(StoreSettings(db_path=held), [BUNDLED_CASES_DIR])
    load_paths(StoreSettings(db_path=held), files, batch_files=batch, progress=lambda *e: told.append(e))
    assert [e for e in told if e[0] == "write"] == [("write", n, FIRST_BATCH_FACTOR)
                                                   for n in range(1, FIRST_BATCH_FACTOR + 1)]  # fmt: skip


def memory_for(files: list[Path]) -> int:
    """Free memory that holds exactly `files` in a first batch, by the load's measured rule."""
    return int(sum(p.stat().st_size for p in files) * PEAK_PER_TEXT_BYTE / MEMORY_SHARE) + 1


def test_a_first_batch_unsized_by_the_caller_takes_what_the_free_memory_holds(corpus: list[Path]) -> None:
    assert first_batch_files(corpus, memory_for(corpus[:45]), 10) == 45
    assert first_batch_files(corpus, memory_for(corpus), 10) == len(corpus)  # all fit: not streamed
    # Never fewer than FIRST_BATCH_FACTOR batches, and those alone when the free memory is unknown.
    assert first_batch_files(corpus, memory_for(corpus[:5]), 10) == FIRST_BATCH_FACTOR * 10
    assert first_batch_files(corpus, None, 10) == FIRST_BATCH_FACTOR * 10
    assert first_batch_files(corpus[:12], None, 10) == 12


def test_a_load_into_a_new_store_is_one_batch_when_the_memory_holds_it(
    corpus: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Later batches cost a commit that grows with the store: unless the caller names a batch size, a
    # load into a new store takes in its first batch as many files as the free memory holds.
    monkeypatch.setattr(loading, "BATCH_FILES", NEW_STORE_BATCH)  # the default batch, scaled to the corpus
    told: list[tuple[str, int, int]] = []
    monkeypatch.setattr("govkg.memory.available_memory", lambda: memory_for(corpus))
    load_paths(StoreSettings(db_path=tmp_path / "all.lbdb"), corpus, progress=lambda *e: told.append(e))
    assert [e for e in told if e[0] == "write"] == [("write", 0, 0)]
    assert read_counts(tmp_path / "all.lbdb")["Document"] == len(corpus)
    # Memory for 45 of the 60: a first batch of 45, then one of 10 and one of 5.
    told.clear()
    monkeypatch.setattr("govkg.memory.available_memory", lambda: memory_for(corpus[:45]))
    load_paths(StoreSettings(db_path=tmp_path / "some.lbdb"), corpus, progress=lambda *e: told.append(e))
    assert [e for e in told if e[0] == "write"] == [("write", n, 3) for n in (1, 2, 3)]
    assert read_counts(tmp_path / "some.lbdb")["Document"] == len(corpus)
    # A batch size the caller names keeps its meaning whatever the memory: 30 files, then 10 at a time.
    told.clear()
    load_paths(StoreSettings(db_path=tmp_path / "named.lbdb"), corpus, batch_files=NEW_STORE_BATCH,
               progress=lambda *e: told.append(e))  # fmt: skip
    assert [e for e in told if e[0] == "write"] == [("write", n, 4) for n in (1, 2, 3, 4)]


def test_a_bad_file_in_the_last_batch_leaves_the_store_as_it_was(corpus: list[Path], tmp_path: Path) -> None:
    db = tmp_path / "govkg.lbdb"
    load_paths(StoreSettings(db_path=db), [BUNDLED_CASES_DIR])
    before = snapshot(db)
    folder = with_a_bad_last_file(corpus, tmp_path / "incoming")
    with pytest.raises(InputError, match=r"zz-last\.json"):
        load_paths(StoreSettings(db_path=db), [folder], batch_files=BATCH)
    assert snapshot(db) == before
    assert not beside(db, ".staging").exists() and not beside(db, ".staging.wal").exists()


def test_a_bad_file_after_a_new_stores_first_batch_leaves_it_empty(corpus: list[Path], tmp_path: Path) -> None:
    # The first batch into a new store commits statement by statement inside the staging copy; a bad
    # file in a later batch must still land nothing.
    db = tmp_path / "govkg.lbdb"
    folder = with_a_bad_last_file(corpus, tmp_path / "incoming")
    told: list[tuple[str, int, int]] = []
    with pytest.raises(InputError, match=r"zz-last\.json"):
        load_paths(StoreSettings(db_path=db), [folder], batch_files=NEW_STORE_BATCH, progress=lambda *e: told.append(e))
    # 61 files: a first batch of 30, then 10, 10, 10 and the bad file alone: four were written first.
    assert ("write", 1, 5) in told and ("write", 4, 5) in told
    assert set(read_counts(db).values()) == {0}
    assert not beside(db, ".staging").exists() and not beside(db, ".staging.wal").exists()


def test_a_load_killed_between_batches_leaves_the_old_store(corpus: list[Path], tmp_path: Path) -> None:
    db = tmp_path / "govkg.lbdb"
    load_paths(StoreSettings(db_path=db), [BUNDLED_CASES_DIR])
    before = read_counts(db)
    process = subprocess.Popen(
        [GOVKG, "load", str(corpus[0].parent), "--db", str(db), "--batch-files", str(BATCH), "--progress"],
        env=govkg_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stderr is not None
    for line in process.stderr:  # one line a report: stderr is not a terminal
        if line.startswith(f"writing batch 2 of {DOCUMENTS // BATCH}"):
            process.send_signal(signal.SIGKILL)
            break
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL, "the load finished before its second batch was written"
    assert read_counts(db) == before  # the first batch was written, to the staging copy only
    LadybugStore(db).close()  # the next writer clears what the killed load left
    assert not beside(db, ".staging").exists()
    load_paths(StoreSettings(db_path=db), [corpus[0].parent], batch_files=BATCH)
    assert read_counts(db)["Document"] == before["Document"] + DOCUMENTS


def test_corrections_over_batches_are_told_once_and_kept_for_every_batch(corpus: list[Path], tmp_path: Path) -> None:
    late = corpus[-1]  # in the last batch
    graph = extract_paths([late])
    mechanism = sorted((n for n in graph.nodes if n.label == "Mechanism"), key=lambda n: n.id)[0]
    reject = make_correction(graph, "reject", Target(node=mechanism.id), author="测试研究员",
                             made_at="2026-12-05T00:00:00Z", reason="written for testing")  # fmt: skip
    gone = Correction("rename", Target(node="mechanism:不在这份材料里"), {"name": "新名字"}, "测试研究员",
                      "2026-12-05T00:00:00Z", documents=reject.documents)  # fmt: skip
    db = tmp_path / "govkg.lbdb"
    seen: list[Outcome] = []
    summary = load_paths(StoreSettings(db_path=db), corpus, batch_files=NEW_STORE_BATCH, corrections=[reject, gone],
                         corrected=seen.append)  # fmt: skip
    assert len(seen) == 1
    assert [c.id for c in seen[0].applied] == [reject.id]
    assert [c.id for c in seen[0].missing] == [gone.id] and seen[0].elsewhere == ()
    assert summary.corrections_recorded == 2
    with LadybugStore(db, read_only=True) as store:
        assert mechanism.id not in {n.id for n in store.snapshot().nodes}
        assert {c.id for c in store.corrections()} == {reject.id, gone.id}
