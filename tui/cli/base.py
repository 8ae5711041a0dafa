"""The `papershelf` command group and what every command shares: opening the library, failing in one sentence.

Every command opens the library through `Store.open`, does one thing, and ends with one clear
sentence on stderr and a non-zero exit when a person's input is wrong — never a traceback.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from papershelf.db.text import clean_line

if TYPE_CHECKING:
    from papershelf.db.store import Store

# Which module of this package defines each command. The group imports a module only when one
# of its commands runs (or `--help` lists them all), so `papershelf list` never pays for the
# app, the parsers or the HTTP client. tests/tui/test_cli.py checks this table against the
# modules.
COMMAND_MODULES = {
    "add": "fetch",
    "backup": "library",
    "config": "triage",
    "demo": "app",
    "dismiss": "triage",
    "export": "library",
    "fetch": "fetch",
    "import": "imports",
    "list": "papers",
    "note": "triage",
    "path": "triage",
    "read": "papers",
    "redo": "papers",
    "refresh": "fetch",
    "restore": "library",
    "show": "papers",
    "similar": "triage",
    "snooze": "triage",
    "stats": "library",
    "tag": "papers",
    "tui": "app",
    "undo": "papers",
    "unread": "papers",
}


class Failure(click.ClickException):
    """An error a person caused: printed as one sentence, exit code 1."""

    def show(self, file=None) -> None:  # noqa: D102 - click's hook
        # Messages quote what was typed or read: one line, never a terminal escape.
        click.echo(f"papershelf: {clean_line(self.format_message())}", err=True)


@contextmanager
def opened(ctx: click.Context, *, readonly: bool = False) -> Iterator[Store]:
    """Open the library named by --db / $PAPERSHELF_DB, turning store errors into failures."""
    from papershelf.db.formats import ParseError
    from papershelf.db.query import QueryError
    from papershelf.db.schema import read_only
    from papershelf.db.store import Store, StoreError

    path = ctx.obj["db"]
    # A library that cannot be written (chmod 444, a read-only folder) is still read: list,
    # show, stats, export, backup and the app work; writes say it is read-only.
    readonly = readonly or read_only(Path(path).expanduser().absolute())
    try:
        store = Store.open(path, readonly=readonly)
    except StoreError as error:
        raise Failure(str(error)) from None
    try:
        yield store
    except (StoreError, QueryError, ParseError) as error:
        raise Failure(str(error)) from None
    finally:
        store.close()


def _date(_ctx, _param, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2025-12-08") from None


class LazyGroup(click.Group):
    """A click group whose commands are imported from their module when first asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMAND_MODULES)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMAND_MODULES.get(cmd_name)
        if module is not None and cmd_name not in self.commands:
            # Importing the module runs its @main.command decorators, which register it here.
            importlib.import_module(f"papershelf.tui.cli.{module}")
        return super().get_command(ctx, cmd_name)


@click.group(
    cls=LazyGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Library file (default: $PAPERSHELF_DB, else papers.db in the user data directory).",
)
@click.version_option(package_name="papershelf", prog_name="papershelf")
@click.pass_context
def main(ctx: click.Context, db_path: Path | None) -> None:
    """papershelf: a terminal reading list for Hugging Face Daily Papers.

    Run with no command to open the app on your library.
    """
    from papershelf.db.store import default_db_path

    ctx.ensure_object(dict)
    ctx.obj["db"] = db_path or default_db_path()
    if ctx.invoked_subcommand is None:
        from papershelf.tui.cli.app import tui

        ctx.invoke(tui)
