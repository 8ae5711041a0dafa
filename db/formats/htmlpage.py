"""A saved Daily Papers HTML page.

The page embeds the day's items as HTML-escaped JSON in the `data-props` attribute of an
element with `data-target="DailyPapers"` (the same items as `/api/daily_papers`, under
`dailyPapers`). Reading that JSON is far more exact than scraping the rendered cards.
"""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import date
from html.parser import HTMLParser

from papershelf.db.formats import markdown, trending
from papershelf.db.formats.cards import read_cards
from papershelf.db.formats.common import ParseError, Reader
from papershelf.db.formats.items import find_paper_list, is_item, is_paper_object, papers_from_items
from papershelf.db.formats.lines import scan_lines
from papershelf.db.models import ParseResult

NAME = "html"

_MARKER = re.compile(r"data-target\s*=\s*(?:\"|'|&quot;)?DailyPapers\b", re.IGNORECASE)
# `_MARKER` without its leading `data`: its first character is uncased, so the regex engine
# can skip ahead to each `-` (0.05 s on a 128 MB page, where `_MARKER` itself takes 0.8 s).
# Every `_MARKER` match contains a match of this, so it is an exact pre-check.
_MARKER_TAIL = re.compile(r"-target\s*=\s*(?:\"|'|&quot;)?DailyPapers\b", re.IGNORECASE)
_HTML_START = re.compile(r"<(?:!doctype html|html|head|body|meta|div|title)\b", re.IGNORECASE)


def detect(text: str) -> int:
    """90 with the Daily Papers data element, 60 for other HTML (to name the wrong site)."""
    if _MARKER_TAIL.search(text):
        for marker in _MARKER.finditer(text):
            # In a tag, not named in prose (a note about how such a page is built).
            if text.rfind("<", 0, marker.start()) > text.rfind(">", 0, marker.start()):
                return 90
    head = text.lstrip()[:2000]
    return 60 if head.startswith("<") and _HTML_START.search(head) else 0


class _PropsCollector(HTMLParser):
    """Collects (target, props, line) for every element carrying `data-props`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        props = values.get("data-props")
        if props:
            self.found.append((values.get("data-target") or "", props, self.getpos()[0]))


def parse(text: str, *, source: str, captured_on: date) -> ParseResult:
    """Read the papers from the page's embedded JSON; other HTML is a ParseError."""
    collector = _PropsCollector()
    try:
        collector.feed(text)
        collector.close()
    except Exception:  # noqa: BLE001 - HTMLParser is lenient, but hostile input may still trip it
        pass
    # The DailyPapers element first; any other element whose props hold paper items after it.
    ordered = sorted(collector.found, key=lambda found: found[0] != "DailyPapers")
    for target, props, line in ordered:
        try:
            value = json.loads(props, strict=False)
        except (ValueError, RecursionError):
            if target == "DailyPapers":
                raise ParseError(
                    f"{source} has a Daily Papers element whose data is not valid JSON (cut off?)."
                ) from None
            continue
        if target == "DailyPapers" and isinstance(value, dict):
            day = value.get("dailyPapers")
            if isinstance(day, list) and not day:
                return ParseResult((), (), NAME)
        # One paper's page embeds one item (`{paper: {...}}`) where a listing embeds a list.
        items = [value] if is_item(value) or is_paper_object(value) else find_paper_list(value)
        if items is not None:
            papers, problems = papers_from_items(items, [line] * len(items), source)
            return ParseResult(tuple(papers), tuple(problems), NAME)
    # No embedded data (a page saved as "HTML only", or a reader-mode copy): read the cards it shows.
    shown = visible_cards(text, source=source, captured_on=captured_on)
    if shown is not None:
        return shown
    raise ParseError(f"{source} is an HTML page but not a Hugging Face Daily Papers page.")


# ---------------------------------------------------------------- the cards a page shows

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


def visible_cards(page: str, *, source: str, captured_on: date) -> ParseResult | None:
    """Read the cards a saved HTML page shows, for a page whose `data-props` JSON is missing.

    The page is turned into the markdown a clipper would write and read like one (listing or
    trending cards); line numbers point into the HTML. None when the visible page holds no
    Daily Papers cards at all.
    """
    visible = _Visible()
    try:
        visible.feed(page)
        visible.close()
    except Exception:  # noqa: BLE001 - a lenient parser can still trip on hostile input
        pass
    text = "\n".join(visible.lines)
    if not trending.detect(text) and not markdown.detect(text):
        return None
    result = read_cards(scan_lines(text), source=source, captured_on=captured_on, format=NAME)
    if not result.papers and not result.problems:
        return None

    def origin(line: int) -> int:
        return visible.origins[line - 1] if 0 < line <= len(visible.origins) else line

    papers = tuple(dataclasses.replace(p, line=origin(p.line)) for p in result.papers)
    problems = tuple(dataclasses.replace(p, line=origin(p.line)) for p in result.problems)
    return ParseResult(papers, problems, NAME)


READER = Reader(
    NAME, "a saved HTML page (its embedded data, else the cards it shows)", detect, parse
)
