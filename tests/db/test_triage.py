"""Store triage state: notes, snoozing and dismissing, each one undo step."""

from __future__ import annotations

from datetime import date

import pytest


def _first(store, n=1):
    return [p.id for p in store.papers()[:n]]


def test_note_is_saved_cleaned_and_undone(sample_store):
    (pid,) = _first(sample_store)
    result = sample_store.set_note(pid, "  read §3 \x1b[31mfirst\x1b[0m\nthen §5  ")
    assert result.changed == 1
    assert sample_store.paper(pid).note == "read §3 first\nthen §5"
    sample_store.set_note(pid, "")
    assert sample_store.paper(pid).note is None
    sample_store.undo()
    assert sample_store.paper(pid).note == "read §3 first\nthen §5"
    sample_store.undo()
    assert sample_store.paper(pid).note is None


def test_same_note_again_changes_nothing(sample_store):
    (pid,) = _first(sample_store)
    sample_store.set_note(pid, "x")
    assert sample_store.set_note(pid, "x").changed == 0


def test_snooze_sets_the_day_and_undo_restores(sample_store):
    ids = _first(sample_store, 3)
    result = sample_store.snooze(ids, date(2030, 1, 2))
    assert result.changed == 3
    assert result.message == "Snoozed 3 papers until 2030-01-02"
    assert {p.snoozed_until for p in sample_store.papers(ids)} == {"2030-01-02"}
    sample_store.snooze(ids[:1], None)
    assert sample_store.paper(ids[0]).snoozed_until is None
    sample_store.undo()
    sample_store.undo()
    assert {p.snoozed_until for p in sample_store.papers(ids)} == {None}


def test_dismiss_keeps_read_state_and_first_time(sample_store):
    ids = _first(sample_store, 2)
    assert sample_store.dismiss(ids[:1]).message == "Dismissed 1 paper"
    first = sample_store.paper(ids[0]).dismissed_at
    result = sample_store.dismiss(ids)
    assert result.changed == 1
    papers = sample_store.papers(ids)
    assert papers[0].dismissed_at == first and papers[1].dismissed_at
    assert not any(p.read for p in papers)
    sample_store.undo()
    assert sample_store.paper(ids[1]).dismissed_at is None
    assert sample_store.paper(ids[0]).dismissed_at == first
    assert sample_store.dismiss(ids[:1], dismissed=False).changed == 1
    assert sample_store.paper(ids[0]).dismissed_at is None


def test_nothing_to_change_writes_no_journal_entry(sample_store):
    assert sample_store.dismiss([]).changed == 0
    assert sample_store.snooze([999_999], date(2030, 1, 1)).changed == 0
    entries = sample_store.db.execute("SELECT count(*) FROM journal").fetchone()[0]
    assert entries == 1  # the sample import only


def test_a_payload_cannot_name_other_columns(sample_store):
    import json

    from papershelf.db import journal

    (pid,) = _first(sample_store)
    sample_store.set_note(pid, "x")
    sample_store.db.execute(
        "UPDATE journal SET payload = ? WHERE kind = 'set_note'",
        [json.dumps({"changed": 1, "column": "title", "previous": [[pid, "evil"]]})],
    )
    with pytest.raises(ValueError):
        with sample_store._write() as conn:  # noqa: SLF001
            journal.undo_latest(conn)
    assert sample_store.paper(pid).title != "evil"


def test_snapshots_are_listed_oldest_first(sample_store):
    (pid,) = _first(sample_store)
    rows = sample_store.snapshots(pid)
    assert len(rows) == 1
    assert rows[0][0] == "2025-12-08"
