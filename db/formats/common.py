"""Helpers shared by the format parsers: errors, links, dates, JSON items -> ParsedPaper.

Everything that turns untrusted input into a field of a `ParsedPaper` goes through here or
through `db.text`, so every format cleans text, finds links and reads dates the same way.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from papershelf.db.models import ParsedPaper, ParseResult, Problem
from papershelf.db.text import clean_line, clean_text, latest_on_or_before, month_number


class ParseError(ValueError):
    """The whole input cannot be read (empty, binary, another site, another shape).

    `str(error)` is one sentence naming the source, fit to show a person as is.
    """


class Parse(Protocol):
    """A reader's `parse`: one page's text (newlines normalised) -> papers and problems."""

    def __call__(self, text: str, *, source: str, captured_on: date) -> ParseResult: ...


@dataclass(frozen=True, slots=True)
class Reader:
    """One rendering papershelf reads: its `--format` name, what it is, how to spot and read it.

    `detect` runs on every input, so it must be cheap; it returns 0 for "not mine" and higher
    for surer (see `db.formats.registry` for the scale). `parse` raises `ParseError` (one
    sentence) when the whole input is unreadable and reports entries it cannot complete as
    `Problem`s.
    """

    name: str
    description: str
    detect: Callable[[str], int]
    parse: Parse


# ---------------------------------------------------------------- links

# Brackets and braces are excluded outright (they never appear unescaped in a URL but HF
# abstracts wrap links in them: `[https://github.com/x/y]`); the rest is trimmed below.
_URL = re.compile(r"https?://[^\s<>\"'\[\]{}|\\^`]+", re.IGNORECASE)
_TRAILING = ".,;:!?*'\""
_PAIRS = {")": "(", "]": "[", "}": "{"}


def _trim_url(url: str) -> str:
    """Drop sentence punctuation and unbalanced closing brackets from the end of a URL."""
    while url:
        last = url[-1]
        if last in _TRAILING or last == ">":
            url = url[:-1]
        elif last in _PAIRS and url.count(_PAIRS[last]) < url.count(last):
            # `(see https://x.org/a)` loses its `)`, `https://x.org/a_(b)` keeps it.
            url = url[:-1]
        else:
            break
    return url


def _urls(text: str) -> Iterator[re.Match[str]]:
    """`_URL.finditer(text)`, jumping from one `://` to the next.

    Case-insensitive `https?` gives the regex engine no literal to skip ahead to, so finditer
    tries every position of an abstract (~5 µs per 1,000 characters). Every match has its
    `://` 4 or 5 characters in, so the same matches start at `://` minus 5 or 4, never before
    the end of the previous match.
    """
    floor = pos = 0
    while (colon := text.find("://", pos)) != -1:
        for start in (colon - 5, colon - 4):
            if start >= floor and (match := _URL.match(text, start)):
                yield match
                floor = pos = match.end()
                break
        else:
            pos = colon + 1


def extract_links(text: str) -> tuple[str, ...]:
    """The http(s) URLs in `text`, cleaned of brackets and trailing punctuation, deduplicated, in order."""
    seen: dict[str, None] = {}
    for match in _urls(text):
        url = _trim_url(match.group(0))
        if len(url) > len("https://") and "." in url.split("//", 1)[1].split("/", 1)[0]:
            seen.setdefault(url, None)
    return tuple(seen)


_WEB_URL = re.compile(r"https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?", re.IGNORECASE)


def web_url(value: Any) -> str | None:
    """`value` cleaned if it is one http(s) URL with a host, else None.

    Links get opened in a browser: `javascript:`, `file:`, `data:` and look-alikes such as
    `httpx://` or `http:evil` never enter the library from any format.
    """
    if not isinstance(value, str):
        return None
    url = clean_line(value)
    return url if _WEB_URL.fullmatch(url) else None


# Paths on github.com that are site pages, not `owner/repo`.
_GITHUB_NON_OWNERS = {
    "orgs",
    "features",
    "topics",
    "sponsors",
    "settings",
    "marketplace",
    "collections",
    "about",
    "explore",
    "login",
    "search",
    "pricing",
    "site",
    "apps",
}
_GITHUB = re.compile(r"https?://(?:www\.)?github\.com/([^/?#\s]+)/([^/?#\s]+)", re.IGNORECASE)


def github_repo(links: tuple[str, ...] | list[str]) -> str | None:
    """The first link that names a GitHub repository, as `https://github.com/owner/repo`."""
    for url in links:
        match = _GITHUB.match(url)
        if match and match.group(1).lower() not in _GITHUB_NON_OWNERS:
            repo = match.group(2).removesuffix(".git")
            if repo:
                return f"https://github.com/{match.group(1)}/{repo}"
    return None


# ---------------------------------------------------------------- dates

# `Nov 2, 2023 3`, `Mar 24 2`, `Dec 8`: month word, day, optional `, YYYY`, optional count.
DATE_LINE = re.compile(
    r"^(?P<month>[A-Za-z]{3,9})\.? (?P<day>\d{1,2})(?:, ?(?P<year>\d{4}))?(?: (?P<count>\d{1,9}))?$"
)


def looks_like_date_line(line: str) -> bool:
    """True for lines shaped like a listing date: a month name, or any word with `D, YYYY`."""
    match = DATE_LINE.match(line)
    if not match:
        return False
    return month_number(match.group("month")) is not None or match.group("year") is not None


# Month names (their first three letters) in the languages a browser may translate a page into,
# and the shapes of numeric dates: what a date line looks like when it is not in English.
_FOREIGN_MONTHS = frozenset(
    "jan feb fév fev mär mar apr avr abr mai may mag jun jui giu jul lug aug aoû aou ago sep "
    "set okt oct ott out nov dez déc dec dic".split()
)
_NUMERIC_DATE = re.compile(r"\d{1,4}\s*[./\-年]\s*\d{1,2}\s*[./\-月]\s*\d{0,4}")
_DATE_WORDS = re.compile(r"[^\W\d_]+")


def looks_like_foreign_date(line: str) -> bool:
    """True for a short line that is a date in another language or notation.

    `25. Juni 2023`, `3 déc. 2024`, `2023年6月25日`, `25.06.2023`: a number plus a month
    name, or a numeric date, and not much else. Such a line in a date slot is a date this
    reader cannot read, never the next entry's title.
    """
    if len(line) > 40 or not any(c.isdigit() for c in line):
        return False
    if _NUMERIC_DATE.search(line):
        return True
    words = _DATE_WORDS.findall(line)
    return 0 < len(words) <= 2 and any(w[:3].lower() in _FOREIGN_MONTHS for w in words)


def resolve_date(month_name: str, day: str, year: str | None, anchor: date) -> date | None:
    """A listing date as a `date`; a yearless one is the latest such day on or before `anchor`."""
    month = month_number(month_name)
    if month is None:
        return None
    try:
        if year is not None:
            return date(int(year), month, int(day))
        return latest_on_or_before(month, int(day), anchor)
    except (ValueError, OverflowError):
        return None


def parse_date_line(line: str, anchor: date) -> tuple[date, int] | None:
    """`Nov 2, 2023 3` -> (2023-11-02, 3 comments); no count means 0; None if unreadable."""
    match = DATE_LINE.match(line)
    if not match:
        return None
    day = resolve_date(match.group("month"), match.group("day"), match.group("year"), anchor)
    if day is None:
        return None
    return day, int(match.group("count") or 0)


def iso_date(value: Any) -> date | None:
    """The date part of an ISO-8601 string (`2023-11-02T17:00:00.000Z`), else None."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def short(title: str, width: int = 60) -> str:
    """A title cut to fit in a one-line problem message."""
    return title if len(title) <= width else title[: width - 1].rstrip() + "…"


# ---------------------------------------------------------------- JSON


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
