"""Keys typed faster than the app settles: every key reaches the widget it was meant for.

`pilot.press` waits for the app to go idle after each key, which hides races; `burst` hands the
driver every key at once, the way tmux `send-keys -l` or a fast typist does.
"""

from __future__ import annotations

import threading

from textual import events
from textual.worker import WorkerCancelled

from papershelf.db.store import Store
from papershelf.tui.widgets.detail import DetailPane
from papershelf.tui.widgets.filter_input import FilterInput
from papershelf.tui.widgets.paper_list import PaperList
from tests.support.app import (
    SIZE,
    import_sample,
    make_app,
    screen_text,
    settle,
    shown,
    wait_until,
)


def burst(app, keys: str | list[str]) -> None:
    """Queue every key at once (characters of a string, or key names in a list)."""
    for key in keys:
        name = {"/": "slash", " ": "space", "*": "asterisk", "?": "question_mark"}.get(key, key)
        char = key if len(key) == 1 else None
        event = events.Key(name, char)
        event.set_sender(app)
        app._driver.send_message(event)  # noqa: SLF001 - what the terminal driver does


def filter_value(app) -> str:
    return app.query_one(FilterInput).value


async def test_slash_word_typed_at_start_goes_into_the_filter(sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        burst(app, "/undo")
        await settle(app, pilot)
        assert filter_value(app) == "undo"
        assert sample_store.count() == 53
        assert app.query_one(DetailPane).display


async def test_slash_words_typed_in_bursts_never_act_on_the_list(sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        for word in ("undo", "huge", "dart"):
            burst(app, ["slash", *word])
            await settle(app, pilot)
            assert filter_value(app) == word
            burst(app, ["escape"])
            await settle(app, pilot)
            assert filter_value(app) == ""
        assert sample_store.count() == 53
        assert app.query_one(DetailPane).display
        assert app.settings.show_detail


async def test_burst_after_escape_goes_to_the_list_again(sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        burst(app, ["slash", *"gemm", "escape", "j", "j"])
        await settle(app, pilot)
        assert filter_value(app) == ""
        assert app.focused is app.query_one(PaperList)
        burst(app, ["slash", *"gemm", "enter", "j"])
        await settle(app, pilot)
        assert filter_value(app) == "gemm"
        assert app.focused is app.query_one(PaperList)


async def test_list_keys_work_after_an_empty_library_fills(store, tmp_path):
    app = make_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        other = Store.open(store.path)
        import_sample(other)
        other.close()
        await wait_for(app, pilot, lambda: len(shown(app)) == 53)
        plist = app.query_one(PaperList)
        await pilot.press("j", "j", "down")
        assert plist.cursor == 3
        await pilot.press("k")
        assert plist.cursor == 2
        await pilot.press("G")
        assert plist.cursor == 52
        await pilot.press("g")
        assert plist.cursor == 0
        await pilot.press("end", "home")
        assert plist.cursor == 0


async def wait_for(app, pilot, condition, rounds: int = 50) -> None:
    """Poll the library and settle until `condition()` holds (bounded)."""
    for _ in range(rounds):
        if condition():
            return
        try:
            await app.check_version().wait()
        except WorkerCancelled:  # a newer poll replaced it
            pass
        await settle(app, pilot)
    assert condition()


async def test_undo_of_an_import_asks_first_and_n_keeps_it(sample_store, tmp_path):
    from papershelf.tui.confirm import ConfirmScreen

    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        burst(app, "und")  # u asks; n answers no; d reaches the list again
        await settle(app, pilot)
        assert sample_store.count() == 53
        assert not isinstance(app.screen, ConfirmScreen)
        await pilot.press("u")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "Import of" in screen_text(app)
        await pilot.press("y")
        await settle(app, pilot)
        assert sample_store.count() == 0
        await pilot.press("U")
        await settle(app, pilot)
        assert sample_store.count() == 53
        await wait_for(app, pilot, lambda: len(shown(app)) == 53)


async def test_a_small_undo_needs_no_question_and_ctrl_r_redoes(sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        first = shown(app)[0]
        await pilot.press("r")
        await settle(app, pilot)
        assert sample_store.paper(first).read
        await pilot.press("u")
        await settle(app, pilot)
        assert not sample_store.paper(first).read
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert sample_store.paper(first).read


async def test_list_keys_work_after_undo_empties_the_library_and_it_refills(sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("u", "y")
        await wait_for(app, pilot, lambda: not shown(app))
        await pilot.press("slash", "x", "escape")  # the box, left while the list is hidden
        await settle(app, pilot)
        other = Store.open(sample_store.path)
        import_sample(other)
        other.close()
        await wait_for(app, pilot, lambda: len(shown(app)) == 53)
        plist = app.query_one(PaperList)
        await pilot.press("j", "j", "k")
        assert plist.cursor == 1
        await pilot.press("G", "home")
        assert plist.cursor == 0
        assert filter_value(app) == ""


async def test_keys_typed_while_the_tag_dialog_opens_go_into_it(sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        first = shown(app)[0]
        burst(app, ["t", *"rlx", "enter"])
        await settle(app, pilot)
        assert sample_store.paper(first).tags == ("rlx",)
        assert not sample_store.paper(first).read


async def test_undoing_a_bulk_change_bigger_than_the_screen_asks_first(sample_store, tmp_path):
    from papershelf.tui.confirm import ConfirmScreen

    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("asterisk", "r")
        await settle(app, pilot)
        assert all(p.read for p in sample_store.papers())
        await pilot.press("u")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "Marked 53 papers read" in screen_text(app)
        await pilot.press("escape")
        await settle(app, pilot)
        assert all(p.read for p in sample_store.papers())
        await pilot.press("u", "y")
        await settle(app, pilot)
        assert not any(p.read for p in sample_store.papers())


async def test_a_change_from_elsewhere_while_the_question_is_open(sample_store, tmp_path):
    from papershelf.tui.confirm import ConfirmScreen

    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("u")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        other = Store.open(sample_store.path)
        other.add_tags([1], ["elsewhere"])
        other.close()
        await wait_for(app, pilot, lambda: app.status.total == 53 and app.tag_counts)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")  # the tag came after the import: nothing is undone
        await settle(app, pilot)
        assert sample_store.count() == 53
        assert sample_store.paper(1).tags == ("elsewhere",)


async def test_a_reload_that_arrives_after_a_cursor_move_keeps_the_move(sample_store, tmp_path):
    # A reload (another process's change, the index filling) keeps the cursor's paper: the paper
    # under the cursor when its answer arrives, not the one when it started.
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        gate = threading.Event()
        search = app.library.search

        def held(*args, **kwargs):
            gate.wait(30)
            return search(*args, **kwargs)

        app.library.search = held  # type: ignore[method-assign]
        app.reload()
        await pilot.press("j", "j")
        second = shown(app)[2]
        assert app.query_one(PaperList).current_id == second
        gate.set()
        await settle(app, pilot)
        assert app.query_one(PaperList).current_id == second


async def test_m_then_enter_at_once_jumps_to_the_most_similar_paper(sample_store, tmp_path):
    # The similar list is worked out in a worker; the Enter typed meanwhile is for its dialog.
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        start = app.query_one(PaperList).current_id
        nearest = sample_store.similar(start, 1)[0][0].id
        burst(app, ["m", "enter"])
        await settle(app, pilot)
        await wait_until(pilot, lambda: len(app.screen_stack) == 1, "the dialog closed")
        await settle(app, pilot)
        assert app.query_one(PaperList).current_id == nearest


async def test_a_key_typed_right_after_enter_moves_in_the_new_list(sample_store, tmp_path):
    # `/gemm<Enter>j` in one burst: j is for the list of `gemm`, even if it is still coming.
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        burst(app, ["slash", *"gemm", "enter", "j"])
        await settle(app, pilot)
        await wait_until(pilot, lambda: app.list_text == "gemm", "the gemm list is shown")
        await settle(app, pilot)
        assert len(shown(app)) > 2
        assert app.query_one(PaperList).current_id == shown(app)[1]


async def test_keys_typed_after_tab_in_a_dialog_reach_the_box_tab_moved_to(sample_store, tmp_path):
    """The snooze dialog opens on its choices; Tab moves to the day box, and the day typed in the
    same burst lands there, not in the choices behind it. The box's editing keys act where they
    were typed: `ctrl+a ctrl+k` clears what was there before, not the new day."""
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        first = shown(app)[0]
        burst(app, ["z", "tab", *"2099-01-02", "enter"])
        await settle(app, pilot)
        assert sample_store.paper(first).snoozed_until == "2099-01-02"
        assert not sample_store.paper(first).read
        current = app.query_one(PaperList).current_id
        assert current is not None and current != first
        burst(app, ["z", "tab", *"soon", "enter", "ctrl+a", "ctrl+k", *"2099-03-04", "enter"])
        await settle(app, pilot)
        assert sample_store.paper(current).snoozed_until == "2099-03-04"


async def test_tab_keeps_its_own_meaning_where_it_has_one(sample_store, tmp_path):
    """In a burst, Tab still completes a tag in the tag dialog and indents in the note editor."""
    ids = [p.id for p in sample_store.papers()]
    sample_store.add_tags(ids[3:4], ["vision-transformers"])
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        first = shown(app)[0]
        burst(app, ["t", *"vis", "tab", *"later", "enter"])
        await settle(app, pilot)
        assert sample_store.paper(first).tags == ("later", "vision-transformers")
        burst(app, ["e", "a", "tab", "b", "ctrl+s"])
        await settle(app, pilot)
        note = sample_store.paper(first).note or ""
        assert note.startswith("a") and note.endswith("b") and note[1:-1].isspace()


async def test_tab_out_of_the_filter_box_takes_the_keys_behind_it(sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        burst(app, ["slash", *"gemm", "tab", "j", "j"])
        await settle(app, pilot)
        assert filter_value(app) == "gemm"
        assert not isinstance(app.focused, FilterInput)


async def test_u_right_after_a_change_undoes_that_change(sample_store, tmp_path):
    """`r u` and `x u` typed at once: the undo waits for the change before it to be written,
    then reverses it (not the one before, and not nothing)."""
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        first = shown(app)[0]
        burst(app, ["r", "u"])
        await settle(app, pilot)
        assert not sample_store.paper(first).read
        burst(app, ["g", "x", "u"])
        await settle(app, pilot)
        assert sample_store.paper(first).dismissed_at is None
        assert sample_store.count() == 53


async def test_u_after_a_bulk_change_asks_about_that_change(sample_store, tmp_path):
    from papershelf.tui.confirm import ConfirmScreen

    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        burst(app, ["asterisk", "r", "u"])
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question")
        assert "Marked 53 papers read" in screen_text(app)
        burst(app, ["y"])
        await settle(app, pilot)
        assert [p for p in sample_store.papers() if p.read] == []
        assert sample_store.count() == 53


async def test_escape_and_a_key_read_as_one_alt_key_are_both_taken(sample_store, tmp_path):
    """`/xyz Esc j r` typed fast: the terminal delivers Esc+j as alt+j. The box is cleared and
    left, j moves down, r marks the second paper read; nothing lands in the filter."""
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        second = shown(app)[1]
        burst(app, ["slash", *"xyz"])
        await settle(app, pilot)
        alt_j = events.Key("alt+j", "j")
        alt_j.set_sender(app)
        app._driver.send_message(alt_j)  # noqa: SLF001 - what the terminal driver does
        burst(app, ["r"])
        await settle(app, pilot)
        assert filter_value(app) == ""
        assert sample_store.paper(second).read
        assert [p.id for p in sample_store.papers() if p.read] == [second]


async def test_keys_after_escape_act_on_the_whole_list_it_brings_back(sample_store, tmp_path):
    """`/xyz`, then `Esc j r` in one burst: xyz matches nothing, so the list is empty when Esc
    arrives; j and r wait for the whole list it brings back."""
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        second = shown(app)[1]
        burst(app, ["slash", *"xyz"])
        await settle(app, pilot)
        assert shown(app) == []
        burst(app, ["escape", "j", "r"])
        await settle(app, pilot)
        assert filter_value(app) == ""
        assert [p.id for p in sample_store.papers() if p.read] == [second]


async def test_a_tag_just_added_is_completed_by_the_next_dialog(sample_store, tmp_path):
    """The next tag dialog may open before the tag counts are read again after a write: it
    still completes `vis` to the tag the dialog before created. (The reload is switched off
    here, so the dialog has only what the app learned when the tags were applied.)"""
    from papershelf.tui.screens.tag_dialog import TagDialog

    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        first, second = shown(app)[:2]
        app.load_counts = lambda: None  # type: ignore[method-assign]
        burst(app, ["t", *"vision", "enter"])
        await wait_until(
            pilot,
            lambda: (
                not isinstance(app.screen, TagDialog)
                and sample_store.paper(first).tags == ("vision",)
            ),
            "the first paper tagged",
        )
        burst(app, ["j", "t", *"vis", "tab", "enter"])
        await settle(app, pilot)
        assert sample_store.paper(second).tags == ("vision",)
