"""A library that cannot be written opens read-only: reading works, writes say one sentence."""

from __future__ import annotations

import os
import stat

import pytest

from papershelf.db.store import Store
from papershelf.tui.widgets.paper_list import PaperList
from tests.support.app import SIZE, make_app, screen_text, settle, shown
from tests.support.library import Cli, dump


@pytest.fixture(params=["file", "folder"])
def locked(request, library: Cli):
    """The sample library made read-only by its mode bits (root ignores them, the app not)."""
    target = library.db if request.param == "file" else library.db.parent
    mode = target.stat().st_mode
    target.chmod(stat.S_IMODE(mode) & ~0o222)
    yield library
    target.chmod(stat.S_IMODE(mode))


@pytest.mark.parametrize(
    "args",
    [
        ("list", "--limit", "3"),
        ("show", "1"),
        ("stats",),
        ("export", "--format", "csv"),
        ("tag", "list", "--format", "json"),
    ],
)
def test_reading_a_read_only_library_works(locked: Cli, args):
    result = locked(*args)
    assert result.exit_code == 0, result.output
    assert result.stdout


def test_a_backup_of_a_read_only_library_works(locked: Cli, tmp_path_factory):
    dest = tmp_path_factory.mktemp("out") / "copy.db"
    assert locked("backup", str(dest)).exit_code == 0
    with Store.open(dest, readonly=True) as copy:
        assert copy.count() == 53


@pytest.mark.parametrize(
    "args", [("read", "1"), ("tag", "add", "x", "1"), ("undo",), ("redo",), ("unread", "--all")]
)
def test_writing_a_read_only_library_says_one_sentence(locked: Cli, args):
    before = dump(locked.db)
    result = locked(*args)
    assert result.exit_code == 1
    assert "read-only" in result.stderr and result.stderr.count("\n") == 1
    assert dump(locked.db) == before


async def test_the_app_on_a_read_only_library_says_so_and_writes_nothing(locked: Cli, tmp_path):
    store = Store.open(locked.db, readonly=True)
    app = make_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert len(shown(app)) == 53
        assert "READ-ONLY" in screen_text(app)
        for action in ("toggle_read", "tag", "undo", "redo"):
            assert app.check_action(action, ()) is False
        await pilot.press("r", "u", "j")
        await settle(app, pilot)
        assert app.query_one(PaperList).cursor == 1
        assert not any(p.read for p in store.papers())
    store.close()
    assert os.access(locked.db, os.R_OK)
