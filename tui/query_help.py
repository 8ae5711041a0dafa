"""The query language in one table, for `?` in the app and `papershelf list --help`.

Plain data (no Textual, no click): the command line imports it at start-up.
"""

from __future__ import annotations

TERM_WIDTH = 26
QUERY_TERMS: tuple[tuple[str, str], ...] = (
    ("word", "fuzzy in title, tags, org, abstract; forgives typos"),
    ('\'word  "a phrase"', "exact text, case-insensitive"),
    ("^word  word$", "title starts / ends with"),
    ("a b  a | b", "both (AND) / either (OR)"),
    ("!word  -tag:x", "exclude"),
    ("tag:x  tag:rl/", "has tag x / any tag under rl/"),
    ("is:read  is:unread", "read state"),
    ("is:inbox", "unread, untagged, not snoozed, not dismissed"),
    ("is:snoozed  is:dismissed", "triage state"),
    ("has:code  has:tags  no:tags  has:note", "has a code link, tags, a note"),
    ("note:word  kw:word", "in your note / in the AI keywords"),
    ("year:2024  upvotes:>10  comments:>0  authors:<5", "numbers: = > < >= <="),
    ("after:2024-01-01  before:2024-06", "published date (inclusive)"),
    ("added:today  added:latest", "when it entered the library / the last import"),
    ("title:x  abstract:x  org:x  author:name  id:2306.12345", "one field only"),
)


def query_help_text() -> str:
    """The table as plain text, one term per line (click keeps `\\b` paragraphs as they are)."""
    lines = []
    for term, meaning in QUERY_TERMS:
        if len(term) < TERM_WIDTH:
            lines.append(f"{term.ljust(TERM_WIDTH)}{meaning}")
        else:  # a long term gets its own line, so the table stays within 80 columns
            lines += [term, f"{'':{TERM_WIDTH}}{meaning}"]
    return "\n".join(lines)
