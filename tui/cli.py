"""The `papershelf` command line: a scriptable surface over the same store as the app.

Every command opens the library through `Store.open`, does one thing, and ends with one clear
sentence on stderr and a non-zero exit when a person's input is wrong — never a traceback.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import click

from papershelf.db.export import EXPORT_FORMATS, export
from papershelf.db.journal import normalize_tag
from papershelf.db.models import ImportReport, Paper, ParsedPaper, Problem
from papershelf.db.parse import FORMATS, ParseError, parse_bytes
from papershelf.db.query import SORTS, QueryError, Searcher
from papershelf.db.sample import SAMPLE_CAPTURED_ON, SAMPLE_NAME, sample_bytes
from papershelf.db.store import Store, StoreError, default_db_path, restore_library
from papershelf.db.text import clean_line, strip_controls


class Failure(click.ClickException):
    """An error a person caused: printed as one sentence, exit code 1."""

    def show(self, file=None) -> None:  # noqa: D102 - click's hook
        # Messages quote what was typed or read: one line, never a terminal escape.
        click.echo(f"papershelf: {clean_line(self.format_message())}", err=True)


@contextmanager
def opened(ctx: click.Context, *, readonly: bool = False) -> Iterator[Store]:
    """Open the library named by --db / $PAPERSHELF_DB, turning store errors into failures."""
    path = ctx.obj["db"]
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


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
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
    ctx.ensure_object(dict)
    ctx.obj["db"] = db_path or default_db_path()
    if ctx.invoked_subcommand is None:
        ctx.invoke(tui)


# --- import ---------------------------------------------------------------------------------


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


# --- list / show / export --------------------------------------------------------------------


def _search(store: Store, query: Sequence[str], sort: str, limit: int | None) -> list[Paper]:
    text = " ".join(query)
    try:
        result = Searcher(store).search(text, sort=sort, limit=limit)
    except QueryError as error:
        raise Failure(str(error)) from None
    return store.papers(result.ids)


def _safe(text: str) -> str:
    """Terminal-safe text: the store already strips controls; this guards older libraries."""
    return strip_controls(text)


def _table(papers: Sequence[Paper]) -> str:
    width = shutil.get_terminal_size((120, 24)).columns
    lines = []
    for paper in papers:
        mark = "✓" if paper.read else "•"
        numbers = f"▲{paper.upvotes if paper.upvotes is not None else '-'} 💬{paper.comments or 0}"
        tags = (" #" + " #".join(paper.tags)) if paper.tags else ""
        head = f"{paper.id:>6} {mark} {paper.published or '          '} {numbers:<10} "
        room = max(10, width - len(head) - len(tags) - 1)
        title = _safe(paper.title)
        if len(title) > room:
            title = title[: room - 1] + "…"
        lines.append(f"{head}{title}{_safe(tags)}")
    return "\n".join(lines)


def render(papers: Sequence[Paper], fmt: str) -> str:
    """Papers in one of the `list` formats."""
    if fmt == "json":
        return json.dumps([p.to_json() for p in papers], ensure_ascii=False, indent=2)
    if fmt == "jsonl":
        return "\n".join(json.dumps(p.to_json(), ensure_ascii=False) for p in papers)
    if fmt == "csv":
        return export(papers, "csv").rstrip("\n")
    if fmt == "ids":
        return "\n".join(str(p.id) for p in papers)
    return _table(papers)


@main.command("list", context_settings={"ignore_unknown_options": True})
@click.argument("query", nargs=-1)
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True)
@click.option("--limit", type=click.IntRange(min=1), help="Show at most N papers.")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "jsonl", "csv", "ids"]), default="table"
)
@click.pass_context
def list_(ctx, query, sort, limit, fmt):
    """List papers matching QUERY (the filter-box language; see README)."""
    with opened(ctx) as store:
        papers = _search(store, query, sort, limit)
    out = render(papers, fmt)
    if out:
        click.echo(out)
    elif fmt == "json":
        click.echo("[]")


def _show_text(paper: Paper) -> str:
    authors = ", ".join(paper.authors) or (
        f"{paper.authors_count} authors" if paper.authors_count else paper.organization or "unknown"
    )
    lines = [
        _safe(paper.title),
        "",
        f"id:        {paper.id}" + (f"   arXiv {paper.arxiv_id}" if paper.arxiv_id else ""),
        f"published: {paper.published or 'unknown'}",
        f"authors:   {_safe(authors)}",
    ]
    if paper.organization and paper.authors:
        lines.append(f"org:       {_safe(paper.organization)}")
    upvotes = "-" if paper.upvotes is None else paper.upvotes
    lines.append(f"upvotes:   {upvotes}   comments: {paper.comments or 0}")
    lines.append(f"tags:      {', '.join(paper.tags) or '-'}")
    lines.append(f"read:      {'yes, ' + paper.read_at if paper.read else 'no'}")
    lines.append(f"page:      {paper.page_url}")
    lines.extend(f"link:      {_safe(link)}" for link in paper.links)
    lines.extend(["", _safe(paper.abstract)])
    return "\n".join(lines)


def _resolve(store: Store, targets: Sequence[str]) -> list[int]:
    ids = []
    for target in targets:
        paper = store.paper(target)
        if paper is None:
            raise Failure(f"No paper has the id or arXiv id {target!r}; nothing was changed.")
        ids.append(paper.id)
    return ids


@main.command()
@click.argument("target")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_context
def show(ctx, target, fmt):
    """Show one paper by numeric id or arXiv id."""
    with opened(ctx) as store:
        paper = store.paper(target)
    if paper is None:
        raise Failure(f"No paper has the id or arXiv id {target!r}.")
    click.echo(
        json.dumps(paper.to_json(), ensure_ascii=False, indent=2)
        if fmt == "json"
        else _show_text(paper)
    )


def _targets(store: Store, targets: Sequence[str], query: str | None) -> list[int]:
    if query is not None and targets:
        raise Failure("Give either paper ids or --query, not both.")
    if query is not None:
        try:
            return Searcher(store).search(query, sort="published").ids
        except QueryError as error:
            raise Failure(str(error)) from None
    if not targets:
        raise Failure("Name at least one paper (id or arXiv id), or use --query.")
    return _resolve(store, targets)


def _act(ctx, action) -> None:
    with opened(ctx) as store:
        try:
            result = action(store)
        except ValueError as error:
            raise Failure(str(error)) from None
    click.echo(result.message)


def _tag_names(text: str) -> list[str]:
    """`a,b` -> ["a", "b"]; no name at all is an error, not a silent no-op."""
    tags = [t for t in text.split(",") if t.strip()]
    if not tags:
        raise Failure(f"{text!r} names no tag.")
    return tags


def _require_tags(store: Store, names: Sequence[str]) -> None:
    """Naming a tag that does not exist is a mistake (a typo), not a silent no-op."""
    known = {t.name for t in store.tag_counts()}
    for name in names:
        normalized = normalize_tag(name)  # ValueError: an unusable name, reported by _act
        if normalized not in known:
            raise Failure(f"There is no tag {normalized}.")


@main.group()
def tag():
    """Add, remove, list and rename tags."""


@tag.command("add")
@click.argument("tag_name", metavar="TAG")
@click.argument("targets", nargs=-1)
@click.option("--query", "-q", help="Tag every paper matching this query.")
@click.pass_context
def tag_add(ctx, tag_name, targets, query):
    """Add TAG (comma-separated for several) to papers."""
    tags = _tag_names(tag_name)
    _act(ctx, lambda store: store.add_tags(_targets(store, targets, query), tags))


@tag.command("remove")
@click.argument("tag_name", metavar="TAG")
@click.argument("targets", nargs=-1)
@click.option("--query", "-q", help="Untag every paper matching this query.")
@click.pass_context
def tag_remove(ctx, tag_name, targets, query):
    """Remove TAG (comma-separated for several) from papers."""
    tags = _tag_names(tag_name)

    def remove(store: Store):
        _require_tags(store, tags)
        return store.remove_tags(_targets(store, targets, query), tags)

    _act(ctx, remove)


@tag.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_context
def tag_list(ctx, fmt):
    """Every tag with its paper and unread counts."""
    with opened(ctx) as store:
        counts = store.tag_counts()
    if fmt == "json":
        click.echo(
            json.dumps([{"name": t.name, "count": t.count, "unread": t.unread} for t in counts])
        )
        return
    for t in counts:
        click.echo(f"{t.name:<30} {t.count:>6} papers {t.unread:>6} unread")


@tag.command("rename")
@click.argument("old")
@click.argument("new")
@click.pass_context
def tag_rename(ctx, old, new):
    """Rename tag OLD to NEW (merging into NEW if it exists)."""

    def rename(store: Store):
        _require_tags(store, [old])
        return store.rename_tag(old, new)

    _act(ctx, rename)


@main.command()
@click.argument("targets", nargs=-1)
@click.option("--query", "-q", help="Mark every paper matching this query.")
@click.pass_context
def read(ctx, targets, query):
    """Mark papers read."""
    _act(ctx, lambda store: store.set_read(_targets(store, targets, query), True))


@main.command()
@click.argument("targets", nargs=-1)
@click.option("--query", "-q", help="Mark every paper matching this query.")
@click.pass_context
def unread(ctx, targets, query):
    """Mark papers unread."""
    _act(ctx, lambda store: store.set_read(_targets(store, targets, query), False))


@main.command()
@click.pass_context
def undo(ctx):
    """Reverse the last action (import, tag, read, bulk); repeatable."""
    with opened(ctx) as store:
        result = store.undo()
    if result is None:
        raise Failure("Nothing to undo.")
    click.echo(result.message)


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
@click.option("--sort", type=click.Choice(SORTS), default="published", show_default=True)
@click.pass_context
def export_(ctx, query, fmt, output, sort):
    """Export papers matching QUERY (all by default) as json, csv, markdown or bibtex."""
    with opened(ctx) as store:
        papers = _search(store, query, sort, None)
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
    click.echo(f"Wrote {len(papers)} papers to {output} ({fmt}).", err=True)


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
@click.pass_context
def restore(ctx, backup_file):
    """Replace the library with BACKUP (quit the app first); the old one is kept beside it."""
    try:
        kept = restore_library(ctx.obj["db"], backup_file)
    except StoreError as error:
        raise Failure(str(error)) from None
    click.echo(f"Restored {ctx.obj['db']} from {backup_file}.")
    if kept is not None:
        click.echo(f"The previous library is kept as {kept}.")


# --- the app -----------------------------------------------------------------------------------


def _run_app(store: Store, *, demo: bool = False) -> None:
    from papershelf.tui.app import (
        PapershelfApp,  # the app's imports cost ~0.2 s; CLI commands skip them
    )

    PapershelfApp(store, demo=demo).run()


@main.command()
@click.pass_context
def tui(ctx):
    """Open the app on the library."""
    with opened(ctx) as store:
        _run_app(store)


def build_demo(path: Path) -> Store:
    """A fresh library at PATH holding the bundled sample page, captured on 2025-12-08."""
    result = parse_bytes(sample_bytes(), source=SAMPLE_NAME, captured_on=SAMPLE_CAPTURED_ON)
    store = Store.open(path)
    store.import_papers(
        result.papers, source=SAMPLE_NAME, captured_on=SAMPLE_CAPTURED_ON, format=result.format
    )
    return store


@main.command()
def demo():
    """Open the app on a throwaway library built from the bundled sample page."""
    with tempfile.TemporaryDirectory(prefix="papershelf-demo-") as tmp:
        store = build_demo(Path(tmp) / "demo.db")
        try:
            _run_app(store, demo=True)
        finally:
            store.close()


if __name__ == "__main__":
    main()
