"""One paper's page (`huggingface.co/papers/<id>`), clipped to markdown or copied as text.

The page is one paper, not a list of cards:

    arxiv:2311.01282                                   (or the clipper's `URL Source: …/papers/<id>`)
    # FlashDecoding++: Faster Large Language Model Inference on GPUs
    Published on Nov 2, 2023
    Submitted by akhaliq on Nov 3, 2023
    Upvote 12                                          (or `[Upvote 12](…/login?next=…)`)
    Authors: [Ke Hong](…), [Guohao Dai](…), …
    ## Abstract
    AI-generated summary                               (the AI summary, when the page has one)
    <summary>
    <abstract paragraphs>
    [View arXiv page](…) [View PDF](…) [GitHub 131](https://github.com/o/r) [Project page](…)
    ## Community …                                     (the rest of the page is not the paper)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from papershelf.db.formats.card import date_of
from papershelf.db.formats.common import ParseError, Reader, github_repo, web_url
from papershelf.db.formats.lines import Line, count, link_kind, scan_lines
from papershelf.db.models import ParsedPaper, ParseResult
from papershelf.db.text import clean_line, clean_text

NAME = "paper-page"

_ARXIV_MARK = re.compile(r"^\s*\[?arxiv:(\d{4}\.\d{4,5})\b", re.IGNORECASE | re.MULTILINE)
_SOURCE = re.compile(
    r"^\s*(?:URL Source|URL|source|Source|- URL)\s*:\s*\"?https?://(?:www\.)?huggingface\.co/"
    r"papers/(\d{4}\.\d{4,5})\b",
    re.MULTILINE,
)
_ABSTRACT = re.compile(r"^\s*(?:#{1,6}\s*)?Abstract\s*$", re.IGNORECASE | re.MULTILINE)
_TITLE_HEADER = re.compile(r"^\s*Title:\s*(?:Paper page\s*-\s*)?(.+)$")
_PUBLISHED = re.compile(r"Published on\s+([A-Z][a-z]+\.? \d{1,2}(?:, \d{4})?)")
_SUBMITTED = re.compile(r"Submitted by\s+(\S+)(?:\s+on\s+([A-Z][a-z]+\.? \d{1,2}(?:, \d{4})?))?")
_UPVOTE = re.compile(r"^Upvote\s*(\S+)?$", re.IGNORECASE)
_ON_DAY = re.compile(r"^on\s+([A-Z][a-z]+\.? \d{1,2}(?:, \d{4})?)$")
_AI_LABEL = re.compile(r"^AI-generated summary\b:?\s*(.*)$", re.IGNORECASE)
_AUTHORS = re.compile(r"^Authors?\s*:\s*(.*)$", re.IGNORECASE)
# Where the paper ends: the page's sections after the abstract.
_AFTER = re.compile(
    r"^(?:Community|Models citing|Datasets citing|Spaces citing|Collections including|"
    r"View arXiv page|Add to collection)",
    re.IGNORECASE,
)


def detect(text: str) -> int:
    """88 for one paper's page: its id marker or source URL and an Abstract heading.

    Above the trending page's 85, whose `Published on`/`Upvote`/`Submitted by` a paper page
    shows too; a listing clip never has a lone `Abstract` heading.
    """
    head = text[:20000]
    if not (_ARXIV_MARK.search(head) or _SOURCE.search(head)) or not _ABSTRACT.search(text):
        return 0
    return 88


@dataclass(slots=True)
class _Page:
    title: str = ""
    title_line: int = 0
    title_from_heading: bool = False
    arxiv_id: str | None = None
    published: date | None = None
    daily_day: date | None = None
    submitter: str | None = None
    upvotes: int | None = None
    authors: list[str] = field(default_factory=list)
    ai_summary: list[str] = field(default_factory=list)
    abstract: list[str] = field(default_factory=list)
    github: str | None = None
    github_stars: int | None = None
    project_page: str | None = None
    hrefs: list[str] = field(default_factory=list)


def parse(text: str, *, source: str, captured_on: date) -> ParseResult:
    """Read the paper a paper page shows; a page without a title is a ParseError."""
    lines = scan_lines(text)
    page = _Page()
    marked = _ARXIV_MARK.search(text) or _SOURCE.search(text)
    page.arxiv_id = marked.group(1) if marked else None
    abstract_at = next((i for i, line in enumerate(lines) if _is_abstract(line)), len(lines))
    _read_top(page, lines[:abstract_at], captured_on)
    _read_abstract(page, lines[abstract_at + 1 :])
    if not page.title:
        raise ParseError(f"{source} looks like a paper's page but shows no title.")
    authors = tuple(page.authors)
    return ParseResult(
        (
            ParsedPaper(
                title=page.title,
                abstract=clean_text(" ".join(page.abstract)),
                arxiv_id=page.arxiv_id,
                authors=authors,
                authors_count=len(authors) if authors else None,
                published=page.published,
                upvotes=page.upvotes,
                links=tuple(dict.fromkeys(page.hrefs)),
                github=page.github,
                github_stars=page.github_stars,
                project_page=page.project_page,
                ai_summary=clean_text(" ".join(page.ai_summary)) or None,
                daily_day=page.daily_day,
                submitter=page.submitter,
                line=page.title_line,
            ),
        ),
        (),
        NAME,
    )


def _is_abstract(line: Line) -> bool:
    return not line.links and clean_line(line.text.strip("#")).lower() == "abstract"


def _read_top(page: _Page, lines: list[Line], captured_on: date) -> None:
    """Title, date, submitter, upvotes, authors (and an AI summary shown above the Abstract)."""
    after_mark = in_authors = False
    summary = 0  # 1: after the AI-summary label, 2: in its paragraph
    for index, line in enumerate(lines):
        text = line.text
        if not text:
            in_authors, summary = False, 0 if summary == 2 else summary
            continue
        label = None if summary else _AI_LABEL.match(text)
        if summary or label is not None:
            shown = label.group(1) if label is not None else text
            page.ai_summary.extend([shown] if shown else [])
            summary = 2 if shown else 1
            continue
        _read_title(page, line, after_mark)
        after_mark = bool(_ARXIV_MARK.match(text)) and not page.title
        if published := _PUBLISHED.search(text):
            dated = date_of(published.group(1), captured_on)
            page.published = dated[0] if dated else page.published
        _read_submitter(page, lines, index, captured_on)
        upvote = _UPVOTE.match(text) or next(
            (m for link in line.links if (m := _UPVOTE.match(link.text))), None
        )
        if upvote is not None:
            page.upvotes = count(upvote.group(1) or "")
        elif page.upvotes is None and _announced(lines, index, "Upvote"):
            page.upvotes = count(text)
        if (authors := _AUTHORS.match(text)) or in_authors:
            names = authors.group(1) if authors else text
            page.authors.extend(n for n in (clean_line(a) for a in names.split(",")) if n)
            in_authors = True
        if page.arxiv_id is None:
            page.arxiv_id = next(
                (ident for link in line.links if (ident := link_kind(link)[1])), None
            )


def _read_submitter(page: _Page, lines: list[Line], index: int, captured_on: date) -> None:
    """`Submitted by akhaliq on Nov 3, 2023`, on one line or (copied as text) on three."""
    text = lines[index].text
    if submitted := _SUBMITTED.search(text):
        page.submitter = clean_line(submitted.group(1))
        listed = date_of(submitted.group(2), captured_on) if submitted.group(2) else None
        page.daily_day = listed[0] if listed else page.daily_day
    elif _announced(lines, index, "Submitted by") and not text.endswith("Submitted by"):
        page.submitter = clean_line(text)
    elif (listed_on := _ON_DAY.match(text)) and page.submitter and page.daily_day is None:
        dated = date_of(listed_on.group(1), captured_on)
        page.daily_day = dated[0] if dated else None


def _announced(lines: list[Line], index: int, announcement: str) -> bool:
    """Whether the non-empty line above line `index` ends with `announcement` (a bare label)."""
    above = next((lines[k].text for k in range(index - 1, -1, -1) if lines[k].text), "")
    return above.rstrip().endswith(announcement)


def _read_title(page: _Page, line: Line, after_mark: bool) -> None:
    """The page's `# Title` heading, else a clipper's `Title:` header or the line after `arxiv:`."""
    if line.heading == 1 and (not page.title or not page.title_from_heading):
        page.title, page.title_line, page.title_from_heading = line.text, line.number, True
    elif not page.title and ((header := _TITLE_HEADER.match(line.text)) or after_mark):
        page.title = clean_line(header.group(1)) if header else line.text
        page.title_line = line.number


def _read_abstract(page: _Page, lines: list[Line]) -> None:
    """AI summary, abstract and the paper's links: from the Abstract heading to the next section."""
    summary = 0  # 1: after the AI-summary label, 2: in its paragraph
    for line in lines:
        text = line.text
        if line.heading or _AFTER.match(text) or _links_only(line):
            _read_links(page, line)
            if page.abstract or line.heading:
                return
            continue
        if not text:
            summary = 0 if summary == 2 else summary
            continue
        if label := _AI_LABEL.match(text):
            summary = 1
            if label.group(1):
                page.ai_summary.append(label.group(1))
                summary = 2
            continue
        if summary:
            summary = 2
            page.ai_summary.append(text)
            continue
        page.abstract.append(text)
        page.hrefs.extend(link.url for link in line.links if link.url and not link.image)


def _links_only(line: Line) -> bool:
    return bool(line.links) and not line.plain.strip(" ·|")


def _read_links(page: _Page, line: Line) -> None:
    for link in line.links:
        kind, ident = link_kind(link)
        if kind == "github" and link.text.lower().startswith("github"):
            page.github = page.github or github_repo([link.url or ""])
            stars = link.text[len("github") :].strip()
            page.github_stars = count(stars) if stars else page.github_stars
        elif kind == "arxiv" and page.arxiv_id is None:
            page.arxiv_id = ident
        elif link.text.lower().startswith("project page"):
            page.project_page = page.project_page or web_url(link.url)


READER = Reader(
    NAME, "one paper's page (huggingface.co/papers/<id>), clipped or copied", detect, parse
)
