"""Fixtures every test directory shares: libraries in tmp_path (empty, sample, hostile) and a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest

from papershelf.db.store import Store
from tests.support.app import import_nasty, import_sample
from tests.support.library import SAMPLE, Cli


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


@pytest.fixture
def store(tmp_path: Path):
    """An empty library in tmp_path."""
    with Store.open(tmp_path / "papers.db") as opened:
        yield opened


@pytest.fixture
def sample_store(store: Store) -> Store:
    """A library holding the bundled sample page."""
    import_sample(store)
    return store


@pytest.fixture
def nasty_store(sample_store: Store) -> Store:
    """The sample plus the NASTY papers."""
    import_nasty(sample_store)
    return sample_store
