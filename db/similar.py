"""Papers like this one: TF-IDF cosine over title and abstract words, plus shared AI keywords.

Pure functions over plain records (no SQLite here; `Store.similar` feeds them). A word counts
more the rarer it is in the library (inverse document frequency), title words count double,
and each AI keyword the two papers share adds a fixed bonus, since keywords are curated
phrases ("reinforcement learning") where single words are not.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

# Split like the search index's tokenizer (unicode61: anything not a letter or digit separates),
# so the index's document counts can stand in for the library's.
_WORD = re.compile(r"[a-z][a-z0-9]{2,}")
# Words every abstract uses: they say nothing about what a paper is about.
STOP_WORDS = frozenset(
    """about above across after also among and any are based been being between both but can
    could does each either even every for from further has have here how however into its
    itself large least less many may more most much must new not novel only other our over
    paper per propose proposed provide results several show shows significant
    significantly such than that the their them then there these they this those through thus
    under upon use used uses using very via was well were what when where which while who whose
    will with within without work would yet approach approaches method methods model models
    achieve achieves demonstrate existing experiments extensive framework performance present
    state-of-the-art task tasks introduce we our""".split()
)
TITLE_WEIGHT = 2.0
KEYWORD_BONUS = 0.15  # added to the cosine (0..1) for each shared AI keyword


@dataclass(frozen=True, slots=True)
class Doc:
    """What similarity looks at in one paper."""

    id: int
    title: str
    abstract: str
    keywords: tuple[str, ...] = ()


def words(text: str) -> list[str]:
    """Lower-cased words of 3+ letters that are not stop words."""
    return [w for w in _WORD.findall(text.lower()) if w not in STOP_WORDS]


def terms_of(doc: Doc) -> dict[str, float]:
    """A paper's words with their weights (title words count double)."""
    return _terms(doc)


def _terms(doc: Doc) -> dict[str, float]:
    counts: dict[str, float] = {}
    for word in words(doc.title):
        counts[word] = counts.get(word, 0.0) + TITLE_WEIGHT
    for word in words(doc.abstract):
        counts[word] = counts.get(word, 0.0) + 1.0
    return counts


def rank_similar(
    target: Doc,
    docs: Iterable[Doc],
    limit: int = 10,
    library_counts: tuple[Mapping[str, int], int] | None = None,
) -> list[tuple[int, float]]:
    """(id, score) of the `limit` docs most like `target`, best first (ties: lower id).

    Word rarity comes from `docs` themselves, or from `library_counts` = (papers holding each
    word, papers in the library) when `docs` are only candidates picked from a larger library.
    """
    library: list[tuple[Doc, dict[str, float]]] = [
        (d, _terms(d)) for d in docs if d.id != target.id
    ]
    mine = _terms(target)
    if library_counts is None:
        counted: Counter[str] = Counter()
        for _doc, terms in library:
            counted.update(terms.keys())
        counted.update(mine.keys())
        frequency: Mapping[str, int] = counted
        total = len(library) + 1
    else:
        frequency, total = library_counts

    idfs: dict[str, float] = {}

    def idf(word: str) -> float:
        if word not in idfs:
            seen = frequency.get(word, 0) or 1
            idfs[word] = math.log(max(total, seen) / seen)
        return idfs[word]

    def weights(terms: dict[str, float]) -> dict[str, float]:
        return {w: (1 + math.log(n)) * idf(w) for w, n in terms.items() if n > 0}

    target_weights = weights(mine)
    norm = math.sqrt(sum(v * v for v in target_weights.values())) or 1.0
    keywords = {k.lower() for k in target.keywords}
    scored: list[tuple[float, int]] = []
    for doc, terms in library:
        shared = terms.keys() & target_weights.keys()
        bonus = KEYWORD_BONUS * len(keywords & {k.lower() for k in doc.keywords})
        if not shared and not bonus:
            continue
        theirs = weights(terms)
        other = math.sqrt(sum(v * v for v in theirs.values())) or 1.0
        cosine = sum(target_weights[w] * theirs[w] for w in shared) / (norm * other)
        scored.append((cosine + bonus, doc.id))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [(doc_id, round(score, 4)) for score, doc_id in scored[:limit]]


def rare_words(target: Doc, frequency: Mapping[str, int], count: int = 12) -> list[str]:
    """The target's `count` rarest words (by `frequency`): what to look for its neighbours by."""
    terms = _terms(target)
    return sorted(terms, key=lambda w: ((frequency.get(w, 0) or 1) / terms[w], w))[:count]


def shared_words(a: Doc, b: Doc, limit: int = 5) -> Sequence[str]:
    """Words (and keywords) the two papers share, for saying why they are alike."""
    keywords = sorted({k.lower() for k in a.keywords} & {k.lower() for k in b.keywords})
    mine = _terms(a)
    theirs = _terms(b)
    common = [w for w in sorted(mine, key=lambda w: -mine[w]) if w in theirs]
    return (keywords + common)[:limit]
