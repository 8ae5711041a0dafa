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


def test_a_vocabulary_vouched_for_by_an_older_papershelf_is_not_looked_up(sample_store):
    # An older papershelf keeps `search_vocab` and vouches for it, but knows nothing of
    # `search_terms`: its terms may then be missing new words.
    Searcher(sample_store).refresh()
    conn = sample_store.reader()
    conn.execute("UPDATE search_state SET value = 'older' WHERE name = 'vocab_index'")
    assert search_index.saved_terms(conn) is None
    assert not isinstance(IndexedVocabulary.open(conn), IndexedVocabulary)
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
