"""The Hugging Face JSON API: `/api/daily_papers`, `/api/papers/search`, one item or one paper.

`/api/daily_papers` is a list of items `{paper: {id, title, summary, authors: [{name}],
publishedAt, upvotes, githubRepo?, ...}, numComments, submittedBy, ...}`; the search API
returns items or bare paper objects; `/api/papers/<id>` returns one paper object.
"""

from __future__ import annotations

from datetime import date

from papershelf.db.formats.common import (
    ParseError,
    Reader,
    find_paper_list,
    is_item,
    is_paper_object,
    load_json_items,
    papers_from_items,
)
from papershelf.db.models import ParseResult

NAME = "json"

EXPECTED = (
    'a Hugging Face Daily Papers list (items with a "paper" object), '
    "a search result list, one item or one paper object"
)


def detect(text: str) -> int:
    """50 for anything that starts like JSON: its parser explains a wrong shape best."""
    return 50 if text.lstrip()[:1] in ("[", "{") else 0


def parse(text: str, *, source: str, captured_on: date) -> ParseResult:
    """Read HF API JSON; items that are not papers become Problems."""
    value, lines = load_json_items(text, source)
    if isinstance(value, dict) and (is_item(value) or is_paper_object(value)):
        items, item_lines = [value], lines
    elif isinstance(value, list) and not value:
        return ParseResult((), (), NAME)
    elif isinstance(value, list) and any(is_item(v) or is_paper_object(v) for v in value):
        items, item_lines = value, lines
    else:
        # A wrapper such as {"dailyPapers": [...]}: the items share the wrapper's line.
        found = find_paper_list(value)
        if found is None:
            raise ParseError(f"{source} is JSON but not {EXPECTED}.")
        items, item_lines = found, [lines[0]] * len(found)
    papers, problems = papers_from_items(items, item_lines, source)
    return ParseResult(tuple(papers), tuple(problems), NAME)


READER = Reader(NAME, "Hugging Face API JSON (/api/daily_papers, search, one paper)", detect, parse)
