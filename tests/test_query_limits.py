"""Ad-hoc reads have limits on the embedded store (issue 11): a query nested deep enough to crash a
parser is refused before it reaches one, and a long-running read is stopped with a message."""

from __future__ import annotations

import time

import pytest

import graph.ladybug_store as ladybug_store_module
from govkg.errors import QueryError
from graph.cypher_guard import MAX_NESTING, MAX_QUERY_CHARS
from graph.ladybug_store import LadybugStore


def test_deep_nesting_and_huge_queries_never_reach_the_parser(small_store: LadybugStore) -> None:
    with pytest.raises(QueryError, match="nests brackets"):
        small_store.read("RETURN " + "[" * 1_000 + "1" + "]" * 1_000)  # once crashed the whole process
    with pytest.raises(QueryError, match="characters long"):
        small_store.read("RETURN 1 " + " " * MAX_QUERY_CHARS)
    nested = "RETURN " + "[" * (MAX_NESTING // 2) + "1" + "]" * (MAX_NESTING // 2) + " AS x"
    assert small_store.read(nested).rows  # ordinary nesting still runs


def test_a_long_read_is_stopped_with_a_message(small_store: LadybugStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ladybug_store_module, "READ_TIMEOUT", 1.0)
    small_store._close_reader()  # the next read opens a reader with the shorter limit
    started = time.monotonic()
    with pytest.raises(QueryError, match="ran longer than 1 s"):
        small_store.read(
            "UNWIND range(1, 100000) AS x UNWIND range(1, 100000) AS y WITH x, y WHERE (x * y) % 7 = 3 "
            "RETURN count(*)"
        )
    assert time.monotonic() - started < 20
