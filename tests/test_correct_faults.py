"""A correction of stored facts, and its undo, land whole or not at all: a fault in the middle of the
write (both engines), `govkg correct` killed with SIGKILL at many points, and a full disk (a file-size
limit, RLIMIT_FSIZE) each leave the store exactly as it was before or, for a kill after the swap, exactly
as the finished correction leaves it."""

from __future__ import annotations

import json
import resource
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from test_correct_in_place import AUTHOR, by_label, canonical, settings, snapshot  # noqa: F401 (fixture)
from test_load_atomicity import GOVKG, beside, copy_store, govkg_env

from govkg.errors import StoreError
from govkg.graph import store_corrections
from govkg.graph.corrections import Target
from govkg.graph.factory import StoreSettings, open_store
from govkg.graph.ladybug_store import LadybugStore
from govkg.resources import BUNDLED_CASES_DIR
from govkg.services.correcting import correct, undo
from govkg.services.loading import load_paths


def failing_after_the_deletes(monkeypatch: pytest.MonkeyPatch) -> None:
    """The next write of a correction fails after it has deleted what it removes."""
    real = store_corrections.write_changes

    def write_then_fail(
        tx: store_corrections.EngineStatements, changes: store_corrections.Changes, labels: dict[str, str]
    ) -> None:
        real(tx, store_corrections.Changes(changes.removed_nodes, changes.removed_edges), labels)
        raise StoreError("the disk went away (injected)")

    monkeypatch.setattr(store_corrections, "write_changes", write_then_fail)


def test_a_fault_in_the_middle_of_a_correction_leaves_the_store_as_it_was(
    settings: StoreSettings, monkeypatch: pytest.MonkeyPatch  # noqa: F811 (the fixture)
) -> None:
    before = snapshot(settings)
    first, second = by_label(before, "Organisation")[:2]
    with monkeypatch.context() as patched:
        failing_after_the_deletes(patched)
        with pytest.raises(StoreError, match="injected"):
            correct(settings, "merge", Target(node=first.id), {"into": second.id}, author=AUTHOR)
    assert canonical(snapshot(settings)) == canonical(before)
    with open_store(settings) as store:
        assert store.corrections(undone=True) == []

    done = correct(settings, "merge", Target(node=first.id), {"into": second.id}, author=AUTHOR)
    merged = canonical(snapshot(settings))
    with monkeypatch.context() as patched:
        failing_after_the_deletes(patched)
        with pytest.raises(StoreError, match="injected"):
            undo(settings, done.correction.id)
    assert canonical(snapshot(settings)) == merged
    with open_store(settings) as store:
        assert [c.id for c in store.corrections()] == [done.correction.id]  # still standing


def test_a_fault_while_a_load_applies_its_corrections_leaves_the_store_as_it_was(
    settings: StoreSettings,  # noqa: F811 (the fixture)
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
    tmp_path: Path,
) -> None:
    """A load's new corrections are applied to the facts it has just written, in its transaction: a
    fault there takes the written documents back too, and keeps no correction."""
    from neo4j_fixture import clear_database

    from govkg.graph.corrections import make_correction
    from govkg.loaders.extract import extract_paths

    extracted = extract_paths([BUNDLED_CASES_DIR])
    first, second = by_label(extracted, "Organisation")[:2]
    merge = make_correction(extracted, "merge", Target(node=first.id), {"into": second.id}, author=AUTHOR,
                            made_at="2026-12-04T00:00:00+00:00")  # fmt: skip
    if settings.engine == "neo4j":
        clear_database(request.getfixturevalue("neo4j_target"))
        empty = settings
    else:
        empty = StoreSettings(db_path=tmp_path / "empty.lbdb")
        load_paths(empty, [])  # an empty store file, as `govkg load` of nothing leaves it
    before = snapshot(empty)
    with monkeypatch.context() as patched:
        failing_after_the_deletes(patched)
        with pytest.raises(StoreError, match="injected"):
            load_paths(empty, [BUNDLED_CASES_DIR], corrections=[merge])
    assert canonical(snapshot(empty)) == canonical(before) and not before.documents
    with open_store(empty) as store:
        assert store.corrections(undone=True) == []
    load_paths(empty, [BUNDLED_CASES_DIR], corrections=[merge])  # without the fault: written and merged
    assert first.id not in {n.id for n in snapshot(empty).nodes}


# --- the embedded store under kill -9 and a full disk ------------------------------------------------


def read_graph(db: Path) -> dict[str, object]:
    """What a researcher sees, through a read-only handle (never after a writable open that could
    have recovered the file), with how many corrections it keeps."""
    with LadybugStore(db, read_only=True) as store:
        return canonical(store.snapshot()) | {"corrections": len(store.corrections(undone=True))}


def start_correct(db: Path, node: str, into: str, *, file_size_limit: int | None = None) -> subprocess.Popen[str]:
    def limit() -> None:  # runs in the child before govkg starts
        if file_size_limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))

    return subprocess.Popen(
        [GOVKG, "correct", "merge", "--node", node, "--into", into, "--author", AUTHOR, "--db", str(db)],
        env=govkg_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, preexec_fn=limit,
    )  # fmt: skip


@pytest.fixture(scope="module")
def merged(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object], dict[str, object], str, str]:
    """A store of the bundled cases, what it shows before and after a merge, and the merge's two nodes."""
    root = tmp_path_factory.mktemp("correct-faults")
    old = root / "old" / "kg.lbdb"
    load_paths(StoreSettings(db_path=old), [BUNDLED_CASES_DIR])
    with LadybugStore(old, read_only=True) as store:
        first, second = by_label(store.snapshot(), "Organisation")[:2]
    done = copy_store(old, root / "done")
    process = start_correct(done, first.id, second.id)
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr
    return old, read_graph(old), read_graph(done), first.id, second.id


Point = Callable[[Path, float], bool]
# When to kill, and whether the kill must come before the swap (the old store stays) or may race it.
KILL_POINTS: dict[str, tuple[Point, bool]] = {
    "starting": (lambda db, elapsed: elapsed >= 0.3, True),
    "staging copy made": (lambda db, elapsed: beside(db, ".staging").exists(), True),
    "engine log written": (lambda db, elapsed: beside(db, ".staging.wal").exists(), True),
    "a second in": (lambda db, elapsed: elapsed >= 1.0, False),
    "two seconds in": (lambda db, elapsed: elapsed >= 2.0, False),
}


@pytest.mark.parametrize("name", list(KILL_POINTS))
def test_a_killed_correction_leaves_the_old_or_the_corrected_store(
    merged: tuple[Path, dict[str, object], dict[str, object], str, str], tmp_path: Path, name: str
) -> None:
    old, was, corrected, first, second = merged
    db = copy_store(old, tmp_path)
    process = start_correct(db, first, second)
    started, (point, before_the_swap) = time.monotonic(), KILL_POINTS[name]
    while process.poll() is None and time.monotonic() - started < 120:
        if point(db, time.monotonic() - started):
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(0.001)
    process.wait(timeout=60)
    assert read_graph(db) in ((was,) if before_the_swap else (was, corrected)), f"killed at {name!r}"
    # The next correction clears what the killed one left, and lands whole.
    again = start_correct(db, first, second)
    _, stderr = again.communicate(timeout=300)
    if read_graph(db) != corrected:
        pytest.fail(f"after a kill at {name!r} the same correction did not land: {stderr}")


def test_a_full_disk_leaves_the_store_as_it_was_and_says_so(
    merged: tuple[Path, dict[str, object], dict[str, object], str, str], tmp_path: Path
) -> None:
    old, was, _, first, second = merged
    db = copy_store(old, tmp_path)
    process = start_correct(db, first, second, file_size_limit=db.stat().st_size + 4096)
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 1, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("govkg: "), stderr
    assert read_graph(db) == was
    assert json.dumps(was)  # the store still opens and reads whole


def test_a_correction_while_another_process_writes_is_refused_in_one_line(
    merged: tuple[Path, dict[str, object], dict[str, object], str, str], tmp_path: Path
) -> None:
    old, was, _, first, second = merged
    db = copy_store(old, tmp_path)
    with LadybugStore(db):  # this process holds the store for writing
        process = start_correct(db, first, second)
        _, stderr = process.communicate(timeout=300)
    assert process.returncode == 1, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("govkg: ") and "Traceback" not in stderr, stderr
    assert str(db) in lines[0]
    assert read_graph(db) == was
