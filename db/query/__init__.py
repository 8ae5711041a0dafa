"""The query language and search engine: one public surface over a pipeline of modules.

    parse_query(text) -> Query            # QueryError(message, term=, incomplete=) on bad input
    Searcher(store).search(q, sort=, limit=, cancelled=) -> SearchResult(ids, total, relevance)
    highlight_spans(query, text) -> [(start, end), ...]
    SORTS                                 # the sort names, shared by the CLI, app and settings

A search runs these stages, one module each:

    parse.py       text -> Query (terms in AND-of-OR groups)
    vocabulary.py  each query word -> its alternatives in the index vocabulary (typos, fragments)
    evaluate.py    terms -> bitsets of papers (bits.py holds the sets; predicates.py the SQL for
                   the rare terms the bitsets do not cover)
    rank.py        matches -> relevance order (score.py scores the best few titles)
    page.py        matches -> the page asked for, in the chosen sort
    searcher.py    Searcher: keeps the in-memory state current and runs the stages

The tables those stages read live in `papershelf.db.search_index`, beside this package: the
store, the importer and the schema write through it, and they must not load this engine.

The names below load lazily: `from papershelf.db.query import SORTS` (the settings, the CLI's
option lists) costs no numpy or rapidfuzz import; the first use of `Searcher` does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from papershelf.db.query.sorts import SORT_NAMES, SORTS

if TYPE_CHECKING:
    from papershelf.db.query.highlight import highlight_spans
    from papershelf.db.query.parse import FIELDS, Query, QueryError, Term, parse_query
    from papershelf.db.query.searcher import SearchCancelled, Searcher, SearchResult

_LAZY = {
    "highlight_spans": "papershelf.db.query.highlight",
    "FIELDS": "papershelf.db.query.parse",
    "Query": "papershelf.db.query.parse",
    "QueryError": "papershelf.db.query.parse",
    "Term": "papershelf.db.query.parse",
    "parse_query": "papershelf.db.query.parse",
    "SearchCancelled": "papershelf.db.query.searcher",
    "Searcher": "papershelf.db.query.searcher",
    "SearchResult": "papershelf.db.query.searcher",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "FIELDS",
    "SORTS",
    "SORT_NAMES",
    "Query",
    "QueryError",
    "SearchCancelled",
    "SearchResult",
    "Searcher",
    "Term",
    "highlight_spans",
    "parse_query",
]
