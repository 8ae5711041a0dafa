"""Messages the app's thread workers post back to the UI thread."""

from __future__ import annotations

import threading

from textual.message import Message

from papershelf.db.models import ActionResult, Paper, TagCount
from papershelf.tui.library import Found


class SearchDone(Message):
    """A search finished (`partial`: the quick first page; the full list follows once the app
    sets `painted`, after the first page is on screen)."""

    def __init__(self, found: Found, partial: bool = False) -> None:
        super().__init__()
        self.found = found
        self.partial = partial
        self.painted = threading.Event()


class SearchFailed(Message):
    """The query is malformed (`incomplete`: half-typed, keep the previous results)."""

    def __init__(self, text: str, message: str, incomplete: bool) -> None:
        super().__init__()
        self.text = text
        self.message = message
        self.incomplete = incomplete


class PapersLoaded(Message):
    """Rows the list asked for."""

    def __init__(self, papers: list[Paper]) -> None:
        super().__init__()
        self.papers = papers


class Counts(Message):
    """Library-wide totals and tags, for the status line, the panel and the tag dialog."""

    def __init__(
        self, total: int, unread: int, tags: list[TagCount], groups: dict[str, TagCount]
    ) -> None:
        super().__init__()
        self.total = total
        self.unread = unread
        self.tags = tags
        self.groups = groups  # `rl` of `rl/offline`: its papers, each counted once


class Changed(Message):
    """One of our own writes finished: say what it did and reload."""

    def __init__(self, results: list[ActionResult | None], empty_message: str = "") -> None:
        super().__init__()
        self.results = results
        self.empty_message = empty_message


class IndexReady(Message):
    """The search index is loaded (`Library.warm` finished)."""


class LibraryChanged(Message):
    """Somebody (another process, or us) committed to the library."""


class Jump(Message):
    """Move the cursor to row `index` (n/N found an unread paper), or say there is none."""

    def __init__(self, index: int | None, what: str) -> None:
        super().__init__()
        self.index = index
        self.what = what
