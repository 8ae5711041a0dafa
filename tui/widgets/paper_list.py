"""The paper list: a ScrollView that draws only the rows on screen (Textual's Line API).

Like toolong's log view, it holds just a list of paper ids; rows are drawn on demand from a
cache of `Paper` records, and drawn strips are kept in an LRU cache. Rows whose paper has not
been loaded yet draw as a placeholder and the list asks its parent for them (`NeedPapers`), so
a 100k- or 1M-paper result costs a list of ints, never 100k widgets. User text goes into rich
`Text` objects, never through markup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from papershelf.db.models import Paper
from papershelf.tui.marks import COMMENT_MARK, UPVOTE_MARK

Highlighter = Callable[[str], Sequence[tuple[int, int]]]

# Rows loaded around the visible ones, so a page down rarely shows placeholders.
PREFETCH_MARGIN = 60
MAX_CACHED_PAPERS = 20_000


def _number(value: int | None, width: int) -> str:
    if value is None:
        return "-".rjust(width)
    return (str(value) if value < 10**width else "9" * width).rjust(width)


class PaperList(ScrollView, can_focus=True):
    """Every paper of the current result, one per line, with a cursor and a selection."""

    BINDINGS = [
        Binding(
            "j,down",
            "cursor_down",
            "Down",
            show=False,
            id="list.down",
            tooltip="Move to the next paper",
        ),
        Binding(
            "k,up",
            "cursor_up",
            "Up",
            show=False,
            id="list.up",
            tooltip="Move to the previous paper",
        ),
        Binding(
            "g,home",
            "cursor_first",
            "First",
            show=False,
            id="list.first",
            tooltip="Jump to the first paper",
        ),
        Binding(
            "G,end",
            "cursor_last",
            "Last",
            show=False,
            id="list.last",
            tooltip="Jump to the last paper",
        ),
        Binding(
            "pageup",
            "cursor_page_up",
            "Page up",
            show=False,
            id="list.page_up",
            tooltip="One screen up",
        ),
        Binding(
            "pagedown",
            "cursor_page_down",
            "Page down",
            show=False,
            id="list.page_down",
            tooltip="One screen down",
        ),
        Binding(
            "space",
            "toggle_select",
            "Select",
            show=False,
            id="list.select",
            tooltip="Select or unselect the paper (r and t act on the selection)",
        ),
        Binding(
            "asterisk",
            "select_all",
            "Select all",
            show=False,
            key_display="*",
            id="list.select_all",
            tooltip="Select every paper shown",
        ),
        Binding(
            "escape",
            "clear_selection",
            "Clear selection",
            show=False,
            id="list.clear_selection",
            tooltip="Unselect everything",
        ),
    ]

    COMPONENT_CLASSES = {
        "paper-list--cursor",
        "paper-list--read",
        "paper-list--unread-mark",
        "paper-list--selected",
        "paper-list--match",
        "paper-list--meta",
        "paper-list--tag",
        "paper-list--placeholder",
    }

    class Highlighted(Message):
        """The cursor moved to another paper (`paper` is None when it is not loaded yet)."""

        def __init__(self, paper_id: int | None, paper: Paper | None) -> None:
            super().__init__()
            self.paper_id = paper_id
            self.paper = paper

    class NeedPapers(Message):
        """Rows on or near the screen have no `Paper` yet: load these ids."""

        def __init__(self, ids: tuple[int, ...]) -> None:
            super().__init__()
            self.ids = ids

    class SelectionChanged(Message):
        """The set of selected papers changed."""

        def __init__(self, count: int) -> None:
            super().__init__()
            self.count = count

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._ids: list[int] = []
        self._papers: dict[int, Paper] = {}
        self._pending: set[int] = set()
        self._strips: LRUCache[tuple, Strip] = LRUCache(1024)
        self._highlighter: Highlighter | None = None
        self._flush_scheduled = False
        self.cursor = 0
        self.selected: set[int] = set()

    def notify_style_update(self) -> None:
        """The styles changed (focus came or went, a theme): drawn rows carry the old ones."""
        super().notify_style_update()
        self._strips.clear()

    # ------------------------------------------------------------------ state from the parent
    @property
    def ids(self) -> list[int]:
        """The ids shown, in order."""
        return self._ids

    @property
    def current_id(self) -> int | None:
        """The id under the cursor, or None when the list is empty."""
        return self._ids[self.cursor] if self._ids else None

    @property
    def current_paper(self) -> Paper | None:
        """The loaded paper under the cursor."""
        pid = self.current_id
        return None if pid is None else self._papers.get(pid)

    def cached(self, paper_id: int) -> Paper | None:
        """The loaded paper with this id, if any."""
        return self._papers.get(paper_id)

    def position(self, paper_id: int) -> int | None:
        """Where `paper_id` is in the list, or None (a C-speed scan: ~5 ms at 1M ids)."""
        try:
            return self._ids.index(paper_id)
        except ValueError:
            return None

    def set_results(
        self,
        ids: list[int],
        papers: Iterable[Paper] = (),
        *,
        highlighter: Highlighter | None = None,
        keep: int | None = None,
    ) -> None:
        """Show `ids` with the cursor on paper `keep` if it is still there, else on the same
        row (a reload after a change), or on the first row when `keep` is None (a new filter)."""
        self._ids = ids
        self._highlighter = highlighter
        self._pending.clear()
        self._store_papers(papers)
        self._strips.clear()
        if self.selected:
            self.selected &= set(ids)
        self.virtual_size = Size(0, len(ids))
        target = self.position(keep) if keep is not None else 0
        self._set_cursor(target if target is not None else self.cursor, force=True)
        self.refresh()

    def update_papers(self, papers: Iterable[Paper]) -> None:
        """Replace loaded papers with fresher copies and redraw."""
        papers = list(papers)
        for paper in papers:
            self._pending.discard(paper.id)
        self._store_papers(papers)
        self._strips.clear()
        self.refresh()
        current = self.current_id
        if current is not None and any(p.id == current for p in papers):
            self.post_message(self.Highlighted(current, self._papers.get(current)))

    def visible_and_nearby(self) -> list[int]:
        """Ids on screen plus a margin on each side, for prefetching."""
        top = int(self.scroll_y)
        height = max(self.scrollable_content_region.height, 1)
        start = max(top - PREFETCH_MARGIN, 0)
        return self._ids[start : top + height + PREFETCH_MARGIN]

    def _visible_ids(self) -> list[int]:
        top = int(self.scroll_y)
        return self._ids[top : top + max(self.size.height, 1)]

    def _store_papers(self, papers: Iterable[Paper]) -> None:
        for paper in papers:
            self._papers[paper.id] = paper
        if len(self._papers) > MAX_CACHED_PAPERS:
            keep = set(self.visible_and_nearby())
            self._papers = {pid: p for pid, p in self._papers.items() if pid in keep}

    # ------------------------------------------------------------------ cursor and selection
    def _set_cursor(self, index: int, *, force: bool = False) -> None:
        old = self.cursor
        index = max(0, min(index, len(self._ids) - 1)) if self._ids else 0
        self.cursor = index
        self._scroll_cursor_visible()
        if old != index:
            self.refresh_line(old)
            self.refresh_line(index)
        if old != index or force:
            pid = self.current_id
            self.post_message(self.Highlighted(pid, None if pid is None else self._papers.get(pid)))

    def move_cursor(self, index: int) -> None:
        """Put the cursor on row `index` (clamped to the list)."""
        self._set_cursor(index)

    def move_to(self, paper_id: int) -> bool:
        """Put the cursor on `paper_id`; False when it is not in the list."""
        index = self.position(paper_id)
        if index is None:
            return False
        self._set_cursor(index)
        return True

    def _scroll_cursor_visible(self) -> None:
        height = self.scrollable_content_region.height
        if height <= 0:
            return
        top = int(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def action_cursor_down(self) -> None:
        self._set_cursor(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self._set_cursor(self.cursor - 1)

    def action_cursor_first(self) -> None:
        self._set_cursor(0)

    def action_cursor_last(self) -> None:
        self._set_cursor(len(self._ids) - 1)

    def action_cursor_page_down(self) -> None:
        self._set_cursor(self.cursor + max(self.scrollable_content_region.height - 1, 1))

    def action_cursor_page_up(self) -> None:
        self._set_cursor(self.cursor - max(self.scrollable_content_region.height - 1, 1))

    def action_toggle_select(self) -> None:
        pid = self.current_id
        if pid is None:
            return
        self.selected ^= {pid}
        self._strips.clear()
        self.refresh_line(self.cursor)
        self.post_message(self.SelectionChanged(len(self.selected)))
        self._set_cursor(self.cursor + 1)

    def action_select_all(self) -> None:
        self.selected = set(self._ids)
        self._strips.clear()
        self.refresh()
        self.post_message(self.SelectionChanged(len(self.selected)))

    def action_clear_selection(self) -> None:
        if self.selected:
            self.clear_selection()

    def clear_selection(self) -> None:
        """Unselect everything."""
        self.selected = set()
        self._strips.clear()
        self.refresh()
        self.post_message(self.SelectionChanged(0))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_selection":
            return bool(self.selected)
        if action in {"toggle_select", "select_all"}:
            return bool(self._ids)
        return True

    async def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None and self._ids:
            self._set_cursor(int(self.scroll_y) + offset.y)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._schedule_flush()

    def on_resize(self) -> None:
        self._scroll_cursor_visible()

    # ------------------------------------------------------------------ drawing
    def _schedule_flush(self) -> None:
        if not self._flush_scheduled:
            self._flush_scheduled = True
            self.call_later(self._flush_missing)

    def _flush_missing(self) -> None:
        self._flush_scheduled = False
        missing = tuple(
            pid
            for pid in self.visible_and_nearby()
            if pid not in self._papers and pid not in self._pending
        )
        if missing:
            self._pending.update(missing)
            self.post_message(self.NeedPapers(missing))

    def render_line(self, y: int) -> Strip:
        index = int(self.scroll_y) + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if index >= len(self._ids):
            return Strip.blank(width, base)
        pid = self._ids[index]
        paper = self._papers.get(pid)
        is_cursor = index == self.cursor
        if paper is None:
            self._schedule_flush()
            style = base + self.get_component_rich_style("paper-list--placeholder")
            if is_cursor:
                style += self.get_component_rich_style("paper-list--cursor")
            return Strip([Segment("   …", style)]).extend_cell_length(width, style)
        key = (pid, width, is_cursor, pid in self.selected)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._render_row(paper, width, is_cursor, pid in self.selected, base)
            self._strips[key] = strip
        return strip

    def _render_row(
        self, paper: Paper, width: int, is_cursor: bool, is_selected: bool, base: Style
    ) -> Strip:
        style = self.get_component_rich_style
        row_style = base
        if paper.read:
            row_style += style("paper-list--read")
        if is_cursor:
            row_style += style("paper-list--cursor")
        meta = style("paper-list--meta", partial=True)
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        if is_selected:
            line.append("▌", style("paper-list--selected", partial=True))
        else:
            line.append(" ")
        line.append("●" if not paper.read else " ", style("paper-list--unread-mark", partial=True))
        line.append(" ")
        line.append((paper.published or "").ljust(10), meta)
        numbers = f" {_number(paper.upvotes, 4)}{UPVOTE_MARK} {_number(paper.comments, 3)}"
        line.append(f"{numbers}{COMMENT_MARK} ", meta)
        prefix = line.cell_len
        tags = Text(no_wrap=True, overflow="ellipsis", end="")
        for tag in paper.tags:
            tags.append(" #", style("paper-list--tag", partial=True))
            tags.append(tag, style("paper-list--tag", partial=True))
        room = max(width - prefix - 1, 0)
        tag_room = min(tags.cell_len, room // 3)
        if tags.cell_len > tag_room:
            tags.truncate(tag_room, overflow="ellipsis")
        # A row shows at most `width` characters of a title: only those are laid out and
        # highlighted, however long the stored title is.
        shown = paper.title[: width + 1]
        title = Text(shown, no_wrap=True, overflow="ellipsis", end="")
        if self._highlighter is not None:
            match = style("paper-list--match", partial=True)
            for start, end in self._highlighter(shown):
                title.stylize(match, start, end)
        title.truncate(max(room - tag_room, 0), overflow="ellipsis", pad=True)
        line.append_text(title)
        line.append_text(tags)
        segments = line.render(self.app.console)
        return Strip(segments).apply_style(row_style).adjust_cell_length(width, row_style)
