"""`R`: today's Daily Papers from Hugging Face, fetched and merged in a thread worker.

Mixed into the App like `LibraryWorkers`. The worker fetches the whole list, then merges it with
one `Store.import_papers` (one transaction, one undo step, exactly like `papershelf fetch`); the
status line says what it is doing, and a failure is one line there that changed nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import work
from textual.binding import Binding
from textual.message import Message
from textual.worker import get_current_worker

from papershelf.db.models import ImportReport
from papershelf.db.store import StoreError

if TYPE_CHECKING:
    from textual.app import App

    from papershelf.tui.library import Library

    _AppBase = App[None]
else:
    _AppBase = object

FETCH_GROUP = "fetch"
FETCH_BINDINGS = [
    Binding(
        "R",
        "fetch_today",
        "Fetch today",
        show=False,
        id="fetch_today",
        tooltip="Fetch today's Daily Papers from Hugging Face",
    ),
]


@dataclass
class FetchProgress(Message):
    """What the fetch is doing now, for the status line."""

    activity: str


@dataclass
class FetchDone(Message):
    """The fetch ended: `report` of the merge (None: nothing to merge), and what to say."""

    report: ImportReport | None
    message: str


@dataclass
class FetchFailed(Message):
    """The fetch failed and changed nothing; `message` is one sentence."""

    message: str


class FetchActions(_AppBase):
    """The `R` key; needs `library`, `set_status`, `reload` and `_version` from the App."""

    library: Library
    _version: int | None

    if TYPE_CHECKING:

        def set_status(self, **changes: object) -> None: ...

        def reload(self, refresh: bool = False) -> None: ...

    def action_fetch_today(self) -> None:
        if self.library.store.readonly:
            self.notify("The library is open read-only: nothing can be fetched into it.")
            return
        if any(w.group == FETCH_GROUP and w.is_running for w in self.workers):
            self.notify("Already fetching today's list.", markup=False)
            return
        self.set_status(activity="fetching today's Daily Papers…")
        self.fetch_today()

    @work(thread=True, exclusive=True, group=FETCH_GROUP, exit_on_error=False)
    def fetch_today(self) -> None:
        """Fetch today's list (UTC) and merge it; the outcome comes back as a message."""
        from papershelf.db import fetched
        from papershelf.db.fetch import Client, FetchError, today_utc

        today = today_utc()
        try:
            listing = Client().daily(day=today)
            if get_current_worker().is_cancelled:
                return
            if not listing.papers:
                self.post_message(FetchDone(None, f"Today's list ({today}, UTC) is still empty."))
                return
            count = len(listing.papers)
            self.post_message(FetchProgress(f"merging {count} papers…"))
            store = self.library.store
            report = store.import_papers(
                listing.papers,
                source=fetched.source([today], today),
                captured_on=today,
                format=fetched.FORMAT,
            )
            store.index_pending()
        except (FetchError, StoreError) as error:
            self.post_message(FetchFailed(str(error)))
            return
        self._version = self.library.data_version()  # our own commit: no second reload
        said = (
            f"Fetched today's list: {report.new} new, {report.updated} updated, "
            f"{report.unchanged} unchanged."
        )
        self.post_message(FetchDone(report, said))

    def on_fetch_progress(self, message: FetchProgress) -> None:
        self.set_status(activity=message.activity)

    def on_fetch_done(self, message: FetchDone) -> None:
        self.set_status(activity="")
        self.notify(message.message, markup=False)
        if message.report is not None and (message.report.new or message.report.updated):
            self.reload()

    def on_fetch_failed(self, message: FetchFailed) -> None:
        # In the activity slot, not the query error one: the next search must not wipe it.
        self.set_status(activity=f"fetch failed: {message.message}")
