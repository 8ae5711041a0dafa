"""Daily Papers pages in, `ParsedPaper` records and `Problem`s out.

Pure: no I/O besides the text or bytes it is given. The renderings it reads live in
`db.formats` (one reader per rendering, listed in `db.formats.registry`); this module decodes
bytes, picks the reader from the content (or takes the caller's `format`), and hands over.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date

from papershelf.db.formats import plain
from papershelf.db.formats.common import ParseError, Reader
from papershelf.db.formats.registry import FALLBACK, READERS, reader_named
from papershelf.db.models import ParseResult, Problem
from papershelf.db.text import is_blank, normalize_newlines

__all__ = [
    "FORMATS",
    "ParseError",
    "describe_formats",
    "detect_format",
    "parse_bytes",
    "parse_text",
]

FORMATS: tuple[str, ...] = tuple(reader.name for reader in READERS)

_WARN_CP1252 = "not UTF-8 (from this line on); read as Windows-1252"


def detect_format(text: str) -> str:
    """The name of the format whose `detect` scores `text` highest ("text" when none claims it)."""
    return _detect(normalize_newlines(text))


def describe_formats() -> tuple[tuple[str, str], ...]:
    """(name, one-line description) of every rendering `format` may name."""
    return tuple((reader.name, reader.description) for reader in READERS)


def _detect(text: str) -> str:
    best, best_score = FALLBACK, 0
    for reader in READERS:
        score = reader.detect(text)
        if score > best_score:
            best, best_score = reader, score
    return best.name


def parse_text(
    text: str, *, source: str = "<stdin>", captured_on: date, format: str | None = None
) -> ParseResult:
    """Parse one page's text; `format` (one of FORMATS) overrides detection.

    Raises ParseError when the whole input is unreadable; entries that cannot be completed
    are returned as Problems with their 1-based line numbers.
    """
    with _no_gc():
        text, reader = _prepare(text, source, format)
        return reader.parse(text, source=source, captured_on=captured_on)


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


def _prepare(text: str, source: str, format: str | None) -> tuple[str, Reader]:
    """(text with newlines normalised, the reader to read it)."""
    text = normalize_newlines(text)
    if is_blank(text):
        raise ParseError(f"{source} is empty.")
    name = format or _detect(text)
    reader = reader_named(name)
    if reader is None:
        raise ParseError(f"unknown format {name!r}; expected one of {', '.join(FORMATS)}.")
    if format is not None and not reader.detect(text):
        # A reader made to read what shows none of its marks finds "papers" in anything.
        raise ParseError(
            f"{source} does not look like {format} ({reader.description}) but like"
            f" {_detect(text)}: leave --format out."
        )
    return text, reader


def parse_bytes(
    data: bytes, *, source: str = "<stdin>", captured_on: date, format: str | None = None
) -> ParseResult:
    """Decode `data` (UTF-8 with or without BOM, UTF-16/32 with BOM, else Windows-1252 with a
    warning) and parse it. Binary data is a ParseError, never a page of mojibake.

    A UTF-8 page with a few undecodable bytes keeps them as U+FFFD in the field they are in,
    with a warning naming each such line: they cost that field, not the page.
    """
    with _no_gc():
        text, notes = _decode(data, source)
        text, reader = _prepare(text, source, format)
        if reader is plain.READER and len(data) >= _BIG and not notes and not _has_bom(data):
            # A big plain copy: its lines are all kept, so drop the decoded whole (2x the
            # bytes when one author bullet makes the text UCS-2) and decode the lines a
            # block at a time.
            del text
            result = plain.parse_lines(_utf8_lines(data), source=source, captured_on=captured_on)
        else:
            result = reader.parse(text, source=source, captured_on=captured_on)
    if not notes:
        return result
    return ParseResult(result.papers, (*notes, *result.problems), result.format)


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


def _decode(data: bytes, source: str) -> tuple[str, tuple[Problem, ...]]:
    """(text, warnings about its decoding); ParseError for binary data."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), ()
            except UnicodeDecodeError:
                if encoding == "utf-8-sig":
                    return _damaged_utf8(data[len(bom) :].decode("utf-8", "replace"), data, source)
                name = encoding.removesuffix("-sig").upper()
                raise ParseError(f"{source} starts with a {name} mark but is not {name}.") from None
    if _looks_binary(data):
        raise ParseError(f"{source} is a binary file, not a Daily Papers page.")
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    replaced = text.count(_REPLACEMENT) - data.count(_REPLACEMENT_BYTES)
    readable = len(text) - len(text.encode("ascii", "ignore")) - text.count(_REPLACEMENT)
    if readable >= replaced:
        # UTF-8 with a few damaged bytes (it has more good non-ASCII characters than bad
        # bytes): the bad bytes cost the fields they are in.
        return _damaged_utf8(text, data, source)
    # Old Windows tools save cp1252 (no valid UTF-8 sequence at all): decode it (the 5
    # unassigned bytes become U+FFFD) and say so, rather than storing mojibake or refusing it.
    # The warning names the first line that is not plain ASCII, the first the guess applies to.
    first = re.search(rb"[\x80-\xff]", data)
    line = data.count(b"\n", 0, first.start()) + 1 if first else 1
    return data.decode("cp1252", errors="replace"), (Problem(source, line, _WARN_CP1252),)


_REPLACEMENT = "\ufffd"
_REPLACEMENT_BYTES = _REPLACEMENT.encode()
_MAX_DAMAGE_NOTES = 20


def _damaged_utf8(text: str, data: bytes, source: str) -> tuple[str, tuple[Problem, ...]]:
    """`text` (UTF-8 decoded with U+FFFD for bad bytes) and a warning per line that has them."""
    notes: list[Problem] = []
    lines = text.split("\n")
    damaged = [n for n, line in enumerate(lines, 1) if _REPLACEMENT in line]
    for number in damaged[:_MAX_DAMAGE_NOTES]:
        shown = lines[number - 1].strip().replace("\r", "")
        shown = shown if len(shown) <= 60 else shown[:59] + "…"
        message = f'bytes that are not UTF-8 are shown as "\ufffd" in "{shown}"'
        notes.append(Problem(source, number, message))
    if len(damaged) > _MAX_DAMAGE_NOTES:
        more = len(damaged) - _MAX_DAMAGE_NOTES
        notes.append(Problem(source, damaged[_MAX_DAMAGE_NOTES], f"and {more} more such lines"))
    return text, tuple(notes)


def _looks_binary(data: bytes) -> bool:
    if b"\x00" in data:  # no text encoding without a BOM puts NUL bytes in a page
        return True
    sample = data[:8192]
    controls = sum(1 for byte in sample if byte < 0x20 and byte not in _TEXT_CONTROLS)
    return bool(sample) and controls / len(sample) > 0.05


# -- streaming: a big plain copy read a block at a time --------------------------------------


class NotUTF8(ParseError):
    """A streamed page turned out not to be UTF-8: read it whole instead (`parse_bytes` decodes
    it as Windows-1252 with a warning)."""

    def __init__(self, source: str) -> None:
        super().__init__(f"{source} is not UTF-8.")
        self.source = source


def streams(head: bytes, format: str | None = None) -> bool:
    """True when a page whose first bytes are `head` can be read with `parse_stream`.

    That is a plain browser copy (named, or detected from `head`) in UTF-8 without a byte order
    mark. Anything else is read whole with `parse_bytes`.
    """
    if _has_bom(head) or _looks_binary(head):
        return False
    text = str(head[: head.rfind(b"\n") + 1], "utf-8", errors="replace")
    if is_blank(text):
        return False
    return (format or _detect(normalize_newlines(text))) == plain.NAME


def parse_stream(
    chunks: Iterable[bytes], *, source: str, captured_on: date
) -> Iterator[ParseResult]:
    """`parse_bytes` of a page that `streams`, from its bytes in chunks of any size: one
    ParseResult per block of whole lines, together exactly what `parse_bytes` returns.

    NotUTF8 when a block is not UTF-8 (read the page whole instead); ParseError as
    `parse_bytes` for a binary or unreadable page, possibly after earlier results.
    """
    with _no_gc():
        yield from plain.parse_stream(
            _line_blocks(chunks, source), source=source, captured_on=captured_on
        )


def _line_blocks(chunks: Iterable[bytes], source: str) -> Iterator[list[str]]:
    """The lines of the chunks' bytes (newlines normalised), a list per block of whole lines."""
    tail = b""
    for chunk in chunks:
        cut = chunk.rfind(b"\n")
        if cut == -1:
            tail += chunk
            continue
        yield _block_lines(tail + chunk[: cut + 1], source)
        tail = chunk[cut + 1 :]
    if tail:
        yield _block_lines(tail, source)


# Every control byte but LF: a block without them is `plain.AsciiPrintable`.
_CONTROL_BYTES = bytes(byte for byte in range(0x20) if byte != 0x0A) + b"\x7f"


def _block_lines(data: bytes, source: str) -> list[str]:
    if b"\x00" in data:
        raise ParseError(f"{source} is a binary file, not a Daily Papers page.")
    try:
        text = str(data, "utf-8")
    except UnicodeDecodeError:
        raise NotUTF8(source) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()  # the empty string after the block's last LF
    if len(data.translate(None, _CONTROL_BYTES)) == len(data):  # ~2 ns a byte
        return plain.AsciiPrintable(lines)
    return lines
