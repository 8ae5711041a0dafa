"""Compile parsed query terms into parameterised SQL over `papers p` (no user text in SQL).

Every value a person typed travels as a `?` parameter; FTS5 match strings are built only from
quoted tokens (`query_vocab.quote_fts`), so `NEAR(`, `*`, `AND` or a stray quote are just text.
Exact substrings are checked with `instr()` on the row, after an FTS prefilter that narrows the
rows to those containing the needle's tokens, so `'quantiz` does not read every abstract.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from papershelf.db.query_parse import Term, index_tokens
from papershelf.db.query_vocab import Vocabulary, quote_fts
from papershelf.db.search_index import FTS_TABLE

# bm25 column weights: title, abstract, organization.
BM25 = f"bm25({FTS_TABLE}, 10.0, 1.0, 3.0)"
_OPS = {"=": "=", ">": ">", "<": "<", ">=": ">=", "<=": "<="}
_COLUMNS = {
    "title": "p.title",
    "abstract": "p.abstract",
    "organization": "coalesce(p.organization, '')",
}
_TAGGED = "EXISTS (SELECT 1 FROM paper_tags pt WHERE pt.paper_id = p.id)"
_CODE = "(coalesce(p.github, '') != '' OR instr(p.links, 'github.com/') > 0)"
_STATES = {
    "is:read": "p.read_at IS NOT NULL",
    "is:unread": "p.read_at IS NULL",
    "has:code": _CODE,
    "no:code": f"NOT {_CODE}",
    "has:tags": _TAGGED,
    "no:tags": f"NOT {_TAGGED}",
    "has:abstract": "p.abstract != ''",
    "no:abstract": "p.abstract = ''",
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


def fuzzy_match(term: Term, vocab: Vocabulary) -> str | None:
    """The FTS5 match string for a fuzzy term (ANDed tokens, each OR-ed alternatives), None if
    some token matches nothing in the vocabulary."""
    groups = []
    for token in term.tokens:
        alternatives = vocab.expand(token)
        if not alternatives:
            return None
        groups.append("(" + " OR ".join(alternatives) + ")")
    expr = " AND ".join(groups)
    if term.field:
        expr = "{" + term.field + "} : (" + expr + ")"
    return expr


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


def _prefilter(term: Term, vocab: Vocabulary) -> str | None:
    """An FTS5 match string every row containing the exact needle satisfies (None: no filter;
    "0": nothing can contain it)."""
    parts = prefilter_parts(term, vocab)
    if parts is None:
        return None
    if not all(parts):
        return "0"
    return scoped(term, " AND ".join("(" + " OR ".join(p) + ")" for p in parts))


def exact_check(term: Term, params: list) -> str:
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


def affix_check(term: Term, params: list) -> str:
    """The row-level check of `^x` (title starts with), `x$` (ends with) or `^x$` (is)."""
    value = str(term.value)
    title = fold_sql("p.title", term)
    if term.kind == "equals":
        params.append(value)
        return f"{title} = ?"
    params.extend([len(value), value])
    return f"substr({title}, 1, ?) = ?" if term.kind == "prefix" else f"substr({title}, -?) = ?"


def in_fts(match: str, params: list) -> str:
    """`p.id IN (rows matching match)`; appends the match string to params."""
    params.append(match)
    return f"p.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?)"


def term_sql(term: Term, vocab: Vocabulary, params: list, tag_ids: dict[str, list[int]]) -> str:
    """The SQL predicate for one term (negation applied), parameters appended to `params`."""
    sql = _positive_sql(term, vocab, params, tag_ids)
    return f"NOT coalesce(({sql}), 0)" if term.negated else f"({sql})"


def _positive_sql(
    term: Term, vocab: Vocabulary, params: list, tag_ids: dict[str, list[int]]
) -> str:
    kind, value = term.kind, term.value
    if kind == "fuzzy":
        if not term.tokens:
            return "1"
        match = fuzzy_match(term, vocab)
        parts = [in_fts(match, params)] if match else []
        tags = tag_ids.get(str(value)) or []
        if tags:
            params.extend(tags)
            marks = ",".join("?" * len(tags))
            parts.append(f"p.id IN (SELECT paper_id FROM paper_tags WHERE tag_id IN ({marks}))")
        return " OR ".join(parts) or "0"
    if kind == "exact":
        pre = _prefilter(term, vocab)
        if pre == "0":
            return "0"
        sql = in_fts(pre, params) + " AND " if pre else ""
        return sql + exact_check(term, params)
    if kind in ("prefix", "suffix", "equals"):
        tokens = index_tokens(str(value))
        pre = ""
        if (
            kind == "prefix"
            and plain_needle(term)
            and tokens
            and str(value)[:1].isalnum()
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
        return _STATES[str(value)]
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
    raise AssertionError(f"unknown term kind {kind!r}")


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


def _added_sql(term: Term, params: list) -> str:
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


def _number_sql(term: Term, params: list) -> str:
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
    }[term.field or ""]
    params.append(n)
    return f"{column} {op} ?"
