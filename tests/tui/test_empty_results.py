"""Empty results say so with the query; a bad saved filter is refused; honest tag messages."""

from __future__ import annotations

import pytest

from tests.support.app import SIZE, make_app, screen_text, settle, shown, type_filter


async def test_no_match_says_so_with_the_query(sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await type_filter(app, pilot, "'zzqqxx")
        assert shown(app) == []
        text = screen_text(app)
        assert "No papers match 'zzqqxx." in text
        await pilot.press("escape")
        await settle(app, pilot)
        assert "No papers match" not in screen_text(app) and len(shown(app)) == 53


async def test_a_bad_query_clears_the_list_and_says_why(sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await type_filter(app, pilot, "upvotes:>lots")
        assert "This filter cannot run" in screen_text(app)


async def test_saved_filter_editor_refuses_a_bad_query(sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("F")
        await pilot.pause()
        app.screen.query_one("#query-6").value = "upvotes:>lots"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Filter 6 not saved: upvotes:>lots" in screen_text(app)
        assert app.config.saved_filters[5].query != "upvotes:>lots"
        await pilot.press("escape")
    assert not (tmp_path / "config.toml").exists()


async def test_tag_dialog_names_only_tags_that_came_off(sample_store, tmp_path):
    first = sample_store.papers()[0].id
    sample_store.add_tags([first], ["keep"])
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        app.paper_list.move_to(first)
        await pilot.press("t", *"-keep -nope", "enter")
        await settle(app, pilot)
        toasts = [str(n.message) for n in app._notifications]  # noqa: SLF001
        assert "Removed keep from 1 paper" in toasts
        assert not any("nope" in t for t in toasts)


@pytest.mark.slow  # opens every dialog in turn
async def test_dialogs_fit_a_60x20_terminal(sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(app, pilot)
        for key in ("question_mark", "F", "t", "z", "e", "v"):
            await pilot.press(key)
            await pilot.pause()
            box = app.screen.query(
                "#help-box, #filters-box, #tag-box, #snooze-box, #note-box, #reader-box"
            ).first()
            region = box.region
            assert region.right <= 60 and region.bottom <= 20, (key, region)
            await pilot.press("escape")
            await pilot.pause()


async def test_the_status_line_fits_a_60_column_terminal(sample_store, tmp_path):
    """Short words on a narrow terminal: the selection and the sort both stay visible."""
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(app, pilot)
        await pilot.press("space", "space", "s")
        await settle(app, pilot)
        status = [line for line in screen_text(app).splitlines() if "unread" in line][-1]
        assert status.rstrip().endswith("· 2 selected · published"), status


async def test_the_tag_dialog_shows_five_suggestions_at_60x20(sample_store, tmp_path):
    """A long title takes one line (with an ellipsis), leaving room for the suggestions."""
    ids = [p.id for p in sample_store.papers()]
    sample_store.add_tags(ids[1:3], ["vision", "vis-lang", "vision-transformers", "visual", "vit"])
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(app, pilot)
        await pilot.press("t", "v")
        await settle(app, pilot)
        text = screen_text(app)
        names = ("vision  ", "vis-lang  ", "vision-transformers  ", "visual  ", "vit  ")
        assert all(name in text for name in names), text
