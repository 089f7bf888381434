"""Shared fixtures: a small hand-made graph, an embedded store in tmp_path, and the bundled data."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from govkg.graph.ladybug_store import LOCK_SUFFIX, LadybugStore
from govkg.graph.model import Document, Edge, Evidence, GraphDocument, Node, document_id, node_id
from govkg.resources import BUNDLED_CASES_DIR, BUNDLED_CORPUS_DIR

# The Neo4j server fixtures (tests/neo4j_fixture.py) for the store-parity tests.
pytest_plugins = ["neo4j_fixture", "app_testing"]

# WRITTEN FOR TESTING: an invented text about invented places (测试省, 甲市, 乙市). It is not a
# real case; every fact in `small_graph` below is read from it, so evidence offsets are real.
SMALL_TEXT = (
    "本段文字为测试而写，所述地方与做法均为虚构。"
    "甲市和乙市都属于测试省。"
    "甲市东街道推行“友邻议事会”，它包括“议事日”和“邻里基金”。"
    "甲市西街道同样推行“友邻议事会”，并建立“网格平台”。"
    "乙市南街道推行“网格平台”，并打造“睦邻空间”。"
    "东街道党委参与“友邻议事会”。"
    "东街道实施《社区协商规则》（2019年），“友邻议事会”依此运行。"
    "东街道和西街道的做法属于“测试主题一”，南街道属于“测试主题二”。"
    "乙市北街道尚未推行这些做法。"
)
SMALL_DOC = document_id(SMALL_TEXT)

ZONE = {
    "province": node_id("Zone", "测试省"),
    "甲市": node_id("Zone", "测试省甲市"),
    "乙市": node_id("Zone", "测试省乙市"),
    "东": node_id("Zone", "测试省甲市东街道"),
    "西": node_id("Zone", "测试省甲市西街道"),
    "南": node_id("Zone", "测试省乙市南街道"),
    "北": node_id("Zone", "测试省乙市北街道"),
}
MECH = {name: node_id("Mechanism", name) for name in ("友邻议事会", "议事日", "邻里基金", "网格平台", "睦邻空间")}
CAT = {name: node_id("Category", name) for name in ("协商议事", "邻里互助", "网格化与数字治理", "服务综合体")}
ORG = node_id("Organisation", "东街道党委")
POLICY = node_id("Policy", "社区协商规则")
THEME = {name: node_id("Theme", name) for name in ("测试主题一", "测试主题二")}


def _sentence(fragment: str) -> Evidence:
    """Evidence for the sentence of SMALL_TEXT that holds `fragment` (ends at 。)."""
    at = SMALL_TEXT.index(fragment)
    start = SMALL_TEXT.rfind("。", 0, at) + 1
    end = SMALL_TEXT.index("。", at) + 1
    return Evidence(SMALL_DOC, SMALL_TEXT[start:end], start, end)


def build_small_graph() -> GraphDocument:
    """The graph of SMALL_TEXT, built by hand (test data, not a loader's output)."""

    def zone(key: str, name: str, level: str, aliases: list[str], full: str) -> Node:
        return Node(ZONE[key], "Zone", name, aliases, {"level": level, "full_name": full})

    nodes = [
        zone("province", "测试省", "province", [], "测试省"),
        zone("甲市", "甲市", "city", [], "测试省甲市"),
        zone("乙市", "乙市", "city", [], "测试省乙市"),
        zone("东", "甲市东街道", "street", ["东街道"], "测试省甲市东街道"),
        zone("西", "甲市西街道", "street", ["西街道"], "测试省甲市西街道"),
        zone("南", "乙市南街道", "street", ["南街道"], "测试省乙市南街道"),
        zone("北", "乙市北街道", "street", ["北街道"], "测试省乙市北街道"),
        *(Node(i, "Mechanism", name) for name, i in MECH.items()),
        *(Node(i, "Category", name) for name, i in CAT.items()),
        Node(ORG, "Organisation", "东街道党委", [], {"kind": "party"}),
        Node(POLICY, "Policy", "社区协商规则", [], {"kind": "regulation", "year": 2019}),
        *(Node(i, "Theme", name) for name, i in THEME.items()),
    ]

    def edge(kind: str, source: str, target: str, fragment: str, **props: str) -> Edge:
        return Edge(kind, source, target, [_sentence(fragment)], dict(props))

    edges = [
        edge("PART_OF", ZONE["甲市"], ZONE["province"], "都属于测试省"),
        edge("PART_OF", ZONE["乙市"], ZONE["province"], "都属于测试省"),
        edge("PART_OF", ZONE["东"], ZONE["甲市"], "甲市东街道推行"),
        edge("PART_OF", ZONE["西"], ZONE["甲市"], "甲市西街道同样"),
        edge("PART_OF", ZONE["南"], ZONE["乙市"], "乙市南街道推行"),
        edge("PART_OF", ZONE["北"], ZONE["乙市"], "乙市北街道"),
        edge("ADOPTS", ZONE["东"], MECH["友邻议事会"], "甲市东街道推行"),
        edge("ADOPTS", ZONE["西"], MECH["友邻议事会"], "甲市西街道同样"),
        edge("ADOPTS", ZONE["西"], MECH["网格平台"], "甲市西街道同样"),
        edge("ADOPTS", ZONE["南"], MECH["网格平台"], "乙市南街道推行"),
        edge("ADOPTS", ZONE["南"], MECH["睦邻空间"], "乙市南街道推行"),
        edge("HAS_PART", MECH["友邻议事会"], MECH["议事日"], "它包括"),
        edge("HAS_PART", MECH["友邻议事会"], MECH["邻里基金"], "它包括"),
        edge("IN_CATEGORY", MECH["友邻议事会"], CAT["协商议事"], "甲市东街道推行", cue="议事"),
        edge("IN_CATEGORY", MECH["友邻议事会"], CAT["邻里互助"], "甲市东街道推行", cue="友邻"),
        edge("IN_CATEGORY", MECH["议事日"], CAT["协商议事"], "它包括", cue="议事"),
        edge("IN_CATEGORY", MECH["邻里基金"], CAT["邻里互助"], "它包括", cue="邻里"),
        edge("IN_CATEGORY", MECH["网格平台"], CAT["网格化与数字治理"], "乙市南街道推行", cue="网格"),
        edge("IN_CATEGORY", MECH["睦邻空间"], CAT["服务综合体"], "乙市南街道推行", cue="空间"),
        edge("PARTICIPATES_IN", ORG, MECH["友邻议事会"], "东街道党委参与"),
        edge("HAS_ORGANISATION", ZONE["东"], ORG, "东街道党委参与"),
        edge("IMPLEMENTS", ZONE["东"], POLICY, "东街道实施"),
        edge("FRAMED_BY", MECH["友邻议事会"], POLICY, "东街道实施"),
        edge("UNDER_THEME", ZONE["东"], THEME["测试主题一"], "测试主题一"),
        edge("UNDER_THEME", ZONE["西"], THEME["测试主题一"], "测试主题一"),
        edge("UNDER_THEME", ZONE["南"], THEME["测试主题二"], "测试主题二"),
    ]
    document = Document(SMALL_DOC, "written-for-testing.txt", "测试文本", "", "", "", SMALL_TEXT)
    return GraphDocument([document], nodes, edges)


@pytest.fixture()
def small_graph() -> GraphDocument:
    graph = build_small_graph()
    assert graph.problems() == []
    return graph


@pytest.fixture()
def embedded_store(tmp_path: Path) -> Iterator[LadybugStore]:
    """An empty embedded store in tmp_path."""
    store = LadybugStore(tmp_path / "store" / "govkg.lbdb")
    yield store
    store.close()


@pytest.fixture()
def small_store(embedded_store: LadybugStore, small_graph: GraphDocument) -> LadybugStore:
    """The embedded store holding `small_graph`."""
    embedded_store.write(small_graph)
    return embedded_store


def bundled_paths() -> list[Path]:
    """The bundled case sheets and articles that exist (case sheets arrive in their own commit)."""
    paths = []
    for folder in (BUNDLED_CASES_DIR, BUNDLED_CORPUS_DIR):
        if folder.is_dir() and any(p.is_file() and not p.name.startswith(".") for p in folder.iterdir()):
            paths.append(folder)
    return paths


@pytest.fixture(scope="session")
def bundled_graph() -> GraphDocument:
    """Everything the loaders extract from data/cases and data/corpus (skips until loaders exist)."""
    paths = bundled_paths()
    if not paths:
        pytest.skip("no bundled case files yet")
    try:
        from govkg.loaders.extract import extract_paths

        return extract_paths(paths)
    except ImportError as err:
        pytest.skip(f"loaders not available yet: {err}")


@pytest.fixture(scope="session")
def bundled_cases_graph() -> GraphDocument:
    """The bundled case sheets (data/cases) only: curated, so tests can expect rows read from them."""
    if not BUNDLED_CASES_DIR.is_dir() or not any(BUNDLED_CASES_DIR.glob("*.yaml")):
        pytest.skip("no bundled case sheets yet")
    from govkg.loaders.extract import extract_paths

    return extract_paths([BUNDLED_CASES_DIR])


@pytest.fixture(scope="session")
def bundled_store(
    tmp_path_factory: pytest.TempPathFactory, bundled_cases_graph: GraphDocument
) -> Iterator[LadybugStore]:
    """An embedded store holding the bundled case sheets, shared by a session's tests (read it only)."""
    store = LadybugStore(tmp_path_factory.mktemp("bundled") / "govkg.lbdb")
    store.write(bundled_cases_graph)
    yield store
    store.close()


@pytest.fixture(scope="session")
def full_store(tmp_path_factory: pytest.TempPathFactory, bundled_graph: GraphDocument) -> Iterator[LadybugStore]:
    """The case sheets and the article (data/corpus) loaded together, shared by a session's tests (read it only)."""
    store = LadybugStore(tmp_path_factory.mktemp("full") / "govkg.lbdb")
    store.write(bundled_graph)
    yield store
    store.close()


def copy_store(source: Path, target: Path) -> Path:
    """A closed embedded store copied to `target`: its database file and the files beside it that
    carry its name (the similarity ranking's state), not its lock. The copy is the same store, so a
    test that needs a loaded store copies one loaded once instead of loading again."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for held in source.parent.glob(f"{source.name}*"):
        if not held.name.endswith(LOCK_SUFFIX):
            shutil.copy2(held, target.with_name(target.name + held.name[len(source.name):]))
    return target


@pytest.fixture(scope="session")
def bundled_cases_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled cases loaded by `govkg load`'s service into an embedded store, once a session:
    tests copy it (copy_store) rather than each running the same load."""
    from govkg.graph.factory import StoreSettings
    from govkg.services.loading import load_paths

    path = tmp_path_factory.mktemp("bundled-cases") / "govkg.lbdb"
    load_paths(StoreSettings(db_path=path), [BUNDLED_CASES_DIR])
    return path
