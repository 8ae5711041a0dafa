"""Undo and redo over the journal: a redo replays exactly what the undo reversed.

The journal is a stack. `undone` is 0 for a change in effect, 1 for an undone change that can be
redone, 2 for an undone change a newer action made unreachable (`journal.record` drops the redo
stack, like every editor). Undo takes the newest entry in effect; redo the oldest redoable one.

An entry's payload names what the action changed and how things were before; undo also saves,
under `redo`, how the touched rows were *after* the action (timestamps, whole imported rows),
so the redo puts back the very same rows. Runs inside the Store's write transaction.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from papershelf.db import journal, search_index
from papershelf.db.models import ActionResult


@dataclass(frozen=True)
class Entry:
    """One journal entry, as undo or redo would see it."""

    id: int
    kind: str
    description: str
    changed: int


IN_EFFECT, REDOABLE, DROPPED = 0, 1, 2


def _entry(conn: sqlite3.Connection, state: int) -> tuple[Entry, dict[str, Any]] | None:
    order = "DESC" if state == IN_EFFECT else "ASC"
    row = conn.execute(
        f"SELECT id, kind, description, payload FROM journal WHERE undone = ? "
        f"ORDER BY id {order} LIMIT 1",
        [state],
    ).fetchone()
    if row is None:
        return None
    payload = json.loads(row[3])
    return Entry(row[0], row[1], row[2], int(payload.get("changed", 0))), payload


def next_undo(conn: sqlite3.Connection) -> Entry | None:
    """The entry `undo` would reverse now."""
    found = _entry(conn, IN_EFFECT)
    return found[0] if found else None


def next_redo(conn: sqlite3.Connection) -> Entry | None:
    """The entry `redo` would replay now."""
    found = _entry(conn, REDOABLE)
    return found[0] if found else None


def undo(conn: sqlite3.Connection, expect: int | None = None) -> ActionResult | None:
    """Reverse the newest entry in effect (only if it is `expect`, when given); None if none."""
    found = _entry(conn, IN_EFFECT)
    if found is None:
        return None
    entry, payload = found
    if expect is not None and entry.id != expect:
        return ActionResult(0, f"The last change is now: {entry.description}; nothing was undone.")
    capture = _CAPTURE.get(entry.kind)
    if capture is not None:
        payload["redo"] = capture(conn, payload)
    journal.reverse(conn, entry.kind, payload)
    conn.execute(
        "UPDATE journal SET undone = ?, payload = ? WHERE id = ?",
        [REDOABLE, json.dumps(payload, separators=(",", ":")), entry.id],
    )
    return ActionResult(entry.changed, f"Undid: {entry.description}")


def redo(conn: sqlite3.Connection) -> ActionResult | None:
    """Replay the most recently undone entry; None when there is nothing to redo."""
    found = _entry(conn, REDOABLE)
    if found is None:
        return None
    entry, payload = found
    replay = _REDO.get(entry.kind)
    if replay is None:
        raise ValueError(f"journal entry {entry.id} ({entry.kind}) cannot be redone")
    replay(conn, payload, payload.get("redo") or {})
    payload.pop("redo", None)
    conn.execute(
        "UPDATE journal SET undone = ?, payload = ? WHERE id = ?",
        [IN_EFFECT, json.dumps(payload, separators=(",", ":")), entry.id],
    )
    return ActionResult(entry.changed, f"Redid: {entry.description}")


# -- what undo saves for redo --------------------------------------------------------------------


def _pairs_now(conn: sqlite3.Connection, pairs: list[list[int]]) -> list[list[Any]]:
    """The (paper_id, tag_id, added_at) rows of these pairs as they are now."""
    return [
        list(row)
        for row in conn.execute(
            "SELECT paper_id, tag_id, added_at FROM paper_tags WHERE (paper_id, tag_id) IN "
            "(SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?)) ORDER BY paper_id, tag_id",
            [json.dumps([pair[:2] for pair in pairs])],
        )
    ]


def _capture_add_tags(conn: sqlite3.Connection, p: dict[str, Any]) -> dict[str, Any]:
    return {"pairs": _pairs_now(conn, p["pairs"])}


def _capture_edit_tags(conn: sqlite3.Connection, p: dict[str, Any]) -> dict[str, Any]:
    added = p["parts"].get("add_tags")
    return {"add_tags": _capture_add_tags(conn, added)} if added else {}


def _capture_set_read(conn: sqlite3.Connection, p: dict[str, Any]) -> dict[str, Any]:
    return {"read_at": _column_now(conn, "read_at", [i for i, _ in p["previous"]])}


def _capture_rename(conn: sqlite3.Connection, p: dict[str, Any]) -> dict[str, Any]:
    if p["mode"] != "rename":
        return {}
    row = conn.execute("SELECT name FROM tags WHERE id = ?", [p["tag_id"]]).fetchone()
    return {"name": row[0] if row else p["old"]}


def _column_now(conn: sqlite3.Connection, column: str, ids: list[int]) -> list[list[Any]]:
    return [
        list(row)
        for row in conn.execute(
            f"SELECT id, {column} FROM papers WHERE id IN (SELECT value FROM json_each(?)) "
            "ORDER BY id",
            [json.dumps(ids)],
        )
    ]


def _table_columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]


def _rows(conn: sqlite3.Connection, table: str, where: str, params: list[Any]) -> dict[str, Any]:
    columns = _table_columns(conn, table)
    quoted = ", ".join(f'"{c}"' for c in columns)
    rows = conn.execute(f"SELECT {quoted} FROM {table} WHERE {where} ORDER BY id", params)
    return {"columns": columns, "rows": [list(r) for r in rows]}


def _capture_import(conn: sqlite3.Connection, p: dict[str, Any]) -> dict[str, Any]:
    updated = {}
    for paper_id, old in p["updated"]:
        columns = [c for c in old if c in journal.UNDOABLE_COLUMNS]
        quoted = ", ".join(columns)
        row = conn.execute(f"SELECT {quoted} FROM papers WHERE id = ?", [paper_id]).fetchone()
        if row is not None:
            updated[str(paper_id)] = dict(zip(columns, row))
    new = p["new"]
    return {
        "import": _rows(conn, "imports", "id = ?", [p["import_id"]]),
        "papers": _rows(conn, "papers", "id BETWEEN ? AND ?", new) if new else None,
        "updated": updated,
        "snapshots": _rows(conn, "snapshots", "import_id = ?", [p["import_id"]]),
        "tags": _capture_add_tags(conn, p["tags"]),
    }


# -- redo ------------------------------------------------------------------------------------------


def _insert(conn: sqlite3.Connection, table: str, saved: dict[str, Any] | None) -> None:
    if not saved or not saved["rows"]:
        return
    columns = saved["columns"]
    if not set(columns) <= set(_table_columns(conn, table)):  # a payload never names SQL
        raise ValueError(f"journal entry names unknown columns of {table}")
    quoted = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" * len(columns))
    conn.executemany(f"INSERT INTO {table}({quoted}) VALUES ({marks})", saved["rows"])


def _redo_add_tags(conn: sqlite3.Connection, p: dict[str, Any], r: dict[str, Any]) -> None:
    conn.executemany("INSERT INTO tags(id, name) VALUES (?, ?)", p["created"])
    rows = r.get("pairs", [[pid, tid, None] for pid, tid, *_ in p["pairs"]])
    conn.executemany("INSERT INTO paper_tags(paper_id, tag_id, added_at) VALUES (?, ?, ?)", rows)


def _redo_remove_tags(conn: sqlite3.Connection, p: dict[str, Any], _r: dict[str, Any]) -> None:
    conn.executemany(
        "DELETE FROM paper_tags WHERE paper_id = ? AND tag_id = ?", [r[:2] for r in p["removed"]]
    )
    conn.executemany("DELETE FROM tags WHERE id = ?", [(t,) for t, _ in p["deleted"]])


def _redo_edit_tags(conn: sqlite3.Connection, p: dict[str, Any], r: dict[str, Any]) -> None:
    parts = p["parts"]
    if "add_tags" in parts:
        _redo_add_tags(conn, parts["add_tags"], r.get("add_tags", {}))
    if "remove_tags" in parts:
        _redo_remove_tags(conn, parts["remove_tags"], {})


def _redo_set_read(conn: sqlite3.Connection, p: dict[str, Any], r: dict[str, Any]) -> None:
    conn.executemany(
        "UPDATE papers SET read_at = ? WHERE id = ?", [(at, i) for i, at in r["read_at"]]
    )


def _redo_rename(conn: sqlite3.Connection, p: dict[str, Any], r: dict[str, Any]) -> None:
    if p["mode"] == "rename":
        conn.execute("UPDATE tags SET name = ? WHERE id = ?", [r["name"], p["tag_id"]])
        return
    conn.executemany(
        "INSERT INTO paper_tags(paper_id, tag_id, added_at) VALUES (?, ?, ?)",
        [(pid, p["new_id"], at) for pid, at, had in p["pairs"] if not had],
    )
    conn.execute("DELETE FROM tags WHERE id = ?", [p["tag_id"]])  # cascades to its paper_tags


def _redo_triage(conn: sqlite3.Connection, p: dict[str, Any], _r: dict[str, Any]) -> None:
    column = p["column"]
    if column not in journal.TRIAGE_COLUMNS:  # a payload is data: never let it name SQL
        raise ValueError(f"journal entry names unknown column {column!r}")
    conn.executemany(
        f"UPDATE papers SET {column} = ? WHERE id = ?", [(p["value"], i) for i, _ in p["previous"]]
    )


def _redo_import(conn: sqlite3.Connection, p: dict[str, Any], r: dict[str, Any]) -> None:
    _insert(conn, "imports", r["import"])
    _insert(conn, "papers", r["papers"])
    if p["new"]:
        search_index.queue_new(conn, p["new"][0])
    _redo_add_tags(conn, p["tags"], r["tags"])
    for paper_id, values in r["updated"].items():
        if not set(values) <= journal.UNDOABLE_COLUMNS:
            raise ValueError("journal entry names unknown columns of papers")
        assignments = ", ".join(f"{c} = ?" for c in values)
        conn.execute(
            f"UPDATE papers SET {assignments} WHERE id = ?", [*values.values(), int(paper_id)]
        )
    _insert(conn, "snapshots", r["snapshots"])


_CAPTURE = {
    "add_tags": _capture_add_tags,
    "edit_tags": _capture_edit_tags,
    "set_read": _capture_set_read,
    "rename_tag": _capture_rename,
    "import": _capture_import,
}
_REDO = {
    "add_tags": _redo_add_tags,
    "remove_tags": _redo_remove_tags,
    "edit_tags": _redo_edit_tags,
    "set_read": _redo_set_read,
    "rename_tag": _redo_rename,
    "import": _redo_import,
    "set_note": _redo_triage,
    "snooze": _redo_triage,
    "dismiss": _redo_triage,
}
