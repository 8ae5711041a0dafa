"""Commands over the library file: export, stats, backup, restore."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click

from papershelf.db.backup import restore_library
from papershelf.db.export import EXPORT_FORMATS, export
from papershelf.db.query import SORT_NAMES
from papershelf.db.store import StoreError
from papershelf.tui.cli.base import Failure, main, opened
from papershelf.tui.cli.papers import search
from papershelf.tui.marks import count


def _write_atomically(path: Path, text: str) -> None:
    """Write a file so a crash leaves either the old file or the whole new one."""
    path = path.resolve()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@main.command("export")
@click.argument("query", nargs=-1)
@click.option(
    "--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="json", show_default=True
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: stdout).",
)
@click.option("--sort", type=click.Choice(SORT_NAMES), default="published", show_default=True)
@click.pass_context
def export_(ctx, query, fmt, output, sort):
    """Export papers matching QUERY (all by default) as json, csv, markdown or bibtex."""
    with opened(ctx) as store:
        papers = search(store, query, sort, None)
    text = export(papers, fmt)
    if (
        output is not None
        and output.exists()
        and (not output.is_file() or output.resolve() == Path(ctx.obj["db"]).resolve())
    ):
        what = "the library itself" if output.is_file() else "not a regular file"
        raise Failure(f"{output} is {what}; choose another file to export to.")
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    try:
        _write_atomically(output, text)
    except OSError as error:
        raise Failure(f"{output} cannot be written: {error.strerror or error}.") from None
    click.echo(f"Wrote {count(len(papers), 'paper')} to {output} ({fmt}).", err=True)


@main.command()
@click.pass_context
def stats(ctx):
    """Totals, read/unread, per tag and papers per month."""
    with opened(ctx) as store:
        s = store.stats()
    click.echo(f"papers: {s.total}   read: {s.read}   unread: {s.unread}")
    if s.tags:
        click.echo("\ntags:")
        for t in s.tags:
            click.echo(f"  {t.name:<28} {t.count:>6} ({t.unread} unread)")
    if s.per_month:
        click.echo("\npublished per month:")
        peak = max(n for _, n in s.per_month)
        for month, n in s.per_month:
            bar = "█" * max(1, round(30 * n / peak))
            click.echo(f"  {month}  {n:>6} {bar}")


@main.command()
@click.argument("dest", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def backup(ctx, dest):
    """Write a consistent copy of the library to DEST (safe while the app is open)."""
    with opened(ctx) as store:
        store.backup(dest)
    click.echo(f"Backed up {ctx.obj['db']} to {dest}.")


@main.command()
@click.argument("backup_file", metavar="BACKUP", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Restore even while the app has the library open.")
@click.pass_context
def restore(ctx, backup_file, force):
    """Replace the library with BACKUP (quit the app first); the old one is kept beside it."""
    try:
        kept = restore_library(ctx.obj["db"], backup_file, force=force)
    except StoreError as error:
        raise Failure(str(error)) from None
    click.echo(f"Restored {ctx.obj['db']} from {backup_file}.")
    if kept is not None:
        click.echo(f"The previous library is kept as {kept}.")
