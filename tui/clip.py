"""How much of a paper's text is drawn: any field is clipped before it reaches a widget.

What is stored is never touched; only what is drawn is bounded, so a 2 MB title or a 5 MB
abstract costs the screen a few thousand characters of layout and highlighting, not seconds
of a frozen UI. The CLI (`papershelf show`, export) still gives everything.
"""

from __future__ import annotations

from dataclasses import replace

from papershelf.db.models import Paper

TITLE_CHARS = 4_000  # far more than any real title; the pane wraps what it shows
TEXT_CHARS = 20_000  # abstract, AI summary, note: several screens of the detail pane
NAMES_CHARS = 2_000  # authors, organisation, submitter
MAX_AUTHORS = 200
MAX_LINKS = 50


def clip(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, with a note saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… [{len(text) - limit:,} more characters not shown]"


def clip_opt(text: str | None, limit: int) -> str | None:
    """`clip` for optional fields."""
    return None if text is None else clip(text, limit)


def drawable(paper: Paper) -> Paper:
    """A copy of `paper` whose text fields are clipped for drawing (the same object when
    nothing needs clipping, which is nearly always)."""
    if (
        len(paper.title) <= TITLE_CHARS
        and len(paper.abstract or "") <= TEXT_CHARS
        and len(paper.ai_summary or "") <= TEXT_CHARS
        and len(paper.note or "") <= TEXT_CHARS
        and len(paper.organization or "") <= NAMES_CHARS
        and len(paper.submitter or "") <= NAMES_CHARS
        and len(paper.authors) <= MAX_AUTHORS
        and sum(map(len, paper.authors)) <= NAMES_CHARS * 10
        and len(paper.links) <= MAX_LINKS
        and sum(map(len, paper.links)) <= NAMES_CHARS * 10
    ):
        return paper
    return replace(
        paper,
        title=clip(paper.title, TITLE_CHARS),
        abstract=clip(paper.abstract or "", TEXT_CHARS),
        ai_summary=clip_opt(paper.ai_summary, TEXT_CHARS),
        note=clip_opt(paper.note, TEXT_CHARS),
        organization=clip_opt(paper.organization, NAMES_CHARS),
        submitter=clip_opt(paper.submitter, NAMES_CHARS),
        authors=tuple(clip(a, NAMES_CHARS) for a in paper.authors[:MAX_AUTHORS]),
        links=tuple(link for link in paper.links[:MAX_LINKS] if len(link) <= NAMES_CHARS),
    )
