"""Similar-zones page: pick a zone and see the zones that share the most with it, ranked, with the
score, its parts and the shared features."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from govkg import app_support as ui
from govkg.errors import ZoneNotFound
from graph.similarity import CATEGORY_WEIGHT, MECHANISM_WEIGHT, similar_zones

ui.page_setup("similar.title")
store = ui.require_store()

with ui.reporting_errors():
    st.markdown(ui.t("msg.similar.about", mechanism_weight=f"{MECHANISM_WEIGHT:g}",
                     category_weight=f"{CATEGORY_WEIGHT:g}"))
    key = ui.store_key(ui.current_settings())
    zones = [e for e in ui.cached_node_entries(key, ui.data_version(store), store) if e.label == "Zone"]
    if not zones:
        st.info(ui.t("similar.none_zones"))
        st.stop()
    by_id = {z.id: z for z in zones}
    ids = list(by_id)
    start = ui.busiest_zone(store)
    zone_col, top_col = st.columns([3, 1])
    ui.restore_choice("zone", ids)
    chosen = zone_col.selectbox(ui.t("similar.zone"), ids, index=ui.initial_index("zone", ids, start),
                                format_func=lambda i: by_id[i].caption(), key="zone")
    ui.remember_choice("zone", chosen, start)
    ui.restore_choice("top", range(1, 31))
    top = int(top_col.slider(ui.t("similar.top"), 1, 30, ui.widget_default("top", 10), key="top"))
    ui.remember_choice("top", top, 10)
    zone = by_id[chosen]
    try:
        result = similar_zones(store, zone.id, top=top)  # the id: short names can be shared
    except ZoneNotFound as err:
        ui.show_error(err)
        if err.suggestions:
            st.caption(ui.t("similar.suggest", names=ui.md_escape("、".join(err.suggestions))))
        st.stop()

    st.subheader(ui.t("similar.result", zone=ui.md_escape(str(result.get("zone") or zone.name))))
    if result.get("note"):
        st.info(ui.bilingual_note(str(result["note"])))
    ranked = result.get("similar") or []
    if not ranked:
        st.caption(ui.t("similar.no_result"))
    else:
        st.table(pd.DataFrame({
            ui.t("col.rank"): list(range(1, len(ranked) + 1)),
            ui.t("col.zone"): [str(r.get("zone")) for r in ranked],
            ui.t("col.score"): [f"{float(r.get('score') or 0):.3f}" for r in ranked],
            ui.t("col.parts"): [ui.format_parts(r.get("parts")) for r in ranked],
            ui.t("col.shared_mechanisms"): ["、".join(map(str, r.get("shared_mechanisms") or [])) for r in ranked],
            ui.t("col.shared_categories"): ["、".join(map(str, r.get("shared_categories") or [])) for r in ranked],
        }), hide_index=True)
