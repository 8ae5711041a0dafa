"""Hostile library files: corrupt, not SQLite, someone else's SQLite, a newer
papershelf's, read-only file, read-only folder.

Every command gives one clear sentence and exit code 1, and the file (and its folder: no stray
-wal/-shm/journal files) is never modified or overwritten. Tests run as root in CI, where the
kernel ignores permission bits; the store checks the bits itself (`_writable`), so the read-only
cases are real here too.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest

from tests.support.processes import SAMPLE, files_state, one_sentence_error, run

# Commands a person runs on a library: reads, writes, the app's own opening path is Store.open.
COMMANDS = {
    "list": ("list",),
    "show": ("show", "1"),
    "stats": ("stats",),
    "import": ("import", str(SAMPLE), "--captured-on", "2025-12-08"),
    "tag": ("tag", "add", "x", "1"),
    "undo": ("undo",),
}


@pytest.fixture(scope="module")
def good_library(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("good") / "papers.db"
    assert run(db, "import", str(SAMPLE), "--captured-on", "2025-12-08").returncode == 0
    assert run(db, "tag", "add", "keep", "1").returncode == 0
    return db


def _corrupt(good: Path, dest: Path) -> None:
    """Valid header and first page, garbage everywhere after it."""
    data = bytearray(good.read_bytes())
    page = int.from_bytes(data[16:18], "big") or 65536
    garbage = (b"\xde\xad\xbe\xef" * (len(data) // 4 + 1))[: len(data) - page]
    data[page:] = garbage
    dest.write_bytes(bytes(data))


def _truncated(good: Path, dest: Path) -> None:
    data = good.read_bytes()
    dest.write_bytes(data[: len(data) // 3])


def _not_sqlite(good: Path, dest: Path) -> None:
    dest.write_text("These are my notes, not a database.\n" * 500)


def _foreign(good: Path, dest: Path) -> None:
    conn = sqlite3.connect(dest)
    conn.executescript(
        "CREATE TABLE recipes(name TEXT, minutes INTEGER);"
        "INSERT INTO recipes VALUES ('bread', 240);"
    )
    conn.close()


def _foreign_with_meta(good: Path, dest: Path) -> None:
    conn = sqlite3.connect(dest)  # a `meta` table of its own, not ours
    conn.executescript(
        "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"
        "INSERT INTO meta VALUES ('application', 'someone-else');"
    )
    conn.close()


def _newer(good: Path, dest: Path) -> None:
    shutil.copyfile(good, dest)
    conn = sqlite3.connect(dest)
    conn.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    conn.commit()
    conn.execute("PRAGMA journal_mode = DELETE")  # self-contained, like a copied file
    conn.close()


BAD_FILES = {
    "corrupt (valid header, garbage pages)": (_corrupt, "corrupt"),
    "truncated to a third": (_truncated, ""),
    "not SQLite": (_not_sqlite, "not a SQLite database"),
    "SQLite but not papershelf": (_foreign, "not a papershelf library"),
    "SQLite with another program's meta table": (_foreign_with_meta, "not a papershelf library"),
    "newer papershelf": (_newer, "newer papershelf"),
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("kind", BAD_FILES)
def test_bad_library_is_refused_and_untouched(
    good_library: Path, tmp_path: Path, kind: str, command: str
):
    make, words = BAD_FILES[kind]
    db = tmp_path / "papers.db"
    make(good_library, db)
    before = files_state(tmp_path)
    done = run(db, *COMMANDS[command])
    assert done.returncode == 1, (done.stdout, done.stderr)
    message = one_sentence_error(done.stderr)
    assert str(db) in message
    assert words.lower() in message.lower()
    assert files_state(tmp_path) == before


def test_newer_library_message_names_both_versions(good_library: Path, tmp_path: Path):
    db = tmp_path / "papers.db"
    _newer(good_library, db)
    message = one_sentence_error(run(db, "list").stderr)
    assert "999" in message


# --- read-only file and folder ---------------------------------------------------------------

WRITES = ("import", "tag", "undo")


@pytest.fixture
def readonly_file(good_library: Path, tmp_path: Path):
    db = tmp_path / "papers.db"
    shutil.copyfile(good_library, db)
    db.chmod(0o444)
    yield db
    db.chmod(0o644)


@pytest.fixture
def readonly_folder(good_library: Path, tmp_path: Path):
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "papers.db"
    shutil.copyfile(good_library, db)
    folder.chmod(0o555)
    yield db
    folder.chmod(0o755)


@pytest.mark.parametrize("command", WRITES)
@pytest.mark.parametrize("where", ["file", "folder"])
def test_read_only_library_refuses_writes_untouched(request, where: str, command: str):
    db = request.getfixturevalue(f"readonly_{where}")
    before = files_state(db.parent)
    done = run(db, *COMMANDS[command])
    assert done.returncode == 1, (done.stdout, done.stderr)
    message = one_sentence_error(done.stderr)
    assert "read-only" in message
    assert files_state(db.parent) == before
    assert stat.S_IMODE(db.stat().st_mode) in (0o444, 0o644)


@pytest.mark.parametrize("command", ["list", "show", "stats"])
@pytest.mark.parametrize("where", ["file", "folder"])
def test_read_only_library_reads_or_says_why_untouched(request, where: str, command: str):
    """Reading a read-only library may work or be refused, but in one sentence and untouched."""
    db = request.getfixturevalue(f"readonly_{where}")
    before = files_state(db.parent)
    done = run(db, *COMMANDS[command])
    if done.returncode != 0:
        assert done.returncode == 1
        assert "read-only" in one_sentence_error(done.stderr)
    assert files_state(db.parent) == before


def test_new_library_in_a_read_only_folder_is_refused(tmp_path: Path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        done = run(folder / "papers.db", "import", str(SAMPLE))
        assert done.returncode == 1
        assert "read-only" in one_sentence_error(done.stderr)
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def test_library_path_is_a_directory(tmp_path: Path):
    done = run(tmp_path, "list")
    assert done.returncode == 2  # click's usage error for --db, before the store is reached
    assert b"is a directory" in done.stderr and b"Traceback" not in done.stderr


@pytest.mark.skipif(
    os.geteuid() != 0, reason="only root can write a 0444 file; checks the store's own guard"
)
def test_root_is_still_kept_off_a_read_only_file(readonly_file: Path):
    """As root the kernel would allow the write; the store must refuse on the permission bits."""
    before = readonly_file.read_bytes()
    done = run(readonly_file, "tag", "add", "x", "1")
    assert done.returncode == 1
    assert readonly_file.read_bytes() == before


def test_backup_never_overwrites(good_library: Path, tmp_path: Path):
    dest = tmp_path / "precious.db"
    dest.write_bytes(b"my other data")
    done = run(good_library, "backup", str(dest))
    assert done.returncode == 1
    assert "exists" in one_sentence_error(done.stderr)
    assert dest.read_bytes() == b"my other data"
