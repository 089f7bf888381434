"""Read-only checking of ad-hoc Cypher, and the lexical helpers it needs.

The guard is the first line of defence: it refuses a query that names a write clause outside
strings and comments, with a message naming the clause. The stores add a second line (the
embedded store reads through a read-only database handle), so a clause this scanner misses
still cannot change the data.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from govkg.errors import QueryError, ReadOnlyViolation

__all__ = [
    "MAX_NESTING",
    "MAX_QUERY_CHARS",
    "READ_PROCEDURES",
    "READ_STATEMENT_STARTS",
    "WRITE_KEYWORDS",
    "blank_strings_and_comments",
    "check_read_only",
    "decode_unicode_escapes",
    "named_parameters",
    "split_statements",
]

# Clauses that write data or schema, manage transactions, reach outside the database or change
# settings. Refused wherever they stand as a keyword (not as a property, label or parameter name).
WRITE_KEYWORDS: dict[str, str] = {
    "CREATE": "creates nodes, relationships, tables or indexes",
    "MERGE": "creates what it does not find",
    "DELETE": "deletes data",
    "DETACH": "deletes data (or detaches a database)",
    "SET": "changes properties or labels",
    "REMOVE": "removes properties or labels",
    "DROP": "drops tables, indexes or constraints",
    "ALTER": "changes the schema",
    "COPY": "bulk-loads or exports data",
    "LOAD": "reads files or loads extensions",
    "INSTALL": "installs extensions",
    "UNINSTALL": "removes extensions",
    "ATTACH": "attaches another database",
    "USE": "switches to another database",
    "BEGIN": "opens a transaction",
    "COMMIT": "commits a transaction",
    "ROLLBACK": "rolls back a transaction",
    "CHECKPOINT": "writes the database file",
    "EXPORT": "writes files",
    "IMPORT": "loads data",
    "FOREACH": "runs write clauses for each element",
    "GRANT": "changes privileges",
    "DENY": "changes privileges",
    "REVOKE": "changes privileges",
    "TERMINATE": "stops transactions",
    "UPDATE": "updates extensions (and downloads them)",
    "ANALYZE": "writes statistics to the database",
}

# Procedures a read-only query may CALL (lower case). Anything else, e.g. index creation or a
# setting such as `CALL threads=2`, is refused: an allow-list fails safe.
READ_PROCEDURES: frozenset[str] = frozenset(
    {
        # LadybugDB
        "show_tables",
        "table_info",
        "show_connection",
        "current_setting",
        "db_version",
        "show_functions",
        "show_indexes",
        "show_sequences",
        "show_attached_databases",
        "show_loaded_extensions",
        "show_official_extensions",
        "storage_info",
        # Neo4j
        "db.labels",
        "db.relationshiptypes",
        "db.propertykeys",
        "db.schema.visualization",
        "db.schema.nodetypeproperties",
        "db.schema.reltypeproperties",
        "db.info",
        "db.ping",
        "dbms.components",
        "db.index.fulltext.querynodes",
        "db.index.fulltext.queryrelationships",
    }
)

# How a read-only statement may begin (an allow-list: a statement kind unknown to this guard is refused).
READ_STATEMENT_STARTS: frozenset[str] = frozenset({"MATCH", "OPTIONAL", "UNWIND", "WITH", "RETURN", "CALL"})
# `SHOW …` lists the schema on Neo4j; SHOW TRANSACTIONS, USERS, SETTINGS… reveal the server and are refused.
SHOWABLE: frozenset[str] = frozenset({"INDEX", "INDEXES", "CONSTRAINT", "CONSTRAINTS"})

# Before anything reaches a parser: LadybugDB's parser crashed the process on a list nested 1,000 deep.
MAX_QUERY_CHARS = 100_000
MAX_NESTING = 100
_LINE_END = re.compile("[\n\r\u0085\u2028\u2029]")
_LEADING_BLANKS = re.compile(r"[\s;]*")
_UNICODE_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_PROCEDURE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")


@dataclass(frozen=True)
class _Span:
    """A string literal, back-quoted name or comment: text no clause can stand in."""

    start: int
    end: int  # exclusive; the query's length when the span is never closed
    closed: bool  # both quotes (or comment ends) kept when blanking
    problem: str | None  # why an engine could read the text otherwise, or None


# Escapes both engines read inside a string (LadybugDB's lexer: \\ \' \" \b \f \n \r \t \xHH \uHHHH
# \UHHHHHHHH). Any other backslash makes LadybugDB's lexer give up the string and read its content as
# query text, so the guard could not know where the string ends.
_ESCAPE = re.compile(r"\\(?:[\\'\"bfnrtBFNRT]|[xX][0-9A-Fa-f]{2}|[uU][0-9A-Fa-f]{4}(?:[0-9A-Fa-f]{4})?)")


def _spans(cypher: str) -> Iterator[_Span]:
    """The strings, back-quoted names and comments of a query, read as LadybugDB's and Neo4j's lexers
    read them; where the two could disagree on where one ends, the span says so in `problem`."""
    i, n = 0, len(cypher)
    while i < n:
        ch = cypher[i]
        if ch in "'\"":
            yield (span := _string_span(cypher, i))
            i = span.end
        elif ch == "`":
            close = i + 1
            while True:  # a doubled back-quote stands for one inside the name
                close = cypher.find("`", close)
                if close < 0 or not cypher.startswith("``", close):
                    break
                close += 2
            if close < 0:
                yield _Span(i, n, False, "a back-quoted name is never closed")
                return
            yield _Span(i, close + 1, True, None)
            i = close + 1
        elif cypher.startswith("//", i):
            yield (span := _line_comment_span(cypher, i))
            i = span.end
        elif cypher.startswith("/*", i):
            yield (span := _block_comment_span(cypher, i))
            i = span.end
        else:
            i += 1


def _string_span(cypher: str, start: int) -> _Span:
    quote, j, n = cypher[start], start + 1, len(cypher)
    problem = None
    while j < n and cypher[j] != quote:
        if cypher[j] == "\\":
            escape = _ESCAPE.match(cypher, j)
            if escape is None and problem is None:
                problem = f"the escape {cypher[j : j + 2]!r} is not one LadybugDB reads inside a string"
            j = escape.end() if escape else j + 2
        else:
            j += 1
    if j >= n:
        return _Span(start, n, False, "a string is never closed")
    return _Span(start, j + 1, True, problem)


def _line_comment_span(cypher: str, start: int) -> _Span:
    # The comment ends at any line terminator either engine knows: Neo4j ends it at \r too, so a
    # guard that waited for \n would read `//\rLOAD CSV …` as one harmless comment.
    end = _LINE_END.search(cypher, start)
    if end is None:
        return _Span(start, len(cypher), True, None)
    stop = end.start()
    # LadybugDB's lexer only knows a comment ended by \n, \r\n or the end of the query: after a
    # lone \r it reads the two slashes as operators and the comment's text as query text.
    lone_cr = cypher[stop] == "\r" and not cypher.startswith("\r\n", stop) and stop + 1 < len(cypher)
    return _Span(start, stop, True, "a // comment ends with a lone carriage return" if lone_cr else None)


def _block_comment_span(cypher: str, start: int) -> _Span:
    end = cypher.find("*/", start + 2)
    if end < 0:
        return _Span(start, len(cypher), False, "a /* comment is never closed")
    # LadybugDB's lexer reads `*` and the character after it as one pair, so in `/* **/` the first
    # `*/` does not end the comment for it. Where its end differs from Neo4j's, refuse.
    j = start + 2
    while j < len(cypher) and not cypher.startswith("*/", j):
        j += 2 if cypher[j] == "*" else 1
    problem = None if j == end else "a /* comment holds '**/', which the engines end at different places"
    return _Span(start, end + 2, True, problem)


def blank_strings_and_comments(cypher: str) -> str:
    """The query with string literals, back-quoted names and comments replaced by spaces.

    Offsets are kept, so a position found in the result is a position in the query. Quote
    characters stay, so `'CREATE'` becomes `'      '` and is never read as a clause; newlines in
    block comments stay, so line numbers hold.
    """
    out: list[str] = []
    done = 0
    for span in _spans(cypher):
        out.append(cypher[done : span.start])
        text = cypher[span.start : span.end]
        if text.startswith(("//", "/*")):
            out.append("".join(c if c == "\n" and text[1] == "*" else " " for c in text))
        elif span.closed:
            out.append(text[0] + " " * (len(text) - 2) + text[-1])
        else:
            out.append(text[0] + " " * (len(text) - 1))
        done = span.end
    out.append(cypher[done:])
    return "".join(out)


def _check_lexically_unambiguous(cypher: str) -> None:
    """QueryError where the query's strings or comments could end elsewhere for the engine than for
    this guard: the guard would then check other text than the engine runs."""
    for span in _spans(cypher):
        if span.problem is not None:
            raise QueryError(
                f"{span.problem} (line {_line_of(cypher, span.start)}), so the query could be read two ways; "
                "it is not run. Close strings and comments plainly (查询中的字符串或注释有歧义，未执行)."
            )


def split_statements(cypher: str) -> list[str]:
    """The statements of a query, split at semicolons outside strings and comments (blank ones dropped)."""
    blanked = blank_strings_and_comments(cypher)
    statements: list[str] = []
    start = 0
    for pos in [*(i for i, ch in enumerate(blanked) if ch == ";"), len(cypher)]:
        if blanked[start:pos].strip():
            statements.append(cypher[start:pos])
        start = pos + 1
    return statements


def named_parameters(cypher: str) -> list[str]:
    """Names of the `$parameters` a query uses, in order of first use, ignoring strings and comments."""
    seen: dict[str, None] = {}
    for match in _PARAM.finditer(blank_strings_and_comments(cypher)):
        seen.setdefault(match.group(1), None)
    return list(seen)


def _keyword_positions(blanked: str) -> list[tuple[int, str]]:
    """Words that stand as keywords: not a property (`n.set`), parameter (`$load`), label or
    relationship type (`:Create`), or map key (`{set: 1}`)."""
    found: list[tuple[int, str]] = []
    for match in _WORD.finditer(blanked):
        start, end = match.span()
        before = _neighbour(blanked, start - 1, -1)
        after = _neighbour(blanked, end, 1)
        if before in (".", "$", ":") or after == ":":
            continue
        found.append((start, match.group(0).upper()))
    return found


def _neighbour(text: str, pos: int, step: int) -> str:
    """The nearest non-space character from `pos` walking by `step`, or ''."""
    while 0 <= pos < len(text):
        if not text[pos].isspace():
            return text[pos]
        pos += step
    return ""


def _line_of(cypher: str, pos: int) -> int:
    return cypher.count("\n", 0, pos) + 1


def decode_unicode_escapes(cypher: str) -> str:
    """The query with every `\\uXXXX` replaced by its character, as Neo4j reads it anywhere in a query
    (`\\u004cOAD CSV` is LOAD CSV, and `\\u0027` may close a string). Decoding everywhere, strings and
    comments included, can only show the guard more keywords than the engine sees, never fewer."""
    return _UNICODE_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), cypher)


def check_read_only(cypher: str) -> None:
    """Raise ReadOnlyViolation if the query could write; QueryError if it holds several statements.
    The query is checked as the engine reads it: unicode escapes decoded, comments ended at any line
    terminator."""
    raw, cypher = cypher, decode_unicode_escapes(cypher)
    if len(cypher) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is {len(cypher):,} characters long; the limit is {MAX_QUERY_CHARS:,}.")
    blanked = blank_strings_and_comments(cypher)
    if _nesting(blanked) > MAX_NESTING:
        raise QueryError(
            f"the query nests brackets more than {MAX_NESTING} deep; a parser could crash on it, so it is not run."
        )
    if len(split_statements(cypher)) > 1:
        raise QueryError("run one statement at a time: this query holds several, separated by ';'.")
    words = _keyword_positions(blanked)
    for index, (pos, word) in enumerate(words):
        if word in WRITE_KEYWORDS:
            raise ReadOnlyViolation(
                f"{word} (line {_line_of(cypher, pos)}) {WRITE_KEYWORDS[word]}: ad-hoc queries are read-only. "
                "只读查询不能修改数据。Load data with `govkg load` instead."
            )
        if word == "CALL":
            _check_call(cypher, blanked, pos + len(word))
        if word in ("START", "STOP", "ENABLE", "RENAME") and index + 1 < len(words):
            following = words[index + 1][1]
            if following in ("DATABASE", "SERVER", "ALIAS", "ROLE", "USER"):
                raise ReadOnlyViolation(
                    f"{word} {following} (line {_line_of(cypher, pos)}) administers the server: "
                    "ad-hoc queries are read-only. 只读查询不能管理数据库。"
                )
    _check_statement_kind(cypher, blanked, words)
    # Last, as the keyword scan above names the clause: text the scan may not have seen as the engine does.
    _check_lexically_unambiguous(raw)
    if raw != cypher:
        _check_lexically_unambiguous(cypher)


def _check_statement_kind(cypher: str, blanked: str, words: list[tuple[int, str]]) -> None:
    """An allow-list of what a statement may be: a query that begins with a reading clause, or a
    schema listing (`SHOW INDEXES`). Anything else (a DDL statement, a server command, an engine
    setting, a statement the deny-list has never heard of) is refused by its first word."""
    leading = _LEADING_BLANKS.match(blanked)
    first = leading.end() if leading else 0
    if first == len(blanked):
        raise QueryError("the query is empty: write a read query such as MATCH (z:Zone) RETURN z.name LIMIT 10.")
    word = next((w for pos, w in words if pos == first), None)
    if word in READ_STATEMENT_STARTS:
        return
    if word == "SHOW":
        following = next((w for pos, w in words if pos > first), None)
        if following in SHOWABLE:
            return
        word = f"SHOW {following or ''}".strip()
    shown = word or blanked[first : first + 12].strip() or "(nothing)"
    raise ReadOnlyViolation(
        f"{shown} (line {_line_of(cypher, first)}) does not begin a read query: ad-hoc queries are read-only "
        f"and begin with {', '.join(sorted(READ_STATEMENT_STARTS))} or SHOW INDEXES. "
        "只读查询须以读取子句开头。"
    )


def _nesting(blanked: str) -> int:
    """The deepest nesting of ( [ { outside strings and comments."""
    depth = deepest = 0
    for ch in blanked:
        if ch in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in ")]}":
            depth = max(0, depth - 1)
    return deepest


def _check_call(cypher: str, blanked: str, after_call: int) -> None:
    """CALL of a subquery (`CALL {` or `CALL (x) {`) is checked by the keyword scan; a procedure
    must be on the read-only allow-list."""
    rest = blanked[after_call:].lstrip()
    if rest.startswith(("{", "(")):
        return
    match = _PROCEDURE_NAME.match(rest)
    name = match.group(0) if match else rest[:20]
    if name.lower() not in READ_PROCEDURES:
        line = _line_of(cypher, after_call)
        raise ReadOnlyViolation(
            f"CALL {name} (line {line}) is not a known read-only procedure: ad-hoc queries are read-only. "
            f"只读查询只能调用只读过程: {', '.join(sorted(READ_PROCEDURES))}."
        )
