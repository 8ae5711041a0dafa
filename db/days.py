"""Days a person types for snoozing: `tomorrow`, `next week`, `monday`, `3d`, `2w`, `2026-01-05`.

Pure functions over `datetime.date`; the caller passes today so results are testable.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_COUNT = re.compile(r"^\+?(\d{1,4})\s*(d|day|days|w|week|weeks)$")

DAY_HELP = "tomorrow, next week, a weekday (monday), 3d, 2w or a date like 2026-01-05"


def parse_day(text: str, today: date) -> date:
    """The day `text` names, strictly after `today`; ValueError with one sentence otherwise."""
    word = " ".join(text.strip().lower().split())
    if not word:
        raise ValueError(f"Say until when: {DAY_HELP}.")
    if word == "tomorrow":
        return today + timedelta(days=1)
    if word in ("next week", "week"):
        return today + timedelta(days=7 - today.weekday())  # next Monday
    if word in ("next month", "month"):
        return (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    name = word.removeprefix("next ")
    for number, weekday in enumerate(WEEKDAYS):
        if name in (weekday, weekday[:3]):
            return today + timedelta(days=(number - today.weekday() - 1) % 7 + 1)
    if found := _COUNT.match(word):
        count = int(found.group(1)) * (7 if found.group(2).startswith("w") else 1)
        if count < 1:
            raise ValueError(f"{text.strip()!r} is not in the future.")
        return today + timedelta(days=count)
    try:
        day = date.fromisoformat(word)
    except ValueError:
        raise ValueError(f"{text.strip()!r} is not a day; use {DAY_HELP}.") from None
    if day <= today:
        raise ValueError(f"{day.isoformat()} is not in the future.")
    return day
