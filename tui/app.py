"""The papershelf app: filter as you type, tag, mark read, undo — over one Store.

The app never waits on SQLite: every Store/Searcher call runs in a thread worker
(`tui.library.Library`), and results come back as messages (`tui.messages`). The list draws
only the visible rows; the first screen comes from one quick limited search, the full result
follows. A timer polls `data_version` so changes made by other processes show up.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import replace
from functools import partial, wraps
from pathlib import Path
from typing import Any, TypeVar

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from papershelf.db.models import Paper, TagCount
from papershelf.db.store import Store
from papershelf.db.tags import tag_name
from papershelf.tui import messages as m
from papershelf.tui import terminal
from papershelf.tui.commands import ActionProvider, PaperProvider
from papershelf.tui.config import (
    Config,
    default_config_path,
    legacy_settings_path,
    load_config,
    migrate_legacy,
    save_config,
)
from papershelf.tui.fetching import FETCH_BINDINGS, FetchActions
from papershelf.tui.keys import KeyRouting
from papershelf.tui.library import Library
from papershelf.tui.reopen import Reopening
from papershelf.tui.screens.help import HelpScreen
from papershelf.tui.screens.saved_filters import SavedFiltersScreen
from papershelf.tui.screens.tag_dialog import TagDialog, TagEdit
from papershelf.tui.settings import (
    SORTS,
    SavedFilter,
    Settings,
    default_settings_path,
    load_settings,
    save_settings,
)
from papershelf.tui.triage import PAPER_ACTIONS, TRIAGE_ACTIONS, TRIAGE_BINDINGS, TriageActions
from papershelf.tui.undo import UNDO_BINDINGS, WRITE_ACTIONS, UndoRedo
from papershelf.tui.widgets.detail import DetailPane
from papershelf.tui.widgets.filter_input import FilterInput
from papershelf.tui.widgets.footer import KeyBar
from papershelf.tui.widgets.paper_list import PaperList
from papershelf.tui.widgets.status import Status, StatusLine
from papershelf.tui.widgets.tags_panel import TagsPanel
from papershelf.tui.workers import LibraryWorkers

_M = TypeVar("_M")


def _while_running(handler: Callable[[Any, _M], None]) -> Callable[[Any, _M], None]:
    """A worker's answer that arrives while the app shuts down finds its widgets gone: drop it."""

    @wraps(handler)
    def handle(app: Any, message: _M) -> None:
        if app.is_running:
            handler(app, message)

    return handle


POLL_SECONDS = 1.0
TERMINAL_LOST = 129  # the exit status of a process ended by SIGHUP, as a shell reports it
DETAIL_DELAY = 0.15  # s: while typing a filter, the detail pane waits for a pause this long
EMPTY_TEXT = (
    "Your library is empty.\n\n"
    "Press R to fetch today's Daily Papers from Hugging Face, or in a shell:\n\n"
    "    papershelf fetch --since 2026-07-01   (every day since then)\n\n"
    "Or import a Daily Papers page (copy the page from your browser, save it as a file):\n\n"
    "    papershelf import PAGE.txt\n\n"
    "or try papershelf on the bundled sample:  papershelf demo\n\n"
    "This screen picks up the import by itself."
)


class PapershelfApp(
    KeyRouting, UndoRedo, Reopening, TriageActions, FetchActions, LibraryWorkers, App[None]
):
    """Browse, filter, tag and triage the papers of one library."""

    CSS_PATH = "app.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (90, "-wide")]  # app.tcss narrows the tags panel
    TITLE = "papershelf"
    COMMANDS = App.COMMANDS | {PaperProvider, ActionProvider}
    BINDINGS = [
        Binding(
            "slash",
            "focus_filter",
            "Filter",
            key_display="/",
            id="focus_filter",
            tooltip="Type a query; Enter goes to the list, Esc clears",
        ),
        Binding(
            "r",
            "toggle_read",
            "Read",
            id="toggle_read",
            tooltip="Mark read/unread (the selection, else the highlighted paper)",
        ),
        Binding(
            "t",
            "tag",
            "Tag",
            id="tag",
            tooltip="Add tags (-tag removes) to the selection, else the highlighted paper",
        ),
        *UNDO_BINDINGS,
        Binding(
            "question_mark,f1", "help", "Help", key_display="?", id="help", tooltip="Show every key"
        ),
        Binding("q", "quit", "Quit", id="quit", tooltip="Quit papershelf"),
        Binding(
            "n",
            "next_unread",
            "Next unread",
            show=False,
            id="next_unread",
            tooltip="Jump to the next unread paper",
        ),
        Binding(
            "N",
            "next_unread(-1)",
            "Previous unread",
            show=False,
            id="previous_unread",
            tooltip="Jump to the previous unread paper",
        ),
        Binding(
            "s",
            "cycle_sort",
            "Sort",
            show=False,
            id="cycle_sort",
            tooltip="Cycle the sort: " + ", ".join(SORTS),
        ),
        Binding(
            "o",
            "open",
            "Open",
            show=False,
            id="open",
            tooltip="Open the paper's page in the browser",
        ),
        Binding(
            "c",
            "open_code",
            "Code",
            show=False,
            id="open_code",
            tooltip="Open the paper's code repository",
        ),
        Binding(
            "y",
            "copy",
            "Copy",
            show=False,
            id="copy",
            tooltip="Copy the title and link to the clipboard",
        ),
        Binding(
            "T",
            "toggle_tags",
            "Tags panel",
            show=False,
            id="toggle_tags",
            tooltip="Show or hide the tags panel",
        ),
        Binding(
            "d",
            "toggle_detail",
            "Detail pane",
            show=False,
            id="toggle_detail",
            tooltip="Show or hide the detail pane",
        ),
        Binding(
            "F",
            "edit_filters",
            "Edit saved filters",
            show=False,
            id="edit_filters",
            tooltip="Edit the saved filters on 1-9",
        ),
        *[
            Binding(
                str(n),
                f"saved_filter({n})",
                f"Saved filter {n}",
                show=False,
                id=f"saved_filter_{n}",
                tooltip=f"Apply saved filter {n}",
            )
            for n in range(1, 10)
        ],
        *TRIAGE_BINDINGS,
        *FETCH_BINDINGS,
    ]

    def __init__(
        self,
        store: Store,
        *,
        demo: bool = False,
        settings_path: Path | None = None,
        config_path: Path | None = None,
    ):
        super().__init__()
        self.library = Library(store)
        self.demo = demo
        self.settings_path = Path(settings_path) if settings_path else default_settings_path()
        self.config_path = Path(config_path) if config_path else default_config_path()
        self.migrated: str | None = None
        if not demo and settings_path is None and config_path is None:
            self.migrated = migrate_legacy(
                legacy_settings_path(), self.settings_path, self.config_path
            )
        self.settings: Settings = load_settings(self.settings_path)
        loaded = load_config(
            self.config_path, [b.id for b in self.BINDINGS if isinstance(b, Binding) and b.id]
        )
        self.config: Config = loaded.config
        self.config_problems = loaded.problems
        self.set_keymap(dict(self.config.keys))
        self.sort = self.config.sort or self.settings.sort
        self.status = Status(sort=self.sort, demo=demo, readonly=store.readonly)
        self.tag_counts: list[TagCount] = []
        self.query_text = ""
        self._version: int | None = None
        self._painted = False
        self.list_text: str | None = None
        self._paper_list: PaperList | None = None
        self._partial: tuple[str, str] | None = None  # (text, sort) of a first page on screen
        self._binding_state: tuple[bool | None, ...] = ()
        self._detail_next: Paper | None = None  # what the detail pane shows after the next frame
        self._detail_scheduled = False
        self._detail_timer: Timer | None = None

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        yield FilterInput(id="filter")
        with Horizontal(id="body"):
            yield TagsPanel(id="tags")
            with Vertical(id="main"):
                yield PaperList(id="papers")
                yield Static(Text(EMPTY_TEXT), id="empty", markup=False)
                yield Static("", id="nomatch", markup=False)
                yield DetailPane(id="detail")
        yield StatusLine(id="status")
        yield KeyBar()

    @property
    def paper_list(self) -> PaperList:
        """The list widget (on the main screen, also while a dialog is open over it)."""
        found = self._paper_list
        if found is None or not found.is_attached:
            found = self._paper_list = self.screen_stack[0].query_one(PaperList)
        return found

    def filter_box(self) -> FilterInput:
        """The filter box on the main screen."""
        return self.screen_stack[0].query_one(FilterInput)

    def on_mount(self) -> None:
        theme = self.config.theme or self.settings.theme
        if theme in self.available_themes:
            self.theme = theme
        elif self.config.theme:
            self.notify(f"Unknown theme {theme!r} in the config.", severity="warning", markup=False)
        if self.migrated:
            self.notify(self.migrated, markup=False)
        for problem in self.config_problems:
            self.notify(f"{self.config_path}: {problem}", severity="warning", markup=False)
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self.sub_title = "demo library" if self.demo else str(self.library.store.path)
        self.query_one("#tags").display = self.settings.show_tags
        self.query_one("#detail").display = self.settings.show_detail
        self.query_one("#status", StatusLine).show(self.status.but(loading=True))
        self.paper_list.focus()
        self.run_search()
        self.set_interval(POLL_SECONDS, self.check_version)
        if not self.is_headless:  # also when the terminal went before the app was up
            self.set_interval(POLL_SECONDS, self._check_terminal)

    def _check_terminal(self) -> None:
        if not terminal.attached():
            self.exit(return_code=TERMINAL_LOST)

    def _theme_changed(self, theme: object) -> None:
        self.save(theme=self.theme)

    def save(self, **changes: Any) -> None:
        """Change and persist app state (never in the demo); failing to write it is not fatal."""
        self.settings = replace(self.settings, **changes)
        if self.demo:
            return
        try:
            save_settings(self.settings_path, self.settings)
        except OSError as error:
            self.notify(f"Could not save settings: {error}", severity="warning", markup=False)

    def set_status(self, **changes: object) -> None:
        """Update the status line."""
        self.status = self.status.but(**changes)
        self.query_one("#status", StatusLine).show(self.status)

    # ------------------------------------------------------------------ worker results
    @_while_running
    def on_search_done(self, message: m.SearchDone) -> None:
        found = message.found
        if message.partial:
            self.call_after_refresh(message.painted.set)  # the worker's full search may go on
        if found.text != self.query_text or found.sort != self.sort:
            return  # an older search that finished after a newer one started
        from papershelf.db.query import highlight_spans

        query = found.query
        has_terms = bool(found.text.strip())
        highlighter = partial(highlight_spans, query) if has_terms and query is not None else None
        keep = found.keep
        if self._partial == (found.text, found.sort):
            keep = self.paper_list.current_id  # the full list: stay where the first page was left
        elif keep is not None and found.text == self.list_text:
            # A reload of what the list shows keeps the paper under the cursor now: keys may
            # have moved it while the search ran.
            keep = self.paper_list.current_id
        self._partial = (found.text, found.sort) if message.partial else None
        self.list_text = found.text  # the filter text the list now shows (first page or all)
        self.paper_list.set_results(found.ids, found.papers, highlighter=highlighter, keep=keep)
        self.set_status(shown=found.total, loading=message.partial, error="")
        self.show_no_match(found.text if found.total == 0 else None)
        if found.text == self.filter_box().value:
            self.results_shown()
        if not self._painted:  # counts come after the first paint, never before it
            self._painted = True
            self.load_counts()
            self.warm_index()
        self.refresh_bindings_if_changed()

    @_while_running
    def on_search_failed(self, message: m.SearchFailed) -> None:
        if message.text == self.filter_box().value:
            self.results_shown()
        if message.text == self.query_text:
            self.set_status(loading=False, error="" if message.incomplete else message.message)
            if not message.incomplete:  # never leave the previous results under an error
                self.show_no_match(message.text, message.message)

    @_while_running
    def on_papers_loaded(self, message: m.PapersLoaded) -> None:
        self.paper_list.update_papers(message.papers)

    @_while_running
    def on_counts(self, message: m.Counts) -> None:
        self.tag_counts = message.tags
        was_empty = self.query_one("#main").has_class("-empty")
        self.query_one("#main").set_class(message.total == 0, "-empty")
        self.refocus_list(filled=was_empty and message.total > 0)
        self.query_one(TagsPanel).show_tags(message.tags, message.groups)
        self.set_status(total=message.total, unread=message.unread)
        self.count_inbox()
        self.refresh_bindings_if_changed()

    @_while_running
    def on_changed(self, message: m.Changed) -> None:
        said = [r.message for r in message.results if r is not None]
        self.notify(" ".join(said) or message.empty_message, markup=False)
        if any(r is not None and r.changed for r in message.results):
            self.reload()  # the selection stays: tag it, then mark it read; Esc clears it

    def on_index_ready(self, message: m.IndexReady) -> None:
        # Everything alive now (the loaded modules, the widget tree, the search index) lives
        # as long as the app: move it out of the cyclic garbage collector's sight. Without
        # this, every full collection walked ~100k objects and froze the UI for 50-70 ms,
        # which was most of the slowest keystrokes at 100k papers. (Reference counting still
        # frees these objects; only cycles among them would wait.)
        gc.freeze()

    @_while_running
    def on_library_changed(self, message: m.LibraryChanged) -> None:
        # No forced Searcher.refresh(): every search already compares data_version and reloads
        # only what changed; refresh() would reload the whole vocabulary (~0.6 s at 100k) for
        # every tag a CLI adds.
        self.reload()

    @_while_running
    def on_jump(self, message: m.Jump) -> None:
        if message.index is None:
            self.notify(f"No {message.what} unread paper in this list.", markup=False)
        else:
            self.paper_list.move_cursor(message.index)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker that failed says so in one sentence instead of leaving a silent spinner."""
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            self.set_status(loading=False, error=f"{event.worker.group} failed: {error}")
            self.notify(
                f"Something went wrong ({event.worker.group}): {error}",
                severity="error",
                markup=False,
            )

    def reload(self, refresh: bool = False) -> None:
        """Re-run the current search (keeping the cursor's paper) and the counts."""
        if not self.screen_stack:
            return  # the app is closing: a late change message has no list to refresh
        self.run_search(keep=self.paper_list.current_id, refresh=refresh)
        self.load_counts()

    # ------------------------------------------------------------------ widget messages
    @on(FilterInput.Changed, "#filter")
    def filter_changed(self, event: FilterInput.Changed) -> None:
        self.query_text = event.value
        self.set_status(loading=True)
        self.run_search()

    @on(FilterInput.Submitted, "#filter")
    @on(FilterInput.Leave)
    def filter_done(self) -> None:
        if not self.typing_filter:  # a `/` typed since then keeps the box focused
            self.paper_list.focus()

    def on_paper_list_highlighted(self, event: PaperList.Highlighted) -> None:
        # The list paints first; the detail pane (laying out a whole abstract, 5-10 ms) follows
        # in the next frame, or, while a filter is being typed, once typing pauses: each
        # keystroke's new list is on screen without waiting for it, and the layout of an
        # abstract nobody reads does not compete with the next keystroke's search.
        self._detail_next = event.paper
        if self._detail_timer is not None:
            self._detail_timer.stop()
            self._detail_timer = None
        if isinstance(self.focused, FilterInput):
            self._detail_timer = self.set_timer(DETAIL_DELAY, self._show_detail)
        elif not self._detail_scheduled:
            self._detail_scheduled = True
            self.call_after_refresh(self._show_detail)
        self.refresh_bindings_if_changed()

    def _show_detail(self) -> None:
        self._detail_scheduled = False
        self._detail_timer = None
        for pane in self.screen_stack[0].query(DetailPane) if self.screen_stack else ():
            pane.show_paper(self._detail_next)  # none while the app shuts down
            self.load_history(self._detail_next)

    def on_paper_list_need_papers(self, event: PaperList.NeedPapers) -> None:
        self.load_papers(event.ids)

    def on_paper_list_selection_changed(self, event: PaperList.SelectionChanged) -> None:
        self.set_status(selected=event.count)

    def on_tags_panel_tag_chosen(self, event: TagsPanel.TagChosen) -> None:
        self.set_filter(f"tag:{event.tag}")
        self.paper_list.focus()

    # ------------------------------------------------------------------ actions
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in WRITE_ACTIONS and self.library.store.readonly:
            return False  # a read-only library: the status line says so
        if not self.screen_stack:
            return True
        try:
            papers_list = self.paper_list  # asked for every binding each time the keys redraw
        except NoMatches:
            return True
        if action in {"toggle_read", "tag"}:
            return bool(papers_list.selected) or papers_list.current_id is not None
        if action in {"next_unread"}:
            return papers_list.current_id is not None
        if action in TRIAGE_ACTIONS:
            return bool(papers_list.selected) or papers_list.current_id is not None
        if action in PAPER_ACTIONS:
            return papers_list.current_id is not None
        return True

    def refresh_bindings_if_changed(self) -> None:
        """Refresh the footer only when what `check_action` answers has changed.

        `refresh_bindings()` recomposes the footer, which cost more than the search itself on
        every keystroke (bench: refilter p95 119 ms at 1k papers with < 5 ms searches).
        """
        state = tuple(self.check_action(action, ()) for action in ("toggle_read", "open"))
        if state != self._binding_state:
            self._binding_state = state
            self.refresh_bindings()

    def targets(self) -> tuple[int, ...]:
        """The selection in list order, else the highlighted paper."""
        papers_list = self.paper_list
        if papers_list.selected:
            return tuple(pid for pid in papers_list.ids if pid in papers_list.selected)
        current = papers_list.current_id
        return () if current is None else (current,)

    def action_focus_filter(self) -> None:
        self.typing_filter = True
        self.screen_stack[0].set_focus(self.filter_box())  # now: the next key is already typed

    def action_toggle_read(self) -> None:
        if ids := self.targets():
            paper = self.paper_list.current_paper
            if self.config.read_moves_on and paper is not None and not paper.read:
                self.move_on()
            self.write("read", ids)

    def action_tag(self) -> None:
        ids = self.targets()
        if not ids:
            return
        paper = self.paper_list.cached(ids[0]) if len(ids) == 1 else None
        target = paper.title if paper else f"{len(ids)} paper{'s' if len(ids) != 1 else ''}"
        current = paper.tags if paper else ()

        def apply(edit: TagEdit | None) -> None:
            if edit is not None:
                self.write("tag", ids, edit)
                # The next dialog may open before the counts are read again (`t a Enter j t`):
                # it completes the new tags already; their counts follow with the reload.
                known = {t.name for t in self.tag_counts}
                new = {tag_name(name) for name in edit.add} - known - {""}
                self.tag_counts = [*self.tag_counts, *(TagCount(n, len(ids), 0) for n in new)]

        self.push_screen(TagDialog(target, self.tag_counts, current), apply)

    def action_next_unread(self, step: int = 1) -> None:
        self.find_unread(step)

    def action_cycle_sort(self) -> None:
        name, backwards = self.sort.removeprefix("-"), self.sort.startswith("-")
        at = SORTS.index(name) if name in SORTS else -1
        self.sort = ("-" if backwards else "") + SORTS[(at + 1) % len(SORTS)]
        self.save(sort=self.sort)
        self.set_status(sort=self.sort, loading=True)
        self.notify(f"Sorted by {self.sort}", markup=False)
        self.run_search(keep=self.paper_list.current_id)

    def action_toggle_tags(self) -> None:
        panel = self.query_one(TagsPanel)
        panel.display = not panel.display
        self.save(show_tags=panel.display)
        if panel.display:
            panel.focus()
        else:
            self.paper_list.focus()

    def action_toggle_detail(self) -> None:
        detail = self.query_one(DetailPane)
        detail.display = not detail.display
        self.save(show_detail=detail.display)

    def set_filter(self, text: str) -> None:
        """Put `text` in the filter box (which searches)."""
        box = self.query_one(FilterInput)
        if box.value == text:
            self.query_text = text
            self.run_search()
        box.value = text

    def action_saved_filter(self, slot: int) -> None:
        saved = self.config.saved_filters[slot - 1]
        if saved.sort and saved.sort != self.sort:
            self.sort = saved.sort
            self.set_status(sort=self.sort)
        self.set_filter(saved.query)
        self.notify(f"{slot}: {saved.name}", markup=False)
        self.paper_list.focus()

    def action_edit_filters(self) -> None:
        def done(filters: tuple[SavedFilter, ...] | None) -> None:
            if filters is not None:
                self.save_config(replace(self.config, saved_filters=filters))

        self.push_screen(SavedFiltersScreen(self.config.saved_filters), done)

    def save_config(self, config: Config) -> None:
        """Use `config` and write it to the config file (never in the demo)."""
        self.config = config
        if self.demo:
            self.notify("Saved filters updated for this demo (not saved).", markup=False)
            return
        try:
            save_config(self.config_path, config)
        except OSError as error:
            self.notify(
                f"Could not save {self.config_path}: {error}", severity="warning", markup=False
            )
            return
        self.notify(f"Saved filters written to {self.config_path}.", markup=False)

    def action_help(self) -> None:
        from papershelf.tui.help_sections import help_sections

        self.push_screen(HelpScreen(help_sections(self)))

    # ------------------------------------------------------------------ command palette
    def palette_actions(self):
        """(title, help, callback) for every key's action, for the command palette."""
        from papershelf.tui.help_sections import palette_actions

        return palette_actions(self)

    def get_system_commands(self, screen: Screen):
        yield from super().get_system_commands(screen)
        yield SystemCommand(
            "Edit saved filters", "Edit the saved filters on 1-9", self.action_edit_filters
        )

    def palette_papers(self, text: str) -> list[Paper]:
        """Papers whose title matches `text` best (called from a thread by the palette)."""
        from papershelf.db.query import QueryError

        try:
            ids, _query, _total = self.library.search(text, sort="relevance", limit=8)
        except QueryError:
            return []
        return self.library.papers(ids)

    def jump_to_paper(self, paper_id: int) -> None:
        """Move the cursor to `paper_id`, clearing the filter if it hides the paper."""
        if not self.paper_list.move_to(paper_id):
            self.query_text = ""
            box = self.query_one(FilterInput)
            with box.prevent(FilterInput.Changed):
                box.value = ""
            self.run_search(keep=paper_id)
        self.paper_list.focus()
