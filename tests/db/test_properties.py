"""Property tests (hypothesis): the parser and the query language against any input.

- The parser, in every format (detected or forced), raises nothing but ParseError (one sentence)
  on arbitrary text or bytes, and never reports more papers than the text holds.
- Papers rendered in the sample's plain-copy format parse back to the same papers.
- Any query string either runs or raises QueryError (one sentence), never another exception,
  returns only ids of the library, and cannot reach SQL: the library is byte-for-byte the same
  after thousands of hostile queries, and quoted SQL finds nothing instead of everything.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from papershelf.db.models import ParsedPaper
from papershelf.db.parse import FORMATS, ParseError, parse_bytes, parse_text
from papershelf.db.query import SORTS, QueryError, Searcher, highlight_spans, parse_query
from papershelf.db.store import Store
from papershelf.db.text import clean_line
from tests.support.processes import SAMPLE, dump

# Hundreds of generated examples a test: the full suite runs them, the quick loop does not.
pytestmark = pytest.mark.slow

CAPTURED = date(2025, 12, 8)  # the sample's capture day; its header `Dec 8` is this day
_CHECKS = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]


def fast(n: int) -> settings:
    return settings(max_examples=n, deadline=None, suppress_health_check=_CHECKS)


# --- the parser --------------------------------------------------------------------------------

_PAGE_PIECES = st.sampled_from(
    [
        "",
        "·",
        " · ",
        "  • 3 authors",
        "• 1 authors",
        "NVIDIA",
        "Dec 8",
        "Mar 24 2",
        "Nov 2, 2023 3",
        "Feb 29",
        "Feb 30, 2023",
        "Daily Papers",
        "byAK and the research community",
        "new",
        "Subscribe",
        "A title [bold]x[/]",
        "Abstract https://github.com/a/b].",
        "\x1b]0;t\x07",
        "\u200b·\u00a0",
        "\r",
        "[",
        "{",
        '{"paper": {"title": "T"}}',
        '[{"title": "x", "summary": "y"}]',
        "# [Title](https://huggingface.co/papers/2401.00001)",
        "Published on Jan 3, 2024",
        "Upvote 12",
        "[1]: https://huggingface.co/papers/2401.00001",
        '<div data-target="DailyPapers" data-props="{&quot;dailyPapers&quot;:[]}"></div>',
    ]
)
PAGE_TEXT = st.lists(st.one_of(_PAGE_PIECES, st.text(max_size=30)), max_size=40).map("\n".join)


def _lines(text: str) -> int:
    return sum(
        1 for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if clean_line(line)
    )


def _dot_lines(text: str) -> int:
    return sum(
        1
        for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        if clean_line(line) == "·"
    )


@fast(400)
@given(PAGE_TEXT, st.sampled_from([None, *FORMATS]))
def test_parser_raises_only_parse_error_and_never_invents(text: str, fmt: str | None):
    try:
        result = parse_text(text, source="p", captured_on=CAPTURED, format=fmt)
    except ParseError as error:
        assert str(error) and "\n" not in str(error)
        return
    assert len(result.papers) <= _lines(text)
    if result.format == "text":
        assert len(result.papers) <= _dot_lines(text)
    for paper in result.papers:
        assert paper.title and paper.title == clean_line(paper.title)
        assert all(u.startswith(("http://", "https://")) for u in paper.links)
    for problem in result.problems:
        assert "\n" not in problem.message


_KEYS = st.sampled_from(
    [
        "paper",
        "title",
        "summary",
        "id",
        "authors",
        "name",
        "upvotes",
        "numComments",
        "publishedAt",
        "githubRepo",
        "organization",
        "dailyPapers",
        "papers",
        "tags",
        "read",
        "read_at",
        "added_at",
        "arxiv_id",
        "links",
        "abstract",
    ]
)
_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 10**12)
    | st.floats(allow_nan=False)
    | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=5),
    max_leaves=25,
)


def _titled(value) -> int:
    """How many JSON objects carry a `title` key: no JSON format may yield more papers."""
    if isinstance(value, dict):
        return ("title" in value) + sum(_titled(v) for v in value.values())
    if isinstance(value, list):
        return sum(_titled(v) for v in value)
    return 0


@fast(300)
@given(_JSON, st.sampled_from([None, "json", "export"]))
def test_json_of_any_shape_raises_only_parse_error(value, fmt):
    text = json.dumps(value)
    try:
        result = parse_text(text, source="j", captured_on=CAPTURED, format=fmt)
    except ParseError as error:
        assert "\n" not in str(error)
        return
    assert len(result.papers) <= _titled(value)


@fast(200)
@given(st.binary(max_size=400))
def test_any_bytes_raise_only_parse_error(data: bytes):
    try:
        parse_bytes(data, source="b", captured_on=CAPTURED)
    except ParseError as error:
        assert "\n" not in str(error)


# Round trip: papers -> the sample's format -> parser -> the same papers.

_WORDS = [
    "Flash",
    "Decoding++",
    "LLM",
    "GPU",
    "[bold]",
    "[/]",
    "(x)",
    "模型",
    "🚀",
    "Ünïcode",
    "a",
    "of",
    "Attention",
    "is",
    "all",
    "you",
    "need",
    "v2",
    "3D",
    "RL",
    "#1",
    "100%",
    "C++",
    "x86-64",
    "café",
]
_TITLE = (
    st.lists(st.sampled_from(_WORDS), min_size=2, max_size=12)
    .map(" ".join)
    .filter(
        lambda t: (
            not t.startswith(("•", "*", "-", "#"))
            and t.lower() not in {"new", "subscribe", "daily papers"}
        )
    )
)
_SENTENCE = st.lists(
    st.sampled_from(_WORDS + ["we", "show", "results", "on", "benchmarks."]),
    min_size=3,
    max_size=30,
).map(" ".join)
_LINK = st.sampled_from(
    [
        "",
        " Code: [https://github.com/henry-pay/SpaRTAN].",
        " See https://x.org/a_(b), and https://github.com/o/r.",
    ]
)
_ORG = st.sampled_from([None, "NVIDIA", "Hugging Face", "Salesforce AI Research"])


@st.composite
def _papers(draw) -> ParsedPaper:
    org = draw(_ORG)
    published = draw(st.dates(min_value=date(2015, 1, 1), max_value=CAPTURED))
    return ParsedPaper(
        title=draw(_TITLE),
        abstract=draw(_SENTENCE) + draw(_LINK),
        authors_count=None if org else draw(st.integers(1, 3000)),
        organization=org,
        published=published,
        comments=draw(st.integers(0, 999)),
    )


def render(papers: list[ParsedPaper]) -> str:
    """The sample's plain copy: header, then title / abstract / author line / `·` / date [count].

    Dates in the page's own year are written without the year, as HF does.
    """
    out = [
        "new",
        "",
        "Get trending papers in your email inbox!",
        "",
        "Subscribe",
        "",
        "Daily Papers",
        "",
        "byAK and the research community",
        "",
        "Dec 8",
        "",
    ]
    for p in papers:
        day = f"{p.published:%b} {p.published.day}"
        if p.published.year != CAPTURED.year:
            day += f", {p.published.year}"
        author = f"  • {p.organization}" if p.organization else f"  • {p.authors_count} authors"
        out += [
            p.title,
            "",
            p.abstract,
            "",
            author,
            "·",
            day + (f" {p.comments}" if p.comments else ""),
            "",
        ]
    return "\n".join(out)


@fast(150)
@given(st.lists(_papers(), max_size=10, unique_by=lambda p: p.title))
def test_rendered_papers_parse_back_the_same(papers):
    result = parse_text(render(papers), source="r", captured_on=CAPTURED)
    assert result.problems == ()
    assert len(result.papers) == len(papers)
    for got, want in zip(result.papers, papers):
        assert got.title == want.title
        assert got.abstract == want.abstract
        assert (got.authors_count, got.organization) == (want.authors_count, want.organization)
        assert got.published == want.published
        assert got.comments == want.comments
        assert got.upvotes is None  # the plain copy never shows upvotes


# --- the query language ----------------------------------------------------------------------

_QUERY_PIECES = st.sampled_from(
    [
        "flash",
        "'gpu",
        '"large language',
        '"',
        "'",
        "^flash",
        "gpus$",
        "!quant",
        "-tag:x",
        "!tag:x",
        "tag:",
        "tag:gpu",
        "tag:rl/",
        "is:read",
        "is:unread",
        "is:",
        "has:code",
        "has:tags",
        "no:tags",
        "year:2024",
        "year:>=2023",
        "year:>",
        "upvotes:>10",
        "comments:>0",
        "authors:<5",
        "authors:<<5",
        "after:2024-01-01",
        "before:2024-13-45",
        "after:",
        "title:x",
        "abstract:",
        "org:nvidia",
        "id:2306.12345",
        "id:",
        "|",
        "||",
        "| flash",
        "flash |",
        "(",
        ")",
        "*",
        "NEAR(a b)",
        "a AND b",
        "OR",
        "NOT",
        "title:*",
        "x:y:z",
        "upvotes:>1e400",
        "year:99999999999999999999",
        "\\",
        "%",
        "_",
        "'; DROP TABLE papers; --",
        '" OR 1=1 --',
        "') OR ('1'='1",
        "tag:x' OR '1'='1",
        "/* */",
        "\x00",
        "\x1b[31m",
        "[bold]",
        "模型",
        "🚀",
        "",
        " ",
        "\t",
    ]
)
QUERY = st.lists(st.one_of(_QUERY_PIECES, st.text(max_size=12)), max_size=8).map(" ".join)


@pytest.fixture(scope="module")
def searched(tmp_path_factory):
    """A library (sample + tags + read marks), a Searcher over it, and its dump after indexing."""
    db: Path = tmp_path_factory.mktemp("query") / "papers.db"
    store = Store.open(db)
    result = parse_bytes(SAMPLE.read_bytes(), source=SAMPLE.name, captured_on=CAPTURED)
    store.import_papers(result.papers, source=SAMPLE.name, captured_on=CAPTURED)
    store.add_tags([1, 2, 3], ["gpu", "rl/offline"])
    store.set_read([2, 4], True)
    searcher = Searcher(store)
    searcher.search("flash")  # the first search indexes the import; the baseline is after it
    ids = {p.id for p in store.papers()}
    yield store, searcher, ids, db, dump(db)
    store.close()


def _run(searcher: Searcher, text: str, sort: str, limit: int | None):
    try:
        return searcher.search(text, sort=sort, limit=limit)
    except QueryError as error:
        assert str(error) and "\n" not in str(error).strip()
        return None


@fast(600)
@given(QUERY, st.sampled_from(SORTS), st.sampled_from([None, 1, 5]))
def test_any_query_runs_or_is_a_query_error(searched, text: str, sort: str, limit):
    _store, searcher, ids, _db, _before = searched
    found = _run(searcher, text, sort, limit)
    if found is None:
        return
    assert len(found.ids) == len(set(found.ids))
    assert set(found.ids) <= ids
    assert found.total >= len(found.ids)
    if limit is not None:
        assert len(found.ids) <= limit
    query = parse_query(text)  # ran, so it parses; highlighting any title must not fail either
    for title in (
        "FlashDecoding++: Faster Large Language Model Inference on GPUs",
        "",
        "模型 [bold]",
    ):
        for start, end in highlight_spans(query, title):
            assert 0 <= start < end <= len(title)


@pytest.mark.parametrize(
    "text",
    [
        "'; DROP TABLE papers; --",
        '"\'; DROP TABLE papers; --"',
        "\"x' OR '1'='1\"",
        "'x' OR 1=1 --",
        "tag:x' OR '1'='1",
        'title:") OR 1=1 --',
        "id:' OR ''='",
        '"NEAR(flash decoding)"',
        '"flash*"',
    ],
)
def test_sql_in_a_query_is_text_not_sql(searched, text: str):
    store, searcher, _ids, db, before = searched
    found = _run(searcher, text, "relevance", None)
    # None of these strings occurs in any paper: as text they match nothing; as SQL they would
    # have matched everything (OR 1=1, LIKE wildcards) or failed.
    assert found is None or found.total == 0, (text, found.total)
    assert dump(db) == before
    assert store.count() == 53


@pytest.mark.parametrize(
    "needle", ["%", "_", "%%", "'", "\\", "1=1", "';", "%' OR '", "[/]", "*", "gpu%"]
)
def test_exact_phrase_is_a_literal_substring_not_a_pattern(searched, needle: str):
    """`"x"` finds exactly the papers whose title, abstract or organisation contain x, so SQL
    LIKE/GLOB wildcards and quotes in x are plain characters."""
    store, searcher, _ids, _db, _before = searched
    found = _run(searcher, f'"{needle}"', "published", None)
    assert found is not None
    expected = {
        p.id
        for p in store.papers()
        if needle.casefold() in f"{p.title}\n{p.abstract}\n{p.organization or ''}".casefold()
    }
    assert set(found.ids) == expected


def test_queries_never_changed_the_library(searched):
    """Runs last in this module: hundreds of random queries later, the file holds the same rows."""
    store, searcher, _ids, db, before = searched
    for text in ("'; DELETE FROM papers; --", "tag:gpu", "flash | quant", "upvotes:>1"):
        _run(searcher, text, "relevance", None)
    assert dump(db) == before
    assert [t.name for t in store.tag_counts()] == ["gpu", "rl/offline"]
