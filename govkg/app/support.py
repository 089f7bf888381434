"""What every page of the Streamlit app shares: the store connection, the reader's language, the
sidebar, error display, and the small data helpers pages call (so page scripts hold no logic).

Settings come from the environment (GOVKG_STORE, GOVKG_DB, NEO4J_*), as for the command line.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, NoReturn

import networkx as nx
import streamlit as st
from streamlit.errors import StreamlitAPIException

from govkg.app.explore import Filters, Membership, membership_of
from govkg.app.overview import CategoryCount, category_counts
from govkg.app.query_worker import DEADLINE, QueryWorker
from govkg.app.results import DataVersion, ResultMeta, store_data_version
from govkg.errors import GovkgError, QueryStopped, ReadOnlyViolation, StoreLockedError
from govkg.graph.analytics import similarity_graph, zone_families
from govkg.graph.factory import StoreSettings, open_store
from govkg.graph.model import EDGE_TYPES, NODE_LABELS, ZONE_LEVELS, GraphDocument, Node, normalise_name
from govkg.graph.saved_queries import QueryParam, SavedQuery, param_choices
from govkg.graph.similarity import (
    PracticeProfiles,
    SimilarityIndex,
    practice_graph,
    profiles_from_graph,
    similar_in_profiles,
)
from govkg.graph.store import GraphStore, QueryResult, WriteSummary
from govkg.i18n import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    MESSAGES,
    edge_type_names,
    kind_feature_name,
    label_names,
    language_or_default,
    pair,
    tr,
    zone_level_names,
)

LANGUAGE_KEY = "lang"  # the widget key, the session-state key and the URL query parameter
SEARCH_LIMIT = 300
NODE_PAGE = "Node"  # the URL path of pages/2_Node.py, which pictures link to
CACHE_SECONDS = 600
# The app's pages: script (relative to app.py), URL path, message id of its name in the sidebar.
PAGES: tuple[tuple[str, str, str], ...] = (
    ("app.py", "", "nav.overview"),
    ("pages/1_Graph.py", "Graph", "nav.graph"),
    ("pages/2_Node.py", "Node", "nav.node"),
    ("pages/3_Saved_queries.py", "Saved_queries", "nav.queries"),
    ("pages/4_Similar_zones.py", "Similar_zones", "nav.similar"),
    ("pages/5_Load.py", "Load", "nav.load"),
)

# --------------------------------------------------------------------------- language


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


# --------------------------------------------------------------------------- page frame


def page_setup(title_key: str) -> None:
    """Page config, the sidebar (language switch, store), then the page title. Call first on every page."""
    st.set_page_config(page_title=tr(title_key, "both").replace("\n\n", " / "), layout="wide")
    sidebar()
    st.title(t(title_key))


def sidebar() -> None:
    """Language switch, the pages named in the reader's language, and where the store is. Renders
    before the page body so the body uses the choice."""
    restore_choice(LANGUAGE_KEY, LANGUAGES)
    st.sidebar.markdown(f"**govkg** · {t('sidebar.brand')}")
    chosen = st.sidebar.radio(
        t("lang.label"),
        LANGUAGES,
        format_func=lambda mode: tr(f"lang.{mode}", "zh"),
        key=LANGUAGE_KEY,
        persist_state="session",  # the choice follows the reader from page to page
    )
    remember_choice(LANGUAGE_KEY, chosen, DEFAULT_LANGUAGE)
    navigation(chosen)
    settings = current_settings()
    st.sidebar.caption(f"{t('sidebar.store')}: {md_escape(settings.describe())}")
    if st.sidebar.button(t("sidebar.reload"), help=t("sidebar.reload_help"), key="govkg_reload"):
        release_store()


def navigation(lang: str) -> None:
    """Links to every page, named in the reader's language (Streamlit's own list shows file names,
    so .streamlit/config.toml hides it). The language travels in the link."""
    params = {LANGUAGE_KEY: lang} if lang != DEFAULT_LANGUAGE else None
    for script, path, key in PAGES:
        try:
            st.sidebar.page_link(script, label=t(key), query_params=params)
        except StreamlitAPIException:
            # A page run on its own (AppTest) knows no other pages: plain links do the same job.
            query = f"?{LANGUAGE_KEY}={lang}" if params else ""
            st.sidebar.markdown(f"[{md_escape(t(key))}](./{path}{query})")


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


def show_graph(page_html: str, height_px: int) -> None:
    """Embed a pyvis page in an iframe, where its scripts run and vis-network draws its canvas.

    st.iframe is Streamlit's successor to components.v1.html (deprecated, to be removed). The page is
    ours and every text from data in it is escaped (graph.visual), which st.iframe asks of its callers.
    """
    st.iframe(page_html, height=height_px + 60)


# --------------------------------------------------------------------------- store


class SerialStore(GraphStore):
    """A read-only view of a store whose calls take turns.

    Streamlit serves each browser session from its own thread, but the app keeps one store handle
    for all of them (st.cache_resource); the embedded engine's connection is not made for
    concurrent queries, so calls are serialised here.
    """

    def __init__(self, inner: GraphStore) -> None:
        self.inner = inner
        self.engine = inner.engine
        self._lock = threading.RLock()

    def ensure_schema(self) -> None:
        raise ReadOnlyViolation("the app opens the store read-only; load data with `govkg load`")

    def write(self, graph: GraphDocument) -> WriteSummary:
        raise ReadOnlyViolation("the app opens the store read-only; load data with `govkg load`")

    def read(self, cypher: str, params: dict[str, Any] | None = None, *, limit: int | None = None) -> QueryResult:
        with self._lock:
            return self.inner.read(cypher, params, limit=limit)

    def counts(self) -> dict[str, int]:
        with self._lock:
            return self.inner.counts()

    def snapshot(self) -> GraphDocument:
        with self._lock:
            return self.inner.snapshot()

    def node(self, node_id: str) -> Node | None:
        with self._lock:
            return self.inner.node(node_id)

    def neighbourhood(self, node_id: str, depth: int = 1, limit: int = 200) -> GraphDocument:
        with self._lock:
            return self.inner.neighbourhood(node_id, depth, limit)

    def close(self) -> None:
        with self._lock:
            self.inner.close()

    def __getattr__(self, name: str) -> Any:
        # Engine-specific extras (used by analytics modules) go through the same lock.
        value = getattr(self.inner, name)
        if not callable(value):
            return value

        def locked(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                return value(*args, **kwargs)

        return locked


def current_settings() -> StoreSettings:
    return StoreSettings.from_env()


def store_key(settings: StoreSettings) -> str:
    """What identifies one store for the caches (never the password)."""
    return f"{settings.describe()} user={settings.neo4j_user}"


def _close_store(store: GraphStore) -> None:
    # Releasing a handle must never break the page that asked for it.
    with suppress(Exception):
        store.close()


@st.cache_resource(show_spinner=False, on_release=_close_store)
def _cached_store(key: str, _settings: StoreSettings) -> GraphStore:
    return SerialStore(open_store(_settings, read_only=True))


@st.cache_resource(show_spinner=False, on_release=_close_store)
def _cached_worker(key: str, _settings: StoreSettings) -> QueryWorker:
    return QueryWorker(_settings)


def query_store() -> QueryWorker:
    """Where the reader's own queries (ad-hoc and saved) run: a worker process with its own read-only
    handle, under a memory limit and a deadline, so a query that crashes the engine or runs it out of
    memory stops that process (restarted for the next query), not the app. Call after require_store."""
    settings = current_settings()
    return _cached_worker(store_key(settings), settings)


def release_store() -> None:
    """Close the shared handle and forget cached data, so the next run reopens the store."""
    _cached_store.clear()
    _cached_worker.clear()
    for cached in (cached_node_entries, cached_snapshot, cached_version, cached_profiles, cached_index, cached_similar,
                   cached_families,
                   cached_similarity_graph, cached_membership, cached_category_counts):
        cached.clear()
    st.cache_data.clear()


def require_store() -> GraphStore:
    """The shared read-only store, or a clear message saying what to do and the page stops."""
    settings = current_settings()
    if settings.engine == "embedded" and not settings.db_path.exists():
        st.info(t("msg.store_missing", where=str(settings.db_path)))
        st.stop()
    try:
        return _cached_store(store_key(settings), settings)
    except StoreLockedError as err:
        _stop_with(t("msg.store_locked", problem=str(err)))
    except GovkgError as err:
        _stop_with(t("msg.store_error", where=settings.describe(), problem=str(err)))


def _stop_with(message: str) -> NoReturn:
    st.error(message)
    st.stop()
    raise AssertionError("unreachable")  # st.stop() raises; this keeps type checkers sure of it


def data_version(store: GraphStore) -> tuple[tuple[str, int], ...]:
    """Counts as a cache key: cached pictures and lists refresh when a load changes the store."""
    return tuple(sorted(store.counts().items()))


# --------------------------------------------------------------------------- overview


@dataclass(frozen=True)
class CountRow:
    name: str
    display: str
    count: int


def count_tables(counts: Mapping[str, int]) -> tuple[list[CountRow], list[CountRow]]:
    """Counts split into node labels and relationship types, in schema order, names in the reader's language."""
    labels = [CountRow(lb, label_name(lb), int(counts.get(lb, 0))) for lb in NODE_LABELS]
    known = [*NODE_LABELS, *EDGE_TYPES]
    types = [CountRow(ty, edge_name(ty), int(counts.get(ty, 0))) for ty in EDGE_TYPES]
    types += [CountRow(k, k, int(v)) for k, v in sorted(counts.items()) if k not in known]
    return labels, types


def glossary_markdown() -> str:
    """One line per node label: its name and what it stands for, in the reader's language."""
    return "\n".join(f"- **{md_escape(label_name(label))}**: {md_escape(t(f'glossary.{label}'))}"
                     for label in NODE_LABELS)


DOCUMENTS_CYPHER = (
    "MATCH (d:Document) RETURN d.id AS id, d.title AS title, d.source AS source, d.author AS author, "
    "d.date AS date, d.loaded_at AS loaded_at, d.path AS path ORDER BY d.loaded_at, d.title"
)


def documents(store: GraphStore) -> list[dict[str, Any]]:
    """The documents loaded (without their text)."""
    return store.read(DOCUMENTS_CYPHER).records()


# --------------------------------------------------------------------------- node search


@dataclass(frozen=True)
class NodeEntry:
    id: str
    label: str
    name: str
    aliases: tuple[str, ...]
    level: str = ""  # zones only

    def caption(self) -> str:
        """How a node is listed in a picker: name, label, and aliases that tell it apart."""
        extra = f" · {' / '.join(self.aliases[:3])}" if self.aliases else ""
        return f"{self.name} ({label_name(self.label)}){extra}"


def node_entries(store: GraphStore) -> list[NodeEntry]:
    """Every node but documents, by label then name: one query per label, which both engines accept."""
    entries: list[NodeEntry] = []
    for label in NODE_LABELS:
        if label == "Document":
            continue
        level = "n.level" if label == "Zone" else "''"
        rows = store.read(
            f"MATCH (n:{label}) RETURN n.id AS id, n.name AS name, n.aliases AS aliases, {level} AS level"
        ).records()
        found = [
            NodeEntry(str(r["id"]), label, str(r["name"] or r["id"]), tuple(str(a) for a in r["aliases"] or []),
                      str(r["level"] or ""))
            for r in rows
        ]
        entries.extend(sorted(found, key=lambda e: (e.name, e.id)))
    return entries


# Shared, not copied (st.cache_resource): pages only read these, and a copy per rerun of a whole
# snapshot would cost more than building the picture. The counts in `version` refresh them after a load.
@st.cache_resource(ttl=CACHE_SECONDS, max_entries=4, show_spinner=False)
def cached_node_entries(key: str, version: tuple[tuple[str, int], ...], _store: GraphStore) -> list[NodeEntry]:
    return node_entries(_store)


@st.cache_resource(ttl=CACHE_SECONDS, max_entries=2, show_spinner=False)
def cached_snapshot(key: str, version: tuple[tuple[str, int], ...], _store: GraphStore) -> GraphDocument:
    return _store.snapshot()


@lru_cache(maxsize=1)
def _to_simplified() -> Callable[[str], str]:
    from opencc import OpenCC

    convert: Callable[[str], str] = OpenCC("t2s").convert
    return convert


def fold(text: str) -> str:
    """The search key of a name or query: simplified characters, no quotes or spaces, lower case."""
    return normalise_name(_to_simplified()(text)).lower()


def search_nodes(entries: list[NodeEntry], query: str, limit: int = SEARCH_LIMIT) -> list[NodeEntry]:
    """Nodes whose name or an alias contains `query` (traditional or simplified), best matches first:
    exact name, then name starting with it, then the rest, shorter names first."""
    wanted = fold(query)
    if not wanted:
        return entries[:limit]
    scored: list[tuple[int, int, NodeEntry]] = []
    for entry in entries:
        keys = [fold(entry.name), *(fold(a) for a in entry.aliases)]
        if not any(wanted in k for k in keys):
            continue
        rank = 0 if wanted in keys else 1 if any(k.startswith(wanted) for k in keys) else 2
        scored.append((rank, len(entry.name), entry))
    scored.sort(key=lambda s: (s[0], s[1], s[2].name, s[2].id))
    return [s[2] for s in scored[:limit]]


# --------------------------------------------------------------------------- whole graph


def filter_labels(graph: GraphDocument, labels: list[str]) -> GraphDocument:
    """Only nodes of `labels` (documents only if "Document" is among them) and the edges among them."""
    wanted = set(labels)
    nodes = [n for n in graph.nodes if n.label in wanted]
    docs = list(graph.documents) if "Document" in wanted else []
    kept = {n.id for n in nodes} | {d.id for d in docs}
    edges = [e for e in graph.edges if e.source in kept and e.target in kept]
    return GraphDocument(docs, nodes, edges)


def labels_present(graph: GraphDocument) -> list[str]:
    present = {n.label for n in graph.nodes} | ({"Document"} if graph.documents else set())
    return [lb for lb in NODE_LABELS if lb in present]


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


def filter_controls(store: GraphStore, present: list[str], default_labels: list[str]) -> Filters:
    """The label, category, theme and level pickers over a picture, each kept in the URL."""
    entries = cached_node_entries(*cache_key(store), store)
    categories = {e.id: e for e in entries if e.label == "Category"}
    themes = {e.id: e for e in entries if e.label == "Theme"}
    held = {e.level for e in entries if e.label == "Zone"}
    levels = [lv for lv in ZONE_LEVELS if lv in held]
    columns = st.columns(4)
    chosen: dict[str, list[str]] = {}
    specs: list[tuple[str, str, list[str], list[str], Callable[[str], str]]] = [
        ("labels", "filter.labels", present, default_labels, label_name),
        ("categories", "filter.categories", list(categories), [], lambda i: categories[i].name),
        ("themes", "filter.themes", list(themes), [], lambda i: themes[i].name),
        ("levels", "filter.levels", levels, [], level_name),
    ]
    for column, (key, message, options, default, show) in zip(columns, specs, strict=True):
        restore_many(key, options)
        start: dict[str, Any] = {} if key in st.session_state else {"default": default}
        picked = column.multiselect(t(message), options, format_func=in_language_now(show), key=key, **start,
                                    placeholder=t("filter.any"))
        remember_many(key, picked, default)
        chosen[key] = list(picked)
    return Filters(chosen["labels"] or present, chosen["categories"], chosen["themes"], chosen["levels"])


# --------------------------------------------------------------------------- node page


@dataclass(frozen=True)
class EvidenceRow:
    """One relationship of the chosen node, seen from it, with one evidence sentence (or none)."""

    edge_type: str
    outgoing: bool
    other_id: str
    other_name: str
    other_label: str
    sentence: str
    document_id: str
    document_title: str
    start: int
    end: int


def evidence_rows(graph: GraphDocument, node_id: str, titles: Mapping[str, str]) -> list[EvidenceRow]:
    """The chosen node's relationships in `graph`, one row per evidence sentence (a row with an empty
    sentence when a relationship has none), by type then the other end's name."""
    names = {n.id: n for n in graph.nodes}
    doc_titles = {d.id: d.title or d.path or d.id for d in graph.documents}
    rows: list[EvidenceRow] = []
    for edge in graph.edges:
        if node_id not in (edge.source, edge.target):
            continue
        outgoing = edge.source == node_id
        other_id = edge.target if outgoing else edge.source
        other = names.get(other_id)
        other_name = other.name if other else doc_titles.get(other_id) or titles.get(other_id) or other_id
        other_label = other.label if other else "Document"
        base = EvidenceRow(edge.type, outgoing, other_id, other_name, other_label, "", "", "", 0, 0)
        if not edge.evidence:
            rows.append(base)
        for ev in edge.evidence:
            title = titles.get(ev.document) or doc_titles.get(ev.document) or ev.document
            rows.append(replace(base, sentence=ev.text, document_id=ev.document, document_title=title,
                                start=ev.start, end=ev.end))
    rows.sort(key=lambda r: (r.edge_type, not r.outgoing, r.other_name, r.document_title, r.start))
    return rows


def property_rows(node: Node) -> list[tuple[str, str]]:
    """A node's properties as (name, shown value) pairs; lists joined, empty values left out."""
    rows = [("id", node.id), ("label", label_name(node.label))]
    for key, value in sorted(node.properties.items()):
        if value in (None, "", []):
            continue
        shown = ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
        if node.label == "Zone" and key == "level":
            shown = zone_level_names(language()).get(shown, shown)
        rows.append((key, shown))
    return rows


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~$])")
_MARKDOWN_SPECIAL_BUT_CODE = re.compile(r"([\\*_{}\[\]<>()#+\-.!|~$])")


def md_escape(text: str, *, keep_code: bool = False) -> str:
    """Text from data shown through st.markdown without markdown, LaTeX ($) or HTML taking effect.

    `keep_code` leaves backticks alone, for messages that quote a command (`govkg load`)."""
    pattern = _MARKDOWN_SPECIAL_BUT_CODE if keep_code else _MARKDOWN_SPECIAL
    return pattern.sub(r"\\\1", text)


# --------------------------------------------------------------------------- similar zones

BUSIEST_ZONE_CYPHER = (
    "MATCH (z:Zone)-[a:ADOPTS]->(m:Mechanism) WHERE coalesce(a.stage, '') <> 'planned' "
    "RETURN z.id AS id, count(m) AS n ORDER BY n DESC, id LIMIT 1"
)


def busiest_zone(store: GraphStore) -> str | None:
    """The zone with the most mechanisms: the similar-zones page opens on it, so it shows a ranking at once."""
    rows = store.read(BUSIEST_ZONE_CYPHER).rows
    return str(rows[0][0]) if rows else None


def format_parts(parts: Any) -> str:
    """A similarity score's parts ({"mechanisms": 0.5, "categories": 0.1}) as short text, named in the
    reader's language."""
    if isinstance(parts, Mapping):
        return "; ".join(f"{_part_name(str(k))} {_number(v)}" for k, v in parts.items())
    if isinstance(parts, (list, tuple)):
        return "; ".join(str(p) for p in parts)
    return "" if parts is None else str(parts)


def _part_name(part: str) -> str:
    key = f"similar.part.{part}"
    return t(key) if key in MESSAGES else part


def bilingual_note(note: str) -> str:
    """A note from the analytics written "中文 | English", shown in the reader's language."""
    zh, bar, en = note.partition(" | ")
    return both(zh.strip(), en.strip(), paragraph=True) if bar else note


def _number(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


# --------------------------------------------------------------------------- saved queries

PARAM_URL_PREFIX = "p_"  # a saved query's parameter `zone` lives in the URL as `p_zone`


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
    return f"{param.name} ({t('queries.type.' + param.type)})", description or None


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
    # Kept even when it is the default: a link must give the same result if the query's default changes.
    remember_choice(url_key, _url_value(value))
    return value


def _url_value(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(value)
    return str(value)


def forget_other_params(query: SavedQuery) -> None:
    """Drop `p_*` URL parameters the chosen query does not take (left by the previous query)."""
    wanted = {PARAM_URL_PREFIX + p.name for p in query.params}
    for name in list(st.query_params):
        if name.startswith(PARAM_URL_PREFIX) and name not in wanted:
            del st.query_params[name]


# --------------------------------------------------------------------------- query results


def result_meta(store: GraphStore, query: str, title: str, parameters: Mapping[str, Any]) -> ResultMeta:
    """Where a result came from, for its downloads."""
    version = cached_version(store_key(current_settings()), data_version(store), store)
    return ResultMeta(query, title, dict(parameters), store.engine, version)


@st.cache_resource(ttl=CACHE_SECONDS, max_entries=4, show_spinner=False)
def cached_version(key: str, version: tuple[tuple[str, int], ...], _store: GraphStore) -> DataVersion:
    return store_data_version(_store)


def graph_of_nodes(store: GraphStore, ids: list[str]) -> GraphDocument:
    """The nodes with these ids and the relationships among them, from the cached snapshot."""
    snapshot = cached_snapshot(store_key(current_settings()), data_version(store), store)
    wanted = set(ids)
    nodes = [n for n in snapshot.nodes if n.id in wanted]
    edges = [e for e in snapshot.edges if e.source in wanted and e.target in wanted]
    return GraphDocument([d for d in snapshot.documents if d.id in wanted], nodes, edges)


# --------------------------------------------------------------------------- cached analytics


@st.cache_resource(ttl=CACHE_SECONDS, max_entries=2, show_spinner=False)
def cached_profiles(key: str, version: tuple[tuple[str, int], ...], _store: GraphStore) -> PracticeProfiles:
    """Every zone's practice profile (graph/similarity.py), read once per data version."""
    return profiles_from_graph(practice_graph(_store))


@st.cache_resource(ttl=CACHE_SECONDS, max_entries=2, show_spinner=False)
def cached_index(key: str, version: tuple[tuple[str, int], ...], _store: GraphStore) -> SimilarityIndex:
    """The profiles as sparse matrices, to score any pair of zones."""
    return SimilarityIndex.build(cached_profiles(key, version, _store))


@st.cache_resource(ttl=CACHE_SECONDS, max_entries=64, show_spinner=False)
def cached_similar(key: str, version: tuple[tuple[str, int], ...], _store: GraphStore, zone_id: str,
                   top: int) -> dict[str, Any]:
    """A zone's ranking with explanations (graph/similarity.py), kept per data version: readers who
    open the same zone share it. Pages must not change it."""
    return similar_in_profiles(cached_profiles(key, version, _store), zone_id, top)


@st.cache_resource(ttl=CACHE_SECONDS, max_entries=2, show_spinner=False)
def cached_families(key: str, version: tuple[tuple[str, int], ...], _store: GraphStore) -> list[dict[str, Any]]:
    return zone_families(cached_profiles(key, version, _store))


@st.cache_resource(ttl=CACHE_SECONDS, max_entries=2, show_spinner=False)
def cached_similarity_graph(key: str, version: tuple[tuple[str, int], ...], _store: GraphStore,
                            top: int) -> nx.Graph:
    return similarity_graph(cached_profiles(key, version, _store), top)


@st.cache_resource(ttl=CACHE_SECONDS, max_entries=2, show_spinner=False)
def cached_membership(key: str, version: tuple[tuple[str, int], ...], _store: GraphStore) -> Membership:
    return membership_of(_store)


@st.cache_resource(ttl=CACHE_SECONDS, max_entries=2, show_spinner=False)
def cached_category_counts(key: str, version: tuple[tuple[str, int], ...], _store: GraphStore) -> list[CategoryCount]:
    return category_counts(_store)


def cache_key(store: GraphStore) -> tuple[str, tuple[tuple[str, int], ...]]:
    """(store key, data version): the first two arguments of every cached_* helper."""
    return store_key(current_settings()), data_version(store)
