"""The person's actions on the library (tag, untag, read, rename) and the journal that undoes them.

Every function here runs inside a write transaction the Store opened and returns what changed
plus a journal payload that names exactly the rows it touched, so `undo` can put every row back
as it was (same ids, same timestamps). Nothing here commits.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from papershelf.db.models import ActionResult

# Columns an import may change on an existing paper (their old values are journalled).
UNDOABLE_COLUMNS = frozenset(
    "arxiv_id authors authors_count organization published abstract links github "
    "ai_summary ai_keywords project_page daily_day submitter github_stars "
    "upvotes comments read_at note snoozed_until dismissed_at updated_at ascii".split()
)


def utc_now() -> str:
    """Now as the library stores times: UTC ISO-8601 with seconds, e.g. 2025-12-08T09:30:00+00:00."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def plural(n: int, word: str = "paper") -> str:
    """`1 paper`, `3 papers`."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _ids_param(ids: Sequence[int]) -> str:
    # One JSON parameter instead of thousands of `?`: SQLite's json_each expands it.
    return json.dumps(list(ids))


def existing_ids(conn: sqlite3.Connection, ids: Sequence[int]) -> list[int]:
    """The given paper ids that exist, de-duplicated, in the given order."""
    found = {
        row[0]
        for row in conn.execute(
            "SELECT id FROM papers WHERE id IN (SELECT value FROM json_each(?))", [_ids_param(ids)]
        )
    }
    return [i for i in dict.fromkeys(ids) if i in found]


def record(conn: sqlite3.Connection, kind: str, description: str, payload: dict[str, Any]) -> None:
    """Write one journal entry; the undone entries can no longer be redone (`db.history`)."""
    conn.execute("UPDATE journal SET undone = 2 WHERE undone = 1")
    conn.execute(
        "INSERT INTO journal(at, kind, description, payload) VALUES (?, ?, ?, ?)",
        [utc_now(), kind, description, json.dumps(payload, separators=(",", ":"))],
    )


def attach_tags(
    conn: sqlite3.Connection, pairs: Sequence[tuple[int, str]], now: str
) -> tuple[list[list[Any]], list[list[int]]]:
    """Give papers tags (by name), creating tags as needed; skip pairs that already exist.

    Returns (created tags as [id, name], added pairs as [paper_id, tag_id]).
    """
    names = list(dict.fromkeys(name for _, name in pairs))
    tag_ids = dict(
        conn.execute(
            "SELECT name, id FROM tags WHERE name IN (SELECT value FROM json_each(?))",
            [json.dumps(names)],
        ).fetchall()
    )
    existing: set[tuple[int, int]] = set()
    if tag_ids:
        existing = set(
            conn.execute(
                "SELECT paper_id, tag_id FROM paper_tags "
                "WHERE tag_id IN (SELECT value FROM json_each(?))",
                [json.dumps(list(tag_ids.values()))],
            ).fetchall()
        )
    created: list[list[Any]] = []
    added: list[list[int]] = []
    for paper_id, name in dict.fromkeys(pairs):
        if name not in tag_ids:
            tag_id = conn.execute("INSERT INTO tags(name) VALUES (?)", [name]).lastrowid
            tag_ids[name] = tag_id
            created.append([tag_id, name])
        if (paper_id, tag_ids[name]) not in existing:
            added.append([paper_id, tag_ids[name]])
    conn.executemany(
        "INSERT INTO paper_tags(paper_id, tag_id, added_at) VALUES (?, ?, ?)",
        [(p, t, now) for p, t in added],
    )
    return created, added


def add_tags(
    conn: sqlite3.Connection, ids: Sequence[int], tags: Sequence[str]
) -> tuple[int, str, dict[str, Any]]:
    """Tag papers; only pairs that did not exist are written (and journalled)."""
    ids = existing_ids(conn, ids)
    created, added = attach_tags(conn, [(i, t) for i in ids for t in tags], utc_now())
    changed = len({p for p, _ in added})
    message = f"Tagged {plural(changed)} with {', '.join(tags)}"
    return changed, message, {"changed": changed, "created": created, "pairs": added}


def remove_tags(
    conn: sqlite3.Connection, ids: Sequence[int], tags: Sequence[str]
) -> tuple[int, str, dict[str, Any]]:
    """Untag papers; tags left without papers are deleted (undo brings them back, same id)."""
    found = conn.execute(
        "SELECT pt.paper_id, pt.tag_id, pt.added_at, t.name FROM paper_tags pt "
        "JOIN tags t ON t.id = pt.tag_id WHERE t.name IN (SELECT value FROM json_each(?)) "
        "AND pt.paper_id IN (SELECT value FROM json_each(?)) ORDER BY pt.paper_id, pt.tag_id",
        [json.dumps(list(tags)), _ids_param(ids)],
    ).fetchall()
    rows = [r[:3] for r in found]
    conn.executemany(
        "DELETE FROM paper_tags WHERE paper_id = ? AND tag_id = ?", [r[:2] for r in rows]
    )
    deleted = _delete_unused_tags(conn, {r[1] for r in rows})
    changed = len({r[0] for r in rows})
    # Name only the tags that came off: `-nope` on papers without `nope` removed nothing.
    removed = {r[3] for r in found}
    message = f"Removed {', '.join(t for t in tags if t in removed)} from {plural(changed)}"
    return (
        changed,
        message,
        {"changed": changed, "removed": [list(r) for r in rows], "deleted": deleted},
    )


def _delete_unused_tags(conn: sqlite3.Connection, tag_ids: set[int]) -> list[list[Any]]:
    unused = conn.execute(
        "SELECT id, name FROM tags WHERE id IN (SELECT value FROM json_each(?)) "
        "AND NOT EXISTS (SELECT 1 FROM paper_tags WHERE tag_id = tags.id) ORDER BY id",
        [json.dumps(sorted(tag_ids))],
    ).fetchall()
    conn.executemany("DELETE FROM tags WHERE id = ?", [(r[0],) for r in unused])
    return [list(r) for r in unused]


def set_read(
    conn: sqlite3.Connection, ids: Sequence[int], read: bool
) -> tuple[int, str, dict[str, Any]]:
    """Mark papers read (now) or unread; papers already in that state are left alone."""
    condition = "read_at IS NULL" if read else "read_at IS NOT NULL"
    rows = conn.execute(
        f"SELECT id, read_at FROM papers WHERE {condition} "
        "AND id IN (SELECT value FROM json_each(?)) ORDER BY id",
        [_ids_param(ids)],
    ).fetchall()
    value = utc_now() if read else None
    conn.executemany("UPDATE papers SET read_at = ? WHERE id = ?", [(value, r[0]) for r in rows])
    message = f"Marked {plural(len(rows))} {'read' if read else 'unread'}"
    return len(rows), message, {"changed": len(rows), "previous": [list(r) for r in rows]}


def rename_tag(conn: sqlite3.Connection, old: str, new: str) -> tuple[int, str, dict[str, Any]]:
    """Rename tag OLD to NEW, merging into NEW when it exists."""
    old_row = conn.execute("SELECT id FROM tags WHERE name = ?", [old]).fetchone()
    if old_row is None or old == new:
        return 0, "", {}
    old_id = old_row[0]
    count = conn.execute("SELECT count(*) FROM paper_tags WHERE tag_id = ?", [old_id]).fetchone()[0]
    new_row = conn.execute("SELECT id FROM tags WHERE name = ?", [new]).fetchone()
    if new_row is None:
        conn.execute("UPDATE tags SET name = ? WHERE id = ?", [new, old_id])
        message = f"Renamed tag {old} to {new} ({plural(count)})"
        return count, message, {"changed": count, "mode": "rename", "tag_id": old_id, "old": old}
    new_id = new_row[0]
    pairs = conn.execute(
        "SELECT pt.paper_id, pt.added_at, EXISTS (SELECT 1 FROM paper_tags n "
        "  WHERE n.paper_id = pt.paper_id AND n.tag_id = ?) "
        "FROM paper_tags pt WHERE pt.tag_id = ? ORDER BY pt.paper_id",
        [new_id, old_id],
    ).fetchall()
    conn.executemany(
        "INSERT INTO paper_tags(paper_id, tag_id, added_at) VALUES (?, ?, ?)",
        [(p, new_id, at) for p, at, had in pairs if not had],
    )
    conn.execute("DELETE FROM tags WHERE id = ?", [old_id])  # cascades to its paper_tags
    message = f"Merged tag {old} into {new} ({plural(count)})"
    payload = {
        "changed": count,
        "mode": "merge",
        "tag_id": old_id,
        "old": old,
        "new_id": new_id,
        "pairs": [list(p) for p in pairs],
    }
    return count, message, payload


def edit_tags(
    conn: sqlite3.Connection, ids: Sequence[int], add: Sequence[str], remove: Sequence[str]
) -> tuple[int, str, dict[str, Any]]:
    """Add some tags and remove others as ONE journal entry (the app's `a b -c`: one undo)."""
    parts: dict[str, dict[str, Any]] = {}
    messages: list[str] = []
    papers: set[int] = set()
    for kind, names, run in (("add_tags", add, add_tags), ("remove_tags", remove, remove_tags)):
        if not names:
            continue
        changed, message, payload = run(conn, ids, names)
        if changed:
            parts[kind] = payload
            messages.append(message)
            rows = payload.get("pairs") if kind == "add_tags" else payload.get("removed")
            papers.update(row[0] for row in rows or ())
    changed = len(papers)
    return changed, "; ".join(messages), {"changed": changed, "parts": parts}


# Triage state the person sets per paper; a journal payload may name only these columns.
TRIAGE_COLUMNS = frozenset({"note", "snoozed_until", "dismissed_at"})


def set_triage(
    conn: sqlite3.Connection, ids: Sequence[int], column: str, value: str | None, message: str
) -> tuple[int, str, dict[str, Any]]:
    """Set one triage column (note, snooze day, dismissal) on papers whose value differs.

    The payload keeps the new value and each paper's old one, so undo restores the old values
    and a redo can write the new one again. `message` may hold `{papers}` ("3 papers").
    """
    if column not in TRIAGE_COLUMNS:
        raise ValueError(f"{column!r} is not a triage column")
    rows = conn.execute(
        f"SELECT id, {column} FROM papers WHERE {column} IS NOT ? "
        "AND id IN (SELECT value FROM json_each(?)) ORDER BY id",
        [value, _ids_param(ids)],
    ).fetchall()
    conn.executemany(f"UPDATE papers SET {column} = ? WHERE id = ?", [(value, r[0]) for r in rows])
    payload = {
        "changed": len(rows),
        "column": column,
        "value": value,
        "previous": [list(r) for r in rows],
    }
    return len(rows), message.format(papers=plural(len(rows))), payload


def _undo_set_triage(conn: sqlite3.Connection, p: dict[str, Any]) -> None:
    column = p["column"]
    if column not in TRIAGE_COLUMNS:  # a payload is data: never let it name SQL
        raise ValueError(f"journal entry names unknown column {column!r}")
    conn.executemany(
        f"UPDATE papers SET {column} = ? WHERE id = ?", [(old, i) for i, old in p["previous"]]
    )


def _undo_edit_tags(conn: sqlite3.Connection, p: dict[str, Any]) -> None:
    # Reverse order: put back what was removed, then take off what was added.
    if "remove_tags" in p["parts"]:
        _undo_remove_tags(conn, p["parts"]["remove_tags"])
    if "add_tags" in p["parts"]:
        _undo_add_tags(conn, p["parts"]["add_tags"])


def undo_latest(conn: sqlite3.Connection) -> ActionResult | None:
    """Reverse the latest journal entry not yet undone and mark it undone; None if there is none."""
    from papershelf.db import history  # history builds on this module

    return history.undo(conn)


def reverse(conn: sqlite3.Connection, kind: str, payload: dict[str, Any]) -> None:
    """Put back what the action of this `kind` and `payload` changed."""
    _UNDO[kind](conn, payload)


def _undo_add_tags(conn: sqlite3.Connection, p: dict[str, Any]) -> None:
    conn.executemany("DELETE FROM paper_tags WHERE paper_id = ? AND tag_id = ?", p["pairs"])
    conn.executemany("DELETE FROM tags WHERE id = ?", [(t,) for t, _ in p["created"]])


def _undo_remove_tags(conn: sqlite3.Connection, p: dict[str, Any]) -> None:
    conn.executemany("INSERT INTO tags(id, name) VALUES (?, ?)", p["deleted"])
    conn.executemany(
        "INSERT INTO paper_tags(paper_id, tag_id, added_at) VALUES (?, ?, ?)", p["removed"]
    )


def _undo_set_read(conn: sqlite3.Connection, p: dict[str, Any]) -> None:
    conn.executemany(
        "UPDATE papers SET read_at = ? WHERE id = ?", [(at, i) for i, at in p["previous"]]
    )


def _undo_rename(conn: sqlite3.Connection, p: dict[str, Any]) -> None:
    if p["mode"] == "rename":
        conn.execute("UPDATE tags SET name = ? WHERE id = ?", [p["old"], p["tag_id"]])
        return
    conn.execute("INSERT INTO tags(id, name) VALUES (?, ?)", [p["tag_id"], p["old"]])
    conn.executemany(
        "INSERT INTO paper_tags(paper_id, tag_id, added_at) VALUES (?, ?, ?)",
        [(pid, p["tag_id"], at) for pid, at, _ in p["pairs"]],
    )
    conn.executemany(
        "DELETE FROM paper_tags WHERE paper_id = ? AND tag_id = ?",
        [(pid, p["new_id"]) for pid, _, had in p["pairs"] if not had],
    )


def _undo_import(conn: sqlite3.Connection, p: dict[str, Any]) -> None:
    _undo_add_tags(conn, p["tags"])
    by_columns: dict[tuple[str, ...], list[list[Any]]] = {}
    for paper_id, old in p["updated"]:
        by_columns.setdefault(tuple(old), []).append([*old.values(), paper_id])
    for columns, rows in by_columns.items():
        if not set(columns) <= UNDOABLE_COLUMNS:  # a payload is data: never let it name SQL
            raise ValueError(f"journal entry names unknown columns {columns}")
        assignments = ", ".join(f"{column} = ?" for column in columns)
        conn.executemany(f"UPDATE papers SET {assignments} WHERE id = ?", rows)
    conn.execute("DELETE FROM snapshots WHERE import_id = ?", [p["import_id"]])
    if p["new"]:
        conn.execute("DELETE FROM papers WHERE id BETWEEN ? AND ?", p["new"])
    conn.execute("DELETE FROM imports WHERE id = ?", [p["import_id"]])


_UNDO = {
    "add_tags": _undo_add_tags,
    "remove_tags": _undo_remove_tags,
    "edit_tags": _undo_edit_tags,
    "set_read": _undo_set_read,
    "rename_tag": _undo_rename,
    "import": _undo_import,
    "set_note": _undo_set_triage,
    "snooze": _undo_set_triage,
    "dismiss": _undo_set_triage,
}
