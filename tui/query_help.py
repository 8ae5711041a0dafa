"""The query language in one table, for `?` in the app and `papershelf list --help`.

Plain data (no Textual, no click): the command line imports it at start-up.
"""

from __future__ import annotations

TERM_WIDTH = 26
QUERY_TERMS: tuple[tuple[str, str], ...] = (
    ("word", "fuzzy in title, tags, org, abstract; forgives typos"),
    ('\'word  "a phrase"', "exact text, case-insensitive"),
    ("^word  word$  ^word$", "title starts / ends with / is"),
    ("a b  a | b", "both (AND) / either (OR)"),
    ("!word  -word  -tag:x", "exclude (a word: its exact text)"),
    ("tag:x  tag:rl/", "has tag x / any tag under rl/"),
    ("is:read  is:unread", "read state"),
    ("is:inbox", "unread, untagged, not snoozed, not dismissed"),
    ("is:snoozed  is:dismissed", "triage state"),
    ("has:code  has:tags  has:note  has:abstract", "has a code link, tags, a note, an abstract"),
    ("no:code  no:tags  no:note  no:abstract", "has none"),
    ("note:word  kw:word  submitter:name", "in your note / the AI keywords / the submitter"),
    ("year:2024  upvotes:>10  comments:>0  authors:<5  stars:>100", "numbers: = > < >= <="),
    ("after:2024-01-01  before:2024-06", "published date (inclusive)"),
    ("day:2026-07-31  day:>=2026-07-01  day:today", "the day it was on Daily Papers"),
    ("added:today  added:latest  added:>=2025-12-01", "when it entered the library / last import"),
    ("title:x  abstract:x  org:x  author:name  id:2306.12345", "one field only"),
    ('title:\'x  title:"a phrase"', "exact text in one field"),
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
