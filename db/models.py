"""Frozen records shared by the parser, the store, the query engine and the UI.

Nothing here touches SQLite or the screen: these are the plain values that cross
the boundaries between `db.parse`, `db.store`, `db.query` and `tui`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True, slots=True)
class ParsedPaper:
    """One paper as a page rendering showed it, before it meets the library.

    `None` means "this rendering did not show it": upvotes are `None` on the plain
    browser copy, while `comments` is 0 on renderings that print comment counts and
    printed none. `line` is the 1-based line where the entry starts in its source.
    """

    title: str
    abstract: str = ""
    arxiv_id: str | None = None
    authors: tuple[str, ...] = ()
    authors_count: int | None = None
    organization: str | None = None
    published: date | None = None
    upvotes: int | None = None
    comments: int | None = None
    links: tuple[str, ...] = ()
    github: str | None = None
    ai_summary: str | None = None
    ai_keywords: tuple[str, ...] = ()
    project_page: str | None = None
    github_stars: int | None = None
    daily_day: date | None = None  # the day it was listed on Daily Papers
    submitter: str | None = None
    line: int = 0
    # Only papershelf's own JSON export carries the person's state; page renderings never do.
    tags: tuple[str, ...] = ()
    read_at: str | None = None
    note: str | None = None
    snoozed_until: str | None = None  # ISO date
    dismissed_at: str | None = None


@dataclass(frozen=True, slots=True)
class Problem:
    """Something in an input that could not be read, with where it is."""

    source: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.message}"


@dataclass(frozen=True, slots=True)
class ParseResult:
    """What a parser got out of one input: papers, problems and the format it detected."""

    papers: tuple[ParsedPaper, ...]
    problems: tuple[Problem, ...]
    format: str


@dataclass(frozen=True, slots=True)
class Paper:
    """A paper in the library, with the person's state (tags, read mark, note, snooze,
    dismissal) attached."""

    id: int
    arxiv_id: str | None
    title: str
    abstract: str
    authors: tuple[str, ...]
    authors_count: int | None
    organization: str | None
    published: str | None  # ISO date, YYYY-MM-DD
    upvotes: int | None
    comments: int | None
    links: tuple[str, ...]
    tags: tuple[str, ...]
    read: bool
    read_at: str | None
    added_at: str
    github: str | None = None
    ai_summary: str | None = None
    ai_keywords: tuple[str, ...] = ()
    project_page: str | None = None
    github_stars: int | None = None
    daily_day: str | None = None  # ISO date it was listed on Daily Papers
    submitter: str | None = None
    note: str | None = None
    snoozed_until: str | None = None  # ISO date
    dismissed_at: str | None = None

    @property
    def code_link(self) -> str | None:
        """The paper's code repository: the GitHub link if known, else the first GitHub URL."""
        if self.github:
            return self.github
        return next((u for u in self.links if "github.com/" in u), None)

    @property
    def page_url(self) -> str:
        """The paper's HF page when the arXiv id is known, else an arXiv title search."""
        from urllib.parse import quote_plus

        if self.arxiv_id:
            return f"https://huggingface.co/papers/{self.arxiv_id}"
        return f"https://arxiv.org/search/?query={quote_plus(self.title)}&searchtype=title"

    def to_json(self) -> dict[str, Any]:
        """The public JSON shape of `list --format json` (exactly these keys, in this order)."""
        return {
            "id": self.id,
            "arxiv_id": self.arxiv_id,
            "title": self.title,
            "abstract": self.abstract,
            "authors": list(self.authors),
            "authors_count": self.authors_count,
            "organization": self.organization,
            "published": self.published,
            "upvotes": self.upvotes,
            "comments": self.comments,
            "links": list(self.links),
            "tags": sorted(self.tags),
            "read": self.read,
            "read_at": self.read_at,
            "added_at": self.added_at,
            "github": self.github,
            "github_stars": self.github_stars,
            "project_page": self.project_page,
            "ai_summary": self.ai_summary,
            "ai_keywords": list(self.ai_keywords),
            "daily_day": self.daily_day,
            "submitter": self.submitter,
            "note": self.note,
            "snoozed_until": self.snoozed_until,
            "dismissed_at": self.dismissed_at,
        }


@dataclass(frozen=True, slots=True)
class ImportReport:
    """How an import changed the library."""

    new: int
    updated: int
    unchanged: int
    problems: tuple[Problem, ...] = ()
    format: str = ""

    @property
    def total(self) -> int:
        return self.new + self.updated + self.unchanged


@dataclass(frozen=True, slots=True)
class ActionResult:
    """The outcome of one user action: how many papers it changed and what to say about it."""

    changed: int
    message: str


@dataclass(frozen=True, slots=True)
class TagCount:
    """A tag with how many papers carry it and how many of those are unread."""

    name: str
    count: int
    unread: int


@dataclass(frozen=True, slots=True)
class Stats:
    """Library totals for `papershelf stats`."""

    total: int
    read: int
    unread: int
    tags: tuple[TagCount, ...]
    per_month: tuple[tuple[str, int], ...] = field(default=())
