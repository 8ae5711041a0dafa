"""Every key the app understands, for the help screen and the command palette.

Built from the `Binding`s themselves (app, list, filter box, tag dialog), so a key added to a
widget shows up in `?` and ctrl+p without anyone remembering to document it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING

from textual.binding import Binding

from papershelf.tui.query_help import QUERY_TERMS
from papershelf.tui.screens.help import HelpSection
from papershelf.tui.screens.tag_dialog import TagDialog
from papershelf.tui.widgets.filter_input import FilterInput
from papershelf.tui.widgets.paper_list import PaperList

if TYPE_CHECKING:
    from papershelf.tui.app import PapershelfApp

_KEY_NAMES = {
    "slash": "/",
    "question_mark": "?",
    "asterisk": "*",
    "escape": "Esc",
    "space": "Space",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "down": "↓",
    "up": "↑",
    "home": "Home",
    "end": "End",
    "f1": "F1",
    "tab": "Tab",
    "enter": "Enter",
    "ctrl+p": "ctrl+p",
    "ctrl+s": "ctrl+s",
}


def keys_of(binding: Binding) -> str:
    """`j,down` -> `j / ↓`."""
    return " / ".join(_KEY_NAMES.get(k.strip(), k.strip()) for k in binding.key.split(","))


def _rows(bindings: Iterable[object]) -> list[tuple[str, str]]:
    rows = []
    for binding in bindings:
        if isinstance(binding, Binding):
            rows.append((keys_of(binding), binding.tooltip or binding.description))
    return rows


def help_sections(app: PapershelfApp) -> list[HelpSection]:
    """The help screen's content."""
    app_bindings = [b for b in app.BINDINGS if isinstance(b, Binding)]
    saved = [b for b in app_bindings if b.action.startswith("saved_filter")]
    others = [b for b in app_bindings if b not in saved]
    filters = "  ".join(f"{n} {f.name}" for n, f in enumerate(app.config.saved_filters, 1))
    return [
        ("Papers", _rows(others)),
        ("Moving and selecting in the list", _rows(PaperList.BINDINGS)),
        ("Saved filters (F edits them)", [("1 … 9", filters)]),
        (
            "Filter box",
            [("Enter", "Go to the list, keeping the filter"), *_rows(FilterInput.BINDINGS)],
        ),
        (
            "Tag dialog",
            [("Enter", "Apply: `a b -c` adds a and b, removes c"), *_rows(TagDialog.BINDINGS)],
        ),
        ("Query language (the filter box, papershelf list)", list(QUERY_TERMS)),
        (
            "Everywhere",
            [
                ("ctrl+p", "Command palette: every action, and jump to a paper by title"),
                ("T", "Tags panel: Enter on a tag filters by it"),
            ],
        ),
    ]


def palette_actions(app: PapershelfApp) -> list[tuple[str, str, Callable[[], object]]]:
    """(title, help, callback) for every app and list action."""
    result: list[tuple[str, str, Callable[[], object]]] = []
    for binding in app.BINDINGS:
        if isinstance(binding, Binding):
            title = f"{binding.description}  ({keys_of(binding)})"
            result.append((title, binding.tooltip, partial(app.run_action, binding.action)))
    for binding in PaperList.BINDINGS:
        if isinstance(binding, Binding):
            title = f"{binding.description}  ({keys_of(binding)})"
            result.append(
                (title, binding.tooltip, partial(app.paper_list.run_action, binding.action))
            )
    return result
