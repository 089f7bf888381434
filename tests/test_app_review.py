"""Reviewing an upload before it is written (the Load page, govkg/app/review.py): reject, rename,
re-type, re-attach, mark planned and add from a span, applied to the preview at once, written with the
upload and kept by the store, so a re-load of the same file keeps them applied.

The case text below was written for testing; the store is a real LadybugDB file in tmp_path, driven
as tests/test_app_load.py drives the Load page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from app_testing import html_blocks, page, uploader, widget_labels
from streamlit.testing.v1 import AppTest

from govkg.app.review import (
    Fact,
    Refused,
    correction_for,
    edge_from_span,
    fact_key,
    find_span,
    node_from_span,
    reattach_choices,
    review,
    reviewable_facts,
    sentence_around,
    stamp,
    without,
)
from govkg.app.upload import combined, read_upload
from govkg.errors import CorrectionError
from govkg.graph.corrections import Target
from govkg.graph.ladybug_store import LadybugStore
from govkg.graph.model import Document, GraphDocument, document_id, node_id
from govkg.i18n import tr

# WRITTEN FOR TESTING: the places are real, the practices invented; no real case or event.
CASE = "\n".join([
    "（测试用文本：本文为测试而编写，written for testing。地名真实，所述事例均为虚构，不是真实案例，"
    "不代表任何真实事件。）",
    "桐乡市梧桐街道的协商议事",
    "浙江省嘉兴市桐乡市梧桐街道近年来探索基层协商。梧桐街道推行“百姓议事会”制度，由社区党委、居委会和居民代表共同商议小区事务。",
    "街道还依据《桐乡市城乡社区协商实施办法》，在各社区建立“邻里值班室”，由志愿者轮流值守。",
    "同属桐乡市的乌镇镇则组织乡贤开展“民情茶话会”活动，下一步将在全镇推广“积分管理”机制。",
    "乌镇镇社会工作服务站也参与了“民情茶话会”的筹办。",
    "",
])
NAME = "tongxiang-review-case.txt"
AUTHOR = "测试研究员"
MADE_AT = "2026-12-04T00:00:00+00:00"

STREET = node_id("Zone", "浙江省嘉兴市桐乡市梧桐街道")
TOWN = node_id("Zone", "浙江省嘉兴市桐乡市乌镇镇")
NOT_A_PRACTICE = node_id("Mechanism", "居民代表共同商议小区事务")  # a clause read as a mechanism
COUNCIL = node_id("Mechanism", "百姓议事会制度")
COUNCIL_RENAMED = node_id("Mechanism", "百姓议事会")
PARTY = node_id("Mechanism", "社区党委")  # a body read as a mechanism
PARTY_ORG = node_id("Organisation", "社区党委")
DUTY_ROOM = node_id("Mechanism", "邻里值班室")
TEA = node_id("Mechanism", "民情茶话会")
RURAL = node_id("Category", "乡村治理")
DELIBERATION = node_id("Category", "协商议事")
STATION = node_id("Organisation", "乌镇镇社会工作服务站")  # missed by the extractor
STATION_SENTENCE = "乌镇镇社会工作服务站也参与了“民情茶话会”的筹办。"

pytestmark = pytest.mark.usefixtures("fresh_streamlit_caches")  # app_testing.py


@pytest.fixture()
def author(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("GOVKG_USER", AUTHOR)
    return AUTHOR


@pytest.fixture(scope="module")
def upload_graph() -> GraphDocument:
    """The upload as the page reviews it: read and combined as the page does."""
    return combined([read_upload(NAME, CASE.encode("utf-8"))])


def _upload(**params: str) -> AppTest:
    at = page("pages/5_Load.py")
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    uploader(at).set_value([(NAME, CASE.encode("utf-8"), "text/plain")])
    at.run()
    _ok(at)
    return at


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def _correct(at: AppTest, target: Target, action: str, **values: str) -> None:
    """Choose the fact and the action, fill in the value widgets (by key), apply."""
    at.selectbox(key="review_fact").set_value(fact_key(target)).run()
    at.selectbox(key="review_action").set_value(action).run()
    for key, value in values.items():
        widget: Any = at.text_input(key=key) if key in ("review_name", "review_reason") else at.selectbox(key=key)
        widget.set_value(value).run()
    at.button(key="review_apply").click().run()
    _ok(at)
    assert at.success and tr("load.review.applied", "en") in at.success[0].value


def _add(at: AppTest, span: str, what: str, **values: str) -> None:
    at.text_input(key="review_span").input(span).run()
    at.selectbox(key="review_add_what").set_value(what).run()
    for key, value in values.items():
        widget: Any = at.text_input(key=key) if key == "review_add_name" else at.selectbox(key=key)
        widget.set_value(value).run()
    at.button(key="review_add").click().run()
    _ok(at)


def _metrics(at: AppTest) -> dict[str, str]:
    from govkg.i18n import label_names

    names = label_names("both")
    return {label: next(m.value for m in at.metric if m.label == names[label])
            for label in ("Zone", "Mechanism", "Organisation", "Policy")}  # fmt: skip


def _snapshot(db: Path) -> GraphDocument:
    with LadybugStore(db, read_only=True) as store:
        return store.snapshot()


def _edges(graph: GraphDocument) -> dict[tuple[str, str, str], Any]:
    return {e.key: e for e in graph.edges}


# --------------------------------------------------------------------------- the page


def test_a_reviewed_upload_is_written_with_its_corrections_and_a_reload_keeps_them(
        small_db: Path, author: str, upload_graph: GraphDocument) -> None:  # fmt: skip
    at = _upload()
    before = _metrics(at)
    assert before == {label: str(sum(1 for n in upload_graph.nodes if n.label == label))
                      for label in ("Zone", "Mechanism", "Organisation", "Policy")}  # fmt: skip

    _correct(at, Target(node=NOT_A_PRACTICE), "reject", review_reason="一句话的后半句，不是机制")
    _correct(at, Target(node=COUNCIL), "rename", review_name="百姓议事会")
    _correct(at, Target(node=PARTY), "retype", review_label="Organisation")
    _correct(at, Target(edge=("IN_CATEGORY", TEA, RURAL)), "reattach", review_end="target",
             review_node=DELIBERATION)  # fmt: skip
    _correct(at, Target(edge=("ADOPTS", STREET, DUTY_ROOM)), "mark_planned")
    _add(at, "乌镇镇社会工作服务站", "node", review_add_label="Organisation")
    _add(at, "参与了“民情茶话会”的筹办", "PARTICIPATES_IN", review_add_source=STATION, review_add_target=TEA)

    # The preview shows the reviewed result: counts, tables, the text's marks, the list of corrections.
    after = _metrics(at)
    assert int(after["Mechanism"]) == int(before["Mechanism"]) - 2  # one rejected, one re-typed
    assert int(after["Organisation"]) == int(before["Organisation"]) + 2  # the re-typed one, the added one
    marks = re.findall(r"<mark[^>]*>([^<]*)</mark>", "\n".join(html_blocks(at)))
    assert "乌镇镇社会工作服务站" in marks and "居民代表共同商议小区事务" not in marks
    nodes_table = at.dataframe[0].value
    assert "百姓议事会" in set(nodes_table.iloc[:, 1]) and "居民代表共同商议小区事务" not in set(nodes_table.iloc[:, 1])
    session = at.session_state["load_review"]
    assert [c.action for c in session] == ["reject", "rename", "retype", "reattach", "mark_planned", "add_node",
                                           "add_edge", "add_edge"]
    undo_buttons = [b for b in at.button if str(b.key).startswith("review_undo_")]
    assert len(undo_buttons) == len(session)
    assert not at.warning, [w.value for w in at.warning]  # none found its fact gone

    at.button(key="write_upload").click().run()
    _ok(at)
    assert tr("load.kept", "en", count=len(session)) in at.success[0].value

    stored = _snapshot(small_db)
    nodes, edges = stored.node_by_id(), _edges(stored)
    assert NOT_A_PRACTICE not in nodes  # rejected
    assert COUNCIL not in nodes and "“百姓议事会”制度" in nodes[COUNCIL_RENAMED].aliases  # renamed
    assert nodes[COUNCIL_RENAMED].name == "百姓议事会"
    assert PARTY not in nodes and nodes[PARTY_ORG].label == "Organisation"  # re-typed
    assert ("HAS_ORGANISATION", STREET, PARTY_ORG) in edges and ("ADOPTS", STREET, PARTY) not in edges
    assert ("IN_CATEGORY", TEA, DELIBERATION) in edges and ("IN_CATEGORY", TEA, RURAL) not in edges  # re-attached
    assert edges[("ADOPTS", STREET, DUTY_ROOM)].properties["stage"] == "planned"
    assert nodes[STATION].label == "Organisation"  # added from a span, its sentence the evidence
    doc = document_id(next(d.text for d in upload_graph.documents))
    assert [ev.text for ev in edges[("MENTIONS", doc, STATION)].evidence] == [STATION_SENTENCE]
    assert [ev.text for ev in edges[("PARTICIPATES_IN", STATION, TEA)].evidence] == [STATION_SENTENCE]
    with LadybugStore(small_db, read_only=True) as store:
        kept = store.corrections()
    assert [c.id for c in kept] == [c.id for c in session]  # in the order made: a load applies them so
    assert {c.author for c in kept} == {AUTHOR}
    assert next(c for c in kept if c.action == "reject").reason == "一句话的后半句，不是机制"
    assert at.session_state["load_review"] == []  # the store keeps them now

    # The same file again, in a new session, written with no new correction: the kept ones apply.
    again = _upload()
    assert not [b for b in again.button if str(b.key).startswith("review_undo_")]  # no correction of its own
    assert tr("load.review.kept_applied", "en", count=len(session)) in "\n".join(c.value for c in again.caption)
    assert _metrics(again) == after
    again.button(key="write_upload").click().run()
    _ok(again)
    reloaded = _snapshot(small_db)
    nodes, edges = reloaded.node_by_id(), _edges(reloaded)
    assert NOT_A_PRACTICE not in nodes and COUNCIL not in nodes and PARTY not in nodes
    assert COUNCIL_RENAMED in nodes and STATION in nodes and ("MENTIONS", doc, STATION) in edges
    assert ("IN_CATEGORY", TEA, RURAL) not in edges
    assert edges[("ADOPTS", STREET, DUTY_ROOM)].properties["stage"] == "planned"


def test_a_span_not_in_the_text_is_refused_with_a_message(small_db: Path, author: str) -> None:
    at = _upload()
    at.text_input(key="review_span").input("杭州市上城区的邻里节").run()
    shown = [e.value for e in at.error]
    assert shown and "杭州市上城区的邻里节" in shown[0]  # said as soon as it is typed
    assert "不在" in shown[0] or "没有" in shown[0]
    assert "is not in the uploaded text" in shown[0]  # both languages
    at.button(key="review_add").click().run()
    assert not at.exception
    assert at.error and "is not in the uploaded text" in at.error[-1].value
    assert not [b for b in at.button if str(b.key).startswith("review_undo_")]
    assert not at.success


def test_a_span_in_the_text_shows_its_sentence(small_db: Path, author: str) -> None:
    at = _upload()
    at.text_input(key="review_span").input("社会工作服务站").run()
    _ok(at)
    assert any(STATION_SENTENCE in c.value for c in at.caption)


def test_without_a_name_the_apply_button_says_one_is_needed(small_db: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("govkg.app.author.author_name", lambda given=None: "")
    at = _upload()
    assert at.text_input(key="govkg_author").value == ""
    assert any(tr("load.review.need_author", "en") in w.value for w in at.warning)
    assert at.button(key="review_apply").disabled and at.button(key="review_add").disabled
    at.text_input(key="govkg_author").input(AUTHOR).run()  # the sidebar field
    assert not at.button(key="review_apply").disabled
    _correct(at, Target(node=NOT_A_PRACTICE), "reject")
    assert at.session_state["load_review"][0].author == AUTHOR


def test_undoing_a_correction_takes_it_back_and_one_that_lost_its_fact_is_shown(small_db: Path,
                                                                                author: str) -> None:
    at = _upload()
    _correct(at, Target(node=COUNCIL), "rename", review_name="百姓议事会")
    _correct(at, Target(node=COUNCIL_RENAMED), "retype", review_label="Policy")  # acts on the renamed node
    rename = at.session_state["load_review"][0]
    at.button(key=f"review_undo_{rename.id}").click().run()
    assert not at.exception
    assert at.success and tr("load.review.undone", "en") in at.success[0].value
    assert [c.action for c in at.session_state["load_review"]] == ["retype"]
    # The re-typing named the renamed node, gone now: shown, not dropped.
    assert any(tr("load.review.state.missing", "en") in w.value for w in at.warning)
    assert "“百姓议事会”制度" in set(at.dataframe[0].value.iloc[:, 1])  # the extractor's reading is back
    at.button(key="write_upload").click().run()
    _ok(at)
    assert tr("load.not_kept", "en", count=1) in at.success[0].value
    with LadybugStore(small_db, read_only=True) as store:
        assert store.corrections() == []
        assert store.node(COUNCIL) is not None


def test_the_review_speaks_english(small_db: Path, author: str) -> None:
    at = _upload(lang="en")
    cjk = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
    labels = widget_labels(at)
    for key in ("load.review.fact", "load.review.action", "load.review.span", "load.review.apply"):
        assert tr(key, "en") in labels
    assert not [label for label in labels if cjk.search(label)]
    assert tr("load.review.title", "en") in [h.value for h in at.subheader]
    actions = at.selectbox(key="review_action")
    assert all(not cjk.search(str(o)) for o in actions.options)


# --------------------------------------------------------------------------- govkg/app/review.py


def _fact(graph: GraphDocument, target: Target) -> Fact:
    return next(f for f in reviewable_facts(graph) if f.key == fact_key(target))


def test_every_fact_but_mentions_is_listed_with_its_evidence_and_fitting_actions(upload_graph: GraphDocument) -> None:
    facts = reviewable_facts(upload_graph)
    keys = {f.key for f in facts}
    assert {n.id for n in upload_graph.nodes if n.label in ("Zone", "Mechanism", "Organisation", "Policy")} <= keys
    assert not [f for f in facts if f.label in ("MENTIONS", "Category", "Document")]
    assert len([f for f in facts if f.is_edge]) == len([e for e in upload_graph.edges if e.type != "MENTIONS"])
    assert _fact(upload_graph, Target(node=STREET)).actions == ("reject", "rename")  # a zone is not re-typed
    assert _fact(upload_graph, Target(node=COUNCIL)).actions == ("reject", "rename", "retype")
    assert _fact(upload_graph, Target(node=COUNCIL)).evidence.startswith("梧桐街道推行“百姓议事会”制度")
    adopts = _fact(upload_graph, Target(edge=("ADOPTS", STREET, DUTY_ROOM)))
    assert adopts.actions == ("reject", "reattach", "mark_planned")
    assert adopts.evidence == "街道还依据《桐乡市城乡社区协商实施办法》，在各社区建立“邻里值班室”，由志愿者轮流值守。"
    planned = _fact(upload_graph, Target(edge=("ADOPTS", TOWN, node_id("Mechanism", "积分管理机制"))))
    assert "mark_planned" not in planned.actions  # the extractor read a plan already


def test_a_relationship_is_reattached_only_to_nodes_of_the_fitting_kind(upload_graph: GraphDocument) -> None:
    choices = reattach_choices(upload_graph, ("IN_CATEGORY", TEA, RURAL))
    assert DELIBERATION in choices["target"] and RURAL not in choices["target"]
    assert all(c.startswith("category:") for c in choices["target"])
    assert all(c.startswith("mechanism:") for c in choices["source"]) and TEA not in choices["source"]
    parent = reattach_choices(upload_graph, ("PART_OF", TOWN, node_id("Zone", "浙江省嘉兴市桐乡市")))
    assert STREET in parent["target"] and TOWN not in parent["target"]  # another parent zone, never itself


def test_a_correction_is_built_from_the_widgets_values_or_refused(upload_graph: GraphDocument) -> None:
    council = _fact(upload_graph, Target(node=COUNCIL))
    renamed = correction_for(upload_graph, council, "rename", author=AUTHOR, made_at=MADE_AT, name=" 百姓议事会 ",
                             reason="名称以引号内为准")  # fmt: skip
    assert (renamed.action, renamed.value, renamed.reason) == ("rename", {"name": "百姓议事会"}, "名称以引号内为准")
    assert renamed.before["name"] == "“百姓议事会”制度" and renamed.documents == (upload_graph.documents[0].id,)
    tea = _fact(upload_graph, Target(edge=("IN_CATEGORY", TEA, RURAL)))
    moved = correction_for(upload_graph, tea, "reattach", author=AUTHOR, made_at=MADE_AT, end="target",
                           node=DELIBERATION)  # fmt: skip
    assert moved.value == {"target": DELIBERATION}
    refusals = [
        (council, "rename", {"author": ""}, "author"),
        (council, "rename", {"name": "  "}, "name"),
        (council, "rename", {"name": "“百姓议事会”制度"}, "same_name"),
        (council, "retype", {"label": "Mechanism"}, "label"),
        (council, "retype", {"label": "Zone"}, "label"),
        (council, "mark_planned", {}, "action"),
        (tea, "reattach", {"end": "target", "node": TEA}, "reattach"),
    ]
    for fact, action, values, code in refusals:
        arguments: dict[str, Any] = {"author": AUTHOR, "made_at": MADE_AT, **values}
        with pytest.raises(Refused) as refused:
            correction_for(upload_graph, fact, action, **arguments)
        assert refused.value.code == code, (action, values)
        assert isinstance(refused.value, CorrectionError)  # a GovkgError: the page never shows a traceback


def test_a_span_is_found_with_its_sentence_or_refused(upload_graph: GraphDocument) -> None:
    found = find_span(upload_graph, "  社会工作服务站\n")
    text = upload_graph.documents[0].text
    assert text[found.start : found.end] == "社会工作服务站"
    assert found.sentence.text == STATION_SENTENCE
    assert text[found.sentence.start : found.sentence.end] == STATION_SENTENCE
    traditional = find_span(upload_graph, "鄰里值班室")  # as the extractor reads: traditional folded
    assert text[traditional.start : traditional.end] == "邻里值班室"
    for span, code in (("", "span_empty"), ("   ", "span_empty"), ("杭州市上城区", "span_missing")):
        with pytest.raises(Refused) as refused:
            find_span(upload_graph, span)
        assert refused.value.code == code


def test_the_sentence_of_a_span_is_split_as_the_extractor_splits_it() -> None:
    # Written for testing.
    text = "标题一行\n第一句说甲。第二句说“乙。丙”，还有丁！第三句\n另一段。"
    start = text.index("丙")
    assert text[slice(*sentence_around(text, start, start + 1))] == "第二句说“乙。丙”，还有丁！"
    across = text.index("丁"), text.index("第三句") + 3
    assert text[slice(*sentence_around(text, *across))] == "第二句说“乙。丙”，还有丁！第三句"
    assert text[slice(*sentence_around(text, 0, 2))] == "标题一行"
    markdown = "# 标题\n\n正文**一句**。下一句。"
    start = markdown.index("一句")
    assert markdown[slice(*sentence_around(markdown, start, start + 2, markdown=True))] == "正文**一句**。"


def test_a_node_added_from_a_span_comes_with_its_mention(upload_graph: GraphDocument) -> None:
    corrections = node_from_span(upload_graph, "乌镇镇社会工作服务站", "Organisation", author=AUTHOR, made_at=MADE_AT)
    assert [c.action for c in corrections] == ["add_node", "add_edge"]
    document = upload_graph.documents[0].id
    assert all(c.documents == (document,) for c in corrections)
    outcome = review(upload_graph, [], corrections)
    assert [state for _, state in outcome.made] == ["applied", "applied"]
    mention = _edges(outcome.graph)[("MENTIONS", document, STATION)]
    assert [ev.text for ev in mention.evidence] == [STATION_SENTENCE]
    named = node_from_span(upload_graph, "乌镇镇社会工作服务站", "Organisation", "乌镇社工站", author=AUTHOR,
                           made_at=MADE_AT)  # fmt: skip
    assert named[0].value["node"]["aliases"] == ["乌镇镇社会工作服务站"]
    with pytest.raises(Refused) as exists:
        node_from_span(upload_graph, "邻里值班室", "Mechanism", author=AUTHOR, made_at=MADE_AT)
    assert exists.value.code == "node_exists"
    with pytest.raises(Refused):
        node_from_span(upload_graph, "乌镇镇", "Zone", author=AUTHOR, made_at=MADE_AT)  # a zone needs its chain
    # Taking back the node takes back its mention.
    assert without([*corrections, *named], corrections[0].id) == named


def test_a_relationship_added_from_a_span_joins_two_nodes_of_the_fitting_kinds(upload_graph: GraphDocument) -> None:
    committee = node_id("Organisation", "居委会")
    added = edge_from_span(upload_graph, "乌镇镇则组织乡贤", "HAS_ORGANISATION", TOWN, committee, author=AUTHOR,
                           made_at=MADE_AT)  # fmt: skip
    edge = _edges(review(upload_graph, [], [added]).graph)[("HAS_ORGANISATION", TOWN, committee)]
    assert edge.evidence[0].text.startswith("同属桐乡市的乌镇镇则组织乡贤开展")
    adoption = edge_from_span(upload_graph, "邻里值班室", "ADOPTS", TOWN, DUTY_ROOM, author=AUTHOR, made_at=MADE_AT)
    assert adoption.value["edge"]["properties"] == {"stage": "adopted"}
    for edge_type, source, target in (("ADOPTS", TEA, TOWN), ("PART_OF", TOWN, TOWN), ("MENTIONS", TOWN, TEA)):
        with pytest.raises(Refused) as refused:
            edge_from_span(upload_graph, "乌镇镇", edge_type, source, target, author=AUTHOR, made_at=MADE_AT)
        assert refused.value.code == "ends"


def test_review_says_what_became_of_each_correction(upload_graph: GraphDocument) -> None:
    council = _fact(upload_graph, Target(node=COUNCIL))
    rename = correction_for(upload_graph, council, "rename", author=AUTHOR, made_at=MADE_AT, name="百姓议事会")
    renamed = review(upload_graph, [], [rename]).graph
    retype = correction_for(renamed, _fact(renamed, Target(node=COUNCIL_RENAMED)), "retype", author=AUTHOR,
                            made_at=MADE_AT, label="Policy")  # fmt: skip
    both = review(upload_graph, [], [rename, retype])
    assert [s for _, s in both.made] == ["applied", "applied"] and both.to_keep == [rename, retype]
    assert node_id("Policy", "百姓议事会") in both.graph.node_by_id()
    alone = review(upload_graph, [], without([rename, retype], rename.id))
    assert alone.state(retype.id) == "missing" and alone.to_keep == []
    # The store's kept corrections apply first, and are told apart from the session's.
    kept = review(upload_graph, [rename], [retype])
    assert kept.kept_applied == (rename,) and kept.state(retype.id) == "applied"
    # A correction for a document not uploaded now waits for it.
    other = Document(document_id("另一篇"), "other.txt", "另一篇", "", "", "", "另一篇")
    elsewhere = review(GraphDocument([other], [], []), [], [rename])
    assert elsewhere.state(rename.id) == "elsewhere" and elsewhere.to_keep == []


def test_corrections_made_within_a_second_are_stamped_in_the_order_made(upload_graph: GraphDocument) -> None:
    council = _fact(upload_graph, Target(node=COUNCIL))
    first = correction_for(upload_graph, council, "rename", author=AUTHOR, made_at=MADE_AT, name="百姓议事会")
    assert stamp([], MADE_AT) == MADE_AT
    assert stamp([first], "2026-12-04T00:00:01+00:00") == "2026-12-04T00:00:01+00:00"  # later: as given
    tied = stamp([first], MADE_AT)
    assert tied == "2026-12-04T00:00:00.000001+00:00" and sorted([tied, MADE_AT]) == [MADE_AT, tied]
    pair = node_from_span(upload_graph, "乌镇镇社会工作服务站", "Organisation", author=AUTHOR, made_at=MADE_AT)
    assert pair[0].made_at < pair[1].made_at  # the node before its mention, as a store orders them


def test_every_message_the_review_builds_exists_in_both_languages() -> None:
    from repo import PROJECT_ROOT

    from govkg.app.review import ENDS, NEW_NODE_LABELS
    from govkg.graph.corrections import ACTIONS
    from govkg.graph.model import ADOPTION_STAGES
    from govkg.i18n import MESSAGES

    source = (PROJECT_ROOT / "govkg" / "app" / "review.py").read_text(encoding="utf-8")
    codes = set(re.findall(r"""Refused\(\s*["'](\w+)["']""", source))
    assert {"author", "span_missing", "span_empty", "span_outside", "node_exists", "ends"} <= codes
    built = [f"load.review.refused.{code}" for code in codes]
    built += [f"load.review.state.{state}" for state in ("applied", "missing", "elsewhere")]
    built += [f"load.review.end.{end}" for end in ENDS] + [f"load.review.stage.{s}" for s in ADOPTION_STAGES]
    built += [f"corrections.action.{action}" for action in ACTIONS]
    assert not [key for key in built if key not in MESSAGES]
    assert set(NEW_NODE_LABELS) == {"Mechanism", "Organisation", "Policy"}
