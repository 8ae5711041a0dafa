"""Stage 4 of a search: order the matches by relevance.

Relevance is computed over the query's words (`rank_words`: its fuzzy words, adjacent words
joined where the vocabulary knows the joined word, and exact needles). Each word has a weight,
its IDF `log((n + 1) / (df + 1))` over the papers containing it exactly (as typed, or as a
prefix while it is being typed; a typo, fragment, stem or split does not count), so a rare word
(a method name) weighs more than a common one (`efficient`). A paper's key, most weight first:

1. *Title words*: the summed weight of the words its title has exactly: a title hit beats
   abstract hits.
2. *Exact words*: the summed weight of the words it has exactly anywhere, so a rare exact word
   in an abstract beats a typo or fragment in a title (`gemfilter` is not `EmoFilter`).
3. *Title tier*: +1 per word the title has in any form, +1 more if exactly.
4. *Title score* (score.TitleScorer: exact beats prefix beats fragment beats typo), then how
   many words the abstract (or the organization) has too, then the share of the title the words
   cover; then newest first.

Weights are integers (milli-nats) so sums compare exactly. Papers fall into classes by the first
three; classes are bitsets, so "class, then newest" is decoding them in turn, never a sort over
all matches. Only the first `RERANK` are re-sorted by the full key, which needs their titles.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Callable, Hashable

from papershelf.db.query.bits import Bits
from papershelf.db.query.evaluate import WordSets, word_pairs, word_sets
from papershelf.db.query.parse import Query, Term, index_tokens
from papershelf.db.query.score import TitleScorer
from papershelf.db.query.vocabulary import Vocabulary, split_alternatives

RERANK = 200


def idf_weight(df: int, n: int) -> int:
    """The IDF of a word with `df` exact matches among `n` papers, in integer milli-units."""
    return round(1000 * math.log((n + 1) / (df + 1)))


def classes_by_weight(found: int, exact: list[int], weights: list[int]) -> list[tuple[int, int]]:
    """Partition `found` by the summed weight of the words each paper has exactly:
    [(weight, papers), ...], heaviest first (subsets with equal sums merged)."""
    fixed = 0
    varying: list[tuple[int, int]] = []
    for hits, weight in zip(exact, weights):
        hits &= found
        if hits == found:
            fixed += weight
        elif hits:
            varying.append((hits, weight))
    groups: dict[int, int] = {}
    parts = [(found, 0)]
    for hits, weight in varying:  # split every part into has-it / has-not
        parts = [
            piece
            for bits, w in parts
            for piece in ((bits & hits, w + weight), (bits & ~hits, w))
            if piece[0]
        ]
    for bits, w in parts:
        groups[fixed + w] = groups.get(fixed + w, 0) | bits
    return sorted(((w, b) for w, b in groups.items()), reverse=True)


RankKey = tuple[int, int, int, float, int, float]


def full_key(
    in_title: int, exact: int, tier: int, scored: tuple[float, float], in_abstract: int
) -> RankKey:
    """The sort key (descending) of a re-ranked paper, before recency."""
    return (in_title, exact, tier, scored[0], in_abstract, scored[1])


def rank_words(query: Query, vocab: Vocabulary) -> tuple[Term, ...]:
    """The words relevance is computed over: the query's positive fuzzy words; two adjacent
    words joined, where the vocabulary knows the joined word itself (`emo v2` as `emov2`); and
    positive exact needles, as words (a title that has `'gemm` is a title hit)."""
    words = list(query.fuzzy_terms)
    for pair in word_pairs(query):
        if all(any(a[0] == '"' for a in vocab.expand(t, splits=False)) for t in pair.tokens):
            words.append(pair)
    for term in query.terms:
        if term.kind == "exact" and not term.negated and term.field in (None, "title"):
            tokens = index_tokens(str(term.value))
            if tokens:
                words.append(Term("fuzzy", term.value, term.raw, field=term.field, tokens=tokens))
    return tuple(words)


def ranked(
    found: int,
    terms: tuple[Term, ...],
    bits: Bits,
    vocab: Vocabulary,
    conn: sqlite3.Connection,
    limit: int | None,
    check: Callable[[], None],
) -> list[int]:
    """Positions in relevance order, at least `limit` of them (see the module docstring)."""
    scored = [t for t in terms if t.field in (None, "title")]
    sets = [word_sets(t, bits, vocab, conn) for t in scored]
    check()
    weights = [
        idf_weight(bits.count(conn, _exact_match(t, vocab), ws.exact), bits.library_size)
        for t, ws in zip(scored, sets)
    ]
    need = None if limit is None else max(limit, RERANK)
    head, key_of = _by_class(found, sets, weights, bits, need)
    # The app asks for a first screen, then the whole list, of the same query: the second
    # search reuses the first one's re-ranked pool (same terms, same matches: same order).
    memo_key: Hashable = (
        tuple((t.kind, t.value, t.field, t.tokens, t.negated) for t in terms),
        found,
    )
    cached = bits.reranked.get(memo_key)
    if cached is not None and len(cached) == min(len(head), RERANK):
        head[:RERANK] = cached
        return head
    # Words the abstract (or organization) has too: a paper about the word, not one that names
    # it in passing.
    abstract = [ws.abstract & found for t, ws in zip(scored, sets) if t.field is None]
    top = _rerank(head[:RERANK], key_of, abstract, [t.tokens for t in terms], bits, conn)
    head[:RERANK] = top
    bits.reranked[memo_key] = list(top)
    if len(bits.reranked) > 4:
        bits.reranked.pop(next(iter(bits.reranked)))
    return head


def _exact_match(term: Term, vocab: Vocabulary) -> str | None:
    """The FTS5 expression of the papers holding the word exactly (None if none can)."""
    parts = [split_alternatives(t, vocab)[0] for t in term.tokens]
    if not parts or any(p is None for p in parts):
        return None
    expr = " AND ".join(p for p in parts if p)
    return "{" + term.field + "} : (" + expr + ")" if term.field else expr


def _by_class(
    found: int, sets: list[WordSets], weights: list[int], bits: Bits, need: int | None
) -> tuple[list[int], dict[int, tuple[int, int, int]]]:
    """The first `need` positions (all if None) in (title weight, weight, title tier, newest)
    order, and that class of the first `RERANK` of them."""
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
    head: list[int] = []
    key_of: dict[int, tuple[int, int, int]] = {}
    for in_title, titled in classes_by_weight(found, [ws.title_exact for ws in sets], weights):
        for weight, members in classes_by_weight(titled, [ws.exact for ws in sets], weights):
            for tier, level in tiers:
                want = None if need is None else need - len(head)
                if want == 0:
                    break
                part = members & level
                if part:
                    chunk = bits.positions(part, want)
                    if len(head) < RERANK:  # only the re-ranked few need their class
                        key = (in_title, weight, tier)
                        key_of.update(dict.fromkeys(chunk[: RERANK - len(head)], key))
                    head.extend(chunk)
    return head, key_of


def _rerank(
    top: list[int],
    key_of: dict[int, tuple[int, int, int]],
    abstract: list[int],
    words: list[tuple[str, ...]],
    bits: Bits,
    conn: sqlite3.Connection,
) -> list[int]:
    """`top` sorted by the full key (class, tier, title score, abstract words, coverage), then
    newest first."""
    titles = bits.title_of(conn, top)
    flags = [a.to_bytes((bits.n + 7) // 8 or 1, "little") for a in abstract]
    scores = dict(zip(top, TitleScorer(words).many([titles[p] for p in top])))
    keys = {
        p: full_key(*key_of[p], scores[p], sum((f[p >> 3] >> (p & 7)) & 1 for f in flags))
        for p in top
    }
    return sorted(top, key=lambda p: (tuple(-k for k in keys[p]), p))
