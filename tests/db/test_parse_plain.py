"""The plain browser copy: the bundled sample, cut-off copies, hostile bytes and text."""

from __future__ import annotations

from datetime import date

import pytest

from papershelf.db.models import Problem
from papershelf.db.parse import FORMATS, ParseError, detect_format, parse_bytes, parse_text
from papershelf.db.sample import sample_path
from tests.support.library import FIXTURES

SAMPLE = sample_path()
PAGES = FIXTURES / "pages"
CAPTURED = date(2025, 12, 8)


@pytest.fixture(scope="module")
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def sample(sample_text):
    return parse_text(sample_text, source="sample.txt", captured_on=CAPTURED)


def by_title(result, prefix: str):
    (paper,) = [p for p in result.papers if p.title.startswith(prefix)]
    return paper


def test_sample_has_53_papers_and_no_problems(sample):
    assert sample.format == "text"
    assert len(sample.papers) == 53
    assert sample.problems == ()
    assert all(p.upvotes is None for p in sample.papers)
    assert len({p.title for p in sample.papers}) == 53


def test_first_paper_every_field(sample):
    paper = sample.papers[0]
    assert paper.title == "Im2win: An Efficient Convolution Paradigm on GPU"
    assert paper.abstract.startswith("Convolution is the most time-consuming operation in deep")
    assert paper.abstract.endswith(
        "the micro-kernel has the greatest positive impact on performance."
    )
    assert paper.arxiv_id is None
    assert paper.authors == ()
    assert paper.authors_count == 4
    assert paper.organization is None
    assert paper.published == date(2023, 6, 25)
    assert paper.upvotes is None
    assert paper.comments == 0
    assert paper.line == 13
    assert paper.tags == ()
    assert paper.read_at is None


def test_last_paper_every_field(sample):
    paper = sample.papers[-1]
    assert paper.title.startswith("A-SDM: Accelerating Stable Diffusion through Redundancy Removal")
    assert paper.abstract.startswith("The Stable Diffusion Model (SDM) is a popular")
    assert paper.authors_count == 6
    assert paper.published == date(2023, 12, 24)
    assert paper.comments == 0
    assert paper.links == ()
    assert paper.github is None


@pytest.mark.parametrize(
    ("prefix", "authors", "published", "comments"),
    [
        ("FlashDecoding++: Faster Large Language Model Inference on GPUs", 9, date(2023, 11, 2), 3),
        ("EMOv2: Pushing 5M Vision Model Frontier", 9, date(2024, 12, 9), 2),
        # `Mar 24 2` on the page of Dec 8 2025: yearless date, then 2 comments.
        ("Frequency Dynamic Convolution for Dense Image Prediction", 5, date(2025, 3, 24), 2),
        ("EfficientVMamba: Atrous Selective Scan", 3, date(2024, 3, 14), 1),
        ("LUT-GEMM: Quantized Matrix Multiplication", 10, date(2022, 6, 19), 0),
    ],
)
def test_sample_fields(sample, prefix, authors, published, comments):
    paper = by_title(sample, prefix)
    assert paper.authors_count == authors
    assert paper.published == published
    assert paper.comments == comments
    assert paper.upvotes is None


def test_flashdecoding_exact(sample):
    paper = by_title(sample, "FlashDecoding++")
    assert paper.title == "FlashDecoding++: Faster Large Language Model Inference on GPUs"
    assert paper.line == 53


@pytest.mark.parametrize(
    ("prefix", "links", "github"),
    [
        # Bracketed link with a full stop after the bracket.
        (
            "SpaRTAN",
            ("https://github.com/henry-pay/SpaRTAN",),
            "https://github.com/henry-pay/SpaRTAN",
        ),
        ("EMOv2", ("https://github.com/zhangzjn/EMOv2",), "https://github.com/zhangzjn/EMOv2"),
        # A link in the middle of a sentence, no punctuation to strip.
        (
            "Scaling Up Your Kernels",
            ("https://github.com/AILab-CVC/UniRepLKNet",),
            "https://github.com/AILab-CVC/UniRepLKNet",
        ),
        # A non-GitHub link: a link, not a code repository.
        ("GEMeX", ("https://www.med-vqa.com/GEMeX",), None),
        ("Im2win", (), None),
    ],
)
def test_sample_links(sample, prefix, links, github):
    paper = by_title(sample, prefix)
    assert paper.links == links
    # A plain copy has no link targets: a repository URL in its text is a link of the paper,
    # and `has:code` finds it there; the `github` field is only ever a link's target.
    assert paper.github is None


def test_abstracts_are_one_paragraph(sample):
    assert all("\n" not in p.abstract and "  " not in p.abstract for p in sample.papers)
    assert all(p.abstract for p in sample.papers)


@pytest.mark.parametrize(
    "transform",
    [
        pytest.param(lambda t: t.replace("\n", "\r\n"), id="crlf"),
        pytest.param(lambda t: t.replace("\n", "\r"), id="cr"),
        pytest.param(lambda t: "\ufeff" + t, id="bom"),
        pytest.param(lambda t: t.replace(" ", "\u00a0"), id="nbsp"),
        pytest.param(lambda t: t.replace("  •", "\t•").replace(" ", " \t", 50), id="tabs"),
        pytest.param(
            lambda t: t.replace("\n", "\u200b\n").replace("·", "\u200b·\u200d"), id="zero-width"
        ),
        pytest.param(lambda t: t.replace("\n\n", "\n \n\n"), id="extra-blank-lines"),
        pytest.param(lambda t: t.replace("\n\n", "\n"), id="no-blank-lines"),
    ],
)
def test_dirty_variants_read_the_same(sample_text, sample, transform):
    result = parse_text(transform(sample_text), source="sample.txt", captured_on=CAPTURED)
    assert result.problems == ()
    assert [p.__class__(**{**_fields(p), "line": 0}) for p in result.papers] == [
        p.__class__(**{**_fields(p), "line": 0}) for p in sample.papers
    ]


def _fields(paper) -> dict:
    return {name: getattr(paper, name) for name in paper.__slots__}


def test_crlf_bom_bytes_give_identical_papers(sample_text, sample):
    data = b"\xef\xbb\xbf" + sample_text.replace("\n", "\r\n").encode("utf-8")
    result = parse_bytes(data, source="sample.txt", captured_on=CAPTURED)
    assert result.papers == sample.papers
    assert result.problems == ()


def test_utf16_with_bom(sample_text, sample):
    result = parse_bytes(sample_text.encode("utf-16"), source="s", captured_on=CAPTURED)
    assert result.papers == sample.papers


def test_cut_off_copy_reports_the_entry_with_its_line():
    result = parse_text((PAGES / "cut_off.txt").read_text(), source="cut.txt", captured_on=CAPTURED)
    assert [p.title[:8] for p in result.papers] == ["Im2win: ", "LUT-GEMM"]
    (problem,) = result.problems
    assert problem.source == "cut.txt"
    assert problem.line == 29
    assert "FineQuant" in problem.message
    assert "cut off" in problem.message
    assert str(problem).startswith("cut.txt:29: ")


@pytest.mark.parametrize(
    ("tail", "line", "words"),
    [
        ("Title\n\nAbstract.\n\n  • 3 authors\n", 1, "cut off"),
        ("Title\n\nAbstract.\n\n  • 3 authors\n·\n", 1, "no date line"),
        ("Title\n\nAbstract.\n\n  • 3 authors\n·\nJun 31, 2023\n", 1, "cannot be read"),
        ("Title\n\nAbstract.\n\n  • 3 authors\n·\nFoo 3, 2023\n", 1, "cannot be read"),
        ("  • 3 authors\n·\nJun 3, 2023\n", 1, "no title"),
        ("·\nJun 3, 2023\n", 1, 'a "·" line'),
    ],
)
def test_incomplete_entries_are_problems_not_papers(tail, line, words):
    text = "Good paper\n\nIts abstract.\n\n  • 2 authors\n·\nJan 5, 2024\n\n" + tail
    result = parse_text(text, source="x", captured_on=CAPTURED)
    assert [p.title for p in result.papers] == ["Good paper"]
    (problem,) = result.problems
    assert problem.line == line + 8
    assert words in problem.message


def test_lost_date_line_does_not_swallow_next_title():
    text = (
        "First\n\nAbstract one.\n\n  • 2 authors\n·\n\n"
        "Second\n\nAbstract two.\n\n  • 3 authors\n·\nJan 5, 2024 7\n"
    )
    result = parse_text(text, source="x", captured_on=CAPTURED)
    assert [(p.title, p.abstract, p.comments) for p in result.papers] == [
        ("Second", "Abstract two.", 7)
    ]
    (problem,) = result.problems
    assert problem.line == 1
    assert "no date line" in problem.message


def test_missing_author_line_is_a_problem():
    abstract = "A long abstract sentence that goes on. " * 4
    text = f"Title\n\n{abstract}\n·\nJan 5, 2024\n"
    result = parse_text(text, source="x", captured_on=CAPTURED)
    assert result.papers == ()
    assert "no author line" in result.problems[0].message


def test_organisation_instead_of_author_count():
    result = parse_text((PAGES / "organisation.txt").read_text(), source="o", captured_on=CAPTURED)
    assert result.problems == ()
    nemotron, note = result.papers
    assert nemotron.organization == "NVIDIA"
    assert nemotron.authors_count is None
    assert nemotron.comments == 12
    # Page day `Feb 3` captured 2025-12-08 is 2025-02-03; yearless `Apr 4` before it is 2024.
    assert nemotron.published == date(2024, 4, 4)
    # Two paragraphs of abstract join into one; links in order, GitHub repo normalised.
    assert nemotron.abstract.count("We introduce Nemotron-H") == 1
    assert "Mamba-Transformer models. Models are available" in nemotron.abstract
    assert nemotron.links == (
        "https://huggingface.co/collections/nvidia/nemotron-h",
        "https://github.com/NVIDIA/Megatron-LM/tree/main/examples",
    )
    assert nemotron.github is None  # the plain copy has no link targets; the URL is a link
    assert note.authors_count == 1
    assert note.organization is None
    assert note.published == date(2024, 12, 30)


def test_headerless_copy_uses_capture_day_for_yearless_dates():
    text = "Title\n\nAbstract.\n\n  • 2 authors\n·\nDec 9 4\n"
    result = parse_text(text, source="x", captured_on=date(2025, 12, 8))
    assert result.papers[0].published == date(2024, 12, 9)
    assert result.papers[0].comments == 4


def test_copy_starting_mid_entry_reports_the_fragment():
    tail = "the end of an abstract. " * 12
    text = f"{tail}\n\n  • 2 authors\n·\nJan 5, 2024\n\nNext\n\nAbs.\n\n  • 1 authors\n·\nJan 6, 2024\n"
    result = parse_text(text, source="x", captured_on=CAPTURED)
    assert [p.title for p in result.papers] == ["Next"]
    assert result.problems[0].line == 1
    assert "middle of an entry" in result.problems[0].message


ESC_TITLE = (
    "\x1b[31mRed\x1b[0m [bold]Title[/] \x1b]0;pwned\x07with \x1b]52;c;ZXZpbA==\x07clip\x1b[2J"
)


def test_escape_sequences_stripped_and_markup_kept():
    text = f"{ESC_TITLE}\n\nAn \x1b[1mabstract\x1b[0m with [/] and \x9b31m C1.\n\n  • 2 authors\n·\nJan 5, 2024\n"
    (paper,) = parse_text(text, source="x", captured_on=CAPTURED).papers
    assert paper.title == "Red [bold]Title[/] with clip"
    assert paper.abstract == "An abstract with [/] and C1."
    assert "\x1b" not in paper.title + paper.abstract


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "x.txt is empty."),
        (b"  \n\r\n\t \xc2\xa0\n", "x.txt is empty."),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "x.txt is a binary file, not a Daily Papers page.",
        ),
        (bytes(range(1, 32)) * 20, "x.txt is a binary file, not a Daily Papers page."),
        (
            b"Just some notes\nabout nothing in particular.\n",
            "x.txt does not look like a Hugging Face Daily Papers page.",
        ),
    ],
)
def test_unreadable_inputs_are_one_sentence_errors(data, message):
    with pytest.raises(ParseError) as error:
        parse_bytes(data, source="x.txt", captured_on=CAPTURED)
    assert str(error.value) == message


def test_cp1252_is_named_at_its_first_line_and_a_lost_bullet_is_no_organisation():
    """A copy saved as Windows-1252 (or Latin-1, where `•` became `?`): the warning names the
    first line that is not ASCII, and `? 2 authors` is still the authors line."""
    text = "Attention, plainly\n\nAbstract.\n\n  ? 2 authors\n·\nJan 5, 2024\n"
    result = parse_bytes(text.encode("latin-1"), source="l.txt", captured_on=CAPTURED)
    assert [p.line for p in result.problems] == [6]
    (paper,) = result.papers
    assert (paper.authors_count, paper.organization) == (2, None)


def test_cp1252_is_decoded_with_a_warning():
    text = "Caf\u00e9 \u201cquotes\u201d \u2014 a paper\n\nAbstract \u20ac.\n\n  \u2022 2 authors\n\u00b7\nJan 5, 2024\n"
    result = parse_bytes(text.encode("cp1252"), source="w.txt", captured_on=CAPTURED)
    assert result.problems == (
        Problem("w.txt", 1, "not UTF-8 (from this line on); read as Windows-1252"),
    )
    (paper,) = result.papers
    assert paper.title == "Caf\u00e9 \u201cquotes\u201d \u2014 a paper"
    assert paper.abstract == "Abstract \u20ac."
    assert paper.authors_count == 2


def test_header_only_page_has_no_papers_and_no_error():
    result = parse_text(
        "Daily Papers\n\nbyAK and the research community\n\nDec 8\n",
        source="x",
        captured_on=CAPTURED,
    )
    assert result.papers == ()
    assert result.problems == ()


def test_formats_and_detection(sample_text):
    assert {"text", "json", "export", "html"} <= set(FORMATS)
    assert detect_format(sample_text) == "text"
    assert detect_format("hello") == "text"


def test_unknown_format_is_a_parse_error(sample_text):
    with pytest.raises(ParseError, match="unknown format 'pdf'"):
        parse_text(sample_text, captured_on=CAPTURED, format="pdf")


def test_forced_text_format_on_json_explains():
    with pytest.raises(ParseError, match="does not look like"):
        parse_text('{"a": 1}', source="x", captured_on=CAPTURED, format="text")


# -- partly understood pages: never invent a paper, never lose a page for a few bytes ----------

_GERMAN = {"Jun": "Juni", "Dec": "Dez.", "Mar": "März", "Oct": "Okt.", "May": "Mai", "Feb": "Feb."}


def _translated(line: str) -> str:
    """`Jun 25, 2023 3` as a half-translated page shows it: `25. Juni 2023 3`."""
    month, _, rest = line.partition(" ")
    day, _, year = rest.partition(",")
    return f"{day}. {_GERMAN[month]}{year}"


def test_a_partly_translated_page_reports_its_foreign_dates_and_invents_nothing(
    sample_text, sample
):
    lines = sample_text.split("\n")
    dated = [i for i, line in enumerate(lines) if line.split(" ")[0] in _GERMAN and "," in line]
    translated = dated[:8]
    for i in translated:
        lines[i] = _translated(lines[i])
    result = parse_text("\n".join(lines), source="de.txt", captured_on=CAPTURED)
    titles = {p.title for p in sample.papers}
    assert len(result.papers) == len(sample.papers) - 8
    assert all(p.title in titles for p in result.papers)  # no date ever becomes a title
    for paper in result.papers:  # and no abstract swallows the next entry
        assert not any(t in paper.abstract for t in titles if t != paper.title and len(t) > 30)
    assert len(result.problems) == 8
    for problem, i in zip(result.problems, translated, strict=True):
        assert lines[i] in problem.message and "date" in problem.message


def test_three_bad_bytes_in_a_title_cost_that_title_not_the_page():
    data = SAMPLE.read_bytes().replace(b"FlashDecoding++", b"Flash\xff\xfe\xc3Decoding++", 1)
    result = parse_bytes(data, source="bad.txt", captured_on=CAPTURED)
    assert len(result.papers) == 53
    (damaged,) = [p for p in result.papers if "Decoding++" in p.title]
    assert damaged.title.startswith("Flash\ufffd\ufffd\ufffdDecoding++")
    line = data[: data.index(b"Flash\xff")].count(b"\n") + 1
    (problem,) = result.problems
    assert problem.line == line and "bytes" in problem.message and "UTF-8" in problem.message


def test_a_translated_day_header_is_a_problem_not_a_title(sample_text, sample):
    text = sample_text.replace("\nDec 8\n", "\n8. Dez.\n", 1)
    result = parse_text(text, source="de.txt", captured_on=CAPTURED)
    assert [p.title for p in result.papers] == [p.title for p in sample.papers]
    (problem,) = result.problems
    assert 'cannot read the day header "8. Dez."' in problem.message


@pytest.mark.parametrize("foreign", ["25. Juni 2023", "2023年6月25日", "25.06.2023", "3 déc. 2024"])
def test_foreign_dates_in_a_clip_are_problems_not_papers(foreign):
    text = (FIXTURES / "renderings" / "listing.md").read_text()
    text = text.replace("Nov 2, 2023[3]", foreign + "[3]", 1)
    result = parse_text(text, source="clip.md", captured_on=CAPTURED)
    assert [p.arxiv_id for p in result.papers] == ["2512.04417", "2503.18783", "2412.06674"]
    (problem,) = result.problems
    assert foreign in problem.message and problem.line == 22


def test_link_debris_where_the_organisation_belongs_is_no_author_line():
    """A text-browser dump read as a plain copy: `][34]` before the `·` names no one, so the
    "entry" above it is not a paper (it was `# Web source`, organisation `][34]`)."""
    text = "# Web source\n\n- URL: x\n][34]\n·\nMay 30, 2026\n"
    result = parse_bytes(text.encode(), source="w.md", captured_on=CAPTURED, format="text")
    assert result.papers == ()
    assert [p.message for p in result.problems] == [
        'entry "# Web source" has no author line before its "·"; skipped'
    ]
