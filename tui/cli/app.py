"""`papershelf` / `papershelf tui` and `papershelf demo`: the Textual app."""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from papershelf.db.parse import parse_bytes
from papershelf.db.sample import SAMPLE_CAPTURED_ON, SAMPLE_NAME, sample_bytes
from papershelf.db.store import Store
from papershelf.tui.cli.base import main, opened


def _run_app(store: Store, *, demo: bool = False) -> None:
    from papershelf.db.presence import holding
    from papershelf.tui.app import (
        PapershelfApp,  # the app's imports cost ~0.2 s; CLI commands skip them
    )

    with holding(store.path):  # `papershelf restore` asks before replacing it under the app
        app = PapershelfApp(store, demo=demo)
        app.run()
    if app.return_code:
        raise SystemExit(app.return_code)


@main.command()
@click.pass_context
def tui(ctx):
    """Open the app on the library."""
    with opened(ctx) as store:
        _run_app(store)


def build_demo(path: Path) -> Store:
    """A fresh library at PATH holding the bundled sample page, captured on 2025-12-08."""
    result = parse_bytes(sample_bytes(), source=SAMPLE_NAME, captured_on=SAMPLE_CAPTURED_ON)
    store = Store.open(path)
    store.import_papers(
        result.papers, source=SAMPLE_NAME, captured_on=SAMPLE_CAPTURED_ON, format=result.format
    )
    return store


@contextmanager
def _throwaway_folder() -> Iterator[Path]:
    """A temporary folder that is removed however the process ends, short of SIGKILL: on
    return or exception (finally), at interpreter exit (atexit), and on SIGTERM or SIGHUP
    (closing the terminal), which by default end a process without running either."""
    folder = Path(tempfile.mkdtemp(prefix="papershelf-demo-"))

    def remove() -> None:
        shutil.rmtree(folder, ignore_errors=True)

    def ended(signum: int, _frame: object) -> None:
        # Remove the folder, then end the way the signal ends any process. Raising SystemExit
        # here instead can land inside the app's event loop, which may keep running.
        remove()
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    atexit.register(remove)
    previous = {sig: signal.signal(sig, ended) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield folder
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        remove()
        atexit.unregister(remove)


@main.command()
def demo():
    """Open the app on a throwaway library built from the bundled sample page."""
    with _throwaway_folder() as folder:
        store = build_demo(folder / "demo.db")
        try:
            _run_app(store, demo=True)
        finally:
            store.close()


if __name__ == "__main__":
    main()
