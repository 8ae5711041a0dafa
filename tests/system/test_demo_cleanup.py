"""`papershelf demo` removes its temporary library however it ends: quit, SIGTERM, SIGHUP."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
from pathlib import Path

import pytest

from tests.support.processes import PAPERSHELF, REPO, env


def _start_demo(tmp: Path) -> tuple[subprocess.Popen, int]:
    """The demo in a pseudo-terminal of its own, with its temp dir under `tmp`."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [*PAPERSHELF, "demo"],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env(TMPDIR=str(tmp), TERM="xterm-256color", COLUMNS="100", LINES="30"),
        cwd=REPO,
        start_new_session=True,
    )
    os.close(follower)
    return process, leader


def _drain_until(leader: int, process: subprocess.Popen, condition, rounds: int = 600) -> None:
    """Read the terminal (the app blocks if nobody does) until `condition()` holds."""
    for _ in range(rounds):
        if condition() or process.poll() is not None:
            return
        ready, _, _ = select.select([leader], [], [], 0.1)
        if ready:
            try:
                os.read(leader, 65536)
            except OSError:
                return


def _demo_folders(tmp: Path) -> list[Path]:
    return list(tmp.glob("papershelf-demo-*"))


def _wait_until_up(leader: int, process: subprocess.Popen, tmp: Path) -> None:
    """The app is up once its library exists and has been read (the demo db is written)."""
    _drain_until(leader, process, lambda: any(_demo_folders(tmp)))
    assert _demo_folders(tmp), "the demo never started"
    _drain_until(leader, process, lambda: False, rounds=20)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_the_demo_folder_is_removed_on_a_signal(tmp_path, sig):
    process, leader = _start_demo(tmp_path)
    try:
        _wait_until_up(leader, process, tmp_path)
        process.send_signal(sig)
        _drain_until(leader, process, lambda: process.poll() is not None)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(leader)
    assert process.returncode != 0
    assert _demo_folders(tmp_path) == []


def test_the_app_ends_when_its_terminal_goes_away_without_a_sighup(tmp_path):
    """The demo's terminal is not its controlling terminal here (a new session that never opened
    it), so closing the terminal sends no SIGHUP: the app must notice the terminal is gone,
    end with the status a hang-up gives, and remove its folder, instead of spinning forever."""
    process, leader = _start_demo(tmp_path)
    try:
        _wait_until_up(leader, process, tmp_path)
        os.close(leader)
        leader = -1
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
        if leader >= 0:
            os.close(leader)
    assert process.returncode == 129
    assert _demo_folders(tmp_path) == []
