"""The tags panel: every tag with unread/total counts; choosing one filters by it."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from papershelf.db.models import TagCount


def tag_prompt(tag: TagCount) -> Text:
    """`name  unread/total` as plain text (tag names are user text)."""
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    text.append(tag.name)
    text.append(f"  {tag.unread}/{tag.count}", "dim")
    return text


class TagsPanel(OptionList):
    """A list of tags; Enter (or a click) on one posts `TagChosen`."""

    class TagChosen(Message):
        """The person picked `tag`."""

        def __init__(self, tag: str) -> None:
            super().__init__()
            self.tag = tag

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.border_title = "Tags  unread/total"

    def show_tags(self, tags: Sequence[TagCount]) -> None:
        """Replace the options, keeping the highlighted tag where possible."""
        current = None
        if self.highlighted is not None and self.option_count:
            current = self.get_option_at_index(self.highlighted).id
        self.clear_options()
        if not tags:
            self.add_option(Option(Text("no tags yet — press t", "dim"), id=None, disabled=True))
            return
        self.add_options(Option(tag_prompt(tag), id=tag.name) for tag in tags)
        names = [tag.name for tag in tags]
        self.highlighted = names.index(current) if current in names else 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.TagChosen(event.option.id))
