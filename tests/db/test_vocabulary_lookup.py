"""The vocabulary looked up token by token answers exactly as the one loaded whole."""

from __future__ import annotations

from datetime import date

import pytest

from papershelf.db import search_index
from papershelf.db.models import ParsedPaper
from papershelf.db.query import Searcher
from papershelf.db.query.vocabulary import IndexedVocabulary, Vocabulary
from papershelf.db.store import Store
from tests.support import templates
from tests.support.app import import_sample

TOKENS = [
    "gemm",
    "lutgemm",
    "casvit",
    "emov",
    "selfslimmed",
    "vmamba",
    "decod",
    "decodng",
    "transformr",
    "quantization",
    "quantized",
    "vision",
    "v",
    "x",
    "zzzz",
    "ecanet",
    "multiscale",
    "tokn",
    "attention",
    "flashdecoding",
    "é",
    "ümlaut",
    'a"b',
    # letters swapped, across where the token is cut into pieces and elsewhere
    "casvti",
    "tarnsformer",
    "trasnformer",
    "qunatization",
    "quantizatoin",
    "decodign",
    "viison",
    "quatnizatien",  # k = 2: a swap across a cut and another edit leave no piece whole
]


@pytest.fixture(scope="module")
def indexed_file(tmp_path_factory):
    """The sample, indexed and its vocabulary saved, once for the module."""
    return templates.build(
        tmp_path_factory.mktemp("indexed"), import_sample, lambda store: Searcher(store).refresh()
    )


@pytest.fixture
def both(tmp_path, indexed_file):
    with Store.open(templates.copy(indexed_file, tmp_path)) as store:
        conn = store.reader()
        yield Vocabulary.load(conn), IndexedVocabulary.open(conn)
        conn.close()


@pytest.mark.parametrize("token", TOKENS)
def test_lookups_agree(both, token):
    whole, lookup = both
    assert isinstance(lookup, IndexedVocabulary)
    assert lookup.df(token) == whole.df(token)
    assert lookup.has_prefix(token) == whole.has_prefix(token)
    assert lookup.has_prefix(token[:2]) == whole.has_prefix(token[:2])
    assert lookup.containing(token) == whole.containing(token)
    assert lookup.typos(token) == whole.typos(token)
    assert lookup.expand(token) == whole.expand(token)
    assert lookup.compounds(token) == whole.compounds(token)


def test_sizes_agree(both):
    whole, lookup = both
    assert len(lookup) == len(whole) > 1000


def test_a_stale_saved_vocabulary_is_not_looked_up(sample_store):
    Searcher(sample_store).refresh()
    conn = sample_store.reader()
    conn.execute("UPDATE search_state SET value = 0 WHERE name = 'vocab_ok'")
    assert not isinstance(IndexedVocabulary.open(conn), IndexedVocabulary)
    conn.close()


def _older_papershelf_indexes(conn, title: str) -> None:
    """What a papershelf from before `search_terms` does with a small import it indexes: the
    paper, its words counted into `search_vocab`, and `vocab_ok`/`vocab_index` vouched for."""
    conn.execute("BEGIN IMMEDIATE")
    paper_id = conn.execute(
        "INSERT INTO papers(title, title_key, added_at, updated_at) VALUES (?, ?, 'x', 'x')",
        [title, title.lower()],
    ).lastrowid
    conn.execute("INSERT INTO papers_fts(rowid, title) VALUES (?, ?)", [paper_id, title])
    for word in title.lower().split():
        conn.execute(
            "INSERT INTO search_vocab(term, doc) VALUES (?, 1)"
            " ON CONFLICT(term) DO UPDATE SET doc = doc + 1",
            [word],
        )
    count, top = conn.execute(
        "SELECT (SELECT count(*) FROM papers_fts_docsize), (SELECT max(id) FROM papers_fts_docsize)"
    ).fetchone()
    conn.execute("UPDATE search_state SET value = 1 WHERE name = 'vocab_ok'")
    conn.execute("UPDATE search_state SET value = ? WHERE name = 'vocab_index'", [f"{count}:{top}"])
    conn.execute("COMMIT")


def test_terms_an_older_papershelf_left_behind_are_not_used_then_written_again(sample_store):
    searcher = Searcher(sample_store)
    searcher.refresh()
    conn = sample_store.reader()
    _older_papershelf_indexes(conn, "Oldwriterword study")
    assert search_index.vocabulary_exact(conn)
    assert search_index.saved_terms(conn) is None  # they lack `oldwriterword`
    assert not isinstance(IndexedVocabulary.open(conn), IndexedVocabulary)
    # The next sync of this version writes them whole, with the older papershelf's words and
    # its own, instead of adding its own to terms that lack some.
    sample_store.import_papers(
        [ParsedPaper(title="Newwriterword study", abstract="")],
        source="test",
        captured_on=date(2025, 1, 1),
    )
    searcher.refresh()
    assert {"oldwriterword", "newwriterword"} <= set(_terms(conn))
    assert _terms(conn) == sorted(term for term, _ in search_index.saved_vocabulary(conn))
    conn.close()


def test_a_search_writes_terms_left_behind_again(sample_store):
    Searcher(sample_store).refresh()
    conn = sample_store.reader()
    _older_papershelf_indexes(conn, "Oldwriterword study")
    assert search_index.saved_terms(conn) is None
    Searcher(sample_store, whole_index=False).search("oldwriterwrod", limit=3)
    assert "oldwriterword" in _terms(conn)
    conn.close()


def test_an_edit_by_any_papershelf_leaves_the_terms_unvouched(sample_store):
    # The triggers run whichever papershelf writes: an older one that edits a title and later
    # rebuilds its vocabulary may bring `vocab_index` back to the state the terms were vouched
    # at, so the trigger clears `terms_index` too.
    Searcher(sample_store).refresh()
    conn = sample_store.reader()
    conn.execute("UPDATE papers SET title = 'Editedtitleword' WHERE id = 1")
    state = dict(conn.execute("SELECT name, value FROM search_state"))
    assert state["vocab_ok"] == 0 and state["terms_index"] is None
    assert search_index.saved_terms(conn) is None
    conn.close()


def _terms(conn) -> list[str]:
    return sorted(search_index.saved_terms(conn).strip("\n").split("\n"))


def test_saved_terms_follow_small_syncs_and_rebuilds(sample_store):
    searcher = Searcher(sample_store)
    searcher.refresh()
    conn = sample_store.reader()
    words = sorted(term for term, _ in search_index.saved_vocabulary(conn))
    assert _terms(conn) == words
    # A small import is counted into the saved vocabulary: its new words join the terms.
    sample_store.import_papers(
        [
            ParsedPaper(
                title="Zyxquant: Frobnicated Lattices", abstract="Quuxification of lattices."
            )
        ],
        source="test",
        captured_on=date(2025, 1, 1),
    )
    searcher.refresh()
    assert search_index.vocabulary_exact(conn)
    after = _terms(conn)
    assert {"zyxquant", "frobnicated", "quuxification"} <= set(after)
    assert after == sorted(term for term, _ in search_index.saved_vocabulary(conn))
    assert conn.execute("SELECT count(*) FROM search_terms").fetchone()[0] == 2
    # A rebuild writes them as one part again.
    search_index.save_vocabulary(conn)
    assert _terms(conn) == after
    assert conn.execute("SELECT count(*) FROM search_terms").fetchone()[0] == 1
    conn.close()


def test_many_small_syncs_keep_few_parts(sample_store):
    searcher = Searcher(sample_store)
    searcher.refresh()
    for i in range(search_index.MAX_TERM_PARTS + 3):
        sample_store.import_papers(
            [ParsedPaper(title=f"Novelword{i}x study", abstract="")],
            source="test",
            captured_on=date(2025, 1, 1),
        )
        searcher.refresh()
    conn = sample_store.reader()
    parts = conn.execute("SELECT count(*) FROM search_terms").fetchone()[0]
    assert parts <= search_index.MAX_TERM_PARTS
    assert _terms(conn) == sorted(term for term, _ in search_index.saved_vocabulary(conn))
    assert "novelword66x" in _terms(conn)
    conn.close()
