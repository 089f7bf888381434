"""`govkg neo4j start|status|stop` and the Neo4j engine from the command line, on a real server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from govkg.resources import BUNDLED_CASES_DIR

pytestmark = pytest.mark.neo4j

GOVKG = str(Path(sys.executable).with_name("govkg"))


def govkg(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("GOVKG_STORE", "GOVKG_DB", "NEO4J_"))}
    return subprocess.run([GOVKG, *args], capture_output=True, text=True, env={**base, **(env or {})}, timeout=600)


def test_server_lifecycle_and_the_neo4j_engine(tmp_path: Path) -> None:
    home = tmp_path / "server"
    assert govkg("neo4j", "status", "--home", str(home)).returncode == 3
    started = govkg("neo4j", "start", "--home", str(home))
    assert started.returncode == 0, started.stderr
    uri = started.stdout.strip()
    assert uri.startswith("bolt://127.0.0.1:")
    try:
        status = govkg("neo4j", "status", "--home", str(home))
        assert status.returncode == 0 and uri in status.stdout
        neo4j = {"GOVKG_STORE": "neo4j", "NEO4J_URI": uri}
        loaded = govkg("load", str(BUNDLED_CASES_DIR), env=neo4j)
        assert loaded.returncode == 0, loaded.stderr
        assert "neo4j " + uri in loaded.stdout
        embedded = {"GOVKG_DB": str(tmp_path / "e.lbdb")}
        assert govkg("load", str(BUNDLED_CASES_DIR), env=embedded).returncode == 0
        on_neo4j = govkg("query", "zone_mechanisms", "--format", "json", env=neo4j)
        on_embedded = govkg("query", "zone_mechanisms", "--format", "json", env=embedded)
        assert on_neo4j.returncode == 0, on_neo4j.stderr
        assert json.loads(on_neo4j.stdout) == json.loads(on_embedded.stdout) != []
        refused = govkg("cypher", "MATCH (n) DETACH DELETE n", env=neo4j)
        assert refused.returncode != 0 and "read-only" in refused.stderr
    finally:
        stopped = govkg("neo4j", "stop", "--home", str(home))
    assert stopped.returncode == 0 and "stopped" in stopped.stdout
    assert govkg("neo4j", "status", "--home", str(home)).returncode == 3
    down = govkg("load", str(BUNDLED_CASES_DIR), env={"GOVKG_STORE": "neo4j", "NEO4J_URI": uri})
    assert down.returncode != 0 and uri in down.stderr and "Traceback" not in down.stderr
