"""JSON Feed (jsonfeed.org, versions 1 and 1.1) of Hugging Face papers, read as plain JSON.

feedparser does not read JSON Feed. Each item is one paper: the arXiv id from its `url`,
`external_url` or `id`; the abstract from `content_text`, `content_html` or `summary`, cleaned of
the labels scrapers glue in like an RSS description (see `db.formats.feeds.describe`).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from papershelf.db.formats.common import ParseError, Reader, extract_links, github_repo, iso_date
from papershelf.db.formats.feeds import arxiv_id_in, describe
from papershelf.db.formats.items import load_json_items
from papershelf.db.models import ParsedPaper, ParseResult, Problem
from papershelf.db.text import clean_line

NAME = "json-feed"

_VERSION = re.compile(r'"version"\s*:\s*"https?://jsonfeed\.org/version/', re.IGNORECASE)


def detect(text: str) -> int:
    """80 for a JSON object naming a jsonfeed.org version (above the API reader's 50)."""
    head = text.lstrip()[:65536]
    return 80 if head.startswith("{") and _VERSION.search(head) else 0


def parse(text: str, *, source: str, captured_on: date) -> ParseResult:
    """Read each item as a paper; items without a title become Problems."""
    value, _ = load_json_items(text, source)
    items = value.get("items") if isinstance(value, dict) else None
    if not isinstance(items, list):
        raise ParseError(f"{source} is a JSON Feed without an item list.")
    papers: list[ParsedPaper] = []
    problems: list[Problem] = []
    for number, item in enumerate(items, 1):
        line = _line_of(text, item)
        paper = _paper(item, line)
        if paper is None:
            problems.append(Problem(source, line, f"item {number} has no title; skipped"))
        else:
            papers.append(paper)
    if items and not any(p.arxiv_id for p in papers):
        raise ParseError(f"{source} is a JSON Feed, but its items are not Hugging Face papers.")
    return ParseResult(tuple(papers), tuple(problems), NAME)


def _line_of(text: str, item: Any) -> int:
    """The line where an item's `id` or `url` first appears (1 when it cannot be found)."""
    for key in ("id", "url"):
        value = item.get(key) if isinstance(item, dict) else None
        if isinstance(value, str) and value:
            for shown in (value, value.replace("/", "\\/")):  # JSON may escape its slashes
                at = text.find(shown)
                if at != -1:
                    return text.count("\n", 0, at) + 1
    return 1


def _paper(item: Any, line: int) -> ParsedPaper | None:
    if not isinstance(item, dict) or not isinstance(item.get("title"), str):
        return None
    title = clean_line(item["title"])
    if not title:
        return None
    body = item.get("content_text") or item.get("content_html") or item.get("summary") or ""
    described = describe(body if isinstance(body, str) else "")
    if (
        not described.ai_summary
        and isinstance(item.get("summary"), str)
        and body != item["summary"]
    ):
        described.ai_summary = clean_line(item["summary"]) or None
    names = item.get("authors") or (
        [item["author"]] if isinstance(item.get("author"), dict) else []
    )
    authors = described.authors or tuple(
        n for n in (clean_line(a.get("name") or "") for a in names if isinstance(a, dict)) if n
    )
    links = (*extract_links(described.abstract), *described.hrefs)
    return ParsedPaper(
        title=title,
        abstract=described.abstract,
        arxiv_id=arxiv_id_in(item.get("url"), item.get("external_url"), item.get("id")),
        authors=authors,
        authors_count=len(authors) if authors else None,
        published=iso_date(item.get("date_published")),
        upvotes=described.upvotes,
        comments=described.comments,
        links=tuple(dict.fromkeys(links)),
        github=github_repo(described.hrefs),
        ai_summary=described.ai_summary,
        line=line,
    )


READER = Reader(NAME, "JSON Feed (jsonfeed.org) of papers", detect, parse)
