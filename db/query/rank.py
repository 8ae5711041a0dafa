"""Stage 4 of a search: order the matches by relevance.

For each fuzzy word the ranking asks four questions of a paper, in this order of weight:

1. *Exact words*: does the paper contain the word as typed (exactly, or as a prefix while it is
   being typed) in any column? A typo or fragment alternative does not count. Each such word adds
   its IDF, `log((n + 1) / (df + 1))` over the word's exact document count, so a rare word
   (a method name) matching weighs more than a common one (`efficient`), and a rare exact word in
   an abstract beats a typo/fragment match in a title (`gemfilter` is not `EmoFilter`).
2. *Title tier*: +1 if the title has the word or an alternative, +1 more if it has it exactly.
3. *Title score* (score.TitleScorer), then how many words the abstract (or the
   organization) has too, then the share of the title the words cover; then newest first.

Weights are integers (milli-nats) so sums compare exactly.

Papers fall into classes by (summed weight, title tier); classes are bitsets, so "class, then
newest" is decoding them in turn, never a sort over all matches. Only the first `RERANK` are
re-sorted by the full key, which needs their titles.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Callable, Hashable

from papershelf.db.query.bits import Bits
from papershelf.db.query.evaluate import WordSets, word_sets
from papershelf.db.query.parse import Term
from papershelf.db.query.score import TitleScorer
from papershelf.db.query.vocabulary import Vocabulary

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


RankKey = tuple[int, int, float, int, float]


def full_key(exact: int, tier: int, scored: tuple[float, float], in_abstract: int) -> RankKey:
    """The sort key (descending) of a re-ranked paper, before recency."""
    return (exact, tier, scored[0], in_abstract, scored[1])


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
    head, key_of = _by_class(found, sets, bits, None if limit is None else max(limit, RERANK))
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


def _by_class(
    found: int, sets: list[WordSets], bits: Bits, need: int | None
) -> tuple[list[int], dict[int, tuple[int, int]]]:
    """The first `need` positions (all if None) in (weight, title tier, newest) order, and the
    (weight, tier) of the first `RERANK` of them."""
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
    return head, key_of


def _rerank(
    top: list[int],
    key_of: dict[int, tuple[int, int]],
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
