"""The search index as other tools see it: sqlite-utils (and so Datasette) find and use it."""

from __future__ import annotations

import sqlite3

import sqlite_utils

from papershelf.db import search_index
from papershelf.db.query import Searcher
from papershelf.db.schema import SCHEMA_VERSION
from papershelf.db.store import Store

_OLD_FTS = """
    CREATE VIRTUAL TABLE papers_fts USING fts5(
        title, abstract, organization,
        content='papers', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2',
        detail=column
    )
"""


def _sqlite_utils_titles(path, word: str) -> list[str]:
    db = sqlite_utils.Database(path)
    try:
        assert db["papers"].detect_fts() == search_index.FTS_TABLE
        return [row["title"] for row in db["papers"].search(word, columns=["title"])]
    finally:
        db.close()


def test_sqlite_utils_finds_and_searches_the_index_of_a_new_library(sample_store: Store):
    sample_store.index_pending()
    titles = _sqlite_utils_titles(sample_store.path, "flashdecoding")
    assert titles == ["FlashDecoding++: Faster Large Language Model Inference on GPUs"]


def test_a_library_indexed_the_old_way_is_upgraded(sample_store: Store):
    """A schema-3 library declared its index with `content='papers'`: opening it declares the
    index again and the next search fills it, with the same answers as before."""
    sample_store.index_pending()
    before = Searcher(sample_store).search("flash decoding").ids
    path = sample_store.path
    sample_store.close()
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE papers_fts")
        conn.execute(_OLD_FTS)
        conn.execute("INSERT INTO papers_fts(papers_fts) VALUES ('rebuild')")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm004_fts_content_quoting'")
        conn.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    assert sqlite_utils.Database(path)["papers"].detect_fts() is None
    with Store.open(path) as store:
        conn = store.reader()
        version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        assert version == (str(SCHEMA_VERSION),)
        assert search_index.pending(conn) == store.count()
        conn.close()
        assert Searcher(store).search("flash decoding").ids == before
    assert "FlashDecoding++" in _sqlite_utils_titles(path, "flashdecoding")[0]


def test_a_schema_4_library_gets_its_saved_terms_on_opening(sample_store: Store):
    """Schema 5 keeps the saved vocabulary's terms as text: opening a schema-4 library writes
    them from its exact saved vocabulary, so the first one-shot search can use them."""
    Searcher(sample_store).refresh()
    path = sample_store.path
    sample_store.close()
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE search_terms")
        conn.execute("DELETE FROM search_state WHERE name = 'terms_index'")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm005_saved_terms'")
        conn.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    with Store.open(path) as store:
        conn = store.reader()
        terms = search_index.saved_terms(conn)
        vocabulary = search_index.saved_vocabulary(conn)
        conn.close()
        assert terms is not None
        assert sorted(terms.strip("\n").split("\n")) == sorted(t for t, _ in vocabulary)
        ids = Searcher(store, whole_index=False).search("lutgemm").ids
        assert ids == Searcher(store).search("lutgemm").ids != []
