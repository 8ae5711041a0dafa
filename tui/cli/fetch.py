"""`papershelf fetch`, `add` and `refresh`: papers straight from Hugging Face's API.

Each command fetches everything first and then merges it with one `Store.import_papers` call,
exactly like `import`: one transaction, one undo step, all of it or (on any failure) nothing.
The client (`papershelf.db.fetch`) and huggingface_hub are imported inside the commands.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import urlparse

import click

from papershelf.db.models import ImportReport, ParsedPaper, Problem
from papershelf.tui.cli.base import Failure, _date, main, opened
from papershelf.tui.cli.imports import _print_report, _progress

if TYPE_CHECKING:
    from papershelf.db.fetch import Client, Listing
    from papershelf.db.store import Store

T = TypeVar("T")

SORTS = ("publishedAt", "trending")
REFRESH_DAYS = 30
_WEEK = re.compile(r"(\d{4})-W(\d{2})")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_ARXIV_ID = re.compile(r"(\d{4}\.\d{4,5})(?:v\d+)?")


def _client() -> Client:
    from papershelf.db.fetch import Client, FetchError

    try:
        return Client()
    except FetchError as error:
        raise Failure(str(error)) from None


@contextmanager
def _failing() -> Iterator[None]:
    """A FetchError becomes the command's one sentence, saying that nothing changed."""
    from papershelf.db.fetch import FetchError

    try:
        yield
    except FetchError as error:
        raise Failure(f"{str(error).rstrip('.')}; nothing was changed.") from None


def _each(items: Iterable[T], total: int, label: str, quiet: bool) -> Iterator[T]:
    """`items`, with a progress bar on stderr when there are several and stderr is a terminal."""
    if quiet or total < 2 or not sys.stderr.isatty():
        yield from items
        return
    with click.progressbar(items, length=total, label=label, file=sys.stderr) as bar:
        yield from bar


def _merge(ctx: click.Context, papers: Sequence[ParsedPaper], source: str) -> ImportReport:
    """Everything fetched, merged in one import (one transaction, one undo step)."""
    from papershelf.db.fetch import today_utc
    from papershelf.db.fetched import FORMAT

    with opened(ctx) as store:
        return _import(store, papers, source, today_utc(), FORMAT)


def _import(
    store: Store, papers: Sequence[ParsedPaper], source: str, day: date, fmt: str
) -> ImportReport:
    with _progress("Importing", len(papers)) as update:
        report = store.import_papers(
            papers, source=source, captured_on=day, format=fmt, progress=update
        )
    store.index_pending()
    return report


def _report(report: ImportReport, problems: Sequence[Problem], as_json: bool) -> None:
    _print_report(report, list(problems), "json", False, as_json)


def _empty(message: str, as_json: bool) -> None:
    """Nothing to import: say so (stderr under --json, whose stdout stays a report)."""
    if as_json:
        _report(ImportReport(0, 0, 0), (), True)
    click.echo(message, err=as_json)


# -- fetch -------------------------------------------------------------------------------------


def _week(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    match = _WEEK.fullmatch(value.strip())
    try:
        if match is None:
            raise ValueError
        date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO week like 2026-W31") from None
    return match[0]


def _month(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    match = _MONTH.fullmatch(value.strip())
    if match is None or not 1 <= int(match[2]) <= 12:
        raise click.BadParameter(f"{value!r} is not a month like 2026-07") from None
    return match[0]


@main.command("fetch")
@click.option(
    "--date", "day", callback=_date, help="One day's list (YYYY-MM-DD; default today, UTC)."
)
@click.option(
    "--since",
    callback=_date,
    help="Every day from this one to today; days fetched before are skipped.",
)
@click.option("--again", is_flag=True, help="With --since: fetch days fetched before too.")
@click.option("--week", callback=_week, help="An ISO week's list: 2026-W31.")
@click.option("--month", callback=_month, help="A month's list: 2026-07.")
@click.option("--sort", type=click.Choice(SORTS), help="Order Hugging Face lists in.")
@click.option("--submitter", metavar="NAME", help="Only papers this HF user submitted.")
@click.option("--search", "query", metavar="QUERY", help="Hugging Face's paper search instead.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def fetch(ctx, day, since, again, week, month, sort, submitter, query, as_json):
    """Fetch Daily Papers from Hugging Face into the library (today's list by default)."""
    _check_choice(day, since, week, month, query, again=again, sort=sort, submitter=submitter)
    client = _client()
    if query is not None:
        with _failing():
            listing = client.search(query.strip())
        what = f"Hugging Face search {query.strip()!r}"
        none = f"No papers match {query.strip()!r} on Hugging Face"
        return _finish(ctx, listing, what, none, as_json)
    if week or month:
        with _failing():
            listing = client.daily(week=week, month=month, sort=sort, submitter=submitter)
        what = f"Hugging Face Daily Papers {'week ' + week if week else 'month ' + month}"
        source = _filtered(what, sort, submitter)
        return _finish(ctx, listing, source, f"No papers in {what}", as_json)
    _fetch_by_day(ctx, client, day, since, again, sort, submitter, as_json)


def _check_choice(*chosen: object, again: bool, sort: str | None, submitter: str | None) -> None:
    """One of --date, --since, --week, --month, --search (or none: today), and what goes with it."""
    names = ("--date", "--since", "--week", "--month", "--search")
    given = [name for name, value in zip(names, chosen) if value is not None]
    if len(given) > 1:
        raise Failure(f"{' and '.join(given)} cannot be used together; choose one.")
    if again and "--since" not in given:
        raise Failure("--again only goes with --since.")
    if "--search" in given and (sort or submitter):
        raise Failure("--search cannot be combined with --sort or --submitter.")
    if "--search" in given and not str(chosen[-1]).strip():
        raise Failure("--search needs some words to search for.")


def _fetch_by_day(ctx, client, day, since, again, sort, submitter, as_json) -> None:
    """Today, one --date, or every day --since: each day's whole list, then one import."""
    from papershelf.db import fetched
    from papershelf.db.fetch import today_utc

    today = today_utc()
    for option, value in (("--since", since), ("--date", day)):
        if value is not None and value > today:
            raise Failure(f"{option} {value} is after today ({today}, UTC); no list yet.")
    days = _days(ctx, since, day, today, again, complete_only=submitter is None)
    if not days:
        message = (
            f"Every day from {since} to {today} was fetched before (--again fetches them again)"
        )
        return _empty(f"{message}; nothing was changed.", as_json)
    papers, problems = _fetch_days(client, days, sort, submitter, as_json)
    if not papers:
        when = (
            f"Today's list ({today}, UTC) is still empty"
            if days == [today]
            else f"No papers listed on {_span(days)}"
        )
        return _empty(f"{when}; nothing was imported.", as_json)
    if submitter is None:
        source = fetched.source(days, today)
    else:
        source = _filtered(fetched.source(days, today, complete=False), sort, submitter)
    _report(_merge(ctx, papers, source), problems, as_json)


def _days(
    ctx: click.Context,
    since: date | None,
    day: date | None,
    today: date,
    again: bool,
    *,
    complete_only: bool,
) -> list[date]:
    from papershelf.db.fetch import days_between
    from papershelf.db.fetched import fetched_days

    if since is None:
        return [day or today]
    days = days_between(since, today)
    if again or not complete_only or not Path(ctx.obj["db"]).exists():
        return days  # (a library not made yet has fetched nothing, and is not made by asking)
    with opened(ctx) as store:
        done = fetched_days(store)
    return [d for d in days if d not in done]


def _fetch_days(
    client: Client, days: Sequence[date], sort: str | None, submitter: str | None, quiet: bool
) -> tuple[list[ParsedPaper], list[Problem]]:
    papers: list[ParsedPaper] = []
    problems: list[Problem] = []
    with _failing():
        for day in _each(days, len(days), "Fetching", quiet):
            listing = client.daily(day=day, sort=sort, submitter=submitter)
            papers.extend(listing.papers)
            problems.extend(listing.problems)
    return papers, problems


def _span(days: Sequence[date]) -> str:
    return str(days[0]) if len(days) == 1 else f"{days[0]}..{days[-1]}"


def _filtered(what: str, sort: str | None, submitter: str | None) -> str:
    extra = [f"sorted by {sort}"] if sort else []
    extra += [f"submitted by {submitter}"] if submitter else []
    return f"{what} ({', '.join(extra)})" if extra else what


def _finish(ctx: click.Context, listing: Listing, source: str, none: str, as_json: bool) -> None:
    if not listing.papers:
        return _empty(f"{none}; nothing was imported.", as_json)
    _report(_merge(ctx, listing.papers, source), listing.problems, as_json)


# -- add -----------------------------------------------------------------------------------------


def arxiv_id(text: str) -> str | None:
    """The arXiv id (no version) in an id, a huggingface.co/papers URL or an arxiv.org URL."""
    text = text.strip()
    match = _ARXIV_ID.fullmatch(text)
    if match:
        return match[1]
    try:
        url = urlparse(text if "://" in text else f"https://{text}")
        host = (url.hostname or "").removeprefix("www.")
    except ValueError:  # `[2401.00001]` reads as a bad IPv6 host
        return None
    parts = [p for p in url.path.split("/") if p]
    if len(parts) != 2:
        return None
    if host in ("huggingface.co", "hf.co") and parts[0] == "papers":
        candidate = parts[1]
    elif host in ("arxiv.org", "export.arxiv.org") and parts[0] in ("abs", "pdf"):
        candidate = parts[1].removesuffix(".pdf")
    else:
        return None
    match = _ARXIV_ID.fullmatch(candidate)
    return match[1] if match else None


@main.command("add")
@click.argument("targets", nargs=-1, required=True, metavar="ID_OR_URL...")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def add(ctx, targets, as_json):
    """Add papers by arXiv id or huggingface.co/papers / arxiv.org URL. All of them or none."""
    ids: list[str] = []
    for target in targets:
        found = arxiv_id(target)
        if found is None:
            raise Failure(
                f"{target!r} is not an arXiv id (2310.03714) or a huggingface.co/papers/… or "
                "arxiv.org/abs/… URL; nothing was added."
            )
        if found not in ids:
            ids.append(found)
    client = _client()
    papers: list[ParsedPaper] = []
    with _failing():
        for wanted, paper in _each(client.papers(ids), len(ids), "Fetching", as_json):
            if paper is None:
                raise Failure(f"Hugging Face has no paper {wanted}; nothing was added.")
            papers.append(paper)
    _report(_merge(ctx, papers, f"Hugging Face papers {', '.join(ids)}"), (), as_json)


# -- refresh -------------------------------------------------------------------------------------


def _recent(store: Store, days: int) -> list[str]:
    from papershelf.db.fetch import today_utc

    start = (today_utc() - timedelta(days=days)).isoformat()
    conn = store.reader()
    try:
        rows = conn.execute(
            "SELECT arxiv_id FROM papers WHERE arxiv_id IS NOT NULL"
            " AND (published >= ? OR daily_day >= ?) ORDER BY id",
            [start, start],
        ).fetchall()
    finally:
        conn.close()
    return [row[0] for row in rows]


@main.command("refresh")
@click.argument("query", nargs=-1)
@click.option(
    "--days",
    type=click.IntRange(min=1),
    default=REFRESH_DAYS,
    show_default=True,
    help="Without QUERY: papers published or listed in this many last days.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def refresh(ctx, query, days, as_json):
    """Re-read papers (matching QUERY, else recent ones) from Hugging Face: upvotes, comments,
    empty fields; each paper's numbers are kept as a dated snapshot."""
    from papershelf.db.fetch import today_utc
    from papershelf.tui.cli.papers import search

    with opened(ctx) as store:
        if query:
            ids = [p.arxiv_id for p in search(store, query, "published", None) if p.arxiv_id]
        else:
            ids = _recent(store, days)
    if not ids:
        what = f"match {' '.join(query)!r}" if query else f"are from the last {days} days"
        return _empty(f"No papers with an arXiv id {what}; nothing to refresh.", as_json)
    client = _client()
    papers: list[ParsedPaper] = []
    problems: list[Problem] = []
    with _failing():
        for wanted, paper in _each(client.papers(ids), len(ids), "Refreshing", as_json):
            if paper is None:
                message = f"{wanted} is not on Hugging Face (any more); left as it was"
                problems.append(Problem("refresh", 0, message))
            else:
                papers.append(paper)
    if not papers:
        return _empty("Hugging Face knows none of these papers; nothing was changed.", as_json)
    source = f"Hugging Face refresh of {len(ids)} papers on {today_utc()}"
    _report(_merge(ctx, papers, source), problems, as_json)
