"""The query language is documented where people look; tag names complete in the shell."""

from __future__ import annotations

import click

from papershelf.tui.cli import main
from papershelf.tui.cli.completion import complete_tags
from tests.support.app import make_app, screen_text, settle


def test_list_help_shows_the_query_language(cli):
    out = cli("list", "--help").output
    for term in ("is:inbox", "tag:rl/", "upvotes:>10", "note:word", "after:2024-01-01"):
        assert term in out
    table = out.split("Options:")[0]
    assert max(len(line) for line in table.splitlines()) <= 80


async def test_question_mark_shows_the_query_language(sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=(120, 120)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        assert "Query language" in text and "is:inbox" in text and "has:note" in text
        assert "Snooze until a day" in text and "Dismiss" in text


def test_tag_names_complete_from_the_library(library):
    library("tag", "add", "rl/offline", "1")
    library("tag", "add", "llm", "2")
    ctx = click.Context(main, info_name="papershelf")
    ctx.params["db_path"] = library.db
    assert [c.value for c in complete_tags(ctx, None, "r")] == ["rl/offline"]
    assert [c.value for c in complete_tags(ctx, None, "rl/offline,l")] == ["rl/offline,llm"]
    assert {c.value for c in complete_tags(ctx, None, "")} == {"llm", "rl/offline"}


def test_completion_without_a_library_offers_nothing(tmp_path):
    ctx = click.Context(main, info_name="papershelf")
    ctx.params["db_path"] = tmp_path / "missing.db"
    assert complete_tags(ctx, None, "") == []
