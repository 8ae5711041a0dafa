"""`Searcher`: runs the pipeline (parse, expand, evaluate, rank, page) over one library.

One search: (1) keep the in-memory state current (index queued papers; forget cached state
when the library changed) and load lazily only what this query needs: the vocabulary only for
a word to look up, the bitsets for anything but a first page of a word-less filter (page.py
answers that with one SQL statement; `warm()` loads the rest); (2) expand each word against
the vocabulary (vocabulary.py); (3) evaluate the query to a bitset (evaluate.py); (4) with
words, rank by relevance (rank.py); (5) cut the page in the chosen sort (page.py).
Cancellation is checked between the stages, and inside SQLite through a progress handler.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from papershelf.db import search_index
from papershelf.db.query import page
from papershelf.db.query.bits import LRU, Bits, SubsetBits
from papershelf.db.query.evaluate import evaluate, fts_ids, joined_term, matching_tags, plain_word
from papershelf.db.query.parse import Query, QueryError, parse_query
from papershelf.db.query.rank import rank_words, ranked
from papershelf.db.query.sorts import parse_sort
from papershelf.db.query.vocabulary import IndexedVocabulary, Vocabulary
from papershelf.db.search_index import FTS_TABLE

if TYPE_CHECKING:
    from papershelf.db.store import Store


class SearchCancelled(Exception):
    """Raised by `Searcher.search` when its `cancelled()` callback returned True."""


@dataclass(frozen=True, slots=True)
class SearchResult:
    """Matching paper ids in display order (cut to `limit`), and how many matched in all.

    `relevance`: the order is relevance (the query had words and was not sorted otherwise), so
    the caller can say so. `fallback`: the index found nothing and these are titles containing
    the query's letters in order (as fzf finds them), best first.
    """

    ids: list[int]
    total: int
    relevance: bool = False
    fallback: bool = False


class Searcher:
    """Searches one library. Not for concurrent use: give each worker thread its own Searcher
    (or serialise calls); it owns its connections, so it never blocks the store's."""

    def __init__(self, store: Store, *, whole_index: bool = True) -> None:
        """`whole_index=False`: for one search (as the command line runs): words are looked up
        in the saved vocabulary instead of loading it, and a search with words and a limit
        reads only the papers its rarest word can match."""
        self._store = store
        self._whole_index = whole_index
        self._conn = store.reader()
        self._conn.create_function("ps_fold", 1, _casefold, deterministic=True)
        self._writer: sqlite3.Connection | None = None
        self._version: int | None = None
        self._fingerprint: tuple[int, ...] | None = None
        self._tags: dict[str, int] = {}
        self._lock = threading.Lock()
        # What is cached in memory, loaded lazily (see `warm`), each tagged with the generation
        # it was read at: an import or undo bumps `_generation` (everything reloads on next use),
        # a change of read marks, tags or numbers only bumps `_marks` (bits reload marks).
        self._generation = 0
        self._marks = 0
        self._vocab_state: tuple[int, Vocabulary] | None = None
        self._lookup_state: tuple[int, Vocabulary] | None = None
        self._bits_state: tuple[int, int, Bits] | None = None  # (generation, marks, bits)
        self._vocab_lock = threading.Lock()
        self._bits_lock = threading.Lock()
        # Recent first screens (see `_search`); whole lists are not kept (1M ids each).
        self._results: LRU[tuple[object, ...], SearchResult] = LRU(64)

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
        # One search (the command line) has nothing cached to keep: it skips the fingerprint,
        # and a next search, if any, compares with none and reloads.
        first_of_one = not self._whole_index and self._version is None
        fingerprint = None if first_of_one else self._index_fingerprint()
        if indexed or fingerprint != self._fingerprint:
            self._generation += 1
        else:
            # Only read marks, tags or volatile numbers changed: the order and words still hold.
            self._marks += 1
        self._fingerprint = fingerprint
        self._version = self._conn.execute("PRAGMA data_version").fetchone()[0]

    def _index_fingerprint(self) -> tuple[int, ...]:
        # Imports (which may change dates and titles) and undos also change what is cached in
        # memory; tagging and read marks do not (they reload cheaply through load_marks).
        row = self._conn.execute(
            f"SELECT (SELECT count(*) FROM {FTS_TABLE}_docsize),"
            f" (SELECT max(id) FROM {FTS_TABLE}_docsize),"
            " (SELECT count(*) FROM papers), (SELECT max(id) FROM papers),"
            " (SELECT max(id) FROM imports), (SELECT count(*) FROM journal WHERE undone)"
        ).fetchone()
        return tuple(row)

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

    def _words(self) -> Vocabulary:
        """The vocabulary this Searcher looks words up in: loaded whole, or (one search) the
        saved table looked up token by token, its terms read as one string."""
        if self._whole_index or self.vocabulary_loaded:
            return self._vocabulary()
        state = self._lookup_state
        if state is None or state[0] != self._generation:
            vocab = IndexedVocabulary.open(self._conn)
            state = self._lookup_state = (self._generation, vocab)
        return state[1]

    def _bitsets(self, conn: sqlite3.Connection | None = None) -> Bits:
        """The in-memory order and bitsets (bits.py), read marks and tags current."""
        conn = conn or self._conn
        with self._bits_lock:
            state = self._bits_state
            generation, marks = self._generation, self._marks
            if state is None or state[0] != generation:
                bits = Bits(conn)
                bits.load_marks(conn)
            else:
                bits = state[2]
                if state[1] != marks:
                    bits.load_marks(conn)
            self._bits_state = (generation, marks, bits)
            return bits

    def _sync(self) -> int:
        """Index papers queued by writers (needs a writable connection; read-only: skipped)."""
        if self._store.readonly:
            return 0
        if (
            not search_index.pending(self._conn)
            and search_index.unqueued(self._conn) <= 0
            and search_index.terms_exact(self._conn)
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
        sort_words_by: str = "relevance",
        limit: int | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> SearchResult:
        """Run `query`; raise QueryError for a bad query, SearchCancelled when `cancelled()`.

        Two sorts, so a browsing order never buries what was typed: `sort` orders a query
        without words (the list as browsed: `tag:x`, `is:unread`, nothing), `sort_words_by` a
        query with words (default relevance: the best match first, whatever the browsing
        sort). Either is a name of SORTS, or `-name` for its reverse (`-upvotes`: fewest
        first). `result.relevance` says whether the order is relevance. When the index finds
        no paper for the words, titles containing their letters in order are returned
        (`result.fallback`), so a search is never emptier than fzf over titles.
        """
        try:
            sort_name, reverse = parse_sort(sort)
            words_name, words_reverse = parse_sort(sort_words_by)
        except ValueError as error:
            raise QueryError(str(error), term=sort) from None
        parsed = parse_query(query) if isinstance(query, str) else query
        if parsed.fuzzy_terms:
            sort_name, reverse = words_name, words_reverse
        check = cancelled or (lambda: False)
        with self._lock:
            self._conn.set_progress_handler(lambda: 1 if check() else 0, 20_000)
            try:
                return self._search(parsed, sort_name, reverse, limit, check)
            except sqlite3.OperationalError as error:
                if "interrupt" in str(error):
                    raise SearchCancelled() from None
                raise
            finally:
                self._conn.set_progress_handler(None, 0)

    def _search(
        self,
        query: Query,
        sort: str,
        reverse: bool,
        limit: int | None,
        check: Callable[[], bool],
    ) -> SearchResult:
        self._ensure_current()
        _stop(check)
        need_vocab = needs_vocabulary(query)
        if (
            not self.bits_loaded
            and not need_vocab
            and limit is not None
            and not reverse
            and page.quick(query, sort)
        ):
            # The first screen before anything is loaded (the app's first paint).
            ids, total = page.first_page(self._conn, query, sort, limit)
            return SearchResult(ids, total)
        if not self._whole_index and not self.bits_loaded and limit is not None and need_vocab:
            found = self._search_within(query, sort, reverse, limit, check)
            if found is not None:
                return found
        self._ready(vocab=need_vocab and self._whole_index, bits=True)
        _stop(check)
        vocab = self._words() if need_vocab else None
        if limit is None or limit > 1000:  # whole lists: too big to keep many of
            return self._run(query, sort, reverse, limit, check, vocab)
        # Backspacing (`vision transfome` after `vision transfomer`) repeats first screens whose
        # answer cannot have changed: any commit to the library bumps the generation or the
        # marks in the key.
        key = (self._generation, self._marks, query.groups, sort, reverse, limit)
        cache = self._results
        hit = cache.get(key)
        if hit is not None:
            cache.move_to_end(key)
            return SearchResult(list(hit.ids), hit.total, hit.relevance, hit.fallback)
        result = self._run(query, sort, reverse, limit, check, vocab)
        cache[key] = SearchResult(list(result.ids), result.total, result.relevance, result.fallback)
        if len(cache) > cache.size:
            cache.popitem(last=False)
        return result

    def _run(
        self,
        query: Query,
        sort: str,
        reverse: bool,
        limit: int | None,
        check: Callable[[], bool],
        vocab: Vocabulary | None,
        bits: Bits | None = None,
    ) -> SearchResult:
        """Evaluate, rank and page one query over the loaded bitsets (or `bits`)."""
        bits = bits or self._bitsets()

        def stop() -> None:
            _stop(check)

        tag_ids = {
            str(t.value): matching_tags(self._tags, t) for t in query.fuzzy_terms if t.field is None
        }
        found = evaluate(query, bits, vocab, self._conn, tag_ids, stop)
        if not found and query.fuzzy_terms:
            if bits.subset is not None:
                return SearchResult([], 0)
            return self._fallback(query, vocab, tag_ids, limit, stop)
        total = found.bit_count()
        if sort == "relevance" and query.fuzzy_terms:
            assert vocab is not None
            words = rank_words(query, vocab)
            positions = ranked(
                found, words, bits, vocab, self._conn, None if reverse else limit, stop
            )
            if reverse:
                positions = positions[::-1]
            return SearchResult(bits.to_ids(positions[:limit]), total, relevance=True)
        positions_ = page.in_sort(found, bits, self._conn, sort, limit, reverse=reverse)
        return SearchResult(bits.to_ids(positions_), total)

    def _search_within(
        self, query: Query, sort: str, reverse: bool, limit: int, check: Callable[[], bool]
    ) -> SearchResult | None:
        """One search without loading the whole index: bitsets over only the papers the
        narrowest of the query's words can match (its vocabulary alternatives, and the words it
        may be joined with), not the library's whole order. None when no word narrows the search
        enough, or nothing matched (the whole index decides then, and falls back to titles)."""
        vocab = self._words()
        groups = query.groups
        words = [plain_word(g) for g in groups]
        narrowest: set[int] | None = None
        for i, word in enumerate(words):
            if word is None:
                continue
            parts = [word] + [
                joined_term(a, b)
                for a, b in (
                    (words[i - 1] if i else None, word),
                    (word, words[i + 1] if i + 1 < len(words) else None),
                )
                if a is not None and b is not None
            ]
            ids: set[int] = set()
            tagged = matching_tags(self._tags, word)  # papers tagged with the word match it too
            if tagged:
                marks = ",".join("?" * len(tagged))
                ids.update(
                    row[0]
                    for row in self._conn.execute(
                        f"SELECT paper_id FROM paper_tags WHERE tag_id IN ({marks})", tagged
                    )
                )
            for part in parts:
                ids.update(fts_ids(self._conn, vocab, part))
                if len(ids) > WITHIN_MAX:
                    break
            _stop(check)
            if len(ids) <= WITHIN_MAX and (narrowest is None or len(ids) < len(narrowest)):
                narrowest = ids
            if narrowest is not None and len(narrowest) <= NARROW_ENOUGH:
                break
        if narrowest is None:
            return None
        bits = SubsetBits(self._conn, subset=sorted(narrowest))
        bits.load_marks(self._conn)
        result = self._run(query, sort, reverse, limit, check, vocab, bits)
        return result if result.total else None

    def _fallback(
        self,
        query: Query,
        vocab: Vocabulary | None,
        tag_ids: dict[str, list[int]],
        limit: int | None,
        stop: Callable[[], None],
    ) -> SearchResult:
        """Titles that contain each word's letters in order (one of a `|` group's words), within
        the query's other terms."""
        bits = self._bitsets()
        plain = [g for g in query.groups if all(plain_word((t,)) is not None for t in g)]
        rest = Query(query.text, tuple(g for g in query.groups if g not in plain))
        allowed = evaluate(rest, bits, vocab, self._conn, tag_ids, stop)
        positions = [p for p in bits.subsequence(self._conn, plain) if allowed >> p & 1]
        return SearchResult(bits.to_ids(positions[:limit]), len(positions), fallback=True)


# A word matching more papers than this is not narrow enough to search within (past it, the
# whole index in numpy is quicker than the subset in plain Python); one matching at most
# NARROW_ENOUGH is narrow enough not to look further.
WITHIN_MAX = 40_000
NARROW_ENOUGH = 2_000


def needs_vocabulary(query: Query) -> bool:
    """Whether a query has a word to look up in the vocabulary (fuzzy words; exact substrings and
    `^x` use it for their FTS prefilter). Everything else runs without loading it."""
    return any(
        (t.kind == "fuzzy" and t.tokens) or t.kind in ("exact", "prefix") for t in query.terms
    )


def _stop(check: Callable[[], bool]) -> None:
    if check():
        raise SearchCancelled()


def _casefold(value: str | None) -> str | None:
    return value.casefold() if isinstance(value, str) else value
