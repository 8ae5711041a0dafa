"""db.query: the query language (parser), search on real libraries, highlighting."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from papershelf.db.models import ParsedPaper
from papershelf.db.parse import parse_text
from papershelf.db.query import SORTS, QueryError, Searcher, highlight_spans, parse_query
from papershelf.db.sample import sample_path
from papershelf.db.store import Store
from tests.support import templates
from tests.support.examples import examples
from tests.support.query_oracle import Oracle

SAMPLE = sample_path()


# -- parser ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "value", "extra"),
    [
        ("vison", "fuzzy", "vison", {"tokens": ("vison",)}),
        ("FlashDecoding++", "fuzzy", "flashdecoding++", {"tokens": ("flashdecoding",)}),
        ("'Decod", "exact", "decod", {}),
        ('"a Phrase"', "exact", "a phrase", {}),
        ("^flash", "prefix", "flash", {"field": "title"}),
        ("gpus$", "suffix", "gpus", {"field": "title"}),
        ("^im2win$", "equals", "im2win", {}),
        ("!word", "exact", "word", {"negated": True}),
        ("!tag:x", "tag", "x", {"negated": True}),
        ("-tag:x", "tag", "x", {"negated": True}),
        ("tag:RL", "tag", "rl", {"prefix": False}),
        ("tag:rl/", "tag", "rl", {"prefix": True}),
        ("is:read", "state", "is:read", {}),
        ("is:unread", "state", "is:unread", {}),
        ("has:code", "state", "has:code", {}),
        ("has:tags", "state", "has:tags", {}),
        ("no:tags", "state", "no:tags", {}),
        ("year:2024", "number", 2024, {"field": "year", "op": "="}),
        ("year:>=2023", "number", 2023, {"field": "year", "op": ">="}),
        ("upvotes:>10", "number", 10, {"field": "upvotes", "op": ">"}),
        ("comments:>0", "number", 0, {"field": "comments", "op": ">"}),
        ("authors:<5", "number", 5, {"field": "authors", "op": "<"}),
        ("upvotes:=3", "number", 3, {"op": "="}),
        ("after:2024-01-01", "date", "2024-01-01", {"op": ">="}),
        ("before:2024-06-30", "date", "2024-06-30", {"op": "<="}),
        ("before:2024-02", "date", "2024-02-29", {}),
        ("after:2023", "date", "2023-01-01", {}),
        ("title:vit", "fuzzy", "vit", {"field": "title"}),
        ("abstract:gemm", "fuzzy", "gemm", {"field": "abstract"}),
        ("org:meta", "fuzzy", "meta", {"field": "organization"}),
        ('title:"vision transformer"', "exact", "vision transformer", {"field": "title"}),
        ("id:2306.12345", "id", "2306.12345", {}),
        ("authors:vaswani", "author", "vaswani", {}),
        ('"re:invent"', "exact", "re:invent", {}),
        ("https://x.org/a", "fuzzy", "https://x.org/a", {"tokens": ("https", "x", "org", "a")}),
        ("-1", "fuzzy", "-1", {"negated": False}),
    ],
)
def test_parse_term(text, kind, value, extra):
    (term,) = parse_query(text).terms
    assert (term.kind, term.value) == (kind, value)
    for name, expected in extra.items():
        assert getattr(term, name) == expected


def test_or_groups_bind_fzf_style():
    query = parse_query("a | b c")
    assert [[t.value for t in g] for g in query.groups] == [["a", "b"], ["c"]]
    assert [[t.value for t in g] for g in parse_query("a|b").groups] == [["a", "b"]]


def test_empty_query_has_no_terms():
    assert parse_query("   ").groups == ()


@pytest.mark.parametrize(
    ("text", "term", "fragment"),
    [
        ("upvotes:>x", "upvotes:>x", "expected a number after 'upvotes:>'"),
        ("foo:", "foo:", "unknown field 'foo:'"),
        ("foo:bar", "foo:bar", "fields: abstract, added, after, author"),
        ("re:invent", "re:invent", 'quote it: "re:invent"'),
        ("((", "((", "no letters or digits"),
        ("$", "$", "no letters or digits"),
        ("*", "*", "no letters or digits"),
        ("\\", "\\", "no letters or digits"),
        ("( *", "(", "no letters or digits"),
        ("titel:vision", "titel:vision", "did you mean 'title:'"),
        ("published:2024", "published:2024", "did you mean 'year:', 'after:' or 'before:'?"),
        ("code:yes", "code:yes", "did you mean 'has:code'?"),
        ("is:foo", "is:foo", "expected is:read or is:unread"),
        ("after:2024-13-01", "after:2024-13-01", "expected a date"),
        ("year:20x4", "year:20x4", "expected a number"),
        ("| a", "|", "'|'"),
        ("a | | b", "|", "'|'"),
    ],
)
def test_errors_name_the_term(text, term, fragment):
    with pytest.raises(QueryError) as info:
        parse_query(text)
    assert info.value.term == term
    assert fragment in str(info.value)
    assert not info.value.incomplete


@pytest.mark.parametrize(
    "text",
    [
        "upvotes:>",
        "tag:",
        '"unclosed',
        "vision |",
        "!",
        "-",
        "after:2024-0",
        "is:un",
        "title:",
        "^",
    ],
)
def test_half_typed_terms_are_incomplete(text):
    with pytest.raises(QueryError) as info:
        parse_query(text)
    assert info.value.incomplete


@settings(max_examples=examples(300), deadline=None)
@given(st.text())
def test_any_text_parses_or_raises_query_error(text):
    try:
        parse_query(text)
    except QueryError as error:
        assert str(error)


# -- search on a real library ------------------------------------------------------------------


def paper(title, abstract="", **fields) -> ParsedPaper:
    return ParsedPaper(title=title, abstract=abstract, **fields)


@pytest.fixture(scope="module")
def library_file(tmp_path_factory):
    """The sample and two papers of our own, built once for the module."""
    return templates.build(tmp_path_factory.mktemp("query"), _fill)


def _fill(store: Store) -> None:
    sample = parse_text(SAMPLE.read_text(), source="sample", captured_on=date(2025, 12, 8))
    extra = [
        paper(
            "Quokka Networks for Tabular Data",
            "We study zyzzyva regularisation.",
            arxiv_id="2401.00001",
            published=date(2024, 1, 5),
            upvotes=42,
            comments=0,
            authors_count=3,
            organization="Acme Lab",
        ),
        paper(
            "Schrödinger Bridges Revisited",
            "Diffusion bridges.",
            arxiv_id="2402.00002",
            published=date(2024, 6, 30),
            upvotes=3,
            comments=7,
            authors_count=8,
        ),
    ]
    store.import_papers([*sample.papers, *extra], source="t", captured_on=date(2025, 12, 8))


@pytest.fixture
def library(tmp_path, library_file):
    store = Store.open(templates.copy(library_file, tmp_path))
    yield store
    store.close()


def titles(store, ids):
    return [p.title for p in store.papers(ids)]


def by_title(store, prefix):
    return next(p for p in store.papers() if p.title.startswith(prefix))


def test_sample_is_searchable(library):
    result = Searcher(library).search("")
    assert result.total == 55 == len(result.ids)


def test_typo_finds_vision_transformer_papers(library):
    found = titles(library, Searcher(library).search("vison transfomer").ids[:3])
    assert any("Vision Transformer" in t for t in found)
    assert all("Vision Transformer" in t or "ViT" in t or "Vision" in t for t in found)


def test_prefix_fragments_rank_flashdecoding_first(library):
    top = titles(library, Searcher(library).search("flash decod").ids[:1])
    assert top[0].startswith("FlashDecoding++")


def test_abstract_only_word(library):
    assert titles(library, Searcher(library).search("zyzzyva").ids) == [
        "Quokka Networks for Tabular Data"
    ]
    # 'im2col' appears only in the Im2win abstract
    assert titles(library, Searcher(library).search("im2col").ids)[0].startswith("Im2win")


def test_or_and_exclusion(library):
    s = Searcher(library)
    both = set(s.search("quokka | schrodinger").ids)
    assert titles(library, sorted(both)) and len(both) == 2
    assert not set(s.search("quokka !tabular").ids)
    assert s.search("bridges -tag:x").total >= 1


def test_tags_hierarchy_and_state(library):
    s = Searcher(library)
    q = by_title(library, "Quokka")
    b = by_title(library, "Schrödinger")
    library.add_tags([q.id], ["rl/ppo"])
    library.add_tags([b.id], ["rl"])
    library.set_read([q.id], True)
    s.refresh()
    assert set(s.search("tag:rl/").ids) == {q.id, b.id}
    assert s.search("tag:rl").ids == [b.id]
    assert s.search("tag:rl/ppo is:read").ids == [q.id]
    assert q.id not in s.search("is:unread").ids
    assert s.search("has:tags").total == 2
    assert s.search("no:tags").total == 53
    assert q.id not in s.search("!tag:rl/ppo").ids


def test_searcher_sees_changes_without_refresh(library):
    s = Searcher(library)
    assert s.search("wombat").total == 0
    library.import_papers(
        [paper("Wombat Attention", "x", published=date(2024, 2, 2))],
        source="t2",
        captured_on=date(2025, 12, 8),
    )
    assert titles(library, s.search("wombat").ids) == ["Wombat Attention"]


def test_numbers_and_dates(library):
    s = Searcher(library)
    assert titles(library, s.search("upvotes:>10").ids) == ["Quokka Networks for Tabular Data"]
    assert s.search("comments:>5").ids == [by_title(library, "Schrödinger").id]
    assert by_title(library, "FlashDecoding++").id in s.search("year:2023 comments:>=3").ids
    assert set(titles(library, s.search("after:2024-01-01 before:2024-06-30 authors:<=8").ids)) >= {
        "Quokka Networks for Tabular Data",
        "Schrödinger Bridges Revisited",
    }
    assert all(p.published < "2023-01-01" for p in library.papers(s.search("year:<2023").ids))


def test_field_scoped_and_exact(library):
    s = Searcher(library)
    assert s.search("org:acme").ids == [by_title(library, "Quokka").id]
    assert s.search("id:2402.00002").ids == [by_title(library, "Schrödinger").id]
    assert titles(library, s.search("'FlashDecoding++").ids)[0].startswith("FlashDecoding++")
    assert titles(library, s.search("^schrödinger").ids) == ["Schrödinger Bridges Revisited"]
    assert titles(library, s.search("title:zyzzyva").ids) == []


def test_sorting(library):
    s = Searcher(library)
    ids = s.search("", sort="upvotes").ids
    assert ids[0] == by_title(library, "Quokka").id
    dates = [p.published or "" for p in library.papers(s.search("").ids)]
    assert dates == sorted(dates, reverse=True)
    names = [p.title.casefold() for p in library.papers(s.search("", sort="title").ids)]
    assert names[:3] == sorted(names)[:3]
    limited = s.search("", limit=5)
    assert len(limited.ids) == 5 and limited.total == 55
    with pytest.raises(QueryError):
        s.search("", sort="bogus")


@pytest.mark.parametrize(
    "text",
    [
        '"',
        '""',
        "'",
        "NEAR(",
        "vision NEAR(a b)",
        "*",
        "a* AND b",
        "AND",
        "OR NOT",
        "title:*",
        "'; DROP TABLE papers; --",
        '"); DROP TABLE papers; --',
        "{title}:x",
        '^"',
        "x$$",
        "tag:'",
        "id:' OR 1=1",
        "\x00",
        "ü",
        "ß",
        "%_",
        "^%",
        "'%",
    ],
)
def test_hostile_strings_never_raise_or_write(library, text):
    searcher = Searcher(library)
    searcher.refresh()  # indexes the queued papers: the one write a Searcher makes
    before = list(sqlite3.connect(library.path).iterdump())
    try:
        searcher.search(text)
    except QueryError:
        pass
    assert list(sqlite3.connect(library.path).iterdump()) == before


def test_cancel_callback(library):
    from papershelf.db.query import SearchCancelled

    with pytest.raises(SearchCancelled):
        Searcher(library).search("vision", cancelled=lambda: True)


# -- highlighting -----------------------------------------------------------------------------


def test_highlight_fuzzy_prefix_and_exact():
    title = "FlashDecoding++: Faster Large Language Model Inference on GPUs"
    spans = highlight_spans(parse_query("flash decod 'gpus"), title)
    assert (0, 5) in spans or (0, 10) in spans
    assert any(title[a:b].lower() == "gpus" for a, b in spans)
    vit = highlight_spans(
        parse_query("vison"), "Group Generalized Mean Pooling for Vision Transformer"
    )
    assert [("Group Generalized Mean Pooling for Vision Transformer")[a:b] for a, b in vit] == [
        "Vision"
    ]
    assert highlight_spans(parse_query("!flash"), title) == []


# -- the in-memory bitset path agrees with the SQL path ------------------------------------------

_WORDS = [
    "vision",
    "vison",
    "transfomer",
    "flash",
    "decod",
    "gpu",
    "mamba",
    "quant",
    "attention",
    "efficient",
    "diffusion",
    "zyzzyva",
    "schrodinger",
    "model",
    "conv",
    "im2col",
    "llm",
]
_OTHER = [
    "'gemm",
    '"state space"',
    "^efficient",
    "gpus$",
    "!video",
    "-tag:rl",
    "tag:rl/",
    "is:read",
    "is:unread",
    "has:code",
    "no:tags",
    "has:tags",
    "year:2023",
    "year:>=2024",
    "year:<2024",
    "upvotes:>10",
    "comments:>0",
    "authors:<5",
    "after:2024-01-01",
    "before:2024-06-30",
    "title:vision",
    "abstract:gemm",
    "org:acme",
    "!flash",
    "tag:rl",
    "-1",
    "id:2402.00002",
    "added:today",
    "added:latest",
    "!added:latest",
    "added:<2020-01-01",
    "added:>=2020-01-01",
]


@pytest.fixture
def tagged_library(library):
    ids = [p.id for p in library.papers()]
    library.add_tags(ids[::3], ["rl/ppo"])
    library.add_tags(ids[1::5], ["rl"])
    library.set_read(ids[::4], True)
    return library


def _both(store):
    fast, slow = Searcher(store), Oracle(store)
    return fast, slow


@pytest.mark.slow  # 150 generated queries, each through both paths
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.one_of(st.sampled_from(_WORDS), st.sampled_from(_OTHER), st.just("|")),
        min_size=1,
        max_size=4,
    ),
    st.sampled_from([*SORTS, *(f"-{s}" for s in SORTS)]),
    st.sampled_from([None, 1, 5]),
)
def test_bitset_path_agrees_with_sql(tagged_library, terms, sort, limit):
    # Searches only: the fixture is never changed, so sharing it between examples is safe.
    fast, slow = _both(tagged_library)
    text = " ".join(terms)
    try:
        expected = slow.search(text, sort=sort, sort_words_by=sort, limit=limit)
    except QueryError:
        with pytest.raises(QueryError):
            fast.search(text, sort=sort, sort_words_by=sort, limit=limit)
        return
    assert fast.search(text, sort=sort, sort_words_by=sort, limit=limit) == expected


@settings(
    max_examples=examples(100),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(
        st.one_of(st.sampled_from(_WORDS), st.sampled_from(_OTHER), st.just("|")),
        min_size=1,
        max_size=4,
    ),
    st.sampled_from([*SORTS, "-upvotes"]),
    st.sampled_from([1, 5, 50]),
)
def test_a_single_search_within_one_word_agrees_with_the_whole_index(
    tagged_library, terms, sort, limit
):
    """A Searcher told not to load the whole index (the command line's) answers the same."""
    text = " ".join(terms)
    whole = Searcher(tagged_library)
    try:
        expected = whole.search(text, sort=sort, sort_words_by=sort, limit=limit)
    except QueryError:
        return
    once = Searcher(tagged_library, whole_index=False)
    assert once.search(text, sort=sort, sort_words_by=sort, limit=limit) == expected


def test_bitset_path_follows_marks_tags_and_imports(tagged_library):
    fast, slow = _both(tagged_library)
    queries = [
        "is:read vision",
        "tag:rl/ | tag:rl",
        "no:tags",
        "quokka",
        "year:2024",
        "wombat | vision",
        "added:latest",
        "added:today vision",
    ]
    for q in queries:
        assert fast.search(q) == slow.search(q)
    some = [p.id for p in tagged_library.papers()][:7]
    tagged_library.set_read(some, False)
    tagged_library.add_tags(some, ["new"])
    tagged_library.import_papers(
        [paper("Wombat Vision", "x", published=date(2024, 3, 3))],
        source="t3",
        captured_on=date(2025, 12, 8),
    )
    for q in [*queries, "tag:new", "is:unread"]:
        assert fast.search(q) == slow.search(q)
    tagged_library.undo()
    for q in [*queries, "tag:new"]:
        assert fast.search(q) == slow.search(q)


# -- lazy loading: word-less queries never wait for the vocabulary -------------------------------


@pytest.mark.parametrize("sort", ["relevance", "published", "upvotes", "title"])
@pytest.mark.parametrize("limit", [None, 120])
@pytest.mark.parametrize(
    "text",
    [
        "",
        "is:unread",
        "tag:rl",
        "year:>=2024 upvotes:>1",
        "after:2024-01-01",
        "-tag:rl has:code",
        "gpus$",
        "id:2402.00002",
    ],
)
def test_wordless_queries_do_not_load_the_vocabulary(library, text, sort, limit):
    s = Searcher(library)
    expected = s.search(text, sort=sort, limit=limit)
    assert not s.vocabulary_loaded
    assert s.search("vision", limit=5).total > 0
    assert s.vocabulary_loaded
    assert s.search(text, sort=sort, limit=limit) == expected


def test_first_page_of_the_empty_query_is_one_sql_query(library):
    s = Searcher(library)
    first = s.search("", limit=20)
    assert not s.bits_loaded and not s.vocabulary_loaded
    assert first.total == 55 and len(first.ids) == 20
    assert s.search("").ids[:20] == first.ids


def test_warm_loads_everything_and_follows_changes(library):
    s = Searcher(library)
    s.warm()
    assert s.vocabulary_loaded and s.bits_loaded
    library.import_papers(
        [paper("Wombat Attention", "x", published=date(2024, 2, 2))],
        source="t2",
        captured_on=date(2025, 12, 8),
    )
    assert titles(library, s.search("wombat").ids) == ["Wombat Attention"]
    s.refresh()
    assert not s.vocabulary_loaded
    s.warm()
    assert s.vocabulary_loaded and titles(library, s.search("wombat").ids) == ["Wombat Attention"]


def test_warm_while_another_thread_searches(library):
    import threading

    s = Searcher(library)
    expected = Searcher(library).search("vision transformer")
    warmer = threading.Thread(target=s.warm)
    warmer.start()
    results = [s.search("vision transformer") for _ in range(5)]
    warmer.join()
    assert all(r == expected for r in results)


# -- added: when a paper entered the library ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "op"),
    [
        ("added:latest", "latest", "="),
        ("added:2025-12-08", "2025-12-08", "="),
        ("added:>=2025-12-01", "2025-12-01", ">="),
        ("added:<2025-12-01", "2025-12-01", "<"),
        ("added:TODAY", date.today().isoformat(), "="),
        ("added:>today", date.today().isoformat(), ">"),
    ],
)
def test_parse_added(text, value, op):
    (term,) = parse_query(text).terms
    assert (term.kind, term.value, term.op) == ("added", value, op)


@pytest.mark.parametrize(
    ("text", "incomplete"),
    [
        ("added:", True),
        ("added:tod", True),
        ("added:>=", True),
        ("added:2025-12", True),
        ("added:soon", False),
        ("added:>latest", False),
        ("added:2025-02-30", False),
    ],
)
def test_bad_added_terms(text, incomplete):
    with pytest.raises(QueryError) as info:
        parse_query(text)
    assert info.value.incomplete is incomplete and info.value.term == text


def _set_added(store, ids, when):
    with sqlite3.connect(store.path) as conn:
        conn.executemany("UPDATE papers SET added_at = ? WHERE id = ?", [(when, i) for i in ids])


def test_added_today_latest_and_dates(library):
    from papershelf.db.query.predicates import local_day_start

    old = [p.id for p in library.papers()]
    _set_added(library, old, local_day_start("2025-12-08"))
    library.import_papers(
        [paper("Wombat Attention", "x", published=date(2024, 2, 2))],
        source="t2",
        captured_on=date(2025, 12, 9),
    )
    wombat = by_title(library, "Wombat")
    fast, slow = _both(library)
    for s in (fast, slow):
        assert s.search("added:latest").ids == [wombat.id]
        assert s.search("added:today").ids == [wombat.id]
        assert s.search("added:2025-12-08").total == len(old)
        assert s.search("added:<2025-12-08").total == 0
        assert s.search("added:>=2025-12-08").total == len(old) + 1
        assert s.search("added:>2025-12-08").ids == [wombat.id]
        assert s.search("added:<=2025-12-08").total == len(old)
        assert s.search("!added:latest").total == len(old)
    # A re-import that creates nothing leaves `latest` on the import that did.
    library.import_papers(
        [paper("Wombat Attention", "x", published=date(2024, 2, 2))],
        source="t3",
        captured_on=date(2025, 12, 9),
    )
    assert fast.search("added:latest").ids == slow.search("added:latest").ids == [wombat.id]
    library.undo()  # the re-import changed nothing, so it left no step: this undoes Wombat's
    assert fast.search("added:latest").total == slow.search("added:latest").total == len(old)


# -- fields over the API columns and triage state ----------------------------------------------


@pytest.fixture
def triaged(store):
    day = date(2026, 7, 31)
    papers = [
        ParsedPaper(
            title="Alpha",
            published=date(2026, 7, 1),
            upvotes=10,
            ai_keywords=("state space models", "Mamba"),
            github_stars=250,
            daily_day=day,
            submitter="akhaliq",
        ),
        ParsedPaper(
            title="Beta",
            published=date(2026, 7, 2),
            upvotes=20,
            ai_keywords=("diffusion",),
            github_stars=40,
            daily_day=date(2026, 7, 30),
            submitter="taesiri",
        ),
        ParsedPaper(title="Gamma", published=date(2026, 7, 3), upvotes=5),
        ParsedPaper(title="Delta", published=date(2026, 7, 4), upvotes=1),
        ParsedPaper(title="Epsilon", published=date(2026, 7, 5), upvotes=0),
        ParsedPaper(title="Zeta", published=date(2026, 7, 6), upvotes=0),
    ]
    store.import_papers(papers, source="t", captured_on=day)
    ids = {p.title: p.id for p in store.papers()}
    store.set_note(ids["Alpha"], "Read the appendix first")
    store.snooze([ids["Beta"]], date.today() + timedelta(days=3))
    store.snooze([ids["Gamma"]], date.today() - timedelta(days=1))  # ran out: back in the inbox
    store.dismiss([ids["Delta"]])
    store.set_read([ids["Epsilon"]], True)
    store.add_tags([ids["Zeta"]], ["later"])
    return store


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kw:mamba", ["Alpha"]),
        ('kw:"state space"', ["Alpha"]),
        ("kw:diffusion | kw:mamba", ["Alpha", "Beta"]),
        ("stars:>100", ["Alpha"]),
        ("stars:<=40", ["Beta"]),
        ("day:2026-07-31", ["Alpha"]),
        ("day:<2026-07-31", ["Beta"]),
        ("day:>=2026-07-30", ["Alpha", "Beta"]),
        ("submitter:akhal", ["Alpha"]),
        ("note:appendix", ["Alpha"]),
        ("has:note", ["Alpha"]),
        ("no:note", ["Beta", "Delta", "Epsilon", "Gamma", "Zeta"]),
        ("is:snoozed", ["Beta"]),
        ("is:dismissed", ["Delta"]),
        ("is:inbox", ["Alpha", "Gamma"]),
        ("!is:inbox", ["Beta", "Delta", "Epsilon", "Zeta"]),
        ("is:inbox has:note", ["Alpha"]),
    ],
)
def test_fields_over_api_columns_and_triage(triaged, query, expected):
    fast, slow = _both(triaged)
    for searcher in (fast, slow):
        result = searcher.search(query)
        assert sorted(p.title for p in triaged.papers(result.ids)) == expected
        page = searcher.search(query, limit=1)
        assert page.total == len(expected) and len(page.ids) == 1
        assert triaged.papers(page.ids)[0].title in expected


def test_triage_fields_follow_changes(triaged):
    searcher = Searcher(triaged)
    assert searcher.search("is:inbox").total == 2
    ids = {p.title: p.id for p in triaged.papers()}
    triaged.dismiss([ids["Alpha"]])
    triaged.snooze([ids["Beta"]], None)
    found = sorted(p.title for p in triaged.papers(searcher.search("is:inbox").ids))
    assert found == ["Beta", "Gamma"]


def test_unknown_day_and_half_typed_days(triaged):
    with pytest.raises(QueryError) as info:
        parse_query("day:2026-02-30")
    assert not info.value.incomplete
    with pytest.raises(QueryError) as info:
        parse_query("day:2026-0")
    assert info.value.incomplete


def test_rising_sorts_by_upvotes_gained_since_the_previous_snapshot(store):
    first = [
        ParsedPaper(title=t, upvotes=v, published=date(2026, 7, 1))
        for t, v in (("Slow", 100), ("Fast", 10), ("Flat", 50))
    ]
    store.import_papers(first, source="a", captured_on=date(2026, 7, 1))
    again = [
        ParsedPaper(title=t, upvotes=v, published=date(2026, 7, 1))
        for t, v in (("Slow", 105), ("Fast", 60), ("Flat", 50))
    ]
    store.import_papers(again, source="b", captured_on=date(2026, 7, 2))
    fast, slow = _both(store)
    for searcher in (fast, slow):
        assert [p.title for p in store.papers(searcher.search("", sort="rising").ids)] == [
            "Fast",
            "Slow",
            "Flat",
        ]
        reverse = searcher.search("", sort="-rising").ids
        assert [p.title for p in store.papers(reverse)] == ["Flat", "Slow", "Fast"]
