"""A restore while the app has the library open: refused unless --force, and the app notices."""

from __future__ import annotations

import os
import sqlite3

from textual.worker import WorkerCancelled

from papershelf.db.backup import restore_library
from papershelf.db.presence import holding
from papershelf.db.store import Store, StoreError
from tests.support.app import SIZE, make_app, settle, shown
from tests.support.library import Cli


def test_restore_is_refused_while_the_library_is_held_open(library: Cli, tmp_path_factory):
    backup = tmp_path_factory.mktemp("b") / "backup.db"
    assert library("backup", str(backup)).exit_code == 0
    with holding(library.db.absolute()):
        result = library("restore", str(backup))
        assert result.exit_code == 1
        assert "open" in result.stderr and "--force" in result.stderr
        assert library("restore", "--force", str(backup)).exit_code == 0
    assert library("restore", str(backup)).exit_code == 0  # the app is gone: allowed


def test_a_store_refuses_to_write_to_a_replaced_file(library: Cli, tmp_path_factory):
    backup = tmp_path_factory.mktemp("b") / "backup.db"
    library("backup", str(backup))
    with Store.open(library.db) as store:
        restore_library(library.db, backup)
        assert store.replaced()
        try:
            store.set_read([1], True)
        except StoreError as error:
            assert "replaced" in str(error)
        else:
            raise AssertionError("wrote to the replaced file")
    with Store.open(library.db) as fresh:
        assert not fresh.paper(1).read


async def test_the_app_reopens_a_restored_library(library: Cli, tmp_path):
    library("read", "1")
    backup = tmp_path / "backup.db"
    library("backup", str(backup))
    library("unread", "1")
    library("tag", "add", "later", "1", "2")
    store = Store.open(library.db)
    app = make_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        restore_library(library.db, backup, force=True)
        for _ in range(50):
            try:
                await app.check_version().wait()
            except WorkerCancelled:  # a newer poll replaced it
                pass
            await settle(app, pilot)
            if app.library.store is not store:
                break
        assert app.library.store is not store
        assert not app.library.store.replaced()
        assert len(shown(app)) == 53
        first = shown(app)[0]
        was_read = app.library.store.paper(first).read
        await pilot.press("r")  # lands in the restored file
        await settle(app, pilot)
    app.library.store.close()
    store.close()
    with Store.open(library.db) as now:
        assert now.paper(first).read is not was_read
        assert now.paper(1).read or first == 1  # the backup's read mark
        assert not any(p.tags for p in now.papers())  # tagged after the backup: gone


async def test_a_replacement_that_cannot_be_opened_is_said_once(library: Cli, tmp_path):
    store = Store.open(library.db)
    app = make_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        stranger = tmp_path / "stranger.db"
        sqlite3.connect(stranger).execute("CREATE TABLE other (x)").connection.commit()
        os.replace(stranger, library.db)
        for _ in range(5):  # five polls: each sees the replaced file
            try:
                await app.check_version().wait()
            except WorkerCancelled:
                pass
            await settle(app, pilot)
        said = [n.message for n in app._notifications if "was replaced" in n.message]  # noqa: SLF001
        assert len(said) == 1
        assert "cannot be opened" in said[0]
        assert app.library.store is store  # still the old one, whose writes are refused
    store.close()
