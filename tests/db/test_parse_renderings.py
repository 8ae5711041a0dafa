"""Markdown clips, text-browser dumps, URL-on-own-line exports and the trending page.

Every fixture in tests/fixtures/renderings/ is hand-made in the shape of the real rendering,
reusing the bundled sample's papers plus one title full of markdown-like characters. Each goes
through `db.parse.parse_text` with no format given, so detection is tested too.
"""

from __future__ import annotations

from datetime import date

import pytest

from papershelf.db.formats import htmlpage, markdown, textbrowser, trending
from papershelf.db.parse import detect_format, parse_text
from papershelf.db.sample import sample_bytes
from tests.support.library import FIXTURES

RENDERINGS = FIXTURES / "renderings"
CAPTURED = date(2025, 12, 8)

MASK = "[MASK] or `mma`? *Sparse* Tensor_Core GEMM & the O(n^2) Wall"
FLASH = "FlashDecoding++: Faster Large Language Model Inference on GPUs"
FDCONV = "Frequency Dynamic Convolution for Dense Image Prediction"
EMO = "EMOv2: Pushing 5M Vision Model Frontier"
NEIGHBOR = (
    "Faster Neighborhood Attention: Reducing the O(n^2) Cost of Self Attention "
    "at the Threadblock Level"
)
GEMS = (
    "Discovering the Gems in Early Layers: Accelerating Long-Context LLMs with 1000x "
    "Input Token Reduction"
)
LSNET = "LSNet: See Large, Focus Small"
DEIM = "DEIM: DETR with Improved Matching for Fast Convergence"
SPARTAN = "SpaRTAN: Spatial Reinforcement Token-based Aggregation Network for Visual Recognition"
TPE = (
    "Exploring the Performance Improvement of Tensor Processing Engines through "
    "Transformation in the Bit-weight Dimension of MACs"
)
MATRYOSHKA = "Matryoshka Multimodal Models"
GH = "https://github.com/"
SPARSE_GEMM = GH + "NVlabs/sparse-gemm"

# (title, arxiv_id, upvotes, comments, authors_count, organization, published, github)
# `github` is the target of a link on the card; a URL written in the abstract's text is one of
# the paper's links, not its repository.
EXPECTED = {
    "listing.md": (
        "markdown",
        [
            (FLASH, "2311.01282", 12, 3, 9, None, date(2023, 11, 2), None),
            (MASK, "2512.04417", 0, 0, None, "NVIDIA", date(2025, 12, 5), SPARSE_GEMM),
            (FDCONV, "2503.18783", 7, 2, 5, None, date(2025, 3, 24), GH + "Linwei-Chen/FDConv"),
            (EMO, "2412.06674", 143, 2, 9, None, date(2024, 12, 9), None),
        ],
    ),
    "listing-html2text.txt": (
        "text-browser",
        [
            (NEIGHBOR, "2403.04690", 9, 0, 3, None, date(2024, 3, 7), None),
            (MASK, "2512.04417", 0, 0, None, "NVIDIA", date(2025, 12, 5), None),
            (
                GEMS,
                "2409.17422",
                21,
                5,
                5,
                None,
                date(2024, 9, 25),
                None,
            ),
            (LSNET, "2503.23135", 6, 3, 5, None, date(2025, 3, 29), None),
        ],
    ),
    "listing-lynx.txt": (
        "text-browser",
        [
            (DEIM, "2412.04234", 15, 1, 6, None, date(2024, 12, 5), None),
            (SPARTAN, "2507.10999", 0, 0, 5, None, date(2025, 7, 15), None),
            (MASK, "2512.04417", 2, 4, None, "NVIDIA", date(2025, 12, 5), None),
            (TPE, "2503.06342", 3, 0, 12, None, date(2025, 3, 8), None),
        ],
    ),
    "listing-urls.txt": (
        "text-browser",
        [
            (FLASH, "2311.01282", 12, 3, 9, None, date(2023, 11, 2), None),
            (MASK, "2512.04417", 0, 0, None, "NVIDIA", date(2025, 12, 5), SPARSE_GEMM),
            (EMO, "2412.06674", 143, 2, 9, None, date(2024, 12, 9), None),
            (MATRYOSHKA, "2405.17430", 31, 3, 4, None, date(2024, 5, 27), None),
        ],
    ),
    # The trending page shows no comment counts: None, not 0.
    "trending.md": (
        "trending",
        [
            (LSNET, "2503.23135", 52, None, 5, None, date(2025, 3, 29), GH + "THU-MIG/lsnet"),
            (MASK, "2512.04417", 118, None, None, "NVIDIA", date(2025, 12, 5), SPARSE_GEMM),
            (SPARTAN, "2507.10999", 9, None, 5, None, date(2025, 7, 15), None),
            (FDCONV, "2503.18783", 27, None, 5, None, date(2025, 3, 24), GH + "Linwei-Chen/FDConv"),
        ],
    ),
}

# Renderings of other tools, each hand-made the way that tool writes an HF page.
EXPECTED.update(
    {
        # firecrawl: the abstract is a link whose text runs over lines; `May 29[6](…)`.
        "search-firecrawl.md": (
            "markdown",
            [
                (FLASH, "2311.01282", 12, 3, 9, None, date(2023, 11, 2), None),
                (MASK, "2512.04417", 0, 6, None, "NVIDIA", date(2025, 5, 29), None),
                (EMO, "2412.06674", 143, 0, 10, None, date(2024, 12, 9), None),
            ],
        ),
        # NotebookLM: each URL on its own line, link text split by a blank line.
        "listing-notebooklm.md": (
            "markdown",
            [
                (FLASH, "2311.01282", 12, 3, 9, None, date(2023, 11, 2), None),
                (MASK, "2512.04417", 0, 0, None, "NVIDIA", date(2025, 12, 5), SPARSE_GEMM),
                (EMO, "2412.06674", 143, 2, 9, None, date(2024, 12, 9), None),
            ],
        ),
        # The structured trending export: `[Upvote\n\n117](…)`, `[GitHub 131](…) [arXiv Page](…)`.
        "trending-structured.md": (
            "trending",
            [
                (LSNET, "2503.23135", 117, None, 5, None, date(2025, 3, 29), GH + "THU-MIG/lsnet"),
                (MASK, "2512.04417", 1090, None, None, "NVIDIA", date(2025, 12, 5), SPARSE_GEMM),
            ],
        ),
        # markdownify / html2text markdown: link text hard-wrapped inside the heading.
        "listing-markdownify.md": (
            "markdown",
            [
                (FLASH, "2311.01282", 12, 3, 9, None, date(2023, 11, 2), None),
                (MASK, "2512.04417", 0, 0, None, "NVIDIA", date(2025, 12, 5), SPARSE_GEMM),
            ],
        ),
    }
)

# cut-off copy -> (its complete rendering, papers kept, line of the cut entry, arXiv ids kept)
CUT = {
    "listing-cut.md": ("listing.md", 3, 69, True),
    "listing-html2text-cut.txt": ("listing-html2text.txt", 3, 74, False),
    "listing-lynx-cut.txt": ("listing-lynx.txt", 2, 58, False),
    "listing-urls-cut.txt": ("listing-urls.txt", 3, 58, True),
    "trending-cut.md": ("trending.md", 3, 78, True),
}


def test_a_w3m_dump_with_its_reference_list_gives_ids_and_reports_the_cut_card():
    result = parse("search-w3m-refs.txt")
    assert result.format == "text-browser"
    assert [fields(p) for p in result.papers] == [
        (
            "MURMUR: An Efficient Inference System for Long-Form ASR",
            "2606.01234",
            0,
            0,
            3,
            None,
            date(2025, 5, 30),
            None,
        ),
        (
            "Gemini 1.5: Unlocking multimodal understanding across millions of tokens of context",
            "2403.05530",
            65,
            6,
            671,
            None,
            date(2024, 3, 8),
            None,
        ),
        (
            "VIBEVOICE-ASR Technical Report",
            "2603.12345",
            24,
            3,
            None,
            "Microsoft",
            date(2025, 3, 13),
            None,
        ),
    ]
    assert result.papers[0].links == (GH + "uw-syfi/Murmur",)
    assert [(p.line, "ChunkFormer" in p.message) for p in result.problems] == [(72, True)]


@pytest.mark.parametrize("name", ["paper-page.md", "paper-page-summary-first.md", "paper-page.txt"])
def test_a_single_paper_page_is_one_paper(name):
    result = parse(name)
    assert result.format == "paper-page" and result.problems == ()
    (paper,) = result.papers
    assert (paper.title, paper.arxiv_id, paper.upvotes, paper.published) == (
        FLASH,
        "2311.01282",
        12,
        date(2023, 11, 2),
    )
    assert paper.authors == ("Ke Hong", "Guohao Dai", "Jiaming Xu")
    assert paper.authors_count == 3
    assert (paper.submitter, paper.daily_day) == ("akhaliq", date(2023, 11, 3))
    assert paper.ai_summary == (
        "FlashDecoding++ speeds up LLM inference on GPUs with asynchronous softmax and flat GEMM "
        "optimisations."
    )
    assert paper.abstract.startswith("As the Large Language Model (LLM)")
    assert paper.abstract.endswith("hardware back-ends.")
    # Only the clip keeps the repository link; the copied text shows `GitHub 131` as words.
    markdown_clip = name.endswith(".md")
    assert paper.github == (GH + "example/flashdecodingpp" if markdown_clip else None)
    assert paper.github_stars == (131 if markdown_clip else None)


def parse(name: str):
    return parse_text((RENDERINGS / name).read_text(), source=name, captured_on=CAPTURED)


def fields(paper):
    return (
        paper.title,
        paper.arxiv_id,
        paper.upvotes,
        paper.comments,
        paper.authors_count,
        paper.organization,
        paper.published,
        paper.github,
    )


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_paper_of_every_rendering(name):
    form, expected = EXPECTED[name]
    result = parse(name)
    assert result.format == form
    assert result.problems == ()
    assert [fields(p) for p in result.papers] == expected


@pytest.mark.parametrize("name", sorted({*EXPECTED, *CUT}))
def test_detected_with_no_format_given(name):
    full = CUT[name][0] if name in CUT else name
    assert detect_format((RENDERINGS / name).read_text()) == EXPECTED[full][0]


def test_the_plain_sample_still_reads_as_the_plain_copy():
    sample = sample_bytes().decode("utf-8")
    assert detect_format(sample) == "text"
    assert len(parse_text(sample, captured_on=CAPTURED).papers) == 53


@pytest.mark.parametrize("name", sorted(CUT))
def test_a_cut_off_copy_reports_the_cut_entry_and_keeps_the_rest(name):
    full, kept, line, with_ids = CUT[name]
    result = parse(name)
    expected = [row if with_ids else (row[0], None, *row[2:]) for row in EXPECTED[full][1][:kept]]
    assert [fields(p) for p in result.papers] == expected
    cut = result.problems[0]
    assert (cut.source, cut.line) == (name, line)
    assert "cut off" in cut.message and EXPECTED[full][1][kept][0][:20] in cut.message


def test_a_dump_cut_before_its_references_says_why_ids_are_missing():
    problems = parse("listing-lynx-cut.txt").problems
    assert len(problems) == 2
    assert "arXiv ids are unknown" in problems[1].message


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_no_markup_reaches_a_title_or_abstract(name):
    for paper in parse(name).papers:
        for text in (paper.title, paper.abstract):
            assert "\\" not in text and "&amp;" not in text and "](" not in text
            assert "\n" not in text and "  " not in text
        assert paper.abstract


def test_hard_wrapped_abstracts_are_joined_and_hyphen_breaks_closed():
    html2text, lynx = parse("listing-html2text.txt").papers, parse("listing-lynx.txt").papers
    assert "particularly in higher-rank spaces (2-D and 3-D)" in html2text[0].abstract
    assert "with Transformer-based architectures (DETR)" in lynx[0].abstract


def test_abstract_links_are_kept_and_cleaned():
    (_, mask, fdconv, _) = parse("listing.md").papers
    assert mask.links == (SPARSE_GEMM,)
    assert fdconv.links == (GH + "Linwei-Chen/FDConv",)
    assert parse("listing-lynx.txt").papers[1].links == (GH + "henry-pay/SpaRTAN",)


def test_entry_lines_point_at_titles():
    assert [p.line for p in parse("listing.md").papers] == [22, 39, 53, 69]
    assert [p.line for p in parse("listing-html2text.txt").papers] == [17, 38, 53, 74]


def test_trending_cards_shown_twice_give_each_paper_once_with_the_fuller_copy():
    text = (RENDERINGS / "trending.md").read_text()
    assert (
        text.count("](https://huggingface.co/papers/2512.04417)") == 4
    )  # thumbnail + title, twice
    papers = parse("trending.md").papers
    assert len({p.arxiv_id for p in papers}) == len(papers) == 4
    assert papers[0].abstract.startswith("Vision network designs")


def test_star_counts_are_never_upvotes():
    mask = parse("trending.md").papers[1]
    assert (mask.upvotes, mask.github) == (118, SPARSE_GEMM)  # next to `GitHub 3.29k`


def test_yearless_dates_resolve_against_the_page_day():
    # The markdown header says Dec 8; captured a year later, `Dec 5` is still the page's year.
    text = (RENDERINGS / "listing.md").read_text().replace("\nDec 8\n", "\nDec 8, 2025\n")
    result = parse_text(text, captured_on=date(2026, 12, 20))
    assert result.papers[1].published == date(2025, 12, 5)
    assert result.papers[2].published == date(2025, 3, 24)


def test_markdown_link_whose_url_stands_on_its_own_line():
    text = (
        "Dec 8\n\n[5](https://huggingface.co/login?next=%2Fpapers%2F2311.01282)\n\n"
        f"### [{FLASH}](\nhttps://huggingface.co/papers/2311.01282\n)\n\nAbstract.\n\n"
        "*   9 authors\n\n·\n\nNov 2, 2023[\n3\n](\nhttps://huggingface.co/papers/2311.01282#community\n)\n"
    )
    result = parse_text(text, captured_on=CAPTURED)
    assert result.format == "markdown"
    assert [fields(p) for p in result.papers] == [
        (FLASH, "2311.01282", 5, 3, 9, None, date(2023, 11, 2), None)
    ]


@pytest.mark.parametrize("module", [markdown, textbrowser, trending])
def test_modules_do_not_claim_json_or_html(module):
    assert module.detect('[{"paper": {"id": "2311.01282"}}]') == 0
    assert module.detect("<html><body>[1](https://huggingface.co/papers/2311.01282)") == 0


def test_saved_html_without_data_props_reads_its_visible_cards():
    # `htmlpage.visible_cards` reads a page without its embedded data; lines are HTML lines.
    page = (RENDERINGS / "saved-page-no-props.html").read_text()
    result = htmlpage.visible_cards(page, source="p.html", captured_on=CAPTURED)
    assert result is not None and result.format == "html"
    assert [fields(p) for p in result.papers] == [
        (MASK, "2311.01282", 12, 3, 9, None, date(2023, 11, 2), None)
    ]
    assert result.papers[0].links == (SPARSE_GEMM,)
    assert result.papers[0].line == 9
    assert [(p.line, "EMOv2" in p.message) for p in result.problems] == [(18, True)]
    assert (
        htmlpage.visible_cards("<html><p>hello</p></html>", source="x", captured_on=CAPTURED)
        is None
    )


def test_saved_html_without_data_props_imports_through_detection():
    page = (RENDERINGS / "saved-page-no-props.html").read_text()
    result = parse_text(page, source="p.html", captured_on=CAPTURED)
    assert result.format == "html"
    assert [p.arxiv_id for p in result.papers] == ["2311.01282"]
    assert [p.line for p in result.problems] == [18]


def test_the_trending_page_copied_as_text_reads_its_cards_by_their_markers():
    result = parse("trending-copy.txt")
    assert result.format == "trending"
    assert [fields(p) for p in result.papers] == [
        (LSNET, None, 52, None, 5, None, date(2025, 3, 29), None),
        (MASK, None, 1090, None, None, "NVIDIA", date(2025, 12, 5), None),
    ]
    assert [p.submitter for p in result.papers] == ["jameslahm", "akhaliq"]
    assert result.papers[1].abstract.startswith("General matrix-matrix")
    # The last card is cut before its date: reported with its title's line, never invented.
    assert [(p.line, FDCONV[:20] in p.message) for p in result.problems] == [(33, True)]


def test_an_upvote_button_on_the_title_line_is_read():
    text = (
        "Dec 8\n\n[5](https://huggingface.co/login?next=%2Fpapers%2F2311.01282) "
        f"[{FLASH}](https://huggingface.co/papers/2311.01282)\n\nAbstract.\n\n9 authors\n\n·\n\n"
        "Nov 2, 2023[3](https://huggingface.co/papers/2311.01282#community)\n"
    )
    result = parse_text(text, captured_on=CAPTURED)
    assert [fields(p) for p in result.papers] == [
        (FLASH, "2311.01282", 5, 3, 9, None, date(2023, 11, 2), None)
    ]


def test_the_page_day_comes_from_the_pages_own_url_not_its_neighbours():
    text = (RENDERINGS / "listing.md").read_text()
    assert all(p.daily_day is None for p in parse("listing.md").papers)  # a search page
    text = text.replace(
        "URL Source: https://huggingface.co/papers?q=gemm",
        "URL Source: https://huggingface.co/papers/date/2025-12-08\n\n"
        "[Previous](https://huggingface.co/papers/date/2025-12-05)",
    )
    result = parse_text(text, source="day.md", captured_on=date(2026, 3, 1))
    assert {p.daily_day for p in result.papers} == {date(2025, 12, 8)}
    # Yearless paper dates resolve against that day, not the capture day.
    assert result.papers[1].published == date(2025, 12, 5)
