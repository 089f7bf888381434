"""The researcher's correction loop in a real browser, on both engines: the app served by Streamlit over
a store holding the bundled cases, driven by Debian's headless Chromium as tests/test_browser.py drives it.

The walk: set the author's name in the sidebar; upload a case text on the Load page, reject one fact,
rename one, re-type one, re-attach one, add one from a span of the text, write; read the real store back
(each correction took effect and is kept); upload and write the same file again (the corrections stay
applied, the counts unchanged); undo one on the Corrections page (no longer kept, and a re-load brings
the extractor's reading back). Screenshots of each step go to test-output/screenshots/corrections-<engine>-*.

The case text is tests/test_app_review.py's (written for testing: real places, invented practices); the
AppTest version of the same review is there."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Dialog, Locator, Page, expect, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from repo import PROJECT_ROOT
from test_app_review import (
    CASE,
    COUNCIL,
    COUNCIL_RENAMED,
    DELIBERATION,
    NAME,
    NOT_A_PRACTICE,
    PARTY,
    PARTY_ORG,
    RURAL,
    STATION,
    STATION_SENTENCE,
    STREET,
    TEA,
)

from govkg.app.upload import read_upload
from govkg.graph.corrections import Correction, corrections_from_json
from govkg.graph.factory import StoreSettings, open_store
from govkg.graph.model import GraphDocument
from govkg.i18n import edge_type_names, label_names, tr
from govkg.resources import APP_FILE, BUNDLED_CASES_DIR
from govkg.services.loading import load_paths

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = PROJECT_ROOT / "test-output" / "screenshots"
WAIT_MS = 60_000
AUTHOR = "浏览器测试研究员"
REASON = "一句话的后半句，不是机制"
LABEL = label_names()  # the app's default language mode, "both": 机制 / Mechanism
EDGE = edge_type_names()
DOCUMENT = read_upload(NAME, CASE.encode("utf-8")).graph.documents[0].id  # as the page reads the upload


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Served:
    engine: str
    url: str
    settings: StoreSettings


def _settings(engine: str, request: pytest.FixtureRequest, tmp_path: Path) -> StoreSettings:
    if engine == "embedded":
        return StoreSettings(engine="embedded", db_path=tmp_path / "corrections.lbdb")
    from neo4j_fixture import clear_database

    target = request.getfixturevalue("neo4j_target")
    clear_database(target)  # the kept corrections too (Neo4j keeps them as nodes of their own label)
    return StoreSettings(engine="neo4j", neo4j_uri=target.uri, neo4j_user=target.user,
                         neo4j_password=target.password, neo4j_database="neo4j")


def _environment(settings: StoreSettings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOVKG_", "NEO4J_"))}
    if settings.engine == "embedded":
        return env | {"GOVKG_STORE": "embedded", "GOVKG_DB": str(settings.db_path)}
    return env | {"GOVKG_STORE": "neo4j", "NEO4J_URI": settings.neo4j_uri, "NEO4J_USER": settings.neo4j_user,
                  "NEO4J_PASSWORD": settings.neo4j_password, "NEO4J_DATABASE": settings.neo4j_database}


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def served(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Served]:
    """The bundled cases loaded into the engine, and the app serving that store (as `govkg demo` runs it)."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: `make test` installs it (scripts/install-browser.sh)")
    settings = _settings(request.param, request, tmp_path)
    load_paths(settings, [BUNDLED_CASES_DIR])
    port = _free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(APP_FILE), "--server.port", str(port),
               "--server.address", "localhost", "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    process = subprocess.Popen(command, cwd=APP_FILE.parent, env=_environment(settings), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, f"streamlit exited early with {process.returncode}"
            assert time.monotonic() < deadline, f"the app did not listen on port {port} in time"
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.3)
        yield Served(request.param, f"http://localhost:{port}", settings)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture()
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield chromium
        chromium.close()


# --------------------------------------------------------------------------- driving Streamlit


class Walk:
    """The browser pages of one walk, each watched for dialogs (a script from data that ran), and its
    screenshots, numbered in the order taken."""

    def __init__(self, browser: Browser, served: Served) -> None:
        self.browser = browser
        self.served = served
        self.dialogs: list[str] = []
        self.shots = 0

    def open(self, path: str) -> Page:
        page = self.browser.new_page(viewport={"width": 1400, "height": 2600})
        page.on("dialog", self._seen)
        page.goto(self.served.url + path, wait_until="domcontentloaded")
        page.get_by_text("govkg").first.wait_for(timeout=WAIT_MS)
        idle(page)
        return page

    def _seen(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def shot(self, page: Page, name: str) -> None:
        idle(page)
        self.shots += 1
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"corrections-{self.served.engine}-walk-{self.shots}-{name}.png"
        page.screenshot(path=str(path), full_page=True)


def idle(page: Page) -> None:
    """Wait until Streamlit has finished running the script (its status widget is gone)."""
    page.wait_for_timeout(300)
    page.locator("[data-testid='stStatusWidget']").wait_for(state="detached", timeout=WAIT_MS)


def selectbox(page: Page, key: str) -> Locator:
    """The selectbox labelled with message `key` (a baseweb combobox; its value is the chosen option's text)."""
    return page.get_by_role("combobox", name=tr(key), exact=True)


def choose(page: Page, key: str, typed: str, option: str | None = None) -> None:
    """Pick the option holding `option` (else `typed`) in the selectbox labelled `key`: open it, type to
    narrow the list, click the option; wait for the run it starts. A list that a rerun still drawing the
    page closed is opened again."""
    box, wanted = selectbox(page, key), option or typed
    for attempt in range(3):
        idle(page)
        box.click()
        page.keyboard.type(typed)
        found = page.get_by_role("option").filter(has_text=wanted).first
        try:
            found.click(timeout=10_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")
    idle(page)
    expect(box).to_have_value(re.compile(re.escape(wanted)), timeout=WAIT_MS)


def type_into(page: Page, key: str, text: str, nth: int = 0) -> None:
    """Fill the text field labelled with message `key` (the `nth` so labelled) and commit it (Enter), as a
    reader does."""
    field = page.get_by_label(tr(key), exact=True).nth(nth)
    field.fill(text)
    field.press("Enter")
    idle(page)


def click(page: Page, key: str) -> None:
    page.get_by_role("button", name=tr(key), exact=True).click()
    idle(page)


def made_count(page: Page, count: int) -> None:
    """The review lists `count` corrections, each with its undo button."""
    expect(page.get_by_role("button", name=tr("load.review.undo"), exact=True)).to_have_count(count, timeout=WAIT_MS)


def correct(page: Page, fact: str, action: str, typed: str | None = None) -> None:
    """Choose the fact (its option text; `typed` narrows the list) and the action."""
    choose(page, "load.review.fact", typed or fact, fact)
    choose(page, "load.review.action", tr(f"corrections.action.{action}"))


def upload(walk: Walk, path: Path) -> Page:
    page = walk.open("/Load")
    page.locator("input[type='file']").set_input_files(str(path))
    page.get_by_text(tr("load.review.title"), exact=True).wait_for(timeout=WAIT_MS)
    page.locator("mark").first.wait_for(timeout=WAIT_MS)
    idle(page)
    return page


def write(page: Page) -> str:
    """Accept and write; the summary the page then shows (as "Wrote 1 document(s): ...")."""
    click(page, "load.write")
    summary = page.locator("[data-testid='stAlertContentSuccess']").filter(has_text="Wrote 1 document(s)")
    summary.wait_for(timeout=WAIT_MS)
    idle(page)
    return str(summary.inner_text())


# --------------------------------------------------------------------------- the store


@dataclass(frozen=True)
class Held:
    graph: GraphDocument
    counts: dict[str, int]
    kept: list[Correction]
    undone: list[Correction]


def held(settings: StoreSettings) -> Held:
    with open_store(settings, read_only=True) as store:
        return Held(store.snapshot(), store.counts(), store.corrections(), store.corrections(undone=True))


def edges(graph: GraphDocument) -> set[tuple[str, str, str]]:
    return {e.key for e in graph.edges}


# --------------------------------------------------------------------------- the walk


def test_the_correction_loop_in_the_browser(served: Served, browser: Browser, tmp_path: Path) -> None:
    case = tmp_path / NAME
    case.write_text(CASE, encoding="utf-8")
    walk = Walk(browser, served)
    bundled = held(served.settings)

    # 1-2. The author's name in the sidebar, the upload, five kinds of correction, the write.
    page = upload(walk, case)
    type_into(page, "corrections.author", AUTHOR)
    expect(page.get_by_label(tr("corrections.author"), exact=True)).to_have_value(AUTHOR)
    walk.shot(page, "uploaded")

    correct(page, f"{LABEL['Mechanism']}: 居民代表共同商议小区事务", "reject", "居民代表共同商议小区事务")
    type_into(page, "load.review.reason", REASON)  # the correcting form's; the adding form's is the second
    click(page, "load.review.apply")
    made_count(page, 1)

    correct(page, f"{LABEL['Mechanism']}: “百姓议事会”制度", "rename", "百姓议事会")
    type_into(page, "load.review.new_name", "百姓议事会")
    click(page, "load.review.apply")
    made_count(page, 2)

    correct(page, f"{LABEL['Mechanism']}: 社区党委", "retype", "社区党委")
    choose(page, "load.review.new_label", LABEL["Organisation"])
    click(page, "load.review.apply")
    made_count(page, 3)

    correct(page, f"民情茶话会 —{EDGE['IN_CATEGORY']}→ 乡村治理", "reattach", "乡村治理")
    choose(page, "load.review.end", "乡村治理")
    choose(page, "load.review.new_end", "协商议事")
    click(page, "load.review.apply")
    made_count(page, 4)

    type_into(page, "load.review.span", "乌镇镇社会工作服务站")
    page.get_by_text(STATION_SENTENCE, exact=False).first.wait_for(timeout=WAIT_MS)  # the span's sentence
    choose(page, "load.review.add_label", LABEL["Organisation"])
    click(page, "load.review.add_button")
    made_count(page, 6)  # the node and its mention
    assert not page.locator("[data-testid='stAlertContentWarning']").count()  # every correction applied
    walk.shot(page, "reviewed")

    said = write(page)
    assert tr("load.kept", "en", count=6) in said, said
    walk.shot(page, "written")

    # 3. The real store: every correction took effect, and the store keeps them in the order made.
    after = held(served.settings)
    nodes, links = after.graph.node_by_id(), edges(after.graph)
    assert NOT_A_PRACTICE not in nodes
    assert COUNCIL not in nodes and nodes[COUNCIL_RENAMED].name == "百姓议事会"
    assert "“百姓议事会”制度" in nodes[COUNCIL_RENAMED].aliases
    assert PARTY not in nodes and nodes[PARTY_ORG].label == "Organisation"
    assert ("HAS_ORGANISATION", STREET, PARTY_ORG) in links
    assert ("IN_CATEGORY", TEA, DELIBERATION) in links and ("IN_CATEGORY", TEA, RURAL) not in links
    assert nodes[STATION].label == "Organisation" and ("MENTIONS", DOCUMENT, STATION) in links
    assert [c.action for c in after.kept] == ["reject", "rename", "retype", "reattach", "add_node", "add_edge"]
    assert {c.author for c in after.kept} == {AUTHOR}
    assert after.kept[0].reason == REASON
    assert after.counts["Document"] == bundled.counts["Document"] + 1

    # 4. The same file again, in a new session: the kept corrections apply, nothing changes.
    again = upload(walk, case)
    again.get_by_text(tr("load.review.kept_applied", count=6), exact=True).wait_for(timeout=WAIT_MS)
    made_count(again, 0)
    walk.shot(again, "reuploaded")
    write(again)
    reloaded = held(served.settings)
    assert reloaded.counts == after.counts
    assert NOT_A_PRACTICE not in reloaded.graph.node_by_id() and edges(reloaded.graph) == links
    assert [c.id for c in reloaded.kept] == [c.id for c in after.kept]
    walk.shot(again, "rewritten")

    # 5. The Corrections page lists them; undo the rejection.
    listing = walk.open("/Corrections")
    picker = selectbox(listing, "corrections.pick")
    picker.wait_for(timeout=WAIT_MS)
    picker.click()
    options = listing.get_by_role("option")
    expect(options).to_have_count(len(after.kept), timeout=WAIT_MS)
    shown = options.all_inner_texts()
    assert all(AUTHOR in option for option in shown), shown
    assert all(tr(f"corrections.action.{c.action}") in option for c, option in zip(after.kept, shown, strict=True))
    listing.keyboard.press("Escape")
    walk.shot(listing, "corrections-listed")
    reject = after.kept[0]
    choose(listing, "corrections.pick", tr("corrections.action.reject"))
    click(listing, "corrections.undo")
    listing.locator("[data-testid='stAlertContentSuccess']").first.wait_for(timeout=WAIT_MS)
    walk.shot(listing, "undone")
    undone = held(served.settings)
    assert [c.id for c in undone.kept] == [c.id for c in after.kept[1:]]
    assert reject.id in {c.id for c in undone.undone}
    # Undone, the rejection no longer applies: loading the file again brings the extractor's reading back,
    # while the other corrections stay applied.
    third = upload(walk, case)
    third.get_by_text(tr("load.review.kept_applied", count=5), exact=True).wait_for(timeout=WAIT_MS)
    write(third)
    restored = held(served.settings)
    assert NOT_A_PRACTICE in restored.graph.node_by_id()
    assert COUNCIL_RENAMED in restored.graph.node_by_id() and COUNCIL not in restored.graph.node_by_id()
    walk.shot(third, "undone-reloaded")

    assert walk.dialogs == [], f"a script ran: {walk.dialogs}"


SOCIAL, COMMUNITY_SOCIAL = "organisation:社会组织", "organisation:社区社会组织"  # two bundled organisations


def test_merge_on_the_node_page_undo_and_export_in_the_browser(served: Served, browser: Browser) -> None:
    """Merge two stored organisations where a researcher reads one, undo the merge on the corrections
    page (the store is exactly as before), and export the kept corrections as the file a team shares."""
    walk = Walk(browser, served)
    before = held(served.settings)
    assert {SOCIAL, COMMUNITY_SOCIAL} <= set(before.graph.node_by_id())
    page = walk.open(f"/Node?node={SOCIAL}")
    type_into(page, "corrections.author", AUTHOR)
    page.get_by_text(tr("correct.title"), exact=True).click()
    idle(page)
    walk.shot(page, "merge-form")
    choose(page, "correct.action", tr("corrections.action.merge"))
    choose(page, "correct.into", "社区社会组织")
    click(page, "correct.apply")
    page.locator("[data-testid='stAlertContentSuccess']").first.wait_for(timeout=WAIT_MS)
    walk.shot(page, "merged")
    merged = held(served.settings)
    nodes = merged.graph.node_by_id()
    assert SOCIAL not in nodes and "社会组织" in nodes[COMMUNITY_SOCIAL].aliases
    assert [(c.action, c.author) for c in merged.kept] == [("merge", AUTHOR)]

    listing = walk.open("/Corrections")
    button = listing.get_by_role("button", name=tr("corrections.export"))
    button.wait_for(timeout=WAIT_MS)
    with listing.expect_download(timeout=WAIT_MS) as download:
        button.click()
    exported = corrections_from_json(Path(download.value.path()).read_text(encoding="utf-8"), "export")
    assert [c.id for c in exported] == [c.id for c in merged.kept]
    choose(listing, "corrections.pick", tr("corrections.action.merge"))
    click(listing, "corrections.undo")
    listing.locator("[data-testid='stAlertContentSuccess']").first.wait_for(timeout=WAIT_MS)
    walk.shot(listing, "merge-undone")
    after = held(served.settings)
    assert after.counts == before.counts
    assert {n.id: n for n in after.graph.nodes} == {n.id: n for n in before.graph.nodes}

    def facts(graph: GraphDocument) -> list[tuple[object, ...]]:
        return sorted((e.key, [ev.to_dict() for ev in e.evidence], sorted(e.properties.items()))
                      for e in graph.edges if e.type != "SIMILAR_TO")  # fmt: skip
    assert facts(after.graph) == facts(before.graph)
    assert walk.dialogs == [], f"a script ran: {walk.dialogs}"
