"""In-memory bitsets for the Searcher: every set of papers is a Python int, one bit a paper.

Bit `p` is the paper at position `p` of the newest-first order (`published DESC, id DESC`, the
default sort), so the lowest set bits of a result are its newest papers: the first screen of a
result comes from its first few set bits, the total from `int.bit_count()`, and AND / OR / NOT
of two 1M-bit sets take microseconds. Why not SQL for everything: at 100k papers a common word
matches 60k rows, and joining, filtering and ordering that many rows in SQLite cost 100-600 ms
a keystroke, while FTS5 fetching the word's ids once and caching them as a bitset makes the
next keystroke (`flash d` -> `flash de`) free.

What lives here (loaded once per library change, ~0.3 s at 100k from the covering index, never
the abstracts): the order (ids), published dates for date ranges by bisection, read
and tag bitsets (reloaded cheaply when only read marks or tags changed), and two LRU caches:
FTS5 match string -> bitset, and "other term" -> bitset (exact substrings, numbers, ...), the
latter computed by the same SQL predicates as query_sql so both paths mean the same thing.
"""

from __future__ import annotations

import bisect
import json
import operator
import sqlite3
from collections import OrderedDict
from collections.abc import Callable, Iterable
from itertools import compress

from db.search_index import COVER_INDEX, FTS_TABLE

# Cached bitsets: at 1M papers a dense one is 125 KB, so 512 of them stay under ~64 MB.
WORD_CACHE = 512
TERM_CACHE = 128
_CHUNK_BYTES = 2048  # positions() decodes the set in slices so a small `limit` stops early
_SPARSE = 16  # positions(): a slice with under 1/16 of its bits set is walked set bit by set bit
_ZERO_ONE = bytes.maketrans(b"01", b"\x00\x01")
_FLAG_DIGITS = bytes.maketrans(b"\x00\x01", b"01")


class LRU(OrderedDict):
    """A small least-recently-used cache (get/put)."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def get_or(self, key, compute: Callable[[], int]) -> int:
        """The cached value for `key`, computing and storing it on a miss."""
        if key in self:
            self.move_to_end(key)
            return self[key]
        value = compute()
        self[key] = value
        if len(self) > self.size:
            self.popitem(last=False)
        return value


class Bits:
    """The newest-first order of the library plus bitsets over it (see the module docstring)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        # Titles are not loaded: only the re-ranked few hundred need them (`title_of`), and at
        # 1M papers they were ~70 MB and a third of the load time.
        rows = conn.execute(
            f"SELECT id, published FROM papers INDEXED BY {COVER_INDEX}"
            " ORDER BY published DESC, id DESC"
        ).fetchall()
        self.ids: list[int] = [r[0] for r in rows]
        self.n = len(rows)
        self.all = (1 << self.n) - 1
        size = (max(self.ids) + 1) if self.ids else 0
        # id -> position; ids not in the order map to `n`, a spare flag dropped after use.
        self.pos: list[int] = [self.n] * size
        for p, paper_id in enumerate(self.ids):
            self.pos[paper_id] = p
        self._titles: dict[int, str] = {}
        # Published dates ascending by *negated* position, for bisection: positions with a date
        # come first (descending dates), NULL dates last (SQLite sorts NULL lowest).
        dated = [r[1] for r in rows if r[1] is not None]
        self._dates_neg = dated[::-1]  # ascending
        self._dated = len(dated)
        self.words = LRU(WORD_CACHE)
        self.terms = LRU(TERM_CACHE)
        # (terms, matches) -> the re-ranked first positions (query_eval.ranked), a few queries.
        self.reranked: dict[tuple, list[int]] = {}
        self.read = 0
        self.tags: dict[int, int] = {}
        self.tagged = 0
        self._orders: dict[str, list[int]] = {}

    # -- state that changes without new papers ------------------------------------------------
    def load_marks(self, conn: sqlite3.Connection) -> None:
        """Reload read marks and tags (cheap: indexes only); forget cached non-word terms."""
        self.read = self.from_ids(r[0] for r in conn.execute("SELECT id FROM papers WHERE read_at IS NOT NULL"))
        by_tag: dict[int, list[int]] = {}
        for tag_id, paper_id in conn.execute("SELECT tag_id, paper_id FROM paper_tags"):
            by_tag.setdefault(tag_id, []).append(paper_id)
        self.tags = {tag_id: self.from_ids(ids) for tag_id, ids in by_tag.items()}
        tagged = 0
        for bits in self.tags.values():
            tagged |= bits
        self.tagged = tagged
        self.terms.clear()  # upvotes, comments, authors may have changed with the marks
        self._orders.clear()

    # -- conversions ----------------------------------------------------------------------------
    def from_ids(self, ids: Iterable[int], *, ascending: bool = False) -> int:
        """The bitset of paper ids (ids not in the order, e.g. added since the load, are skipped).
        `ascending`: the ids are sorted (FTS5 rowids are), so the range check reads the ends."""
        ids = ids if isinstance(ids, (list, tuple)) else list(ids)
        if not ids or not self.n:
            return 0
        pos, n = self.pos, self.n
        lo, hi = (ids[0], ids[-1]) if ascending else (min(ids), max(ids))
        if lo < 0 or hi >= len(pos):
            ids = [i for i in ids if 0 <= i < len(pos)]
            if not ids:
                return 0
        # One flag byte per paper, then one C-level conversion to an int: a Python loop that
        # shifts and ORs bits costs ~3x more per id, and common words have 60k+ ids.
        found = operator.itemgetter(*ids)(pos) if len(ids) > 1 else (pos[ids[0]],)
        flags = bytearray(n + 1)
        for p in found:
            flags[p] = 1
        del flags[n]
        flags.reverse()  # int(..., 2) reads the most significant digit (the last position) first
        return int(flags.translate(_FLAG_DIGITS), 2)

    def from_list(self, text: str | None, *, ascending: bool = False) -> int:
        """The bitset of a comma-separated id list (what `group_concat(rowid)` returns)."""
        return self.from_ids(json.loads("[" + text + "]"), ascending=ascending) if text else 0

    def title_of(self, conn: sqlite3.Connection, positions: list[int]) -> dict[int, str]:
        """position -> title for a few positions (cached until the next reload)."""
        cache = self._titles
        missing = [self.ids[p] for p in positions if p not in cache]
        for start in range(0, len(missing), 500):
            chunk = missing[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for paper_id, title in conn.execute(f"SELECT id, title FROM papers WHERE id IN ({marks})", chunk):
                cache[self.pos[paper_id]] = title
        if len(cache) > 50_000:  # a long session of different queries: start over
            wanted = {p: cache.get(p, "") for p in positions}
            cache.clear()
            cache.update(wanted)
        return {p: cache.get(p, "") for p in positions}

    def positions(self, bits: int, limit: int | None = None) -> list[int]:
        """Set bit positions in ascending order (newest first), at most `limit` of them."""
        out: list[int] = []
        if bits <= 0:
            return out
        data = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
        for start in range(0, len(data), _CHUNK_BYTES):
            chunk = int.from_bytes(data[start:start + _CHUNK_BYTES], "little")
            if not chunk:
                continue
            digits = format(chunk, "b")[::-1]  # lowest bit first
            base = start * 8
            if chunk.bit_count() * _SPARSE < len(digits):
                # Sparse (a ranking class, a rare word): jump from one set bit to the next with
                # str.find, ~150 ns a set bit, skipping the zeros at memchr speed.
                find = digits.find
                i = find("1")
                while i != -1:
                    out.append(base + i)
                    i = find("1", i + 1)
            else:
                # Dense: one 0/1 byte per bit, then compress() picks the set ones in C:
                # ~10 ns a bit, where a Python loop over bits costs ~100 ns.
                flags = digits.encode().translate(_ZERO_ONE)
                out.extend(compress(range(base, base + len(flags)), flags))
            if limit is not None and len(out) >= limit:
                return out[:limit]
        return out

    def to_ids(self, positions: list[int]) -> list[int]:
        """Paper ids for positions."""
        return list(map(self.ids.__getitem__, positions))

    # -- term sets ------------------------------------------------------------------------------
    def match(self, conn: sqlite3.Connection, expr: str) -> int:
        """Papers matching one FTS5 expression (cached until the library's index changes)."""
        # group_concat: one string instead of a row tuple per id (~3x less time at 60k ids).
        return self.words.get_or(expr, lambda: self.from_list(conn.execute(
            f"SELECT group_concat(rowid) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?", (expr,)).fetchone()[0],
            ascending=True))

    def where(self, conn: sqlite3.Connection, key, sql: str, params: list) -> int:
        """Papers satisfying one SQL predicate over `papers p` (cached until marks or papers change)."""
        return self.terms.get_or(key, lambda: self.from_list(conn.execute(
            f"SELECT group_concat(p.id) FROM papers p WHERE {sql}", params).fetchone()[0]))

    def date_range(self, op: str, value: str) -> int:
        """Papers whose ISO `published` compares `op` to value (NULL dates never match)."""
        dates, dated = self._dates_neg, self._dated
        # dates is ascending; position p (< dated) holds dates[dated - 1 - p].
        if op in (">=", ">"):
            cut = bisect.bisect_left(dates, value) if op == ">=" else bisect.bisect_right(dates, value)
            return (1 << (dated - cut)) - 1  # the newest dated - cut papers
        if op in ("<=", "<"):
            cut = bisect.bisect_right(dates, value) if op == "<=" else bisect.bisect_left(dates, value)
            return ((1 << dated) - 1) & ~((1 << (dated - cut)) - 1)
        lo, hi = bisect.bisect_left(dates, value), bisect.bisect_right(dates, value)
        return ((1 << (dated - lo)) - 1) & ~((1 << (dated - hi)) - 1)

    def order(self, conn: sqlite3.Connection, sort: str, order_by: str) -> list[int]:
        """Every position in another sort's order (loaded on first use, cached)."""
        if sort not in self._orders:
            ids = [r[0] for r in conn.execute(f"SELECT p.id FROM papers p ORDER BY {order_by}")]
            pos = self.pos
            self._orders[sort] = [pos[i] for i in ids if i < len(pos) and pos[i] < self.n]
        return self._orders[sort]
