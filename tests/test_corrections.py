"""Corrections as data, on the small hand-made graph (tests/conftest.py): each action, re-applying
corrections to a document extracted again, a correction whose fact is gone, the shared file, and
similarity computed on the corrected graph."""

from __future__ import annotations

import json

import pytest
from conftest import CAT, MECH, ORG, POLICY, SMALL_DOC, ZONE, build_small_graph

from govkg.errors import CorrectionError
from govkg.graph.corrections import (
    Correction,
    Target,
    apply_corrections,
    corrections_from_json,
    corrections_to_json,
    make_correction,
)
from govkg.graph.model import Edge, Evidence, GraphDocument, Node, node_id
from govkg.graph.similarity import SimilarityIndex, profiles_from_graph

WHEN = "2026-12-04T00:00:00Z"


def correct(graph: GraphDocument, action: str, target: Target, value: dict[str, object] | None = None,
            reason: str = "") -> Correction:
    return make_correction(graph, action, target, value, author="测试研究员", made_at=WHEN, reason=reason)


def edge(kind: str, source: str, target: str) -> Target:
    return Target(edge=(kind, source, target))


def keys(graph: GraphDocument) -> set[tuple[str, str, str]]:
    return {e.key for e in graph.edges}


def test_rejecting_a_node_takes_its_relationships_and_keeps_what_the_extractor_said() -> None:
    graph = build_small_graph()
    c = correct(graph, "reject", Target(node=MECH["睦邻空间"]), reason="a place, not a practice")
    assert c.before["name"] == "睦邻空间" and c.documents == (SMALL_DOC,) and c.reason == "a place, not a practice"
    out = apply_corrections(graph, [c])
    assert out.applied == (c,) and not out.missing
    assert MECH["睦邻空间"] not in {n.id for n in out.graph.nodes}
    assert not [k for k in keys(out.graph) if MECH["睦邻空间"] in k]
    assert out.graph.problems() == []
    # The graph given is left as it was: the extractor's reading stays beside the correction.
    assert MECH["睦邻空间"] in {n.id for n in graph.nodes}


def test_rejecting_a_relationship_and_marking_an_adoption_planned() -> None:
    graph = build_small_graph()
    adopts = edge("ADOPTS", ZONE["南"], MECH["网格平台"])
    rejected = correct(graph, "reject", edge("IN_CATEGORY", MECH["睦邻空间"], CAT["服务综合体"]))
    planned = correct(graph, "mark_planned", adopts)
    out = apply_corrections(graph, [rejected, planned])
    assert ("IN_CATEGORY", MECH["睦邻空间"], CAT["服务综合体"]) not in keys(out.graph)
    stage = next(e for e in out.graph.edges if e.key == adopts.edge).properties["stage"]
    assert stage == "planned"
    with pytest.raises(CorrectionError, match="only an adoption"):
        correct(graph, "mark_planned", edge("HAS_PART", MECH["友邻议事会"], MECH["议事日"]))


def test_renaming_moves_the_id_and_keeps_the_old_name_as_an_alias() -> None:
    graph = build_small_graph()
    renaming = correct(graph, "rename", Target(node=MECH["网格平台"]), {"name": "网格化服务平台"})
    out = apply_corrections(graph, [renaming])
    new_id = node_id("Mechanism", "网格化服务平台")
    renamed = next(n for n in out.graph.nodes if n.id == new_id)
    assert renamed.name == "网格化服务平台" and renamed.aliases == ["网格平台"]
    assert ("ADOPTS", ZONE["西"], new_id) in keys(out.graph) and ("ADOPTS", ZONE["南"], new_id) in keys(out.graph)
    assert MECH["网格平台"] not in {n.id for n in out.graph.nodes}
    assert out.graph.problems() == []


def test_a_zone_keeps_its_id_when_renamed() -> None:
    graph = build_small_graph()
    out = apply_corrections(graph, [correct(graph, "rename", Target(node=ZONE["东"]), {"name": "甲市东城街道"})])
    zone = next(n for n in out.graph.nodes if n.id == ZONE["东"])
    assert zone.name == "甲市东城街道" and "甲市东街道" in zone.aliases


def test_retyping_a_mechanism_to_an_organisation_relinks_the_zone_and_reports_what_cannot_follow() -> None:
    graph = build_small_graph()
    c = correct(graph, "retype", Target(node=MECH["睦邻空间"]), {"label": "Organisation"})
    out = apply_corrections(graph, [c])
    org = node_id("Organisation", "睦邻空间")
    assert ("HAS_ORGANISATION", ZONE["南"], org) in keys(out.graph)
    assert not [k for k in keys(out.graph) if MECH["睦邻空间"] in k]
    # An organisation has no category: that link is dropped, and said so.
    assert [e.key for e in out.dropped] == [("IN_CATEGORY", org, CAT["服务综合体"])]
    assert out.graph.problems() == []
    with pytest.raises(CorrectionError, match="reject it"):
        correct(graph, "retype", Target(node=MECH["睦邻空间"]), {"label": "Zone"})


def test_reattaching_a_relationship_keeps_its_evidence() -> None:
    graph = build_small_graph()
    old = ("ADOPTS", ZONE["南"], MECH["睦邻空间"])
    evidence = next(e for e in graph.edges if e.key == old).evidence
    out = apply_corrections(graph, [correct(graph, "reattach", Target(edge=old), {"source": ZONE["北"]})])
    moved = next(e for e in out.graph.edges if e.key == ("ADOPTS", ZONE["北"], MECH["睦邻空间"]))
    assert moved.evidence == evidence and old not in keys(out.graph)
    # To a node of the wrong kind (a category cannot adopt), nothing moves and the correction says so.
    bad = correct(graph, "reattach", Target(edge=old), {"source": CAT["协商议事"]})
    out = apply_corrections(graph, [bad])
    assert out.missing == (bad,) and old in keys(out.graph)


def test_merging_two_nodes_unites_names_relationships_and_evidence() -> None:
    graph = build_small_graph()
    c = correct(graph, "merge", Target(node=MECH["网格平台"]), {"into": MECH["睦邻空间"]})
    out = apply_corrections(graph, [c])
    into = next(n for n in out.graph.nodes if n.id == MECH["睦邻空间"])
    assert "网格平台" in into.aliases
    assert {("ADOPTS", ZONE["西"], MECH["睦邻空间"]), ("ADOPTS", ZONE["南"], MECH["睦邻空间"])} <= keys(out.graph)
    south = next(e for e in out.graph.edges if e.key == ("ADOPTS", ZONE["南"], MECH["睦邻空间"]))
    assert len(south.evidence) == 1  # the same sentence said both: kept once
    categories = {k[2] for k in keys(out.graph) if k[0] == "IN_CATEGORY" and k[1] == MECH["睦邻空间"]}
    assert categories == {CAT["服务综合体"], CAT["网格化与数字治理"]}
    assert out.graph.problems() == []


def test_splitting_an_alias_back_out() -> None:
    graph = build_small_graph()
    merged = correct(graph, "merge", Target(node=MECH["网格平台"]), {"into": MECH["睦邻空间"]})
    after_merge = apply_corrections(graph, [merged]).graph
    split = correct(after_merge, "split_alias", Target(node=MECH["睦邻空间"]), {"alias": "网格平台"})
    out = apply_corrections(graph, [merged, split])
    names = {n.id: n for n in out.graph.nodes}
    assert "网格平台" not in names[MECH["睦邻空间"]].aliases
    assert names[MECH["网格平台"]].name == "网格平台"


def test_adding_what_the_extractor_missed_from_a_selected_span() -> None:
    graph = build_small_graph()
    text = graph.documents[0].text
    span = "东街道党委参与"
    start = text.index(span)
    new = Node(node_id("Organisation", "西街道党委"), "Organisation", "西街道党委", [], {"kind": "party"})
    link = Edge("HAS_ORGANISATION", ZONE["西"], new.id, [Evidence(SMALL_DOC, span, start, start + len(span))])
    add_node = correct(graph, "add_node", Target(node=new.id), {"node": new.to_dict()})
    with_node = apply_corrections(graph, [add_node]).graph
    add_edge = correct(with_node, "add_edge", Target(edge=link.key), {"edge": link.to_dict()})
    out = apply_corrections(graph, [add_node, add_edge])
    assert out.applied == (add_node, add_edge) and link.key in keys(out.graph)
    assert out.graph.problems() == []
    with pytest.raises(CorrectionError, match="the new fact itself"):
        correct(graph, "add_node", Target(node=ORG), {"node": new.to_dict()})


def test_corrections_are_reapplied_to_the_same_document_extracted_again() -> None:
    graph = build_small_graph()
    corrections = [
        correct(graph, "reject", Target(node=MECH["睦邻空间"])),
        correct(graph, "rename", Target(node=POLICY), {"name": "社区协商议事规则"}),
    ]
    first = apply_corrections(graph, corrections).graph
    again = apply_corrections(build_small_graph(), corrections)  # a re-load reads the same facts again
    assert again.applied == tuple(corrections)
    assert sorted(n.id for n in again.graph.nodes) == sorted(n.id for n in first.nodes)
    assert keys(again.graph) == keys(first)


def test_a_correction_whose_fact_is_gone_is_reported_and_one_for_other_documents_is_left_alone() -> None:
    graph = build_small_graph()
    gone = correct(graph, "reject", Target(node=MECH["睦邻空间"]))
    newer = build_small_graph()
    newer.nodes = [n for n in newer.nodes if n.id != MECH["睦邻空间"]]
    newer.edges = [e for e in newer.edges if MECH["睦邻空间"] not in (e.source, e.target)]
    out = apply_corrections(newer, [gone])
    assert out.missing == (gone,) and not out.applied
    other = GraphDocument([], [Node(ZONE["北"], "Zone", "乙市北街道", [], {"level": "street"})], [])
    assert apply_corrections(other, [gone]).elsewhere == (gone,)


def test_rejecting_a_shared_mechanism_lowers_that_pairs_score() -> None:
    graph = build_small_graph()

    def score(g: GraphDocument) -> float:
        return SimilarityIndex.build(profiles_from_graph(g)).compare(ZONE["西"], ZONE["南"], explain=False).score

    shared = correct(graph, "reject", edge("ADOPTS", ZONE["南"], MECH["网格平台"]))
    assert score(apply_corrections(graph, [shared]).graph) < score(graph)


def test_the_shared_file_round_trips_and_refuses_what_it_cannot_trust() -> None:
    graph = build_small_graph()
    made = [
        correct(graph, "reject", Target(node=MECH["睦邻空间"]), reason="不是做法"),
        correct(graph, "mark_planned", edge("ADOPTS", ZONE["南"], MECH["网格平台"])),
    ]
    text = corrections_to_json(made)
    back = corrections_from_json(text, "team.json")
    assert back == made and [c.id for c in back] == [c.id for c in made]
    data = json.loads(text)
    data["corrections"][0]["value"] = {"name": "changed"}
    with pytest.raises(CorrectionError, match=r"team\.json, correction 1: its id does not match"):
        corrections_from_json(json.dumps(data), "team.json")
    for bad, said in (("{", "not a corrections file"), ('{"corrections": []}', "expected \"format\""),
                      ('{"format": "govkg-corrections/1", "corrections": [{"action": "explode"}]}', "unknown action")):
        with pytest.raises(CorrectionError, match=said):
            corrections_from_json(bad, "team.json")


def test_a_correction_needs_an_author_and_a_fact_that_is_there() -> None:
    graph = build_small_graph()
    with pytest.raises(CorrectionError, match="GOVKG_USER"):
        make_correction(graph, "reject", Target(node=ORG), author=" ", made_at=WHEN)
    with pytest.raises(CorrectionError, match="no node"):
        correct(graph, "reject", Target(node="mechanism:不存在"))
    with pytest.raises(CorrectionError, match="acts on a node"):
        correct(graph, "rename", edge("ADOPTS", ZONE["南"], MECH["网格平台"]), {"name": "x"})
    with pytest.raises(CorrectionError, match="needs `name`"):
        correct(graph, "rename", Target(node=ORG))
