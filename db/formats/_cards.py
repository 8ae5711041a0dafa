"""The listing cards shared by the link-carrying renderings (markdown, text browsers, HTML).

Each rendering module turns its text into `Line`s: the visible text of one source line, with
the links on it as `Link`s (text, URL). From there one reader (`read_listing`) finds the cards
of a listing or search page, whatever the link syntax was:

    [12](…/login?next=%2Fpapers%2F<id>)        upvotes (`-` = 0), before the title
    ### [Title](…/papers/<id>)                 the title, carrying the arXiv id
    Abstract paragraph(s)
    ![](avatar) … 9 authors | [Org](…/<org>)   author count or organisation
    ·
    Nov 2, 2023[3](…/papers/<id>#community)    date, then the COMMENT count

Reading links instead of line positions is what lets these renderings say more than the plain
copy (arXiv id, upvotes) and never confuse the number before the title with the one after the
date.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date

from papershelf.db.formats.common import DATE_LINE, extract_links, github_repo, resolve_date, short
from papershelf.db.models import ParsedPaper, ParseResult, Problem
from papershelf.db.text import clean_line, clean_text


@dataclass(frozen=True, slots=True)
class Link:
    """A link as a rendering showed it; `url` is None when a reference could not be resolved."""

    text: str
    url: str | None
    image: bool = False


@dataclass(slots=True)
class Line:
    """One source line (or several joined where a link spanned them), as a person sees it."""

    number: int
    text: str  # visible text, links replaced by their text, images dropped
    links: list[Link] = field(default_factory=list)
    heading: int = 0  # markdown heading level, 0 when not a heading
    plain: str = ""  # the visible text outside links (dates and counts are read here)


# ---------------------------------------------------------------- URLs

ARXIV_ID = r"\d{4}\.\d{4,5}"
_HF = r"https?://(?:www\.)?huggingface\.co"
_PAPER = re.compile(rf"^{_HF}/papers/({ARXIV_ID})(?:v\d+)?/?(?:\?[^#]*)?$")
_COMMUNITY = re.compile(rf"^{_HF}/papers/({ARXIV_ID})(?:v\d+)?/?#community$")
_UPVOTE = re.compile(rf"^{_HF}/login\?next=%2Fpapers%2F({ARXIV_ID})", re.IGNORECASE)
_ARXIV = re.compile(rf"^https?://(?:www\.)?arxiv\.org/(?:abs|pdf)/({ARXIV_ID})", re.IGNORECASE)
_ORG = re.compile(rf"^{_HF}/([A-Za-z0-9][\w.-]*)/?$")
# HF site sections that look like `huggingface.co/<name>` but are not organisations.
_SITE_PAGES = {
    "papers",
    "login",
    "join",
    "models",
    "datasets",
    "spaces",
    "docs",
    "blog",
    "pricing",
    "settings",
    "collections",
    "posts",
    "learn",
    "enterprise",
    "chat",
    "new",
    "notifications",
    "privacy",
    "terms-of-service",
    "huggingface",
}


def absolute(url: str) -> str:
    """Site-relative links (`/papers/2311.01282`, kept by some clippers and saved pages) made whole."""
    url = url.strip().strip("<>")
    return "https://huggingface.co" + url if url.startswith("/") else url


def link_kind(link: Link) -> tuple[str, str | None]:
    """What a link is on a Daily Papers card: (kind, arXiv id or org name or None).

    Kinds: paper, upvote, community, arxiv, github, org, other.
    """
    url = link.url or ""
    for kind, pattern in (
        ("paper", _PAPER),
        ("community", _COMMUNITY),
        ("upvote", _UPVOTE),
        ("arxiv", _ARXIV),
    ):
        if match := pattern.match(url):
            return kind, match.group(1)
    if github_repo([url]) and not link.image:
        return "github", None
    match = _ORG.match(url)
    if match and match.group(1).lower() not in _SITE_PAGES and link.text and not link.image:
        return "org", match.group(1)
    return "other", None


# ---------------------------------------------------------------- small readers

_BULLETS = " ·•*-+"
_COUNT = re.compile(r"^(-|\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?k?)$", re.IGNORECASE)
_AUTHORS = re.compile(r"^(?:[•*·\-]\s*)*(\d{1,7})\s+authors?$", re.IGNORECASE)
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~<>\"' &$%=:;,?/@^])")


def count(text: str) -> int | None:
    """An upvote or comment count as shown: `12`, `1,234`, `1.2k`; `-` (none yet) is 0."""
    text = text.strip()
    if not _COUNT.match(text):
        return None
    if text == "-":
        return 0
    if text.lower().endswith("k"):
        return round(float(text[:-1]) * 1000)
    return int(text.replace(",", ""))


def authors_count(text: str) -> int | None:
    """`9 authors`, `• 1 authors` -> the count; anything else -> None."""
    match = _AUTHORS.match(text.strip())
    return int(match.group(1)) if match else None


def unescape_markdown(text: str) -> str:
    """Markdown backslash escapes (`\\_`, `\\[`, `\\ `) and HTML entities (`&amp;`) as the reader sees them."""
    return html.unescape(_MD_ESCAPE.sub(r"\1", text))


def matching_bracket(s: str, i: int, opening: str, closing: str) -> int | None:
    """The index of the bracket closing the one at `i`, skipping escapes and nested pairs.

    Nesting matters: titles carry brackets of their own (`[MASK] or …`, `O(n^2)`).
    """
    depth = 0
    j = i
    while j < len(s):
        char = s[j]
        if char == "\\":
            j += 2
            continue
        if char == opening:
            depth += 1
        elif char == closing:
            depth -= 1
            if depth == 0:
                return j
        j += 1
    return None


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


# A clipper's header often names the page: `URL Source: https://huggingface.co/papers/date/2025-12-08`.
_DAY_URL = re.compile(r"/papers/date/(\d{4}-\d{2}-\d{2})\b")


def page_day(lines: list[Line], captured_on: date, stop: int) -> date:
    """The page's own day: the first bare date line before line index `stop` (the first card).

    A yearless header (`Dec 8`) is the latest such day on or before the capture day; without a
    header the capture day itself anchors the paper dates.
    """
    for line in lines[:stop]:
        if match := _DAY_URL.search(line.text):
            try:
                return date.fromisoformat(match.group(1))
            except ValueError:
                pass  # `/papers/date/2025-13-45`: not a day, keep looking
        if not line.links and (found := date_of(line.text, captured_on)) and found[1] is None:
            return found[0]
    return captured_on


# ---------------------------------------------------------------- cards


@dataclass(slots=True)
class Card:
    """A card being read; `finish` turns it into a ParsedPaper once it is complete."""

    start: int  # line number where the card starts (its upvote link, else its title)
    title: str = ""
    title_line: int = 0
    arxiv_id: str | None = None
    upvotes: int | None = None
    abstract: list[str] = field(default_factory=list)
    hrefs: list[str] = field(default_factory=list)  # link targets inside the abstract
    authors_count: int | None = None
    organization: str | None = None
    github: str | None = None
    published: date | None = None
    comments: int | None = None

    def finish(self, *, comments_default: int | None) -> ParsedPaper:
        """The paper this card shows; `comments_default` where the card printed no count."""
        abstract = clean_text(" ".join(self.abstract))
        links = tuple(dict.fromkeys((*extract_links(abstract), *self.hrefs)))
        return ParsedPaper(
            title=self.title,
            abstract=abstract,
            arxiv_id=self.arxiv_id,
            authors_count=self.authors_count,
            organization=self.organization,
            published=self.published,
            upvotes=self.upvotes,
            comments=self.comments if self.comments is not None else comments_default,
            links=links,
            github=self.github or github_repo(links),
            line=self.title_line or self.start,
        )

    def cut_off(self, source: str, what: str) -> Problem:
        """The Problem for a card that ends before `what`."""
        if not self.title:
            return Problem(source, self.start, "an entry is cut off before its title; skipped")
        return Problem(
            source,
            self.title_line,
            f'entry "{short(self.title)}" is cut off before {what}; skipped',
        )


def title_text(line: Line) -> tuple[str, str | None] | None:
    """(title, arXiv id) when `line` carries a card title: a text link to a paper page."""
    for link in line.links:
        kind, ident = link_kind(link)
        if kind == "paper" and not link.image and clean_line(link.text):
            return clean_line(link.text), ident
    return None


def is_continuation(line: Line, title_line: Line, wrapped: bool) -> bool:
    """Whether `line` carries on a title that wrapped (heading lines, or a text browser's wrap)."""
    if title_line.heading:
        return line.heading == title_line.heading and title_text(line) is None
    return (
        wrapped
        and not line.links
        and DATE_LINE.match(line.text) is None
        and authors_count(line.text) is None
    )


def card_roles(lines: list[Line]) -> tuple[dict[int, int], dict[int, tuple[str, str | None]]]:
    """(line index -> upvotes, line index -> (title, arXiv id)) for the cards in `lines`.

    A dump cut before its reference list has links without targets; its cards are still read
    from their shape: a lone count link just before a linked title (or a heading) is the
    upvote button, that title the card's title (with no arXiv id to show).
    """
    upvotes: dict[int, int] = {}
    titles: dict[int, tuple[str, str | None]] = {}
    candidate: tuple[int, int] | None = None  # an unconfirmed count link without a target
    after_upvote = False
    for index, line in enumerate(lines):
        if not line.text:
            continue  # blank lines and thumbnails sit between the upvote button and the title
        found = title_text(line)
        if found is None and (line.heading or after_upvote):
            found = next(
                (
                    (clean_line(link.text), None)
                    for link in line.links
                    if link.url is None and link.text and count(link.text) is None
                ),
                None,
            )
        if found is not None:
            titles[index] = found
            if candidate is not None:
                upvotes.setdefault(*candidate)
            candidate, after_upvote = None, False
            continue
        candidate, after_upvote = None, False
        # Thumbnails may share the upvote button's line (saved HTML puts them together).
        texts = [link for link in line.links if not link.image]
        only_link = len(texts) == 1 and not line.plain.strip(_BULLETS)
        if not only_link or (value := count(texts[0].text)) is None:
            continue
        kind = link_kind(texts[0])[0]
        if kind == "upvote":
            upvotes[index], after_upvote = value, True
        elif texts[0].url is None:
            candidate, after_upvote = (index, value), True
    return upvotes, titles


def read_listing(
    lines: list[Line], *, source: str, captured_on: date, format: str, wrapped: bool = False
) -> ParseResult:
    """Read the cards of a listing or search page from `lines` (see the module docstring).

    `wrapped` says the rendering hard-wraps text, so a title may go on over the next lines.
    Comments are 0 when a complete card printed no count: the date slot is always shown.
    """
    upvotes, titles = card_roles(lines)
    first = min((*upvotes, *titles), default=len(lines))
    anchor = page_day(lines, captured_on, first)
    papers: list[ParsedPaper] = []
    problems: list[Problem] = []
    card: Card | None = None
    previous: Line | None = None  # the title line while a title may still be going on
    for index, line in enumerate(lines):
        if not line.text and not line.links:
            previous = None
            continue
        if previous is not None and card is not None and is_continuation(line, previous, wrapped):
            card.title = clean_line(f"{card.title} {line.text}")
            continue
        previous = None
        kinds = {link_kind(link)[0]: link for link in line.links}
        if index in upvotes:
            if card is not None:
                problems.append(card.cut_off(source, "its date line"))
            card = Card(start=line.number, upvotes=upvotes[index])
            continue
        if index in titles:
            if card is not None and card.title:
                problems.append(card.cut_off(source, "its date line"))
                card = None
            card = card or Card(start=line.number)
            card.title, card.arxiv_id = titles[index]
            card.title_line = line.number
            previous = line
            continue
        if card is None:
            if index > first and (authors_count(line.text) is not None or "community" in kinds):
                # Before the first title nothing belongs to a card; later a lone author or
                # comment line is an entry whose title was lost.
                problems.append(Problem(source, line.number, "an entry has no title; skipped"))
            elif index < first and "community" in kinds:
                problems.append(
                    Problem(
                        source, line.number, "the copy starts in the middle of an entry; skipped"
                    )
                )
            continue
        if not card.title:
            continue  # thumbnails and alt text between the upvote link and the title
        community = kinds.get("community")
        if community is None:
            # Without a reference list, a count link on a date line can only be the comments.
            community = next(
                (link for link in line.links if link.url is None and count(link.text) is not None),
                None,
            )
        # When a whole line is one link (URLs on their own lines), its date is in the link text.
        dated = date_of(line.plain, anchor) or (date_of(line.text, anchor) if community else None)
        if dated is not None:
            card.published = dated[0]
            shown = count(community.text) if community is not None else None
            # `Nov 2, 2023[3](…#community)`, or the plain copy's `Nov 2, 2023 3`.
            card.comments = shown if shown is not None else dated[1]
            papers.append(card.finish(comments_default=0))
            card = None
            continue
        if (n := authors_count(line.text)) is not None:
            card.authors_count = n
        elif "github" in kinds and kinds["github"].text.lower().startswith("github"):
            card.github = github_repo([kinds["github"].url or ""])
        elif _only_links(line) and (org := _organization(line)) is not None:
            card.organization = org
        elif not line.text.strip(_BULLETS):
            pass  # the `·` separator, or a (bulleted) line of avatar images
        elif card.authors_count is None and card.organization is None:
            if wrapped and card.abstract and re.search(r"\w-$", card.abstract[-1]):
                # A hard wrap after a hyphen (`GEMM-` / `based`) is one word, not two.
                card.abstract[-1] += line.text
            else:
                card.abstract.append(line.text)
            card.hrefs.extend(
                link.url
                for link in line.links
                if link.url and not link.image and link.url.startswith("http")
            )
    if card is not None:
        what = "its author and date lines" if card.title else "its title"
        problems.append(card.cut_off(source, what))
    return ParseResult(tuple(papers), tuple(problems), format)


def _organization(line: Line) -> str | None:
    """The organisation a card names with a link to its HF page (or a link without a target)."""
    for link in line.links:
        kind = link_kind(link)[0]
        if kind == "org" or (link.url is None and link.text and count(link.text) is None):
            return clean_line(link.text)
    return None


def _only_links(line: Line) -> bool:
    """True when nothing but links (and separators) is on the line: an org link, not prose."""
    return not line.plain.strip(_BULLETS)
