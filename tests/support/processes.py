"""Shared pieces for the reliability tests: real `papershelf` processes, generated pages,
and ways to look at a library file without changing it.

The crash, concurrency and backup tests need a real second process (SIGKILL, two writers), so
they run the command line as `python -c "from papershelf.tui.cli import main; main()"` (tui/cli.py has no
`__main__` block) with the repository on PYTHONPATH, exactly as the installed `papershelf` would.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from papershelf.db.sample import sample_path

REPO = Path(__file__).resolve().parent.parent.parent
SAMPLE = sample_path()
PAPERSHELF = [sys.executable, "-c", "from papershelf.tui.cli import main; main()"]

# The sample's header chrome: `Dec 8` is the page day (2025-12-08 when captured that day).
HEADER = "new\n\nDaily Papers\n\nbyAK and the research community\n\nDec 8\n\n"


def env(**extra: str) -> dict[str, str]:
    """The environment of a child `papershelf`: this repo importable, no user library, no colour."""
    out = {k: v for k, v in os.environ.items() if k not in ("PAPERSHELF_DB", "PYTHONPATH")}
    out.update(PYTHONPATH=str(REPO), NO_COLOR="1", TERM="dumb", PYTHONDONTWRITEBYTECODE="1")
    out.update(extra)
    return out


def run(
    db: Path, *args: str, input: bytes | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    """`papershelf --db DB ARGS...` in a child process; stdout/stderr as bytes."""
    return subprocess.run(
        [*PAPERSHELF, "--db", str(db), *args],
        input=input,
        capture_output=True,
        timeout=timeout,
        env=env(),
        cwd=REPO,
    )


def spawn(db: Path, *args: str) -> subprocess.Popen:
    """`papershelf --db DB ARGS...` started in the background (stdout/stderr piped to files)."""
    return subprocess.Popen(
        [*PAPERSHELF, "--db", str(db), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env(),
        cwd=REPO,
    )


def plain_page(
    n: int, *, prefix: str = "Synthetic", start: int = 0, abstract_words: int = 0
) -> str:
    """A page of `n` papers in the sample's plain-copy format; titles `"{prefix} paper {i}: ..."`.

    Fast and independent of bench/: every field the parser reads (title, abstract with a link,
    author count, full date with a comment count) is present, every title is distinct.
    """
    filler = " ".join(f"word{k % 50}" for k in range(abstract_words))
    out = [HEADER]
    for i in range(start, start + n):
        out.append(
            f"{prefix} paper {i}: crash-safe imports of many rows\n\n"
            f"We study synthetic problem {i} at length; see https://github.com/example/repo{i}. "
            f"Diffusion transformers and reinforcement learning agents. {filler}\n\n"
            f"  • {i % 9 + 1} authors\n·\nNov {i % 28 + 1}, 2024 {i % 5}\n\n"
        )
    return "".join(out)


def hf_json_page(n: int, *, prefix: str = "Json") -> str:
    """`n` papers as the HF `/api/daily_papers` JSON list (arXiv ids 2401.00000...)."""
    items = [
        {
            "paper": {
                "id": f"2401.{i:05d}",
                "title": f"{prefix} paper {i}: crash-safe imports",
                "summary": f"We study problem {i}; code at https://github.com/example/repo{i}.",
                "authors": [{"name": f"Author {i % 50}"}, {"name": "B. Person"}],
                "publishedAt": "2024-11-02T00:00:00.000Z",
                "upvotes": i % 40,
            },
            "numComments": i % 5,
        }
        for i in range(n)
    ]
    return json.dumps(items)


def _connect(db: Path) -> sqlite3.Connection:
    # Read-write on purpose: a read-only connection to a WAL library leaves -wal/-shm files
    # behind, which would look like a change; a normal one removes them when it closes.
    assert db.exists(), db
    return sqlite3.connect(db)


def dump(db: Path) -> list[str]:
    """Every row of the library as SQL (read through a fresh connection)."""
    conn = _connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def integrity(db: Path) -> str:
    """`PRAGMA integrity_check` of the file ('ok' when sound); recovers a left-over WAL first."""
    conn = _connect(db)
    try:
        return "\n".join(row[0] for row in conn.execute("PRAGMA integrity_check"))
    finally:
        conn.close()


def scalar(db: Path, sql: str, params: tuple = ()) -> object:
    """One value from the library."""
    conn = _connect(db)
    try:
        return conn.execute(sql, params).fetchone()[0]
    finally:
        conn.close()


def files_state(folder: Path) -> dict[str, str]:
    """Name -> sha256 of every file in `folder`: proves a command created, changed or removed nothing."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def wal_size(db: Path) -> int:
    """Size of the library's write-ahead log, -1 when there is none (no connection has it open)."""
    try:
        return os.stat(f"{db}-wal").st_size
    except FileNotFoundError:
        return -1


def kill_when(
    proc: subprocess.Popen, ready: Callable[[], bool], *, timeout: float = 60.0, poll: float = 0.002
) -> bool:
    """SIGKILL `proc` as soon as `ready()` is true; False if it exited first (not killed).

    Between checks of `ready()` it waits on the process itself for at most `poll` seconds, so
    an exit is seen the moment it happens rather than after a fixed pause."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        if ready():
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return True
        try:
            proc.wait(timeout=poll)
        except subprocess.TimeoutExpired:
            continue  # still running: look at `ready()` again
        return False  # it finished before reaching the kill point
    proc.kill()
    proc.wait()
    raise AssertionError("the child process neither reached the kill point nor finished in time")


def one_sentence_error(stderr: bytes | str) -> str:
    """The single error line a refused command prints; asserts there is exactly one, no traceback."""
    text = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else stderr
    lines = [line for line in text.splitlines() if line.strip()]
    assert "Traceback" not in text, text
    assert len(lines) == 1, f"expected one line on stderr, got: {text!r}"
    assert lines[0].startswith("papershelf: "), lines[0]
    return lines[0]
