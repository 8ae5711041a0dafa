"""A library driven through the command line in-process, and a way to prove a command changed nothing."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner, Result

from papershelf.db.sample import sample_path
from papershelf.tui.cli import main

SAMPLE = sample_path()
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@dataclass
class Cli:
    """Runs `papershelf --db <tmp library> ...` in-process, like a person at a shell."""

    db: Path

    def __call__(self, *args: str, input: str | bytes | None = None) -> Result:
        runner = CliRunner()
        return runner.invoke(
            main, ["--db", str(self.db), *args], input=input, catch_exceptions=False
        )

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
