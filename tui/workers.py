"""The app's thread workers: every blocking Store/Searcher call, results posted as messages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.worker import get_current_worker

from papershelf.db.models import ActionResult
from papershelf.db.store import StoreError
from papershelf.tui import messages as m
from papershelf.tui.library import Found, Library
from papershelf.tui.screens.tag_dialog import TagEdit

if TYPE_CHECKING:
    from textual.app import App

    from papershelf.tui.widgets.paper_list import PaperList

    _AppBase = App[None]
else:
    _AppBase = object

FIRST_PAGE = 120  # rows loaded with every result: more than one screen, cheap to fetch
PAINT_WAIT = 0.25  # s: the longest the full search waits for the first screen to be drawn


class LibraryWorkers(_AppBase):
    """Mixed into the App, which provides the attributes declared here."""

    library: Library
    query_text: str
    sort: str
    _version: int | None

    if TYPE_CHECKING:

        @property
        def paper_list(self) -> PaperList: ...

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def run_search(self, *, keep: int | None = None, refresh: bool = False) -> None:
        """Search for the filter text: the first screen first, then the full list.

        A new filter (no paper to `keep`) paints its best rows from a limited search, which
        ranks far fewer papers, before the complete list arrives; the next keystroke cancels
        whatever is still running.
        """
        from papershelf.db.query import QueryError, SearchCancelled

        worker = get_current_worker()
        if self._version is None:  # what this first search sees: the poll compares with it
            self._version = self.library.data_version()
        text, sort = self.query_text, self.sort
        cancelled = lambda: worker.is_cancelled  # noqa: E731 - read by the Searcher between steps
        try:
            if keep is None:
                ids, query, total = self.library.search(
                    text, sort=sort, limit=FIRST_PAGE, cancelled=cancelled, refresh=refresh
                )
                found = Found(text, sort, ids, self.library.papers(ids), query, keep, total)
                done = m.SearchDone(found, partial=len(ids) < total)
                self.post_message(done)
                if len(ids) >= total:
                    return
                # The full search would take the GIL from the UI thread while it draws the first
                # screen (that cost up to 30 ms of a keystroke's repaint): wait for the paint.
                done.painted.wait(PAINT_WAIT)
                if worker.is_cancelled:
                    return
                refresh = False
            ids, query, total = self.library.search(
                text, sort=sort, cancelled=cancelled, refresh=refresh
            )
        except QueryError as error:
            self.post_message(m.SearchFailed(text, str(error), error.incomplete))
            return
        except SearchCancelled:
            return
        if worker.is_cancelled:
            return
        window = ids[:FIRST_PAGE]
        if keep is not None and keep not in window:
            try:
                at = ids.index(keep)
                window = window + ids[max(at - FIRST_PAGE // 2, 0) : at + FIRST_PAGE // 2]
            except ValueError:
                pass
        papers = self.library.papers(window)
        if not worker.is_cancelled:
            self.post_message(m.SearchDone(Found(text, sort, ids, papers, query, keep, total)))

    @work(thread=True, exclusive=True, group="warm", exit_on_error=False)
    def warm_index(self) -> None:
        """Load the search index behind the first paint."""
        self.library.warm()
        self.post_message(m.IndexReady())

    @work(thread=True, group="rows", exit_on_error=False)
    def load_papers(self, ids: tuple[int, ...]) -> None:
        """Load rows the list asked for."""
        self.post_message(m.PapersLoaded(self.library.papers(ids)))

    @work(thread=True, exclusive=True, group="counts", exit_on_error=False)
    def load_counts(self) -> None:
        """Totals and tags for the status line, tags panel and tag dialog."""
        total = self.library.count()
        unread = self.library.unread_count() if total else 0
        tags, groups = self.library.tag_counts(), self.library.tag_group_counts()
        self.post_message(m.Counts(total, unread, tags, groups))

    @work(thread=True, exclusive=True, group="poll", exit_on_error=False)
    def check_version(self) -> None:
        """Post LibraryChanged when anyone committed since the last look (LibraryReplaced when
        the file itself was swapped, by a restore say)."""
        if self.library.store.replaced():
            from papershelf.tui.reopen import LibraryReplaced

            self.post_message(LibraryReplaced())
            return
        version = self.library.data_version()
        if self._version is not None and version != self._version:
            self.post_message(m.LibraryChanged())
        self._version = version

    @work(thread=True, group="write", exit_on_error=False)
    def write(self, kind: str, ids: tuple[int, ...] = (), edit: TagEdit | None = None) -> None:
        """One user action against the store; the outcome comes back as `Changed`."""
        results: list[ActionResult | None]
        try:
            if kind == "read":
                results = [self.library.set_read(ids)]
            elif kind == "tag" and edit is not None:
                results = [self.library.edit_tags(ids, edit.add, edit.remove)]
            else:
                results = [self.library.undo()]
        except (StoreError, ValueError) as error:
            self.notify(str(error), severity="error", markup=False)
            return
        # Our own commit changes data_version too: absorb it, or the poll would reload again
        # what `Changed` is about to reload.
        self._version = self.library.data_version()
        self.post_message(m.Changed(results, "Nothing to undo." if kind == "undo" else ""))

    @work(thread=True, exclusive=True, group="jump", exit_on_error=False)
    def find_unread(self, step: int) -> None:
        """Find the next (step 1) or previous (-1) unread paper in the list."""
        worker = get_current_worker()
        ids = self.paper_list.ids
        index = self.library.find_unread(
            ids, self.paper_list.cursor, step, lambda: worker.is_cancelled
        )
        if not worker.is_cancelled:
            self.post_message(m.Jump(index, "next" if step > 0 else "previous"))
