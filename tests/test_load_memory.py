"""A load's memory grows with what it loads, not with its square: one query of chained OPTIONAL MATCHes
over a batch of ids once made LadybugDB build a product of the batch while the derived data were kept
(24 GB, killed by the kernel, at 1,000 synthetic documents; over 8 GB at 400). Loaded as it should be,
most of a small load's peak is fixed (the tokenizer, the lexicons, the engine): on this machine kind
100 documents peaked at about 0.70 GB and 400 at about 0.77 GB, while CI once measured 2.2 GB for the
400. So the guard compares 400 documents with 100 in the same run (a ratio, as the benchmarks do), with
an absolute ceiling at half what the broken form took. The documents come from govkg.bench.corpus:
SYNTHETIC."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

LOAD = """
import json, resource, sys
from pathlib import Path
from govkg.bench.corpus import synthetic_corpus, write_corpus
from govkg.graph.factory import StoreSettings, open_store
from govkg.services.loading import load_paths
folder, documents = Path(sys.argv[1]), int(sys.argv[2])
paths = write_corpus(synthetic_corpus(documents), folder / "documents")
settings = StoreSettings(engine="embedded", db_path=folder / "s.lbdb")
stages = {}
def peak_mb():
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
load_paths(settings, paths, timer=lambda stage, seconds: stages.setdefault(stage, peak_mb()))
with open_store(settings, read_only=True) as store:
    counts = store.counts()
print(json.dumps({"peak_mb": peak_mb(), "zones": counts["Zone"], "peak_mb_after_each_stage": stages}))
"""


def _load(folder: Path, documents: int) -> dict[str, object]:
    folder.mkdir()
    done = subprocess.run([sys.executable, "-c", LOAD, str(folder), str(documents)],
                          capture_output=True, text=True, timeout=600)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_a_first_load_of_400_documents_takes_little_more_memory_than_one_of_100(tmp_path: Path) -> None:
    small, large = _load(tmp_path / "small", 100), _load(tmp_path / "large", 400)
    assert isinstance(large["zones"], int) and large["zones"] > 1000
    assert isinstance(small["peak_mb"], int) and isinstance(large["peak_mb"], int)
    assert large["peak_mb"] < 1.5 * small["peak_mb"], (small, large)  # the product: several times
    assert large["peak_mb"] < 4096, (small, large)
