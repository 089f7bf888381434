"""Curation round trip: the article's extraction written as a case sheet, corrected by hand, loaded
back: the corrected sheet replaces the automatic extraction of that document, in one transaction,
on both engines (a real LadybugDB in tmp_path; the project's Neo4j through tests/neo4j_fixture.py).

The corrections made here (a mechanism struck out, one renamed) are edits of the exported sheet
written for testing; the article is the bundled real one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from govkg.errors import InputError, StoreError
from govkg.graph.ladybug_store import LadybugStore
from govkg.graph.model import Edge, GraphDocument, node_id
from govkg.graph.store import GraphStore
from govkg.loaders.case_sheet import case_sheet_from_text, load_case_sheet
from govkg.loaders.extract import extract_paths
from govkg.loaders.resolution import resolve_against_store
from govkg.loaders.sheet_export import case_sheet_to_yaml
from govkg.resources import BUNDLED_CASES_DIR, BUNDLED_CORPUS_DIR

ARTICLE = BUNDLED_CORPUS_DIR / "zhejiang-experimental-zones-2018.txt"
STRUCK = "营造有文化灵魂的乡村社区"  # 龙泉市宝溪乡's practice as the extractor names it: a clause, not a name
OLD_NAME = "“社工委员”专职专选"  # renamed by the researcher ...
NEW_NAME = "社工委员专职专选制度"  # ... to this
BAOXI = node_id("Zone", "浙江省丽水市龙泉市宝溪乡")
HAINING = node_id("Zone", "浙江省嘉兴市海宁市")


def load(store: GraphStore, *paths: Path) -> Any:
    """What `govkg load` does: extract, resolve against the store, write."""
    return store.write(resolve_against_store(extract_paths(list(paths)), store))


def mechanisms(case: dict[str, Any]) -> list[Any]:
    return case.setdefault("mechanisms", [])


def corrected_sheet(tmp_path: Path) -> Path:
    """The exported sheet with two corrections: STRUCK removed, OLD_NAME renamed to NEW_NAME."""
    exported = case_sheet_to_yaml(extract_paths([ARTICLE]))
    assert exported.startswith("# ")  # the header says where the sheet came from and how to load it
    data = yaml.safe_load(exported)
    found = {"struck": 0, "renamed": 0}
    for case in data["cases"]:
        kept = []
        for entry in mechanisms(case):
            name = entry if isinstance(entry, str) else entry["name"]
            if name == STRUCK:
                found["struck"] += 1
                continue
            if name == OLD_NAME:
                entry["name"] = NEW_NAME
                entry["aliases"] = [a for a in entry.get("aliases", []) if a != "社工委员"]
                found["renamed"] += 1
            kept.append(entry)
        if kept:
            case["mechanisms"] = kept
        else:
            case.pop("mechanisms", None)
        for org in case.get("organisations", []):
            if OLD_NAME in org.get("mechanisms", []):
                org["mechanisms"] = [NEW_NAME if m == OLD_NAME else m for m in org["mechanisms"]]
        for policy in case.get("policies", []):
            if OLD_NAME in policy.get("mechanisms", []):
                policy["mechanisms"] = [NEW_NAME if m == OLD_NAME else m for m in policy["mechanisms"]]
    assert found == {"struck": 1, "renamed": 1}
    path = tmp_path / "article-corrected.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def evidence_documents(graph: GraphDocument) -> set[str]:
    return {ev.document for e in graph.edges for ev in e.evidence}


def without_loaded_at(graph: GraphDocument) -> dict[str, Any]:
    data = graph.to_dict()
    for doc in data["documents"]:
        doc.get("properties", {}).pop("loaded_at", None)
    return data


def check_round_trip(store: GraphStore, tmp_path: Path) -> None:
    article = extract_paths([ARTICLE])
    article_id = article.documents[0].id
    load(store, ARTICLE)
    sheet_path = corrected_sheet(tmp_path)
    sheet = load_case_sheet(sheet_path)
    sheet_id = sheet.documents[0].id
    assert sheet.documents[0].properties["replaces"] == [article_id]

    summary = load(store, sheet_path)
    assert summary.documents_replaced == [article_id]
    assert summary.documents_skipped == []
    graph = store.snapshot()

    # Nothing the article alone supported remains: every piece of evidence is the sheet's.
    assert evidence_documents(graph) == {sheet_id}
    nodes = graph.node_by_id()
    assert node_id("Mechanism", STRUCK) not in nodes
    assert not [e for e in graph.edges if e.key == ("ADOPTS", BAOXI, node_id("Mechanism", STRUCK))]
    assert node_id("Mechanism", OLD_NAME) not in nodes
    renamed = nodes[node_id("Mechanism", NEW_NAME)]
    assert renamed.name == NEW_NAME
    assert ("ADOPTS", HAINING, renamed.id) in {e.key for e in graph.edges}
    assert ("FRAMED_BY", renamed.id, node_id("Policy", "选举办法")) in {e.key for e in graph.edges}
    # 宝溪乡 stays: the sheet still names it (its case without the struck practice).
    assert BAOXI in nodes

    # The counts are those of the sheet loaded alone into an empty store (where a placeholder stands
    # for the article it replaces, which the store here holds as the superseded Document).
    fresh = LadybugStore(tmp_path / "sheet-alone.lbdb")
    try:
        expected = fresh.write(sheet).counts_after
    finally:
        fresh.close()
    assert summary.counts_after == expected
    before = store.counts()
    assert before["Mechanism"] == len([n for n in article.nodes if n.label == "Mechanism"]) - 1

    # The article's Document stays, with its text, marked as superseded by the sheet; it mentions nothing.
    documents = {d.id: d for d in graph.documents}
    assert documents[article_id].properties["superseded_by"] == sheet_id
    assert documents[article_id].text == article.documents[0].text
    assert not [e for e in graph.edges if e.type == "MENTIONS" and e.source == article_id]
    assert documents[sheet_id].properties["curated"] is True
    assert documents[sheet_id].properties["replaces"] == [article_id]
    # Every fact the sheet states is marked curated.
    assert all(e.properties.get("curated") is True for e in graph.edges if e.type != "MENTIONS")
    assert all(n.properties.get("curated") is True for n in graph.nodes)

    # Loading the corrected sheet again changes nothing; loading the article again writes nothing.
    snapshot = without_loaded_at(store.snapshot())
    again = load(store, sheet_path)
    assert (again.nodes_created, again.edges_created, again.documents_replaced) == (0, 0, [])
    assert without_loaded_at(store.snapshot()) == snapshot
    skipped = load(store, ARTICLE)
    assert skipped.documents_skipped == [article_id]
    assert (skipped.documents, skipped.nodes_created, skipped.edges_created) == (0, 0, 0)
    assert without_loaded_at(store.snapshot()) == snapshot


def check_failed_curation_changes_nothing(store: GraphStore, tmp_path: Path) -> None:
    load(store, ARTICLE)
    before = without_loaded_at(store.snapshot())
    sheet = load_case_sheet(corrected_sheet(tmp_path))
    broken = GraphDocument(
        sheet.documents,
        sheet.nodes,
        [*sheet.edges, Edge("ADOPTS", BAOXI, node_id("Mechanism", "未写入的做法"))],  # written for testing
    )
    with pytest.raises(StoreError):
        store.write(broken)
    assert without_loaded_at(store.snapshot()) == before


@pytest.fixture()
def embedded(tmp_path: Path) -> Iterator[LadybugStore]:
    store = LadybugStore(tmp_path / "curation.lbdb")
    yield store
    store.close()


def test_corrected_sheet_replaces_the_extraction(embedded: LadybugStore, tmp_path: Path) -> None:
    check_round_trip(embedded, tmp_path)


def test_a_failed_curated_load_leaves_the_store_as_it_was(embedded: LadybugStore, tmp_path: Path) -> None:
    check_failed_curation_changes_nothing(embedded, tmp_path)


@pytest.mark.neo4j
def test_corrected_sheet_replaces_the_extraction_in_neo4j(neo4j_store: GraphStore, tmp_path: Path) -> None:
    check_round_trip(neo4j_store, tmp_path)


@pytest.mark.neo4j
def test_a_failed_curated_load_leaves_neo4j_as_it_was(neo4j_store: GraphStore, tmp_path: Path) -> None:
    check_failed_curation_changes_nothing(neo4j_store, tmp_path)


def test_facts_other_documents_support_survive(embedded: LadybugStore, tmp_path: Path) -> None:
    """With the bundled sheets loaded too, what they also state keeps their evidence."""
    load(embedded, ARTICLE, BUNDLED_CASES_DIR)
    article_id = extract_paths([ARTICLE]).documents[0].id
    bundled = extract_paths([BUNDLED_CASES_DIR])
    summary = load(embedded, corrected_sheet(tmp_path))
    assert summary.documents_replaced == [article_id]
    graph = embedded.snapshot()
    assert article_id not in evidence_documents(graph)
    nodes = graph.node_by_id()
    # 营造有文化灵魂的乡村社区 is also in the bundled sheet of 龙泉市宝溪乡: it stays, on that sheet's word.
    struck = node_id("Mechanism", STRUCK)
    adoption = next(e for e in graph.edges if e.key == ("ADOPTS", BAOXI, struck))
    assert {ev.document for ev in adoption.evidence} <= {d.id for d in bundled.documents}
    assert adoption.properties.get("curated") is None  # no curated document says so any more
    assert nodes[struck].properties.get("curated") is None
    # Every node the bundled sheets name is still there.
    assert {n.id for n in bundled.nodes} <= set(nodes)


def test_curating_again_replaces_the_first_curation(embedded: LadybugStore, tmp_path: Path) -> None:
    load(embedded, ARTICLE)
    first_path = corrected_sheet(tmp_path)
    load(embedded, first_path)
    first_id = load_case_sheet(first_path).documents[0].id
    # Export the curated sheet's own graph, strike one more practice, load: it replaces the first.
    data = yaml.safe_load(case_sheet_to_yaml(load_case_sheet(first_path)))
    assert data["replaces"]["document"] == first_id
    # Strike a practice that only this case names (not a part, not another case's): its node must go.
    named = [json.dumps(c, ensure_ascii=False) for c in data["cases"]]
    case, struck_name = next(
        (c, n)
        for i, c in enumerate(data["cases"])
        if len(c.get("mechanisms") or []) > 1
        for n in [m if isinstance(m, str) else m["name"] for m in c["mechanisms"]][-1:]
        if sum(text.count(f'"{n}"') for text in named) == 1 and named[i].count(f'"{n}"') == 1
    )
    case["mechanisms"] = [m for m in case["mechanisms"] if (m if isinstance(m, str) else m["name"]) != struck_name]
    second_path = tmp_path / "article-corrected-again.yaml"
    second_path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    summary = load(embedded, second_path)
    assert summary.documents_replaced == [first_id]
    graph = embedded.snapshot()
    assert not [n for n in graph.nodes if n.label == "Mechanism" and n.name == struck_name]
    second_id = load_case_sheet(second_path).documents[0].id
    assert evidence_documents(graph) == {second_id}
    assert all(e.properties.get("curated") is True for e in graph.edges if e.type != "MENTIONS")


def test_a_curated_sheet_into_a_store_without_its_source_still_guards_it(
    embedded: LadybugStore, tmp_path: Path
) -> None:
    """The article was never loaded here: a placeholder remembers the replacement."""
    article_id = extract_paths([ARTICLE]).documents[0].id
    summary = load(embedded, corrected_sheet(tmp_path))
    assert summary.documents_replaced == [article_id]
    assert load(embedded, ARTICLE).documents_skipped == [article_id]
    placeholder = next(d for d in embedded.snapshot().documents if d.id == article_id)
    assert placeholder.path.endswith(ARTICLE.name)
    assert placeholder.properties["superseded_by"]


def test_the_article_and_its_curated_sheet_in_one_load(embedded: LadybugStore, tmp_path: Path) -> None:
    sheet_path = corrected_sheet(tmp_path)
    article_id = extract_paths([ARTICLE]).documents[0].id
    summary = load(embedded, ARTICLE, sheet_path)
    assert summary.documents_skipped == [article_id]
    assert node_id("Mechanism", STRUCK) not in embedded.snapshot().node_by_id()


def test_export_holds_everything_the_extraction_found() -> None:
    """Every zone, mechanism, organisation and policy, parts, categories and descriptions survive the
    trip through the sheet; only MENTIONS differ (the sheet's stored text is composed from it)."""
    texts = Path(__file__).parent / "data" / "text"
    for path in [ARTICLE, *sorted(texts.glob("*.txt")), *sorted(texts.glob("*.md"))]:
        graph = extract_paths([path])
        sheet = yaml.safe_load(case_sheet_to_yaml(graph))
        assert sheet["replaces"] == {"document": graph.documents[0].id, "path": str(path)}
        back = case_sheet_from_text(yaml.safe_dump(sheet, allow_unicode=True), "exported.yaml")
        assert back.problems() == []
        assert {n.id for n in back.nodes} == {n.id for n in graph.nodes}, path.name
        keys = {e.key for e in graph.edges if e.type != "MENTIONS"}
        assert {e.key for e in back.edges if e.type != "MENTIONS"} == keys, path.name
        for node in graph.nodes:
            returned = back.node_by_id()[node.id]
            assert returned.name == node.name
            assert set(node.aliases) <= set(returned.aliases) | {returned.name}, (path.name, node.name)
            for key in ("description", "parts", "kind", "year", "level", "code"):
                assert returned.properties.get(key) == node.properties.get(key), (path.name, node.name, key)


def test_a_multi_document_export_is_refused_with_the_fix() -> None:
    graph = extract_paths([ARTICLE, Path(__file__).parent / "data" / "text" / "anji-village-case.txt"])
    with pytest.raises(InputError, match="export one file at a time"):
        case_sheet_to_yaml(graph)


@pytest.mark.parametrize(
    ("replaces", "fragment"),
    [
        ("replaces: d7aa320fddb47a1d", "is not a document id"),
        ("replaces: {path: article.txt}", "the required field 'document' is missing"),
        ("replaces: {document: document:d7aa320fddb47a1d, file: a.txt}", "unknown field 'file'"),
    ],
)
def test_a_malformed_replaces_entry_is_named(replaces: str, fragment: str) -> None:
    text = f"source: {{publication: 中国社会报}}\n{replaces}\nzone: 平湖市当湖街道\nmechanisms: [三级友邻]\n"
    with pytest.raises(InputError) as caught:
        case_sheet_from_text(text, "written-for-testing.yaml")
    assert fragment in str(caught.value)
    assert "replaces" in str(caught.value)


def test_unplaced_facts_have_no_zone_ties() -> None:
    text = """
source: {publication: 测试用文本}
zone: 平湖市当湖街道
mechanisms: [三级友邻]
unplaced:
  mechanisms: [共建共治共享]
  organisations: [{name: 社会组织, kind: social-organisation, mechanisms: [共建共治共享]}]
"""
    graph = case_sheet_from_text(text, "written-for-testing.yaml")
    assert graph.problems() == []
    free = node_id("Mechanism", "共建共治共享")
    assert not [e for e in graph.edges if e.target == free and e.type == "ADOPTS"]
    assert ("PARTICIPATES_IN", node_id("Organisation", "社会组织"), free) in {e.key for e in graph.edges}
    assert not [e for e in graph.edges if e.type == "HAS_ORGANISATION"]



def test_the_command_line_round_trip(tmp_path: Path) -> None:
    """govkg extract --format yaml > sheet; edit; govkg load sheet; govkg load article again."""
    import os
    import subprocess
    import sys

    govkg = str(Path(sys.executable).with_name("govkg"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOVKG_", "NEO4J_"))}
    env["GOVKG_DB"] = str(tmp_path / "cli.lbdb")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([govkg, *args], capture_output=True, text=True, env=env, timeout=300)
        assert done.returncode == 0, done.stderr
        return done

    run("load", str(ARTICLE))
    exported = run("extract", str(ARTICLE), "--format", "yaml").stdout
    assert exported == case_sheet_to_yaml(extract_paths([ARTICLE]))
    sheet_path = corrected_sheet(tmp_path)
    loaded = run("load", str(sheet_path)).stdout
    article_id = extract_paths([ARTICLE]).documents[0].id
    assert f"replaced 1 document(s) by a curated sheet ({article_id})" in loaded
    again = run("load", str(ARTICLE)).stdout
    assert f"skipped 1 document(s) already replaced by a curated sheet ({article_id})" in again
    rows = run(
        "cypher",
        "MATCH (z:Zone)-[a:ADOPTS]->(m:Mechanism) WHERE a.curated = true RETURN m.name AS name",
        "--format",
        "json",
    ).stdout
    names = {r["name"] for r in yaml.safe_load(rows)}
    assert NEW_NAME in names and STRUCK not in names and OLD_NAME not in names
