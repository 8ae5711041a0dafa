"""Ranking principles (db.query.rank), on small real libraries; the SQL oracle must agree."""

from __future__ import annotations

from datetime import date

import pytest

from papershelf.db.models import ParsedPaper
from papershelf.db.query import Searcher
from papershelf.db.query.rank import classes_by_weight, idf_weight
from papershelf.db.store import Store
from tests.support.query_oracle import Oracle


def make(tmp_path, papers):
    store = Store.open(tmp_path / "papers.db")
    store.import_papers(
        [
            ParsedPaper(title=t, abstract=a, published=date(2024, 1, 1 + i % 27))
            for i, (t, a) in enumerate(papers)
        ],
        source="t",
        captured_on=date(2025, 12, 8),
    )
    return store


def top_titles(store, query, k=1):
    fast, slow = Searcher(store), Oracle(store)
    result = fast.search(query)
    assert result == slow.search(query)  # the reference path ranks the same
    return [p.title for p in store.papers(result.ids[:k])]


FILLER = [(f"Filler study {i} of models", "A model of the usual kind.") for i in range(30)]


# (papers beside FILLER, query, the expected top title), one ranking principle each.
PRINCIPLES = {
    "rare exact word in an abstract beats a typo in a title": (
        [
            ("EmoFilter for images", "We filter emotions."),
            ("Long context made cheap", "Our method, GemFilter, drops tokens early."),
        ],
        "gemfilter",
        "Long context made cheap",
    ),
    "rare exact word in an abstract beats a fragment in a title": (
        [
            ("Hierarchical VMamba blocks", "Vision backbones."),
            ("Multi-scale hierarchy", "We present MSVMamba, a multi-scale model."),
        ],
        "msvmamba",
        "Multi-scale hierarchy",
    ),
    # Both papers match both words (one exactly, one by a typo); the rare word decides.
    "a rare word matched exactly outweighs a common one": (
        [("Alpha", "model zyzzyz results"), ("Beta", "modal zyzzyx results")],
        "model zyzzyx",
        "Beta",
    ),
    "more words matched exactly rank higher": (
        [("Sparse kernels", "sparse gemm on cpu"), ("Sparse kernals", "sparse gemn on cpus")],
        "sparse kernels gemm",
        "Sparse kernels",
    ),
    "an exact title word beats a typo in a title": (
        [("Quantum chanel coding", "x"), ("Quantum channel coding", "x")],
        "channel",
        "Quantum channel coding",
    ),
    "a title still beats an abstract for the same exact word": (
        [("Notes", "about wombats"), ("Wombats", "about notes")],
        "wombats",
        "Wombats",
    ),
}


@pytest.mark.parametrize(("papers", "query", "top"), PRINCIPLES.values(), ids=PRINCIPLES.keys())
def test_ranking_principle(tmp_path, papers, query, top):
    store = make(tmp_path, [*FILLER, *papers])
    assert top_titles(store, query) == [top]


@pytest.mark.parametrize(("df", "n"), [(0, 10), (5, 10), (10, 10), (1, 1_000_000)])
def test_idf_weight_is_a_non_negative_integer_falling_with_df(df, n):
    weight = idf_weight(df, n)
    assert isinstance(weight, int) and weight >= 0
    assert idf_weight(df + 1, n) <= weight


def test_classes_partition_the_result_heaviest_first():
    found = 0b1111
    classes = classes_by_weight(found, [0b0011, 0b0101], [700, 300])
    assert [w for w, _ in classes] == [1000, 700, 300, 0]
    assert [b for _, b in classes] == [0b0001, 0b0010, 0b0100, 0b1000]
    merged = classes_by_weight(found, [0b0011, 0b0101], [500, 500])
    assert merged == [(1000, 0b0001), (500, 0b0110), (0, 0b1000)]


EXACT_PAPERS = [
    ("Tiling GEMM kernels", "We write cuGEMM and gemmlite for tensor cores."),
    ("Discounts of 50% on training", "Half price: a 50 percent cut."),
    ("snake_case names", "Identifiers like my_var and myXvar."),
    ("Paths like a\\b", "Backslashes in C:\\temp and a\\b again."),
    ("Gemütlich models", "Accents: gémm is not gemm in raw text."),
    ("Unrelated", "Nothing to see: ge mm, g-e-m-m."),
    # Its index token is `gemmifier` (accents folded away), yet the text does not contain "gemm":
    # a paper that is not pure ASCII is always checked against its text.
    ("Accented only", "The gémmifier is accented."),
]


@pytest.mark.parametrize(
    "needle",
    ["gemm", "GEMM", "cugemm", "50%", "my_var", "my_", "a\\b", "gém", "ge mm", "m kern", "%", "_"],
)
def test_exact_substrings_match_like_python(tmp_path, needle):
    """`'x` is a case-insensitive substring in either path, LIKE wildcards included."""
    store = make(tmp_path, EXACT_PAPERS)
    fast, slow = Searcher(store), Oracle(store)
    query = f'"{needle}"' if " " in needle else f"'{needle}"
    expected = sorted(
        t for t, a in EXACT_PAPERS if needle.lower() in t.lower() or needle.lower() in a.lower()
    )
    for searcher in (fast, slow):
        found = sorted(p.title for p in store.papers(searcher.search(query).ids))
        assert found == expected, (query, type(searcher).__name__)
        excluded = (
            sorted(p.title for p in store.papers(searcher.search(f"!{needle}").ids))
            if " " not in needle
            else None
        )
        if excluded is not None:
            assert excluded == sorted(t for t, _ in EXACT_PAPERS if t not in expected)


AFFIX_PAPERS = [
    ("Straße networks", "Roads."),
    ("Strasse and straßen", "An index term starting with strasse."),
    ("Schrödinger bridges", "Bridges."),
    ("Efficient transformer for segmentation", "Efficient segmentation."),
    ("Segmentation, efficient", "Efficient again."),
    ("Efficient", "One word."),
    ("Inefficient transformers", "Not efficient."),
]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("^straße", ["Straße networks", "Strasse and straßen"]),
        ("'straße", ["Straße networks", "Strasse and straßen"]),
        ("'strasse", ["Strasse and straßen"]),  # an ASCII needle folds ASCII case only: ß is not ss
        ("networks$", ["Straße networks"]),
        ("^schrödinger", ["Schrödinger bridges"]),
        ("^efficient transformer", ["Efficient transformer for segmentation"]),
        ("segmentation$", ["Efficient transformer for segmentation"]),
        ("^efficient$", ["Efficient"]),
        ("^efficient", ["Efficient", "Efficient transformer for segmentation"]),
        (
            "'efficient transformer",
            ["Efficient transformer for segmentation", "Inefficient transformers"],
        ),
    ],
)
def test_anchored_and_exact_title_terms_in_both_paths(tmp_path, query, expected):
    store = make(tmp_path, AFFIX_PAPERS)
    fast, slow = Searcher(store), Oracle(store)
    for searcher in (fast, slow):
        found = sorted(p.title for p in store.papers(searcher.search(query).ids))
        assert found == sorted(expected), (query, type(searcher).__name__)
        excluded = (
            sorted(p.title for p in store.papers(searcher.search(f"!{query}").ids))
            if query.startswith("'") and " " not in query
            else None
        )
        if excluded is not None:
            assert excluded == sorted(t for t, _ in AFFIX_PAPERS if t not in expected)


def test_needles_typed_differently_do_not_share_a_cached_answer(tmp_path):
    """`'straße` and `'strasse` casefold to the same text but compare differently."""
    store = make(tmp_path, [("Straße networks", "Roads."), ("Strasse roads", "More roads.")])
    sequence = ["'straße", "'strasse", "^straße", "^strasse", "'straße", "^straße"]
    warm = Searcher(store)
    for query in sequence:
        fresh = Searcher(store)
        fresh_sql = Oracle(store)
        expected = sorted(fresh_sql.search(query).ids)
        assert sorted(warm.search(query).ids) == expected, query
        assert sorted(fresh.search(query).ids) == expected, query


def test_an_author_typed_with_non_ascii_letters_is_found_in_both_paths(tmp_path):
    store = Store.open(tmp_path / "papers.db")
    store.import_papers(
        [
            ParsedPaper(title="Roads", authors=("Anna Straße",), published=date(2024, 1, 1)),
            ParsedPaper(title="Rivers", authors=("Ben Strasse",), published=date(2024, 1, 2)),
        ],
        source="t",
        captured_on=date(2025, 12, 8),
    )
    fast, slow = Searcher(store), Oracle(store)
    for searcher in (fast, slow):
        assert sorted(p.title for p in store.papers(searcher.search("author:straße").ids)) == [
            "Rivers",
            "Roads",
        ]
        assert [p.title for p in store.papers(searcher.search("author:strasse").ids)] == ["Rivers"]


# -- coined names, fragments and the fallback, on the sample page ---------------------------------

# (query, the start of the wanted title): names typed joined, split, with typos, or in part.
COINED = [
    ("lutgemm", "LUT-GEMM:"),
    ("lut gem", "LUT-GEMM:"),
    ("casvit", "CAS-ViT:"),
    ("cas vit mobile", "CAS-ViT:"),
    ("emo v2", "EMOv2:"),
    ("emov2", "EMOv2:"),
    ("selfslimmed", "Self-slimmed Vision Transformer"),
    ("selfslimed", "Self-slimmed Vision Transformer"),
    ("multiscale vmamba", "Multi-Scale VMamba:"),
    ("ecanet", "ECA-Net:"),
    ("flash decodng", "FlashDecoding++:"),
    ("flash decoding", "FlashDecoding++:"),
    ("flashdecodng", "FlashDecoding++:"),
    ("crossd conv", "Cross-D Conv:"),
    ("casvti", "CAS-ViT:"),  # two letters swapped: one typo
    ("flash decodign", "FlashDecoding++:"),
    ("efficientvmamba", "EfficientVMamba:"),
]


@pytest.mark.parametrize(("query", "wanted"), COINED)
def test_coined_names_are_found_joined_split_and_with_typos(sample_store, query, wanted):
    searcher = Searcher(sample_store)
    result = searcher.search(query, limit=3)
    titles = [p.title for p in sample_store.papers(result.ids)]
    assert any(t.startswith(wanted) for t in titles), (query, titles)
    assert not result.fallback


def test_a_fragment_matches_inside_a_compound(sample_store):
    titles = [p.title for p in sample_store.papers(Searcher(sample_store).search("vmamba").ids)]
    assert any(t.startswith("EfficientVMamba:") for t in titles)


def test_when_the_index_finds_nothing_titles_are_matched_as_fzf_does(sample_store):
    searcher = Searcher(sample_store)
    result = searcher.search("lutgmm", limit=3)
    assert result.fallback and not result.relevance
    assert sample_store.papers(result.ids[:1])[0].title.startswith("LUT-GEMM:")
    # The fallback keeps the query's other terms.
    assert searcher.search("lutgmm year:1990").total == 0
    assert searcher.search("xqzwv").ids == []


def _letters_in_order(word: str, title: str) -> bool:
    rest = iter(title.casefold())
    return all(letter in rest for letter in word)


@pytest.mark.parametrize("query", ["xqzwv | lutgmm", "diffusion | gan video", "gan | xqzwv vdeo"])
def test_the_fallback_takes_one_word_of_a_bar_group_as_fzf_does(sample_store, query):
    """(a | b) c: a title holding the letters of a or of b in order, and those of c."""
    result = Searcher(sample_store).search(query)
    groups = [[w for w in g.split() if w != "|"] for g in query.split(" | ")]
    # `a | b c` is (a | b) and c: the last alternative's other words are terms of their own.
    words = [*groups[0], groups[1][0]], groups[1][1:]
    expected = {
        p.id
        for p in sample_store.papers()
        if any(_letters_in_order(w, p.title) for w in words[0])
        and all(_letters_in_order(w, p.title) for w in words[1])
    }
    assert result.fallback
    assert expected and set(result.ids) == expected


def _order(store, query):
    return [p.title for p in store.papers(Searcher(store).search(query).ids)]


def test_a_title_hit_beats_abstract_hits(sample_store):
    titles = _order(sample_store, "'gemm | diffusion")
    gemm = next(i for i, t in enumerate(titles) if t.startswith("Understanding GEMM"))
    gem = next(i for i, t in enumerate(titles) if t.startswith("GEM:"))
    assert gemm < gem


def test_a_title_with_the_word_in_another_form_beats_one_mention(sample_store):
    titles = _order(sample_store, "quantization")
    lut = next(i for i, t in enumerate(titles) if t.startswith("LUT-GEMM:"))
    assert lut < next(i for i, t in enumerate(titles) if t.startswith("A-SDM:"))


def test_words_rank_by_relevance_whatever_the_browsing_sort(sample_store):
    searcher = Searcher(sample_store)
    relevant = searcher.search("vision transformer")
    browsing = searcher.search("vision transformer", sort="upvotes")
    assert browsing.relevance and browsing.ids == relevant.ids
    by_upvotes = searcher.search("vision transformer", sort="title", sort_words_by="upvotes")
    assert not by_upvotes.relevance
    votes = [p.upvotes or 0 for p in sample_store.papers(by_upvotes.ids)]
    assert votes == sorted(votes, reverse=True)
    assert not searcher.search("", sort="upvotes").relevance


@pytest.mark.parametrize("sort", ["published", "upvotes", "title", "relevance"])
def test_every_sort_has_a_reverse(sample_store, sort):
    searcher = Searcher(sample_store)
    for query in ("", "vision"):
        forward = searcher.search(query, sort=sort, sort_words_by=sort).ids
        backward = searcher.search(query, sort=f"-{sort}", sort_words_by=f"-{sort}").ids
        assert backward == forward[::-1]
        assert (
            searcher.search(query, sort=f"-{sort}", sort_words_by=f"-{sort}", limit=2).ids
            == (backward[:2])
        )


def test_a_split_is_tried_when_the_typed_word_starts_a_rare_longer_name(sample_store):
    # `lutgem` starts the coined name LutGEMMx (a few papers): it is still split as LUT-GEM...
    sample_store.import_papers(
        [ParsedPaper(title="LutGEMMx: a coined name", abstract="Nothing quantized here.")],
        source="t",
        captured_on=date(2025, 12, 8),
    )
    result = Searcher(sample_store).search("lutgem quantized", limit=3)
    titles = [p.title for p in sample_store.papers(result.ids)]
    assert any(t.startswith("LUT-GEMM:") for t in titles), titles


def test_a_one_letter_second_part_is_that_term_not_every_word_it_starts():
    # `"t"*` would be every word starting with t: FTS5 merges all their postings to intersect
    # them with the first part's few (~150 ms at 100k papers for `gtpvit`).
    from papershelf.db.query.vocabulary import Vocabulary

    vocab = Vocabulary([("cross", 40), ("d", 9), ("gtpvi", 1), ("t", 5), ("tea", 30)])
    assert vocab.compounds("crossd") == ['("cross" AND "d")']
    assert vocab.compounds("gtpvit") == ['("gtpvi" AND "t")']
    assert vocab.compounds("crossx") == []  # `x` is no term: no split
