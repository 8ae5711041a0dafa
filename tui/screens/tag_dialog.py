"""The tag dialog: type tags (several at once, `-tag` removes) with fuzzy completion.

Completion matches the word being typed against the library's existing tags with rapidfuzz
and shows each with its count; Tab (or Enter on a suggestion you moved to) takes it.
Returns a `TagEdit` through `dismiss`, or None when cancelled.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from papershelf.db.models import TagCount

_SPLIT = re.compile(r"[\s,]+")


@dataclass(frozen=True)
class TagEdit:
    """Tags to add and tags to remove, as typed (the store normalises them)."""

    add: tuple[str, ...]
    remove: tuple[str, ...]


def parse_tag_input(value: str) -> TagEdit:
    """`rl llm -old` -> add (rl, llm), remove (old). Duplicates are dropped, order kept."""
    add: list[str] = []
    remove: list[str] = []
    for word in _SPLIT.split(value.strip()):
        if not word or word in {"-", "+"}:
            continue
        if word.startswith("-"):
            target, word = remove, word[1:]
        else:
            target, word = add, word.removeprefix("+")
        if word and word not in target:
            target.append(word)
    return TagEdit(tuple(add), tuple(remove))


def complete(word: str, tags: Sequence[TagCount], limit: int = 8) -> list[TagCount]:
    """Existing tags matching `word`: prefix matches first, then fuzzy ones; by count if empty."""
    if not word:
        return sorted(tags, key=lambda t: (-t.count, t.name))[:limit]
    lowered = word.lower()
    prefix = [t for t in tags if t.name.lower().startswith(lowered)]
    prefix.sort(key=lambda t: (-t.count, t.name))
    names = [t.name for t in tags]
    fuzzy = process.extract(
        word,
        names,
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        limit=limit * 2,
        score_cutoff=60,
    )
    seen = {t.name for t in prefix}
    result = list(prefix)
    for _name, _score, index in fuzzy:
        if tags[index].name not in seen:
            seen.add(tags[index].name)
            result.append(tags[index])
    return result[:limit]


class TagDialog(ModalScreen[TagEdit | None]):
    """Ask which tags to add or remove for `target` (a title or "N papers")."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="tag.cancel", tooltip="Close without tagging"),
        Binding(
            "tab",
            "complete",
            "Complete",
            id="tag.complete",
            tooltip="Take the highlighted suggestion",
        ),
        Binding(
            "down", "suggestion(1)", "Next", show=False, id="tag.next", tooltip="Next suggestion"
        ),
        Binding(
            "up",
            "suggestion(-1)",
            "Previous",
            show=False,
            id="tag.previous",
            tooltip="Previous suggestion",
        ),
    ]

    def __init__(self, target: str, tags: Sequence[TagCount], current: Sequence[str] = ()) -> None:
        super().__init__()
        self.target = target
        self.tags = list(tags)
        self.current = tuple(current)

    def compose(self) -> ComposeResult:
        with Vertical(id="tag-box"):
            heading = Text("Tag ", "bold", end="")
            heading.append(self.target, "bold")
            yield Static(heading, id="tag-target", markup=False)
            if self.current:
                yield Static(
                    Text("now: " + " ".join(f"#{t}" for t in self.current), "dim"),
                    id="tag-current",
                    markup=False,
                )
            yield Input(placeholder="tags to add, -tag to remove (space separated)", id="tag-input")
            yield OptionList(id="tag-suggestions", markup=False)
            yield Static(
                Text("Tab completes · Enter applies · Esc cancels", "dim"),
                markup=False,
                id="tag-hint",
            )

    def on_mount(self) -> None:
        self._suggest("")

    def _last_word(self, value: str) -> tuple[str, str]:
        """(prefix incl. any leading '-', the partial tag name) of the word being typed."""
        words = _SPLIT.split(value)
        last = words[-1] if words else ""
        sign = "-" if last.startswith("-") else ""
        return sign, last[len(sign) :]

    def _suggest(self, value: str) -> None:
        _sign, word = self._last_word(value)
        found = self.query("#tag-suggestions").results(OptionList)
        suggestions = next(found, None)
        if suggestions is None:  # pushed while the app was shutting down: nothing to fill
            return
        suggestions.clear_options()
        for tag in complete(word, self.tags):
            prompt = Text(tag.name, end="")
            prompt.append(f"  {tag.count}", "dim")
            suggestions.add_option(Option(prompt, id=tag.name))
        suggestions.highlighted = 0 if suggestions.option_count else None
        suggestions.display = bool(suggestions.option_count)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._suggest(event.value)

    def action_suggestion(self, step: int) -> None:
        suggestions = self.query_one("#tag-suggestions", OptionList)
        if suggestions.option_count:
            index = (suggestions.highlighted or 0) + step
            suggestions.highlighted = max(0, min(index, suggestions.option_count - 1))

    def action_complete(self) -> None:
        suggestions = self.query_one("#tag-suggestions", OptionList)
        if suggestions.highlighted is None or not suggestions.option_count:
            return
        name = suggestions.get_option_at_index(suggestions.highlighted).id or ""
        box = self.query_one("#tag-input", Input)
        sign, word = self._last_word(box.value)
        head = box.value[: len(box.value) - len(sign) - len(word)]
        box.value = f"{head}{sign}{name} "
        box.cursor_position = len(box.value)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_complete()
        self.query_one("#tag-input", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        edit = parse_tag_input(event.value)
        self.dismiss(edit if edit.add or edit.remove else None)

    def action_cancel(self) -> None:
        self.dismiss(None)
