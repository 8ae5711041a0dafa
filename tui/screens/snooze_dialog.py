"""Snooze dialog: pick tomorrow, next week, next month, or type a day; returns the `date`."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from papershelf.db.days import parse_day
from papershelf.db.journal import plural

CHOICES = ("tomorrow", "next week", "next month")


class SnoozeDialog(ModalScreen[date | None]):
    """Ask until when to snooze `count` papers; Enter picks, Esc cancels."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="snooze.cancel", tooltip="Close without snoozing"),
    ]

    def __init__(self, count: int, today: date) -> None:
        super().__init__()
        self.count = count
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical(id="snooze-box", classes="dialog") as box:
            box.border_title = f"Snooze {plural(self.count)} until"
            box.border_subtitle = "Enter picks · Esc cancels"
            options = OptionList(id="snooze-choices", markup=False)
            for choice in CHOICES:
                day = parse_day(choice, self.today)
                prompt = Text(choice.capitalize().ljust(12), end="")
                prompt.append(f"{day:%a %d %b %Y}", "dim")
                options.add_option(Option(prompt, id=choice))
            yield options
            yield Input(placeholder="or type a day: monday, 3d, 2026-01-05", id="snooze-day")
            yield Static("", id="snooze-error", markup=False)

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(parse_day(event.option.id or "tomorrow", self.today))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            day = parse_day(event.value, self.today)
        except ValueError as error:
            self.query_one("#snooze-error", Static).update(Text(str(error), "bold"))
            return
        self.dismiss(day)

    def action_cancel(self) -> None:
        self.dismiss(None)
