"""The app's triage keys: inbox, snooze, dismiss, notes, links, copying and reading the detail.

Mixed into the App like `LibraryWorkers`: the actions here decide what to do and hand every
write to one thread worker (`triage_write`), whose result comes back as `Changed` like any
other write, so the status, the list and undo behave the same for all of them.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import SuspendNotSupported
from textual.binding import Binding

from papershelf.db.models import ActionResult
from papershelf.db.store import Store, StoreError
from papershelf.tui import messages as m
from papershelf.tui.links import copy_with_tools, is_web, open_in_browser, pdf_url
from papershelf.tui.views import INBOX_QUERY, ViewActions

if TYPE_CHECKING:
    from textual.app import App

    from papershelf.tui.config import Config
    from papershelf.tui.library import Library
    from papershelf.tui.settings import Settings
    from papershelf.tui.widgets.paper_list import PaperList

    _AppBase = App[None]
else:
    _AppBase = object

URL_TOAST_SECONDS = 12  # a URL to copy by hand stays on screen long enough to do it


def _binding(key: str, action: str, description: str, tooltip: str, **kw: object) -> Binding:
    """A binding whose id (for the config's [keys]) is its action, or `id=` when given."""
    kw.setdefault("id", action)
    return Binding(key, action, description, tooltip=tooltip, **kw)  # type: ignore[arg-type]


TRIAGE_BINDINGS = [
    _binding(
        "i",
        "inbox",
        "Inbox",
        "Show the inbox: unread, untagged, not snoozed or dismissed",
        show=False,
    ),
    _binding(
        "x", "dismiss", "Dismiss", "Dismiss: out of the inbox without marking it read", show=False
    ),
    _binding(
        "z", "snooze", "Snooze", "Snooze until a day (tomorrow, next week, a date)", show=False
    ),
    _binding("e", "edit_note", "Note", "Edit the paper's note", show=False),
    _binding("E", "edit_note_external", "Note in $EDITOR", "Edit the note in $EDITOR", show=False),
    _binding("p", "open_pdf", "PDF", "Open the paper's PDF (arXiv)", show=False),
    _binding("P", "open_project", "Project page", "Open the paper's project page", show=False),
    _binding(
        "J",
        "scroll_detail(1)",
        "Scroll detail down",
        "Scroll the detail pane down",
        show=False,
        id="scroll_detail_down",
    ),
    _binding(
        "K",
        "scroll_detail(-1)",
        "Scroll detail up",
        "Scroll the detail pane up",
        show=False,
        id="scroll_detail_up",
    ),
    _binding(
        "ctrl+d",
        "scroll_detail(8)",
        "Detail page down",
        "Scroll the detail pane half a page down",
        show=False,
        id="detail_page_down",
    ),
    _binding(
        "ctrl+u",
        "scroll_detail(-8)",
        "Detail page up",
        "Scroll the detail pane half a page up",
        show=False,
        id="detail_page_up",
    ),
    _binding(
        "tilde",
        "reverse_sort",
        "Reverse sort",
        "Reverse the sort order",
        show=False,
        key_display="~",
    ),
    _binding("m", "similar", "Similar", "List the papers most like this one", show=False),
    _binding("S", "stats", "Stats", "Library stats: papers per week, progress, tags", show=False),
    _binding("v", "read_full", "Read full screen", "Read the paper full screen", show=False),
]


# Actions on the selection or else the highlighted paper, and on the highlighted paper only:
# `check_action` hides them from the footer when there is nothing to act on.
TRIAGE_ACTIONS = frozenset({"dismiss", "snooze"})
PAPER_ACTIONS = frozenset(
    {
        "open",
        "open_pdf",
        "open_code",
        "open_project",
        "copy",
        "edit_note",
        "edit_note_external",
        "read_full",
        "similar",
    }
)


class TriageActions(ViewActions):
    """Mixed into the App, which provides the attributes declared here."""

    library: Library
    config: Config
    settings: Settings
    _version: int | None

    if TYPE_CHECKING:

        @property
        def paper_list(self) -> PaperList: ...

        def targets(self) -> tuple[int, ...]: ...

        def set_filter(self, text: str) -> None: ...

        def save(self, **changes: object) -> None: ...

    # ------------------------------------------------------------------ writes
    @work(thread=True, group="write", exit_on_error=False)
    def triage_write(self, act: Callable[[Store], ActionResult]) -> None:
        """Run one store action in a thread; the outcome comes back as `Changed`."""
        try:
            result = act(self.library.store)
        except (StoreError, ValueError) as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self._version = self.library.data_version()  # our own commit: no second reload
        self.post_message(m.Changed([result]))

    @work(thread=True, exclusive=True, group="inbox", exit_on_error=False)
    def count_inbox(self) -> None:
        """How many papers the inbox holds, for the status line."""
        from papershelf.db.query import QueryError

        try:
            ids, _query, total = self.library.search(INBOX_QUERY, sort="published", limit=1)
        except QueryError:
            return  # a query engine without the inbox: the status simply does not say
        self.call_from_thread(self.set_status, inbox=total)

    def move_on(self) -> None:
        """After acting on the highlighted paper (no selection), go to the next one."""
        papers_list = self.paper_list
        if not papers_list.selected:
            papers_list.action_cursor_down()

    # ------------------------------------------------------------------ inbox
    def action_inbox(self) -> None:
        from papershelf.db.journal import utc_now

        since = self.settings.last_triage
        self.set_filter(INBOX_QUERY)
        self.paper_list.focus()
        self.save(last_triage=utc_now())
        when = f" (last triaged {since[:10]})" if since else ""
        self.notify(f"Inbox{when}: r read · x dismiss · z snooze · t tag · e note", markup=False)

    def action_dismiss(self) -> None:
        if ids := self.targets():
            self.move_on()
            self.triage_write(lambda store: store.dismiss(ids))

    def action_snooze(self) -> None:
        from papershelf.tui.screens.snooze_dialog import SnoozeDialog

        ids = self.targets()
        if not ids:
            return

        def done(day: date | None) -> None:
            if day is not None:
                self.move_on()
                self.triage_write(lambda store: store.snooze(ids, day))

        self.push_screen(SnoozeDialog(len(ids), date.today()), done)

    # ------------------------------------------------------------------ notes
    def action_edit_note(self) -> None:
        from papershelf.tui.screens.note_editor import NoteEditor

        paper = self.paper_list.current_paper
        if paper is None:
            return
        pid = paper.id

        def done(text: str | None) -> None:
            if text is not None:
                self.triage_write(lambda store: store.set_note(pid, text))

        self.push_screen(NoteEditor(paper.title, paper.note or ""), done)

    def action_edit_note_external(self) -> None:
        paper = self.paper_list.current_paper
        if paper is None:
            return
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
        if not editor:
            self.notify("Set $EDITOR (or press e for the built-in editor).", markup=False)
            return
        fd, name = tempfile.mkstemp(prefix="papershelf-note-", suffix=".md")
        path = Path(name)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(paper.note or "")
            with self.suspend():
                code = subprocess.call([*shlex.split(editor), str(path)])
            text = path.read_text(encoding="utf-8")
        except SuspendNotSupported:
            self.notify("This terminal cannot hand over to an editor; press e.", markup=False)
            return
        except (OSError, ValueError) as error:
            self.notify(f"Could not run {editor}: {error}", severity="error", markup=False)
            return
        finally:
            path.unlink(missing_ok=True)
        if code != 0:
            self.notify(f"{editor} exited with {code}; the note was not changed.", markup=False)
        elif text.strip() != (paper.note or "").strip():
            pid = paper.id
            self.triage_write(lambda store: store.set_note(pid, text))

    # ------------------------------------------------------------------ links
    def open_link(self, url: str | None, what: str) -> None:
        """Open `url` in a browser if one can be shown; otherwise copy it and show it."""
        if not is_web(url):
            self.notify(f"This paper has no {what}.", severity="warning", markup=False)
            return
        self._open_worker(str(url), what)

    @work(thread=True, group="open", exit_on_error=False)
    def _open_worker(self, url: str, what: str) -> None:
        if open_in_browser(url):
            self.notify(f"Opened the {what} in your browser: {url}", markup=False)
            return
        self.call_from_thread(self.copy_to_clipboard, url)
        outcome = copy_with_tools(url)
        self.notify(
            f"No browser can be shown here. {url}\n{outcome.message('the link')}",
            markup=False,
            timeout=URL_TOAST_SECONDS,
        )

    def action_open(self) -> None:
        if paper := self.paper_list.current_paper:
            self.open_link(paper.page_url, "page")

    def action_open_pdf(self) -> None:
        if paper := self.paper_list.current_paper:
            self.open_link(pdf_url(paper), "PDF (no arXiv id)")

    def action_open_code(self) -> None:
        if paper := self.paper_list.current_paper:
            self.open_link(paper.code_link, "code link")

    def action_open_project(self) -> None:
        if paper := self.paper_list.current_paper:
            self.open_link(paper.project_page, "project page")

    def action_copy(self) -> None:
        paper = self.paper_list.current_paper
        if paper is not None:
            text = f"{paper.title}\n{paper.page_url}"
            self.copy_to_clipboard(text)
            title = paper.title if len(paper.title) <= 80 else paper.title[:79] + "…"
            self._copy_worker(text, f"“{title}” and its link")

    @work(thread=True, group="copy", exit_on_error=False)
    def _copy_worker(self, text: str, what: str) -> None:
        self.notify(copy_with_tools(text).message(what), markup=False)
