"""A first load COPYs each node table whole. LadybugDB 0.22, building the primary key's index of such
a COPY on two threads, deadlocks from a little more than one node group of rows (131,072) with ids of
Han characters: the 330,774 zones of 100,000 documents hung there for good, the process idle. The
store copies node tables on one thread (graph/ladybug_store.py); this test would hang without it, so
it runs the write in a process of its own with a time limit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# Zone names written for testing: random Han characters (a fixed seed), each ending in 社区.
WRITE_ZONES = """
import random, sys
from pathlib import Path
from govkg.graph.ladybug_store import LadybugStore
from govkg.graph.model import GraphDocument, Node, node_id

rng = random.Random(2018)
han = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
names = set()
while len(names) < int(sys.argv[2]):
    names.add("".join(rng.choice(han) for _ in range(rng.randint(6, 20))) + "社区")
nodes = [Node(node_id("Zone", n), "Zone", n, [], {"level": "community", "full_name": n, "code": ""})
         for n in sorted(names)]
store = LadybugStore(Path(sys.argv[1]))
try:
    store.write(GraphDocument([], nodes, []))
    print(store.counts()["Zone"])
finally:
    store.close()
"""

ZONES = 150_000  # more than one node group; 140,000 already hung on two threads


def test_a_node_table_of_more_than_one_node_group_is_copied(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", WRITE_ZONES, str(tmp_path / "zones.lbdb"), str(ZONES)],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split()[-1] == str(ZONES)
