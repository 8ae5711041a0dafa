"""Markdown clips of a listing or search page (web clippers, reader services, scrapers).

Obsidian Web Clipper, firecrawl, jina reader, markdownify and html2text, NotebookLM exports:
each keeps the page's links, in its own dialect (see `db.formats.lines` for what the scanner
tolerates), so the cards are read by `db.formats.cards` from the links and their text:

    [12](https://huggingface.co/login?next=%2Fpapers%2F2311.01282)      upvotes (`-` = 0)
    ### [FlashDecoding++: …](https://huggingface.co/papers/2311.01282)  title + arXiv id
    As the Large Language Model …                                       abstract
    *   9 authors                                                       `N authors` or an org link
    Nov 2, 2023[3](https://huggingface.co/papers/2311.01282#community)  date + COMMENT count
"""

from __future__ import annotations

import re
from datetime import date

from papershelf.db.formats.cards import read_cards
from papershelf.db.formats.common import ParseError, Reader
from papershelf.db.formats.lines import NOT_TEXT, scan_lines
from papershelf.db.models import ParseResult

NAME = "markdown"

_PAPER_LINK = re.compile(
    r"\]\(\s*<?(?:https?://(?:www\.)?huggingface\.co)?/papers/\d{4}\.\d{4,5}", re.IGNORECASE
)


def detect(text: str) -> int:
    """75 when markdown links point at paper pages (above JSON's 50 for a page starting `[12](`)."""
    if NOT_TEXT.match(text) or not _PAPER_LINK.search(text):
        return 0
    return 75


def parse(text: str, *, source: str, captured_on: date) -> ParseResult:
    """Read a markdown clip; cards cut off before their date line become Problems."""
    result = read_cards(scan_lines(text), source=source, captured_on=captured_on, format=NAME)
    if not result.papers and not result.problems:
        raise ParseError(f"{source} is markdown but has no Daily Papers entries.")
    return result


READER = Reader(
    NAME, "markdown clips (Obsidian, firecrawl, jina, markdownify, NotebookLM)", detect, parse
)
