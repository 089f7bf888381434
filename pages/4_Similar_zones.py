"""Similar-zones page: pick a zone and see the zones whose practice is most like it, ranked, with each
score's parts and the shared features with the sentences behind them; compare two zones side by
side; and see the families of zones (a heat map of zones by mechanism category, and the similarity
graph coloured by family). The URL holds the zone (`zone`), the zone compared (`other`) and `top`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import altair as alt
import networkx as nx
import pandas as pd
import streamlit as st

from govkg.app import support as ui
from govkg.app.compare import FeatureSide, compare_zones, family_heat_rows
from govkg.errors import GovkgError, ZoneNotFound
from govkg.graph.similarity import FEATURE_WEIGHTS, PARTS, WORDING_WEIGHT, PracticeProfiles, Support
from govkg.graph.store import GraphStore
from govkg.graph.visual import FAMILY_COLOURS, ClusterNode, render_clusters
from govkg.i18n import tr

EXPLAINED = 10  # ranked zones with their explanation spelled out
SUPPORTS_SHOWN = 3  # sentences per side of a feature
HEAT_ZONES = 60
FAMILY_PICTURE_NODES = 800
# Links drawn per zone in the families picture: its strongest ones. The families themselves come from
# each zone's 10 most similar (graph/analytics.py); drawing all of them doubles the browser's work.
PICTURE_LINKS = 5
HEIGHT_PX = 560
VIEWS = ("ranking", "compare", "families")
FAMILY_VIEWS = ("heat", "network", "table")


def _sentences(evidence: Iterable[Mapping[str, Any]], titles: Mapping[str, str]) -> str:
    """Quoted sentences, each once with every document that holds it (a sheet restates its article)."""
    sources: dict[str, list[str]] = {}
    for ev in evidence:
        title = titles.get(str(ev.get("document")), str(ev.get("document") or ""))
        held = sources.setdefault(str(ev.get("text") or ""), [])
        if title not in held:
            held.append(title)
    lines = []
    for text, where in list(sources.items())[:SUPPORTS_SHOWN]:
        cited = "; ".join(ui.md_escape(w) for w in where)
        lines.append(f"> {ui.md_escape(text)}\n>\n> — *{cited}*")
    return "\n\n".join(lines)


def supports_markdown(supports: Iterable[Mapping[str, Any]], titles: Mapping[str, str]) -> str:
    """How a zone has a feature: through which mechanism, organisation or policy, and the sentences."""
    parts = []
    for s in supports:
        how = ui.edge_name(str(s.get("relation"))) if s.get("relation") != "WORDING" else ui.t("similar.wording_in")
        cue = f" · {ui.t('similar.cue')} “{ui.md_escape(str(s['cue']))}”" if s.get("cue") else ""
        parts.append(f"- **{ui.md_escape(str(s.get('via')))}** ({ui.md_escape(how)}{cue})")
        quoted = _sentences(s.get("evidence") or [], titles)
        if quoted:
            parts.append(quoted)
    return "\n\n".join(parts) or ui.t("similar.no_support")


def _support_dicts(supports: Iterable[Support]) -> list[dict[str, Any]]:
    return [s.to_dict() for s in supports]


def feature_block(side: FeatureSide, titles: Mapping[str, str], which: str) -> str:
    """One mechanism of the comparison as markdown: its name, then how one or both zones have it."""
    name = side.name_en if ui.language() == "en" and side.name_en else side.name
    parts = [f"#### {ui.md_escape(name)}"]
    if which in ("both", "this"):
        parts.append(supports_markdown(_support_dicts(side.this_zone), titles))
    if which == "both":
        parts.append("↔")
    if which in ("both", "other"):
        parts.append(supports_markdown(_support_dicts(side.other_zone), titles))
    return "\n\n".join(parts)


def explanation_markdown(zone_name: str, other_name: str, items: list[Mapping[str, Any]],
                         titles: Mapping[str, str]) -> str:
    """Why two zones are alike, as one markdown text (one element per zone keeps the page light):
    each shared feature with its share of the score and the sentences of both sides."""
    blocks = []
    for item in items:
        feature = ui.feature_name(str(item.get("feature_en") if ui.language() == "en" else item.get("feature")))
        blocks.append(
            f"#### {ui.md_escape(ui.t('similar.part.' + str(item.get('part'))))} · {ui.md_escape(str(feature))}"
            f" · {ui.t('similar.weight')} {float(item.get('weight') or 0):.3f}\n\n"
            f"**{ui.md_escape(zone_name)}**\n\n{supports_markdown(item.get('this_zone') or [], titles)}\n\n"
            f"**{ui.md_escape(other_name)}**\n\n{supports_markdown(item.get('other_zone') or [], titles)}"
        )
    return "\n\n---\n\n".join(blocks)


def heat_map(frame: pd.DataFrame) -> alt.HConcatChart:
    """Zones (rows, grouped by family: a coloured strip) by category (columns): mechanisms held."""
    order = list(dict.fromkeys(frame["zone"]))
    strip = alt.Chart(frame).mark_rect().encode(
        y=alt.Y("zone:N", sort=order, title=ui.t("col.zone"), axis=alt.Axis(labelLimit=200)),
        color=alt.Color("family:N", title=ui.t("col.family"), scale=alt.Scale(range=list(FAMILY_COLOURS)),
                        legend=alt.Legend(orient="bottom", labelLimit=300, columns=1)),
        tooltip=[alt.Tooltip("family:N", title=ui.t("col.family"))],
    ).properties(width=16, height=alt.Step(20))
    heat = alt.Chart(frame).mark_rect().encode(
        x=alt.X("category:N", title=ui.t("col.category"),
                axis=alt.Axis(labelAngle=-40, labelOverlap=False, labelLimit=200)),
        y=alt.Y("zone:N", sort=order, axis=None),
        color=alt.Color("mechanisms:Q", title=ui.t("col.mechanisms"), scale=alt.Scale(scheme="blues")),
        tooltip=[alt.Tooltip("zone:N", title=ui.t("col.zone")), alt.Tooltip("family:N", title=ui.t("col.family")),
                 alt.Tooltip("category:N", title=ui.t("col.category")),
                 alt.Tooltip("mechanisms:Q", title=ui.t("col.mechanisms"))],
    ).properties(width=alt.Step(34), height=alt.Step(20))
    # Sized by step (per row and column), not by the container, which has no size in a hidden tab.
    return alt.hconcat(strip, heat, spacing=4).resolve_scale(color="independent")


def family_picture(g: nx.Graph, families: list[dict[str, Any]], focus: str) -> None:
    """The similarity network (each zone linked to its PICTURE_LINKS most similar), coloured by family."""
    english = ui.language() == "en"
    group_of = {z["id"]: f["family"] - 1 for f in families for z in f["zones"]}
    names = {f["family"] - 1: f"{f['family']}. {f['name_en'] if english else f['name']}" for f in families}
    members = sorted(g.nodes, key=lambda n: (group_of.get(n, 0), n))[:FAMILY_PICTURE_NODES]
    if len(g.nodes) > FAMILY_PICTURE_NODES:
        st.warning(ui.t("msg.graph.cut", total=len(g.nodes), shown=FAMILY_PICTURE_NODES))
    nodes = [ClusterNode(n, str(g.nodes[n].get("name") or n), group_of.get(n, 0),
                         (names.get(group_of.get(n, 0), ""),)) for n in members]
    kept = set(members)
    edges = [(a, b, float(w)) for a, b, w in g.edges(data="weight", default=0.0) if a in kept and b in kept]
    st.caption(ui.t("similar.cluster_note", nodes=len(nodes), edges=len(edges), links=PICTURE_LINKS) + " "
               + ui.t("graph.hint"))
    ui.show_graph(render_clusters(nodes, edges, names, focus=focus, height_px=HEIGHT_PX, node_page=ui.NODE_PAGE),
                  HEIGHT_PX)


def show_families(store: GraphStore, profiles: PracticeProfiles, focus: str) -> None:
    """The families of zones: a heat map, the network coloured by family, or the list (lazy tabs)."""
    key = ui.cache_key(store)
    try:
        families = ui.cached_families(*key, store)
    except GovkgError as err:
        ui.show_error(err)
        return
    if not families:
        st.caption(ui.t("similar.no_families"))
        return
    english = ui.language() == "en"
    st.caption(ui.t("similar.families_note"))
    tabs, shown = ui.lazy_tabs("family_tab", "families", {v: ui.t(f"similar.family_view.{v}") for v in FAMILY_VIEWS})
    with tabs["heat"]:
        if shown == "heat":
            rows = family_heat_rows(profiles, families, english, HEAT_ZONES)
            if rows:
                st.altair_chart(heat_map(pd.DataFrame(rows)), width="content")
            total = sum(len(f["zones"]) for f in families)
            if total > HEAT_ZONES:
                st.caption(ui.t("similar.heat_cut", shown=HEAT_ZONES, total=total))
    with tabs["network"]:
        if shown == "network":
            family_picture(ui.cached_similarity_graph(*key, store, PICTURE_LINKS), families, focus)
    with tabs["table"]:
        if shown == "table":
            st.dataframe(pd.DataFrame({
                ui.t("col.family"): [f["family"] for f in families],
                ui.t("col.name"): [f["name_en"] if english else f["name"] for f in families],
                ui.t("col.count"): [len(f["zones"]) for f in families],
                ui.t("col.zones"): [ui.joined(z["name"] for z in f["zones"]) for f in families],
            }), hide_index=True)


ui.page_setup("similar.title")
store = ui.require_store()

with ui.reporting_errors():
    st.markdown(ui.t_each("msg.similar.about", lambda lang: {
        "weights": ("、" if lang == "zh" else ", ").join(
            f"{tr('similar.part.' + p, lang)} {w:g}" for p, w in FEATURE_WEIGHTS.items()),
        "wording": f"{WORDING_WEIGHT:g}",
    }))
    key = ui.cache_key(store)
    zones = [e for e in ui.cached_node_entries(*key, store) if e.label == "Zone"]
    if not zones:
        st.info(ui.t("similar.none_zones"))
        st.stop()
    by_id = {z.id: z for z in zones}
    ids = list(by_id)
    start = ui.busiest_zone(store)
    zone_col, top_col = st.columns([3, 1])
    ui.restore_choice("zone", ids)
    chosen = zone_col.selectbox(ui.t("similar.zone"), ids, index=ui.initial_index("zone", ids, start),
                                format_func=ui.in_language_now(lambda i: by_id[i].caption()), key="zone")
    ui.remember_choice("zone", chosen)  # kept even when it is the opening zone: links must not depend on data
    ui.restore_choice("top", range(1, 31))
    top = int(top_col.slider(ui.t("similar.top"), 1, 30, ui.widget_default("top", 10), key="top"))
    ui.remember_choice("top", top, 10)
    zone = by_id[chosen]
    profiles = ui.cached_profiles(*key, store)
    titles = {str(d["id"]): str(d.get("title") or d.get("path") or d["id"]) for d in ui.documents(store)}
    try:
        result = ui.cached_similar(*key, store, zone.id, top)  # the id: short names can be shared
    except ZoneNotFound as err:
        ui.show_error(err)
        if err.suggestions:
            st.caption(ui.t("similar.suggest", names=ui.md_escape(ui.joined(err.suggestions))))
        st.stop()

    # Lazy tabs: only the open one runs (a 500-zone families picture costs the browser seconds).
    tabs, view = ui.lazy_tabs("similar_tab", "view", {v: ui.t(f"similar.tab.{v}") for v in VIEWS})
    ranking_tab, compare_tab, families_tab = (tabs[v] for v in VIEWS)

    ranked = result.get("similar") or []
    with ranking_tab:
        if view == "ranking":
            st.subheader(ui.t("similar.result", zone=ui.md_escape(str(result.get("zone") or zone.name))))
            if result.get("note"):
                st.info(ui.md_escape(ui.bilingual_note(str(result["note"]))))
            if not ranked:
                st.caption(ui.t("similar.no_result"))
            else:
                table: dict[str, list[Any]] = {
                    ui.t("col.rank"): list(range(1, len(ranked) + 1)),
                    ui.t("col.zone"): [str(r.get("zone")) for r in ranked],
                    ui.t("col.score"): [round(float(r.get("score") or 0), 4) for r in ranked],
                }
                for part in PARTS:
                    table[ui.t("similar.part." + part)] = [round(float((r.get("parts") or {}).get(part, 0)), 4)
                                                           for r in ranked]

                def joined(r: Mapping[str, Any], *fields: str) -> str:
                    return ui.joined(ui.feature_name(str(v)) for f in fields for v in r.get(f) or [])

                table[ui.t("col.shared_mechanisms")] = [joined(r, "shared_mechanisms") for r in ranked]
                table[ui.t("col.shared_categories")] = [joined(r, "shared_categories") for r in ranked]
                table[ui.t("col.shared_other")] = [
                    joined(r, "shared_organisation_kinds", "shared_policy_kinds", "shared_wording") for r in ranked
                ]
                numbers = [ui.t("col.score"), *(ui.t("similar.part." + p) for p in PARTS)]
                st.dataframe(pd.DataFrame(table), hide_index=True, key="ranking",
                             column_config={c: st.column_config.NumberColumn(format="%.3f") for c in numbers})
                st.caption(ui.t("similar.parts_note"))
                st.subheader(ui.t("similar.why"))
                for rank, r in enumerate(ranked[:EXPLAINED], start=1):
                    with st.expander(f"{rank}. {ui.md_escape(str(r.get('zone')))} · {float(r.get('score') or 0):.3f}"):
                        st.markdown(explanation_markdown(str(result.get("zone")), str(r.get("zone")),
                                                         r.get("explanation") or [], titles))

    with compare_tab:
        if view == "compare":
            others = [i for i in ids if i != zone.id]
            suggested = str(ranked[0].get("zone_id")) if ranked else (others[0] if others else None)
            if not others:
                st.caption(ui.t("similar.no_other"))
            else:
                ui.restore_choice("other", others)
                other_id = st.selectbox(ui.t("similar.compare_with"), others,
                                        index=ui.initial_index("other", others, suggested),
                                        format_func=ui.in_language_now(lambda i: by_id[i].caption()), key="other")
                ui.remember_choice("other", other_id)
                comparison = compare_zones(profiles, zone.id, other_id)
                score = None
                if all(comparison.profiled):
                    score = float(ui.cached_index(*key, store).compare(zone.id, other_id, explain=False)["score"])
                st.markdown(ui.t("similar.compare_head", zone=ui.md_escape(comparison.zone),
                                 other=ui.md_escape(comparison.other),
                                 score=f"{score:.3f}" if score is not None else "—"))
                for profiled, name in zip(comparison.profiled, (comparison.zone, comparison.other), strict=True):
                    if not profiled:
                        st.info(ui.t("similar.no_mechanisms", zone=ui.md_escape(name)))
                shared_col, mine_col, theirs_col = st.columns(3)
                with shared_col:
                    st.subheader(ui.t("similar.shared"))
                    st.caption(ui.t("similar.shared_note", zone=ui.md_escape(comparison.zone),
                                    other=ui.md_escape(comparison.other)))
                    if comparison.shared_mechanisms:
                        st.markdown("\n\n".join(feature_block(side, titles, "both")
                                                 for side in comparison.shared_mechanisms))
                    else:
                        st.caption(ui.t("similar.none_shared"))
                    if comparison.shared_categories:
                        names = [c.name_en if ui.language() == "en" else c.name for c in comparison.shared_categories]
                        st.markdown(f"**{ui.t('col.shared_categories')}**: " + ui.md_escape(ui.joined(names)))
                for column, name, features, which in ((mine_col, comparison.zone, comparison.only_zone, "this"),
                                                       (theirs_col, comparison.other, comparison.only_other, "other")):
                    with column:  # what only one of the two zones has
                        st.subheader(ui.t("similar.only", zone=ui.md_escape(name)))
                        if features:
                            st.markdown("\n\n".join(feature_block(side, titles, which) for side in features))
                        else:
                            st.caption(ui.t("similar.nothing_else"))

    with families_tab:
        if view == "families":
            show_families(store, profiles, zone.id)
