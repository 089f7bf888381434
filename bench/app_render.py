"""Benchmark: how fast the explore and similar-zones pages render a 500-node neighbourhood.

    python -m bench.app_render                  # AppTest and a real headless Chromium
    python -m bench.app_render --no-browser     # AppTest only

The data is SYNTHETIC (bench/synthetic.py's seeded zone–mechanism links, labelled as such; nothing
here describes a real place or practice, and nothing is written to data/): 500 street zones under 10
districts of one province, 1,000 mechanisms with power-law popularity, each mechanism in one or two
of 8 categories, every relationship with an evidence sentence of one synthetic document. It is
written to a LadybugDB file in a temporary folder.

- Explore: the node and depth (1–3) whose neighbourhood is the smallest one of at least 500 nodes,
  drawn in full (the page's cap raised to 1,000 through its URL).
- Similar zones: the families view of the busiest zone, whose picture draws all 500 zones (the
  similarity network, each zone linked to its 10 most similar, coloured by family), opened
  through the page's URL (`view=families&families=network`; the page's tabs run lazily).

Measures, each the median of REPEATS runs:

- AppTest: the page script run by streamlit.testing (the Python side: store reads, analytics, the
  pyvis page), "cold" with Streamlit's caches cleared first (the first reader after a load) and
  "warm" (every later reader, as the app serves them);
- browser, in the open app: `streamlit run` serving the store and a headless Chromium; seconds from
  a new choice (Enter on a searched node, on a picked zone) until the new picture's canvas is there:
  what a reader waits for moving from one view to the next;
- browser, fresh page: seconds from navigating to the page's URL until its picture's canvas is
  drawn (and until Streamlit's run is done), which adds Streamlit's own start in a new tab; the
  same for a page with nothing heavy on it (the Load page) is reported for comparison.

The target: within 2 seconds on this machine, read on AppTest's warm runs and on the in-app change
in the browser. The machine's load average is recorded: on a shared two-core machine other work
slows the browser figures. Results go to bench/results/app_render.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import numpy as np

from govkg.bench.synthetic import LABEL, synthetic_graph
from govkg.graph.ladybug_store import LadybugStore
from govkg.graph.model import Document, Edge, Evidence, GraphDocument, Node, document_id, node_id
from govkg.graph.store import GraphStore
from govkg.process_group import stop_process_group
from govkg.resources import APP_FILE

ZONES, MECHANISMS, LINKS_PER_ZONE, DISTRICTS, CATEGORIES = 500, 1_000, 5.0, 10, 8
NEIGHBOURHOOD = 500
TARGET_SECONDS = 2.0
REPEATS = 5
SEED = 2018
CHROMIUM = "/usr/bin/chromium"
DEFAULT_OUTPUT = Path(__file__).resolve().parent / "results" / "app_render.json"
PREFIX = "合成"  # every synthetic name starts with 合成 ("synthetic")


# --------------------------------------------------------------------------- the synthetic graph


def synthetic_app_graph(zones: int = ZONES, mechanisms: int = MECHANISMS, seed: int = SEED) -> GraphDocument:
    """The benchmark's SYNTHETIC graph (see the module docstring), with real evidence offsets."""
    links = synthetic_graph(zones, mechanisms, LINKS_PER_ZONE, seed=seed)
    rng = np.random.default_rng(seed + 1)
    lines: list[str] = [f"（{LABEL}）"]
    spans: list[tuple[int, int]] = []
    at = len(lines[0]) + 1

    def sentence(text: str) -> int:
        nonlocal at
        lines.append(text)
        spans.append((at, at + len(text)))
        at += len(text) + 1
        return len(spans) - 1

    province = Node(node_id("Zone", f"{PREFIX}省"), "Zone", f"{PREFIX}省", [], {"level": "province",
                                                                               "full_name": f"{PREFIX}省"})
    districts = [Node(node_id("Zone", f"{PREFIX}省{PREFIX}区{d:02d}"), "Zone", f"{PREFIX}区{d:02d}", [],
                      {"level": "district", "full_name": f"{PREFIX}省{PREFIX}区{d:02d}"}) for d in range(DISTRICTS)]
    streets = [Node(node_id("Zone", f"{PREFIX}省{PREFIX}区{z % DISTRICTS:02d}{PREFIX}街道{z:04d}"), "Zone",
                    f"{PREFIX}街道{z:04d}", [], {"level": "street",
                                                  "full_name": f"{PREFIX}省{PREFIX}区{z % DISTRICTS:02d}街道{z:04d}"})
               for z in range(zones)]
    practices = [Node(node_id("Mechanism", f"{PREFIX}机制{m:04d}"), "Mechanism", f"{PREFIX}机制{m:04d}")
                 for m in range(mechanisms)]
    categories = [Node(node_id("Category", f"{PREFIX}类别{c}"), "Category", f"{PREFIX}类别{c}", [],
                       {"name_en": f"synthetic category {c}"}) for c in range(CATEGORIES)]
    pending: list[tuple[str, str, str, int]] = []
    for d in districts:
        pending.append(("PART_OF", d.id, province.id, sentence(f"{d.name}属于{province.name}。")))
    for z, street in enumerate(streets):
        pending.append(("PART_OF", street.id, districts[z % DISTRICTS].id,
                        sentence(f"{street.name}属于{districts[z % DISTRICTS].name}。")))
    for z, m in zip(links.zone.tolist(), links.mechanism.tolist(), strict=True):
        pending.append(("ADOPTS", streets[z].id, practices[m].id,
                        sentence(f"{streets[z].name}采用{practices[m].name}。")))
    for practice in practices:
        for c in sorted(set(rng.choice(CATEGORIES, size=int(rng.integers(1, 3))).tolist())):
            pending.append(("IN_CATEGORY", practice.id, categories[c].id,
                            sentence(f"{practice.name}属于{categories[c].name}。")))
    text = "\n".join(lines)
    doc = Document(document_id(text), "synthetic-app-render.txt", f"{PREFIX}文本（{LABEL}）", "synthetic", "", "",
                   text)
    edges = [Edge(kind, a, b, [Evidence(doc.id, text[spans[i][0]:spans[i][1]], *spans[i])])
             for kind, a, b, i in pending]
    return GraphDocument([doc], [province, *districts, *streets, *practices, *categories], edges)


def pick_neighbourhoods(store: GraphStore, graph: GraphDocument, size: int = NEIGHBOURHOOD,
                        count: int = 2) -> list[tuple[str, int, int]]:
    """(node id, depth, nodes) of the `count` smallest neighbourhoods with at least `size` nodes, among
    the most connected mechanisms and every district, smallest first."""
    degree: dict[str, int] = {}
    for e in graph.edges:
        degree[e.target] = degree.get(e.target, 0) + 1
    popular = sorted((n.id for n in graph.nodes if n.label == "Mechanism"), key=lambda i: -degree.get(i, 0))[:5]
    districts = [n.id for n in graph.nodes if n.label == "Zone" and n.properties.get("level") == "district"]
    found: list[tuple[str, int, int]] = []
    for candidate in [*popular, *districts]:
        for depth in (1, 2, 3):
            nodes = len(store.neighbourhood(candidate, depth=depth, limit=5_000).nodes)
            if nodes >= size:
                found.append((candidate, depth, nodes))
                break
    if len(found) < count:
        raise SystemExit("too few neighbourhoods of 500 nodes in the synthetic graph; raise ZONES")
    return sorted(found, key=lambda f: (f[2], f[0]))[:count]


# --------------------------------------------------------------------------- AppTest


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 3)


def apptest_seconds(script: str, params: dict[str, str], repeats: int) -> dict[str, Any]:
    """Cold (Streamlit's caches cleared) and warm runs of a page script with AppTest, in seconds.
    One AppTest is run once untimed first: its own start-up (it scans installed packages for
    components, about 0.3 s) is the test harness's, not the page's."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP_FILE.parent / script), default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v

    def once(clear: bool) -> float:
        if clear:
            st.cache_resource.clear()
            st.cache_data.clear()
        start = time.perf_counter()
        at.run()
        elapsed = time.perf_counter() - start
        if at.exception:
            raise SystemExit(f"{script} failed: {[e.value for e in at.exception]}")
        return elapsed

    once(True)
    cold = [once(True) for _ in range(repeats)]
    warm = [once(False) for _ in range(repeats)]
    pictures = [str(f.proto.srcdoc) for f in at.get("iframe")]
    return {
        "cold_seconds": _median(cold),
        "warm_seconds": _median(warm),
        "cold_runs": [round(v, 3) for v in cold],
        "warm_runs": [round(v, 3) for v in warm],
        "warnings": [str(w.value) for w in at.warning],
        "picture_bytes": [len(p) for p in pictures],
        "nodes_drawn": [p.count('"shape":') for p in pictures],
    }


# --------------------------------------------------------------------------- the browser


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def served(db: Path) -> Iterator[str]:
    """`streamlit run app.py` on the store, as `govkg demo` runs it, until the block ends."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOVKG_", "NEO4J_"))}
    env.update({"GOVKG_STORE": "embedded", "GOVKG_DB": str(db)})
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(APP_FILE), "--server.port", str(port),
         "--server.address", "localhost", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        env=env, cwd=APP_FILE.parent, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        else:
            raise SystemExit("streamlit did not start")
        yield f"http://localhost:{port}"
    finally:
        stop_process_group(process)


def _explore_canvas(page: Any) -> None:
    page.frame_locator("iframe").first.locator("canvas").first.wait_for(timeout=120_000)


def _families_canvas(page: Any) -> None:
    """The 500-zone families picture (the page opened on it through its URL), drawn with its size."""
    canvas = page.frame_locator("iframe").last.locator("canvas").first
    canvas.wait_for(timeout=120_000)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        box = canvas.bounding_box()
        if box and box["width"] > 200:
            return
        page.wait_for_timeout(20)
    raise SystemExit("the families picture never got its size")


_NEW_PICTURE = """(index) => {
  const frames = document.querySelectorAll('iframe');
  const w = frames.length ? frames[index < 0 ? frames.length + index : index].contentWindow : null;
  return !!(w && !w.__seen && w.network && w.document.querySelector('canvas'));
}"""


def _mark_picture(page: Any, index: int) -> None:
    page.evaluate("(index) => { const f = document.querySelectorAll('iframe'); "
                  "f[index < 0 ? f.length + index : index].contentWindow.__seen = true; }", index)


def switch_seconds(page: Any, prepare: Callable[[Any, str], None], names: list[str], index: int) -> list[float]:
    """Within the open app: seconds from a new choice (a node searched, a zone picked: the Enter that
    commits what was typed) until the new picture's canvas is drawn; no page load, as a reader moving
    from one view to the next. The typing itself (the harness's keystrokes) is not timed."""
    times = []
    for name in names:
        page.locator("[data-testid='stStatusWidget']").wait_for(state="detached", timeout=120_000)
        _mark_picture(page, index)
        prepare(page, name)
        page.wait_for_timeout(200)
        start = time.perf_counter()
        page.keyboard.press("Enter")
        page.wait_for_function(_NEW_PICTURE, arg=index, timeout=120_000, polling=10)
        times.append(time.perf_counter() - start)
    return times


def _search_node(page: Any, name: str) -> None:
    page.get_by_test_id("stTextInputField").first.fill(name)


def _pick_zone(page: Any, name: str) -> None:
    page.locator("[data-testid='stSelectbox']").first.click()
    page.keyboard.type(name)


def browser_seconds(base: str, views: dict[str, tuple[str, dict[str, str], Callable[[Any], Any]]],
                    repeats: int, switches: dict[str, tuple[Callable[[Any, str], None], list[str], int]]
                    ) -> dict[str, Any]:
    """Per view: seconds until the picture's canvas is drawn, and until Streamlit's run is done, on a
    fresh page (the first visit, when the server computes and caches, apart); then, in the open
    app, seconds from another choice to its new picture."""
    from playwright.sync_api import sync_playwright

    out: dict[str, Any] = {}
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu",
                                                                      "--disable-background-networking"])
        boot: list[float] = []
        for _ in range(repeats):  # Streamlit's own start in a fresh page: the Load page draws nothing heavy
            page = chromium.new_page(viewport={"width": 1400, "height": 1000})
            start = time.perf_counter()
            page.goto(f"{base}/Load", wait_until="commit")
            page.locator("[data-testid='stFileUploader']").wait_for(timeout=120_000)
            boot.append(time.perf_counter() - start)
            page.close()
        out["fresh_light_page_seconds"] = _median(boot)
        for name, (path, params, canvas_of) in views.items():
            canvas_times: list[float] = []
            done_times: list[float] = []
            for _ in range(repeats + 1):
                page = chromium.new_page(viewport={"width": 1400, "height": 1000})
                start = time.perf_counter()
                page.goto(f"{base}/{path}?{urlencode(params)}", wait_until="commit")
                canvas_of(page)
                canvas_times.append(time.perf_counter() - start)
                page.locator("[data-testid='stStatusWidget']").wait_for(state="detached", timeout=120_000)
                done_times.append(time.perf_counter() - start)
                page.close()
            switch, choices, index = switches[name]
            page = chromium.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{base}/{path}?{urlencode(params)}", wait_until="commit")
            canvas_of(page)
            picked = switch_seconds(page, switch, [choices[i % len(choices)] for i in range(repeats + 1)], index)
            page.close()
            out[name] = {
                "first_visit_canvas_seconds": round(canvas_times[0], 3),
                "canvas_seconds": _median(canvas_times[1:]),
                "run_done_seconds": _median(done_times[1:]),
                "canvas_runs": [round(v, 3) for v in canvas_times[1:]],
                "in_app_change_seconds": _median(picked[1:]),
                "in_app_change_runs": [round(v, 3) for v in picked[1:]],
            }
        chromium.close()
    return out


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-browser", action="store_true", help="AppTest only")
    parser.add_argument("--repeats", type=int, default=REPEATS)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)

    graph = synthetic_app_graph()
    assert graph.problems() == []
    with tempfile.TemporaryDirectory(prefix="govkg-app-render-") as folder:
        db = Path(folder) / "synthetic.lbdb"
        started = time.perf_counter()
        with LadybugStore(db) as store:
            store.write(graph)
            load_seconds = time.perf_counter() - started
            (node, depth, size), (other_node, _, other_size) = pick_neighbourhoods(store, graph)
            node_names = {n.id: n.name for n in graph.nodes}
            busy = store.read("MATCH (z:Zone)-[:ADOPTS]->(m) RETURN z.id AS id, z.name AS name, count(m) AS n "
                              "ORDER BY n DESC, id LIMIT 2").rows
            busiest = busy[0][0]
            counts = store.counts()
        os.environ["GOVKG_STORE"], os.environ["GOVKG_DB"] = "embedded", str(db)
        explore = {"node": node, "depth": str(depth), "max_nodes": "1000"}
        similar = {"zone": busiest, "view": "families", "families": "network"}
        result: dict[str, Any] = {
            "label": LABEL,
            "question": "seconds for the explore and similar-zones pages to render a 500-node neighbourhood",
            "target_seconds": TARGET_SECONDS,
            "machine": {"python": platform.python_version(), "platform": platform.platform(),
                        "cpus": os.cpu_count(), "load_average_at_start": [round(v, 2) for v in os.getloadavg()]},
            "graph": {"zones": counts["Zone"], "mechanisms": counts["Mechanism"], "categories": counts["Category"],
                      "relationships": sum(v for k, v in counts.items() if k.isupper()),
                      "load_seconds": round(load_seconds, 2)},
            "explore": {"node": node, "depth": depth, "neighbourhood_nodes": size,
                        "other_node": other_node, "other_neighbourhood_nodes": other_size,
                        "apptest": apptest_seconds("pages/2_Node.py", explore, args.repeats)},
            "similar": {"zone": busiest, "picture_nodes": counts["Zone"] - 1 - DISTRICTS,
                        "apptest": apptest_seconds("pages/4_Similar_zones.py", similar, args.repeats)},
        }
        if not args.no_browser and Path(CHROMIUM).exists():
            with served(db) as base:
                views: dict[str, tuple[str, dict[str, str], Callable[[Any], Any]]] = {
                    "explore": ("Node", explore, _explore_canvas),
                    "similar": ("Similar_zones", similar, _families_canvas),
                }
                switches: dict[str, tuple[Callable[[Any, str], None], list[str], int]] = {
                    # Alternate between the two 500-node neighbourhoods, and between the two busiest zones.
                    "explore": (_search_node, [node_names[other_node], node_names[node]], 0),
                    "similar": (_pick_zone, [str(busy[1][1]), str(busy[0][1])], -1),
                }
                timings = browser_seconds(base, views, args.repeats, switches)
            result["explore"]["browser"] = timings["explore"]
            result["similar"]["browser"] = timings["similar"]
            result["fresh_light_page_seconds"] = timings["fresh_light_page_seconds"]
    result["machine"]["load_average_at_end"] = [round(v, 2) for v in os.getloadavg()]
    # The target is read on the page's own work, AppTest's warm run (the server's side of a view);
    # the browser adds Streamlit's own start-up and drawing, reported beside it with the machine's load.
    result["met"] = all(result[v]["apptest"]["warm_seconds"] <= TARGET_SECONDS for v in ("explore", "similar"))
    # In the browser: a reader moving to another node or zone in the open app. A fresh page also pays
    # for Streamlit's own start-up (about 2 s here for a page with nothing on it), reported beside it.
    browsed = [result[v]["browser"]["in_app_change_seconds"] for v in ("explore", "similar") if "browser" in result[v]]
    if browsed:
        result["browser_met"] = all(value <= TARGET_SECONDS for value in browsed)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    _print(result)
    return result


def _print(result: dict[str, Any]) -> None:
    print(f"{result['label']}")
    print(f"graph: {result['graph']}")
    for view in ("explore", "similar"):
        data = result[view]
        line = f"{view}: AppTest cold {data['apptest']['cold_seconds']} s, warm {data['apptest']['warm_seconds']} s"
        if "browser" in data:
            b = data["browser"]
            line += (f"; browser: fresh page to canvas {b['canvas_seconds']} s (first visit "
                     f"{b['first_visit_canvas_seconds']} s), in-app change to canvas {b['in_app_change_seconds']} s")
        print(line)
    if "fresh_light_page_seconds" in result:
        print(f"a fresh page with nothing heavy on it (Streamlit's own start): {result['fresh_light_page_seconds']} s")
    print(f"target {result['target_seconds']} s (AppTest, warm): {'met' if result['met'] else 'MISSED'}")
    if "browser_met" in result:
        machine = result["machine"]
        print(f"in the browser, an in-app change to the new canvas: {'met' if result['browser_met'] else 'MISSED'}"
              f" (load average {machine['load_average_at_start']} -> {machine['load_average_at_end']})")


if __name__ == "__main__":
    main()
