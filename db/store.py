"""The library file: opening it safely, reading papers, and every write as one undoable transaction.

`Store` is the only thing that writes the SQLite file. It checks a file before it writes anything
(so a foreign, corrupt, newer or read-only file is refused untouched), runs each write in one
`BEGIN IMMEDIATE` transaction together with its journal entry, and is safe to share between the
app's worker threads (one connection behind a lock; `reader()` hands out extra connections).
Never imports textual or rich.
"""

from __future__ import annotations

import functools
import json
import os
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar
from urllib.parse import quote

from papershelf.db import journal, schema, search_index
from papershelf.db.models import ActionResult, ImportReport, Paper, ParsedPaper, Stats, TagCount
from papershelf.db.schema import StoreError, check_file, translate_error
from papershelf.db.tags import normalize_tag, tag_list
from papershelf.db.text import strip_controls

if TYPE_CHECKING:
    from sqlite_utils import Database

    from papershelf.db.history import Entry
    from papershelf.db.similar import Doc

__all__ = ["Store", "StoreError", "default_db_path", "normalize_tag"]

_PAPER_COLUMNS = (
    "id, arxiv_id, title, abstract, authors, authors_count, organization, published, "
    "upvotes, comments, links, read_at, added_at, github, ai_summary, ai_keywords, "
    "project_page, github_stars, daily_day, submitter, note, snoozed_until, dismissed_at"
)


def default_db_path() -> Path:
    """$PAPERSHELF_DB, else papers.db in the platform's user data directory."""
    if os.environ.get("PAPERSHELF_DB"):
        return Path(os.environ["PAPERSHELF_DB"]).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("papershelf")) / "papers.db"


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _guarded(method: Callable[Concatenate[Store, _P], _R]) -> Callable[Concatenate[Store, _P], _R]:
    """Turn SQLite errors a person can cause (locked, read-only, corrupt) into StoreError."""

    @functools.wraps(method)
    def wrapper(self: Store, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.DatabaseError as error:
            raise self._translate(error) from error

    return wrapper


# How long a write waits for another writer (another papershelf importing, say) before it gives
# up with "locked": an import of 100k papers holds the library ~3 s, several times that on a
# busy machine, and 5 s made two concurrent imports fail now and then.
WRITE_WAIT = 30.0
# SQLite's page cache per connection, in KiB: the writer's is big (an import updates several
# indexes at once); every other connection (reads, a worker's search) keeps a small one and
# reads the rest from the OS's cache, so an app over a big library stays small.
WRITE_CACHE_KIB = 65536
READ_CACHE_KIB = 8192
SIMILAR_CANDIDATES = 200  # papers `similar` reads and scores, whatever the library's size


class Store:
    """One papershelf library file. Build it with `Store.open(path)`."""

    SCHEMA_VERSION = schema.SCHEMA_VERSION

    def __init__(self, path: Path, conn: sqlite3.Connection, *, readonly: bool, timeout: float):
        self.path = path
        self.readonly = readonly
        self.timeout = timeout
        self._identity = _identity(path)  # which file this is: a restore puts another there
        self._conn = conn  # the writer; reads go through a second connection (see `_read`)
        self._lock = threading.RLock()
        self._reads: sqlite3.Connection | None = None
        self._read_lock = threading.RLock()
        self._checkpointer: threading.Thread | None = None

    @functools.cached_property
    def db(self) -> Database:
        """The writer connection as a sqlite-utils Database (loaded on first use: opening a
        library does not need sqlite-utils)."""
        from sqlite_utils import Database

        return Database(self._conn, execute_plugins=False)

    # -- opening -------------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        create: bool = True,
        readonly: bool = False,
        timeout: float = WRITE_WAIT,
        allow_older: bool = False,
    ) -> Store:
        """Open (and, if new or empty, initialise) a library; StoreError if it cannot be used.

        `readonly` opens refuse a library an older papershelf wrote (it cannot be upgraded
        without writing) unless `allow_older`, for checks that only read the file's identity.
        """
        path = Path(path).expanduser().absolute()
        check_file(path, create=create, readonly=readonly)
        try:
            conn = cls._connect(path, readonly, timeout, cache_kib=WRITE_CACHE_KIB)
        except sqlite3.DatabaseError as error:
            raise translate_error(path, timeout, error) from error
        store = cls(path, conn, readonly=readonly, timeout=timeout)
        try:
            store._prepare(allow_older=allow_older)
        except BaseException:
            store.close()
            raise
        return store

    @staticmethod
    def _connect(
        path: Path, readonly: bool, timeout: float, *, cache_kib: int = READ_CACHE_KIB
    ) -> sqlite3.Connection:
        if readonly:
            # A file nobody may write (mode bits) cannot change under us: `immutable` reads it
            # without the -shm/-wal files a WAL library would otherwise create beside it.
            frozen = "&immutable=1" if schema.read_only(path) else ""
            target, uri = f"file:{quote(str(path))}?mode=ro{frozen}", True
        else:
            target, uri = str(path), False
        # isolation_level=None: transactions are explicit (BEGIN IMMEDIATE), never implicit.
        conn = sqlite3.connect(
            target, uri=uri, timeout=timeout, check_same_thread=False, isolation_level=None
        )
        conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA cache_size = -{int(cache_kib)}")
        # Statement journals in memory: a table with triggers (the search index's) makes every
        # INSERT keep one, and on disk that tripled the cost of a 1M-paper import.
        conn.execute("PRAGMA temp_store = MEMORY")
        return conn

    def _translate(self, error: sqlite3.DatabaseError) -> Exception:
        return translate_error(self.path, self.timeout, error)

    @_guarded
    def _prepare(self, allow_older: bool = False) -> None:
        """Check what the file holds (reads only), then switch to WAL and migrate if needed."""
        state = self._inspect()
        if self.readonly:
            if state != "current" and not (allow_older and state == "older"):
                raise StoreError(
                    f"{self.path} is not an up-to-date papershelf library; open it for writing once."
                )
            return
        if self._conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            self._conn.execute("PRAGMA journal_mode = WAL")
        if state != "current":
            with self._write():
                # Another process may have initialised it meanwhile.
                if self._inspect() != "current":
                    schema.migrate(self.db)

    def _inspect(self) -> str:
        """'empty', 'current' or 'older'; StoreError for files that are not ours or are newer."""
        tables = {
            row[0]
            for row in self._conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not row[0].startswith("sqlite_")
        }
        if not tables:
            return "empty"
        try:
            meta = dict(self._conn.execute("SELECT key, value FROM meta").fetchall())
            version = int(meta.get("schema_version") or 0)
        except (sqlite3.OperationalError, ValueError):  # no meta table, or someone else's
            meta, version = {}, 0
        if meta.get("application") != schema.APPLICATION:
            raise StoreError(f"{self.path} is a SQLite database but not a papershelf library.")
        if version > self.SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer papershelf (schema {version}); "
                f"this version reads up to {self.SCHEMA_VERSION}."
            )
        current = version == self.SCHEMA_VERSION and not schema.pending(self._conn)
        return "current" if current else "older"

    def close(self) -> None:
        """Close the connection (idempotent), after a checkpoint started by an import ends."""
        if self._checkpointer is not None:
            self._checkpointer.join()
            self._checkpointer = None
        with self._lock, self._read_lock:
            if self._reads is not None:
                self._reads.close()
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions ----------------------------------------------------------------------------

    @contextmanager
    def _write(self, *, commit: bool = True) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken up front so a busy library waits instead of failing later."""
        if self.readonly:
            raise StoreError(f"{self.path} is read-only, so nothing was changed.")
        if self.replaced():
            raise StoreError(
                f"{self.path} was replaced (restored from a backup?) since it was opened; "
                "nothing was changed: open it again."
            )
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise
            if self._conn.in_transaction:  # the block may have rolled back itself
                self._conn.execute("COMMIT" if commit else "ROLLBACK")

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """Reads that see one committed snapshot, on their own connection: a long import on
        the writer (WAL) never blocks the app's reads."""
        with self._read_lock:
            if self._reads is None:
                self._reads = self._connect(self.path, True, self.timeout)
            conn = self._reads
            if conn.in_transaction:  # nested: already inside one snapshot
                yield conn
                return
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                conn.execute("COMMIT")

    # -- writes ------------------------------------------------------------------------------------

    @_guarded
    def import_papers(
        self,
        papers: Sequence[ParsedPaper],
        *,
        source: str,
        captured_on: date,
        format: str = "",
        dry_run: bool = False,
        progress: Callable[[int, int], None] | None = None,
    ) -> ImportReport:
        """Merge papers into the library in one transaction (dry_run: report, then roll back).

        `progress(done, total)` is called as batches of papers are merged.
        """
        from papershelf.db import importer

        total = len(papers)

        def batches() -> Iterator[Sequence[ParsedPaper]]:
            for start in range(0, total, importer.BATCH):
                yield papers[start : start + importer.BATCH]
                if progress is not None:
                    progress(min(start + importer.BATCH, total), total)

        if progress is not None:
            progress(0, total)
        return self.import_batches(
            batches(), source=source, captured_on=captured_on, format=format, dry_run=dry_run
        )

    @_guarded
    def import_batches(
        self,
        batches: Iterable[Sequence[ParsedPaper]],
        *,
        source: str,
        captured_on: date,
        format: str = "",
        dry_run: bool = False,
    ) -> ImportReport:
        """`import_papers` of the papers in `batches`, taken one batch at a time (a page read
        as it is parsed): one transaction, so an error raised while the batches are produced
        leaves the library as it was. The outcome does not depend on where batches are cut.

        A big import's commit does not copy its write-ahead log into the file (for 1M papers,
        2 GB and 7 s of a 34 s import); a checkpoint on a connection of its own does that in the
        background, while the caller goes on (the CLI indexes the new papers meanwhile), and
        `close()` waits for it. Until then readers simply read the new pages from the log.
        """
        from papershelf.db import importer

        big = False
        job: importer.Import | None = None
        try:
            with self._write(commit=not dry_run) as conn:
                job = importer.Import(conn, source=source, captured_on=captured_on, format=format)
                for batch in batches:
                    job.add(batch)
                    if not big and not dry_run and job.papers >= importer.BULK:
                        big = True
                        self._conn.execute("PRAGMA wal_autocheckpoint = 0")
                counts, payload = job.finish()
                new, updated, unchanged = counts
                description = (
                    f"Import of {source}: {new} new, {updated} updated, {unchanged} unchanged"
                )
                if new or updated:
                    journal.record(conn, "import", description, payload)
                elif not dry_run:  # it changed nothing: no undo step, no empty import row
                    conn.execute("ROLLBACK")
                # Read before the commit: it changes from here on only by others' commits.
                version = conn.execute("PRAGMA data_version").fetchone()[0]
        except BaseException:
            if job is not None and job.builder is not None:
                job.builder.close()
            raise
        finally:
            if big:
                self._conn.execute("PRAGMA wal_autocheckpoint = 1000")
        if big:
            self._checkpoint_behind()
        if job.builder is not None:
            if dry_run or not (new or updated):
                job.builder.close()
            else:  # what it cannot copy, `index_pending` indexes
                with self._lock:
                    job.builder.install(self.path, version, self._conn)
        return ImportReport(new=new, updated=updated, unchanged=unchanged, format=format)

    def _checkpoint_behind(self) -> None:
        """Copy the write-ahead log into the library file in a background thread (PASSIVE: it
        never blocks, or waits for, other connections; what it cannot copy yet waits for the
        next checkpoint). SQLite keeps a checkpoint cut short by a crash harmless."""
        if self._checkpointer is not None:
            self._checkpointer.join()

        def run() -> None:
            try:
                conn = sqlite3.connect(str(self.path), timeout=self.timeout)
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
                finally:
                    conn.close()
            except sqlite3.Error:
                pass  # the next commit or close checkpoints instead

        self._checkpointer = threading.Thread(target=run, name="papershelf-checkpoint", daemon=True)
        self._checkpointer.start()

    @_guarded
    def index_pending(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Index papers written since the last search, in short batches; returns how many.

        Imports only queue papers for the search index (tokenising abstracts would halve import
        speed); calling this right after an import moves that cost off the first search.
        """
        if self.readonly:
            return 0
        with self._lock:
            return search_index.sync(self._conn, batch=search_index.BULK_BATCH, progress=progress)

    def _action(
        self, kind: str, run: Callable[[sqlite3.Connection], tuple[int, str, dict[str, Any]]]
    ) -> ActionResult:
        with self._write() as conn:
            changed, message, payload = run(conn)
            if changed:
                journal.record(conn, kind, message, payload)
        return ActionResult(changed, message if changed else "Nothing to change")

    @_guarded
    def edit_tags(
        self, ids: Iterable[int], add: Iterable[str] = (), remove: Iterable[str] = ()
    ) -> ActionResult:
        """Add tags and remove others in one transaction and one undo step.

        ValueError for an unusable tag name, before anything is written; a tag no paper carries
        any more disappears (undo brings it back).
        """
        adding, removing, ids = tag_list(add), tag_list(remove), [int(i) for i in ids]
        if not (adding or removing) or not ids:
            return ActionResult(0, "Nothing to change")
        if not removing:
            return self._action("add_tags", lambda conn: journal.add_tags(conn, ids, adding))
        if not adding:
            return self._action(
                "remove_tags", lambda conn: journal.remove_tags(conn, ids, removing)
            )
        return self._action(
            "edit_tags", lambda conn: journal.edit_tags(conn, ids, adding, removing)
        )

    def add_tags(self, ids: Iterable[int], tags: Iterable[str]) -> ActionResult:
        """Give papers tags (see `edit_tags`)."""
        return self.edit_tags(ids, add=tags)

    def remove_tags(self, ids: Iterable[int], tags: Iterable[str]) -> ActionResult:
        """Take tags off papers (see `edit_tags`)."""
        return self.edit_tags(ids, remove=tags)

    @_guarded
    def set_read(self, ids: Iterable[int], read: bool) -> ActionResult:
        """Mark papers read (stamped now) or unread."""
        ids = [int(i) for i in ids]
        if not ids:
            return ActionResult(0, "Nothing to change")
        return self._action("set_read", lambda conn: journal.set_read(conn, ids, bool(read)))

    @_guarded
    def rename_tag(self, old: str, new: str) -> ActionResult:
        """Rename a tag; if NEW exists, OLD's papers join it and OLD disappears."""
        old_name, new_name = normalize_tag(old), normalize_tag(new)
        result = self._action(
            "rename_tag", lambda conn: journal.rename_tag(conn, old_name, new_name)
        )
        if not result.changed and old_name != new_name and not self._tag_exists(old_name):
            return ActionResult(0, f"There is no tag {old_name}")
        return result

    # -- triage: notes, snoozing, dismissing ------------------------------------------------------

    @_guarded
    def set_note(self, paper_id: int, text: str | None) -> ActionResult:
        """Set (or, with empty text or None, clear) a paper's note; one undo step."""
        note = strip_controls(text).strip() if text else ""
        value = note or None
        message = "Saved the note on {papers}" if value else "Cleared the note on {papers}"
        return self._action(
            "set_note",
            lambda conn: journal.set_triage(conn, [int(paper_id)], "note", value, message),
        )

    @_guarded
    def snooze(self, ids: Iterable[int], until: date | None) -> ActionResult:
        """Hide papers from the inbox until the day `until` (None: wake them now)."""
        ids = [int(i) for i in ids]
        value = until.isoformat() if until is not None else None
        message = f"Snoozed {{papers}} until {value}" if value else "Woke {papers}"
        return self._action(
            "snooze", lambda conn: journal.set_triage(conn, ids, "snoozed_until", value, message)
        )

    @_guarded
    def dismiss(self, ids: Iterable[int], dismissed: bool = True) -> ActionResult:
        """Take papers out of the inbox without marking them read (False: bring them back)."""
        ids = [int(i) for i in ids]

        def run(conn: sqlite3.Connection) -> tuple[int, str, dict[str, Any]]:
            if not dismissed:
                return journal.set_triage(conn, ids, "dismissed_at", None, "Brought back {papers}")
            # Already dismissed papers keep their first dismissal time.
            fresh = [
                row[0]
                for row in conn.execute(
                    "SELECT id FROM papers WHERE dismissed_at IS NULL "
                    "AND id IN (SELECT value FROM json_each(?))",
                    [json.dumps(ids)],
                )
            ]
            now = journal.utc_now()
            return journal.set_triage(conn, fresh, "dismissed_at", now, "Dismissed {papers}")

        return self._action("dismiss", run)

    @_guarded
    def similar(
        self, paper_id: int, limit: int = 10, candidates: int = SIMILAR_CANDIDATES
    ) -> list[tuple[Paper, float]]:
        """The papers most like `paper_id` (see db.similar), best first, with their scores.

        The search index picks the candidates (papers holding most of the paper's rarest words)
        and gives each word's paper count, so the cost hardly grows with the library: only
        `candidates` papers are read and scored.
        """
        from papershelf.db.similar import rank_similar, rare_words, terms_of

        self.index_pending()  # a paper not indexed yet could be no one's neighbour
        with self._read() as conn:
            row = conn.execute(
                "SELECT id, title, abstract, ai_keywords FROM papers WHERE id = ?", [int(paper_id)]
            ).fetchone()
            if row is None:
                return []
            target = _doc(row)
            rare = rare_words(target, search_index.doc_counts(conn, terms_of(target)))
            if not rare:
                return []
            chosen = search_index.papers_holding_most(conn, rare, candidates)
            docs = [
                _doc(r)
                for r in conn.execute(
                    "SELECT id, title, abstract, ai_keywords FROM papers "
                    "WHERE id IN (SELECT value FROM json_each(?))",
                    [json.dumps(chosen)],
                )
            ]
            words = set(terms_of(target)).union(*(terms_of(d) for d in docs))
            counts = search_index.doc_counts(conn, words)
            total = int(conn.execute("SELECT count(*) FROM papers").fetchone()[0])
        ranked = rank_similar(target, docs, limit, (counts, total))
        by_id = {p.id: p for p in self.papers([pid for pid, _ in ranked])}
        return [(by_id[pid], score) for pid, score in ranked if pid in by_id]

    @_guarded
    def progress(self, today: date) -> dict[str, int]:
        """How many papers are read, unread, dismissed, snoozed (past `today`) and noted."""
        with self._read() as conn:
            row = conn.execute(
                "SELECT coalesce(sum(read_at IS NOT NULL), 0), coalesce(sum(read_at IS NULL), 0), "
                "coalesce(sum(dismissed_at IS NOT NULL), 0), coalesce(sum(snoozed_until > ?), 0), "
                "coalesce(sum(note IS NOT NULL), 0) FROM papers",
                [today.isoformat()],
            ).fetchone()
        return dict(zip(("read", "unread", "dismissed", "snoozed", "noted"), map(int, row)))

    @_guarded
    def per_week(self, weeks: int = 16) -> list[tuple[str, int]]:
        """(Monday of the week, papers published that week) for the latest `weeks` weeks seen."""
        with self._read() as conn:
            rows = conn.execute(
                "SELECT date(published, '-' || ((strftime('%w', published) + 6) % 7) || ' days') "
                "AS week, count(*) FROM papers WHERE published IS NOT NULL "
                "GROUP BY week ORDER BY week DESC LIMIT ?",
                [weeks],
            ).fetchall()
        return [(str(week), int(n)) for week, n in reversed(rows)]

    @_guarded
    def snapshots(self, paper_id: int) -> list[tuple[str, int | None, int | None]]:
        """(observed day, upvotes, comments) of every import that saw the paper, oldest first."""
        with self._read() as conn:
            rows = conn.execute(
                "SELECT observed_on, upvotes, comments FROM snapshots WHERE paper_id = ? "
                "ORDER BY observed_on, id",
                [int(paper_id)],
            ).fetchall()
        return [(str(day), up, comments) for day, up, comments in rows]

    @_guarded
    def undo(self, expect: int | None = None) -> ActionResult | None:
        """Reverse the latest action not yet undone; None when there is nothing left to undo.

        `expect`: the id of the entry the person agreed to undo (`next_undo`); if another
        change came first, nothing is undone and the result says so.
        """
        from papershelf.db import history

        with self._write() as conn:
            return history.undo(conn, expect)

    @_guarded
    def redo(self) -> ActionResult | None:
        """Replay the latest undone action; None when there is nothing to redo (a new action
        after an undo ends the redo stack)."""
        from papershelf.db import history

        with self._write() as conn:
            return history.redo(conn)

    @_guarded
    def next_undo(self) -> Entry | None:
        """What `undo` would reverse now (None: nothing)."""
        from papershelf.db import history

        with self._read() as conn:
            return history.next_undo(conn)

    @_guarded
    def next_redo(self) -> Entry | None:
        """What `redo` would replay now (None: nothing)."""
        from papershelf.db import history

        with self._read() as conn:
            return history.next_redo(conn)

    # -- reads ---------------------------------------------------------------------------------------

    def _tag_exists(self, name: str) -> bool:
        with self._read() as conn:
            return conn.execute("SELECT 1 FROM tags WHERE name = ?", [name]).fetchone() is not None

    @_guarded
    def paper(self, target: int | str) -> Paper | None:
        """A paper by numeric id (int or digit string) or by arXiv id; None if not in the library."""
        if isinstance(target, str):
            target = target.strip()
            if target.lower().startswith("arxiv:"):
                target = target[6:]
        if isinstance(target, int) or target.isdigit():
            found = self.papers([int(target)])
        else:
            # "2311.01282v2" finds 2311.01282: the library keeps ids without a version.
            candidates = [target, re.sub(r"v\d+$", "", target)]
            with self._read() as conn:
                row = conn.execute(
                    "SELECT id FROM papers WHERE arxiv_id IN (?, ?)", candidates
                ).fetchone()
            found = self.papers([row[0]]) if row else []
        return found[0] if found else None

    @_guarded
    def papers(self, ids: Sequence[int] | None = None) -> list[Paper]:
        """Papers in the order of `ids` (unknown ids skipped), or every paper by id."""
        with self._read() as conn:
            if ids is None:
                rows = conn.execute(f"SELECT {_PAPER_COLUMNS} FROM papers ORDER BY id").fetchall()
                tag_rows = conn.execute(
                    "SELECT pt.paper_id, t.name FROM paper_tags pt JOIN tags t ON t.id = pt.tag_id"
                ).fetchall()
            else:
                wanted = json.dumps([int(i) for i in ids])
                rows = conn.execute(
                    f"SELECT {_PAPER_COLUMNS} FROM papers WHERE id IN (SELECT value FROM json_each(?))",
                    [wanted],
                ).fetchall()
                tag_rows = conn.execute(
                    "SELECT pt.paper_id, t.name FROM paper_tags pt JOIN tags t ON t.id = pt.tag_id "
                    "WHERE pt.paper_id IN (SELECT value FROM json_each(?))",
                    [wanted],
                ).fetchall()
        tags: dict[int, list[str]] = {}
        for paper_id, name in tag_rows:
            tags.setdefault(paper_id, []).append(name)
        by_id = {row[0]: _paper(row, tags.get(row[0], ())) for row in rows}
        if ids is None:
            return list(by_id.values())
        return [by_id[i] for i in ids if i in by_id]

    @_guarded
    def count(self) -> int:
        """How many papers the library holds."""
        with self._read() as conn:
            return int(conn.execute("SELECT count(*) FROM papers").fetchone()[0])

    @_guarded
    def tag_counts(self) -> list[TagCount]:
        """Every tag with its paper count and unread count, sorted by name."""
        with self._read() as conn:
            rows = conn.execute(
                "SELECT t.name, count(p.id), coalesce(sum(p.read_at IS NULL), 0) FROM tags t "
                "LEFT JOIN paper_tags pt ON pt.tag_id = t.id LEFT JOIN papers p ON p.id = pt.paper_id "
                "GROUP BY t.id ORDER BY t.name"
            ).fetchall()
        return [TagCount(name, count, unread) for name, count, unread in rows]

    @_guarded
    def tag_group_counts(self) -> dict[str, TagCount]:
        """Each tag group (`rl` of `rl/offline`, `rl/x` of `rl/x/y`) with its papers: those
        carrying the group's own tag or one under it, each once, as `tag:rl/` finds them."""
        with self._read() as conn:
            names = [row[0] for row in conn.execute("SELECT name FROM tags WHERE name LIKE '%/%'")]
            groups = sorted(
                {name.rsplit("/", k)[0] for name in names for k in range(1, name.count("/") + 1)}
            )
            found = {}
            for group in groups:
                count, unread = conn.execute(
                    "SELECT count(DISTINCT pt.paper_id),"
                    " count(DISTINCT CASE WHEN p.read_at IS NULL THEN pt.paper_id END)"
                    " FROM tags t JOIN paper_tags pt ON pt.tag_id = t.id"
                    " JOIN papers p ON p.id = pt.paper_id"
                    " WHERE t.name = ? OR substr(t.name, 1, ?) = ?",
                    [group, len(group) + 1, group + "/"],
                ).fetchone()
                found[group] = TagCount(group, int(count), int(unread))
        return found

    @_guarded
    def stats(self) -> Stats:
        """Totals, read/unread, per tag, and papers per month (YYYY-MM of published)."""
        with self._read() as conn:
            total, read = conn.execute(
                "SELECT count(*), coalesce(sum(read_at IS NOT NULL), 0) FROM papers"
            ).fetchone()
            months = conn.execute(
                "SELECT substr(published, 1, 7) AS month, count(*) FROM papers "
                "WHERE published IS NOT NULL GROUP BY month ORDER BY month"
            ).fetchall()
            tags = self.tag_counts()
        return Stats(total, read, total - read, tuple(tags), tuple((m, n) for m, n in months))

    @_guarded
    def data_version(self) -> int:
        """A number that changes whenever anyone (this connection or another process) commits."""
        with self._read() as conn:
            # The read connection's data_version moves with every commit not its own: the
            # writer's included. total_changes adds this Store's own (also rolled-back) writes.
            version: int = conn.execute("PRAGMA data_version").fetchone()[0]
            return (version << 32) + self._conn.total_changes

    def replaced(self) -> bool:
        """True when the file at `path` is no longer the one this Store opened (a restore, or
        anything else that renamed or deleted it): writing here would go to the old file."""
        return _identity(self.path) != self._identity

    def reader(self) -> sqlite3.Connection:
        """A NEW connection (check_same_thread=False) for a worker thread; WAL lets it read while
        this Store writes. It may write too (the search index's `sync` does), unless the Store
        was opened read-only. It keeps a small page cache (READ_CACHE_KIB)."""
        return self._connect(self.path, self.readonly, self.timeout)

    def backup(self, dest: str | os.PathLike[str]) -> None:
        """Write a consistent copy of the library to a NEW file (see `db.backup`)."""
        from papershelf.db.backup import write_backup

        write_backup(lambda: self._connect(self.path, True, self.timeout), dest)


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        found = path.stat()
    except OSError:
        return None
    return (found.st_dev, found.st_ino)


def _doc(row: tuple[Any, ...]) -> Doc:
    """What similarity reads of a paper: (id, title, abstract, ai_keywords JSON) -> Doc."""
    from papershelf.db.similar import Doc

    pid, title, abstract, keywords = row
    return Doc(int(pid), title, abstract, tuple(json.loads(keywords)) if keywords != "[]" else ())


def _paper(row: tuple[Any, ...], tags: Iterable[str]) -> Paper:
    (
        pid,
        arxiv_id,
        title,
        abstract,
        authors,
        authors_count,
        organization,
        published,
        upvotes,
        comments,
        links,
        read_at,
        added_at,
        github,
        ai_summary,
        ai_keywords,
        project_page,
        github_stars,
        daily_day,
        submitter,
        note,
        snoozed_until,
        dismissed_at,
    ) = row
    return Paper(
        id=pid,
        arxiv_id=arxiv_id,
        title=title,
        abstract=abstract,
        authors=tuple(json.loads(authors)) if authors != "[]" else (),
        authors_count=authors_count,
        organization=organization,
        published=published,
        upvotes=upvotes,
        comments=comments,
        links=tuple(json.loads(links)) if links != "[]" else (),
        tags=tuple(sorted(tags)),
        read=read_at is not None,
        read_at=read_at,
        added_at=added_at,
        github=github,
        ai_summary=ai_summary,
        ai_keywords=tuple(json.loads(ai_keywords)) if ai_keywords != "[]" else (),
        project_page=project_page,
        github_stars=github_stars,
        daily_day=daily_day,
        submitter=submitter,
        note=note,
        snoozed_until=snoozed_until,
        dismissed_at=dismissed_at,
    )
