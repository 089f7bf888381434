"""Expected failures shown to the reader in their language; never a traceback."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from govkg.app.language import t
from govkg.app.markdown import md_escape
from govkg.app.query_worker import DEADLINE
from govkg.errors import GovkgError, QueryStopped


def show_error(err: GovkgError) -> None:
    """An expected failure, shown to the reader with a bilingual prefix; never a traceback. A query the
    worker process stopped is worded in the reader's language."""
    if isinstance(err, QueryStopped) and err.reason in _STOPPED:
        st.error(t(_STOPPED[err.reason], seconds=f"{DEADLINE:.0f}")
                 if err.reason == "deadline" else t(_STOPPED[err.reason]))
        return
    st.error(f"{t('error.prefix')}: {md_escape(str(err), keep_code=True)}")


_STOPPED = {"memory": "msg.query_stopped.memory", "deadline": "msg.query_stopped.deadline",
            "crashed": "msg.query_stopped.crashed"}


@contextmanager
def reporting_errors() -> Iterator[None]:
    """Wrap a page body: any GovkgError inside is shown with st.error and the page goes on."""
    try:
        yield
    except GovkgError as err:
        show_error(err)
