"""A yes/no question in a small dialog: one key confirms, any way out cancels.

`y` or Enter answers yes; `n`, Esc or a click outside answers no. Other keys do nothing: the
screen is modal, so the app's keys (and the list's) do not reach past it. Returns through
`dismiss(True/False)`. The question is user text (it may quote a title or a file name), so it
is drawn as plain `Text`, never as markup.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class ConfirmScreen(ModalScreen[bool]):
    """Ask `question`; `action` names what yes does (shown on the key hint)."""

    DEFAULT_CSS = """
    ConfirmScreen {
        align: center middle;
    }
    ConfirmScreen > Vertical {
        width: 64;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $warning;
        background: $surface;
        padding: 1 2;
    }
    ConfirmScreen #confirm-question {
        height: auto;
        max-height: 12;
    }
    ConfirmScreen #confirm-keys {
        margin-top: 1;
        color: $text-muted;
    }
    """
    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm.yes", tooltip="Go ahead"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no", tooltip="Leave it as it is"),
    ]

    def __init__(self, question: str, action: str = "yes") -> None:
        super().__init__()
        self.question = question
        self.action_name = action

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(Text(self.question), id="confirm-question", markup=False)
            keys = Text()
            keys.append("y", "bold")
            keys.append(f" {self.action_name}    ")
            keys.append("n", "bold")
            keys.append(" / ")
            keys.append("Esc", "bold")
            keys.append(" cancel")
            yield Static(keys, id="confirm-keys", markup=False)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    def on_click(self, event: events.Click) -> None:
        if event.widget is self:  # outside the box
            self.dismiss(False)
