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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import compress

from papershelf.db.formats.common import (
    DATE_LINE,
    ParseError,
    Reader,
    extract_links,
    looks_like_date_line,
    looks_like_foreign_date,
    parse_date_line,
    resolve_date,
    short,
)
from papershelf.db.models import ParsedPaper, ParseResult, Problem
from papershelf.db.text import clean_line, clean_lines

NAME = "text"

DOT = "·"
_LETTER = re.compile(r"[^\W\d_]")
# HF writes `1 authors`; a bullet may be lost in the copy, or become `?` or `\ufffd` in a copy
# saved in an encoding without it.
_AUTHORS = re.compile(r"^(?:[•*\-?\ufffd]\s*)?(\d{1,7})\s+authors?$", re.IGNORECASE)
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


def detect(text: str) -> int:
    """40 when the page's `·` separator lines or its header are there, else 1 (the fallback)."""
    if _DOT_LINE.search(text) or re.search(r"^\s*Daily Papers\s*$", text, re.MULTILINE):
        return 40
    return 1


def parse(text: str, *, source: str, captured_on: date) -> ParseResult:
    """Read a plain browser copy; entries that cannot be completed become Problems."""
    return parse_lines(text.split("\n"), source=source, captured_on=captured_on)


def parse_lines(raw_lines: Iterable[str], *, source: str, captured_on: date) -> ParseResult:
    """`parse` of the text these lines (split at LF, newlines normalised) make up.

    For a page too big to hold whole next to its lines: `db.parse` feeds it lines decoded
    a block at a time.
    """
    # The page's non-empty cleaned lines as two parallel lists (text, 1-based source line):
    # ~5 lines a paper, so no object per line.
    cleaned = clean_lines(raw_lines)
    numbers = list(compress(range(1, len(cleaned) + 1), cleaned))
    texts = list(filter(None, cleaned))
    del cleaned
    lines = _Lines(texts, numbers)
    problems: list[Problem] = []
    start, page_day, has_header = _read_header(lines, captured_on, source, problems)
    dots = _indexes(texts, DOT)
    if not dots and not has_header:
        raise ParseError(f"{source} does not look like a Hugging Face Daily Papers page.")
    reader = _EntryReader(lines, page_day, source)
    papers: list[ParsedPaper] = []
    for dot in dots:
        if dot < start:
            continue
        paper, problem, next_start = reader.entry(
            start, dot, headless_first=not has_header and not papers
        )
        if paper:
            papers.append(paper)
        if problem:
            problems.append(problem)
        start = next_start
    if start < len(texts):
        problems.append(
            Problem(
                source,
                numbers[start],
                f'entry "{short(texts[start])}" is cut off before its author and date lines; skipped',
            )
        )
    return ParseResult(tuple(papers), tuple(problems), NAME)


@dataclass(frozen=True, slots=True)
class _Lines:
    texts: list[str]  # cleaned, never empty
    numbers: list[int]  # 1-based line in the source of each

    def __len__(self) -> int:
        return len(self.texts)


def _indexes(items: list[str], value: str) -> list[int]:
    """Every index of `value` in `items` (list.index runs the comparisons in C)."""
    found: list[int] = []
    i = -1
    try:
        while True:
            i = items.index(value, i + 1)
            found.append(i)
    except ValueError:
        return found


def _read_header(
    lines: _Lines, captured_on: date, source: str, problems: list[Problem]
) -> tuple[int, date, bool]:
    """Skip the page chrome; return (first entry index, page day, whether chrome was seen)."""
    page_day = captured_on
    has_header = False
    i = 0
    while i < len(lines):
        text, number = lines.texts[i], lines.numbers[i]
        low = text.lower()
        if low in _CHROME or _BYLINE.match(text):
            has_header = has_header or low in _DISTINCTIVE or low.startswith("by")
            i += 1
            continue
        match = DATE_LINE.match(text)
        if match and looks_like_date_line(text):
            if match.group("count") is None and (match.group("year") is None or has_header):
                # The day header: yearless days are the latest such day on or before capture.
                day = resolve_date(
                    match.group("month"), match.group("day"), match.group("year"), captured_on
                )
                if day is None:
                    problems.append(Problem(source, number, f'cannot read the day header "{text}"'))
                else:
                    page_day = day
                return i + 1, page_day, True
            # A paper's date line before any entry: the copy starts mid-entry.
            problems.append(
                Problem(
                    source,
                    number,
                    f'the copy starts in the middle of an entry (date "{text}"); skipped',
                )
            )
            i += 1
            continue
        if looks_like_foreign_date(text):
            # A day header in another language (`8. Dez.`): the page's day is unknown.
            problems.append(Problem(source, number, f'cannot read the day header "{text}"'))
            return i + 1, page_day, True
        break
    return i, page_day, has_header


class _EntryReader:
    """Reads entries; remembers what each distinct date and author line reads as.

    A page repeats a few thousand date lines (`Dec 3`, `Nov 2, 2023 3`) and author lines
    (`• 9 authors`) over 100k entries, so each is matched once, not once per entry.
    """

    def __init__(self, lines: _Lines, page_day: date, source: str) -> None:
        self.texts = lines.texts
        self.numbers = lines.numbers
        self.page_day = page_day
        self.source = source
        self._dates: dict[str, tuple[date, int] | None | bool] = {}
        self._authors: dict[str, tuple[int | None, str | None]] = {}

    def date_line(self, text: str) -> tuple[date, int] | None | bool:
        """False: not date-shaped; None: date-shaped but unreadable; else (published, comments)."""
        try:
            return self._dates[text]
        except KeyError:
            pass
        result: tuple[date, int] | None | bool = False
        if looks_like_date_line(text):
            result = parse_date_line(text, self.page_day)
        elif looks_like_foreign_date(text):
            result = None  # a date in another language: the slot is there, unreadable
        self._dates[text] = result
        return result

    def author_line(self, text: str) -> tuple[int | None, str | None]:
        """(authors count, organisation); both None when the line is neither."""
        try:
            return self._authors[text]
        except KeyError:
            pass
        result: tuple[int | None, str | None] = (None, None)
        if match := _AUTHORS.match(text):
            result = (int(match.group(1)), None)
        elif len(text) <= _ORG_MAX and not text.endswith(".") and _LETTER.search(text):
            # An organisation has a name: `][34]` (link debris of a text-browser dump) is none.
            result = (None, _BULLET.sub("", text) or None)
        if len(self._authors) < 100_000:  # organisation names may all differ
            self._authors[text] = result
        return result

    def entry(
        self, start: int, dot: int, *, headless_first: bool
    ) -> tuple[ParsedPaper | None, Problem | None, int]:
        """Read the entry ending at the `·` line `dot`: (paper or None, problem or None, next start)."""
        after = self.texts[dot + 1] if dot + 1 < len(self.texts) else None
        # Consume the date line only when it is date-shaped (or a date in another language),
        # so a lost date line does not swallow the next entry's title.
        parsed = False if after is None else self.date_line(after)
        next_start = dot + 1 if parsed is False else dot + 2
        problem = self._problem(start, dot, after, parsed, headless_first)
        if problem is not None or parsed is None or parsed is False or parsed is True:
            return None, problem, next_start
        return self._paper(start, dot, parsed), None, next_start

    def _problem(
        self,
        start: int,
        dot: int,
        after: str | None,
        parsed: tuple[date, int] | None | bool,
        headless_first: bool,
    ) -> Problem | None:
        """Why the entry from `start` to the `·` line `dot` is not a paper; None when it is."""
        texts, numbers, source = self.texts, self.numbers, self.source
        if dot - 1 < start:
            return Problem(source, numbers[dot], 'a "·" line with no entry before it; skipped')
        if dot - 1 == start or _AUTHORS.match(texts[start]):
            # An author line where a title belongs: the entry before lost its `·` and date.
            where = start if dot - 1 > start else dot - 1
            message = f'"{short(texts[where])}" has no title before it; skipped'
            return Problem(source, numbers[where], message)
        title, line = texts[start], numbers[start]
        if headless_first and len(title) >= _PROSE_MIN and title[-1] in ".!?":
            message = "the copy starts in the middle of an entry (no title); skipped"
            return Problem(source, line, message)
        if self.author_line(texts[dot - 1]) == (None, None):
            message = f'entry "{short(title)}" has no author line before its "·"; skipped'
            return Problem(source, line, message)
        if parsed is False:
            found = f' (found "{short(after)}")' if after else ""
            message = f'entry "{short(title)}" has no date line after its "·"{found}; skipped'
            return Problem(source, line, message)
        if parsed is None:
            message = f'entry "{short(title)}" has a date that cannot be read: "{after}"; skipped'
            return Problem(source, line, message)
        return None

    def _paper(self, start: int, dot: int, dated: tuple[date, int]) -> ParsedPaper:
        """The paper of a complete entry: title, abstract, author line, `·`, date line."""
        texts = self.texts
        authors_count, organization = self.author_line(texts[dot - 1])
        # Each line is already clean_line'd (no newlines, no runs of spaces), so joining is enough.
        abstract = " ".join(texts[start + 1 : dot - 1])
        # Every URL extract_links finds has "://": most abstracts skip the regex scan.
        links = extract_links(abstract) if "://" in abstract else ()
        return ParsedPaper(
            title=texts[start],
            abstract=abstract,
            authors_count=authors_count,
            organization=organization,
            published=dated[0],
            upvotes=None,  # the plain copy never shows upvotes
            comments=dated[1],
            links=links,
            line=self.numbers[start],
        )


READER = Reader(
    NAME, "the plain browser copy of a listing (select all, copy, paste)", detect, parse
)


def parse_stream(
    blocks: Iterable[Iterable[str]], *, source: str, captured_on: date
) -> Iterator[ParseResult]:
    """`parse_lines` of a page read a block of lines at a time: one ParseResult per block.

    Each result holds the entries its block completed (an entry whose `·` line ends a block
    waits for the next block's first line, which may be its date), so memory follows the size
    of a block, not of the page. Together the results hold exactly what `parse_lines` returns
    for all the lines at once; the last one carries the end-of-page problems, and ParseError
    (not a Daily Papers page) comes at the end, as the whole page's first `·` is only then known
    to be missing.
    """
    texts: list[str] = []
    numbers: list[int] = []
    seen_lines = 0
    reader: _EntryReader | None = None
    start, page_day, has_header, any_dot, any_paper = 0, captured_on, False, False, False
    for block in _with_end(blocks):
        last = block is None
        if block is not None:
            cleaned = _cleaned(block)
            numbers.extend(compress(range(seen_lines + 1, seen_lines + len(cleaned) + 1), cleaned))
            texts.extend(filter(None, cleaned))
            seen_lines += len(cleaned)
        problems: list[Problem] = []
        lines = _Lines(texts, numbers)
        if reader is None:
            start, page_day, has_header = _read_header(lines, captured_on, source, problems)
            if start == len(texts) and not last:
                continue  # still in the header: read it again with the next block
            reader = _EntryReader(lines, page_day, source)
        reader.texts, reader.numbers = texts, numbers
        papers: list[ParsedPaper] = []
        for dot in _indexes(texts, DOT):
            any_dot = True
            if dot + 1 >= len(texts) and not last:
                break  # its date line, if any, is in the next block
            if dot < start:
                continue
            paper, problem, start = reader.entry(
                start, dot, headless_first=not has_header and not any_paper
            )
            if paper:
                papers.append(paper)
                any_paper = True
            if problem:
                problems.append(problem)
        if last:
            if not any_dot and not has_header:
                raise ParseError(f"{source} does not look like a Hugging Face Daily Papers page.")
            if start < len(texts):
                problems.append(
                    Problem(
                        source,
                        numbers[start],
                        f'entry "{short(texts[start])}" is cut off before its author and date '
                        "lines; skipped",
                    )
                )
        texts, numbers, start = texts[start:], numbers[start:], 0
        yield ParseResult(tuple(papers), tuple(problems), NAME)


class AsciiPrintable(list[str]):
    """A block of lines whose bytes hold no control character but LF (no C0 control, no DEL):
    its ASCII lines are printable without asking `str.isprintable`, a per-character lookup
    (a flag answers `isascii`). `db.parse` checks the bytes in one pass."""


def _cleaned(block: Iterable[str]) -> list[str]:
    """`clean_lines(block)`, faster for an `AsciiPrintable` block (the same lines)."""
    if not isinstance(block, AsciiPrintable):
        return clean_lines(block)
    return [
        stripped
        if (raw.isascii() or raw.isprintable()) and "  " not in (stripped := raw.strip())
        else clean_line(raw)
        for raw in block
    ]


def _with_end(blocks: Iterable[Iterable[str]]) -> Iterator[Iterable[str] | None]:
    """The blocks, then None for the end of the page."""
    yield from blocks
    yield None
