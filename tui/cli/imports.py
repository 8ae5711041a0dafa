"""`papershelf import`: pages, clips, feeds and API responses into the library."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import click

from papershelf.db.models import ImportReport, ParsedPaper, Problem
from papershelf.db.parse import FORMATS, ParseError, parse_bytes
from papershelf.tui.cli.base import Failure, _date, main, opened


def _read_input(path: str) -> tuple[str, bytes]:
    if path == "-":
        return "<stdin>", sys.stdin.buffer.read()
    try:
        return path, Path(path).read_bytes()
    except IsADirectoryError:
        raise Failure(f"{path} is a directory, not a page.") from None
    except FileNotFoundError:
        raise Failure(f"{path} does not exist.") from None
    except OSError as error:
        raise Failure(f"{path} cannot be read: {error.strerror or error}.") from None


@contextmanager
def _progress(
    label: str, total: int, *, quiet: bool = False
) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on a terminal for big jobs; None (no bar) when piped, quiet or small."""
    if quiet or total < 20_000 or not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        seen = 0

        def update(done: int, _total: int) -> None:
            nonlocal seen
            bar.update(done - seen)
            seen = done

        yield update


@main.command("import")
@click.argument("paths", nargs=-1, required=True)
@click.option("--captured-on", callback=_date, help="Day the page was captured (default: today).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="Skip detection.")
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@click.option("--strict", is_flag=True, help="Any problem in the input is an error.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def import_(ctx, paths, captured_on, fmt, dry_run, strict, as_json):
    """Import Daily Papers pages (PATH may be - for stdin). All files or nothing."""
    captured_on = captured_on or date.today()
    papers: list[ParsedPaper] = []
    problems: list[Problem] = []
    formats: list[str] = []
    for path in paths:
        source, data = _read_input(path)
        if len(data) > 20_000_000 and sys.stderr.isatty() and not as_json:
            click.echo(f"Reading {source} ({len(data) / 1e6:.0f} MB)…", err=True)
        try:
            result = parse_bytes(data, source=source, captured_on=captured_on, format=fmt)
        except ParseError as error:
            raise Failure(f"{str(error).rstrip('.')}; nothing was imported.") from None
        if not result.papers:
            detail = f" ({result.problems[0]})" if result.problems else ""
            raise Failure(f"{source} holds no complete papers{detail}; nothing was imported.")
        papers.extend(result.papers)
        problems.extend(result.problems)
        formats.append(result.format)
    if strict and problems:
        for problem in problems:
            click.echo(str(problem), err=True)
        raise Failure(
            f"{len(problems)} problem(s) in the input and --strict is set; nothing was imported."
        )
    with opened(ctx) as store:
        with _progress("Importing", len(papers), quiet=as_json) as update:
            report = store.import_papers(
                papers,
                source=", ".join(paths),
                captured_on=captured_on,
                format=", ".join(dict.fromkeys(formats)),
                dry_run=dry_run,
                progress=update,
            )
        if not dry_run:
            with _progress("Indexing ", report.new + report.updated, quiet=as_json) as update:
                store.index_pending(progress=update)
    _print_report(report, problems, ", ".join(dict.fromkeys(formats)), dry_run, as_json)


def _print_report(report: ImportReport, problems, fmt: str, dry_run: bool, as_json: bool) -> None:
    if as_json:
        payload = {
            "new": report.new,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "format": fmt,
            "dry_run": dry_run,
            "problems": [
                {"source": p.source, "line": p.line, "message": p.message} for p in problems
            ],
        }
        click.echo(json.dumps(payload))
        return
    prefix = "Dry run, nothing written: " if dry_run else ""
    click.echo(
        f"{prefix}{report.total} papers: {report.new} new, {report.updated} updated, "
        f"{report.unchanged} unchanged (read as {fmt})"
    )
    for problem in problems:
        click.echo(str(problem), err=True)
