"""govkg as a researcher installs it: a wheel built from the repository, installed into a fresh venv,
run from a folder that is not the checkout.

The wheel is built from the tracked files only (copied out of the checkout, links kept), so a file the
program needs but git does not carry fails here. The fresh venv gets govkg from the wheel and nothing
else: the dependencies are borrowed from the test's own interpreter through a path entry (not a site
folder, so the checkout's editable-install hook is not run), which keeps the test offline and quick.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import textwrap
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest
from repo import PROJECT_ROOT

from govkg.bench.run import STEPS

pytestmark = pytest.mark.slow

TIMEOUT = 600


def _tracked_copy(target: Path) -> Path:
    """The checkout's tracked files (symbolic links as links) in `target`."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=PROJECT_ROOT, capture_output=True, check=False)
    if listed.returncode != 0:
        pytest.skip("not a git checkout: the wheel test builds from the tracked files")
    for name in listed.stdout.decode().split("\0"):
        if not name:
            continue
        source, copy = PROJECT_ROOT / name, target / name
        copy.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            os.symlink(os.readlink(source), copy)
        elif source.is_file():
            shutil.copy2(source, copy)
    return target


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = _tracked_copy(tmp_path_factory.mktemp("source"))
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(out),
         str(source)],
        check=True, timeout=TIMEOUT, capture_output=True,
    )  # fmt: skip
    (built,) = out.glob("govkg-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(home)], check=True, timeout=TIMEOUT)
    python = home / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()  # fmt: skip
    (Path(purelib) / "borrowed-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", str(wheel)],
        check=True, timeout=TIMEOUT, capture_output=True,
    )  # fmt: skip
    return home


@pytest.fixture()
def elsewhere(tmp_path: Path) -> dict[str, str]:
    """An environment for running the installed govkg from a folder far from the checkout."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOVKG_", "NEO4J_", "PYTHON"))}
    env["XDG_DATA_HOME"] = str(tmp_path / "data-home")
    env["GOVKG_DB"] = str(tmp_path / "store.lbdb")
    return env


def run(venv: Path, *args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(venv / "bin" / args[0]), *args[1:]], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=TIMEOUT)  # fmt: skip
    assert done.returncode == 0, f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}"
    assert "Traceback" not in done.stderr and "Warning" not in done.stderr, done.stderr
    return done


def test_the_wheel_installs_one_import_name_and_carries_every_resource(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert {n.split("/")[0] for n in names} == {"govkg", wheel.name.split("-py3")[0] + ".dist-info"}
    for query in (PROJECT_ROOT / "queries").glob("*.cypher"):
        assert f"govkg/queries/{query.name}" in names
    tracked = subprocess.run(["git", "ls-files", "data"], cwd=PROJECT_ROOT, capture_output=True, text=True).stdout
    for name in tracked.split():
        assert f"govkg/{name}" in names, name
    for page in (PROJECT_ROOT / "pages").glob("*.py"):
        assert f"govkg/webapp/pages/{page.name}" in names
    for needed in ("govkg/webapp/app.py", "govkg/webapp/.streamlit/config.toml", "govkg/neo4j/pom.xml",
                   "govkg/graph/store.py", "govkg/loaders/extract.py", "govkg/bench/run.py"):  # fmt: skip
        assert needed in names


def test_installed_govkg_loads_queries_and_extracts_from_any_folder(
    venv: Path, elsewhere: dict[str, str], tmp_path: Path
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    where = run(venv, "python", "-c", "import govkg; print(govkg.__file__)", cwd=work, env=elsewhere).stdout
    assert where.startswith(str(venv)), where
    refused = subprocess.run([str(venv / "bin" / "python"), "-c", "import graph"], cwd=work, env=elsewhere,
                             capture_output=True, text=True)  # fmt: skip
    assert refused.returncode != 0 and "No module named 'graph'" in refused.stderr

    case = work / "case.yaml"
    shutil.copy(PROJECT_ROOT / "data" / "cases" / "haining-city.yaml", case)
    run(venv, "govkg", "load", str(case), cwd=work, env=elsewhere)
    rows = json.loads(run(venv, "govkg", "query", "zones_overview", "--format", "json", cwd=work, env=elsewhere).stdout)
    assert any("海宁" in str(row) for row in rows), rows
    listed = run(venv, "govkg", "queries", cwd=work, env=elsewhere).stdout
    assert all(q.stem in listed for q in (PROJECT_ROOT / "queries").glob("*.cypher"))

    text = work / "note.txt"
    text.write_text("浙江省湖州市安吉县推行“两山议事会”机制，由村党组织牵头。\n", encoding="utf-8")
    extracted = json.loads(run(venv, "govkg", "extract", str(text), "--format", "json", cwd=work, env=elsewhere).stdout)
    assert any(node["label"] == "Zone" for node in extracted["nodes"]), extracted


def test_installed_demo_loads_the_bundled_cases_and_serves_its_app(
    venv: Path, elsewhere: dict[str, str], tmp_path: Path
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    demo = subprocess.Popen([str(venv / "bin" / "govkg"), "demo", "--no-browser", "--port", str(port)], cwd=work,
                            env=elsewhere, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)  # fmt: skip
    try:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline and demo.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=5) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                time.sleep(1)
        assert demo.poll() is None, demo.communicate()[0]
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10).read().decode()
        assert "<title>" in page.lower() or "streamlit" in page.lower()
    finally:
        os.killpg(demo.pid, signal.SIGTERM)
        demo.wait(timeout=60)
    counts = json.loads(run(venv, "govkg", "cypher", "MATCH (z:Zone) RETURN count(z) AS n", "--format", "json",
                            cwd=work, env=elsewhere).stdout)  # fmt: skip
    assert counts[0]["n"] >= 10
    # The script the server runs is the installed copy; run it once as Streamlit's AppTest does.
    script = textwrap.dedent("""
        from importlib.resources import files
        from streamlit.testing.v1 import AppTest
        app = files("govkg") / "webapp" / "app.py"
        at = AppTest.from_file(str(app), default_timeout=120)
        at.run()
        assert not at.exception, at.exception
        print(app)
    """)
    shown = run(venv, "python", "-c", script, cwd=work, env=elsewhere).stdout
    assert shown.startswith(str(venv)), shown


def test_installed_bench_runs_every_step(venv: Path, elsewhere: dict[str, str], tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    # The Neo4j jars (123 MB) are shared with the checkout's cache rather than fetched again.
    env = {**elsewhere, "GOVKG_NEO4J_HOME": str(PROJECT_ROOT / ".neo4j")}
    run(venv, "govkg", "bench", "--tiny", "--output", str(work / "out"), cwd=work, env=env)
    report = json.loads((work / "out" / "bench.json").read_text(encoding="utf-8"))
    failed = [row for row in report["figures"] if row["status"] != "ok"]
    assert not failed, failed
    assert set(report["steps"]) == set(STEPS)  # every step, of both engines
    assert all(step["status"] == "ok" and step["peak_rss_mb"] > 0 for step in report["steps"].values()), report["steps"]
    assert (work / "out" / "BENCHMARKS.md").is_file() and not (work / "BENCHMARKS.md").exists()
