"""The embedded engine's plan as the second read-only check (issue 11): with the text guard switched
off, every statement the attack report found LadybugDB's read-only handle would still run (COPY … TO
writes a file, LOAD FROM reads one, settings, CHECKPOINT, ANALYZE, extension downloads) is refused by
its plan, and nothing it would have done happens. Real LadybugDB, no mocks."""

from __future__ import annotations

from pathlib import Path

import pytest

import govkg.graph.ladybug_store as ladybug_store_module
from govkg.errors import QueryError, ReadOnlyViolation
from govkg.graph.ladybug_plan_guard import READ_OPERATORS, TopK, plan_parts, top_k_operators
from govkg.graph.ladybug_store import LadybugStore
from govkg.graph.saved_queries import load_saved_queries, run_saved_query


@pytest.fixture()
def unguarded(small_store: LadybugStore, monkeypatch: pytest.MonkeyPatch) -> LadybugStore:
    """The store with its text guard off: only the plan check stands between a query and the data."""
    monkeypatch.setattr(ladybug_store_module, "check_read_only", lambda cypher: None)
    return small_store


def test_the_plan_refuses_what_the_read_only_handle_would_run(
    unguarded: LadybugStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))  # UPDATE would create ~/.lbdb and fetch an extension
    written = tmp_path / "out.csv"
    source = tmp_path / "in.csv"
    source.write_text("a,b\n1,2\n", encoding="utf-8")
    refused = {
        f"COPY (MATCH (z:Zone) RETURN z.name) TO '{written}'": "COPY_TO",
        f"LOAD FROM '{source}' RETURN *": "READ_CSV",
        "CALL threads=1": "STANDALONE_CALL",
        "CHECKPOINT": "TRANSACTION",
        "BEGIN TRANSACTION": "TRANSACTION",
        "ANALYZE": "ANALYZE",
        "UPDATE json": "INSTALL_EXTENSION",
        "INSTALL json": "INSTALL_EXTENSION",
    }
    before = unguarded.counts()
    for cypher, operator in refused.items():
        with pytest.raises(ReadOnlyViolation, match=operator):
            unguarded.read(cypher)
    assert not written.exists()
    assert not (tmp_path / ".lbdb").exists()
    assert unguarded.counts() == before


def test_writes_the_handle_refuses_are_refused_with_a_message(unguarded: LadybugStore) -> None:
    for cypher in ("CREATE (:Zone {id: 'x', name: 'x'})", "MATCH (z:Zone) SET z.name = 'x'", "MATCH (z) DELETE z"):
        with pytest.raises((ReadOnlyViolation, QueryError)):
            unguarded.read(cypher)


def test_saved_and_ordinary_reads_pass_the_plan(small_store: LadybugStore) -> None:
    for name, saved in load_saved_queries().items():
        if all(not p.required for p in saved.params):  # the others run in tests/test_saved_queries.py
            run_saved_query(small_store, name, limit=5)
    for cypher in [
        "MATCH (z:Zone)-[:PART_OF*1..3]->(p:Zone) RETURN z.name, p.name",
        "MATCH p = (a:Zone)-[* SHORTEST 1..4]-(b:Mechanism) RETURN length(p) LIMIT 3",
        "MATCH (z:Zone) WHERE EXISTS { MATCH (z)-[:ADOPTS]->() } RETURN z.name ORDER BY z.name SKIP 1 LIMIT 2",
        "OPTIONAL MATCH (z:Zone {id: $id}) RETURN z.name AS name UNION MATCH (m:Mechanism) RETURN m.name AS name",
        "CALL show_tables() RETURN *",
        "MATCH (:Mechanism)-[:HAS_PART]->(:Mechanism)-[:HAS_PART]->(:Mechanism) RETURN count(*) AS n",
        "MATCH ()-[r:ADOPTS]->() RETURN count(*) AS n",
        "MATCH (z:Zone) RETURN z.name, COUNT { MATCH (z)-[:ADOPTS]->() } AS adoptions",
    ]:
        small_store.read(cypher, {"id": "x"} if "$id" in cypher else None, limit=5)


def test_a_plan_is_read_from_the_printed_boxes() -> None:
    printed = "│  COPY_TO[3]  │\n│ Function: READ_FTABLE │\n│ PROJECTION[12] │ Expressions: n.id"
    assert plan_parts(printed) == ({"COPY_TO", "PROJECTION"}, {"READ_FTABLE"})
    assert "COPY_TO" not in READ_OPERATORS


def test_an_approved_plan_is_not_planned_again(small_store: LadybugStore) -> None:
    cypher = "MATCH (z:Zone) RETURN count(z) AS n"
    first = small_store.read(cypher).rows
    assert cypher in small_store._plans_checked
    assert small_store.read(cypher).rows == first


def test_each_top_k_is_read_from_its_own_box(small_store: LadybugStore) -> None:
    """Skips and keys of every ORDER BY that both skips and limits, boxes side by side included (a
    join prints its two inputs in columns); an ORDER BY without a LIMIT is no top-k operator."""

    def explained(cypher: str) -> list[TopK]:
        return top_k_operators(ladybug_store_module._explain(small_store._staging_reader(), cypher, None))

    assert explained("MATCH (z:Zone) RETURN z.name AS a, z.id AS b ORDER BY a, b SKIP 7 LIMIT 5") == [TopK(7, 2)]
    assert explained("MATCH (z:Zone) RETURN z.name AS a ORDER BY a LIMIT 5") == [TopK(0, 1)]
    assert explained("MATCH (z:Zone) RETURN z.name AS a ORDER BY a SKIP 5") == []
    joined = (
        "MATCH (a:Zone)-[:PART_OF]->(b:Zone) WITH a, b ORDER BY a.name SKIP 3 LIMIT 4 "
        "MATCH (b)<-[:PART_OF]-(c:Zone) WITH c ORDER BY c.name, c.id SKIP 900 LIMIT 2 RETURN c.name"
    )
    assert sorted(explained(joined), key=lambda op: op.skip) == [TopK(3, 1), TopK(900, 2)]
    # An integer key and the row's index: 17 bytes, 15,420 rows a 256 KiB block, where the measured crash
    # began; the bound assumes the widest key (17 bytes), so it stays below for every key type.
    assert TopK(0, 1).safe_skip < 262_144 // (8 + 9) == 15_420
    assert TopK(0, 5).safe_skip >= 2_000  # evidence_search's five keys: skip 2,000 ran, 5,000 crashed
