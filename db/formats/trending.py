"""The trending page (`huggingface.co/papers/trending`), clipped to markdown or dumped by a text browser.

Its cards differ from the listing's: no comment counts and no yearless date slot, but

    Submitted by  ![](avatar)[akhaliq](…/akhaliq)       the submitter, not an author
    [Upvote 52](…/login?next=%2Fpapers%2F<id>)          upvotes
    ### [Title](…/papers/<id>)
    *   6 authors | [NVIDIA](…/nvidia)
    Abstract
    Published on Dec 3, 2025
    [GitHub 3.29k](https://github.com/o/r)[arXiv Page](https://arxiv.org/abs/<id>)

`3.29k` is the repository's star count, never upvotes. The page renders every card twice
(wide and narrow layouts), so cards are merged by paper: each paper once, fields filled from
whichever copy showed them.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date

from papershelf.db.formats import markdown, textbrowser
from papershelf.db.formats._cards import (
    Card,
    Line,
    authors_count,
    count,
    date_of,
    link_kind,
    title_text,
)
from papershelf.db.formats.common import ParseError, github_repo
from papershelf.db.models import ParsedPaper, ParseResult, Problem
from papershelf.db.text import clean_line, title_key

NAME = "trending"

_PUBLISHED = re.compile(r"^Published on\s+(.+)$", re.IGNORECASE)
_UPVOTE = re.compile(r"^Upvote\s*(\S+)?$", re.IGNORECASE)
_SUBMITTED = re.compile(r"^Submitted by\b", re.IGNORECASE)
_MARKERS = re.compile(
    r"^\s*(?:\[)?(?:Upvote(?:\s+[\d.,]+k?)?|Submitted by\b.*|Published on [A-Z][a-z]{2,8} \d)",
    re.MULTILINE,
)
_NOT_TEXT = re.compile(r"^\s*(?:<|\{|\[\s*[\[{\]\"])")


def detect(text: str) -> int:
    """85 when `Published on` and `Upvote`/`Submitted by` cards are there (above markdown's 75)."""
    if _NOT_TEXT.match(text):
        return 0
    # Exact pre-checks (`_MARKERS` is case-sensitive): a literal search is ~20x faster than
    # the multi-line pattern, which a plain copy of 128 MB would otherwise run through whole.
    if "Published on " not in text or ("Upvote" not in text and "Submitted by" not in text):
        return 0
    found: set[str] = set()
    for match in _MARKERS.finditer(text):
        found.add(match.group(0).lstrip(" [").split()[0].lower())
        if "published" in found and ({"upvote", "submitted"} & found):
            return 85
    return 0


def parse(text: str, *, source: str, captured_on: date) -> ParseResult:
    """Read a trending page; a card cut off before its date and upvotes becomes a Problem."""
    if markdown.detect(text):
        lines = markdown.to_lines(text)
    else:
        lines = textbrowser.to_lines(text)
    shows_comments = any(link_kind(l)[0] == "community" for line in lines for l in line.links)
    cards, problems = _read_cards(lines, captured_on, source)
    papers: dict[str, ParsedPaper] = {}
    cut: list[tuple[str, Card]] = []
    for card in cards:
        key = card.arxiv_id or title_key(card.title)
        if not card.title or card.published is None or card.upvotes is None:
            cut.append((key, card))
            continue
        paper = card.finish(comments_default=0 if shows_comments else None)
        papers[key] = _merge(papers[key], paper) if key in papers else paper
    for key, card in cut:
        # A cut copy of a card whose twin was complete lost nothing.
        if key not in papers:
            problems.append(card.cut_off(source, 'its "Published on" and "Upvote" lines'))
    if not papers and not problems:
        raise ParseError(f"{source} looks like a trending page but has no paper cards.")
    problems.sort(key=lambda problem: problem.line)
    return ParseResult(tuple(papers.values()), tuple(problems), NAME)


def _read_cards(
    lines: list[Line], captured_on: date, source: str
) -> tuple[list[Card], list[Problem]]:
    """Split the page into cards (complete or not) in page order."""
    cards: list[Card] = []
    problems: list[Problem] = []
    card: Card | None = None
    submitted = False  # between `Submitted by` and the title: the submitter's links
    pending_upvote = False  # `Upvote` on its own line, the count on the next one

    def start(number: int) -> Card:
        new = Card(start=number)
        cards.append(new)
        return new

    for line in lines:
        text = line.text
        if not text and not line.links:
            continue
        if pending_upvote and card is not None and (value := count(text)) is not None:
            card.upvotes, pending_upvote = value, False
            continue
        pending_upvote = False
        if _SUBMITTED.match(text):
            if card is None or card.title:
                card = start(line.number)
            submitted = True
            continue
        found = title_text(line)
        if found is not None and not text.lower().startswith("arxiv page"):
            if card is None or card.title:
                card = start(line.number)
            card.title, card.arxiv_id = found
            card.title_line, submitted = line.number, False
            continue
        if (upvote := _UPVOTE.match(text)) is not None:
            if card is None or (card.title and card.upvotes is not None):
                card = start(line.number)
            if upvote.group(1) is None:
                pending_upvote = True
            else:
                card.upvotes = count(upvote.group(1))
            continue
        if card is None or submitted:
            continue
        kinds = {link_kind(link)[0]: link for link in line.links}
        if (published := _PUBLISHED.match(text)) is not None:
            dated = date_of(published.group(1), captured_on)
            if dated is None:
                problems.append(Problem(source, line.number, f'cannot read the date "{text}"'))
            else:
                card.published = dated[0]
        if "github" in kinds and kinds["github"].text.lower().startswith("github"):
            card.github = github_repo([kinds["github"].url or ""])
        if "arxiv" in kinds and card.arxiv_id is None:
            card.arxiv_id = link_kind(kinds["arxiv"])[1]
        if "community" in kinds:
            card.comments = count(kinds["community"].text)
        if published or "github" in kinds or "arxiv" in kinds or "community" in kinds:
            continue
        if (n := authors_count(text)) is not None:
            card.authors_count = n
        elif "org" in kinds and not line.plain.strip(" ·•*-+"):
            card.organization = clean_line(kinds["org"].text)
        elif text.strip(" ·•*-+") and card.title and card.published is None:
            card.abstract.append(text)
            card.hrefs.extend(
                link.url
                for link in line.links
                if link.url and not link.image and link.url.startswith("http")
            )
    return cards, problems


def _merge(first: ParsedPaper, second: ParsedPaper) -> ParsedPaper:
    """`first`, with the fields it lacks taken from `second` (the other copy of the card)."""
    fill = {
        name: getattr(second, name)
        for name in ("abstract", "arxiv_id", "authors_count", "organization", "github", "links")
        if not getattr(first, name) and getattr(second, name)
    }
    return dataclasses.replace(first, **fill) if fill else first
