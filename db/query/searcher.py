"""`Searcher`: run a parsed query against the library and rank the matches.

Phases of one search (cancellation is checked between them, and inside SQLite through a
progress handler): (1) keep the index current (index queued papers; forget cached state when the
index changed) and load lazily only what this query needs: the vocabulary only for a word to look
up, the bitsets for anything but a first page of a word-less filter (that one is one indexed SQL
query with LIMIT, so the app paints a 1M-paper library in ~0.1 s; `warm()` loads the rest); (2) expand each fuzzy word against the vocabulary (query_vocab); (3) one
SQL statement: the positive fuzzy words drive it as a single FTS5 MATCH (with bm25), every other
term is a parameterised WHERE predicate; (4) with fuzzy words and sort="relevance", rank in
tiers: how many words hit the title (exactly/as a prefix beats typo/fragment), then a rapidfuzz
score of the words against the title for the best `RERANK`, then newest first. Otherwise the
SQL sort.

Why not bm25: FTS5 computes it at ~7 µs a row, 250 ms for a common word at 100k papers, while
the match itself takes ~10 ms; title-column doclists are small, so title tiers cost ~1 ms a word.
Only ids are read for all matches; titles only for the re-ranked few; abstracts never leave
SQLite; recency comes from an in-memory id -> rank map loaded with the vocabulary.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from papershelf.db import search_index
from papershelf.db.query_bits import LRU, Bits
from papershelf.db.query_eval import evaluate, ranked
from papershelf.db.query_parse import Query, QueryError, Term, fold, parse_query
from papershelf.db.query_rank import exact_expr, full_key, idf_weight
from papershelf.db.query_score import TitleScorer, title_coverage, title_score
from papershelf.db.query_sql import fuzzy_match, term_sql
from papershelf.db.query_vocab import Vocabulary
from papershelf.db.search_index import COVER_INDEX, FTS_TABLE

SORTS = ("relevance", "published", "upvotes", "comments", "added", "title")
_ORDER = {
    "relevance": "p.published DESC, p.id DESC",
    "published": "p.published DESC, p.id DESC",
    "upvotes": "p.upvotes DESC, p.published DESC, p.id DESC",
    "comments": "p.comments DESC, p.published DESC, p.id DESC",
    "added": "p.added_at DESC, p.id DESC",
    "title": "p.title_key, p.id",
}
RERANK = 200


class SearchCancelled(Exception):
    """Raised by `Searcher.search` when its `cancelled()` callback returned True."""


@dataclass(frozen=True, slots=True)
class SearchResult:
    """Matching paper ids in display order (cut to `limit`), and how many matched in all."""

    ids: list[int]
    total: int


class Searcher:
    """Searches one library. Not for concurrent use: give each worker thread its own Searcher
    (or serialise calls); it owns its connections, so it never blocks the store's."""

    def __init__(self, store) -> None:
        self._store = store
        self._conn = store.reader()
        self._conn.create_function("ps_fold", 1, _casefold, deterministic=True)
        self._writer: sqlite3.Connection | None = None
        self._version: int | None = None
        self._fingerprint: tuple | None = None
        self._tags: dict[str, int] = {}
        self._lock = threading.Lock()
        # What is cached in memory, loaded lazily (see `warm`), each tagged with the generation
        # it was read at: an import or undo bumps `_generation` (everything reloads on next use),
        # a change of read marks, tags or numbers only bumps `_marks` (bits reload marks).
        self._generation = 0
        self._marks = 0
        self._vocab_state: tuple[int, Vocabulary] | None = None
        self._bits_state: tuple[int, int, Bits] | None = None  # (generation, marks, bits)
        self._vocab_lock = threading.Lock()
        self._bits_lock = threading.Lock()
        self._recency_cache: tuple[Bits, dict[int, int]] | None = None
        # Recent first screens (see `_search`); whole lists are not kept (1M ids each).
        self._results = LRU(64)
        self.use_bits = True  # False: the all-SQL path (kept as the reference the tests compare)

    # -- keeping current -------------------------------------------------------------------
    def refresh(self) -> None:
        """The library changed: index queued papers and forget what is cached (it reloads on
        the next search that needs it, or in `warm`)."""
        with self._lock:
            self._version = None
            self._fingerprint = None
            self._ensure_current()

    def warm(self) -> None:
        """Load everything a search may need now: the vocabulary (the slow part: ~0.6 s at 100k
        papers, seconds at 1M) and the in-memory order and bitsets.

        Searches never need this: queries without a word (empty, `is:unread`, `tag:x`, numbers,
        dates, sorts) do not load the vocabulary at all, and the first fuzzy word loads it itself.
        Call it from a worker thread after the first paint so that first word does not wait.
        It may run while another thread searches: it reads on its own connections, and a search
        that needs what is being loaded waits for it instead of loading it twice.
        """
        with self._lock:
            self._ensure_current()
        conn = self._store.reader()
        try:
            self._ready(vocab=True, bits=True, conn=conn)
        finally:
            conn.close()

    @property
    def vocabulary_loaded(self) -> bool:
        """Whether the vocabulary of the current library is in memory (for tests and the app)."""
        state = self._vocab_state
        return state is not None and state[0] == self._generation

    @property
    def bits_loaded(self) -> bool:
        """Whether the in-memory order and bitsets of the current library are loaded."""
        state = self._bits_state
        return state is not None and state[0] == self._generation

    def _ensure_current(self) -> None:
        version = self._conn.execute("PRAGMA data_version").fetchone()[0]
        if version == self._version:
            return
        indexed = self._sync()
        self._tags = dict(self._conn.execute("SELECT name, id FROM tags"))
        fingerprint = self._index_fingerprint()
        if indexed or fingerprint != self._fingerprint:
            self._generation += 1
        else:
            # Only read marks, tags or volatile numbers changed: the order and words still hold.
            self._marks += 1
        self._fingerprint = fingerprint
        self._version = self._conn.execute("PRAGMA data_version").fetchone()[0]

    def _index_fingerprint(self) -> tuple:
        # Imports (which may change dates and titles) and undos also change what is cached in
        # memory; tagging and read marks do not (they reload cheaply through load_marks).
        return self._conn.execute(
            f"SELECT (SELECT count(*) FROM {FTS_TABLE}_docsize), (SELECT max(id) FROM {FTS_TABLE}_docsize),"
            " (SELECT count(*) FROM papers), (SELECT max(id) FROM papers), (SELECT max(id) FROM imports),"
            " (SELECT count(*) FROM journal WHERE undone)"
        ).fetchone()

    def _ready(self, *, vocab: bool, bits: bool, conn: sqlite3.Connection | None = None) -> None:
        """Load what is asked for and not current; the vocabulary on its own connection beside
        the bits (both are mostly SQLite work that releases the GIL; at 1M papers the vocabulary
        scan takes ~7 s, the order ~2 s). `conn`: the connection for the bits (default: ours)."""
        box: dict[str, BaseException] = {}
        thread = None
        if vocab and not self.vocabulary_loaded:
            if not bits:
                self._vocabulary()
                return

            def read_vocabulary() -> None:
                try:
                    self._vocabulary()
                except BaseException as error:  # re-raised in the caller's thread
                    box["error"] = error

            thread = threading.Thread(
                target=read_vocabulary, name="papershelf-vocabulary", daemon=True
            )
            thread.start()
        try:
            if bits:
                self._bitsets(conn)
        finally:
            if thread is not None:
                thread.join()
        if "error" in box:
            raise box["error"]

    def _vocabulary(self) -> Vocabulary:
        """The current vocabulary, read (on a connection of its own) if it is not."""
        with self._vocab_lock:
            state = self._vocab_state
            if state is not None and state[0] == self._generation:
                return state[1]
            generation = self._generation
            conn = self._store.reader()
            try:
                vocab = Vocabulary.load(conn)
            finally:
                conn.close()
            self._vocab_state = (generation, vocab)
            return vocab

    def _bitsets(self, conn: sqlite3.Connection | None = None) -> Bits:
        """The in-memory order and bitsets (query_bits), read marks and tags current."""
        conn = conn or self._conn
        with self._bits_lock:
            state = self._bits_state
            generation, marks = self._generation, self._marks
            if state is None or state[0] != generation:
                bits = Bits(conn)
                bits.load_marks(conn)
                self._bits_state = (generation, marks, bits)
            elif state[1] != marks:
                bits = state[2]
                bits.load_marks(conn)
                self._bits_state = (generation, marks, bits)
            return self._bits_state[2]

    @property
    def _recency(self) -> dict[int, int]:
        """id -> rank in newest-first order (higher = newer), for the SQL path's tie-breaks."""
        bits = self._bitsets()
        if self._recency_cache is None or self._recency_cache[0] is not bits:
            self._recency_cache = (bits, {i: bits.n - 1 - p for p, i in enumerate(bits.ids)})
        return self._recency_cache[1]

    @property
    def _newest(self) -> list[int]:
        return self._bitsets().ids

    def _sync(self) -> int:
        """Index papers queued by writers (needs a writable connection; read-only: skipped)."""
        if getattr(self._store, "readonly", False):
            return 0
        if (
            not search_index.pending(self._conn)
            and search_index.unqueued(self._conn) <= 0
            and search_index.vocabulary_exact(self._conn)
        ):
            return 0
        if self._writer is None:
            self._writer = sqlite3.connect(
                str(self._store.path), isolation_level=None, check_same_thread=False, timeout=5.0
            )
            self._writer.execute("PRAGMA busy_timeout = 5000")
        try:
            search_index.queue_missing(self._writer)
            return search_index.sync(self._writer)
        except sqlite3.OperationalError:
            return 0  # read-only file or locked for long: search what is indexed

    def close(self) -> None:
        """Close the Searcher's connections."""
        for conn in (self._conn, self._writer):
            if conn is not None:
                conn.close()

    # -- searching -------------------------------------------------------------------------
    def search(
        self,
        query: str | Query,
        *,
        sort: str = "relevance",
        limit: int | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> SearchResult:
        """Run `query`; raise QueryError for a bad query, SearchCancelled when `cancelled()`."""
        if sort not in SORTS:
            raise QueryError(
                f"unknown sort '{sort}' (expected one of {', '.join(SORTS)}).", term=sort
            )
        parsed = parse_query(query) if isinstance(query, str) else query
        check = cancelled or (lambda: False)
        with self._lock:
            self._conn.set_progress_handler(lambda: 1 if check() else 0, 20_000)
            try:
                return self._search(parsed, sort, limit, check)
            except sqlite3.OperationalError as error:
                if "interrupt" in str(error):
                    raise SearchCancelled() from None
                raise
            finally:
                self._conn.set_progress_handler(None, 0)

    def _search(self, query: Query, sort: str, limit: int | None, check) -> SearchResult:
        self._ensure_current()
        _stop(check)
        need_vocab = needs_vocabulary(query)
        tag_ids = {t.value: self._matching_tags(t) for t in query.fuzzy_terms if t.field is None}
        if (
            self.use_bits
            and not self.bits_loaded
            and not need_vocab
            and limit is not None
            and sort in ("relevance", "published")
            and _quick(query)
        ):
            # The first screen before anything is loaded (the app's first paint): one indexed
            # SQL query with LIMIT and a count, instead of building 1M-bit sets first.
            return self._search_first(query, sort, limit)
        self._ready(vocab=need_vocab, bits=self.use_bits)
        _stop(check)
        vocab = self._vocabulary() if need_vocab else None
        if self.use_bits:
            # Backspacing (`vision transfome` after `vision transfomer`) repeats first screens
            # whose answer cannot have changed: any commit to the library bumps the generation
            # or the marks in the key.
            if limit is None or limit > 1000:  # whole lists: too big to keep many of
                return self._search_bits(query, sort, limit, check, tag_ids, vocab)
            key = (self._generation, self._marks, query.groups, sort, limit)
            cache = self._results
            hit = cache.get(key)
            if hit is not None:
                cache.move_to_end(key)
                return SearchResult(list(hit.ids), hit.total)
            result = self._search_bits(query, sort, limit, check, tag_ids, vocab)
            cache[key] = SearchResult(list(result.ids), result.total)
            if len(cache) > cache.size:
                cache.popitem(last=False)
            return result
        return self._search_sql(query, sort, limit, check, tag_ids, vocab)

    def _search_first(self, query: Query, sort: str, limit: int) -> SearchResult:
        """Word-less filters, newest first, a page of them: the covering index walked in order."""
        params: list = []
        where = [
            ("(" + " OR ".join(term_sql(t, None, params, {}) for t in group) + ")")  # type: ignore[arg-type]
            for group in query.groups
        ]
        cond = " AND ".join(where) or "1"
        ids = [
            row[0]
            for row in self._conn.execute(
                f"SELECT p.id FROM papers p INDEXED BY {COVER_INDEX} WHERE {cond}"
                f" ORDER BY {_ORDER[sort]} LIMIT ?",
                [*params, limit],
            )
        ]
        if len(ids) < limit:
            total = len(ids)
        else:
            total = self._conn.execute(
                f"SELECT count(*) FROM papers p WHERE {cond}", params
            ).fetchone()[0]
        return SearchResult(ids, total)

    def _search_bits(
        self, query: Query, sort: str, limit: int | None, check, tag_ids, vocab: Vocabulary | None
    ) -> SearchResult:
        """The fast path: bitsets in memory (query_bits, query_eval); same results as SQL."""
        bits = self._bitsets()
        stop = lambda: _stop(check)  # noqa: E731
        found = evaluate(query, bits, vocab, self._conn, tag_ids, stop)  # type: ignore[arg-type]
        total = found.bit_count()
        if sort == "relevance" and query.fuzzy_terms:
            assert vocab is not None
            positions = ranked(found, query.fuzzy_terms, bits, vocab, self._conn, limit, stop)
        elif sort in ("relevance", "published"):
            positions = bits.position_array(found, limit)
        else:
            positions = bits.in_order(found, sort, self._conn, _ORDER[sort], limit)
        if limit is not None:
            positions = positions[:limit]
        return SearchResult(bits.to_ids(positions), total)

    def _search_sql(
        self, query: Query, sort: str, limit: int | None, check, tag_ids, vocab: Vocabulary | None
    ) -> SearchResult:
        """The reference path: one SQL statement (FTS5 MATCH + predicates), ranked by `_rank`."""
        params: list = []
        driver: list[str] = []
        where: list[str] = []
        for group in query.groups:
            if all(_drives(t, tag_ids) for t in group):
                matches = [fuzzy_match(t, vocab) for t in group]
                if not any(matches):
                    return SearchResult([], 0)
                driver.append("(" + " OR ".join(f"({m})" for m in matches if m) + ")")
            else:
                where.append(
                    "(" + " OR ".join(term_sql(t, vocab, params, tag_ids) for t in group) + ")"
                )
        _stop(check)
        cond = " AND ".join(where) or "1"
        ranked = sort == "relevance" and bool(query.fuzzy_terms)
        if driver:
            source = f"{FTS_TABLE} JOIN papers p ON p.id = {FTS_TABLE}.rowid"
            cond = f"{FTS_TABLE} MATCH ? AND {cond}"
            params.insert(0, " AND ".join(driver))
        else:
            source = "papers p"
        if not ranked:
            if not driver and sort in ("relevance", "published"):
                source = f"papers p INDEXED BY {COVER_INDEX}"
            sql = f"SELECT p.id FROM {source} WHERE {cond} ORDER BY {_ORDER[sort]}"
            ids = [row[0] for row in self._conn.execute(sql, params)]
            return SearchResult(ids[:limit] if limit is not None else ids, len(ids))
        if driver and not where:
            sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?"
        else:
            sql = f"SELECT p.id FROM {source} WHERE {cond}"
        matched = [row[0] for row in self._conn.execute(sql, params)]
        _stop(check)
        assert vocab is not None
        ids = self._rank(matched, query.fuzzy_terms, check, vocab)
        return SearchResult(ids[:limit] if limit is not None else ids, len(ids))

    def _matching_tags(self, term: Term) -> list[int]:
        """Tags whose name (or a `/`/`-` part of it) matches the fuzzy word closely."""
        word = " ".join(term.tokens)
        out = []
        for name, tag_id in self._tags.items():
            parts = [name, *name.replace("/", " ").replace("-", " ").split()]
            if any(
                p.startswith(word) or (len(word) >= 4 and Levenshtein.distance(word, p) <= 1)
                for p in parts
            ):
                out.append(tag_id)
        return out

    def _title_hits(self, match: str) -> set[int]:
        return self._hits("title", match)

    def _hits(self, column: str | None, match: str) -> set[int]:
        expr = "{" + column + "} : (" + match + ")" if column else match
        return {
            r[0]
            for r in self._conn.execute(
                f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?", (expr,)
            )
        }

    def _rank(
        self, matched: list[int], terms: tuple[Term, ...], check, vocab: Vocabulary
    ) -> list[int]:
        """The reference order (query_rank): (IDF of exact words, title tier, newest) for all
        matches, the best `RERANK` re-sorted by the full key. Sets from SQL, one per feature."""
        found = set(matched)
        rank = self._recency
        n = len(self._newest)
        exact: dict[int, int] = dict.fromkeys(found, 0)
        tiers: dict[int, int] = dict.fromkeys(found, 0)
        in_abstract: dict[int, int] = dict.fromkeys(found, 0)
        for term in terms:
            if term.field not in (None, "title"):
                continue
            plain = Term("fuzzy", term.value, tokens=term.tokens)
            loose = fuzzy_match(plain, vocab)
            strict = exact_expr(term.tokens, vocab)
            if strict:
                scoped = "{title} : (" + strict + ")" if term.field else strict
                hits = self._hits(None, scoped) & set(rank)
                weight = idf_weight(len(hits), n)
                for i in hits & found:
                    exact[i] += weight
            title = self._hits("title", loose) & found if loose else set()
            title_exact = self._hits("title", strict) & title if strict else set()
            for i in title:
                tiers[i] += 2 if i in title_exact else 1
            if term.field is None and loose:
                for i in self._hits("abstract organization", loose) & found:
                    in_abstract[i] += 1
            _stop(check)
        ordered = sorted(matched, key=lambda i: (exact[i], tiers[i], rank.get(i, -1)), reverse=True)
        top = ordered[:RERANK]
        titles: dict[int, str] = {}
        for start in range(0, len(top), 500):
            chunk = top[start : start + 500]
            marks = ",".join("?" * len(chunk))
            titles.update(
                self._conn.execute(f"SELECT id, title FROM papers WHERE id IN ({marks})", chunk)
            )
            _stop(check)
        scorer = TitleScorer([(t.value, t.tokens) for t in terms])
        scores = dict(zip(top, scorer.many([titles.get(i, "") for i in top])))
        keys = {i: full_key(exact[i], tiers[i], scores[i], in_abstract[i]) for i in top}
        top.sort(key=lambda i: (keys[i], rank.get(i, -1)), reverse=True)
        return top + ordered[RERANK:]


def needs_vocabulary(query: Query) -> bool:
    """Whether a query has a word to look up in the vocabulary (fuzzy words; exact substrings and
    `^x` use it for their FTS prefilter). Everything else runs without loading it."""
    return any(
        (t.kind == "fuzzy" and t.tokens) or t.kind in ("exact", "prefix") for t in query.terms
    )


# Terms the first-screen SQL handles well (indexed columns or cheap per-row checks).
_QUICK = ("state", "date", "number", "tag", "suffix", "equals", "id", "author", "added")


def _quick(query: Query) -> bool:
    return all(t.kind in _QUICK for t in query.terms)


def _drives(term: Term, tag_ids: dict[str, list[int]]) -> bool:
    """Whether a term can be part of the single FTS5 MATCH that drives the query."""
    return (
        term.kind == "fuzzy"
        and not term.negated
        and bool(term.tokens)
        and not tag_ids.get(str(term.value))
    )


def _stop(check: Callable[[], bool]) -> None:
    if check():
        raise SearchCancelled()


def _casefold(value):
    return value.casefold() if isinstance(value, str) else value


__all__ = [
    "SORTS",
    "SearchCancelled",
    "SearchResult",
    "Searcher",
    "title_coverage",
    "title_score",
    "fold",
]
