"""The app's door to the library: the Store plus a lazily built Searcher, for worker threads.

Plain Python (no Textual): every method blocks, so the app calls them only from thread
workers. The Store serialises its own connection; the Searcher reads through its own
connections and is guarded here by a lock, so a search that is being cancelled finishes
(it checks `cancelled` often) before the next one starts.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from papershelf.db.models import ActionResult, Paper, TagCount
from papershelf.db.store import Store

if TYPE_CHECKING:
    from papershelf.db.query import Query, Searcher


@dataclass(frozen=True)
class Found:
    """The outcome of one search: ids in order, the loaded papers of the first rows, the query."""

    text: str
    sort: str
    ids: list[int]
    papers: list[Paper]
    query: Query | None  # for highlight_spans
    keep: int | None
    total: int  # how many papers match (more than len(ids) for a first page)


class Library:
    """Store + Searcher behind one object; safe to call from any worker thread."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._searcher: Searcher | None = None
        self._search_lock = threading.Lock()

    def _get_searcher(self) -> Searcher:
        from papershelf.db.query import (
            Searcher,  # rapidfuzz and the index load only when first needed
        )

        if self._searcher is None:
            self._searcher = Searcher(self.store)
        return self._searcher

    def search(
        self,
        text: str,
        *,
        sort: str,
        limit: int | None = None,
        cancelled: Callable[[], bool] | None = None,
        refresh: bool = False,
    ) -> tuple[list[int], Query, int]:
        """(ids, parsed query, total matches) for `text`; raises db.query.QueryError for a bad query."""
        from papershelf.db.query import parse_query

        query = parse_query(text)
        with self._search_lock:
            searcher = self._get_searcher()
            if refresh:
                searcher.refresh()
            result = searcher.search(query, sort=sort, limit=limit, cancelled=cancelled)
        return list(result.ids), query, result.total

    def warm(self) -> None:
        """Load the search index into memory, so the first typed word does not wait for it.

        Runs without the search lock: a search that needs nothing from the index (the first
        page, filters) goes ahead meanwhile; one that needs it waits inside the Searcher.
        """
        with self._search_lock:
            searcher = self._get_searcher()
        searcher.warm()

    def unread_count(self) -> int:
        """How many papers are unread, library-wide."""
        with self._search_lock:
            return self._get_searcher().search("is:unread", limit=1).total

    def papers(self, ids: Sequence[int]) -> list[Paper]:
        """The papers with these ids, in this order."""
        return self.store.papers(list(ids)) if ids else []

    def count(self) -> int:
        """How many papers the library holds."""
        return self.store.count()

    def tag_counts(self) -> list[TagCount]:
        """Every tag with its counts."""
        return self.store.tag_counts()

    def tag_group_counts(self) -> dict[str, TagCount]:
        """Every tag group (`rl` of `rl/offline`) with its papers, each counted once."""
        return self.store.tag_group_counts()

    def data_version(self) -> int:
        """Changes whenever anyone commits to the library."""
        return self.store.data_version()

    def set_read(self, ids: Sequence[int], read: bool | None = None) -> ActionResult:
        """Mark `ids` read (`read=None`: read unless every one of them already is)."""
        if read is None:
            read = not all(p.read for p in self.papers(ids))
        return self.store.set_read(ids, read)

    def edit_tags(
        self, ids: Sequence[int], add: Sequence[str], remove: Sequence[str]
    ) -> ActionResult:
        """Add and remove tags in one store call: one undo step for the whole dialog entry."""
        return self.store.edit_tags(ids, add=add, remove=remove)

    def undo(self) -> ActionResult | None:
        """Reverse the latest action (the same journal as `papershelf undo`)."""
        return self.store.undo()

    def find_unread(
        self, ids: Sequence[int], start: int, step: int, cancelled: Callable[[], bool]
    ) -> int | None:
        """The index of the next unread paper after `start` going `step` (+1/-1), or None."""
        chunk = 400
        index = start + step
        while 0 <= index < len(ids) and not cancelled():
            if step > 0:
                window = list(ids[index : index + chunk])
                positions = range(index, index + len(window))
            else:
                low = max(index - chunk + 1, 0)
                window = list(reversed(ids[low : index + 1]))
                positions = range(index, low - 1, -1)
            unread = {p.id for p in self.papers(window) if not p.read}
            for position, pid in zip(positions, window):
                if pid in unread:
                    return position
            index += step * len(window)
        return None
