"""The structured renderings: HF API JSON, a saved HTML page, papershelf's own export."""

from __future__ import annotations

import json
from datetime import date

import pytest

from papershelf.db.formats.common import extract_links, github_repo
from papershelf.db.models import Paper
from papershelf.db.parse import ParseError, detect_format, parse_bytes, parse_text
from tests.support.library import FIXTURES

PAGES = FIXTURES / "pages"
CAPTURED = date(2025, 12, 8)


def parse_page(name: str, **kwargs):
    return parse_bytes((PAGES / name).read_bytes(), source=name, captured_on=CAPTURED, **kwargs)


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("daily_papers_api.json", "json"),
        ("papers_search.json", "json"),
        ("paper_object.json", "json"),
        ("single_item.json", "json"),
        ("other_shape.json", "json"),
        ("truncated.json", "json"),
        ("export.json", "export"),
        ("daily_papers.html", "html"),
        ("other_site.html", "html"),
        ("cut_off.txt", "text"),
        ("organisation.txt", "text"),
    ],
)
def test_detect_format(name, fmt):
    assert detect_format((PAGES / name).read_text()) == fmt


def test_daily_papers_api_list():
    result = parse_page("daily_papers_api.json")
    assert result.format == "json"
    assert result.problems == ()
    flash, emo = result.papers
    assert flash.arxiv_id == "2311.01282"
    assert flash.title == "FlashDecoding++: Faster Large Language Model Inference on GPUs"
    assert flash.abstract == (
        "As the Large Language Model (LLM) becomes increasingly important in various domains. "
        "Code: [https://github.com/example/flashdecodingpp]."
    )
    assert flash.authors == ("Ke Hong", "Guohao Dai", "Jiaming Xu")
    assert flash.authors_count == 3
    assert flash.published == date(2023, 11, 2)
    assert flash.upvotes == 12
    assert flash.comments == 3
    assert flash.links == ("https://github.com/example/flashdecodingpp",)
    # No githubRepo in the API: a repository named in the abstract is a link, not its code.
    assert flash.github is None
    assert flash.organization is None
    assert flash.line == 2
    assert emo.arxiv_id == "2412.06674"
    assert emo.upvotes == 0
    assert emo.comments == 2
    assert emo.github == "https://github.com/zhangzjn/EMOv2"
    assert emo.organization == "Zhejiang University"
    assert emo.published == date(2024, 12, 9)
    assert emo.line > flash.line


def test_search_list_with_items_and_bare_papers():
    result = parse_page("papers_search.json")
    assert [(p.arxiv_id, p.comments) for p in result.papers] == [
        ("2311.01282", 1),
        ("2412.06674", 4),
    ]
    assert result.problems == ()


@pytest.mark.parametrize(
    ("name", "arxiv_id", "comments"),
    [("paper_object.json", "2412.06674", 0), ("single_item.json", "2311.01282", 3)],
)
def test_single_paper_or_item(name, arxiv_id, comments):
    (paper,) = parse_page(name).papers
    assert paper.arxiv_id == arxiv_id
    assert paper.comments == comments
    assert paper.line == 1


def test_wrapped_item_list_is_found():
    items = json.loads((PAGES / "daily_papers_api.json").read_text())
    result = parse_text(json.dumps({"dailyPapers": items}), source="w", captured_on=CAPTURED)
    assert [p.arxiv_id for p in result.papers] == ["2311.01282", "2412.06674"]


def test_items_without_a_title_are_problems():
    text = '[\n{"paper": {"id": "1", "title": "Kept"}},\n{"paper": {"id": "2"}},\n3\n]'
    result = parse_text(text, source="p.json", captured_on=CAPTURED)
    assert [p.title for p in result.papers] == ["Kept"]
    assert [(p.line, p.message) for p in result.problems] == [
        (3, "item 2 has no title; skipped"),
        (4, "item 3 is not an object; skipped"),
    ]


def test_json_strings_are_cleaned():
    text = json.dumps(
        {"id": "1", "title": "\u001b[31mRed\u001b[0m [bold]x[/]", "summary": "a\u00a0\tb\u200b"}
    )
    (paper,) = parse_text(text, source="j", captured_on=CAPTURED).papers
    assert paper.title == "Red [bold]x[/]"
    assert paper.abstract == "a b"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "other_shape.json",
            'other_shape.json is JSON but not a Hugging Face Daily Papers list (items with a "paper" '
            "object), a search result list, one item or one paper object.",
        ),
        ("truncated.json", "truncated.json is not valid JSON (cut off at line 44?)."),
        (
            "other_site.html",
            "other_site.html is an HTML page but not a Hugging Face Daily Papers page.",
        ),
    ],
)
def test_wrong_shapes_are_one_sentence_errors(name, message):
    with pytest.raises(ParseError) as error:
        parse_page(name)
    assert str(error.value) == message


def test_invalid_json_names_the_place():
    with pytest.raises(
        ParseError, match=r"^j is not valid JSON \(expecting value at line 2, column 1\)\.$"
    ):
        parse_text('[{"id": "1", "title": "x"},\n]', source="j", captured_on=CAPTURED)


def test_empty_json_list_is_no_papers():
    result = parse_text("[]", source="j", captured_on=CAPTURED)
    assert (result.papers, result.problems, result.format) == ((), (), "json")


def test_saved_html_page_reads_the_embedded_items():
    html = parse_page("daily_papers.html")
    api = parse_page("daily_papers_api.json")
    assert html.format == "html"
    assert html.problems == ()

    def strip(papers):
        return [
            p.__class__(**{**{n: getattr(p, n) for n in p.__slots__}, "line": 0}) for p in papers
        ]  # noqa: E731

    assert strip(html.papers) == strip(api.papers)
    assert html.papers[0].line == 6


def test_export_round_trip_shape():
    result = parse_page("export.json")
    assert result.format == "export"
    assert result.problems == ()
    flash, attention = result.papers
    assert flash.arxiv_id == "2311.01282"
    assert flash.authors == ("Ke Hong", "Guohao Dai")
    assert flash.authors_count == 9
    assert flash.published == date(2023, 11, 2)
    assert flash.upvotes is None
    assert flash.comments == 3
    assert flash.tags == ("inference", "llm")
    assert flash.read_at == "2025-12-09T10:00:00+00:00"
    assert flash.github == "https://github.com/example/flashdecodingpp"
    assert attention.title == "Attention [/] is all you [bold]need[/bold]"
    assert attention.arxiv_id is None
    assert attention.organization == "Example Lab"
    assert attention.read_at is None
    assert attention.published is None


def test_export_written_from_paper_to_json_parses_back():
    paper = Paper(
        id=7,
        arxiv_id="2401.00001",
        title="T",
        abstract="A https://x.org/a.",
        authors=("Ann",),
        authors_count=1,
        organization=None,
        published="2024-01-02",
        upvotes=3,
        comments=1,
        links=("https://x.org/a", "javascript:alert(1)"),
        tags=("b", "a"),
        read=True,
        read_at="2024-02-01T00:00:00+00:00",
        added_at="2024-01-05T00:00:00+00:00",
    )
    text = json.dumps([paper.to_json()], indent=2)
    assert detect_format(text) == "export"
    (parsed,) = parse_text(text, source="e", captured_on=CAPTURED).papers
    assert (parsed.arxiv_id, parsed.title, parsed.abstract, parsed.authors) == (
        "2401.00001",
        "T",
        "A https://x.org/a.",
        ("Ann",),
    )
    assert (parsed.published, parsed.upvotes, parsed.comments) == (date(2024, 1, 2), 3, 1)
    assert parsed.links == ("https://x.org/a",)  # only web links come back in
    assert parsed.tags == ("a", "b")
    assert parsed.read_at == "2024-02-01T00:00:00+00:00"


@pytest.mark.parametrize(
    ("fields", "state"),
    [
        (
            {
                "note": "one\n\x1b]52;c;ZXZpbA==\x07two  ",
                "snoozed_until": "2026-01-05",
                "dismissed_at": "2025-12-09T10:00:00+00:00",
            },
            ("one\ntwo", "2026-01-05", "2025-12-09T10:00:00+00:00"),
        ),
        ({"note": "  \u200b ", "snoozed_until": "soon", "dismissed_at": ""}, (None, None, None)),
        ({"note": 3, "snoozed_until": 20260105, "dismissed_at": None}, (None, None, None)),
        ({"snoozed_until": "2026-01-05T00:00:00Z"}, (None, "2026-01-05", None)),
    ],
)
def test_export_triage_state_is_read_back_clean(fields, state):
    entry = {"id": 1, "arxiv_id": None, "title": "T", "read_at": None, "added_at": "x", **fields}
    (parsed,) = parse_text(json.dumps([entry]), source="e", captured_on=CAPTURED).papers
    assert (parsed.note, parsed.snoozed_until, parsed.dismissed_at) == state


def test_export_with_a_long_first_entry_is_still_an_export():
    entry = {
        "id": 1,
        "arxiv_id": None,
        "title": "T",
        "abstract": "x " * 40000,
        "authors": ["A"] * 3000,
        "read_at": None,
        "added_at": "2024-01-05T00:00:00+00:00",
        "tags": ["t"],
    }
    text = json.dumps([entry])
    assert detect_format(text) == "export"
    assert parse_text(text, source="e", captured_on=CAPTURED).papers[0].tags == ("t",)


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("see [https://github.com/henry-pay/SpaRTAN].", ("https://github.com/henry-pay/SpaRTAN",)),
        ("(code: https://x.org/a).", ("https://x.org/a",)),
        (
            "https://en.wikipedia.org/wiki/Foo_(bar), ok",
            ("https://en.wikipedia.org/wiki/Foo_(bar)",),
        ),
        (
            "a https://x.org/a; b https://x.org/a: c http://y.io/p?q=1&r=2!",
            ("https://x.org/a", "http://y.io/p?q=1&r=2"),
        ),
        ("[one](https://a.io/1) <https://b.io/2>", ("https://a.io/1", "https://b.io/2")),
        ("no links, ftp://x.org, https://", ()),
    ],
)
def test_extract_links(text, links):
    assert extract_links(text) == links


@pytest.mark.parametrize(
    ("links", "repo"),
    [
        (("https://x.org", "https://github.com/a/b/tree/main/c"), "https://github.com/a/b"),
        (("https://github.com/a/b.git",), "https://github.com/a/b"),
        (("https://github.com/orgs/a/repositories", "https://github.com/a"), None),
        (("https://a.github.io/b",), None),
    ],
)
def test_github_repo(links, repo):
    assert github_repo(links) == repo


def test_a_saved_paper_page_embeds_one_item():
    import html
    import json

    item = {
        "paper": {
            "id": "2311.01282",
            "title": "FlashDecoding++",
            "summary": "An abstract.",
            "authors": [{"name": "Ke Hong"}],
            "upvotes": 12,
            "githubRepo": "https://github.com/example/flashdecodingpp",
            "ai_summary": "A summary.",
        },
        "numComments": 3,
    }
    page = (
        '<!doctype html><html><body>\n<div data-target="PaperPage" data-props="'
        + html.escape(json.dumps(item))
        + '"></div></body></html>'
    )
    result = parse_text(page, source="p.html", captured_on=date(2025, 12, 8))
    (paper,) = result.papers
    assert (result.format, paper.arxiv_id, paper.upvotes, paper.comments) == (
        "html",
        "2311.01282",
        12,
        3,
    )
    assert (paper.github, paper.ai_summary, paper.line) == (
        "https://github.com/example/flashdecodingpp",
        "A summary.",
        2,
    )


def test_api_items_saved_as_json_lines():
    import json

    items = json.loads((FIXTURES / "pages" / "daily_papers_api.json").read_text())
    text = "\n".join(json.dumps(item) for item in items) + "\n"
    result = parse_text(text, source="items.jsonl", captured_on=date(2025, 12, 8))
    assert (result.format, result.problems) == ("json", ())
    assert [(p.arxiv_id, p.line) for p in result.papers] == [
        (item["paper"]["id"], n) for n, item in enumerate(items, 1)
    ]


def _with_lone_surrogates(value):
    """Every string of a JSON value with a lone surrogate appended (`\\ud800` once encoded)."""
    if isinstance(value, str):
        return value + "\ud800"
    if isinstance(value, list):
        return [_with_lone_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {k: _with_lone_surrogates(v) for k, v in value.items()}
    return value


@pytest.mark.parametrize("name", ["daily_papers_api.json", "export.json"])
def test_lone_surrogates_in_json_become_replacement_characters(tmp_path, name):
    """`"\\ud800"` decodes to a string no UTF-8 can hold: every field must still be stored."""
    from papershelf.db.store import Store

    value = _with_lone_surrogates(json.loads((PAGES / name).read_text()))
    result = parse_text(json.dumps(value), source=name, captured_on=CAPTURED)
    assert result.papers
    with Store.open(tmp_path / "lib.db") as store:
        store.import_papers(result.papers, source=name, captured_on=CAPTURED)
        stored = store.papers()
    assert len(stored) == len(result.papers)
    assert all(p.title.endswith("\ufffd") for p in stored)
    text = json.dumps([p.to_json() for p in stored], ensure_ascii=False)
    assert not any("\ud800" <= ch <= "\udfff" for ch in text)
