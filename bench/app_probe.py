"""Headless app timings, run in a fresh subprocess: `python -m bench.app_probe DB SETTINGS`.

Prints one JSON object: seconds from process start and from `PapershelfApp(store)` to the first
painted list, to filter-ready, per-keystroke refilter-to-repaint times, and peak RSS (VmHWM).
A subprocess per run so every run is a cold start and VmHWM is the app's own peak.

Signals (read from tui/app.py, not guessed):
- painted: `PaperList.render_line` is wrapped to stamp the time of each call, so "painted" is
  the first time the compositor draws a list line after the state we wait for;
- first paint: the first list line drawn while the list has ids (`PaperList.ids`, set by the
  first, partial `SearchDone`);
- filter-ready: a fuzzy query set in the filter right after first paint has its full result
  (`app.query_text` is that query and `app.status.loading` is False) drawn. The search index
  loads behind the first paint, so this is the moment typing really filters;
- refilter: one key event sent to the focused filter, then the same condition, then drawn.

Keys go straight to the driver (what `Pilot.press` does) without Pilot's `wait_for_idle`,
which sleeps in 20 ms steps until the CPU is idle and measured ~150 ms per key of harness, not
app, time.
"""

from __future__ import annotations

import time

PROCESS_START = time.perf_counter()

import asyncio  # noqa: E402 - the clock starts before the imports, on purpose
import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

# Typed one key at a time after filter-ready; `backspace` steps count too.
TYPED = ("vision transfomer", "flash decod", "tag:llm quant")
READY_QUERY = "mamba"
_KEYS = {" ": "space", ":": "colon", "/": "slash"}
TIMEOUT_S = 20.0


def vm_hwm_mb() -> float:
    """Peak resident set size of this process, from /proc (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def _until(check, pilot, what: str = "") -> None:
    """Yield to the app's event loop until `check()` holds (the app runs in this loop)."""
    from textual.worker import WorkerState

    deadline = time.perf_counter() + TIMEOUT_S
    while not check():
        # the app's workers run with exit_on_error=False: surface their errors, don't hang
        failed = [w for w in pilot.app.workers if w.state == WorkerState.ERROR]
        if failed:
            raise RuntimeError(f"app worker {failed[0].name} failed: {failed[0].error!r}")
        if time.perf_counter() > deadline:
            raise TimeoutError(f"the app did not get there in time: {what}")
        await asyncio.sleep(0.001)


FIRST_PAINT: list[float | None] = [None]
# query text -> first time a line was drawn with its complete result (cleared per keystroke)
DRAWN: dict[str, float] = {}
# query text -> first time a line was drawn with any result for it: the first screen, which a
# new filter paints from a limited search before the complete list arrives (cleared per key)
REPAINTED: dict[str, float] = {}


def _instrument() -> None:
    """Stamp every list line the compositor draws (see the module docstring)."""
    from papershelf.tui.widgets.paper_list import PaperList

    original = PaperList.render_line

    def render_line(self, y):
        now = time.perf_counter()
        if FIRST_PAINT[0] is None and self.ids:
            FIRST_PAINT[0] = now
        app = self.app
        if app.list_text == app.query_text:
            REPAINTED.setdefault(app.query_text, now)
        if not app.status.loading:  # a complete result for this text is being drawn
            DRAWN.setdefault(app.query_text, now)
        return original(self, y)

    PaperList.render_line = render_line


def _incomplete(text: str) -> bool:
    """A half-typed term (`tag:`): the app keeps the previous results (INTERFACES.md)."""
    from papershelf.db.query import QueryError, parse_query

    try:
        parse_query(text)
    except QueryError as error:
        return error.incomplete
    return False


def _send_key(app, key: str) -> None:
    """One key event to the app, as Pilot.press sends it (minus its idle waits)."""
    from textual import events

    name = _KEYS.get(key, key)
    char = key if len(key) == 1 else None
    event = events.Key(name, char)
    event.set_sender(app)
    app._driver.send_message(event)


async def probe(db: Path, settings: Path) -> dict:
    from papershelf.db.store import Store
    from papershelf.tui.app import PapershelfApp
    from papershelf.tui.widgets.filter_input import FilterInput

    _instrument()

    imported = time.perf_counter()
    store = Store.open(db, create=False)
    app = PapershelfApp(store, settings_path=settings)
    start = time.perf_counter()
    out: dict = {"import_modules_s": imported - PROCESS_START}
    async with app.run_test(size=(120, 40)) as pilot:
        await _until(lambda: FIRST_PAINT[0] is not None, pilot)
        out["paint_s"] = FIRST_PAINT[0] - start
        out["paint_from_process_s"] = FIRST_PAINT[0] - PROCESS_START
        out["rows_at_paint"] = len(app.paper_list.ids)

        def shown(text: str):
            return lambda: app.query_text == text and not app.status.loading

        async def drawn(text: str) -> float:
            """Wait until `text`'s complete result has been drawn; the time it was drawn.

            The caller clears DRAWN first, so only draws after its key count.
            """

            # A query that matches nothing draws no list line: the "no papers match" message
            # stands where the list was, and it counts as drawn once the search has settled.
            def done() -> bool:
                return text in DRAWN or (shown(text)() and not app.paper_list.ids)

            await _until(done, pilot, f"list drawn for {text!r}")
            return DRAWN.get(text, time.perf_counter())

        DRAWN.clear()
        app.query_one(FilterInput).value = READY_QUERY
        out["filter_ready_s"] = await drawn(READY_QUERY) - start
        await app.workers.wait_for_complete()

        # Type like a person: focus the filter, clear it, then one key at a time.
        await pilot.press("slash")
        DRAWN.clear()
        app.query_one(FilterInput).value = ""
        await drawn("")
        await pilot.pause()
        keystrokes, repaints = [], []
        for text in TYPED:
            typed = ""
            steps = [(c, typed := typed + c) for c in text]
            steps += [("backspace", typed := typed[:-1]) for _ in text]
            for key, expected in steps:
                DRAWN.clear()
                REPAINTED.clear()
                t = time.perf_counter()
                _send_key(app, key)
                if _incomplete(expected):  # `tag:` keeps the old list: nothing to repaint
                    await _until(shown(expected), pilot, f"settled on {expected!r}")
                else:
                    done = await drawn(expected)
                    keystrokes.append(done - t)
                    repaints.append(REPAINTED.get(expected, done) - t)
                await app.workers.wait_for_complete()  # let the full list settle first
        out["keystrokes_s"] = keystrokes  # key -> complete result drawn
        out["repaints_s"] = repaints  # key -> first screen of the new result drawn
        out["rows_total"] = app.status.total
    store.close()
    out["vmhwm_mb"] = vm_hwm_mb()
    return out


if __name__ == "__main__":
    result = asyncio.run(probe(Path(sys.argv[1]), Path(sys.argv[2])))
    print(json.dumps(result))
