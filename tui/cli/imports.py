"""`papershelf import`: pages, clips, feeds and API responses into the library."""

from __future__ import annotations

import json
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import NoReturn

import click

from papershelf.db.history import Entry
from papershelf.db.models import ImportReport, ParsedPaper, ParseResult, Problem
from papershelf.db.parse import (
    FORMATS,
    NotUTF8,
    ParseError,
    describe_formats,
    parse_bytes,
    parse_stream,
    streams,
)
from papershelf.db.store import Store
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
    label: str, total: int, *, quiet: bool = False, big: bool | None = None
) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on a terminal for big jobs (`big`, by default 20,000 items or more);
    None (no bar) when piped, quiet or small."""
    if quiet or not (total >= 20_000 if big is None else big) or not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        seen = 0

        def update(done: int, _total: int) -> None:
            nonlocal seen
            bar.update(done - seen)
            seen = done

        yield update


# A plain copy from this size on is parsed and merged a block at a time (`parse_stream`): a
# 100k-paper page is 128 MB, and held whole with its papers it took ~650 MB.
STREAM_MIN = 8 * 2**20
_BLOCK = 4 * 2**20


class Interrupted(Failure):
    """Ctrl-C before the import was saved: nothing was written (exit 130, as a shell expects)."""

    exit_code = 130

    def __init__(self) -> None:
        super().__init__("Interrupted before the import was saved; nothing was imported.")


def _saved_anyway(store: Store, latest: Entry | None) -> ImportReport | None:
    """After Ctrl-C in an import: its report if it had committed already (the interrupt came
    between the commit and the return), else None."""
    entry = store.next_undo()
    if entry is None or entry.kind != "import" or (latest is not None and entry.id == latest.id):
        return None
    row = store.db.execute(
        "SELECT new, updated, unchanged, format FROM imports ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return ImportReport(new=row[0], updated=row[1], unchanged=row[2], format=row[3] or "")


def _index(store: Store, report: ImportReport, as_json: bool) -> None:
    """Index the imported papers for search; Ctrl-C here loses nothing (the papers are saved
    and the next search indexes the rest), so it only says so."""
    try:
        with _progress("Indexing ", report.new + report.updated, quiet=as_json) as update:
            store.index_pending(progress=update)
    except KeyboardInterrupt:
        click.echo(
            "Interrupted while indexing: the papers are saved; indexing resumes on the next use.",
            err=True,
        )


class _ReadWhole(Exception):
    """A big page is not UTF-8 after all: import again, reading it whole (as Windows-1252)."""

    def __init__(self, source: str) -> None:
        super().__init__(source)
        self.source = source


@dataclass
class _Page:
    """One input: read whole (`papers`) or, when big and plain, left to stream from `path`."""

    source: str
    format: str
    size: int
    papers: tuple[ParsedPaper, ...] = ()
    problems: tuple[Problem, ...] = ()
    path: Path | None = None  # set when streamed


def _read_page(path: str, captured_on: date, fmt: str | None, whole: bool, quiet: bool) -> _Page:
    """Parse a small page (or stdin) now; only check the head of a big plain copy."""
    if path != "-" and not whole:
        try:
            with open(path, "rb") as file:
                size = os.fstat(file.fileno()).st_size
                head = file.read(_BLOCK) if size >= STREAM_MIN else b""
        except (IsADirectoryError, FileNotFoundError, OSError):
            head = b""  # _read_input says what is wrong with it
        if head and streams(head, fmt):
            return _Page(path, "text", size, path=Path(path))
    source, data = _read_input(path)
    if len(data) > 20_000_000 and sys.stderr.isatty() and not quiet:
        click.echo(f"Reading {source} ({len(data) / 1e6:.0f} MB)…", err=True)
    try:
        result = parse_bytes(data, source=source, captured_on=captured_on, format=fmt)
    except ParseError as error:
        raise Failure(f"{str(error).rstrip('.')}; nothing was imported.") from None
    if not result.papers:
        _no_papers(source, result.problems)
    return _Page(source, result.format, len(data), result.papers, result.problems)


def _no_papers(source: str, problems: Sequence[Problem]) -> NoReturn:
    detail = f" ({problems[0]})" if problems else ""
    raise Failure(f"{source} holds no complete papers{detail}; nothing was imported.")


def _too_many_problems(problems: Sequence[Problem]) -> NoReturn:
    for problem in problems:
        click.echo(str(problem), err=True)
    raise Failure(
        f"{len(problems)} problem(s) in the input and --strict is set; nothing was imported."
    )


@contextmanager
def _ctrl_c_remembered() -> Iterator[list[bool]]:
    """Ctrl-C raises KeyboardInterrupt as usual and is also remembered. Python code that SQLite
    calls back (a progress handler, a SQL function) swallows any exception raised in it, so an
    interrupt landing there would be lost; `_remembering` raises it again at the next batch."""
    seen = [False]

    def interrupted(_signum: int, _frame: object) -> None:
        seen[0] = True
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, interrupted)
    try:
        yield seen
    finally:
        signal.signal(signal.SIGINT, previous)


def _remembering(
    batches: Iterator[Sequence[ParsedPaper]], seen: list[bool]
) -> Iterator[Sequence[ParsedPaper]]:
    """The batches, with a remembered Ctrl-C raised before each one and after the last."""
    for batch in batches:
        if seen[0]:
            raise KeyboardInterrupt
        yield batch
    if seen[0]:
        raise KeyboardInterrupt


def _batches(
    pages: list[_Page],
    problems: list[Problem],
    captured_on: date,
    strict: bool,
    update: Callable[[int, int], None] | None,
) -> Iterator[Sequence[ParsedPaper]]:
    """Every page's papers, a streamed page's a block at a time; its problems go to `problems`
    (with --strict, the first one ends the import, which then changes nothing)."""
    total, done = sum(page.size for page in pages), 0
    for page in pages:
        if page.path is None:
            yield page.papers
        else:
            found = 0
            with page.path.open("rb") as file:
                chunks = iter(lambda: file.read(_BLOCK), b"")
                results = parse_stream(chunks, source=page.source, captured_on=captured_on)
                while result := _next_block(results):
                    problems.extend(result.problems)
                    if strict and problems:
                        _too_many_problems(problems)
                    found += len(result.papers)
                    if update is not None:
                        update(min(done + file.tell(), total), total)
                    yield result.papers
            if not found:
                _no_papers(page.source, problems)
        done += page.size
        if update is not None:
            update(done, total)


def _next_block(results: Iterator[ParseResult]) -> ParseResult | None:
    """The next block's result; a page that turns out unreadable ends the import."""
    try:
        return next(results)
    except StopIteration:
        return None
    except NotUTF8 as error:
        raise _ReadWhole(error.source) from None
    except ParseError as error:
        raise Failure(f"{str(error).rstrip('.')}; nothing was imported.") from None


def _list_formats(ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """`--format list`: every rendering `import` reads, one a line, then exit."""
    if value != "list":
        return value
    width = max(len(name) for name in FORMATS)
    for name, description in describe_formats():
        click.echo(f"{name:<{width}}  {description}")
    ctx.exit(0)


@main.command("import")
@click.argument("paths", nargs=-1, required=True)
@click.option("--captured-on", callback=_date, help="Day the page was captured (default: today).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice((*FORMATS, "list")),
    callback=_list_formats,
    is_eager=True,
    help="Read as this rendering instead of detecting it; `--format list` describes each.",
)
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@click.option("--strict", is_flag=True, help="Any problem in the input is an error.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def import_(
    ctx: click.Context,
    paths: tuple[str, ...],
    captured_on: date | None,
    fmt: str | None,
    dry_run: bool,
    strict: bool,
    as_json: bool,
) -> None:
    """Import Daily Papers pages (PATH may be - for stdin). All files or nothing."""
    try:
        _import_pages(ctx, paths, captured_on, fmt, dry_run, strict, as_json)
    except KeyboardInterrupt:  # while reading or parsing: nothing was written yet
        raise Interrupted() from None


def _import_pages(
    ctx: click.Context,
    paths: tuple[str, ...],
    captured_on: date | None,
    fmt: str | None,
    dry_run: bool,
    strict: bool,
    as_json: bool,
) -> None:
    day = captured_on or date.today()
    read_whole: set[str] = set()
    while True:
        pages = [_read_page(path, day, fmt, path in read_whole, as_json) for path in paths]
        problems = [problem for page in pages for problem in page.problems]
        if strict and problems:
            _too_many_problems(problems)
        try:
            report = _import(ctx, pages, problems, paths, day, dry_run, strict, as_json)
        except _ReadWhole as error:
            read_whole.add(error.source)
            continue
        break
    fmt_names = ", ".join(dict.fromkeys(page.format for page in pages))
    _print_report(report, problems, fmt_names, dry_run, as_json)


def _import(
    ctx: click.Context,
    pages: list[_Page],
    problems: list[Problem],
    paths: tuple[str, ...],
    day: date,
    dry_run: bool,
    strict: bool,
    as_json: bool,
) -> ImportReport:
    """Merge the pages in one transaction, then index the new papers for search.

    A streamed page's problems are only known while it is merged: an import that fails then
    is rolled back, and a library file it created is removed again.
    """
    db = Path(ctx.obj["db"])
    existed = db.exists()
    papers = sum(len(page.papers) for page in pages)
    big = papers >= 20_000 or any(page.path for page in pages)
    size = sum(page.size for page in pages)
    try:
        with opened(ctx) as store:
            latest = store.next_undo()
            try:
                with (
                    _progress("Importing", size, quiet=as_json, big=big) as update,
                    _ctrl_c_remembered() as seen,
                ):
                    report = store.import_batches(
                        _remembering(_batches(pages, problems, day, strict, update), seen),
                        source=", ".join(paths),
                        captured_on=day,
                        format=", ".join(dict.fromkeys(page.format for page in pages)),
                        dry_run=dry_run,
                    )
            except KeyboardInterrupt:
                saved = _saved_anyway(store, latest)
                if saved is None:  # the transaction was rolled back
                    raise Interrupted() from None
                report = saved
            if not dry_run:
                _index(store, report, as_json)
    except (Failure, _ReadWhole):
        if not existed:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
        raise
    return report


def _print_report(
    report: ImportReport, problems: list[Problem], fmt: str, dry_run: bool, as_json: bool
) -> None:
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
