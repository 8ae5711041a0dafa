"""Fixtures every test directory shares: libraries in tmp_path (empty, sample, hostile) and a CLI runner.

Each library is built once per session (per xdist worker) and copied into the test's tmp_path
(tests/support/templates.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from papershelf.db.store import Store
from tests.support.app import import_nasty, import_sample
from tests.support.library import SAMPLE, Cli
from tests.support.templates import LIBRARY, build, copy, whole

# `make quick` runs property tests with a fifth of their examples (tests/support/examples.py).
settings.register_profile("quick", max_examples=20)


@pytest.fixture(scope="session")
def empty_library_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("empty"))


@pytest.fixture(scope="session")
def sample_library_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("sample"), import_sample)


@pytest.fixture(scope="session")
def nasty_library_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("nasty"), import_sample, import_nasty)


@pytest.fixture(scope="session")
def imported_library_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample imported through the CLI, captured on 2025-12-08."""
    cli = Cli(tmp_path_factory.mktemp("imported") / f"building-{LIBRARY}")
    result = cli("import", str(SAMPLE), "--captured-on", "2025-12-08")
    assert result.exit_code == 0, result.output
    return whole(cli.db)


@pytest.fixture
def sample() -> Path:
    return SAMPLE


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path / LIBRARY)


@pytest.fixture
def library(cli: Cli, imported_library_file: Path) -> Cli:
    """A library holding the sample page, imported by the CLI, captured on 2025-12-08."""
    copy(imported_library_file, cli.db.parent)
    return cli


@pytest.fixture
def store(tmp_path: Path, empty_library_file: Path) -> Iterator[Store]:
    """An empty library in tmp_path."""
    with Store.open(copy(empty_library_file, tmp_path)) as opened:
        yield opened


@pytest.fixture
def sample_store(tmp_path: Path, sample_library_file: Path) -> Iterator[Store]:
    """A library holding the bundled sample page."""
    with Store.open(copy(sample_library_file, tmp_path)) as opened:
        yield opened


@pytest.fixture
def nasty_store(tmp_path: Path, nasty_library_file: Path) -> Iterator[Store]:
    """The sample plus the NASTY papers."""
    with Store.open(copy(nasty_library_file, tmp_path)) as opened:
        yield opened
