"""Edit the saved filters on keys 1–9: a name, a query and an optional sort for each."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from papershelf.tui.config import query_problem
from papershelf.tui.settings import SORTS, SavedFilter


class SavedFiltersScreen(ModalScreen[tuple[SavedFilter, ...] | None]):
    """Nine rows of inputs; Enter or ctrl+s saves, Esc cancels."""

    AUTO_FOCUS = "Input"  # the first name, not the scrolling box around the rows

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="filters.cancel", tooltip="Discard changes"),
        Binding("ctrl+s", "save", "Save", id="filters.save", tooltip="Save the saved filters"),
    ]

    def __init__(self, filters: Sequence[SavedFilter]) -> None:
        super().__init__()
        self.filters = tuple(filters)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="filters-box") as box:
            box.border_title = "Saved filters (keys 1–9)"
            box.border_subtitle = "Enter/ctrl+s saves · Esc cancels"
            yield Static("", id="filters-error", markup=False)
            for slot, saved in enumerate(self.filters, 1):
                with Horizontal(classes="filter-row"):
                    yield Label(str(slot), classes="filter-slot")
                    yield Input(
                        saved.name,
                        placeholder="name",
                        id=f"name-{slot}",
                        classes="filter-name",
                        select_on_focus=False,  # typing edits the value, never replaces it
                    )
                    yield Input(
                        saved.query,
                        placeholder="query (empty: everything)",
                        id=f"query-{slot}",
                        classes="filter-query",
                        select_on_focus=False,
                    )
                    yield Input(
                        saved.sort or "",
                        placeholder="sort",
                        id=f"sort-{slot}",
                        classes="filter-sort",
                        select_on_focus=False,
                    )

    def collect(self) -> tuple[SavedFilter, ...]:
        """The filters as typed; an unknown sort is dropped (the current sort applies)."""
        result = []
        for slot in range(1, len(self.filters) + 1):
            name = self.query_one(f"#name-{slot}", Input).value.strip()
            query = self.query_one(f"#query-{slot}", Input).value.strip()
            sort = self.query_one(f"#sort-{slot}", Input).value.strip().lower()
            result.append(
                SavedFilter(
                    name or query or f"Filter {slot}", query, sort if sort in SORTS else None
                )
            )
        return tuple(result)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        """Save, unless an edited query cannot run: then say why (the parser's words) and stay."""
        for slot, (saved, before) in enumerate(zip(self.collect(), self.filters), 1):
            problem = None if saved.query == before.query else query_problem(saved.query)
            if problem is not None:
                self.query_one("#filters-error", Static).update(
                    Text(f"Filter {slot} not saved: {problem}", "bold")
                )
                self.query_one(f"#query-{slot}", Input).focus()
                return
        self.dismiss(self.collect())

    def action_cancel(self) -> None:
        self.dismiss(None)
