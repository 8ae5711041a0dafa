"""The stats screen: numbers in words, plots for weeks, progress and tags."""

from __future__ import annotations

from datetime import date

import pytest

from papershelf.tui.screens.stats import StatsScreen
from tests.support.app import SIZE, make_app, screen_text, settle


def test_store_progress_and_weeks(sample_store):
    ids = [p.id for p in sample_store.papers()]
    sample_store.set_read(ids[:2], True)
    sample_store.dismiss(ids[2:3])
    sample_store.snooze(ids[3:5], date(2099, 1, 1))
    sample_store.set_note(ids[5], "x")
    progress = sample_store.progress(date(2026, 1, 1))
    assert progress == {"read": 2, "unread": 51, "dismissed": 1, "snoozed": 2, "noted": 1}
    weeks = sample_store.per_week(4)
    assert len(weeks) == 4 and weeks == sorted(weeks)
    assert all(date.fromisoformat(week).weekday() == 0 for week, _ in weeks)


@pytest.mark.slow  # three plots drawn at two sizes, scrolled: ~3.5 s
async def test_s_opens_the_stats_screen(sample_store, tmp_path):
    sample_store.add_tags([sample_store.papers()[0].id], ["vision"])
    for size in (SIZE, (60, 20)):
        app = make_app(sample_store, tmp_path)
        async with app.run_test(size=size) as pilot:
            await settle(app, pilot)
            await pilot.press("S")
            await settle(app, pilot)
            assert isinstance(app.screen, StatsScreen)
            text = screen_text(app)
            assert "53 papers" in text and "1 note" not in text
            assert "Papers per week" in text
            await pilot.press("end")  # a short terminal scrolls to the lower plots
            await pilot.pause()
            text = screen_text(app)
            assert "vision" in text
            # Each triage bar on a line of its own, under its own label.
            labels = ("read", "unread", "inbox", "snoozed", "dismissed")
            assert all(f"{label}┤" in text for label in labels), text
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, StatsScreen)
