"""The user's configuration: a TOML file they write (keys, theme, default sort, saved filters).

Configuration is what a person decides; app state (`tui.settings`: the last sort, panels shown,
when they last triaged) is what the app remembers. They live in different files and the demo
writes neither. A config with mistakes never stops the app: each bad entry is reported in one
sentence (`problems`) and its default is used instead.

    theme = "nord"                 # any Textual theme (ctrl+p "Change theme" lists them)
    sort = "published"             # the sort the app starts with
    read_moves_on = true           # r marks read and moves to the next paper

    [keys]                         # binding id = "keys" (see `papershelf config keys`)
    dismiss = "x,delete"

    [[filters]]                    # keys 1-9, in order
    name = "Unread"
    query = "is:unread"
    sort = "published"             # optional
"""

from __future__ import annotations

import json
import os
import tempfile
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from papershelf.tui.settings import DEFAULT_FILTERS, SORTS, SavedFilter

CONFIG_NAME = "config.toml"


@dataclass(frozen=True)
class Config:
    """The configuration in effect. `theme`/`sort` None: whatever was used last (app state)."""

    theme: str | None = None
    sort: str | None = None
    read_moves_on: bool = True
    keys: Mapping[str, str] = field(default_factory=dict)
    saved_filters: tuple[SavedFilter, ...] = DEFAULT_FILTERS


@dataclass(frozen=True)
class Loaded:
    """A config and the sentences describing what in the file was wrong (and ignored)."""

    config: Config
    problems: tuple[str, ...] = ()


def default_config_path() -> Path:
    """`config.toml` in platformdirs' user config dir ($PAPERSHELF_CONFIG overrides it)."""
    if os.environ.get("PAPERSHELF_CONFIG"):
        return Path(os.environ["PAPERSHELF_CONFIG"]).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("papershelf")) / CONFIG_NAME


def query_problem(query: str) -> str | None:
    """The parser's sentence for a query that cannot be run, or None for a good one."""
    from papershelf.db.query import QueryError, parse_query

    try:
        parse_query(query)
    except QueryError as error:
        return str(error)
    return None


def _filters(raw: object, problems: list[str]) -> tuple[SavedFilter, ...]:
    filters = list(DEFAULT_FILTERS)
    if not isinstance(raw, list):
        problems.append("`filters` must be a list of [[filters]] tables; using the defaults.")
        return tuple(filters)
    if len(raw) > 9:
        problems.append(f"Only 9 saved filters fit on keys 1-9; {len(raw) - 9} ignored.")
    for slot, item in enumerate(raw[:9]):
        where = f"Saved filter {slot + 1}"
        if not isinstance(item, dict) or not isinstance(item.get("query", ""), str):
            problems.append(f"{where} needs a text `query`; kept the default.")
            continue
        query = str(item.get("query", "")).strip()
        if (problem := query_problem(query)) is not None:
            problems.append(f"{where} ({query}): {problem}")
            continue
        sort = item.get("sort")
        if sort is not None and not (isinstance(sort, str) and sort.removeprefix("-") in SORTS):
            problems.append(f"{where}: unknown sort {sort!r} (one of {', '.join(SORTS)}).")
            sort = None
        name = item.get("name")
        filters[slot] = SavedFilter(
            str(name) if isinstance(name, str) and name.strip() else query or f"Filter {slot + 1}",
            query,
            sort,
        )
    return tuple(filters)


def _keys(raw: object, known: Sequence[str], problems: list[str]) -> dict[str, str]:
    if not isinstance(raw, dict):
        problems.append('[keys] must be a table of binding id = "keys".')
        return {}
    keys = {}
    for binding_id, value in raw.items():
        if known and binding_id not in known:
            problems.append(f"[keys] {binding_id}: no such binding id.")
        elif not isinstance(value, str) or not value.strip():
            problems.append(f'[keys] {binding_id}: give the keys as text, like "x,delete".')
        else:
            keys[binding_id] = value.strip()
    return keys


def parse_config(text: str, known_ids: Sequence[str] = ()) -> Loaded:
    """Read TOML text; `known_ids` (binding ids) lets unknown [keys] entries be reported."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return Loaded(Config(), (f"The config is not valid TOML ({error}); using the defaults.",))
    problems: list[str] = []
    theme, sort, moves = raw.get("theme"), raw.get("sort"), raw.get("read_moves_on", True)
    if theme is not None and not (isinstance(theme, str) and theme.strip()):
        problems.append("`theme` must be a theme name.")
        theme = None
    if sort is not None and not (isinstance(sort, str) and sort.removeprefix("-") in SORTS):
        problems.append(f"`sort` {sort!r} is not one of {', '.join(SORTS)} (or -name reversed).")
        sort = None
    if not isinstance(moves, bool):
        problems.append("`read_moves_on` must be true or false.")
        moves = True
    known = {"theme", "sort", "read_moves_on", "keys", "filters"}
    problems.extend(f"Unknown setting `{name}` ignored." for name in raw if name not in known)
    config = Config(
        theme=theme,
        sort=sort,
        read_moves_on=moves,
        keys=_keys(raw.get("keys", {}), known_ids, problems),
        saved_filters=_filters(raw["filters"], problems) if "filters" in raw else DEFAULT_FILTERS,
    )
    return Loaded(config, tuple(problems))


def load_config(path: Path, known_ids: Sequence[str] = ()) -> Loaded:
    """The config at `path`: defaults when there is no file, problems when it is unreadable."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Loaded(Config())
    except (OSError, UnicodeDecodeError) as error:
        return Loaded(Config(), (f"Cannot read {path} ({error}); using the defaults.",))
    return parse_config(text, known_ids)


def _string(value: str) -> str:
    # A JSON string is a valid TOML basic string (same escapes, \uXXXX included).
    return json.dumps(value, ensure_ascii=False)


def dump_config(config: Config) -> str:
    """The config as TOML (what `save_config` writes; comments in the old file are not kept)."""
    lines = ["# papershelf configuration (see `papershelf config --help`)"]
    if config.theme:
        lines.append(f"theme = {_string(config.theme)}")
    if config.sort:
        lines.append(f"sort = {_string(config.sort)}")
    lines.append(f"read_moves_on = {'true' if config.read_moves_on else 'false'}")
    if config.keys:
        lines += ["", "[keys]"]
        lines += [f"{_string(k)} = {_string(v)}" for k, v in sorted(config.keys.items())]
    for saved in config.saved_filters:
        lines += ["", "[[filters]]", f"name = {_string(saved.name)}"]
        lines.append(f"query = {_string(saved.query)}")
        if saved.sort:
            lines.append(f"sort = {_string(saved.sort)}")
    return "\n".join(lines) + "\n"


def save_config(path: Path, config: Config) -> None:
    """Write `config` to `path` atomically (temp file + rename). OSError propagates."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".config-", suffix=".toml", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(dump_config(config))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def legacy_settings_path() -> Path:
    """Where papershelf kept theme, sort, panels and saved filters before config and state."""
    from platformdirs import user_config_dir

    return Path(user_config_dir("papershelf")) / "settings.json"


def migrate_legacy(legacy: Path, state_path: Path, config_path: Path) -> str | None:
    """Carry an old settings.json over once: its state to `state_path`, its saved filters to
    `config_path` (only where neither exists yet). Returns what was done, or None."""
    from papershelf.tui.settings import load_settings, save_settings

    if not legacy.is_file() or state_path.exists():
        return None
    try:
        raw = json.loads(legacy.read_text(encoding="utf-8"))
        save_settings(state_path, load_settings(legacy))
    except (OSError, ValueError):
        return None
    filters = raw.get("saved_filters") if isinstance(raw, dict) else None
    if not isinstance(filters, list) or config_path.exists():
        return f"Settings carried over from {legacy}."
    problems: list[str] = []
    config = Config(saved_filters=_filters(filters, problems))
    if config.saved_filters == DEFAULT_FILTERS:
        return f"Settings carried over from {legacy}."
    try:
        save_config(config_path, config)
    except OSError:
        return f"Settings carried over from {legacy}; the saved filters could not be."
    return f"Settings carried over from {legacy}; saved filters now in {config_path}."
