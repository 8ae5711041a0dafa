"""The real app in a real terminal: words typed after `/` from the first moment on never act on
the library. Keys are written to the terminal as one burst per word (as tmux `send-keys -l`
does); the test waits for what the screen shows, never for time."""

from __future__ import annotations

import os
import pty
import select
import sqlite3
import subprocess
from pathlib import Path

from tests.support.processes import PAPERSHELF, REPO, env, run


class Terminal:
    """A papershelf process on a pseudo-terminal, and everything it has drawn so far."""

    def __init__(self, db: Path, home: Path) -> None:
        self.leader, follower = pty.openpty()
        xdg = {f"XDG_{k}_HOME": str(home / k.lower()) for k in ("CONFIG", "STATE", "DATA")}
        self.process = subprocess.Popen(
            [*PAPERSHELF, "--db", str(db)],
            stdin=follower,
            stdout=follower,
            stderr=follower,
            env=env(TERM="xterm-256color", COLUMNS="120", LINES="35", **xdg),
            cwd=REPO,
            start_new_session=True,
        )
        os.close(follower)
        self.output = b""

    def type(self, text: str) -> None:
        os.write(self.leader, text.encode())

    def wait_for(self, wanted: bytes, rounds: int = 600) -> bool:
        """Read the screen until `wanted` appears after what was read before (bounded)."""
        start = len(self.output)
        for _ in range(rounds):
            if wanted in self.output[start:] or self.process.poll() is not None:
                break
            ready, _, _ = select.select([self.leader], [], [], 0.1)
            if ready:
                try:
                    self.output += os.read(self.leader, 1 << 16)
                except OSError:
                    break
        return wanted in self.output[start:]

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=30)
        os.close(self.leader)


def _state(db: Path) -> tuple[int, int]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        papers = conn.execute("SELECT count(*) FROM papers").fetchone()[0]
        undone = conn.execute("SELECT coalesce(sum(undone), 0) FROM journal").fetchone()[0]
        return papers, undone
    finally:
        conn.close()


def test_slash_words_typed_from_the_first_moment_never_touch_the_library(tmp_path, sample):
    db = tmp_path / "papers.db"
    assert run(db, "import", str(sample), "--captured-on", "2025-12-08").returncode == 0
    term = Terminal(db, tmp_path)
    try:
        term.type("/undo")  # before the app has drawn anything
        assert term.wait_for(b"undo"), term.output[-2000:]
        for word in ("huge", "undo", "dart", "huge", "undo"):
            term.type("\x1b")
            assert term.wait_for(b"Filter:")  # the box is empty again (its placeholder)
            term.type(f"/{word}")
            assert term.wait_for(word.encode())
        term.type("\x1b")
        assert term.wait_for(b"Filter:")
        term.type("q")
        term.wait_for(b"\0never drawn")  # drains the screen until the app lets go of it
        assert term.process.wait(timeout=60) == 0, term.output[-3000:]
    finally:
        term.close()
    assert _state(db) == (53, 0)
    settings = list(tmp_path.glob("state/**/*.json"))
    assert all('"show_detail": false' not in p.read_text() for p in settings)
