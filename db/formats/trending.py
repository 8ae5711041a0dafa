"""The trending page (`huggingface.co/papers/trending`), clipped to markdown or dumped by a text browser.

Its cards differ from the listing's: no comment counts and no yearless date slot, but
(read by `db.formats.cards`, like every other card)

    Submitted by  ![](avatar)[akhaliq](…/akhaliq)       the submitter, not an author
    [Upvote 52](…/login?next=%2Fpapers%2F<id>)          upvotes
    ### [Title](…/papers/<id>)
    *   6 authors | [NVIDIA](…/nvidia)
    Abstract
    Published on Dec 3, 2025
    [GitHub 3.29k](https://github.com/o/r)[arXiv Page](https://arxiv.org/abs/<id>)

`3.29k` is the repository's star count, never upvotes. The page renders every card twice
(wide and narrow layouts), so cards are merged by paper: each paper once, fields filled from
whichever copy showed them. A simplified rendering keeps only `### Title`, the summary,
`- N authors` and `[LINK: GitHub 11.3k](…)`: no ids, no dates, no upvotes.
"""

from __future__ import annotations

import re
from datetime import date

from papershelf.db.formats import textbrowser
from papershelf.db.formats.cards import read_cards
from papershelf.db.formats.common import ParseError, Reader
from papershelf.db.formats.lines import NOT_TEXT, scan_lines
from papershelf.db.models import ParseResult

NAME = "trending"

# The simplified rendering keeps only the page's heading and the cards' author and repository
# lines: `## Trending Papers`, `- 8 authors`, `[LINK: GitHub 11.3k](…)`.
_TRENDING_HEADING = re.compile(r"^#{1,6}\s+Trending Papers\s*$", re.MULTILINE | re.IGNORECASE)
_HEAD = 16384
_CARD_LINE = re.compile(
    r"^\s*(?:[-*•]\s*\d+ authors?|\[(?:LINK:\s*)?GitHub\b[^\]]*\]\(https?://github\.com/)",
    re.MULTILINE,
)
_MARKERS = re.compile(
    r"^\s*(?:\[)?(?:Upvote(?:\s+[\d.,]+k?)?|Submitted by\b.*|Published on [A-Z][a-z]{2,8} \d)",
    re.MULTILINE,
)


def detect(text: str) -> int:
    """85 when `Published on` and `Upvote`/`Submitted by` cards are there (above markdown's 75)."""
    if NOT_TEXT.match(text):
        return 0
    # Exact pre-checks (`_MARKERS` is case-sensitive): a literal search is ~20x faster than
    # the multi-line pattern, which a plain copy of 128 MB would otherwise run through whole.
    head = text[:_HEAD]  # the page's own heading comes before its cards
    if "Trending Papers" in head and _TRENDING_HEADING.search(head) and _CARD_LINE.search(text):
        return 85
    if "Published on " not in text or ("Upvote" not in text and "Submitted by" not in text):
        return 0
    found: set[str] = set()
    for match in _MARKERS.finditer(text):
        found.add(match.group(0).lstrip(" [").split()[0].lower())
        if "published" in found and ({"upvote", "submitted"} & found):
            return 85
    return 0


def parse(text: str, *, source: str, captured_on: date) -> ParseResult:
    """Read a trending page, each paper once; a card cut off before its date is a Problem."""
    lines = textbrowser.to_lines(text) if textbrowser.detect(text) else scan_lines(text)
    result = read_cards(lines, source=source, captured_on=captured_on, format=NAME)
    if not result.papers and not result.problems:
        raise ParseError(f"{source} looks like a trending page but has no paper cards.")
    return result


READER = Reader(NAME, "the trending page, in any of the renderings above", detect, parse)
