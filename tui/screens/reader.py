"""Full-screen reading (`v`): the detail of one paper over the whole terminal."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from papershelf.db.models import Paper
from papershelf.tui.widgets.detail import paper_text


class ReaderScreen(ModalScreen[None]):
    """The paper's detail, scrollable with j/k, space, PgUp/PgDn; Esc, q or v closes."""

    BINDINGS = [
        Binding("escape,q,v", "close", "Close", id="reader.close", tooltip="Back to the list"),
        Binding("j,down", "scroll(1)", "Down", show=False, id="reader.down", tooltip="Scroll down"),
        Binding("k,up", "scroll(-1)", "Up", show=False, id="reader.up", tooltip="Scroll up"),
        Binding(
            "space,ctrl+d",
            "page(1)",
            "Page down",
            show=False,
            id="reader.page_down",
            tooltip="Scroll a page down",
        ),
        Binding(
            "ctrl+u", "page(-1)", "Page up", show=False, id="reader.page_up", tooltip="Page up"
        ),
    ]

    def __init__(self, paper: Paper) -> None:
        super().__init__()
        self.paper = paper

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="reader-box") as box:
            box.border_subtitle = "j/k scroll · space pages · Esc closes"
            yield Static(paper_text(self.paper), markup=False, id="reader-body")

    def on_mount(self) -> None:
        self.query_one("#reader-box").focus()

    def action_scroll(self, lines: int) -> None:
        self.query_one("#reader-box", VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_page(self, pages: int) -> None:
        box = self.query_one("#reader-box", VerticalScroll)
        box.scroll_relative(y=pages * max(box.size.height - 2, 1), animate=False)

    def action_close(self) -> None:
        self.dismiss(None)
