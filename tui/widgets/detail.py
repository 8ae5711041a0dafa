"""The detail pane: everything about the highlighted paper, the abstract wrapped in full."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from papershelf.db.models import Paper


def paper_text(paper: Paper) -> Text:
    """The detail of one paper as a rich `Text`: user text is appended, never parsed."""
    text = Text(end="")
    text.append(paper.title, "bold")
    text.append("\n")
    facts = [paper.published or "undated"]
    if paper.upvotes is not None:
        facts.append(f"{paper.upvotes} upvotes")
    if paper.comments is not None:
        facts.append(f"{paper.comments} comments")
    facts.append("read" if paper.read else "unread")
    text.append(" · ".join(facts), "dim")
    text.append("\n")
    if paper.authors:
        text.append(", ".join(paper.authors), "italic")
        text.append("\n")
    elif paper.organization:
        text.append(paper.organization, "italic")
        if paper.authors_count:
            text.append(f" · {paper.authors_count} authors", "dim")
        text.append("\n")
    elif paper.authors_count:
        text.append(f"{paper.authors_count} authors\n", "dim")
    if paper.tags:
        for tag in paper.tags:
            text.append(f"#{tag}", "bold")
            text.append(" ")
        text.append("\n")
    text.append("page ", "dim")
    if paper.arxiv_id:
        text.append(paper.page_url, "underline")
    else:  # the arXiv title-search URL repeats the whole title: say what it is instead
        text.append("no arXiv id yet: o searches arXiv for the title", "italic")
    text.append("\n")
    code = paper.code_link
    if code:
        text.append("code ", "dim")
        text.append(code, "underline")
        text.append("\n")
    for link in paper.links:
        if link != code:
            text.append("link ", "dim")
            text.append(link, "underline")
            text.append("\n")
    text.append("\n")
    text.append(paper.abstract or "(no abstract)")
    return text


class DetailPane(VerticalScroll, can_focus=False):
    """Shows one paper; the parent calls `show_paper` when the cursor moves."""

    def compose(self) -> ComposeResult:
        yield Static("", id="detail-body", markup=False)

    def show_paper(self, paper: Paper | None) -> None:
        """Show `paper`, or a blank pane for None."""
        body = self.query_one("#detail-body", Static)
        body.update(paper_text(paper) if paper is not None else Text(""))
        self.scroll_home(animate=False)
