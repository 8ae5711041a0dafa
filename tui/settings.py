"""Settings a person expects to keep between runs: theme, sort, panels, saved filters.

Plain functions over a plain record, as frogmouth keeps its `data/`: widgets never touch
files. The file is JSON under platformdirs' user config dir unless a path is given; a
missing or damaged file gives the defaults (a broken settings file must never stop the app),
and saving writes a temporary file and renames it so a crash never leaves half a file.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

SORTS = ("relevance", "published", "upvotes", "comments", "added", "title")


@dataclass(frozen=True)
class SavedFilter:
    """A named query on a number key; `sort` (optional) is applied with it."""

    name: str
    query: str
    sort: str | None = None


# Slot 2 is the morning's triage: what the latest import brought that is still unread.
DEFAULT_FILTERS: tuple[SavedFilter, ...] = (
    SavedFilter("Unread", "is:unread"),
    SavedFilter("Latest import", "added:latest is:unread"),
    SavedFilter("Has code", "has:code"),
    SavedFilter("Untagged unread", "is:unread no:tags"),
    SavedFilter("Tagged", "has:tags"),
    SavedFilter("Popular", "upvotes:>=10"),
    SavedFilter("Discussed", "comments:>0"),
    SavedFilter("Read", "is:read"),
    SavedFilter("Everything", ""),
)


@dataclass(frozen=True)
class Settings:
    """Everything the app persists. Unknown or invalid values fall back to the defaults."""

    theme: str = "textual-dark"
    sort: str = "relevance"
    show_tags: bool = False
    show_detail: bool = True
    saved_filters: tuple[SavedFilter, ...] = field(default=DEFAULT_FILTERS)

    def with_filter(self, slot: int, saved: SavedFilter) -> Settings:
        """A copy with saved filter `slot` (0-based) replaced."""
        filters = list(self.saved_filters)
        filters[slot] = saved
        return replace(self, saved_filters=tuple(filters))


def default_settings_path() -> Path:
    """`settings.json` in platformdirs' user config dir for papershelf."""
    from platformdirs import user_config_dir

    return Path(user_config_dir("papershelf")) / "settings.json"


def _filters(raw: object) -> tuple[SavedFilter, ...]:
    filters = list(DEFAULT_FILTERS)
    if isinstance(raw, list):
        for slot, item in enumerate(raw[:9]):
            if isinstance(item, dict) and isinstance(item.get("query"), str):
                sort = item.get("sort")
                filters[slot] = SavedFilter(
                    str(item.get("name") or item["query"] or f"Filter {slot + 1}"),
                    item["query"],
                    sort if sort in SORTS else None,
                )
    return tuple(filters)


def load_settings(path: Path) -> Settings:
    """Read settings from `path`; defaults for anything missing, unreadable or invalid."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    if not isinstance(raw, dict):
        return Settings()
    default = Settings()
    theme = raw.get("theme")
    sort = raw.get("sort")
    return Settings(
        theme=theme if isinstance(theme, str) and theme else default.theme,
        sort=sort if sort in SORTS else default.sort,
        show_tags=bool(raw.get("show_tags", default.show_tags)),
        show_detail=bool(raw.get("show_detail", default.show_detail)),
        saved_filters=_filters(raw.get("saved_filters")),
    )


def save_settings(path: Path, settings: Settings) -> None:
    """Write `settings` to `path` atomically (temp file + rename). OSError propagates."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = asdict(settings)
    data["saved_filters"] = [asdict(f) for f in settings.saved_filters]
    fd, tmp = tempfile.mkstemp(prefix=".settings-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2, ensure_ascii=False)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
