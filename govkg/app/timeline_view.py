"""The node page's timeline: a mechanism's adoptions by zone and year, or a zone's practices by year,
coloured by stage, with arrows from a pilot to the zones that took the practice up later
(graph/timeline.py decides what counts). Data in, a chart out; the page says the words around it."""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import pandas as pd
import streamlit as st

from govkg.app.language import joined, t
from govkg.app.markdown import md_escape
from govkg.graph.model import ADOPTION_STAGES, Node
from govkg.graph.store import GraphStore
from govkg.graph.timeline import Adoption, Diffusion, adoptions_from_store, dated, diffusion, undated

__all__ = ["STAGE_COLOURS", "arrow_frame", "point_frame", "show_timeline", "timeline_chart"]

# One colour per stage in every language, in the stage order (pilot, adopted, promoted, planned).
STAGE_COLOURS: tuple[str, ...] = ("#F58518", "#4C78A8", "#54A24B", "#BAB0AC")
ROW_PX = 26


def point_frame(adoptions: list[Adoption], *, rows: str, stage_names: Mapping[str, str]) -> pd.DataFrame:
    """One row per dated adoption: the chart's `row` (the zone, or the mechanism when `rows` is
    "mechanism"), year, stage (named), learned."""
    return pd.DataFrame(
        [{"row": a.mechanism if rows == "mechanism" else a.zone, "zone": a.zone, "mechanism": a.mechanism,
          "year": a.year, "stage": stage_names.get(a.stage, a.stage), "learned": a.learned}
         for a in adoptions if a.year is not None],
        columns=["row", "zone", "mechanism", "year", "stage", "learned"],
    )


def arrow_frame(arrows: list[Diffusion]) -> pd.DataFrame:
    """One row per diffusion arrow: from (pilot year, pilot zone) to (adopter year, adopter zone)."""
    return pd.DataFrame(
        [{"from_row": d.pilot.zone, "from_year": d.pilot.year, "to_row": d.adopter.zone, "to_year": d.adopter.year}
         for d in arrows],
        columns=["from_row", "from_year", "to_row", "to_year"],
    )


def timeline_chart(points: pd.DataFrame, arrows: pd.DataFrame, *, titles: Mapping[str, str],
                   stage_names: Mapping[str, str]) -> alt.LayerChart:  # fmt: skip
    """Points by year (x) and row (y), coloured by stage; arrows (a dashed line, a head at the later
    adoption) drawn beneath. `titles`: row, year, stage, zone, mechanism, learned in the reader's language."""
    order = list(dict.fromkeys(points.sort_values(["year", "row"])["row"]))
    y = alt.Y("row:N", sort=order, title=titles["row"], axis=alt.Axis(labelLimit=220))
    stages = [stage_names.get(s, s) for s in ADOPTION_STAGES]
    colour = alt.Color("stage:N", title=titles["stage"], scale=alt.Scale(domain=stages, range=list(STAGE_COLOURS)),
                       legend=alt.Legend(orient="right"))  # fmt: skip
    years = alt.Scale(domain=[int(points["year"].min()) - 1, int(points["year"].max()) + 1], nice=False)
    x = alt.X("year:Q", title=titles["year"], scale=years, axis=alt.Axis(format="d", tickMinStep=1))
    dots = alt.Chart(points).mark_point(size=140, filled=True, opacity=0.9).encode(
        x=x, y=y, color=colour,
        tooltip=[alt.Tooltip("zone:N", title=titles["zone"]), alt.Tooltip("mechanism:N", title=titles["mechanism"]),
                 alt.Tooltip("year:Q", title=titles["year"], format="d"),
                 alt.Tooltip("stage:N", title=titles["stage"]), alt.Tooltip("learned:N", title=titles["learned"])],
    )  # fmt: skip
    layers: list[alt.Chart] = []
    if not arrows.empty:
        lines = alt.Chart(arrows).mark_rule(strokeDash=[4, 3], color="#888888").encode(
            x=alt.X("from_year:Q", scale=years), x2="to_year:Q",
            y=alt.Y("from_row:N", sort=order), y2="to_row:N",
        )  # fmt: skip
        heads = alt.Chart(arrows).mark_point(shape="triangle-right", size=60, filled=True, color="#888888").encode(
            x=alt.X("to_year:Q", scale=years), y=alt.Y("to_row:N", sort=order),
        )  # fmt: skip
        layers = [lines, heads]
    # Sized by step (a row per zone or mechanism), as the overview's charts are: a fixed height in
    # pixels was not applied to a layered chart with a discrete axis (its rows collapsed into one).
    return alt.LayerChart(layer=[*layers, dots], height=alt.Step(ROW_PX))


def show_timeline(store: GraphStore, node: Node) -> None:
    """A mechanism's or a zone's timeline on the node page, with its undated adoptions named below;
    nothing for other nodes, or a node without adoptions."""
    if node.label not in ("Mechanism", "Zone"):
        return
    of_mechanism = node.label == "Mechanism"
    adoptions = adoptions_from_store(store, mechanism_id=node.id) if of_mechanism else adoptions_from_store(
        store, zone_id=node.id)  # fmt: skip
    if not adoptions:
        return
    st.subheader(t("node.timeline"))
    st.caption(t("node.timeline_about_mechanism" if of_mechanism else "node.timeline_about_zone"))
    stage_names = {stage: t(f"load.review.stage.{stage}") for stage in ADOPTION_STAGES}
    when = dated(adoptions)
    if when:
        arrows = diffusion(adoptions) if of_mechanism else []
        titles = {"row": t("col.zone") if of_mechanism else t("col.mechanism"), "year": t("col.year"),
                  "stage": t("col.stage"), "zone": t("col.zone"), "mechanism": t("col.mechanism"),
                  "learned": t("col.learned")}  # fmt: skip
        points = point_frame(when, rows="zone" if of_mechanism else "mechanism", stage_names=stage_names)
        st.altair_chart(timeline_chart(points, arrow_frame(arrows), titles=titles, stage_names=stage_names),
                        use_container_width=True)  # fmt: skip
        if arrows:
            st.caption(t("node.diffusion", items=md_escape(joined(
                f"{d.pilot.zone} {d.pilot.year} → {d.adopter.zone} {d.adopter.year}" for d in arrows))))  # fmt: skip
    else:
        st.caption(t("node.timeline_none"))
    rest = undated(adoptions)
    if rest:
        named = [f"{a.zone if of_mechanism else a.mechanism} ({stage_names.get(a.stage, a.stage)})" for a in rest]
        st.caption(t("node.timeline_undated", items=md_escape(joined(named))))
