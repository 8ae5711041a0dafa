"""What every reader shares: the Reader record, ParseError, links and dates.

Everything that turns untrusted input into a field of a `ParsedPaper` goes through here,
`db.formats.items` (JSON and API items) or `db.text`, so every reader cleans text, finds links
and reads dates the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from papershelf.db.formats import ParseError as ParseError  # raised by every reader
from papershelf.db.models import ParseResult
from papershelf.db.text import clean_line, latest_on_or_before, month_number


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
