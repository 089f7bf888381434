"""The researcher's correction loop in a real browser (Debian's headless Chromium), on both engines.

The app is served by Streamlit over a real store holding the bundled case sheets: a LadybugDB file,
or the session's Neo4j server. The walk: a name in the sidebar; an upload on the Load page reviewed
(a fact rejected, one renamed, one re-typed, one re-attached, a node added from words selected in the
previewed text with the mouse, a relationship from a span typed into the span field) and written; the
store read back (each correction took effect and is kept); the same file uploaded and written again
(the corrections stay applied, counts unchanged); the Corrections page lists them, one is undone there,
and the next load of the file brings the extractor's reading of that fact back. Then two nodes are
merged on the node page, the kept corrections exported as a download, the merge undone on the
Corrections page (the store exactly as before it), and the file imported on the Corrections page of a
second app over a second store loaded from the same files, which then holds the graph the first held
when the file was exported.

Screenshots of each step are saved under test-output/screenshots/ as corrections-<engine>-<step>.png.
Every page is opened with a dialog listener: a dialog fails the test.

Widgets are driven as a person drives them: a select is clicked, the option's text typed and Enter
pressed; a text field is found by its label (its aria-label), filled and committed with Enter; buttons
by their text; words in the text selected by dragging the mouse over their characters (their boxes
measured with a Range; an unusual character beyond the Basic Multilingual Plane, 𠀀, stands before
them, so the component's offsets must count code points as Python does). Every label and message is
the app's own (govkg/i18n.py, the default 中文 + English mode), so a reworded label changes the test's
words with it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from app_serving import serving
from neo4j_fixture import Neo4jTarget, clear_database
from playwright.sync_api import Browser, Dialog, Locator, Page, expect
from repo import PROJECT_ROOT
from test_browser import browser  # noqa: F401 (the fixture: one headless Chromium a module)

from govkg.app.span_picker import TEXT_CLASS
from govkg.graph.corrections import Correction, corrections_from_json
from govkg.graph.factory import StoreSettings, open_store
from govkg.graph.model import GraphDocument, node_id
from govkg.i18n import edge_type_names, label_names, tr
from govkg.resources import BUNDLED_CASES_DIR
from govkg.services.loading import load_paths

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = PROJECT_ROOT / "test-output" / "screenshots"
WAIT_MS = 60_000
LANGUAGE = "both"  # the app's default mode: every label reads "中文 / English"

# WRITTEN FOR TESTING: the places (成都市武侯区, its 玉林街道 and 簇桥街道) and the regulation's name are
# real; the practices and events are invented, not a real case.
CASE = "\n".join([
    "（测试用文本：本文为测试而编写，written for testing；文中的“𠀀”是一个不常用的字。地名真实，所述事例均为虚构，"
    "不代表任何真实事件。）",
    "武侯区玉林街道的院落协商",
    "四川省成都市武侯区玉林街道近年来推进院落自治。玉林街道推行「院落议事会」制度，由街道党工委、社区居委会和居民代表"
    "共同商议院落事务。",
    "街道依据《成都市城乡社区发展治理促进条例》，在芳草社区建立“邻里互助站”，由志愿者轮流值守。",
    "街道还请来辖区的老党员和退休教师协助院落改造。",
    "同属武侯区的簇桥街道则组织居民开展“坝坝会”活动，下一步将推广“积分换服务”机制。",
    "簇桥街道社会组织服务中心也参与了“坝坝会”的筹办。",
    "",
])
FILE_NAME = "wuhou-yulin-courtyards.txt"
AUTHOR = "测试研究员"
REJECT_REASON = "半句话，不是机制"

STREET = node_id("Zone", "四川省成都市武侯区玉林街道")
NOT_A_PRACTICE = node_id("Mechanism", "居民代表共同商议院落事务")  # a clause read as a mechanism
COUNCIL = node_id("Mechanism", "院落议事会制度")
COUNCIL_OLD_NAME = "“院落议事会”制度"  # the extractor's name: an alias once renamed
COUNCIL_RENAMED = node_id("Mechanism", "院落议事会")
COMMITTEE = node_id("Mechanism", "街道党工委")  # a party body read as a mechanism
COMMITTEE_ORG = node_id("Organisation", "街道党工委")
GATHERING = node_id("Mechanism", "坝坝会")  # a residents' open-air meeting: deliberation
SELF_RULE = node_id("Category", "居民自治")
DELIBERATION = node_id("Category", "协商议事")
HELP_STATION = node_id("Mechanism", "邻里互助站")
REGULATION = node_id("Policy", "成都市城乡社区发展治理促进条例")
VOLUNTEERS_SPAN = "老党员和退休教师"  # missed by the extractor: added as an organisation
VOLUNTEERS = node_id("Organisation", VOLUNTEERS_SPAN)
VOLUNTEERS_SENTENCE = "街道还请来辖区的老党员和退休教师协助院落改造。"
FRAMED_SPAN = "依据《成都市城乡社区发展治理促进条例》"  # the station is run under the regulation: missed
FRAMED_SENTENCE = "街道依据《成都市城乡社区发展治理促进条例》，在芳草社区建立“邻里互助站”，由志愿者轮流值守。"
PARTY = node_id("Organisation", "党委")  # the extractor's short name of 街道党工委 (its alias)
MERGE_REASON = "同一个街道党工委"
ACTIONS = ["reject", "rename", "retype", "reattach", "add_node", "add_edge", "add_edge"]  # the order made


def words(key: str, **values: object) -> str:
    return tr(key, LANGUAGE, **values)


LABEL = label_names(LANGUAGE)
EDGE = edge_type_names(LANGUAGE)


# --------------------------------------------------------------------------- the app over a real store


@dataclass(frozen=True)
class Served:
    engine: str
    url: str
    settings: StoreSettings


def _empty_store(engine: str, request: pytest.FixtureRequest, db: Path) -> StoreSettings:
    """Settings of an empty store of `engine`: a LadybugDB file at `db` (not there yet), or the session's
    Neo4j emptied (Community has one user database: a second store is the same one emptied)."""
    if engine == "neo4j":
        target: Neo4jTarget = request.getfixturevalue("neo4j_target")
        clear_database(target)
        return StoreSettings(engine="neo4j", neo4j_uri=target.uri, neo4j_user=target.user,
                             neo4j_password=target.password, neo4j_database="neo4j")  # fmt: skip
    assert not db.exists()
    return StoreSettings(engine="embedded", db_path=db)


@pytest.fixture(params=[pytest.param("embedded"), pytest.param("neo4j", marks=pytest.mark.neo4j)])
def served(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Served]:
    """The bundled case sheets loaded into a fresh store of the engine, and the app serving it."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: `make test` installs it (scripts/install-browser.sh)")
    engine = str(request.param)
    settings = _empty_store(engine, request, tmp_path / "walk.lbdb")
    load_paths(settings, [BUNDLED_CASES_DIR])
    with serving(settings) as url:
        yield Served(engine, url, settings)


# --------------------------------------------------------------------------- driving the pages


@dataclass
class Walk:
    """The pages of one walk, the dialogs they showed (none may), and its screenshots."""

    browser: Browser
    served: Served
    case_file: Path  # the case text as a researcher's file
    pages: list[Page] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def open(self, path: str, height: int = 2400, *, url: str = "") -> Page:
        """A new session (a new tab) on `path` of the app (or of the app at `url`)."""
        page = self.browser.new_page(viewport={"width": 1400, "height": height})

        def seen(dialog: Dialog) -> None:
            self.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", seen)
        self.pages.append(page)
        page.goto((url or self.served.url) + path, wait_until="domcontentloaded")
        page.get_by_text("govkg").first.wait_for(timeout=WAIT_MS)
        idle(page)
        return page

    def shot(self, page: Page, step: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        idle(page)
        page.screenshot(path=str(SCREENSHOTS / f"corrections-{self.served.engine}-{step}.png"), full_page=True)

    def close(self) -> None:
        for page in self.pages:
            page.close()
        assert self.dialogs == [], f"a script ran: {self.dialogs}"


@pytest.fixture()
def walk(browser: Browser, served: Served, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Walk]:  # noqa: F811
    case_file = tmp_path / FILE_NAME
    case_file.write_text(CASE, encoding="utf-8")
    walking = Walk(browser, served, case_file)
    failed = request.session.testsfailed
    yield walking
    if request.session.testsfailed > failed and walking.pages:  # where the walk stopped, for a person to see
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        walking.pages[-1].screenshot(path=str(SCREENSHOTS / f"corrections-{served.engine}-failed.png"),
                                     full_page=True)  # fmt: skip
    walking.close()


def idle(page: Page) -> None:
    """Wait until Streamlit has finished running the script (its status widget is gone)."""
    page.wait_for_timeout(300)
    page.locator("[data-testid='stStatusWidget']").wait_for(state="detached", timeout=WAIT_MS)


def in_widget(page: Page, key: str) -> Locator:
    """The element of the widget with Streamlit key `key` (its container carries class st-key-<key>):
    for the two fields the page labels alike (the reasons of a correction and of an addition)."""
    return page.locator(f".st-key-{key}")


def choose(page: Page, label: str, option: str, *, whole: bool = True) -> None:
    """Pick `option` in the select labelled `label` (a combo box: its input's aria-label is the label,
    its value the option shown): click it, type the option's text, press Enter. `whole=False`: `option`
    is the start of the option's text."""
    box = page.get_by_label(label, exact=True)
    box.click()
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type(option)
    page.keyboard.press("Enter")
    idle(page)
    shown = page.get_by_label(label, exact=True).input_value()
    assert shown == option if whole else shown.startswith(option), f"{label}: {option!r} not chosen, shows {shown!r}"


def fill(box: Locator, value: str) -> None:
    """Type into a text field and commit it (Streamlit takes a text input's value on Enter)."""
    box.fill(value)
    box.press("Enter")
    idle(box.page)


def press(page: Page, text: str) -> None:
    page.get_by_role("button", name=text, exact=True).click()
    idle(page)


def undo_buttons(page: Page) -> Locator:
    """The review's list of corrections made: one undo button a correction (keys review_undo_<id>)."""
    return page.locator("[class*='st-key-review_undo_'] button")


def table_rows(page: Page) -> list[dict[str, str]]:
    """The first table's rows as its header names them. st.dataframe draws on a canvas; the grid keeps
    an accessible copy of its cells inside it (role grid, cells glide-cell-<column>-<row>)."""
    header, *rows = page.locator("[data-testid='stDataFrame']").first.evaluate(
        "e => [...e.querySelectorAll('table[role=grid] tr')].map(r => [...r.children].map(c => c.textContent))")
    return [dict(zip(header, row, strict=False)) for row in rows]


def node_option(label: str, name: str) -> str:
    return f"{LABEL[label]}: {name}"  # as the Load page's fact_text / node_text words a node


def edge_option(source: str, kind: str, target: str) -> str:
    return f"{source} —{EDGE[kind]}→ {target}"  # as fact_text words a relationship


def upload(walk: Walk) -> Page:
    """A new session on the Load page with the case file uploaded and its preview drawn."""
    page = walk.open("/Load")
    page.locator("input[type='file']").set_input_files(str(walk.case_file))
    page.get_by_text(words("load.review.title"), exact=True).wait_for(timeout=WAIT_MS)
    page.locator("mark").first.wait_for(timeout=WAIT_MS)
    idle(page)
    return page


def write(page: Page, *expected: str) -> None:
    """Accept and write; wait for the summary, which says each of `expected`."""
    press(page, words("load.write"))
    success = page.locator("[data-testid='stAlertContentSuccess']").first
    success.wait_for(timeout=WAIT_MS)
    said = success.inner_text()
    for text in expected:
        assert text in said, f"{text!r} not in {said!r}"


def correct(page: Page, fact: str, action: str, made: int, **values: str) -> None:
    """One correction of an extracted fact: choose it and the action, fill in its value, apply."""
    choose(page, words("load.review.fact"), fact)
    choose(page, words("load.review.action"), words(f"corrections.action.{action}"))
    if "name" in values:
        fill(page.get_by_label(words("load.review.new_name"), exact=True), values["name"])
    if "label" in values:
        choose(page, words("load.review.new_label"), LABEL[values["label"]])
    if "end" in values:
        choose(page, words("load.review.end"), values["end"])
        choose(page, words("load.review.new_end"), values["node"])
    if "reason" in values:
        fill(in_widget(page, "review_reason").get_by_label(words("load.review.reason"), exact=True), values["reason"])
    press(page, words("load.review.apply"))
    expect(undo_buttons(page), "the correction is not listed in the review").to_have_count(made, timeout=WAIT_MS)
    idle(page)


# Where the characters of the first occurrence of `words` in the previewed text are on the screen: the
# text nodes of the text box read in order (highlight <mark>s split them), a Range on the first
# character and one on the last.
_CHARACTER_BOXES = """([box, words]) => {
  const walker = document.createTreeWalker(document.querySelector(box), NodeFilter.SHOW_TEXT);
  const nodes = [];
  let text = "";
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    nodes.push([node, text.length]);
    text += node.data;
  }
  const at = text.indexOf(words);
  if (at < 0) return null;
  const place = (i) => {
    const [node, start] = nodes.filter(([, start]) => start <= i).pop();
    return [node, i - start];
  };
  const rect = (i) => {
    const range = document.createRange();
    const [node, offset] = place(i);
    range.setStart(node, offset);
    range.setEnd(node, offset + 1);
    const r = range.getBoundingClientRect();
    return { left: r.left, right: r.right, middle: r.top + r.height / 2 };
  };
  return { first: rect(at), last: rect(at + words.length - 1) };
}"""


def select_words(page: Page, span: str) -> None:
    """Select `span` in the Load page's text with the mouse, as a reader does: press at the left edge of
    its first character, drag to the right edge of its last, release."""
    text_box = page.locator(f".{TEXT_CLASS}").first
    text_box.scroll_into_view_if_needed()
    boxes = page.evaluate(_CHARACTER_BOXES, [f".{TEXT_CLASS}", span])
    assert boxes, f"{span!r} is not in the previewed text"
    first, last = boxes["first"], boxes["last"]
    page.mouse.move(first["left"] + 1, first["middle"])
    page.mouse.down()
    page.mouse.move(last["right"] - 1, last["middle"], steps=8)
    page.mouse.up()
    idle(page)


def add_from_span(page: Page, span: str, sentence: str, what: str, made: int, *, select: bool = False,
                  **values: str) -> None:  # fmt: skip
    """Add what the extractor missed: select a span in the text with the mouse (`select`) or type it into
    the span field, see its sentence, choose what to add."""
    field = page.get_by_label(words("load.review.span"), exact=True)
    if select:
        select_words(page, span)
        expect(field, "the selection did not fill the span field").to_have_value(span, timeout=WAIT_MS)
    else:
        fill(field, span)
    page.get_by_text(words("load.review.span_sentence", sentence=sentence), exact=True).wait_for(timeout=WAIT_MS)
    choose(page, words("load.review.add_what"), what)
    if "label" in values:
        choose(page, words("load.review.add_label"), LABEL[values["label"]])
    if "source" in values:
        choose(page, words("load.review.add_source"), values["source"])
        choose(page, words("load.review.add_target"), values["target"])
    press(page, words("load.review.add_button"))
    expect(undo_buttons(page), "the addition is not listed in the review").to_have_count(made, timeout=WAIT_MS)
    idle(page)


# --------------------------------------------------------------------------- reading the store back


@dataclass(frozen=True)
class Held:
    graph: GraphDocument
    counts: dict[str, int]
    kept: list[Correction]
    undone: list[Correction]


def held(settings: StoreSettings) -> Held:
    """What the store holds now, read through a handle of its own (read-only on the embedded engine)."""
    with open_store(settings, read_only=True) as store:
        kept = store.corrections()
        every = store.corrections(undone=True)
        return Held(store.snapshot(), store.counts(), kept, [c for c in every if c.id not in {k.id for k in kept}])


def assert_corrected(graph: GraphDocument, *, reattach_undone: bool = False) -> None:
    """Each correction of the walk took effect in the stored graph (the re-attachment's unless undone)."""
    nodes = graph.node_by_id()
    edges = {e.key: e for e in graph.edges}
    assert NOT_A_PRACTICE not in nodes  # rejected
    assert COUNCIL not in nodes and nodes[COUNCIL_RENAMED].name == "院落议事会"  # renamed
    assert COUNCIL_OLD_NAME in nodes[COUNCIL_RENAMED].aliases  # the extractor's name stays an alias
    assert ("ADOPTS", STREET, COUNCIL_RENAMED) in edges
    assert COMMITTEE not in nodes and nodes[COMMITTEE_ORG].label == "Organisation"  # re-typed
    assert ("HAS_ORGANISATION", STREET, COMMITTEE_ORG) in edges and ("ADOPTS", STREET, COMMITTEE) not in edges
    # re-attached (back to the extractor's category once undone)
    assert (("IN_CATEGORY", GATHERING, DELIBERATION) in edges) is not reattach_undone
    assert (("IN_CATEGORY", GATHERING, SELF_RULE) in edges) is reattach_undone
    assert nodes[VOLUNTEERS].label == "Organisation"  # added from a selection, its sentence the evidence
    mention = [e for e in graph.edges if e.type == "MENTIONS" and e.target == VOLUNTEERS]
    assert [[ev.text for ev in e.evidence] for e in mention] == [[VOLUNTEERS_SENTENCE]]
    texts = {d.id: d.text for d in graph.documents}  # and its offsets point at it (𠀀 before it counts one)
    assert [texts[ev.document][ev.start : ev.end] for ev in mention[0].evidence] == [VOLUNTEERS_SENTENCE]
    assert [ev.text for ev in edges[("FRAMED_BY", HELP_STATION, REGULATION)].evidence] == [FRAMED_SENTENCE]


def assert_merged(graph: GraphDocument) -> None:
    """The extractor's 党委 merged into 街道党工委 (the re-typed mechanism): one node, both names."""
    nodes = graph.node_by_id()
    edges = {e.key for e in graph.edges}
    assert PARTY not in nodes and "党委" in nodes[COMMITTEE_ORG].aliases
    assert ("HAS_ORGANISATION", STREET, COMMITTEE_ORG) in edges and ("HAS_ORGANISATION", STREET, PARTY) not in edges


def facts(graph: GraphDocument) -> list[tuple[object, ...]]:
    """Every relationship with its evidence and properties (SIMILAR_TO, computed, left out), sorted."""
    return sorted((e.key, [ev.to_dict() for ev in e.evidence], sorted(e.properties.items()))
                  for e in graph.edges if e.type != "SIMILAR_TO")  # fmt: skip


def shape(graph: GraphDocument) -> tuple[set[str], set[tuple[str, str, str]]]:
    """Which nodes and relationships a graph holds (by id and key)."""
    return {n.id for n in graph.nodes}, {e.key for e in graph.edges}


# --------------------------------------------------------------------------- the walk


def test_the_correction_loop_in_the_browser(walk: Walk, served: Served, request: pytest.FixtureRequest,
                                            tmp_path: Path) -> None:  # fmt: skip
    # 1. The reader's name in the sidebar (the login name is there by default).
    page = upload(walk)
    author = page.get_by_label(words("corrections.author"), exact=True)
    fill(author, AUTHOR)
    assert author.input_value() == AUTHOR
    walk.shot(page, "1-uploaded-with-author")

    # 2. Review the upload: reject, rename, re-type, re-attach, add a node (its words selected in the text
    # with the mouse) and a relationship (its span typed).
    correct(page, node_option("Mechanism", "居民代表共同商议院落事务"), "reject", 1, reason=REJECT_REASON)
    correct(page, node_option("Mechanism", COUNCIL_OLD_NAME), "rename", 2, name="院落议事会")
    correct(page, node_option("Mechanism", "街道党工委"), "retype", 3, label="Organisation")
    correct(page, edge_option("坝坝会", "IN_CATEGORY", "居民自治"), "reattach", 4,
            end=words("load.review.end.target", name=node_option("Category", "居民自治")),
            node=node_option("Category", "协商议事"))  # fmt: skip
    # Adding a node makes two corrections: the node, and its document's mention of it (its evidence).
    add_from_span(page, VOLUNTEERS_SPAN, VOLUNTEERS_SENTENCE, words("load.review.add_node"), 6, select=True,
                  label="Organisation")  # fmt: skip
    add_from_span(page, FRAMED_SPAN, FRAMED_SENTENCE, words("load.review.add_edge", type=EDGE["FRAMED_BY"]), 7,
                  source=node_option("Mechanism", "邻里互助站"),
                  target=node_option("Policy", "成都市城乡社区发展治理促进条例"))  # fmt: skip
    marks = set(page.locator("mark").all_inner_texts())
    assert VOLUNTEERS_SPAN in marks and "居民代表共同商议院落事务" not in marks  # the preview shows the review
    walk.shot(page, "2-reviewed")
    write(page, words("load.kept", count=len(ACTIONS)))
    walk.shot(page, "2-written")

    # 3. The store: every correction took effect, and it keeps them, in the order made, by the reader.
    after = held(served.settings)
    assert_corrected(after.graph)
    assert [c.action for c in after.kept] == ACTIONS
    assert {c.author for c in after.kept} == {AUTHOR}
    assert next(c for c in after.kept if c.action == "reject").reason == REJECT_REASON

    # 4. The same file again, in a new session, written with no correction of its own: the kept ones apply.
    again = upload(walk)
    again.get_by_text(words("load.review.kept_applied", count=len(ACTIONS)), exact=False).wait_for(timeout=WAIT_MS)
    assert undo_buttons(again).count() == 0
    assert "居民代表共同商议院落事务" not in set(again.locator("mark").all_inner_texts())
    write(again)
    walk.shot(again, "4-written-again")
    reloaded = held(served.settings)
    assert_corrected(reloaded.graph)
    assert reloaded.counts == after.counts
    assert [c.id for c in reloaded.kept] == [c.id for c in after.kept]

    # 5. The Corrections page lists them. Undoing the rejection is refused in one line: a later correction
    # (the rename) changed an end of what it took away. Undoing the re-attachment puts it back at once.
    listed = walk.open("/Corrections")
    listed.locator("[data-testid='glide-cell-0-0']").wait_for(state="attached", timeout=WAIT_MS)
    idle(listed)
    rows = table_rows(listed)
    action, target = words("corrections.col.action"), words("corrections.col.target")
    assert [(row[action], row[target]) for row in rows] == [
        (words(f"corrections.action.{c.action}"), str(c.target)) for c in after.kept]
    rejection = next(c for c in after.kept if c.action == "reject")
    reattachment = next(c for c in after.kept if c.action == "reattach")
    pick = words("corrections.pick")
    listed.get_by_label(pick, exact=True).click()
    options = listed.get_by_role("option").all_inner_texts()
    listed.keyboard.press("Escape")
    expected = [f"{words('corrections.action.' + c.action)} · {c.target} · {AUTHOR}" for c in after.kept]
    assert options == expected, options
    walk.shot(listed, "5-listed")
    choose(listed, pick, f"{words('corrections.action.reject')} · {rejection.target} · {AUTHOR}")
    press(listed, words("corrections.undo"))
    refusal = listed.get_by_text("undo the later correction first", exact=False)
    refusal.first.wait_for(timeout=WAIT_MS)
    walk.shot(listed, "5-undo-refused")
    assert held(served.settings).graph.node_by_id().keys() == reloaded.graph.node_by_id().keys()  # unchanged
    choose(listed, pick, f"{words('corrections.action.reattach')} · {reattachment.target} · {AUTHOR}")
    press(listed, words("corrections.undo"))
    listed.get_by_text(words("corrections.undone_now", target=str(reattachment.target)), exact=True).wait_for(
        timeout=WAIT_MS)
    walk.shot(listed, "5-undone")
    undone = held(served.settings)
    assert [c.id for c in undone.kept] == [c.id for c in after.kept if c.id != reattachment.id]
    assert [c.id for c in undone.undone] == [reattachment.id]
    # Made in the review and written with the upload, the re-attachment is put back at once: the
    # extractor's category is in the store again, the other corrections still applied; and the next
    # load of the file keeps it so.
    assert_corrected(undone.graph, reattach_undone=True)
    third = upload(walk)
    third.get_by_text(words("load.review.kept_applied", count=len(ACTIONS) - 1), exact=False).wait_for(
        timeout=WAIT_MS)
    write(third)
    walk.shot(third, "5-loaded-after-undo")
    loaded = held(served.settings)
    assert_corrected(loaded.graph, reattach_undone=True)

    # 6. Merge two nodes on the node page: the extractor's 党委 (written 街道党工委) is the re-typed 街道党工委.
    node_page = walk.open(f"/Node?node={PARTY}")
    fill(node_page.get_by_label(words("corrections.author"), exact=True), AUTHOR)  # a new session: the name again
    node_page.get_by_text(words("correct.title"), exact=True).click()
    idle(node_page)
    choose(node_page, words("correct.fact"), words("correct.this_node", name=f"党委 ({LABEL['Organisation']})"))
    choose(node_page, words("correct.action"), words("corrections.action.merge"))
    choose(node_page, words("correct.into"), f"街道党工委 ({LABEL['Organisation']})", whole=False)
    fill(node_page.get_by_label(words("correct.reason"), exact=True), MERGE_REASON)
    press(node_page, words("correct.apply"))
    node_page.locator("[data-testid='stAlertContentSuccess']").first.wait_for(timeout=WAIT_MS)
    walk.shot(node_page, "6-merged")
    merged = held(served.settings)
    assert_merged(merged.graph)
    assert_corrected(merged.graph, reattach_undone=True)
    merge = merged.kept[-1]
    assert (merge.action, merge.author, merge.reason) == ("merge", AUTHOR, MERGE_REASON)
    assert [c.id for c in merged.kept[:-1]] == [c.id for c in loaded.kept]

    # Export the kept corrections as a download: the file a team shares holds them all.
    corrections_page = walk.open("/Corrections")
    export = corrections_page.get_by_role("button", name=words("corrections.export"), exact=True)
    export.wait_for(timeout=WAIT_MS)
    with corrections_page.expect_download(timeout=WAIT_MS) as download:
        export.click()
    shared = tmp_path / download.value.suggested_filename
    download.value.save_as(shared)
    exported = corrections_from_json(shared.read_text(encoding="utf-8"), shared.name)
    assert [c.id for c in exported] == [c.id for c in merged.kept]

    # Undo the merge on the Corrections page: what it changed is put back exactly, now.
    choose(corrections_page, words("corrections.pick"), f"{words('corrections.action.merge')} · {PARTY} · {AUTHOR}")
    press(corrections_page, words("corrections.undo"))
    corrections_page.get_by_text(words("corrections.undone_now", target=PARTY), exact=True).wait_for(
        timeout=WAIT_MS)
    walk.shot(corrections_page, "6-merge-undone")
    unmerged = held(served.settings)
    assert unmerged.counts == loaded.counts
    assert {n.id: n for n in unmerged.graph.nodes} == {n.id: n for n in loaded.graph.nodes}
    assert facts(unmerged.graph) == facts(loaded.graph)
    assert [c.id for c in unmerged.kept] == [c.id for c in loaded.kept]

    # Import the file into a second, empty store loaded from the same files, on its own app's
    # Corrections page: it then holds the graph the first store held when the file was exported.
    second = _empty_store(served.engine, request, tmp_path / "second.lbdb")
    load_paths(second, [BUNDLED_CASES_DIR, walk.case_file])
    with serving(second) as second_url:
        importing = walk.open("/Corrections", url=second_url)
        importing.locator("input[type='file']").set_input_files(str(shared))
        press(importing, words("corrections.import_button"))
        importing.get_by_text(words("corrections.imported", applied=len(exported), later=0, already=0, missing=0),
                              exact=True).wait_for(timeout=WAIT_MS)  # fmt: skip
        walk.shot(importing, "6-imported-into-a-second-store")
    taken = held(second)
    assert taken.counts == merged.counts
    assert shape(taken.graph) == shape(merged.graph)
    assert_merged(taken.graph)
    assert_corrected(taken.graph, reattach_undone=True)
    assert [c.id for c in taken.kept] == [c.id for c in exported]
