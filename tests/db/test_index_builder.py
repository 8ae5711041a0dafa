"""A big import into a library with an empty search index builds the index beside the import
(db.index_builder) and copies it in: the library ends up exactly as `sync` would leave it, and
whenever the copy cannot be trusted nothing is copied and `sync` indexes the queue instead."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from papershelf.db import importer, index_builder
from papershelf.db.parse import parse_bytes
from papershelf.db.store import Store
from tests.support.library import SAMPLE, dump

DAY = date(2025, 12, 8)
PAPERS = parse_bytes(SAMPLE.read_bytes(), source="page", captured_on=DAY).papers


@pytest.fixture(autouse=True)
def _small_bulk(monkeypatch, tmp_path):
    # Scratch files go to this test's own folder (other tests may build at the same time).
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "scratch"))
    (tmp_path / "scratch").mkdir()
    monkeypatch.setattr(importer, "BULK", 10)  # the sample (53 papers) counts as big
    monkeypatch.setattr(index_builder, "CHUNK", 7)  # several statements, several segments
    monkeypatch.setattr(index_builder, "spare_core", lambda: True)  # whatever the machine does
    monkeypatch.setattr(importer, "utc_now", lambda: "2025-12-08T09:00:00+00:00")


def _import(db: Path, papers=PAPERS, size: int = 5) -> None:
    batches = [papers[i : i + size] for i in range(0, len(papers), size)]
    with Store.open(db) as store:
        store.import_batches(batches, source="page", captured_on=DAY)


def _index(db: Path) -> dict[str, object]:
    """What the search engine reads: the index's terms and counts, matches, the saved copy."""
    conn = sqlite3.connect(db)
    try:
        conn.execute("INSERT INTO papers_fts(papers_fts) VALUES ('integrity-check')")
        return {
            "vocab": conn.execute("SELECT * FROM papers_fts_vocab ORDER BY term").fetchall(),
            "saved": conn.execute("SELECT * FROM search_vocab ORDER BY term").fetchall(),
            "state": conn.execute("SELECT * FROM search_state ORDER BY name").fetchall(),
            "pending": conn.execute("SELECT count(*) FROM search_pending").fetchone(),
            "matches": [
                conn.execute(
                    "SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? ORDER BY rowid", [q]
                ).fetchall()
                for q in ("attention", "title:flash*", "abstract:quantization", "gemm OR vit")
            ],
        }
    finally:
        conn.close()


def _synced(db: Path) -> dict[str, object]:
    with Store.open(db) as store:
        store.index_pending()
    return _index(db)


@pytest.fixture
def reference(tmp_path, monkeypatch):
    """The index `sync` builds for the same import."""
    db = tmp_path / "reference.db"
    with monkeypatch.context() as patch:
        patch.setattr(importer, "BULK", 10**9)  # no builder: queued, then synced
        with Store.open(db) as store:
            store.import_papers(PAPERS, source="page", captured_on=DAY)
            store.index_pending()
    return _index(db)


def _scratch_files() -> list[Path]:
    return sorted(Path(tempfile.gettempdir()).glob("papershelf-index-*"))


def test_the_built_index_is_the_one_sync_builds(tmp_path, reference):
    before = _scratch_files()
    db = tmp_path / "papers.db"
    _import(db)
    built = _index(db)
    assert built["pending"] == (0,)  # copied in: nothing left for sync
    assert built == reference
    assert _synced(db) == reference  # and sync has nothing to change
    assert _scratch_files() == before


def test_undo_takes_the_built_papers_out_of_the_index(tmp_path):
    db = tmp_path / "papers.db"
    _import(db)
    with Store.open(db) as store:
        store.undo()
    index = _synced(db)
    assert index["vocab"] == [] and index["matches"] == [[], [], [], []]


def test_a_paper_whose_text_changes_later_in_the_import_is_not_copied(tmp_path, reference):
    # Its first appearance has no abstract; a later batch fills it in, after the builder
    # indexed the empty one. Nothing is copied; sync indexes the queue.
    first = replace(PAPERS[0], abstract="")
    db = tmp_path / "papers.db"
    _import(db, (first, *PAPERS[1:], PAPERS[0]))
    assert _index(db)["pending"] == (53,)
    assert _synced(db) == reference


def test_a_write_by_another_connection_after_the_commit_stops_the_copy(tmp_path, monkeypatch):
    real = index_builder.Builder.install

    def install(builder, library, version, writer):
        other = sqlite3.connect(library)
        other.execute("UPDATE papers SET abstract = 'Rewritten elsewhere.' WHERE id = 1")
        other.commit()
        other.close()
        return real(builder, library, version, writer)

    monkeypatch.setattr(index_builder.Builder, "install", install)
    db = tmp_path / "papers.db"
    _import(db)
    assert _index(db)["pending"] == (53,)
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT rowid FROM papers_fts WHERE papers_fts MATCH 'rewritten'")
    assert rows.fetchall() == []  # not indexed yet, and no stale copy either
    conn.close()
    index = _synced(db)
    assert index["pending"] == (0,)
    assert sqlite3.connect(db).execute(
        "SELECT rowid FROM papers_fts WHERE papers_fts MATCH 'rewritten'"
    ).fetchall() == [(1,)]


def test_a_library_with_an_index_builds_nothing(tmp_path, monkeypatch):
    db = tmp_path / "papers.db"
    with Store.open(db) as store:
        store.import_papers(PAPERS[:3], source="first", captured_on=DAY)
        store.index_pending()
    monkeypatch.setattr(index_builder, "Builder", None)  # would fail if it were used
    _import(db, PAPERS[3:])
    assert _index(db)["pending"] == (50,)


def test_a_failed_import_leaves_the_library_and_no_scratch_file(tmp_path):
    db = tmp_path / "papers.db"
    Store.open(db).close()
    before, files = dump(db), _scratch_files()

    def batches():
        for start in range(0, 40, 5):
            yield PAPERS[start : start + 5]
        raise ValueError("page cut off")

    with Store.open(db) as store, pytest.raises(ValueError):
        store.import_batches(batches(), source="page", captured_on=DAY)
    assert dump(db) == before
    assert _scratch_files() == files


def test_a_dry_run_copies_nothing(tmp_path):
    db = tmp_path / "papers.db"
    Store.open(db).close()
    before, files = dump(db), _scratch_files()
    with Store.open(db) as store:
        store.import_papers(PAPERS, source="page", captured_on=DAY, dry_run=True)
    assert dump(db) == before
    assert _scratch_files() == files


def test_a_builder_that_fails_copies_nothing(tmp_path, monkeypatch, reference):
    monkeypatch.setattr(index_builder, "_INSERT", "INSERT INTO no_such_table VALUES (?)")
    db = tmp_path / "papers.db"
    _import(db)
    assert _index(db)["pending"] == (53,)
    assert _synced(db) == reference


def test_new_papers_are_one_run_of_ids():
    # The copy takes ids first..end-1 off the queue: anything else is refused.
    builder = index_builder.Builder()
    try:
        builder.add([(1, "a", "", None), (3, "b", "", None)])
        assert builder.tainted
    finally:
        builder.close()


def test_a_busy_machine_builds_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(index_builder, "spare_core", lambda: False)
    monkeypatch.setattr(index_builder, "Builder", None)  # would fail if it were used
    db = tmp_path / "papers.db"
    _import(db)
    assert _index(db)["pending"] == (53,)


def test_a_copy_that_fails_halfway_is_rolled_back(tmp_path, monkeypatch, reference):
    monkeypatch.setattr(index_builder, "_SHADOWS", ("data", "idx", "no_such_shadow"))
    db = tmp_path / "papers.db"
    _import(db)
    assert _index(db)["pending"] == (53,)
    assert _synced(db) == reference


def test_a_killed_process_s_scratch_file_is_removed_by_the_next_builder(tmp_path):
    scratch = Path(tempfile.gettempdir())
    gone = scratch / f"papershelf-index-{_ended_pid()}-x.db"
    alive = scratch / f"papershelf-index-{os.getpid()}-y.db"
    gone.write_bytes(b"")
    alive.write_bytes(b"")
    index_builder.Builder().close()
    assert not gone.exists() and alive.exists()


def _ended_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid
