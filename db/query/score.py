"""How well a title matches the query words: part of the re-ranking key of the best few hundred.

`TitleScorer(words).many(titles)` returns (score, coverage) per title, both rounded as the
ranking compares them: score (0..100) says how well each query word matches its best title word (exact 100, prefix 92,
fragment 85, typo: rapidfuzz ratio >= 75); coverage (0..1) is the share of the title's words some
query word matches, so "Monotone deep Boltzmann machines" beats a longer title that merely
contains the same words. Word-pair scores are memoised (across queries): a result's titles share most
of their words, so 400 titles need a few hundred rapidfuzz calls, not thousands.

A whole re-rank pool is scored at once: each query token is scored once against each *distinct*
title token, and per title only the few tokens that score above 0 are looked at (a C-level set
intersection), ~4x less Python per title than scoring every (query token, title token) pair.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from papershelf.db.query.parse import index_tokens

# (query token, title token) -> score: a pure function of the two strings, so one memo serves
# every query and thread (dict get/set are atomic); cleared when it grows past the cap.
_PAIRS: dict[tuple[str, str], float] = {}
_PAIRS_MAX = 50_000
# title -> index_tokens(title): the re-rank pools of consecutive keystrokes share most titles.
_TOKENS: dict[str, tuple[str, ...]] = {}
_TOKENS_MAX = 50_000


class TitleScorer:
    """Scores titles against one query's words, each given as its index tokens."""

    def __init__(self, words: list[tuple[str, ...]]) -> None:
        self.words = words
        self.flat = [w for tokens in self.words for w in tokens]
        self._pair = _PAIRS  # shared: typing `vision t`, `vision tr` re-scores `vision` for free

    def pair(self, w: str, t: str) -> float:
        """Score of query token `w` against title token `t`."""
        key = (w, t)
        s = self._pair.get(key)
        if s is None:
            if t == w:
                s = 100.0
            elif t.startswith(w):
                s = 92.0 if len(w) >= 2 else 50.0
            elif len(w) >= 4 and w in t:
                s = 85.0
            else:
                s = fuzz.ratio(w, t, score_cutoff=75) if len(w) >= 4 else 0.0
            if len(self._pair) >= _PAIRS_MAX:
                self._pair.clear()
            self._pair[key] = s
        return s

    def many(self, titles: list[str]) -> list[tuple[float, float]]:
        """(score, coverage) of each title, computed per distinct title token (see above)."""
        cache = _TOKENS
        if len(cache) > _TOKENS_MAX:
            cache.clear()
        split = []
        for title in titles:
            tokens = cache.get(title)
            if tokens is None:
                tokens = cache[title] = index_tokens(title)
            split.append(tokens)
        distinct = set().union(*split) if split else set()
        # Per query token, the distinct title tokens scoring above 0 (the rest never raise a max).
        nonzero: dict[str, dict[str, float]] = {}
        for w in set(self.flat):
            scores = {}
            pair = self.pair
            for t in distinct:
                s = pair(w, t)
                if s > 0:
                    scores[t] = s
            nonzero[w] = scores
        covered = set().union(*nonzero.values()) if nonzero else set()
        words = self.words
        out = []
        for tokens in split:
            if not tokens:
                out.append((0.0, 0.0))
                continue
            if words:
                present = set(tokens)
                total = 0.0
                for word_tokens in words:
                    word_total = 0.0
                    for w in word_tokens:
                        if w in present:
                            word_total += 100.0
                        else:
                            scores = nonzero[w]
                            hits = present.intersection(scores)
                            word_total += max(map(scores.__getitem__, hits)) if hits else 0.0
                    total += word_total / len(word_tokens)
                score = total / len(words)
            else:
                score = 0.0
            hit = sum(map(covered.__contains__, tokens))
            out.append((round(score, 1), round(hit / len(tokens), 2)))
        return out
