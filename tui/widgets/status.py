"""The status line: shown/total, unread and selected counts, the sort, and the last problem."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from rich.text import Text
from textual.widgets import Static


@dataclass(frozen=True)
class Status:
    """What the status line shows; the app replaces it and the widget redraws."""

    shown: int = 0
    total: int = 0
    unread: int = 0
    inbox: int | None = None  # None: not counted (yet)
    selected: int = 0
    sort: str = "relevance"
    loading: bool = False
    error: str = ""
    demo: bool = False
    readonly: bool = False
    activity: str = ""  # a background job in progress (a fetch), said after the counts

    def but(self, **changes: Any) -> Status:
        """A copy with `changes` applied."""
        return replace(self, **changes)


NARROW = 90  # columns below which the status line uses its short words


def sort_label(sort: str) -> str:
    """`-published` -> `published, reversed`."""
    return f"{sort[1:]}, reversed" if sort.startswith("-") else sort


class StatusLine(Static):
    """One line under the list. The query error (user text) is appended as plain text."""

    # One row: a long message (a fetch failure naming its URL) is cut with an ellipsis; wrapped,
    # its second line would be hidden and the sentence would end mid-way without saying so.
    DEFAULT_CSS = """
    StatusLine {
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.status = Status()

    def on_resize(self) -> None:
        self.show(self.status)

    def show(self, status: Status) -> None:
        """Redraw with `status`; the `-error` class colours the line when there is a problem."""
        self.status = status
        text = Text(end="", no_wrap=True, overflow="ellipsis")
        if status.readonly:
            text.append(" READ-ONLY ", "reverse")
            text.append(" ")
        if status.demo:
            text.append(" DEMO ", "reverse")
            text.append(" ")
        # A narrow terminal (60 columns) gets the short words, so the sort still fits.
        short = 0 < self.size.width < NARROW
        text.append(f"{status.shown:,}/{status.total:,}" + ("" if short else " shown"))
        text.append(f" · {status.unread:,} unread")
        if status.inbox is not None:
            text.append(f" · {status.inbox:,} {'inbox' if short else 'in inbox'}")
        if status.selected:
            text.append(f" · {status.selected:,} selected", "bold")
        text.append(f" · {'' if short else 'sort: '}{sort_label(status.sort)}")
        if status.loading:
            text.append(" · searching…", "dim")
        if status.activity:
            text.append(f" · {status.activity}", "dim")
        if status.error:
            text.append(" · ")
            text.append(status.error, "bold")
        self.set_class(bool(status.error), "-error")
        self.update(text)
