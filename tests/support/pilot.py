"""Pilot that waits for the app's state instead of for the process to look idle.

Textual's Pilot waits after every key and every `pause()` until the process seems idle: it
sleeps in 20 ms slices until one slice used almost no CPU, for up to a second. That costs tens of
milliseconds a key even when the app has long finished, up to a second while a worker thread
searches, and under load it is a guess: a process the machine does not schedule also uses no
CPU, so a busy app can look idle and the test reads a screen that is not there yet.

`until_handled` stands in for that wait: it yields until the app and every widget on its screen
have handled what is queued for them, and the `call_after_refresh` callbacks have run after
the app's own next refresh, as a person's next key would find it. Worker threads are not
waited for here: tests wait for them (`settle`) or for what they bring (`wait_until`).
"""

from __future__ import annotations

import asyncio
import time

import pytest
import textual.app
import textual.pilot
from textual._context import active_app
from textual.pilot import Pilot

# `until_handled` waits this long at most for the app to handle what is queued: it only bounds
# a failure (an app that never stops posting messages), the test goes on as soon as it is done.
HANDLED_AT_MOST = 30.0


def _quiet(app: textual.app.App[object]) -> bool:
    """Nothing queued for the app or any widget on its screen, no callback waiting for a refresh."""
    try:
        screen = app.screen
    except Exception:  # no screen: starting or closing
        return True
    if screen._callbacks:  # noqa: SLF001 - call_after_refresh callbacks
        return False
    pumps = [app, *screen.walk_children(with_self=True)]
    return all(pump._message_queue.empty() for pump in pumps)  # noqa: SLF001


async def _next_refresh(app: textual.app.App[object], timeout: float) -> None:
    """Until the screen's next refresh has run its waiting callbacks. The app refreshes at its own
    pace (at most MAX_FPS a second) and some of it counts refreshes (a key waits a bounded number
    of them for a dialog to open): forcing refreshes would let those run out faster than they
    can for a person."""
    refreshed = asyncio.Event()
    app.screen.call_after_refresh(refreshed.set)
    await asyncio.wait_for(refreshed.wait(), timeout)


async def until_handled(min_sleep: float = 0.0, max_sleep: float = 1.0) -> None:
    """Yield until the app has handled what is queued (`wait_for_idle`'s signature; no sleep).
    At least one round: a key the driver sent from "outside" reaches the app's queue meanwhile."""
    del min_sleep, max_sleep
    try:
        app = active_app.get()
    except LookupError:
        return
    pilot = Pilot(app)
    deadline = time.monotonic() + HANDLED_AT_MOST
    while app.is_running:
        await pilot._wait_for_screen()  # noqa: SLF001 - Pilot's own "queues handled" wait
        if _quiet(app):
            return
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError("the app kept posting messages: it never settled")
        try:
            callbacks = app.screen._callbacks  # noqa: SLF001
        except Exception:  # the screen went away: the app is closing
            return
        if callbacks:
            await _next_refresh(app, left)


def install(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make Pilot's key presses and pauses wait with `until_handled` (raises if Textual moved
    `wait_for_idle`, rather than letting the tests silently fall back to the slow wait)."""
    monkeypatch.setattr(textual.pilot, "wait_for_idle", until_handled)
    monkeypatch.setattr(textual.app, "wait_for_idle", until_handled)
