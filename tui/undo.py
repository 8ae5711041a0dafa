"""Undo and redo in the app: a big undo asks first, and the answer undoes exactly that change.

`u` looks at what the next undo would reverse (in a worker: the UI thread never waits on
SQLite). An import, or a change to more papers than fit on one screen, is put to the person in
a `ConfirmScreen`; `y` then undoes that very entry (`Store.undo(expect=id)`), so a change made
meanwhile by another process is never the one reversed. `U` and `ctrl+r` redo.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import work
from textual.binding import Binding
from textual.message import Message
from textual.worker import Worker, WorkerCancelled, WorkerFailed

from papershelf.db.history import Entry
from papershelf.db.store import StoreError
from papershelf.tui import messages as m
from papershelf.tui.confirm import ConfirmScreen

# Every app action that writes to the library: a read-only library disables them all.
WRITE_ACTIONS = frozenset(
    {"toggle_read", "tag", "undo", "redo", "dismiss", "snooze", "edit_note", "edit_note_external"}
)

UNDO_BINDINGS = [
    Binding("u", "undo", "Undo", id="undo", tooltip="Undo the last change (an import asks first)"),
    Binding(
        "U,ctrl+r",
        "redo",
        "Redo",
        show=False,
        key_display="U",
        id="redo",
        tooltip="Redo the change undone last",
    ),
]


@dataclass
class UndoAsked(Message):
    """What the next undo would reverse (None: nothing)."""

    entry: Entry | None


def needs_confirming(entry: Entry, screenful: int) -> bool:
    """An import, or a change to more papers than one screen shows, is asked about first."""
    return entry.kind == "import" or entry.changed > screenful


class UndoRedo:
    """Mixed into the App: needs `library`, `paper_list`, `notify`, `post_message`."""

    def action_undo(self) -> None:
        self.expect_dialog()  # type: ignore[attr-defined]  # keys typed next may answer it
        # The change typed just before `u` may still be on its way to the library: look once
        # it is there, or `u` would find the one before it (and, asked about that, undo none).
        writing = [w for w in self.workers if w.group == "write" and not w.is_finished]  # type: ignore[attr-defined]
        self.run_worker(  # type: ignore[attr-defined]
            self._look_after(writing), group="undo-wait", exit_on_error=False
        )

    async def _look_after(self, writing: list[Worker[None]]) -> None:
        for worker in writing:
            try:
                await worker.wait()
            except (WorkerCancelled, WorkerFailed):
                pass  # a write that failed has said so itself
        self.look_before_undo()

    def action_redo(self) -> None:
        self.run_history("redo")

    @work(thread=True, exclusive=True, group="undo", exit_on_error=False)
    def look_before_undo(self) -> None:
        """Find what `u` would undo, for `on_undo_asked`."""
        try:
            entry = self.library.store.next_undo()  # type: ignore[attr-defined]
        except StoreError as error:
            self.notify(str(error), severity="error", markup=False)  # type: ignore[attr-defined]
            self.call_from_thread(self.dialog_settled)  # type: ignore[attr-defined]
            return
        self.post_message(UndoAsked(entry))  # type: ignore[attr-defined]

    def on_undo_asked(self, message: UndoAsked) -> None:
        entry = message.entry
        self.call_after_refresh(self.dialog_settled)  # type: ignore[attr-defined]
        if entry is None:
            self.notify("Nothing to undo.", markup=False)  # type: ignore[attr-defined]
            return
        if not self.screen_stack:  # type: ignore[attr-defined]
            return  # the app is closing
        screenful = max(self.paper_list.scrollable_content_region.height, 1)  # type: ignore[attr-defined]
        if not needs_confirming(entry, screenful):
            self.run_history("undo", entry.id)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_history("undo", entry.id)

        question = f"Undo this change?\n\n{entry.description}"
        self.push_screen(ConfirmScreen(question, "undo it"), answered)  # type: ignore[attr-defined]

    @work(thread=True, group="write", exit_on_error=False)
    def run_history(self, kind: str, expect: int | None = None) -> None:
        """Undo (only entry `expect`) or redo; the outcome comes back as `Changed`."""
        store = self.library.store  # type: ignore[attr-defined]
        try:
            result = store.undo(expect) if kind == "undo" else store.redo()
        except (StoreError, ValueError) as error:
            self.notify(str(error), severity="error", markup=False)  # type: ignore[attr-defined]
            return
        self._version = self.library.data_version()  # type: ignore[attr-defined]
        empty = "Nothing to undo." if kind == "undo" else "Nothing to redo."
        self.post_message(m.Changed([result], empty))  # type: ignore[attr-defined]
