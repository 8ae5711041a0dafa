"""App tests drive the app with Pilot; its waits end on the app's state (tests/support/pilot.py)."""

from __future__ import annotations

import pytest

from tests.support import pilot


@pytest.fixture(autouse=True)
def pilot_waits_for_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    pilot.install(monkeypatch)
