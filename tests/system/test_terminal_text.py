"""Hostile text: terminal escape sequences and markup-like text inside imported papers.

Colour codes, OSC 52 clipboard writes, OSC 0 title changes, OSC 8 hyperlinks, cursor movement and
8-bit C1 controls in titles, abstracts, authors and organisations are removed on import, so no
byte of them reaches the terminal from `list`, `show`, `export`, `tag list` or the app's screen.
Markup-like text (`[bold]`, `[/]`, `[https://github.com/x]`, `[@click=app.quit]`) is kept
verbatim everywhere. Links are opened only when they are http(s).
"""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from papershelf.db.models import ParsedPaper
from papershelf.db.parse import FORMATS, parse_bytes, parse_text
from papershelf.db.store import Store
from tests.support.app import wait_until
from tests.support.processes import HEADER, SAMPLE, run

CAPTURED = date(2025, 12, 8)

# Each is removed whole, payload included: nothing of "pwned", the base64 clipboard payloads or
# the hyperlink target may survive.
ESCAPES = {
    "colour": "\x1b[31;1m",
    "reset": "\x1b[0m",
    "OSC 52 clipboard (BEL)": "\x1b]52;c;cm0gLXJmIH4=\x07",
    "OSC 52 clipboard (ST)": "\x1b]52;c;ZXZpbA==\x1b\\",
    "OSC 0 title": "\x1b]0;pwned title\x07",
    "OSC 8 hyperlink open": "\x1b]8;;https://evil.example/pwned\x1b\\",
    "OSC 8 hyperlink close": "\x1b]8;;\x1b\\",
    "clear screen + home": "\x1b[2J\x1b[H",
    "cursor up/position": "\x1b[10A\x1b[5;5H",
    "save/restore cursor": "\x1b7\x1b8",
    "DCS": "\x1bP1$rpwned\x1b\\",
    "8-bit CSI": "\x9b31m",
    "8-bit OSC title": "\x9d0;pwned c1 title\x07",
    "C1 NEL / RI / DCS bytes": "\x85\x8d\x90",
    "BEL / backspace / DEL": "\x07\x08\x7f",
}
ALL = "".join(ESCAPES.values())
MARKUP = (
    "[bold]Not bold[/bold]",
    "[/]",
    "[https://github.com/x]",
    "[link=https://evil.example]x[/link]",
    "[@click=app.quit]quit[/]",
    "[red on white]",
)
SECRETS = ("pwned", "cm0gLXJm", "ZXZpbA", "evil.example/pwned")

TITLES = (
    f"{ESCAPES['colour']}Red{ESCAPES['reset']} titles {ESCAPES['OSC 0 title']}and [bold]Not bold[/bold] [/]",
    f"Clipboard{ESCAPES['OSC 52 clipboard (BEL)']} writer{ESCAPES['OSC 52 clipboard (ST)']} and [@click=app.quit]quit[/]",
    f"Cursor{ESCAPES['clear screen + home']} mover{ESCAPES['cursor up/position']}{ESCAPES['save/restore cursor']} [red on white]",
    f"C1{ESCAPES['8-bit CSI']} controls{ESCAPES['8-bit OSC title']} here{ESCAPES['C1 NEL / RI / DCS bytes']}{ESCAPES['DCS']}",
)
SHOWN_TITLES = (
    "Red titles and [bold]Not bold[/bold] [/]",
    "Clipboard writer and [@click=app.quit]quit[/]",
    "Cursor mover [red on white]",
    "C1 controls here",
)
ABSTRACT = (
    f"We {ALL}hide escapes. Code at [https://github.com/x] "
    f"{ESCAPES['OSC 8 hyperlink open']}click{ESCAPES['OSC 8 hyperlink close']} and "
    "[link=https://evil.example]x[/link] stay as text."
)


def hostile_plain_page() -> str:
    out = [HEADER]
    for i, title in enumerate(TITLES):
        author = (
            f"  • {i + 2} authors"
            if i % 2 == 0
            else f"  • Evil{ESCAPES['colour']} Org{ESCAPES['OSC 0 title']}"
        )
        out.append(f"{title}\n\n{ABSTRACT}\n\n{author}\n·\nNov {i + 1}, 2025 {i}\n\n")
    return "".join(out)


def hostile_json_page() -> str:
    items = [
        {
            "paper": {
                "id": f"2512.0000{i}",
                "title": title,
                "summary": ABSTRACT,
                "authors": [{"name": f"Ada{ESCAPES['OSC 52 clipboard (BEL)']} [Lovelace]"}],
                "organization": {"fullname": f"Org{ESCAPES['8-bit OSC title']}"},
                "publishedAt": "2025-11-02T00:00:00.000Z",
                "upvotes": 3,
                "githubRepo": f"https://github.com/a/b{ESCAPES['colour']}",
            },
            "numComments": 1,
        }
        for i, title in enumerate(TITLES)
    ]
    return json.dumps(items)  # json escapes ESC as \u001b: the decoded strings carry it


_C1_OR_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def assert_terminal_safe(output: bytes | str, where: str, *, payloads: bool = True) -> str:
    """No control byte/character but tab and newline, no payload, no JSON-escaped ESC."""
    text = output.decode("utf-8") if isinstance(output, bytes) else output
    bad = _C1_OR_CONTROL.findall(text)
    assert not bad, f"{where}: control characters {bad!r} reach the terminal"
    assert "\\u001b" not in text.lower() and "\\u009" not in text.lower(), (
        f"{where}: escapes stored"
    )
    for secret in SECRETS if payloads else ():
        assert secret not in text, f"{where}: the payload {secret!r} survived"
    return text


@pytest.fixture(scope="module", params=["text", "json"])
def hostile_library(request, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp(f"hostile-{request.param}")
    page = folder / ("page.txt" if request.param == "text" else "page.json")
    page.write_text(
        hostile_plain_page() if request.param == "text" else hostile_json_page(), encoding="utf-8"
    )
    db = folder / "papers.db"
    done = run(db, "import", str(page), "--captured-on", "2025-12-08")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"4 papers: 4 new"), (done.stdout, done.stderr)
    assert_terminal_safe(done.stdout + done.stderr, "import report")
    return db


OUTPUTS = {
    "list table": ("list",),
    "list json": ("list", "--format", "json"),
    "list jsonl": ("list", "--format", "jsonl"),
    "list csv": ("list", "--format", "csv"),
    "list query": ("list", "controls"),
    "show 1 text": ("show", "1"),
    "show 2 text": ("show", "2"),
    "show 3 text": ("show", "3"),
    "show 4 text": ("show", "4"),
    "show 4 json": ("show", "4", "--format", "json"),
    "export json": ("export", "--format", "json"),
    "export csv": ("export", "--format", "csv"),
    "export markdown": ("export", "--format", "markdown"),
    "export bibtex": ("export", "--format", "bibtex"),
    "stats": ("stats",),
}


@pytest.mark.parametrize("output", OUTPUTS)
def test_no_escape_reaches_the_terminal_from_the_cli(hostile_library: Path, output: str):
    done = run(hostile_library, *OUTPUTS[output])
    assert done.returncode == 0, done.stderr
    assert_terminal_safe(done.stdout, output)
    assert_terminal_safe(done.stderr, output)


def test_markup_like_text_is_stored_and_shown_verbatim(hostile_library: Path):
    papers = json.loads(
        run(hostile_library, "list", "--format", "json", "--sort", "published").stdout
    )
    titles = sorted(p["title"] for p in papers)
    assert titles == sorted(SHOWN_TITLES)
    for paper in papers:
        assert "[https://github.com/x]" in paper["abstract"]
        assert "[link=https://evil.example]x[/link]" in paper["abstract"]
        assert "https://github.com/x" in paper["links"]
    for target in ("1", "2", "3", "4"):
        shown = run(hostile_library, "show", target).stdout.decode()
        assert "[link=https://evil.example]x[/link] stay as text." in shown
    table = run(hostile_library, "list").stdout.decode()
    for markup in ("[bold]Not bold[/bold] [/]", "[@click=app.quit]quit[/]", "[red on white]"):
        assert markup in table


def test_tag_names_lose_escapes(tmp_path: Path):
    db = tmp_path / "papers.db"
    assert run(db, "import", str(SAMPLE), "--captured-on", "2025-12-08").returncode == 0
    done = run(db, "tag", "add", f"{ESCAPES['colour']}red{ESCAPES['OSC 0 title']}", "1")
    assert done.returncode == 0, done.stderr
    assert_terminal_safe(done.stdout, "tag add")
    listed = run(db, "tag", "list", "--format", "json")
    assert [t["name"] for t in json.loads(listed.stdout)] == ["red"]
    assert_terminal_safe(run(db, "tag", "list").stdout, "tag list")


def test_escapes_in_an_older_library_are_stripped_by_list_and_show(tmp_path: Path):
    """Defence in depth: rows written before the import cleaning existed still print safely."""
    db = tmp_path / "papers.db"
    assert run(db, "import", str(SAMPLE), "--captured-on", "2025-12-08").returncode == 0
    conn = sqlite3.connect(db)
    conn.execute("UPDATE papers SET title = ?, abstract = ? WHERE id = 1", (TITLES[0], ABSTRACT))
    conn.commit()
    conn.close()
    # Only the control characters are guarded here (the payload text may remain, inert).
    assert_terminal_safe(run(db, "list").stdout, "list table (old row)", payloads=False)
    assert_terminal_safe(run(db, "show", "1").stdout, "show (old row)", payloads=False)


# --- the parser, every format ------------------------------------------------------------------


def test_every_format_strips_escapes_and_keeps_only_web_links():
    for page in (hostile_plain_page(), hostile_json_page()):
        result = parse_bytes(page.encode(), source="h", captured_on=CAPTURED)
        assert len(result.papers) == 4
        for paper in result.papers:
            values = [
                paper.title,
                paper.abstract,
                paper.organization or "",
                paper.github or "",
                *paper.authors,
                *paper.links,
            ]
            assert_terminal_safe("\n".join(values), f"{result.format} parse")
            assert all(u.startswith(("http://", "https://")) for u in paper.links)
            assert paper.github is None or paper.github.startswith(("http://", "https://"))


@pytest.mark.parametrize(
    "github",
    [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "httpx://x.org/a",
        "http:evil",
        "data:text/html,<script>",
    ],
)
def test_json_and_export_never_keep_a_non_web_code_link(github: str):
    api = [{"paper": {"id": "2512.00001", "title": "T", "summary": "S", "githubRepo": github}}]
    exported = [
        {
            "id": 1,
            "arxiv_id": "2512.00001",
            "title": "T",
            "abstract": "S",
            "github": github,
            "links": [github, "https://ok.org/a"],
            "tags": [],
            "read": False,
            "read_at": None,
            "added_at": "2025-12-08T00:00:00+00:00",
        }
    ]
    for page, fmt in ((api, "json"), (exported, "export")):
        result = parse_text(json.dumps(page), source="p", captured_on=CAPTURED, format=fmt)
        paper = result.papers[0]
        assert paper.github is None, f"{fmt} kept the code link {paper.github!r}"
        assert all(u.startswith(("http://", "https://")) for u in paper.links), paper.links


def test_formats_registry_is_what_we_tested():
    assert {"text", "json", "export"} <= set(FORMATS)


# --- the app ---------------------------------------------------------------------------------------


def _screen(app) -> str:
    """Every character the app's compositor would send (toasts and dialogs included)."""
    return "\n".join(
        "".join(segment.text for segment in strip)
        for strip in app.screen._compositor.render_strips()  # noqa: SLF001
    )


async def _settle(app, pilot) -> None:
    for _ in range(4):
        await app.workers.wait_for_complete()
        await pilot.pause()


@pytest.fixture
def app_store(tmp_path: Path):
    """A library holding the hostile plain page and JSON page, imported as the CLI would."""
    with Store.open(tmp_path / "papers.db") as store:
        for page in (hostile_plain_page(), hostile_json_page()):
            result = parse_bytes(page.encode(), source="h", captured_on=CAPTURED)
            store.import_papers(
                result.papers, source="h", captured_on=CAPTURED, format=result.format
            )
        yield store


async def test_app_screen_has_no_escapes_and_shows_markup_verbatim(
    app_store: Store, tmp_path: Path
):
    from papershelf.tui.app import PapershelfApp
    from papershelf.tui.widgets.paper_list import PaperList

    app = PapershelfApp(app_store, settings_path=tmp_path / "settings.json")
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        await _settle(app, pilot)
        text = assert_terminal_safe(_screen(app), "app list")
        for title in SHOWN_TITLES:
            assert title in text, title
        plist = app.query_one(PaperList)
        for paper_id in list(plist.ids):
            plist.move_to(paper_id)
            await _settle(app, pilot)
            text = assert_terminal_safe(_screen(app), f"app detail of paper {paper_id}")
            assert "[link=https://evil.example]x[/link]" in text
        await pilot.press("y")  # copy: a toast with the title
        await _settle(app, pilot)
        assert_terminal_safe(_screen(app), "toast")
        assert_terminal_safe(app.clipboard, "clipboard")
        assert app.return_code is None  # `[@click=app.quit]` did not quit


async def test_app_opens_only_web_links(tmp_path: Path, monkeypatch):
    from papershelf.tui.app import PapershelfApp
    from papershelf.tui.widgets.paper_list import PaperList

    opened: list[str] = []
    monkeypatch.setattr(
        "papershelf.tui.triage.open_in_browser", lambda url: opened.append(url) or True
    )
    with Store.open(tmp_path / "papers.db") as store:
        # Straight into the store, as an older or hand-edited library could hold them.
        store.import_papers(
            [
                ParsedPaper(
                    title="Dangerous links",
                    abstract="x",
                    github="javascript:alert(1)",
                    links=("file:///etc/passwd", "javascript:alert(2)"),
                    published=date(2025, 12, 1),
                ),
                ParsedPaper(
                    title="Only a file link",
                    abstract="y",
                    links=("file:///etc/shadow",),
                    published=date(2025, 11, 1),
                ),
            ],
            source="t",
            captured_on=CAPTURED,
        )
        app = PapershelfApp(store, settings_path=tmp_path / "settings.json")
        async with app.run_test(size=(120, 35), notifications=True) as pilot:
            await _settle(app, pilot)
            plist = app.query_one(PaperList)
            for paper_id in list(plist.ids):
                plist.move_to(paper_id)
                await _settle(app, pilot)
                await pilot.press("c")  # open code: must not run for a non-web link
                app.action_open_code()  # even when called directly (palette, a future key)
                await pilot.press("o")  # open the paper page: always an https URL
                await _settle(app, pilot)
            await wait_until(pilot, lambda: opened, "the paper page opened")
    assert opened, "the paper page was never opened"
    assert all(url.startswith(("https://", "http://")) for url in opened), opened


@pytest.mark.parametrize(
    "query",
    [
        f'"{ESCAPES["OSC 0 title"]} x',  # an unclosed quote: the message quotes the term
        f"upvotes:>{ESCAPES['clear screen + home']}",
        f"year:{ESCAPES['OSC 52 clipboard (BEL)']}",
        f'"{ESCAPES["8-bit OSC title"]}\nnext line',
    ],
)
def test_a_bad_query_error_echoes_no_escapes(tmp_path: Path, query: str):
    """A query pasted from elsewhere may carry escapes; the error naming its term must not."""
    db = tmp_path / "papers.db"
    assert run(db, "import", str(SAMPLE), "--captured-on", "2025-12-08").returncode == 0
    done = run(db, "list", query)
    assert done.returncode in (0, 1)
    text = assert_terminal_safe(done.stderr, f"error for {query!r}", payloads=False)
    assert text.count("\n") <= 1  # one sentence, one line
