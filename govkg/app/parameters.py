"""A saved query's parameters as widgets, by type, each value kept in the URL as `p_<name>`."""

from __future__ import annotations

from contextlib import suppress
from typing import Any

import streamlit as st

from govkg.app.caches import CACHE_SECONDS
from govkg.app.connection import current_settings, data_version, store_key
from govkg.app.language import both, field_names_now, in_language_now, t
from govkg.app.url_state import initial_index, remember_choice, remember_opening, restore_choice
from govkg.errors import GovkgError
from govkg.graph.saved_queries import QueryParam, SavedQuery, param_choices
from govkg.graph.store import GraphStore

PARAM_URL_PREFIX = "p_"  # a saved query's parameter `zone` lives in the URL as `p_zone`
QUERY_URL_KEY = "query"  # the saved-queries page's chosen query in the URL


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def cached_choices(key: str, version: tuple[tuple[str, int], ...], query_name: str, param_name: str,
                   _store: GraphStore, _query: SavedQuery) -> list[str]:
    """The values a form offers for a parameter: its choices query's first column, distinct, in order."""
    seen: dict[str, None] = {}
    for value in param_choices(_store, _query, param_name, limit=2000):
        if value not in (None, ""):
            seen.setdefault(str(value), None)
    return list(seen)


def _param_label(param: QueryParam) -> tuple[str, str | None]:
    description = str(param.description or "")
    if " | " in description:  # "中文 | English", as the query files write it
        zh, _, en = description.partition(" | ")
        description = both(zh, en)
    # Named in the reader's language; the identifier (for links and `--param`) stays in the help.
    name = field_names_now().get(param.name, param.name)
    about = f"{description}\n\n`{param.name}`" if description else f"`{param.name}`"
    return f"{name} ({t('queries.type.' + param.type)})", about


def _restore_typed(key: str, url_key: str, param: QueryParam) -> None:
    """On arrival, a parameter's value from the URL (`p_<name>`), converted to its type."""
    raw = st.query_params.get(url_key)
    if key in st.session_state or raw is None:
        return
    with suppress(GovkgError):
        st.session_state[key] = param.coerce(raw, where="link")


def parameter_input(store: GraphStore, query: SavedQuery, param: QueryParam) -> Any:
    """One saved-query parameter's widget, by its type: a picker of the values its choices query
    yields (the default first, as the query's author chose it; an empty default reads "all"), else a
    text box, a number box or a checkbox. The value is kept in the URL as `p_<name>`."""
    key = f"param__{query.name}__{param.name}"
    url_key = PARAM_URL_PREFIX + param.name
    label, help_text = _param_label(param)
    value: Any
    if param.type == "bool":
        _restore_typed(key, url_key, param)
        start: dict[str, Any] = {} if key in st.session_state else {"value": bool(param.default)}
        value = st.checkbox(label, help=help_text, key=key, **start)
    elif param.type in ("int", "float"):
        _restore_typed(key, url_key, param)
        number: Any = int if param.type == "int" else float
        default = None if key in st.session_state or param.default is None else number(param.default)
        kwargs: dict[str, Any] = {"step": 1} if param.type == "int" else {"step": 0.1, "format": "%g"}
        if key not in st.session_state:
            kwargs["value"] = default
        value = st.number_input(label, help=help_text, key=key, **kwargs)
    else:
        default = "" if param.default is None else str(param.default)
        choices: list[str] = []
        if param.choices_query:
            try:
                choices = cached_choices(store_key(current_settings()), data_version(store), query.name, param.name,
                                         store, query)
            except GovkgError:
                st.caption(t("queries.choices_failed", param=param.name))
        if choices:
            if default not in choices:
                choices = [default, *choices]
            restore_choice(key, choices, url_key=url_key)
            value = st.selectbox(label, choices, index=initial_index(key, choices, default), help=help_text, key=key,
                                 format_func=in_language_now(lambda v: v if v else t("queries.all")))
        else:
            if key not in st.session_state and url_key in st.query_params:
                st.session_state[key] = st.query_params[url_key]
            text_start: dict[str, Any] = {} if key in st.session_state else {"value": default}
            value = st.text_input(label, help=help_text, key=key, **text_start)
    if QUERY_URL_KEY in st.query_params:
        # A query the reader chose or a link gave: its values kept even at their defaults, so that a link
        # gives the same result if the query's default changes.
        remember_choice(url_key, _url_value(value))
    else:  # the page's opening query, untouched: the URL stays as it came (url_state.remember_opening)
        remember_opening(url_key, _url_value(value), _url_value(_opening(param)))
    return value


def _opening(param: QueryParam) -> Any:
    """The value a parameter's widget starts at (its default, as parameter_input reads it)."""
    if param.type == "bool":
        return bool(param.default)
    if param.type in ("int", "float"):
        return None if param.default is None else (int if param.type == "int" else float)(param.default)
    return "" if param.default is None else str(param.default)


def _url_value(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(value)
    return str(value)


def forget_other_params(query: SavedQuery, *, chosen_now: bool) -> None:
    """Drop `p_*` URL parameters that are not this query's: all of them when the reader has just chosen
    another query (`chosen_now`, from url_state.subject_changed: the last one's `limit` is no value of
    this one's, even under the same name), else those it does not take. A link opened fresh keeps its
    own parameters."""
    wanted = set() if chosen_now else {PARAM_URL_PREFIX + p.name for p in query.params}
    for name in list(st.query_params):
        if name.startswith(PARAM_URL_PREFIX) and name not in wanted:
            del st.query_params[name]
