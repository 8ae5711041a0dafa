"""Commands for triage and where things live: snooze, dismiss, note, path, config."""

from __future__ import annotations

import sys
from datetime import date

import click

from papershelf.tui.cli.base import Failure, main, opened
from papershelf.tui.cli.papers import _act, _targets


def _day(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    from papershelf.db.days import parse_day

    if value is None:
        return None
    try:
        return parse_day(value, date.today())
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


@main.command()
@click.argument("targets", nargs=-1)
@click.option("--query", "-q", help="Snooze every paper matching this query.")
@click.option(
    "--until",
    callback=_day,
    help="The day they come back: tomorrow, next week, monday, 3d, 2w or 2026-01-05.",
)
@click.option("--wake", is_flag=True, help="Bring snoozed papers back now instead.")
@click.pass_context
def snooze(ctx, targets, query, until, wake):
    """Hide papers from the inbox until a day (undo with `papershelf undo`)."""
    if (until is None) == (not wake):
        raise Failure("Give --until DAY (or --wake to bring papers back now).")
    _act(ctx, lambda store: store.snooze(_targets(store, targets, query), None if wake else until))


@main.command()
@click.argument("targets", nargs=-1)
@click.option("--query", "-q", help="Dismiss every paper matching this query.")
@click.option("--restore", is_flag=True, help="Bring dismissed papers back into the inbox.")
@click.pass_context
def dismiss(ctx, targets, query, restore):
    """Take papers out of the inbox without marking them read."""
    _act(ctx, lambda store: store.dismiss(_targets(store, targets, query), not restore))


@main.command()
@click.argument("target")
@click.argument("text", required=False)
@click.pass_context
def note(ctx, target, text):
    """Print TARGET's note, or set it to TEXT ("-" reads stdin; "" clears it)."""
    if text == "-":
        text = sys.stdin.read()
    with opened(ctx, readonly=text is None) as store:
        paper = store.paper(target)
        if paper is None:
            raise Failure(f"No paper has the id or arXiv id {target!r}; nothing was changed.")
        if text is None:
            if paper.note:
                click.echo(paper.note)
            else:
                click.echo(f"Paper {paper.id} has no note.", err=True)
            return
        result = store.set_note(paper.id, text)
    click.echo(result.message)


@main.command()
@click.argument("target")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "jsonl", "csv", "ids"]), default="table"
)
@click.pass_context
def similar(ctx, target, limit, fmt):
    """List the papers most like TARGET (shared rare words and AI keywords), best first."""
    from papershelf.tui.cli.papers import render

    with opened(ctx, readonly=True) as store:
        paper = store.paper(target)
        if paper is None:
            raise Failure(f"No paper has the id or arXiv id {target!r}.")
        found = store.similar(paper.id, limit)
    out = render([p for p, _score in found], fmt)
    if out:
        click.echo(out)
    elif fmt == "json":
        click.echo("[]")
    else:
        click.echo(f"No paper shares enough words with paper {paper.id}.", err=True)


@main.command()
@click.pass_context
def path(ctx):
    """Print where the library, the config and the app's state live."""
    from papershelf.tui.config import default_config_path
    from papershelf.tui.settings import default_settings_path

    click.echo(f"library: {ctx.obj['db']}")
    click.echo(f"config:  {default_config_path()}")
    click.echo(f"state:   {default_settings_path()}")


@main.group()
def config():
    """The config file (TOML): keys, theme, default sort, saved filters."""


@config.command("path")
def config_path():
    """Print the config file's location ($PAPERSHELF_CONFIG overrides it)."""
    from papershelf.tui.config import default_config_path

    click.echo(str(default_config_path()))


def _binding_ids() -> list[tuple[str, str, str]]:
    """(id, keys, description) of every app binding that a config can rebind."""
    from textual.binding import Binding

    from papershelf.tui.app import PapershelfApp
    from papershelf.tui.help_sections import keys_of

    return [
        (b.id, keys_of(b), b.description)
        for b in PapershelfApp.BINDINGS
        if isinstance(b, Binding) and b.id
    ]


@config.command("check")
def config_check():
    """Read the config and report every problem (exit 1 if there is one)."""
    from papershelf.tui.config import default_config_path, load_config

    where = default_config_path()
    if not where.exists():
        click.echo(f"{where} does not exist; papershelf uses its defaults.")
        return
    loaded = load_config(where, [binding_id for binding_id, _, _ in _binding_ids()])
    for problem in loaded.problems:
        click.echo(f"{where}: {problem}", err=True)
    if loaded.problems:
        raise SystemExit(1)
    click.echo(f"{where} is fine.")


@config.command("keys")
def config_keys():
    """List binding ids and their default keys, for the [keys] table."""
    for binding_id, keys, description in _binding_ids():
        click.echo(f"{binding_id:<22} {keys:<14} {description}")


@config.command("show")
def config_show():
    """Print the config in effect (defaults filled in) as TOML."""
    from papershelf.tui.config import default_config_path, dump_config, load_config

    click.echo(dump_config(load_config(default_config_path()).config), nl=False)
