"""Hostile text (markup-like brackets, escape sequences, emoji, CJK, a 2,000-char title) shows
verbatim in the list, the detail pane, notifications, the tag dialog and the command palette."""

from __future__ import annotations

from textual.command import CommandList
from textual.widgets._toast import Toast

from papershelf.tui.widgets.paper_list import PaperList
from tests.support.app import (
    LONG_TITLE,
    NASTY_SHOWN,
    SIZE,
    make_app,
    screen_text,
    settle,
    shown,
    wait_until,
)


def toasts(app) -> list[str]:
    return [toast.render().plain for toast in app.screen.query(Toast)]


async def focus_title(app, pilot, title: str) -> None:
    plist = app.query_one(PaperList)
    target = next(p.id for p in app.library.papers(plist.ids) if p.title == title)
    plist.move_to(target)
    await settle(app, pilot)
    # The detail pane follows the cursor after a short delay: wait until it shows the title
    # (then it stands twice on the screen, in the list row and in the pane).
    await wait_until(pilot, lambda: screen_text(app).count(title[:20]) >= 2, "the detail pane")


async def test_list_and_detail_show_nasty_text_verbatim(nasty_store, tmp_path):
    app = make_app(nasty_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
        for title in NASTY_SHOWN:
            assert title in text
        assert "\x1b" not in text and "pwned" not in text
        assert "Attention very very" in text and "…" in text  # the long title is cut, not wrapped
        await focus_title(app, pilot, NASTY_SHOWN[0])
        text = screen_text(app)
        assert "We use [bold]not bold[/bold] and [link=https://evil]x[/link] and [/] here." in text
        assert "Ada [Lovelace]" in text
        assert "https://github.com/x/repo" in text
        await focus_title(app, pilot, NASTY_SHOWN[1])
        text = screen_text(app)
        assert "中文摘要 with emoji 🤖 and [i]x[/i]." in text
        assert "ZXZpbA" not in text  # the OSC 52 clipboard write was removed on import


async def test_long_title_in_detail_pane(nasty_store, tmp_path):
    app = make_app(nasty_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await focus_title(app, pilot, LONG_TITLE)
        body = app.query_one("#detail-body")
        assert LONG_TITLE in str(body.render())


async def test_notifications_show_nasty_text_verbatim(nasty_store, tmp_path):
    app = make_app(nasty_store, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        for title in NASTY_SHOWN:
            await focus_title(app, pilot, title)
            await pilot.press("y")
            await settle(app, pilot)
            await wait_until(  # the copy's message comes from a worker thread
                pilot, lambda t=title: any(f"“{t}”" in toast for toast in toasts(app)), "the toast"
            )
            assert any(f"“{title}”" in toast for toast in toasts(app))
            assert app.clipboard.startswith(title + "\n")
        await focus_title(app, pilot, NASTY_SHOWN[1])
        await pilot.press("r")
        await settle(app, pilot)
        assert any("1 paper" in t for t in toasts(app))


async def test_tag_dialog_and_tags_with_brackets(nasty_store, tmp_path):
    app = make_app(nasty_store, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await focus_title(app, pilot, NASTY_SHOWN[1])
        await pilot.press("t")
        await pilot.pause()
        assert NASTY_SHOWN[1] in screen_text(app)
        await pilot.press(*"[b]", "enter")
        await settle(app, pilot)
        assert "#[b]" in screen_text(app)


async def test_palette_finds_nasty_titles_verbatim(nasty_store, tmp_path):
    app = make_app(nasty_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"closing")
        # The palette adds its matches in batches, best first: Enter takes the one highlighted
        # once the search is over, not whatever led when the title first showed.
        await settle(app, pilot)
        assert NASTY_SHOWN[0] in screen_text(app)
        commands = app.screen.query_one(CommandList)
        highlighted = commands.get_option_at_index(commands.highlighted or 0)
        assert NASTY_SHOWN[0] in str(highlighted.prompt)
        await pilot.press("enter")
        await settle(app, pilot)
        current = app.query_one(PaperList).current_paper
        assert current is not None and current.title == NASTY_SHOWN[0]


async def test_palette_jumps_to_a_paper_hidden_by_the_filter(nasty_store, tmp_path):
    app = make_app(nasty_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.query_one("#filter").value = "has:code"
        await settle(app, pilot)
        target = next(p for p in nasty_store.papers() if p.title == NASTY_SHOWN[1])
        assert target.id not in shown(app)
        app.jump_to_paper(target.id)
        await settle(app, pilot)
        assert app.query_one(PaperList).current_id == target.id
        assert app.query_one("#filter").value == ""
