"""Similar papers: rare shared words and shared AI keywords rank a paper's neighbours."""

from __future__ import annotations

from datetime import date

from papershelf.db.models import ParsedPaper
from papershelf.db.similar import Doc, rank_similar, shared_words, words

TARGET = Doc(1, "Offline reinforcement learning with diffusion policies", "We study offline RL.")
DOCS = [
    TARGET,
    Doc(2, "Diffusion policies for offline reinforcement learning", "Policies from diffusion."),
    Doc(3, "Image diffusion models at scale", "We train diffusion models for images."),
    Doc(4, "A survey of databases", "Indexes and transactions."),
    Doc(5, "Learning with policies", "We propose a method using learning."),
]


def test_words_drop_stop_words_and_short_ones():
    assert words("We propose a NEW method: Diffusion-based RL at scale") == [
        "diffusion",
        "scale",
    ]


def test_rank_puts_the_closest_first_and_skips_unrelated():
    ranked = rank_similar(TARGET, DOCS, limit=10)
    ids = [pid for pid, _ in ranked]
    assert ids[0] == 2
    assert 4 not in ids and 1 not in ids
    assert all(a[1] >= b[1] for a, b in zip(ranked, ranked[1:]))


def test_shared_keywords_lift_a_paper():
    target = Doc(1, "Alpha", "", ("world models",))
    docs = [target, Doc(2, "Beta", "", ("World Models",)), Doc(3, "Gamma", "")]
    assert rank_similar(target, docs) == [(2, 0.15)]
    assert shared_words(target, docs[1]) == ["world models"]


def test_store_similar_returns_papers_with_scores(store):
    store.import_papers(
        [
            ParsedPaper(title=d.title, abstract=d.abstract, published=date(2025, 1, d.id))
            for d in DOCS
        ],
        source="t",
        captured_on=date(2025, 2, 1),
    )
    target = next(p for p in store.papers() if p.title == TARGET.title)
    found = store.similar(target.id, limit=2)
    assert found[0][0].title == DOCS[1].title
    assert len(found) == 2 and found[0][1] > 0
    assert store.similar(999_999) == []
