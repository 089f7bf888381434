"""A document's text that reports the characters a reader selects in it with the mouse.

A Streamlit custom component (st.components.v2: inline HTML, CSS and JavaScript, no build step,
nothing fetched). The text arrives as data, never as the component's markup: `body` is its HTML from
govkg/app/highlight.py (every character escaped, the only tags that module's own), set inside the
component's text box, and `text` the text itself. Should the two disagree (an HTML parser drops a NUL
character), the box shows `text` through textContent, unmarked, so offsets stay exact.

When a selection ends inside the box (mouseup or keyup), the script reports its start and end as
offsets into `text` in Python's terms (code points): the prefix before the selection is measured with
a Range from the box's start, so the highlight <mark>s do not shift it, and counted with Array.from,
as JavaScript's own lengths count UTF-16 units (a character beyond the Basic Multilingual Plane, such
as 𠀀, is two). A selection reaching outside the box is ignored.

Mounted without style isolation: a selection inside a shadow root is not one document.getSelection()
reports the same way in every browser. Its CSS is scoped to its own class instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

__all__ = ["NAME", "SELECTION", "TEXT_CLASS", "Selection", "selection_of", "span_picker"]

NAME = "govkg_span_picker"  # the component's name in the app (AppTest shows it as a bidi_component)
SELECTION = "selection"  # the component's trigger: {"start": int, "end": int}
TEXT_CLASS = "govkg-span-text"  # the box holding the text (a test finds the characters in it)

# The script below names the trigger ("selection") and the box's class ("govkg-span-text") as these do.
_HTML = '<div class="govkg-span-picker"><div class="govkg-span-legend"></div><div class="govkg-span-text"></div></div>'

_CSS = """
.govkg-span-picker .govkg-span-text {
  cursor: text;
  user-select: text;
  line-height: 1.7;
  font-size: 0.95rem;
  white-space: pre-wrap;
  word-break: break-word;
}
"""

_JS = """
export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  const legend = parentElement.querySelector(".govkg-span-legend");
  const box = parentElement.querySelector(".govkg-span-text");
  const text = String(data?.text ?? "");
  // Both HTML strings were escaped by govkg/app/highlight.py: the data's characters are text in them.
  legend.innerHTML = String(data?.legend ?? "");
  box.innerHTML = String(data?.body ?? "");
  if (box.textContent !== text) {
    box.textContent = text;  // the markup lost a character: exact offsets matter more than highlights
  }

  let reported = "";
  const codePoints = (s) => Array.from(s).length;

  function report() {
    const selection = document.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return;
    const range = selection.getRangeAt(0);
    if (!box.contains(range.startContainer) || !box.contains(range.endContainer)) return;
    const before = document.createRange();
    before.setStart(box, 0);
    before.setEnd(range.startContainer, range.startOffset);
    const start = codePoints(before.toString());
    const end = start + codePoints(range.toString());
    if (`${start}:${end}` === reported) return;  // a keyup after the mouseup that reported it
    reported = `${start}:${end}`;
    setTriggerValue("selection", { start, end });
  }
  function forget() {
    reported = "";  // the same words selected again are reported again
  }

  box.addEventListener("mousedown", forget);
  document.addEventListener("mouseup", report);
  document.addEventListener("keyup", report);
  return () => {
    box.removeEventListener("mousedown", forget);
    document.removeEventListener("mouseup", report);
    document.removeEventListener("keyup", report);
  };
}
"""

_component = st.components.v2.component(NAME, html=_HTML, css=_CSS, js=_JS, isolate_styles=False)


@dataclass(frozen=True)
class Selection:
    """Characters [start, end) of the text, as the reader selected them."""

    start: int
    end: int


def selection_of(value: object) -> Selection | None:
    """The selection a component reported, or None for anything else (it comes from the browser)."""
    if not isinstance(value, dict):
        return None
    start, end = value.get("start"), value.get("end")
    if type(start) is not int or type(end) is not int:  # not bool, not float
        return None
    return Selection(start, end)


def span_picker(text: str, body: str, *, key: str, on_select: Callable[[Selection], None], legend: str = "") -> None:
    """Show `text`, marked up as `body` (highlight.highlight_html of it), under `legend` (HTML from our
    own code), and call `on_select` with each selection the reader makes in it. `on_select` runs as a
    widget callback: before the script's next run, so it may set other widgets' values."""

    def selected() -> None:
        picked = selection_of((st.session_state.get(key) or {}).get(SELECTION))
        if picked is not None:
            on_select(picked)

    _component(key=key, data={"legend": legend, "body": body, "text": text}, on_selection_change=selected)
