"""A load's memory grows with what it loads, not with its square: one query of chained OPTIONAL MATCHes
over a batch of ids once made LadybugDB build a product of the batch while the derived data were kept
(24 GB, killed by the kernel, at 1,000 synthetic documents; 1.85 GB at 100 and over 8 GB at 400).
Loaded as it should be, 400 documents peak at about 0.77 GB and 100 at about 0.70 (most of it fixed:
the tokenizer, the lexicons, the engine). The load runs in its own process and its peak is read as
VmHWM: ru_maxrss keeps across exec the peak of the process it was forked from, and CI's pytest, a
thousand tests in, made a 400-document load look like 2.2 GB. Two guards: 400 documents under 2 GB,
and under 1.5 times 100 documents in the same run. The documents come from govkg.bench.corpus:
SYNTHETIC."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

LOAD = """
import json, sys
from pathlib import Path
from govkg.bench.corpus import synthetic_corpus, write_corpus
from govkg.bench.run import own_peak_rss_mb
from govkg.graph.factory import StoreSettings, open_store
from govkg.services.loading import load_paths
folder, documents = Path(sys.argv[1]), int(sys.argv[2])
paths = write_corpus(synthetic_corpus(documents), folder / "documents")
settings = StoreSettings(engine="embedded", db_path=folder / "s.lbdb")
stages = {}
load_paths(settings, paths, timer=lambda stage, seconds: stages.setdefault(stage, own_peak_rss_mb()))
with open_store(settings, read_only=True) as store:
    counts = store.counts()
print(json.dumps({"peak_mb": own_peak_rss_mb(), "zones": counts["Zone"], "peak_mb_after_each_stage": stages}))
"""


def _load(folder: Path, documents: int) -> dict[str, object]:
    folder.mkdir()
    done = subprocess.run([sys.executable, "-c", LOAD, str(folder), str(documents)],
                          capture_output=True, text=True, timeout=600)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_a_first_load_of_400_documents_stays_under_two_gigabytes_and_near_one_of_100(tmp_path: Path) -> None:
    small, large = _load(tmp_path / "small", 100), _load(tmp_path / "large", 400)
    assert isinstance(large["zones"], int) and large["zones"] > 1000
    assert isinstance(small["peak_mb"], float) and isinstance(large["peak_mb"], float)
    assert large["peak_mb"] < 2048, (small, large)
    assert large["peak_mb"] < 1.5 * small["peak_mb"], (small, large)  # the product: four times and more
