"""`papershelf fetch` as a real process: HF_ENDPOINT and the other settings come from the
environment, read by huggingface_hub when it is first imported in the child."""

from __future__ import annotations

import json
import subprocess

from tests.support.hf_api import DAILY_2026, closed_port, hf_env
from tests.support.processes import PAPERSHELF, REPO, env


def papershelf(db, url, *args):
    return subprocess.run(
        [*PAPERSHELF, "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env(**hf_env(url)),
        cwd=REPO,
    )


def test_fetch_in_a_child_process_reads_the_environment(httpserver, tmp_path):
    httpserver.expect_request("/api/daily_papers").respond_with_data(
        DAILY_2026.read_bytes(), content_type="application/json"
    )
    db = tmp_path / "papers.db"
    done = papershelf(db, httpserver.url_for("/"), "fetch", "--date", "2026-06-12", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["new"] == 30
    listed = papershelf(db, httpserver.url_for("/"), "list", "has:code", "--format", "ids")
    assert len(listed.stdout.split()) >= 16


def test_a_refused_connection_is_one_line_and_exit_1(tmp_path):
    done = papershelf(tmp_path / "papers.db", f"http://127.0.0.1:{closed_port()}", "fetch")
    assert done.returncode == 1
    assert done.stderr.startswith("papershelf: Connection refused: cannot fetch http://127.0.0.1:")
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
