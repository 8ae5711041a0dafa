"""The app's keys for looking at the library: similar papers, stats, upvote history, the sort
direction, the no-match message, and reading the detail pane or a paper full screen.

Mixed into the App (through `TriageActions`); what is slow (similarity, stats, snapshots) runs in
thread workers and comes back to the UI thread with `call_from_thread`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work

from papershelf.db.models import Paper
from papershelf.tui.widgets.status import sort_label

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

    from papershelf.tui.library import Library
    from papershelf.tui.widgets.paper_list import PaperList

    _AppBase = App[None]
else:
    _AppBase = object

INBOX_QUERY = "is:inbox"
SIMILAR_LIMIT = 20


class ViewActions(_AppBase):
    """Mixed into the App, which provides the attributes declared here."""

    library: Library
    sort: str
    run_search: Callable[..., Any]  # LibraryWorkers' search worker

    if TYPE_CHECKING:

        @property
        def paper_list(self) -> PaperList: ...

        def save(self, **changes: object) -> None: ...

        def set_status(self, **changes: object) -> None: ...

        def jump_to_paper(self, paper_id: int) -> None: ...

    # ------------------------------------------------------------------ similar papers
    def action_similar(self) -> None:
        paper = self.paper_list.current_paper
        if paper is None:
            self.dialog_settled()  # type: ignore[attr-defined]
            return
        self.notify("Looking for similar papers…", markup=False, timeout=2)
        self._similar_worker(paper)

    @work(thread=True, exclusive=True, group="similar", exit_on_error=False)
    def _similar_worker(self, paper: Paper) -> None:
        similar = self.library.store.similar(paper.id, SIMILAR_LIMIT)
        self.call_from_thread(self._show_similar, paper, similar)

    def _show_similar(self, paper: Paper, similar: list[tuple[Paper, float]]) -> None:
        from papershelf.tui.screens.similar import SimilarScreen

        def done(paper_id: int | None) -> None:
            if paper_id is not None:
                self.jump_to_paper(paper_id)

        self.push_screen(SimilarScreen(paper.title, similar), done)
        self.call_after_refresh(self.dialog_settled)  # type: ignore[attr-defined]

    # ------------------------------------------------------------------ stats
    def action_stats(self) -> None:
        self._stats_worker()

    @work(thread=True, exclusive=True, group="stats", exit_on_error=False)
    def _stats_worker(self) -> None:
        from papershelf.db.query import QueryError
        from papershelf.tui.screens.stats import LibraryStats, StatsScreen

        store = self.library.store
        try:
            inbox: int | None = self.library.search(INBOX_QUERY, sort="published", limit=1)[2]
        except QueryError:
            inbox = None
        stats = LibraryStats(
            store.count(), store.progress(date.today()), inbox, store.per_week(), store.tag_counts()
        )
        self.call_from_thread(self._show_stats, StatsScreen(stats))

    def _show_stats(self, screen: Screen[None]) -> None:
        self.push_screen(screen)
        self.call_after_refresh(self.dialog_settled)  # type: ignore[attr-defined]

    # ------------------------------------------------------------------ upvote history
    def load_history(self, paper: Paper | None) -> None:
        """Fill the detail pane's sparkline for `paper` (a paper seen by one import has none)."""
        if paper is not None and paper.upvotes is not None:
            self._history_worker(paper.id)

    @work(thread=True, exclusive=True, group="history", exit_on_error=False)
    def _history_worker(self, paper_id: int) -> None:
        from papershelf.tui.widgets.detail import DetailPane

        upvotes = [u for _day, u, _c in self.library.store.snapshots(paper_id) if u is not None]
        if len(upvotes) < 2:
            return

        def show() -> None:
            current = self.paper_list.current_paper
            if current is not None and current.id == paper_id:
                self.screen_stack[0].query_one(DetailPane).show_history(upvotes)

        self.call_from_thread(show)

    # ------------------------------------------------------------------ sorting
    def action_reverse_sort(self) -> None:
        """Flip the current sort (`-name` is the reverse order) and search again."""
        self.sort = self.sort[1:] if self.sort.startswith("-") else f"-{self.sort}"
        self.save(sort=self.sort)
        self.set_status(sort=self.sort, loading=True)
        self.notify(f"Sorted by {sort_label(self.sort)}", markup=False)
        self.run_search(keep=self.paper_list.current_id)

    # ------------------------------------------------------------------ empty results
    def show_no_match(self, text: str | None, error: str = "") -> None:
        """Say that nothing matches `text` (or why it cannot run) where the list and detail
        were; None puts the list back."""
        from textual.widgets import Static

        main = self.query_one("#main")
        main.set_class(text is not None, "-nomatch")
        if text is None:
            return
        message = Text(end="")
        if error:
            message.append("This filter cannot run:\n\n", "bold")
            message.append(error)
        else:
            message.append("No papers match ", "bold")
            message.append(text.strip() or "(everything)", "bold reverse")
            message.append(".")
            if text.strip() == INBOX_QUERY:
                message.append(
                    "\n\nThe inbox is empty: everything is read, tagged, snoozed or dismissed."
                )
        message.append(
            "\n\nEsc in the filter box (/) clears the filter; 1-9 apply saved filters.", "dim"
        )
        self.query_one("#nomatch", Static).update(message)

    # ------------------------------------------------------------------ reading
    def action_scroll_detail(self, lines: int) -> None:
        from papershelf.tui.widgets.detail import DetailPane

        detail = self.query_one(DetailPane)
        if not detail.display:
            detail.display = True
        detail.scroll_relative(y=lines, animate=False)

    def action_read_full(self) -> None:
        from papershelf.tui.screens.reader import ReaderScreen

        paper = self.paper_list.current_paper
        if paper is not None:
            self.push_screen(ReaderScreen(paper))
