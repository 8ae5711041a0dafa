"""The search index: the SQLite tables and triggers the query engine reads.

The store's migration 1 calls `install(db)`; nothing else creates these tables. They are:

- `papers_fts`: an FTS5 *external-content* table over papers(title, abstract, organization)
  (the text lives only in `papers`; the index holds tokens). Its statement names the content
  table as `content="papers"`: sqlite-utils and Datasette recognise a table's FTS index by that
  text (double quotes or brackets), so `sqlite-utils search lib.db papers word` works. Tokenizer
  `unicode61 remove_diacritics 2`, so `Schrödinger` is found by `schrodinger`. `detail=column`:
  no token positions, because phrases and exact substrings are checked with `instr()` on the
  row itself; this keeps the index small and doclists cheap to decode.
- `papers_fts_vocab`: an fts5vocab (row) table: one row per distinct token with its document
  count. The query engine loads it once (tokens, not papers: small) and matches each typed word
  against it with rapidfuzz to find typo-tolerant and fragment candidates.
- `search_pending(paper_id)`: papers written but not yet indexed.
- `search_vocab(term, doc)`: a saved copy of `papers_fts_vocab`, exact while
  `search_state.vocab_ok` is 1 (see `saved_vocabulary`): loading it is a SELECT, where the
  fts5vocab table walks the whole index to count (2.4 s at 1M papers).
- `search_terms(part, terms)`: the terms of `search_vocab` as lines of text, exact while
  `search_state.terms_index` equals `vocab_index` (see `saved_terms`): one search (the command
  line) finds the terms holding a word or a piece of it in one string instead of scanning the
  table for each word.
- `papers_search_cover`: a covering index of the filterable columns and the title.

Why deferred indexing: tokenising a ~200-word abstract costs FTS5 ~90 µs on this machine
(~11k papers/s), which alone would cap import near 11k papers/s. So an import
only *queues* its new papers (one `INSERT ... SELECT` over their id range, `queue_new`; a
per-row trigger cost 0.5 s of a 3 s import of 100k papers) inside the writer's transaction,
and `sync()` indexes the queue afterwards. The query engine calls `sync()` before it searches,
so results are always complete; the CLI calls it right after an import, in large batches
(FTS5 keeps up to `HASH_SIZE` of new postings in memory and writes them as one segment per
transaction, so 100k papers index in ~1.4 s instead of ~3 s in 2,000-paper transactions that
each leave a small segment to be merged). When an already-indexed paper changes or is deleted,
a trigger removes its old tokens at once (FTS5 external content needs the old values, which
only the trigger still has) and queues it again. A big import into a library whose index is
empty may instead build its papers' index beside it on a spare core and copy it in after its
commit (`db.index_builder`); the queue stays the fallback.

Why no `prefix='2 3'` index: measured at 100k (same run), it cut typing p95 over all keystrokes
88 -> 63 ms, but the first keystroke of a word was already at p95 39 ms and the slowest keys are
`'ge`/`!sta` substring scans a prefix index does not help, while sync fell 16.7k -> 6.7k
papers/s and the FTS data grew 42 -> 95 MB.

Tags are not indexed here: the engine reads `tags`/`paper_tags`, so tag changes never touch it.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

FTS_TABLE = "papers_fts"
VOCAB_TABLE = "papers_fts_vocab"
PENDING_TABLE = "search_pending"
COVER_INDEX = "papers_search_cover"

_NOT_PENDING_OLD = f"NOT EXISTS (SELECT 1 FROM {PENDING_TABLE} WHERE paper_id = old.id)"
SAVED_VOCAB = "search_vocab"  # (term, doc) as papers_fts_vocab has them, while `vocab_ok` is 1
# The terms of `search_vocab` as text, one per line, in a few parts (a sync that adds terms adds
# a part): what one search scans for the terms containing a word, as one string in memory, where
# a scan of `search_vocab` costs ~10 ms at 100k papers. Exact while `terms_index` equals
# `vocab_index` (see `saved_terms`): every writer of this version that changes `search_vocab`
# writes the terms in the same transaction; an older papershelf that still has the library open
# changes `vocab_index` without them (or, rebuilding, may set it back to the state the terms were
# vouched at: so the triggers, which every version runs, also clear `terms_index`).
SAVED_TERMS = "search_terms"
STATE_TABLE = "search_state"
# The saved vocabulary and its terms no longer vouched for (`vocab_ok` 0, `terms_index` NULL).
_VOCAB_STALE = (
    f"UPDATE {STATE_TABLE} SET value = CASE name WHEN 'vocab_ok' THEN 0 END"
    " WHERE name IN ('vocab_ok', 'terms_index')"
)

# The index and its vocabulary tables (also declared alone by `declare_index`).
_INDEX_TABLES = (
    f"""
    CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(
        title, abstract, organization,
        content="papers", content_rowid="id",
        tokenize='unicode61 remove_diacritics 2',
        detail=column
    )
    """,
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {VOCAB_TABLE} USING fts5vocab({FTS_TABLE}, row)",
    f"CREATE TABLE IF NOT EXISTS {SAVED_VOCAB} (term TEXT PRIMARY KEY, doc INTEGER NOT NULL) WITHOUT ROWID",
    f"CREATE TABLE IF NOT EXISTS {SAVED_TERMS} (part INTEGER PRIMARY KEY, terms TEXT NOT NULL)",
)
_STATEMENTS = (
    *_INDEX_TABLES,
    f"CREATE TABLE IF NOT EXISTS {PENDING_TABLE} (paper_id INTEGER PRIMARY KEY)",
    f"CREATE TABLE IF NOT EXISTS {STATE_TABLE} (name TEXT PRIMARY KEY, value)",
    f"INSERT OR IGNORE INTO {STATE_TABLE}(name, value) VALUES ('vocab_ok', 0)",
    f"INSERT OR IGNORE INTO {STATE_TABLE}(name, value) VALUES ('vocab_index', NULL)",
    f"INSERT OR IGNORE INTO {STATE_TABLE}(name, value) VALUES ('terms_index', NULL)",
    # Filters without a word (`is:unread year:>=2023`, `^flash`) scan this compact index in
    # newest-first order instead of the ~1.5 KB rows that carry abstracts (7 ms vs 170 ms at 100k).
    f"CREATE INDEX IF NOT EXISTS {COVER_INDEX} ON papers"
    "(published, id, upvotes, comments, read_at, authors_count, title)",
    f"""
    CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ad AFTER DELETE ON papers BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, abstract, organization)
        SELECT 'delete', old.id, old.title, old.abstract, old.organization
        WHERE {_NOT_PENDING_OLD};
        {_VOCAB_STALE} AND {_NOT_PENDING_OLD};
        DELETE FROM {PENDING_TABLE} WHERE paper_id = old.id;
    END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_au AFTER UPDATE OF title, abstract, organization
    ON papers
    WHEN old.title IS NOT new.title OR old.abstract IS NOT new.abstract
        OR old.organization IS NOT new.organization
    BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, abstract, organization)
        SELECT 'delete', old.id, old.title, old.abstract, old.organization
        WHERE {_NOT_PENDING_OLD};
        {_VOCAB_STALE} AND {_NOT_PENDING_OLD};
        INSERT OR IGNORE INTO {PENDING_TABLE}(paper_id) VALUES (new.id);
    END
    """,
)


# FTS5's in-memory buffer of new postings (its `hashsize` option; the default is 1 MB).
HASH_SIZE = 64 * 1024 * 1024
BULK_BATCH = 50_000  # papers per transaction when a person waits for an import to finish


def install(db: Database) -> None:
    """Create the search tables and triggers (idempotent); queue any existing papers.

    Called inside the store's migration 1; `papers` must already exist.
    """
    for statement in _STATEMENTS:
        db.execute(statement)
    db.execute(f"INSERT OR IGNORE INTO {PENDING_TABLE}(paper_id) SELECT id FROM papers")


MIXED_INDEX = "papers_not_ascii"


def upgrade_2(db: Database) -> None:
    """Schema 2: new papers are queued by the importer (`queue_new`), not by a trigger per row;
    FTS5 buffers up to HASH_SIZE of postings per transaction; `papers.ascii` marks papers whose
    title, abstract and organization are pure ASCII (NULL: not known, for papers written before).

    Why `ascii`: in such a paper a one-word needle (`'gemm`, `!video`) is a substring of the text
    exactly when an index token contains it, so the query engine answers it from the index and
    reads only the other papers' text (`'gemm` at 1M papers: ~1 s -> ~0.2 s). A partial index
    lists the others. `search_vocab`: see `saved_vocabulary`. Idempotent.
    """
    db.execute(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_ai")
    for name in ("ad", "au"):  # schema 1's versions did not mark the saved vocabulary stale
        db.execute(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{name}")
    for statement in _STATEMENTS:
        db.execute(statement)
    db.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('hashsize', ?)", [HASH_SIZE])
    if "ascii" not in {row[1] for row in db.execute("PRAGMA table_info(papers)")}:
        db.execute("ALTER TABLE papers ADD COLUMN ascii INTEGER")
    db.execute(f"CREATE INDEX IF NOT EXISTS {MIXED_INDEX} ON papers(id) WHERE ascii IS NOT 1")


# `is:dismissed`, `is:snoozed`, `is:inbox` and `has:note` read these instead of every row (a
# handful of papers have triage state; a partial index holds only those, so imports, whose new
# papers have none, pay nothing for them).
TRIAGE_INDEXES = (
    "CREATE INDEX IF NOT EXISTS papers_dismissed ON papers(dismissed_at)"
    " WHERE dismissed_at IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS papers_snoozed ON papers(snoozed_until)"
    " WHERE snoozed_until IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS papers_noted ON papers(id) WHERE note IS NOT NULL",
)


def upgrade_4(db: Database) -> None:
    """Schema 4: `papers_fts` is declared with `content="papers"` (schema 1-3 wrote single quotes,
    which sqlite-utils and Datasette do not recognise). The statement of a virtual table cannot
    be altered, so an index declared the old way is dropped and created again, empty, and every
    paper is queued: the next `sync` (the next search, or the CLI after an import) fills it.
    Idempotent: an index already declared the new way is left alone. Also creates the partial
    indexes of triage state (TRIAGE_INDEXES)."""
    for statement in TRIAGE_INDEXES:
        db.execute(statement)
    row = db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [FTS_TABLE]
    ).fetchone()
    if row is not None and 'content="papers"' in row[0]:
        return
    db.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    for statement in _STATEMENTS:
        db.execute(statement)
    db.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('hashsize', ?)", [HASH_SIZE])
    db.execute(f"DELETE FROM {PENDING_TABLE}")
    db.execute(f"INSERT INTO {PENDING_TABLE}(paper_id) SELECT id FROM papers")
    db.execute(_VOCAB_STALE)


def upgrade_5(db: Database) -> None:
    """Schema 5: the saved vocabulary's terms are also kept as text (`search_terms`), written
    here from `search_vocab` when that is exact (else by the next rebuild); the triggers are
    declared again so that they also clear `terms_index`. Idempotent."""
    for name in ("ad", "au"):
        db.execute(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{name}")
    for statement in _STATEMENTS:
        db.execute(statement)
    conn = db.conn
    if vocabulary_exact(conn):
        _save_terms(conn)
        _vouch(conn)


def queue_new(conn: sqlite3.Connection, first_id: int) -> None:
    """Queue every paper with an id >= first_id for indexing (the importer's new rows, which
    take the ids above the old maximum); call inside the writer's transaction."""
    conn.execute(
        f"INSERT OR IGNORE INTO {PENDING_TABLE}(paper_id) SELECT id FROM papers WHERE id >= ?",
        [first_id],
    )


def unqueued(conn: sqlite3.Connection) -> int:
    """How many papers are neither indexed nor queued (0 unless something bypassed the queue)."""
    count = conn.execute(
        f"SELECT (SELECT count(*) FROM papers) - (SELECT count(*) FROM {FTS_TABLE}_docsize)"
        f" - (SELECT count(*) FROM {PENDING_TABLE})"
    ).fetchone()[0]
    return int(count)


def queue_missing(conn: sqlite3.Connection) -> int:
    """Queue papers that are neither indexed nor queued; returns how many.

    Nothing in this version writes such a paper, but a papershelf from before schema 2 that
    still had the library open when it was upgraded would (it relied on a trigger that is gone).
    Two counts say whether there are any, so the scan runs only then. `conn` must be writable.
    """
    if unqueued(conn) <= 0:
        return 0
    return conn.execute(
        f"INSERT OR IGNORE INTO {PENDING_TABLE}(paper_id) SELECT id FROM papers"
        f" WHERE id NOT IN (SELECT id FROM {FTS_TABLE}_docsize)"
        f" AND id NOT IN (SELECT paper_id FROM {PENDING_TABLE})"
    ).rowcount


def pending(conn: sqlite3.Connection) -> int:
    """How many papers are waiting to be indexed."""
    return int(conn.execute(f"SELECT count(*) FROM {PENDING_TABLE}").fetchone()[0])


def sync(
    conn: sqlite3.Connection,
    *,
    batch: int = 2000,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Index queued papers in batches of `batch`, each its own short write transaction, and
    keep the saved vocabulary exact (see `saved_vocabulary`).

    Returns how many papers were indexed. `progress(done, total)` is called after each batch;
    `cancelled()` is checked between batches (stopping early is safe: the rest stays queued).
    `conn` is any connection to the library (e.g. `Store.reader()`), not in a transaction.
    """
    total = pending(conn)
    done = 0
    # A few new papers: count their terms as they are indexed. Many (an import that doubles the
    # library, or a stale vocabulary): one rebuild from the index at the end is cheaper.
    indexed = conn.execute(f"SELECT count(*) FROM {FTS_TABLE}_docsize").fetchone()[0]
    # Counting costs ~100 µs a paper, a rebuild ~3-6 µs per indexed paper: break-even near 1/30.
    incremental = vocabulary_exact(conn) and total <= max(DELTA_MAX, indexed // 30)
    while done < total or total == 0:
        if cancelled is not None and cancelled():
            break
        conn.execute("BEGIN IMMEDIATE")
        try:
            # The batch is the queue up to its `batch`-th id: SQL picks the rows by it, no list
            # of ids passes through Python.
            count, last = conn.execute(
                f"SELECT count(*), max(paper_id) FROM (SELECT paper_id FROM {PENDING_TABLE}"
                " ORDER BY paper_id LIMIT ?)",
                (batch,),
            ).fetchone()
            if count:
                conn.execute(
                    f"INSERT INTO {FTS_TABLE}(rowid, title, abstract, organization) "
                    f"SELECT id, title, abstract, organization FROM papers WHERE id IN {_UP_TO}",
                    [last],
                )
                if incremental:
                    _count_terms(conn, last)
                    _vouch(conn)
                else:
                    conn.execute(_VOCAB_STALE)
                conn.execute(f"DELETE FROM {PENDING_TABLE} WHERE paper_id <= ?", [last])
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        if not count:
            break
        done += count
        if progress is not None:
            progress(done, max(total, done))
    if not pending(conn):
        if not vocabulary_exact(conn):
            save_vocabulary(conn)
        elif not terms_exact(conn):  # left behind by an older papershelf
            save_terms(conn)
    return done


DELTA_MAX = 1000  # papers whose terms are always counted one batch at a time (see sync)
_BATCH_FTS = "search_batch"


def terms_exact(conn: sqlite3.Connection) -> bool:
    """Whether `search_terms` holds exactly the terms of an exact `search_vocab`."""
    state = dict(conn.execute(f"SELECT name, value FROM {STATE_TABLE}"))
    return bool(state.get("vocab_ok")) and (
        state.get("terms_index") == state.get("vocab_index") == _indexed_state(conn)
    )


def vocabulary_exact(conn: sqlite3.Connection) -> bool:
    """Whether `search_vocab` holds exactly what the index's fts5vocab would say.

    The flag vouches for one state of the index: how many papers it holds and the highest id,
    saved with it. So a writer that does not keep the copy (a papershelf from before it existed,
    with the library open across the upgrade, indexing what it queued) makes it stale just by
    indexing. Changes and deletions of indexed papers go through the triggers, which live in
    the file and so mark it stale whichever papershelf writes.
    """
    state = dict(conn.execute(f"SELECT name, value FROM {STATE_TABLE}"))
    return bool(state.get("vocab_ok")) and state.get("vocab_index") == _indexed_state(conn)


def _indexed_state(conn: sqlite3.Connection) -> str:
    # docsize gets its rows as papers are indexed, inside the writer's transaction (FTS5 writes
    # its segments and structure record only at commit).
    # Two subqueries: each is one B-tree operation (a count of cells, a seek to the last row),
    # where `count(*), max(id)` in one SELECT reads every row (~7 ms at 100k papers).
    count, top = conn.execute(
        f"SELECT (SELECT count(*) FROM {FTS_TABLE}_docsize), (SELECT max(id) FROM {FTS_TABLE}_docsize)"
    ).fetchone()
    return f"{count}:{top}"


def vouch(conn: sqlite3.Connection) -> None:
    """Mark the saved vocabulary exact for the index as it is now (see `_vouch`)."""
    _vouch(conn)


def mark_stale(conn: sqlite3.Connection) -> None:
    """Say the saved vocabulary no longer matches the index (the next `sync` rebuilds it)."""
    conn.execute(_VOCAB_STALE)


def declare_index(conn: sqlite3.Connection) -> None:
    """The index, its fts5vocab and the saved vocabulary's table, declared as in a library,
    in another database (`db.index_builder` builds an index there to copy into a library)."""
    for statement in _INDEX_TABLES:
        conn.execute(statement)
    conn.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('hashsize', ?)", [HASH_SIZE])


def _vouch(conn: sqlite3.Connection) -> None:
    """Mark the saved vocabulary and its terms exact for the index as it is now (inside the
    writer's transaction that made them so: every caller has just written both)."""
    state = _indexed_state(conn)
    conn.execute(f"UPDATE {STATE_TABLE} SET value = 1 WHERE name = 'vocab_ok'")
    conn.execute(
        f"UPDATE {STATE_TABLE} SET value = ? WHERE name IN ('vocab_index', 'terms_index')", [state]
    )


# The queued papers up to an id (bound as the one parameter).
_UP_TO = f"(SELECT paper_id FROM {PENDING_TABLE} WHERE paper_id <= ?)"


def _count_terms(conn: sqlite3.Connection, last: int) -> None:
    """Add the document counts of the queued papers up to id `last` (just indexed) to the
    saved vocabulary.

    They are tokenised again by a temporary FTS5 table with the same tokenizer, whose fts5vocab
    gives exactly the (term, documents) pairs the real index gained: no second tokenizer to
    drift from SQLite's.
    """
    conn.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{_BATCH_FTS} USING fts5(title, abstract, organization,"
        " tokenize='unicode61 remove_diacritics 2', detail=none)"
    )
    conn.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{_BATCH_FTS}_vocab USING fts5vocab(temp, {_BATCH_FTS}, row)"
    )
    conn.execute(f"DELETE FROM temp.{_BATCH_FTS}")
    conn.execute(
        f"INSERT INTO temp.{_BATCH_FTS}(title, abstract, organization) "
        f"SELECT title, abstract, organization FROM papers WHERE id IN {_UP_TO}",
        [last],
    )
    in_step, parts = conn.execute(
        f"SELECT (SELECT value FROM {STATE_TABLE} WHERE name = 'terms_index')"
        f" = (SELECT value FROM {STATE_TABLE} WHERE name = 'vocab_index'),"
        f" (SELECT count(*) FROM {SAVED_TERMS})"
    ).fetchone()
    # Written whole, after the counts, when the parts are many or an older papershelf added
    # words to `search_vocab` that they lack; else the batch's new words are one more part.
    rewrite = not in_step or parts >= MAX_TERM_PARTS
    if not rewrite:
        conn.execute(
            f"INSERT INTO {SAVED_TERMS}(terms) SELECT group_concat(term, char(10))"
            f" FROM temp.{_BATCH_FTS}_vocab WHERE term NOT IN (SELECT term FROM {SAVED_VOCAB})"
            " HAVING count(*) > 0"
        )
    conn.execute(
        f"INSERT INTO {SAVED_VOCAB}(term, doc) SELECT term, doc FROM temp.{_BATCH_FTS}_vocab WHERE true"
        " ON CONFLICT(term) DO UPDATE SET doc = doc + excluded.doc"
    )
    if rewrite:
        _save_terms(conn)
    conn.execute(f"DELETE FROM temp.{_BATCH_FTS}")


def save_vocabulary(conn: sqlite3.Connection, *, vouch: bool = True) -> None:
    """Rewrite the saved vocabulary from the index (one scan of fts5vocab) and mark it exact
    (`vouch`: a scratch index of `declare_index` has no state to mark)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(f"DELETE FROM {SAVED_VOCAB}")
        conn.execute(f"INSERT INTO {SAVED_VOCAB}(term, doc) SELECT term, doc FROM {VOCAB_TABLE}")
        _save_terms(conn)
        if vouch:
            _vouch(conn)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


# Parts of `search_terms` a run of small syncs may add before they are written again as one.
MAX_TERM_PARTS = 64


def _save_terms(conn: sqlite3.Connection) -> None:
    """Write `search_terms` again from `search_vocab`, as one part."""
    conn.execute(f"DELETE FROM {SAVED_TERMS}")
    conn.execute(
        f"INSERT INTO {SAVED_TERMS}(terms) SELECT group_concat(term, char(10)) FROM {SAVED_VOCAB}"
        " HAVING count(*) > 0"
    )


def save_terms(conn: sqlite3.Connection) -> None:
    """Write `search_terms` again from an exact `search_vocab` and vouch for them."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        if vocabulary_exact(conn):
            _save_terms(conn)
            _vouch(conn)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def saved_terms(conn: sqlite3.Connection) -> str | None:
    """Every term of the saved vocabulary, each on a line of its own between newlines
    (`"\\nterm\\n...\\nterm\\n"`, in no particular order), or None when the saved copy is not
    exact. Read in one snapshot with the flags that vouch for it."""
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")
    try:
        if not terms_exact(conn):
            return None
        parts = [row[0] for row in conn.execute(f"SELECT terms FROM {SAVED_TERMS}")]
        return "\n" + "\n".join(parts) + "\n" if parts else "\n"
    finally:
        if own:
            conn.execute("COMMIT")


def saved_vocabulary(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    """Every index term with its document count: from `search_vocab` while it is exact (a
    plain table: ~0.1 s at 1M papers), else from fts5vocab, which walks the whole index to
    count (2.4 s at 1M). `sync` keeps the table exact: it counts the terms of a few new papers
    as they are indexed and rebuilds the table after anything bigger; a trigger marks it stale
    when an indexed paper changes or goes."""
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")  # one snapshot: the flag and the table it vouches for
    try:
        if vocabulary_exact(conn):
            return conn.execute(f"SELECT term, doc FROM {SAVED_VOCAB}").fetchall()
        return conn.execute(f"SELECT term, doc FROM {VOCAB_TABLE}").fetchall()
    finally:
        if own:
            conn.execute("COMMIT")


def doc_counts(conn: sqlite3.Connection, words: Iterable[str]) -> dict[str, int]:
    """How many papers hold each of `words` (a word no paper holds is left out): from
    `search_vocab` while it is exact, else from fts5vocab."""
    table = SAVED_VOCAB if vocabulary_exact(conn) else VOCAB_TABLE
    rows = conn.execute(
        f"SELECT term, doc FROM {table} WHERE term IN (SELECT value FROM json_each(?))",
        [json.dumps(sorted(words))],
    )
    return {term: int(n) for term, n in rows}


def papers_holding_most(conn: sqlite3.Connection, words: Sequence[str], limit: int) -> list[int]:
    """Up to `limit` ids of the papers whose title or abstract holds the most of `words`.

    Per word, the first `limit` papers the index lists (no ranking: ranking every match of a
    common word cost seconds at 100k); ties keep the order they were found in.
    """
    hits: Counter[int] = Counter()
    for word in words:
        hits.update(
            row[0]
            for row in conn.execute(
                f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? LIMIT ?",
                ['{title abstract} : "' + word.replace('"', '""') + '"', limit],
            )
        )
    return [paper_id for paper_id, _n in hits.most_common(limit)]
