"""The reader's language: the mode the sidebar switch holds (or the link carried), and the
app's words, names of labels, levels, relationship types and features, in that mode."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
from typing import Any

import streamlit as st

from govkg.i18n import (
    edge_type_names,
    field_names,
    kind_feature_name,
    label_names,
    language_or_default,
    pair,
    tr,
    zone_level_names,
)

LANGUAGE_KEY = "lang"  # the widget key, the session-state key and the URL query parameter


_FIXED_LANGUAGE: ContextVar[str | None] = ContextVar("govkg_fixed_language", default=None)


def language() -> str:
    """The reader's language mode: the sidebar switch's value; before it first renders, the `lang` URL
    parameter (so a copied link opens in the same language), else the default."""
    fixed = _FIXED_LANGUAGE.get()
    if fixed is not None:
        return fixed
    if LANGUAGE_KEY in st.session_state:
        return language_or_default(st.session_state[LANGUAGE_KEY])
    return language_or_default(st.query_params.get(LANGUAGE_KEY))


def t_each(key: str, values: Callable[[str], Mapping[str, object]]) -> str:
    """Message `key` whose filled-in values are themselves texts in a language (names of parts):
    each language's half gets the values in that language."""
    lang = language()
    if lang in ("zh", "en"):
        return tr(key, lang, **values(lang))
    return f"{tr(key, 'zh', **values('zh'))}\n\n{tr(key, 'en', **values('en'))}"


def in_language_now(func: Callable[[Any], str]) -> Callable[[Any], str]:
    """A widget's format_func that shows options in the language of this run, whenever it is called
    (Streamlit, and AppTest, may call it again outside the run)."""
    lang = language()

    def shown(value: Any) -> str:
        token = _FIXED_LANGUAGE.set(lang)
        try:
            return func(value)
        finally:
            _FIXED_LANGUAGE.reset(token)

    return shown


def t(key: str, **values: object) -> str:
    """Message `key` in the reader's language."""
    return tr(key, language(), **values)


def label_name(label: str) -> str:
    return label_names(language()).get(label, label)


def level_name(level: str) -> str:
    return zone_level_names(language()).get(level, level)


def feature_name(feature: str) -> str:
    """A shared similarity feature in the reader's language (organisation and policy kinds get names)."""
    return kind_feature_name(feature, language())


def edge_name(edge_type: str) -> str:
    return edge_type_names(language()).get(edge_type, edge_type)


def both(zh: str, en: str, *, paragraph: bool = False) -> str:
    """A text from data given in both languages, shown in the reader's language mode."""
    return pair(zh or "", en or "", language(), paragraph=paragraph)


def joined(values: Iterable[object]) -> str:
    """A list of names as one text: 、 between them in Chinese, a comma in English."""
    return (", " if language() == "en" else "、").join(str(v) for v in values)


def label_names_now() -> dict[str, str]:
    """Every label's name in the reader's language (for pictures and legends)."""
    return label_names(language())


def edge_names_now() -> dict[str, str]:
    return edge_type_names(language())


def field_names_now() -> dict[str, str]:
    """Saved queries' columns and parameters named in the reader's language."""
    return field_names(language())


def level_names_now() -> dict[str, str]:
    return zone_level_names(language())
