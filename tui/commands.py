"""Command palette support: every app action as a command, and jump to a paper by title."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

if TYPE_CHECKING:
    from papershelf.tui.app import PapershelfApp


def highlighted_title(title: str, offsets: Sequence[int], style: str) -> Content:
    """`title` as plain Content (never markup) with the matched characters styled."""
    content = Content(title)
    for offset in offsets:
        if 0 <= offset < len(title) and not title[offset].isspace():
            content = content.stylize(style, offset, offset + 1)
    return content


class PaperProvider(Provider):
    """Find papers by title (through the query engine, in a thread) and jump to them."""

    @property
    def papershelf(self) -> PapershelfApp:
        return self.app  # type: ignore[return-value]

    async def search(self, query: str) -> Hits:
        query = query.strip()
        if len(query) < 2:
            return
        papers = await asyncio.to_thread(self.papershelf.palette_papers, query)
        matcher = self.matcher(query)
        for rank, paper in enumerate(papers):
            score, offsets = matcher.fuzzy_search.match(matcher.query, paper.title)
            yield Hit(
                max(score, 0.5 - rank / 100),
                highlighted_title(paper.title, offsets, "bold reverse"),
                partial(self.papershelf.jump_to_paper, paper.id),
                text=paper.title,
                help=f"Jump to this paper · {paper.published or 'undated'}",
            )

    async def discover(self) -> Hits:
        """Nothing until the person types: the library can hold a million titles."""
        return
        yield  # pragma: no cover  (makes this an async generator)


class ActionProvider(Provider):
    """Every key's action, searchable by its description."""

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self.app.palette_actions():  # type: ignore[attr-defined]
            score, offsets = matcher.fuzzy_search.match(matcher.query, title)
            if score > 0:
                yield Hit(
                    score,
                    highlighted_title(title, offsets, "bold reverse"),
                    callback,
                    text=title,
                    help=help_text,
                )

    async def discover(self) -> Hits:
        for title, help_text, callback in self.app.palette_actions():  # type: ignore[attr-defined]
            yield DiscoveryHit(title, callback, text=title, help=help_text)
