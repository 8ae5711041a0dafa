"""Merging parsed papers into the library: identity, field filling, snapshots, the undo payload.

Runs inside the Store's write transaction, a batch of papers at a time (`Import`), so a page
of any size is merged without holding all its papers at once. Built for big inputs (1M papers):
a batch's existing rows are found with one query over its keys, new rows are written with
`executemany`, and nothing issues a statement per paper except the (rare) creation of a tag.
"""

from __future__ import annotations

import json
import operator
import sqlite3
from collections.abc import Sequence
from datetime import date
from typing import Any

from papershelf.db import index_builder, search_index
from papershelf.db.journal import attach_tags, utc_now
from papershelf.db.models import ParsedPaper
from papershelf.db.tags import normalize_tag
from papershelf.db.text import title_key

# Filled on an existing paper only when empty there; the person's own fields are never in here.
FILL = (
    "arxiv_id",
    "authors",
    "authors_count",
    "organization",
    "published",
    "abstract",
    "links",
    "github",
    "ai_summary",
    "ai_keywords",
    "project_page",
    "daily_day",
    "submitter",
)
# Volatile numbers: refreshed whenever the input shows them.
REFRESH = ("upvotes", "comments", "github_stars")
# The person's state that papershelf's own export carries: taken from it only where the library
# has none, so restoring a backup never overwrites a read mark, note or snooze made since.
TRIAGE = ("read_at", "note", "snoozed_until", "dismissed_at")
COLUMNS = (
    "id",
    "title_key",
    "title",
    *FILL,
    *REFRESH,
    *TRIAGE,
    "added_at",
    "updated_at",
    "import_id",
    "ascii",
)
_EMPTY = (None, "", "[]")
# Papers merged at a time by `Store.import_papers` (a streamed page comes in blocks of its own).
BATCH = 5000
# An import adding at least this many papers, and more than the library holds, rebuilds the
# papers indexes after writing instead of updating them row by row (`_drop_indexes`).
BULK = 10_000


_json = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps without its per-call setup


def _iso(day: date | str | None) -> str | None:
    return day.isoformat() if isinstance(day, date) else day or None


def _values(p: ParsedPaper) -> dict[str, Any]:
    published = _iso(p.published)
    return {
        "arxiv_id": p.arxiv_id or None,
        "authors": _json(list(p.authors)) if p.authors else "[]",
        "authors_count": p.authors_count,
        "organization": p.organization or None,
        "published": published or None,
        "abstract": p.abstract or "",
        "links": _json(list(p.links)) if p.links else "[]",
        "github": p.github or None,
        "ai_summary": p.ai_summary or None,
        "ai_keywords": _json(list(p.ai_keywords)) if p.ai_keywords else "[]",
        "project_page": p.project_page or None,
        "daily_day": _iso(p.daily_day),
        "submitter": p.submitter or None,
        "upvotes": p.upvotes,
        "comments": p.comments,
        "github_stars": p.github_stars,
        "read_at": p.read_at or None,
        "note": p.note or None,
        "snoozed_until": p.snoozed_until or None,
        "dismissed_at": p.dismissed_at or None,
    }


def plain_ascii(title: str, abstract: str | None, organization: str | None) -> int:
    """1 when a paper's searchable text is pure ASCII (see search_index: exact needles)."""
    return int(title.isascii() and (abstract or "").isascii() and (organization or "").isascii())


def _merge(row: dict[str, Any], values: dict[str, Any]) -> None:
    """Fill empty fields, refresh shown numbers, add the person's state (export format) where
    the library has none."""
    text = (row["abstract"], row["organization"])
    for column in FILL:
        if row[column] in _EMPTY and values[column] not in _EMPTY:
            row[column] = values[column]
    for column in REFRESH:
        if values[column] is not None:
            row[column] = values[column]
    for column in TRIAGE:
        if row[column] is None and values[column]:
            row[column] = values[column]
    if (row["abstract"], row["organization"]) != text:
        row["ascii"] = plain_ascii(row["title"], row["abstract"], row["organization"])


_row_values = operator.itemgetter(*COLUMNS)
_TEXT = frozenset({"title", "abstract", "organization"})  # the columns the search index holds
# Columns an import may change on a paper the library holds (their old values are journalled).
_CHANGED = (*TRIAGE, *FILL, *REFRESH, "ascii")
_INSERT = f"INSERT INTO papers({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
_UPDATE = (
    f"UPDATE papers SET {', '.join(f'{c} = ?' for c in _CHANGED)}, updated_at = ? WHERE id = ?"
)
_SNAPSHOT = (
    "INSERT INTO snapshots(paper_id, import_id, observed_on, upvotes, comments) "
    "VALUES (?, ?, ?, ?, ?)"
)


# Kept up to date row by row in a bulk import: new rows only ever go to its end (every row of
# one import has the same added_at, and ids grow), so it costs less than its rebuild's scan.
_APPENDED = frozenset({"idx_papers_added_at"})


def _drop_indexes(conn: sqlite3.Connection) -> list[str]:
    """Drop the secondary indexes of `papers` new rows land in at random places; return the
    statements that recreate them.

    A bulk import into a small library inserts faster without them and rebuilds each with one
    sort (100k papers: 3.1 -> 2.5 s). Rebuilding scans the whole table (~0.15 s per index at
    100k), so partial indexes (triage state and non-ASCII text, which new papers rarely or
    never have) and `_APPENDED` stay. All of it happens inside the import's transaction, so a
    reader never sees the library without its indexes and a failed import puts them back.
    """
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'papers'"
        " AND sql IS NOT NULL"
    ).fetchall()
    dropped = [
        (name, sql) for name, sql in rows if name not in _APPENDED and " WHERE " not in sql.upper()
    ]
    for name, _sql in dropped:
        conn.execute(f'DROP INDEX "{name}"')
    return [sql for _name, sql in dropped]


class Import:
    """One import, fed batch by batch (`add`) inside the Store's write transaction, then `finish`.

    The result does not depend on how the input is cut into batches: a paper is matched to
    the library's rows and to the papers of earlier batches (by arXiv id, else by title key)
    exactly as if the whole input were one list, and a paper seen twice is merged into one row.
    What stays in memory between batches is the identity maps and each paper's last shown
    numbers, never the papers themselves.
    """

    def __init__(
        self, conn: sqlite3.Connection, *, source: str, captured_on: date, format: str
    ) -> None:
        self.conn = conn
        self.now = utc_now()
        self.observed_on = captured_on.isoformat()
        self.import_id = conn.execute(
            "INSERT INTO imports(source, format, captured_on, at) VALUES (?, ?, ?, ?)",
            [source, format, self.observed_on, self.now],
        ).lastrowid
        # New rows take the ids from first_new on; rows below it are the library's.
        self.first_new = (conn.execute("SELECT max(id) FROM papers").fetchone()[0] or 0) + 1
        self.next_id = self.first_new
        self.library_size: int = conn.execute("SELECT count(*) FROM papers").fetchone()[0]
        self.by_arxiv: dict[str, int] = {}
        self.by_key: dict[str, int] = {}
        self.by_key_unidentified: dict[str, int] = {}  # title_key -> row without an arXiv id
        self.loaded: set[int] = set()  # library rows already in the maps
        self.seen: dict[int, tuple[int | None, int | None]] = {}  # row -> last shown numbers
        self.updated: dict[int, dict[str, Any]] = {}  # library row -> old values it had
        self.created_tags: list[list[Any]] = []
        self.added_tags: list[list[int]] = []
        self.rebuild: list[str] | None = None  # statements recreating dropped indexes
        self.papers = 0
        # The new papers' search index, built beside the import once it turns out big, when
        # the library's index is empty (see db.index_builder); the caller installs or closes it.
        self.builds_index = (
            conn.execute(f"SELECT 1 FROM {search_index.FTS_TABLE}_docsize LIMIT 1").fetchone()
            is None
        )
        self.builder: index_builder.Builder | None = None

    def add(self, papers: Sequence[ParsedPaper]) -> None:
        """Merge one batch of papers into the library."""
        keys = [title_key(p.title) for p in papers]
        self._load_identities(papers, keys)
        batch_first = self.next_id
        assigned = self._assign(papers, keys)
        rows, before, tag_pairs = self._merge(papers, keys, assigned, batch_first)
        self._insert(rows, batch_first)
        created, added = attach_tags(self.conn, tag_pairs, self.now)
        self.created_tags.extend(created)
        self.added_tags.extend(added)
        self._update(rows, before, {paper_id for paper_id, _ in added})
        self.papers += len(papers)

    def _load_identities(self, papers: Sequence[ParsedPaper], keys: list[str]) -> None:
        """Put the library rows that share an arXiv id or title key with the batch in the maps."""
        if self.first_new == 1:
            return  # an empty library
        arxiv_ids = [p.arxiv_id for p in papers if p.arxiv_id and p.arxiv_id not in self.by_arxiv]
        wanted = [k for k in keys if k not in self.by_key]
        if not (arxiv_ids or wanted):
            return
        found: dict[int, tuple[int, str | None, str]] = {}
        if self.rebuild is not None or self.library_size <= 4 * len(keys):
            # A big batch against a small library (or one whose indexes are dropped for the
            # bulk write): one scan beats thousands of index probes.
            wanted_ids, wanted_keys = set(arxiv_ids), set(wanted)
            for row in self.conn.execute(
                "SELECT id, arxiv_id, title_key FROM papers WHERE id < ?", [self.first_new]
            ):
                if row[1] in wanted_ids or row[2] in wanted_keys:
                    found[row[0]] = row
        else:
            for column, values in (("arxiv_id", arxiv_ids), ("title_key", wanted)):
                for row in self.conn.execute(
                    f"SELECT id, arxiv_id, title_key FROM papers WHERE id < ? AND {column} IN "
                    "(SELECT value FROM json_each(?))",
                    [self.first_new, json.dumps(values)],
                ):
                    found[row[0]] = row
        for row_id in sorted(found.keys() - self.loaded):
            _, arxiv_id, key = found[row_id]
            if arxiv_id is not None:
                self.by_arxiv[arxiv_id] = row_id
            else:
                self.by_key_unidentified.setdefault(key, row_id)
            self.by_key.setdefault(key, row_id)
            self.loaded.add(row_id)

    def _assign(self, papers: Sequence[ParsedPaper], keys: list[str]) -> list[int]:
        """Each paper's row id: the library's or an earlier paper's row, else a new one."""
        by_arxiv, by_key, unidentified = self.by_arxiv, self.by_key, self.by_key_unidentified
        next_id = self.next_id
        assigned: list[int] = []
        for p, key in zip(papers, keys):
            if p.arxiv_id:
                row_id = by_arxiv.get(p.arxiv_id)
                if row_id is None:
                    row_id = unidentified.pop(key, None)  # its arXiv id gets filled in
                    if row_id is None:
                        row_id, next_id = next_id, next_id + 1
                        by_key.setdefault(key, row_id)
                    by_arxiv[p.arxiv_id] = row_id
            else:
                row_id = by_key.get(key)
                if row_id is None:
                    row_id, next_id = next_id, next_id + 1
                    by_key[key] = unidentified[key] = row_id
            assigned.append(row_id)
        self.next_id = next_id
        return assigned

    def _merge(
        self,
        papers: Sequence[ParsedPaper],
        keys: list[str],
        assigned: list[int],
        batch_first: int,
    ) -> tuple[dict[int, dict[str, Any]], dict[int, dict[str, Any]], list[tuple[int, str]]]:
        """(rows as the batch leaves them, rows written before as they were, tag pairs).

        Rows written before the batch (the library's and earlier batches' new ones) are loaded
        in one query and merged into; the batch's new rows are built from their first paper.
        """
        rows: dict[int, dict[str, Any]] = {}
        old_ids = sorted({i for i in assigned if i < batch_first})
        if old_ids:
            cursor = self.conn.execute(
                f"SELECT {', '.join(COLUMNS)} FROM papers WHERE id IN "
                "(SELECT value FROM json_each(?))",
                [json.dumps(old_ids)],
            )
            for found in cursor:
                rows[found[0]] = dict(zip(COLUMNS, found))
        before = {i: dict(row) for i, row in rows.items()}
        seen, now, import_id = self.seen, self.now, self.import_id
        tag_pairs: list[tuple[int, str]] = []
        for p, key, row_id in zip(papers, keys, assigned):
            values = _values(p)
            row = rows.get(row_id)
            if row is None:
                values.update(
                    id=row_id,
                    title_key=key,
                    title=p.title,
                    added_at=now,
                    updated_at=now,
                    import_id=import_id,
                    ascii=plain_ascii(p.title, values["abstract"], values["organization"]),
                )
                rows[row_id] = values
            else:
                _merge(row, values)
            seen[row_id] = (p.upvotes, p.comments)
            for tag in p.tags:
                try:
                    tag_pairs.append((row_id, normalize_tag(tag)))
                except ValueError:
                    continue  # a tag this version cannot store; the paper itself still imports
        return rows, before, tag_pairs

    def _insert(self, rows: dict[int, dict[str, Any]], batch_first: int) -> None:
        """Write the batch's new rows (tags and snapshots refer to them)."""
        new_ids = range(batch_first, self.next_id)
        if not new_ids:
            return
        if self.rebuild is None and self.next_id - self.first_new >= max(BULK, self.first_new):
            self.rebuild = _drop_indexes(self.conn)
        self.conn.executemany(_INSERT, (_row_values(rows[i]) for i in new_ids))
        # Queued now, not at the end: a later batch may update these rows, and the search
        # index's update trigger must see them as not indexed yet.
        search_index.queue_new(self.conn, batch_first)
        if (
            self.builder is None
            and self.builds_index
            and self.next_id - self.first_new >= BULK
            and index_builder.spare_core()
        ):
            self.builder = index_builder.Builder()
            self.builder.add(  # the earlier batches' new rows
                self.conn.execute(
                    "SELECT id, title, abstract, organization FROM papers WHERE id >= ? AND id < ?",
                    [self.first_new, batch_first],
                )
            )
        if self.builder is not None:
            self.builder.add(
                (i, row["title"], row["abstract"], row["organization"])
                for i, row in ((i, rows[i]) for i in new_ids)
            )

    def _update(
        self, rows: dict[int, dict[str, Any]], before: dict[int, dict[str, Any]], tagged: set[int]
    ) -> None:
        """Write back the rows the batch changed; journal a library row's values before the
        import (the first batch that changes a column keeps its value)."""
        updates: list[int] = []
        for row_id, old in before.items():
            row = rows[row_id]
            changed = [c for c in _CHANGED if row[c] != old[c]]
            if not (changed or row_id in tagged):
                continue
            if self.builder is not None and _TEXT.intersection(changed):
                self.builder.tainted = True  # it indexed the text this row had before
            updates.append(row_id)
            if row_id < self.first_new:
                record = self.updated.setdefault(row_id, {})
                for column in changed:
                    record.setdefault(column, old[column])
                record.setdefault("updated_at", old["updated_at"])
        now = self.now
        self.conn.executemany(
            _UPDATE, ([*(rows[i][c] for c in _CHANGED), now, i] for i in sorted(updates))
        )

    def finish(self) -> tuple[tuple[int, int, int], dict[str, Any]]:
        """Rebuild dropped indexes and record snapshots; return ((new, updated, unchanged),
        the journal payload)."""
        conn = self.conn
        for statement in self.rebuild or ():
            conn.execute(statement)
        new = self.next_id - self.first_new
        conn.executemany(
            _SNAPSHOT,
            (
                (i, self.import_id, self.observed_on, up, comments)
                for i, (up, comments) in self.seen.items()
            ),
        )
        counts = (new, len(self.updated), len(self.seen) - new - len(self.updated))
        conn.execute(
            "UPDATE imports SET new = ?, updated = ?, unchanged = ? WHERE id = ?",
            [*counts, self.import_id],
        )
        payload = {
            "changed": counts[0] + counts[1],
            "import_id": self.import_id,
            "new": [self.first_new, self.next_id - 1] if new else None,
            "updated": [[i, self.updated[i]] for i in sorted(self.updated)],
            "tags": {"created": self.created_tags, "pairs": self.added_tags},
        }
        return counts, payload
