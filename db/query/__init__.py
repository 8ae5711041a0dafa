"""The query language and search engine (public API; see DESIGN.md "Query language").

    parse_query(text) -> Query          # QueryError(message, term=, incomplete=) on bad input
    Searcher(store).search(q, sort=, limit=, cancelled=) -> SearchResult(ids, total)
    highlight_spans(query, text) -> [(start, end), ...]

Split for size: query_parse (language), query_vocab (typo lookup), query_sql (SQL building),
query_engine (Searcher and ranking), query_highlight; db.search_index holds the tables.
"""

from __future__ import annotations

from papershelf.db.query_engine import SORTS, SearchCancelled, Searcher, SearchResult
from papershelf.db.query_highlight import highlight_spans
from papershelf.db.query_parse import Query, QueryError, Term, parse_query

__all__ = [
    "SORTS",
    "Query",
    "QueryError",
    "SearchCancelled",
    "SearchResult",
    "Searcher",
    "Term",
    "highlight_spans",
    "parse_query",
]
