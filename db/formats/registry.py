"""Every rendering papershelf reads, in one plain list.

`db.parse` asks each reader's `detect` for a score and hands the text to the highest.
The scale, so a new reader can slot in:

    1   a fallback that can at least explain why it cannot read the text (plain copy)
    40  the rendering's structure is visibly there (the plain copy's `·` and date lines)
    50  the text is JSON (the API reader explains a wrong shape best)
    55  a text-browser dump cut before its reference list
    60  the text is HTML of some other page (so the error names the wrong site)
    65  each link's URL on a line of its own
    70  papershelf's own export; a text-browser dump with its reference list
    75  markdown links to paper pages
    80  a JSON Feed or an RSS/Atom feed whose items link to papers
    85  the trending page's cards
    88  one paper's page (it shows a trending card's markers too)
    90  HTML carrying the Daily Papers data element
"""

from __future__ import annotations

from papershelf.db.formats import (
    feeds,
    hfjson,
    htmlpage,
    jsonfeed,
    markdown,
    paperpage,
    papershelf_json,
    plain,
    textbrowser,
    trending,
)
from papershelf.db.formats.common import Reader

READERS: tuple[Reader, ...] = (
    plain.READER,
    hfjson.READER,
    papershelf_json.READER,
    htmlpage.READER,
    markdown.READER,
    textbrowser.READER,
    trending.READER,
    feeds.READER,
    jsonfeed.READER,
    paperpage.READER,
)
FALLBACK = plain.READER


def reader_named(name: str) -> Reader | None:
    """The reader whose `--format` name is `name`."""
    return next((reader for reader in READERS if reader.name == name), None)
