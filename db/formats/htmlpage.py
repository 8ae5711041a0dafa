"""A saved Daily Papers HTML page.

The page embeds the day's items as HTML-escaped JSON in the `data-props` attribute of an
element with `data-target="DailyPapers"` (the same items as `/api/daily_papers`, under
`dailyPapers`). Reading that JSON is far more exact than scraping the rendered cards.
"""

from __future__ import annotations

import json
import re
from datetime import date
from html.parser import HTMLParser

from papershelf.db.formats.common import ParseError, find_paper_list, papers_from_items
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
    if _MARKER_TAIL.search(text) and _MARKER.search(text):
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
        items = find_paper_list(value)
        if items is not None:
            papers, problems = papers_from_items(items, [line] * len(items), source)
            return ParseResult(tuple(papers), tuple(problems), NAME)
    # No embedded data (a page saved as "HTML only", or a reader-mode copy): read the cards it shows.
    from papershelf.db.formats.markdown import (
        visible_cards,  # imported here: markdown is an optional format
    )

    shown = visible_cards(text, source=source, captured_on=captured_on, format=NAME)
    if shown is not None:
        return shown
    raise ParseError(f"{source} is an HTML page but not a Hugging Face Daily Papers page.")
