"""Crash safety: `papershelf import` and a bulk `tag add` killed with SIGKILL mid-way.

A real child process is killed at several points chosen by watching the library's write-ahead
log (it appears when the store opens the file; it grows while the transaction spills and while it
commits) and the main file (it grows only while a committed transaction is checkpointed into it).
Whatever the kill point, the library must open, pass `PRAGMA integrity_check`, and
hold the import (or the bulk tag) entirely or not at all. That statement holds at any instant, so
the test cannot flake on timing; the kill points only decide which half of it is exercised.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from papershelf.db.store import Store
from tests.support.processes import (
    SAMPLE,
    dump,
    integrity,
    kill_when,
    plain_page,
    run,
    scalar,
    spawn,
    wal_size,
)

N = 30_000  # big enough that the import's transaction and its commit take a visible while
BASE_TAGS = ("kept", "rl/offline")


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("crash")


@pytest.fixture(scope="module")
def page(work: Path) -> Path:
    path = work / "crash-page.txt"
    path.write_text(plain_page(N, prefix="Crash"), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def baseline(work: Path) -> Path:
    """A library with the sample, two tags and a read mark: the person's work a crash must keep."""
    db = work / "baseline.db"
    for args in (
        ("import", str(SAMPLE), "--captured-on", "2025-12-08"),
        ("tag", "add", ",".join(BASE_TAGS), "1", "2", "3"),
        ("read", "2", "5"),
    ):
        done = run(db, *args)
        assert done.returncode == 0, (args, done.stderr)
    assert wal_size(db) == -1  # closed cleanly: one self-contained file to copy
    return db


def _copy(src: Path, dest: Path) -> Path:
    shutil.copyfile(src, dest)
    return dest


def _person_state(db: Path) -> tuple:
    """The person's judgement: tag assignments and read marks of the baseline papers."""
    with Store.open(db, create=False) as store:
        papers = store.papers([p for p in range(1, 54)])
        return tuple((p.id, p.tags, p.read_at) for p in papers)


def _opens_and_is_sound(db: Path) -> int:
    assert integrity(db) == "ok"
    conn = sqlite3.connect(db)
    try:  # rank 0: the full-text index's own structure (papers may still be queued for it)
        conn.execute("INSERT INTO papers_fts(papers_fts, rank) VALUES ('integrity-check', 0)")
    finally:
        conn.close()
    with Store.open(db, create=False) as store:  # the app and the CLI open it this way
        return store.count()


def _wal_appeared(db: Path):
    return lambda: wal_size(db) >= 0


def _wal_over(db: Path, size: int):
    return lambda: wal_size(db) > size


def _db_grew(db: Path):
    """The main file grows only when the checkpoint copies committed pages back into it."""
    before = db.stat().st_size
    return lambda: db.stat().st_size > before


def _after_wal(db: Path, seconds: float):
    seen: list[float] = []

    def ready() -> bool:
        if not seen and wal_size(db) >= 0:
            seen.append(time.monotonic())
        return bool(seen) and time.monotonic() - seen[0] >= seconds

    return ready


IMPORT_KILLS = {
    "store just opened": lambda db: _wal_appeared(db),
    "mid transaction": lambda db: _after_wal(db, 0.4),
    "commit started": lambda db: _wal_over(db, 256 * 1024),
    "commit well along": lambda db: _wal_over(db, 6 * 1024 * 1024),
    "checkpoint running": lambda db: _db_grew(db),
}


def test_killed_import_is_all_or_nothing(work: Path, page: Path, baseline: Path):
    base_dump = dump(baseline)
    base_state = _person_state(baseline)
    outcomes = {}
    for name, kill_point in IMPORT_KILLS.items():
        db = _copy(baseline, work / f"import-{name.replace(' ', '-')}.db")
        proc = spawn(db, "import", str(page), "--captured-on", "2025-12-08")
        killed = kill_when(proc, kill_point(db))
        wal = wal_size(db)
        count = _opens_and_is_sound(db)
        assert count in (53, 53 + N), f"{name}: partial import, {count} papers"
        if count == 53:
            assert dump(db) == base_dump, f"{name}: an absent import still changed the library"
            outcomes[name] = "absent"
        else:
            assert scalar(db, "SELECT count(*) FROM papers WHERE title LIKE 'Crash paper %'") == N
            assert scalar(db, "SELECT count(*) FROM imports") == 2
            assert scalar(db, "SELECT count(*) FROM journal WHERE kind = 'import'") == 2
            outcomes[name] = "present"
        assert _person_state(db) == base_state, f"{name}: the person's tags/read marks changed"
        outcomes[name] += f" (killed={killed}, wal at kill={wal})"
    # The killed library is usable: importing again completes and counts every paper as new.
    db = work / "import-mid-transaction.db"
    if scalar(db, "SELECT count(*) FROM papers") == 53:
        again = run(db, "import", str(page), "--captured-on", "2025-12-08")
        assert again.returncode == 0, again.stderr
        assert f"{N} papers: {N} new".encode() in again.stdout
        assert integrity(db) == "ok"
    print(outcomes)


def test_uninterrupted_import_is_present(work: Path, page: Path, baseline: Path, full: Path):
    assert _opens_and_is_sound(full) == 53 + N
    assert _person_state(full) == _person_state(baseline)


@pytest.fixture(scope="module")
def full(work: Path, page: Path, baseline: Path) -> Path:
    """The baseline plus the whole generated page, imported without interruption."""
    db = _copy(baseline, work / "full.db")
    done = run(db, "import", str(page), "--captured-on", "2025-12-08")
    assert done.returncode == 0, done.stderr
    # A first search indexes the new papers (the query engine defers that work), so the bulk
    # tag runs below kill the tag's own transaction, not the indexing.
    searched = run(db, "list", "crash", "--limit", "1", "--format", "ids")
    assert searched.returncode == 0, searched.stderr
    assert scalar(db, "SELECT count(*) FROM search_pending") == 0
    return db


TAG_KILLS = {
    "store just opened": lambda db: _wal_appeared(db),
    "after the search": lambda db: _after_wal(db, 0.3),
    "commit started": lambda db: _wal_over(db, 128 * 1024),
    "commit well along": lambda db: _wal_over(db, 1024 * 1024),
    "checkpoint running": lambda db: _db_grew(db),
}


def test_killed_bulk_tag_is_all_or_nothing(work: Path, full: Path):
    total = 53 + N
    tagged_before = scalar(full, "SELECT count(*) FROM paper_tags")
    journal_before = scalar(full, "SELECT count(*) FROM journal")
    outcomes = {}
    for name, kill_point in TAG_KILLS.items():
        db = _copy(full, work / f"tag-{name.replace(' ', '-')}.db")
        proc = spawn(db, "tag", "add", "bulk", "--query", "")
        killed = kill_when(proc, kill_point(db))
        wal = wal_size(db)
        assert _opens_and_is_sound(db) == total
        bulk = scalar(
            db,
            "SELECT count(*) FROM paper_tags pt JOIN tags t ON t.id = pt.tag_id "
            "WHERE t.name = 'bulk'",
        )
        assert bulk in (0, total), f"{name}: a bulk tag reached {bulk} of {total} papers"
        others = scalar(db, "SELECT count(*) FROM paper_tags") - bulk
        assert others == tagged_before, f"{name}: other tags changed"
        journal = scalar(db, "SELECT count(*) FROM journal")
        assert journal == journal_before + (1 if bulk else 0), f"{name}: journal out of step"
        outcomes[name] = f"{'present' if bulk else 'absent'} (killed={killed}, wal at kill={wal})"
        if bulk:  # a completed bulk action is one undo step, even after a crash
            undone = run(db, "undo")
            assert undone.returncode == 0, undone.stderr
            assert scalar(db, "SELECT count(*) FROM paper_tags") == tagged_before
    print(outcomes)
