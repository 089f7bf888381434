"""Full-text search (graph/text_search.py over graph/text_index.py, kept by graph/text_index_cache.py):
what it finds, where the match is, how it ranks, what it refuses, that it never answers from data the
store no longer holds, and that both engines give the same hits for the same content.

Every text searched is WRITTEN FOR TESTING (tests/search_testing.py), about invented places.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from search_testing import (
    BUTLER,
    DOC_A,
    DOC_B,
    DOC_C,
    DOC_LATER,
    EAST,
    GARDEN,
    HALL,
    NORTH,
    SOUTH,
    STATION,
    TEXT_A,
    TEXT_C,
    later_graph,
    search_graph,
)

from govkg.errors import SearchError
from govkg.graph.corrections import Target
from govkg.graph.ladybug_store import LadybugStore
from govkg.graph.model import Document, GraphDocument, node_id
from govkg.graph.store import GraphStore, SearchableText, searchable_text_of
from govkg.graph.text_index import build_index, load_index, match_form, save_index
from govkg.graph.text_index_cache import forget_indexes, index_for_store, index_path
from govkg.graph.text_search import MAX_QUERY_CHARS, SNIPPET_CHARS, SearchHit, search_from_store, search_index

TEXTS = {DOC_A: TEXT_A, DOC_C: TEXT_C}
# Queries of every kind: names, aliases, evidence and text words, traditional forms, absent words,
# several terms, and characters with a meaning in Cypher or Lucene.
QUERIES = ["邻里议事厅", "鄰里議事廳", "议事厅", "值守", "图书馆", "网格管家", "網格", "镇", "测试", "丙县 议事厅",
           "没有这个词", '"邻里议事厅"', "网格*", "~网格", "(", "\\", "议事厅 OR 1=1 //", "n.name =~ '.*'"]  # fmt: skip


@pytest.fixture(autouse=True)
def own_caches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test starts with no index in memory, and a Neo4j store's index file goes to tmp_path."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    forget_indexes()
    yield
    forget_indexes()


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest) -> GraphStore:
    """The search graph in an empty store of each engine."""
    found: GraphStore = request.getfixturevalue("embedded_store" if request.param == "embedded" else "neo4j_store")
    found.write(search_graph())
    return found


def index() -> Any:
    return build_index(searchable_text_of(search_graph()))


def hits(query: str, **options: Any) -> list[SearchHit]:
    return search_index(index(), query, **options)


def assert_offsets_point_at_the_match(hit: SearchHit, query: str) -> None:
    terms = [t for t in match_form(query).replace('"', " ").split() if t]
    for start, end in hit.spans:
        assert match_form(hit.sentence[start:end]) in terms
    assert (hit.start, hit.end) == hit.spans[0]
    if hit.document in TEXTS:
        assert hit.document_start is not None
        assert TEXTS[hit.document][hit.document_start : hit.document_start + len(hit.sentence)] == hit.sentence


# --- what it finds -------------------------------------------------------------------------------


def test_a_name_is_found_first_and_exactly() -> None:
    found = hits("睦邻驿站")
    assert (found[0].node, found[0].where, found[0].sentence, found[0].exact) == (STATION, "name", "睦邻驿站", True)
    assert (found[0].start, found[0].end, found[0].document) == (0, 4, None)


def test_an_alias_is_found() -> None:
    found = hits("议事厅")
    assert (found[0].node, found[0].where, found[0].sentence, found[0].exact) == (HALL, "alias", "议事厅", True)
    assert (found[1].node, found[1].where, found[1].exact) == (HALL, "name", False)  # the name holds it


def test_a_word_only_in_an_evidence_sentence_is_found_at_both_ends() -> None:
    # 值守 is only in the case sheet's sentence (its document is stored without text).
    found = hits("值守")
    assert {(h.node, h.where) for h in found} == {(SOUTH, "evidence"), (STATION, "evidence")}
    assert all(h.document == DOC_B and h.relationships == (("ADOPTS", SOUTH, STATION),) for h in found)
    assert found[0].sentence[found[0].start : found[0].end] == "值守"


def test_a_word_only_in_a_documents_text_is_found_at_the_document() -> None:
    found = hits("图书馆")
    assert [(h.node, h.label, h.where, h.name) for h in found] == [(DOC_A, "Document", "text", "测试文本甲")]
    hit = found[0]
    assert hit.sentence == "镇里还有一座老图书馆，平日少有人提及。" and hit.relationships == ()
    assert TEXT_A[hit.document_start + hit.start : hit.document_start + hit.end] == "图书馆"  # type: ignore[operator]


def test_a_traditional_query_finds_simplified_text_and_the_other_way_round() -> None:
    assert [(h.node, h.where, h.document_start) for h in hits("鄰里議事廳")] == [
        (h.node, h.where, h.document_start) for h in hits("邻里议事厅")
    ]
    assert hits("鄰里議事廳")[0].node == HALL
    # The stored traditional sentence is returned as written; the offsets point at 網格管家 in it.
    found = [h for h in hits("网格管家") if h.where == "evidence"]
    assert {h.node for h in found} == {EAST, BUTLER}
    assert all(h.sentence[h.start : h.end] == "網格管家" and h.document == DOC_C for h in found)


def test_offsets_point_exactly_at_the_match() -> None:
    for query in QUERIES:
        for hit in hits(query, top=50):
            assert_offsets_point_at_the_match(hit, query)
    both = hits("议事厅", top=50)
    twice = next(h for h in both if h.where == "text" and len(h.spans) == 2)
    assert [twice.sentence[s:e] for s, e in twice.spans] == ["议事厅", "议事厅"]


def test_every_term_must_occur() -> None:
    assert {h.node for h in hits("丙县 议事厅")} == {NORTH, HALL, DOC_A}
    assert hits("丙县 网格管家") == []
    assert hits("没有这个词") == []


def test_a_long_sentence_is_cut_to_a_window_around_its_match() -> None:
    filler = "某地为测试而写的长句" * 40  # written for testing
    text = f"{filler}提到了少见的词语藏书楼{filler}。"
    graph = GraphDocument([Document("document:long", "long.txt", "长文", "", "", "", text)], [], [])
    [hit] = search_index(build_index(searchable_text_of(graph)), "藏书楼")
    assert len(hit.sentence) == SNIPPET_CHARS and hit.sentence[hit.start : hit.end] == "藏书楼"
    assert text[hit.document_start : hit.document_start + SNIPPET_CHARS] == hit.sentence  # type: ignore[operator]


# --- ranking, filters, refusals --------------------------------------------------------------------


def test_an_exact_name_ranks_above_passing_mentions() -> None:
    found = hits("邻里议事厅", top=50)
    assert (found[0].node, found[0].where, found[0].exact) == (HALL, "name", True)
    # The sentences that mention it score higher by BM25 but come after the name.
    assert all(h.where in ("evidence", "text") for h in found[1:])
    assert max(h.score for h in found[1:]) > found[0].score
    scores = [h.score for h in found[1:]]
    assert scores == sorted(scores, reverse=True)


def test_label_and_top() -> None:
    assert {h.label for h in hits("议事厅", label="Zone", top=50)} == {"Zone"}
    assert [(h.node, h.where) for h in hits("议事厅", label="Document")] == [(DOC_A, "text")] * 2  # two sentences
    assert len(hits("议事厅", top=1)) == 1
    assert len(hits("议事厅", top=50)) > 3
    with pytest.raises(SearchError, match="unknown label"):
        hits("议事厅", label="Nothing")


@pytest.mark.parametrize("query", ["", "   ", '""', "“ ”", "x" * (MAX_QUERY_CHARS + 1), "议事" * 5000])
def test_an_empty_or_absurdly_long_query_is_refused_in_one_line(query: str) -> None:
    with pytest.raises(SearchError) as raised:
        hits(query)
    message = str(raised.value)
    assert "\n" not in message and ("empty" in message or f"at most {MAX_QUERY_CHARS}" in message)


@pytest.mark.parametrize("query", ['"', "*", "~", "(", "\\", '议事厅"', "议事厅*", "议事厅~2", "(议事厅)", "议事厅\\",
                                   '") RETURN 1 //', "' OR 1=1 --", "议事厅 AND NOT 丙县"])  # fmt: skip
def test_special_characters_are_plain_characters(query: str) -> None:
    """Characters with a meaning in Cypher or Lucene are characters like any other: a query holding
    them finds only text holding them (none here), never crashes, and never reaches a query language."""
    try:
        found = hits(query, top=50)
    except SearchError as err:  # only the quote mark alone: nothing left to search for
        assert query == '"' and "empty" in str(err)
        return
    for hit in found:
        assert_offsets_point_at_the_match(hit, query)
    if query == '议事厅"':
        assert found and found[0].node == HALL  # a quote mark separates terms
    elif query == "议事厅 AND NOT 丙县":
        assert found == []  # AND, NOT are words to find too
    else:
        assert found == []


def test_the_index_does_not_depend_on_the_order_it_is_read_in() -> None:
    source = searchable_text_of(search_graph())
    shuffled = SearchableText(list(source.nodes), dict(reversed(list(source.texts.items()))), list(source.evidence))
    rng = random.Random(7)
    rng.shuffle(shuffled.nodes)
    rng.shuffle(shuffled.evidence)
    first, second = build_index(source), build_index(shuffled)
    for query in QUERIES[:10]:
        assert search_index(first, query, top=50) == search_index(second, query, top=50)


# --- the index kept for a store ------------------------------------------------------------------


def test_the_index_is_kept_beside_the_database_and_read_back(embedded_store: LadybugStore) -> None:
    embedded_store.write(search_graph())
    built = []
    first = search_from_store(embedded_store, "值守", building=lambda: built.append(1))
    token = embedded_store.data_token()
    assert token is not None and index_path(token) == embedded_store.path.with_name("govkg.lbdb.search")
    assert index_path(token).exists() and built == [1]
    forget_indexes()  # a new process: read from the file, not built again
    assert search_from_store(embedded_store, "值守", building=lambda: built.append(2)) == first and built == [1]
    assert load_index(index_path(token), "another version") is None


def test_a_damaged_index_file_is_rebuilt(embedded_store: LadybugStore) -> None:
    embedded_store.write(search_graph())
    first = search_from_store(embedded_store, "图书馆")
    token = embedded_store.data_token()
    assert token is not None
    index_path(token).write_bytes(b"PK\x03\x04 not an index")
    forget_indexes()
    assert search_from_store(embedded_store, "图书馆") == first
    assert load_index(index_path(token), token.version) is not None  # written whole again


def test_a_search_after_a_new_load_sees_the_new_document(store: GraphStore) -> None:
    assert search_from_store(store, "共享菜园") == []
    assert search_from_store(store, "退休教师") == []
    store.write(later_graph())
    assert search_from_store(store, "共享菜园")[0].node == GARDEN
    assert DOC_LATER in {h.node for h in search_from_store(store, "退休教师")}


def test_a_reader_sees_a_load_another_process_wrote(embedded_store: LadybugStore) -> None:
    """The app's read-only handle, open while `govkg load` writes beside it."""
    embedded_store.write(search_graph())
    path = embedded_store.path
    embedded_store.close()
    reader = LadybugStore(path, read_only=True)
    try:
        assert search_from_store(reader, "共享菜园") == []
        with LadybugStore(path) as writer:
            writer.write(later_graph())
        assert search_from_store(reader, "共享菜园")[0].node == GARDEN
    finally:
        reader.close()


def test_a_rename_in_place_leaves_no_stale_hit(store: GraphStore) -> None:
    """A correction changes a name without changing any count: the index is rebuilt all the same."""
    assert search_from_store(store, "睦邻驿站")[0].node == STATION
    correction = store.make_correction("rename", Target(node=STATION), {"name": "邻家驿站"}, author="测试者",
                                       made_at="2026-01-01T00:00:00Z")  # fmt: skip
    store.apply_correction(correction)
    assert [h for h in search_from_store(store, "睦邻驿站") if h.where == "name"] == []
    renamed = search_from_store(store, "邻家驿站")[0]  # a new name is a new id (graph/model.node_id)
    assert (renamed.node, renamed.where, renamed.exact) == (node_id("Mechanism", "邻家驿站"), "name", True)
    assert STATION not in {h.node for h in search_from_store(store, "驿站", top=50)}


def test_an_index_of_other_data_is_never_used(embedded_store: LadybugStore) -> None:
    embedded_store.write(search_graph())
    search_from_store(embedded_store, "值守")
    token = embedded_store.data_token()
    assert token is not None
    stale = build_index(searchable_text_of(later_graph()), token.version)  # a file claiming this version
    embedded_store.write(GraphDocument([], [], []))  # any write: a new file, a new token
    save_index(stale, index_path(token))
    assert embedded_store.data_token() != token
    assert search_from_store(embedded_store, "共享菜园") == []


# --- the two engines -----------------------------------------------------------------------------


@pytest.mark.neo4j
def test_both_engines_give_the_same_hits(embedded_store: LadybugStore, neo4j_store: GraphStore) -> None:
    for store in (embedded_store, neo4j_store):
        store.write(search_graph())
        store.write(later_graph())
    assert sorted(embedded_store.searchable_text().nodes) == sorted(neo4j_store.searchable_text().nodes)
    for query in QUERIES:
        for label in (None, "Zone", "Document"):
            try:
                embedded = [h.to_dict() for h in search_from_store(embedded_store, query, label=label, top=50)]
            except SearchError as err:
                with pytest.raises(SearchError, match=str(err)):
                    search_from_store(neo4j_store, query, label=label, top=50)
                continue
            assert [h.to_dict() for h in search_from_store(neo4j_store, query, label=label, top=50)] == embedded


@pytest.mark.neo4j
def test_neo4j_data_token_changes_with_every_write_and_only_then(neo4j_store: GraphStore) -> None:
    neo4j_store.write(search_graph())
    first = neo4j_store.data_token()
    assert first is not None and first.beside is None
    neo4j_store.read("MATCH (n) RETURN count(n)")
    search_from_store(neo4j_store, "值守")
    assert neo4j_store.data_token() == first
    neo4j_store.write(later_graph())
    assert neo4j_store.data_token() != first


def test_embedded_data_token_changes_with_every_write(embedded_store: LadybugStore) -> None:
    embedded_store.write(search_graph())
    first = embedded_store.data_token()
    assert first is not None and first.beside == embedded_store.path
    embedded_store.read("MATCH (n) RETURN count(n)")
    assert embedded_store.data_token() == first
    embedded_store.write(GraphDocument([], [], []))
    assert embedded_store.data_token() != first


def test_the_index_store_and_the_snapshot_read_the_same_text(embedded_store: LadybugStore) -> None:
    embedded_store.write(search_graph())
    fast, whole = embedded_store.searchable_text(), searchable_text_of(embedded_store.snapshot())
    assert sorted(fast.nodes) == sorted(whole.nodes) and fast.texts == whole.texts
    assert sorted(fast.evidence) == sorted(whole.evidence)
    assert index_for_store(embedded_store).passages == build_index(whole).passages
