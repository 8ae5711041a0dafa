"""One card's fields, read from its lines: what `db.formats.cards` found to be one paper.

A card has a head (above its title: thumbnail, `Submitted by`, the upvote button) and a tail
(below: abstract, authors or organisation, date and comment count, repository). Each reader
here fills a `Card` from the lines of one part; `Card.finish` makes the ParsedPaper.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from papershelf.db.formats.common import (
    DATE_LINE,
    extract_links,
    github_repo,
    looks_like_foreign_date,
    resolve_date,
    short,
)
from papershelf.db.formats.lines import (
    BULLETS,
    Line,
    arxiv_ids,
    authors_count,
    count,
    link_kind,
)
from papershelf.db.models import ParsedPaper, Problem
from papershelf.db.text import clean_line, clean_text

_PUBLISHED = re.compile(r"^Published on\s+(.+)$", re.IGNORECASE)
UPVOTE = re.compile(r"^Upvote\s*(\S+)?$", re.IGNORECASE)
SUBMITTED = re.compile(r"^Submitted by\b\s*(.*)$", re.IGNORECASE)
_STARS = re.compile(r"^(?:LINK:\s*)?GitHub\s*(\S+)?$", re.IGNORECASE)
_NAME_MAX = 100
_ORG_LINE_MAX = 60
_HYPHEN_END = re.compile(r"\w-$")
_ALT_TEXT = re.compile(r"^\[[^\]]*\]\s*")


# ---------------------------------------------------------------- dates


def date_of(text: str, anchor: date) -> tuple[date, int | None] | None:
    """`Nov 2, 2023`, `Mar 24 2` -> (date, trailing count or None); None when not a date."""
    match = DATE_LINE.match(clean_line(text))
    if not match:
        return None
    day = resolve_date(match.group("month"), match.group("day"), match.group("year"), anchor)
    if day is None:
        return None
    trailing = match.group("count")
    return day, int(trailing) if trailing is not None else None


# ---------------------------------------------------------------- cards


@dataclass(slots=True)
class Card:
    """A card being read; `finish` turns it into a ParsedPaper."""

    start: int  # line number where the card starts (its head, else its title)
    title: str = ""
    title_line: int = 0
    arxiv_id: str | None = None
    ids: Counter[str] = field(default_factory=Counter)  # ids its links point at
    upvotes: int | None = None
    abstract: list[str] = field(default_factory=list)
    hrefs: list[str] = field(default_factory=list)  # link targets inside the abstract
    authors_count: int | None = None
    organization: str | None = None
    github: str | None = None
    github_stars: int | None = None
    submitter: str | None = None
    published: date | None = None
    listing_date: bool = False  # a listing's date slot (not `Published on`) was shown
    comments: int | None = None
    bad_date: str = ""  # a date line this reader cannot read (another language)
    closed: bool = False  # a date, counts or repository line was read: the abstract is over

    def finish(self, *, comments_default: int | None, daily_day: date | None) -> ParsedPaper:
        """The paper this card shows; `comments_default` where the card printed no count."""
        abstract = clean_text(" ".join(self.abstract))
        links = tuple(dict.fromkeys((*extract_links(abstract), *self.hrefs)))
        arxiv_id = self.arxiv_id or (self.ids.most_common(1)[0][0] if self.ids else None)
        return ParsedPaper(
            title=self.title,
            abstract=abstract,
            arxiv_id=arxiv_id,
            authors_count=self.authors_count,
            organization=self.organization,
            published=self.published,
            upvotes=self.upvotes,
            comments=self.comments if self.comments is not None else comments_default,
            links=links,
            github=self.github or github_repo(self.hrefs),
            github_stars=self.github_stars,
            daily_day=daily_day,
            submitter=self.submitter,
            line=self.title_line or self.start,
        )

    def cut_off(self, source: str, what: str) -> Problem:
        """The Problem for a card that ends before `what`."""
        return Problem(
            source,
            self.title_line,
            f'entry "{short(self.title)}" is cut off before {what}; skipped',
        )


def lone_count(line: Line) -> int | None:
    """The count when `line` is one count link (or one count) and nothing else."""
    texts = [link for link in line.links if not link.image]
    if len(texts) == 1 and not line.plain.strip(BULLETS):
        return count(texts[0].text)
    if not line.links:
        return count(line.text)
    return None


def read_head(card: Card, head: list[Line]) -> None:
    pending_upvote = pending_submitter = False
    for line in head:
        if not line.text and not line.links:
            continue
        card.ids.update(arxiv_ids(line))
        if pending_submitter and line.text:
            card.submitter = clean_line(next((lk.text for lk in line.links if lk.text), line.text))
            pending_submitter = False
            continue
        if submitted := SUBMITTED.match(line.text):
            card.submitter = clean_line(submitted.group(1)) or None
            pending_submitter = card.submitter is None
            continue
        if upvote := UPVOTE.match(line.text):
            card.upvotes = count(upvote.group(1) or "")
            pending_upvote = upvote.group(1) is None
            continue
        lone = lone_count(line)
        if lone is not None and (pending_upvote or card.upvotes is None):
            card.upvotes, pending_upvote = lone, False


def read_tail(card: Card, tail: list[Line], anchor: date, wrapped: bool) -> None:
    """Abstract, authors or organisation, date and comments, repository: below the title."""
    linkless = not any(line.links for line in tail)
    for line in tail:
        if not line.text and not line.links:
            continue
        card.ids.update(arxiv_ids(line))
        if _read_date(card, line, anchor) or _read_links(card, line):
            card.closed = True
            continue
        text = line.text
        if (n := authors_count(text)) is not None:
            card.authors_count = n
        elif (org := _organization(line)) is not None:
            card.organization = org
        elif submitted := SUBMITTED.match(text):
            card.submitter = clean_line(submitted.group(1)) or card.submitter
        elif (upvote := UPVOTE.match(text)) and upvote.group(1):
            card.upvotes = count(upvote.group(1))
        elif not text.strip(BULLETS) or card.closed:
            continue  # the `·` separator, avatars, or what follows a card's last field
        else:
            if wrapped and card.abstract and _HYPHEN_END.search(card.abstract[-1]):
                card.abstract[-1] += text  # a hard wrap after a hyphen (`GEMM-` / `based`)
            else:
                card.abstract.append(text)
            card.hrefs.extend(
                link.url
                for link in line.links
                if link.url
                and not link.image
                and link.url.startswith("http")
                and link_kind(link)[0] not in ("paper", "community", "upvote")
            )
    if linkless and card.published and not card.listing_date:
        _organization_line(card)


def _organization_line(card: Card) -> None:
    """The trending page copied as text: a short line between title and summary is the org."""
    if card.authors_count is None and card.organization is None and len(card.abstract) >= 2:
        first = card.abstract[0]
        if _name_like(first) and len(first) <= _ORG_LINE_MAX:
            card.organization = card.abstract.pop(0)


def _read_date(card: Card, line: Line, anchor: date) -> bool:
    """Read a date line (`Nov 2, 2023[3](…)`, `Published on Dec 3`) into `card`."""
    community = next((lk for lk in line.links if link_kind(lk)[0] == "community"), None)
    if community is None:
        # Without a reference list, a count link on a date line can only be the comments.
        community = next(
            (lk for lk in line.links if lk.url is None and count(lk.text) is not None), None
        )
    if published := _PUBLISHED.match(line.plain or line.text):
        dated = date_of(published.group(1), anchor)
        if dated is None:
            return False
        card.published = dated[0]
        return True
    # When a whole line is one link (URLs on their own lines), its date is in the link text.
    dated = date_of(line.plain, anchor) or (date_of(line.text, anchor) if community else None)
    if dated is None:
        if looks_like_foreign_date(line.plain) and not card.bad_date:
            card.bad_date = line.plain  # a date in another language: unreadable, not prose
            return True
        return False
    card.published, card.listing_date = dated[0], True
    shown = count(community.text) if community is not None else None
    card.comments = shown if shown is not None else dated[1]
    return True


def _read_links(card: Card, line: Line) -> bool:
    """Counts, repository and arXiv links on a line of links only; True when there were some."""
    if line.plain.strip(BULLETS) or not line.links:
        return False
    found = False
    for link in line.links:
        if link.image:
            continue
        kind, ident = link_kind(link)
        shown = count(link.text)
        if kind == "community" and shown is not None:
            card.comments, found = shown, True
        elif kind in ("paper", "upvote") and shown is not None:
            card.upvotes, found = shown, True
        elif (upvote := UPVOTE.match(link.text)) and upvote.group(1):
            card.upvotes, found = count(upvote.group(1)), True
        elif kind == "github" and (_STARS.match(link.text) or _name_like(link.text)):
            card.github = card.github or github_repo([link.url or ""])
            if (stars := _STARS.match(link.text)) and stars.group(1):
                card.github_stars = count(stars.group(1))
            found = True
        elif kind == "arxiv":
            card.arxiv_id = card.arxiv_id or ident
            found = True
    return found


def _organization(line: Line) -> str | None:
    """The organisation a links-only line names (its HF page link, or a link without target)."""
    if line.plain.strip(BULLETS):
        return None
    for link in line.links:
        kind = link_kind(link)[0]
        if kind == "org" or (link.url is None and _name_like(link.text)):
            # A text browser shows the logo as its alt text in brackets: `[microsoft] Microsoft`.
            return clean_line(_ALT_TEXT.sub("", link.text)) or clean_line(link.text)
    return None


def _name_like(text: str) -> bool:
    """Short, not a count, not a sentence: an organisation's name rather than an abstract."""
    return 0 < len(text) <= _NAME_MAX and count(text) is None and not text.endswith(".")
