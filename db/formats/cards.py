"""The one card reader: listing, search and trending cards from any link-carrying rendering.

Every rendering of a papers page (markdown clips, text-browser dumps, the visible part of saved
HTML) becomes `Line`s (see `db.formats.lines`); this module reads the cards from those. A card
is found by its title: a heading at the page's title level, or a text link to a paper page.
The lines between two titles are split where the next card's head begins (its thumbnail,
`Submitted by`, its upvote button); everything above that is the previous card's tail. What
a card shows, in whatever order the rendering puts it:

    [12](…/login?next=%2Fpapers%2F<id>)  or  Upvote 52  or  [1.09k](…/papers/<id>)   upvotes
    Submitted by akhaliq                                             the submitter
    ### [Title](…/papers/<id>)  or  ### Title                         title (+ arXiv id)
    Abstract paragraph(s), perhaps one long link to the paper         abstract
    9 authors  |  [NVIDIA](…/nvidia)                                  authors or organisation
    Nov 2, 2023[3](…/papers/<id>#community)  or  Published on …       date, COMMENT count
    [GitHub 3.29k](https://github.com/o/r) [arXiv Page](…/abs/<id>)   repository and its stars

A number is upvotes or comments by its link (`#community` is comments; the login link or the
paper link is upvotes) or by its place (before the title: upvotes; after the date: comments),
never by its size. Cards repeated on a page (the trending page draws each twice) are merged.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from datetime import date

from papershelf.db.formats.card import (
    SUBMITTED,
    UPVOTE,
    Card,
    date_of,
    lone_count,
    read_head,
    read_tail,
)
from papershelf.db.formats.common import (
    DATE_LINE,
    short,
)
from papershelf.db.formats.lines import (
    BULLETS,
    Line,
    Link,
    arxiv_ids,
    authors_count,
    count,
    link_kind,
)
from papershelf.db.models import ParsedPaper, ParseResult, Problem
from papershelf.db.text import clean_line, title_key

_CHROME = re.compile(
    r"^(?:daily papers|trending papers|papers|web source|what is papers with code\??"
    r"|by\s*.* and the research community)$",
    re.IGNORECASE,
)
# A page names its own day in a link or a clipper's header: `…/papers/date/2025-12-08`.
_DAY_URL = re.compile(r"/papers/date/(\d{4}-\d{2}-\d{2})\b")
_OTHER_DAY = re.compile(r"^\W*(?:previous|prev|next|yesterday|tomorrow)\b", re.IGNORECASE)
# Titles are short; a longer link to a paper is an abstract shown as a link.
_TITLE_MAX = 400


def _page_day(header: list[Line], captured_on: date) -> tuple[date, date | None]:
    """(the day yearless dates resolve against, the Daily Papers day the page names or None).

    The page's own URL (`/papers/date/2026-04-17`, kept in a clipper's header) names the day
    exactly; else a bare day header (`Dec 8`) is the latest such day on or before capture.
    """
    for line in header:
        # The links to the day before and after (`[Previous](…/date/…)`) name other days.
        urls = (link.url or "" for link in line.links if not _OTHER_DAY.match(link.text))
        for candidate in (line.plain, *urls):
            if match := _DAY_URL.search(candidate):
                try:
                    day = date.fromisoformat(match.group(1))
                except ValueError:
                    continue  # `/papers/date/2025-13-45`: not a day
                return day, day
    for line in header:
        if not line.links and (found := date_of(line.text, captured_on)) and found[1] is None:
            return found[0], None
    return captured_on, None


# ---------------------------------------------------------------- finding titles


def _title_link(line: Line) -> tuple[str, str | None] | None:
    """(text, arXiv id) of the first text link on `line` that can be a title."""
    for link in line.links:
        kind, ident = link_kind(link)
        if kind == "paper" and _title_like(link.text) and not link.image:
            return link.text, ident
    return None


def _title_like(text: str) -> bool:
    return (
        bool(text)
        and len(text) <= _TITLE_MAX
        and count(text) is None
        and authors_count(text) is None
        and DATE_LINE.match(text) is None
        and not text.lower().startswith(("arxiv page", "upvote", "view paper"))
    )


def _title_level(lines: list[Line]) -> int:
    """The heading level of card titles: that of headings linking to papers, else the commonest."""
    linked: Counter[int] = Counter()
    other: Counter[int] = Counter()
    loose = False  # a title link outside any heading: titles are links, headings are chrome
    for line in lines:
        if line.heading and line.text and not _CHROME.match(line.text):
            (linked if _title_link(line) else other)[line.heading] += 1
        elif not line.heading and not loose:
            loose = _title_link(line) is not None
    levels = linked or (other if not loose else linked)
    return levels.most_common(1)[0][0] if levels else 0


def find_titles(lines: list[Line]) -> dict[int, tuple[str, str | None]]:
    """Line index -> (title, arXiv id or None) for every card title."""
    level = _title_level(lines)
    titles: dict[int, tuple[str, str | None]] = {}
    last_id: str | None = None
    after_count = False  # a lone count link just above: an upvote button
    for index, line in enumerate(lines):
        if not line.text:
            continue
        found: tuple[str, str | None] | None = None
        if level and line.heading == level and not _CHROME.match(line.text):
            linked = _title_link(line)
            found = (line.text, linked[1] if linked else None)
        elif not level:
            linked = _title_link(line)
            # A second link to the same paper is its abstract or author list, not a new card.
            if linked is not None and (linked[1] is None or linked[1] != last_id):
                found = linked
            elif after_count and not line.links:
                # A copy without links (the trending page's text): the line after the upvotes.
                found = (line.text, None)
            elif after_count:
                # A dump cut before its reference list: the link after an upvote button.
                found = next(
                    ((link.text, None) for link in line.links if _unresolved_title(link)), None
                )
        if found is not None and _title_like(found[0]):
            titles[index] = found
            last_id = found[1]
        after_count = lone_count(line) is not None and not any(
            link_kind(link)[0] == "community" for link in line.links
        )
    return titles


def _unresolved_title(link: Link) -> bool:
    return link.url is None and not link.image and _title_like(link.text)


# ---------------------------------------------------------------- splitting cards


def _is_head(lines: list[Line], j: int, this_id: str | None, prev_id: str | None) -> bool:
    """Whether line `j`, above a title, belongs to that title's card (its head)."""
    line = lines[j]
    if not line.text and not line.links:
        return True
    ids = arxiv_ids(line)
    if prev_id is not None and prev_id in ids:
        return False
    if SUBMITTED.match(line.text) or UPVOTE.match(line.text):
        return True
    if line.links and not line.text:
        return True  # thumbnails
    if ids and this_id is not None and ids <= {this_id} and not line.plain.strip(BULLETS):
        return not any(link_kind(link)[0] == "community" for link in line.links)
    if lone_count(line) is not None:
        return not any(link_kind(link)[0] == "community" for link in line.links)
    # The submitter's avatar and name, on the line below `Submitted by`.
    above = next((lines[k] for k in range(j - 1, -1, -1) if lines[k].text), None)
    submitted = SUBMITTED.match(above.text) if above is not None else None
    if submitted is None:
        return False
    return not submitted.group(1) or (bool(line.links) and not line.plain.strip(BULLETS))


def _heads(lines: list[Line], titles: dict[int, tuple[str, str | None]]) -> list[int]:
    """For each title in order, the index where its card's head starts."""
    starts: list[int] = []
    floor, prev_id = 0, None
    for index, (_, ident) in titles.items():
        j = index
        while j > floor and _is_head(lines, j - 1, ident, prev_id):
            j -= 1
        while j < index and not lines[j].text and not lines[j].links:
            j += 1  # blank lines open no card
        starts.append(j)
        floor, prev_id = index + 1, ident
    return starts


# ---------------------------------------------------------------- reading one card


def _continues_title(line: Line, title: Line, wrapped: bool) -> bool:
    """Whether `line`, right below a title, carries on that title (a wrapped heading or line)."""
    if line.heading:
        return line.heading == title.heading and _title_link(line) is None and bool(line.text)
    if line.links or not line.text or DATE_LINE.match(line.text) or authors_count(line.text):
        return False
    return wrapped or (bool(title.heading) and line.indented)


# ---------------------------------------------------------------- the page


def read_cards(
    lines: list[Line], *, source: str, captured_on: date, format: str, wrapped: bool = False
) -> ParseResult:
    """Read every card in `lines` (see the module docstring); cut-off cards become Problems.

    `wrapped` says the rendering hard-wraps text, so a title may go on over the next lines.
    """
    titles = find_titles(lines)
    if not titles:
        return ParseResult((), (), format)
    heads = _heads(lines, titles)
    anchor, daily_day = _page_day(lines[: heads[0]], captured_on)
    problems = _header_problems(lines[: heads[0]], source, anchor)
    cards = _cards(lines, titles, heads, anchor, wrapped)
    dated = any(card.published is not None for card in cards)
    shows_comments = any(card.comments is not None or card.listing_date for card in cards)
    papers: dict[str, ParsedPaper] = {}
    cut: list[tuple[str, Card]] = []
    for number, card in enumerate(cards):
        key = card.arxiv_id or (card.ids.most_common(1)[0][0] if card.ids else None)
        key = key or title_key(card.title)
        if not _complete(card, dated, last=number == len(cards) - 1):
            cut.append((key, card))
            continue
        paper = card.finish(comments_default=0 if shows_comments else None, daily_day=daily_day)
        papers[key] = _merge(papers[key], paper) if key in papers else paper
    for key, card in cut:
        if card.bad_date and key not in papers:
            message = (
                f'entry "{short(card.title)}" has a date that cannot be read: "{card.bad_date}"'
            )
            problems.append(Problem(source, card.title_line, message + "; skipped"))
        elif key not in papers:  # a cut copy of a card whose twin was complete lost nothing
            problems.append(card.cut_off(source, "its date line" if dated else "its details"))
    problems.sort(key=lambda problem: problem.line)
    return ParseResult(tuple(papers.values()), tuple(problems), format)


def _cards(
    lines: list[Line],
    titles: dict[int, tuple[str, str | None]],
    heads: list[int],
    anchor: date,
    wrapped: bool,
) -> list[Card]:
    cards: list[Card] = []
    indexes = list(titles)
    for k, index in enumerate(indexes):
        end = heads[k + 1] if k + 1 < len(indexes) else len(lines)
        card = Card(start=lines[heads[k]].number)
        card.title, card.arxiv_id = titles[index]
        card.title_line = lines[index].number
        card.ids.update(arxiv_ids(lines[index]))
        for link in lines[index].links:  # an upvote button on the title's own line
            if link_kind(link)[0] == "upvote" and (shown := count(link.text)) is not None:
                card.upvotes = shown
        read_head(card, lines[heads[k] : index])
        body = index + 1
        while body < end and _continues_title(lines[body], lines[index], wrapped):
            card.title = clean_line(f"{card.title} {lines[body].text}")
            body += 1
        read_tail(card, lines[body:end], anchor, wrapped)
        cards.append(card)
    return cards


def _complete(card: Card, dated: bool, *, last: bool) -> bool:
    """A card is complete with its date (on a page that shows dates), else with any detail.

    On a page without dates, the last card must also have reached its closing line, since
    a copy cut in its abstract looks like any other card so far.
    """
    if card.bad_date:
        return False
    if dated:
        return card.published is not None
    details = (
        card.authors_count is not None
        or card.organization is not None
        or card.upvotes is not None
        or card.comments is not None
        or card.github is not None
    )
    return details and (card.closed or not last or card.authors_count is not None)


def _header_problems(header: list[Line], source: str, anchor: date) -> list[Problem]:
    """A copy that starts inside an entry: a comment link or counted date before any title."""
    for line in header:
        community = any(link_kind(link)[0] == "community" for link in line.links)
        dated = date_of(line.plain, anchor)
        if community or (dated is not None and dated[1] is not None):
            message = "the copy starts in the middle of an entry; skipped"
            return [Problem(source, line.number, message)]
    return []


def _merge(first: ParsedPaper, second: ParsedPaper) -> ParsedPaper:
    """`first`, with the fields it lacks taken from `second` (another copy of the card)."""
    fill = {
        f.name: getattr(second, f.name)
        for f in dataclasses.fields(ParsedPaper)
        if f.name != "line" and getattr(first, f.name) in (None, "", ()) and getattr(second, f.name)
    }
    return dataclasses.replace(first, **fill) if fill else first
