"""Stage 1 of a search: parse the query language into a `Query` (pure: no SQLite here).

Terms are separated by spaces and ANDed; `|` ORs the terms either side of it (fzf style:
`a | b c` is (a OR b) AND c). A `Query` is therefore a tuple of OR-groups, each a tuple of
`Term`s. Decisions the design table leaves open, made here:

- `!x` negates any term; `-x` does too unless x starts with a digit (`-1` stays a word).
  `!word` is fzf's inverse-exact: it drops papers containing `word` (title, abstract,
  organisation); a fuzzy exclusion would drop far too much once typos are allowed.
- `after:D` / `before:D` are inclusive; D may be `2024`, `2024-03` or `2024-03-15`.
- `^x$` is "title equals x". `title:x abstract:x org:x` are fuzzy inside that field;
  `title:"a phrase"` / `title:'x` are exact inside it.
- `authors:` followed by a comparison or number is the author count; any other value is a
  case-insensitive substring of the author names (`authors:vaswani`); `author:` is an alias.
- A `name:value` whose name is not a field is an error that lists the fields (`"re:invent"`
  quoted searches for the text); a pasted link (`https://...`) is searched as words.
- A query of punctuation alone (`((`, `$`, `*`) is an error: it has nothing to search for.
- `added:` is when a paper entered the library, in local calendar days: `added:today`,
  `added:2025-12-08`, `added:>=2025-12-01`, `added:<2025-12-01` (ops as for numbers), and
  `added:latest`: the papers the most recent import created (the newest `added_at`; on a tie
  of the same second, the highest import id). `today` is resolved when the query is parsed.
- Half-typed terms (`upvotes:>`, `tag:`, `"unclosed`, a trailing `|`, a lone `!`, `after:2024-0`)
  raise `QueryError(incomplete=True)`: the filter box keeps the previous results.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from rapidfuzz import fuzz

from papershelf.db.tags import tag_name
from papershelf.db.text import strip_controls


class QueryError(ValueError):
    """A query that cannot be run; `str(e)` is one sentence naming the offending `term`."""

    def __init__(self, message: str, *, term: str = "", incomplete: bool = False) -> None:
        # The message echoes what was typed: one line, no terminal control characters.
        super().__init__(" ".join(strip_controls(message).split()))
        self.term = term
        self.incomplete = incomplete


@dataclass(frozen=True, slots=True)
class Term:
    """One term of a query.

    kind: fuzzy | exact | prefix | suffix | equals | tag | state | number | date | id | author |
    added | day | contains.
    `value` is the (casefolded) text, tag name, state name, number or ISO date; `field` scopes
    fuzzy/exact terms (title|abstract|organization, None = all) and names the number/date column
    (year|upvotes|comments|authors, published); `op` is one of = > < >= <= for numbers and dates;
    `tokens` are a fuzzy word's index tokens (diacritics removed); `prefix` marks `tag:rl/`;
    `joined` marks two adjacent words read as one (evaluate.joined_term), which are not split
    again (that reading is the two words themselves).
    """

    kind: str
    value: str | int
    raw: str = ""
    negated: bool = False
    field: str | None = None
    op: str = "="
    tokens: tuple[str, ...] = ()
    prefix: bool = False
    joined: bool = False


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query: AND of OR-groups of terms. An empty query matches every paper."""

    text: str
    groups: tuple[tuple[Term, ...], ...] = field(default_factory=tuple)

    @property
    def terms(self) -> tuple[Term, ...]:
        """Every term, in order."""
        return tuple(t for g in self.groups for t in g)

    @property
    def fuzzy_terms(self) -> tuple[Term, ...]:
        """The positive fuzzy terms: the ones that make the order "relevance"."""
        return tuple(t for t in self.terms if t.kind == "fuzzy" and not t.negated and t.tokens)


NUMBER_FIELDS = ("year", "upvotes", "comments", "authors", "stars")
STATES = {
    "is": ("read", "unread", "inbox", "snoozed", "dismissed"),
    "has": ("code", "tags", "abstract", "note"),
    "no": ("tags", "code", "abstract", "note"),
}
# Case-insensitive substrings of one column: `kw:` the AI keywords, `submitter:`, `note:`.
CONTAINS_FIELDS = {
    "kw": "ai_keywords",
    "keyword": "ai_keywords",
    "submitter": "submitter",
    "note": "note",
}
TEXT_FIELDS = {
    "title": "title",
    "abstract": "abstract",
    "org": "organization",
    "organization": "organization",
    "organisation": "organization",
}
FIELDS = (
    *NUMBER_FIELDS,
    *STATES,
    *TEXT_FIELDS,
    *CONTAINS_FIELDS,
    "day",
    "tag",
    "tags",
    "after",
    "before",
    "id",
    "author",
    "added",
)

_TOKEN = re.compile(r"[^\W_]+")
_FIELD = re.compile(r"([A-Za-z]+):(.*)", re.S)
_NUMBER = re.compile(r"(>=|<=|>|<|=)?(.*)", re.S)
_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_DATE_PREFIX = re.compile(r"\d{0,4}(?:-\d{0,2}(?:-\d{0,2})?)?")
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def fold(text: str) -> str:
    """Casefold and strip diacritics, as the index tokenizer (remove_diacritics 2) does."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def index_tokens(text: str) -> tuple[str, ...]:
    """The index tokens of `text` (unicode61-like: runs of letters and digits, folded)."""
    if text.isascii():  # most titles: NFKD and casefold are plain lower() here, 10x cheaper
        return tuple(_TOKEN.findall(text.lower()))
    return tuple(_TOKEN.findall(fold(text)))


def _split(text: str) -> list[str]:
    """Split into raw terms and '|' markers; double quotes group spaces (unclosed: to the end)."""
    out: list[str] = []
    buf: list[str] = []
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
            buf.append(ch)
        elif not quoted and (ch.isspace() or ch == "|"):
            if buf:
                out.append("".join(buf))
                buf = []
            if ch == "|":
                out.append("|")
        else:
            buf.append(ch)
    if buf:
        out.append("".join(buf))
    return out


def parse_query(text: str) -> Query:
    """Parse `text`; raise QueryError naming the first malformed term."""
    groups: list[list[Term]] = []
    pending_or = False
    for raw in _split(text):
        if raw == "|":
            if not groups or pending_or:
                raise QueryError("'|' needs a term on each side.", term="|")
            pending_or = True
            continue
        term = _parse_term(raw)
        if pending_or:
            groups[-1].append(term)
            pending_or = False
        else:
            groups.append([term])
    if pending_or:
        raise QueryError("'|' needs a term after it.", term="|", incomplete=True)
    query = Query(text, tuple(tuple(g) for g in groups))
    if query.terms and all(t.kind == "fuzzy" and not t.tokens for t in query.terms):
        shown = query.terms[0].raw
        raise QueryError(
            f"'{shown}' has no letters or digits to search for (to find the characters, "
            f'quote them: "{shown}").',
            term=shown,
        )
    return query


def _incomplete(raw: str, message: str) -> QueryError:
    return QueryError(message, term=raw, incomplete=True)


def _parse_term(raw: str) -> Term:
    body, negated = raw, False
    if body.startswith("!"):
        body, negated = body[1:], True
    elif body.startswith("-") and len(body) > 1 and not body[1].isdigit() and body[1] != "-":
        body, negated = body[1:], True
    if body in ("", "-") and (negated or raw == "-"):
        raise _incomplete(raw, f"'{raw}' needs a term after it.")
    term = _parse_body(raw, body)
    if negated and term.kind == "fuzzy":
        # fzf's inverse-exact: drop papers that contain the word.
        term = Term("exact", term.value, raw, field=term.field)
    return Term(term.kind, term.value, raw, negated, term.field, term.op, term.tokens, term.prefix)


def _quoted(raw: str, body: str) -> str | None:
    """The text of a quoted body ("phrase" or 'word), None if unquoted; unclosed -> incomplete."""
    if body.startswith('"'):
        if len(body) < 2 or not body.endswith('"'):
            raise _incomplete(raw, f"{raw}: the quote is not closed.")
        return body[1:-1]
    if body.startswith("'"):
        return body[1:]
    return None


def _parse_body(raw: str, body: str) -> Term:
    quoted = _quoted(raw, body)
    if quoted is not None:
        return _exact(raw, quoted, None)
    if body.startswith("^") or (body.endswith("$") and len(body) > 1):
        return _anchored(raw, body)
    m = _FIELD.fullmatch(body)
    if m:
        name, value = m.group(1).lower(), m.group(2)
        if name in FIELDS:
            return _field(raw, name, value)
        if not value.startswith("//"):  # `https://...` is a pasted link, searched as words
            close = _FIELD_FOR.get(name) or _closest_field(name)
            hint = f"did you mean {close}? " if close else ""
            raise QueryError(
                f"unknown field '{name}:' ({hint}fields: {', '.join(sorted(set(FIELDS)))}; "
                f'to search for the text, quote it: "{body}").',
                term=raw,
            )
    return _fuzzy(raw, body, None)


# Names people reach for that are not fields, and what says it in this language.
_FIELD_FOR = {
    "published": "'year:', 'after:' or 'before:'",
    "date": "'year:', 'after:' or 'before:'",
    "read": "'is:read'",
    "unread": "'is:unread'",
    "code": "'has:code'",
    "github": "'has:code'",
    "arxiv": "'id:'",
}


def _closest_field(name: str) -> str | None:
    best = max(FIELDS, key=lambda f: fuzz.ratio(name, f))
    return f"'{best}:'" if fuzz.ratio(name, best) >= 75 else None


def _exact(raw: str, text: str, field_: str | None) -> Term:
    if text == "":
        raise _incomplete(raw, f"{raw}: expected text to match.")
    return Term("exact", text.casefold(), raw, field=field_)


def _fuzzy(raw: str, text: str, field_: str | None) -> Term:
    return Term("fuzzy", text.casefold(), raw, field=field_, tokens=index_tokens(text))


def _anchored(raw: str, body: str) -> Term:
    starts, ends = body.startswith("^"), body.endswith("$") and len(body) > 1
    inner = body[1 if starts else 0 : -1 if ends else None]
    quoted = _quoted(raw, inner) if inner.startswith('"') else None
    text = (quoted if quoted is not None else inner).casefold()
    if text == "":
        raise _incomplete(
            raw,
            f"{raw}: expected text after '^'." if starts else f"{raw}: expected text before '$'.",
        )
    kind = "equals" if starts and ends else "prefix" if starts else "suffix"
    return Term(kind, text, raw, field="title")


def _field(raw: str, name: str, value: str) -> Term:
    if value == "":
        raise _incomplete(raw, f"{raw} needs a value.")
    if name in STATES:
        v = value.lower()
        if v in STATES[name]:
            return Term("state", f"{name}:{v}", raw)
        choices = " or ".join(f"{name}:{s}" for s in STATES[name])
        if any(s.startswith(v) for s in STATES[name]):
            raise _incomplete(raw, f"{raw}: expected {choices}.")
        raise QueryError(f"{raw}: expected {choices}.", term=raw)
    if name in ("tag", "tags"):
        tag = tag_name(value)
        if not tag:
            raise _incomplete(raw, f"{raw} needs a tag name.")
        return Term("tag", tag, raw, prefix=value.rstrip().endswith("/"))
    if name in ("after", "before"):
        return _date(raw, name, value)
    if name == "added":
        return _added(raw, value)
    if name == "day":
        return _day(raw, value)
    if name in CONTAINS_FIELDS:
        quoted = _quoted(raw, value)
        text = (quoted if quoted is not None else value).casefold()
        if not text:
            raise _incomplete(raw, f"{raw} needs text to look for.")
        return Term("contains", text, raw, field=CONTAINS_FIELDS[name])
    if name == "id":
        return Term("id", value.strip().lower().removeprefix("arxiv:"), raw)
    if name in TEXT_FIELDS:
        field_ = TEXT_FIELDS[name]
        quoted = _quoted(raw, value)
        return _exact(raw, quoted, field_) if quoted is not None else _fuzzy(raw, value, field_)
    if name in ("authors", "author") and not re.match(r"[<>=\d]", value):
        return Term("author", value.casefold(), raw)
    return _number(raw, "authors" if name == "author" else name, value)


def _number(raw: str, name: str, value: str) -> Term:
    m = _NUMBER.fullmatch(value)
    assert m is not None  # every string matches: the operator and the rest are optional
    op, rest = (m.group(1) or "="), m.group(2)
    prefix = raw[: len(raw) - len(rest)]
    if rest == "":
        raise _incomplete(raw, f"{raw}: expected a number after '{prefix}'.")
    if not rest.isascii() or not rest.isdigit():
        raise QueryError(f"{raw}: expected a number after '{prefix}'.", term=raw)
    if len(rest) > 18:  # SQLite integers are 64-bit; no paper has 10^18 upvotes
        raise QueryError(f"{raw}: the number is too large.", term=raw)
    return Term("number", int(rest), raw, field=name, op=op)


def _date(raw: str, name: str, value: str) -> Term:
    m = _DATE.fullmatch(value)
    if m:
        year, month, day = int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0)
        if m.group(2) is None:
            month, day = (1, 1) if name == "after" else (12, 31)
        elif m.group(3) is None and 1 <= month <= 12:
            day = 1 if name == "after" else _DAYS[month - 1] if month != 2 else _feb(year)
        if 1 <= month <= 12 and 1 <= day <= (_DAYS[month - 1] if month != 2 else _feb(year)):
            op = ">=" if name == "after" else "<="
            return Term("date", f"{year:04d}-{month:02d}-{day:02d}", raw, field="published", op=op)
    last = value.rsplit("-", 1)[-1]
    if _DATE_PREFIX.fullmatch(value) and (len(value) < 4 or len(last) < 2 or value.endswith("-")):
        raise _incomplete(raw, f"{raw}: expected a date like 2024-01-31.")
    raise QueryError(f"{raw}: expected a date like 2024-01-31.", term=raw)


_ADDED_HELP = "expected added:today, added:latest or a date like added:>=2025-12-01"


def _added(raw: str, value: str) -> Term:
    """`added:` terms: kind "added", value an ISO day (local calendar) or "latest"."""
    m = _NUMBER.fullmatch(value.strip().lower())
    assert m is not None
    op, rest = (m.group(1) or "="), m.group(2)
    if rest == "":
        raise _incomplete(raw, f"{raw}: {_ADDED_HELP}.")
    if rest == "today":
        rest = date.today().isoformat()
    elif rest == "latest":
        if op != "=":
            raise QueryError(f"{raw}: added:latest takes no comparison.", term=raw)
        return Term("added", "latest", raw, field="added_at")
    d = _DATE.fullmatch(rest)
    if d and d.group(3) is not None:
        year, month, day = int(d.group(1)), int(d.group(2)), int(d.group(3))
        if 1 <= month <= 12 and 1 <= day <= (_DAYS[month - 1] if month != 2 else _feb(year)):
            return Term("added", f"{year:04d}-{month:02d}-{day:02d}", raw, field="added_at", op=op)
    partial = "today".startswith(rest) or ("latest".startswith(rest) and op == "=")
    last = rest.rsplit("-", 1)[-1]
    if partial or (
        _DATE_PREFIX.fullmatch(rest)
        and (len(rest) < 10 and (len(last) < 2 or rest.endswith("-") or rest.count("-") < 2))
    ):
        raise _incomplete(raw, f"{raw}: {_ADDED_HELP}.")
    raise QueryError(f"{raw}: {_ADDED_HELP}.", term=raw)


_DAY_HELP = "expected day:today or a date like day:2026-07-31 or day:>=2026-07-01"


def _day(raw: str, value: str) -> Term:
    """`day:` terms: the day a paper was on Daily Papers, `=` or compared to an ISO date."""
    m = _NUMBER.fullmatch(value.strip().lower())
    assert m is not None
    op, rest = (m.group(1) or "="), m.group(2)
    if rest == "today":
        rest = date.today().isoformat()
    d = _DATE.fullmatch(rest)
    if d and d.group(3) is not None:
        year, month, day = int(d.group(1)), int(d.group(2)), int(d.group(3))
        if 1 <= month <= 12 and 1 <= day <= (_DAYS[month - 1] if month != 2 else _feb(year)):
            return Term("day", f"{year:04d}-{month:02d}-{day:02d}", raw, field="daily_day", op=op)
    if "today".startswith(rest) or (_DATE_PREFIX.fullmatch(rest) and len(rest) < 10):
        raise _incomplete(raw, f"{raw}: {_DAY_HELP}.")
    raise QueryError(f"{raw}: {_DAY_HELP}.", term=raw)


def _feb(year: int) -> int:
    return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
