"""The frame of every page: its config and title, the sidebar with the language switch, the pages
named in the reader's language, and where the store is."""

from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitAPIException

from govkg.app.connection import current_settings, release_store
from govkg.app.language import LANGUAGE_KEY, language_or_default, t
from govkg.app.markdown import md_escape
from govkg.app.url_state import remember_choice
from govkg.i18n import DEFAULT_LANGUAGE, LANGUAGES, tr

NODE_PAGE = "Node"  # the URL path of pages/2_Node.py, which pictures link to
# The reader's language across pages. The switch's own value does not outlive its page: on another
# page Streamlit makes a new widget, which started at its default (seen in Chromium, Streamlit 1.67), so
# a reader in English reached the next page in both languages. A link's `lang` counts in a new session.
HELD_LANGUAGE = "govkg_language"


# The app's pages: script (relative to app.py), URL path, message id of its name in the sidebar.
PAGES: tuple[tuple[str, str, str], ...] = (
    ("app.py", "", "nav.overview"),
    ("pages/1_Graph.py", "Graph", "nav.graph"),
    ("pages/2_Node.py", "Node", "nav.node"),
    ("pages/7_Search.py", "Search", "nav.search"),
    ("pages/3_Saved_queries.py", "Saved_queries", "nav.queries"),
    ("pages/4_Similar_zones.py", "Similar_zones", "nav.similar"),
    ("pages/8_Map.py", "Map", "nav.map"),
    ("pages/5_Load.py", "Load", "nav.load"),
    ("pages/6_Corrections.py", "Corrections", "nav.corrections"),
)


def page_setup(title_key: str) -> None:
    """Page config, the sidebar (language switch, store), then the page title. Call first on every page."""
    st.set_page_config(page_title=tr(title_key, "both").replace("\n\n", " / "), layout="wide")
    sidebar()
    st.title(t(title_key))


def sidebar() -> None:
    """Language switch, the pages named in the reader's language, and where the store is. Renders
    before the page body so the body uses the choice."""
    st.sidebar.markdown(f"**govkg** · {t('sidebar.brand')}")
    held = st.session_state.get(HELD_LANGUAGE)
    wanted = language_or_default(held if held is not None else st.query_params.get(LANGUAGE_KEY))
    chosen = st.sidebar.radio(
        t("lang.label"),
        LANGUAGES,
        index=LANGUAGES.index(wanted),
        format_func=lambda mode: tr(f"lang.{mode}", "zh"),
        key=LANGUAGE_KEY,
    )
    st.session_state[HELD_LANGUAGE] = chosen
    remember_choice(LANGUAGE_KEY, chosen, DEFAULT_LANGUAGE)
    navigation(chosen)
    settings = current_settings()
    st.sidebar.caption(f"{t('sidebar.store')}: {md_escape(settings.describe())}")
    if st.sidebar.button(t("sidebar.reload"), help=t("sidebar.reload_help"), key="govkg_reload"):
        release_store()


def navigation(lang: str) -> None:
    """Links to every page, named in the reader's language (Streamlit's own list shows file names,
    so .streamlit/config.toml hides it). The language travels in the link, so the next page's URL holds
    it from the start: a page that changed its URL on arrival took two presses of Back to leave."""
    params = {LANGUAGE_KEY: lang} if lang != DEFAULT_LANGUAGE else None
    for script, path, key in PAGES:
        try:
            st.sidebar.page_link(script, label=t(key), query_params=params)
        except StreamlitAPIException:
            # A page run on its own (AppTest) knows no other pages: plain links do the same job.
            query = f"?{LANGUAGE_KEY}={lang}" if params else ""
            st.sidebar.markdown(f"[{md_escape(t(key))}](./{path}{query})")
