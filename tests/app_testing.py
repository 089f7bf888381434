"""Helpers the app tests share: running a page with AppTest against a store in tmp_path, and reading
back what the page shows. tests/ is on sys.path, so test modules import this by name; its fixtures
reach every test through conftest's pytest_plugins."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pytest
import streamlit as st
from repo import PROJECT_ROOT
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import FileUploader

from govkg.app import span_picker
from govkg.graph.ladybug_store import LadybugStore
from govkg.graph.model import GraphDocument, Node

PAGES = ["app.py", "pages/1_Graph.py", "pages/2_Node.py", "pages/3_Saved_queries.py", "pages/4_Similar_zones.py",
         "pages/5_Load.py", "pages/6_Corrections.py", "pages/7_Search.py", "pages/8_Map.py"]
TIMEOUT = 90


def write_store(path: Path, graph: GraphDocument) -> Path:
    with LadybugStore(path) as store:
        store.write(graph)
    return path


def point_app_at(monkeypatch: pytest.MonkeyPatch, db: Path) -> None:
    monkeypatch.setenv("GOVKG_STORE", "embedded")
    monkeypatch.setenv("GOVKG_DB", str(db))


@pytest.fixture()
def fresh_streamlit_caches() -> Iterator[None]:
    """Each test opens its own store; release the shared handles (closing them) between tests.
    App test modules use it for every test: pytestmark = pytest.mark.usefixtures(...)."""
    yield
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture()
def bundled_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The bundled case sheets in a store the app is pointed at (similarity left out: not needed)."""
    from govkg.graph.factory import StoreSettings
    from govkg.resources import BUNDLED_CASES_DIR
    from govkg.services.loading import load_paths

    db = tmp_path / "bundled.lbdb"
    load_paths(StoreSettings(db_path=db), [BUNDLED_CASES_DIR], similarity_top=0)
    point_app_at(monkeypatch, db)
    return db


@pytest.fixture()
def small_db(tmp_path: Path, small_graph: GraphDocument, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The conftest's small graph (written for testing) in a store the app is pointed at."""
    db = write_store(tmp_path / "app.lbdb", small_graph)
    point_app_at(monkeypatch, db)
    return db


def page(script: str) -> AppTest:
    return AppTest.from_file(str(PROJECT_ROOT / script), default_timeout=TIMEOUT)


def run(script: str, **params: str) -> AppTest:
    at = page(script)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    """Everything the page shows as text: markdown, captions, alerts, headings, tables, metrics, html."""
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        parts.extend(str(el.value) for el in getattr(at, kind))
    parts.extend(el.value.to_string() for el in at.table)
    parts.extend(f"{m.label} {m.value}" for m in at.metric)
    parts.extend(html_blocks(at))
    return "\n".join(parts)


def html_blocks(at: AppTest) -> list[str]:
    """The bodies of st.html elements (evidence in its paragraph) and the HTML the Load page's text boxes
    show (an upload's text with its entities highlighted: govkg/app/span_picker.py, which AppTest lists
    as an unknown bidi_component element holding its data as JSON)."""
    return [str(el.proto.body) for el in at.get("html")] + [box["legend"] + box["body"] for box in text_boxes(at)]


def text_boxes(at: AppTest) -> list[dict[str, str]]:
    """The data of each text box the Load page shows (span_picker): its text, body and legend."""
    return [json.loads(box.proto.json) for box in at.get("bidi_component")
            if box.proto.component_name == span_picker.NAME]  # fmt: skip


def select_in_text(at: AppTest, start: int, end: int, box: int = 0) -> AppTest:
    """Run the page as the browser runs it after a reader selected characters [start, end) of the text in
    its `box`-th text box: the component's trigger ("selection") sent with the page's widget values.
    AppTest has no driver for a custom component, so this builds the message the frontend sends (the
    trigger widget of a components-v2 element is "<internal prefix>_<element id>__events")."""
    from streamlit.components.v2.bidi_component.constants import EVENT_DELIM
    from streamlit.runtime.state.session_state import STREAMLIT_INTERNAL_KEY_PREFIX

    element = [b for b in at.get("bidi_component") if b.proto.component_name == span_picker.NAME][box]
    states = at._tree.get_widget_states()
    trigger = states.widgets.add()
    trigger.id = f"{STREAMLIT_INTERNAL_KEY_PREFIX}_{element.proto.id}{EVENT_DELIM}events"
    trigger.json_trigger_value = json.dumps([{"event": span_picker.SELECTION, "value": {"start": start, "end": end}}])
    return at._run(states)


def iframes(at: AppTest) -> list[str]:
    return [str(f.proto.srcdoc) for f in at.get("iframe")]


def iframe_html(at: AppTest) -> str:
    frames = iframes(at)
    assert frames, "no picture embedded in an iframe"
    return frames[0]


def uploader(at: AppTest) -> FileUploader:
    """The page's file uploader (AppTest has no shortcut for it)."""
    found = at.get("file_uploader")
    assert found, "no file uploader on the page"
    return cast(FileUploader, found[0])


def recorded_downloads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[bytes, str]]:
    """What the pages' download buttons would hand the browser, as they render: (data, mime type)."""
    seen: list[tuple[bytes, str]] = []
    original = MemoryMediaFileStorage.load_and_get_id

    def recording(self: MemoryMediaFileStorage, data: object, mimetype: str, kind: object,
                  filename: str | None = None) -> str:
        if isinstance(data, bytes):
            seen.append((data, mimetype))
        return original(self, data, mimetype, kind, filename)  # type: ignore[arg-type]

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", recording)
    return seen


def find_node(graph: GraphDocument, node_id: str) -> Node:
    return next(n for n in graph.nodes if n.id == node_id)


def widget_labels(at: AppTest) -> list[str]:
    """The labels of every widget, tab and expander on the page (sidebar included)."""
    labels: list[str] = []
    for kind in ("text_input", "selectbox", "multiselect", "slider", "radio", "button", "checkbox", "number_input",
                 "text_area", "tabs", "expander"):
        labels.extend(str(w.label) for w in getattr(at, kind) if getattr(w, "label", None))
    for kind in ("download_button", "file_uploader", "page_link"):
        labels.extend(str(w.proto.label) for w in at.get(kind))
    return labels
