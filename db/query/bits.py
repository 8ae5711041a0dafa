"""The sets the evaluator works with: every set of papers is a Python int, one bit a paper.

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
latter computed by the SQL predicates of predicates.py.

numpy does the conversions only (sets stay Python ints): an FTS5 id list becomes a bitset by one
scatter into a flag array and `packbits` (~2 ns an id; the pure-Python loop it replaced cost
~70 ns, a third of every cold query at 100k), and a bitset becomes positions by `unpackbits`.
"""

from __future__ import annotations

import bisect
import json
import re
import sqlite3
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from papershelf.db.query.parse import Term
from papershelf.db.search_index import COVER_INDEX, FTS_TABLE

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    # Positions in some order: a numpy array from the whole library's bits, a list from a
    # subset's (`SubsetBits`).
    Positions: TypeAlias = "NDArray[np.int64] | list[int]"

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

# Cached bitsets: at 1M papers a dense one is 125 KB, so 512 of them stay under ~64 MB.
WORD_CACHE = 512
# Looking up one paper's row costs about as much as scanning this many covering-index entries.
LOOKUP_COST = 6
TERM_CACHE = 128
_CHUNK_BYTES = 2048  # positions() decodes the set in slices so a small `limit` stops early


class LRU(OrderedDict[K, V]):
    """A small least-recently-used cache."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def get_or(self, key: K, compute: Callable[[], V]) -> V:
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

    def __init__(self, conn: sqlite3.Connection, subset: list[int] | None = None) -> None:
        """The whole library, or only the papers `subset` names (a single search that knows a
        superset of its matches: every set, order and answer is then within those papers, and
        `count` tells how many papers of the whole library match an expression)."""
        # Titles are not loaded: only the re-ranked few hundred need them (`title_of`), and at
        # 1M papers they were ~70 MB and a third of the load time.
        # One string per column instead of a tuple per paper (1M papers: 0.26 s instead of 0.6).
        # group_concat skips NULL dates, which sort last: what is left are the dated positions.
        self.subset = None if subset is None else json.dumps(subset)
        library_size = None
        # The order comes from the covering index; a small subset's by looking up its rows
        # instead (one row costs about as much as scanning six entries of the index).
        source = f"papers INDEXED BY {COVER_INDEX}"
        if subset is not None:
            library_size = int(conn.execute("SELECT count(*) FROM papers").fetchone()[0])
            source = "papers" if len(subset) * LOOKUP_COST < library_size else source
            source += " WHERE id IN (SELECT value FROM json_each(?))"
        ids_text, dates_text = conn.execute(
            "SELECT group_concat(id), group_concat(published, char(31)) FROM"
            f" (SELECT id, published FROM {source} ORDER BY published DESC, id DESC)",
            [] if self.subset is None else [self.subset],
        ).fetchone()
        self.ids: list[int] = self._index(ids_text or "")
        self.n = len(self.ids)
        self.library_size = self.n if library_size is None else library_size
        self.all = (1 << self.n) - 1
        self._titles: dict[int, str] = {}
        # Published dates ascending by *negated* position, for bisection: positions with a date
        # come first (descending dates), NULL dates last (SQLite sorts NULL lowest).
        dated = dates_text.split("\x1f") if dates_text else []
        self._dates_neg = dated[::-1]  # ascending
        self._dated = len(dated)
        self.words: LRU[str, int] = LRU(WORD_CACHE)
        self.terms: LRU[Hashable, int] = LRU(TERM_CACHE)
        # (terms, matches) -> the re-ranked first positions (rank.ranked), a few queries.
        self.reranked: dict[Hashable, list[int]] = {}
        self.read = 0
        self.tags: dict[int, int] = {}
        self.tagged = 0
        self._orders: dict[str, Positions] = {}
        self._lines: tuple[str, list[int]] | None = None

    def _index(self, ids_text: str) -> list[int]:
        """Position -> id (returned) and id -> position from the comma-separated order. Ids not
        in the order map to `n`, a spare flag dropped after use (numpy: the id lists of common
        words are scattered in C)."""
        import numpy as np

        self.id_array = (
            np.fromstring(ids_text, dtype=np.int64, sep=",")
            if ids_text
            else np.zeros(0, dtype=np.int64)
        )
        n = int(self.id_array.size)
        size = int(self.id_array.max()) + 1 if n else 0
        self.pos_array = np.full(size + 1, n, dtype=np.int64)
        self.pos_array[self.id_array] = np.arange(n, dtype=np.int64)
        ids: list[int] = self.id_array.tolist()
        return ids

    def position_of(self, paper_id: int) -> int:
        """The position of a paper in the order (`n` for one not in it)."""
        pos = self.pos_array
        return int(pos[paper_id]) if 0 <= paper_id < pos.size else self.n

    # -- state that changes without new papers ------------------------------------------------
    def load_marks(self, conn: sqlite3.Connection) -> None:
        """Reload read marks and tags (cheap: indexes only); forget cached non-word terms."""
        # The whole library's marks and tags come from indexes; a small subset's by looking up
        # its papers (as its order is read), a large one's as the whole library's, skipping
        # the ids outside it.
        if self.subset is not None and self.n * LOOKUP_COST < self.library_size:
            within, args = " AND id IN (SELECT value FROM json_each(?))", [self.subset]
            read_sql = f"SELECT group_concat(id) FROM papers WHERE read_at IS NOT NULL{within}"
            tags_sql = (
                "SELECT tag_id, group_concat(paper_id) FROM paper_tags"
                " WHERE paper_id IN (SELECT value FROM json_each(?)) GROUP BY tag_id"
            )
        else:
            read_sql = (
                f"SELECT group_concat(id) FROM papers INDEXED BY {COVER_INDEX}"
                " WHERE read_at IS NOT NULL"
            )
            tags_sql = "SELECT tag_id, group_concat(paper_id) FROM paper_tags GROUP BY tag_id"
            args = []
        self.read = self.from_list(conn.execute(read_sql, args).fetchone()[0])
        self.tags = {tag_id: self.from_list(ids) for tag_id, ids in conn.execute(tags_sql, args)}
        tagged = 0
        for bits in self.tags.values():
            tagged |= bits
        self.tagged = tagged
        self.terms.clear()  # upvotes, comments, authors may have changed with the marks
        self._orders.clear()

    # -- conversions ----------------------------------------------------------------------------
    def from_ids(self, ids: Iterable[int]) -> int:
        """The bitset of paper ids (ids not in the order, e.g. added since the load, are skipped)."""
        import numpy as np

        return self._from_array(np.fromiter(ids, dtype=np.int64))

    def from_list(self, text: str | None) -> int:
        """The bitset of a comma-separated id list (what `group_concat(rowid)` returns)."""
        import numpy as np

        if not text:
            return 0
        return self._from_array(np.fromstring(text, dtype=np.int64, sep=","))

    def _from_array(self, ids: NDArray[np.int64]) -> int:
        import numpy as np

        # One flag byte per paper set by a numpy scatter, packed to bits in C: a Python loop
        # costs ~70 ns an id, and common words have 60k+ ids at 100k papers (600k at 1M).
        if not ids.size or not self.n:
            return 0
        pos = self.pos_array
        if ids.min() < 0 or ids.max() >= pos.size - 1:
            ids = ids[(ids >= 0) & (ids < pos.size - 1)]
        flags = np.zeros(self.n + 1, dtype=np.uint8)
        flags[pos[ids]] = 1
        return int.from_bytes(np.packbits(flags[: self.n], bitorder="little").tobytes(), "little")

    def title_of(self, conn: sqlite3.Connection, positions: list[int]) -> dict[int, str]:
        """position -> title for a few positions (cached until the next reload)."""
        cache = self._titles
        missing = [self.ids[p] for p in positions if p not in cache]
        for start in range(0, len(missing), 500):
            chunk = missing[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for paper_id, title in conn.execute(
                f"SELECT id, title FROM papers WHERE id IN ({marks})", chunk
            ):
                cache[self.position_of(paper_id)] = title
        if len(cache) > 50_000:  # a long session of different queries: start over
            wanted = {p: cache.get(p, "") for p in positions}
            cache.clear()
            cache.update(wanted)
        return {p: cache.get(p, "") for p in positions}

    def subsequence(self, conn: sqlite3.Connection, groups: Sequence[Sequence[Term]]) -> list[int]:
        """Positions whose title, for every group, contains one of its words' letters in order,
        as fzf matches (case folded, gaps allowed; a group is words typed with `|` between
        them), the tightest matches first, then newest. The titles load on the first call (only
        a search the index found nothing for needs them)."""
        blob, starts = self._title_lines(conn)
        spans: dict[int, int] | None = None
        # The group with the longest shortest word first: it leaves the fewest lines for the
        # others to check.
        alternatives = [[[c for c in str(w.value) if not c.isspace()] for w in g] for g in groups]
        for group in sorted(alternatives, key=lambda g: min(map(len, g), default=0), reverse=True):
            if not any(group):
                continue
            found: dict[int, int] = {}
            for letters in group:
                if not letters:
                    continue
                # Each next letter at its first occurrence (`[^\nx]*x`): no backtracking, and
                # the leftmost, earliest match, whose length says how tight the match is.
                pattern = re.compile(
                    re.escape(letters[0])
                    + "".join(f"[^\n{re.escape(c)}]*{re.escape(c)}" for c in letters[1:])
                )
                if spans is None:
                    first: dict[int, int] = {}  # each line's leftmost match
                    for m in pattern.finditer(blob):
                        line = bisect.bisect_right(starts, m.start()) - 1
                        if line not in first:
                            first[line] = m.end() - m.start()
                    for line, span in first.items():
                        if span < found.get(line, span + 1):
                            found[line] = span
                else:
                    for line, before in spans.items():
                        end = starts[line + 1] - 1 if line + 1 < len(starts) else len(blob)
                        hit = pattern.search(blob, starts[line], end)
                        if hit is not None:
                            span = before + hit.end() - hit.start()
                            if span < found.get(line, span + 1):
                                found[line] = span
            spans = found
            if not spans:
                return []
        final = spans or {}
        return sorted(final, key=lambda p: (final[p], p))

    def _title_lines(self, conn: sqlite3.Connection) -> tuple[str, list[int]]:
        """Every title, casefolded, one line per position, and where each line starts."""
        if self._lines is None:
            # The covering index holds the titles in the bit order: one string from SQLite.
            within = "" if self.subset is None else " WHERE id IN (SELECT value FROM json_each(?))"
            text = conn.execute(
                "SELECT group_concat(replace(title, char(10), ' '), char(10)) FROM"
                f" (SELECT title FROM papers INDEXED BY {COVER_INDEX}{within}"
                " ORDER BY published DESC, id DESC)",
                [] if self.subset is None else [self.subset],
            ).fetchone()[0]
            blob = (text or "").casefold()
            starts: list[int] = []
            at = 0
            while at != -1 and len(starts) < self.n:
                starts.append(at)
                at = blob.find("\n", at)
                at = at + 1 if at != -1 else -1
            self._lines = (blob, starts)
        return self._lines

    def positions(self, bits: int, limit: int | None = None) -> list[int]:
        """Set bit positions in ascending order (newest first), at most `limit` of them."""
        found = self.position_array(bits, limit)
        return found if isinstance(found, list) else found.tolist()

    def position_array(self, bits: int, limit: int | None = None) -> Positions:
        """`positions` as a numpy array; a small `limit` decodes only the first slices."""
        import numpy as np

        if bits <= 0:
            return np.zeros(0, dtype=np.int64)
        data = np.frombuffer(bits.to_bytes((bits.bit_length() + 7) // 8, "little"), dtype=np.uint8)
        if limit is None:
            return np.flatnonzero(np.unpackbits(data, bitorder="little"))
        parts: list[NDArray[np.int64]] = []
        found = 0
        for start in range(0, data.size, _CHUNK_BYTES):
            chunk = data[start : start + _CHUNK_BYTES]
            if not chunk.any():
                continue
            hits = np.flatnonzero(np.unpackbits(chunk, bitorder="little")) + start * 8
            parts.append(hits)
            found += hits.size
            if found >= limit:
                break
        return np.concatenate(parts)[:limit] if parts else np.zeros(0, dtype=np.int64)

    def to_ids(self, positions: Sequence[int] | Positions) -> list[int]:
        """Paper ids for positions (a list or a numpy array)."""
        import numpy as np

        if not len(positions):
            return []
        ids: list[int] = self.id_array[np.asarray(positions, dtype=np.int64)].tolist()
        return ids

    # -- term sets ------------------------------------------------------------------------------
    def match(self, conn: sqlite3.Connection, expr: str) -> int:
        """Papers matching one FTS5 expression (cached until the library's index changes)."""
        # group_concat: one string instead of a row tuple per id (~3x less time at 60k ids).
        return self.words.get_or(
            expr,
            lambda: self.from_list(
                conn.execute(
                    f"SELECT group_concat(rowid) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?",
                    (expr,),
                ).fetchone()[0]
            ),
        )

    def count(self, conn: sqlite3.Connection, expr: str | None, within: int) -> int:
        """How many papers of the whole library match an FTS5 expression: `within`'s size when
        these are the whole library's bits (`within` the papers matching it), else asked."""
        if self.subset is None:
            return within.bit_count()
        if expr is None:
            return 0
        key = ("count", expr)
        if key not in self.terms:
            sql = f"SELECT count(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?"
            self.terms[key] = int(conn.execute(sql, [expr]).fetchone()[0])
        return self.terms[key]

    def where(self, conn: sqlite3.Connection, key: Hashable, sql: str, params: list[Any]) -> int:
        """Papers satisfying one SQL predicate over `papers p` (cached until marks or papers change)."""
        return self.terms.get_or(
            key,
            lambda: self.from_list(
                conn.execute(
                    f"SELECT group_concat(p.id) FROM papers p WHERE {sql}", params
                ).fetchone()[0]
            ),
        )

    def date_range(self, op: str, value: str) -> int:
        """Papers whose ISO `published` compares `op` to value (NULL dates never match)."""
        dates, dated = self._dates_neg, self._dated
        # dates is ascending; position p (< dated) holds dates[dated - 1 - p].
        if op in (">=", ">"):
            cut = (
                bisect.bisect_left(dates, value)
                if op == ">="
                else bisect.bisect_right(dates, value)
            )
            return (1 << (dated - cut)) - 1  # the newest dated - cut papers
        if op in ("<=", "<"):
            cut = (
                bisect.bisect_right(dates, value)
                if op == "<="
                else bisect.bisect_left(dates, value)
            )
            return ((1 << dated) - 1) & ~((1 << (dated - cut)) - 1)
        lo, hi = bisect.bisect_left(dates, value), bisect.bisect_right(dates, value)
        return ((1 << (dated - lo)) - 1) & ~((1 << (dated - hi)) - 1)

    def order(self, conn: sqlite3.Connection, sort: str, order_by: str) -> Positions:
        """Every position in another sort's order (loaded on first use, cached)."""
        import numpy as np

        if sort not in self._orders:
            within = (
                "" if self.subset is None else " WHERE p.id IN (SELECT value FROM json_each(?))"
            )
            rows = conn.execute(
                f"SELECT p.id FROM papers p{within} ORDER BY {order_by}",
                [] if self.subset is None else [self.subset],
            )
            ids = np.array([r[0] for r in rows], dtype=np.int64)
            ids = ids[ids < self.pos_array.size - 1]
            positions = self.pos_array[ids]
            self._orders[sort] = positions[positions < self.n]
        return self._orders[sort]

    def in_order(
        self,
        bits: int,
        sort: str,
        conn: sqlite3.Connection,
        order_by: str,
        limit: int | None = None,
    ) -> Positions:
        """The positions of `bits` in another sort's order, at most `limit`."""
        import numpy as np

        order = np.asarray(self.order(conn, sort, order_by), dtype=np.int64)
        flags = self.flags(bits)
        chosen: NDArray[np.int64] = order[flags[order].astype(bool)]
        return chosen if limit is None else chosen[:limit]

    def flags(self, bits: int) -> NDArray[np.uint8]:
        """One 0/1 byte per position (n of them)."""
        import numpy as np

        data = np.frombuffer(bits.to_bytes((self.n + 7) // 8 or 1, "little"), dtype=np.uint8)
        return np.unpackbits(data, bitorder="little")[: self.n]


class SubsetBits(Bits):
    """Bits over only the papers one search can match, converted in plain Python: for a few
    thousand papers that costs less than importing numpy, which is most of a command-line
    search's time. Same answers as `Bits(conn, subset=...)`."""

    def _index(self, ids_text: str) -> list[int]:
        texts = ids_text.split(",") if ids_text else []
        ids = list(map(int, texts))
        self._pos = dict(zip(ids, range(len(ids)), strict=True))
        # The same keyed by the id's text: an id list from SQLite is looked up without parsing.
        self._pos_text = dict(zip(texts, range(len(ids)), strict=True))
        return ids

    def position_of(self, paper_id: int) -> int:
        return self._pos.get(paper_id, self.n)

    def from_ids(self, ids: Iterable[int]) -> int:
        return self._bits(map(self._pos.get, ids))

    def from_list(self, text: str | None) -> int:
        return self._bits(map(self._pos_text.get, text.split(","))) if text else 0

    def _bits(self, positions: Iterable[int | None]) -> int:
        """The bitset of `positions` (None: an id outside the subset, skipped). One ASCII digit
        per position, read by int() in C: setting a byte is the only Python step per paper
        (common words bring tens of thousands of ids)."""
        if not self.n:
            return 0
        digits = bytearray(b"0") * self.n
        for p in positions:
            if p is not None:
                digits[p] = 49  # "1"
        digits.reverse()
        return int(digits, 2)

    def position_array(self, bits: int, limit: int | None = None) -> list[int]:
        if bits <= 0:
            return []
        data = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
        found: list[int] = []
        for byte in _NONZERO.finditer(data):  # zero bytes are skipped in C
            at = byte.start()
            found.extend(8 * at + b for b in _BYTE_BITS[data[at]])
            if limit is not None and len(found) >= limit:
                return found[:limit]
        return found

    def to_ids(self, positions: Sequence[int] | Positions) -> list[int]:
        ids = self.ids
        return [ids[int(p)] for p in positions]

    def order(self, conn: sqlite3.Connection, sort: str, order_by: str) -> list[int]:
        if sort not in self._orders:
            pos = self._pos
            rows = conn.execute(
                "SELECT p.id FROM papers p WHERE p.id IN (SELECT value FROM json_each(?))"
                f" ORDER BY {order_by}",
                [self.subset],
            )
            self._orders[sort] = [pos[r[0]] for r in rows if r[0] in pos]
        return list(self._orders[sort])

    def in_order(
        self,
        bits: int,
        sort: str,
        conn: sqlite3.Connection,
        order_by: str,
        limit: int | None = None,
    ) -> list[int]:
        flags = format(bits, "b")[::-1] if bits > 0 else ""  # flags[p] == "1": position p is in
        chosen = [p for p in self.order(conn, sort, order_by) if p < len(flags) and flags[p] == "1"]
        return chosen if limit is None else chosen[:limit]


_NONZERO = re.compile(rb"[^\x00]")
# byte value -> the bits set in it, lowest first
_BYTE_BITS = [tuple(b for b in range(8) if value >> b & 1) for value in range(256)]
