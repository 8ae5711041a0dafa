"""Text hygiene shared by every parser and the store.

Imported text is untrusted: it can carry terminal escape sequences (colour codes, OSC 52
clipboard writes, window-title changes), zero-width characters, NBSPs and CRLFs. Everything
that enters the library goes through `clean_text` or `clean_line` first, so nothing
downstream (the app, `list`, `show`, exports) ever has to think about it again.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date

# ESC-introduced sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), other
# two-byte escapes; plus the 8-bit C1 forms of CSI/OSC/DCS. Removed whole, not just the ESC,
# so no "[31m" debris is left behind.
_ESCAPE_SEQUENCE = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]                 # CSI ... final byte
  | \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?      # OSC ... BEL or ST (or cut off)
  | \x1b[PX^_][^\x1b]*(?:\x1b\\)?           # DCS / SOS / PM / APC ... ST
  | \x1b[@-Z\\-_]                           # other Fe escapes
  | \x1b.?                                  # a lone ESC (and whatever it would have eaten)
  | \x9b[0-?]*[ -/]*[@-~]                   # 8-bit CSI
  | \x9d[^\x07\x9c]*(?:\x07|\x9c)?          # 8-bit OSC
    """,
    re.VERBOSE,
)
# C0 and C1 controls except tab and newline, DEL, and invisible format characters that
# only confuse matching and alignment (zero-width space/joiners, BOM, bidi overrides).
# Also lone UTF-16 surrogates (`"\ud800"` in JSON decodes to one): no UTF-8 can hold them, so
# SQLite would refuse the text; they become U+FFFD, as undecodable bytes do.
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
    "\ud800-\udfff]"
)
_H = r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]"
# Runs of horizontal space that need rewriting to one plain space: a single plain space is
# left alone, so a 50 MB abstract costs a scan, not ten million substitutions.
_HSPACE = re.compile(rf"(?! (?!{_H})){_H}+")
_WS = re.compile(r"(?! \S)\s+")
# Anything `clean_line` would rewrite besides plain spaces: controls and escape introducers
# (all inside _CONTROL), newlines, and horizontal space other than " ". A line with none of
# these only needs its ends stripped and its runs of spaces checked.
_NEEDS_CLEANING = re.compile(
    "[\n\t\x00-\x08\x0b-\x1f\x7f-\x9f\u00a0\u1680\u2000-\u200f\u2028-\u202f"
    "\u205f-\u2064\u2066-\u2069\u3000\ufeff\ud800-\udfff]"
)


def strip_controls(text: str) -> str:
    """Remove terminal escape sequences and control/format characters, keep tabs and newlines."""
    if text.isprintable():  # no Cc/Cf character at all (ESC, C1, zero-width, bidi): nothing to do
        return text
    return _CONTROL.sub(_dropped, _ESCAPE_SEQUENCE.sub("", text))


def _dropped(match: re.Match[str]) -> str:
    return "\ufffd" if "\ud800" <= match.group() <= "\udfff" else ""


_NON_SPACE = re.compile(r"\S")


def is_blank(text: str) -> bool:
    """True when nothing visible is left once controls and escape sequences are stripped.

    The first non-space character decides almost every text at once: when it is visible (not
    a control, not an escape introducer) nothing before it can swallow it, so it survives
    `strip_controls`. Only the rest pays for stripping the whole text (~1 s on 128 MB).
    """
    first = _NON_SPACE.search(text)
    if first and not _CONTROL.match(first.group()):
        return False
    visible = strip_controls(text)
    return not visible or visible.isspace()


def normalize_newlines(text: str) -> str:
    """CRLF and lone CR become LF; a leading BOM goes."""
    text = text.lstrip("\ufeff")
    if "\r" not in text:  # one scan, no copy, for the usual LF text
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def clean_line(text: str) -> str:
    """One line of display text: controls stripped, NBSP/tabs as spaces, runs collapsed, trimmed."""
    # The common case, nothing to remove: a printable line (`isprintable` is False for every
    # control, format character and blank but " "), or one free of what _NEEDS_CLEANING
    # lists. Stripping first lets "  • 9 authors" through.
    if text.isprintable() or not _NEEDS_CLEANING.search(text):
        stripped = text.strip()
        if "  " not in stripped:
            return stripped
    return _HSPACE.sub(" ", strip_controls(text.translate(_BREAKS)).replace("\n", " ")).strip()


# Line and page breaks other than \n separate words as a newline does: a space, not nothing.
_BREAKS = str.maketrans(dict.fromkeys("\r\v\f\x1c\x1d\x1e\x85\u2028\u2029", " "))


def clean_lines(lines: Iterable[str]) -> list[str]:
    """`clean_line` of each line, with its fast path inlined (a page has ~8 lines per paper).

    `isprintable()` is False for every control, format character and non-space blank, so a
    printable line only needs its ends stripped, unless a run of spaces is left inside.
    """
    return [
        stripped if raw.isprintable() and "  " not in (stripped := raw.strip()) else clean_line(raw)
        for raw in lines
    ]


def clean_text(text: str) -> str:
    """A paragraph of display text: like `clean_line`; paragraphs become one line."""
    return _WS.sub(" ", clean_line(text)).strip()


_PUNCT_OR_SPACE = re.compile(r"[\W_]+", re.UNICODE)


def title_key(title: str) -> str:
    """The identity of a paper without an arXiv id: NFKC, casefold, punctuation and space collapsed."""
    folded = unicodedata.normalize("NFKC", strip_controls(title)).casefold()
    return _PUNCT_OR_SPACE.sub(" ", folded).strip()


MONTHS = {
    name: number
    for number, name in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}


def month_number(name: str) -> int | None:
    """`Dec`, `December`, `dec.` -> 12; anything else -> None."""
    return MONTHS.get(name.strip().rstrip(".")[:3].lower())


def latest_on_or_before(month: int, day: int, anchor: date) -> date | None:
    """The most recent `month`/`day` on or before `anchor` (the yearless-date rule of DESIGN.md).

    Feb 29 resolves to the latest leap year; impossible days (Feb 30) give None.
    """
    for year in range(anchor.year, anchor.year - 8, -1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= anchor:
            return candidate
    return None
