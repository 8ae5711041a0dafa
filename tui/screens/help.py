"""The help screen (`?`/F1): every key the app understands, grouped by where it works."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEY_WIDTH = 14  # keys longer than this (query terms) go on their own line
HelpRow = tuple[str, str]  # (keys as shown, what they do)
HelpSection = tuple[str, Sequence[HelpRow]]


def help_text(sections: Sequence[HelpSection]) -> Text:
    """The sections as one plain `Text` (no markup), keys in a fixed-width column."""
    text = Text(end="")
    short = [len(keys) for _title, rows in sections for keys, _ in rows if len(keys) <= KEY_WIDTH]
    width = max(short, default=8) + 2
    for number, (title, rows) in enumerate(sections):
        if number:
            text.append("\n")
        text.append(f"{title}\n", "bold underline")
        for keys, what in rows:
            if len(keys) > KEY_WIDTH:  # a long query term gets a line of its own
                text.append(f"{keys}\n", "bold")
                text.append(" " * width)
            else:
                text.append(keys.ljust(width), "bold")
            text.append(f"{what}\n")
    return text


def split_columns(sections: Sequence[HelpSection]) -> list[Sequence[HelpSection]]:
    """The sections in two columns of about equal length (a section is never split)."""
    sizes = [len(rows) + 2 for _title, rows in sections]
    half, running = sum(sizes) / 2, 0
    for at, size in enumerate(sizes):
        if running + size / 2 > half:
            return [sections[:at], sections[at:]] if at else [sections]
        running += size
    return [sections]


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
            with Horizontal(id="help-columns"):
                for column in split_columns(self.sections):
                    yield Static(help_text(column), markup=False, classes="help-column")

    def action_close(self) -> None:
        self.dismiss(None)
