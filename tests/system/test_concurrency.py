"""Concurrent use: two processes importing at once, and the app open while another
process imports and tags.

No "database is locked" may reach either side, nothing written by either may be lost, each
paper exists once, and the app shows the other process's changes within its poll interval.
"""

from __future__ import annotations

import json
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest

from papershelf.db.parse import parse_bytes
from papershelf.db.store import Store
from tests.support.app import wait_until
from tests.support.processes import PAPERSHELF, SAMPLE, env, plain_page, run, scalar, spawn

N = 8_000
CAPTURED = date(2025, 12, 8)


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("conc") / "page.txt"
    path.write_text(plain_page(N, prefix="Shared"), encoding="utf-8")
    return path


def _finish(proc: subprocess.Popen) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=120)
    return proc.returncode, out.decode(), err.decode()


def _new_count(stdout: str) -> int:
    match = re.search(r"(\d+) papers: (\d+) new", stdout)
    assert match, stdout
    return int(match.group(2))


@pytest.mark.parametrize("library", ["fresh file", "existing library"])
def test_two_processes_import_the_same_page_at_once(tmp_path: Path, page: Path, library: str):
    db = tmp_path / "papers.db"
    base = 0
    if library == "existing library":
        assert run(db, "import", str(SAMPLE), "--captured-on", "2025-12-08").returncode == 0
        base = 53
    procs = [spawn(db, "import", str(page), "--captured-on", "2025-12-08") for _ in range(2)]
    results = [_finish(p) for p in procs]
    for code, out, err in results:
        assert code == 0, err
        assert "locked" not in (out + err).lower()
        assert "Traceback" not in err
    assert sorted(_new_count(out) for _, out, _ in results) == [0, N]  # one wrote, one merged
    assert scalar(db, "SELECT count(*) FROM papers") == base + N
    assert scalar(db, "SELECT count(DISTINCT title_key) FROM papers") == base + N
    # The import that came second changed nothing: it leaves no import row (and no undo step).
    assert scalar(db, "SELECT count(*) FROM imports") == (1 if base else 0) + 1
    assert scalar(db, "PRAGMA integrity_check") == "ok"


def test_import_and_tagging_processes_interleave_without_loss(tmp_path: Path, page: Path):
    """One process imports a big page while another tags and marks papers read, repeatedly."""
    db = tmp_path / "papers.db"
    assert run(db, "import", str(SAMPLE), "--captured-on", "2025-12-08").returncode == 0
    importer = spawn(db, "import", str(page), "--captured-on", "2025-12-08")
    # The tagger runs its writes one after another while the import is in progress.
    script = "; ".join(
        f'{" ".join(PAPERSHELF[:2])} "{PAPERSHELF[2]}" --db {db} tag add t{k} {k + 1} '
        f'&& {" ".join(PAPERSHELF[:2])} "{PAPERSHELF[2]}" --db {db} read {k + 1}'
        for k in range(6)
    )
    tagger = subprocess.run(
        ["sh", "-c", f"set -e; {script}"], capture_output=True, env=env(), timeout=120
    )
    code, out, err = _finish(importer)
    assert code == 0, err
    assert tagger.returncode == 0, tagger.stderr
    assert b"locked" not in tagger.stderr.lower() and "locked" not in err.lower()
    assert scalar(db, "SELECT count(*) FROM papers") == 53 + N
    assert scalar(db, "SELECT count(*) FROM paper_tags") == 6
    assert scalar(db, "SELECT count(*) FROM papers WHERE read_at IS NOT NULL") == 6


# --- the app open while another process writes -------------------------------------------------


async def _settle(app, pilot) -> None:
    for _ in range(4):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def _wait_for(app, pilot, condition, what: str, seconds: float = 20.0) -> None:
    """Pause until `condition()` holds (bounded): the app polls `data_version` every second."""
    await wait_until(pilot, condition, f"{what} (status: {app.status})", timeout=seconds)


def _errors(app) -> list[str]:
    """Error/warning notifications and failed workers: none may mention a lock."""
    said = [n.message for n in app._notifications if n.severity in ("error", "warning")]  # noqa: SLF001
    failed = [repr(w.error) for w in app.workers if w.error is not None]
    return said + failed


async def test_app_sees_another_process_import_and_tag_and_loses_nothing(tmp_path: Path):
    from papershelf.tui.app import PapershelfApp
    from papershelf.tui.widgets.paper_list import PaperList

    db = tmp_path / "papers.db"
    other_page = tmp_path / "other.txt"
    other_page.write_text(plain_page(3000, prefix="Other"), encoding="utf-8")
    with Store.open(db) as store:
        result = parse_bytes(SAMPLE.read_bytes(), source=SAMPLE.name, captured_on=CAPTURED)
        store.import_papers(result.papers, source=SAMPLE.name, captured_on=CAPTURED)
        app = PapershelfApp(store, settings_path=tmp_path / "settings.json")
        async with app.run_test(size=(120, 35), notifications=True) as pilot:
            await _settle(app, pilot)
            assert app.status.total == 53
            plist = app.query_one(PaperList)

            # The other process imports while the app marks papers read (its own writes).
            other = spawn(db, "import", str(other_page), "--captured-on", "2025-12-08")
            app_read: list[int] = []
            for _ in range(5):
                app_read.append(plist.current_id)
                await pilot.press("r")
                await _settle(app, pilot)
                await pilot.press("down")
            code, out, err = _finish(other)
            assert code == 0, err
            await _wait_for(app, pilot, lambda: app.status.total == 53 + 3000, "the other import")

            # The other process tags papers (one of them the app has open) and marks one read.
            tagged = run(db, "tag", "add", "from-shell", "1", "2", "3")
            marked = run(db, "read", "10")
            assert tagged.returncode == 0 and marked.returncode == 0, tagged.stderr + marked.stderr
            await _wait_for(
                app,
                pilot,
                lambda: any(t.name == "from-shell" for t in app.tag_counts),
                "the other process's tag",
            )
            tags_shown = "\n".join(
                "".join(s.text for s in strip)
                for strip in app.screen._compositor.render_strips()  # noqa: SLF001
            )
            assert "from-shell" in tags_shown or not app.query_one("#tags").display

            # The app writes again after the other process: both sides' work is kept.
            await pilot.press("t")
            await pilot.pause()
            await pilot.press(*"from-app", "enter")
            await _settle(app, pilot)
            target = plist.current_id
            await app.workers.wait_for_complete()  # any error the writes caused is posted by now
            assert not [e for e in _errors(app) if "lock" in e.lower()], _errors(app)
            assert not _errors(app), _errors(app)

    with Store.open(db) as store:
        assert store.count() == 53 + 3000
        papers = {p.id: p for p in store.papers()}
    assert all(papers[i].read for i in app_read), "a read mark written by the app was lost"
    assert papers[10].read
    assert all("from-shell" in papers[i].tags for i in (1, 2, 3)), "the shell's tags were lost"
    assert "from-app" in papers[target].tags, "the app's tag was lost"
    titles = [p.title for p in papers.values()]
    assert len(titles) == len(set(titles))


def test_reader_sees_a_consistent_snapshot_during_an_import(tmp_path: Path, page: Path):
    """`list` run while a big import commits sees the library before or after it, never half."""
    db = tmp_path / "papers.db"
    assert run(db, "import", str(SAMPLE), "--captured-on", "2025-12-08").returncode == 0
    importer = spawn(db, "import", str(page), "--captured-on", "2025-12-08")
    counts = set()
    while importer.poll() is None:
        listed = run(db, "stats")
        assert listed.returncode == 0, listed.stderr
        assert b"locked" not in listed.stderr.lower()
        counts.add(int(re.search(rb"papers: (\d+)", listed.stdout).group(1)))
    assert _finish(importer)[0] == 0
    assert counts <= {53, 53 + N}, counts
    assert json.loads(run(db, "tag", "list", "--format", "json").stdout) == []
