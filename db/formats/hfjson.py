"""The Hugging Face JSON API: `/api/daily_papers`, `/api/papers/search`, one item or one paper.

`/api/daily_papers` is a list of items `{paper: {id, title, summary, authors: [{name}],
publishedAt, upvotes, githubRepo?, ...}, numComments, submittedBy, ...}`; the search API
returns items or bare paper objects; `/api/papers/<id>` returns one paper object.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from papershelf.db.formats.common import ParseError, Reader
from papershelf.db.formats.items import (
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
    if (lines_of_items := _json_lines(text)) is not None:
        items, item_lines = lines_of_items
        papers, problems = papers_from_items(items, item_lines, source)
        return ParseResult(tuple(papers), tuple(problems), NAME)
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


def _json_lines(text: str) -> tuple[list[Any], list[int]] | None:
    """(items, their lines) of JSON Lines (one API item per line, as saved by scripts), else None."""
    rows = text.split("\n")
    if len(rows) < 2 or not rows[0].lstrip().startswith("{") or not rows[0].rstrip().endswith("}"):
        return None
    items: list[Any] = []
    lines: list[int] = []
    for number, row in enumerate(rows, 1):
        if not row.strip():
            continue
        try:
            items.append(json.loads(row, strict=False))
        except (ValueError, RecursionError):
            return None  # a pretty-printed object, or not JSON Lines at all
        lines.append(number)
    if len(items) < 2 or not all(is_item(v) or is_paper_object(v) for v in items[:3]):
        return None
    return items, lines


READER = Reader(NAME, "Hugging Face API JSON (/api/daily_papers, search, one paper)", detect, parse)
