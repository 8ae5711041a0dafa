"""Export formats: JSON round trip, CSV, the Markdown reading list, BibTeX keys and escaping."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import date

import pytest

from papershelf.db.export import EXPORT_FORMATS, bib_keys, export, markdown_escape
from papershelf.db.models import Paper, ParsedPaper
from papershelf.db.store import Store

DAY = date(2025, 12, 8)


def paper(id: int, title: str, **fields) -> Paper:
    base = dict(
        id=id,
        arxiv_id=None,
        title=title,
        abstract="",
        authors=(),
        authors_count=None,
        organization=None,
        published=None,
        upvotes=None,
        comments=None,
        links=(),
        tags=(),
        read=False,
        read_at=None,
        added_at="2025-12-08T09:30:00+00:00",
    )
    return Paper(**{**base, **fields})


FLASH = paper(
    1,
    "FlashDecoding++: Faster Large Language Model Inference on GPUs",
    arxiv_id="2311.01282",
    authors=("Ke Hong", "Guohao Dai"),
    authors_count=9,
    published="2023-11-02",
    comments=3,
    tags=("llm", "inference"),
    read=True,
    read_at="2025-12-09T10:00:00+00:00",
)
NASTY = paper(
    2,
    "Attention [/] is *all* you_need {really} & 100% $cheap$ #1 \\o/ ~x^2",
    organization="Acme & Co",
    published="2024-12-09",
    links=("https://github.com/a/b",),
)


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_every_format_renders_empty_and_nasty(fmt):
    assert isinstance(export([], fmt), str)
    assert export([FLASH, NASTY], fmt).endswith("\n")


def test_unknown_format():
    with pytest.raises(ValueError, match="Unknown export format 'xml'"):
        export([FLASH], "xml")


def test_json_is_list_of_paper_objects():
    data = json.loads(export([FLASH, NASTY], "json"))
    assert data == [FLASH.to_json(), NASTY.to_json()]


def test_csv_joins_lists():
    rows = list(csv.DictReader(io.StringIO(export([FLASH, NASTY], "csv"))))
    assert rows[0]["authors"] == "Ke Hong; Guohao Dai"
    assert rows[0]["tags"] == "inference; llm"
    assert rows[0]["read"] == "true"
    assert rows[1]["title"] == NASTY.title
    assert rows[1]["upvotes"] == ""


def test_csv_header_without_papers():
    assert export([], "csv").startswith("id,arxiv_id,title,")


def test_markdown_reading_list_line():
    assert export([FLASH], "markdown") == (
        "- [x] [FlashDecoding++: Faster Large Language Model Inference on GPUs]"
        "(https://huggingface.co/papers/2311.01282) — 2023-11-02 · 9 authors · tags: inference, llm\n"
    )


def test_markdown_escapes_title_and_marks_unread():
    line = export([NASTY], "markdown")
    assert line.startswith("- [ ] [Attention \\[/\\] is \\*all\\* you\\_need")
    assert "Acme & Co" in line
    assert "[code](https://github.com/a/b)" in line


@pytest.mark.parametrize("text", ["a]b", "[x](y)", "*_`", "\\", "<b>|~"])
def test_markdown_escape_leaves_no_bare_syntax(text):
    escaped = markdown_escape(text)
    assert all(escaped[i - 1] == "\\" for i, c in enumerate(escaped) if c in "[]*_`<>|~" and i)


def test_bibtex_entry():
    assert export([FLASH], "bibtex") == (
        "@misc{hong2023flashdecoding,\n"
        "  title = {{FlashDecoding++: Faster Large Language Model Inference on GPUs}},\n"
        "  author = {Ke Hong and Guohao Dai},\n"
        "  year = {2023},\n"
        "  eprint = {2311.01282},\n"
        "  archivePrefix = {arXiv},\n"
        "  url = {https://arxiv.org/abs/2311.01282},\n"
        "  keywords = {inference, llm}\n"
        "}\n"
    )


def test_bibtex_escapes_special_characters():
    entry = export([NASTY], "bibtex")
    assert (
        r"\{really\} \& 100\% \$cheap\$ \#1 \textbackslash{}o/ \textasciitilde{}x\textasciicircum{}2"
        in entry
    )
    assert "you\\_need" in entry
    assert entry.count("{") - entry.count("\\{") == entry.count("}") - entry.count("\\}")
    assert "author = {{Acme \\& Co}}" in entry


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"authors": ("José Ñúñez",), "published": "2024-01-01"}, "nunez2024attention"),
        ({"authors": ("Martin Luther King Jr.",)}, "kingndattention"),
        ({"authors": ("Vaswani, Ashish",), "published": "2017-06-12"}, "vaswani2017attention"),
        ({}, "anonndattention"),
    ],
)
def test_bibtex_base_keys(fields, key):
    assert bib_keys([paper(1, "The Attention Mechanism", **fields)]) == [key]


def test_bibtex_keys_unique_and_independent_of_order():
    papers = [
        paper(
            i,
            "On Attention",
            authors=("A Smith",),
            published="2023-05-01",
            arxiv_id=f"2305.0000{i}",
        )
        for i in range(1, 4)
    ] + [paper(9, "Attention Again", authors=("B Smith",), published="2023-01-01")]
    keys = dict(zip((p.id for p in papers), bib_keys(papers)))
    reversed_keys = dict(zip((p.id for p in reversed(papers)), bib_keys(papers[::-1])))
    assert keys == reversed_keys
    assert len(set(keys.values())) == 4
    assert [keys[i] for i in (1, 2, 3)] == [
        "smith2023attentiona",
        "smith2023attentionb",
        "smith2023attentionc",
    ]


def test_bibtex_suffix_never_collides_with_a_base_key():
    papers = [
        paper(1, "X", authors=("A Smith",), published="2023-01-01", arxiv_id="1"),
        paper(2, "X", authors=("A Smith",), published="2023-01-01", arxiv_id="2"),
        paper(3, "Xa", authors=("A Smith",), published="2023-01-01"),
    ]
    assert len(set(bib_keys(papers))) == 3


def _library(tmp_path, name):
    return Store.open(tmp_path / name)


def test_json_export_reimports_state_into_empty_library(tmp_path):
    parse = pytest.importorskip("papershelf.db.parse")
    with _library(tmp_path, "a.db") as a:
        a.import_papers(
            [
                ParsedPaper(
                    "FlashDecoding++",
                    arxiv_id="2311.01282",
                    authors=("Ke Hong",),
                    authors_count=9,
                    published=date(2023, 11, 2),
                    comments=3,
                    links=("https://github.com/x/y",),
                ),
                ParsedPaper(
                    "EMOv2: Pushing 5M Vision Model Frontier",
                    organization="Tencent",
                    published=date(2024, 12, 9),
                    comments=2,
                    upvotes=4,
                ),
            ],
            source="page",
            captured_on=DAY,
        )
        a.add_tags([1, 2], ["rl/offline"])
        a.add_tags([2], ["vision"])
        a.set_read([2], True)
        a.set_note(1, "Re-read §3.\nThe kernel trick is in the appendix.")
        a.snooze([1], date(2026, 1, 5))
        a.dismiss([2])
        original = a.papers()
    assert original[0].note and original[0].snoozed_until and original[1].dismissed_at
    text = export(original, "json")
    result = parse.parse_text(text, source="export.json", captured_on=DAY, format="export")
    with _library(tmp_path, "b.db") as b:
        b.import_papers(result.papers, source="export.json", captured_on=DAY, format="export")
        restored = b.papers()
    strip = lambda p: replace(p, id=0, added_at="", github=None).to_json()  # noqa: E731
    assert [strip(p) for p in restored] == [strip(p) for p in original]
