"""Evaluate a parsed query to a bitset (query_bits) and order it, without SQL joins.

Each term becomes a set of papers: fuzzy words as the OR of their vocabulary alternatives
(each one FTS5 lookup, cached), dates by bisection, read marks and tags from memory, and the
rare rest (exact substrings, `^x`, numbers, authors, ids) through the same SQL predicate the SQL
path uses (query_sql.term_sql), cached per term. Groups OR their terms; the query ANDs groups.
So typing `flash d`, `flash de`, `flash dec` reuses `flash` and only looks up the new word.

Ordering mirrors the SQL path exactly: the default sort is the bit order itself; relevance
(with fuzzy words) ranks title hits in tiers, re-scores the best `RERANK` titles with
`query_score.TitleScorer`, and lists the rest newest first, decoding only as many bits as `limit` needs.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from papershelf.db.query_bits import Bits
from papershelf.db.query_parse import Query, Term
from papershelf.db.query_rank import classes_by_weight, full_key, idf_weight, split_alternatives
from papershelf.db.query_score import TitleScorer
from papershelf.db.query_sql import exact_check, prefilter_parts, scoped, term_sql
from papershelf.db.query_vocab import Vocabulary

RERANK = 200


def term_bits(
    term: Term,
    bits: Bits,
    vocab: Vocabulary,
    conn: sqlite3.Connection,
    tag_ids: dict[str, list[int]],
) -> int:
    """The papers a term matches, negation applied."""
    positive = _positive(term, bits, vocab, conn, tag_ids)
    return bits.all & ~positive if term.negated else positive


@dataclass(frozen=True, slots=True)
class WordSets:
    """The papers one fuzzy word matches, split the ways ranking needs (see query_rank)."""

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
        exact_expr_, loose_expr = split_alternatives(token, vocab)
        exact = [
            bits.match(conn, "{" + c + "} : " + exact_expr_) if exact_expr_ else 0 for c in specs
        ]
        loose = [
            bits.match(conn, "{" + c + "} : " + loose_expr) if loose_expr else 0 for c in specs
        ]
        any_ = exact_any = 0
        for e, l in zip(exact, loose):
            any_ |= e | l
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
    vocab: Vocabulary,
    conn: sqlite3.Connection,
    tag_ids: dict[str, list[int]],
) -> int:
    kind, value = term.kind, term.value
    if kind == "fuzzy":
        if not term.tokens:
            return bits.all
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
    if kind == "tag":
        return _tag_bits(term, bits, conn)
    if kind == "exact":
        return _exact_bits(term, bits, vocab, conn)
    # `^x`, `x$`, `^x$` stay with SQL: the title is in the covering index, so SQLite checks
    # it there without reading the rows, which beat narrowing the rows by the index first.
    # Everything else: the SQL path's own predicate (one statement, cached per term).
    positive = Term(
        term.kind, term.value, term.raw, False, term.field, term.op, term.tokens, term.prefix
    )
    params: list = []
    sql = term_sql(positive, vocab, params, {})
    # The key holds how the needle was typed: `^straße` and `^strasse` share a value but not a
    # comparison (query_sql.plain_needle).
    key = (positive.kind, positive.value, positive.field, positive.op, positive.raw.isascii())
    return bits.where(conn, key, sql, params)


EXACT_SLICE = 200  # FTS5 alternatives per MATCH when an exact needle's first token has many


def _exact_bits(term: Term, bits: Bits, vocab: Vocabulary, conn: sqlite3.Connection) -> int:
    """Papers containing an exact needle (`'gemm`, `"state space"`, `!video`), negation aside.

    The index narrows the rows first (query_sql.prefilter_parts, each slice of alternatives a
    cached FTS5 lookup); then only those rows are read and checked with the SQL path's own test.
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
        params: list = []
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
    vocab: Vocabulary,
    conn: sqlite3.Connection,
    tag_ids: dict[str, list[int]],
    check: Callable[[], None],
) -> int:
    """The bitset of papers matching the whole query (AND of OR-groups)."""
    result = bits.all
    for group in query.groups:
        any_of = 0
        for term in group:
            any_of |= term_bits(term, bits, vocab, conn, tag_ids)
            check()
        result &= any_of
        if not result:
            break
    return result


def ranked(
    found: int,
    terms: tuple[Term, ...],
    bits: Bits,
    vocab: Vocabulary,
    conn: sqlite3.Connection,
    limit: int | None,
    check: Callable[[], None],
) -> list[int]:
    """Positions in relevance order (query_rank), at least `limit` of them.

    Papers fall into classes by (IDF of the words they have exactly, title tier); classes are
    bitsets, so the order "class, then newest" is decoding them in turn, never a sort over all
    matches. The first `RERANK` are then re-sorted by the full key (title score and the rest).
    """
    scored = [t for t in terms if t.field in (None, "title")]
    sets = [word_sets(t, bits, vocab, conn) for t in scored]
    check()
    at_least = [found]  # at_least[k]: papers with title tier >= k
    for ws in sets:
        for hits in (ws.title & found, ws.title_exact & found):
            if hits:
                at_least.append(0)
                for k in range(len(at_least) - 1, 0, -1):
                    at_least[k] |= at_least[k - 1] & hits
    tiers = [
        (k, at_least[k] & ~(at_least[k + 1] if k + 1 < len(at_least) else 0))
        for k in range(len(at_least) - 1, -1, -1)
    ]
    weights = [idf_weight(ws.exact.bit_count(), bits.n) for ws in sets]
    classes = classes_by_weight(found, [ws.exact for ws in sets], weights)
    head: list[int] = []
    key_of: dict[int, tuple[int, int]] = {}
    need = None if limit is None else max(limit, RERANK)
    for weight, members in classes:
        for tier, level in tiers:
            want = None if need is None else need - len(head)
            if want == 0:
                break
            part = members & level
            if part:
                chunk = bits.positions(part, want)
                if len(head) < RERANK:  # only the re-ranked few need their class
                    key_of.update(dict.fromkeys(chunk[: RERANK - len(head)], (weight, tier)))
                head.extend(chunk)
    # The app asks for a first screen, then the whole list, of the same query: the second
    # search reuses the first one's re-ranked pool (same terms, same matches: same order).
    memo_key = (tuple((t.kind, t.value, t.field, t.tokens, t.negated) for t in terms), found)
    cached = bits.reranked.get(memo_key)
    if cached is not None and len(cached) == min(len(head), RERANK):
        head[:RERANK] = cached
        return head
    top = head[:RERANK]
    scorer = TitleScorer([(t.value, t.tokens) for t in terms])
    titles = bits.title_of(conn, top)
    # Words the abstract (or organization) has too: a paper about the word, not one that names
    # it in passing.
    flags = [
        (ws.abstract & found).to_bytes((bits.n + 7) // 8 or 1, "little")
        for t, ws in zip(scored, sets)
        if t.field is None
    ]
    scores = dict(zip(top, scorer.many([titles[p] for p in top])))
    keys = {
        p: full_key(*key_of[p], scores[p], sum((f[p >> 3] >> (p & 7)) & 1 for f in flags))
        for p in top
    }
    top.sort(key=lambda p: (tuple(-k for k in keys[p]), p))
    head[:RERANK] = top
    bits.reranked[memo_key] = list(top)
    if len(bits.reranked) > 4:
        bits.reranked.pop(next(iter(bits.reranked)))
    return head
