"""App state: what the app remembers between runs (last theme and sort, panels, last triage).

This is not configuration: a person's decisions live in `tui.config` (a TOML file they edit);
this JSON file is the app's memory and lives in platformdirs' user state dir. Plain functions
over a plain record, as frogmouth keeps its `data/`: widgets never touch files. A missing or
damaged file gives the defaults (it must never stop the app), and saving writes a temporary file
and renames it so a crash never leaves half a file. The demo writes nothing.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from papershelf.db.query.sorts import SORTS


@dataclass(frozen=True)
class SavedFilter:
    """A named query on a number key; `sort` (optional) is applied with it."""

    name: str
    query: str
    sort: str | None = None


# Slot 2 is the morning's triage: what the latest import brought that is still unread. Every
# default works on a plain browser copy too (which has no upvotes): none is empty by design.
DEFAULT_FILTERS: tuple[SavedFilter, ...] = (
    SavedFilter("Unread", "is:unread"),
    SavedFilter("Latest import", "added:latest is:unread"),
    SavedFilter("Has code", "has:code"),
    SavedFilter("Untagged unread", "is:unread no:tags"),
    SavedFilter("Tagged", "has:tags"),
    SavedFilter("Inbox", "is:inbox"),
    SavedFilter("Discussed", "comments:>0"),
    SavedFilter("Read", "is:read"),
    SavedFilter("Everything", ""),
)


@dataclass(frozen=True)
class Settings:
    """Everything the app remembers. Unknown or invalid values fall back to the defaults."""

    theme: str = "textual-dark"
    sort: str = "relevance"
    show_tags: bool = False
    show_detail: bool = True
    last_triage: str | None = None  # UTC ISO time the inbox was last shown


def default_settings_path() -> Path:
    """`state.json` in platformdirs' user state dir for papershelf."""
    from platformdirs import user_state_dir

    return Path(user_state_dir("papershelf")) / "state.json"


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
        sort=sort if isinstance(sort, str) and sort.removeprefix("-") in SORTS else default.sort,
        show_tags=bool(raw.get("show_tags", default.show_tags)),
        show_detail=bool(raw.get("show_detail", default.show_detail)),
        last_triage=raw["last_triage"] if isinstance(raw.get("last_triage"), str) else None,
    )


def save_settings(path: Path, settings: Settings) -> None:
    """Write `settings` to `path` atomically (temp file + rename). OSError propagates."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = asdict(settings)
    fd, tmp = tempfile.mkstemp(prefix=".settings-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2, ensure_ascii=False)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
