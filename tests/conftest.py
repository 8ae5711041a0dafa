"""Shared fixtures: a CLI runner bound to a library in tmp_path, the sample page, a dump helper."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from papershelf.db.sample import sample_path
from papershelf.tui.cli import main

SAMPLE = sample_path()


@dataclass
class Cli:
    """Runs `papershelf --db <tmp library> ...` in-process, like a person at a shell."""

    db: Path

    def __call__(self, *args: str, input: str | bytes | None = None) -> Result:
        runner = CliRunner()
        return runner.invoke(main, ["--db", str(self.db), *args], input=input, catch_exceptions=False)

    def json(self, *args: str):
        result = self(*args)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)


def dump(db: Path) -> list[str]:
    """Every row of the library as SQL, to prove a failed command changed nothing."""
    if not db.exists():
        return []
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def sample() -> Path:
    return SAMPLE


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path / "papers.db")


@pytest.fixture
def library(cli: Cli) -> Cli:
    """A library holding the sample page, captured on 2025-12-08."""
    result = cli("import", str(SAMPLE), "--captured-on", "2025-12-08")
    assert result.exit_code == 0, result.output
    return cli
