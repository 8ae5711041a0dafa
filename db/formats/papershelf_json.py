"""Reads papershelf's own `export --format json` (written by `db.export`): `Paper.to_json()` objects.

Unlike page renderings it carries the person's state (tags, read mark, note, snooze day,
dismissal), so importing an export into an empty library restores it.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from papershelf.db.formats.common import ParseError, Reader, github_repo, iso_date, web_url
from papershelf.db.formats.items import load_json_items
from papershelf.db.models import ParsedPaper, ParseResult, Problem
from papershelf.db.text import clean_line, clean_text, strip_controls

NAME = "export"

# `Paper.to_json()` starts every object with `id` then `arxiv_id`; json.dumps keeps that order.
_EXPORT_START = re.compile(r'\[\s*\{\s*"id"\s*:\s*\d+\s*,\s*"arxiv_id"\s*:')


def detect(text: str) -> int:
    """70 for a JSON list whose first object carries papershelf's own keys."""
    head = text.lstrip()[:65536]
    if _EXPORT_START.match(head):
        return 70
    # Hand-edited or reordered exports: the keys no HF rendering has, near the start.
    if (
        head.startswith("[")
        and '"added_at"' in head
        and '"read_at"' in head
        and '"arxiv_id"' in head
    ):
        return 70
    return 0


def parse(text: str, *, source: str, captured_on: date) -> ParseResult:
    """Read an export; objects without a title become Problems."""
    value, lines = load_json_items(text, source)
    if not isinstance(value, list):
        raise ParseError(f"{source} is not a papershelf export (expected a JSON list of papers).")
    papers: list[ParsedPaper] = []
    problems: list[Problem] = []
    for number, (item, line) in enumerate(zip(value, lines), 1):
        paper = _paper(item, line)
        if paper is None:
            problems.append(
                Problem(source, line, f"item {number} is not a paper with a title; skipped")
            )
        else:
            papers.append(paper)
    return ParseResult(tuple(papers), tuple(problems), NAME)


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _str(value: Any, clean: Any = clean_line) -> str | None:
    return (clean(value) or None) if isinstance(value, str) else None


def _strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(s for s in (_str(v) for v in value) if s)


def _paper(item: Any, line: int) -> ParsedPaper | None:
    if not isinstance(item, dict) or not _str(item.get("title")):
        return None
    # Only web links: an export is a file a person may have edited, and links get opened.
    links = tuple(u for u in (web_url(v) for v in _strings(item.get("links"))) if u)
    read_at = _str(item.get("read_at"))
    if read_at is None and item.get("read") is True:
        # A read mark without its time (hand-edited export): keep the mark, dated when added.
        read_at = _str(item.get("added_at"))
    return ParsedPaper(
        title=_str(item["title"]) or "",
        abstract=_str(item.get("abstract"), clean_text) or "",
        arxiv_id=_str(item.get("arxiv_id")),
        authors=_strings(item.get("authors")),
        authors_count=_int(item.get("authors_count")),
        organization=_str(item.get("organization")),
        published=iso_date(item.get("published")),
        upvotes=_int(item.get("upvotes")),
        comments=_int(item.get("comments")),
        links=links,
        github=web_url(item.get("github")) or github_repo(links),
        ai_summary=_str(item.get("ai_summary"), clean_text),
        ai_keywords=_strings(item.get("ai_keywords")),
        project_page=web_url(item.get("project_page")),
        github_stars=_int(item.get("github_stars")),
        daily_day=iso_date(item.get("daily_day")),
        submitter=_str(item.get("submitter")),
        line=line,
        tags=_strings(item.get("tags")),
        read_at=read_at,
        note=_note(item.get("note")),
        snoozed_until=_day(item.get("snoozed_until")),
        dismissed_at=_str(item.get("dismissed_at")),
    )


def _note(value: Any) -> str | None:
    """A note as `Store.set_note` keeps it: controls stripped, lines kept, ends trimmed."""
    return (strip_controls(value).strip() or None) if isinstance(value, str) else None


def _day(value: Any) -> str | None:
    day = iso_date(value)
    return day.isoformat() if day else None


READER = Reader(
    NAME,
    "papershelf's own `export --format json` (keeps tags, read marks, notes, snoozes and dismissals)",
    detect,
    parse,
)
