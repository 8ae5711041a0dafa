"""The command line, driven like a person at a shell: real files, a real library in tmp_path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.library import SAMPLE, Cli, dump


def by_title(papers: list[dict], prefix: str) -> dict:
    (match,) = [p for p in papers if p["title"].startswith(prefix)]
    return match


# --- import ------------------------------------------------------------------------------------


def test_import_sample_reports_counts_and_format(cli: Cli):
    result = cli("import", str(SAMPLE), "--captured-on", "2025-12-08")
    assert result.exit_code == 0
    assert result.stdout.startswith("53 papers: 53 new, 0 updated, 0 unchanged")
    assert "text" in result.stdout
    assert result.stderr == ""


def test_import_sample_fields_match_the_page(library: Cli):
    papers = library.json("list", "--format", "json")
    assert len(papers) == 53
    flash = by_title(papers, "FlashDecoding++: Faster Large Language Model Inference on GPUs")
    assert flash["authors_count"] == 9
    assert flash["published"] == "2023-11-02"
    assert flash["comments"] == 3
    assert flash["upvotes"] is None
    assert flash["authors"] == []
    assert flash["tags"] == [] and flash["read"] is False and flash["read_at"] is None
    emo = by_title(papers, "EMOv2: Pushing 5M Vision Model Frontier")
    assert emo["published"] == "2024-12-09"
    assert emo["comments"] == 2
    frequency = by_title(papers, "Frequency Dynamic Convolution")
    assert (
        frequency["published"] == "2025-03-24"
    )  # yearless "Mar 24 2": most recent on or before Dec 8
    assert frequency["comments"] == 2
    spartan = by_title(papers, "SpaRTAN")
    assert "https://github.com/henry-pay/SpaRTAN" in spartan["links"]
    assert set(flash) == {
        "id",
        "arxiv_id",
        "title",
        "abstract",
        "authors",
        "authors_count",
        "organization",
        "published",
        "upvotes",
        "comments",
        "links",
        "tags",
        "read",
        "read_at",
        "added_at",
        "github",
        "github_stars",
        "project_page",
        "ai_summary",
        "ai_keywords",
        "daily_day",
        "submitter",
        "note",
        "snoozed_until",
        "dismissed_at",
    }


def test_reimport_is_unchanged(library: Cli):
    result = library("import", str(SAMPLE), "--captured-on", "2025-12-08")
    assert result.exit_code == 0
    assert result.stdout.startswith("53 papers: 0 new, 0 updated, 53 unchanged")


def test_import_json_report(cli: Cli):
    report = cli.json("import", str(SAMPLE), "--captured-on", "2025-12-08", "--json")
    assert report["new"] == 53 and report["updated"] == 0 and report["unchanged"] == 0
    assert report["problems"] == []


def test_import_from_stdin(cli: Cli):
    result = cli("import", "-", "--captured-on", "2025-12-08", input=SAMPLE.read_bytes())
    assert result.exit_code == 0
    assert result.stdout.startswith("53 papers: 53 new")


def test_dry_run_writes_nothing(cli: Cli):
    cli("list")  # creates the empty library
    before = dump(cli.db)
    result = cli("import", str(SAMPLE), "--dry-run", "--captured-on", "2025-12-08")
    assert result.exit_code == 0
    assert "53 new" in result.stdout
    assert dump(cli.db) == before


def cut_page(tmp_path: Path) -> Path:
    """The sample cut in the middle of its last entry's abstract."""
    text = SAMPLE.read_text(encoding="utf-8")
    cut = text.rindex("A-SDM: Accelerating Stable Diffusion")
    path = tmp_path / "cut.txt"
    path.write_text(text[: cut + 300], encoding="utf-8")
    return path


def test_cut_page_imports_complete_papers_and_reports_the_cut_entry(cli: Cli, tmp_path: Path):
    path = cut_page(tmp_path)
    result = cli("import", str(path), "--captured-on", "2025-12-08")
    assert result.exit_code == 0
    assert result.stdout.startswith("52 papers: 52 new")
    line = path.read_text().count("\n", 0, path.read_text().index("A-SDM")) + 1
    assert f"{path}:{line}:" in result.stderr
    assert "A-SDM" not in "".join(p["title"] for p in cli.json("list", "--format", "json"))


# --- bad input: one sentence, non-zero exit, library unchanged ---------------------------------


BAD_INPUTS = {
    "empty": (b"", "empty"),
    "whitespace": (b"  \n\n \t\n", "empty"),
    "binary": (bytes(range(256)) * 40, "binary"),
    "other json": (json.dumps({"name": "x", "items": [1, 2, 3]}).encode(), "JSON"),
    "other html": (
        b"<!doctype html><html><head><title>Weather</title></head><body><p>Sunny</p></body></html>",
        "HTML",
    ),
    "truncated json": (b'[{"paper": {"id": "2311.01282", "title": "Flash', "JSON"),
    "cut in the only entry": (
        SAMPLE.read_bytes()[: SAMPLE.read_bytes().index(b"  \xe2\x80\xa2 4 authors")],
        "no complete papers",
    ),
    "prose": (b"Dear diary,\n\ntoday I read nothing at all.\n", "Daily Papers"),
}


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_bad_input_is_one_sentence_and_changes_nothing(library: Cli, tmp_path: Path, name: str):
    data, words = BAD_INPUTS[name]
    path = tmp_path / "bad.input"
    path.write_bytes(data)
    before = dump(library.db)
    result = library("import", str(path), "--captured-on", "2025-12-08")
    assert result.exit_code == 1
    assert result.stdout == ""
    message = result.stderr.strip()
    assert words.lower() in message.lower()
    assert message.count("\n") == 0 and "Traceback" not in message
    assert "nothing was imported" in message
    assert dump(library.db) == before


def test_strict_refuses_a_cut_page(library: Cli, tmp_path: Path):
    before = dump(library.db)
    result = library("import", str(cut_page(tmp_path)), "--strict", "--captured-on", "2025-12-08")
    assert result.exit_code == 1
    assert "--strict" in result.stderr
    assert dump(library.db) == before


def test_one_bad_file_among_good_ones_imports_nothing(cli: Cli, tmp_path: Path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    result = cli("import", str(SAMPLE), str(bad))
    assert result.exit_code == 1
    assert dump(cli.db) == []


def test_missing_file(cli: Cli):
    result = cli("import", "/no/such/page.txt")
    assert result.exit_code == 1
    assert "does not exist" in result.stderr


# --- list, show ----------------------------------------------------------------------------------


def test_list_query_and_formats(library: Cli):
    ids = library("list", "flashdecoding", "--format", "ids").stdout.split()
    flash = library.json("show", ids[0], "--format", "json")
    assert flash["title"].startswith("FlashDecoding++")
    rows = library("list", "--format", "csv").stdout.splitlines()
    assert len(rows) == 54
    jsonl = library("list", "--format", "jsonl", "--limit", "5").stdout.splitlines()
    assert len(jsonl) == 5 and all(json.loads(line)["id"] for line in jsonl)
    table = library("list", "comments:>2").stdout
    assert "FlashDecoding++" in table and "Im2win" not in table


def test_list_sorts(library: Cli):
    papers = library.json("list", "--sort", "comments", "--format", "json")
    comments = [p["comments"] for p in papers]
    assert comments == sorted(comments, reverse=True)
    papers = library.json("list", "--sort", "title", "--format", "json")
    titles = [p["title"].casefold() for p in papers]
    assert titles == sorted(titles)


def test_bad_query_names_the_term(library: Cli):
    result = library("list", "upvotes:>lots")
    assert result.exit_code == 1
    assert "upvotes:>lots" in result.stderr
    assert "Traceback" not in result.stderr


def test_show_by_id_and_unknown(library: Cli):
    result = library("show", "1")
    assert result.exit_code == 0
    assert "Im2win" in result.stdout
    result = library("show", "9999")
    assert result.exit_code == 1
    assert "9999" in result.stderr


def test_show_gives_the_triage_state(library: Cli):
    assert "Note:" not in library("show", "1").stdout
    library("note", "1", "first line\nsecond line")
    library("snooze", "1", "--until", "2031-05-06")
    library("dismiss", "1")
    shown = library("show", "1").stdout
    assert "snoozed:   until 2031-05-06\n" in shown
    assert "\ndismissed: 20" in shown
    assert shown.endswith("\n\nNote:\nfirst line\nsecond line\n")


# --- tag, read, undo -----------------------------------------------------------------------------


def test_tag_add_list_remove_and_undo(library: Cli):
    assert library("tag", "add", "gpu", "1", "6").exit_code == 0
    assert library.json("show", "1", "--format", "json")["tags"] == ["gpu"]
    assert library.json("tag", "list", "--format", "json") == [
        {"name": "gpu", "papers": 2, "unread": 2}
    ]
    result = library("tag", "remove", "gpu", "1")
    assert result.exit_code == 0
    assert library.json("show", "1", "--format", "json")["tags"] == []
    result = library("undo")
    assert result.exit_code == 0 and "gpu" in result.stdout
    assert library.json("show", "1", "--format", "json")["tags"] == ["gpu"]


def test_tag_by_query_and_rename_merges(library: Cli):
    library("tag", "add", "vit", "--query", '"vision transformer"')
    tagged = library.json("list", "tag:vit", "--format", "json")
    assert tagged and all(
        "vision transformer" in (p["title"] + p["abstract"]).lower() for p in tagged
    )
    library("tag", "add", "vision", "1")
    assert library("tag", "rename", "vit", "vision").exit_code == 0
    names = [t["name"] for t in library.json("tag", "list", "--format", "json")]
    assert names == ["vision"]
    assert len(library.json("list", "tag:vision", "--format", "json")) == len(tagged) + 1


def test_tag_unknown_target_changes_nothing(library: Cli):
    before = dump(library.db)
    result = library("tag", "add", "x", "1", "424242")
    assert result.exit_code == 1
    assert "424242" in result.stderr
    assert dump(library.db) == before


@pytest.mark.parametrize(
    "args",
    [
        ("tag", "rename", "nope", "other"),
        ("tag", "remove", "nope", "1"),
        ("tag", "remove", "gpu,nope", "1"),
    ],
)
def test_naming_a_tag_that_does_not_exist_is_an_error(library: Cli, args):
    assert library("tag", "add", "gpu", "1").exit_code == 0
    before = dump(library.db)
    result = library(*args)
    assert result.exit_code == 1
    assert result.stderr.strip() == "papershelf: There is no tag nope."
    assert dump(library.db) == before


def test_removing_a_tag_a_paper_does_not_have_changes_nothing(library: Cli):
    assert library("tag", "add", "gpu", "1").exit_code == 0
    result = library("tag", "remove", "gpu", "2")
    assert result.exit_code == 0 and "Nothing to change" in result.stdout


def test_a_query_may_start_with_a_dash(library: Cli):
    assert library("tag", "add", "gpu", "1").exit_code == 0
    everything = library.json("list", "--format", "json")
    untagged = library.json("list", "-tag:gpu", "--format", "json")
    assert len(untagged) == len(everything) - 1
    assert library.json("list", "--format", "json", "--", "-tag:gpu") == untagged


def test_read_unread_undo(library: Cli):
    assert library("read", "1", "2", "3").exit_code == 0
    assert len(library.json("list", "is:read", "--format", "json")) == 3
    assert library("unread", "2").exit_code == 0
    assert sorted(p["id"] for p in library.json("list", "is:read", "--format", "json")) == [1, 3]
    library("undo")
    assert len(library.json("list", "is:read", "--format", "json")) == 3
    library("undo")
    assert library.json("list", "is:read", "--format", "json") == []


def test_undo_walks_back_to_before_the_import(library: Cli):
    library("read", "1")
    assert "read" in library("undo").stdout.lower()
    assert "import" in library("undo").stdout.lower()
    assert library.json("list", "--format", "json") == []
    result = library("undo")
    assert result.exit_code == 1 and "Nothing to undo" in result.stderr


# --- export and re-import ------------------------------------------------------------------------


def test_export_json_reimport_restores_tags_and_read_state(library: Cli, tmp_path: Path):
    library("tag", "add", "gpu,inference", "6")
    library("read", "6", "7")
    out = tmp_path / "shelf.json"
    assert library("export", "--format", "json", "--output", str(out)).exit_code == 0
    original = library.json("list", "--sort", "title", "--format", "json")

    fresh = Cli(tmp_path / "fresh.db")
    result = fresh("import", str(out))
    assert result.exit_code == 0 and result.stdout.startswith("53 papers: 53 new")
    restored = fresh.json("list", "--sort", "title", "--format", "json")
    keys = (
        "title",
        "abstract",
        "published",
        "comments",
        "upvotes",
        "authors_count",
        "links",
        "tags",
        "read",
        "read_at",
    )
    assert [{k: p[k] for k in keys} for p in restored] == [
        {k: p[k] for k in keys} for p in original
    ]


@pytest.mark.parametrize("fmt", ["csv", "markdown", "bibtex"])
def test_export_formats(library: Cli, fmt: str):
    library("tag", "add", "gpu", "6")
    library("read", "6")
    text = library("export", "tag:gpu", "--format", fmt).stdout
    assert "FlashDecoding++" in text
    if fmt == "markdown":
        assert "[x]" in text and "gpu" in text
    if fmt == "bibtex":
        assert text.lstrip().startswith("@misc{") and "2023" in text


def test_export_sorts_run_backwards_as_list_does(library: Cli):
    newest = [p["published"] for p in library.json("export", "--sort", "published")]
    oldest = [p["published"] for p in library.json("export", "--sort", "-published")]
    assert newest[0] > newest[-1] and oldest == newest[::-1]


def test_stats(library: Cli):
    library("read", "1")
    library("tag", "add", "gpu", "1", "2")
    out = library("stats").stdout
    assert "papers: 53" in out and "read: 1" in out and "unread: 52" in out
    assert "gpu" in out and "2023-11" in out


def test_backup_is_a_working_library(library: Cli, tmp_path: Path):
    dest = tmp_path / "backup.db"
    assert library("backup", str(dest)).exit_code == 0
    assert len(Cli(dest).json("list", "--format", "json")) == 53


def test_unreadable_library_is_one_sentence(tmp_path: Path):
    not_sqlite = tmp_path / "notes.db"
    not_sqlite.write_text("these are my notes\n" * 100)
    before = not_sqlite.read_bytes()
    result = Cli(not_sqlite)("list")
    assert result.exit_code == 1
    assert "not a SQLite database" in result.stderr
    assert not_sqlite.read_bytes() == before


def test_export_never_overwrites_the_library(library: Cli):
    before = library.db.read_bytes()
    result = library("export", "-o", str(library.db))
    assert result.exit_code == 1
    assert "library itself" in result.stderr
    assert library.db.read_bytes() == before


@pytest.mark.parametrize("name", ["", ",,", " "])
def test_tag_add_without_a_name_is_an_error(library: Cli, name: str):
    before = dump(library.db)
    result = library("tag", "add", name, "1")
    assert result.exit_code == 1
    assert "names no tag" in result.stderr
    assert dump(library.db) == before


def test_a_huge_number_in_a_query_is_one_sentence(library: Cli):
    result = library("list", "upvotes:>99999999999999999999999")
    assert result.exit_code == 1
    assert "too large" in result.stderr and "Traceback" not in result.stderr


def test_a_device_as_library_is_one_sentence(tmp_path: Path):
    result = Cli(Path("/dev/null"))("list")
    assert result.exit_code == 1
    assert result.stderr.startswith("papershelf: ") and result.stderr.count("\n") == 1


def test_every_command_is_listed_with_the_module_that_defines_it():
    import importlib

    from papershelf.tui.cli.base import COMMAND_MODULES, main

    for module in sorted(set(COMMAND_MODULES.values())):
        importlib.import_module(f"papershelf.tui.cli.{module}")
    defined = {
        name: cmd.callback.__module__.rsplit(".", 1)[1] for name, cmd in main.commands.items()
    }
    assert defined == COMMAND_MODULES


def test_version_and_help_load_no_command_module():
    import subprocess
    import sys

    code = (
        "import sys; from papershelf.tui.cli import main\n"
        "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('papershelf.tui.cli.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "['papershelf.tui.cli.base']"
