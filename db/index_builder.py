"""The search index of a big import, built beside the import instead of after it.

Tokenising is the largest single cost of an import (FTS5 needs ~50 µs a paper with 1-2 KB
abstracts), and `search_index.sync` can only start once the import has committed. When the
library's index is empty (a new library, the usual first big import), `Builder` tokenises the
import's new papers while the import goes on: on a connection and a thread of its own, into an
FTS5 table declared exactly like the library's, in a temporary file. After the import commits,
`install` copies that index's tables (`papers_fts_data`, `_idx`, `_docsize`) and its vocabulary
into the library in one transaction and takes the papers off the search queue.

It only ever saves work: the import queues its papers as always, and whenever the copy cannot
be trusted (the builder failed, a paper it indexed changed later in the import, another
connection wrote to the library after the import, the library's index is no longer empty) the
builder is dropped and `sync` indexes the queue as it would have. The copy is written by a
connection of its own, so every other connection (the store's writer included) sees the index
change as another writer's commit and re-reads FTS5's structure record.

The thread needs Python's lock only to encode each chunk of papers as JSON, not per paper, so
Python code (parsing the next block) runs meanwhile; one statement per chunk, because FTS5
writes a segment per statement inside a transaction.
"""

from __future__ import annotations

import json
import os
import queue
import sqlite3
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path

from papershelf.db import search_index

# Papers per statement (and so per FTS5 segment, merged as FTS5 merges them). The import keeps
# at most three chunks' text alive for the builder (~20 MB): one queued, one being indexed, one
# being collected.
CHUNK = 5000

_INSERT = (
    f"INSERT INTO {search_index.FTS_TABLE}(rowid, title, abstract, organization)"
    " SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'),"
    " json_extract(value, '$[2]'), json_extract(value, '$[3]') FROM json_each(?)"
)
_SHADOWS = ("data", "idx", "docsize")  # FTS5's tables holding the index itself
_encode = json.JSONEncoder(check_circular=False).encode

Row = tuple[int, str, str, str | None]  # id, title, abstract, organization


def spare_core() -> bool:
    """Whether a core is free for the builder's thread: the 1-minute load average (what other
    processes run) leaves one besides the import's own. On a busy machine the builder only
    adds work: encoding the papers as JSON, reading it back and merging its segments cost
    ~10% of an import's CPU (measured at a load of 5 on 2 cores: 100k papers 30 -> 33 s)."""
    cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # no load average here (Windows)
        return cores >= 2
    return load < cores - 1.5


_PREFIX = "papershelf-index-"  # then the process id, so a killed process's file can be found


def _remove_stale() -> None:
    """Remove the scratch files of processes that were killed before they could (POSIX)."""
    if os.name != "posix":
        return
    for path in Path(tempfile.gettempdir()).glob(f"{_PREFIX}*-*.db"):
        pid = path.name.removeprefix(_PREFIX).split("-", 1)[0]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            path.unlink(missing_ok=True)
        except OSError:  # alive, someone else's
            continue


class Builder:
    """Indexes the rows it is given (`add`), a chunk at a time, on a thread of its own."""

    def __init__(self) -> None:
        _remove_stale()
        handle, name = tempfile.mkstemp(prefix=f"{_PREFIX}{os.getpid()}-", suffix=".db")
        os.close(handle)
        self.path = Path(name)
        self.conn = sqlite3.connect(name, isolation_level=None, check_same_thread=False)
        self.conn.execute("PRAGMA journal_mode = OFF")  # a scratch file: thrown away on failure
        self.conn.execute("PRAGMA synchronous = OFF")
        search_index.declare_index(self.conn)
        self.first: int | None = None  # ids first..end-1 were given, in order, none twice
        self.end = 0
        self.tainted = False  # a row given changed afterwards: the copy would be stale
        self._rows: list[Row] = []
        self._queue: queue.Queue[list[Row] | None] = queue.Queue(maxsize=1)
        self._error: BaseException | None = None
        self._stop = False
        self._thread = threading.Thread(target=self._run, name="papershelf-index", daemon=True)
        self._thread.start()

    def add(self, rows: Iterable[Row]) -> None:
        """Index these new rows (ids continuing the ones given before)."""
        for row in rows:
            if self.first is None:
                self.first = row[0]
            elif row[0] != self.end:
                self.tainted = True  # not one run of ids: never the case for an import
            self.end = row[0] + 1
            self._rows.append(row)
            if len(self._rows) >= CHUNK:
                self._send()

    def _send(self) -> None:
        if self._rows and self._error is None:
            self._queue.put(self._rows)  # waits while the thread is a chunk behind
        self._rows = []

    def _run(self) -> None:
        rows: list[Row] | None = []
        try:
            while (rows := self._queue.get()) is not None and not self._stop:
                self.conn.execute(_INSERT, [_encode(rows)])
            if not self._stop:
                # One segment instead of a chunk's each (automerge leaves ~10 at 100k; `sync`
                # leaves one per 50k): a search then reads each term's postings once. It runs
                # while the import finishes and commits.
                self.conn.execute(
                    f"INSERT INTO {search_index.FTS_TABLE}({search_index.FTS_TABLE})"
                    " VALUES ('optimize')"
                )
                search_index.save_vocabulary(self.conn, vouch=False)
        except BaseException as error:  # `install` then copies nothing
            self._error = error
        while rows is not None:  # until the end is sent: the import never waits on this thread
            rows = self._queue.get()

    def install(self, library: Path, unchanged: int, writer: sqlite3.Connection) -> bool:
        """Copy the index into the library's empty one; True when it did (then the papers
        are off the queue and, if nothing else is queued, the saved vocabulary is exact).

        `unchanged` is `PRAGMA data_version` on the import's connection, `writer`, read in
        the import's transaction (from its commit on, only other connections' commits change
        it): if another connection has written since, nothing is copied; nor if the copy fails.
        """
        try:
            self._send()
            self._queue.put(None)
            self._thread.join()
            if self._error is not None or self.tainted or self.first is None:
                return False
            try:
                return self._copy(library, unchanged, writer)
            except sqlite3.Error:  # rolled back (disk full, a busy library): sync indexes it
                return False
        finally:
            self.close()

    def _copy(self, library: Path, unchanged: int, writer: sqlite3.Connection) -> bool:
        self.conn.close()
        conn = sqlite3.connect(str(library), isolation_level=None)
        try:
            conn.execute("PRAGMA wal_autocheckpoint = 0")  # the store checkpoints behind
            conn.execute("ATTACH DATABASE ? AS built", [str(self.path)])
            conn.execute("BEGIN IMMEDIATE")
            try:
                if not self._still_valid(conn, unchanged, writer):
                    conn.execute("ROLLBACK")
                    return False
                for shadow in _SHADOWS:
                    table = f"{search_index.FTS_TABLE}_{shadow}"
                    conn.execute(f"DELETE FROM main.{table}")
                    conn.execute(f"INSERT INTO main.{table} SELECT * FROM built.{table}")
                conn.execute(
                    f"DELETE FROM {search_index.PENDING_TABLE} WHERE paper_id >= ? AND paper_id < ?",
                    [self.first, self.end],
                )
                if search_index.pending(conn):
                    search_index.mark_stale(conn)
                else:
                    for table in (search_index.SAVED_VOCAB, search_index.SAVED_TERMS):
                        conn.execute(f"DELETE FROM main.{table}")
                        conn.execute(f"INSERT INTO main.{table} SELECT * FROM built.{table}")
                    search_index.vouch(conn)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        finally:
            conn.close()
        return True

    def _still_valid(
        self, conn: sqlite3.Connection, unchanged: int, writer: sqlite3.Connection
    ) -> bool:
        """Inside the copy's write transaction: nobody wrote since the import, the library's
        index is empty, and every paper built is queued (as the import left them)."""
        if writer.execute("PRAGMA data_version").fetchone()[0] != unchanged:
            return False
        table = f"{search_index.FTS_TABLE}_docsize"
        if conn.execute(f"SELECT 1 FROM main.{table} LIMIT 1").fetchone() is not None:
            return False
        queued = conn.execute(
            f"SELECT count(*) FROM {search_index.PENDING_TABLE} WHERE paper_id >= ? AND paper_id < ?",
            [self.first, self.end],
        ).fetchone()[0]
        return bool(queued == self.end - (self.first or 0))

    def close(self) -> None:
        """Stop the thread (an import that failed), close the connection, remove the file."""
        if self._thread.is_alive():
            self._stop = True
            self.conn.interrupt()
            while True:
                try:
                    self._queue.put_nowait(None)
                    break
                except queue.Full:
                    try:
                        self._queue.get_nowait()
                    except queue.Empty:
                        pass
            self._thread.join()
        self.conn.close()
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
