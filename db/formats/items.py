"""JSON documents and the HF API's items: decoding with item lines, items -> ParsedPaper.

Shared by the API reader, saved HTML's embedded data, papershelf's own export and JSON Feed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from papershelf.db.formats.common import ParseError, extract_links, iso_date, web_url
from papershelf.db.models import ParsedPaper, Problem
from papershelf.db.text import clean_line, clean_text


def load_json_items(text: str, source: str) -> tuple[Any, list[int]]:
    """Decode JSON, noting the 1-based line where each top-level list item starts.

    Returns `(value, lines)`; `lines` has one entry per item when the value is a list, else
    the line where the value starts. Raises ParseError for invalid or cut-off JSON.
    """
    decoder = json.JSONDecoder(strict=False)
    start = len(text) - len(text.lstrip())
    try:
        if not text.startswith("[", start):
            value, end = decoder.raw_decode(text, start)
            _expect_end(text, end, decoder)
            return value, [text.count("\n", 0, start) + 1]
        items: list[Any] = []
        lines: list[int] = []
        pos, line, counted = start + 1, 1, 0
        while True:
            pos = _skip_ws(text, pos)
            if text.startswith("]", pos) and not items:
                pos += 1
                break
            line += text.count("\n", counted, pos)
            counted = pos
            value, pos = decoder.raw_decode(text, pos)
            items.append(value)
            lines.append(line)
            pos = _skip_ws(text, pos)
            if text.startswith(",", pos):
                pos += 1
            elif text.startswith("]", pos):
                pos += 1
                break
            else:
                raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)
        _expect_end(text, pos, decoder)
        return items, lines
    except json.JSONDecodeError as error:
        raise _json_error(text, error, source) from None
    except RecursionError:
        raise ParseError(f"{source} is JSON nested too deeply to read.") from None


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\n\r":
        pos += 1
    return pos


def _expect_end(text: str, pos: int, decoder: json.JSONDecoder) -> None:
    pos = _skip_ws(text, pos)
    if pos < len(text):
        raise json.JSONDecodeError("Extra data", text, pos)


def _json_error(text: str, error: json.JSONDecodeError, source: str) -> ParseError:
    at_end = error.pos >= len(text.rstrip()) or error.msg.startswith("Unterminated string")
    if at_end:
        last_line = text.rstrip().count("\n") + 1
        return ParseError(f"{source} is not valid JSON (cut off at line {last_line}?).")
    return ParseError(
        f"{source} is not valid JSON ({error.msg.lower()} at line {error.lineno}, column {error.colno})."
    )


def is_item(value: Any) -> bool:
    """An HF listing item: a dict wrapping a `paper` dict."""
    return isinstance(value, dict) and isinstance(value.get("paper"), dict)


def is_paper_object(value: Any) -> bool:
    """A bare HF paper object: a title plus at least one field only papers have."""
    return (
        isinstance(value, dict)
        and isinstance(value.get("title"), str)
        and (isinstance(value.get("id"), str) or "summary" in value or "publishedAt" in value)
    )


def find_paper_list(value: Any, depth: int = 0) -> list[Any] | None:
    """The first list (depth-first, by key order) whose items are HF items or paper objects.

    Lenient on purpose: HF wraps the item list differently in the API, the search API and the
    page's `data-props`, and the wrapping has changed before.
    """
    if depth > 6:
        return None
    if isinstance(value, list):
        if value and any(is_item(v) or is_paper_object(v) for v in value):
            return value
        children: list[Any] = [v for v in value if isinstance(v, (dict, list))]
    elif isinstance(value, dict):
        # Known keys first, so `{"dailyPapers": [...], "recommended": [...]}` picks the day's list.
        keys = sorted(value, key=lambda k: k not in ("dailyPapers", "papers", "items", "results"))
        children = [value[k] for k in keys if isinstance(value[k], (dict, list))]
    else:
        return None
    for child in children:
        found = find_paper_list(child, depth + 1)
        if found is not None:
            return found
    return None


def _int_or_none(value: Any) -> int | None:
    # bool is an int in Python; `true` upvotes is not a count.
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _organization(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("fullname") or value.get("name")
    return clean_line(value) or None if isinstance(value, str) else None


def _text(*candidates: Any, clean: Callable[[str], str]) -> str:
    """The first candidate that is a non-empty string, cleaned; "" if none is."""
    for candidate in candidates:
        if isinstance(candidate, str) and (cleaned := clean(candidate)):
            return cleaned
    return ""


def paper_from_item(value: Any, *, line: int) -> ParsedPaper | str:
    """An HF item (`{paper: {...}, numComments, submittedBy}`) or bare paper object -> ParsedPaper.

    Returns a short reason string instead when the value is not a paper with a title. The
    repository is `githubRepo` only: a GitHub URL in the abstract stays one of its links.
    """
    if not isinstance(value, dict):
        return "is not an object"
    paper = value["paper"] if is_item(value) else value
    title = _text(paper.get("title"), value.get("title"), clean=clean_line)
    if not title:
        return "has no title"
    abstract = _text(paper.get("summary"), value.get("summary"), clean=clean_text)
    raw_authors = paper.get("authors")
    authors: tuple[str, ...] = ()
    if isinstance(raw_authors, list):
        names = (a.get("name") if isinstance(a, dict) else a for a in raw_authors)
        authors = tuple(n for n in (clean_line(x) for x in names if isinstance(x, str)) if n)
    arxiv_id = paper.get("id")
    arxiv_id = clean_line(arxiv_id) or None if isinstance(arxiv_id, str) else None
    comments = _int_or_none(value.get("numComments"))
    if comments is None:
        comments = _int_or_none(paper.get("numComments")) or 0
    return ParsedPaper(
        title=title,
        abstract=abstract,
        arxiv_id=arxiv_id,
        authors=authors,
        authors_count=len(raw_authors) if isinstance(raw_authors, list) else None,
        organization=_organization(paper.get("organization") or value.get("organization")),
        published=iso_date(paper.get("publishedAt") or value.get("publishedAt")),
        upvotes=_int_or_none(paper.get("upvotes")),
        comments=comments,
        links=extract_links(abstract),
        github=web_url(paper.get("githubRepo")),
        ai_summary=_text(paper.get("ai_summary"), clean=clean_text) or None,
        ai_keywords=_keywords(paper.get("ai_keywords")),
        project_page=web_url(paper.get("projectPage")),
        github_stars=_int_or_none(paper.get("githubStars")),
        daily_day=iso_date(paper.get("submittedOnDailyAt")),
        submitter=_submitter(value.get("submittedBy"), paper.get("submittedOnDailyBy")),
        line=line,
    )


def _keywords(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    words = (clean_line(word) for word in value if isinstance(word, str))
    return tuple(dict.fromkeys(word for word in words if word))


def _submitter(*candidates: Any) -> str | None:
    """The HF user name of whoever put the paper on Daily Papers."""
    for who in candidates:
        if isinstance(who, dict) and isinstance(who.get("name"), str) and clean_line(who["name"]):
            return clean_line(who["name"])
    return None


def papers_from_items(
    items: list[Any], lines: list[int], source: str
) -> tuple[list[ParsedPaper], list[Problem]]:
    """Convert a list of HF items; each one that is not a paper becomes a Problem."""
    papers: list[ParsedPaper] = []
    problems: list[Problem] = []
    for number, (item, line) in enumerate(zip(items, lines), 1):
        result = paper_from_item(item, line=line)
        if isinstance(result, str):
            problems.append(Problem(source, line, f"item {number} {result}; skipped"))
        else:
            papers.append(result)
    return papers, problems
