"""Backups: `papershelf backup PATH` while others write, and the README's restore steps.

A backup taken while another process writes is a consistent snapshot (integrity ok, opens as a
library, every bulk action in it complete). Restoring follows README.md "Backups": quit the app,
copy the backup over the library file; or import a JSON export into a new library.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from papershelf.db.parse import parse_bytes
from papershelf.db.store import Store
from tests.support.app import wait_until
from tests.support.processes import REPO, SAMPLE, env, integrity, one_sentence_error, run, scalar

CAPTURED = date(2025, 12, 8)

# A writer that keeps committing bulk actions: each step tags EVERY paper with `step-k` in one
# transaction, then marks one paper read. A consistent snapshot has every step-k tag on all
# papers or on none.
WRITER = r"""
import sys
from papershelf.db.store import Store
store = Store.open(sys.argv[1])
ids = [p.id for p in store.papers()]
k = 0
while True:
    store.add_tags(ids, [f"step-{k}"])
    store.set_read([ids[k % len(ids)]], True)
    k += 1
    print(k, flush=True)
"""


@pytest.fixture
def library(tmp_path: Path) -> Path:
    db = tmp_path / "papers.db"
    assert run(db, "import", str(SAMPLE), "--captured-on", "2025-12-08").returncode == 0
    assert run(db, "tag", "add", "keep", "1", "2").returncode == 0
    return db


def _start_writer(db: Path) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env(),
        cwd=REPO,
    )
    assert proc.stdout.readline().strip() == b"1", proc.stderr.read()  # it is writing
    return proc


def _assert_consistent_library(copy: Path, papers: int) -> int:
    assert integrity(copy) == "ok"
    with Store.open(copy, readonly=True) as store:  # opens as a papershelf library
        assert store.count() == papers
        counts = {t.name: t.count for t in store.tag_counts()}
    steps = {name: n for name, n in counts.items() if name.startswith("step-")}
    assert all(n == papers for n in steps.values()), f"a bulk action is half in the backup: {steps}"
    assert scalar(copy, "SELECT count(*) FROM journal WHERE kind = 'add_tags'") == len(steps) + 1
    return len(steps)


def test_backup_while_another_process_writes_is_consistent(library: Path, tmp_path: Path):
    writer = _start_writer(library)
    try:
        seen = []
        for k in range(4):
            dest = tmp_path / f"backup-{k}.db"
            done = run(library, "backup", str(dest))
            assert done.returncode == 0, done.stderr
            assert b"locked" not in done.stderr.lower()
            assert not Path(f"{dest}-wal").exists()  # one self-contained file
            seen.append(_assert_consistent_library(dest, 53))
    finally:
        writer.send_signal(signal.SIGTERM)
        writer.wait()
    assert seen == sorted(seen)  # later backups hold later states
    assert seen[-1] >= 1, "the writer never committed during the backups"


async def test_backup_while_the_app_is_open_and_writing(tmp_path: Path):
    from papershelf.tui.app import PapershelfApp

    db = tmp_path / "papers.db"
    with Store.open(db) as store:
        result = parse_bytes(SAMPLE.read_bytes(), source=SAMPLE.name, captured_on=CAPTURED)
        store.import_papers(result.papers, source=SAMPLE.name, captured_on=CAPTURED)
        app = PapershelfApp(store, settings_path=tmp_path / "settings.json")
        async with app.run_test(size=(120, 35)) as pilot:
            for _ in range(4):
                await app.workers.wait_for_complete()
                await pilot.pause()
            await pilot.press("r", "down", "r")
            await app.workers.wait_for_complete()
            backup = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    "from papershelf.tui.cli import main; main()",
                    "--db",
                    str(db),
                    "backup",
                    str(tmp_path / "while-open.db"),
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=env(),
                cwd=REPO,
            )
            await pilot.press("down", "r")  # the app writes while the backup runs
            await wait_until(pilot, lambda: backup.poll() is not None, "the backup finished")
            assert backup.returncode == 0, backup.stderr.read()
            await app.workers.wait_for_complete()
    copy = tmp_path / "while-open.db"
    assert integrity(copy) == "ok"
    with Store.open(copy, readonly=True) as store:
        assert store.count() == 53
        assert sum(p.read for p in store.papers()) in (2, 3)


def test_backup_refuses_an_existing_file_and_a_missing_folder(library: Path, tmp_path: Path):
    existing = tmp_path / "existing.db"
    existing.write_bytes(b"keep me")
    done = run(library, "backup", str(existing))
    assert done.returncode == 1
    one_sentence_error(done.stderr)
    assert existing.read_bytes() == b"keep me"
    done = run(library, "backup", str(tmp_path / "no" / "such" / "folder.db"))
    assert done.returncode == 1
    one_sentence_error(done.stderr)


# --- restoring, as README.md says -----------------------------------------------------------------


def _readme_restore_steps() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "## Backups" in readme
    return readme.split("## Backups", 1)[1].split("\n## ", 1)[0]


def test_readme_copy_restore_brings_back_the_backed_up_state(library: Path, tmp_path: Path):
    steps = _readme_restore_steps()
    assert "copy the backup" in steps and "over the library file" in steps
    backup = tmp_path / "backup.db"
    assert run(library, "backup", str(backup)).returncode == 0
    before = json.loads(run(library, "list", "--format", "json").stdout)
    # Work after the backup that the restore will roll back:
    assert run(library, "tag", "add", "after-backup", "3").returncode == 0
    assert run(library, "undo").returncode == 0
    assert run(library, "read", "4").returncode == 0
    shutil.copyfile(backup, library)  # `cp backup.db papers.db`, the app closed
    after = json.loads(run(library, "list", "--format", "json").stdout)
    assert after == before
    assert integrity(library) == "ok"
    assert run(library, "tag", "add", "works", "5").returncode == 0  # writable again


def commit_then_crash(library: Path, writes: str) -> None:
    """A process commits `writes` (Python over Store `s`), then dies before it can checkpoint."""
    crash = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import os, sys; from db.store import Store; s = Store.open(sys.argv[1]); {writes}; "
            "os.kill(os.getpid(), 9)",
            str(library),
        ],
        env=env(),
        cwd=REPO,
        capture_output=True,
    )
    assert crash.returncode == -signal.SIGKILL
    assert Path(f"{library}-wal").exists() and os.path.getsize(f"{library}-wal") > 0


def test_readme_copy_restore_after_a_crash_left_a_wal_file(library: Path, tmp_path: Path):
    """After a crash the library has a -wal file beside it. Copying a backup over the library
    (the README's steps) must not mix that log into the restored copy."""
    backup = tmp_path / "backup.db"
    assert run(library, "backup", str(backup)).returncode == 0
    before = json.loads(run(library, "list", "--format", "json").stdout)
    commit_then_crash(library, "s.add_tags([1, 2, 3], ['lost']); s.set_read([7], True)")
    restored = run(library, "restore", str(backup))  # the README's restore
    assert restored.returncode == 0, restored.stderr
    assert integrity(library) == "ok"
    after = run(library, "list", "--format", "json")
    assert after.returncode == 0, after.stderr
    assert json.loads(after.stdout) == before, "the restored library is not the backup"
    # The replaced library, with the crashed process's committed work, is kept beside it.
    (kept,) = library.parent.glob(f"{library.name}.before-restore-*[0-9]")
    lost = json.loads(run(kept, "list", "tag:lost", "--format", "json").stdout)
    assert sorted(p["id"] for p in lost) == [1, 2, 3]


def test_readme_manual_restore_after_a_crash_moves_the_log_away(library: Path, tmp_path: Path):
    steps = _readme_restore_steps()
    assert "papers.db-wal" in steps and "copy the backup" in steps
    backup = tmp_path / "backup.db"
    assert run(library, "backup", str(backup)).returncode == 0
    before = json.loads(run(library, "list", "--format", "json").stdout)
    commit_then_crash(library, "s.set_read([7], True)")
    aside = tmp_path / "aside"
    aside.mkdir()
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{library}{suffix}").exists():
            shutil.move(f"{library}{suffix}", aside)
    shutil.copyfile(backup, library)
    assert integrity(library) == "ok"
    assert json.loads(run(library, "list", "--format", "json").stdout) == before


def test_restore_refuses_what_is_not_a_library(library: Path, tmp_path: Path):
    notes = tmp_path / "notes.txt"
    notes.write_text("not a library\n")
    before = library.read_bytes()
    done = run(library, "restore", str(notes))
    assert done.returncode == 1
    one_sentence_error(done.stderr)
    assert library.read_bytes() == before


def test_restore_refuses_a_device(library: Path):
    before = library.read_bytes()
    done = run(library, "restore", "/dev/null")
    assert done.returncode == 1
    one_sentence_error(done.stderr)
    assert b"not a regular file" in done.stderr
    assert library.read_bytes() == before


def test_readme_json_export_restore(library: Path, tmp_path: Path):
    steps = _readme_restore_steps()
    assert "import shelf.json" in steps
    assert run(library, "read", "3", "4").returncode == 0
    shelf = tmp_path / "shelf.json"
    assert run(library, "export", "--format", "json", "-o", str(shelf)).returncode == 0
    new = tmp_path / "new.db"
    done = run(new, "import", str(shelf))
    assert done.returncode == 0, done.stderr

    def state(db: Path):
        papers = json.loads(run(db, "list", "--format", "json", "--sort", "title").stdout)
        return [
            (
                p["arxiv_id"],
                p["title"],
                p["tags"],
                p["read"],
                p["read_at"],
                p["published"],
                p["comments"],
                p["links"],
            )
            for p in papers
        ]

    assert state(new) == state(library)
