"""Stage 3 of a search: evaluate a parsed query to a bitset of papers (bits.py), no SQL joins.

Each term becomes a set of papers: fuzzy words as the OR of their vocabulary alternatives
(each one FTS5 lookup, cached), dates by bisection, read marks and tags from memory, and the
rare rest (exact substrings, `^x`, numbers, authors, ids) through a SQL predicate
(predicates.py), cached per term. Groups OR their terms; the query ANDs groups. So typing
`flash d`, `flash de`, `flash dec` reuses `flash` and only looks up the new word.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from rapidfuzz.distance import OSA

from papershelf.db.query.bits import Bits
from papershelf.db.query.parse import Query, Term
from papershelf.db.query.predicates import Params, exact_check, prefilter_parts, scoped, term_sql
from papershelf.db.query.vocabulary import Vocabulary, split_alternatives
from papershelf.db.search_index import FTS_TABLE


def term_bits(
    term: Term,
    bits: Bits,
    vocab: Vocabulary | None,
    conn: sqlite3.Connection,
    tag_ids: dict[str, list[int]],
) -> int:
    """The papers a term matches, negation applied."""
    positive = _positive(term, bits, vocab, conn, tag_ids)
    return bits.all & ~positive if term.negated else positive


@dataclass(frozen=True, slots=True)
class WordSets:
    """The papers one fuzzy word matches, split the ways ranking needs (see rank.py)."""

    any: int  # the word or an alternative, in the term's column(s): the filter
    exact: int  # the word as typed (or a prefix of it), in the term's column(s)
    title: int  # the word or an alternative in the title
    title_exact: int  # the word as typed in the title
    abstract: int  # the word or an alternative in the abstract or the organization


def word_sets(term: Term, bits: Bits, vocab: Vocabulary, conn: sqlite3.Connection) -> WordSets:
    """Per token and column group two cached lookups (the token itself, its alternatives), ANDed
    over tokens. An unscoped word looks in `{title}` and `{abstract organization}`: the filter is
    their union, and ranking needs the title apart; "elsewhere" (`abstract`) is the second group,
    so the short organization column costs no lookup of its own (a prefix like `de` expands to
    thousands of terms whatever the column, ~15% of the SQL time of such a keystroke)."""
    specs = ("title", "abstract organization") if term.field is None else (term.field,)
    result = [bits.all] * 5
    for token in term.tokens:
        exact_expr_, loose_expr = split_alternatives(token, vocab, splits=not term.joined)
        exact = [
            bits.match(conn, "{" + c + "} : " + exact_expr_) if exact_expr_ else 0 for c in specs
        ]
        loose = [
            bits.match(conn, "{" + c + "} : " + loose_expr) if loose_expr else 0 for c in specs
        ]
        any_ = exact_any = 0
        for e, lo in zip(exact, loose):
            any_ |= e | lo
            exact_any |= e
        if term.field is None:
            parts = (any_, exact_any, exact[0] | loose[0], exact[0], exact[1] | loose[1])
        elif term.field == "title":
            parts = (any_, exact_any, any_, exact_any, 0)
        else:  # a word scoped to another column is a filter only (ranking scores title words)
            parts = (any_, exact_any, 0, 0, any_ if term.field == "abstract" else 0)
        result = [r & p for r, p in zip(result, parts)]
        if not result[0]:
            return WordSets(0, 0, 0, 0, 0)
    return WordSets(*result)


def fuzzy_bits(term: Term, bits: Bits, vocab: Vocabulary, conn: sqlite3.Connection) -> int:
    """AND over the word's tokens of OR over each token's vocabulary alternatives."""
    return word_sets(term, bits, vocab, conn).any


def _positive(
    term: Term,
    bits: Bits,
    vocab: Vocabulary | None,
    conn: sqlite3.Connection,
    tag_ids: dict[str, list[int]],
) -> int:
    kind, value = term.kind, term.value
    if kind == "fuzzy":
        if not term.tokens:
            return bits.all
        assert vocab is not None  # the Searcher loads it for every query with a word
        found = fuzzy_bits(term, bits, vocab, conn)
        for tag_id in tag_ids.get(str(value)) or ():
            found |= bits.tags.get(tag_id, 0)
        return found
    if kind == "date":
        return bits.date_range(term.op, str(value))
    if kind == "number" and term.field == "year":
        n = int(value)
        lo, hi = f"{n:04d}-01-01", f"{n + 1:04d}-01-01"
        op = term.op
        if op == "=":
            return bits.date_range(">=", lo) & bits.date_range("<", hi)
        return bits.date_range(
            *{">": (">=", hi), ">=": (">=", lo), "<": ("<", lo), "<=": ("<", hi)}[op]
        )
    if kind == "state" and value in ("is:read", "is:unread", "has:tags", "no:tags"):
        return {
            "is:read": bits.read,
            "is:unread": bits.all & ~bits.read,
            "has:tags": bits.tagged,
            "no:tags": bits.all & ~bits.tagged,
        }[str(value)]
    if kind == "state" and value == "is:inbox":
        dismissed = _sql_bits(Term("state", "is:dismissed"), bits, vocab, conn)
        snoozed = _sql_bits(Term("state", "is:snoozed"), bits, vocab, conn)
        return bits.all & ~bits.read & ~bits.tagged & ~dismissed & ~snoozed
    if kind == "tag":
        return _tag_bits(term, bits, conn)
    if kind == "exact":
        assert vocab is not None
        return _exact_bits(term, bits, vocab, conn)
    # `^x`, `x$`, `^x$` stay with SQL: the title is in the covering index, so SQLite checks
    # it there without reading the rows, which beat narrowing the rows by the index first.
    return _sql_bits(term, bits, vocab, conn)


def _sql_bits(term: Term, bits: Bits, vocab: Vocabulary | None, conn: sqlite3.Connection) -> int:
    """Every other term: one SQL statement per term (negation aside), cached."""
    positive = Term(
        term.kind, term.value, term.raw, False, term.field, term.op, term.tokens, term.prefix
    )
    params: Params = []
    sql = term_sql(positive, vocab, params)
    # The key holds how the needle was typed: `^straße` and `^strasse` share a value but not a
    # comparison (predicates.plain_needle). `is:snoozed` compares with today: a new day, a new
    # answer.
    today = date.today().isoformat() if positive.value == "is:snoozed" else ""
    key = (
        positive.kind,
        positive.value,
        positive.field,
        positive.op,
        positive.raw.isascii(),
        today,
    )
    return bits.where(conn, key, sql, params)


EXACT_SLICE = 200  # FTS5 alternatives per MATCH when an exact needle's first token has many


def _exact_bits(term: Term, bits: Bits, vocab: Vocabulary, conn: sqlite3.Connection) -> int:
    """Papers containing an exact needle (`'gemm`, `"state space"`, `!video`), negation aside.

    The index narrows the rows first (predicates.prefilter_parts, each slice of alternatives a
    cached FTS5 lookup); then only those rows are read and checked by `predicates.exact_check`.
    A one-word ASCII needle needs no check in papers whose text is pure ASCII (`papers.ascii`):
    there it is a substring exactly when one of the paper's index tokens contains it, which is
    what the index said. At 1M papers `'gemm` read every abstract (2.4 s) before this.
    """
    key = ("exact", term.value, term.field, term.raw.isascii())  # see _positive

    def compute() -> int:
        parts = prefilter_parts(term, vocab)
        candidates = bits.all
        for alternatives in parts or ():
            found = 0
            for start in range(0, len(alternatives), EXACT_SLICE):
                expr = scoped(
                    term, "(" + " OR ".join(alternatives[start : start + EXACT_SLICE]) + ")"
                )
                found |= bits.match(conn, expr)
            candidates &= found
            if not candidates:
                return 0
        certain = 0
        if parts is not None and _one_token(str(term.value)):
            mixed = bits.terms.get_or(
                ("not ascii",),
                lambda: bits.from_list(
                    conn.execute(
                        "SELECT group_concat(id) FROM papers WHERE ascii IS NOT 1"
                    ).fetchone()[0]
                ),
            )
            certain = candidates & ~mixed
            candidates &= mixed
        params: Params = []
        check = exact_check(term, params)
        if not candidates:
            return certain
        if candidates == bits.all or candidates.bit_count() * 2 > bits.n:
            sql = f"SELECT group_concat(p.id) FROM papers p WHERE {check}"  # most rows: scan
        else:
            ids = bits.to_ids(bits.position_array(candidates))
            params.insert(0, json.dumps(ids))
            sql = (
                "SELECT group_concat(p.id) FROM papers p"
                f" WHERE p.id IN (SELECT value FROM json_each(?)) AND {check}"
            )
        return certain | (candidates & bits.from_list(conn.execute(sql, params).fetchone()[0]))

    return bits.terms.get_or(key, compute)


def _one_token(needle: str) -> bool:
    """An ASCII needle that is one whole index token (letters and digits only)."""
    return needle.isascii() and needle.isalnum() and needle == needle.lower()


def _tag_bits(term: Term, bits: Bits, conn: sqlite3.Connection) -> int:
    name = str(term.value)
    found = 0
    for tag_name, tag_id in conn.execute("SELECT name, id FROM tags"):
        if tag_name == name or (term.prefix and tag_name.startswith(name + "/")):
            found |= bits.tags.get(tag_id, 0)
    return found


def evaluate(
    query: Query,
    bits: Bits,
    vocab: Vocabulary | None,
    conn: sqlite3.Connection,
    tag_ids: dict[str, list[int]],
    check: Callable[[], None],
) -> int:
    """The bitset of papers matching the whole query: the AND of its OR-groups, where two
    adjacent plain words may also match as one (`emo v2` finds EMOv2, see `combine`)."""
    sets = []
    for group in query.groups:
        any_of = 0
        for term in group:
            any_of |= term_bits(term, bits, vocab, conn, tag_ids)
            check()
        sets.append(any_of)

    def joined(a: Term, b: Term) -> int:
        assert vocab is not None
        return fuzzy_bits(joined_term(a, b), bits, vocab, conn)

    return combine(query, sets, bits.all, joined)


def plain_word(group: tuple[Term, ...]) -> Term | None:
    """The group's term if the group is one unscoped positive fuzzy word, else None."""
    if len(group) != 1:
        return None
    term = group[0]
    if term.kind == "fuzzy" and not term.negated and term.field is None and term.tokens:
        return term
    return None


def joined_term(a: Term, b: Term) -> Term:
    """Two adjacent words typed apart, as the one word they may stand for (`emo v2` -> emov2)."""
    tokens = (*a.tokens[:-1], a.tokens[-1] + b.tokens[0], *b.tokens[1:])
    return Term("fuzzy", f"{a.value}{b.value}", f"{a.raw}{b.raw}", tokens=tokens, joined=True)


def word_pairs(query: Query) -> list[Term]:
    """The joined terms of every two adjacent plain words of the query."""
    words = [plain_word(g) for g in query.groups]
    return [joined_term(a, b) for a, b in zip(words, words[1:]) if a is not None and b is not None]


def combine(
    query: Query, sets: list[int], everything: int, joined: Callable[[Term, Term], int]
) -> int:
    """AND the groups' sets, letting each two adjacent plain words match either apart or joined.

    Over a run of plain words w1..wn, R(k) (the papers matching w1..wk) is
    R(k-1) & S(wk) | R(k-2) & J(wk-1 wk): every way of reading the run as words and pairs.
    `sets` are the groups' sets as int bitsets, in query order.
    """
    result = everything
    before, current = everything, everything  # R(k-2), R(k-1) within the current run
    previous: Term | None = None
    for group, found in zip(query.groups, sets):
        word = plain_word(group)
        if word is None:
            result = result & current & found
            before, current, previous = everything, everything, None
            continue
        step = current & found
        if previous is not None:
            step = step | (before & joined(previous, word))
        before, current, previous = current, step, word
    return result & current


def matching_tags(tags: dict[str, int], term: Term) -> list[int]:
    """Ids of the tags whose name (or a `/`/`-` part of it) matches the fuzzy word closely: an
    unscoped word also finds the papers tagged with it."""
    word = " ".join(term.tokens)
    out = []
    for name, tag_id in tags.items():
        parts = [name, *name.replace("/", " ").replace("-", " ").split()]
        if any(
            p.startswith(word) or (len(word) >= 4 and OSA.distance(word, p) <= 1) for p in parts
        ):
            out.append(tag_id)
    return out


def fts_ids(conn: sqlite3.Connection, vocab: Vocabulary, term: Term) -> list[int]:
    """Ids of the papers matching a fuzzy word in any of its forms (its vocabulary alternatives,
    each token; a word with a token nothing matches: none)."""
    parts = []
    for token in term.tokens:
        alternatives = vocab.expand(token, splits=not term.joined)
        if not alternatives:
            return []
        parts.append("(" + " OR ".join(alternatives) + ")")
    text = conn.execute(
        f"SELECT group_concat(rowid) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?",
        [" AND ".join(parts)],
    ).fetchone()[0]
    return [int(i) for i in text.split(",")] if text else []
