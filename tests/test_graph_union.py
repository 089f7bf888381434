"""A load's files are united one at a time (graph/model.py GraphUnion), each file's graph dropped once
added: the union must be exactly what one merge of all the files gave, whatever the grouping, and
must leave the graphs it was given as they were. A load also shares each node id among the files
(loaders/extract.py), which is where much of its memory went."""

from __future__ import annotations

from pathlib import Path

import pytest
from repo import PROJECT_ROOT

from govkg.bench.corpus import synthetic_corpus, write_corpus
from govkg.graph.model import Edge, Evidence, GraphDocument, GraphUnion, Node
from govkg.loaders.extract import expand_paths, extract_file, extract_paths

BUNDLED = [PROJECT_ROOT / "data" / "corpus", PROJECT_ROOT / "data" / "cases"]


@pytest.fixture(scope="module")
def file_graphs(tmp_path_factory: pytest.TempPathFactory) -> list[GraphDocument]:
    """Each file's own graph: the bundled real article and case sheets, and synthetic documents
    (labelled as such in bench/corpus.py) whose zones and practices repeat across files."""
    folder = tmp_path_factory.mktemp("synthetic")
    files = [*expand_paths(BUNDLED), *write_corpus(synthetic_corpus(60), folder)]
    return [extract_file(path) for path in files]


def _concatenated(graphs: list[GraphDocument]) -> GraphDocument:
    return GraphDocument(
        [d for g in graphs for d in g.documents],
        [n for g in graphs for n in g.nodes],
        [e for g in graphs for e in g.edges],
    )


def test_files_added_one_at_a_time_give_the_merge_of_all_at_once(file_graphs: list[GraphDocument]) -> None:
    at_once = GraphDocument().merged(_concatenated(file_graphs))
    union = GraphUnion()
    for graph in file_graphs:
        union.add(graph)
    one_at_a_time = union.result()
    assert one_at_a_time.to_dict() == at_once.to_dict()
    # The files do repeat one another, so the union had work to do.
    assert len(one_at_a_time.nodes) < sum(len(g.nodes) for g in file_graphs)
    assert any(len(e.evidence) > 1 for e in one_at_a_time.edges)


def test_the_grouping_of_the_files_does_not_change_the_union(file_graphs: list[GraphDocument]) -> None:
    whole = GraphUnion()
    for graph in file_graphs:
        whole.add(graph)
    grouped = GraphUnion()
    half = len(file_graphs) // 2
    grouped.add(GraphDocument().merged(_concatenated(file_graphs[:half])))
    grouped.add(_concatenated(file_graphs[half:]))
    assert grouped.result().to_dict() == whole.result().to_dict()


def test_the_graphs_added_are_left_as_they_were(file_graphs: list[GraphDocument]) -> None:
    before = [g.to_dict() for g in file_graphs]
    union = GraphUnion()
    for graph in file_graphs:
        union.add(graph)
    united = union.result()
    for node in united.nodes:  # changing the union changes no file's graph
        node.aliases.append("改动")
        node.properties["changed"] = True
    for edge in united.edges:
        edge.evidence.clear()
        edge.properties["changed"] = True
    assert [g.to_dict() for g in file_graphs] == before


def test_statements_of_one_fact_meet_as_the_model_says() -> None:
    # Hand-built: two files state one adoption (a plan, then the practice done in a later year) and
    # name one zone twice; a sentence given again is not evidence twice.
    def graph(doc: str, name: str, adoption: dict[str, object], text: str) -> GraphDocument:
        ev = Evidence(doc, text, 0, len(text))
        return GraphDocument(
            [],
            [
                Node("zone:甲街道", "Zone", name, [], {"level": "street", "code": ""}),
                Node("mechanism:乙", "Mechanism", "乙"),
            ],
            [Edge("ADOPTS", "zone:甲街道", "mechanism:乙", [ev], dict(adoption))],
        )

    union = GraphUnion()
    union.add(graph("document:1", "甲街道", {"stage": "planned", "year": 2019, "learned": False}, "甲街道计划推行乙。"))
    union.add(graph("document:2", "甲", {"stage": "adopted", "year": 2020, "learned": False}, "甲街道推行乙。"))
    union.add(graph("document:2", "甲", {"stage": "adopted", "year": 2020, "learned": False}, "甲街道推行乙。"))
    united = union.result()
    zone = united.nodes[0]
    assert (zone.name, zone.aliases, zone.properties) == ("甲街道", ["甲"], {"level": "street", "code": ""})
    (adopts,) = united.edges
    assert [ev.document for ev in adopts.evidence] == ["document:1", "document:2"]
    assert adopts.properties == {"stage": "adopted", "year": 2020, "learned": False}


def test_a_load_keeps_each_node_id_once_in_memory(tmp_path: Path) -> None:
    # Many files, so that workers extract them and their results arrive as separate copies.
    graph = extract_paths([*expand_paths(BUNDLED), *write_corpus(synthetic_corpus(240), tmp_path)])
    ends = [end for e in graph.edges for end in (e.source, e.target)] + [n.id for n in graph.nodes]
    assert len({id(end) for end in ends}) == len(set(ends))
