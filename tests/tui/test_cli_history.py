"""The command line's undo/redo, and queries that would select every paper by accident."""

from __future__ import annotations

import pytest

from tests.support.library import Cli, dump


def test_redo_replays_what_undo_reversed(library: Cli):
    library("read", "1", "2")
    marked = dump(library.db)
    assert library("undo").stdout.startswith("Undid: Marked 2 papers read")
    assert library("redo").stdout.startswith("Redid: Marked 2 papers read")
    assert [line for line in dump(library.db) if "journal" not in line] == [
        line for line in marked if "journal" not in line
    ]
    result = library("redo")
    assert result.exit_code == 1 and "Nothing to redo" in result.stderr


def test_undo_then_a_new_change_ends_the_redo_stack(library: Cli):
    library("read", "1")
    library("undo")
    library("tag", "add", "x", "2")
    result = library("redo")
    assert result.exit_code == 1 and "Nothing to redo" in result.stderr


def test_reimporting_the_same_page_is_no_undo_step(library: Cli, sample):
    again = library("import", str(sample), "--captured-on", "2025-12-08")
    assert again.exit_code == 0 and "0 new, 0 updated" in again.stdout
    assert "Import of" in library("undo").stdout
    assert library.json("list", "--format", "json") == []
    result = library("undo")
    assert result.exit_code == 1 and "Nothing to undo" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("read", "--query", ""),
        ("unread", "--query", "  "),
        ("tag", "add", "x", "--query", ""),
        ("tag", "remove", "x", "-q", ""),
    ],
)
def test_an_empty_query_is_refused_and_names_all(library: Cli, args):
    library("tag", "add", "x", "1")
    before = dump(library.db)
    result = library(*args)
    assert result.exit_code == 1
    assert "--all" in result.stderr and result.stderr.count("\n") == 1
    assert dump(library.db) == before


def test_all_selects_every_paper(library: Cli):
    assert library("read", "--all").stdout.startswith("Marked 53 papers read")
    assert library("unread", "--all").stdout.startswith("Marked 53 papers unread")
    assert library("tag", "add", "x", "--all").stdout.startswith("Tagged 53 papers")
    assert library("tag", "remove", "x", "--all").stdout.startswith("Removed x from 53 papers")


def test_all_with_ids_or_a_query_is_refused(library: Cli):
    for args in (("read", "--all", "1"), ("read", "--all", "--query", "gemm")):
        result = library(*args)
        assert result.exit_code == 1 and "not several" in result.stderr
