"""Feeds: RSS and Atom through feedparser, JSON Feed as plain JSON (hand-made fixtures).

The real RSS captures are read in tests/db/test_captures.py; these cover the other shapes a
generator may write: Atom, ids only in a PDF link or a tag URI, one `author` listing every
name, labelled HTML in a JSON Feed, and an entry without a title.
"""

from __future__ import annotations

from datetime import date

import pytest

from papershelf.db.parse import ParseError, detect_format, parse_bytes, parse_text
from tests.support.library import FIXTURES

FEEDS = FIXTURES / "feeds"
FLASH = "FlashDecoding++: Faster Large Language Model Inference on GPUs"
EMO = "EMOv2: Pushing 5M Vision Model Frontier"


def read(name: str):
    return parse_bytes((FEEDS / name).read_bytes(), source=name, captured_on=date(2025, 12, 8))


def test_atom_feed():
    result = read("atom.xml")
    assert result.format == "feed"
    flash, emo = result.papers
    assert (flash.arxiv_id, flash.title, flash.published, flash.line) == (
        "2311.01282",
        FLASH,
        date(2023, 11, 2),
        7,
    )
    assert flash.authors == ("Ke Hong", "Guohao Dai", "Jiaming Xu") and flash.authors_count == 3
    assert flash.ai_summary == "FlashDecoding++ speeds up LLM inference."
    assert flash.abstract == (
        "As the Large Language Model (LLM) becomes increasingly important in various domains. "
        "Code: here."
    )
    # The repository is the target of the summary's link.
    assert flash.github == "https://github.com/example/flashdecodingpp"
    assert (flash.upvotes, flash.comments) == (None, None)
    assert (emo.arxiv_id, emo.title, emo.published, emo.authors, emo.ai_summary) == (
        "2412.06674",
        EMO,
        date(2024, 12, 9),
        (),
        None,
    )
    (problem,) = result.problems
    assert (problem.line, problem.message) == (23, "item 3 has no title; skipped")


def test_json_feed():
    result = read("feed.json")
    assert (result.format, result.problems) == ("json-feed", ())
    flash, emo = result.papers
    assert (flash.arxiv_id, flash.title, flash.upvotes, flash.published, flash.line) == (
        "2311.01282",
        FLASH,
        12,
        date(2023, 11, 2),
        7,
    )
    assert flash.authors == ("Ke Hong", "Guohao Dai", "Jiaming Xu")
    assert flash.abstract == (
        "As the Large Language Model (LLM) becomes increasingly important in various domains."
    )
    assert flash.ai_summary == "FlashDecoding++ speeds up LLM inference on GPUs."
    assert (emo.arxiv_id, emo.authors, emo.published) == (
        "2412.06674",
        ("Jiangning Zhang", "Teng Hu"),
        date(2024, 12, 9),
    )
    assert (
        emo.abstract
        == "This work focuses on developing parameter-efficient and lightweight models."
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>',
            "without items",
        ),
        (
            '<rss version="2.0"><channel><item><title>Cats</title>'
            "<link>https://example.org/cats</link></item></channel></rss>",
            "not Hugging Face papers",
        ),
        ('{"version": "https://jsonfeed.org/version/1", "title": "x"}', "without an item list"),
    ],
)
def test_feeds_of_something_else_are_one_sentence_errors(text, message):
    with pytest.raises(ParseError, match=message):
        parse_text(text, source="f", captured_on=date(2025, 12, 8))


def test_feeds_are_detected_before_html_and_api_json():
    assert detect_format((FEEDS / "atom.xml").read_text()) == "feed"
    assert detect_format((FEEDS / "feed.json").read_text()) == "json-feed"


@pytest.mark.parametrize(
    ("name", "cut_inside"),
    [
        ("06_rss-scraped_markert-hfpapers.xml", "<description>"),
        ("06_rss-scraped_markert-hfpapers.xml", "<link>"),
        ("08_rss-feedgen_huangboming-daily.xml", "<title>"),
        ("08_rss-feedgen_huangboming-daily.xml", "</description>"),
    ],
)
def test_a_feed_cut_off_inside_an_item_keeps_only_the_items_before(name, cut_inside):
    """The item the file ends in is reported and skipped, never stored half-read."""
    text = (FIXTURES / "captures" / name).read_text(encoding="utf-8")
    third = [i for i in range(len(text)) if text.startswith("<item", i)][2]
    cut = text.index(cut_inside, third) + len(cut_inside) + 3
    whole = parse_text(text, source=name, captured_on=date(2026, 9, 1))
    result = parse_text(text[:cut], source=name, captured_on=date(2026, 9, 1))
    assert result.papers == whole.papers[:2]
    assert [p.message for p in result.problems] == [
        "item 3 is cut off (the file ends in it); skipped"
    ]
