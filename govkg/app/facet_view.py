"""Facets drawn over any list a page shows (a saved query's rows, search hits, the node picker's
matches, the similar-zones ranking): each facet (govkg/app/facets.py) as buttons with counts, several
values at once, the choices kept in the URL as `f_<column>` (values joined by |) so a copied link
reopens the same narrowed list. Values a new list no longer holds are dropped, never an error."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import streamlit as st

from govkg.app import url_state
from govkg.app.facets import FACET_COLUMNS, facets, filtered
from govkg.app.language import field_names_now, in_language_now, t

__all__ = ["FACET_URL_PREFIX", "facet_choices", "forget_facets"]

FACET_URL_PREFIX = "f_"
_SEPARATOR = "|"


def _session_key(scope: str, column: str) -> str:
    return f"facet__{scope}__{column}"


def forget_facets(scope: str) -> None:
    """Drop a page's facet choices from the session and the URL: its list changed subject (another saved
    query has other columns; url_state.subject_changed tells)."""
    for name in [n for n in st.query_params if n.startswith(FACET_URL_PREFIX)]:
        del st.query_params[name]
    for name in [n for n in st.session_state if str(n).startswith(_session_key(scope, ""))]:
        del st.session_state[name]


def facet_choices(frame: pd.DataFrame, named: dict[str, dict[str, str]], *, scope: str,
                  columns: Sequence[str] = FACET_COLUMNS, title: str | None = None,
                  headings: Mapping[str, str] | None = None) -> pd.DataFrame:  # fmt: skip
    """Each facet of `frame`'s `columns` as buttons with counts, in an expander titled `title` (default:
    the saved queries' wording), open when the URL holds a choice; the rows the choices leave. `named`
    words a column's values (code -> the reader's name); a column's name comes from `headings`, else
    i18n FIELD_NAMES."""
    found = facets(frame, columns)
    shown = {f.column for f in found}
    for column in columns:  # a facet this list does not offer cannot narrow it: keep the URL honest
        if column not in shown and FACET_URL_PREFIX + column in st.query_params:
            del st.query_params[FACET_URL_PREFIX + column]
    if not found:
        return frame
    chosen: dict[str, list[str]] = {}
    opened = any(FACET_URL_PREFIX + f.column in st.query_params for f in found)
    with st.expander(title or t("facets.title"), expanded=opened):
        for facet in found:
            key, url_key = _session_key(scope, facet.column), FACET_URL_PREFIX + facet.column
            values = [v for v, _ in facet.counts]
            count = dict(facet.counts)
            if key in st.session_state:
                st.session_state[key] = [v for v in st.session_state[key] or [] if v in count]
            elif url_key in st.query_params:
                st.session_state[key] = [v for v in st.query_params[url_key].split(_SEPARATOR) if v in count]
            names = named.get(facet.column, {})

            def worded(value: str, n: dict[str, str] = names, c: dict[str, int] = count) -> str:
                return f"{n.get(value, value) or t('facets.none')} · {c[value]}"

            heading = (headings or {}).get(facet.column) or field_names_now().get(facet.column, facet.column)
            picked = st.pills(heading, values, selection_mode="multi",
                              key=key, format_func=in_language_now(worded))  # fmt: skip
            chosen[facet.column] = list(picked or [])
            url_state.remember_choice(url_key, _SEPARATOR.join(chosen[facet.column]) or None)
    return filtered(frame, chosen)
