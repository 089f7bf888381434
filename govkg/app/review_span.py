"""The span of the Load page's review, typed into its field or selected in the shown text.

A selection (span_picker, in the preview) fills the field with the selected words and remembers
their place (document, start, end), so what is added from them takes the sentence they were selected
in, not the first occurrence of the same words elsewhere. Typing in the field forgets the place: typed
words are found where they first occur (review.find_span). A selection the review refuses (only
whitespace, a place outside the text) is kept for the page to say why.

The functions take the session state as a mapping (st.session_state on the page), so they run
without Streamlit; the selection callback runs before the script, so it may fill the field.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

from govkg.app.review import Found, Refused, span_at
from govkg.graph.model import GraphDocument

__all__ = ["FIELD", "PLACE", "REFUSED", "Place", "forget_place", "refusal", "select", "span_in_field"]

FIELD = "review_span"  # the text field's key
PLACE = "review_span_place"  # Place: where the field's words were selected
REFUSED = "review_span_refused"  # Refused: why the last selection was not taken

State = MutableMapping[Any, Any]  # st.session_state (its keys are str or int), or a dict in a test


@dataclass(frozen=True)
class Place:
    """Where the reader selected the words the field holds."""

    document: str
    start: int
    end: int
    words: str


def select(state: State, graph: GraphDocument, document_id: str, start: int, end: int) -> None:
    """A selection of characters [start, end) of a document: its words into the field, its place
    remembered; or, refused, the field and place left as they were and the refusal kept."""
    try:
        found = span_at(graph, document_id, start, end)
    except Refused as err:
        state[REFUSED] = err
        return
    state[FIELD] = found.words
    state[PLACE] = Place(found.document, found.start, found.end, found.words)
    state.pop(REFUSED, None)


def forget_place(state: State) -> None:
    """The reader edited the field by hand: the words they typed count, wherever they occur first."""
    state.pop(PLACE, None)
    state.pop(REFUSED, None)


def refusal(state: State) -> Refused | None:
    """Why the last selection was not taken, once (None when it was)."""
    refused = state.pop(REFUSED, None)
    return refused if isinstance(refused, Refused) else None


def span_in_field(state: State, graph: GraphDocument, typed: str) -> str | Found:
    """What to add from: the selected place while the field still holds its words (found again in
    `graph`, the upload as reviewed now), else the field's words as typed (also when the place's
    document is no longer uploaded)."""
    place = state.get(PLACE)
    if not isinstance(place, Place) or place.words != typed:
        return typed
    try:
        return span_at(graph, place.document, place.start, place.end)
    except Refused:
        return typed
