"""Correcting stored facts where a researcher reads them, in the app: the node page's "Correct this"
(govkg/app/correct_actions.py, written through govkg/services/correcting.py) renames, rejects,
merges, and shows who corrected a fact beside its evidence; the Corrections page undoes a correction,
exports the kept corrections and imports a team's file; the similar-zones page rejects an adoption,
and its compare view offers the same form beside both zones and each shared mechanism
(govkg/app/correct_form.py): rename, merge, mark planned, re-attach, each read back from the store.

The store is a real LadybugDB file in tmp_path holding the bundled cases (data/cases, real zones and
practices; see its README), loaded through the load service as `govkg load` loads them."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_testing import html_blocks, page, point_app_at, recorded_downloads, texts, uploader
from conftest import copy_store
from streamlit.testing.v1 import AppTest

from govkg.app.correct_actions import (
    NODE_KEY,
    Planned,
    Refused,
    adoption_rejection,
    became,
    choices_for,
    edge_key_text,
    mechanism_rejection,
    merge_candidates,
    node_choice,
    planned,
    reattach_candidates,
    shared_mechanism_offers,
)
from govkg.app.markdown import md_escape
from govkg.app.provenance import corrected_away, feature_corrections, provenance_text
from govkg.app.search import NodeEntry
from govkg.graph.correction_index import corrections_touching, edges_concerned, nodes_concerned
from govkg.graph.corrections import Correction, Target
from govkg.graph.factory import StoreSettings, open_store
from govkg.graph.model import Edge, GraphDocument, Node, node_id
from govkg.i18n import tr
from govkg.resources import BUNDLED_CASES_DIR
from govkg.services.loading import load_paths

AUTHOR = "测试研究员"
MECHANISM = "mechanism:一委N坊自治体系"
RENAMED = "一委N坊居民自治体系"  # a name a researcher might prefer (written for testing)
MEMBER = "organisation:党员"
MEMBER_HOUSEHOLD = "organisation:党员中心户"

pytestmark = pytest.mark.usefixtures("fresh_streamlit_caches")  # app_testing.py


def _load(db: Path) -> StoreSettings:
    settings = StoreSettings(db_path=db)
    load_paths(settings, [BUNDLED_CASES_DIR])
    return settings


@pytest.fixture()
def bundled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bundled_cases_store: Path) -> StoreSettings:
    """The bundled cases in a LadybugDB file the app is pointed at (a copy of the session's load), the
    author named."""
    settings = StoreSettings(db_path=copy_store(bundled_cases_store, tmp_path / "govkg.lbdb"))
    point_app_at(monkeypatch, settings.db_path)
    monkeypatch.setenv("GOVKG_USER", AUTHOR)
    return settings


def _snapshot(settings: StoreSettings) -> GraphDocument:
    with open_store(settings, read_only=True) as store:
        return store.snapshot()


def _kept(settings: StoreSettings) -> list[Correction]:
    with open_store(settings, read_only=True) as store:
        return store.corrections()


def _counts(settings: StoreSettings) -> dict[str, int]:
    with open_store(settings, read_only=True) as store:
        return store.counts()


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def _node_page(node: str) -> AppTest:
    at = page("pages/2_Node.py")
    at.query_params["node"] = node
    at.run()
    _ok(at)
    return at


def _correct(at: AppTest, fact: str, action: str, **values: str) -> None:
    """Choose the fact and the action, fill in the value widgets (by key), apply (the node page's form)."""
    _correct_in(at, "correct", fact, action, **{key.removeprefix("correct_"): v for key, v in values.items()})


def _correct_in(at: AppTest, prefix: str, fact: str, action: str, **fields: str) -> None:
    """The same in the form whose widget keys start with `prefix`; `fields` by their key's last part
    (name, into, end, to, reason…)."""
    _fill_in(at, prefix, fact, action, **fields)
    at.button(key=f"{prefix}_apply").click().run()
    _ok(at)
    assert at.success, "no success message after a correction"


def _fill_in(at: AppTest, prefix: str, fact: str, action: str, **fields: str) -> None:
    at.selectbox(key=f"{prefix}_fact").set_value(fact).run()
    at.selectbox(key=f"{prefix}_action").set_value(action).run()
    for field, value in fields.items():
        key = f"{prefix}_{field}"
        widget = at.text_input(key=key) if field in ("name", "reason") else at.selectbox(key=key)
        widget.set_value(value).run()


def _provenance(at: AppTest, action: str) -> bool:
    wanted = tr("correct.provenance", "en", author=AUTHOR, date="", action=tr(f"corrections.action.{action}", "en"))
    head = wanted.split(" on ")[0]  # "corrected by NAME"
    shown = texts(at).replace("\\", "")  # captions are Markdown, escaped
    return head in shown and f"({tr(f'corrections.action.{action}', 'en')})" in shown


# --------------------------------------------------------------------------- the node page


def test_renaming_a_mechanism_on_its_page_renames_it_in_the_store(bundled: StoreSettings) -> None:
    at = _node_page(MECHANISM)
    _correct(at, NODE_KEY, "rename", correct_name=RENAMED, correct_reason="测试：更完整的名称")
    graph = _snapshot(bundled)
    nodes = graph.node_by_id()
    new_id = node_id("Mechanism", RENAMED)
    assert MECHANISM not in nodes and new_id in nodes
    assert "一委N坊自治体系" in nodes[new_id].aliases
    kept = _kept(bundled)
    assert [(c.action, c.target.node, c.author, c.reason) for c in kept] == [
        ("rename", MECHANISM, AUTHOR, "测试：更完整的名称")]
    # The page now shows the node it became, no error, with who renamed it beside it.
    assert at.selectbox(key="node").value == new_id
    assert tr("correct.now_showing", "en", name=RENAMED) in at.success[0].value
    assert any(RENAMED in h.value for h in at.header)
    assert _provenance(at, "rename")


def test_rejecting_a_relationship_on_a_zone_page_removes_it_and_shows_who(bundled: StoreSettings) -> None:
    before = _snapshot(bundled)
    edge = sorted((e for e in before.edges if e.type == "HAS_ORGANISATION"), key=lambda e: e.key)[0]
    at = _node_page(edge.source)
    _correct(at, edge_key_text(edge.key), "reject", correct_reason="测试")
    after = _snapshot(bundled)
    assert edge.key not in {e.key for e in after.edges}
    assert {n.id for n in after.nodes} == {n.id for n in before.nodes}
    assert at.selectbox(key="node").value == edge.source  # the zone stays shown
    kept = _kept(bundled)
    assert [(c.action, c.target.edge) for c in kept] == [("reject", edge.key)]
    assert tr("correct.done", "en", action="reject", target="", nodes=0, edges=1).split(":")[0] in at.success[0].value
    # Its evidence is gone from the page; the page says what was corrected away, by whom, when.
    away = [c.value for c in at.caption if tr("correct.away", "en", facts="").rstrip() in c.value]
    assert len(away) == 1 and f"corrected by {AUTHOR} on " in away[0] and f"由 {AUTHOR} 于 " in away[0]


def test_merging_two_organisations_on_the_page_unites_them(bundled: StoreSettings) -> None:
    before = _snapshot(bundled)
    links = {e.key for e in before.edges if MEMBER in (e.source, e.target) and e.type not in ("MENTIONS",)}
    at = _node_page(MEMBER)
    _correct(at, NODE_KEY, "merge", correct_into=MEMBER_HOUSEHOLD)
    after = _snapshot(bundled)
    nodes = after.node_by_id()
    assert MEMBER not in nodes and MEMBER_HOUSEHOLD in nodes
    assert "党员" in nodes[MEMBER_HOUSEHOLD].aliases
    moved = {(t, MEMBER_HOUSEHOLD if s == MEMBER else s, MEMBER_HOUSEHOLD if o == MEMBER else o) for t, s, o in links}
    assert moved <= {e.key for e in after.edges}
    assert at.selectbox(key="node").value == MEMBER_HOUSEHOLD
    assert _provenance(at, "merge")


def test_rejecting_the_node_itself_says_so_instead_of_an_error(bundled: StoreSettings) -> None:
    at = _node_page(MEMBER)
    _correct(at, NODE_KEY, "reject")
    assert MEMBER not in _snapshot(bundled).node_by_id()
    assert tr("correct.gone", "en") in at.success[0].value
    assert at.selectbox(key="node").value != MEMBER


def test_a_relationship_shows_who_corrected_it_beside_its_evidence(bundled: StoreSettings) -> None:
    graph = _snapshot(bundled)
    adoption = sorted((e for e in graph.edges if e.type == "ADOPTS" and e.evidence), key=lambda e: e.key)[0]
    at = _node_page(adoption.source)
    _correct(at, edge_key_text(adoption.key), "mark_planned")
    stored = next(e for e in _snapshot(bundled).edges if e.key == adoption.key)
    assert stored.properties.get("stage") == "planned"
    blocks = "\n".join(html_blocks(at))
    assert f"corrected by {AUTHOR} on " in blocks and "(mark planned)" in blocks


def test_without_a_name_the_apply_button_is_disabled_and_says_why(bundled: StoreSettings,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("govkg.app.author.author_name", lambda given=None: "")
    at = _node_page(MECHANISM)
    assert at.text_input(key="govkg_author").value == ""
    assert at.button(key="correct_apply").disabled
    assert any(tr("correct.need_author", "en") in w.value for w in at.warning)
    # Behind the button, the service the page writes through refuses a correction without a name too.
    from govkg.errors import CorrectionError
    from govkg.services.correcting import correct

    counts = _counts(bundled)
    with pytest.raises(CorrectionError, match="needs an author"):
        correct(bundled, "reject", Target(node=MECHANISM), author=" ")
    assert _counts(bundled) == counts and _kept(bundled) == []
    at.text_input(key="govkg_author").input(AUTHOR).run()
    assert not at.button(key="correct_apply").disabled


# --------------------------------------------------------------------------- the Corrections page


def _corrections_page() -> AppTest:
    at = page("pages/6_Corrections.py")
    at.run()
    _ok(at)
    return at


def test_undoing_a_merge_on_the_corrections_page_puts_both_nodes_back(bundled: StoreSettings) -> None:
    counts = _counts(bundled)
    at = _node_page(MEMBER)
    _correct(at, NODE_KEY, "merge", correct_into=MEMBER_HOUSEHOLD)
    assert MEMBER not in _snapshot(bundled).node_by_id()
    merge = _kept(bundled)[0]

    listed = _corrections_page()
    listed.selectbox(key="undo_pick").set_value(merge.id).run()
    listed.button(key="undo_correction").click().run()
    _ok(listed)
    assert listed.success and tr("corrections.undone_now", "en", target=MEMBER).split(":")[0] in listed.success[0].value
    assert _counts(bundled) == counts
    nodes = _snapshot(bundled).node_by_id()
    assert MEMBER in nodes and MEMBER_HOUSEHOLD in nodes
    assert _kept(bundled) == []
    assert any(tr("corrections.none", "en") in i.value for i in listed.info)  # the list is empty again


def test_corrections_export_and_import_into_a_store_loaded_from_the_same_cases(
        bundled: StoreSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    seen = recorded_downloads(monkeypatch)
    graph = _snapshot(bundled)
    edge = sorted((e for e in graph.edges if e.type == "HAS_ORGANISATION"), key=lambda e: e.key)[0]
    at = _node_page(MECHANISM)
    _correct(at, NODE_KEY, "rename", correct_name=RENAMED)
    at = _node_page(edge.source)
    _correct(at, edge_key_text(edge.key), "reject")
    at = _node_page(MEMBER)
    _correct(at, NODE_KEY, "merge", correct_into=MEMBER_HOUSEHOLD)
    ours = _counts(bundled)
    made = _kept(bundled)
    assert [c.action for c in made] == ["rename", "reject", "merge"]

    listed = _corrections_page()
    assert listed.get("download_button"), "no export"
    exported = next(d for d, mime in seen if mime == "application/json")
    # The download is the file `govkg corrections export` writes: every kept correction, by id.
    from govkg.graph.corrections import corrections_from_json

    assert [c.id for c in corrections_from_json(exported.decode("utf-8"), "export")] == [c.id for c in made]

    # A second store, empty, loaded from the same bundled cases; the app pointed at it.
    st_cache_clear()
    other = _load(tmp_path / "other.lbdb")
    point_app_at(monkeypatch, other.db_path)
    assert _counts(other) != ours
    importing = _corrections_page()
    uploader(importing).set_value([("team.json", exported, "application/json")])
    importing.run()
    importing.button(key="import_corrections").click().run()
    _ok(importing)
    assert importing.success[0].value.startswith(tr("corrections.imported", "zh", applied=3, later=0, already=0,
                                                    missing=0))  # fmt: skip
    assert _counts(other) == ours
    assert [c.id for c in _kept(other)] == [c.id for c in made]

    # Again: all kept already, nothing changes.
    again = _corrections_page()
    uploader(again).set_value([("team.json", exported, "application/json")])
    again.run()
    again.button(key="import_corrections").click().run()
    _ok(again)
    assert tr("corrections.imported", "en", applied=0, later=0, already=3, missing=0) in again.success[0].value
    assert _counts(other) == ours


def test_corrections_imported_into_an_empty_store_apply_when_their_documents_are_loaded(
        bundled: StoreSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    seen = recorded_downloads(monkeypatch)
    _correct(_node_page(MECHANISM), NODE_KEY, "rename", correct_name=RENAMED)
    _correct(_node_page(MEMBER), NODE_KEY, "merge", correct_into=MEMBER_HOUSEHOLD)
    ours, made = _counts(bundled), _kept(bundled)
    _corrections_page()
    exported = next(d for d, mime in seen if mime == "application/json")

    # An empty store (an embedded file holding nothing yet), the app pointed at it.
    st_cache_clear()
    empty = StoreSettings(db_path=tmp_path / "empty.lbdb")
    with open_store(empty):
        pass
    nothing = _counts(empty)
    point_app_at(monkeypatch, empty.db_path)
    at = _corrections_page()
    assert any(tr("corrections.none", "zh") in i.value for i in at.info)
    uploader(at).set_value([("team.json", exported, "application/json")])
    at.run()
    at.button(key="import_corrections").click().run()
    _ok(at)
    # Its documents are not held: kept for their next load, nothing stored changed.
    assert tr("corrections.imported", "en", applied=0, later=2, already=0, missing=0) in at.success[0].value
    assert [c.id for c in _kept(empty)] == [c.id for c in made] and _counts(empty) == nothing
    assert at.dataframe and list(at.dataframe[0].value["id"]) == [c.id for c in made]  # listed on the page

    # Loading the same cases into it then applies them: the graph the corrected store holds.
    st_cache_clear()
    load_paths(empty, [BUNDLED_CASES_DIR])
    assert _counts(empty) == ours
    nodes = _snapshot(empty).node_by_id()
    assert node_id("Mechanism", RENAMED) in nodes and MEMBER not in nodes and MEMBER_HOUSEHOLD in nodes


@pytest.mark.parametrize("raw", [b"", b"not json at all", b'{"corrections": []}', b"\x00\x01binary"])
def test_a_bad_corrections_file_is_one_line_and_changes_nothing(bundled: StoreSettings, raw: bytes) -> None:
    counts = _counts(bundled)
    at = _corrections_page()
    uploader(at).set_value([("bad.json", raw, "application/json")])
    at.run()
    at.button(key="import_corrections").click().run()
    assert not at.exception
    assert len(at.error) == 1 and "\n" not in at.error[0].value
    assert tr("corrections.bad_file", "en", name="bad.json", problem="").rstrip() in at.error[0].value.replace(
        "\\", "")
    assert _counts(bundled) == counts and _kept(bundled) == []


def st_cache_clear() -> None:
    """Release the app's handles on the first store before pointing it at another."""
    import streamlit as st

    st.cache_resource.clear()
    st.cache_data.clear()


# --------------------------------------------------------------------------- the similar-zones page


def test_a_shared_mechanism_s_adoption_is_rejected_on_the_similar_zones_page(bundled: StoreSettings) -> None:
    from govkg.services.correcting import correct

    graph = _snapshot(bundled)
    adoptions = sorted((e for e in graph.edges if e.type == "ADOPTS" and e.evidence), key=lambda e: e.key)
    first = adoptions[0]
    second = next(e for e in adoptions if e.source != first.source)
    # The bundled zones share no adopted mechanism: the second zone is said (an added relationship,
    # with evidence from its own document) to adopt the first's, so the two share it.
    added = Edge("ADOPTS", second.source, first.target, [second.evidence[0]], {"stage": "adopted"})
    correct(bundled, "add_edge", Target(edge=added.key), {"edge": added.to_dict()}, author=AUTHOR)

    at = page("pages/4_Similar_zones.py")
    at.query_params.update({"zone": first.source, "other": second.source, "view": "compare", "lang": "en"})
    at.run()
    _ok(at)
    mine = at.button(key=f"reject_adoption\t{first.source}\t{first.target}")
    theirs = at.button(key=f"reject_adoption\t{second.source}\t{first.target}")
    assert not theirs.disabled
    theirs.click().run()
    _ok(at)
    assert at.success and at.success[0].value.startswith("Corrected (reject)")
    keys = {e.key for e in _snapshot(bundled).edges}
    assert added.key not in keys and first.key in keys
    assert [c.action for c in _kept(bundled)] == ["add_edge", "reject"]
    assert mine.label == tr("similar.reject_adoption", "en", zone=next(
        n.name for n in graph.nodes if n.id == first.source))
    # The mechanism is now the first zone's only: who rejected the other's adoption is said beside it.
    assert f"corrected by {AUTHOR} on " in texts(at).replace("\\", "") and "(reject)" in texts(at)


def _share_a_mechanism(settings: StoreSettings) -> tuple[Edge, Edge]:
    """Two bundled zones made to share an adopted mechanism (they share none): the second zone is said
    (an added relationship, with evidence from its own document) to adopt the first's. The first
    zone's adoption, and the added one."""
    from govkg.services.correcting import correct

    adoptions = sorted((e for e in _snapshot(settings).edges if e.type == "ADOPTS" and e.evidence),
                       key=lambda e: e.key)  # fmt: skip
    first = adoptions[0]
    second = next(e for e in adoptions if e.source != first.source)
    added = Edge("ADOPTS", second.source, first.target, [second.evidence[0]], {"stage": "adopted"})
    correct(settings, "add_edge", Target(edge=added.key), {"edge": added.to_dict()}, author=AUTHOR)
    return first, added


def test_a_shared_mechanism_itself_is_rejected_on_the_similar_zones_page(bundled: StoreSettings) -> None:
    first, added = _share_a_mechanism(bundled)
    before = _snapshot(bundled)
    mechanism = first.target
    at = page("pages/4_Similar_zones.py")
    at.query_params.update({"zone": first.source, "other": added.source, "view": "compare", "lang": "zh"})
    at.run()
    _ok(at)
    button = at.button(key=f"reject_mechanism\t{mechanism}")
    assert button.label == tr("similar.reject_mechanism", "zh") and not button.disabled
    button.click().run()
    _ok(at)
    assert at.success and at.success[0].value.startswith("已纠正（否定）")
    after = _snapshot(bundled)
    assert mechanism not in after.node_by_id()
    assert not [e for e in after.edges if mechanism in (e.source, e.target)]  # with every relationship
    assert {n.id for n in after.nodes} == {n.id for n in before.nodes} - {mechanism}
    assert [(c.action, c.target) for c in _kept(bundled)][1:] == [("reject", Target(node=mechanism))]
    assert not [b for b in at.button if b.key and b.key.startswith("reject_mechanism")]  # shared no more


def test_the_similar_zones_page_refuses_a_rejection_without_a_name(bundled: StoreSettings,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    first, added = _share_a_mechanism(bundled)
    monkeypatch.setattr("govkg.app.author.author_name", lambda given=None: "")
    at = page("pages/4_Similar_zones.py")
    at.query_params.update({"zone": first.source, "other": added.source, "view": "compare", "lang": "en"})
    at.run()
    _ok(at)
    offered = [b for b in at.button if b.key and b.key.startswith("reject_")]
    assert len(offered) == 3 and all(b.disabled for b in offered)  # two adoptions and the mechanism
    assert any(tr("correct.need_author", "en") in w.value for w in at.warning)


SIMILAR_NAME = "乡村社区文化营造"  # a name a researcher might give the shared mechanism (written for testing)


def _compare(zone: str, other: str, lang: str = "en") -> AppTest:
    at = page("pages/4_Similar_zones.py")
    at.query_params.update({"zone": zone, "other": other, "view": "compare", "lang": lang})
    at.run()
    _ok(at)
    return at


def _open_form(at: AppTest, node: str) -> str:
    """Open the correction form beside `node` on the compare view (an expander whose content runs once
    opened, as a click opens it); the prefix of its widget keys."""
    prefix = f"similar_correct\t{node}"
    at.session_state[f"{prefix}_open"] = True
    at.run()
    _ok(at)
    return prefix


def _click_anyway(at: AppTest, key: str) -> AppTest:
    """Run the page as the browser runs it after a click on button `key`, even a disabled one, which
    AppTest refuses to click: a forged or stale click must not get past a disabled button either."""
    button = at.button(key=key)
    states = at._tree.get_widget_states()
    clicked = next((w for w in states.widgets if w.id == button.id), None) or states.widgets.add()
    clicked.id = button.id
    clicked.trigger_value = True
    return at._run(states)


def _reject_mechanism_buttons(at: AppTest) -> list[str]:
    """The mechanisms the compare view lists as shared (each has a button rejecting it)."""
    return [b.key.split("\t")[1] for b in at.button if b.key and b.key.startswith("reject_mechanism\t")]


def test_a_compared_mechanism_is_renamed_on_the_similar_zones_page(bundled: StoreSettings) -> None:
    first, added = _share_a_mechanism(bundled)
    mechanism = first.target
    at = _compare(first.source, added.source, "zh")
    labels = [e.label for e in at.expander]
    assert tr("similar.correct_mechanism", "zh") in labels and len(labels) >= 3  # both zones, the mechanism
    assert not [w for w in at.selectbox if w.key and w.key.startswith("similar_correct")]  # closed: not run
    prefix = _open_form(at, mechanism)
    assert at.selectbox(key=f"{prefix}_fact").value == NODE_KEY
    _correct_in(at, prefix, NODE_KEY, "rename", name=SIMILAR_NAME, reason="测试")
    renamed = node_id("Mechanism", SIMILAR_NAME)
    after = _snapshot(bundled)
    nodes = after.node_by_id()
    assert mechanism not in nodes and nodes[renamed].name == SIMILAR_NAME
    assert {e.source for e in after.edges if e.key[0] == "ADOPTS" and e.target == renamed} == {first.source,
                                                                                               added.source}
    assert [(c.action, c.target.node, c.author, c.reason) for c in _kept(bundled)][1:] == [
        ("rename", mechanism, AUTHOR, "测试")]
    # The page says what it did; the comparison lists the mechanism, shared still, under its new name.
    assert tr("correct.became", "zh", name=SIMILAR_NAME) in at.success[0].value
    assert _reject_mechanism_buttons(at) == [renamed]
    assert f"#### {SIMILAR_NAME}" in texts(at)


def test_a_compared_mechanism_is_merged_into_another_on_the_similar_zones_page(bundled: StoreSettings) -> None:
    first, added = _share_a_mechanism(bundled)
    mechanism = first.target
    before = _snapshot(bundled)
    into = sorted(e.target for e in before.edges
                  if e.type == "ADOPTS" and e.source == added.source and e.target != mechanism)[0]  # fmt: skip
    links = {e.key for e in before.edges if mechanism in (e.source, e.target) and e.type != "MENTIONS"}
    at = _compare(first.source, added.source)
    prefix = _open_form(at, mechanism)
    _correct_in(at, prefix, NODE_KEY, "merge", into=into)
    after = _snapshot(bundled)
    nodes = after.node_by_id()
    assert mechanism not in nodes and into in nodes
    assert not [e for e in after.edges if mechanism in (e.source, e.target)]
    moved = {(t, into if s == mechanism else s, into if o == mechanism else o) for t, s, o in links}
    assert moved <= {e.key for e in after.edges}  # its relationships moved to the node it went into
    assert [(c.action, c.target.node, c.value.get("into")) for c in _kept(bundled)][1:] == [
        ("merge", mechanism, into)]
    # Both zones now adopt the node it went into: the comparison lists that one as shared.
    assert tr("correct.became", "en", name=nodes[into].name) in at.success[0].value
    assert _reject_mechanism_buttons(at) == [into]


def test_an_adoption_is_marked_planned_in_a_compared_zone_s_form(bundled: StoreSettings) -> None:
    first, added = _share_a_mechanism(bundled)
    mechanism = first.target
    at = _compare(first.source, added.source)
    assert _reject_mechanism_buttons(at) == [mechanism]
    prefix = _open_form(at, added.source)
    assert at.selectbox(key=f"{prefix}_fact").value == NODE_KEY  # the zone itself, then its relationships
    _correct_in(at, prefix, edge_key_text(added.key), "mark_planned")
    stored = next(e for e in _snapshot(bundled).edges if e.key == added.key)
    assert stored.properties.get("stage") == "planned"
    assert [(c.action, c.target.edge) for c in _kept(bundled)][1:] == [("mark_planned", added.key)]
    # A plan is no adoption: the mechanism is the first zone's only now, with who said so beside it.
    assert _reject_mechanism_buttons(at) == []
    shown = texts(at).replace("\\", "")
    assert f"corrected by {AUTHOR} on " in shown and "(mark planned)" in shown
    assert at.selectbox(key="other").value == added.source  # the zone stays compared


def test_an_adoption_is_reattached_in_a_compared_mechanism_s_form(bundled: StoreSettings) -> None:
    first, added = _share_a_mechanism(bundled)
    mechanism = first.target
    graph = _snapshot(bundled)
    held = {e.target for e in graph.edges if e.type == "ADOPTS" and e.source in (first.source, added.source)}
    to = sorted(n.id for n in graph.nodes if n.label == "Mechanism" and n.id not in held)[0]
    at = _compare(first.source, added.source, "zh")
    prefix = _open_form(at, mechanism)
    _correct_in(at, prefix, edge_key_text(added.key), "reattach", end="target", to=to)
    keys = {e.key for e in _snapshot(bundled).edges}
    assert added.key not in keys and ("ADOPTS", added.source, to) in keys and first.key in keys
    assert [(c.action, c.target.edge, c.value) for c in _kept(bundled)][1:] == [("reattach", added.key,
                                                                                 {"target": to})]  # fmt: skip
    # The mechanism is shared no more; the other zone's column lists the one its adoption moved to.
    assert _reject_mechanism_buttons(at) == []
    assert f"#### {md_escape(graph.node_by_id()[to].name)}" in texts(at)


def test_a_compared_zone_merged_into_another_is_followed_by_the_comparison(bundled: StoreSettings) -> None:
    first, added = _share_a_mechanism(bundled)
    graph = _snapshot(bundled)
    adopting = {e.source for e in graph.edges if e.type == "ADOPTS"}
    third = sorted(n for n in adopting if n not in (first.source, added.source))[0]
    at = _compare(first.source, added.source)
    prefix = _open_form(at, added.source)
    _correct_in(at, prefix, NODE_KEY, "merge", into=third)
    nodes = _snapshot(bundled).node_by_id()
    assert added.source not in nodes and third in nodes
    assert at.selectbox(key="zone").value == first.source
    assert at.selectbox(key="other").value == third  # the zone it went into is compared now
    assert tr("correct.now_showing", "en", name=nodes[third].name) in at.success[0].value
    assert _reject_mechanism_buttons(at) == [first.target]  # its adoptions came with it


def test_a_correction_without_a_name_is_refused_on_the_similar_zones_page(bundled: StoreSettings,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    first, added = _share_a_mechanism(bundled)
    monkeypatch.setattr("govkg.app.author.author_name", lambda given=None: "")
    counts, kept, graph = _counts(bundled), _kept(bundled), _snapshot(bundled)
    at = _compare(first.source, added.source)
    prefix = _open_form(at, first.target)
    _fill_in(at, prefix, NODE_KEY, "rename", name=SIMILAR_NAME)
    apply = at.button(key=f"{prefix}_apply")
    need = tr("correct.need_author", "en")
    assert apply.disabled and any(need in w.value for w in at.warning)
    _click_anyway(at, f"{prefix}_apply")  # a click sent all the same is dropped (Streamlit enforces disabled)
    _ok(at)
    assert not at.success and any(need in w.value for w in at.warning)
    assert _counts(bundled) == counts and _kept(bundled) == kept
    assert _snapshot(bundled).node_by_id()[first.target].name == graph.node_by_id()[first.target].name


def test_the_ranking_says_which_answers_rest_on_a_correction(bundled: StoreSettings) -> None:
    from govkg.services.correcting import correct

    graph = _snapshot(bundled)
    link = sorted((e for e in graph.edges if e.type == "HAS_ORGANISATION"), key=lambda e: e.key)[0]
    plain = page("pages/4_Similar_zones.py")
    plain.query_params.update({"zone": link.source, "view": "ranking", "lang": "en"})
    plain.run()
    _ok(plain)
    assert not [c for c in plain.caption if "corrected by" in c.value]
    correct(bundled, "reject", Target(edge=link.key), author=AUTHOR)
    st_cache_clear()
    at = page("pages/4_Similar_zones.py")
    at.query_params.update({"zone": link.source, "view": "ranking", "lang": "en"})
    at.run()
    _ok(at)
    said = [c.value for c in at.caption if "corrected by" in c.value]
    assert said and all(f"corrected by {AUTHOR}" in s and "reject" in s for s in said)  # each explained answer


# --------------------------------------------------------------------------- correct_actions.py


def _entries(graph: GraphDocument) -> list[NodeEntry]:
    return [NodeEntry(n.id, n.label, n.name, tuple(n.aliases)) for n in graph.nodes]


def _graph() -> GraphDocument:
    zone_a = Node("zone:a", "Zone", "甲街道")
    zone_b = Node("zone:b", "Zone", "乙街道")
    mech = Node("mechanism:议事会", "Mechanism", "议事会", ["百姓议事会"])
    other = Node("mechanism:茶话会", "Mechanism", "茶话会")
    org = Node("organisation:居委会", "Organisation", "居委会")
    cat = Node("category:协商", "Category", "协商")
    edges = [Edge("ADOPTS", "zone:a", mech.id, properties={"stage": "adopted"}),
             Edge("HAS_ORGANISATION", "zone:a", org.id), Edge("IN_CATEGORY", mech.id, cat.id),
             Edge("SIMILAR_TO", "zone:a", "zone:b")]  # fmt: skip
    return GraphDocument([], [zone_a, zone_b, mech, other, org, cat], edges)


def test_the_actions_that_fit_a_node_and_its_relationships() -> None:
    graph = _graph()
    entries = _entries(graph)
    nodes = graph.node_by_id()
    mech = node_choice(nodes["mechanism:议事会"], entries)
    assert mech is not None
    assert mech.actions == ("reject", "rename", "retype", "merge", "split_alias")
    assert mech.labels == ("Organisation", "Policy") and mech.merge_into == ("mechanism:茶话会",)
    assert mech.aliases == ("百姓议事会",)
    zone = node_choice(nodes["zone:a"], entries)
    assert zone is not None and zone.actions == ("reject", "rename", "merge")  # no re-typing or alias split
    assert node_choice(nodes["category:协商"], entries) is None
    assert merge_candidates(entries, nodes["organisation:居委会"]) == ()
    assert node_choice(nodes["organisation:居委会"], entries).actions == ("reject", "rename", "retype")  # type: ignore[union-attr]

    choices = choices_for(nodes["zone:a"], graph, entries)
    assert [c.key for c in choices] == [NODE_KEY, "ADOPTS\tzone:a\tmechanism:议事会",
                                        "HAS_ORGANISATION\tzone:a\torganisation:居委会"]  # no SIMILAR_TO
    adopts = choices[1]
    assert adopts.actions == ("reject", "reattach", "mark_planned")
    assert adopts.reattach_to == {"source": ("zone:b",), "target": ("mechanism:茶话会",)}
    assert choices[2].actions == ("reject", "reattach")
    labels = {n.id: n.label for n in graph.nodes}
    assert reattach_candidates(entries, ("IN_CATEGORY", "mechanism:议事会", "category:协商"), labels) == {
        "source": ("mechanism:茶话会",), "target": ()}


def test_a_correction_is_built_from_the_widgets_values_or_refused() -> None:
    graph = _graph()
    entries = _entries(graph)
    nodes = graph.node_by_id()
    mech = node_choice(nodes["mechanism:议事会"], entries)
    assert mech is not None
    assert planned(mech, "rename", name=" 居民议事会 ", current_name="议事会") == Planned(
        "rename", Target(node="mechanism:议事会"), {"name": "居民议事会"})
    assert planned(mech, "merge", into="mechanism:茶话会").value == {"into": "mechanism:茶话会"}
    assert planned(mech, "split_alias", alias="百姓议事会").value == {"alias": "百姓议事会"}
    assert planned(mech, "retype", label="Policy").value == {"label": "Policy"}
    for action, values, code in [("rename", {"name": " "}, "name"), ("rename", {"name": "议事会"}, "same_name"),
                                 ("retype", {"label": "Mechanism"}, "label"), ("merge", {"into": "zone:a"}, "into"),
                                 ("split_alias", {"alias": "x"}, "alias"), ("mark_planned", {}, "action")]:  # fmt: skip
        with pytest.raises(Refused) as refused:
            planned(mech, action, current_name="议事会", **values)
        assert refused.value.code == code
    adopts = choices_for(nodes["zone:a"], graph, entries)[1]
    assert planned(adopts, "reattach", end="source", to="zone:b").value == {"source": "zone:b"}
    with pytest.raises(Refused):
        planned(adopts, "reattach", end="target", to="zone:b")
    assert planned(adopts, "mark_planned") == Planned("mark_planned", adopts.target, {})


def test_the_page_shows_the_node_a_correction_left() -> None:
    mech = Node("mechanism:议事会", "Mechanism", "议事会")
    zone = Node("zone:a", "Zone", "甲街道")
    target = Target(node=mech.id)
    assert became(Planned("rename", target, {"name": "居民议事会"}), mech) == node_id("Mechanism", "居民议事会")
    assert became(Planned("rename", Target(node=zone.id), {"name": "甲"}), zone) == zone.id
    assert became(Planned("retype", target, {"label": "Policy"}), mech) == node_id("Policy", "议事会")
    assert became(Planned("merge", target, {"into": "mechanism:茶话会"}), mech) == "mechanism:茶话会"
    assert became(Planned("reject", target, {}), mech) is None
    assert became(Planned("split_alias", target, {"alias": "x"}), mech) == mech.id
    assert became(adoption_rejection("zone:a", mech.id), mech) == mech.id
    assert adoption_rejection("zone:a", mech.id).target == Target(edge=("ADOPTS", "zone:a", mech.id))


# --------------------------------------------------------------------------- correction_index.py


def _c(action: str, target: Target, value: dict[str, object] | None = None, before: dict[str, object] | None = None,
       ) -> Correction:  # fmt: skip
    return Correction(action, target, dict(value or {}), AUTHOR, "2026-12-04T00:00:00+00:00",  # type: ignore[arg-type]
                      before=dict(before or {}))  # fmt: skip


def test_the_corrections_touching_a_node_or_relationship() -> None:
    rename = _c("rename", Target(node="mechanism:甲"), {"name": "乙"}, {"id": "mechanism:甲", "label": "Mechanism",
                                                                       "name": "甲"})  # fmt: skip
    merge = _c("merge", Target(node="organisation:丙"), {"into": "organisation:丁"},
               {"id": "organisation:丙", "label": "Organisation", "name": "丙"})  # fmt: skip
    key = ("ADOPTS", "zone:a", "mechanism:乙")
    moved = _c("reattach", Target(edge=key), {"source": "zone:b"},
               {"type": "ADOPTS", "source": "zone:a", "target": "mechanism:乙"})  # fmt: skip
    retype = _c("retype", Target(node="organisation:戊"), {"label": "Policy"},
                {"id": "organisation:戊", "label": "Organisation", "name": "戊"})  # fmt: skip
    zone_rename = _c("rename", Target(node="zone:a"), {"name": "甲镇"}, {"id": "zone:a", "label": "Zone", "name": "甲"})
    kept = [rename, merge, moved, retype, zone_rename]

    assert corrections_touching(kept, node_id="mechanism:甲") == [rename]
    assert corrections_touching(kept, node_id="mechanism:乙") == [rename]  # the new name's node
    assert corrections_touching(kept, node_id="organisation:丁") == [merge]  # merged into it
    assert corrections_touching(kept, node_id="organisation:丙") == [merge]
    assert corrections_touching(kept, node_id="zone:b") == [moved]  # re-attached to it
    assert corrections_touching(kept, node_id="policy:戊") == [retype]
    assert corrections_touching(kept, node_id="zone:a") == [zone_rename]  # a relationship's end is not enough
    assert corrections_touching(kept, edge_key=key) == [moved]
    assert corrections_touching(kept, edge_key=("ADOPTS", "zone:b", "mechanism:乙")) == [moved]
    assert corrections_touching(kept, node_id="zone:b", edge_key=key) == [moved]
    assert corrections_touching(kept) == []
    assert corrections_touching(kept, node_id="mechanism:无") == []
    assert nodes_concerned(moved) == {"zone:b"} and edges_concerned(rename) == set()
    added = Edge("HAS_PART", "mechanism:甲", "mechanism:己")
    add = _c("add_edge", Target(edge=added.key), {"edge": added.to_dict()})
    assert corrections_touching([add], edge_key=added.key) == [add]


def test_what_can_be_rejected_beside_a_shared_mechanism() -> None:
    mech = "mechanism:议事会"
    adopts = {"zone:a": frozenset({mech}), "zone:b": frozenset({"mechanism:茶话会"})}
    assert shared_mechanism_offers(mech, ["zone:a", "zone:b"], adopts) == [
        Planned("reject", Target(edge=("ADOPTS", "zone:a", mech)), {}),  # zone:b has it as a part only
        Planned("reject", Target(node=mech), {})]
    both = {"zone:a": frozenset({mech}), "zone:b": frozenset({mech})}
    assert [p.target for p in shared_mechanism_offers(mech, ["zone:b", "zone:a"], both)] == [
        Target(edge=("ADOPTS", "zone:b", mech)), Target(edge=("ADOPTS", "zone:a", mech)), Target(node=mech)]
    assert shared_mechanism_offers(mech, ["zone:c"], {}) == [mechanism_rejection(mech)]
    assert mechanism_rejection(mech) == Planned("reject", Target(node=mech), {})


def test_the_provenance_says_who_corrected_a_fact_when_and_how_in_both_languages() -> None:
    first = Correction("merge", Target(node="organisation:丙"), {"into": "organisation:丁"}, "王研究员",
                       "2026-12-04T08:30:00.123456+00:00")  # fmt: skip
    second = Correction("reject", Target(edge=("ADOPTS", "zone:a", "mechanism:甲")), {}, "Li",
                        "2026-12-05T01:00:00.000001+00:00")  # fmt: skip
    assert provenance_text([], "both") == ""
    assert provenance_text([first], "en") == "corrected by 王研究员 on 2026-12-04 (merge)"
    assert provenance_text([first], "zh") == "由 王研究员 于 2026-12-04 纠正（合并）"
    assert provenance_text([first, second], "en") == (
        "corrected by 王研究员 on 2026-12-04 (merge); corrected by Li on 2026-12-05 (reject)")
    assert provenance_text([first, second], "zh") == (
        "由 王研究员 于 2026-12-04 纠正（合并）；由 Li 于 2026-12-05 纠正（否定）")
    assert provenance_text([first, second], "both") == (
        f"{provenance_text([first, second], 'zh')} / {provenance_text([first, second], 'en')}")  # one line


def test_the_relationships_corrected_away_from_a_node() -> None:
    gone = _c("reject", Target(edge=("ADOPTS", "zone:a", "mechanism:甲")))
    moved = _c("reattach", Target(edge=("HAS_ORGANISATION", "zone:a", "organisation:乙")), {"source": "zone:b"})
    planned_ = _c("mark_planned", Target(edge=("ADOPTS", "zone:a", "mechanism:丙")))  # still there
    node = _c("reject", Target(node="organisation:丁"))
    kept = [gone, moved, planned_, node]
    present = {("ADOPTS", "zone:a", "mechanism:丙"), ("HAS_ORGANISATION", "zone:b", "organisation:乙")}
    assert corrected_away(kept, "zone:a", present) == [gone, moved]
    assert corrected_away(kept, "organisation:乙", present) == [moved]  # its old link, now from zone:b
    assert corrected_away(kept, "zone:b", present) == []
    assert corrected_away(kept, "mechanism:丙", present) == []


def test_the_corrections_behind_a_compared_mechanism() -> None:
    mech = "mechanism:甲"
    adoption = _c("reject", Target(edge=("ADOPTS", "zone:a", mech)))
    elsewhere = _c("reject", Target(edge=("ADOPTS", "zone:z", mech)))  # a zone not compared
    renamed = _c("rename", Target(node="mechanism:乙"), {"name": "甲"}, {"id": "mechanism:乙", "label": "Mechanism",
                                                                      "name": "乙"})  # fmt: skip
    other = _c("reject", Target(node="mechanism:丙"))
    kept = [adoption, elsewhere, other, renamed]
    assert feature_corrections(kept, mech, ("zone:a", "zone:b")) == [adoption, renamed]  # in their order
    assert feature_corrections(kept, mech, ()) == [renamed]
    assert feature_corrections(kept, "mechanism:丁", ("zone:a",)) == []


def test_every_message_the_correcting_pages_build_exists_in_both_languages() -> None:
    import re

    from repo import PROJECT_ROOT

    from govkg.graph.corrections import ACTIONS
    from govkg.i18n import MESSAGES

    source = (PROJECT_ROOT / "govkg" / "app" / "correct_actions.py").read_text(encoding="utf-8")
    codes = set(re.findall(r'Refused\("(\w+)"\)', source))
    assert codes >= {"action", "name", "same_name", "label", "into", "alias", "reattach"}
    wanted = {f"correct.refused.{c}" for c in codes} | {f"corrections.action.{a}" for a in ACTIONS}
    for page_file in ("pages/2_Node.py", "pages/4_Similar_zones.py", "pages/6_Corrections.py",
                      "govkg/app/correct_form.py"):
        text = (PROJECT_ROOT / page_file).read_text(encoding="utf-8")
        wanted |= set(re.findall(r'"((?:correct|corrections)\.[\w.]+)"', text))
    for key in sorted(wanted):
        assert key in MESSAGES and all(MESSAGES[key]), key
