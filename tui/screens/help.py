"""The help screen (`?`/F1): every key the app understands, grouped by where it works."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

HelpRow = tuple[str, str]  # (keys as shown, what they do)
HelpSection = tuple[str, Sequence[HelpRow]]


def help_text(sections: Sequence[HelpSection]) -> Text:
    """The sections as one plain `Text` (no markup), keys in a fixed-width column."""
    text = Text(end="")
    width = max((len(keys) for _title, rows in sections for keys, _ in rows), default=8) + 2
    for number, (title, rows) in enumerate(sections):
        if number:
            text.append("\n")
        text.append(f"{title}\n", "bold underline")
        for keys, what in rows:
            text.append(keys.ljust(width), "bold")
            text.append(f"{what}\n")
    return text


class HelpScreen(ModalScreen[None]):
    """Shows `sections`; any of Esc, q, ? or F1 closes it."""

    BINDINGS = [
        Binding(
            "escape,q,question_mark,f1", "close", "Close", id="help.close", tooltip="Close the help"
        ),
    ]

    def __init__(self, sections: Sequence[HelpSection]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box") as box:
            box.border_title = "papershelf keys"
            box.border_subtitle = "Esc closes"
            yield Static(help_text(self.sections), markup=False, id="help-body")

    def action_close(self) -> None:
        self.dismiss(None)
