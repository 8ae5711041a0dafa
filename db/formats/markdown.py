"""Markdown renderings of a listing or search page (web clippers, reader services, scrapers).

Clippers keep what the plain copy loses: every link. A card reads

    [12](https://huggingface.co/login?next=%2Fpapers%2F2311.01282)      upvotes (`-` = 0)
    ### [FlashDecoding++: …](https://huggingface.co/papers/2311.01282)  title + arXiv id
    As the Large Language Model …                                       abstract
    *   ![](https://cdn-avatars.huggingface.co/…)                       avatars, then
    *   9 authors                                                       `N authors` or an org link
    Nov 2, 2023[3](https://huggingface.co/papers/2311.01282#community)  date + COMMENT count

Some exporters put a link's URL on a line of its own (`[Title](` / URL / `)`); a link is
therefore read across up to six lines. Markdown escapes (`\\_`, `\\[`) and HTML entities
(`&amp;`) are undone before any text reaches a field.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from html.parser import HTMLParser

from papershelf.db.formats._cards import (
    Line,
    Link,
    absolute,
    matching_bracket,
    read_listing,
    unescape_markdown,
)
from papershelf.db.formats.common import ParseError
from papershelf.db.models import ParseResult
from papershelf.db.text import clean_line

NAME = "markdown"

_PAPER_LINK = re.compile(
    r"\]\(\s*<?(?:https?://(?:www\.)?huggingface\.co)?/papers/\d{4}\.\d{4,5}", re.IGNORECASE
)
_NOT_MARKDOWN = re.compile(r"^\s*(?:<|\{|\[\s*[\[{\]\"])")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_AUTOLINK = re.compile(r"<(https?://[^\s<>]+)>")
# A link may span lines only so far: a paragraph of prose with a stray `[` must not swallow the page.
_MAX_JOIN = 6


def detect(text: str) -> int:
    """75 when markdown links point at paper pages (above JSON's 50 for a page starting `[12](`)."""
    if _NOT_MARKDOWN.match(text) or not _PAPER_LINK.search(text):
        return 0
    return 75


def parse(text: str, *, source: str, captured_on: date) -> ParseResult:
    """Read a markdown listing; cards cut off before their date line become Problems."""
    lines = to_lines(text)
    result = read_listing(lines, source=source, captured_on=captured_on, format=NAME)
    if not result.papers and not result.problems:
        raise ParseError(f"{source} is markdown but has no Daily Papers entries.")
    return result


def to_lines(text: str) -> list[Line]:
    """The visible lines of a markdown document, each with its links (see `Line`)."""
    raw = text.split("\n")
    lines: list[Line] = []
    i = 0
    while i < len(raw):
        # Join following lines only while a link is still open, so line numbers stay exact.
        for extra in range(_MAX_JOIN):
            chunk = "\n".join(raw[i : i + extra + 1])
            scanned = _scan_line(chunk, strict=True)
            if scanned is not None or i + extra + 1 >= len(raw):
                break
        if scanned is None:
            extra = 0
            scanned = _scan_line(raw[i], strict=False)
        assert scanned is not None
        scanned.number = i + 1
        lines.append(scanned)
        i += extra + 1
    return lines


def _scan_line(chunk: str, *, strict: bool) -> Line | None:
    """One logical line -> Line; None (when `strict`) if a link is still open at its end."""
    heading = 0
    first, _, rest = chunk.partition("\n")
    if match := _HEADING.match(first):
        heading = len(match.group(1))
        chunk = match.group(2) + ("\n" + rest if rest else "")
    chunk = _AUTOLINK.sub(r"\1", chunk)
    scanned = _scan(chunk, strict=strict)
    if scanned is None:
        return None
    parts, links = scanned
    visible = clean_line(unescape_markdown("".join(text for text, inside in parts)))
    # A link leaves a space behind, so `Nov 2, 2023[3](…)` does not read as `Nov 2, 20233`.
    plain = clean_line(
        unescape_markdown("".join(" " if inside else text for text, inside in parts))
    )
    return Line(0, visible, links, heading, plain)


def _scan(s: str, *, strict: bool) -> tuple[list[tuple[str, bool]], list[Link]] | None:
    """Split `s` into (text, inside-a-link) parts and its links; None if strict and unclosed."""
    parts: list[tuple[str, bool]] = []
    links: list[Link] = []
    i = 0
    while i < len(s):
        char = s[i]
        if char == "\\" and i + 1 < len(s):
            parts.append((s[i : i + 2], False))  # kept escaped: unescaped once, at the end
            i += 2
            continue
        image = char == "!" and s.startswith("[", i + 1)
        if char == "[" or image:
            found = _link_at(s, i + 1 if image else i)
            if found == "open" and strict:
                return None
            if isinstance(found, tuple):
                label, url, end = found
                inner = _scan(label.replace("\n", " "), strict=False)
                assert inner is not None
                inner_parts, inner_links = inner
                text = "" if image else "".join(t for t, _ in inner_parts)
                text = re.sub(r"\s+#{1,6}\s+", " ", text)  # a heading wrapped inside a link
                has_image = image or any(link.image for link in inner_links)
                links.extend(inner_links)
                links.append(Link(clean_line(unescape_markdown(text)), absolute(url), has_image))
                parts.append((text, True))
                i = end
                continue
        parts.append((char, False))
        i += 1
    return parts, links


def _link_at(s: str, i: int) -> tuple[str, str, int] | str | None:
    """The link whose `[` is at `i`: (label, url, end); "open" if cut by the end; None if none."""
    close = matching_bracket(s, i, "[", "]")
    if close is None:
        return "open"
    if not s.startswith("(", close + 1):
        return None
    end = matching_bracket(s, close + 1, "(", ")")
    if end is None:
        return "open"
    target = s[close + 2 : end].strip()
    # `(url "title")`, `(<url>)`, and a URL alone on the line between `(` and `)`.
    if target.startswith("<"):
        url = target[1:].split(">")[0]
    else:
        url = target.split()[0] if target else ""
    return s[i + 1 : close], url, end + 1


# ---------------------------------------------------------------- saved HTML without data-props

_BLOCKS = {
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "section",
    "article",
    "header",
    "footer",
    "br",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "time",
}
_SKIP = {"script", "style", "template", "noscript", "svg"}


class _Visible(HTMLParser):
    """Saved HTML -> the markdown a clipper would write, remembering each line's HTML line."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self.origins: list[int] = [1]  # HTML line where each markdown line starts
        self.skipping = 0
        self.hrefs: list[
            tuple[str | None, int]
        ] = []  # open anchors: (href, where their text starts)

    def _break(self, heading: int = 0) -> None:
        if self.lines[-1].strip():
            self.lines.append("")
            self.origins.append(self.getpos()[0])
        self.origins[-1] = self.getpos()[0]
        if heading:
            self.lines[-1] = "#" * heading + " "

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag in _BLOCKS:
            self._break(int(tag[1]) if tag in ("h1", "h2", "h3", "h4", "h5", "h6") else 0)
        elif tag == "a":
            self.hrefs.append((dict(attrs).get("href"), len(self.lines[-1])))
            self.lines[-1] += "["
        elif tag == "img":
            self.lines[-1] += f"![]({dict(attrs).get('src') or ''})"

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag == "a" and self.hrefs:
            href, _ = self.hrefs.pop()
            self.lines[-1] += f"]({href or ''})"
        elif tag in _BLOCKS and tag != "br":
            self._break()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            # Escape what markdown would read as syntax, so a title's `[x]` stays text.
            words = " ".join(data.split())
            if words:
                self.lines[-1] += re.sub(r"([\\\[\]()*_`])", r"\\\1", words) + " "


def visible_cards(
    page: str, *, source: str, captured_on: date, format: str = "html"
) -> ParseResult | None:
    """Read the cards a saved HTML page shows, for a page whose `data-props` JSON is missing.

    For `db.formats.htmlpage`: the page is turned into the markdown a clipper would write and
    read like one (listing or trending cards); line numbers point into the HTML. None when
    the visible page holds no Daily Papers cards at all.
    """
    visible = _Visible()
    try:
        visible.feed(page)
        visible.close()
    except Exception:  # noqa: BLE001 - a lenient parser can still trip on hostile input
        pass
    text = "\n".join(visible.lines)
    from papershelf.db.formats import trending  # imported here: trending imports this module

    reader = trending if trending.detect(text) else None
    if reader is None and not detect(text):
        return None
    result = (
        reader.parse(text, source=source, captured_on=captured_on)
        if reader
        else read_listing(to_lines(text), source=source, captured_on=captured_on, format=format)
    )
    if not result.papers and not result.problems:
        return None

    def origin(line: int) -> int:
        return visible.origins[line - 1] if 0 < line <= len(visible.origins) else line

    papers = tuple(dataclasses.replace(p, line=origin(p.line)) for p in result.papers)
    problems = tuple(dataclasses.replace(p, line=origin(p.line)) for p in result.problems)
    return ParseResult(papers, problems, format)
