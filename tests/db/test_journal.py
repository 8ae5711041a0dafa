"""The journal as a stack: undo and redo are exact inverses, a new action ends the redo stack,
an import that changed nothing is no undo step."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from papershelf.db.models import ParsedPaper
from papershelf.db.schema import STORE_TABLES
from papershelf.db.store import Store
from tests.support import templates

DAY = date(2025, 12, 8)
PAGE = [
    ParsedPaper(
        title="Attention Is All You Need",
        arxiv_id="1706.03762",
        authors=("Ashish Vaswani", "Noam Shazeer"),
        published=date(2017, 6, 12),
        upvotes=5,
        comments=1,
    ),
    ParsedPaper(title="FlashDecoding++", authors_count=9, published=date(2023, 11, 2)),
    ParsedPaper(title="EMOv2", organization="Tencent", published=date(2024, 12, 9)),
]


def imp(store: Store, papers, day: date = DAY):
    return store.import_papers(papers, source="t", captured_on=day)


def dump(store: Store) -> list[str]:
    """Every row of the store's own tables except the journal, as SQL."""
    conn = sqlite3.connect(store.path)
    try:
        keep = tuple(f'INSERT INTO "{t}"' for t in STORE_TABLES if t != "journal")
        return [line for line in conn.iterdump() if line.startswith(keep)]
    finally:
        conn.close()


def undone_flags(store: Store) -> list[int]:
    return [row[0] for row in store.db.execute("SELECT undone FROM journal ORDER BY id")]


def _make_busy(store: Store) -> None:
    imp(store, PAGE)
    store.add_tags([1, 2], ["rl"])
    store.add_tags([1, 3], ["vision"])
    store.add_tags([2], ["solo"])
    store.set_read([2], True)


@pytest.fixture(scope="module")
def busy_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """PAGE with tags (one used once) and a read mark, built once for the module."""
    return templates.build(tmp_path_factory.mktemp("busy"), _make_busy)


@pytest.fixture
def busy(tmp_path: Path, busy_file: Path):
    with Store.open(templates.copy(busy_file, tmp_path)) as store:
        yield store


ACTIONS = {
    "tag": lambda s: s.add_tags([1, 2, 3], ["rl", "Vision Models"]),
    "untag": lambda s: s.remove_tags([1, 2, 3], ["rl"]),
    "untag-last-use": lambda s: s.remove_tags([2], ["solo"]),
    "edit": lambda s: s.edit_tags([1, 3], add=["new"], remove=["vision"]),
    "read": lambda s: s.set_read([1, 2, 3], True),
    "unread": lambda s: s.set_read([1, 2, 3], False),
    "rename": lambda s: s.rename_tag("rl", "reinforcement"),
    "merge": lambda s: s.rename_tag("rl", "vision"),
    "note": lambda s: s.set_note(1, "read this"),
    "snooze": lambda s: s.snooze([1, 2], date(2030, 1, 1)),
    "dismiss": lambda s: s.dismiss([1, 3]),
    "import": lambda s: imp(
        s,
        [
            ParsedPaper(
                title="FlashDecoding++",
                arxiv_id="2311.01282",
                abstract="Filled.",
                upvotes=7,
                tags=("rl", "new-tag"),
                read_at="2020-01-01T00:00:00+00:00",
            ),
            ParsedPaper(title="A New Paper", abstract="New.", tags=("x",)),
        ],
        day=date(2025, 12, 9),
    ),
}


@pytest.mark.parametrize("action", ACTIONS)
def test_redo_replays_exactly_what_undo_reversed(busy, action):
    before = dump(busy)
    ACTIONS[action](busy)
    after = dump(busy)
    assert after != before
    assert busy.undo().message.startswith("Undid: ")
    assert dump(busy) == before
    assert busy.redo().message.startswith("Redid: ")
    assert dump(busy) == after
    busy.undo()
    assert dump(busy) == before


def test_undo_and_redo_walk_the_stack_both_ways(busy):
    states = [dump(busy)]
    for action in ("tag", "read", "import", "merge"):
        ACTIONS[action](busy)
        states.append(dump(busy))
    for state in reversed(states[:-1]):
        busy.undo()
        assert dump(busy) == state
    for state in states[1:]:
        busy.redo()
        assert dump(busy) == state
    assert busy.redo() is None


def test_a_new_action_after_an_undo_ends_the_redo_stack(busy):
    ACTIONS["tag"](busy)
    busy.undo()
    assert busy.next_redo() is not None
    busy.set_read([3], True)
    assert busy.next_redo() is None
    assert busy.redo() is None
    assert undone_flags(busy)[-2:] == [2, 0]


def test_an_action_that_changes_nothing_keeps_the_redo_stack(busy):
    ACTIONS["tag"](busy)
    busy.undo()
    busy.set_read([2], True)  # already read: no change, no journal entry
    assert busy.redo().message.startswith("Redid: ")


def test_an_import_that_changed_nothing_is_no_undo_step(busy):
    entry = busy.next_undo()
    before = dump(busy)
    report = imp(busy, PAGE)
    assert (report.new, report.updated, report.unchanged) == (0, 0, 3)
    assert busy.next_undo() == entry
    assert dump(busy) == before


def test_undo_only_the_entry_the_person_confirmed(busy):
    confirmed = busy.next_undo()
    busy.add_tags([3], ["late"])  # another process, between the question and the answer
    result = busy.undo(expect=confirmed.id)
    assert result.changed == 0 and "nothing was undone" in result.message
    assert busy.paper(3).tags == ("late", "vision")


def test_next_undo_describes_the_import(tmp_path):
    with Store.open(tmp_path / "p.db") as store:
        imp(store, PAGE)
        entry = store.next_undo()
        assert entry.kind == "import" and entry.changed == 3
        store.undo()
        assert store.next_undo() is None
        assert store.next_redo().id == entry.id
        store.redo()
        assert store.count() == 3
