"""Which Daily Papers days a library already holds, kept in the `imports` table it already has.

A fetch records the complete days it read in its import's `source`
(`Hugging Face Daily Papers 2026-07-01..2026-07-03, 2026-07-06`) with the format `hf-api`.
Undoing that import deletes its `imports` row, so the days count as not fetched again: the record
and the papers come and go together, and no schema change was needed. Only days before today
(UTC) are recorded: today's list still grows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from papershelf.db.store import Store

FORMAT = "hf-api"  # `imports.format` of every fetch
PREFIX = "Hugging Face Daily Papers"
TODAY = " and today's list so far"  # today is never recorded as complete
_DAY_OR_RANGE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:\.\.(\d{4}-\d{2}-\d{2}))?")
_RECORD = re.compile(
    rf"{PREFIX} {_DAY_OR_RANGE.pattern}(?:, {_DAY_OR_RANGE.pattern})*(?:{re.escape(TODAY)})?"
)


def describe(days: Iterable[date], *, with_today: bool = False) -> str:
    """`Hugging Face Daily Papers 2026-07-01..2026-07-03, 2026-07-06`: runs of days as ranges
    (at least one day), then `TODAY` when today's partial list came with them."""
    runs: list[list[date]] = []
    for day in sorted(set(days)):
        if runs and day - runs[-1][1] == timedelta(days=1):
            runs[-1][1] = day
        else:
            runs.append([day, day])
    parts = [a.isoformat() if a == b else f"{a.isoformat()}..{b.isoformat()}" for a, b in runs]
    return f"{PREFIX} {', '.join(parts)}{TODAY if with_today else ''}"


def source(days: Sequence[date], today: date, *, complete: bool = True) -> str:
    """The import source of a fetch of `days`: a record of the days before `today` when the
    whole lists were read (`complete`), else a description that records nothing."""
    done = [d for d in days if d < today]
    if complete and done:
        return describe(done, with_today=today in days)
    span = str(days[0]) if len(days) == 1 else f"{min(days)}..{max(days)}"
    return f"{PREFIX} of {span}" + (" (today's list so far)" if today in days else "")


def parse(source: str) -> set[date]:
    """The days `describe` wrote into `source` (empty for any other source)."""
    if not _RECORD.fullmatch(source):
        return set()
    days: set[date] = set()
    for match in _DAY_OR_RANGE.finditer(source):
        try:
            first = date.fromisoformat(match.group(1))
            last = date.fromisoformat(match.group(2) or match.group(1))
        except ValueError:
            continue
        days.update(first + timedelta(days=n) for n in range(max(0, (last - first).days) + 1))
    return days


def fetched_days(store: Store) -> set[date]:
    """Every day an earlier fetch into this library recorded as complete."""
    conn = store.reader()
    try:
        rows = conn.execute(
            "SELECT source FROM imports WHERE format = ? AND source LIKE ?", [FORMAT, PREFIX + "%"]
        ).fetchall()
    finally:
        conn.close()
    days: set[date] = set()
    for (source,) in rows:
        days |= parse(source or "")
    return days
