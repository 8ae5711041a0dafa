"""Bulk imports: new papers are queued for the search index by the importer, a big
import rebuilds the papers indexes instead of updating them row by row, and a library written
with schema 1 (a trigger queued every new row) is upgraded when it is opened."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from papershelf.db import importer, index_builder, search_index
from papershelf.db.models import ParsedPaper
from papershelf.db.parse import parse_bytes
from papershelf.db.query import Searcher
from papershelf.db.schema import SCHEMA_VERSION
from papershelf.db.store import Store
from tests.support.library import SAMPLE, dump

CAPTURED_ON = date(2025, 12, 8)


def _import_sample(store: Store) -> None:
    parsed = parse_bytes(SAMPLE.read_bytes(), source=SAMPLE.name, captured_on=CAPTURED_ON)
    store.import_papers(parsed.papers, source=SAMPLE.name, captured_on=CAPTURED_ON, format="text")


def _scalar(db: Path, sql: str, params=()):
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchone()[0]
    finally:
        conn.close()


def _indexes(db: Path) -> set[tuple[str, str]]:
    conn = sqlite3.connect(db)
    try:
        return set(
            conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'papers'"
                " AND sql IS NOT NULL"
            )
        )
    finally:
        conn.close()


def _titles(store: Store, query: str) -> list[str]:
    return [p.title for p in store.papers(Searcher(store).search(query, limit=3).ids)]


def test_an_import_queues_its_new_papers_and_indexing_empties_the_queue(tmp_path):
    db = tmp_path / "papers.db"
    with Store.open(db) as store:
        _import_sample(store)
        assert _scalar(db, "SELECT count(*) FROM search_pending") == 53
        assert store.index_pending() == 53
        assert _scalar(db, "SELECT count(*) FROM search_pending") == 0
        assert _scalar(db, "SELECT count(*) FROM papers_fts_docsize") == 53
        # Re-importing the same page changes no text: nothing is queued again.
        _import_sample(store)
        assert _scalar(db, "SELECT count(*) FROM search_pending") == 0
        assert _titles(store, "flashdecoding")[0].startswith("FlashDecoding++")


def test_a_bulk_import_rebuilds_the_papers_indexes_and_undoes_cleanly(tmp_path, monkeypatch):
    db = tmp_path / "papers.db"
    Store.open(db).close()
    empty, indexes = dump(db), _indexes(db)
    assert {name for name, _ in indexes} >= {"idx_papers_title_key", "papers_search_cover"}
    dropped = []
    real_drop = importer._drop_indexes
    monkeypatch.setattr(importer, "BULK", 10)  # the sample (53 papers) counts as bulk
    monkeypatch.setattr(
        importer, "_drop_indexes", lambda conn: dropped.append(1) or real_drop(conn)
    )
    with Store.open(db) as store:
        _import_sample(store)
        assert dropped == [1]
        assert _indexes(db) == indexes
        assert _scalar(db, "PRAGMA integrity_check") == "ok"
        assert _titles(store, "flashdecoding")[0].startswith("FlashDecoding++")
        # The first-page query still walks the covering index.
        plan = " ".join(
            str(row)
            for row in sqlite3.connect(db).execute(
                "EXPLAIN QUERY PLAN SELECT id FROM papers INDEXED BY papers_search_cover"
                " ORDER BY published DESC, id DESC LIMIT 5"
            )
        )
        assert "papers_search_cover" in plan
        store.undo()
    assert dump(db) != empty  # the journal keeps the undone import...
    with Store.open(db) as store:
        assert store.count() == 0  # ...and the papers are gone
    assert _indexes(db) == indexes


def test_a_small_import_into_a_big_library_keeps_its_indexes(tmp_path, monkeypatch):
    db = tmp_path / "papers.db"
    with Store.open(db) as store:
        _import_sample(store)
        dropped = []
        monkeypatch.setattr(importer, "_drop_indexes", lambda conn: dropped.append(1) or [])
        store.import_papers(
            [
                ParsedPaper(
                    title="One more paper", abstract="About kittens.", published=date(2025, 12, 9)
                )
            ],
            source="one",
            captured_on=CAPTURED_ON,
        )
        assert dropped == []


def test_a_failed_bulk_import_leaves_the_indexes_and_nothing_else(tmp_path, monkeypatch):
    db = tmp_path / "papers.db"
    Store.open(db).close()
    before, indexes = dump(db), _indexes(db)
    monkeypatch.setattr(importer, "BULK", 10)

    def explode(conn, first_id):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(search_index, "queue_new", explode)
    with Store.open(db) as store, pytest.raises(RuntimeError):
        _import_sample(store)
    assert _indexes(db) == indexes
    assert dump(db) == before


def _as_schema_1(db: Path) -> None:
    """Turn a fresh library back into what papershelf wrote with schema 1."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("BEGIN")
    conn.execute("DROP INDEX papers_not_ascii")
    conn.execute("ALTER TABLE papers DROP COLUMN ascii")
    conn.execute("DROP TABLE search_vocab")
    conn.execute("DROP TRIGGER papers_fts_ad")
    conn.execute("DROP TRIGGER papers_fts_au")
    conn.execute("DROP TABLE search_state")
    conn.execute(  # schema 1's trigger, which did not know about the saved vocabulary
        "CREATE TRIGGER papers_fts_ad AFTER DELETE ON papers BEGIN "
        "INSERT INTO papers_fts(papers_fts, rowid, title, abstract, organization) "
        "SELECT 'delete', old.id, old.title, old.abstract, old.organization "
        "WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE paper_id = old.id); "
        "DELETE FROM search_pending WHERE paper_id = old.id; END"
    )
    conn.execute(
        "CREATE TRIGGER papers_fts_au AFTER UPDATE OF title, abstract, organization ON papers BEGIN "
        "INSERT INTO papers_fts(papers_fts, rowid, title, abstract, organization) "
        "SELECT 'delete', old.id, old.title, old.abstract, old.organization "
        "WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE paper_id = old.id); "
        "INSERT OR IGNORE INTO search_pending(paper_id) VALUES (new.id); END"
    )
    conn.execute(
        "CREATE TRIGGER papers_fts_ai AFTER INSERT ON papers BEGIN "
        "INSERT OR IGNORE INTO search_pending(paper_id) VALUES (new.id); END"
    )
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm002_bulk_indexing'")
    conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    conn.execute("DELETE FROM papers_fts_config WHERE k = 'hashsize'")
    conn.execute("COMMIT")
    conn.close()


def test_a_schema_1_library_is_upgraded_on_open(tmp_path):
    db = tmp_path / "papers.db"
    with Store.open(db) as store:
        _import_sample(store)
        store.index_pending()
    _as_schema_1(db)
    assert _scalar(db, "SELECT count(*) FROM sqlite_master WHERE name = 'papers_fts_ai'") == 1
    with Store.open(db) as store:
        assert _scalar(db, "SELECT value FROM meta WHERE key = 'schema_version'") == str(
            SCHEMA_VERSION
        )
        assert _scalar(db, "SELECT count(*) FROM sqlite_master WHERE name = 'papers_fts_ai'") == 0
        assert (
            _scalar(db, "SELECT v FROM papers_fts_config WHERE k = 'hashsize'")
            == search_index.HASH_SIZE
        )
        store.import_papers(
            [
                ParsedPaper(
                    title="Quokka alignment", abstract="Marsupials.", published=date(2025, 12, 9)
                )
            ],
            source="one",
            captured_on=CAPTURED_ON,
        )
        assert _scalar(db, "SELECT count(*) FROM search_pending") == 1
        assert _titles(store, "quokka") == ["Quokka alignment"]
        # Papers written before schema 2 have no ascii mark: exact needles check their text.
        assert _scalar(db, "SELECT count(*) FROM papers WHERE ascii IS NULL") == 53
        assert _titles(store, "'flashdecoding")[0].startswith("FlashDecoding++")
        assert _titles(store, "'quokka") == ["Quokka alignment"]
        assert _titles(store, "flashdecoding")[0].startswith("FlashDecoding++")


def test_papers_are_marked_ascii_and_a_filled_abstract_updates_the_mark(tmp_path):
    db = tmp_path / "papers.db"
    with Store.open(db) as store:
        store.import_papers(
            [
                ParsedPaper(title="Plain words", abstract="", published=date(2025, 12, 9)),
                ParsedPaper(title="Schrödinger", abstract="x", published=date(2025, 12, 9)),
            ],
            source="a",
            captured_on=CAPTURED_ON,
        )
        marks = dict(sqlite3.connect(db).execute("SELECT title, ascii FROM papers"))
        assert marks == {"Plain words": 1, "Schrödinger": 0}
        # A later copy fills the empty abstract with accented text: the mark follows; undo restores it.
        store.import_papers(
            [
                ParsedPaper(
                    title="Plain words", abstract="Café au lait.", published=date(2025, 12, 9)
                )
            ],
            source="b",
            captured_on=CAPTURED_ON,
        )
        assert _scalar(db, "SELECT ascii FROM papers WHERE title = 'Plain words'") == 0
        assert _titles(store, "'cafe") == []  # the index folds the accent; the text has "café"
        assert _titles(store, "'café") == ["Plain words"]
        store.undo()
        assert _scalar(db, "SELECT ascii FROM papers WHERE title = 'Plain words'") == 1
        assert _scalar(db, "SELECT abstract FROM papers WHERE title = 'Plain words'") == ""


def test_a_backup_from_schema_1_can_be_restored_and_is_upgraded(tmp_path):
    from papershelf.db.backup import restore_library

    old = tmp_path / "old-backup.db"
    with Store.open(old) as store:
        _import_sample(store)
        store.add_tags([1], ["kept"])
    _as_schema_1(old)
    library = tmp_path / "papers.db"
    Store.open(library).close()
    restore_library(library, old)
    with Store.open(library) as store:
        assert store.count() == 53
        assert [t.name for t in store.tag_counts()] == ["kept"]
        assert _titles(store, "flashdecoding")[0].startswith("FlashDecoding++")
        assert _exact(library)  # the first search after the upgrade saved the vocabulary
    assert _scalar(library, "SELECT value FROM meta WHERE key = 'schema_version'") == str(
        SCHEMA_VERSION
    )


def test_a_big_import_checkpoints_its_log_in_the_background(tmp_path, monkeypatch):
    db = tmp_path / "papers.db"
    monkeypatch.setattr(importer, "BULK", 10)
    monkeypatch.setattr(index_builder, "spare_core", lambda: False)  # indexed after, by sync
    store = Store.open(db)
    _import_sample(store)
    # The commit left the log for a background checkpoint; the import is visible at once.
    assert store._conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000
    assert store._checkpointer is not None
    assert _scalar(db, "SELECT count(*) FROM papers") == 53
    assert store.index_pending() == 53  # writes while the checkpoint may still run
    store.close()
    assert store._checkpointer is None
    conn = sqlite3.connect(db)
    try:
        busy, log, copied = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        assert busy == 0 and log == copied  # nothing left behind
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM papers_fts_docsize").fetchone()[0] == 53
    finally:
        conn.close()


def test_a_dry_run_and_a_small_import_checkpoint_as_usual(tmp_path):
    db = tmp_path / "papers.db"
    with Store.open(db) as store:
        parsed = parse_bytes(SAMPLE.read_bytes(), source=SAMPLE.name, captured_on=CAPTURED_ON)
        store.import_papers(
            parsed.papers, source=SAMPLE.name, captured_on=CAPTURED_ON, dry_run=True
        )
        assert store._checkpointer is None
        _import_sample(store)
        assert store._checkpointer is None  # 53 papers: below BULK
        assert store.count() == 53


def test_a_paper_written_without_queueing_is_indexed_by_the_next_search(tmp_path):
    """What a pre-schema-2 papershelf with the library still open would write: a row and no
    queue entry (its trigger is gone). The next search notices and indexes it."""
    db = tmp_path / "papers.db"
    with Store.open(db) as store:
        _import_sample(store)
        searcher = Searcher(store)
        assert _titles(store, "flashdecoding")  # indexed and searched once
        conn = sqlite3.connect(db)
        conn.execute(
            "INSERT INTO papers(title_key, title, abstract, added_at, updated_at)"
            " VALUES ('wombat routing', 'Wombat routing', 'Burrows.', '2025-12-09', '2025-12-09')"
        )
        conn.commit()
        conn.close()
        assert _scalar(db, "SELECT count(*) FROM search_pending") == 0
        assert [p.title for p in store.papers(searcher.search("wombat").ids)] == ["Wombat routing"]
        assert _scalar(db, "SELECT count(*) FROM papers_fts_docsize") == 54


def _vocab_tables(db: Path) -> tuple[list, list]:
    conn = sqlite3.connect(db)
    try:
        saved = conn.execute("SELECT term, doc FROM search_vocab ORDER BY term").fetchall()
        index = conn.execute("SELECT term, doc FROM papers_fts_vocab ORDER BY term").fetchall()
        return saved, index
    finally:
        conn.close()


def _exact(db: Path) -> bool:
    from papershelf.db.search_index import vocabulary_exact

    conn = sqlite3.connect(db)
    try:
        return vocabulary_exact(conn)
    finally:
        conn.close()


def test_the_saved_vocabulary_follows_imports_updates_and_undo(tmp_path):
    db = tmp_path / "papers.db"
    with Store.open(db) as store:
        _import_sample(store)
        store.index_pending()  # a first import: one rebuild from the index
        saved, index = _vocab_tables(db)
        assert _exact(db) and saved == index and len(saved) > 1000
        # A few papers into a bigger library: their terms are counted as they are indexed.
        store.import_papers(
            [
                ParsedPaper(
                    title="Quokka attention",
                    abstract="Marsupial transformers.",
                    published=date(2025, 12, 9),
                )
            ],
            source="a",
            captured_on=CAPTURED_ON,
        )
        store.index_pending()
        saved, index = _vocab_tables(db)
        assert _exact(db) and saved == index and ("quokka", 1) in saved
        # A filled abstract re-indexes a paper: its old terms go, so the copy is rebuilt.
        store.import_papers(
            [ParsedPaper(title="Quokka attention", abstract="", published=date(2025, 12, 9))],
            source="b",
            captured_on=CAPTURED_ON,
        )
        conn = sqlite3.connect(db)
        conn.execute(
            "UPDATE papers SET abstract = 'Wombats instead.' WHERE title = 'Quokka attention'"
        )
        conn.commit()
        conn.close()
        assert not _exact(db)
        searcher = Searcher(store)
        assert _titles(store, "wombats") == ["Quokka attention"]
        saved, index = _vocab_tables(db)
        assert _exact(db) and saved == index and ("marsupial", 1) not in saved
        # Undo of the import that added the paper: its tokens leave the index; the search after
        # it puts the copy right again.
        store.undo()
        store.undo()
        assert searcher.search("quokka").ids == []
        saved, index = _vocab_tables(db)
        assert _exact(db) and saved == index and not any(t == "quokka" for t, _ in saved)


def test_the_vocabulary_loads_from_the_saved_copy_only_while_it_is_exact(tmp_path):
    from papershelf.db.search_index import saved_vocabulary

    db = tmp_path / "papers.db"
    with Store.open(db) as store:
        _import_sample(store)
        store.index_pending()
        conn = sqlite3.connect(db)
        conn.execute("UPDATE search_vocab SET doc = 999 WHERE term = 'flashdecoding'")  # a marker
        conn.commit()
        reader = store.reader()
        assert ("flashdecoding", 999) in saved_vocabulary(reader)
        conn.execute("UPDATE search_state SET value = 0 WHERE name = 'vocab_ok'")
        conn.commit()
        assert ("flashdecoding", 1) in saved_vocabulary(reader)  # read from the index itself
        reader.close()
        conn.close()


def test_a_few_new_papers_keep_the_saved_vocabulary_without_a_rebuild(tmp_path, monkeypatch):
    from papershelf.db import search_index as si

    db = tmp_path / "papers.db"
    with Store.open(db) as store:
        _import_sample(store)
        store.index_pending()
        rebuilds = []
        real = si.save_vocabulary
        monkeypatch.setattr(si, "save_vocabulary", lambda conn: rebuilds.append(1) or real(conn))
        store.import_papers(
            [
                ParsedPaper(
                    title="Numbat pruning",
                    abstract="Small marsupial nets.",
                    published=date(2025, 12, 9),
                )
            ],
            source="a",
            captured_on=CAPTURED_ON,
        )
        store.index_pending()
        assert rebuilds == [] and _exact(db)
        saved, index = _vocab_tables(db)
        assert saved == index


def test_indexing_by_a_writer_that_does_not_count_terms_makes_the_copy_stale(tmp_path):
    """A papershelf from before the saved vocabulary, indexing what it queued, bypasses the
    counting; the copy must not go on vouching for itself."""
    db = tmp_path / "papers.db"
    with Store.open(db) as store:
        _import_sample(store)
        store.index_pending()
        store.import_papers(
            [
                ParsedPaper(
                    title="Bilby search", abstract="Desert marsupials.", published=date(2025, 12, 9)
                )
            ],
            source="a",
            captured_on=CAPTURED_ON,
        )
        conn = sqlite3.connect(db)  # the old sync: index the queue, nothing else
        conn.execute(
            "INSERT INTO papers_fts(rowid, title, abstract, organization) SELECT id, title,"
            " abstract, organization FROM papers WHERE id IN (SELECT paper_id FROM search_pending)"
        )
        conn.execute("DELETE FROM search_pending")
        conn.commit()
        conn.close()
        assert not _exact(db)
        assert _titles(store, "bilby") == ["Bilby search"]  # the search rebuilt the copy
        assert _exact(db) and ("bilby", 1) in _vocab_tables(db)[0]


def test_refreshed_numbers_do_not_reindex_a_paper(tmp_path):
    db = tmp_path / "papers.db"
    with Store.open(db) as store:
        paper = ParsedPaper(
            title="Koala kernels",
            abstract="Eucalyptus.",
            organization="Zoo",
            published=date(2025, 12, 9),
            upvotes=1,
        )
        store.import_papers([paper], source="a", captured_on=CAPTURED_ON)
        store.index_pending()
        again = ParsedPaper(**{**{f: getattr(paper, f) for f in paper.__slots__}, "upvotes": 7})
        store.import_papers([again], source="b", captured_on=CAPTURED_ON)
        assert _scalar(db, "SELECT upvotes FROM papers") == 7
        assert _scalar(db, "SELECT count(*) FROM search_pending") == 0  # text unchanged
        assert _exact(db)
