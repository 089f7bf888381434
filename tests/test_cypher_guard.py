"""The read-only guard: what it refuses, what it lets through, and the helpers it rests on."""

from __future__ import annotations

import pytest

from govkg.errors import QueryError, ReadOnlyViolation
from govkg.graph.cypher_guard import blank_strings_and_comments, check_read_only, named_parameters, split_statements

REFUSED = [
    ("CREATE (n:Zone {id: 'x'})", "CREATE"),
    ("create (n:Zone {id: 'x'})", "CREATE"),
    ("MERGE (n:Zone {id: 'x'}) RETURN n", "MERGE"),
    ("MATCH (n) DELETE n", "DELETE"),
    ("MATCH (n) DETACH DELETE n", "DETACH"),
    ("MATCH (n:Zone) SET n.name = 'x'", "SET"),
    ("MATCH (n:Zone) REMOVE n.level", "REMOVE"),
    ("DROP TABLE Zone", "DROP"),
    ("ALTER TABLE Zone ADD x STRING", "ALTER"),
    ("COPY Zone FROM 'zones.csv'", "COPY"),
    ("LOAD CSV FROM 'file:///x.csv' AS row RETURN row", "LOAD"),
    ("LOAD FROM 'x.csv' RETURN *", "LOAD"),
    ("INSTALL json", "INSTALL"),
    ("ATTACH 'other.lbdb' AS other", "ATTACH"),
    ("USE other MATCH (n) RETURN n", "USE"),
    ("BEGIN TRANSACTION", "BEGIN"),
    ("COMMIT", "COMMIT"),
    ("ROLLBACK", "ROLLBACK"),
    ("CHECKPOINT", "CHECKPOINT"),
    ("EXPORT DATABASE '/tmp/x'", "EXPORT"),
    ("MATCH (n) FOREACH (x IN [1] | SET n.v = x)", "FOREACH"),
    ("GRANT ROLE admin TO bob", "GRANT"),
    ("START DATABASE other", "START DATABASE"),
    ("MATCH (n) CALL { WITH n DETACH DELETE n }", "DETACH"),
    ("CALL threads = 2", "CALL threads"),
    ("CALL create_fts_index('Zone', 'idx', ['name'])", "CALL create_fts_index"),
    ("CALL apoc.create.node(['Zone'], {})", "CALL apoc.create.node"),
    ("CALL db.createLabel('X')", "CALL db.createLabel"),
]


@pytest.mark.parametrize(("cypher", "clause"), REFUSED, ids=[c for c, _ in REFUSED])
def test_write_clauses_are_refused_by_name(cypher: str, clause: str) -> None:
    with pytest.raises(ReadOnlyViolation) as caught:
        check_read_only(cypher)
    message = str(caught.value)
    assert message.startswith(clause) and "read-only" in message and "只读" in message


ALLOWED = [
    "MATCH (z:Zone) WHERE z.name = 'CREATE (x)' RETURN z",
    'MATCH (z:Zone) WHERE z.name = "DELETE \\" SET" RETURN z',
    "MATCH (z:Zone) WHERE z.name = 'it\\'s SET' RETURN z",
    "MATCH (z:Zone) // MERGE nothing\nRETURN z",
    "MATCH (z:Zone) /* DROP\n everything */ RETURN z",
    "MATCH (z:`CREATE`) RETURN z.`SET` AS `DELETE`",
    "MATCH (n:Zone) RETURN n.set, n.load, {create: 1, remove : 2} AS m, $merge",
    "MATCH (a)-[:SET]->(b) RETURN a",
    "MATCH (start:Zone)-[:PART_OF*1..3]->(stop:Zone) RETURN start.name, stop.name",
    "MATCH (z:Zone) RETURN z.name AS name ORDER BY name DESC LIMIT 5",
    "CALL show_tables() RETURN *",
    "CALL table_info('Zone') RETURN *",
    "CALL db.labels() YIELD label RETURN label",
    "MATCH (z:Zone) CALL { WITH z MATCH (z)-[:ADOPTS]->(m) RETURN count(m) AS n } RETURN z.name, n",
    "MATCH (z:Zone) WHERE EXISTS { MATCH (z)-[:ADOPTS]->() } RETURN z",
    "RETURN 1;",
    "SHOW INDEXES",
    "MATCH (z:Zone) WHERE z.name CONTAINS 'settlement' RETURN z.created_at, z.offset",
]


@pytest.mark.parametrize("cypher", ALLOWED)
def test_reads_pass_even_when_they_mention_write_words(cypher: str) -> None:
    check_read_only(cypher)


def test_the_message_gives_the_line_of_the_clause() -> None:
    with pytest.raises(ReadOnlyViolation, match=r"SET \(line 3\)"):
        check_read_only("MATCH (z:Zone)\nWHERE z.level = 'street'\nSET z.level = 'x'")


def test_several_statements_are_refused_as_a_query_error() -> None:
    with pytest.raises(QueryError, match="one statement at a time"):
        check_read_only("MATCH (n) RETURN n; MATCH (m) RETURN m")
    check_read_only("RETURN ';' AS semicolon")  # a semicolon in a string is not a separator


def test_blanking_keeps_offsets_and_quotes() -> None:
    cypher = "RETURN 'CREATE' AS a, \"x\" // DROP\n/* SET */ 1"
    blanked = blank_strings_and_comments(cypher)
    assert len(blanked) == len(cypher)
    assert blanked == "RETURN '      ' AS a, \" \"        \n          1"
    unclosed = blank_strings_and_comments("RETURN 'CREATE")
    assert unclosed == "RETURN '      " and len(unclosed) == len("RETURN 'CREATE")


def test_split_statements_ignores_semicolons_in_strings_and_blank_statements() -> None:
    assert split_statements("RETURN 1; ;RETURN ';' // ;\n;") == ["RETURN 1", "RETURN ';' // ;\n"]


def test_named_parameters_ignore_strings_and_comments() -> None:
    cypher = "MATCH (z {id: $zone}) WHERE z.x = '$nope' // $nor\nRETURN $top, $zone /* $none */"
    assert named_parameters(cypher) == ["zone", "top"]


@pytest.mark.parametrize(
    ("cypher", "clause"),
    [
        ("//\rLOAD CSV FROM 'file:///etc/passwd' AS l RETURN l", "LOAD"),  # Neo4j ends // at \r
        ("// note\u2028CREATE (n)", "CREATE"),
        ("WITH 1 AS x \\u004cOAD CSV FROM 'http://127.0.0.1/x' AS l RETURN l", "LOAD"),
        ("\\u0043ALL dbms.listConfig()", "CALL"),
        ("RETURN 'a\\u0027 CREATE (n) RETURN \\u0027b'", "CREATE"),  # an escaped quote closes the string
        ("//\rTERMINATE TRANSACTIONS 'x'", "TERMINATE"),
    ],
)
def test_the_guard_reads_the_query_as_the_engine_does(cypher: str, clause: str) -> None:
    with pytest.raises(ReadOnlyViolation, match=clause):
        check_read_only(cypher)


def test_an_ordinary_comment_and_escaped_text_still_read() -> None:
    check_read_only("MATCH (z:Zone) // every zone\nRETURN z.name LIMIT 5")
    check_read_only("MATCH (z:Zone) WHERE z.name = '\\u6e56\\u5dde' RETURN z")  # 湖州, escaped


@pytest.mark.parametrize(("cypher", "clause"), [("UPDATE json", "UPDATE"), ("ANALYZE", "ANALYZE")])
def test_engine_maintenance_is_refused(cypher: str, clause: str) -> None:
    with pytest.raises(ReadOnlyViolation, match=clause):
        check_read_only(cypher)


@pytest.mark.parametrize(
    ("cypher", "why"),
    [
        # LadybugDB's lexer reads `//` ended by a lone \r as two slashes, and the "comment" as query text.
        ("MATCH (z:Zone) RETURN z //x\r, 2", "lone carriage return"),
        # LadybugDB ends this comment at the last */, Neo4j at the first: they run different text.
        ("MATCH (z:Zone) RETURN z /* **/ , 2 */", "'\\*\\*/'"),
        ("MATCH (z:Zone) RETURN z /* never closed", "never closed"),
        ("MATCH (z:Zone) RETURN 'never closed", "never closed"),
        ("MATCH (z:`never closed) RETURN z", "never closed"),
        ("MATCH (z:Zone) RETURN '\\q'", "escape"),
    ],
)
def test_text_the_engines_could_read_two_ways_is_not_run(cypher: str, why: str) -> None:
    with pytest.raises(QueryError, match=why) as caught:
        check_read_only(cypher)
    assert "\n" not in str(caught.value)


def test_plain_escapes_comments_and_names_still_read() -> None:
    check_read_only("MATCH (z:Zone) // a note\r\nRETURN z.name")
    check_read_only("MATCH (z:Zone) RETURN z /* note ** with stars */, 'tab\\tquote\\'\\x41\\U0001F600' AS t")
    check_read_only("MATCH (z:`odd``name`) RETURN z // to the end")


@pytest.mark.parametrize(
    "cypher",
    [
        "SHOW TRANSACTIONS",
        "SHOW SETTINGS YIELD name, value",
        "SHOW USERS",
        "EXPLAIN MATCH (n) RETURN n",
        "CYPHER runtime=slotted MATCH (n) RETURN n",
        "FROBNICATE everything",
        "(n) RETURN n",
    ],
)
def test_only_a_reading_statement_may_run(cypher: str) -> None:
    with pytest.raises(ReadOnlyViolation, match="does not begin a read query"):
        check_read_only(cypher)


def test_an_empty_query_is_a_query_error() -> None:
    for cypher in ("", "  ;\n", "// only a comment\n"):
        with pytest.raises(QueryError, match="empty"):
            check_read_only(cypher)
