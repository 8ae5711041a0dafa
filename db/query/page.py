"""Stage 5 of a search: the page of matches a caller asked for, in the chosen sort.

The bit order is newest first (bits.py), so `published` (and `relevance` without words) is the
bit order itself and a page decodes only its first set bits; other sorts walk that sort's whole
order once (cached) and keep the matches. Before anything is loaded, the first page of a
word-less filter in the default order is one SQL statement over the covering index (`first_page`),
so the app paints a 1M-paper library in ~0.1 s.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from papershelf.db.query.bits import Bits
from papershelf.db.query.parse import Query
from papershelf.db.query.predicates import Params, term_sql
from papershelf.db.query.sorts import ORDER_SQL
from papershelf.db.search_index import COVER_INDEX

if TYPE_CHECKING:
    from papershelf.db.query.bits import Positions

# Terms the first-page SQL handles well (indexed columns or cheap per-row checks).
_QUICK = (
    "state",
    "date",
    "number",
    "tag",
    "suffix",
    "equals",
    "id",
    "author",
    "added",
    "day",
    "contains",
)


def quick(query: Query, sort: str) -> bool:
    """Whether `first_page` can answer the query in this sort."""
    return sort in ("relevance", "published") and all(t.kind in _QUICK for t in query.terms)


def first_page(
    conn: sqlite3.Connection, query: Query, sort: str, limit: int
) -> tuple[list[int], int]:
    """(ids, total) of a word-less filter's first `limit` papers: the covering index walked in
    order, and a count only when the page is full."""
    params: Params = []
    where = [
        "(" + " OR ".join(term_sql(t, None, params) for t in group) + ")" for group in query.groups
    ]
    cond = " AND ".join(where) or "1"
    ids = [
        row[0]
        for row in conn.execute(
            f"SELECT p.id FROM papers p INDEXED BY {COVER_INDEX} WHERE {cond}"
            f" ORDER BY {ORDER_SQL[sort]} LIMIT ?",
            [*params, limit],
        )
    ]
    if len(ids) < limit:
        return ids, len(ids)
    total = conn.execute(f"SELECT count(*) FROM papers p WHERE {cond}", params).fetchone()[0]
    return ids, int(total)


def in_sort(
    found: int,
    bits: Bits,
    conn: sqlite3.Connection,
    sort: str,
    limit: int | None,
    *,
    reverse: bool = False,
) -> Positions:
    """The positions of `found` in `sort`'s order (or its reverse), at most `limit` of them."""
    if sort in ("relevance", "published"):
        if reverse:
            return bits.position_array(found)[::-1][:limit]
        return bits.position_array(found, limit)
    order = bits.in_order(found, sort, conn, ORDER_SQL[sort], None if reverse else limit)
    return order[::-1][:limit] if reverse else order
