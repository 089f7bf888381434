"""`govkg bench`: every performance figure beside its baseline, measured in the same run.

    govkg bench --quick                  # a few minutes: smaller sizes, and the table says which
    govkg bench --full                   # the sizes of the targets (tens of minutes)
    govkg bench --quick --output DIR     # BENCHMARKS.md and bench.json into DIR instead

Each step runs in its own Python process (`python -m bench.run --step NAME ...`), so its peak
memory (VmHWM) is its own. Data are SYNTHETIC (bench/corpus.py, bench/synthetic.py) except
the extraction text, the real bundled article repeated. Everything is written to a temporary
folder that is removed afterwards; the project's Neo4j runs in a temporary home for the Neo4j
steps (if it cannot start, those steps are reported as failed). By default the results go to
BENCHMARKS.md (the table) and bench/results/bench.json (raw numbers).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govkg.resources import source_checkout

if TYPE_CHECKING:  # the steps import the stores when they run, so that `govkg bench --help` stays light
    from govkg.graph.store import GraphStore

__all__ = ["MODES", "STEPS", "default_outputs", "own_peak_rss_mb", "run", "run_step"]

# In a source checkout the figures land in its BENCHMARKS.md and bench/results/; an installed govkg
# writes them into the current folder.
_CHECKOUT = source_checkout()
DEFAULT_TABLE = (_CHECKOUT or Path.cwd()) / "BENCHMARKS.md"
DEFAULT_JSON = _CHECKOUT / "bench" / "results" / "bench.json" if _CHECKOUT else Path.cwd() / "bench.json"


@dataclass(frozen=True)
class Mode:
    name: str
    extraction_mb: float
    extraction_runs: int
    similarity_scale: float  # of 10,000 zones and 50,000 mechanisms
    load_documents: int  # for the load-speed comparisons
    scale_small: int  # documents, for time per document
    scale_large: int  # documents into the embedded store; the query steps use this store
    query_values: int
    query_repeats: int
    neo4j_heap: str  # the server's heap: each load is one transaction, capped at 70% of it
    search_repeats: int = 20  # timed runs of each full-text search query
    query_calls: int = 20  # timed calls of each saved query at least (its p95 then is not its slowest)
    load_rounds: int = 2  # timed Neo4j loads of each loader
    load_warm_up: bool = True  # an untimed Neo4j load of each loader first
    steps: tuple[str, ...] = ()  # the steps this mode runs; empty: all
    step_timeout: float = 3600.0  # seconds, each step


MODES = {
    # for the tests: runs every code path
    "tiny": Mode("tiny", 0.02, 1, 0.01, 20, 10, 30, 1, 1, "512m", 2, 1, load_rounds=1, load_warm_up=False),
    "quick": Mode("quick", 0.25, 2, 0.125, 300, 100, 1000, 3, 3, "2g"),
    "full": Mode("full", 1.0, 3, 1.0, 2000, 1000, 10000, 5, 3, "6g"),
    # Issue 15's largest sizes in a mode of their own (hours): 100,000 documents into a new store (679,570
    # nodes, docs/measured.md; 1,000,000 would take about 150,000), the saved queries on it, and 1,000
    # documents for the time per document.
    "huge": Mode(
        "huge", 1.0, 1, 1.0, 2000, 1000, 100_000, 5, 3, "6g",
        steps=("scale_small", "scale_large", "queries_embedded"), step_timeout=6 * 3600.0,
    ),
}


def default_outputs(mode_name: str) -> tuple[Path, Path]:
    """Where a mode's table and raw JSON go by default: the huge mode beside, not over, the others."""
    if mode_name == "huge":
        return DEFAULT_TABLE.with_name("BENCHMARKS-huge.md"), DEFAULT_JSON.with_name("bench-huge.json")
    return DEFAULT_TABLE, DEFAULT_JSON


# --------------------------------------------------------------------- steps (run in a child process)


def _extraction(mode: Mode, workdir: Path, neo4j_uri: str | None) -> dict[str, Any]:
    from govkg.bench.extraction_speed import measure

    return measure(mode.extraction_mb, mode.extraction_runs)


def _similarity(mode: Mode, workdir: Path, neo4j_uri: str | None) -> dict[str, Any]:
    from govkg.bench.similarity_scale import LINKS_PER_ZONE, MECHANISMS, ZONES, measure
    from govkg.bench.synthetic import LABEL, synthetic_graph

    graph = synthetic_graph(
        max(2, int(ZONES * mode.similarity_scale)), max(2, int(MECHANISMS * mode.similarity_scale)), LINKS_PER_ZONE
    )
    return {"label": LABEL, **measure(graph, with_networkx=True, repeats=3)}


def _embedded_load(mode: Mode, workdir: Path, neo4j_uri: str | None) -> dict[str, Any]:
    from govkg.bench.loaders_bench import embedded_load

    return embedded_load(mode.load_documents, workdir / "embedded-load")


def _neo4j_load(mode: Mode, workdir: Path, neo4j_uri: str | None) -> dict[str, Any]:
    from govkg.bench.loaders_bench import neo4j_load

    if not neo4j_uri:
        raise RuntimeError("no Neo4j server")
    return neo4j_load(mode.load_documents, workdir / "neo4j-load", neo4j_uri, rounds=mode.load_rounds,
                      warm_up=mode.load_warm_up)


def _scale(count: int, workdir: Path) -> dict[str, Any]:
    """`govkg load` of `count` synthetic documents into a new embedded store (the load service the
    command line calls), timed by stage."""
    from govkg.bench.corpus import synthetic_corpus, write_corpus
    from govkg.graph.factory import StoreSettings, open_store
    from govkg.services.loading import load_paths

    folder = workdir / f"corpus-{count}"
    paths = write_corpus(synthetic_corpus(count), folder)
    settings = StoreSettings(engine="embedded", db_path=workdir / f"scale-{count}.lbdb")
    stages: dict[str, float] = {}
    batches: set[int] = set()  # a streamed load tells ("write", batch, batches) as each batch is written

    def told(stage: str, done: int, of: int) -> None:
        if stage == "write":
            batches.add(max(of, 1))

    start = time.perf_counter()
    load_paths(settings, paths, timer=stages.__setitem__, progress=told)
    total = time.perf_counter() - start
    with open_store(settings, read_only=True) as store:
        counts = store.counts()
    # "commit" spans resolve, write and similarity and the staging swap: only the swap is its own.
    stages["swap"] = stages.pop("commit") - stages["resolve"] - stages["write"] - stages["similarity"]
    return {
        "documents": count,
        "seconds": round(total, 2),
        "seconds_per_document_ms": round(1000 * total / count, 3),
        "stages_seconds": {k: round(v, 2) for k, v in stages.items()},
        "batches": max(batches, default=1),
        "nodes": _nodes(counts),
        "counts": counts,
    }


def _scale_small(mode: Mode, workdir: Path, neo4j_uri: str | None) -> dict[str, Any]:
    return _scale(mode.scale_small, workdir)


def _scale_large(mode: Mode, workdir: Path, neo4j_uri: str | None) -> dict[str, Any]:
    return _scale(mode.scale_large, workdir)


def _one_more(mode: Mode, workdir: Path, neo4j_uri: str | None) -> dict[str, Any]:
    """The daily load: one more document (`govkg load`, similarity included) into a copy of the
    scale_large store (made first if this run has not) with its ranking state, then the stored
    SIMILAR_TO compared with a full ranking of the same store (bench/one_more.py)."""
    from govkg.bench.one_more import one_more
    from govkg.graph.similarity.incremental import STATE_SUFFIX

    db = workdir / f"scale-{mode.scale_large}.lbdb"
    if not db.exists():
        _scale(mode.scale_large, workdir)
    folder = workdir / "one-more"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    try:
        for source in (db, db.with_name(db.name + STATE_SUFFIX)):
            if source.exists():
                shutil.copyfile(source, folder / source.name)
        return {"store_documents": mode.scale_large, **one_more(folder / db.name, mode.scale_large, check=True)}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _on_large_store(mode: Mode, workdir: Path, measure: Callable[[GraphStore], dict[str, Any]]) -> dict[str, Any]:
    """`measure` on the scale_large store (made first if this run has not), read-only; with its size."""
    from govkg.graph.ladybug_store import LadybugStore

    db = workdir / f"scale-{mode.scale_large}.lbdb"
    if not db.exists():
        _scale(mode.scale_large, workdir)
    store = LadybugStore(db, read_only=True)
    try:
        counts = store.counts()
        measured = measure(store)
    finally:
        store.close()
    return {"documents": mode.scale_large, "nodes": _nodes(counts), "counts": counts, **measured}


def _queries_embedded(mode: Mode, workdir: Path, neo4j_uri: str | None) -> dict[str, Any]:
    from govkg.bench.queries_bench import saved_query_latency

    return _on_large_store(mode, workdir, lambda store: saved_query_latency(
        store, values=mode.query_values, repeats=mode.query_repeats, calls=mode.query_calls))  # fmt: skip


def _search(mode: Mode, workdir: Path, neo4j_uri: str | None) -> dict[str, Any]:
    """Full-text search on the scale_large store: the index's build and a fixed set of queries."""
    from govkg.bench.search_bench import search_latency

    return _on_large_store(mode, workdir, lambda store: search_latency(store, repeats=mode.search_repeats))


def _app_pages(mode: Mode, workdir: Path, neo4j_uri: str | None) -> dict[str, Any]:
    """The app's pages on the scale_large store (made first if this run has not), AppTest in this process."""
    from govkg.bench.app_pages import app_page_latency

    sized = _on_large_store(mode, workdir, lambda store: {})
    return {**sized, **app_page_latency(workdir / f"scale-{mode.scale_large}.lbdb")}


def _queries_neo4j(mode: Mode, workdir: Path, neo4j_uri: str | None) -> dict[str, Any]:
    from govkg.bench.corpus import synthetic_corpus, write_corpus
    from govkg.bench.loaders_bench import _empty_neo4j
    from govkg.bench.queries_bench import saved_query_latency
    from govkg.graph.neo4j_registry import project_password
    from govkg.graph.neo4j_store import Neo4jStore
    from govkg.graph.similarity import refresh_similarity
    from govkg.loaders.extract import extract_paths

    if not neo4j_uri:
        raise RuntimeError("no Neo4j server")
    paths = write_corpus(synthetic_corpus(mode.scale_large), workdir / "neo4j-queries")
    graph = extract_paths(paths)
    store = Neo4jStore(neo4j_uri, password=project_password(neo4j_uri) or "")
    try:
        _empty_neo4j(store._driver)
        start = time.perf_counter()
        store.write(graph)
        refresh_similarity(store, top=10)
        load_seconds = time.perf_counter() - start
        counts = store.counts()
        latency = saved_query_latency(store, values=mode.query_values, repeats=mode.query_repeats,
                                      calls=mode.query_calls)
    finally:
        store.close()
    return {
        "documents": mode.scale_large,
        "nodes": _nodes(counts),
        "load_and_similarity_seconds": round(load_seconds, 2),
        "counts": counts,
        **latency,
    }


def _nodes(counts: dict[str, int]) -> int:
    from govkg.graph.model import NODE_LABELS

    return sum(counts.get(label, 0) for label in NODE_LABELS)


Step = Callable[[Mode, Path, "str | None"], dict[str, Any]]
# In the order they run; the query steps reuse the scale_large store. True: needs Neo4j.
STEPS: dict[str, tuple[Step, bool]] = {
    "extraction": (_extraction, False),
    "similarity": (_similarity, False),
    "embedded_load": (_embedded_load, False),
    "neo4j_load": (_neo4j_load, True),
    "scale_small": (_scale_small, False),
    "scale_large": (_scale_large, False),
    "one_more": (_one_more, False),
    "queries_embedded": (_queries_embedded, False),
    "search": (_search, False),
    "app_pages": (_app_pages, False),
    "queries_neo4j": (_queries_neo4j, True),
}


def own_peak_rss_mb() -> float:
    """This process's own peak resident memory: VmHWM. Not ru_maxrss, which on Linux keeps across
    exec the peak of the process it was forked from (a step started from a 1.5 GB parent reported
    1.5 GB before it had done anything)."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # no /proc: the next best


def run_step(name: str, mode: Mode, workdir: Path, neo4j_uri: str | None) -> dict[str, Any]:
    """Run one step in this process; its result with wall seconds and this process's peak memory."""
    func, _ = STEPS[name]
    start = time.perf_counter()
    result = func(mode, workdir, neo4j_uri)
    return {
        "status": "ok",
        "wall_seconds": round(time.perf_counter() - start, 2),
        "peak_rss_mb": own_peak_rss_mb(),
        "result": result,
    }


# --------------------------------------------------------------------- the orchestrator


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    cpu = ram = ""
    try:
        cpu = next(
            (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
             if line.startswith("model name")), "")  # fmt: skip
        kb = next(
            line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
        )
        ram = f"{int(kb) / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        pass
    import ladybug

    from govkg.neo4j_server.server import NEO4J_VERSION

    return {
        "nproc": os.cpu_count(),
        "ram": ram,
        "cpu": cpu or platform.processor() or platform.machine(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "ladybug": getattr(ladybug, "__version__", ""),
        "neo4j_server": NEO4J_VERSION,
        "load_average_1min_at_start": round(os.getloadavg()[0], 2),
    }


def _server_peak_mb(pid: int) -> float | None:
    """The Neo4j server's peak resident memory so far (VmHWM), a separate process."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def _child(name: str, mode: Mode, workdir: Path, neo4j_uri: str | None, log: Callable[[str], None]) -> dict[str, Any]:
    out = workdir / f"step-{name}.json"
    cmd = [sys.executable, "-m", "govkg.bench.run", "--step", name, "--mode", mode.name, "--workdir", str(workdir),
           "--result", str(out)]  # fmt: skip
    if neo4j_uri:
        cmd += ["--neo4j-uri", neo4j_uri]
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=mode.step_timeout)
    except subprocess.TimeoutExpired:
        return {"status": "failed", "error": f"timed out after {mode.step_timeout:.0f} s"}
    if proc.returncode != 0 or not out.exists():
        lines = [line.strip() for line in (proc.stderr or "").splitlines() if line.strip()]
        error = lines[-1][:300] if lines else f"exit status {proc.returncode}"
        return {"status": "failed", "error": error,
                "wall_seconds": round(time.perf_counter() - start, 2)}  # fmt: skip
    loaded: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return loaded


def run(
    mode_name: str = "quick",
    *,
    table_path: Path = DEFAULT_TABLE,
    json_path: Path = DEFAULT_JSON,
    steps: list[str] | None = None,
    command: str = "govkg bench --quick",
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Run the steps (default all) in `mode_name`; write the table and the raw JSON; return the JSON."""
    from govkg.bench.report import figures, render_table

    mode = MODES[mode_name]
    names = steps or list(mode.steps or STEPS)
    unknown = [n for n in names if n not in STEPS]
    if unknown:
        raise ValueError(f"unknown steps {unknown}; known: {', '.join(STEPS)}")
    started = datetime.now(UTC)
    info = machine()
    results: dict[str, Any] = {}
    workdir = Path(tempfile.mkdtemp(prefix="govkg-bench-"))
    server = None
    neo4j_error = ""
    try:
        if any(STEPS[n][1] for n in names):
            from govkg.errors import GovkgError
            from govkg.neo4j_server.server import start_server

            log("starting the project's Neo4j in a temporary home ...")
            try:
                server = start_server(home=workdir / "neo4j-home", heap=mode.neo4j_heap)
            except (GovkgError, OSError) as err:
                neo4j_error = f"Neo4j could not start: {err}"
                log(neo4j_error)
        for name in names:
            needs_neo4j = STEPS[name][1]
            if needs_neo4j and server is None:
                results[name] = {"status": "failed", "error": neo4j_error or "Neo4j is not running"}
                continue
            log(f"[{name}] running ...")
            results[name] = _child(name, mode, workdir, server.uri if server else None, log)
            if needs_neo4j and server is not None:
                results[name]["neo4j_server_peak_rss_mb"] = _server_peak_mb(server.pid)
            status = results[name]["status"]
            log(f"[{name}] {status} in {results[name].get('wall_seconds', '?')} s"
                + ("" if status == "ok" else f": {results[name].get('error')}"))  # fmt: skip
    finally:
        if server is not None:
            from govkg.neo4j_server.server import remove_home

            remove_home(workdir / "neo4j-home")
        shutil.rmtree(workdir, ignore_errors=True)
    report: dict[str, Any] = {
        "label": "Figures on SYNTHETIC documents and graphs (bench/corpus.py, bench/synthetic.py), except the "
        "extraction text: the real bundled article repeated.",
        "mode": mode_name,
        "mode_sizes": mode.__dict__,
        "command": command,
        "started_at": started.isoformat(timespec="seconds"),
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": info,
        "steps": results,
    }
    report["figures"] = figures(report)
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    table_path.parent.mkdir(parents=True, exist_ok=True)
    table_path.write_text(render_table(report), encoding="utf-8")
    return report


def main(argv: list[str] | None = None) -> None:
    """The child entry: run one step and write its result as JSON."""
    parser = argparse.ArgumentParser(description="run one benchmark step (used by govkg bench)")
    parser.add_argument("--step", required=True, choices=list(STEPS))
    parser.add_argument("--mode", required=True, choices=list(MODES))
    parser.add_argument("--workdir", required=True, type=Path)
    parser.add_argument("--result", required=True, type=Path)
    parser.add_argument("--neo4j-uri", default=None)
    args = parser.parse_args(argv)
    result = run_step(args.step, MODES[args.mode], args.workdir, args.neo4j_uri)
    args.result.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
