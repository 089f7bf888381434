"""Practices over time (issue 14): a mechanism's adoptions by zone and year, a zone's practices by year,
and diffusion arrows from a pilot to later adoptions elsewhere — the same rule as the saved query
`adopted_after_pilot`, on both engines — and the node page's timeline chart."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from app_testing import point_app_at, run, texts, write_store
from conftest import MECH, ZONE
from test_app_pages import chart_frames

from govkg.app.markdown import md_escape
from govkg.graph.factory import StoreSettings, open_store
from govkg.graph.model import Edge, GraphDocument
from govkg.graph.saved_queries import run_saved_query
from govkg.graph.store import GraphStore
from govkg.graph.timeline import Adoption, adoptions_from_store, dated, diffusion, in_time_order, undated
from govkg.i18n import tr

# Stages and years given by hand to the conftest's small graph (written for testing).
TIMING: dict[tuple[str, str], dict[str, object]] = {
    (ZONE["东"], MECH["友邻议事会"]): {"stage": "pilot", "year": 2016},
    (ZONE["西"], MECH["友邻议事会"]): {"stage": "adopted", "year": 2018, "learned": True},
    (ZONE["西"], MECH["网格平台"]): {"stage": "adopted"},  # no year in the text
    (ZONE["南"], MECH["网格平台"]): {"stage": "pilot", "year": 2017},
    (ZONE["南"], MECH["睦邻空间"]): {"stage": "planned", "year": 2020},
}


def timed(graph: GraphDocument) -> GraphDocument:
    edges = [Edge(e.type, e.source, e.target, list(e.evidence), {**e.properties, **TIMING[(e.source, e.target)]})
             if e.type == "ADOPTS" else e for e in graph.edges]  # fmt: skip
    return GraphDocument(list(graph.documents), list(graph.nodes), edges)


def a(zone: str, mechanism: str, stage: str, year: int | None) -> Adoption:
    return Adoption(zone, zone, mechanism, mechanism, stage, year)


def test_diffusion_takes_later_adoptions_elsewhere_and_nothing_else() -> None:
    adoptions = [
        a("甲", "M", "pilot", 2015),
        a("乙", "M", "adopted", 2017),  # later, elsewhere: an arrow
        a("丙", "M", "pilot", 2015),  # a pilot the same year: no arrow from 甲
        a("丁", "M", "planned", 2018),  # a plan: none
        a("戊", "M", "promoted", 2015),  # the same year, not a pilot: an arrow
        a("己", "M", "adopted", None),  # no year: none
        a("甲", "M", "promoted", 2019),  # its own zone: none from 甲 (but one from 丙)
        a("庚", "N", "adopted", 2020),  # another mechanism: none
    ]
    pairs = [(d.pilot.zone, d.adopter.zone, d.adopter.year) for d in diffusion(adoptions)]
    assert pairs == [("丙", "戊", 2015), ("丙", "乙", 2017), ("丙", "甲", 2019), ("甲", "戊", 2015), ("甲", "乙", 2017)]
    ordered = in_time_order(adoptions)
    assert [x.year for x in ordered if x.stage != "planned"][:3] == [2015, 2015, 2015]
    assert ordered[-1].stage == "planned" and undated(adoptions) == [adoptions[5]]
    assert len(dated(adoptions)) == 7


@pytest.fixture()
def store(empty_settings: StoreSettings, small_graph: GraphDocument) -> Iterator[GraphStore]:
    with open_store(empty_settings) as held:
        held.write(timed(small_graph))
        yield held


def test_a_stores_adoptions_and_their_diffusion_agree_with_the_saved_query(store: GraphStore) -> None:
    mine = adoptions_from_store(store, mechanism_id=MECH["友邻议事会"])
    assert [(x.zone_id, x.stage, x.year, x.learned) for x in mine] == [
        (ZONE["东"], "pilot", 2016, False), (ZONE["西"], "adopted", 2018, True)]
    west = adoptions_from_store(store, zone_id=ZONE["西"])
    assert [(x.mechanism_id, x.year) for x in west] == [(MECH["友邻议事会"], 2018), (MECH["网格平台"], None)]
    every = [x for m in MECH.values() for x in adoptions_from_store(store, mechanism_id=m)]
    arrows = [(d.mechanism, d.pilot.zone, d.pilot.year, d.adopter.zone, d.adopter.year) for d in diffusion(every)]
    rows = run_saved_query(store, "adopted_after_pilot", {"mechanism": ""}).rows
    assert arrows == [tuple(r[:5]) for r in rows] == [("友邻议事会", "甲市东街道", 2016, "甲市西街道", 2018)]


@pytest.mark.usefixtures("fresh_streamlit_caches")
def test_the_node_page_draws_a_mechanisms_timeline_with_its_arrow_and_names_the_undated(
    tmp_path: Path, small_graph: GraphDocument, monkeypatch: pytest.MonkeyPatch
) -> None:
    point_app_at(monkeypatch, write_store(tmp_path / "app.lbdb", timed(small_graph)))
    at = run("pages/2_Node.py", node=MECH["友邻议事会"], lang="en")
    assert "Timeline" in [s.value for s in at.subheader]
    frames = chart_frames(at)
    points = next(f for f in frames if "stage" in f.columns)
    assert sorted(zip(points["zone"], points["year"], points["stage"], strict=True)) == [
        ("甲市东街道", 2016, "pilot"), ("甲市西街道", 2018, "adopted")]
    arrows = next(f for f in frames if "from_year" in f.columns)
    assert arrows.to_dict("records") == [{"from_row": "甲市东街道", "from_year": 2016, "to_row": "甲市西街道",
                                          "to_year": 2018}]  # fmt: skip
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert spec["layer"][0]["mark"]["type"] == "rule"  # the arrow is drawn, beneath the points
    assert tr("node.diffusion", "en", items=md_escape("甲市东街道 2016 → 甲市西街道 2018")) in texts(at)

    zone = run("pages/2_Node.py", node=ZONE["西"], lang="zh")
    assert "时间线" in [s.value for s in zone.subheader]
    undated_note = tr("node.timeline_undated", "zh", items=md_escape("网格平台 (已实行)"))
    assert undated_note in texts(zone)  # named, not placed at a guessed year
