"""The sorts a result list can be shown in, and their SQL order (light: imported by settings).

`relevance` applies only when the query has words to rank by; without any it is the default
order, newest first, like `published`.
"""

from __future__ import annotations

SORTS = ("relevance", "published", "upvotes", "comments", "added", "title")

# ORDER BY clauses over `papers p`; every order ends in a unique key, so it is total.
ORDER_SQL = {
    "relevance": "p.published DESC, p.id DESC",
    "published": "p.published DESC, p.id DESC",
    "upvotes": "p.upvotes DESC, p.published DESC, p.id DESC",
    "comments": "p.comments DESC, p.published DESC, p.id DESC",
    "added": "p.added_at DESC, p.id DESC",
    "title": "p.title_key, p.id",
}
