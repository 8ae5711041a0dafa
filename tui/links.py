"""Links that work anywhere: open in a browser when one can show up, else copy and show the URL.

Over SSH, in a container or on a server there is no browser a person could see: `webbrowser`
would either fail or start a text browser inside our own terminal. So a browser is used only
when there is a display (or on macOS/Windows outside SSH); otherwise the URL is copied and shown.

Copying is honest about what is known: the app always sends OSC 52 (the terminal may or may
not honour it; under tmux with `set-clipboard external` it goes nowhere), then tries the system
clipboard tools. Only a tool that ran successfully counts as "copied".
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from papershelf.db.models import Paper

# Browsers that run inside the terminal: starting one would take over the app's screen.
CONSOLE_BROWSERS = frozenset({"www-browser", "links", "elinks", "lynx", "w3m", "browsh"})
TOOL_TIMEOUT = 3.0  # s: a clipboard tool that hangs (no X server answering) is given up on


def pdf_url(paper: Paper) -> str | None:
    """arXiv's PDF for papers with an arXiv id."""
    return f"https://arxiv.org/pdf/{paper.arxiv_id}" if paper.arxiv_id else None


def is_web(url: str | None) -> bool:
    """True for http(s) URLs (links from a page could be anything)."""
    return bool(url) and str(url).lower().startswith(("http://", "https://"))


def has_display(env: Mapping[str, str], platform: str) -> bool:
    """Whether a browser started here could be seen by the person at the keyboard."""
    if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return True
    remote = bool(env.get("SSH_CONNECTION") or env.get("SSH_TTY"))
    return platform in ("darwin", "win32") and not remote


def open_in_browser(url: str) -> bool:
    """Start a graphical browser on `url` (blocking briefly); False when none can be shown."""
    if not has_display(os.environ, sys.platform):
        return False
    import webbrowser

    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return False
    name = getattr(browser, "name", "") or ""
    if os.path.basename(name) in CONSOLE_BROWSERS:
        return False
    try:
        return bool(browser.open(url))
    except (OSError, webbrowser.Error):
        return False


def clipboard_tools(
    env: Mapping[str, str], platform: str, which: Callable[[str], str | None] = shutil.which
) -> list[tuple[str, list[str]]]:
    """(name, command) of the clipboard tools that could work here, best first."""
    candidates: list[tuple[str, list[str]]] = []
    if platform == "darwin":
        candidates.append(("pbcopy", ["pbcopy"]))
    if env.get("WAYLAND_DISPLAY"):
        candidates.append(("wl-copy", ["wl-copy"]))
    if env.get("DISPLAY"):
        candidates.append(("xclip", ["xclip", "-selection", "clipboard"]))
        candidates.append(("xsel", ["xsel", "--clipboard", "--input"]))
    if platform == "win32" or env.get("WSL_DISTRO_NAME"):
        candidates.append(("clip.exe", ["clip.exe"]))
    return [(name, command) for name, command in candidates if which(command[0])]


@dataclass(frozen=True)
class CopyOutcome:
    """What copying achieved: the tool that took the text (None: none did), tmux's buffer."""

    tool: str | None
    tmux_buffer: bool

    def message(self, what: str) -> str:
        """One honest sentence about where `what` went."""
        if self.tool:
            return f"Copied {what} (with {self.tool})."
        if self.tmux_buffer:
            return (
                f"Sent {what} to the terminal (OSC 52) and to tmux's paste buffer (prefix ]); "
                "no clipboard tool is known to have worked."
            )
        return (
            f"Sent {what} to the terminal (OSC 52); no clipboard tool found "
            "(wl-copy, xclip, xsel, pbcopy), so it is copied only if your terminal supports OSC 52."
        )


def _run(command: list[str], text: str) -> bool:
    try:
        done = subprocess.run(
            command,
            input=text.encode("utf-8"),
            stdout=subprocess.DEVNULL,  # xclip stays behind to serve the selection: no pipes
            stderr=subprocess.DEVNULL,
            timeout=TOOL_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def copy_with_tools(text: str) -> CopyOutcome:
    """Give `text` to the first clipboard tool that works, and to tmux's paste buffer (blocking).

    The OSC 52 sequence is the app's job (`App.copy_to_clipboard`), done before this runs.
    """
    tool = next(
        (
            name
            for name, command in clipboard_tools(os.environ, sys.platform)
            if _run(command, text)
        ),
        None,
    )
    tmux = bool(os.environ.get("TMUX")) and shutil.which("tmux") is not None
    return CopyOutcome(tool, tmux and _run(["tmux", "load-buffer", "-"], text))
