"""Stage 2 of a search: expand query words against the index vocabulary (typos, fragments).

The vocabulary is the set of distinct index tokens (`papers_fts_vocab`), tens of thousands of
short strings even for a large library, so it is held in memory and matched with rapidfuzz per
keystroke. Each query token expands to: the token itself as an FTS5 prefix query (`"tok"*`,
exact and prefix matches), typo matches (1 edit, 2 for words of 8+ letters, a swap of two
neighbouring letters counting as one, among terms of similar length), and fragment matches
(terms containing the token, for `decod` in `flashdecoding`), the most frequent first, capped
so a match expression stays small; words sharing its stem (`quantized` for `quantization`); and
splits of a token typed as one word where the text has two (`lutgemm` for LUT-GEMM).
"""

from __future__ import annotations

import bisect
import itertools
import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence

from rapidfuzz import process
from rapidfuzz.distance import OSA

from papershelf.db.search_index import SAVED_VOCAB, saved_terms, saved_vocabulary

MAX_TYPOS = 24
MAX_FRAGMENTS = 24
MAX_SPLITS = 4
# A token in this many papers is a word of its own, not a compound to split.
COMMON_TERM = 50


def quote_fts(token: str) -> str:
    """An FTS5 string literal: the token in double quotes, inner quotes doubled (no syntax leaks)."""
    return '"' + token.replace('"', '""') + '"'


class Vocabulary:
    """Index tokens with document counts, bucketed by length for fast typo lookup."""

    def __init__(self, rows: list[tuple[str, int]]) -> None:
        self.doc: dict[str, int] = dict(rows)
        self.by_length: dict[int, list[str]] = {}
        for term in self.doc:
            self.by_length.setdefault(len(term), []).append(term)
        terms = sorted(self.doc)
        self.sorted_terms = terms
        # token -> expand(token): typing `flash d`, `flash de` re-expands `flash` every time.
        self._expanded: dict[str, list[str]] = {}
        self._splits: dict[str, list[str]] = {}  # token -> compounds(token), computed when asked
        # One big "\n"-joined string: substring search over all terms is one C-level find loop.
        self._blob = "\n" + "\n".join(terms) + "\n"

    @classmethod
    def load(cls, conn: sqlite3.Connection) -> Vocabulary:
        """Read the vocabulary (the saved copy while it is exact, else the index itself)."""
        return cls(saved_vocabulary(conn))

    def __len__(self) -> int:
        return len(self.doc)

    def has_prefix(self, token: str) -> bool:
        """Whether any term starts with `token`."""
        i = bisect.bisect_left(self.sorted_terms, token)
        return i < len(self.sorted_terms) and self.sorted_terms[i].startswith(token)

    def prefix_docs(self, token: str) -> int:
        """How many papers hold terms starting with `token` (summed over the terms, so a
        paper may count more than once); the count stops once it reaches COMMON_TERM."""
        i = bisect.bisect_left(self.sorted_terms, token)
        docs = 0
        while docs < COMMON_TERM and i < len(self.sorted_terms):
            term = self.sorted_terms[i]
            if not term.startswith(token):
                break
            docs += self.doc[term]
            i += 1
        return min(docs, COMMON_TERM)

    def containing(self, token: str, limit: int = MAX_FRAGMENTS) -> list[str]:
        """Terms containing `token` but not starting with it, most frequent first."""
        found: set[str] = set()
        if not token or "\n" in token:
            return []  # every term holds "", none holds a newline
        blob = self._blob
        pos = blob.find(token)
        while pos != -1:
            start = blob.rfind("\n", 0, pos) + 1
            end = blob.find("\n", pos)
            if pos > start:
                found.add(blob[start:end])
            pos = blob.find(token, end)
        return self._most_frequent(found, limit)

    def _most_frequent(self, terms: set[str], limit: int) -> list[str]:
        return sorted(terms, key=lambda t: (-self.df(t), t))[:limit]  # ties by name: deterministic

    def typos(self, token: str, limit: int = MAX_TYPOS) -> list[str]:
        """Terms within a small edit distance (1; 2 for words of 8+ characters)."""
        n = len(token)
        if n < 4:
            return []
        k = 1 if n < 8 else 2
        buckets = [self.by_length.get(m, []) for m in range(n - k, n + k + 1)]
        return _nearest(_within(token, k, buckets), self.df, limit)

    def df(self, term: str) -> int:
        """How many papers hold `term` (0: not a term)."""
        return self.doc.get(term, 0)

    def expand(self, token: str, *, splits: bool = True) -> list[str]:
        """FTS5 alternatives for one token: `"tok"*` (if anything has that prefix) and terms;
        `splits=False` leaves out the token's splits (`compounds`)."""
        cached = self._expanded.get(token)
        if cached is None:
            if len(self._expanded) >= 4096:
                self._expanded.clear()
                self._splits.clear()
            cached = self._expanded[token] = self._expand(token)
        if not splits:
            return list(cached)
        parts = self._splits.get(token)
        if parts is None:
            parts = self._splits[token] = self.compounds(token)
        return [*cached, *parts]

    def _expand(self, token: str) -> list[str]:
        parts: list[str] = []
        if len(token) == 1:
            return [quote_fts(token)] if self.df(token) else []
        if self.has_prefix(token):
            parts.append(quote_fts(token) + "*")
        extra = self.typos(token)
        if len(token) >= 4:
            extra += self.containing(token)
        seen: set[str] = set()
        for term in extra:
            if term not in seen and not term.startswith(token):
                seen.add(term)
                parts.append(quote_fts(term))
        stem = stem_of(token)
        if stem != token and self.has_prefix(stem):
            parts.append(quote_fts(stem) + "*")
        return parts

    def compounds(self, token: str, limit: int = MAX_SPLITS) -> list[str]:
        """FTS5 conjunctions for a token typed as one word where the text has two (`lutgemm` for
        LUT-GEMM, `selfslimmed` for Self-slimmed): `("lut" AND "gemm"*)`. The first part must be
        a term; the second a term, a term's prefix (two letters or more), for three letters a
        prefix with two letters swapped, or (4+ letters, for the most balanced splits only) one
        typo away from a term. Skipped for a token that is a common term itself or
        only the start of longer ones."""
        df = self.df(token)
        if len(token) < 5 or df >= COMMON_TERM:
            return []  # a word of its own
        if not df and self.prefix_docs(token) >= COMMON_TERM:
            return []  # the start of common words being typed (`decod` of `decoding`)
        found: list[tuple[int, str]] = []
        typo_tries = 0
        for i in sorted(range(2, len(token)), key=lambda i: -min(i, len(token) - i)):
            left, right = token[:i], token[i:]
            if not self.df(left):
                continue
            if len(right) == 1:
                # That very term (`crossd` for Cross-D): as a prefix, one letter or digit is the
                # start of a twentieth of the vocabulary, whose postings FTS5 would merge whole
                # (~150 ms at 100k papers) to intersect them with the first part's few.
                second = [quote_fts(right)] if self.df(right) else []
            elif self.has_prefix(right):
                second = [quote_fts(right) + "*"]
            elif len(right) >= 4 and typo_tries < MAX_SPLITS:
                typo_tries += 1
                second = [quote_fts(t) for t in self.typos(right, limit=4)]
            elif len(right) == 3:
                # Too short for typos but for two letters swapped (`casvti` for CAS-ViT).
                second = [quote_fts(t) + "*" for t in _swaps(right) if self.has_prefix(t)]
            else:
                second = []
            if second:
                either = second[0] if len(second) == 1 else "(" + " OR ".join(second) + ")"
                found.append((min(len(left), len(right)), f"({quote_fts(left)} AND {either})"))
        found.sort(key=lambda f: -f[0])  # balanced splits first: `cas vit`, not `ca svit`
        return [expr for _, expr in found[:limit]]


class IndexedVocabulary(Vocabulary):
    """The same answers as `Vocabulary` for one search (the command line), where reading and
    bucketing every term would cost more than the search: `df` and `has_prefix` are seeks on the
    saved vocabulary's primary key, and fragments and typos are found in its terms read as one
    string (`search_index.saved_terms`), the few terms they match counted by one lookup."""

    def __init__(self, conn: sqlite3.Connection, terms: str) -> None:
        super().__init__([])
        self._conn = conn
        self._blob = terms

    @classmethod
    def open(cls, conn: sqlite3.Connection) -> Vocabulary:
        """A lookup vocabulary while the saved one is exact, else the whole one (which then
        reads the index itself)."""
        terms = saved_terms(conn)
        return cls(conn, terms) if terms is not None else Vocabulary.load(conn)

    def __len__(self) -> int:
        return int(self._conn.execute(f"SELECT count(*) FROM {SAVED_VOCAB}").fetchone()[0])

    def df(self, term: str) -> int:
        doc = self.doc.get(term)
        if doc is None:
            row = self._conn.execute(
                f"SELECT doc FROM {SAVED_VOCAB} WHERE term = ?", [term]
            ).fetchone()
            doc = self.doc[term] = row[0] if row else 0
        return doc

    def _count(self, terms: Iterable[str]) -> None:
        """Read the document counts of `terms` not yet known, in one statement."""
        unknown = [t for t in terms if t not in self.doc]
        if unknown:
            self.doc.update(
                self._conn.execute(
                    f"SELECT term, doc FROM {SAVED_VOCAB}"
                    " WHERE term IN (SELECT value FROM json_each(?))",
                    [json.dumps(unknown)],
                )
            )

    def has_prefix(self, token: str) -> bool:
        # Terms sort by code point (SQLite's BINARY on UTF-8 and Python's str agree).
        return (
            self._conn.execute(
                f"SELECT 1 FROM {SAVED_VOCAB} WHERE term >= ? AND term < ? LIMIT 1",
                [token, token + "\U0010ffff"],
            ).fetchone()
            is not None
        )

    def prefix_docs(self, token: str) -> int:
        # At most COMMON_TERM terms: each is in a paper at least, so that many reach the cap.
        row = self._conn.execute(
            f"SELECT sum(doc) FROM (SELECT doc FROM {SAVED_VOCAB}"
            " WHERE term >= ? AND term < ? ORDER BY term LIMIT ?)",
            [token, token + "\U0010ffff", COMMON_TERM],
        ).fetchone()
        return min(int(row[0] or 0), COMMON_TERM)

    def _most_frequent(self, terms: set[str], limit: int) -> list[str]:
        self._count(terms)
        return super()._most_frequent(terms, limit)

    def typos(self, token: str, limit: int = MAX_TYPOS) -> list[str]:
        n = len(token)
        if n < 4 or "\n" in token:
            return []
        k = 1 if n < 8 else 2
        # k edits leave at least one of k + 1 pieces of the token whole, so only terms holding
        # one of them can be near: each piece is found in the terms by str.find, which costs
        # ~1 µs a term holding it (a two-letter piece like `er`, in ~10k terms at 100k papers:
        # ~6 ms, and a 4-5 letter token has up to four such pieces; bucketing every term by
        # length instead costs ~20 ms, and loading the vocabulary ~65 ms). A swap of two letters
        # on either side of a cut breaks both pieces, so the pieces of the token with its
        # letters swapped at each set of cuts are looked for too.
        cuts = [i * n // (k + 1) for i in range(1, k + 1)]
        pieces: set[str] = set()
        for swapped in range(1 << k):
            letters = list(token)
            for bit, cut in enumerate(cuts):
                if swapped >> bit & 1:
                    letters[cut - 1], letters[cut] = letters[cut], letters[cut - 1]
            variant = "".join(letters)
            bounds = [0, *cuts, n]
            pieces.update(variant[a:b] for a, b in itertools.pairwise(bounds))
        blob = self._blob
        buckets: dict[int, set[str]] = {}
        for piece in sorted(pieces):
            pos = blob.find(piece)
            while pos != -1:
                start = blob.rfind("\n", 0, pos) + 1
                end = blob.find("\n", pos)
                if n - k <= end - start <= n + k:
                    buckets.setdefault(end - start, set()).add(blob[start:end])
                pos = blob.find(piece, end)
        near = _within(token, k, [list(bucket) for bucket in buckets.values()])
        self._count(term for _, term in near)
        return _nearest(near, self.df, limit)


def _swaps(word: str) -> list[str]:
    """`word` with two neighbouring letters swapped, each way it differs."""
    out = []
    for i in range(len(word) - 1):
        if word[i] != word[i + 1]:
            out.append(word[:i] + word[i + 1] + word[i] + word[i + 2 :])
    return out


def _within(token: str, k: int, buckets: Iterable[Sequence[str]]) -> list[tuple[int, str]]:
    """(distance, term) of every other term of `buckets` within `k` edits of token, a swap of
    two neighbouring letters counting as one (optimal string alignment: `casvti` is one edit
    from `casvit`, where Levenshtein counts two)."""
    out: list[tuple[int, str]] = []
    for bucket in buckets:
        if not bucket:
            continue
        for term, dist, _ in process.extract(
            token, bucket, scorer=OSA.distance, score_cutoff=k, limit=None
        ):
            if term != token:
                out.append((int(dist), term))
    return out


def _nearest(near: list[tuple[int, str]], df: Callable[[str], int], limit: int) -> list[str]:
    """The terms of `near`, nearest then most frequent first (ties by name)."""
    ranked = sorted((dist, -df(term), term) for dist, term in near)
    return [term for _, _, term in ranked[:limit]]


# Suffixes removed to find a word's stem, longest first: `quantization` and `quantized` share
# `quantiz`, so either finds the other (as a loose alternative, ranked below the word itself).
_SUFFIXES = ("ations", "ation", "ings", "ing", "ized", "izes", "ions", "ion", "ers", "er", "ed")
MIN_STEM = 5


def stem_of(token: str) -> str:
    """`token` without one common English suffix, if at least MIN_STEM letters stay."""
    for suffix in _SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= MIN_STEM:
            return token[: -len(suffix)]
    return token


def split_alternatives(
    token: str, vocab: Vocabulary, *, splits: bool = True
) -> tuple[str | None, str | None]:
    """(exact, loose) FTS5 expressions for one token: the token itself (`"tok"*`, or `"t"` for one
    letter) and its typo/fragment alternatives ORed; None where there is none."""
    alternatives = vocab.expand(token, splits=splits)
    if not alternatives:
        return None, None
    exact = None
    if alternatives[0] in (quote_fts(token), quote_fts(token) + "*"):
        exact, alternatives = alternatives[0], alternatives[1:]
    loose = "(" + " OR ".join(alternatives) + ")" if alternatives else None
    return exact, loose
