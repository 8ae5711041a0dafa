"""The sorts a result list can be shown in, and their SQL order (light: imported by settings).

A sort is one of SORTS, or one of them with a leading `-` for the reverse order (`-upvotes`:
fewest first; `-published`: oldest first). `relevance` applies only when the query has words to
rank by; without any it is the default order, newest first, like `published`. `rising` is the
upvotes a paper gained between its two latest snapshots (imports or fetches that saw it).
"""

from __future__ import annotations

SORTS = ("relevance", "published", "upvotes", "comments", "added", "title", "rising")
# Every name a caller may pass: the sorts and their reverses.
SORT_NAMES = (*SORTS, *(f"-{name}" for name in SORTS))

# Upvotes gained between a paper's two latest snapshots (0 with fewer than two).
_GAIN = (
    "coalesce((SELECT s1.upvotes - s2.upvotes FROM snapshots s1 JOIN snapshots s2"
    " ON s2.paper_id = s1.paper_id AND (s2.observed_on, s2.id) < (s1.observed_on, s1.id)"
    " WHERE s1.paper_id = p.id"
    " ORDER BY s1.observed_on DESC, s1.id DESC, s2.observed_on DESC, s2.id DESC LIMIT 1), 0)"
)

# ORDER BY clauses over `papers p`; every order ends in a unique key, so it is total.
ORDER_SQL = {
    "relevance": "p.published DESC, p.id DESC",
    "published": "p.published DESC, p.id DESC",
    "upvotes": "p.upvotes DESC, p.published DESC, p.id DESC",
    "comments": "p.comments DESC, p.published DESC, p.id DESC",
    "added": "p.added_at DESC, p.id DESC",
    "title": "p.title_key, p.id",
    "rising": f"{_GAIN} DESC, p.published DESC, p.id DESC",
}


def parse_sort(sort: str) -> tuple[str, bool]:
    """(sort name, reversed) for `name` or `-name`; ValueError naming the sorts otherwise."""
    name = sort.removeprefix("-")
    if name not in SORTS:
        raise ValueError(
            f"unknown sort '{sort}' (expected one of {', '.join(SORTS)}, or one of them after"
            " '-' for the reverse order)."
        )
    return name, sort.startswith("-")
