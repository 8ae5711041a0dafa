"""Who has a library open: an advisory lock on a sidecar file, held while the app runs.

The app takes a shared `fcntl` lock on `<library>.open` for as long as it shows the library;
`papershelf restore` asks for an exclusive one without waiting, and is refused while any app
holds it. The kernel drops the lock when the process ends, however it ends (a crash, SIGKILL),
so a stale lock cannot outlive its app. A folder nobody may write to gets no sidecar: the app
then simply runs without announcing itself.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def sidecar(library: Path) -> Path:
    """The lock file beside `library`."""
    return library.with_name(f"{library.name}.open")


@contextmanager
def holding(library: Path) -> Iterator[None]:
    """Announce that this process has `library` open, until the block ends."""
    try:
        fd = os.open(sidecar(library), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        yield  # a read-only folder: nobody can restore into it either
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def in_use(library: Path) -> bool:
    """True while some process holds `library` open through `holding`."""
    try:
        fd = os.open(sidecar(library), os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False
