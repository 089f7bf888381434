"""A page's state in its URL: a widget's choice restored from a link on arrival and written back
after, so a copied link reopens the same view. The URL holds plain ids and codes, never display text."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st


def restore_choice(key: str, options: Sequence[Any], *, url_key: str | None = None) -> None:
    """Before a keyed widget: on arrival take its value from the URL parameter `url_key` (default:
    `key`; a link someone copied), and drop a held value the options no longer offer (a new search)."""
    if key in st.session_state and st.session_state[key] not in options:
        del st.session_state[key]
    if key not in st.session_state:
        wanted = _from_url(st.query_params.get(url_key or key), options)
        if wanted is not None:
            st.session_state[key] = wanted


def _from_url(raw: str | None, options: Sequence[Any]) -> Any:
    if raw is None:
        return None
    for option in options:
        if str(option) == raw:
            return option
    return None


def remember_choice(key: str, value: Any, default: Any = None) -> None:
    """After the widget: keep its value in the URL so a copied link reopens the same view (the default
    is left out to keep links short). The URL holds plain ids and codes, never display text."""
    if value is None or value == default:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != str(value):
        st.query_params[key] = str(value)


def subject_changed(scope: str, subject: str) -> bool:
    """Whether a page's list shows another subject than on its last run (the reader chose another saved
    query), so that state made for the last one (its parameters, its facet choices) is to be dropped;
    False on the page's first run, so a link opened fresh keeps its own. Ask once a run."""
    held = f"subject__{scope}"
    previous = st.session_state.get(held)
    st.session_state[held] = subject
    return previous is not None and previous != subject


def remember_opening(key: str, value: Any, opening: Any) -> None:
    """remember_choice for a widget whose first value the data chose (the zone with the most mechanisms,
    the first saved query), not the reader or a link: while it shows that opening value and the URL does
    not hold the key, the URL is left alone. Streamlit's front end adds a browser-history entry whenever a
    run changes the URL, unless the run follows Back; writing the opening value on arrival made Back land
    on the same page, so leaving it took two presses. Once the reader chooses, the URL holds the choice."""
    if key not in st.query_params and value == opening:
        return
    remember_choice(key, value)


def initial_index(key: str, options: Sequence[Any], preferred: Any = None) -> int:
    """The index a keyed selectbox starts at: 0 when session state (or the URL) already holds its value,
    so Streamlit sees no competing default; else the preferred option's place."""
    if key in st.session_state or preferred not in options:
        return 0
    return list(options).index(preferred)


def widget_default(key: str, default: int) -> int | None:
    """A keyed widget's default, or None when session state (or the URL) already holds its value, so
    Streamlit sees no competing default."""
    return None if key in st.session_state else default


def lazy_tabs(key: str, url_key: str, labels: Mapping[str, str]) -> tuple[dict[str, Any], str]:
    """Tabs of which only the open one's content needs to run: (code -> tab container, open code).
    The open tab is kept in the URL as its code (`url_key`), not its label, which changes with the
    language; a tab chosen in the other language stays open after a switch."""
    codes = list(labels)
    names = [labels[c] for c in codes]
    code_key = f"{key}__code"
    if st.session_state.get(key) not in names:
        wanted = st.session_state.get(code_key) or st.query_params.get(url_key)
        if isinstance(wanted, str) and wanted in labels:
            st.session_state[key] = labels[wanted]
        elif key in st.session_state:
            del st.session_state[key]
    tabs = st.tabs(names, key=key, on_change="rerun")
    opened = next((c for c, tab in zip(codes, tabs, strict=True) if tab.open), codes[0])
    st.session_state[code_key] = opened
    remember_choice(url_key, opened, codes[0])
    return dict(zip(codes, tabs, strict=True)), opened


def restore_many(key: str, options: Sequence[str]) -> None:
    """restore_choice for a multiselect: the URL holds the chosen options joined by commas."""
    if key in st.session_state:
        held = [v for v in st.session_state[key] if v in options]
        if held != list(st.session_state[key]):
            st.session_state[key] = held
        return
    raw = st.query_params.get(key)
    if raw is not None:
        st.session_state[key] = [v for v in raw.split(",") if v in options] if raw else []


def remember_many(key: str, values: Sequence[str], default: Sequence[str]) -> None:
    remember_choice(key, None if list(values) == list(default) else ",".join(values))
