"""The researcher's whole correction loop in the app (AppTest), on a LadybugDB file and the real Neo4j
server: upload a text and review it (reject, rename, re-type, re-attach, add from a span), write; merge
two nodes and undo the merge on the corrections page; re-load the same file and see the corrections
kept; export them and take them into an empty store loaded from the same file, which then holds the
same graph. The case text is tests/test_app_review.py's, written for testing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from app_testing import page, recorded_downloads, uploader
from neo4j_fixture import Neo4jTarget, clear_database
from test_app_correct import _correct as correct_on_node_page
from test_app_correct import st_cache_clear
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
    TEA,
    _add,
    _correct,
    _ok,
    _upload,
)
from test_correct_in_place import canonical

from govkg.app.correct_actions import NODE_KEY
from govkg.graph.corrections import Target, corrections_from_json
from govkg.graph.factory import StoreSettings, open_store
from govkg.graph.model import GraphDocument
from govkg.services.loading import load_paths

AUTHOR = "测试研究员"
pytestmark = pytest.mark.usefixtures("fresh_streamlit_caches")  # app_testing.py


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def settings(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[StoreSettings]:
    """An empty store of each engine, the app pointed at it, the reader named by GOVKG_USER."""
    monkeypatch.setenv("GOVKG_USER", AUTHOR)
    if request.param == "embedded":
        found = StoreSettings(db_path=tmp_path / "app.lbdb")
        monkeypatch.setenv("GOVKG_STORE", "embedded")
        monkeypatch.setenv("GOVKG_DB", str(found.db_path))
    else:
        target: Neo4jTarget = request.getfixturevalue("neo4j_target")
        clear_database(target)
        found = StoreSettings(engine="neo4j", neo4j_uri=target.uri, neo4j_user=target.user,
                              neo4j_password=target.password, neo4j_database="neo4j")  # fmt: skip
        for name, value in (("GOVKG_STORE", "neo4j"), ("NEO4J_URI", target.uri), ("NEO4J_USER", target.user),
                            ("NEO4J_PASSWORD", target.password), ("NEO4J_DATABASE", "neo4j")):  # fmt: skip
            monkeypatch.setenv(name, value)
    yield found
    if request.param == "neo4j":
        clear_database(request.getfixturevalue("neo4j_target"))


def snapshot(settings: StoreSettings) -> GraphDocument:
    with open_store(settings) as store:
        return store.snapshot()


def graph_counts(graph: GraphDocument) -> tuple[int, int]:
    return len(graph.nodes), len(graph.edges)


def test_the_whole_correction_loop(
    settings: StoreSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    downloads = recorded_downloads(monkeypatch)
    # Upload, review, write.
    at = _upload()
    _correct(at, Target(node=NOT_A_PRACTICE), "reject", review_reason="一句话的后半句，不是机制")
    _correct(at, Target(node=COUNCIL), "rename", review_name="百姓议事会")
    _correct(at, Target(node=PARTY), "retype", review_label="Organisation")
    _correct(at, Target(edge=("IN_CATEGORY", TEA, RURAL)), "reattach", review_end="target",
             review_node=DELIBERATION)  # fmt: skip
    _add(at, "乌镇镇社会工作服务站", "node", review_add_label="Organisation")
    at.button(key="write_upload").click().run()
    _ok(at)

    written = snapshot(settings)
    nodes, edges = written.node_by_id(), {e.key for e in written.edges}
    assert NOT_A_PRACTICE not in nodes and COUNCIL not in nodes and nodes[COUNCIL_RENAMED].name == "百姓议事会"
    assert PARTY not in nodes and nodes[PARTY_ORG].label == "Organisation" and nodes[STATION].label == "Organisation"
    assert ("IN_CATEGORY", TEA, DELIBERATION) in edges and ("IN_CATEGORY", TEA, RURAL) not in edges
    with open_store(settings) as store:
        review_kept = store.corrections()
    assert [c.action for c in review_kept] == ["reject", "rename", "retype", "reattach", "add_node", "add_edge"]

    # Merge two organisations on the node page, then undo the merge on the corrections page.
    first, second = sorted(n.id for n in written.nodes if n.label == "Organisation")[:2]
    node_page = page("pages/2_Node.py")
    node_page.query_params["node"] = first
    node_page.run()
    _ok(node_page)
    correct_on_node_page(node_page, NODE_KEY, "merge", correct_into=second)
    assert first not in snapshot(settings).node_by_id()
    with open_store(settings) as store:
        merged = store.corrections()[-1]
    assert merged.action == "merge" and merged.author == AUTHOR
    corrections_page = page("pages/6_Corrections.py")
    corrections_page.run()
    _ok(corrections_page)
    corrections_page.selectbox(key="undo_pick").set_value(merged.id).run()
    corrections_page.button(key="undo_correction").click().run()
    _ok(corrections_page)
    assert canonical(snapshot(settings)) == canonical(written)

    # The same file again: the kept corrections apply; nothing comes back, nothing doubles.
    again = _upload()
    again.button(key="write_upload").click().run()
    _ok(again)
    assert canonical(snapshot(settings)) == canonical(written)

    # Exported from the corrections page, and imported on it into an empty embedded store loaded from
    # the same file: the same graph.
    listed = page("pages/6_Corrections.py")
    listed.run()
    _ok(listed)
    exported = [data for data, mime in downloads if mime == "application/json"][-1]  # the page as now shown
    assert [c.id for c in corrections_from_json(exported.decode("utf-8"), "export")] == [c.id for c in review_kept]
    text = tmp_path / NAME
    text.write_text(CASE, encoding="utf-8")
    other = StoreSettings(db_path=tmp_path / "other.lbdb")
    load_paths(other, [text])
    st_cache_clear()
    monkeypatch.setenv("GOVKG_STORE", "embedded")
    monkeypatch.setenv("GOVKG_DB", str(other.db_path))
    importing = page("pages/6_Corrections.py")
    importing.run()
    uploader(importing).set_value([("team.json", exported, "application/json")])
    importing.run()
    importing.button(key="import_corrections").click().run()
    _ok(importing)
    theirs, ours = snapshot(other), snapshot(settings)
    assert graph_counts(theirs) == graph_counts(ours)
    assert canonical(theirs) == canonical(ours)
