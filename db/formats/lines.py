"""Link-carrying renderings as lines of visible text with their links: the card reader's tokens.

Markdown clips and text-browser dumps write the same page with different link syntax:
`[text](url)`, `[text][n]` with a reference list, `[n]text`, a URL on the line below its text.
Each rendering turns its text into `Line`s (the visible text of one logical line, with its
`Link`s); `db.formats.cards` reads cards from those alone.

The link scanner is tolerant where clippers break CommonMark: a link's text may run over
blank lines (an abstract as one link, `[\\n- ·\\n\\t45 authors\\n](…)`), its URL may sit on a
line of its own, its text may hold images or raw HTML (`[<video …></video>](…)`), and `\\`
escapes and HTML entities are undone before any text reaches a field.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from papershelf.db.formats.common import github_repo
from papershelf.db.text import clean_line


@dataclass(frozen=True, slots=True)
class Link:
    """A link as a rendering showed it; `url` is None when a reference could not be resolved."""

    text: str
    url: str | None
    image: bool = False


@dataclass(slots=True)
class Line:
    """One logical line (a link may join several source lines), as a person sees it."""

    number: int  # 1-based source line where it starts
    text: str  # visible text, links replaced by their text, images dropped
    links: list[Link] = field(default_factory=list)
    heading: int = 0  # markdown heading level, 0 when not a heading
    plain: str = ""  # the visible text outside links (dates and counts are read here)
    indented: bool = False  # the source line starts with white space


# ---------------------------------------------------------------- what a link points at

ARXIV_ID = r"\d{4}\.\d{4,5}"
_HF = r"https?://(?:www\.)?huggingface\.co"
_PAPER = re.compile(rf"^{_HF}/papers/({ARXIV_ID})(?:v\d+)?/?(?:\?[^#]*)?(?:#(?!community).*)?$")
_COMMUNITY = re.compile(rf"^{_HF}/papers/({ARXIV_ID})(?:v\d+)?/?#community$")
_UPVOTE = re.compile(rf"^{_HF}/login\?next=%2Fpapers%2F({ARXIV_ID})", re.IGNORECASE)
_ARXIV = re.compile(
    rf"^https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html)/({ARXIV_ID})", re.IGNORECASE
)
_ORG = re.compile(rf"^{_HF}/([A-Za-z0-9][\w.-]*)/?$")
# HF site sections that look like `huggingface.co/<name>` but are not organisations.
_SITE_PAGES = frozenset(
    "papers login join models datasets spaces docs blog pricing settings collections posts "
    "learn enterprise chat new notifications privacy terms-of-service huggingface buckets "
    "organizations tasks languages".split()
)


def absolute(url: str) -> str:
    """Site-relative links (`/papers/2311.01282`, kept by some clippers) made whole."""
    url = url.strip().strip("<>")
    return "https://huggingface.co" + url if url.startswith("/") else url


def link_kind(link: Link) -> tuple[str, str | None]:
    """What a link is on a card: (kind, arXiv id or org name or None).

    Kinds: paper, upvote, community, arxiv, github, org, other.
    """
    url = link.url or ""
    for kind, pattern in (
        ("paper", _PAPER),
        ("community", _COMMUNITY),
        ("upvote", _UPVOTE),
        ("arxiv", _ARXIV),
    ):
        if match := pattern.match(url):
            return kind, match.group(1)
    if github_repo([url]) and not link.image:
        return "github", None
    match = _ORG.match(url)
    if match and match.group(1).lower() not in _SITE_PAGES and link.text and not link.image:
        return "org", match.group(1)
    return "other", None


def arxiv_ids(line: Line) -> set[str]:
    """The arXiv ids the links on `line` point at (paper, upvote, comment or arXiv links)."""
    found: set[str] = set()
    for link in line.links:
        ident = link_kind(link)[1]
        if ident is not None and link_kind(link)[0] != "org":
            found.add(ident)
    return found


# ---------------------------------------------------------------- the tolerant scanner

# How far a link may run (an abstract as link text is ~2,000 characters); a stray `[` in prose
# never swallows more than this.
_LINK_SPAN = 8000
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~<>\"' &$%=:;,?/@^])")
_TAG = re.compile(r"<[a-zA-Z/!][^>]*>")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_INNER_HEADING = re.compile(r"(?:^|\s)#{1,6}\s+")
_AUTOLINK = re.compile(r"<(https?://[^\s<>]+)>")
_REF_TAIL = re.compile(r"\[\s*(\d+)\s*\]")


def unescape_markdown(text: str) -> str:
    """Markdown backslash escapes (`\\_`, `\\[`) and HTML entities (`&amp;`) as a reader sees them."""
    return html.unescape(_MD_ESCAPE.sub(r"\1", text))


def matching_bracket(s: str, i: int, opening: str, closing: str, limit: int) -> int | None:
    """The index (below `limit`) of the bracket closing the one at `i`; escapes and nesting kept.

    Nesting matters: titles carry brackets of their own (`[MASK] or …`, `O(n^2)`).
    """
    depth = 0
    j = i
    limit = min(limit, len(s))
    while j < limit:
        char = s[j]
        if char == "\\":
            j += 2
            continue
        if char == opening:
            depth += 1
        elif char == closing:
            depth -= 1
            if depth == 0:
                return j
        j += 1
    return None


def _link_at(s: str, i: int, refs: dict[str, str] | None) -> tuple[str, str | None, int] | None:
    """The link whose `[` is at `i`: (label, url or None, end), or None when there is none.

    Targets: `(url)`, `(url "title")`, `(<url>)` with the URL on a line of its own, and, with
    `refs`, `[n]` looked up in the reference list (None when the list is missing).
    """
    close = matching_bracket(s, i, "[", "]", i + _LINK_SPAN)
    if close is None:
        return None
    label = s[i + 1 : close]
    if s.startswith("(", close + 1):
        end = matching_bracket(s, close + 1, "(", ")", close + 1 + 2000)
        if end is None:
            return None
        target = s[close + 2 : end].strip()
        if target.startswith("<"):
            url = target[1:].split(">")[0]
        else:
            url = target.split()[0] if target else ""
        return label, absolute(url) if url else None, end + 1
    if refs is not None and (ref := _REF_TAIL.match(s, close + 1)):
        return label, refs.get(ref.group(1)), ref.end()
    return None


def _label_text(label: str) -> str:
    """A link's visible text: raw HTML and heading marks dropped, lines joined."""
    label = _TAG.sub(" ", label.replace("\n", " "))
    return _INNER_HEADING.sub(" ", label)


def _scan(
    s: str, start: int, refs: dict[str, str] | None
) -> tuple[list[tuple[str, bool]], list[Link], int]:
    """Scan one logical line from `start`: (text parts with inside-a-link flags, links, end).

    The line ends at the first newline outside a link (`end` is its index, or len(s)).
    """
    parts: list[tuple[str, bool]] = []
    links: list[Link] = []
    i = start
    plain_from = i
    n = len(s)
    while i < n:
        char = s[i]
        if char == "\n":
            break
        if char == "\\" and i + 1 < n and s[i + 1] != "\n":
            i += 2
            continue
        image = char == "!" and s.startswith("[", i + 1)
        if char != "[" and not image:
            i += 1
            continue
        found = _link_at(s, i + 1 if image else i, refs)
        if found is None:
            i += 2 if image else 1
            continue
        parts.append((s[plain_from:i], False))
        label, url, end = found
        inner_parts, inner_links, _ = _scan(_label_text(label), 0, refs)
        text = "" if image else "".join(t for t, _ in inner_parts)
        has_image = image or any(link.image for link in inner_links) or "<img" in label
        links.extend(inner_links)
        links.append(Link(clean_line(unescape_markdown(text)), url, has_image))
        parts.append((text, True))
        i = plain_from = end
    parts.append((s[plain_from:i], False))
    return parts, links, i


def make_line(
    number: int, parts: list[tuple[str, bool]], links: list[Link], heading: int, indented: bool
) -> Line:
    """A Line from scanned parts: visible text, and the text outside links kept apart.

    A link leaves a space behind in `plain`, so `Nov 2, 2023[3](…)` does not read as
    `Nov 2, 20233`.
    """
    visible = clean_line(unescape_markdown("".join(text for text, _ in parts)))
    plain = clean_line(unescape_markdown("".join(" " if inside else t for t, inside in parts)))
    return Line(number, visible, links, heading, plain, indented)


def scan_lines(text: str, refs: dict[str, str] | None = None) -> list[Line]:
    """The logical lines of a markdown or reference-link document, each with its links."""
    lines: list[Line] = []
    pos, number, n = 0, 1, len(text)
    while pos <= n:
        end_of_first = text.find("\n", pos)
        first = text[pos : n if end_of_first == -1 else end_of_first]
        heading = 0
        start = pos
        if first.startswith("#") or first.startswith(" "):
            if match := _HEADING.match(first):
                heading = len(match.group(1))
                start = pos + match.start(2)
        if "[" in first:
            source = _AUTOLINK.sub(r"\1", text[start : start + _LINK_SPAN + len(first)])
            parts, links, end = _scan(source, 0, refs)
            consumed = source[:end]
            # The autolink rewrite only shortens `<url>` runs, which never hold a newline.
            spanned = consumed.count("\n")
        else:
            parts, links, spanned = (
                [(_AUTOLINK.sub(r"\1", text[start : pos + len(first)]), False)],
                [],
                0,
            )
        lines.append(make_line(number, parts, links, heading, first[:1] in (" ", "\t")))
        # Move to the start of the next physical line after the last one this line used.
        for _ in range(spanned + 1):
            nxt = text.find("\n", pos)
            if nxt == -1:
                return lines
            pos = nxt + 1
        number += spanned + 1
    return lines


# ---------------------------------------------------------------- small readers

# Text that starts like JSON or HTML is not a clip: `[{`, `["`, `[]`, `[[1`, `{`, `<`. A text
# browser's first line may start `[[Hugging Face's logo] …` (an image's alt text in a link).
NOT_TEXT = re.compile(r"^\s*(?:<(?!video|img|a\b)|\{|\[\s*(?:[{\]\"]|\[(?!\s*[A-Za-z])))")


_COUNT = re.compile(
    r"^(-|\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?k?)(?:\s+(?:comments?|upvotes?|votes?))?$", re.IGNORECASE
)
_AUTHORS = re.compile(r"^(?:[•*·\-+?\ufffd]\s*)*(\d{1,7})\s+authors?$", re.IGNORECASE)
BULLETS = " ·•*-+|"


def count(text: str) -> int | None:
    """An upvote or comment count as shown: `12`, `1,234`, `1.09k` (1090), `3 comments`; `-`
    (none yet) is 0."""
    match = _COUNT.match(text.strip())
    if not match:
        return None
    text = match.group(1)
    if text == "-":
        return 0
    if text.lower().endswith("k"):
        return round(float(text[:-1]) * 1000)
    return int(text.replace(",", ""))


def authors_count(text: str) -> int | None:
    """`9 authors`, `• 1 authors`, `- · 45 authors` -> the count; anything else -> None."""
    match = _AUTHORS.match(text.strip())
    return int(match.group(1)) if match else None
