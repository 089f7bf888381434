"""Read-only checking of ad-hoc Cypher, and the lexical helpers it needs.

The guard is the first line of defence: it refuses a query that names a write clause outside
strings and comments, with a message naming the clause. The stores add a second line (the
embedded store reads through a read-only database handle), so a clause this scanner misses
still cannot change the data.
"""

from __future__ import annotations

import re

from govkg.errors import QueryError, ReadOnlyViolation

__all__ = [
    "MAX_NESTING",
    "MAX_QUERY_CHARS",
    "READ_PROCEDURES",
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
    }
)

# Before anything reaches a parser: LadybugDB's parser crashed the process on a list nested 1,000 deep.
MAX_QUERY_CHARS = 100_000
MAX_NESTING = 100
_LINE_END = re.compile("[\n\r\u0085\u2028\u2029]")
_UNICODE_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_PROCEDURE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")


def blank_strings_and_comments(cypher: str) -> str:
    """The query with string literals, back-quoted names and comments replaced by spaces.

    Offsets are kept, so a position found in the result is a position in the query. Quote
    characters stay, so `'CREATE'` becomes `'      '` and is never read as a clause.
    """
    out: list[str] = []
    i, n = 0, len(cypher)
    while i < n:
        ch = cypher[i]
        if ch in "'\"`":
            j = i + 1
            while j < n and cypher[j] != ch:
                # Backslash escapes in strings; a doubled back-quote inside a name.
                if (cypher[j] == "\\" and ch != "`") or (ch == "`" and cypher.startswith("``", j)):
                    j += 1
                j += 1
            if j < n:  # closed: keep both quotes
                out.append(ch + " " * (j - i - 1) + ch)
                i = j + 1
            else:  # unclosed: blank to the end
                out.append(ch + " " * (n - i - 1))
                i = n
        elif cypher.startswith("//", i):
            # The comment ends at any line terminator the engines know: Neo4j ends it at \r too, so
            # a guard that waited for \n would read `//\rLOAD CSV …` as one harmless comment.
            end = _LINE_END.search(cypher, i)
            j = n if end is None else end.start()
            out.append(" " * (j - i))
            i = j
        elif cypher.startswith("/*", i):
            j = cypher.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("".join(c if c == "\n" else " " for c in cypher[i:j]))
            i = j
        else:
            out.append(ch)
            i += 1
    return "".join(out)


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
    cypher = decode_unicode_escapes(cypher)
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
