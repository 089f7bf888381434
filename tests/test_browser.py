"""The app as a researcher sees it: `govkg demo` serving, driven by a real headless Chromium (Debian's).

Screenshots are saved under test-output/screenshots/ for a person to look at.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from govkg.paths import PROJECT_ROOT
from graph.ladybug_store import LadybugStore

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = PROJECT_ROOT / "test-output" / "screenshots"
GOVKG = str(Path(sys.executable).with_name("govkg"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_port(port: int, deadline: float, process: subprocess.Popen[str]) -> None:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"govkg demo exited early with {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.3)
    raise AssertionError(f"the app did not listen on port {port} in time")


@dataclass(frozen=True)
class DemoApp:
    url: str
    db: Path


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoApp]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: `make test` installs it (scripts/install-browser.sh)")
    port = _free_port()
    db = tmp_path_factory.mktemp("browser") / "demo.lbdb"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOVKG_", "NEO4J_"))}
    process = subprocess.Popen(
        [GOVKG, "demo", "--port", str(port), "--no-browser", "--db", str(db)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        _wait_for_port(port, time.monotonic() + 180, process)
        yield DemoApp(f"http://localhost:{port}", db)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield chromium
        chromium.close()


def _page(browser: Browser, url: str) -> Page:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_text("govkg").first.wait_for(timeout=60_000)
    return page


def _shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_overview_shows_the_loaded_graph(app: DemoApp, browser: Browser) -> None:
    page = _page(browser, app.url)
    table = page.locator("[data-testid='stTable']").first
    table.wait_for(timeout=60_000)
    rows = [r.locator("td, th").all_inner_texts() for r in table.locator("tbody tr").all()]
    shown = {cells[0].strip(): cells[-1].strip() for cells in rows if len(cells) >= 2}
    with LadybugStore(app.db, read_only=True) as store:
        held = store.counts()
    zone_rows = [count for label, count in shown.items() if "Zone" in label]
    assert zone_rows == [str(held["Zone"])], shown
    _shot(page, "overview")


def test_graph_picture_renders_a_canvas(app: DemoApp, browser: Browser) -> None:
    page = _page(browser, app.url + "/Graph")
    canvas = page.frame_locator("iframe").first.locator("canvas")
    canvas.first.wait_for(timeout=60_000)
    box = canvas.first.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 200
    page.wait_for_timeout(1500)  # let vis-network settle before the picture
    _shot(page, "graph")


def test_similar_zones_ranks_a_zone(app: DemoApp, browser: Browser) -> None:
    page = _page(browser, app.url + "/Similar_zones")
    page.get_by_text("score").first.wait_for(timeout=60_000)
    body = page.inner_text("body")
    assert "区" in body or "街道" in body
    _shot(page, "similar")
