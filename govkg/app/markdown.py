"""Text from data made safe for st.markdown."""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~$])")


_MARKDOWN_SPECIAL_BUT_CODE = re.compile(r"([\\*_{}\[\]<>()#+\-.!|~$])")


def md_escape(text: str, *, keep_code: bool = False) -> str:
    """Text from data shown through st.markdown without markdown, LaTeX ($) or HTML taking effect.

    `keep_code` leaves backticks alone, for messages that quote a command (`govkg load`)."""
    pattern = _MARKDOWN_SPECIAL_BUT_CODE if keep_code else _MARKDOWN_SPECIAL
    return pattern.sub(r"\\\1", text)
