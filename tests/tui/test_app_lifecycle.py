"""More app behaviour: persistence, palette, links, live imports, failures, the footer."""

from __future__ import annotations

from datetime import date

import pytest

from papershelf.db.models import ParsedPaper
from papershelf.db.store import Store
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


async def test_theme_persists(sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.theme = "nord"
        await settle(app, pilot)
    again = make_app(sample_store, tmp_path)
    async with again.run_test(size=SIZE) as pilot:
        await settle(again, pilot)
        assert again.theme == "nord"


async def test_damaged_settings_file_gives_defaults(sample_store, tmp_path):
    (tmp_path / "settings.json").write_text("{not json")
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.sort == "relevance" and len(shown(app)) == 53


async def test_palette_offers_actions(sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p", *"next unread")
        await wait_until(pilot, lambda: "Next unread" in screen_text(app), "the palette's match")
        assert "Next unread" in screen_text(app)


async def test_code_link_opens_only_web_links(store, tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr(
        "papershelf.tui.triage.open_in_browser", lambda url: opened.append(url) or True
    )
    store.import_papers(
        [
            ParsedPaper(
                title="Has code", published=date(2025, 1, 2), github="https://github.com/a/b"
            ),
            ParsedPaper(title="Odd link", published=date(2025, 1, 1), github="file:///etc/passwd"),
        ],
        source="t",
        captured_on=date(2025, 1, 3),
    )
    app = make_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.query_one(PaperList).current_paper.title == "Has code"
        await pilot.press("c")
        await settle(app, pilot)
        assert opened == ["https://github.com/a/b"]
        await pilot.press("j", "c")
        await settle(app, pilot)
        assert opened == ["https://github.com/a/b"]  # not http(s): never handed to a browser


async def test_empty_library_fills_when_another_process_imports(store, tmp_path):
    app = make_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.check_version()
        await settle(app, pilot)
        assert "papershelf import PAGE.txt" in screen_text(app)
        with Store.open(store.path) as other:
            import_sample(other)
        app.check_version()
        await settle(app, pilot)
        text = screen_text(app)
        assert "53/53 shown" in text and "papershelf import PAGE.txt" not in text


async def test_a_failing_search_says_so(sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)

        def broken(*args, **kwargs):
            raise RuntimeError("disk on fire")

        app.library.search = broken
        app.query_one("#filter").value = "gemm"
        await settle(app, pilot)
        assert "disk on fire" in screen_text(app)
        assert app.query_one("#status").has_class("-error")


async def test_footer_shows_at_most_six_keys(sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        footer = screen_text(app).split("\n")[-1]
        assert footer.split("▏")[0].split() == [
            "/",
            "Filter",
            "r",
            "Read",
            "t",
            "Tag",
            "u",
            "Undo",
            "?",
            "Help",
            "q",
            "Quit",
        ]


@pytest.mark.slow  # real CLI processes
async def test_cli_in_another_process_while_the_app_writes(sample_store, tmp_path):
    """The app open and writing while a CLI process imports and tags: no lock errors."""
    import asyncio
    import subprocess
    import sys

    from tests.support.library import SAMPLE

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [
                sys.executable,
                "-c",
                "from papershelf.tui.cli import main; main()",
                "--db",
                str(sample_store.path),
                *args,
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )

    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        app.check_version()
        await settle(app, pilot)
        first = shown(app)[0]
        tagging = asyncio.create_task(
            asyncio.to_thread(cli, "tag", "add", "from-cli", "-q", "gemm")
        )
        importing = asyncio.create_task(
            asyncio.to_thread(cli, "import", str(SAMPLE), "--captured-on", "2025-12-08")
        )
        await pilot.press("asterisk", "r")  # the app writes at the same time
        await settle(app, pilot)
        done = [await tagging, await importing]
        assert all(r.returncode == 0 for r in done), [r.stderr for r in done]
        assert not any("locked" in r.stderr for r in done)
        app.check_version()
        await settle(app, pilot)
        assert "locked" not in screen_text(app)
        assert sample_store.count() == 53 and sample_store.paper(first).read
        assert "#from-cli" in screen_text(app) or "from-cli" in [t.name for t in app.tag_counts]


async def test_answers_that_arrive_while_the_app_shuts_down_are_dropped(sample_store, tmp_path):
    from papershelf.tui import messages as m

    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
    assert not app.is_running  # its widgets are gone: these would find no #main, no list
    app.on_counts(m.Counts(53, 53, [], {}))
    app.on_library_changed(m.LibraryChanged())
    app.on_jump(m.Jump(None, "next"))
