"""SQL predicates over `papers p` for the terms the bitsets do not hold (no user text in SQL).

The evaluator (evaluate.py) asks SQL for the rare terms: exact substrings (after an index
prefilter, see `prefilter_parts`), `^x`/`x$`, counts other than dates, code links, authors, ids
and `added:`; each answer is cached as a bitset. The first page of a word-less filter before
anything is loaded (page.py) is one statement built from the same predicates.

Every value a person typed travels as a `?` parameter; FTS5 match strings are built only from
quoted tokens (`vocabulary.quote_fts`), so `NEAR(`, `*`, `AND` or a stray quote are just text.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from papershelf.db.query.parse import Term, index_tokens
from papershelf.db.query.vocabulary import Vocabulary, quote_fts
from papershelf.db.search_index import FTS_TABLE

Params = list[object]
_OPS = {"=": "=", ">": ">", "<": "<", ">=": ">=", "<=": "<="}
_COLUMNS = {
    "title": "p.title",
    "abstract": "p.abstract",
    "organization": "coalesce(p.organization, '')",
}
_TAGGED = "EXISTS (SELECT 1 FROM paper_tags pt WHERE pt.paper_id = p.id)"
_CODE = "(coalesce(p.github, '') != '' OR instr(p.links, 'github.com/') > 0)"
_NOTE = "p.note IS NOT NULL AND p.note != ''"
_STATES = {
    "is:read": "p.read_at IS NOT NULL",
    "is:unread": "p.read_at IS NULL",
    "has:code": _CODE,
    "no:code": f"NOT {_CODE}",
    "has:tags": _TAGGED,
    "no:tags": f"NOT {_TAGGED}",
    "has:abstract": "p.abstract != ''",
    "no:abstract": "p.abstract = ''",
    "has:note": _NOTE,
    "no:note": f"NOT ({_NOTE})",
    "is:dismissed": "p.dismissed_at IS NOT NULL",
    # Snoozed until a later day than today (a parameter: the local date when the query runs).
    "is:snoozed": "p.snoozed_until IS NOT NULL AND p.snoozed_until > ?",
    # What still asks for a decision: unread, untagged, not dismissed, not snoozed (a snooze
    # that has run out puts the paper back).
    "is:inbox": (
        f"p.read_at IS NULL AND NOT {_TAGGED} AND p.dismissed_at IS NULL"
        " AND (p.snoozed_until IS NULL OR p.snoozed_until <= ?)"
    ),
}
# A needle's first token may end an index token (`'gemm` in `cugemm`): every such term joins
# the filter, up to this many (the bitset path ORs them in slices of EXACT_SLICE).
MAX_PREFILTER_TERMS = 4000


def plain_needle(term: Term) -> bool:
    """Whether a needle compares by ASCII case only: it is ASCII as typed. (`straße` casefolds
    to the ASCII `strasse`, but only Python's casefold turns a title's `ß` into `ss`.)"""
    return str(term.value).isascii() and term.raw.isascii()


def fold_sql(expr: str, term: Term) -> str:
    """Case-fold a column for comparison with the term's (casefolded) value: SQLite's lower()
    is ASCII-only, so a needle not typed in ASCII uses the Python casefold registered on the
    Searcher's connection (see `plain_needle`)."""
    return f"lower({expr})" if plain_needle(term) else f"ps_fold({expr})"


def prefilter_parts(term: Term, vocab: Vocabulary) -> list[list[str]] | None:
    """FTS5 alternatives, one list per token of an exact needle, such that every row containing
    the needle matches some alternative of every list (None: no token to filter on; an empty
    list: nothing in the index can contain it). A token inside the needle must be a whole index
    token; the first may end a longer one (`'gemm` in `cuGEMM`), the last may start one."""
    text = str(term.value)
    if not plain_needle(term):
        # Casefolding and the index's folding disagree beyond ASCII (`ß` is `ss` to one of them,
        # itself to the other): such a needle is checked against every row.
        return None
    tokens = index_tokens(text)
    parts: list[list[str]] = []
    for i, token in enumerate(tokens):
        open_start = i == 0 and text[:1].isalnum()
        open_end = i == len(tokens) - 1 and text[-1:].isalnum()
        if open_start:
            terms = vocab.containing(token, limit=MAX_PREFILTER_TERMS + 1)
            if len(terms) > MAX_PREFILTER_TERMS:
                continue  # too common a fragment to be worth a filter
            alternatives = [quote_fts(t) for t in terms]
            if vocab.has_prefix(token):
                alternatives.append(quote_fts(token) + ("*" if open_end else ""))
            parts.append(alternatives)
        else:
            parts.append([quote_fts(token) + ("*" if open_end else "")])
    return parts or None


def scoped(term: Term, expr: str) -> str:
    """`expr` limited to the term's column, if it has one."""
    return "{" + term.field + "} : (" + expr + ")" if term.field else expr


def exact_check(term: Term, params: Params) -> str:
    """The row-level check of an exact needle (case-insensitive substring of its column(s)).

    An ASCII needle uses LIKE, which folds ASCII case in place (the same matches as
    `instr(lower(column), needle)`, without copying every abstract: ~40% less time); others
    compare Python-casefolded text.
    """
    value = str(term.value)
    columns = [_COLUMNS[term.field]] if term.field else list(_COLUMNS.values())
    checks = []
    like = plain_needle(term) and len(value) <= _MAX_LIKE
    pattern = "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    for column in columns:
        if like:
            params.append(pattern)
            checks.append(f"{column} LIKE ? ESCAPE '\\'")
        else:
            params.append(value)
            checks.append(f"instr({fold_sql(column, term)}, ?) > 0")
    return "(" + " OR ".join(checks) + ")"


_MAX_LIKE = 1000  # SQLite refuses LIKE patterns over 50,000 bytes; long needles use instr


def affix_check(term: Term, params: Params) -> str:
    """The row-level check of `^x` (title starts with), `x$` (ends with) or `^x$` (is)."""
    value = str(term.value)
    title = fold_sql("p.title", term)
    if term.kind == "equals":
        params.append(value)
        return f"{title} = ?"
    params.extend([len(value), value])
    return f"substr({title}, 1, ?) = ?" if term.kind == "prefix" else f"substr({title}, -?) = ?"


def in_fts(match: str, params: Params) -> str:
    """`p.id IN (rows matching match)`; appends the match string to params."""
    params.append(match)
    return f"p.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?)"


def term_sql(term: Term, vocab: Vocabulary | None, params: Params) -> str:
    """The SQL predicate for one term other than a word or an exact needle (negation applied),
    its parameters appended to `params`. `vocab` narrows `^x` by the index when given."""
    sql = positive_sql(term, vocab, params)
    return f"NOT coalesce(({sql}), 0)" if term.negated else f"({sql})"


def positive_sql(term: Term, vocab: Vocabulary | None, params: Params) -> str:
    """`term_sql` without the negation."""
    kind, value = term.kind, term.value
    if kind in ("prefix", "suffix", "equals"):
        tokens = index_tokens(str(value))
        pre = ""
        if (
            kind == "prefix"
            and plain_needle(term)
            and tokens
            and str(value)[:1].isalnum()
            and vocab is not None
            and vocab.has_prefix(tokens[0])
        ):
            pre = in_fts("{title} : " + quote_fts(tokens[0]) + "*", params) + " AND "
        return pre + affix_check(term, params)
    if kind == "tag":
        params.append(value)
        if term.prefix:
            params.extend([len(str(value)) + 1, f"{value}/"])
            cond = "(t.name = ? OR substr(t.name, 1, ?) = ?)"
        else:
            cond = "t.name = ?"
        return (
            "EXISTS (SELECT 1 FROM paper_tags pt JOIN tags t ON t.id = pt.tag_id "
            f"WHERE pt.paper_id = p.id AND {cond})"
        )
    if kind == "state":
        if value in ("is:snoozed", "is:inbox"):
            params.append(date.today().isoformat())
        return _STATES[str(value)]
    if kind == "contains":
        params.append(value)
        column = f"p.{term.field}"
        return f"{column} IS NOT NULL AND instr({fold_sql(column, term)}, ?) > 0"
    if kind == "day":
        params.append(value)
        return f"p.daily_day {_OPS[term.op]} ?"
    if kind == "number":
        return _number_sql(term, params)
    if kind == "date":
        params.append(value)
        return f"p.published {_OPS[term.op]} ?"
    if kind == "added":
        return _added_sql(term, params)
    if kind == "id":
        text = str(value)
        params.extend(
            [text, text.split("v")[0] if "." in text else text, int(text) if text.isdigit() else -1]
        )
        return "(lower(p.arxiv_id) = ? OR lower(p.arxiv_id) = ? OR p.id = ?)"
    if kind == "author":
        params.append(value)
        return f"instr({fold_sql('p.authors', term)}, ?) > 0"
    raise AssertionError(f"no SQL predicate for term kind {kind!r}")


# The papers the latest import created: they share its `added_at` (one timestamp per import),
# so both lookups use the added_at index; the import id breaks a tie within one second.
_LATEST = (
    "p.added_at = (SELECT max(added_at) FROM papers) AND p.import_id IS (SELECT max(import_id) "
    "FROM papers WHERE added_at = (SELECT max(added_at) FROM papers))"
)


def local_day_start(day: str) -> str:
    """The UTC timestamp (as the store writes them) at which local calendar day `day` begins."""
    start = datetime.combine(date.fromisoformat(day), time()).astimezone(UTC)
    return start.replace(microsecond=0).isoformat()


def _added_sql(term: Term, params: Params) -> str:
    if term.value == "latest":
        return _LATEST
    day = date.fromisoformat(str(term.value))
    start, end = (
        local_day_start(day.isoformat()),
        local_day_start((day + timedelta(days=1)).isoformat()),
    )
    bounds = {
        "=": ("p.added_at >= ? AND p.added_at < ?", [start, end]),
        ">": ("p.added_at >= ?", [end]),
        ">=": ("p.added_at >= ?", [start]),
        "<": ("p.added_at < ?", [start]),
        "<=": ("p.added_at < ?", [end]),
    }
    sql, values = bounds[term.op]
    params.extend(values)
    return sql


def _number_sql(term: Term, params: Params) -> str:
    op, n = _OPS[term.op], int(term.value)
    if term.field == "year":
        # Ranges on the indexed ISO date rather than a computed year.
        lo, hi = f"{n:04d}-01-01", f"{n + 1:04d}-01-01"
        bounds = {
            "=": ("p.published >= ? AND p.published < ?", [lo, hi]),
            ">": ("p.published >= ?", [hi]),
            ">=": ("p.published >= ?", [lo]),
            "<": ("p.published < ?", [lo]),
            "<=": ("p.published < ?", [hi]),
        }
        sql, values = bounds[op]
        params.extend(values)
        return sql
    column = {
        "upvotes": "p.upvotes",
        "comments": "p.comments",
        "authors": "coalesce(p.authors_count, json_array_length(p.authors))",
        "stars": "p.github_stars",
    }[term.field or ""]
    params.append(n)
    return f"{column} {op} ?"
