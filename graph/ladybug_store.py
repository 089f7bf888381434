"""The embedded store: a LadybugDB database in one file, no server.

Its writes, neighbourhoods and snapshots are the algorithms both engines share
(graph/store_algorithms.py, over the statements of `_LadybugStatements`). Writes run in one
explicit transaction on a read-write handle; ad-hoc reads are checked by
graph/cypher_guard and then run on a separate read-only handle of the same file, so a write the
guard misses is still refused by the database itself.

The database file itself is never opened for writing: every write goes to a staging copy beside
it, swapped in by a rename (`LadybugStore.staged`). A load killed or stopped by a full disk at any
point leaves the previous file whole and readable by a read-only handle. LadybugDB 0.22's own
commit did not: killed during its checkpoint, it left a log that read-only handles refuse until a
writable open recovers it (seen again here), and that recovery left new documents beside old zones
(issue 11).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import re
import resource
import shutil
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import ladybug
import pyarrow as pa

from govkg.errors import GovkgError, QueryError, ReadOnlyViolation, StoreError, StoreLockedError
from govkg.graph.corrections import Correction, Imported
from govkg.graph.cypher_guard import check_read_only
from govkg.graph.derived import DERIVED_EDGE_TYPES, derived_columns, derived_ddl, rebuild_derived
from govkg.graph.ladybug_plan_guard import check_plan, check_top_k_skips, top_k_operators
from govkg.graph.merge import paused_gc
from govkg.graph.model import EDGE_TYPES, NODE_LABELS, GraphDocument
from govkg.graph.schema import CORRECTION_COLUMNS, CORRECTION_TABLE, edge_columns, node_columns
from govkg.graph.store import DataToken, QueryResult, SearchableText, WriteSummary
from govkg.graph.store_algorithms import UNEVIDENCED, EngineStore, TransactionWork
from govkg.graph.store_primitives import EdgeRow, EngineStatements, EvidenceRow, batches
from govkg.memory import return_freed_memory

__all__ = ["ARROW_TYPES", "LadybugStore"]

# New rows of one table from this many on are COPYed rather than MERGEd/CREATEd.
COPY_THRESHOLD = 1000
# The Arrow type of each column type the schema uses, for COPY from Arrow tables (the benchmark COPYs
# with the same types).
ARROW_TYPES = {
    "STRING": pa.string(),
    "INT64": pa.int64(),
    "DOUBLE": pa.float64(),
    "BOOLEAN": pa.bool_(),
    "BOOL": pa.bool_(),  # how table_info names BOOLEAN
    "STRING[]": pa.list_(pa.string()),
    "INT64[]": pa.list_(pa.int64()),
}
_LOCK_PID = re.compile(r"Lock is held by PID (\d+)")
# A table LadybugDB does not know: one of govkg's own is missing from a store an earlier govkg wrote.
_MISSING_TABLE = re.compile(r"Table (\w+) does not exist")
_MISSING_PROPERTY = re.compile(r"Cannot find property", re.IGNORECASE)
# What brings a store an earlier govkg wrote up to date (any write makes the derived tables anew).
_ANY_WRITE = ("load any file into it once (`govkg load FILE`: a file it already holds adds nothing), "
              "then run the query again")
# A query that may skip rows (the word anywhere: a false match only costs a second EXPLAIN).
_SKIP = re.compile(r"skip", re.IGNORECASE)

# Beside the database `kg.lbdb`: the copy a write goes to, and the lock a writer holds (it names
# the writer's PID) for as long as its store is open.
STAGING_SUFFIX = ".staging"
LOCK_SUFFIX = ".lock"
# What LadybugDB 0.22 keeps beside a database while it writes or checkpoints (seen on disk).
_LOG_SUFFIXES = (".wal", ".wal.checkpoint", ".shadow")
_SIDE_SUFFIXES = (*_LOG_SUFFIXES, ".checkpoint.intent.lock", ".checkpoint.apply.lock")
# Below this much free space a write the engine could not make is put down to a full disk.
_NEARLY_FULL = 1 << 20
# Handles the engine failed to write through: closing one would abort the process (see _abandon).
_ABANDONED: list[object] = []


# Approved plans are remembered per query text (parameters do not change which operators run), so a
# query the app runs again and again is planned for the check only once.
PLAN_CACHE_SIZE = 256
READ_TIMEOUT = 30.0  # seconds an ad-hoc read may run (the same as Neo4j's default)
READ_BUFFER_POOL = 2 << 30  # bytes: the least buffer pool of a read-only handle (see _open_database)

class LadybugStore(EngineStore):
    """A LadybugDB database at `path` (one file; parent folders are created)."""

    engine = "embedded"
    stages_atomically = True

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = Path(path).expanduser()
        self.read_only = read_only
        self._db: ladybug.Database | None = None
        self._conn: ladybug.Connection | None = None
        self._reader_db: ladybug.Database | None = None
        self._reader_conn: ladybug.Connection | None = None
        self._reader_stamp: tuple[tuple[int, int], ...] | None = None
        # While `staged` runs: the copy being written, and a read-only handle of it for read().
        self._staging: Path | None = None
        self._staging_reader_db: ladybug.Database | None = None
        self._staging_reader_conn: ladybug.Connection | None = None
        # The first write into a staging copy of an empty database commits statement by statement
        # (`_in_transaction`); once one such write fails, the copy may hold part of it and never lands.
        self._staging_empty = False
        self._staging_spoiled = False
        self._lock: IO[str] | None = None
        # Queries whose plan passed graph/ladybug_plan_guard, each with whether it holds a top-k operator.
        self._plans_checked: dict[str, bool] = {}
        if self.path.is_dir():
            raise StoreError(f"{self.path} is a folder; the embedded database is one file: give a file path (--db).")
        if read_only:
            if not self.path.exists():
                raise StoreError(
                    f"there is no database at {self.path}. Create one with `govkg load PATH...` "
                    "(or `govkg demo` for the bundled cases), or point --db / GOVKG_DB at an existing one."
                )
            self._reader()
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._lock = _lock_writer(self.path)
            try:
                _remove_database_files(_staging_path(self.path))  # left by a load that was killed
                _apply_pending_log(self.path)
                self.ensure_schema()
            except BaseException:
                self.close()
                raise

    # ----------------------------------------------------------------- connections

    def _writer(self) -> ladybug.Connection:
        if self._conn is None:
            raise StoreError(f"the database {self.path} is open read-only; open it without read_only to write.")
        return self._conn

    def _internal(self) -> ladybug.Connection:
        """The connection for the store's own fixed queries: the staging copy's writer while a write
        is staged (it sees that write), else the read-only handle."""
        return self._conn if self._conn is not None else self._reader()

    def _statements(self) -> EngineStatements:
        return _LadybugStatements(self._internal(), str(self.path))

    def _stamp(self) -> tuple[tuple[int, int], ...]:
        """Size and modification time of the file and its write-ahead log: a change means another
        handle wrote, and a read-only handle (a snapshot taken when it opened) must be reopened."""
        stamp = []
        for p in (self.path, self.path.with_name(self.path.name + ".wal")):
            try:
                st = p.stat()
                stamp.append((st.st_mtime_ns, st.st_size))
            except OSError:
                stamp.append((0, 0))
        with contextlib.suppress(OSError):
            stamp.append((self.path.stat().st_ino, 0))  # a staged write renames a new file in
        return tuple(stamp)

    def data_token(self) -> DataToken | None:
        """The database file's identity: device, inode, size and modification time of it and of any log
        beside it. Every write lands as a new file renamed over the old one (`staged`), so each write
        gives a new token; None while this store stages a write (its data is not the file's yet) or
        before a database exists."""
        if self._staging is not None or not self.path.exists():
            return None
        parts = []
        for p in (self.path, self.path.with_name(self.path.name + ".wal")):
            try:
                st = p.stat()
                parts.append(f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}")
            except OSError:
                parts.append("-")
        return DataToken(f"embedded:{self.path.resolve()}", "/".join(parts), beside=self.path)

    def _reader(self) -> ladybug.Connection:
        stamp = self._stamp()
        if self._reader_conn is None or stamp != self._reader_stamp:
            self._close_reader()
            self._reader_db, self._reader_conn = _open_reader(self.path)
            self._reader_stamp = stamp
        return self._reader_conn

    def _close_reader(self) -> None:
        _close_handle(self._reader_conn, self._reader_db)
        self._reader_conn = self._reader_db = None
        self._reader_stamp = None

    def _staging_reader(self) -> ladybug.Connection:
        """A read-only handle of the staging copy (read() inside `staged` sees the writes made
        there, and the database still refuses a write the guard misses)."""
        if self._staging is None:
            return self._reader()
        if self._staging_reader_conn is None:
            self._staging_reader_db, self._staging_reader_conn = _open_reader(self._staging)
        return self._staging_reader_conn

    def _close_staging_reader(self) -> None:
        """Its snapshot predates the write just made (a read-only handle sees the file as it opened)."""
        _close_handle(self._staging_reader_conn, self._staging_reader_db)
        self._staging_reader_conn = self._staging_reader_db = None

    def close(self) -> None:
        self._close_reader()
        self._close_staging_reader()
        _close_handle(self._conn, self._db)
        self._conn = self._db = None
        if self._lock is not None:
            self._lock.close()  # releases the writer's lock
            self._lock = None

    # ----------------------------------------------------------------- staging

    @contextlib.contextmanager
    def staged(self) -> Iterator[None]:
        """Every write inside goes to a copy of the database beside it, which replaces the database
        by a rename when the block ends; if the block raises, or the process is killed or the disk
        fills before the rename, the database stays exactly as it was (and needs no recovery: it
        was never open for writing). Writes outside any block are staged one by one.

        Cost: the copy, a checkpoint, an fsync and a read-only open of the copy, once per block (a
        `govkg load` is one block). Measured on two cores, `govkg load` before -> after, mean of two:
        the bundled cases into a new file 1.89 -> 1.91 s; 400 synthetic documents onto them (46 MB)
        6.6 -> 6.2 s; 2,000 more (114 MB) 25.9 -> 26.9 s; the 10 case sheets onto that 11.6 -> 12.9 s
        (1.12x, the worst: a small load into a big file). Copying 126 MB took 0.04-0.11 s."""
        if self.read_only:
            raise StoreError(f"the database {self.path} is open read-only; open it without read_only to write.")
        if self._staging is not None:
            yield  # an outer block swaps
            return
        staging = _staging_path(self.path)
        self._close_reader()  # the live file is about to be replaced
        try:
            self._open_staging(staging)
            yield
            if self._staging_spoiled:
                raise StoreError(f"a write into {self.path} failed part way, so nothing of this one was stored")
            self._seal(staging)
            os.replace(staging, self.path)
        except BaseException as err:
            failure = _write_failure(err, self.path)
            self._drop_staging(staging, err)
            if failure is err:
                raise
            raise failure from err
        finally:
            self._staging = None
            self._staging_empty = self._staging_spoiled = False
        try:
            _sync_folder(self.path.parent)
        except OSError as err:
            raise StoreError(
                f"the write is in {self.path}, but its folder could not be synced to disk ({err.strerror}); "
                "check the disk before relying on it after a power failure."
            ) from err

    def _open_staging(self, staging: Path) -> None:
        _remove_database_files(staging)
        if self.path.exists():
            _apply_pending_log(self.path)  # normally nothing: the live file is never written in place
            shutil.copyfile(self.path, staging)
        self._db = _open_database(staging, read_only=False)
        self._conn = ladybug.Connection(self._db)
        self._staging = staging
        self.ensure_schema()  # a new database, or columns graph/schema.py gained since
        self._staging_empty = self.holds_nothing()  # of the copy: `_internal` is its writer now

    def _seal(self, staging: Path) -> None:
        """Make the staging copy a database a read-only handle opens as it is, durable on disk."""
        self._close_staging_reader()
        self._writer().execute("CHECKPOINT")  # unlike close(), reports a full disk as an error
        self._close_writer()
        left = [p.name for p in _side_files(staging) if p.exists()]
        if left:
            raise StoreError(f"the database engine left {', '.join(left)} unapplied beside {staging}")
        _open_database(staging, read_only=True).close()  # what every reader will do next
        with open(staging, "rb") as handle:
            os.fsync(handle.fileno())

    def release_memory(self) -> None:
        """The engine's buffer pool keeps every page a handle has touched until the handle closes (it
        may grow to 80% of the machine), so the read-only handle is closed and a staging copy's
        writer checkpointed and opened afresh: after the 10,000 synthetic documents of `govkg bench`
        were written, that took the process from 1,413 to 1,168 MB before the similarity refresh, in
        0.2 s (docs/measured.md)."""
        self._close_staging_reader()
        if self._staging is None or self._conn is None:
            self._close_reader()
            super().release_memory()
            return
        staging = self._staging
        try:
            self._writer().execute("CHECKPOINT")
            self._close_writer()
            self._db = _open_database(staging, read_only=False)
            self._conn = ladybug.Connection(self._db)
        except BaseException as err:
            raise self._spoiled_by(err) from err
        super().release_memory()

    @contextlib.contextmanager
    def settling(self) -> Iterator[None]:
        """The staging copy's checkpoint on a thread of its own beside the block, which must not use
        the store: LadybugDB holds the interpreter's lock for none of it (a checkpoint of 4.9 s beside
        3.7 s of Python: 4.9 s in all, 8.9 s one after the other). After one more document into the
        10,000-document store, the checkpoint of its write (4 s) runs beside the similarity ranking
        instead of before it (docs/measured.md). A checkpoint that fails spoils the staged block."""
        if self._staging is None or self._conn is None:
            yield
            return
        self._close_staging_reader()
        conn, failures = self._conn, []

        def checkpoint() -> None:
            try:
                conn.execute("CHECKPOINT")
            except BaseException as err:  # reported on the thread that waits for it
                failures.append(err)

        worker = threading.Thread(target=checkpoint, name="govkg-checkpoint", daemon=True)
        worker.start()
        try:
            yield
        finally:
            _wait_for(worker)  # the connection must not close under the checkpoint
        if failures:
            raise self._spoiled_by(failures[0]) from failures[0]

    def _spoiled_by(self, err: BaseException) -> BaseException:
        """What a checkpoint of the staging copy that failed with `err` raises; the staged block then
        lands nothing."""
        self._staging_spoiled = True
        if isinstance(err, RuntimeError):
            return StoreError(f"writing to {self.path} failed, nothing was written: {_first_line(err)}")
        return err

    def _close_writer(self) -> None:
        _close_handle(self._conn, self._db)
        self._conn = self._db = None

    def _drop_staging(self, staging: Path, err: BaseException) -> None:
        self._close_staging_reader()
        if _engine_write_failed(err):
            _empty_files(staging)  # frees the space now (the handle keeps them open)
            _abandon(self._db, self._conn)
            self._conn = self._db = None
        else:
            with contextlib.suppress(RuntimeError):
                self._close_writer()
        _remove_database_files(staging)

    # ----------------------------------------------------------------- schema

    def ensure_schema(self) -> None:
        """Create every node and relationship table, and add columns graph/schema.py gained since
        (staged like any write, and only when something is missing)."""
        if self.read_only:
            return  # a read-only handle cannot create tables; reads of a missing table fail clearly
        if self._conn is not None:
            missing_derived = bool(_outdated_derived(self._conn)) or not (
                _tables(self._conn).keys() >= {table for table, _ in derived_ddl()})
            for statement in self._schema_statements(self._conn):
                self._conn.execute(statement)
            if missing_derived:
                # A store written before the derived tables (graph/derived.py): made from its facts.
                self._conn.execute("BEGIN TRANSACTION")
                try:
                    rebuild_derived(_LadybugStatements(self._conn, str(self.path)))
                    self._conn.execute("COMMIT")
                except BaseException:
                    with contextlib.suppress(RuntimeError):
                        self._conn.execute("ROLLBACK")
                    raise
        elif not self.path.exists() or self._schema_statements(self._reader()):
            with self.staged():
                pass  # opening the staging copy brings its schema up to date

    def _schema_statements(self, conn: ladybug.Connection) -> list[str]:
        """The DDL that would bring the database behind `conn` to graph/schema.py's tables."""
        tables = _tables(conn)
        statements = []
        for label in NODE_LABELS:
            if label not in tables:
                cols = ", ".join(f"{name} {kind}" for name, kind in node_columns(label).items())
                statements.append(f"CREATE NODE TABLE {label}(id STRING PRIMARY KEY, {cols})")
        for edge_type, pairs in EDGE_TYPES.items():
            if edge_type not in tables:
                ends = ", ".join(f"FROM {a} TO {b}" for a, b in pairs)
                cols = ", ".join(f"{name} {kind}" for name, kind in edge_columns(edge_type).items())
                statements.append(f"CREATE REL TABLE {edge_type}({ends}, {cols})")
        if CORRECTION_TABLE not in tables:
            cols = ", ".join(f"{name} {kind}" for name, kind in CORRECTION_COLUMNS.items())
            statements.append(f"CREATE NODE TABLE {CORRECTION_TABLE}(id STRING PRIMARY KEY, {cols})")
        # A derived table made before a column of it was added is made again: its rows are remade from
        # the facts either way, and into an empty table they are COPYed.
        outdated = _outdated_derived(conn)
        statements += [f"DROP TABLE {table}" for table in outdated]
        statements += [ddl for table, ddl in derived_ddl() if table not in tables or table in outdated]
        for table, declared in [
            *((label, node_columns(label)) for label in NODE_LABELS),
            *((t, edge_columns(t)) for t in EDGE_TYPES),
            (CORRECTION_TABLE, CORRECTION_COLUMNS),
        ]:
            if table not in tables:
                continue
            present = {str(row[1]) for row in _rows(conn.execute(f"CALL table_info('{table}') RETURN *"))}
            statements += [f"ALTER TABLE {table} ADD {name} {kind}" for name, kind in declared.items()
                           if name not in present]
        return statements

    # ----------------------------------------------------------------- writing

    def write(self, graph: GraphDocument) -> WriteSummary:
        with paused_gc():
            return super().write(graph)

    def write_corrected(
        self, graph: GraphDocument, corrections: Sequence[Correction], joined: dict[str, str]
    ) -> tuple[WriteSummary, Imported]:
        # LadybugDB 0.22 crashed (a segfault in `edges_among`) reading relationships its own open
        # transaction had written or deleted: after the write's transaction, and after each earlier
        # correction of a load in one transaction. So each correction gets a transaction of its own,
        # all inside the load's staging swap: the load stays all or nothing.
        with self.staged():
            summary = self.write(graph)
            return summary, self._settle_corrections(corrections, joined)

    def import_corrections(self, corrections: Sequence[Correction]) -> Imported:
        from govkg.graph.store_corrections import import_in_place

        with self.staged():  # one transaction per correction (see write_corrected), landing together
            return self._one_by_one(corrections, lambda tx, one: import_in_place(tx, [one]))

    def _in_transaction(self, work: TransactionWork, replacing: str | None = None) -> WriteSummary:
        """One explicit transaction on the staging copy's writer (see `staged`), or, into what holds
        nothing yet, the staging copy itself as the transaction."""
        with self.staged():
            if self._staging_spoiled:
                raise StoreError(f"a write into {self.path} failed part way; nothing more is written in this block")
            self._close_staging_reader()  # its pages need not stay in memory while this one writes
            conn = self._writer()
            tx = _LadybugStatements(conn, str(self.path))
            by_statement = self._commits_by_statement(replacing)
            if not by_statement:
                conn.execute("BEGIN TRANSACTION")
            try:
                summary = work(tx)
                if not by_statement:
                    conn.execute("COMMIT")
            except BaseException as err:
                if by_statement:
                    self._staging_spoiled = True  # part of the write may have committed
                else:
                    # The failed statement may have ended the transaction already.
                    with contextlib.suppress(RuntimeError):
                        conn.execute("ROLLBACK")
                    if tx.copied and not _engine_write_failed(err):
                        self._reopen_after_copy()
                if isinstance(err, RuntimeError):
                    failed = (
                        f"writing to {self.path} failed, nothing was written"
                        if replacing is None
                        else f"replacing {replacing} in {self.path} failed, nothing changed"
                    )
                    raise StoreError(f"{failed}: {_first_line(err)}") from err
                raise
            finally:
                self._close_staging_reader()  # its snapshot predates this write
            summary.counts_after = self.counts()
            return summary

    def _commits_by_statement(self, replacing: str | None) -> bool:
        """Whether the next write commits statement by statement, the staging copy being its
        transaction (a failure spoils it, and `staged` then lands nothing): the first write into a
        staging copy of an empty database, and a replacement of relationships of a type none of which
        is held (a first load's SIMILAR_TO). LadybugDB's commit of a transaction holding a first
        load's COPYs took 40 s of a 10,000-document write's 63 s, statement by statement the whole
        write took 39 s; 372,650 SIMILAR_TO into an empty table 26.9 s against 13.6 s. Into tables
        that hold rows it is the other way round (2,000 documents more: 49.5 s against 59 s), so
        every other write is one transaction (docs/measured.md)."""
        by_statement = self._staging_empty or (replacing is not None and self._holds_no(replacing))
        self._staging_empty = False
        return by_statement

    def _holds_no(self, edge_type: str) -> bool:
        """Whether the staging copy holds no `edge_type` relationship (an unknown type: refused later)."""
        if edge_type not in EDGE_TYPES:
            return False
        return not _rows(self._writer().execute(f"MATCH ()-[e:{edge_type}]->() RETURN 1 LIMIT 1"))

    def _reopen_after_copy(self) -> None:
        """LadybugDB 0.22 crashes on the next COPY after a COPY was rolled back in the same
        database handle; a fresh handle (of the staging copy) is sound (the rollback itself
        leaves nothing behind)."""
        if self._staging is None:
            return
        self._close_writer()
        self._db = _open_database(self._staging, read_only=False)
        self._conn = ladybug.Connection(self._db)

    # ----------------------------------------------------------------- reading

    def read(self, cypher: str, params: dict[str, Any] | None = None, *, limit: int | None = None) -> QueryResult:
        check_read_only(cypher)
        conn = self._staging_reader()  # the live file's read-only handle unless a write is staged
        try:
            top_k = self._plans_checked.get(cypher)
            if top_k is None:
                plan = _explain(conn, cypher, params)
                check_plan(lambda _: plan, cypher)
                check_top_k_skips(plan)
                self._plans_checked[cypher] = bool(top_k_operators(plan))
                while len(self._plans_checked) > PLAN_CACHE_SIZE:
                    del self._plans_checked[next(iter(self._plans_checked))]
            elif top_k and _SKIP.search(cypher):  # the skip may be a parameter: its value, this time
                check_top_k_skips(_explain(conn, cypher, params))
            result = conn.execute(cypher, dict(params or {}))
        except RuntimeError as err:
            message = _first_line(err)
            if "read-only" in message:
                raise ReadOnlyViolation(f"the query tried to write and was refused: {message}") from err
            if "interrupted" in message.lower() or "timeout" in message.lower():
                raise QueryError(
                    f"the query ran longer than {READ_TIMEOUT:.0f} s and was stopped; narrow it or add a LIMIT"
                ) from err
            missing = _MISSING_TABLE.search(message)
            if missing and missing.group(1) in _own_tables():
                raise QueryError(
                    f"this store has no {missing.group(1)} table yet: an earlier govkg wrote it, and reading cannot "
                    f"add it; {_ANY_WRITE}"
                ) from err
            outdated = _MISSING_PROPERTY.search(message) and _outdated_derived(conn)
            if outdated:
                raise QueryError(
                    f"this store's {', '.join(outdated)} lacks columns this govkg reads: an earlier govkg wrote it, "
                    f"and reading cannot add them; {_ANY_WRITE}"
                ) from err
            raise QueryError(message) from err
        if isinstance(result, list):  # several statements slipped through: keep the last result
            result = result[-1]
        columns = [str(c) for c in result.get_column_names()]
        rows: list[list[Any]] = []
        truncated = False
        while result.has_next():
            row = result.get_next()
            if limit is not None and len(rows) >= limit:
                truncated = True
                break
            rows.append([_plain(value) for value in row])
        result.close()
        return QueryResult(columns, rows, truncated)

    def searchable_text(self) -> SearchableText:
        """What EngineStore reads for the full-text index, the same values, read a column at a time
        (Arrow) rather than row by row: at 1,000 synthetic documents 0.5-0.7 s instead of 1.0-2.0 s, at
        10,000 8 s instead of 15 s."""
        conn = self._internal()
        tables = _tables(conn)
        found = SearchableText()
        for label in NODE_LABELS:
            if label not in tables:
                continue
            if label == "Document":
                rows = _columns(conn, "MATCH (n:Document) RETURN n.id, n.title, n.path, n.text")
                for i, title, path, text in zip(*rows, strict=True):
                    found.nodes.append((str(i), label, str(title or "") or str(path or "") or str(i), ()))
                    found.texts[str(i)] = str(text or "")
                continue
            for i, name, aliases in zip(*_columns(conn, f"MATCH (n:{label}) RETURN n.id, n.name, n.aliases"),
                                        strict=True):  # fmt: skip
                found.nodes.append((str(i), label, str(name or ""), tuple(str(a) for a in aliases or ())))
        for edge_type in EDGE_TYPES:
            if edge_type in UNEVIDENCED or edge_type not in tables:
                continue
            query = (f"MATCH (a)-[e:{edge_type}]->(b) RETURN a.id, b.id, e.evidence_documents, e.evidence_texts, "
                     "e.evidence_starts, e.evidence_ends")  # fmt: skip
            for source, target, *evidence in zip(*_columns(conn, query), strict=True):
                found.evidence.extend((edge_type, str(source), str(target), str(d), str(t), int(a), int(b))
                                      for d, t, a, b in zip(*(c or [] for c in evidence), strict=False))  # fmt: skip
        return found

    def holds_nothing(self) -> bool:
        # Also what decides whether a staging copy's first write commits statement by statement
        # (`_open_staging`), so a streamed load's first batch is sized by the same test.
        return not _rows(self._internal().execute("MATCH (n) RETURN 1 LIMIT 1"))

    def counts(self) -> dict[str, int]:
        conn = self._internal()
        tables = _tables(conn)
        out: dict[str, int] = {}
        for label in NODE_LABELS:
            out[label] = _scalar(conn, f"MATCH (n:{label}) RETURN count(n)") if label in tables else 0
        for edge_type in EDGE_TYPES:
            out[edge_type] = (
                _scalar(conn, f"MATCH ()-[e:{edge_type}]->() RETURN count(e)") if edge_type in tables else 0
            )
        return out


# --------------------------------------------------------------------- the engine primitives

# The internal relationships of graph/derived.py: never part of a neighbourhood or a picture.
_NOT_DERIVED = " AND ".join(f"label(e) <> '{t}'" for t in DERIVED_EDGE_TYPES)


class _LadybugStatements(EngineStatements):
    """LadybugDB's dialect on one connection: columns typed by CAST, unlabelled matches by id,
    COPY from an Arrow table for many new rows, and the hub-aware order of relationship matches."""

    def __init__(self, conn: ladybug.Connection, where: str) -> None:
        self._conn = conn
        self.where = where
        self.copied = False  # a COPY ran: a rollback then needs a fresh handle (_reopen_after_copy)
        self._table_names: set[str] | None = None

    def run(self, query: str, params: dict[str, Any]) -> list[list[Any]]:
        return _rows(self._conn.execute(query, params))  # closed: an open result holds its memory

    def columns(self, query: str, params: dict[str, Any]) -> list[list[Any]]:
        return _columns(self._conn, query, params)

    def typed(self, name: str, kind: str) -> str:
        return _cast(name, kind)

    def holds(self, table: str) -> bool:
        return self._has_table(table)

    def _has_table(self, name: str) -> bool:
        """Whether the table exists (a read-only handle of an older file may lack a newer one)."""
        if self._table_names is None:
            self._table_names = set(_tables(self._conn))
        return name in self._table_names

    # ----------------------------------------------------------------- reading

    def labels_of(self, ids: list[str]) -> dict[str, str]:
        rows = self.run("UNWIND $ids AS i MATCH (n {id: i}) RETURN n.id, label(n)", {"ids": ids})
        return {str(r[0]): str(r[1]) for r in rows}

    def node_rows(self, label: str, ids: list[str] | None = None) -> dict[str, dict[str, Any]]:
        columns = ["id", *node_columns(label)]
        returned = ", ".join(f"n.{c}" for c in columns)
        if ids is not None:
            rows = self.run(f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) RETURN {returned}", {"ids": ids})
        elif self._has_table(label):
            rows = self.run(f"MATCH (n:{label}) RETURN {returned} ORDER BY n.id", {})
        else:
            rows = []
        return {str(row[0]): dict(zip(columns, row, strict=True)) for row in rows}

    def edge_rows(
        self, edge_type: str, source_label: str, target_label: str, pairs: list[tuple[str, str]]
    ) -> dict[tuple[str, str], dict[str, Any]]:
        columns = list(edge_columns(edge_type))
        returned = ", ".join(f"e.{c}" for c in columns)
        batch = [{"s": s, "t": t} for s, t in pairs]
        match = _edge_match(edge_type, source_label, target_label, _start_from_target(batch))
        rows = self.run(f"UNWIND $rows AS r {match} RETURN r.s, r.t, {returned}", {"rows": batch})
        return {(str(row[0]), str(row[1])): dict(zip(columns, row[2:], strict=True)) for row in rows}

    def edges_of_type(self, edge_type: str) -> list[EdgeRow]:
        if not self._has_table(edge_type):
            return []
        columns = list(edge_columns(edge_type))
        returned = ", ".join(f"e.{c}" for c in columns)
        query = f"MATCH (a)-[e:{edge_type}]->(b) RETURN a.id, b.id, {returned} ORDER BY a.id, b.id"
        return [
            (str(row[0]), str(row[1]), edge_type, dict(zip(columns, row[2:], strict=True)))
            for row in self.run(query, {})
        ]

    # One query per label with `a.id IN $ids`: an unlabelled `MATCH (a {id: i})` expanded from every
    # node table (1.2-1.6 s at 100,000 nodes whatever the number of ids), the labelled IN form from the
    # primary key (15 ms for one id, 130 ms for 500; measured on a 10,000-document synthetic store).
    def neighbours(self, by_label: dict[str, list[str]], with_mentions: bool) -> list[tuple[str, str]]:
        where = _NOT_DERIVED + ("" if with_mentions else " AND label(e) <> 'MENTIONS'")
        found: list[tuple[str, str]] = []
        for label, ids in by_label.items():
            query = f"MATCH (a:{label})-[e]-(b) WHERE a.id IN $ids AND {where} RETURN DISTINCT b.id, label(b)"
            found.extend((str(r[0]), str(r[1])) for r in self.run(query, {"ids": ids}))
        return found

    def evidence_at(self, by_label: dict[str, list[str]]) -> list[EvidenceRow]:
        found: list[EvidenceRow] = []
        for label, ids in by_label.items():
            query = (f"MATCH (a:{label})-[e]-() WHERE a.id IN $ids AND label(e) <> 'MENTIONS' AND {_NOT_DERIVED} "
                     "RETURN a.id, e.evidence_documents, e.evidence_texts, e.evidence_starts, e.evidence_ends")
            found.extend((str(r[0]), r[1] or [], r[2] or [], r[3] or [], r[4] or [])
                         for r in self.run(query, {"ids": ids}))  # fmt: skip
        return found

    def edges_among(self, by_label: dict[str, list[str]]) -> list[EdgeRow]:
        ids = [i for label_ids in by_label.values() for i in label_ids]
        query = (f"MATCH (a)-[e]->(b) WHERE a.id IN $ids AND b.id IN $ids AND {_NOT_DERIVED} "
                 "RETURN a.id, b.id, label(e), e")
        out: list[EdgeRow] = []
        for source, target, edge_type, values in self.run(query, {"ids": ids}):
            # `e` holds the columns of every relationship table: keep this one's.
            declared = {c: values.get(c) for c in edge_columns(str(edge_type))}
            out.append((str(source), str(target), str(edge_type), declared))
        return out

    # ----------------------------------------------------------------- writing

    def upsert_nodes(self, label: str, rows: list[dict[str, Any]]) -> None:
        self.run(_merge_node_query(label), {"rows": rows})

    def create_edges(self, edge_type: str, source_label: str, target_label: str, rows: list[dict[str, Any]]) -> int:
        query = _create_edge_query(edge_type, source_label, target_label, _start_from_target(rows))
        return int(self.run(query, {"rows": rows})[0][0])

    def update_edges(self, edge_type: str, source_label: str, target_label: str, rows: list[dict[str, Any]]) -> int:
        query = _update_edge_query(edge_type, source_label, target_label, _start_from_target(rows))
        return int(self.run(query, {"rows": rows})[0][0])

    def delete_edges(self, edge_type: str, source_label: str, target_label: str, pairs: list[tuple[str, str]]) -> int:
        # One statement over an Arrow frame: 50,000 SIMILAR_TO of 370,000 in 0.7 s against 3.5 s in
        # batches of UNWIND rows (measured on a 10,000-document synthetic store).
        if not pairs:
            return 0
        frame = pa.table({"s": [p[0] for p in pairs], "t": [p[1] for p in pairs]})
        from_target = _start_from_target([{"s": p[0], "t": p[1]} for p in pairs])
        match = _edge_match(edge_type, source_label, target_label, from_target, ends=("s", "t"))
        return int(self.run(f"LOAD FROM $frame {match} DELETE e RETURN count(*)", {"frame": frame})[0][0])

    def merge_keys(self, label: str, keys: list[str]) -> None:
        """The keys held are read and the others CREATEd: MERGE looked each up and then created it, 1.9 s
        for 277,000 new keys against 0.7 s (docs/measured.md). No other writer can add a key in between:
        one process holds the store's file for writing."""
        held: set[str] = set()
        if self.run(f"MATCH (k:{label}) RETURN k.key LIMIT 1", {}):  # a first load holds none: no lookups
            for batch in batches(keys):
                rows = self.run(f"UNWIND $keys AS x MATCH (k:{label} {{key: x}}) RETURN k.key", {"keys": batch})
                held.update(str(r[0]) for r in rows)
        for batch in batches([k for k in keys if k not in held]):
            self.run(f"UNWIND $keys AS x CREATE (:{label} {{key: x}})", {"keys": batch})

    # Bulk fast path: many new rows are COPYed (docs/measured.md: ~30x faster than MERGE).
    def bulk_create_nodes(self, label: str, rows: list[dict[str, Any]]) -> bool:
        if len(rows) < COPY_THRESHOLD:
            return False
        self._copy(label, rows, ["id"])
        return True

    def bulk_create_edges(
        self, edge_type: str, source_label: str, target_label: str, rows: list[dict[str, Any]]
    ) -> bool:
        if len(rows) < COPY_THRESHOLD:
            return False
        self._copy(edge_type, rows, ["s", "t"], (source_label, target_label))
        return True

    def bulk_create_edge_columns(
        self, edge_type: str, source_label: str, target_label: str, columns: dict[str, list[Any]],
        *, release: bool = False,
    ) -> bool:
        if len(columns["s"]) < COPY_THRESHOLD:
            return False
        self._copy_columns(edge_type, columns, ["s", "t"], (source_label, target_label), release=release)
        return True

    def _copy(
        self, table: str, rows: list[dict[str, Any]], keys: list[str], ends: tuple[str, str] | None = None
    ) -> None:
        """COPY `rows` (all new) into `table` (`keys`: the primary key, or the two endpoint ids of a
        relationship)."""
        kinds = self._kinds(table)
        names = [*keys, *kinds]
        self._copy_columns(table, {name: [r.get(name) for r in rows] for name in names}, keys, ends, kinds)

    def _copy_columns(
        self, table: str, values: dict[str, list[Any]], keys: list[str], ends: tuple[str, str] | None = None,
        kinds: dict[str, str] | None = None, *, release: bool = False,
    ) -> None:
        """COPY the rows given as columns (all new; a column left out is null) into `table` from an
        Arrow table whose columns follow the table's own order (`kinds`, read when not given).
        `release`: the lists of `values` are emptied once the Arrow table holds them."""
        kinds = self._kinds(table) if kinds is None else kinds
        count = len(values[keys[0]])
        columns = {key: pa.array(values[key], type=pa.string()) for key in keys}
        for name, kind in kinds.items():
            if name in keys or name == "id":
                continue
            given = values.get(name)
            columns[name] = pa.array(given if given is not None else [None] * count, type=ARROW_TYPES[kind])
        frame = pa.table(columns)
        if release:
            # The engine's COPY holds about 600 MB until its commit; the Python rows beside it (372,650
            # SIMILAR_TO: their parts as JSON strings, their shared names as lists) are not needed once
            # in the frame (docs/measured.md).
            for given in values.values():
                given.clear()
            return_freed_memory()
        option = f" (from='{ends[0]}', to='{ends[1]}')" if ends else ""
        self.copied = True
        if ends is None:
            # A node table's COPY on one thread: on two, LadybugDB 0.22 deadlocks building the primary
            # key's index from a little more than one node group of rows (131,073 Han-character ids
            # copied, 140,000 hung; the 330,774 zones of 100,000 documents too), and one thread copies
            # as fast (130,000 rows: 1.28-1.54 s against 1.26-1.39 s; docs/measured.md).
            self._conn.set_max_threads_for_exec(1)
        try:
            self.run(f"COPY {table} FROM $frame{option}", {"frame": frame})
        finally:
            if ends is None:
                self._conn.set_max_threads_for_exec(0)  # 0: the database's own limit again
        _forget_copy_statements(self._conn)

    def _kinds(self, table: str) -> dict[str, str]:
        """The table's columns, in its own order, with their types."""
        return {str(r[1]): str(r[2]) for r in self.run(f"CALL table_info('{table}') RETURN *", {})}


def _outdated_derived(conn: ladybug.Connection) -> list[str]:
    """The derived tables held that lack a column graph/derived.py gives them."""
    tables = _tables(conn)
    outdated = []
    for table, declared in derived_columns().items():
        if table in tables:
            present = {str(row[1]) for row in _rows(conn.execute(f"CALL table_info('{table}') RETURN *"))}
            if not declared.keys() <= present:
                outdated.append(table)
    return outdated


# --------------------------------------------------------------------- their Cypher


def _merge_node_query(label: str) -> str:
    sets = ", ".join(f"n.{c} = {_cast(c, kind)}" for c, kind in node_columns(label).items())
    return f"UNWIND $rows AS r MERGE (n:{label} {{id: r.id}}) SET {sets}"


def _cast(name: str, kind: str) -> str:
    """A field of the UNWIND row `r`, typed as its column: the parameter binder would type a batch
    holding only nulls or empty lists as STRING or STRING[]."""
    return f"CAST(r.{name} AS {kind})"


def _create_edge_query(edge_type: str, source_label: str, target_label: str, from_target: bool) -> str:
    # Two MATCH clauses: one MATCH of two patterns joins far more slowly (docs/measured.md).
    ends = [f"MATCH (a:{source_label} {{id: r.s}})", f"MATCH (b:{target_label} {{id: r.t}})"]
    if from_target:
        ends.reverse()
    # Properties in the CREATE pattern: a SET afterwards looks the new relationship up again.
    props = ", ".join(f"{c}: {_cast(c, kind)}" for c, kind in edge_columns(edge_type).items())
    return f"UNWIND $rows AS r {' '.join(ends)} CREATE (a)-[e:{edge_type} {{{props}}}]->(b) RETURN count(*)"


def _edge_match(
    edge_type: str, source_label: str, target_label: str, from_target: bool, ends: tuple[str, str] = ("r.s", "r.t")
) -> str:
    """The relationship `e` between the ids `ends` (by default those of the UNWIND row `r`), in two
    MATCH clauses (one MATCH of two patterns joins far more slowly, docs/measured.md); it is
    expanded from the end matched first, so that must not be a hub (see _start_from_target)."""
    s, t = ends
    if from_target:
        return f"MATCH (b:{target_label} {{id: {t}}}) MATCH (b)<-[e:{edge_type}]-(a:{source_label} {{id: {s}}})"
    return f"MATCH (a:{source_label} {{id: {s}}}) MATCH (a)-[e:{edge_type}]->(b:{target_label} {{id: {t}}})"


def _update_edge_query(edge_type: str, source_label: str, target_label: str, from_target: bool) -> str:
    match = _edge_match(edge_type, source_label, target_label, from_target)
    sets = ", ".join(f"e.{c} = {_cast(c, kind)}" for c, kind in edge_columns(edge_type).items())
    return f"UNWIND $rows AS r {match} SET {sets} RETURN count(*)"


def _start_from_target(rows: list[dict[str, Any]]) -> bool:
    """Whether to match the target end first: when a batch names fewer distinct sources than
    targets (one document mentioning many zones), the sources are likely hubs, and expanding a
    hub's relationships for every row costs O(rows x degree) (10,000 MENTIONS of one document:
    4.5 s from the document, 0.1 s from the zones)."""
    return len({r["s"] for r in rows}) < len({r["t"] for r in rows})


# --------------------------------------------------------------------- LadybugDB helpers


def _read_pool(path: Path) -> int:
    """The buffer pool of a read-only handle. It holds the pages read and every operator's memory
    (hash tables, aggregates, collect, the result), so it caps what one read takes; the engine's
    default is 80% of the machine. It grows with the file so that a whole-graph read still fits.

    Measured (10,000 synthetic documents, a 316 MB file): snapshot() and a 255,000-row MENTIONS read
    fail with 1 GB and run with 1.5 GB; every saved query runs with 1 GB, not with 256 MB. A collect()
    of 4*10^8 values is refused in 0.4 s at 320 MB RSS with a 256 MB pool. The pool does NOT bound a
    list the engine builds outside it: UNWIND range(1, 10^9) reached 8.4 GB with a 512 MB pool; the
    memory limit of the process running the read stops that (govkg/app/query_worker.py)."""
    with contextlib.suppress(OSError):
        size = path.stat().st_size
        machine = int(0.8 * os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
        return min(max(READ_BUFFER_POOL, 8 * size), machine)
    return READ_BUFFER_POOL


def import_copy_modules() -> None:
    """Import what LadybugDB's binding imports at its first COPY from an Arrow table (pandas, pyarrow's
    compute functions: about 330 modules). A large load calls it before it extracts: imported in the
    middle of the write, their thousands of long-lived objects filled the holes of the extracted
    graph's memory, whose arenas then stayed with the process after the graph was freed (20,000
    documents: 741 -> 594 of Python's 1 MB arenas held at the similarity refresh, the process 1,027 ->
    889 MB; docs/measured.md)."""
    import pandas  # noqa: F401
    import pyarrow.compute
    import pyarrow.pandas_compat  # noqa: F401


def _open_database(path: Path, *, read_only: bool) -> ladybug.Database:
    try:
        db = ladybug.Database(str(path), read_only=read_only, buffer_pool_size=_read_pool(path) if read_only else 0)
        ladybug.Connection(db).execute("RETURN 1")  # the lock and file checks happen on first use
        return db
    except RuntimeError as err:
        message = str(err)
        if "Could not set lock" in message:
            pid = _LOCK_PID.search(message)
            holder = f"process {pid.group(1)}" if pid else "another process"
            raise StoreLockedError(
                f"the database {path} is in use by {holder} (数据库正被另一个进程使用). Close the govkg app or the "
                "other govkg command using it and try again, or choose another database with --db / GOVKG_DB."
            ) from err
        raise StoreError(f"cannot open the database {path}: {_first_line(err)}") from err


# --------------------------------------------------------------------- staging files


def _staging_path(path: Path) -> Path:
    return path.with_name(path.name + STAGING_SUFFIX)


def _side_files(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in _SIDE_SUFFIXES]


def _remove_database_files(path: Path) -> None:
    for file in (path, *_side_files(path)):
        with contextlib.suppress(FileNotFoundError):
            file.unlink()


def _empty_files(path: Path) -> None:
    for file in (path, *_side_files(path)):
        with contextlib.suppress(OSError):
            os.truncate(file, 0)


def _lock_writer(path: Path) -> IO[str]:
    """Hold the lock every writer of `path` takes (LadybugDB's own lock is on a file that a staged
    write replaces, so it cannot tell two writers apart); it names the holder's PID."""
    lock_path = path.with_name(path.name + LOCK_SUFFIX)
    try:
        handle = open(lock_path, "a+", encoding="ascii")  # noqa: SIM115 (held until close())
    except OSError as err:
        raise StoreError(
            f"cannot write beside the database {path} ({err.strerror}); choose a folder you can write to (--db)."
        ) from err
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        pid = handle.read().strip()
        handle.close()
        holder = f"process {pid}" if pid.isdigit() else "another process"
        raise StoreLockedError(
            f"the database {path} is in use by {holder} (数据库正被另一个进程使用). Close the govkg app or the "
            "other govkg command using it and try again, or choose another database with --db / GOVKG_DB."
        ) from None
    handle.truncate(0)
    handle.write(str(os.getpid()))
    handle.flush()
    return handle


def _apply_pending_log(path: Path) -> None:
    """Let LadybugDB apply a log left beside `path` by a writer that stopped (a store written in place
    by an earlier govkg): read-only handles refuse such a file until a writable open has recovered it."""
    if any(path.with_name(path.name + suffix).exists() for suffix in _LOG_SUFFIXES):
        _open_database(path, read_only=False).close()


def _sync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _abandon(*handles: object) -> None:
    """Keep LadybugDB handles that failed to write alive to the end of the process, unclosed.
    LadybugDB 0.22 retries the failed write when a handle closes and, failing again (a full disk, a
    file-size limit), throws from a destructor: the process aborts, its error message unprinted. One
    extra reference each, never released, means no destructor runs, not even at exit."""
    for handle in handles:
        if handle is not None:
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(handle))
            _ABANDONED.append(handle)


def _causes(err: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = err
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _engine_write_failed(err: BaseException) -> bool:
    """LadybugDB could not write a file (the errno its message quotes may be stale: a short write)."""
    return any(isinstance(e, RuntimeError) and "IO exception: Cannot write" in str(e) for e in _causes(err))


def _write_failure(err: BaseException, path: Path) -> BaseException:
    """The exception a failed staged write raises: one line saying what happened and that the
    database is as it was (always true here: the staging copy is dropped), and what to do."""
    if not isinstance(err, Exception):
        return err  # Ctrl+C and exits stay what they are
    codes = {e.errno for e in _causes(err) if isinstance(e, OSError)}
    as_was = "nothing was written, the database is as it was"
    size = _size_text(path.stat().st_size if path.exists() else 0)
    if codes & {errno.ENOSPC, errno.EDQUOT} or (
        _engine_write_failed(err) and shutil.disk_usage(path.parent).free < _NEARLY_FULL
    ):
        free = _size_text(shutil.disk_usage(path.parent).free)
        return StoreError(
            f"writing to {path} failed: the disk is full ({free} free); {as_was}. A write needs room for a "
            f"copy of the database ({size}) and what it adds: free some space and run it again."
        )
    limit = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    if errno.EFBIG in codes or (_engine_write_failed(err) and _reached(limit, _staging_path(path))):
        return StoreError(
            f"writing to {path} failed: a file reached this process's file-size limit ({_size_text(limit)}, "
            f"`ulimit -f`); {as_was}. Raise the limit (a write copies the database, {size}) and run it again."
        )
    if isinstance(err, GovkgError):
        return err
    if isinstance(err, RuntimeError | OSError):
        return StoreError(f"writing to {path} failed, {as_was}: {_first_line(err)}")
    return err


def _reached(limit: int, staging: Path) -> bool:
    """Whether a staging file has grown to the file-size limit (the engine's message does not say)."""
    if limit == resource.RLIM_INFINITY:
        return False
    sizes = [f.stat().st_size for f in (staging, *_side_files(staging)) if f.exists()]
    return any(size + _NEARLY_FULL >= limit for size in sizes)


def _size_text(size: int) -> str:
    return f"{size / (1 << 20):.1f} MB"


def _forget_copy_statements(conn: ladybug.Connection) -> None:
    """Drop the COPY statements LadybugDB's connection cached. Each keeps the Arrow frame it was
    bound to until the connection closes: a 10,000-document load would hold a copy of every row it
    wrote (about 250 MB) to the end. A COPY is prepared once per table and write, so nothing is lost."""
    cache = getattr(conn, "_pybind_implicit_prepared_cache", None)
    lock = getattr(conn, "_prepared_cache_lock", None)
    if not isinstance(cache, dict) or lock is None:
        return  # another ladybug version: nothing cached this way
    with lock:
        for key in [k for k in cache if isinstance(k, tuple) and str(k[0]).lstrip().upper().startswith("COPY ")]:
            statement = cache.pop(key)
            close = getattr(statement, "close", None)
            if callable(close):
                with contextlib.suppress(RuntimeError):
                    close()


def _open_reader(path: Path) -> tuple[ladybug.Database, ladybug.Connection]:
    """A read-only handle of `path` for ad-hoc reads, with the read time limit set."""
    db = _open_database(path, read_only=True)
    conn = ladybug.Connection(db)
    # As on Neo4j: a long ad-hoc read is stopped, not left to hold the store and the machine.
    conn.set_query_timeout(int(READ_TIMEOUT * 1000))
    return db, conn


def _close_handle(conn: ladybug.Connection | None, db: ladybug.Database | None) -> None:
    if conn is not None:
        conn.close()
    if db is not None:
        db.close()


def _own_tables() -> set[str]:
    """Every table govkg's writes create: the graph's labels and types, the derived ones, corrections."""
    return {*NODE_LABELS, *EDGE_TYPES, *(table for table, _ in derived_ddl()), CORRECTION_TABLE}


def _explain(conn: ladybug.Connection, cypher: str, params: dict[str, Any] | None) -> str:
    """The printed physical plan of `cypher`: planned, not run (the text guard has already refused the
    statements whose binding acts, such as EXPORT DATABASE)."""
    rows = _rows(conn.execute(f"EXPLAIN {cypher}", dict(params or {})))
    return str(rows[0][0]) if rows and rows[0] else ""


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


def _rows(result: ladybug.QueryResult | list[ladybug.QueryResult]) -> list[list[Any]]:
    if isinstance(result, list):
        result = result[-1]
    rows = [list(r) for r in result.get_all()]
    result.close()
    return rows


def _wait_for(worker: threading.Thread) -> None:
    """Join `worker` even through Ctrl+C, which is raised once it has ended."""
    interrupted: KeyboardInterrupt | None = None
    while worker.is_alive():
        try:
            worker.join()
        except KeyboardInterrupt as err:
            interrupted = err
    if interrupted is not None:
        raise interrupted


def _tables(conn: ladybug.Connection) -> dict[str, str]:
    """Existing table name -> NODE or REL."""
    return {str(row[1]): str(row[2]) for row in _rows(conn.execute("CALL show_tables() RETURN *"))}


def _columns(conn: ladybug.Connection, query: str, params: dict[str, Any] | None = None) -> list[list[Any]]:
    """The columns of a query's result as Python lists, fetched as Arrow (one call per column rather
    than one per row)."""
    result = conn.execute(query, params or {})
    if isinstance(result, list):
        result = result[-1]
    try:
        table = result.get_as_arrow(100_000)
    finally:
        result.close()
    return [column.to_pylist() for column in table.columns]


def _scalar(conn: ladybug.Connection, query: str) -> int:
    return int(_rows(conn.execute(query))[0][0])


def _plain(value: Any) -> Any:
    """A LadybugDB value as plain Python, shaped like the Neo4j store's: node -> properties +
    `_label`, relationship -> properties + `_type`, path -> nodes and relationships, a
    variable-length relationship -> its list of relationships. Null properties are left out,
    as Neo4j does not store them."""
    if isinstance(value, dict):
        if "_NODES" in value and "_RELS" in value:
            # Both come typed RECURSIVE_REL; a path lists its end nodes too (one node more than
            # relationships), a variable-length relationship only the nodes in between.
            rels = [_plain(r) for r in value["_RELS"]]
            if len(value["_NODES"]) != len(rels) + 1:
                return rels
            return {"nodes": [_plain(n) for n in value["_NODES"]], "relationships": rels}
        if "_LABEL" in value and "_ID" in value:
            label = str(value["_LABEL"])
            if "_SRC" in value:
                declared = set(edge_columns(label)) if label in EDGE_TYPES else None
                out = _properties(value, declared)
                out["_type"] = label
                return out
            declared = {"id", *node_columns(label)} if label in NODE_LABELS else None
            out = _properties(value, declared)
            out["_label"] = label
            return out
        if set(value) == {"offset", "table"}:  # an internal id
            return f"{value['table']}:{value['offset']}"
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _properties(value: dict[str, Any], declared: set[str] | None) -> dict[str, Any]:
    # Unlabelled matches return the union of all tables' columns: keep only this table's.
    return {
        k: _plain(v)
        for k, v in value.items()
        if not k.startswith("_") and v is not None and (declared is None or k in declared)
    }
