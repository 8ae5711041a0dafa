"""The vocabulary looked up token by token answers exactly as the one loaded whole."""

from __future__ import annotations

import pytest

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


@pytest.mark.parametrize("token", TOKENS)
def test_typos_agree_once_every_term_is_read(both, token):
    from papershelf.db.query.vocabulary import SCANS_BEFORE_LOADING

    whole, lookup = both
    lookup._scans = SCANS_BEFORE_LOADING  # noqa: SLF001 - past the scans: reads every term
    assert lookup.typos(token) == whole.typos(token)
    assert lookup.compounds(token) == whole.compounds(token)
    assert lookup.by_length or len(token) < 4
