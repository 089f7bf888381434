"""The app's pages on a large store: from a reader's choice to the page's finished run (the step
`app_pages` of `govkg bench`, on the store of the query steps: SYNTHETIC documents, bench/corpus.py).

Five pages, each as a reader meets it: the overview (app.py), the explore page opening a node
(pages/2_Node.py, `node=`), the search page answering a query (pages/7_Search.py, `q=`), the
similar-zones page ranking a zone (pages/4_Similar_zones.py, `zone=`) and its families of zones, one
way of showing them after another (`view=families`, `families=` heat map, network, table). Each runs with
streamlit.testing's AppTest in this process, the way the server runs a page script:

- "first" — Streamlit's caches cleared, as for the first reader after a load (what the page reads
  from the store, its search index and similarity profiles built then);
- "choice" — a new AppTest for each of CHOICES different choices with the caches warm, as a reader
  picking one node, query or zone after another: the figure the target (2 s) is read on.

What this leaves out and says so: the browser's drawing of what the script sent (pictures: about
1 s at 500 nodes, docs/pictures.md) and Streamlit's websocket round trip. One untimed AppTest run
first takes the harness's own start-up (it scans installed packages for components) out.
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path
from typing import Any

from govkg.bench.search_bench import search_queries
from govkg.graph.ladybug_store import LadybugStore
from govkg.resources import APP_FILE

__all__ = ["CHOICES", "TARGET_SECONDS", "app_page_latency"]

CHOICES = 5
TARGET_SECONDS = 2.0
_PAGES: dict[str, tuple[str, str, dict[str, str]]] = {  # page -> script, the URL key chosen, fixed URL keys
    "overview": ("app.py", "", {}),
    "explore": ("pages/2_Node.py", "node", {}),
    "search": ("pages/7_Search.py", "q", {}),
    "similar": ("pages/4_Similar_zones.py", "zone", {}),
    "families": ("pages/4_Similar_zones.py", "families", {"view": "families"}),
}
_FAMILY_VIEWS = ("heat", "network", "table")


def _choices(db: Path) -> dict[str, list[str]]:
    """What a reader picks on each page: zones and mechanisms that have adoptions, spread over the
    store (every n-th, not the first few), and the search step's queries that find something."""
    store = LadybugStore(db, read_only=True)
    try:
        zones = [str(r[0]) for r in store.read(
            "MATCH (z:Zone)-[:ADOPTS]->(:Mechanism) RETURN DISTINCT z.id AS id ORDER BY id", limit=1_000_000).rows]
        mechanisms = [str(r[0]) for r in store.read(
            "MATCH (:Zone)-[:ADOPTS]->(m:Mechanism) RETURN DISTINCT m.id AS id ORDER BY id", limit=1_000_000).rows]
    finally:
        store.close()

    def spread(ids: list[str]) -> list[str]:
        step = max(len(ids) // CHOICES, 1)
        return ids[::step][:CHOICES]

    queries = [q for q in search_queries().values() if q not in ("量子计算机", "网格*")][:CHOICES]
    views = [_FAMILY_VIEWS[i % len(_FAMILY_VIEWS)] for i in range(CHOICES)]
    return {"overview": [""] * CHOICES, "explore": spread(mechanisms), "search": queries, "similar": spread(zones),
            "families": views}


def _run(script: str, params: dict[str, str]) -> float:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP_FILE.parent / script), default_timeout=600)
    for key, value in params.items():
        at.query_params[key] = value
    start = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(f"{script} failed: {[e.value for e in at.exception]}")
    return elapsed


def app_page_latency(db: Path) -> dict[str, Any]:
    """Seconds of each page's first run after a load and of each later choice (see the module docstring)."""
    import streamlit as st

    held = {k: os.environ.get(k) for k in ("GOVKG_STORE", "GOVKG_DB")}
    os.environ["GOVKG_STORE"], os.environ["GOVKG_DB"] = "embedded", str(db)
    try:
        return _measured(db)
    finally:
        for key, value in held.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        st.cache_resource.clear()  # the store handles the pages opened
        st.cache_data.clear()


def _measured(db: Path) -> dict[str, Any]:
    import streamlit as st

    choices = _choices(db)
    _run("pages/6_Corrections.py", {"lang": "en"})  # the harness's start-up, untimed
    pages: dict[str, Any] = {}
    for name, (script, key, fixed) in _PAGES.items():
        picks = choices[name]
        st.cache_resource.clear()
        st.cache_data.clear()
        first = _run(script, {"lang": "en", **fixed, **({key: picks[0]} if key else {})})
        later = [_run(script, {"lang": "en", **fixed, **({key: pick} if key else {})}) for pick in picks]
        pages[name] = {
            "first_seconds": round(first, 3),
            "choice_p50_seconds": round(statistics.median(later), 3),
            "choice_max_seconds": round(max(later), 3),
            "choices": len(later),
        }
    slowest = max(pages, key=lambda n: pages[n]["choice_max_seconds"])
    return {
        "pages": pages,
        "slowest": slowest,
        "choice_max_seconds": pages[slowest]["choice_max_seconds"],
        "target_seconds": TARGET_SECONDS,
    }
