"""`govkg search` end to end: the installed script against a real LadybugDB in tmp_path (and the project's
Neo4j for the engines' agreement). Every text searched is WRITTEN FOR TESTING (tests/search_testing.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from neo4j_fixture import Neo4jTarget
from search_testing import BUTLER, DOC_C, DOC_LATER, EAST, GARDEN, HALL, later_graph, search_graph

from govkg.graph.ladybug_store import LadybugStore
from govkg.graph.neo4j_store import Neo4jStore
from govkg.graph.text_search import MAX_QUERY_CHARS

GOVKG = str(Path(sys.executable).with_name("govkg"))
HIT_KEYS = {"rank", "node", "label", "name", "where", "sentence", "start", "end", "spans", "document",
            "document_start", "relationships", "exact", "score"}  # fmt: skip


def govkg(*args: str, env: dict[str, str] | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("GOVKG_", "NEO4J_"))}
    done = subprocess.run([GOVKG, *args], capture_output=True, text=True, env={**base, **(env or {})}, timeout=300)
    if check and done.returncode != 0:
        raise AssertionError(f"govkg {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return done


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    path = tmp_path / "search.lbdb"
    with LadybugStore(path) as store:
        store.write(search_graph())
    return path


def search(db: Path, *args: str) -> list[dict[str, object]]:
    found: list[dict[str, object]] = json.loads(govkg("search", *args, "--db", str(db), "--format", "json").stdout)
    return found


def test_a_table_with_the_match_marked(db: Path) -> None:
    done = govkg("search", "邻里议事厅", "--db", str(db))
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["rank", "label", "name", "where", "sentence", "node"]
    assert lines[2].split() == ["1", "Mechanism", "邻里议事厅", "name", "[邻里议事厅]", HALL]
    assert "丙县北镇推行“[邻里议事厅]”，居民每月在议事厅协商…" in done.stdout
    assert "reading embedded" in done.stderr and "search index" in done.stderr  # built once, and said so
    again = govkg("search", "邻里议事厅", "--db", str(db))
    assert again.stdout == done.stdout and again.stderr == ""  # read back from beside the database
    assert db.with_name("search.lbdb.search").exists()


def test_json_hits_follow_the_contract(db: Path) -> None:
    hits = search(db, "網格管家")  # traditional query; the name is stored simplified, one text traditional
    assert [h["rank"] for h in hits] == list(range(1, len(hits) + 1))
    assert all(set(h) == HIT_KEYS for h in hits)
    first = hits[0]
    assert (first["node"], first["where"], first["exact"], first["document"], first["relationships"]) == (
        BUTLER, "name", True, None, [])
    evidence = next(h for h in hits if h["where"] == "evidence")
    sentence, start, end = str(evidence["sentence"]), int(evidence["start"]), int(evidence["end"])  # type: ignore[call-overload]
    assert sentence[start:end] == "網格管家" and evidence["spans"] == [[start, end]]
    # The relationships this sentence is evidence of at the hit's node: the adoption, and the document's
    # MENTIONS of the node, which the store writes beside every piece of evidence.
    assert evidence["node"] == EAST and evidence["document"] == DOC_C
    assert evidence["relationships"] == [{"type": "ADOPTS", "source": EAST, "target": BUTLER},
                                         {"type": "MENTIONS", "source": DOC_C, "target": EAST}]  # fmt: skip


def test_label_and_top(db: Path) -> None:
    assert {h["label"] for h in search(db, "议事厅", "--label", "Zone")} == {"Zone"}
    assert len(search(db, "议事厅", "--top", "2")) == 2
    assert len(search(db, "议事厅", "--top", "50")) > 2
    assert govkg("search", "议事厅", "--db", str(db), "--top", "0", check=False).returncode == 2
    assert govkg("search", "议事厅", "--db", str(db), "--label", "Nothing", check=False).returncode == 2


@pytest.mark.parametrize("query", ["", "   ", '""', "议" * (MAX_QUERY_CHARS + 1)])
def test_an_empty_or_absurdly_long_query_is_refused_in_one_line(tmp_path: Path, query: str) -> None:
    # Refused before any store is opened: the database named here does not exist.
    done = govkg("search", query, "--db", str(tmp_path / "none.lbdb"), check=False)
    assert done.returncode == 1 and done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert lines[0].startswith("govkg: error: the search text is")


@pytest.mark.parametrize("query", ["*", "~", "(", "\\", '议事厅*"', "议事厅~2", "(议事厅)", "' OR 1=1 //",
                                   '") RETURN 1 //', "MATCH (n) DETACH DELETE n"])  # fmt: skip
def test_special_characters_neither_crash_nor_reach_a_query_language(db: Path, query: str) -> None:
    done = govkg("search", query, "--db", str(db))
    assert done.stdout.startswith("no name, alias, evidence sentence or document text holds")
    assert search(db, query) == []
    with LadybugStore(db, read_only=True) as store:
        assert store.counts()["Mechanism"] == 3  # nothing was written


def test_a_search_after_a_load_sees_the_new_document(db: Path) -> None:
    assert search(db, "退休教师") == []
    with LadybugStore(db) as store:
        store.write(later_graph())
    assert DOC_LATER in {h["node"] for h in search(db, "退休教师")}
    assert search(db, "共享菜园")[0]["node"] == GARDEN


@pytest.mark.neo4j
def test_both_engines_print_the_same_hits(db: Path, neo4j_target: Neo4jTarget, neo4j_store: Neo4jStore,
                                          tmp_path: Path) -> None:  # fmt: skip
    neo4j_store.write(search_graph())
    env = {"GOVKG_STORE": "neo4j", "NEO4J_URI": neo4j_target.uri, "NEO4J_USER": neo4j_target.user,
           "NEO4J_PASSWORD": neo4j_target.password, "XDG_CACHE_HOME": str(tmp_path / "cache")}  # fmt: skip
    for query in ("邻里议事厅", "網格", "值守", "图书馆", "镇", "议事厅 丙县", "*"):
        for extra in ([], ["--label", "Zone"], ["--top", "3"]):
            on_neo4j = govkg("search", query, *extra, "--format", "json", env=env)
            assert json.loads(on_neo4j.stdout) == search(db, query, *extra), query
    assert list((tmp_path / "cache" / "govkg" / "search").glob("*.search"))


def test_the_options_are_the_searchs_own_limits() -> None:
    """The command writes DEFAULT_TOP and MAX_TOP out (importing graph/text_search would slow every command)."""
    import click

    from govkg.cli.main import main
    from govkg.graph.text_search import DEFAULT_TOP, MAX_TOP

    top = next(p for p in main.commands["search"].params if p.name == "top")
    assert top.default == DEFAULT_TOP and isinstance(top.type, click.IntRange) and top.type.max == MAX_TOP
