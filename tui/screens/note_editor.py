"""The note editor (`e`): a TextArea in a dialog; ctrl+s saves, Esc cancels."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea


class NoteEditor(ModalScreen[str | None]):
    """Edit a note for the paper titled `title`; returns the text (empty clears), or None."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="note.save", tooltip="Save the note"),
        # Before the TextArea sees it: one that indents with Tab takes Esc to move focus away.
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="note.cancel",
            tooltip="Close without saving",
            priority=True,
        ),
    ]

    def __init__(self, title: str, note: str) -> None:
        super().__init__()
        self.paper_title = title
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="note-box", classes="dialog") as box:
            box.border_title = "Note"
            box.border_subtitle = "ctrl+s saves · Esc cancels · empty clears"
            yield Static(
                Text(self.paper_title, "bold", no_wrap=True, overflow="ellipsis"),
                id="note-title",
                markup=False,
            )
            yield TextArea(self.note, id="note-text", soft_wrap=True, tab_behavior="indent")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)
