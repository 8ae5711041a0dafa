"""The plain browser copy of a Daily Papers listing (select all, copy, paste).

Shape (see DESIGN.md, "Facts about the input"): a header (`new`, the e-mail line, `Subscribe`,
`Daily Papers`, the `by… and the research community` byline, a yearless day header such as
`Dec 8`), then per paper, blank lines aside:

    Title
    Abstract (one or more paragraphs)
      • 9 authors            (or an organisation name)
    ·
    Nov 2, 2023 3            (date, optional year, optional COMMENT count)

Entries are anchored on the `·` line: the line before it is the author line, the line after it
the date, and everything between the previous entry and the author line is title + abstract.
Anchoring on `·` (not on blank lines) keeps the reader right when blank lines are lost or
doubled by a clipboard, and means every emitted paper owns one `·` line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from db.formats.common import (
    DATE_LINE,
    ParseError,
    extract_links,
    github_repo,
    looks_like_date_line,
    parse_date_line,
    resolve_date,
    short,
)
from db.models import ParsedPaper, ParseResult, Problem
from db.text import clean_line

NAME = "text"

DOT = "·"
# HF writes `1 authors`; a bullet may be lost in the copy.
_AUTHORS = re.compile(r"^(?:[•*\-]\s*)?(\d{1,7})\s+authors?$", re.IGNORECASE)
_BULLET = re.compile(r"^[•*\-]\s*")
_BYLINE = re.compile(r"^by.*\band the research community$", re.IGNORECASE)
_CHROME = {"new", "get trending papers in your email inbox!", "subscribe", "daily papers"}
_DISTINCTIVE = {"get trending papers in your email inbox!", "daily papers"}
_DOT_LINE = re.compile(r"^[^\S\n]*·[^\S\n]*$", re.MULTILINE)
# An organisation name is short and is not a sentence; a longer line in that slot is the end
# of an abstract whose author line was lost.
_ORG_MAX = 100
# A first line this long that ends like a sentence is the tail of an abstract, not a title.
_PROSE_MIN = 200


@dataclass(frozen=True, slots=True)
class _Line:
    number: int  # 1-based line in the source
    text: str  # cleaned, never empty


def detect(text: str) -> int:
    """40 when the page's `·` separator lines or its header are there, else 1 (the fallback)."""
    if _DOT_LINE.search(text) or re.search(r"^\s*Daily Papers\s*$", text, re.MULTILINE):
        return 40
    return 1


def parse(text: str, *, source: str, captured_on: date) -> ParseResult:
    """Read a plain browser copy; entries that cannot be completed become Problems."""
    lines = [
        _Line(number, cleaned)
        for number, raw in enumerate(text.split("\n"), 1)
        if (cleaned := clean_line(raw))
    ]
    problems: list[Problem] = []
    start, page_day, has_header = _read_header(lines, captured_on, source, problems)
    dots = [i for i, line in enumerate(lines) if line.text == DOT]
    if not dots and not has_header:
        raise ParseError(f"{source} does not look like a Hugging Face Daily Papers page.")
    papers: list[ParsedPaper] = []
    for dot in dots:
        if dot < start:
            continue
        paper, problem, next_start = _entry(
            lines, start, dot, page_day, source, headless_first=not has_header and not papers
        )
        if paper:
            papers.append(paper)
        if problem:
            problems.append(problem)
        start = next_start
    if start < len(lines):
        first = lines[start]
        problems.append(
            Problem(
                source,
                first.number,
                f'entry "{short(first.text)}" is cut off before its author and date lines; skipped',
            )
        )
    return ParseResult(tuple(papers), tuple(problems), NAME)


def _read_header(
    lines: list[_Line], captured_on: date, source: str, problems: list[Problem]
) -> tuple[int, date, bool]:
    """Skip the page chrome; return (first entry index, page day, whether chrome was seen)."""
    page_day = captured_on
    has_header = False
    i = 0
    while i < len(lines):
        line = lines[i]
        low = line.text.lower()
        if low in _CHROME or _BYLINE.match(line.text):
            has_header = has_header or low in _DISTINCTIVE or low.startswith("by")
            i += 1
            continue
        match = DATE_LINE.match(line.text)
        if match and looks_like_date_line(line.text):
            if match.group("count") is None and (match.group("year") is None or has_header):
                # The day header: yearless days are the latest such day on or before capture.
                day = resolve_date(
                    match.group("month"), match.group("day"), match.group("year"), captured_on
                )
                if day is None:
                    problems.append(
                        Problem(source, line.number, f'cannot read the day header "{line.text}"')
                    )
                else:
                    page_day = day
                return i + 1, page_day, True
            # A paper's date line before any entry: the copy starts mid-entry.
            problems.append(
                Problem(
                    source,
                    line.number,
                    f'the copy starts in the middle of an entry (date "{line.text}"); skipped',
                )
            )
            i += 1
            continue
        break
    return i, page_day, has_header


def _entry(
    lines: list[_Line], start: int, dot: int, page_day: date, source: str, *, headless_first: bool
) -> tuple[ParsedPaper | None, Problem | None, int]:
    """Read the entry ending at the `·` line `dot`: (paper or None, problem or None, next start)."""
    after = lines[dot + 1] if dot + 1 < len(lines) else None
    # Consume the date line only when it is date-shaped, so a lost date line does not swallow
    # the next entry's title.
    has_date = after is not None and looks_like_date_line(after.text)
    next_start = dot + 2 if has_date else dot + 1
    if dot - 1 < start:
        return None, Problem(source, lines[dot].number, 'a "·" line with no entry before it; skipped'), next_start
    author = lines[dot - 1]
    block = lines[start : dot - 1]
    if not block or _AUTHORS.match(block[0].text):
        # An author line where a title belongs: the entry before lost its `·` and date.
        where = block[0] if block else author
        message = f'"{short(where.text)}" has no title before it; skipped'
        return None, Problem(source, where.number, message), next_start
    first = block[0]
    title = first.text
    if headless_first and len(title) >= _PROSE_MIN and title[-1] in ".!?":
        message = "the copy starts in the middle of an entry (no title); skipped"
        return None, Problem(source, first.number, message), next_start

    authors_count: int | None = None
    organization: str | None = None
    if match := _AUTHORS.match(author.text):
        authors_count = int(match.group(1))
    elif len(author.text) <= _ORG_MAX and not author.text.endswith("."):
        organization = _BULLET.sub("", author.text) or None
    if authors_count is None and organization is None:
        message = f'entry "{short(title)}" has no author line before its "·"; skipped'
        return None, Problem(source, first.number, message), next_start

    if not has_date:
        found = f' (found "{short(after.text)}")' if after else ""
        message = f'entry "{short(title)}" has no date line after its "·"{found}; skipped'
        return None, Problem(source, first.number, message), next_start
    assert after is not None
    parsed = parse_date_line(after.text, page_day)
    if parsed is None:
        message = f'entry "{short(title)}" has a date that cannot be read: "{after.text}"; skipped'
        return None, Problem(source, first.number, message), next_start
    published, comments = parsed

    # Each line is already clean_line'd (no newlines, no runs of spaces), so joining is enough.
    abstract = " ".join(line.text for line in block[1:])
    links = extract_links(abstract)
    paper = ParsedPaper(
        title=title,
        abstract=abstract,
        authors_count=authors_count,
        organization=organization,
        published=published,
        upvotes=None,  # the plain copy never shows upvotes
        comments=comments,
        links=links,
        github=github_repo(links),
        line=first.number,
    )
    return paper, None, next_start
