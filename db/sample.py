"""The bundled sample page: a plain browser copy of Daily Papers for 2025-12-08.

`papershelf demo` builds its library from it and the tests use it as their first fixture. It is
package data, read through `importlib.resources`, so it works the same from a checkout, an
editable install or a wheel.
"""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path

SAMPLE_NAME = "daily-papers-2025-12-08.txt"
SAMPLE_CAPTURED_ON = date(2025, 12, 8)


def sample_bytes() -> bytes:
    """The sample page's bytes."""
    return resources.files(__package__).joinpath("samples", SAMPLE_NAME).read_bytes()


def sample_path() -> Path:
    """The sample page as a file on disk (the package is installed as files, never zipped)."""
    return Path(str(resources.files(__package__).joinpath("samples", SAMPLE_NAME)))
