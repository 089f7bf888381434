"""Similar-zones page: pick a zone and see the zones whose practice is most like it, ranked, with each
score's parts and the shared features with the sentences behind them; compare two zones side by
side; and see the families of zones (a heat map of zones by mechanism category, and the similarity
graph coloured by family). Beside a mechanism two compared zones share, buttons reject one zone's
adoption of it or the mechanism itself (govkg/app/correct_actions.py); each of the two zones and each
shared mechanism also has the node page's whole correction form (reject, rename, re-type, merge, split
an alias; on a relationship: reject, re-attach, mark planned: govkg/app/correct_form.py), in an
expander that runs only once opened. Both write through govkg/services/correcting.py; the comparison
then shows the corrected graph, following a zone merged into another. Who corrected a fact an answer
rests on is said beside its evidence (govkg/app/provenance.py). The URL holds the zone (`zone`), the
zone compared (`other`), `top`, and the ranking's facets (a zone's level and province, `f_<column>`);
the opening zone (the one with the most mechanisms) enters the URL only once the reader picks a zone."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any

import altair as alt
import networkx as nx
import pandas as pd
import streamlit as st

from govkg.app import (
    caches,
    connection,
    error_display,
    page_frame,
    pictures,
    url_state,
)
from govkg.app.author import author_field
from govkg.app.compare import FeatureSide, compare_zones, family_heat_rows
from govkg.app.correct_actions import adopted_by, shared_mechanism_offers
from govkg.app.correct_form import correct_expander, take_corrected
from govkg.app.facet_view import facet_choices
from govkg.app.language import (
    edge_name,
    feature_name,
    joined,
    language,
    level_names_now,
    t,
    t_each,
)
from govkg.app.markdown import md_escape
from govkg.app.provenance import feature_corrections, provenance
from govkg.app.text_search_view import document_titles
from govkg.errors import GovkgError, ZoneNotFound
from govkg.graph.correction_index import corrections_behind_pair
from govkg.graph.model import Evidence, node_id
from govkg.graph.similarity import (
    FEATURE_WEIGHTS,
    PARTS,
    WORDING_WEIGHT,
    Explanation,
    SimilarZone,
    Support,
)
from govkg.graph.store import GraphStore
from govkg.graph.visual import FAMILY_COLOURS, ClusterNode, render_clusters
from govkg.i18n import edge_type_names, similarity_note, tr
from govkg.services.correcting import correct

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
REJECT_DONE = "similar_reject_done"  # what the last rejection did, shown on the next run
CORRECT_DONE = "similar_correct_done"  # what the last correction form did, shown (and followed) on the next run
FOLLOWED = ("zone", "other")  # the page's zones, which follow a zone corrected into another


def _sentences(evidence: Iterable[Evidence], titles: Mapping[str, str]) -> str:
    """Quoted sentences, each once with every document that holds it (a sheet restates its article)."""
    sources: dict[str, list[str]] = {}
    for ev in evidence:
        title = titles.get(ev.document, ev.document)
        held = sources.setdefault(ev.text, [])
        if title not in held:
            held.append(title)
    lines = []
    for text, where in list(sources.items())[:SUPPORTS_SHOWN]:
        cited = "; ".join(md_escape(w) for w in where)
        lines.append(f"> {md_escape(text)}\n>\n> — *{cited}*")
    return "\n\n".join(lines)


def supports_markdown(supports: Iterable[Support], titles: Mapping[str, str]) -> str:
    """How a zone has a feature: through which mechanism, organisation or policy, and the sentences."""
    parts = []
    for s in supports:
        how = edge_name(s.relation) if s.relation != "WORDING" else t("similar.wording_in")
        cue = f" · {t('similar.cue')} “{md_escape(s.cue)}”" if s.cue else ""
        parts.append(f"- **{md_escape(s.via)}** ({md_escape(how)}{cue})")
        quoted = _sentences(s.evidence, titles)
        if quoted:
            parts.append(quoted)
    return "\n\n".join(parts) or t("similar.no_support")


def feature_block(side: FeatureSide, titles: Mapping[str, str], which: str, behind: str = "") -> str:
    """One mechanism of the comparison as markdown: its name, who corrected it (`behind`, the
    provenance, if any), then how one or both zones have it."""
    name = side.name_en if language() == "en" and side.name_en else side.name
    parts = [f"#### {md_escape(name)}"]
    if behind:
        parts.append(f"*{md_escape(behind)}*")
    if which in ("both", "this"):
        parts.append(supports_markdown(side.this_zone, titles))
    if which == "both":
        parts.append("↔")
    if which in ("both", "other"):
        parts.append(supports_markdown(side.other_zone, titles))
    return "\n\n".join(parts)


def explanation_markdown(zone_name: str, other_name: str, items: Iterable[Explanation],
                         titles: Mapping[str, str]) -> str:
    """Why two zones are alike, as one markdown text (one element per zone keeps the page light):
    each shared feature with its share of the score and the sentences of both sides."""
    blocks = []
    for item in items:
        feature = feature_name(item.feature_en if language() == "en" else item.feature)
        blocks.append(
            f"#### {md_escape(t('similar.part.' + item.part))} · {md_escape(feature)}"
            f" · {t('similar.weight')} {item.weight:.3f}\n\n"
            f"**{md_escape(zone_name)}**\n\n{supports_markdown(item.this_zone, titles)}\n\n"
            f"**{md_escape(other_name)}**\n\n{supports_markdown(item.other_zone, titles)}"
        )
    return "\n\n---\n\n".join(blocks)


def family_colours(frame: pd.DataFrame) -> dict[str, str]:
    """Each family in the heat map (in its order: largest first) and its colour in the strip."""
    return {f: FAMILY_COLOURS[i % len(FAMILY_COLOURS)] for i, f in enumerate(dict.fromkeys(frame["family"]))}


def family_key(colours: dict[str, str]) -> str:
    """The strip's colours as HTML under the chart: a legend inside the chart made the strip's column as
    wide as the longest family name, pushing the heat map out of the page in English."""
    return "".join(
        f'<span style="display:inline-block;margin-right:14px"><span style="display:inline-block;width:10px;'
        f'height:10px;background:{colour};margin-right:4px"></span>{html.escape(name)}</span>'
        for name, colour in colours.items()
    )


def heat_map(frame: pd.DataFrame) -> alt.HConcatChart:
    """Zones (rows, grouped by family: a coloured strip) by category (columns): mechanisms held."""
    order = list(dict.fromkeys(frame["zone"]))
    colours = family_colours(frame)
    strip = alt.Chart(frame).mark_rect().encode(
        y=alt.Y("zone:N", sort=order, title=t("col.zone"), axis=alt.Axis(labelLimit=200)),
        color=alt.Color("family:N", title=t("col.family"), legend=None,
                        scale=alt.Scale(domain=list(colours), range=list(colours.values()))),
        tooltip=[alt.Tooltip("family:N", title=t("col.family"))],
    ).properties(width=16, height=alt.Step(20))
    heat = alt.Chart(frame).mark_rect().encode(
        x=alt.X("category:N", title=t("col.category"),
                axis=alt.Axis(labelAngle=-40, labelOverlap=False, labelLimit=160)),
        y=alt.Y("zone:N", sort=order, axis=None),
        color=alt.Color("mechanisms:Q", title=t("col.mechanisms"), scale=alt.Scale(scheme="blues"),
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("zone:N", title=t("col.zone")), alt.Tooltip("family:N", title=t("col.family")),
                 alt.Tooltip("category:N", title=t("col.category")),
                 alt.Tooltip("mechanisms:Q", title=t("col.mechanisms"))],
    ).properties(width=alt.Step(28), height=alt.Step(20))
    # Sized by step (per row and column), not by the container, which has no size in a hidden tab.
    return alt.hconcat(strip, heat, spacing=4).resolve_scale(color="independent")


def family_picture(g: nx.Graph, families: list[dict[str, Any]], focus: str) -> None:
    """The similarity network (each zone linked to its PICTURE_LINKS most similar), coloured by family."""
    english = language() == "en"
    group_of = {z["id"]: f["family"] - 1 for f in families for z in f["zones"]}
    names = {f["family"] - 1: f"{f['family']}. {f['name_en'] if english else f['name']}" for f in families}
    members = sorted(g.nodes, key=lambda n: (group_of.get(n, 0), n))[:FAMILY_PICTURE_NODES]
    if len(g.nodes) > FAMILY_PICTURE_NODES:
        st.warning(t("msg.graph.cut", total=len(g.nodes), shown=FAMILY_PICTURE_NODES))
    nodes = [ClusterNode(n, str(g.nodes[n].get("name") or n), group_of.get(n, 0),
                         (names.get(group_of.get(n, 0), ""),)) for n in members]
    kept = set(members)
    edges = [(a, b, float(w)) for a, b, w in g.edges(data="weight", default=0.0) if a in kept and b in kept]
    st.caption(t("similar.cluster_note", nodes=len(nodes), edges=len(edges), links=PICTURE_LINKS) + " "
               + t("graph.hint"))
    picture = render_clusters(nodes, edges, names, focus=focus, height_px=HEIGHT_PX, node_page=page_frame.NODE_PAGE,
                              words=pictures.picture_words())
    pictures.show_graph(picture, HEIGHT_PX)


def show_families(store: GraphStore, focus: str) -> None:
    """The families of zones: a heat map, the network coloured by family, or the list (lazy tabs)."""
    key = caches.cache_key(store)
    try:
        families = caches.cached_families(*key, store)
    except GovkgError as err:
        error_display.show_error(err)
        return
    if not families:
        st.caption(t("similar.no_families"))
        return
    english = language() == "en"
    st.caption(t("similar.families_note"))
    views = {v: t(f"similar.family_view.{v}") for v in FAMILY_VIEWS}
    tabs, shown = url_state.lazy_tabs("family_tab", "families", views)
    with tabs["heat"]:
        if shown == "heat":
            heat_zones = tuple(z["id"] for f in families for z in f["zones"])[:HEAT_ZONES]
            rows = family_heat_rows(caches.cached_supported(*key, store, heat_zones), families, english, HEAT_ZONES)
            if rows:
                frame = pd.DataFrame(rows)
                st.altair_chart(heat_map(frame), width="content")
                st.html(f'<div style="font-size:0.85rem">{html.escape(t("col.family"))}: '
                        f"{family_key(family_colours(frame))}</div>")  # fmt: skip
            total = sum(len(f["zones"]) for f in families)
            if total > HEAT_ZONES:
                st.caption(t("similar.heat_cut", shown=HEAT_ZONES, total=total))
    with tabs["network"]:
        if shown == "network":
            family_picture(caches.cached_similarity_graph(*key, store, PICTURE_LINKS), families, focus)
    with tabs["table"]:
        if shown == "table":
            st.dataframe(pd.DataFrame({
                t("col.family"): [f["family"] for f in families],
                t("col.name"): [f["name_en"] if english else f["name"] for f in families],
                t("col.count"): [len(f["zones"]) for f in families],
                t("col.zones"): [joined(z["name"] for z in f["zones"]) for f in families],
            }), hide_index=True)


def correct_prefix(node: str) -> str:
    """The keys of one node's correction form on this page (the page shows several)."""
    return f"similar_correct\t{node}"


def follow_correction(node: str, became: str | None) -> None:
    """Before the zone pickers: a compared zone that was merged into another shows that one; one that
    was rejected gives way to the default."""
    for key in FOLLOWED:
        if st.session_state.get(key, st.query_params.get(key)) != node:
            continue
        if became:
            st.session_state[key] = became
        else:
            st.session_state.pop(key, None)
            if key in st.query_params:
                del st.query_params[key]


def rejected_message(zone: str | None, mechanism: str, nodes: int, edges: int) -> str:
    """What a rejection did: of `zone`'s adoption of `mechanism`, or (zone None) of the mechanism."""

    def target(lang: str) -> str:
        return mechanism if zone is None else f"{zone} —{edge_type_names(lang)['ADOPTS']}→ {mechanism}"

    return t_each("correct.done", lambda lang: {
        "action": tr("corrections.action.reject", lang), "nodes": nodes, "edges": edges,
        "target": md_escape(target(lang))})  # fmt: skip


def reject_buttons(side: FeatureSide, zones: tuple[tuple[str, str], ...], adopts: dict[str, frozenset[str]],
                   author: str) -> None:  # fmt: skip
    """Beside a shared mechanism: for each zone that adopts it itself, a button rejecting that adoption;
    then one rejecting the mechanism itself (govkg/app/correct_actions.py says which fit)."""
    mechanism = side.name_en if language() == "en" and side.name_en else side.name
    names = dict(zones)
    for wanted in shared_mechanism_offers(side.key, [z for z, _ in zones], adopts):
        if wanted.target.edge is not None:
            zone_id = wanted.target.edge[1]
            label, key, why = (t("similar.reject_adoption", zone=names[zone_id]),
                               f"reject_adoption\t{zone_id}\t{side.key}", t("similar.reject_adoption_help"))
            zone: str | None = names[zone_id]
        else:
            label, key, why = t("similar.reject_mechanism"), f"reject_mechanism\t{side.key}", t(
                "similar.reject_mechanism_help")
            zone = None
        if st.button(label, key=key, disabled=not author, help=why if author else t("correct.need_author")):
            try:
                done = correct(connection.current_settings(), wanted.action, wanted.target, wanted.value,
                               author=author)  # fmt: skip
            except GovkgError as err:
                error_display.show_error(err)
            else:
                connection.release_store()
                st.session_state[REJECT_DONE] = rejected_message(zone, mechanism, done.nodes_changed,
                                                                 done.edges_changed)  # fmt: skip
                st.rerun()


page_frame.page_setup("similar.title")
author = author_field()
store = connection.require_store()
if REJECT_DONE in st.session_state:
    st.success(st.session_state.pop(REJECT_DONE))
corrected = take_corrected(CORRECT_DONE)
if corrected is not None:
    follow_correction(corrected.node, corrected.became)
    st.success(corrected.message)

with error_display.reporting_errors():
    st.markdown(t_each("msg.similar.about", lambda lang: {
        "weights": ("、" if lang == "zh" else ", ").join(
            f"{tr('similar.part.' + p, lang)} {w:g}" for p, w in FEATURE_WEIGHTS.items()),
        "wording": f"{WORDING_WEIGHT:g}",
    }))
    key = caches.cache_key(store)
    entries = caches.cached_node_entries(*key, store)
    zones = [e for e in entries if e.label == "Zone"]
    if not zones:
        st.info(t("similar.none_zones"))
        st.stop()
    by_id = {z.id: z for z in zones}
    ids = list(by_id)
    start = caches.cached_busiest_zone(*key, store)
    captions = caches.cached_captions(*key, store, language())
    zone_col, top_col = st.columns([3, 1])
    url_state.restore_choice("zone", ids)
    chosen = zone_col.selectbox(t("similar.zone"), ids, index=url_state.initial_index("zone", ids, start),
                                format_func=captions.__getitem__, key="zone")
    url_state.remember_opening("zone", chosen, start)  # the opening zone stays out of the URL: one Back leaves
    url_state.restore_choice("top", range(1, 31))
    top = int(top_col.slider(t("similar.top"), 1, 30, url_state.widget_default("top", 10), key="top"))
    url_state.remember_choice("top", top, 10)
    zone = by_id[chosen]
    titles = document_titles(*key, store)
    try:
        result = caches.cached_similar(*key, store, zone.id, top)  # the id: short names can be shared
    except ZoneNotFound as err:
        error_display.show_error(err)
        if err.suggestions:
            st.caption(t("similar.suggest", names=md_escape(joined(err.suggestions))))
        st.stop()

    # Lazy tabs: only the open one runs (a 500-zone families picture costs the browser seconds).
    tabs, view = url_state.lazy_tabs("similar_tab", "view", {v: t(f"similar.tab.{v}") for v in VIEWS})
    ranking_tab, compare_tab, families_tab = (tabs[v] for v in VIEWS)

    ranked = result.similar
    with ranking_tab:
        if view == "ranking":
            st.subheader(t("similar.result", zone=md_escape(result.zone or zone.name)))
            if result.note:
                st.info(md_escape(similarity_note(result.note, result.zone, language())))
            if not ranked:
                st.caption(t("similar.no_result"))
            else:
                levels = {z.id: z.level for z in zones}
                tops = caches.cached_provinces(*key, store).by_id
                narrowed = facet_choices(pd.DataFrame({"level": [levels.get(r.zone_id, "") for r in ranked],
                                                       "province": [tops.get(r.zone_id, "") for r in ranked]}),
                                         {"level": level_names_now()}, scope="similar", columns=("level", "province"),
                                         title=t("facets.similar"))  # fmt: skip
                ranks = [int(i) + 1 for i in narrowed.index]  # a zone keeps its place in the whole ranking
                if len(ranks) < len(ranked):
                    st.caption(t("facets.similar_shown", shown=len(ranks), total=len(ranked)))
                listed = [ranked[r - 1] for r in ranks]

                def strongest(r: SimilarZone) -> str:
                    """The three features giving most of the score, in the reader's language."""
                    top = [feature_name(e.feature_en if language() == "en" else e.feature) for e in r.strongest(3)]
                    more = len(r.explanation) - len(top)
                    return joined(top) + (f" {t('similar.more_features', count=more)}" if more > 0 else "")

                # The ranking first: score bar and the strongest shared features; parts and lists after.
                table: dict[str, list[Any]] = {
                    t("col.rank"): ranks,
                    t("col.zone"): [r.zone for r in listed],
                    t("col.score"): [round(r.score, 4) for r in listed],
                    t("col.strongest"): [strongest(r) for r in listed],
                }
                for part in PARTS:
                    table[t("similar.part." + part)] = [round(r.parts.get(part, 0.0), 4)
                                                           for r in listed]

                def named(values: Iterable[str]) -> str:
                    return joined(feature_name(v) for v in values)

                table[t("col.shared_mechanisms")] = [named(r.shared_mechanisms) for r in listed]
                table[t("col.shared_categories")] = [named(r.shared_categories) for r in listed]
                table[t("col.shared_other")] = [
                    named((*r.shared_organisation_kinds, *r.shared_policy_kinds, *r.shared_wording)) for r in listed
                ]
                numbers = [t("similar.part." + p) for p in PARTS]
                shown = {c: st.column_config.NumberColumn(format="%.3f") for c in numbers}
                shown[t("col.score")] = st.column_config.ProgressColumn(format="%.3f", min_value=0.0, max_value=1.0)
                st.dataframe(pd.DataFrame(table), hide_index=True, key="ranking", column_config=shown)
                st.caption(t("similar.left_out", zone=md_escape(result.zone or zone.name)) + " "
                           + t("similar.parts_note"))  # fmt: skip
                st.subheader(t("similar.why"))
                kept = store.corrections()
                for rank, r in list(zip(ranks, listed, strict=True))[:EXPLAINED]:
                    with st.expander(f"{rank}. {md_escape(r.zone)} · {r.score:.3f}"):
                        behind = corrections_behind_pair(kept, (result.zone_id, r.zone_id),
                                                         [node_id("Mechanism", m) for m in r.shared_mechanisms])
                        if behind:  # the answer rests on what researchers corrected: say so beside the evidence
                            st.caption(md_escape(provenance(behind)))
                        st.markdown(explanation_markdown(result.zone, r.zone, r.explanation, titles))

    with compare_tab:
        if view == "compare":
            others = [i for i in ids if i != zone.id]
            suggested = ranked[0].zone_id if ranked else (others[0] if others else None)
            if not others:
                st.caption(t("similar.no_other"))
            else:
                url_state.restore_choice("other", others)
                other_id = st.selectbox(t("similar.compare_with"), others,
                                        index=url_state.initial_index("other", others, suggested),
                                        format_func=captions.__getitem__, key="other")
                url_state.remember_choice("other", other_id)
                comparison = compare_zones(caches.cached_supported(*key, store, (zone.id, other_id)), zone.id, other_id)
                kept_now = store.corrections()

                def corrected_note(side: FeatureSide) -> str:
                    """Who corrected this mechanism, or either zone's adoption of it."""
                    return provenance(feature_corrections(kept_now, side.key, (zone.id, other_id)))

                score = None
                if all(comparison.profiled):
                    score = caches.cached_index(*key, store).compare(zone.id, other_id, explain=False).score
                st.markdown(t("similar.compare_head", zone=md_escape(comparison.zone),
                                 other=md_escape(comparison.other),
                                 score=f"{score:.3f}" if score is not None else "—"))
                for profiled, name in zip(comparison.profiled, (comparison.zone, comparison.other), strict=True):
                    if not profiled:
                        st.info(t("similar.no_mechanisms", zone=md_escape(name)))
                for column, compared, name in zip(st.columns(2), (zone.id, other_id),
                                                  (comparison.zone, comparison.other), strict=True):  # fmt: skip
                    with column:  # each zone's own correction form: the zone, its adoptions, its other links
                        correct_expander(store, compared, t("similar.correct_zone", zone=md_escape(name)), entries,
                                         author, done_key=CORRECT_DONE, prefix=correct_prefix(compared),
                                         follows=True)  # fmt: skip
                shared_col, mine_col, theirs_col = st.columns(3)
                with shared_col:
                    st.subheader(t("similar.shared"))
                    st.caption(t("similar.shared_note", zone=md_escape(comparison.zone),
                                    other=md_escape(comparison.other)))
                    if comparison.shared_mechanisms:
                        pair = ((zone.id, comparison.zone), (other_id, comparison.other))
                        adopts = {z: adopted_by(store, z) for z, _ in pair}
                        if not author:
                            st.warning(t("correct.need_author"))
                        for side in comparison.shared_mechanisms:
                            st.markdown(feature_block(side, titles, "both", corrected_note(side)))
                            reject_buttons(side, pair, adopts, author)
                            correct_expander(store, side.key, t("similar.correct_mechanism"), entries, author,
                                             done_key=CORRECT_DONE, prefix=correct_prefix(side.key),
                                             follows=False)  # fmt: skip
                    else:
                        st.caption(t("similar.none_shared"))
                    if comparison.shared_categories:
                        names = [c.name_en if language() == "en" else c.name for c in comparison.shared_categories]
                        st.markdown(f"**{t('col.shared_categories')}**: " + md_escape(joined(names)))
                for column, name, features, which in ((mine_col, comparison.zone, comparison.only_zone, "this"),
                                                       (theirs_col, comparison.other, comparison.only_other, "other")):
                    with column:  # what only one of the two zones has
                        st.subheader(t("similar.only", zone=md_escape(name)))
                        if features:
                            st.markdown("\n\n".join(feature_block(side, titles, which, corrected_note(side))
                                                      for side in features))  # fmt: skip
                        else:
                            st.caption(t("similar.nothing_else"))

    with families_tab:
        if view == "families":
            show_families(store, zone.id)
