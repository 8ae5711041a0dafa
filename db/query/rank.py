"""Relevance features of one query word, shared by the bitset path and the SQL reference path.

For each fuzzy word the ranking asks four questions of a paper, in this order of weight:

1. *Exact words*: does the paper contain the word as typed (exactly, or as a prefix while it is
   being typed) in any column? A typo or fragment alternative does not count. Each such word adds
   its IDF, `log((n + 1) / (df + 1))` over the word's exact document count, so a rare word
   (a method name) matching weighs more than a common one (`efficient`), and a rare exact word in
   an abstract beats a typo/fragment match in a title (`gemfilter` is not `EmoFilter`).
2. *Title tier*: +1 if the title has the word or an alternative, +1 more if it has it exactly.
3. *Title score* (query_score.TitleScorer), then how many words the abstract (or the
   organization) has too, then the share of the title the words cover; then newest first.

Weights are integers (milli-nats) so sums compare exactly in both paths.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from papershelf.db.query_vocab import Vocabulary, quote_fts

COLUMNS = ("title", "abstract", "organization")


def idf_weight(df: int, n: int) -> int:
    """The IDF of a word with `df` exact matches among `n` papers, in integer milli-units."""
    return round(1000 * math.log((n + 1) / (df + 1)))


def split_alternatives(token: str, vocab: Vocabulary) -> tuple[str | None, str | None]:
    """(exact, loose) FTS5 expressions for one token: the token itself (`"tok"*`, or `"t"` for one
    letter) and its typo/fragment alternatives ORed; None where there is none."""
    alternatives = vocab.expand(token)
    if not alternatives:
        return None, None
    exact = None
    if alternatives[0] in (quote_fts(token), quote_fts(token) + "*"):
        exact, alternatives = alternatives[0], alternatives[1:]
    loose = "(" + " OR ".join(alternatives) + ")" if alternatives else None
    return exact, loose


def exact_expr(tokens: Sequence[str], vocab: Vocabulary) -> str | None:
    """The FTS5 expression for "every token exactly (as a prefix)", None if some token has none."""
    parts = [split_alternatives(t, vocab)[0] for t in tokens]
    return None if not parts or None in parts else " AND ".join(parts)  # type: ignore[arg-type]


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


def full_key(exact: int, tier: int, scored: tuple[float, float], in_abstract: int) -> tuple:
    """The sort key (descending) of a re-ranked paper, before recency."""
    return (exact, tier, scored[0], in_abstract, scored[1])


__all__ = [
    "COLUMNS",
    "classes_by_weight",
    "exact_expr",
    "full_key",
    "idf_weight",
    "split_alternatives",
]
