"""Correcting stored facts in place (govkg/services/correcting.py), on a LadybugDB file and the real
Neo4j server, with the bundled cases loaded: each action changes what a researcher sees, its undo puts
back exactly what was there, a re-load keeps it, similarity follows it, a team's file taken into a store
loaded from the same files gives the same graph, and refusals change nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import copy_store
from neo4j_fixture import clear_database  # tests/ is on sys.path (see conftest.py)

from govkg.errors import CorrectionError, GovkgError, StoreError
from govkg.graph.corrections import Correction, Target
from govkg.graph.factory import StoreSettings, open_store
from govkg.graph.model import Edge, GraphDocument
from govkg.graph.similarity import similar_zones
from govkg.resources import BUNDLED_CASES_DIR
from govkg.services.correcting import correct, import_corrections, undo
from govkg.services.loading import load_paths

AUTHOR = "测试研究员"


@pytest.fixture()
def settings(request: pytest.FixtureRequest, empty_settings: StoreSettings) -> StoreSettings:
    """A store of each engine holding the bundled cases (the embedded one a copy of the session's load)."""
    if empty_settings.engine == "embedded":
        copy_store(request.getfixturevalue("bundled_cases_store"), empty_settings.db_path)
    else:
        load_paths(empty_settings, [BUNDLED_CASES_DIR])
    return empty_settings


def snapshot(settings: StoreSettings) -> GraphDocument:
    with open_store(settings) as store:
        return store.snapshot()


def canonical(graph: GraphDocument) -> dict[str, Any]:
    """The graph a researcher sees, comparable across engines and stores: nodes, relationships with
    their evidence (SIMILAR_TO scores rounded), documents without their load time."""

    def edge(e: Any) -> str:
        data = e.to_dict()
        data["evidence"] = sorted(json.dumps(ev, sort_keys=True) for ev in data["evidence"])
        if e.type == "SIMILAR_TO":
            data["properties"] = {"score": round(float(e.properties.get("score", 0)), 6)}
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    def node(n: Any) -> str:
        data = n.to_dict()
        data["aliases"] = sorted(data["aliases"])
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    return {
        "nodes": sorted(node(n) for n in graph.nodes),
        "edges": sorted(edge(e) for e in graph.edges),
        "documents": sorted(d.id for d in graph.documents),
    }


def by_label(graph: GraphDocument, label: str) -> list[Any]:
    return sorted((n for n in graph.nodes if n.label == label), key=lambda n: n.id)


def edges_of(graph: GraphDocument, edge_type: str) -> list[Any]:
    return sorted((e for e in graph.edges if e.type == edge_type), key=lambda e: e.key)


def share_a_mechanism(settings: StoreSettings) -> tuple[str, str, str]:
    """Two zones ranked alike that do not share a mechanism, made to share one: the second is said (an
    added relationship, with evidence from its own document) to adopt a mechanism the first adopts.
    (mechanism, first zone, second zone)."""
    graph = snapshot(settings)
    adopted: dict[str, set[str]] = {}
    for e in edges_of(graph, "ADOPTS"):
        adopted.setdefault(e.source, set()).add(e.target)
    for pair in edges_of(graph, "SIMILAR_TO"):
        first, second = pair.source, pair.target
        only_first = sorted(adopted.get(first, set()) - adopted.get(second, set()))
        evidence = next((e.evidence[0] for e in graph.edges if second in (e.source, e.target) and e.evidence), None)
        if only_first and second in adopted and evidence is not None:
            added = Edge("ADOPTS", second, only_first[0], [evidence], {"stage": "adopted"})
            correct(settings, "add_edge", Target(edge=added.key), {"edge": added.to_dict()}, author=AUTHOR)
            return only_first[0], first, second
    raise AssertionError("the bundled cases have no pair of alike zones to test with")


# Each action: how to choose its fact and value from the loaded graph, and what must be true after it.
Chooser = Callable[[GraphDocument], tuple[Target, dict[str, Any]]]
Check = Callable[[GraphDocument, GraphDocument, Target, dict[str, Any]], None]


def _reject_node(g: GraphDocument) -> tuple[Target, dict[str, Any]]:
    return Target(node=by_label(g, "Mechanism")[0].id), {}


def _reject_edge(g: GraphDocument) -> tuple[Target, dict[str, Any]]:
    return Target(edge=edges_of(g, "HAS_ORGANISATION")[0].key), {}


def _rename(g: GraphDocument) -> tuple[Target, dict[str, Any]]:
    return Target(node=by_label(g, "Mechanism")[0].id), {"name": "研究者改定的名称"}


def _retype(g: GraphDocument) -> tuple[Target, dict[str, Any]]:
    return Target(node=by_label(g, "Organisation")[0].id), {"label": "Policy"}


def _reattach(g: GraphDocument) -> tuple[Target, dict[str, Any]]:
    adoption = edges_of(g, "ADOPTS")[0]
    other = next(z.id for z in by_label(g, "Zone") if z.id != adoption.source
                 and not any(e.key == ("ADOPTS", z.id, adoption.target) for e in g.edges))  # fmt: skip
    return Target(edge=adoption.key), {"source": other}


def _mark_planned(g: GraphDocument) -> tuple[Target, dict[str, Any]]:
    adoption = next(e for e in edges_of(g, "ADOPTS") if e.properties.get("stage") != "planned")
    return Target(edge=adoption.key), {}


def _merge(g: GraphDocument) -> tuple[Target, dict[str, Any]]:
    first, second = by_label(g, "Organisation")[:2]
    return Target(node=first.id), {"into": second.id}


def _split_alias(g: GraphDocument) -> tuple[Target, dict[str, Any]]:
    node = next(n for n in by_label(g, "Organisation") + by_label(g, "Mechanism") if n.aliases)
    return Target(node=node.id), {"alias": sorted(node.aliases)[0]}


def names(g: GraphDocument) -> set[str]:
    return {n.name for n in g.nodes}


def _gone_node(before: GraphDocument, after: GraphDocument, target: Target, value: dict[str, Any]) -> None:
    assert target.node not in {n.id for n in after.nodes}
    assert not [e for e in after.edges if target.node in (e.source, e.target)]


def _gone_edge(before: GraphDocument, after: GraphDocument, target: Target, value: dict[str, Any]) -> None:
    assert target.edge not in {e.key for e in after.edges}
    assert {target.edge[1], target.edge[2]} <= {n.id for n in after.nodes}  # type: ignore[index]


def _renamed(before: GraphDocument, after: GraphDocument, target: Target, value: dict[str, Any]) -> None:
    old = next(n for n in before.nodes if n.id == target.node)
    new = next(n for n in after.nodes if n.name == value["name"])
    assert old.name in new.aliases and target.node not in {n.id for n in after.nodes}
    # Every relationship it had, it still has under its new id, with the same evidence.
    had = sorted((e.type, e.source if e.target == old.id else e.target, len(e.evidence)) for e in before.edges
                 if old.id in (e.source, e.target) and e.type != "SIMILAR_TO")  # fmt: skip
    has = sorted((e.type, e.source if e.target == new.id else e.target, len(e.evidence)) for e in after.edges
                 if new.id in (e.source, e.target) and e.type != "SIMILAR_TO")  # fmt: skip
    assert had == has


def _retyped(before: GraphDocument, after: GraphDocument, target: Target, value: dict[str, Any]) -> None:
    old = next(n for n in before.nodes if n.id == target.node)
    new = next(n for n in after.nodes if n.name == old.name and n.label == "Policy")
    zones = {e.source for e in before.edges if e.type == "HAS_ORGANISATION" and e.target == old.id}
    assert zones == {e.source for e in after.edges if e.type == "IMPLEMENTS" and e.target == new.id}


def _reattached(before: GraphDocument, after: GraphDocument, target: Target, value: dict[str, Any]) -> None:
    assert target.edge is not None
    moved = next(e for e in after.edges if e.key == ("ADOPTS", value["source"], target.edge[2]))
    old = next(e for e in before.edges if e.key == target.edge)
    assert target.edge not in {e.key for e in after.edges} and moved.evidence == old.evidence


def _planned(before: GraphDocument, after: GraphDocument, target: Target, value: dict[str, Any]) -> None:
    assert next(e for e in after.edges if e.key == target.edge).properties["stage"] == "planned"


def _merged(before: GraphDocument, after: GraphDocument, target: Target, value: dict[str, Any]) -> None:
    gone = next(n for n in before.nodes if n.id == target.node)
    into = next(n for n in after.nodes if n.id == value["into"])
    assert gone.id not in {n.id for n in after.nodes} and gone.name in into.aliases
    # Nothing lost: every zone that had the merged organisation now has the one it was merged into.
    had = {e.source for e in before.edges if e.target == gone.id and e.type == "HAS_ORGANISATION"}
    assert had <= {e.source for e in after.edges if e.target == into.id and e.type == "HAS_ORGANISATION"}


def _split(before: GraphDocument, after: GraphDocument, target: Target, value: dict[str, Any]) -> None:
    node = next(n for n in after.nodes if n.id == target.node)
    assert value["alias"] not in node.aliases
    assert any(n.name == value["alias"] and n.label == node.label for n in after.nodes)


ACTIONS: dict[str, tuple[str, Chooser, Check]] = {
    "reject a node": ("reject", _reject_node, _gone_node),
    "reject a relationship": ("reject", _reject_edge, _gone_edge),
    "rename": ("rename", _rename, _renamed),
    "re-type": ("retype", _retype, _retyped),
    "re-attach": ("reattach", _reattach, _reattached),
    "mark planned": ("mark_planned", _mark_planned, _planned),
    "merge": ("merge", _merge, _merged),
    "split an alias": ("split_alias", _split_alias, _split),
}


@pytest.mark.parametrize("name", list(ACTIONS))
def test_each_action_changes_the_store_and_undo_puts_back_exactly_what_was_there(
    settings: StoreSettings, name: str
) -> None:
    action, choose, check = ACTIONS[name]
    before = snapshot(settings)
    target, value = choose(before)
    done = correct(settings, action, target, value, author=AUTHOR, reason="测试")
    after = snapshot(settings)
    check(before, after, target, value)
    assert done.nodes_changed + done.edges_changed > 0
    with open_store(settings) as store:
        kept = store.corrections()
    assert [c.id for c in kept] == [done.correction.id]
    assert kept[0].author == AUTHOR and kept[0].before  # what the store held is kept beside it

    undone = undo(settings, done.correction.id)
    assert undone.in_place
    assert canonical(snapshot(settings)) == canonical(before)
    with open_store(settings) as store:
        assert store.corrections() == [] and len(store.corrections(undone=True)) == 1


def test_a_reload_keeps_what_was_corrected_in_place(settings: StoreSettings) -> None:
    graph = snapshot(settings)
    target, value = _rename(graph)
    correct(settings, "rename", target, value, author=AUTHOR)
    rejected = _reject_edge(snapshot(settings))[0]
    correct(settings, "reject", rejected, author=AUTHOR)
    corrected = canonical(snapshot(settings))
    load_paths(settings, [BUNDLED_CASES_DIR])
    assert canonical(snapshot(settings)) == corrected


def test_rejecting_a_shared_mechanism_lowers_that_pairs_score(settings: StoreSettings) -> None:
    mechanism, first, second = share_a_mechanism(settings)

    def pair_score() -> float:
        with open_store(settings) as store:
            found = similar_zones(store, first, top=100)
        return next((z.score for z in found.similar if z.zone_id == second), 0.0)

    was = pair_score()
    with open_store(settings) as store:
        shared = next(z for z in similar_zones(store, first, top=100).similar if z.zone_id == second)
    assert was > 0 and shared.shared_mechanisms  # they share the mechanism now
    correct(settings, "reject", Target(edge=("ADOPTS", first, mechanism)), author=AUTHOR)
    assert pair_score() < was
    with open_store(settings) as store:  # the stored SIMILAR_TO was refreshed with it
        stored = store.read("MATCH (a:Zone {id: $a})-[s:SIMILAR_TO]-(b:Zone {id: $b}) RETURN s.score",
                            {"a": first, "b": second}).rows  # fmt: skip
    assert all(float(row[0]) < was for row in stored)


def test_an_undo_is_refused_while_a_later_correction_changed_its_facts(settings: StoreSettings) -> None:
    graph = snapshot(settings)
    first, second = by_label(graph, "Organisation")[:2]
    merged = correct(settings, "merge", Target(node=first.id), {"into": second.id}, author=AUTHOR)
    renamed = correct(settings, "rename", Target(node=second.id), {"name": "研究者合并后的名称"}, author=AUTHOR)
    with pytest.raises(CorrectionError, match="undo the later correction first"):
        undo(settings, merged.correction.id)
    undo(settings, renamed.correction.id)
    undo(settings, merged.correction.id)
    assert canonical(snapshot(settings)) == canonical(graph)


def test_an_undo_is_refused_while_an_end_of_what_it_took_away_was_renamed_since(settings: StoreSettings) -> None:
    graph = snapshot(settings)
    link = _reject_edge(graph)[0]
    assert link.edge is not None
    rejected = correct(settings, "reject", link, author=AUTHOR)
    renamed = correct(settings, "rename", Target(node=link.edge[2]), {"name": "研究者改定的组织名"}, author=AUTHOR)
    with pytest.raises(CorrectionError, match="undo the later correction first") as raised:
        undo(settings, rejected.correction.id)
    assert "\n" not in str(raised.value)
    undo(settings, renamed.correction.id)
    undo(settings, rejected.correction.id)
    assert canonical(snapshot(settings)) == canonical(graph)


def test_refusals_say_what_to_do_and_change_nothing(settings: StoreSettings) -> None:
    before = canonical(snapshot(settings))
    mechanism = by_label(snapshot(settings), "Mechanism")[0].id
    zone = by_label(snapshot(settings), "Zone")[0].id
    attempts: list[tuple[Callable[[], object], type[GovkgError], str]] = [
        (lambda: correct(settings, "reject", Target(node=mechanism), author=" "), CorrectionError, "GOVKG_USER"),
        (lambda: correct(settings, "reject", Target(node="mechanism:不存在的做法"), author=AUTHOR), CorrectionError,
         "no node"),
        (lambda: correct(settings, "retype", Target(node=mechanism), {"label": "Zone"}, author=AUTHOR),
         CorrectionError, "reject it"),
        (lambda: correct(settings, "merge", Target(node=mechanism), {"into": zone},
                         author=AUTHOR), CorrectionError, "found no stored"),
        (lambda: undo(settings, "correction:0000000000000000"), CorrectionError, "govkg corrections"),
    ]  # fmt: skip
    for attempt, kind, says in attempts:
        with pytest.raises(kind, match=says) as raised:
            attempt()
        assert "\n" not in str(raised.value)
    assert canonical(snapshot(settings)) == before
    with open_store(settings) as store:
        assert store.corrections(undone=True) == []


def test_a_lost_neo4j_connection_refuses_the_correction() -> None:
    gone = StoreSettings(engine="neo4j", neo4j_uri="bolt://127.0.0.1:9", neo4j_user="neo4j", neo4j_password="x")
    with pytest.raises(StoreError) as raised:
        correct(gone, "reject", Target(node="mechanism:任意"), author=AUTHOR)
    assert "\n" not in str(raised.value)


def test_a_teams_file_taken_into_a_store_loaded_from_the_same_files_gives_the_same_graph(
    settings: StoreSettings, tmp_path: Path
) -> None:
    """Corrections made in place on an embedded store, exported, and taken into each engine."""
    source = StoreSettings(db_path=tmp_path / "source.lbdb")
    load_paths(source, [BUNDLED_CASES_DIR])
    graph = snapshot(source)
    made: list[Correction] = []
    for action, choose, _ in (ACTIONS["merge"], ACTIONS["rename"], ACTIONS["reject a relationship"],
                              ACTIONS["mark planned"], ACTIONS["re-type"]):  # fmt: skip
        target, value = choose(snapshot(source))
        made.append(correct(source, action, target, value, author=AUTHOR).correction)
    assert canonical(snapshot(source)) != canonical(graph)
    with open_store(source) as store:
        exported = store.corrections()
    report = import_corrections(settings, exported)
    assert [c.id for c in report.applied] == [c.id for c in made] and not report.missing
    assert canonical(snapshot(settings)) == canonical(snapshot(source))
    again = import_corrections(settings, exported)
    assert len(again.already) == len(made) and not again.applied  # taken in twice, applied once


@pytest.mark.parametrize("name", ["reject a node", "rename", "re-type", "re-attach", "merge"])
def test_a_correction_made_before_its_documents_were_written_is_undone_at_once(
    settings: StoreSettings, name: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """A review's correction (made on the extracted graph, written with it): the load applies it to the
    written facts and keeps what it changed, so its undo leaves the store as a plain load leaves it."""
    from govkg.graph.corrections import make_correction
    from govkg.loaders.extract import extract_paths

    loaded = snapshot(settings)
    plain = canonical(loaded)
    action, choose, check = ACTIONS[name]
    target, value = choose(loaded)
    extracted = extract_paths([BUNDLED_CASES_DIR])  # the fact as the review shows it, before any write
    correction = make_correction(extracted, action, target, value, author=AUTHOR, made_at="2026-12-04T00:00:00+00:00")
    if settings.engine == "neo4j":
        clear_database(request.getfixturevalue("neo4j_target"))
        fresh = settings
    else:
        fresh = StoreSettings(db_path=tmp_path / "fresh.lbdb")
    load_paths(fresh, [BUNDLED_CASES_DIR], corrections=[correction])
    check(loaded, snapshot(fresh), target, value)
    with open_store(fresh) as store:
        assert [(c.id, in_place) for c, _, in_place in store.correction_states()] == [(correction.id, True)]
    done = undo(fresh, correction.id)
    assert done.in_place and done.nodes_changed + done.edges_changed > 0
    assert canonical(snapshot(fresh)) == plain


def test_several_corrections_of_one_load_take_effect_together_and_undo_one_by_one(settings: StoreSettings) -> None:
    """A review's reject, rename and re-type of three mechanisms, made one after another on the
    extracted graph and written with it (LadybugDB crashed reading what the same transaction had just
    corrected: each correction now has a transaction of its own inside the load's one swap)."""
    from govkg.graph.corrections import apply_corrections, make_correction
    from govkg.loaders.extract import extract_paths

    plain = canonical(snapshot(settings))
    extracted = extract_paths([BUNDLED_CASES_DIR])
    first, second, third = by_label(extracted, "Mechanism")[:3]
    made: list[Correction] = []
    for action, node, value in (("reject", first, {}), ("rename", second, {"name": "研究者改定的名称"}),
                                ("retype", third, {"label": "Organisation"})):  # fmt: skip
        current = apply_corrections(extracted, made).graph
        made.append(make_correction(current, action, Target(node=node.id), value, author=AUTHOR,
                                    made_at=f"2026-12-04T00:00:0{len(made)}+00:00"))  # fmt: skip
    load_paths(settings, [BUNDLED_CASES_DIR], corrections=made)
    after = snapshot(settings)
    held = {n.id: n for n in after.nodes}
    assert first.id not in held and second.id not in held and third.id not in held
    assert any(n.name == "研究者改定的名称" for n in after.nodes)
    assert any(n.name == third.name and n.label == "Organisation" for n in after.nodes)
    with open_store(settings) as store:
        assert [(c.id, in_place) for c, _, in_place in store.correction_states()] == [(c.id, True) for c in made]
    for correction in reversed(made):  # the latest first: each undo finds its facts as it left them
        undo(settings, correction.id)
    assert canonical(snapshot(settings)) == plain
