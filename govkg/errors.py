"""One root error type; every expected failure is a subclass with a message a researcher can act on."""

from __future__ import annotations


class GovkgError(Exception):
    """Root of every expected govkg failure. The CLI prints `str(err)` on one line, no traceback."""

    def __str__(self) -> str:
        # A message quotes names the researcher did not choose (a file, a query, a zone): one with a
        # line break or a terminal escape must neither break the one-line promise nor drive the terminal.
        return printable(super().__str__())


class InputError(GovkgError):
    """A case file cannot be read or parsed (missing, empty, binary, malformed, wrong columns)."""

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")


def printable(text: str) -> str:
    """`text` with control characters shown as escapes (a file named with terminal escape sequences
    must not drive the researcher's terminal when a message names it)."""
    return "".join(ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode("ascii") for ch in text)


class StoreError(GovkgError):
    """The graph store cannot be opened, written or queried."""


class StoreLockedError(StoreError):
    """Another process holds the database open."""


class ReadOnlyViolation(GovkgError):
    """An ad-hoc query tried to write."""


class QueryError(GovkgError):
    """A saved query is unknown, or its parameters are missing, unknown or of the wrong type."""


class QueryStopped(QueryError):
    """A read was stopped before it finished, and why (`reason`): it needed more memory than a read
    may take ("memory"), ran past its deadline ("deadline"), or the process running it died
    ("crashed"). The app words the reason in the reader's language."""

    def __init__(self, reason: str, message: str) -> None:
        self.reason = reason
        super().__init__(message)

    def __reduce__(self) -> tuple[type[QueryStopped], tuple[str, str]]:
        return QueryStopped, (self.reason, self.args[0])


class SearchError(GovkgError):
    """A full-text search cannot run: the search text is empty or too long, or the store changed
    while its search index was being built."""


class CorrectionError(GovkgError):
    """A correction does not fit the fact it names, or a corrections file cannot be read."""


class ZoneNotFound(GovkgError):
    """A zone name matches nothing; carries close names as suggestions."""

    def __init__(self, name: str, suggestions: list[str]) -> None:
        self.name = name
        self.suggestions = suggestions
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"no zone named {name!r} in the store.{hint}")
