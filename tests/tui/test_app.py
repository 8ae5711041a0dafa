"""The app driven like a person with Pilot: keys in, then the store and the screen checked."""

from __future__ import annotations

from datetime import date

from papershelf.db.store import Store
from papershelf.tui.app import PapershelfApp
from papershelf.tui.widgets.paper_list import PaperList
from tests.support.app import (
    SIZE,
    make_app,
    screen_text,
    settle,
    settle_until,
    shown,
    type_filter,
    wait_until,
)


async def test_first_paint_shows_the_library(sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
        assert "53/53 shown" in text
        assert "53 unread" in text
        newest = sample_store.papers(shown(app)[:1])[0]
        assert newest.title[:40] in text
        assert app.focused is app.query_one(PaperList)


async def test_filter_narrows_and_highlights(sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await type_filter(app, pilot, "convolution")
        ids = shown(app)
        assert 0 < len(ids) < 53
        papers = sample_store.papers(ids)
        assert any("onvolution" in p.title for p in papers)
        assert f"{len(ids)}/53 shown" in screen_text(app)
        plist = app.query_one(PaperList)
        first = papers[0]
        at = first.title.lower().find("convolution")
        if at >= 0:  # the top hit matched in its title: those characters are highlighted
            strip = plist.render_line(0)
            styled = [seg for seg in strip if seg.text and "onv" in seg.text.lower()]
            assert styled and any(
                seg.style and (seg.style.bold or seg.style.underline) for seg in styled
            )


async def test_enter_keeps_filter_and_escape_clears_it(sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await type_filter(app, pilot, "gemm")
        narrowed = shown(app)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.focused is app.query_one(PaperList)
        assert app.query_one("#filter").value == "gemm"
        assert shown(app) == narrowed
        await pilot.press("slash", "escape")
        await settle(app, pilot)
        assert app.query_one("#filter").value == ""
        assert len(shown(app)) == 53
        assert app.focused is app.query_one(PaperList)


async def test_incomplete_query_keeps_results_and_bad_query_says_so(sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await type_filter(app, pilot, "gemm")
        before = shown(app)
        box = app.query_one("#filter")
        box.value = "gemm upvotes:>"  # pasted: half a term
        await settle(app, pilot)
        assert shown(app) == before
        assert not app.query_one("#status").has_class("-error")
        box.value = "gemm year:abc"
        await settle(app, pilot)
        assert shown(app) == before
        assert app.query_one("#status").has_class("-error")
        assert "year:abc" in screen_text(app).split("\n")[-2]


async def test_r_toggles_read_and_n_jumps_to_next_unread(sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        ids = shown(app)
        await pilot.press("r")
        await settle(app, pilot)
        assert sample_store.paper(ids[0]).read
        assert "52 unread" in screen_text(app)
        # the second and third are read too; n from the top skips them
        sample_store.set_read(ids[1:3], True)
        await pilot.press("g", "n")
        await settle(app, pilot)
        assert app.query_one(PaperList).current_id == ids[3]
        await pilot.press("N")
        await settle(app, pilot)
        assert "No previous unread paper" in screen_text(app)
        await pilot.press("g", "r")
        await settle(app, pilot)
        assert not sample_store.paper(ids[0]).read


async def test_tag_dialog_completes_existing_tags(sample_store, tmp_path):
    ids = [p.id for p in sample_store.papers()]
    sample_store.add_tags(ids[:3], ["vision-transformers"])
    sample_store.add_tags(ids[3:4], ["quantization"])
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        current = app.query_one(PaperList).current_id
        await pilot.press("t")
        await pilot.press(*"vis")
        await pilot.pause()
        assert "vision-transformers  3" in screen_text(app)
        await pilot.press("tab")
        assert app.screen.query_one("#tag-input").value == "vision-transformers "
        await pilot.press(*"later", "enter")
        await settle(app, pilot)
        assert set(sample_store.paper(current).tags) >= {"vision-transformers", "later"}
        assert "#later" in screen_text(app)
        # -tag removes
        await pilot.press("t", *"-later", "enter")
        await settle(app, pilot)
        assert "later" not in sample_store.paper(current).tags


async def test_bulk_select_tag_and_undo(sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        ids = shown(app)
        await pilot.press("space", "space", "space")
        await settle(app, pilot)
        assert "3 selected" in screen_text(app)
        await pilot.press("t", *"batch", "enter")
        await settle(app, pilot)
        assert all("batch" in sample_store.paper(i).tags for i in ids[:3])
        assert "batch" not in sample_store.paper(ids[3]).tags
        assert "3 papers" in screen_text(app)
        assert "3 selected" in screen_text(app).split("\n")[-2]  # kept for the next action
        await pilot.press("escape", "u")
        await settle(app, pilot)
        assert not any("batch" in sample_store.paper(i).tags for i in ids[:3])
        # select all shown + r marks them all read, and says how many
        await type_filter(app, pilot, "gemm")
        narrowed = shown(app)
        await pilot.press("enter", "asterisk", "r")
        await settle(app, pilot)
        assert all(p.read for p in sample_store.papers(narrowed))
        assert f"{len(narrowed)} papers" in screen_text(app)
        await pilot.press("u")
        await settle(app, pilot)
        assert not any(p.read for p in sample_store.papers(narrowed))


async def test_one_tag_entry_that_adds_and_removes_is_one_undo(sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        first = shown(app)[0]
        sample_store.add_tags([first], ["old"])
        await pilot.press("t", *"new -old", "enter")
        await settle(app, pilot)
        assert sample_store.paper(first).tags == ("new",)
        await pilot.press("u")
        await settle(app, pilot)
        assert sample_store.paper(first).tags == ("old",)


async def test_own_write_does_not_look_like_a_foreign_change(sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("r")
        await settle(app, pilot)
        assert app._version == sample_store.data_version()


async def test_escape_clears_selection(sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("asterisk")
        assert len(app.query_one(PaperList).selected) == 53
        await pilot.press("escape")
        await settle(app, pilot)
        assert not app.query_one(PaperList).selected
        assert "selected" not in screen_text(app).split("\n")[-2]


async def test_saved_filters(sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        first = shown(app)[0]
        await pilot.press("r")
        await settle(app, pilot)
        await pilot.press("1")
        await settle(app, pilot)
        assert app.query_one("#filter").value == "is:unread"
        assert first not in shown(app) and len(shown(app)) == 52
        await pilot.press("3")
        await settle(app, pilot)
        assert app.query_one("#filter").value == "has:code"
        assert all(p.code_link for p in sample_store.papers(shown(app)))
        await pilot.press("9")
        await settle(app, pilot)
        assert len(shown(app)) == 53


async def test_saved_filter_2_is_the_latest_import_still_unread(sample_store, tmp_path):
    from papershelf.db.models import ParsedPaper

    sample_store.import_papers(
        [ParsedPaper(title="Fresh Paper One"), ParsedPaper(title="Fresh Paper Two")],
        source="today.txt",
        captured_on=date(2025, 12, 9),
    )
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        assert app.query_one("#filter").value == "added:latest is:unread"
        titles = [p.title for p in sample_store.papers(shown(app))]
        assert sorted(titles) == ["Fresh Paper One", "Fresh Paper Two"]
        await pilot.press("r")
        await settle(app, pilot)
        assert len(shown(app)) == 1


async def test_the_index_warms_behind_the_first_paint(sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await app.workers.wait_for_complete()
        searcher = app.library._searcher
        assert searcher.vocabulary_loaded and searcher.bits_loaded


async def test_saved_filters_are_editable_and_persist(sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("F")
        await pilot.pause()
        box = app.screen.query_one("#query-4")
        box.value = "gemm"
        await pilot.press("ctrl+s")
        await pilot.press("4")
        await settle(app, pilot)
        assert app.query_one("#filter").value == "gemm"
    again = make_app(sample_store, tmp_path)
    assert again.config.saved_filters[3].query == "gemm"


async def test_the_saved_filter_editor_is_typed_into_where_it_opens(sample_store, tmp_path):
    """F opens on the first filter's name; typed keys edit the values (Tab: the next box),
    never replace them."""
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("F", *"!", "tab", *" upvotes:>1", "ctrl+s")
        await settle(app, pilot)
    first = make_app(sample_store, tmp_path).config.saved_filters[0]
    assert (first.name, first.query) == ("Unread!", "is:unread upvotes:>1")


async def test_sort_cycles_and_persists(sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("s")  # relevance -> published
        await pilot.press("s")  # -> upvotes
        await pilot.press("s")  # -> comments
        await settle(app, pilot)
        assert "sort: comments" in screen_text(app)
        comments = [p.comments or 0 for p in sample_store.papers(shown(app))]
        assert comments == sorted(comments, reverse=True)
    assert make_app(sample_store, tmp_path).sort == "comments"


async def test_empty_library_says_how_to_import(store, tmp_path):
    app = make_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
        assert "papershelf import PAGE.txt" in text
        assert "0/0 shown" in text
        assert "Read" not in text.split("\n")[-1]  # check_action hides what cannot run


async def test_demo_library(sample_store, tmp_path):
    app = make_app(sample_store, tmp_path, demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
        assert "DEMO" in text and "53/53 shown" in text
        await type_filter(app, pilot, "lut gemm")
        top = sample_store.papers(shown(app)[:3])
        assert any(p.title.startswith("LUT-GEMM") for p in top)


async def test_live_library_shows_other_processes_changes(sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.check_version()  # the 1 s timer's job, done now instead of sleeping
        await settle(app, pilot)
        with Store.open(sample_store.path) as other:  # a second connection, like the CLI
            other.add_tags([shown(app)[0]], ["from-cli"])
            other.set_read([shown(app)[0]], True)
        app.check_version()
        await settle(app, pilot)
        text = screen_text(app)
        assert "#from-cli" in text and "52 unread" in text


async def test_tags_panel_filters_by_tag(sample_store, tmp_path):
    ids = [p.id for p in sample_store.papers()]
    sample_store.add_tags(ids[:2], ["llm"])
    sample_store.set_read(ids[:1], True)
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("T")
        await settle(app, pilot)
        assert "llm  1/2" in screen_text(app)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.query_one("#filter").value == "tag:llm"
        assert sorted(shown(app)) == sorted(ids[:2])
    assert make_app(sample_store, tmp_path).settings.show_tags


async def test_help_lists_every_binding(sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=(120, 80)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        for words in (
            "Jump to the next unread paper",
            "Cycle the sort",
            "Select every paper",
            "Unselect everything",
            "Open the paper's code",
            "Copy the title",
            "Show or hide the tags panel",
            "Edit the saved filters",
            "1 … 9",
        ):
            assert words in text
        await pilot.press("escape")
        await pilot.pause()
        assert "papershelf keys" not in screen_text(app)


def detail_text(app: PapershelfApp) -> str:
    return str(app.query_one("#detail-body").render())


async def test_detail_pane_follows_the_cursor_and_waits_for_typing_to_pause(sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        first, second = sample_store.papers(shown(app)[:2])
        assert first.title in detail_text(app)
        await pilot.press("j")
        await settle(app, pilot)
        assert second.title in detail_text(app)  # moving: the pane follows at once
        await pilot.press("slash", *"flashdecoding")
        await settle(app, pilot)
        top = sample_store.papers(shown(app)[:1])[0]
        assert top.title.startswith("FlashDecoding++")
        # While typing, the pane waits for a pause in the keys (app.DETAIL_DELAY), then follows.
        await wait_until(pilot, lambda: top.title in detail_text(app), "the detail pane followed")
        assert top.title in detail_text(app)


async def test_the_full_list_follows_the_first_screen_once_it_is_drawn(tmp_path, monkeypatch):
    """A filter matching more than a screen: the first page is drawn, its `painted` event set,
    then the complete list replaces it (the worker waits for the paint, not for a timer)."""
    from papershelf.db.models import ParsedPaper
    from papershelf.tui import messages as m
    from papershelf.tui.workers import FIRST_PAGE

    store = Store.open(tmp_path / "big.db")
    store.import_papers(
        [
            ParsedPaper(
                title=f"Kernel study {i}",
                abstract="About kernels.",
                published=date(2025, 1, 1 + i % 28),
            )
            for i in range(FIRST_PAGE * 3)
        ],
        source="t",
        captured_on=date(2025, 12, 8),
    )
    seen: list[m.SearchDone] = []
    original = PapershelfApp.on_search_done

    def record(self, message):
        seen.append(message)
        original(self, message)

    monkeypatch.setattr(PapershelfApp, "on_search_done", record)
    app = make_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await type_filter(app, pilot, "kernel")
        partial = [s for s in seen if s.partial and s.found.text == "kernel"]
        assert partial
        # On a busy machine the paint can come after the complete list: wait for both.
        await settle_until(
            app,
            pilot,
            lambda: all(s.painted.is_set() for s in partial) and len(shown(app)) == FIRST_PAGE * 3,
        )
        assert f"{FIRST_PAGE * 3}/{FIRST_PAGE * 3} shown" in screen_text(app)
    store.close()
