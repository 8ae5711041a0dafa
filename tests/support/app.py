"""Pieces the app tests share: the NASTY papers, building and settling an app, reading its screen."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from textual.worker import WorkerCancelled, WorkerFailed, WorkerState

from papershelf.db.models import ParsedPaper
from papershelf.db.parse import parse_bytes
from papershelf.db.sample import sample_path
from papershelf.db.store import Store
from papershelf.tui.app import PapershelfApp
from papershelf.tui.widgets.paper_list import PaperList

SAMPLE = sample_path()
CAPTURED_ON = date(2025, 12, 8)
SIZE = (120, 35)
# A worker's message may start another worker: settle waits for chains this long at most.
SETTLE_ROUNDS = 50
_BUSY = (WorkerState.PENDING, WorkerState.RUNNING)

# Text that breaks naive UIs: markup-looking brackets, escape sequences, emoji, CJK, and
# a title far wider than any terminal. The store strips the escape sequences on import.
LONG_TITLE = "Attention " + "very " * 398 + "long"  # 2,000 characters
NASTY = (
    ParsedPaper(
        title="Code at [https://github.com/x] and [/] closing tags",
        abstract="We use [bold]not bold[/bold] and [link=https://evil]x[/link] and [/] here.",
        published=date(2025, 12, 1),
        upvotes=7,
        comments=1,
        links=("https://github.com/x/repo",),
        github="https://github.com/x/repo",
        authors=("Ada [Lovelace]",),
    ),
    ParsedPaper(
        title="[bold]Not bold[/bold] \x1b[31mred\x1b[0m \x1b]0;pwned\x07title 🚀 模型 [/]",
        abstract="Escapes \x1b]52;c;ZXZpbA==\x07 clipboard and 中文摘要 with emoji 🤖 and [i]x[/i].",
        published=date(2025, 12, 2),
        upvotes=3,
        comments=0,
    ),
    ParsedPaper(
        title=LONG_TITLE,
        abstract="A very long title.",
        published=date(2025, 12, 3),
        upvotes=1,
        comments=0,
    ),
)
# What the NASTY titles look like once the store has cleaned them (escape sequences gone).
NASTY_SHOWN = (
    "Code at [https://github.com/x] and [/] closing tags",
    "[bold]Not bold[/bold] red title 🚀 模型 [/]",
)


def import_sample(store: Store) -> None:
    """Import the bundled sample page the way `papershelf demo` does."""
    result = parse_bytes(SAMPLE.read_bytes(), source=SAMPLE.name, captured_on=CAPTURED_ON)
    store.import_papers(
        result.papers, source=SAMPLE.name, captured_on=CAPTURED_ON, format=result.format
    )


def import_nasty(store: Store) -> None:
    """Import the NASTY papers (through the store, which cleans them like any import)."""
    from papershelf.db.text import clean_line, clean_text

    papers = [
        ParsedPaper(
            **{
                **{f: getattr(p, f) for f in p.__slots__},
                "title": clean_line(p.title),
                "abstract": clean_text(p.abstract),
            }
        )
        for p in NASTY
    ]
    store.import_papers(papers, source="nasty.txt", captured_on=CAPTURED_ON)


def screen_text(app) -> str:
    """Everything on the app's screen (toasts and modal screens included) as plain text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())  # noqa: SLF001


def make_app(store: Store, tmp_path: Path, **kwargs) -> PapershelfApp:
    kwargs.setdefault("config_path", tmp_path / "config.toml")
    return PapershelfApp(store, settings_path=tmp_path / "settings.json", **kwargs)


async def settle(app: PapershelfApp, pilot) -> None:
    """Let workers finish and their messages (which may start more workers) be handled, until
    no worker is left and the app has handled everything (a bounded number of rounds)."""
    for _ in range(SETTLE_ROUNDS):
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:  # a newer keystroke (or poll) replaced it: that is the point
            pass
        except WorkerFailed:  # the app shows a failed worker's error (exit_on_error=False);
            pass  # one with exit_on_error=True ends the app, and run_test raises it
        await pilot.pause()
        if not any(worker.state in _BUSY for worker in app.workers):
            return
    raise AssertionError("the app's workers never finished")


async def wait_until(
    pilot, condition: Callable[[], object], what: str, timeout: float = 60.0
) -> None:
    """Yield to the app until `condition()` holds. `timeout` only bounds a failure: the test
    goes on the moment the state is there, however slow the machine."""
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"the app never got there: {what}")
        await pilot.pause()


async def settle_until(app: PapershelfApp, pilot, condition: Callable[[], bool]) -> None:
    """Settle until `condition()` holds: a state to wait for, in a bounded number of rounds
    (each waits for the workers and the message queue, never for a stretch of time)."""
    for _ in range(200):
        await settle(app, pilot)
        if condition():
            return
    raise AssertionError("the app never reached the state the test waits for")


async def type_filter(app, pilot, text: str) -> None:
    await pilot.press("slash", *["space" if ch == " " else ch for ch in text])
    await settle(app, pilot)


def shown(app: PapershelfApp) -> list[int]:
    return list(app.query_one(PaperList).ids)
