"""Headless app timings, run in a fresh subprocess: `python -m bench.app_probe DB SETTINGS`.

Prints one JSON object: seconds from process start and from `PapershelfApp(store)` to the first
painted list, to filter-ready, per-keystroke refilter-to-repaint times, and peak RSS (VmHWM).
A subprocess per run so every run is a cold start and VmHWM is the app's own peak.

Signals (read from tui/app.py, not guessed):
- first paint: the list widget has ids (`PaperList.ids`, set by the first, partial
  `SearchDone`), followed by one `pilot.pause()` so the screen has been refreshed;
- filter-ready: a fuzzy query set in the filter right after first paint has its full result on
  screen (`app.query_text` is that query and `app.status.loading` is False). The search index
  loads behind the first paint, so this is the moment typing really filters;
- refilter: after one key press in the filter, the result for the new text is on screen
  (same condition), search workers are done, and the screen has been refreshed.
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
TIMEOUT_S = 120.0


def vm_hwm_mb() -> float:
    """Peak resident set size of this process, from /proc (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def _until(check, pilot) -> None:
    """Yield to the app's event loop until `check()` holds (the app runs in this loop)."""
    deadline = time.perf_counter() + TIMEOUT_S
    while not check():
        if time.perf_counter() > deadline:
            raise TimeoutError("the app did not get there in time")
        await asyncio.sleep(0.001)


async def probe(db: Path, settings: Path) -> dict:
    from db.store import Store
    from tui.app import PapershelfApp
    from tui.widgets.filter_input import FilterInput

    imported = time.perf_counter()
    store = Store.open(db, create=False)
    app = PapershelfApp(store, settings_path=settings)
    start = time.perf_counter()
    out: dict = {"import_modules_s": imported - PROCESS_START}
    async with app.run_test(size=(120, 40)) as pilot:
        await _until(lambda: bool(app.paper_list.ids), pilot)
        await pilot.pause()
        painted = time.perf_counter()
        out["paint_s"] = painted - start
        out["paint_from_process_s"] = painted - PROCESS_START
        out["rows_at_paint"] = len(app.paper_list.ids)

        def shown(text: str):
            return lambda: app.query_text == text and not app.status.loading

        app.query_one(FilterInput).value = READY_QUERY
        await _until(shown(READY_QUERY), pilot)
        await pilot.pause()
        out["filter_ready_s"] = time.perf_counter() - start
        await app.workers.wait_for_complete()

        # Type like a person: focus the filter, clear it, then one key at a time.
        await pilot.press("slash")
        app.query_one(FilterInput).value = ""
        await _until(shown(""), pilot)
        keystrokes = []
        for text in TYPED:
            typed = ""
            for char in text:
                typed += char
                t = time.perf_counter()
                await pilot.press(_KEYS.get(char, char))
                await _until(shown(typed), pilot)
                await app.workers.wait_for_complete()
                await pilot.pause()
                keystrokes.append(time.perf_counter() - t)
            for _ in text:
                typed = typed[:-1]
                t = time.perf_counter()
                await pilot.press("backspace")
                await _until(shown(typed), pilot)
                await app.workers.wait_for_complete()
                await pilot.pause()
                keystrokes.append(time.perf_counter() - t)
        out["keystrokes_s"] = keystrokes
        out["rows_total"] = app.status.total
    store.close()
    out["vmhwm_mb"] = vm_hwm_mb()
    return out


if __name__ == "__main__":
    result = asyncio.run(probe(Path(sys.argv[1]), Path(sys.argv[2])))
    print(json.dumps(result))
