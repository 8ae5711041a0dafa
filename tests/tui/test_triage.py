"""Triage keys in the app: i, x, z, e, r moving on; the CLI's snooze, dismiss, note and path."""

from __future__ import annotations

from datetime import date, timedelta

from papershelf.tui.screens.note_editor import NoteEditor
from papershelf.tui.widgets.paper_list import PaperList
from tests.support.app import SIZE, make_app, screen_text, settle, settle_until, shown


async def test_x_dismisses_and_moves_on_and_u_undoes(sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        first, second = shown(app)[:2]
        await pilot.press("x")
        await settle(app, pilot)
        assert sample_store.paper(first).dismissed_at
        assert not sample_store.paper(first).read
        assert app.query_one(PaperList).current_id == second
        await pilot.press("u")
        await settle(app, pilot)
        assert sample_store.paper(first).dismissed_at is None


async def test_r_marks_read_and_moves_on(sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        first, second = shown(app)[:2]
        await pilot.press("r")
        await settle(app, pilot)
        assert sample_store.paper(first).read
        assert app.query_one(PaperList).current_id == second


async def test_r_stays_when_configured(sample_store, tmp_path):
    (tmp_path / "config.toml").write_text("read_moves_on = false\n")
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        first = shown(app)[0]
        await pilot.press("r")
        await settle(app, pilot)
        assert sample_store.paper(first).read
        assert app.query_one(PaperList).current_id == first


async def test_z_snoozes_until_the_chosen_day(sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        first = shown(app)[0]
        await pilot.press("z")
        await pilot.pause()
        assert "Snooze 1 paper until" in screen_text(app)
        await pilot.press("enter")  # the first choice: tomorrow
        await settle(app, pilot)
        tomorrow = (date.today() + timedelta(days=1)).isoformat()
        assert sample_store.paper(first).snoozed_until == tomorrow


async def test_z_refuses_a_bad_day_in_the_dialog(sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        first = shown(app)[0]
        await pilot.press("z", "tab", *"soon", "enter")
        await pilot.pause()
        assert "'soon' is not a day" in screen_text(app)
        await pilot.press("ctrl+a", "ctrl+k", *"2099-01-02", "enter")
        await settle(app, pilot)
        assert sample_store.paper(first).snoozed_until == "2099-01-02"


async def test_e_edits_the_note_and_the_detail_shows_it(sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        first = shown(app)[0]
        await pilot.press("e")
        await pilot.pause()
        await pilot.press(*"try [bold] this", "ctrl+s")
        await settle(app, pilot)
        assert sample_store.paper(first).note == "try [bold] this"
        assert "try [bold] this" in screen_text(app)
        await pilot.press("e", *" and more", "escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, NoteEditor)  # Esc closed it, without saving
        assert sample_store.paper(first).note == "try [bold] this"


async def test_i_filters_the_inbox(sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("i")
        await settle(app, pilot)
        assert app.query_one("#filter").value == "is:inbox"
        assert app.settings.last_triage


async def test_v_reads_full_screen_and_j_scrolls(sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(app, pilot)
        paper = app.query_one(PaperList).current_paper
        await pilot.press("v")
        await pilot.pause()
        assert paper.title[:20] in screen_text(app)
        await pilot.press("j", "j", "escape")
        await pilot.pause()
        assert app.screen is app.screen_stack[0]


async def test_demo_writes_no_state_and_no_config(sample_store, tmp_path):
    app = make_app(sample_store, tmp_path, demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("s", "T", "i")
        await settle(app, pilot)
    assert not (tmp_path / "settings.json").exists()
    assert not (tmp_path / "config.toml").exists()


def test_cli_snooze_dismiss_note_and_undo(library):
    assert library("snooze", "1", "2", "--until", "2099-01-02").output == (
        "Snoozed 2 papers until 2099-01-02\n"
    )
    bad = library("snooze", "1", "--until", "yesterday")
    assert bad.exit_code != 0 and "not a day" in bad.output
    assert library("dismiss", "3").output == "Dismissed 1 paper\n"
    assert library("note", "3", "see §2 [x]").output == "Saved the note on 1 paper\n"
    assert library("note", "3").output == "see §2 [x]\n"
    assert library.json("show", "1", "--format", "json")["id"] == 1
    assert library("undo").output.startswith("Undid: Saved the note")
    assert library("note", "3").stderr == "Paper 3 has no note.\n"
    assert library("snooze", "1", "--wake").output == "Woke 1 paper\n"
    missing = library("dismiss", "999999")
    assert missing.exit_code == 1 and "999999" in missing.stderr


def test_cli_path_names_library_config_and_state(library, monkeypatch, tmp_path):
    monkeypatch.setenv("PAPERSHELF_CONFIG", str(tmp_path / "c.toml"))
    out = library("path").output
    assert f"library: {library.db}" in out
    assert f"config:  {tmp_path / 'c.toml'}" in out
    assert "state:" in out
    assert library("config", "path").output.strip() == str(tmp_path / "c.toml")


async def test_m_lists_similar_papers_and_enter_jumps(sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        start = app.query_one(PaperList).current_id
        await pilot.press("m")
        # The list is worked out in a worker; the dialog then opens and focuses its options.
        await settle_until(app, pilot, lambda: getattr(app.focused, "id", None) == "similar-list")
        assert "Similar papers" in screen_text(app)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.query_one(PaperList).current_id != start


def test_cli_similar_lists_neighbours(library):
    ids = library("similar", "1", "--limit", "3", "--format", "ids").output.split()
    assert len(ids) == 3 and "1" not in ids
    assert library("similar", "nope").exit_code == 1


async def test_tilde_reverses_the_sort_and_s_keeps_the_direction(sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("s")  # published, newest first
        await settle(app, pilot)
        newest = shown(app)
        await pilot.press("tilde")
        await settle(app, pilot)
        assert app.sort == "-published"
        assert "sort: published, reversed" in screen_text(app)
        assert shown(app) == newest[::-1]
        await pilot.press("s")
        await settle(app, pilot)
        assert app.sort == "-upvotes"
    assert make_app(sample_store, tmp_path).sort == "-upvotes"


async def test_rising_is_in_the_sort_cycle(sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        for _ in range(6):
            await pilot.press("s")
        await settle(app, pilot)
        assert app.sort == "rising" and "sort: rising" in screen_text(app)


def test_notes_reach_json_and_markdown_exports(library):
    library("note", "6", "check *eq. 3*\nthen code")
    (paper,) = [p for p in library.json("export", "--format", "json") if p["id"] == 6]
    assert paper["note"] == "check *eq. 3*\nthen code"
    markdown = library("export", "--format", "markdown").stdout
    assert "  > check \\*eq. 3\\*\n  > then code\n" in markdown


async def test_E_edits_the_note_in_the_editor(sample_store, tmp_path, monkeypatch):
    from contextlib import nullcontext

    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\nprintf "from the editor\\n" >> "$1"\n')
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    monkeypatch.delenv("VISUAL", raising=False)
    app = make_app(sample_store, tmp_path)
    monkeypatch.setattr(app, "suspend", nullcontext)  # no terminal to hand over in a test
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        first = shown(app)[0]
        await pilot.press("E")
        await settle(app, pilot)
        assert sample_store.paper(first).note == "from the editor"


async def test_E_without_an_editor_says_so(sample_store, tmp_path, monkeypatch):
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("E")
        await settle(app, pilot)
        assert any("Set $EDITOR" in str(n.message) for n in app._notifications)  # noqa: SLF001
