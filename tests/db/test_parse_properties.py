"""Property tests: the parser survives any text and never reports papers the text does not hold."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from papershelf.db.models import ParsedPaper
from papershelf.db.parse import ParseError, parse_bytes, parse_text
from papershelf.db.text import clean_line

# Hundreds of generated examples a test: the full suite runs them, the quick loop does not.
pytestmark = pytest.mark.slow

CAPTURED = date(2025, 12, 8)

# Pieces of the plain copy's grammar, so generated text often looks like a page and exercises
# the entry reader, not just the "does not look like a page" exit.
_PIECES = st.sampled_from(
    [
        "",
        "·",
        "  • 3 authors",
        "  • 1 authors",
        "NVIDIA",
        "Dec 8",
        "Mar 24 2",
        "Nov 2, 2023 3",
        "Feb 30",
        "Jun 31, 2023",
        "Daily Papers",
        "byAK and the research community",
        "new",
        "A title [bold]x[/]",
        "An abstract. https://github.com/a/b].",
        "\x1b]0;t",
        "\u200b·",
        "\r",
        "[",
        "{",
    ]
)
_TEXT = st.lists(st.one_of(_PIECES, st.text(max_size=40)), max_size=40).map("\n".join)


def _dot_lines(text: str) -> int:
    """How many lines are a lone `·` once cleaned: each paper the plain copy emits owns one."""
    return sum(
        1
        for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        if clean_line(line) == "·"
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT, st.dates(min_value=date(1, 1, 1)))
def test_parse_text_raises_only_parse_error(text, captured_on):
    try:
        result = parse_text(text, source="h", captured_on=captured_on)
    except ParseError as error:
        assert str(error).count("\n") == 0
        return
    for paper in result.papers:
        assert paper.title and paper.title == clean_line(paper.title)
        assert "\x1b" not in paper.title + paper.abstract
        assert paper.line >= 1
    if result.format == "text":
        assert len(result.papers) <= _dot_lines(text)
        assert all(p.published is not None for p in result.papers)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_parse_bytes_raises_only_parse_error(data):
    try:
        parse_bytes(data, source="b", captured_on=CAPTURED)
    except ParseError:
        pass


_TITLE = (
    st.text(
        st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Cf")), min_size=1, max_size=80
    )
    .map(clean_line)
    .filter(
        lambda t: (
            t
            and t != "·"
            and not t.startswith(("•", "*", "-"))
            and t.lower() not in {"new", "subscribe", "daily papers"}
        )
    )
)
_PAPER = st.builds(
    ParsedPaper,
    title=_TITLE,
    abstract=st.sampled_from(
        ["An abstract.", "Code at [https://github.com/a/b].", "Two (x).\nLines https://x.org/a."]
    ),
    authors_count=st.integers(1, 500),
    published=st.dates(min_value=date(2000, 1, 1), max_value=CAPTURED),
    comments=st.integers(0, 99),
)


def _render(papers: list[ParsedPaper]) -> str:
    """The sample's format: header, then title / abstract / author line / `·` / date [count]."""
    out = ["new", "", "Daily Papers", "", "byAK and the research community", "", "Dec 8", ""]
    for paper in papers:
        day = f"{paper.published:%b} {paper.published.day}, {paper.published.year}"
        count = f" {paper.comments}" if paper.comments else ""
        out += [
            paper.title,
            "",
            paper.abstract,
            "",
            f"  • {paper.authors_count} authors",
            "·",
            day + count,
            "",
        ]
    return "\n".join(out)


@settings(max_examples=100, deadline=None)
@given(st.lists(_PAPER, max_size=8))
def test_rendered_papers_parse_back(papers):
    result = parse_text(_render(papers), source="r", captured_on=CAPTURED)
    assert result.problems == ()
    got = [(p.title, p.authors_count, p.published, p.comments) for p in result.papers]
    assert got == [(p.title, p.authors_count, p.published, p.comments) for p in papers]
    assert [p.abstract for p in result.papers] == [" ".join(p.abstract.split()) for p in papers]
