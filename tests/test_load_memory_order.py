"""A large load imports what its write will need before it extracts anything: modules imported in the
middle of the write put their long-lived objects into the holes of the extracted graph's memory, which
then cannot go back to the system once the graph is freed (docs/measured.md). A small load, which may
never COPY, does not pay for those imports.

Each load runs in a new interpreter, so that what this test process imported earlier counts for nothing.
The documents are SYNTHETIC (bench/corpus.py), generated into tmp_path."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from govkg.bench.corpus import synthetic_corpus, write_corpus
from govkg.loaders.extract import PARALLEL_MIN_FILES

# Records, as the extraction begins, which of the write's modules are already imported.
PROBE = """
import json, sys
from pathlib import Path
import govkg.loaders.extract as extract
from govkg.graph.factory import StoreSettings
from govkg.services.loading import load_paths

seen = []
original = extract.extract_paths

def watched(*args, **kwargs):
    seen.append({name: name in sys.modules for name in ("pandas", "pyarrow.compute")})
    return original(*args, **kwargs)

extract.extract_paths = watched
load_paths(StoreSettings(db_path=Path(sys.argv[2])), [Path(sys.argv[1])], similarity_top=0)
print(json.dumps(seen))
"""


def imported_before_extraction(folder: Path, db: Path) -> dict[str, bool]:
    done = subprocess.run([sys.executable, "-c", PROBE, str(folder), str(db)], capture_output=True, text=True,
                          timeout=600, check=True)  # fmt: skip
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(seen) == 1, seen
    return dict(seen[0])


def test_a_large_load_imports_its_writes_modules_before_it_extracts(tmp_path: Path) -> None:
    corpus = write_corpus(synthetic_corpus(PARALLEL_MIN_FILES, seed=3), tmp_path / "large")
    assert imported_before_extraction(corpus[0].parent, tmp_path / "large.lbdb") == {
        "pandas": True, "pyarrow.compute": True}


def test_a_small_load_does_not_pay_for_them(tmp_path: Path) -> None:
    corpus = write_corpus(synthetic_corpus(3, seed=3), tmp_path / "small")
    assert imported_before_extraction(corpus[0].parent, tmp_path / "small.lbdb") == {
        "pandas": False, "pyarrow.compute": False}
