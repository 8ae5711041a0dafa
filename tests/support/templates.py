"""Libraries built once and copied into each test's tmp_path.

Building a library (schema, imports, their fsyncs) costs tens of milliseconds; copying the
closed file costs about one. A fixture builds its library once per session or module (per
xdist worker) with `build`, and each test opens its own `copy`, as fresh as a new build.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

from papershelf.db.store import Store

LIBRARY = "papers.db"  # the file name a library has in tmp_path


def build(folder: Path, *fills: Callable[[Store], object]) -> Path:
    """A library file made by `fills` in turn, whole in one file that nothing holds open.

    The library is made under another name and backed up to its own: a connection a fill
    left for the garbage collector (a Searcher's, say) can keep the store's last commits in
    its WAL file after `close`, where a copy of the main file alone would miss them.
    """
    work = folder / f"building-{LIBRARY}"
    with Store.open(work) as store:
        for fill in fills:
            fill(store)
    return whole(work)


def whole(work: Path) -> Path:
    """The library at `work` backed up to papers.db beside it: one file, nothing holding it."""
    path = work.with_name(LIBRARY)
    source, target = sqlite3.connect(work), sqlite3.connect(path)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    assert not path.with_name(f"{LIBRARY}-wal").exists()
    return path


def copy(template: Path, tmp_path: Path) -> Path:
    """`template` copied to tmp_path/papers.db."""
    path = tmp_path / LIBRARY
    shutil.copyfile(template, path)
    return path
