"""Text-browser dumps of a listing page (lynx, w3m, html2text) and exports with URLs on own lines.

Text browsers move every link target out of the text: a link reads `[text][n]` (html2text,
w3m with link numbers) or `[n]text` (lynx), and a list at the end gives the targets, either
`[n]: https://…` or lynx's `References` section of `n. https://…` lines. They also hard-wrap
everything, so an abstract runs over many lines and a title may wrap over two (heading) lines:

    [12][4]
    ### [FlashDecoding++: Faster Large Language Model Inference on
    ### GPUs][5]
    As the Large Language Model (LLM) becomes increasingly important in
    various domains. …
      * 9 authors
    ·
    Nov 2, 2023 [3][6]

Some exporters instead put each link's URL on the line after its text (`Title` / `https://…`);
those read the same way once the URL is attached to the line before it.
"""

from __future__ import annotations

import re
from datetime import date

from papershelf.db.formats.cards import read_cards
from papershelf.db.formats.common import ParseError, Reader, extract_links
from papershelf.db.formats.lines import NOT_TEXT, Line, Link, absolute, make_line, scan_lines
from papershelf.db.models import ParseResult, Problem
from papershelf.db.text import clean_line

NAME = "text-browser"

_PAPER = r"https?://(?:www\.)?huggingface\.co/papers/\d{4}\.\d{4,5}"
_REF_TO_PAPER = re.compile(rf"^\s*(?:\[\d+\]:|\d+\.)\s+<?{_PAPER}", re.MULTILINE)
_URL_LINE_TO_PAPER = re.compile(rf"^\s*<?{_PAPER}[^\s>]*>?\s*$", re.MULTILINE)
_MD_LINK_TO_PAPER = re.compile(rf"\]\(\s*<?{_PAPER}")

_REF_DEF = re.compile(r"^\s*\[(\d+)\]:\s*<?(\S+?)>?(?:\s+\".*\")?\s*$")
_LYNX_REF = re.compile(r"^\s*(\d+)\.\s+(\S+)\s*$")
_REFERENCES = re.compile(r"^\s*(?:References|Visible links:?|Hidden links:?)\s*$")
_URL_ONLY = re.compile(r"^\s*[<(]?(https?://[^\s<>()]+)[>)]?\s*$")
_REF_LINK = re.compile(r"\]\[(\d+)\]")
_LYNX_MARK = re.compile(r"\[(\d+)\]")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+")
_LYNX_LINE = re.compile(r"^\s*\[\d+\]\S", re.MULTILINE)
_CARD_LINE = re.compile(r"^\s*(?:[•*\-]\s*)?\d+ authors?\s*$|^\s*·\s*$", re.MULTILINE)
# Exact pre-checks for `detect`, each a literal or literal-led search (~0.05 s on a 128 MB
# plain copy, where the multi-line patterns take ~0.6 s each): every paper pattern above needs
# the host and path, every `_LYNX_LINE` match contains a `_LYNX_HINT` match.
_PAPER_HOST = "huggingface.co/papers/"
_LYNX_HINT = re.compile(r"\[\d+\]\S")


def detect(text: str) -> int:
    """70 when a reference list or own-line URLs point at paper pages; markdown links win (75)."""
    if NOT_TEXT.match(text):
        return 0
    if _PAPER_HOST in text:
        if _MD_LINK_TO_PAPER.search(text):
            return 0
        if _REF_TO_PAPER.search(text):
            return 70
        if _at_least(2, _URL_LINE_TO_PAPER, text):
            return 65
    # A dump cut before its reference list: link markers around the listing's card lines.
    # 55 beats the plain copy's 40 (whose reader would keep the markers in the titles) and
    # JSON's 50 (claimed by anything starting with `[`, as `[1]Hugging Face` does).
    markers = _at_least(3, _REF_LINK, text)
    if markers < 3 and _LYNX_HINT.search(text):
        markers += _at_least(3 - markers, _LYNX_LINE, text)
    return 55 if markers >= 3 and _CARD_LINE.search(text) else 0


def _at_least(n: int, pattern: re.Pattern[str], text: str) -> int:
    """How many matches of `pattern` there are in `text`, counting no further than `n`."""
    found = 0
    for _ in pattern.finditer(text):
        found += 1
        if found >= n:
            break
    return found


def parse(text: str, *, source: str, captured_on: date) -> ParseResult:
    """Read a text-browser dump; cards cut off before their date line become Problems."""
    result = read_cards(
        to_lines(text), source=source, captured_on=captured_on, format=NAME, wrapped=True
    )
    if not result.papers and not result.problems:
        raise ParseError(f"{source} is a text-browser dump but has no Daily Papers entries.")
    if (
        result.papers
        and not _references(text.split("\n"))[0]
        and not _URL_LINE_TO_PAPER.search(text)
    ):
        # The cards were read from their shape; say why their arXiv ids are missing.
        last = text.rstrip().count("\n") + 1
        missing = Problem(
            source, last, "the copy ends before its list of link targets, so arXiv ids are unknown"
        )
        return ParseResult(result.papers, (*result.problems, missing), result.format)
    return result


def to_lines(text: str) -> list[Line]:
    """The visible lines of a dump (references list removed), each with its resolved links."""
    raw = text.split("\n")
    refs, end = _references(raw)
    body = "\n".join(raw[:end])
    if _REF_LINK.search(body):
        return scan_lines(body, refs)
    # URLs go with the line above only in a rendering that writes every link that way; in a
    # dump, a URL alone on a line is a wrapped abstract's text.
    own_line_urls = not refs and _at_least(2, _URL_LINE_TO_PAPER, body) >= 2
    lines: list[Line] = []
    for number, line in enumerate(raw[:end], 1):
        url = _URL_ONLY.match(line) if own_line_urls else None
        if url and lines and (target := _last_text(lines)) is not None:
            # `Title` / `https://…`: the URL belongs to the line above it.
            target.links.append(Link(target.text, absolute(_trim(url.group(1)))))
            target.plain = ""
            continue
        lines.append(_lynx_line(line, number, refs))
    return lines


def _trim(url: str) -> str:
    """A URL without the sentence punctuation that followed it."""
    found = extract_links(url)
    return found[0] if found else url


def _last_text(lines: list[Line]) -> Line | None:
    """The line a lone URL belongs to: the one right above it, if it has text and no link yet."""
    last = lines[-1]
    return last if last.text and not last.links else None


def _references(raw: list[str]) -> tuple[dict[str, str], int]:
    """(number -> URL, index where the reference list starts, or len(raw) when there is none)."""
    refs: dict[str, str] = {}
    end = len(raw)
    for index, line in enumerate(raw):
        if match := _REF_DEF.match(line):
            refs[match.group(1)] = absolute(match.group(2))
            end = min(end, index)
        elif _REFERENCES.match(line):
            end = min(end, index)
    for line in raw[end:]:
        if match := _LYNX_REF.match(line):
            refs.setdefault(match.group(1), absolute(match.group(2)))
    return refs, end


def _heading(chunk: str) -> tuple[int, str]:
    match = _HEADING.match(chunk)
    if not match:
        return 0, chunk
    return len(match.group(1)), chunk[match.end() :]


def _lynx_line(raw: str, number: int, refs: dict[str, str]) -> Line:
    """`[n]text` links: the text runs to the next link marker or the end of the line."""
    heading, raw = _heading(raw)
    parts: list[tuple[str, bool]] = []
    links: list[Link] = []
    marks = list(_LYNX_MARK.finditer(raw))
    parts.append((raw[: marks[0].start()] if marks else raw, False))
    for k, mark in enumerate(marks):
        stop = marks[k + 1].start() if k + 1 < len(marks) else len(raw)
        text = raw[mark.end() : stop]
        links.append(Link(clean_line(text), refs.get(mark.group(1))))
        parts.append((text, True))
    return make_line(number, parts, links, heading, raw[:1] in (" ", "\t"))


READER = Reader(
    NAME, "lynx, w3m and html2text dumps, with or without their link list", detect, parse
)
