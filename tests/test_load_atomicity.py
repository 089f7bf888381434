"""A load on the embedded store lands whole or not at all. `govkg load` is killed with SIGKILL at many
points (by stage, by bytes written to its staging copy, by time) and stopped by a full disk (a small
tmpfs when the tests run as root; a file-size limit, RLIMIT_FSIZE, everywhere): the database then holds
exactly the old counts or exactly the new ones, opens read-only without any writable open first, and
the error message says what happened.

The documents loaded are SYNTHETIC (bench/corpus.py; every text says so), generated into tmp_path.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from govkg.bench.corpus import LABEL, synthetic_corpus, write_corpus
from govkg.errors import StoreLockedError
from govkg.graph.ladybug_store import LadybugStore
from govkg.resources import BUNDLED_CASES_DIR

GOVKG = str(Path(sys.executable).with_name("govkg"))
SYNTHETIC_DOCUMENTS = 200  # enough for COPY (1,000+ new rows in a table) and the engine's own checkpoints
MEGABYTE = 1 << 20


def govkg_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("GOVKG_", "NEO4J_"))}


def start_load(source: Path, db: Path, *, file_size_limit: int | None = None) -> subprocess.Popen[str]:
    def limit() -> None:  # runs in the child before govkg starts
        if file_size_limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))

    return subprocess.Popen(
        [GOVKG, "load", str(source), "--db", str(db)],
        env=govkg_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, preexec_fn=limit,
    )


def load(source: Path, db: Path) -> None:
    process = start_load(source, db)
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr


def read_counts(db: Path) -> dict[str, int]:
    """Counts through a read-only handle: never after a writable open that could have recovered the file."""
    with LadybugStore(db, read_only=True) as store:
        return store.counts()


def copy_store(db: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / db.name
    shutil.copyfile(db, copy)
    return copy


def beside(db: Path, suffix: str) -> Path:
    return db.with_name(db.name + suffix)


@dataclass(frozen=True)
class Stores:
    """The store before the load (the bundled case sheets) and the counts and size after it."""

    old: Path
    old_counts: dict[str, int]
    new_counts: dict[str, int]
    new_size: int
    corpus: Path
    seconds: float  # how long the whole load took


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Stores:
    root = tmp_path_factory.mktemp("atomic")
    documents = synthetic_corpus(SYNTHETIC_DOCUMENTS, seed=11)
    assert all(d.metadata["label"] == LABEL for d in documents)
    corpus = root / "synthetic-documents"
    write_corpus(documents, corpus)
    old = root / "old" / "kg.lbdb"
    load(BUNDLED_CASES_DIR, old)
    full = copy_store(old, root / "full")
    started = time.monotonic()
    load(corpus, full)
    seconds = time.monotonic() - started
    stores = Stores(old, read_counts(old), read_counts(full), full.stat().st_size, corpus, seconds)
    assert stores.new_counts["Document"] == stores.old_counts["Document"] + SYNTHETIC_DOCUMENTS
    return stores


@dataclass
class Watched:
    """A `govkg load` in a child process, watched through the files beside its database."""

    db: Path
    process: subprocess.Popen[str]
    inode: int
    started: float = field(default_factory=time.monotonic)

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def size(self, suffix: str = ".staging") -> int:
        try:
            return beside(self.db, suffix).stat().st_size
        except FileNotFoundError:
            return 0

    def exists(self, suffix: str) -> bool:
        return beside(self.db, suffix).exists()

    @property
    def swapped(self) -> bool:
        return self.db.stat().st_ino != self.inode


def written(share: float) -> Callable[[Watched, Stores], bool]:
    """Once the staging copy has grown by `share` of what the load adds to the file."""

    def reached(w: Watched, s: Stores) -> bool:
        old_size = s.old.stat().st_size
        return w.size() >= old_size + share * (s.new_size - old_size)

    return reached


# When the kill came: before the rename (the old store must stay), after it (the new one must be
# there), racing it (either), or never (the load finished first).
BEFORE, AFTER, RACED, FINISHED = "before the rename", "after the rename", "racing the rename", "finished"

# Stages seen on disk during a load (about 1.8 s extracting, then the staging copy, the engine's log
# and its checkpoints for the documents, similarity, a last checkpoint, the rename), with the
# outcomes each kill may have.
KILL_POINTS: dict[str, tuple[Callable[[Watched, Stores], bool], set[str]]] = {
    "extracting, before any file is touched": (lambda w, s: w.elapsed >= 0.8, {BEFORE}),
    "staging copy made": (lambda w, s: w.size() >= s.old.stat().st_size, {BEFORE}),
    "engine log being written": (lambda w, s: w.exists(".staging.wal"), {BEFORE}),
    "engine checkpoint under way": (lambda w, s: w.exists(".staging.wal.checkpoint"), {BEFORE}),
    "a quarter of the new bytes written": (written(0.25), {BEFORE}),
    "half of the new bytes written": (written(0.5), {BEFORE}),
    "three quarters of the new bytes written": (written(0.75), {BEFORE}),
    "all of the new bytes written": (written(1.0), {BEFORE, RACED}),
    "90% of the load's time": (lambda w, s: w.elapsed >= 0.9 * s.seconds, {BEFORE, AFTER, RACED, FINISHED}),
    "just after the rename": (lambda w, s: w.swapped, {AFTER, RACED, FINISHED}),
}


def kill_when(watched: Watched, stores: Stores, point: Callable[[Watched, Stores], bool]) -> str:
    """SIGKILL the load when `point` holds; say when that was."""
    deadline = time.monotonic() + 120
    while watched.process.poll() is None and time.monotonic() < deadline:
        if point(watched, stores):
            before = watched.swapped
            watched.process.send_signal(signal.SIGKILL)
            watched.process.wait(timeout=30)
            if watched.process.returncode != -signal.SIGKILL:
                return FINISHED
            return AFTER if before else RACED if watched.swapped else BEFORE
        time.sleep(0.001)
    watched.process.wait(timeout=30)
    return FINISHED


@pytest.mark.parametrize("name", list(KILL_POINTS))
def test_a_killed_load_leaves_exactly_the_old_or_the_new_store(stores: Stores, tmp_path: Path, name: str) -> None:
    db = copy_store(stores.old, tmp_path)
    watched = Watched(db, start_load(stores.corpus, db), db.stat().st_ino)
    point, outcomes = KILL_POINTS[name]
    when = kill_when(watched, stores, point)
    assert when in outcomes, f"the kill at {name!r} came {when}"
    counts = read_counts(db)  # read-only, before any writable open
    assert counts in (stores.old_counts, stores.new_counts)
    if when == BEFORE:
        assert counts == stores.old_counts, f"killed before the rename ({name}), yet the store changed"
    elif when in (AFTER, FINISHED):
        assert counts == stores.new_counts
    assert not beside(db, ".wal").exists()  # nothing for a reader to recover
    # The next writer clears what the killed load left beside the database, and changes nothing else.
    LadybugStore(db).close()
    assert not beside(db, ".staging").exists() and not beside(db, ".staging.wal").exists()
    assert read_counts(db) == counts


def test_a_load_after_a_killed_one_lands_whole(stores: Stores, tmp_path: Path) -> None:
    db = copy_store(stores.old, tmp_path)
    watched = Watched(db, start_load(stores.corpus, db), db.stat().st_ino)
    assert kill_when(watched, stores, written(0.5)) == BEFORE
    assert beside(db, ".staging").exists()  # left by the kill
    load(stores.corpus, db)
    assert read_counts(db) == stores.new_counts


def test_while_a_load_runs_a_second_writer_is_refused_and_readers_see_the_old_store(
    stores: Stores, tmp_path: Path
) -> None:
    db = copy_store(stores.old, tmp_path)
    watched = Watched(db, start_load(stores.corpus, db), db.stat().st_ino)
    try:
        assert kill_when(watched, stores, _holding) == BEFORE
    finally:
        watched.process.kill()
        watched.process.wait()
    assert read_counts(db) == stores.old_counts


def _holding(watched: Watched, stores: Stores) -> bool:
    """Once the load writes its staging copy: check what others see, then let it be killed."""
    if not watched.exists(".staging.wal"):
        return False
    with pytest.raises(StoreLockedError) as caught:
        LadybugStore(watched.db)
    assert str(watched.process.pid) in str(caught.value) and str(watched.db) in str(caught.value)
    assert read_counts(watched.db) == stores.old_counts
    return True


# --- a full disk -----------------------------------------------------------------------------------


def assert_truthful_failure(stderr: str, db: Path, *needles: str) -> None:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    line = lines[0]
    assert line.startswith(f"govkg: error: writing to {db} failed"), line
    assert "nothing was written, the database is as it was" in line, line
    assert "committed" not in line.lower(), line  # the engine's "Transaction committed successfully…"
    for needle in needles:
        assert needle in line, line


@pytest.fixture()
def small_disk(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Path]:
    """A tmpfs of request.param MB at tmp_path/disk (root only), unmounted afterwards."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root; the file-size-limit tests stand in for a full disk")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={request.param}m", "tmpfs", str(disk)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", str(disk)], check=True)


# The old store is ~5 MB and the new one ~37 MB: 8 MB fails copying, the others while the engine
# writes its log or checkpoints (the report's 12–40 MB).
@pytest.mark.parametrize("small_disk", [8, 12, 24, 40], indirect=True, ids=lambda mb: f"{mb}MB")
def test_a_full_disk_leaves_the_old_store_and_says_so(stores: Stores, small_disk: Path) -> None:
    db = copy_store(stores.old, small_disk)
    process = start_load(stores.corpus, db)
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 1, stderr  # not an abort from the engine
    assert_truthful_failure(stderr, db, "the disk is full", "free some space")
    assert read_counts(db) == stores.old_counts
    assert sorted(p.name for p in small_disk.iterdir()) == [db.name, f"{db.name}.lock"]


# RLIMIT_FSIZE makes every write past the limit fail with EFBIG, as a full disk fails with ENOSPC; it
# needs no root. 4 MB fails copying the ~5 MB store, 16 MB while the engine writes.
@pytest.mark.parametrize("megabytes", [4, 16])
def test_a_file_size_limit_leaves_the_old_store_and_says_so(stores: Stores, tmp_path: Path, megabytes: int) -> None:
    db = copy_store(stores.old, tmp_path)
    process = start_load(stores.corpus, db, file_size_limit=megabytes * MEGABYTE)
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 1, stderr
    assert_truthful_failure(stderr, db, "file-size limit", "ulimit -f")
    assert read_counts(db) == stores.old_counts
    assert not beside(db, ".staging").exists()
