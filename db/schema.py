"""The library's file format: the SQLite schema, its migrations, and the checks run before opening.

Migrations run through `sqlite_utils.migrations.Migrations("papershelf")`, which records each
applied step in `_sqlite_migrations` (read directly to tell whether any is pending).
`meta.schema_version` is what older and newer papershelf versions compare against, so it is
bumped by every migration that changes the format.
"""

from __future__ import annotations

import functools
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from papershelf.db import search_index

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

APPLICATION = "papershelf"
_SQLITE_MAGIC = b"SQLite format 3\x00"
SCHEMA_VERSION = 5

# Tables the store owns. Anything else in the file (the search index) belongs to db.search_index.
STORE_TABLES = ("meta", "papers", "tags", "paper_tags", "imports", "snapshots", "journal")

# One statement per item: `executescript` would commit in the middle of the migration's transaction.
_SCHEMA_1 = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)",
    """CREATE TABLE papers (
        id INTEGER PRIMARY KEY,
        title_key TEXT NOT NULL,
        arxiv_id TEXT UNIQUE,
        title TEXT NOT NULL,
        abstract TEXT NOT NULL DEFAULT '',
        authors TEXT NOT NULL DEFAULT '[]',
        authors_count INTEGER,
        organization TEXT,
        published TEXT,
        upvotes INTEGER,
        comments INTEGER,
        links TEXT NOT NULL DEFAULT '[]',
        github TEXT,
        read_at TEXT,
        added_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        import_id INTEGER
    )""",
    # Few indexes on purpose: every one costs each imported row a B-tree insert (dropping the
    # published/upvotes/comments/read_at ones made a 100k import ~25% faster). The search index's
    # covering index leads with `published`; the query engine sorts and filters the rest in memory.
    "CREATE INDEX idx_papers_title_key ON papers(title_key)",
    "CREATE INDEX idx_papers_added_at ON papers(added_at)",
    "CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)",
    """CREATE TABLE paper_tags (
        paper_id INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
        tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
        added_at TEXT,
        PRIMARY KEY (paper_id, tag_id)
    ) WITHOUT ROWID""",  # clustered by paper; undo re-inserts rows exactly where they were
    "CREATE INDEX idx_paper_tags_tag_id ON paper_tags(tag_id)",
    """CREATE TABLE imports (
        id INTEGER PRIMARY KEY, source TEXT, format TEXT, captured_on TEXT, at TEXT,
        new INTEGER, updated INTEGER, unchanged INTEGER
    )""",
    """CREATE TABLE snapshots (
        id INTEGER PRIMARY KEY,
        paper_id INTEGER REFERENCES papers(id) ON DELETE CASCADE,
        import_id INTEGER, observed_on TEXT, upvotes INTEGER, comments INTEGER
    )""",
    "CREATE INDEX idx_snapshots_paper_id ON snapshots(paper_id)",
    "CREATE INDEX idx_snapshots_import_id ON snapshots(import_id)",
    """CREATE TABLE journal (
        id INTEGER PRIMARY KEY, at TEXT, kind TEXT, description TEXT, payload TEXT,
        undone INTEGER DEFAULT 0
    )""",
)


def m001_initial(db: Database) -> None:
    """The first schema: papers, tags, read state, imports, snapshots, journal, search index."""
    for statement in _SCHEMA_1:
        db.execute(statement)
    db.execute(
        "INSERT INTO meta(key, value) VALUES ('application', ?), ('schema_version', '1')",
        [APPLICATION],
    )
    search_index.install(db)


def m002_bulk_indexing(db: Database) -> None:
    """The importer queues new papers for the search index itself (see search_index)."""
    search_index.upgrade_2(db)


# What the HF API gives that a page does not, and the person's triage state. All nullable: a paper
# read from a plain copy simply has none of them.
_SCHEMA_3 = (
    "ALTER TABLE papers ADD COLUMN ai_summary TEXT",
    "ALTER TABLE papers ADD COLUMN ai_keywords TEXT NOT NULL DEFAULT '[]'",
    "ALTER TABLE papers ADD COLUMN project_page TEXT",
    "ALTER TABLE papers ADD COLUMN github_stars INTEGER",
    "ALTER TABLE papers ADD COLUMN daily_day TEXT",
    "ALTER TABLE papers ADD COLUMN submitter TEXT",
    "ALTER TABLE papers ADD COLUMN note TEXT",
    "ALTER TABLE papers ADD COLUMN snoozed_until TEXT",
    "ALTER TABLE papers ADD COLUMN dismissed_at TEXT",
)


def m003_api_fields_and_triage(db: Database) -> None:
    """API fields (AI summary and keywords, project page, stars, Daily Papers day, submitter) and
    triage state (note, snoozed until a day, dismissed)."""
    for statement in _SCHEMA_3:
        db.execute(statement)


def m004_fts_content_quoting(db: Database) -> None:
    """The search index declared so sqlite-utils and Datasette find it (see search_index)."""
    search_index.upgrade_4(db)


def m005_saved_terms(db: Database) -> None:
    """The saved vocabulary's terms kept as text for one search to scan (see search_index)."""
    search_index.upgrade_5(db)


# Every step, in order; each is recorded under its function's name.
STEPS = (
    m001_initial,
    m002_bulk_indexing,
    m003_api_fields_and_triage,
    m004_fts_content_quoting,
    m005_saved_terms,
)
_MIGRATIONS_TABLE = "_sqlite_migrations"


@functools.cache
def _migrations() -> Migrations:
    # sqlite-utils (and numpy and dateutil with it) is loaded only to migrate: opening a current
    # library, as every command does, needs none of it.
    from sqlite_utils.migrations import Migrations

    migrations = Migrations(APPLICATION)
    for step in STEPS:
        migrations(name=step.__name__)(step)
    return migrations


def migrate(db: Database) -> None:
    """Apply pending migrations and record the schema version (the caller holds a write lock)."""
    _migrations().apply(db)
    db.execute(
        "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)",
        [str(SCHEMA_VERSION)],
    )


def pending(conn: sqlite3.Connection) -> bool:
    """True if this file still needs migrations (read-only: the names sqlite-utils recorded)."""
    if not conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [_MIGRATIONS_TABLE]
    ).fetchone():
        return True
    applied = {
        row[0]
        for row in conn.execute(
            f"SELECT name FROM {_MIGRATIONS_TABLE} WHERE migration_set = ?", [APPLICATION]
        )
    }
    return any(step.__name__ not in applied for step in STEPS)


class StoreError(Exception):
    """A problem a person can cause (bad, foreign, newer, locked or read-only file); one sentence."""


def _writable(path: Path) -> bool:
    # os.access is always True for root; a file with no write bit was made read-only on purpose.
    return os.access(path, os.W_OK) and bool(path.stat().st_mode & 0o222)


def read_only(path: Path) -> bool:
    """True for an existing library that cannot be written: the file or its folder has no
    write permission (mode bits, so also for root). Such a library is opened read-only."""
    try:
        return path.is_file() and not (_writable(path) and _writable(path.parent))
    except OSError:
        return False


def check_file(path: Path, *, create: bool, readonly: bool) -> None:
    """Refuse unusable paths before SQLite gets a chance to write anything."""
    if path.is_dir():
        raise StoreError(f"{path} is a directory, not a library file.")
    if not path.exists():
        if not path.parent.is_dir() and (readonly or not create):
            raise StoreError(f"The folder {path.parent} does not exist.")
        if readonly or not create:
            raise StoreError(f"{path} does not exist.")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(f"Cannot create the folder {path.parent}: {error.strerror}.") from None
        if not _writable(path.parent):
            raise StoreError(f"{path} cannot be created: its folder is read-only.")
        return
    try:
        with path.open("rb") as file:
            header = file.read(len(_SQLITE_MAGIC))
    except OSError as error:
        raise StoreError(f"{path} cannot be read: {error.strerror}.") from None
    if header and header != _SQLITE_MAGIC:
        raise StoreError(f"{path} is not a SQLite database.")
    if not readonly and not (_writable(path) and _writable(path.parent)):
        raise StoreError(f"{path} is read-only.")


def translate_error(path: Path, timeout: float, error: sqlite3.DatabaseError) -> Exception:
    """The StoreError a person should see for a SQLite error, or the error itself (a bug)."""
    text = str(error).lower()
    if "locked" in text or "busy" in text:
        return StoreError(f"{path} is locked by another program (waited {timeout:g} s).")
    if "readonly" in text or "read-only" in text:
        return StoreError(f"{path} is read-only.")
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return StoreError(f"{path} is corrupt ({error}).")
    if "unable to open" in text:
        return StoreError(f"{path} cannot be opened ({error}).")
    if "disk i/o error" in text or "disk is full" in text:
        return StoreError(
            f"{path} cannot be written ({error}); is it a regular file on a disk with space?"
        )
    return error
