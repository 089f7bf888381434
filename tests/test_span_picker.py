"""Adding what the extractor missed from words selected in the Load page's text (govkg/app/span_picker.py,
govkg/app/review_span.py, review.span_at): the selected place, not the first occurrence of the same
words, gives the evidence sentence; a hand edit of the field goes back to the first occurrence.

The JavaScript's side (offsets counted in code points, marks not shifting them) is walked with the real
mouse in tests/test_browser_corrections.py; here the Python side, and the page through AppTest with the
component's trigger sent as the browser sends it (app_testing.select_in_text). The case text below was
written for testing; the store is a real LadybugDB file in tmp_path."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from app_testing import html_blocks, page, select_in_text, text_boxes, uploader
from streamlit.testing.v1 import AppTest

from govkg.app.review import Found, Refused, edge_from_span, find_span, node_from_span, review, span_at
from govkg.app.review_span import FIELD, PLACE, Place, forget_place, refusal, select, span_in_field
from govkg.app.span_picker import Selection, selection_of
from govkg.app.upload import combined, read_upload
from govkg.graph.ladybug_store import LadybugStore
from govkg.graph.model import GraphDocument, node_id
from govkg.i18n import tr

# WRITTEN FOR TESTING: the places are real, the practices invented; no real case or event. 睦邻点 occurs
# twice, the second time after 𠀀 (U+20000, beyond the Basic Multilingual Plane: two UTF-16 units).
CASE = "\n".join([
    "（测试用文本：本文为测试而编写，written for testing。地名真实，所述事例均为虚构，不代表任何真实事件。）",
    "嘉善县魏塘街道的睦邻议事",
    "浙江省嘉兴市嘉善县魏塘街道推行“睦邻议事会”制度，由社区居委会组织居民协商。街道的睦邻点由楼道长轮流看管。",
    "“𠀀”是一个不常用的字。魏塘街道还在每个小区设立睦邻点，请退休教师值守。",
    "",
])
NAME = "jiashan-neighbours.txt"
AUTHOR = "测试研究员"
MADE_AT = "2026-12-04T00:00:00+00:00"
WORDS = "睦邻点"
FIRST_SENTENCE = "街道的睦邻点由楼道长轮流看管。"
SECOND_SENTENCE = "魏塘街道还在每个小区设立睦邻点，请退休教师值守。"
POINT = node_id("Mechanism", WORDS)
COUNCIL = node_id("Mechanism", "“睦邻议事会”制度")
STREET = node_id("Zone", "浙江省嘉兴市嘉善县魏塘街道")

pytestmark = pytest.mark.usefixtures("fresh_streamlit_caches")  # app_testing.py


@pytest.fixture(scope="module")
def graph() -> GraphDocument:
    """The upload as the page reviews it: read and combined as the page does."""
    return combined([read_upload(NAME, CASE.encode("utf-8"))])


def _text(graph: GraphDocument) -> str:
    return graph.documents[0].text


def _second(text: str) -> int:
    return text.index(WORDS, text.index(WORDS) + 1)


# --------------------------------------------------------------------------- review.span_at


def test_a_selected_span_takes_the_sentence_it_was_selected_in(graph: GraphDocument) -> None:
    document, text = graph.documents[0].id, _text(graph)
    start = _second(text)
    found = span_at(graph, document, start, start + len(WORDS))
    assert (found.document, found.start, found.end, found.words) == (document, start, start + len(WORDS), WORDS)
    assert found.sentence.text == SECOND_SENTENCE == text[found.sentence.start : found.sentence.end]
    assert find_span(graph, WORDS).sentence.text == FIRST_SENTENCE  # typed: the first occurrence, as before

    added = node_from_span(graph, found, "Mechanism", author=AUTHOR, made_at=MADE_AT)
    assert added[0].value["node"]["name"] == WORDS and added[0].value["node"]["aliases"] == []
    assert added[0].value["node"]["properties"] == {"description": SECOND_SENTENCE}
    mention = {e.key: e for e in review(graph, [], added).graph.edges}[("MENTIONS", document, POINT)]
    assert [ev.text for ev in mention.evidence] == [SECOND_SENTENCE]

    adoption = edge_from_span(graph, found, "ADOPTS", STREET, COUNCIL, author=AUTHOR, made_at=MADE_AT)
    assert [ev["text"] for ev in adoption.value["edge"]["evidence"]] == [SECOND_SENTENCE]


def test_whitespace_around_a_selection_is_left_out(graph: GraphDocument) -> None:
    text = _text(graph)
    line = text.index("“𠀀”")
    found = span_at(graph, graph.documents[0].id, line - 1, line + 3)  # the line break before it too
    assert found.words == "“𠀀”" and found.start == line


@pytest.mark.parametrize(("start", "end", "code"), [
    (-1, 3, "span_outside"), (0, 10_000, "span_outside"), (9, 3, "span_outside"),
    (5, 5, "span_empty"), ("line", "line", "span_empty"),
], ids=["before", "after", "backwards", "nothing", "a-line-break"])  # fmt: skip
def test_a_selection_outside_the_text_or_of_nothing_is_refused(graph: GraphDocument, start: object, end: object,
                                                               code: str) -> None:  # fmt: skip
    text = _text(graph)
    if start == "line":  # only the line break between two lines
        start, end = text.index("\n"), text.index("\n") + 1
    assert isinstance(start, int) and isinstance(end, int)
    with pytest.raises(Refused) as refused:
        span_at(graph, graph.documents[0].id, start, end)
    assert refused.value.code == code
    message = f"load.review.refused.{code}"
    assert tr(message, "zh") and tr(message, "en") and tr(message, "zh") != tr(message, "en")


def test_a_selection_in_a_document_not_uploaded_is_refused(graph: GraphDocument) -> None:
    with pytest.raises(Refused) as refused:
        span_at(graph, "document:not-uploaded", 0, 3)
    assert refused.value.code == "span_outside"


def test_offsets_after_a_character_beyond_the_basic_plane_are_code_points(graph: GraphDocument) -> None:
    text = _text(graph)
    start = _second(text)
    assert "𠀀" in text[:start]
    # JavaScript counts UTF-16 units: its offset is one more than Python's here, which is why the
    # component counts code points (Array.from) before it reports.
    utf16 = len(text[:start].encode("utf-16-le")) // 2
    assert utf16 == start + 1
    assert span_at(graph, graph.documents[0].id, start, start + len(WORDS)).words == WORDS
    assert text[utf16 : utf16 + len(WORDS)] != WORDS


# --------------------------------------------------------------------------- the field and the place


def test_a_selection_fills_the_field_and_remembers_its_place(graph: GraphDocument) -> None:
    document, start = graph.documents[0].id, _second(_text(graph))
    state: dict[str, object] = {FIELD: "别的字"}
    select(state, graph, document, start, start + len(WORDS))
    assert state[FIELD] == WORDS
    assert state[PLACE] == Place(document, start, start + len(WORDS), WORDS)
    chosen = span_in_field(state, graph, WORDS)
    assert isinstance(chosen, Found) and chosen.sentence.text == SECOND_SENTENCE
    assert refusal(state) is None


def test_words_typed_after_a_selection_are_found_where_they_first_occur(graph: GraphDocument) -> None:
    document, start = graph.documents[0].id, _second(_text(graph))
    state: dict[str, object] = {}
    select(state, graph, document, start, start + len(WORDS))
    assert span_in_field(state, graph, "睦邻") == "睦邻"  # the field no longer holds the selected words
    forget_place(state)  # the field's on_change: the reader typed
    assert PLACE not in state
    assert span_in_field(state, graph, WORDS) == WORDS  # the same words typed: where they first occur
    assert find_span(graph, WORDS).sentence.text == FIRST_SENTENCE


def test_a_refused_selection_leaves_the_field_and_says_why_once(graph: GraphDocument) -> None:
    document, start = graph.documents[0].id, _second(_text(graph))
    state: dict[str, object] = {}
    select(state, graph, document, start, start + len(WORDS))
    newline = _text(graph).index("\n")
    select(state, graph, document, newline, newline + 1)
    assert state[FIELD] == WORDS and isinstance(state[PLACE], Place)  # as they were
    said = refusal(state)
    assert said is not None and said.code == "span_empty"
    assert refusal(state) is None


def test_the_component_report_is_taken_only_as_two_integers() -> None:
    assert selection_of({"start": 3, "end": 7}) == Selection(3, 7)
    for value in (None, "3:7", [3, 7], {"start": 3}, {"start": "3", "end": 7}, {"start": 3.0, "end": 7},
                  {"start": True, "end": 7}):  # fmt: skip
        assert selection_of(value) is None, value


# --------------------------------------------------------------------------- the page


@pytest.fixture()
def author(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("GOVKG_USER", AUTHOR)
    return AUTHOR


def _upload() -> AppTest:
    at = page("pages/5_Load.py")
    at.run()
    uploader(at).set_value([(NAME, CASE.encode("utf-8"), "text/plain")])
    at.run()
    _ok(at)
    return at


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def _captions(at: AppTest) -> str:
    return "\n".join(c.value for c in at.caption)


def test_the_preview_is_the_text_a_reader_selects_in(small_db: Path, author: str, graph: GraphDocument) -> None:
    at = _upload()
    (box,) = text_boxes(at)
    assert box["text"] == _text(graph)  # the text as data, beside its escaped, highlighted markup
    assert html.unescape(re.sub(r"<[^>]+>", "", box["body"])) == _text(graph)
    assert "<mark" in box["body"] and "<mark" in "".join(html_blocks(at))
    assert tr("load.review.select_hint", "en") in _captions(at)  # the page says words can be selected
    assert tr("load.review.span", "en").startswith("Span of the text (select it")


def test_words_selected_in_the_text_are_added_from_where_they_were_selected(
        small_db: Path, author: str, graph: GraphDocument) -> None:  # fmt: skip
    at = _upload()
    start = _second(_text(graph))
    select_in_text(at, start, start + len(WORDS))
    _ok(at)
    assert at.text_input(key=FIELD).value == WORDS  # filled by the selection, before the field was drawn
    assert tr("load.review.span_sentence", "en", sentence=SECOND_SENTENCE) in _captions(at)

    at.selectbox(key="review_add_what").set_value("node").run()
    at.selectbox(key="review_add_label").set_value("Mechanism").run()
    at.button(key="review_add").click().run()
    _ok(at)
    assert at.text_input(key=FIELD).value == ""  # emptied once added
    at.button(key="write_upload").click().run()
    _ok(at)
    with LadybugStore(small_db, read_only=True) as store:
        stored = store.snapshot()
    mention = {e.key: e for e in stored.edges}[("MENTIONS", graph.documents[0].id, POINT)]
    assert [ev.text for ev in mention.evidence] == [SECOND_SENTENCE]


def test_a_hand_edit_after_a_selection_finds_the_typed_words_first_occurrence(
        small_db: Path, author: str, graph: GraphDocument) -> None:  # fmt: skip
    at = _upload()
    start = _second(_text(graph))
    select_in_text(at, start, start + len(WORDS))
    at.text_input(key=FIELD).input("睦邻点由楼道长").run()
    _ok(at)
    assert tr("load.review.span_sentence", "en", sentence=FIRST_SENTENCE) in _captions(at)
    at.text_input(key=FIELD).input(WORDS).run()  # the selected words again, typed: the first occurrence
    assert tr("load.review.span_sentence", "en", sentence=FIRST_SENTENCE) in _captions(at)
    assert PLACE not in at.session_state


def test_a_selection_of_nothing_but_a_line_break_is_refused_in_both_languages(
        small_db: Path, author: str, graph: GraphDocument) -> None:  # fmt: skip
    at = _upload()
    newline = _text(graph).index("\n")
    select_in_text(at, newline, newline + 1)
    assert not at.exception
    said = [e.value for e in at.error]
    assert said == [tr("load.review.refused.span_empty", "both")]
    assert at.text_input(key=FIELD).value == ""
