"""Graph pictures at 100, 300 and 500 nodes in a real headless Chromium (Debian's), on the embedded store.

The store holds a synthetic corpus (govkg.bench.corpus, labelled synthetic, written to a temporary
folder) besides the bundled cases `govkg demo` loads. The whole-graph page draws the `max_nodes` best
connected nodes; from the page's vis-network object the test reads which labels are drawn at the
first view and their size in screen pixels (legible: at least 11 px; none overlapping another), takes
a screenshot of each into test-output/screenshots/pictures-<n>.png, and measures the time from
navigation to the picture's first drawing once labelled (recorded in test-output/pictures-timing.json,
not asserted: speed is a benchmark's business). One engine in the browser: the picture is built from
a GraphDocument, the same whichever engine held it (the AppTests cover the pages on both).
"""

from __future__ import annotations

import json
import os
import subprocess
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from app_serving import DemoApp, demo_serving
from playwright.sync_api import Browser, Frame, Page
from repo import PROJECT_ROOT
from test_browser import (  # the browser fixture and the page helpers
    CHROMIUM,
    GOVKG,
    SCREENSHOTS,
    WAIT_MS,
    Opened,
    _hover_for_tooltip,
    _open,
    _shot,
    browser,
    opened,
)

from govkg.bench.corpus import synthetic_corpus, write_corpus
from govkg.graph.visual import LABEL_BUDGET

pytestmark = pytest.mark.browser
__all__ = ["browser", "opened"]  # fixtures used here, imported from test_browser

SIZES = (100, 300, 500)
DOCUMENTS = 120  # synthetic documents: about 2,200 nodes, so every size is a cut of a bigger graph
LEGIBLE_PX = 11
TIMING = PROJECT_ROOT / "test-output" / "pictures-timing.json"


@pytest.fixture(scope="module")
def synthetic_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoApp]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: `make test` installs it (scripts/install-browser.sh)")
    folder = tmp_path_factory.mktemp("synthetic")
    db = folder / "pictures.lbdb"
    write_corpus(synthetic_corpus(DOCUMENTS), folder / "documents")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOVKG_", "NEO4J_"))}
    subprocess.run([GOVKG, "load", str(folder / "documents"), "--db", str(db), "--no-progress"], env=env,
                   check=True, stdout=subprocess.DEVNULL)
    with demo_serving(db) as served:
        yield served


def _picture(page: Page) -> Frame:
    """The frame whose vis-network picture has drawn its first labelled view."""
    deadline = time.monotonic() + WAIT_MS / 1000
    while time.monotonic() < deadline:
        for frame in page.frames:
            try:
                if frame.evaluate("typeof window.govkgPicture !== 'undefined' && window.govkgPicture.ready"):
                    return frame
            except Exception:  # a frame still loading
                continue
        page.wait_for_timeout(100)
    raise AssertionError("no picture finished drawing")


# What the canvas shows, read from vis-network's own objects: a label is drawn when its font size on
# screen reaches the draw threshold (less 1 px, where vis-network starts fading it in).
_DRAWN_LABELS = """() => {
  const scale = network.getScale();
  const out = [];
  for (const id of network.body.nodeIndices) {
    const node = network.body.nodes[id];
    const label = node.labelModule;
    const threshold = node.options.scaling.label.drawThreshold;
    const px = label.fontOptions.size * scale;
    if (!node.options.label || px < threshold - 1) { continue; }
    const a = network.canvasToDOM({x: label.size.left, y: label.size.top});
    const b = network.canvasToDOM({x: label.size.left + label.size.width, y: label.size.top + label.size.height});
    out.push({id: id, px: px, x1: a.x, y1: a.y, x2: b.x, y2: b.y});
  }
  return {labels: out, nodes: network.body.nodeIndices.length, edges: network.body.edgeIndices.length,
          scale: scale};
}"""


def _overlapping(labels: list[dict[str, Any]]) -> list[tuple[str, str]]:
    pairs = []
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            if a["x1"] + 1 < b["x2"] and b["x1"] + 1 < a["x2"] and a["y1"] + 1 < b["y2"] and b["y1"] + 1 < a["y2"]:
                pairs.append((a["id"], b["id"]))
    return pairs


@pytest.mark.parametrize("size", SIZES)
def test_pictures_stay_readable(synthetic_app: DemoApp, browser: Browser, opened: list[Opened], size: int) -> None:
    held = _open(browser, opened, f"{synthetic_app.url}/Graph?max_nodes={size}&lang=en", height=1100)
    page = held.page
    frame = _picture(page)
    ready_at = frame.evaluate("window.govkgPicture.readyAt")
    navigated = page.evaluate("performance.timeOrigin")
    framed = frame.evaluate("performance.timeOrigin")  # the picture's own page began loading
    seen = frame.evaluate(_DRAWN_LABELS)
    assert seen["nodes"] == size
    labels = seen["labels"]
    sizes = sorted(round(label["px"], 1) for label in labels)
    assert 10 <= len(labels) <= LABEL_BUDGET, len(labels)
    assert sizes[0] >= LEGIBLE_PX, sizes
    assert _overlapping(labels) == []
    assert frame.locator("button.govkg-tool").all_inner_texts() == ["Fit", "Reset", "Save PNG", "Save SVG"]
    # Zooming in shows more labels, none smaller than the threshold.
    frame.evaluate("network.moveTo({scale: network.getScale() * 2.5})")
    page.wait_for_timeout(200)
    closer = frame.evaluate(_DRAWN_LABELS)["labels"]
    assert len(closer) > len(labels) and min(label["px"] for label in closer) >= LEGIBLE_PX
    # The reader zooms in with the wheel over the middle: once the gesture ends the view is labelled
    # again — other nodes named, still legible, still apart.
    frame.locator("button.govkg-tool[data-tool='fit']").click()
    box = page.frame_locator("iframe").first.locator("canvas").first.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    for _ in range(8):
        page.mouse.wheel(0, -300)
        page.wait_for_timeout(60)
    page.wait_for_timeout(600)
    zoomed = frame.evaluate(_DRAWN_LABELS)
    assert zoomed["scale"] > seen["scale"] * 1.5, zoomed["scale"] / seen["scale"]
    assert {label["id"] for label in zoomed["labels"]} - {label["id"] for label in labels}, "no new label"
    assert min(label["px"] for label in zoomed["labels"]) >= LEGIBLE_PX
    assert _overlapping(zoomed["labels"]) == []
    frame.locator("button.govkg-tool[data-tool='fit']").click()
    page.wait_for_timeout(200)
    page.locator("iframe").first.scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("iframe").first.screenshot(path=str(SCREENSHOTS / f"pictures-{size}.png"))
    _shot(page, f"pictures-{size}-page")
    _record(size, {"from_navigation_ms": round(ready_at - navigated), "picture_ms": round(ready_at - framed),
                   "labels": len(labels), "label_px_min": sizes[0], "label_px_max": sizes[-1],
                   "edges": seen["edges"]})


def _record(size: int, figures: dict[str, Any]) -> None:
    TIMING.parent.mkdir(parents=True, exist_ok=True)
    held = json.loads(TIMING.read_text(encoding="utf-8")) if TIMING.exists() else {}
    held[str(size)] = figures
    TIMING.write_text(json.dumps(held, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def test_buttons_fit_reset_and_save_png_and_svg(synthetic_app: DemoApp, browser: Browser, opened: list[Opened],
                                               tmp_path: Path) -> None:
    page = _open(browser, opened, f"{synthetic_app.url}/Graph?max_nodes=100&lang=zh", height=1100).page
    frame = _picture(page)
    assert frame.locator("button.govkg-tool").all_inner_texts() == ["适应窗口", "复原", "保存 PNG", "保存 SVG"]
    first = frame.evaluate("({scale: network.getScale(), at: network.getViewPosition()})")
    node = frame.evaluate("network.body.nodeIndices[0]")
    start = frame.evaluate("(id) => network.getPositions([id])[id]", node)
    frame.evaluate("(id) => { network.moveNode(id, 99999, 99999); network.moveTo({scale: 0.05}); }", node)
    frame.locator("button.govkg-tool[data-tool='reset']").click()
    back = frame.evaluate("(id) => network.getPositions([id])[id]", node)
    assert back == start
    assert abs(frame.evaluate("network.getScale()") - first["scale"]) < 1e-6
    frame.evaluate("network.moveTo({scale: network.getScale() * 4})")
    frame.locator("button.govkg-tool[data-tool='fit']").click()
    assert abs(frame.evaluate("network.getScale()") - first["scale"]) < first["scale"] * 0.05

    with page.expect_download() as png_download:
        frame.locator("button.govkg-tool[data-tool='png']").click()
    png = tmp_path / png_download.value.suggested_filename
    png_download.value.save_as(png)
    data = png.read_bytes()
    assert png.suffix == ".png" and data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width > 300 and height > 300

    with page.expect_download() as svg_download:
        frame.locator("button.govkg-tool[data-tool='svg']").click()
    svg = tmp_path / svg_download.value.suggested_filename
    svg_download.value.save_as(svg)
    root = ET.parse(svg).getroot()
    ns = "{http://www.w3.org/2000/svg}"
    drawn = root.findall(f".//{ns}g[@class='node']")
    assert len(drawn) == 100
    assert {g.get("data-id") for g in drawn} == set(frame.evaluate("network.body.nodeIndices"))
    assert root.findall(f".//{ns}line") and root.findall(f".//{ns}text")
    _shot(page, "pictures-100-zh")


def test_a_tooltip_stays_inside_the_frame(synthetic_app: DemoApp, browser: Browser, opened: list[Opened]) -> None:
    """Hover the node nearest the bottom-right corner: its tooltip wraps and stays inside the picture."""
    page = _open(browser, opened, f"{synthetic_app.url}/Graph?max_nodes=300&lang=en", height=1100).page
    frame = _picture(page)
    tooltip = _hover_for_tooltip(page, frame, lambda: frame.evaluate("""() => {
      const pos = network.getPositions();
      let best = null;
      for (const id in pos) { const d = network.canvasToDOM(pos[id]);
        if (!best || d.x + d.y > best.x + best.y) { best = {x: d.x, y: d.y}; } }
      return best; }"""))
    shown = tooltip.bounding_box()
    frame_box = page.locator("iframe").first.bounding_box()
    assert shown is not None and frame_box is not None
    assert shown["x"] >= frame_box["x"] - 1 and shown["x"] + shown["width"] <= frame_box["x"] + frame_box["width"] + 1
    assert shown["y"] >= frame_box["y"] - 1 and shown["y"] + shown["height"] <= frame_box["y"] + frame_box["height"] + 1
