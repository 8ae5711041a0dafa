"""Papers out of the library: JSON (re-importable), CSV, a Markdown reading list, BibTeX.

`export(papers, fmt)` returns the whole document as a string. JSON is the lossless format:
`db.formats.papershelf_json` reads it back (`--format export`) and restores tags, read marks,
notes, snoozes and dismissals.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Callable, Sequence

from papershelf.db.models import Paper

EXPORT_FORMATS = ("json", "csv", "markdown", "bibtex")


def export(papers: Sequence[Paper], fmt: str) -> str:
    """Render `papers` in `fmt` (one of EXPORT_FORMATS); ValueError for an unknown format."""
    try:
        render = _RENDERERS[fmt]
    except KeyError:
        raise ValueError(
            f"Unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}."
        ) from None
    return render(papers)


def to_json(papers: Sequence[Paper]) -> str:
    """A JSON list of `Paper.to_json()` objects, indented."""
    return json.dumps([p.to_json() for p in papers], indent=2, ensure_ascii=False) + "\n"


def to_csv(papers: Sequence[Paper]) -> str:
    """One row per paper with the JSON keys as header; lists joined with '; '."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    rows = [p.to_json() for p in papers]
    keys = list(rows[0]) if rows else _keys()
    writer.writerow(keys)
    for row in rows:
        writer.writerow([_csv_cell(row[k]) for k in keys])
    return out.getvalue()


def _keys() -> list[str]:
    """The JSON keys in order, as `Paper.to_json` (their one definition) writes them."""
    blank = Paper(
        id=0,
        arxiv_id=None,
        title="",
        abstract="",
        authors=(),
        authors_count=None,
        organization=None,
        published=None,
        upvotes=None,
        comments=None,
        links=(),
        tags=(),
        read=False,
        read_at=None,
        added_at="",
    )
    return list(blank.to_json())


def _csv_cell(value: object) -> object:
    if isinstance(value, list):
        return "; ".join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


# Inline syntax only: titles never start a line, so `#`, `+`, `-` and `1.` need no escape.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def markdown_escape(text: str) -> str:
    """Backslash-escape characters Markdown would read as syntax."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def to_markdown(papers: Sequence[Paper]) -> str:
    """A reading list: `- [x] [Title](page) — 2023-11-02 · 9 authors · tags: a, b`."""
    lines = []
    for p in papers:
        parts = [f"- [{'x' if p.read else ' '}] [{markdown_escape(p.title)}]({p.page_url})"]
        details = []
        if p.published:
            details.append(p.published)
        authors = p.authors_count if p.authors_count is not None else len(p.authors) or None
        if authors is not None:
            details.append(f"{authors} author" + ("" if authors == 1 else "s"))
        elif p.organization:
            details.append(markdown_escape(p.organization))
        if p.code_link:
            details.append(f"[code]({p.code_link.replace(')', '%29')})")
        if p.tags:
            details.append("tags: " + ", ".join(markdown_escape(t) for t in sorted(p.tags)))
        lines.append(" — ".join([parts[0], " · ".join(details)]) if details else parts[0])
        if p.note:  # the note as a quote under its paper, one `>` line per line of the note
            lines.extend(f"  > {markdown_escape(line)}".rstrip() for line in p.note.splitlines())
    return "\n".join(lines) + ("\n" if lines else "")


# -- BibTeX --------------------------------------------------------------------------------------

_STOPWORDS = frozenset(
    "a an the on of for in to with and or is are be via from by at as towards toward into its "
    "your our we do does can how what why when which this that using".split()
)
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_BIB_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIB_SPECIAL_RE = re.compile("|".join(re.escape(c) for c in _BIB_SPECIAL))


def bib_escape(text: str) -> str:
    """Escape characters that mean something to BibTeX/LaTeX (braces stay balanced)."""
    return _BIB_SPECIAL_RE.sub(lambda m: _BIB_SPECIAL[m.group()], text)


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def _last_name(author: str) -> str:
    if "," in author:
        return _ascii_word(author.split(",")[0])
    words = [w for w in author.split() if _ascii_word(w) not in _NAME_SUFFIXES]
    return _ascii_word(words[-1]) if words else ""


def bib_base_key(p: Paper) -> str:
    """firstauthorlastname + year + first significant title word, lowercase ASCII."""
    name = (_last_name(p.authors[0]) if p.authors else "") or "anon"
    year = (p.published or "")[:4] or "nd"
    words = [_ascii_word(w) for w in re.split(r"[\s\-:/]+", p.title)]
    word = next((w for w in words if w and w not in _STOPWORDS), "") or next(
        (w for w in words if w), ""
    )
    return f"{name}{year}{word}"


def bib_keys(papers: Sequence[Paper]) -> list[str]:
    """Unique keys, one per paper: colliding base keys get a, b, c... in a deterministic order.

    The order inside a collision depends only on the papers themselves (arXiv id, date, title,
    id), never on the order they were exported in, so the same papers always get the same keys.
    """
    bases = [bib_base_key(p) for p in papers]
    groups: dict[str, list[int]] = {}
    for index, base in enumerate(bases):
        groups.setdefault(base, []).append(index)
    keys = list(bases)
    taken = {b for b, members in groups.items() if len(members) == 1}
    for base, members in groups.items():
        if len(members) == 1:
            continue
        members.sort(
            key=lambda i: (
                papers[i].arxiv_id or "~",
                papers[i].published or "",
                papers[i].title,
                papers[i].id,
            )
        )
        for n, index in enumerate(members):
            key = base + _suffix(n)
            while key in taken:  # a generated key that happens to equal another base key
                key += "x"
            keys[index] = key
            taken.add(key)
    return keys


def _suffix(n: int) -> str:
    letters = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def to_bibtex(papers: Sequence[Paper]) -> str:
    """`@misc` entries with eprint/archivePrefix = {arXiv} where the arXiv id is known."""
    entries = []
    for key, p in zip(bib_keys(papers), papers):
        fields = [("title", "{" + bib_escape(p.title) + "}")]
        if p.authors:
            fields.append(("author", " and ".join(bib_escape(a) for a in p.authors)))
        elif p.organization:
            fields.append(("author", "{" + bib_escape(p.organization) + "}"))
        if p.published:
            fields.append(("year", p.published[:4]))
        if p.arxiv_id:
            fields += [
                ("eprint", bib_escape(p.arxiv_id)),
                ("archivePrefix", "arXiv"),
                ("url", f"https://arxiv.org/abs/{p.arxiv_id}"),
            ]
        if p.tags:
            fields.append(("keywords", bib_escape(", ".join(sorted(p.tags)))))
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        entries.append(f"@misc{{{key},\n{body}\n}}\n")
    return "\n".join(entries)


_RENDERERS: dict[str, Callable[[Sequence[Paper]], str]] = {
    "json": to_json,
    "csv": to_csv,
    "markdown": to_markdown,
    "bibtex": to_bibtex,
}
