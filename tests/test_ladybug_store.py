"""The embedded store on a real LadybugDB file in tmp_path: what only it does (one file, a writer's
lock, a read-only handle, the schema as tables). What both engines promise is in tests/test_store_contract.py."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import ORG, SMALL_DOC
from test_store_contract import canonical

import govkg.graph.ladybug_store as ladybug_store
from govkg.errors import QueryError, ReadOnlyViolation, StoreError, StoreLockedError
from govkg.graph.ladybug_store import LadybugStore
from govkg.graph.model import EDGE_TYPES, NODE_LABELS, GraphDocument
from govkg.graph.schema import edge_columns, node_columns

# --- schema --------------------------------------------------------------------------------------


def test_a_new_store_creates_every_table_with_its_declared_columns(embedded_store: LadybugStore) -> None:
    assert embedded_store.path.is_file()
    counts = embedded_store.counts()
    assert counts == {name: 0 for name in [*NODE_LABELS, *EDGE_TYPES]}
    for label in NODE_LABELS:
        columns = {r[1] for r in embedded_store.read(f"CALL table_info('{label}') RETURN *").rows}
        assert columns == {"id", *node_columns(label)}
    for edge_type in EDGE_TYPES:
        columns = {r[1] for r in embedded_store.read(f"CALL table_info('{edge_type}') RETURN *").rows}
        assert columns == set(edge_columns(edge_type))


def test_reopening_keeps_the_data_and_the_schema(tmp_path: Path, small_graph: GraphDocument) -> None:
    path = tmp_path / "deep" / "folder" / "kg.lbdb"
    with LadybugStore(path) as store:
        store.write(small_graph)
        before = store.counts()
    with LadybugStore(path) as store:
        assert store.counts() == before


# --- writing -------------------------------------------------------------------------------------


def test_mentions_carry_the_sentences_that_name_the_node(small_store: LadybugStore, small_graph: GraphDocument) -> None:
    rows = small_store.read(
        "MATCH (d:Document)-[m:MENTIONS]->(o:Organisation) RETURN d.id, m.evidence_texts AS texts"
    ).records()
    assert [r["d.id"] for r in rows] == [SMALL_DOC]
    org_sentences = {ev.text for e in small_graph.edges if ORG in (e.source, e.target) for ev in e.evidence}
    assert set(rows[0]["texts"]) == org_sentences == {"东街道党委参与“友邻议事会”。"}


# --- reading -------------------------------------------------------------------------------------


def test_the_read_only_handle_refuses_a_write_the_guard_missed(
    small_store: LadybugStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ladybug_store, "check_read_only", lambda cypher: None)  # pretend the guard missed it
    before = canonical(small_store.snapshot())
    with pytest.raises(ReadOnlyViolation, match="read-only"):
        small_store.read("MATCH (z:Zone) SET z.name = 'changed'")
    assert canonical(small_store.snapshot()) == before


def test_write_words_inside_strings_and_comments_are_allowed(small_store: LadybugStore) -> None:
    result = small_store.read(
        "// DELETE everything? no: this only reads\n"
        "MATCH (z:Zone) WHERE z.name <> 'CREATE (x) SET y' /* MERGE */ RETURN count(z) AS zones"
    )
    assert result.records() == [{"zones": 7}]


def test_a_syntax_error_is_a_one_line_query_error(small_store: LadybugStore) -> None:
    with pytest.raises(QueryError) as caught:
        small_store.read("MATCH (z:Zone RETURN z")
    assert "Parser exception" in str(caught.value) and "\n" not in str(caught.value)
    with pytest.raises(QueryError, match="nope"):
        small_store.read("MATCH (z:Zone) RETURN z.nope")


# --- opening -------------------------------------------------------------------------------------


def test_read_only_on_a_missing_file_says_how_to_create_one(tmp_path: Path) -> None:
    missing = tmp_path / "none.lbdb"
    with pytest.raises(StoreError, match="govkg load") as caught:
        LadybugStore(missing, read_only=True)
    assert str(missing) in str(caught.value)
    assert not missing.exists()


def test_read_only_store_refuses_write_and_sees_later_loads(tmp_path: Path, small_graph: GraphDocument) -> None:
    path = tmp_path / "kg.lbdb"
    writer = LadybugStore(path)
    reader = LadybugStore(path, read_only=True)
    try:
        assert reader.counts()["Zone"] == 0
        with pytest.raises(StoreError, match="read-only"):
            reader.write(small_graph)
        writer.write(small_graph)
        assert reader.counts()["Zone"] == 7
        assert reader.read("MATCH (z:Zone) RETURN count(z)").rows == [[7]]
    finally:
        reader.close()
        writer.close()


def test_a_database_held_by_another_process_raises_store_locked(tmp_path: Path) -> None:
    path = tmp_path / "held.lbdb"
    LadybugStore(path).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import time
                from pathlib import Path
                from govkg.graph.ladybug_store import LadybugStore
                store = LadybugStore(Path({str(path)!r}))
                print("holding", flush=True)
                time.sleep(60)
                """
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        with pytest.raises(StoreLockedError) as caught:
            LadybugStore(path)
        message = str(caught.value)
        assert str(path) in message and str(holder.pid) in message and "--db" in message
        # Reading stays possible while another process writes.
        with LadybugStore(path, read_only=True) as reader:
            assert reader.counts()["Zone"] == 0
    finally:
        holder.kill()
        holder.wait()
    LadybugStore(path).close()  # free again once the holder is gone


# --- the bundled data: case sheets and the article ----------------------------------------------------


def test_the_bundled_cases_and_article_load_idempotently(bundled_graph: GraphDocument, tmp_path: Path) -> None:
    assert bundled_graph.problems() == []
    with LadybugStore(tmp_path / "bundled.lbdb") as store:
        first = store.write(bundled_graph)
        snap = store.snapshot()
        again = store.write(bundled_graph)
        assert again.counts_after == first.counts_after
        assert again.nodes_created == 0 and again.edges_created == 0
        assert canonical(store.snapshot()) == canonical(snap)
        assert snap.problems() == []
        # Every node the loaders emitted is there, and every edge with all of its evidence (a
        # MENTIONS edge the loaders emit also gains the sentences of the edges at its node).
        assert {n.id for n in snap.nodes} == {n.id for n in bundled_graph.nodes}
        stored = {e.key: e for e in snap.edges}
        for edge in bundled_graph.edges:
            if edge.type == "MENTIONS":
                assert set(stored[edge.key].evidence) >= set(edge.evidence), edge.key
            else:
                assert set(stored[edge.key].evidence) == set(edge.evidence), edge.key
