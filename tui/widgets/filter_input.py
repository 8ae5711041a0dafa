"""The filter box: the query language, applied on every keystroke by the app."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input


class FilterInput(Input):
    """An Input whose Esc clears it and Enter/Down leave it (the app moves focus to the list)."""

    BINDINGS = [
        Binding(
            "escape",
            "clear_and_leave",
            "Clear filter",
            id="filter.clear",
            tooltip="Clear the filter and go to the list",
        ),
        Binding(
            "down",
            "leave",
            "To list",
            show=False,
            id="filter.leave",
            tooltip="Go to the list, keeping the filter",
        ),
    ]

    class Leave(Message):
        """The person is done typing: focus the list."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            placeholder="Filter: words, 'exact, tag:x, is:unread, has:code, upvotes:>10 …  (/)",
            id=id,
        )

    def action_clear_and_leave(self) -> None:
        self.value = ""
        self.post_message(self.Leave())

    def action_leave(self) -> None:
        self.post_message(self.Leave())
