"""Commands over papers: list, show, tag, read, unread, undo."""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence

import click

from papershelf.db.export import export
from papershelf.db.models import Paper
from papershelf.db.query import SORTS, QueryError, Searcher
from papershelf.db.store import Store
from papershelf.db.tags import normalize_tag
from papershelf.db.text import strip_controls
from papershelf.tui.cli.base import Failure, main, opened
from papershelf.tui.marks import COMMENT_MARK, UPVOTE_MARK, count


def search(store: Store, query: Sequence[str], sort: str, limit: int | None) -> list[Paper]:
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
        upvotes = paper.upvotes if paper.upvotes is not None else "-"
        numbers = f"{UPVOTE_MARK}{upvotes} {COMMENT_MARK}{paper.comments or 0}"
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
        papers = search(store, query, sort, limit)
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
    lines.append(f"read:      {f'yes, {paper.read_at}' if paper.read else 'no'}")
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


def _targets(
    store: Store, targets: Sequence[str], query: str | None, every: bool = False
) -> list[int]:
    """The papers a command acts on: ids, a non-empty --query, or --all (exactly one of them).

    An empty query is refused rather than read as "everything": an unset shell variable in
    `--query "$Q"` must never mark a whole library.
    """
    if sum((bool(targets), query is not None, every)) > 1:
        raise Failure("Give paper ids, --query or --all, not several of them.")
    if query is not None and not query.strip():
        raise Failure("The query is empty; to act on every paper, say --all.")
    if query is not None or every:
        try:
            return Searcher(store).search(query or "", sort="published").ids
        except QueryError as error:
            raise Failure(str(error)) from None
    if not targets:
        raise Failure("Name at least one paper (id or arXiv id), or use --query or --all.")
    return _resolve(store, targets)


def _every_option(what: str):
    return click.option("--all", "every", is_flag=True, help=f"{what} every paper in the library.")


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
@_every_option("Tag")
@click.pass_context
def tag_add(ctx, tag_name, targets, query, every):
    """Add TAG (comma-separated for several) to papers."""
    tags = _tag_names(tag_name)
    _act(ctx, lambda store: store.add_tags(_targets(store, targets, query, every), tags))


@tag.command("remove")
@click.argument("tag_name", metavar="TAG")
@click.argument("targets", nargs=-1)
@click.option("--query", "-q", help="Untag every paper matching this query.")
@_every_option("Untag")
@click.pass_context
def tag_remove(ctx, tag_name, targets, query, every):
    """Remove TAG (comma-separated for several) from papers."""
    tags = _tag_names(tag_name)

    def remove(store: Store):
        _require_tags(store, tags)
        return store.remove_tags(_targets(store, targets, query, every), tags)

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
            json.dumps([{"name": t.name, "papers": t.count, "unread": t.unread} for t in counts])
        )
        return
    for t in counts:
        click.echo(f"{t.name:<30} {count(t.count, 'paper'):>12} {t.unread:>6} unread")


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
@_every_option("Mark")
@click.pass_context
def read(ctx, targets, query, every):
    """Mark papers read."""
    _act(ctx, lambda store: store.set_read(_targets(store, targets, query, every), True))


@main.command()
@click.argument("targets", nargs=-1)
@click.option("--query", "-q", help="Mark every paper matching this query.")
@_every_option("Mark")
@click.pass_context
def unread(ctx, targets, query, every):
    """Mark papers unread."""
    _act(ctx, lambda store: store.set_read(_targets(store, targets, query, every), False))


@main.command()
@click.pass_context
def undo(ctx):
    """Reverse the last action (import, tag, read, bulk); repeatable."""
    with opened(ctx) as store:
        result = store.undo()
    if result is None:
        raise Failure("Nothing to undo.")
    click.echo(result.message)


@main.command()
@click.pass_context
def redo(ctx):
    """Replay the change undone last; repeatable (a new change ends what can be redone)."""
    with opened(ctx) as store:
        result = store.redo()
    if result is None:
        raise Failure("Nothing to redo.")
    click.echo(result.message)
