"""Ctrl-C during `papershelf import`: before the commit nothing is written (exit 130, one line);
after it the import reports what it saved and exits 0. The tests wait for states of the library
file (its write lock taken, the papers visible), never for time."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.support.processes import PAPERSHELF, REPO, dump, env, plain_page, run

N = 60_000


@pytest.fixture(scope="module")
def big_page(tmp_path_factory) -> Path:
    page = tmp_path_factory.mktemp("page") / "big.txt"
    page.write_text(plain_page(N, abstract_words=40))
    return page


def _start(db: Path, page: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [*PAPERSHELF, "--db", str(db), "import", str(page), "--captured-on", "2025-12-08"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env(),
        cwd=REPO,
    )


def _writing(db: Path) -> bool:
    """True while another connection holds the library's write lock (the import's transaction)."""
    try:
        conn = sqlite3.connect(db, timeout=0)
    except sqlite3.Error:
        return False
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as error:
        return "locked" in str(error)
    finally:
        conn.close()


def _papers(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("SELECT count(*) FROM papers").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def _interrupt_when(process: subprocess.Popen, ready, rounds: int = 200_000) -> bool:
    for _ in range(rounds):
        if process.poll() is not None:
            return False
        if ready():
            process.send_signal(signal.SIGINT)
            return True
    return False


def test_ctrl_c_before_the_commit_writes_nothing(tmp_path, big_page, sample):
    db = tmp_path / "papers.db"
    assert run(db, "import", str(sample), "--captured-on", "2025-12-08").returncode == 0
    before = dump(db)
    process = _start(db, big_page)
    assert _interrupt_when(process, lambda: _writing(db)), "the import never started writing"
    out, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    lines = err.decode().strip().splitlines()
    assert lines == ["papershelf: Interrupted before the import was saved; nothing was imported."]
    assert dump(db) == before


def test_ctrl_c_after_the_commit_reports_what_was_saved(tmp_path, big_page):
    db = tmp_path / "papers.db"
    process = _start(db, big_page)
    _interrupt_when(process, lambda: _papers(db) == N)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert f"{N} papers: {N} new" in out.decode()
    assert "Traceback" not in err.decode() and "Aborted" not in err.decode()
    assert _papers(db) == N
    listed = run(db, "list", "--limit", "1", "--format", "ids")  # the next use indexes the rest
    assert listed.returncode == 0 and listed.stdout.strip()
