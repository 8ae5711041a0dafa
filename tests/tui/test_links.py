"""Links over SSH and without clipboard tools: the URL is shown, the message is honest."""

from __future__ import annotations

from datetime import date

import pytest

from papershelf.db.models import ParsedPaper
from papershelf.tui import links
from papershelf.tui.links import CopyOutcome, clipboard_tools, has_display
from tests.support.app import SIZE, make_app, settle, wait_until


@pytest.mark.parametrize(
    ("env", "platform", "expected"),
    [
        ({}, "linux", False),
        ({"DISPLAY": ":0"}, "linux", True),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", True),
        ({}, "darwin", True),
        ({"SSH_CONNECTION": "1.2.3.4 5 6.7.8.9 22"}, "darwin", False),
    ],
)
def test_a_browser_is_used_only_where_it_can_be_seen(env, platform, expected):
    assert has_display(env, platform) is expected


def test_clipboard_tools_follow_the_session():
    def which(name):
        return f"/usr/bin/{name}"

    assert clipboard_tools({}, "linux", which) == []
    assert [n for n, _ in clipboard_tools({"DISPLAY": ":0"}, "linux", which)] == ["xclip", "xsel"]
    assert [n for n, _ in clipboard_tools({"WAYLAND_DISPLAY": "w"}, "linux", which)] == ["wl-copy"]
    assert [n for n, _ in clipboard_tools({}, "darwin", which)] == ["pbcopy"]
    assert clipboard_tools({"DISPLAY": ":0"}, "linux", lambda name: None) == []


def test_messages_say_copied_only_when_a_tool_worked():
    assert CopyOutcome("xclip", False).message("it") == "Copied it (with xclip)."
    assert "OSC 52" in CopyOutcome(None, True).message("it")
    assert "tmux's paste buffer" in CopyOutcome(None, True).message("it")
    assert not CopyOutcome(None, False).message("it").startswith("Copied")


@pytest.fixture
def headless(monkeypatch):
    """An SSH session: no display, no clipboard tool, not in tmux."""
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "TMUX", "WSL_DISTRO_NAME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.1 5000 10.0.0.2 22")
    monkeypatch.setattr(links.shutil, "which", lambda name: None)


def _toasts(app):
    return [str(n.message) for n in app._notifications]  # noqa: SLF001


async def _toasts_after(app, pilot, count=1):
    """The toasts once `count` have arrived (a worker thread posts them), in bounded rounds."""
    await wait_until(pilot, lambda: len(_toasts(app)) >= count, f"{count} toast(s)")
    return _toasts(app)


async def test_o_without_a_browser_shows_and_copies_the_url(sample_store, tmp_path, headless):
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        paper = app.paper_list.current_paper
        await pilot.press("o")
        await settle(app, pilot)
        (toast,) = await _toasts_after(app, pilot)
        assert paper.page_url in toast and "No browser" in toast
        assert "Copied" not in toast and "OSC 52" in toast
        assert app.clipboard == paper.page_url


ARXIV = ParsedPaper(
    title="With an id",
    arxiv_id="2512.01234",
    published=date(2025, 12, 1),
    project_page="https://example.org/project",
)


async def test_p_opens_the_arxiv_pdf(store, tmp_path, monkeypatch):
    store.import_papers([ARXIV], source="t", captured_on=date(2025, 12, 2))
    opened = []
    monkeypatch.setattr("papershelf.tui.triage.open_in_browser", lambda u: opened.append(u) or 1)
    app = make_app(store, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("p", "P")
        await settle(app, pilot)
        assert opened == ["https://arxiv.org/pdf/2512.01234", "https://example.org/project"]


async def test_c_and_project_page_say_when_there_is_none(store, tmp_path, headless):
    store.import_papers(
        [ParsedPaper(title="No code", published=date(2025, 1, 2))],
        source="t",
        captured_on=date(2025, 1, 3),
    )
    app = make_app(store, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("c", "P", "p")
        await settle(app, pilot)
        assert await _toasts_after(app, pilot, 3) == [
            "This paper has no code link.",
            "This paper has no project page.",
            "This paper has no PDF (no arXiv id).",
        ]


async def test_y_is_honest_without_a_clipboard_tool(sample_store, tmp_path, headless):
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        paper = app.paper_list.current_paper
        await pilot.press("y")
        await settle(app, pilot)
        (toast,) = await _toasts_after(app, pilot)
        assert toast.startswith("Sent “") and "no clipboard tool found" in toast
        assert app.clipboard == f"{paper.title}\n{paper.page_url}"


def test_detail_links_are_osc8_hyperlinks(store):
    from papershelf.tui.widgets.detail import paper_text

    store.import_papers([ARXIV], source="t", captured_on=date(2025, 12, 2))
    paper = store.papers()[0]
    text = paper_text(paper)
    links_found = {span.style.link for span in text.spans if getattr(span.style, "link", None)}
    assert paper.page_url in links_found
    assert "https://arxiv.org/pdf/2512.01234" in links_found
    assert "https://example.org/project" in links_found
