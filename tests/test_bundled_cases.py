"""The bundled case sheets (data/cases/) are sound, true to the article they cite, and give the same
ids as the free-text extraction of that article."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from govkg.graph.ladybug_store import LadybugStore
from govkg.graph.model import GraphDocument, node_id, normalise_name
from govkg.loaders.case_sheet import load_case_sheet
from govkg.loaders.extract import extract_paths
from govkg.resources import BUNDLED_CASES_DIR, BUNDLED_CORPUS_DIR

ARTICLE_PATH = BUNDLED_CORPUS_DIR / "zhejiang-experimental-zones-2018.txt"
ARTICLE = ARTICLE_PATH.read_text(encoding="utf-8")
SHEET_PATHS = sorted(BUNDLED_CASES_DIR.glob("*.yaml"))

# The ten zones of the article and their chains, as the team's conventions fix them.
EXPECTED_CHAINS = {
    "平湖市当湖街道": "浙江省>嘉兴市>平湖市>当湖街道",
    "宁波市镇海区": "浙江省>宁波市>镇海区",
    "杭州市江干区": "浙江省>杭州市>江干区",
    "温州市五马街道": "浙江省>温州市>五马街道",
    "杭州市余杭区": "浙江省>杭州市>余杭区",
    "杭州市西湖区": "浙江省>杭州市>西湖区",
    "海宁市": "浙江省>嘉兴市>海宁市",
    "龙泉市宝溪乡": "浙江省>丽水市>龙泉市>宝溪乡",
    "宁波市江北区文教街道": "浙江省>宁波市>江北区>文教街道",
    "兰溪市兰江街道": "浙江省>金华市>兰溪市>兰江街道",
}


def raw(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def walk(value: Any, key: str = "") -> Iterator[tuple[str, Any]]:
    """Every (field name, value) in a sheet's data, at any depth."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield str(k), v
            yield from walk(v, str(k))
    elif isinstance(value, list):
        for item in value:
            yield key, item
            yield from walk(item, key)


def quotes(data: dict[str, Any]) -> list[str]:
    found: list[str] = []
    for key, value in walk(data):
        if key == "evidence":
            found.extend([value] if isinstance(value, str) else [v for v in value if isinstance(v, str)])
    return list(dict.fromkeys(found))


@pytest.fixture(scope="module")
def graphs() -> dict[str, GraphDocument]:
    return {path.name: load_case_sheet(path) for path in SHEET_PATHS}


def case_zone(graph: GraphDocument) -> str:
    """The zone that adopts the sheet's mechanisms."""
    (zone,) = {e.source for e in graph.edges if e.type == "ADOPTS"}
    return zone


def test_one_sheet_per_zone_of_the_article(graphs: dict[str, GraphDocument]) -> None:
    assert len(SHEET_PATHS) == 10
    zones = {case_zone(graph) for graph in graphs.values()}
    expected = {node_id("Zone", chain.replace(">", "")) for chain in EXPECTED_CHAINS.values()}
    assert zones == expected


@pytest.mark.parametrize("path", SHEET_PATHS, ids=lambda p: p.name)
def test_sheet_is_sound_and_its_chain_is_the_conventional_one(path: Path, graphs: dict[str, GraphDocument]) -> None:
    graph = graphs[path.name]
    assert graph.problems() == []
    nodes = graph.node_by_id()
    zone = nodes[case_zone(graph)]
    chain = EXPECTED_CHAINS[zone.name]
    # Walk PART_OF up from the zone: the chain of names, each zone to its direct parent.
    parent = {e.source: e.target for e in graph.edges if e.type == "PART_OF"}
    names: list[str] = []
    current = zone.id
    while current in parent:
        current = parent[current]
        names.insert(0, nodes[current].name)
    assert ">".join([*names, chain.rsplit(">", 1)[1]]) == chain
    for node in nodes.values():
        if node.label == "Zone" and node.properties["level"] in ("province", "city", "district"):
            assert re.fullmatch(r"\d{6}", node.properties["code"]), node.name


@pytest.mark.parametrize("path", SHEET_PATHS, ids=lambda p: p.name)
def test_every_quote_is_a_sentence_of_the_article(path: Path) -> None:
    found = quotes(raw(path))
    assert found, "each bundled sheet quotes the article"
    for quote in found:
        at = ARTICLE.find(quote)
        assert at >= 0, f"not in the article: {quote[:40]}…"
        # A whole sentence: it starts a line or follows 。 and it ends with 。.
        assert at == 0 or ARTICLE[at - 1] in "。\n", quote[:40]
        assert quote.endswith("。"), quote[:40]


@pytest.mark.parametrize("path", SHEET_PATHS, ids=lambda p: p.name)
def test_every_mechanism_is_quoted_and_named_in_the_article_words(path: Path, graphs: dict[str, GraphDocument]) -> None:
    graph = graphs[path.name]
    article = normalise_name(ARTICLE)
    nodes = graph.node_by_id()

    def written_in_article(node_id_: str) -> bool:
        # The name, or one of its aliases when the name joins a quoted term to its noun
        # (“三级友邻”的网络体系 -> “三级友邻”网络体系), is the article's own words.
        node = nodes[node_id_]
        return any(normalise_name(n) in article for n in [node.name, *node.aliases])

    for edge in graph.edges:
        if edge.type == "ADOPTS":
            assert any(ev.text in ARTICLE for ev in edge.evidence), f"{edge.target} has no article sentence"
            assert written_in_article(edge.target), nodes[edge.target].name
        if edge.type == "IMPLEMENTS":
            assert written_in_article(edge.target), nodes[edge.target].name


@pytest.mark.parametrize("path", SHEET_PATHS, ids=lambda p: p.name)
def test_no_figure_the_article_does_not_give(path: Path) -> None:
    data = raw(path)
    prose = [v for k, v in walk(data) if k in ("summary", "description", "role") and isinstance(v, str)]
    article_numbers = set(re.findall(r"\d+", ARTICLE))
    for text in prose:
        for number in re.findall(r"\d+", text):
            assert number in article_numbers, f"{number} in {text[:30]}… is not a figure of the article"
    for _, value in walk(data):
        if isinstance(value, dict) and "year" in value:
            assert str(value["year"]) in article_numbers


@pytest.mark.parametrize("path", SHEET_PATHS, ids=lambda p: p.name)
def test_each_sheet_cites_the_article(path: Path, graphs: dict[str, GraphDocument]) -> None:
    (document,) = graphs[path.name].documents
    assert (document.source, document.author, document.date) == ("中国社会报", "翟倩", "2018")
    assert "中国公益新闻网" in document.properties["citation"]
    assert document.path == str(path)
    # The article's by-line, year and source line support the citation.
    assert ARTICLE.startswith("本报记者 翟 倩")
    assert "来源:中国社会报" in ARTICLE


def test_ids_are_stable_across_reloads(graphs: dict[str, GraphDocument]) -> None:
    for path in SHEET_PATHS:
        assert load_case_sheet(path).to_dict() == graphs[path.name].to_dict()


def test_bundled_sheets_in_a_real_store(tmp_path: Path, graphs: dict[str, GraphDocument]) -> None:
    merged = extract_paths([BUNDLED_CASES_DIR])  # the folder, as `govkg load data/cases` reads it
    assert merged.problems() == []
    assert len(merged.documents) == 10  # the README is not a case
    store = LadybugStore(tmp_path / "govkg.lbdb")
    try:
        first = store.write(merged)
        assert first.nodes_created > 0
        # A researcher's question: which zones adopt a neighbourhood-network mechanism?
        rows = store.read(
            "MATCH (z:Zone)-[:ADOPTS]->(m:Mechanism)-[:IN_CATEGORY]->(c:Category {name: $c}) "
            "RETURN DISTINCT z.name AS zone ORDER BY zone",
            {"c": "邻里互助"},
        ).rows
        wanted = sorted(
            {
                nodes[e.source].name
                for graph in graphs.values()
                for nodes in [graph.node_by_id()]
                for e in graph.edges
                if e.type == "ADOPTS"
                and any(
                    c.type == "IN_CATEGORY" and c.source == e.target and c.target == node_id("Category", "邻里互助")
                    for c in graph.edges
                )
            }
        )
        assert [r[0] for r in rows] == wanted
        assert len(wanted) >= 2
        # All ten zones hang under 浙江省 through PART_OF.
        under = store.read(
            "MATCH (z:Zone)-[:ADOPTS]->(:Mechanism) MATCH (z)-[:PART_OF*1..4]->(p:Zone {id: $p}) "
            "RETURN count(DISTINCT z)",
            {"p": node_id("Zone", "浙江省")},
        ).rows
        assert under == [[10]]
        before = store.counts()
        again = store.write(merged)
        assert again.nodes_created == 0 and again.edges_created == 0
        assert store.counts() == before
    finally:
        store.close()


def test_same_ids_as_the_free_text_extraction(graphs: dict[str, GraphDocument]) -> None:
    """A unit or mechanism that both the sheets and the extractor find gets one id from both."""
    extractor = pytest.importorskip("govkg.loaders.text_extractor", reason="free-text extractor not committed yet")
    text_graph: GraphDocument = extractor.extract_text_file(ARTICLE_PATH)
    extracted_zones = {n.id for n in text_graph.nodes if n.label == "Zone"}
    sheet_zones = {case_zone(graph) for graph in graphs.values()}
    assert sheet_zones <= extracted_zones
    by_name: dict[str, str] = {}
    for node in text_graph.nodes:
        if node.label == "Mechanism":
            for name in [node.name, *node.aliases]:
                by_name.setdefault(normalise_name(name), node.id)
    clashes = []
    for graph in graphs.values():
        for node in graph.nodes:
            if node.label != "Mechanism":
                continue
            matches = {by_name[k] for k in (normalise_name(n) for n in [node.name, *node.aliases]) if k in by_name}
            if matches and node.id not in matches:
                clashes.append(f"{node.name}: sheet {node.id}, text {sorted(matches)}")
    assert clashes == []
