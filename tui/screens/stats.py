"""The stats screen (`S`): papers per week, read and triage progress, top tags, as plots."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static
from textual_plotext import PlotextPlot

from papershelf.db.models import TagCount
from papershelf.tui.marks import count

TOP_TAGS = 8


@dataclass(frozen=True)
class LibraryStats:
    """Everything the stats screen shows, loaded in a worker."""

    total: int
    progress: dict[str, int]
    inbox: int | None
    weeks: Sequence[tuple[str, int]]
    tags: Sequence[TagCount]


def summary(stats: LibraryStats) -> Text:
    """The numbers in one line under the title."""
    p = stats.progress
    parts = [count(stats.total, "paper"), f"{p['read']:,} read", f"{p['unread']:,} unread"]
    if stats.inbox is not None:
        parts.append(f"{stats.inbox:,} in inbox")
    parts += [f"{p['snoozed']:,} snoozed", f"{p['dismissed']:,} dismissed"]
    parts.append(count(p["noted"], "note"))
    return Text(" · ".join(parts), "bold")


class StatsScreen(ModalScreen[None]):
    """Three plots over the library; Esc, q or S closes."""

    BINDINGS = [
        Binding("escape,q,S", "close", "Close", id="stats.close", tooltip="Back to the list"),
    ]

    def __init__(self, stats: LibraryStats) -> None:
        super().__init__()
        self.stats = stats

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="stats-box") as box:
            box.border_title = "Library stats"
            box.border_subtitle = "Esc closes"
            yield Static(summary(self.stats), id="stats-summary", markup=False)
            with Grid(id="stats-grid"):
                yield PlotextPlot(id="stats-weeks")
                yield PlotextPlot(id="stats-progress")
                yield PlotextPlot(id="stats-tags")

    def on_mount(self) -> None:
        weeks = self.query_one("#stats-weeks", PlotextPlot).plt
        labels = [week[2:] for week, _ in self.stats.weeks] or ["-"]
        weeks.bar(labels, [n for _, n in self.stats.weeks] or [0])
        weeks.title("Papers per week (published, week of)")
        progress = self.query_one("#stats-progress", PlotextPlot).plt
        p = self.stats.progress
        states = {"read": p["read"], "unread": p["unread"]}
        if self.stats.inbox is not None:
            states["inbox"] = self.stats.inbox
        states |= {"snoozed": p["snoozed"], "dismissed": p["dismissed"]}
        progress.bar(list(states), list(states.values()), orientation="horizontal")
        progress.title("Read and triage")
        tags = self.query_one("#stats-tags", PlotextPlot).plt
        top = sorted(self.stats.tags, key=lambda t: (-t.count, t.name))[:TOP_TAGS]
        if top:
            names = [t.name if len(t.name) <= 14 else t.name[:13] + "…" for t in top]
            tags.bar(names[::-1], [t.count for t in top][::-1], orientation="horizontal")
        tags.title("Top tags" if top else "Top tags (none yet: press t)")

    def action_close(self) -> None:
        self.dismiss(None)
