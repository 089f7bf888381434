"""A load's memory stays bounded by what it loads: one query of chained OPTIONAL MATCHes over a batch of
ids once made LadybugDB build a product of the batch while the derived data were kept (24 GB, killed by
the kernel, at 1,000 synthetic documents). 400 documents would need about 4 GB that way; loaded as it
should be they need well under 2 GB. The documents come from govkg.bench.corpus: SYNTHETIC."""

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
folder = Path(sys.argv[1])
paths = write_corpus(synthetic_corpus(400), folder / "documents")
settings = StoreSettings(engine="embedded", db_path=folder / "s.lbdb")
load_paths(settings, paths)
with open_store(settings, read_only=True) as store:
    counts = store.counts()
print(json.dumps({"peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "zones": counts["Zone"]}))
"""


def test_a_first_load_of_400_documents_stays_under_two_gigabytes(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", LOAD, str(tmp_path)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["zones"] > 1000
    assert result["peak_mb"] < 2048, result
