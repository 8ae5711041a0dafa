"""The parser's fast paths give exactly what the slow, obviously-right code gives.

`clean_line` skips its regex substitutions for lines with nothing to clean, `is_blank` decides
from the first visible character, and each format's `detect` pre-checks with a literal before
its multi-line patterns. These tests pin each shortcut to the reference it replaces.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import papershelf.db.parse as parse_module
from papershelf.db.formats import common, htmlpage, lines, plain, textbrowser, trending
from papershelf.db.parse import detect_format, parse_bytes
from papershelf.db.sample import sample_path
from papershelf.db.text import (
    _HSPACE,
    clean_line,
    clean_lines,
    is_blank,
    normalize_newlines,
    strip_controls,
)
from tests.support.library import FIXTURES

# The generated comparisons run hundreds of examples: the full suite runs them, the quick
# loop (-m "not slow") does not.
FAST = settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))

# Characters around every boundary the cleaners care about: controls, escape introducers,
# odd spaces, format characters, line/paragraph separators, and ordinary text.
_TRICKY = (
    " \t\n\r\x0b\x0c\x1b\x1c\x1f\x7f\x85\x9b\x9c\x9d\xa0\u1680\u2000\u200a\u200b\u200f"
    "\u2028\u2029\u202a\u202e\u202f\u205f\u2060\u2064\u2066\u2069\u3000\ufeff[]]m;07\\·•aZ é"
)
texts = st.text(alphabet=st.sampled_from(_TRICKY), max_size=40) | st.text(max_size=40)


def _reference_clean_line(text: str) -> str:
    text = re.sub("[\r\v\f\x1c-\x1e\x85\u2028\u2029]", " ", text)  # breaks separate words
    return _HSPACE.sub(" ", strip_controls(text).replace("\n", " ")).strip()


def _reference_is_blank(text: str) -> bool:
    visible = strip_controls(text)
    return not visible or visible.isspace()


@pytest.mark.slow
@FAST
@given(texts)
def test_clean_line_matches_the_full_cleaning(text):
    assert clean_line(text) == _reference_clean_line(text)


@pytest.mark.slow
@FAST
@given(texts)
def test_is_blank_matches_stripping_everything(text):
    assert is_blank(text) == _reference_is_blank(text)


def test_fast_path_lines():
    assert clean_line("Real title\rFAKE\u2028x\x0cy") == "Real title FAKE x y"
    # A zero-width no-break space (a BOM inside text) goes; a lone surrogate becomes U+FFFD.
    assert clean_line("a\ufeffb\ud800c") == "ab\ufffdc"
    assert clean_line("  • 9 authors ") == "• 9 authors"
    assert clean_line("·") == "·"
    assert clean_line("a  b\u00a0c") == "a b c"
    assert clean_line("x\x1b[31my\u200bz") == "xyz"
    assert is_blank(" \n\x1b[31m\u200b\t") and not is_blank("\n \u00e9")
    assert is_blank("\x1b]0;title") and not is_blank("\x1b[0mDaily Papers")


# ---------------------------------------------------------------- detection pre-checks

_FIXTURES = FIXTURES
_INPUTS = sorted(p for p in _FIXTURES.rglob("*") if p.is_file())


def _reference_textbrowser(text: str) -> int:
    tb = textbrowser
    if lines.NOT_TEXT.match(text) or tb._MD_LINK_TO_PAPER.search(text):
        return 0
    if tb._REF_TO_PAPER.search(text):
        return 70
    if len(tb._URL_LINE_TO_PAPER.findall(text)) >= 2:
        return 65
    markers = len(tb._REF_LINK.findall(text)) + len(tb._LYNX_LINE.findall(text))
    return 55 if markers >= 3 and tb._CARD_LINE.search(text) else 0


def _reference_trending(text: str) -> int:
    if lines.NOT_TEXT.match(text):
        return 0
    if trending._TRENDING_HEADING.search(text[: trending._HEAD]) and trending._CARD_LINE.search(
        text
    ):
        return 85
    found = {m.group(0).lstrip(" [").split()[0].lower() for m in trending._MARKERS.finditer(text)}
    return 85 if "published" in found and ({"upvote", "submitted"} & found) else 0


def _reference_html(text: str) -> int:
    for marker in re.finditer(r"data-target\s*=\s*(?:\"|'|&quot;)?DailyPapers\b", text, re.I):
        if re.search(r"<[^<>]*\Z", text[: marker.start()]):  # inside a tag
            return 90
    head = text.lstrip()[:2000]
    return 60 if head.startswith("<") and htmlpage._HTML_START.search(head) else 0


def _variants(text: str) -> list[str]:
    lynx = "\n".join(f"  [{n}]link {n}" for n in range(4))
    return [
        text,
        "x" * 70_000 + "\n" + text,  # the telling part far from the start
        text + "\n" + lynx + "\n  • 3 authors\n",
        text.replace("Published on", "published on"),
        text.replace("data-target", "DATA-Target"),
        re.sub(r"\[(\d+)\]", r"[\1] ", text),
    ]


@pytest.mark.parametrize("path", _INPUTS, ids=lambda p: p.name)
def test_detect_pre_checks_change_no_score(path):
    for text in _variants(normalize_newlines(path.read_text(errors="replace"))):
        assert textbrowser.detect(text) == _reference_textbrowser(text)
        assert trending.detect(text) == _reference_trending(text)
        assert htmlpage.detect(text) == _reference_html(text)


@pytest.mark.slow
@FAST
@given(st.lists(texts, max_size=6))
def test_clean_lines_is_clean_line_of_each(lines):
    assert clean_lines(lines) == [clean_line(line) for line in lines]


_URLISH = "hHtTpPsSſK:/.ab-_ ()[]{}<>\"'\n"
urlish = st.text(alphabet=st.sampled_from(_URLISH), max_size=60) | st.lists(
    st.sampled_from(
        ["http://", "HTTPS://", "httpſ://", "ftp://", "://", "a.b", "/x", ")", " ", "h"]
    ),
    max_size=12,
).map("".join)


@pytest.mark.slow
@settings(max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck))
@given(urlish)
def test_url_scan_finds_what_finditer_finds(text):
    assert [m.span() for m in common._urls(text)] == [m.span() for m in common._URL.finditer(text)]


# ---------------------------------------------------------------- big pages read as lines


_PLAIN_PAGES = [
    p for p in _INPUTS if p.suffix == ".txt" and detect_format(p.read_text()) == "text"
] + [sample_path()]


@pytest.mark.parametrize("block", [1, 7, 64, 1 << 20])
@pytest.mark.parametrize("path", _PLAIN_PAGES, ids=lambda p: p.name)
def test_big_plain_page_read_in_blocks_parses_the_same(path, block, monkeypatch):
    text = path.read_text()
    variants = [
        text,
        text.replace("\n", "\r\n"),
        text.replace("\n", "\r"),
        text + "\n\n",
        text.rstrip("\n"),
    ]
    for variant in variants:
        data = variant.encode()
        whole = parse_bytes(data, source="p", captured_on=date(2025, 12, 8))
        monkeypatch.setattr(parse_module, "_BIG", 0)
        monkeypatch.setattr(parse_module, "_BLOCK", block)
        in_blocks = parse_bytes(data, source="p", captured_on=date(2025, 12, 8))
        monkeypatch.undo()
        assert in_blocks == whole
        assert list(parse_module._utf8_lines(data)) == normalize_newlines(variant).split("\n")


def test_parsing_leaves_the_collector_as_it_found_it():
    import gc

    assert gc.isenabled()
    parse_bytes(b"Daily Papers\n\nDec 8\n", source="p", captured_on=date(2025, 12, 8))
    assert gc.isenabled()
    with pytest.raises(ValueError):
        parse_bytes(b"\x1b[0m  \n", source="p", captured_on=date(2025, 12, 8))
    assert gc.isenabled()
    gc.disable()
    try:
        parse_bytes(b"Daily Papers\n\nDec 8\n", source="p", captured_on=date(2025, 12, 8))
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.slow
@FAST
@given(st.lists(st.text(alphabet=_TRICKY, max_size=12), max_size=8))
def test_a_streamed_block_cleans_as_clean_lines(raw_lines):
    # A streamed block whose bytes hold no control but LF skips isprintable for ASCII lines.
    data = "\n".join(raw_lines).encode() + b"\n"
    block = parse_module._block_lines(data, "page")
    assert plain._cleaned(block) == clean_lines(list(block))


def test_a_streamed_block_is_ascii_printable_only_without_controls():
    assert isinstance(
        parse_module._block_lines("a\n  • 3 authors\n·\n".encode(), "p"), plain.AsciiPrintable
    )
    for control in ("\x1b[31m", "\t", "\x7f", "\r"):
        block = parse_module._block_lines(f"a{control}b\n".encode(), "p")
        assert not isinstance(block, plain.AsciiPrintable)
        assert plain._cleaned(block) == clean_lines(list(block))
