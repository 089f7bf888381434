"""Entity resolution across documents (loaders/resolution.py): the same zone or mechanism named
differently in two files becomes one node with both names; different units that share a short
name stay apart. Through loaders.extract.extract_paths, and through a write into a real LadybugDB.

Every text below except the bundled article is WRITTEN FOR TESTING: the place names are real units
of the division table, the practices are invented and are not real cases.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from govkg.graph.ladybug_store import LadybugStore
from govkg.graph.model import GraphDocument, Node, node_id
from govkg.loaders.extract import extract_paths
from govkg.loaders.resolution import resolve_against_store, resolve_entities
from govkg.resources import BUNDLED_CORPUS_DIR

ARTICLE = BUNDLED_CORPUS_DIR / "zhejiang-experimental-zones-2018.txt"
LABEL = "（测试用文本，written for testing：地名真实，所述做法为虚构，不是真实案例。）\n"
TEXTS = {
    # 当湖街道 without its city, and “三级友邻” under another name than the article's.
    "danghu.txt": "当湖街道深化“三级友邻”服务机制，由社区党委牵头，组织楼道长开展邻里互助。",
    # Two towns called 城关镇, in two counties of two provinces.
    "two-chengguan.txt": (
        "湖北省十堰市郧西县城关镇推行“院落议事”工作法，由居民推选议事代表。"
        "河南省洛阳市宜阳县城关镇推行“街巷长”工作法，由志愿者担任街巷长。"
    ),
    "yunxi.txt": "湖北省十堰市郧西县城关镇推行“院落议事”工作法，由居民推选议事代表。",
    # A bare 城关镇, with no province named, with 湖北省 named, and with 河南省 named.
    "bare-chengguan.txt": "城关镇推行“老街坊”工作法，由社区党委牵头。",
    "hubei-chengguan.txt": "湖北省民政厅推进社区协商。城关镇推行“老街坊”工作法，由社区党委牵头。",
    "henan-chengguan.txt": "河南省民政厅推进社区协商。城关镇推行“老街坊”工作法，由社区党委牵头。",
    # “1+3” also names 余杭‘1+3’基层协商治理模式 in the article, but here another district adopts it.
    "gusu-1-3.txt": "江苏省苏州市姑苏区推行“1+3”议事模式，由居委会牵头。",
}
DANGHU = node_id("Zone", "浙江省嘉兴市平湖市当湖街道")
SANJI = node_id("Mechanism", "三级友邻网络体系")
YUNXI = node_id("Zone", "湖北省十堰市郧西县城关镇")
YIYANG = node_id("Zone", "河南省洛阳市宜阳县城关镇")
BARE = node_id("Zone", "城关镇")


@pytest.fixture()
def texts(tmp_path: Path) -> dict[str, Path]:
    paths = {}
    for name, body in TEXTS.items():
        paths[name] = tmp_path / name
        paths[name].write_text(LABEL + body + "\n", encoding="utf-8")
    return paths


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[LadybugStore]:
    opened = LadybugStore(tmp_path / "resolution.lbdb")
    yield opened
    opened.close()


def named(graph: GraphDocument, label: str, name: str) -> list[Node]:
    """Nodes of `label` that carry `name` as name or alias."""
    return [n for n in graph.nodes if n.label == label and name in (n.name, *n.aliases)]


def test_the_same_zone_and_mechanism_in_two_files_become_one(texts: dict[str, Path]) -> None:
    graph = extract_paths([ARTICLE, texts["danghu.txt"]])
    assert graph.problems() == []
    assert [n.id for n in named(graph, "Zone", "当湖街道")] == [DANGHU]
    zone = graph.node_by_id()[DANGHU]
    assert zone.name == "平湖市当湖街道"  # the article's fuller name stays the name
    assert zone.properties["full_name"] == "浙江省嘉兴市平湖市当湖街道"
    mechanism = graph.node_by_id()[SANJI]
    assert mechanism.name == "“三级友邻”网络体系"  # the first document's name is kept ...
    assert "“三级友邻”服务机制" in mechanism.aliases  # ... and the other one is an alias
    assert not named(graph, "Mechanism", "“三级友邻”服务机制")[1:]
    # The zone adopts it on the word of both documents.
    adopts = next(e for e in graph.edges if e.key == ("ADOPTS", DANGHU, SANJI))
    assert {ev.document for ev in adopts.evidence} == {d.id for d in graph.documents}
    # The short text's zone had no parents of its own: the article's chain is the only one.
    assert [e.target for e in graph.edges if e.type == "PART_OF" and e.source == DANGHU] == [
        node_id("Zone", "浙江省嘉兴市平湖市")
    ]


def test_one_load_of_two_files_equals_two_loads_in_turn(tmp_path: Path, texts: dict[str, Path]) -> None:
    together = LadybugStore(tmp_path / "together.lbdb")
    in_turn = LadybugStore(tmp_path / "in-turn.lbdb")
    try:
        together.write(resolve_against_store(extract_paths([ARTICLE, texts["danghu.txt"]]), together))
        for path in (ARTICLE, texts["danghu.txt"]):
            in_turn.write(resolve_against_store(extract_paths([path]), in_turn))
        one, two = together.snapshot(), in_turn.snapshot()
        assert {(n.id, n.name, frozenset(n.aliases)) for n in one.nodes} == {
            (n.id, n.name, frozenset(n.aliases)) for n in two.nodes
        }
        assert {e.key for e in one.edges} == {e.key for e in two.edges}
    finally:
        together.close()
        in_turn.close()


def test_two_units_sharing_a_short_name_stay_apart(texts: dict[str, Path]) -> None:
    graph = extract_paths([texts["two-chengguan.txt"], texts["bare-chengguan.txt"]])
    ids = {n.id for n in named(graph, "Zone", "城关镇")}
    # A bare 城关镇 could be either: it joins neither and keeps its own node.
    assert ids == {YUNXI, YIYANG, BARE}
    nodes = graph.node_by_id()
    assert nodes[YUNXI].properties["full_name"] != nodes[YIYANG].properties["full_name"]
    assert nodes[BARE].properties["full_name"] == "城关镇"


def test_a_bare_unit_joins_the_one_in_the_province_its_text_names(texts: dict[str, Path]) -> None:
    graph = extract_paths([texts["two-chengguan.txt"], texts["hubei-chengguan.txt"]])
    assert {n.id for n in named(graph, "Zone", "城关镇")} == {YUNXI, YIYANG}
    practice = node_id("Mechanism", "老街坊工作法")
    assert ("ADOPTS", YUNXI, practice) in {e.key for e in graph.edges}


def test_a_bare_unit_never_joins_one_in_another_province(texts: dict[str, Path]) -> None:
    graph = extract_paths([texts["yunxi.txt"], texts["henan-chengguan.txt"]])
    assert YUNXI in graph.node_by_id()
    assert ("ADOPTS", YUNXI, node_id("Mechanism", "老街坊工作法")) not in {e.key for e in graph.edges}


def test_a_shared_short_name_alone_does_not_join_two_practices(texts: dict[str, Path]) -> None:
    graph = extract_paths([ARTICLE, texts["gusu-1-3.txt"]])
    holders = {n.id for n in named(graph, "Mechanism", "1+3")}
    assert holders == {node_id("Mechanism", "余杭‘1+3’基层协商治理模式"), node_id("Mechanism", "“1+3”议事模式")}


def test_a_later_load_joins_what_the_store_holds(store: LadybugStore, texts: dict[str, Path]) -> None:
    store.write(resolve_against_store(extract_paths([ARTICLE]), store))
    before = store.counts()
    summary = store.write(resolve_against_store(extract_paths([texts["danghu.txt"]]), store))
    after = store.counts()
    assert after["Zone"] == before["Zone"]  # no second 当湖街道
    assert after["Mechanism"] == before["Mechanism"]  # no second “三级友邻”
    assert summary.documents == 1
    graph = store.snapshot()
    zone = graph.node_by_id()[DANGHU]
    assert zone.name == "平湖市当湖街道"
    assert zone.properties["full_name"] == "浙江省嘉兴市平湖市当湖街道"  # the stored chain is kept
    mechanism = graph.node_by_id()[SANJI]
    assert mechanism.name == "“三级友邻”网络体系"
    assert {"三级友邻", "“三级友邻”服务机制"} <= set(mechanism.aliases)
    assert mechanism.properties["description"].startswith("平湖市当湖街道")  # the article's description stays
    adopts = next(e for e in graph.edges if e.key == ("ADOPTS", DANGHU, SANJI))
    assert len({ev.document for ev in adopts.evidence}) == 2
    # Loading the same short text again changes nothing.
    again = store.write(resolve_against_store(extract_paths([texts["danghu.txt"]]), store))
    assert (again.nodes_created, again.edges_created) == (0, 0)
    assert store.counts() == after


def test_units_in_the_store_sharing_a_short_name_stay_apart(store: LadybugStore, texts: dict[str, Path]) -> None:
    store.write(resolve_against_store(extract_paths([texts["two-chengguan.txt"]]), store))
    store.write(resolve_against_store(extract_paths([texts["bare-chengguan.txt"]]), store))
    zones = {n.id for n in named(store.snapshot(), "Zone", "城关镇")}
    assert zones == {YUNXI, YIYANG, BARE}


def test_a_graph_naming_a_document_twice_resolves_to_one_document(texts: dict[str, Path]) -> None:
    # Files extracted apart and united without resolution (as a caller may hand a graph over), one
    # document named twice: the joins rewrite the graph, which keeps each document once.
    united = GraphDocument().merged(extract_paths([ARTICLE])).merged(extract_paths([texts["danghu.txt"]]))
    twice = GraphDocument([*united.documents, united.documents[-1]], united.nodes, united.edges)
    resolved = resolve_entities(twice)
    assert [n.id for n in named(resolved, "Zone", "当湖街道")] == [DANGHU]  # the join happened
    assert sorted(d.id for d in resolved.documents) == sorted(d.id for d in united.documents)
    assert resolved.to_dict() == resolve_entities(united).to_dict()


def test_resolving_a_resolved_graph_again_changes_nothing(texts: dict[str, Path]) -> None:
    """`write_graph(..., resolved=True)` into a store that knows no zone or mechanism skips the second
    resolution on the strength of this: extract_paths' graph is a fixed point of resolution."""
    from govkg.loaders.resolution import resolved_entities

    graph = extract_paths([ARTICLE, *texts.values()])
    assert named(graph, "Zone", "当湖街道") and graph.edges
    again, joined = resolved_entities(graph)
    assert joined == {}
    assert again.to_dict() == graph.to_dict()


def test_a_first_load_resolved_once_equals_one_resolved_twice(tmp_path: Path, texts: dict[str, Path]) -> None:
    """load_paths hands write_graph a graph extract_paths resolved; against an empty store the store
    then holds what resolving it once more would have written."""
    from govkg.services.loading import write_graph

    files = [ARTICLE, *texts.values()]
    snapshots = []
    for resolved in (False, True):
        store = LadybugStore(tmp_path / f"resolved-{resolved}.lbdb")
        try:
            write_graph(store, extract_paths(files), similarity_top=0, resolved=resolved)
            snapshot = store.snapshot()
        finally:
            store.close()
        snapshots.append(
            (
                sorted((n.id, n.name, tuple(sorted(n.aliases))) for n in snapshot.nodes),
                sorted((e.key, tuple(sorted((ev.document, ev.start) for ev in e.evidence))) for e in snapshot.edges),
            )
        )
    assert snapshots[0][0] and snapshots[0][1]
    assert snapshots[0] == snapshots[1]


def test_a_second_load_of_a_resolved_graph_still_joins_what_the_store_holds(
    tmp_path: Path, texts: dict[str, Path]
) -> None:
    from govkg.graph.factory import StoreSettings
    from govkg.services.loading import load_paths

    settings = StoreSettings(engine="embedded", db_path=tmp_path / "two-loads.lbdb")
    load_paths(settings, [ARTICLE], similarity_top=0)
    load_paths(settings, [texts["danghu.txt"]], similarity_top=0)
    with LadybugStore(settings.db_path) as store:
        graph = store.snapshot()
    assert [n.id for n in named(graph, "Zone", "当湖街道")] == [DANGHU]
    assert "“三级友邻”服务机制" in graph.node_by_id()[SANJI].aliases
