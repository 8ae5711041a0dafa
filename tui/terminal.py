"""Whether the app still has its terminal.

A terminal that goes away normally ends the app with SIGHUP. When the signal does not reach it
(the app runs under another program, such as `make run`, that takes the signal itself, or under
`nohup`), Textual's input thread reads end-of-file in a loop at full speed and the app never
ends, holding the library open. The app asks `attached()` once a second and quits when it says no.
"""

from __future__ import annotations

import sys

try:
    import termios
except ImportError:  # Windows: its console has no hang-up to miss
    termios = None  # type: ignore[assignment]


def attached() -> bool:
    """True while standard input is a terminal that answers. A hung-up terminal (its window
    closed, its SSH connection dropped) fails every request with EIO."""
    stream = sys.__stdin__
    if stream is None:
        return False
    if termios is None:
        return True
    try:
        termios.tcgetattr(stream.fileno())
    except (termios.error, OSError, ValueError):
        return False
    return True
