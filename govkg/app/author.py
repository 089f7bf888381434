"""Who the reader's corrections are by: a name set in the sidebar, kept for the session, defaulting to
GOVKG_USER (or the login name). Every correction the app makes is stamped with it."""

from __future__ import annotations

import streamlit as st

from govkg.app.language import t
from govkg.services.correcting import author_name

__all__ = ["AUTHOR_KEY", "author_field", "current_author"]

AUTHOR_KEY = "govkg_author"


def author_field() -> str:
    """The name field in the sidebar (pages that correct call it); the name now set."""
    if AUTHOR_KEY not in st.session_state:
        st.session_state[AUTHOR_KEY] = author_name()
    st.sidebar.text_input(t("corrections.author"), key=AUTHOR_KEY, help=t("corrections.author_help"))
    return current_author()


def current_author() -> str:
    """The name set in the sidebar, or GOVKG_USER's; "" when none is known (a correction is refused)."""
    return str(st.session_state.get(AUTHOR_KEY) or author_name()).strip()
