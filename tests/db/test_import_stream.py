"""A page read and merged a block at a time: `parse.parse_stream` returns what `parse_bytes`
does, and `Store.import_batches` leaves the library as one `import_papers` of the same papers,
wherever the input is cut."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from papershelf.db import importer, journal
from papershelf.db.models import ParsedPaper
from papershelf.db.parse import NotUTF8, ParseError, parse_bytes, parse_stream, streams
from papershelf.db.store import Store
from tests.support.library import FIXTURES, SAMPLE, dump

DAY = date(2025, 12, 8)
PAGES = FIXTURES / "pages"


def _chunks(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


def _streamed(data: bytes, size: int) -> tuple[tuple[object, ...], tuple[object, ...]]:
    papers: list[object] = []
    problems: list[object] = []
    for result in parse_stream(_chunks(data, size), source="page", captured_on=DAY):
        papers.extend(result.papers)
        problems.extend(result.problems)
    return tuple(papers), tuple(problems)


def _lines_changed(data: bytes) -> list[bytes]:
    """The sample with its shape broken in the ways clipboards break it."""
    lines = data.split(b"\n")
    return [
        b"\n".join(lines[:40] + lines[41:]),  # a lost line
        b"\n".join(lines[:60] + ["·".encode()] + lines[60:]),  # a stray separator
        b"\n".join(lines[:80] + [b"Dec 3"] + lines[80:]),  # a stray date
        b"\r\n".join(lines),  # Windows line ends
        b"\n".join(lines[:-30]),  # cut off mid-entry
        b"\n".join(lines[12:]),  # starts mid-page, no header
        b"\n".join(line + b"\r" for line in lines[:100]),  # old Mac line ends
    ]


PAGES_TO_STREAM = [
    SAMPLE.read_bytes(),
    (PAGES / "cut_off.txt").read_bytes(),
    (PAGES / "organisation.txt").read_bytes(),
    *_lines_changed(SAMPLE.read_bytes()),
]


@pytest.mark.parametrize("page", range(len(PAGES_TO_STREAM)))
@pytest.mark.parametrize("size", [1, 97, 4096, 10**9])
def test_a_streamed_page_reads_as_the_whole_page(page, size):
    data = PAGES_TO_STREAM[page]
    assert streams(data[:65536])
    whole = parse_bytes(data, source="page", captured_on=DAY)
    assert _streamed(data, size) == (whole.papers, whole.problems)


def test_a_page_that_is_not_a_daily_papers_page_fails_at_its_end():
    data = b"just some notes\n" * 1000
    with pytest.raises(ParseError, match="does not look like"):
        _streamed(data, 1000)


@pytest.mark.parametrize(
    "name", ["daily_papers.html", "daily_papers_api.json", "export.json", "single_item.json"]
)
def test_only_plain_copies_stream(name):
    assert not streams((PAGES / name).read_bytes()[:65536])


def test_marked_binary_and_blank_pages_do_not_stream():
    data = SAMPLE.read_bytes()
    assert not streams(b"\xef\xbb\xbf" + data)
    assert not streams(b"\x00\x01\x02" * 100)
    assert not streams(b" \n" * 100)
    assert streams(data, format="text")
    assert not streams(data, format="json")


def test_a_block_that_is_not_utf8_stops_the_stream():
    data = SAMPLE.read_bytes() + "\nCafé".encode("cp1252")
    with pytest.raises(NotUTF8):
        _streamed(data, 4096)


# -- merging in batches --------------------------------------------------------------------------


def pp(title: str, **fields) -> ParsedPaper:
    return ParsedPaper(title=title, **fields)


LIBRARY = [
    pp("Known With Id", arxiv_id="2401.00001", upvotes=3),
    pp("Known Without Id", abstract="", upvotes=1),
    pp("Known Twice", comments=2),
]
# Duplicates within and across batches, an arXiv id filled in on a known paper, a known
# paper whose abstract gets filled, new papers seen twice with different numbers, tags.
INPUT = [
    pp("New One", arxiv_id="2401.00010", upvotes=1),
    pp("known without id", arxiv_id="2401.00002", abstract="Now with an abstract.", upvotes=5),
    pp("New Two", upvotes=2, tags=("llm",)),
    pp("Known With Id", arxiv_id="2401.00001", upvotes=9),
    pp("New One", arxiv_id="2401.00010", upvotes=4, abstract="Filled later."),
    pp("New Two", upvotes=7, tags=("vision",)),
    pp("Known Twice", comments=5, tags=("llm",)),
    pp("New Three", arxiv_id="2401.00011"),
    pp("Known Twice", comments=6),
    pp("New Three Again", arxiv_id="2401.00011", abstract="Same id, other title."),
]


def _rows(db: Path) -> list[str]:
    """The library's rows, without the migrations' own clock times."""
    return [line for line in dump(db) if "_sqlite_migrations" not in line]


def _library(path: Path, monkeypatch) -> Store:
    monkeypatch.setattr(importer, "utc_now", lambda: "2025-12-08T09:00:00+00:00")
    monkeypatch.setattr(journal, "utc_now", lambda: "2025-12-08T09:00:00+00:00")
    store = Store.open(path)
    store.import_papers(LIBRARY, source="old", captured_on=DAY)
    return store


@pytest.mark.parametrize("size", [1, 2, 3, 7])
def test_batches_merge_as_one_list(tmp_path, monkeypatch, size):
    with _library(tmp_path / "whole.db", monkeypatch) as store:
        whole = store.import_papers(INPUT, source="page", captured_on=DAY)
    batches = [INPUT[i : i + size] for i in range(0, len(INPUT), size)]
    with _library(tmp_path / "cut.db", monkeypatch) as store:
        cut = store.import_batches(batches, source="page", captured_on=DAY)
    assert (cut.new, cut.updated, cut.unchanged) == (3, 3, 0)
    assert cut == whole
    assert _rows(tmp_path / "cut.db") == _rows(tmp_path / "whole.db")
    with Store.open(tmp_path / "cut.db") as store:
        store.undo()
    with Store.open(tmp_path / "whole.db") as store:
        store.undo()
    assert _rows(tmp_path / "cut.db") == _rows(tmp_path / "whole.db")


def test_an_error_between_batches_leaves_the_library_as_it_was(tmp_path, monkeypatch):
    store = _library(tmp_path / "papers.db", monkeypatch)
    before = dump(tmp_path / "papers.db")

    def batches():
        yield INPUT[:4]
        raise ParseError("page is cut off.")

    with store, pytest.raises(ParseError):
        store.import_batches(batches(), source="page", captured_on=DAY)
    assert dump(tmp_path / "papers.db") == before
