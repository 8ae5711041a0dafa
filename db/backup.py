"""Copies of the library file: `write_backup` makes one, `restore_library` puts one back.

Both work on whole SQLite files beside a library that may be open: a backup is SQLite's online
backup (a consistent snapshot even while another process writes), and a restore renames the old
files aside before it copies, so nothing is lost when the backup was the wrong one.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from papershelf.db import presence
from papershelf.db.schema import StoreError
from papershelf.db.store import Store


def write_backup(
    open_source: Callable[[], sqlite3.Connection], dest: str | os.PathLike[str]
) -> None:
    """Write a consistent copy of the library `open_source()` reads to a NEW file `dest`. The
    source is opened only once `dest` is known to be writable, and an error opening it is said
    like any other failed backup."""
    dest = Path(dest).expanduser().absolute()
    if not dest.parent.is_dir():
        raise StoreError(f"The folder {dest.parent} does not exist.")
    try:
        dest.open("xb").close()  # reserve the name: never overwrite an existing file
    except FileExistsError:
        raise StoreError(f"{dest} already exists; choose a new file name.") from None
    except OSError as error:
        raise StoreError(f"Cannot write {dest}: {error.strerror}.") from None
    partial = dest.with_name(f".{dest.name}.partial")
    try:
        source = open_source()
        try:
            target = sqlite3.connect(partial)
            try:
                source.backup(target)  # one step: a consistent snapshot even while others write
                target.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
            finally:
                target.close()
        finally:
            source.close()
        os.replace(partial, dest)
    except BaseException as error:
        dest.unlink(missing_ok=True)
        partial.unlink(missing_ok=True)
        if isinstance(error, sqlite3.DatabaseError):
            raise StoreError(f"Backup to {dest} failed: {error}.") from error
        raise


def restore_library(
    library: str | os.PathLike[str], backup: str | os.PathLike[str], *, force: bool = False
) -> Path | None:
    """Replace the library with a copy of `backup`; returns where the previous files were kept.

    The old library is renamed aside together with its `-wal`/`-shm` files, so a log left by a
    crash can never be replayed onto the restored copy, and nothing is lost if the backup was the
    wrong one. Refused while an app has the library open (`db.presence`) unless `force`; an app
    that is open anyway notices the new file (`Store.replaced`) and reopens it.
    """
    import shutil

    library, backup = Path(library).expanduser(), Path(backup).expanduser()
    if not force and presence.in_use(library.absolute()):
        raise StoreError(
            f"papershelf has {library} open; quit the app first (or restore --force: "
            "the app then reopens the restored library)."
        )
    if not backup.exists():
        raise StoreError(f"{backup} does not exist.")
    if not backup.is_file():
        raise StoreError(
            f"{backup} is not a regular file; name a backup made by `papershelf backup`."
        )
    if backup.resolve() == library.resolve():
        raise StoreError(f"{backup} is the library itself; name a backup file.")
    # A papershelf library this version can read (an older one is upgraded when next opened).
    Store.open(backup, readonly=True, allow_older=True).close()
    kept = None
    if library.exists():
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        kept = library.with_name(f"{library.name}.before-restore-{stamp}")
        for suffix in ("", "-wal", "-shm"):
            if Path(f"{library}{suffix}").exists():
                os.replace(f"{library}{suffix}", f"{kept}{suffix}")
    partial = library.with_name(f".{library.name}.restoring")
    try:
        shutil.copyfile(backup, partial)
        os.replace(partial, library)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise StoreError(f"Cannot write {library}: {error.strerror}.") from None
    Store.open(library).close()  # back in WAL mode, checked like any other open
    return kept
