"""`highlight_spans`: which characters of a title to highlight for a query (pure, fast).

Called for visible rows only. Fuzzy words highlight the title words they matched (exactly, as a
prefix, as a fragment, or with a typo: the rules score.py uses); exact, `^` and `$`
terms highlight their substring. Negated terms highlight nothing.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from papershelf.db.query.parse import Query, fold

_WORD = re.compile(r"[^\W_]+")


def highlight_spans(query: Query, text: str) -> list[tuple[int, int]]:
    """Sorted, merged [start, end) character spans of `text` that the query matched."""
    spans: list[tuple[int, int]] = []
    lowered = text.casefold() if len(text.casefold()) == len(text) else text.lower()
    words = None
    for term in query.terms:
        if term.negated or term.field not in (None, "title"):
            continue
        if term.kind in ("exact", "prefix", "suffix", "equals"):
            needle = str(term.value)
            if not needle:
                continue
            if term.kind in ("prefix", "equals"):
                if lowered.startswith(needle):
                    spans.append((0, len(needle)))
            elif term.kind == "suffix":
                if lowered.endswith(needle):
                    spans.append((len(text) - len(needle), len(text)))
            else:
                start = lowered.find(needle)
                while start != -1:
                    spans.append((start, start + len(needle)))
                    start = lowered.find(needle, start + len(needle))
        elif term.kind == "fuzzy" and term.tokens:
            if words is None:
                words = [(m.start(), m.end(), fold(m.group())) for m in _WORD.finditer(text)]
            for token in term.tokens:
                spans.extend(_match_token(token, words))
    return _merge(spans)


def _match_token(token: str, words: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    out = []
    for start, end, word in words:
        if len(word) != end - start:  # folding changed the length (ligatures): whole word
            if word.startswith(token) or (len(token) >= 4 and token in word):
                out.append((start, end))
            continue
        if word.startswith(token):
            out.append((start, start + len(token)))
        elif len(token) >= 4 and token in word:
            i = word.index(token)
            out.append((start + i, start + i + len(token)))
        elif len(token) >= 4 and fuzz.ratio(token, word, score_cutoff=75):
            out.append((start, end))
    return out


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
