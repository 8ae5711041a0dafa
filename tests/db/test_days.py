"""Snooze days as typed."""

from __future__ import annotations

from datetime import date

import pytest

from papershelf.db.days import parse_day

TODAY = date(2026, 11, 25)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tomorrow", date(2026, 11, 26)),
        (" Next  Week ", date(2026, 11, 30)),
        ("monday", date(2026, 11, 30)),
        ("wed", date(2026, 12, 2)),
        ("next friday", date(2026, 11, 27)),
        ("3d", date(2026, 11, 28)),
        ("2 weeks", date(2026, 12, 9)),
        ("next month", date(2026, 12, 1)),
        ("2027-01-05", date(2027, 1, 5)),
    ],
)
def test_days(text, expected):
    assert parse_day(text, TODAY) == expected


@pytest.mark.parametrize("text", ["", "soon", "2026-11-25", "2020-01-01", "0d", "2026-13-01"])
def test_bad_days_say_why(text):
    with pytest.raises(ValueError) as error:
        parse_day(text, TODAY)
    assert str(error.value).endswith(".")
