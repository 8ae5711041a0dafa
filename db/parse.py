"""Daily Papers pages in, `ParsedPaper` records and `Problem`s out.

Pure: no I/O besides the text or bytes it is given. The renderings it reads live in
`db.formats` (one module per format, see that package's docstring); this module decodes bytes,
picks the format from the content (or takes the caller's `format`), and hands over.
"""

from __future__ import annotations

import gc
import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from types import ModuleType

from papershelf.db.formats import export, hfjson, htmlpage, plain
from papershelf.db.formats.common import ParseError
from papershelf.db.models import ParseResult, Problem
from papershelf.db.text import is_blank, normalize_newlines

__all__ = ["FORMATS", "ParseError", "detect_format", "parse_bytes", "parse_text"]

# Formats another helper adds (markdown clippers, text browsers, the trending page). Each is
# picked up when its module exists, so adding one never needs an edit here.
_OPTIONAL = ("markdown", "textbrowser", "trending")


def _load_formats() -> list[ModuleType]:
    modules: list[ModuleType] = [plain, hfjson, export, htmlpage]
    for name in _OPTIONAL:
        qualified = f"papershelf.db.formats.{name}"
        try:
            modules.append(importlib.import_module(qualified))
        except ModuleNotFoundError as error:
            # Only "the module is not there yet" is skipped; a broken module must fail loudly.
            if error.name != qualified:
                raise
    return modules


_FORMATS: list[ModuleType] = _load_formats()
FORMATS: tuple[str, ...] = tuple(module.NAME for module in _FORMATS)

_WARN_CP1252 = "not UTF-8; read as Windows-1252"


def detect_format(text: str) -> str:
    """The name of the format whose `detect` scores `text` highest ("text" when none claims it)."""
    return _detect(normalize_newlines(text))


def _detect(text: str) -> str:
    best, best_score = plain.NAME, 0
    for module in _FORMATS:
        score = module.detect(text)
        if score > best_score:
            best, best_score = module.NAME, score
    return best


def parse_text(
    text: str, *, source: str = "<stdin>", captured_on: date, format: str | None = None
) -> ParseResult:
    """Parse one page's text; `format` (one of FORMATS) overrides detection.

    Raises ParseError when the whole input is unreadable; entries that cannot be completed
    are returned as Problems with their 1-based line numbers.
    """
    with _no_gc():
        text, module = _prepare(text, source, format)
        return module.parse(text, source=source, captured_on=captured_on)


@contextmanager
def _no_gc() -> Iterator[None]:
    """The cyclic collector paused while a page is read.

    Parsing makes ~10 tracked objects per paper (ParsedPaper, tuples, lists) and no cycles,
    so the collector's passes over the growing heap are pure cost: 12% of parsing a 100k
    page. Re-enabled on the way out, errors included; left alone if it was already off.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _prepare(text: str, source: str, format: str | None) -> tuple[str, ModuleType]:
    """(text with newlines normalised, the format module to read it)."""
    text = normalize_newlines(text)
    if is_blank(text):
        raise ParseError(f"{source} is empty.")
    name = format or _detect(text)
    module = next((m for m in _FORMATS if m.NAME == name), None)
    if module is None:
        raise ParseError(f"unknown format {name!r}; expected one of {', '.join(FORMATS)}.")
    return text, module


def parse_bytes(
    data: bytes, *, source: str = "<stdin>", captured_on: date, format: str | None = None
) -> ParseResult:
    """Decode `data` (UTF-8 with or without BOM, UTF-16/32 with BOM, else Windows-1252 with a
    warning) and parse it. Binary data is a ParseError, never a page of mojibake."""
    with _no_gc():
        text, warning = _decode(data, source)
        text, module = _prepare(text, source, format)
        if module is plain and len(data) >= _BIG and warning is None and not _has_bom(data):
            # A big plain copy: its lines are all kept, so drop the decoded whole (2x the
            # bytes when one author bullet makes the text UCS-2) and decode the lines a
            # block at a time.
            del text
            result = plain.parse_lines(_utf8_lines(data), source=source, captured_on=captured_on)
        else:
            result = module.parse(text, source=source, captured_on=captured_on)
    if warning is None:
        return result
    return ParseResult(
        result.papers, (Problem(source, 0, warning), *result.problems), result.format
    )


_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
# Control bytes that text files do carry: tab, LF, FF, CR, and ESC (hostile but textual:
# escape sequences are stripped later, they do not make a file binary).
_TEXT_CONTROLS = frozenset(b"\t\n\x0c\r\x1b")


# Pages from this size on are read as lines straight from their bytes (a 100k-paper page is
# 128 MB, a 1M one 1.3 GB); smaller ones are split from the text, which is a little faster.
_BIG = 256 * 2**20
_BLOCK = 16 * 2**20


def _has_bom(data: bytes) -> bool:
    return any(data.startswith(bom) for bom, _ in _BOMS)


def _utf8_lines(data: bytes) -> Iterator[str]:
    """`normalize_newlines(data.decode()).split("\\n")`, decoded a block at a time.

    Blocks end just after an LF, so no UTF-8 sequence and no CRLF is cut in two; each block's
    split ends in an empty string for that LF, which belongs to the next block's first line.
    """
    view = memoryview(data)
    start = 0
    while True:
        end = data.find(b"\n", start + _BLOCK)
        last = end == -1
        block = str(view[start : len(data) if last else end + 1], "utf-8")
        if "\r" in block:
            block = block.replace("\r\n", "\n").replace("\r", "\n")
        lines = block.split("\n")
        if not last:
            lines.pop()
        yield from lines
        if last:
            return
        start = end + 1


def _decode(data: bytes, source: str) -> tuple[str, str | None]:
    """(text, warning or None); ParseError for binary data."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), None
            except UnicodeDecodeError:
                name = encoding.removesuffix("-sig").upper()
                raise ParseError(f"{source} starts with a {name} mark but is not {name}.") from None
    if _looks_binary(data):
        raise ParseError(f"{source} is a binary file, not a Daily Papers page.")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        # Old Windows tools save cp1252; decode it (the 5 unassigned bytes become U+FFFD)
        # and say so, rather than storing mojibake silently or refusing a readable page.
        return data.decode("cp1252", errors="replace"), _WARN_CP1252


def _looks_binary(data: bytes) -> bool:
    if b"\x00" in data:  # no text encoding without a BOM puts NUL bytes in a page
        return True
    sample = data[:8192]
    controls = sum(1 for byte in sample if byte < 0x20 and byte not in _TEXT_CONTROLS)
    return bool(sample) and controls / len(sample) > 0.05
