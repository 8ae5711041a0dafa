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

import sqlite3
from collections.abc import Callable

from db.query_bits import Bits
from db.query_parse import Query, Term
from db.query_score import TitleScorer
from db.query_sql import term_sql
from db.query_vocab import Vocabulary, quote_fts

RERANK = 400


def term_bits(term: Term, bits: Bits, vocab: Vocabulary, conn: sqlite3.Connection,
              tag_ids: dict[str, list[int]]) -> int:
    """The papers a term matches, negation applied."""
    positive = _positive(term, bits, vocab, conn, tag_ids)
    return bits.all & ~positive if term.negated else positive


def fuzzy_bits(term: Term, bits: Bits, vocab: Vocabulary, conn: sqlite3.Connection) -> int:
    """AND over the word's tokens of OR over each token's vocabulary alternatives."""
    result = bits.all
    for token in term.tokens:
        alternatives = vocab.expand(token)
        if not alternatives:
            return 0
        # One MATCH per token (its alternatives ORed), cached under the token: ~50 alternatives
        # looked up one by one would cost 50 statements and flood the cache.
        expr = "(" + " OR ".join(alternatives) + ")"
        result &= bits.match(conn, "{" + term.field + "} : " + expr if term.field else expr)
        if not result:
            return 0
    return result


def _positive(term: Term, bits: Bits, vocab: Vocabulary, conn: sqlite3.Connection,
              tag_ids: dict[str, list[int]]) -> int:
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
        return bits.date_range(*{">": (">=", hi), ">=": (">=", lo), "<": ("<", lo), "<=": ("<", hi)}[op])
    if kind == "state" and value in ("is:read", "is:unread", "has:tags", "no:tags"):
        return {"is:read": bits.read, "is:unread": bits.all & ~bits.read,
                "has:tags": bits.tagged, "no:tags": bits.all & ~bits.tagged}[str(value)]
    if kind == "tag":
        return _tag_bits(term, bits, conn)
    # Everything else: the SQL path's own predicate (one statement, cached per term).
    positive = Term(term.kind, term.value, term.raw, False, term.field, term.op, term.tokens, term.prefix)
    params: list = []
    sql = term_sql(positive, vocab, params, {})
    return bits.where(conn, (positive.kind, positive.value, positive.field, positive.op), sql, params)


def _tag_bits(term: Term, bits: Bits, conn: sqlite3.Connection) -> int:
    name = str(term.value)
    found = 0
    for tag_name, tag_id in conn.execute("SELECT name, id FROM tags"):
        if tag_name == name or (term.prefix and tag_name.startswith(name + "/")):
            found |= bits.tags.get(tag_id, 0)
    return found


def evaluate(query: Query, bits: Bits, vocab: Vocabulary, conn: sqlite3.Connection,
             tag_ids: dict[str, list[int]], check: Callable[[], None]) -> int:
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


def ranked(found: int, terms: tuple[Term, ...], bits: Bits, vocab: Vocabulary,
           conn: sqlite3.Connection, limit: int | None, check: Callable[[], None]) -> list[int]:
    """Positions in relevance order (see the module docstring), at least `limit` of them.

    Each title hit adds 1 to a paper's tier (2 when the title has the word or a word starting
    with it). Tiers are kept as bitsets, `at_least[k]` = papers with tier >= k, so ordering
    "tier desc, then newest" is decoding the tier sets in turn, never a sort over all hits.
    """
    at_least = [found]  # at_least[0]: every match
    for term in terms:
        if term.field not in (None, "title"):
            continue
        loose = fuzzy_bits(Term("fuzzy", term.value, tokens=term.tokens, field="title"), bits, vocab, conn) & found
        if not loose:
            continue
        strict = 0
        if all(vocab.has_prefix(t) for t in term.tokens):
            strict = loose
            for t in term.tokens:
                strict &= bits.match(conn, "{title} : " + quote_fts(t) + "*")
        for hits in (loose, strict):
            if hits:
                at_least.append(0)
                for k in range(len(at_least) - 1, 0, -1):
                    at_least[k] |= at_least[k - 1] & hits
        check()
    levels = [at_least[k] & ~at_least[k + 1] for k in range(1, len(at_least) - 1)] + at_least[-1:]
    levels = levels[::-1] if len(at_least) > 1 else []  # highest tier first
    tier_of: dict[int, int] = {}
    head: list[int] = []
    need = None if limit is None else max(limit, RERANK)
    for level, level_bits in zip(range(len(levels), 0, -1), levels):
        want = None if need is None else need - len(head)
        if want == 0:
            break
        chunk = bits.positions(level_bits, want)
        tier_of.update(dict.fromkeys(chunk, level))
        head.extend(chunk)
    top = head[:RERANK]
    words = [(t.value, t.tokens) for t in terms]
    titles = bits.title_of(conn, top)
    # Words the abstract has too: a paper about the word, not one that names it in passing.
    in_abstract = [fuzzy_bits(Term("fuzzy", t.value, tokens=t.tokens, field="abstract"), bits, vocab, conn)
                   for t in terms if t.field is None]
    flags = [(h & found).to_bytes((bits.n + 7) // 8 or 1, "little") for h in in_abstract]
    scorer = TitleScorer(words)
    keys = {p: scorer(titles[p]) for p in top}
    top.sort(key=lambda p: (-tier_of[p], -keys[p][0], -sum((f[p >> 3] >> (p & 7)) & 1 for f in flags),
                            -keys[p][1], p))
    head[:RERANK] = top
    want = None if limit is None else max(0, limit - len(head))
    titled = at_least[1] if len(at_least) > 1 else 0
    rest = bits.positions(found & ~titled, want) if want != 0 else []
    return head + rest
