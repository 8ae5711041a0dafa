"""Papers like the highlighted one (`m`): a ranked list; Enter jumps to a paper, Esc closes."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from papershelf.db.models import Paper


class SimilarScreen(ModalScreen[int | None]):
    """Shows `similar` (paper, score) for `title`; returns the chosen paper's id, or None."""

    BINDINGS = [
        Binding("escape,q", "close", "Close", id="similar.close", tooltip="Back to the list"),
    ]

    def __init__(self, title: str, similar: Sequence[tuple[Paper, float]]) -> None:
        super().__init__()
        self.paper_title = title
        self.similar = list(similar)

    def compose(self) -> ComposeResult:
        with Vertical(id="similar-box", classes="dialog") as box:
            box.border_title = "Similar papers"
            box.border_subtitle = "Enter jumps · Esc closes"
            heading = Text("Like: ", "dim", no_wrap=True, overflow="ellipsis", end="")
            heading.append(self.paper_title, "bold")
            yield Static(heading, id="similar-title", markup=False)
            options = OptionList(id="similar-list", markup=False)
            for paper, score in self.similar:
                prompt = Text(f"{score:5.2f}  ", "dim", no_wrap=True, overflow="ellipsis", end="")
                prompt.append("✓ " if paper.read else "• ")
                prompt.append(paper.title)
                options.add_option(Option(prompt, id=str(paper.id)))
            if not self.similar:
                options.add_option(
                    Option(
                        Text("No paper shares enough words with this one.", "dim"), disabled=True
                    )
                )
            yield options

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0 if self.similar else None
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.dismiss(int(event.option.id))

    def action_close(self) -> None:
        self.dismiss(None)
