"""Store: merging imports, tags and read state, the journal and undo, and refusing bad files."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from papershelf.db import importer
from papershelf.db.models import ParsedPaper
from papershelf.db.sample import sample_path
from papershelf.db.schema import STORE_TABLES
from papershelf.db.store import Store, StoreError, default_db_path, normalize_tag
from tests.support import templates
from tests.support.examples import examples

DAY = date(2025, 12, 8)


def pp(title: str, **fields) -> ParsedPaper:
    return ParsedPaper(title=title, **fields)


PAGE = [
    pp(
        "Attention Is All You Need",
        arxiv_id="1706.03762",
        authors=("Ashish Vaswani", "Noam Shazeer"),
        published=date(2017, 6, 12),
        upvotes=5,
        comments=1,
    ),
    pp(
        "FlashDecoding++: Faster Large Language Model Inference on GPUs",
        authors_count=9,
        published=date(2023, 11, 2),
        comments=3,
    ),
    pp(
        "EMOv2: Pushing 5M Vision Model Frontier",
        organization="Tencent",
        published=date(2024, 12, 9),
        comments=2,
        links=("https://github.com/zhangzjn/EMOv2",),
    ),
]


@pytest.fixture(scope="module")
def filled_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library holding PAGE, built once for the module."""
    return templates.build(
        tmp_path_factory.mktemp("filled"),
        lambda store: store.import_papers(PAGE, source="page.txt", captured_on=DAY),
    )


@pytest.fixture
def filled(tmp_path: Path, filled_file: Path):
    with Store.open(templates.copy(filled_file, tmp_path)) as store:
        yield store


def imp(store: Store, papers, **kwargs):
    return store.import_papers(
        papers, source="t", captured_on=kwargs.pop("captured_on", DAY), **kwargs
    )


def dump(store: Store) -> list[str]:
    """The store's own rows as SQL, journal rows left out.

    The search index's tables are left out too: they belong to db.search_index, whose
    triggers may queue a paper for re-indexing when an undo puts its old abstract back.
    """
    conn = sqlite3.connect(store.path)
    try:
        keep = tuple(f'INSERT INTO "{t}"' for t in STORE_TABLES if t != "journal")
        return [line for line in conn.iterdump() if line.startswith(keep)]
    finally:
        conn.close()


def journal_rows(store: Store) -> list[tuple]:
    return store.db.execute("SELECT kind, description, undone FROM journal ORDER BY id").fetchall()


# -- import and merge ----------------------------------------------------------------------------


def test_import_counts_new(store):
    report = imp(store, PAGE)
    assert (report.new, report.updated, report.unchanged) == (3, 0, 0)
    assert store.count() == 3


def test_reimport_is_unchanged(filled):
    report = imp(filled, PAGE)
    assert (report.new, report.updated, report.unchanged) == (0, 0, 3)
    assert filled.count() == 3


def test_reimport_refreshes_shown_numbers_only(filled):
    report = imp(filled, [pp(PAGE[0].title, arxiv_id="1706.03762", upvotes=9, comments=None)])
    paper = filled.paper("1706.03762")
    assert (report.updated, paper.upvotes, paper.comments) == (1, 9, 1)


def test_reimport_fills_empty_fields_never_overwrites(filled):
    imp(
        filled,
        [pp(PAGE[1].title, abstract="New abstract.", authors_count=3, published=date(2020, 1, 1))],
    )
    paper = filled.paper(2)
    assert paper.abstract == "New abstract."
    assert paper.authors_count == 9
    assert paper.published == "2023-11-02"


def test_title_match_fills_arxiv_id(filled):
    report = imp(
        filled,
        [
            pp(
                "flashdecoding++ : faster large language model inference on GPUs",
                arxiv_id="2311.01282",
                authors=("Ke Hong",),
            )
        ],
    )
    paper = filled.paper("2311.01282")
    assert (report.new, report.updated) == (0, 1)
    assert (paper.id, paper.authors) == (2, ("Ke Hong",))


def test_title_match_needs_missing_arxiv_id(filled):
    report = imp(filled, [pp(PAGE[0].title, arxiv_id="9999.99999")])
    assert report.new == 1
    assert filled.count() == 4


def test_arxiv_id_wins_over_title(filled):
    report = imp(filled, [pp("Attention is all you need (v7)", arxiv_id="1706.03762")])
    assert (report.new, report.unchanged) == (0, 1)
    assert filled.paper("1706.03762").title == PAGE[0].title


def test_duplicates_in_one_batch_make_one_row(store):
    report = imp(store, [pp("Same Paper"), pp("same paper!", arxiv_id="2401.00001", upvotes=4)])
    paper = store.paper("2401.00001")
    assert (report.new, store.count()) == (1, 1)
    assert (paper.title, paper.upvotes) == ("Same Paper", 4)


def test_reimport_keeps_tags_and_read(filled):
    filled.add_tags([1, 2], ["rl"])
    filled.set_read([1], True)
    before = filled.papers()
    imp(filled, [pp(PAGE[0].title, arxiv_id="1706.03762", upvotes=50)])
    after = filled.papers()
    assert [(p.tags, p.read_at) for p in after] == [(p.tags, p.read_at) for p in before]


def test_export_format_adds_tags_and_read(filled):
    filled.add_tags([1], ["mine"])
    filled.set_read([1], True)
    read_at = filled.paper(1).read_at
    papers = [
        pp(
            PAGE[0].title,
            arxiv_id="1706.03762",
            tags=("Theirs",),
            read_at="2020-01-01T00:00:00+00:00",
        ),
        pp(PAGE[1].title, tags=("theirs",), read_at="2020-01-01T00:00:00+00:00"),
    ]
    report = imp(filled, papers, format="export")
    assert report.updated == 2
    assert filled.paper(1).tags == ("mine", "theirs")
    assert filled.paper(1).read_at == read_at
    assert filled.paper(2).read_at == "2020-01-01T00:00:00+00:00"


def test_snapshots_recorded_per_import(filled):
    imp(
        filled,
        [pp(PAGE[0].title, arxiv_id="1706.03762", upvotes=8, comments=2)],
        captured_on=date(2025, 12, 9),
    )
    rows = filled.db.execute(
        "SELECT observed_on, upvotes, comments FROM snapshots WHERE paper_id = 1 ORDER BY id"
    ).fetchall()
    assert rows == [("2025-12-08", 5, 1), ("2025-12-09", 8, 2)]


def test_import_row_records_counts(filled):
    rows = filled.db.execute(
        "SELECT source, captured_on, new, updated, unchanged FROM imports"
    ).fetchall()
    assert rows == [("page.txt", "2025-12-08", 3, 0, 0)]


def test_dry_run_reports_and_writes_nothing(filled):
    before = dump(filled)
    report = imp(filled, [*PAGE, pp("Brand New")], dry_run=True)
    assert (report.new, report.unchanged) == (1, 3)
    assert dump(filled) == before
    assert len(journal_rows(filled)) == 1


def test_import_is_all_or_nothing(filled, monkeypatch):
    before = dump(filled)
    calls = []

    def fail_on_second(row):
        calls.append(row)
        if len(calls) == 2:
            raise RuntimeError("disk on fire")
        return real(row)

    real = importer._row_values
    monkeypatch.setattr(importer, "_row_values", fail_on_second)
    with pytest.raises(RuntimeError):
        imp(filled, [pp("One"), pp("Two"), pp("Three")])
    assert dump(filled) == before
    assert filled.count() == 3


def test_progress_reports_to_total(store):
    seen = []
    imp(
        store,
        [pp(f"Paper {i}") for i in range(12_000)],
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen[0] == (0, 12_000)
    assert seen[-1] == (12_000, 12_000)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


# -- actions and undo ------------------------------------------------------------------------------

ACTIONS = {
    "tag": lambda s: s.add_tags([1, 2, 3], ["rl", "Vision Models"]),
    "untag": lambda s: s.remove_tags([1, 2, 3], ["rl"]),
    "untag-last-use": lambda s: s.remove_tags([2], ["solo"]),
    "read": lambda s: s.set_read([1, 2, 3], True),
    "unread": lambda s: s.set_read([1, 2, 3], False),
    "rename": lambda s: s.rename_tag("rl", "reinforcement"),
    "merge": lambda s: s.rename_tag("rl", "vision"),
    "import": lambda s: imp(
        s,
        [
            pp(
                PAGE[1].title,
                arxiv_id="2311.01282",
                abstract="Filled.",
                upvotes=7,
                tags=("rl", "new-tag"),
                read_at="2020-01-01T00:00:00+00:00",
            ),
            pp("A New Paper", tags=("x",)),
        ],
        format="export",
    ),
}


@pytest.fixture
def busy(filled: Store) -> Store:
    """A library with some state already: tags (one used once) and a read mark."""
    filled.add_tags([1, 2], ["rl"])
    filled.add_tags([1, 3], ["vision"])
    filled.add_tags([2], ["solo"])
    filled.set_read([2], True)
    return filled


@pytest.mark.parametrize("action", ACTIONS)
def test_undo_restores_exactly(busy, action):
    before = dump(busy)
    ACTIONS[action](busy)
    assert dump(busy) != before
    undone = busy.undo()
    assert undone.message.startswith("Undid: ")
    assert dump(busy) == before


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (lambda s: s.add_tags([1, 2, 3], ["rl", "vision"]), "Tagged 2 papers with rl, vision"),
        (lambda s: s.add_tags([2, 3], ["rl"]), "Tagged 1 paper with rl"),
        (lambda s: s.remove_tags([1, 2, 3], ["rl"]), "Removed rl from 2 papers"),
        (lambda s: s.set_read([1, 2, 3], True), "Marked 2 papers read"),
        (lambda s: s.set_read([1, 2, 3], False), "Marked 1 paper unread"),
        (
            lambda s: s.rename_tag("rl", "reinforcement"),
            "Renamed tag rl to reinforcement (2 papers)",
        ),
        (lambda s: s.rename_tag("rl", "vision"), "Merged tag rl into vision (2 papers)"),
    ],
)
def test_action_messages(busy, action, message):
    assert action(busy).message == message


@pytest.mark.parametrize(
    "action",
    [
        lambda s: s.add_tags([1, 2], ["rl"]),
        lambda s: s.remove_tags([3], ["rl"]),
        lambda s: s.set_read([2], True),
        lambda s: s.set_read([1], False),
        lambda s: s.add_tags([999], ["rl"]),
        lambda s: s.rename_tag("rl", "rl"),
    ],
)
def test_nothing_to_change_writes_no_journal(busy, action):
    entries = journal_rows(busy)
    assert action(busy).changed == 0
    assert journal_rows(busy) == entries


def test_rename_missing_tag(busy):
    assert busy.rename_tag("nope", "other").message == "There is no tag nope"


def test_merge_keeps_one_pair_per_paper(busy):
    busy.rename_tag("rl", "vision")
    assert [p.tags for p in busy.papers()] == [("vision",), ("solo", "vision"), ("vision",)]


def test_unused_tag_is_deleted(busy):
    busy.remove_tags([2], ["solo"])
    assert "solo" not in [t.name for t in busy.tag_counts()]


def test_repeated_undo_walks_back(filled):
    empty_dump = None
    filled.add_tags([1], ["a"])
    filled.set_read([1], True)
    messages = [filled.undo().message for _ in range(3)]
    assert messages == [
        "Undid: Marked 1 paper read",
        "Undid: Tagged 1 paper with a",
        "Undid: Import of page.txt: 3 new, 0 updated, 0 unchanged",
    ]
    assert filled.undo() is empty_dump
    assert filled.count() == 0
    assert [undone for *_, undone in journal_rows(filled)] == [1, 1, 1]


def test_undo_import_of_reimport(filled):
    before = dump(filled)
    imp(filled, [pp(PAGE[0].title, arxiv_id="1706.03762", upvotes=99)])
    filled.undo()
    assert dump(filled) == before


@pytest.mark.parametrize(
    ("raw", "tag"),
    [
        (" RL ", "rl"),
        ("Offline  RL", "offline-rl"),
        ("rl/Offline", "rl/offline"),
        ("a\x1b[31mb", "ab"),
        ("rl//x/", "rl/x"),
    ],
)
def test_normalize_tag(raw, tag):
    assert normalize_tag(raw) == tag


@pytest.mark.parametrize("raw", ["", "   ", "a,b", "-x", "!x", "\x1b[0m"])
def test_normalize_tag_refuses(raw):
    with pytest.raises(ValueError):
        normalize_tag(raw)


def test_bad_tag_writes_nothing(busy):
    before = dump(busy)
    with pytest.raises(ValueError):
        busy.add_tags([1], ["ok", "a,b"])
    assert dump(busy) == before


# -- reads -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("target", [1, "1", " 1706.03762 ", "arXiv:1706.03762"])
def test_paper_by_target(filled, target):
    assert filled.paper(target).title == PAGE[0].title


@pytest.mark.parametrize("target", [99, "99", "2401.99999"])
def test_paper_missing(filled, target):
    assert filled.paper(target) is None


def test_papers_keep_given_order_with_tags(busy):
    papers = busy.papers([3, 1, 42, 2])
    assert [p.id for p in papers] == [3, 1, 2]
    assert [p.tags for p in papers] == [("vision",), ("rl", "vision"), ("rl", "solo")]


def test_paper_fields_round_trip(filled):
    paper = filled.paper(3)
    assert (paper.organization, paper.published, paper.comments, paper.upvotes) == (
        "Tencent",
        "2024-12-09",
        2,
        None,
    )
    assert paper.links == ("https://github.com/zhangzjn/EMOv2",)
    assert (paper.read, paper.read_at) == (False, None)


def test_tag_counts_and_stats(busy):
    assert [(t.name, t.count, t.unread) for t in busy.tag_counts()] == [
        ("rl", 2, 1),
        ("solo", 1, 0),
        ("vision", 2, 2),
    ]
    stats = busy.stats()
    assert (stats.total, stats.read, stats.unread) == (3, 1, 2)
    assert stats.per_month == (("2017-06", 1), ("2023-11", 1), ("2024-12", 1))


def test_data_version_sees_own_and_foreign_commits(filled):
    first = filled.data_version()
    filled.add_tags([1], ["x"])
    second = filled.data_version()
    with Store.open(filled.path) as other:
        other.set_read([2], True)
    assert len({first, second, filled.data_version()}) == 3


def test_reader_reads_in_another_thread(busy):
    result = []
    conn = busy.reader()
    thread = threading.Thread(
        target=lambda: result.append(conn.execute("SELECT count(*) FROM papers").fetchone())
    )
    thread.start()
    thread.join()
    conn.close()
    assert result == [(3,)]


def test_store_shared_between_threads(store):
    threads = [
        threading.Thread(target=imp, args=(store, [pp(f"Paper {n}-{i}") for i in range(50)]))
        for n in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert store.count() == 200


# -- opening files -------------------------------------------------------------------------------------


def test_fresh_library_is_wal_with_meta(store):
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    meta = dict(store.db.execute("SELECT key, value FROM meta").fetchall())
    assert meta == {"application": "papershelf", "schema_version": str(Store.SCHEMA_VERSION)}


def test_reopen_keeps_papers(filled):
    filled.close()
    with Store.open(filled.path) as again:
        assert again.count() == 3


def test_empty_file_is_initialised(tmp_path):
    path = tmp_path / "empty.db"
    path.touch()
    with Store.open(path) as store:
        assert store.count() == 0


def _other_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()


def _newer_library(path: Path) -> None:
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_bytes(b"hello, I am a text file\n"), "is not a SQLite database"),
        (
            lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8),
            "is not a SQLite database",
        ),
        (lambda p: p.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000), "is corrupt"),
        (_other_sqlite, "is a SQLite database but not a papershelf library"),
        (
            _newer_library,
            f"was written by a newer papershelf (schema 99); this version reads up to {Store.SCHEMA_VERSION}",
        ),
    ],
)
@pytest.mark.parametrize("readonly", [False, True])
def test_refuses_bad_files_untouched(tmp_path, make, message, readonly):
    path = tmp_path / "library.db"
    make(path)
    before = path.read_bytes()
    with pytest.raises(StoreError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Store.open(path, readonly=readonly)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["library.db"]


def test_refuses_read_only_file(tmp_path):
    path = tmp_path / "papers.db"
    Store.open(path).close()
    path.chmod(0o444)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="is read-only"):
        Store.open(path)
    assert path.read_bytes() == before
    with Store.open(path, readonly=True) as store:
        assert store.count() == 0


def test_refuses_read_only_folder(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    Store.open(folder / "papers.db").close()
    folder.chmod(0o555)
    try:
        with pytest.raises(StoreError, match="is read-only"):
            Store.open(folder / "papers.db")
        with pytest.raises(StoreError, match="folder is read-only"):
            Store.open(folder / "new.db")
    finally:
        folder.chmod(0o755)


def test_readonly_store_refuses_writes(filled):
    with Store.open(filled.path, readonly=True) as store:
        assert store.count() == 3
        with pytest.raises(StoreError, match="read-only"):
            store.set_read([1], True)


@pytest.mark.parametrize("kwargs", [{"create": False}, {"readonly": True}])
def test_missing_file_without_create(tmp_path, kwargs):
    with pytest.raises(StoreError, match="does not exist"):
        Store.open(tmp_path / "nowhere" / "papers.db", **kwargs)
    assert not (tmp_path / "nowhere").exists()


def test_create_makes_parent_folders(tmp_path):
    with Store.open(tmp_path / "a" / "b" / "papers.db") as store:
        assert store.path.exists()


def test_directory_is_refused(tmp_path):
    with pytest.raises(StoreError, match="is a directory"):
        Store.open(tmp_path)


def test_locked_beyond_timeout(filled):
    other = sqlite3.connect(filled.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with Store.open(filled.path, timeout=0.1) as store:
            with pytest.raises(StoreError, match="is locked by another program"):
                store.add_tags([1], ["x"])
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_default_db_path_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("PAPERSHELF_DB", str(tmp_path / "x.db"))
    assert default_db_path() == tmp_path / "x.db"
    monkeypatch.delenv("PAPERSHELF_DB")
    assert default_db_path().name == "papers.db"


def test_store_imports_no_textual():
    code = (
        "import sys, papershelf.db.store, papershelf.db.export; "
        "print(any(m.startswith(('textual', 'rich')) for m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "False"


# -- backup --------------------------------------------------------------------------------------------


def test_backup_while_another_connection_writes(filled, tmp_path):
    imp(filled, [pp(f"Paper {i}") for i in range(2000)])
    stop = threading.Event()

    def write():
        with Store.open(filled.path) as other:
            n = 0
            while not stop.is_set():
                other.add_tags([1 + n % 2000], [f"t{n}"])
                n += 1

    writer = threading.Thread(target=write)
    writer.start()
    try:
        filled.backup(tmp_path / "copy.db")
    finally:
        stop.set()
        writer.join()
    conn = sqlite3.connect(tmp_path / "copy.db")
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("SELECT count(*) FROM papers").fetchone() == (2003,)
    conn.close()
    with Store.open(tmp_path / "copy.db") as copy:
        assert copy.paper(1).title == PAGE[0].title


def test_backup_refuses_existing_file(filled, tmp_path):
    dest = tmp_path / "exists.db"
    dest.write_bytes(b"precious")
    with pytest.raises(StoreError, match="already exists"):
        filled.backup(dest)
    assert dest.read_bytes() == b"precious"


def test_import_sample_with_parser(store):
    parse = pytest.importorskip("papershelf.db.parse")
    sample = sample_path()
    result = parse.parse_text(sample.read_text(encoding="utf-8"), source="sample", captured_on=DAY)
    first = store.import_papers(result.papers, source="sample", captured_on=DAY)
    again = store.import_papers(result.papers, source="sample", captured_on=DAY)
    assert (first.new, again.new, again.unchanged) == (53, 0, 53)


def test_arxiv_version_suffix_finds_paper(filled):
    assert filled.paper("1706.03762v7").id == 1


def test_reads_not_blocked_by_running_import(filled):
    inside, release = threading.Event(), threading.Event()

    def progress(done, total):
        if done == 0:
            inside.set()
            release.wait(5)

    writer = threading.Thread(target=imp, args=(filled, [pp("New")]), kwargs={"progress": progress})
    writer.start()
    inside.wait(5)
    during = (filled.count(), [p.id for p in filled.papers()])
    release.set()
    writer.join()
    assert during == (3, [1, 2, 3])
    assert filled.count() == 4


def test_two_stores_importing_the_same_page_at_once(tmp_path):
    path = tmp_path / "papers.db"
    Store.open(path).close()
    page = [pp(f"Paper {i}", arxiv_id=f"2401.{i:05d}" if i % 2 else None) for i in range(500)]

    def run():
        with Store.open(path) as store:
            imp(store, page)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with Store.open(path) as store:
        assert store.count() == 500
        # The two imports that came second changed nothing: they leave no import row.
        assert store.db.execute("SELECT sum(new), sum(unchanged) FROM imports").fetchone() == (
            500,
            0,
        )


def test_corrupt_pages_give_store_error(filled):
    imp(filled, [pp(f"Paper {i}", abstract="x" * 500) for i in range(300)])
    filled.close()
    data = bytearray(filled.path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    data[page_size:] = b"\xa5" * (len(data) - page_size)
    filled.path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="is corrupt"):
        with Store.open(filled.path) as store:
            store.papers()


_ACTION = st.one_of(
    st.tuples(
        st.just("add_tags"),
        st.sets(st.integers(1, 4), min_size=1),
        st.sets(st.sampled_from("abc"), min_size=1),
    ),
    st.tuples(
        st.just("remove_tags"),
        st.sets(st.integers(1, 4), min_size=1),
        st.sets(st.sampled_from("abc"), min_size=1),
    ),
    st.tuples(st.just("set_read"), st.sets(st.integers(1, 4), min_size=1), st.booleans()),
    st.tuples(st.just("rename_tag"), st.sampled_from("abc"), st.sampled_from("abcd")),
    st.tuples(st.just("import"), st.integers(0, 3), st.integers(0, 9)),
)


@settings(
    max_examples=examples(25),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(actions=st.lists(_ACTION, max_size=8))
def test_undoing_every_action_restores_the_start(tmp_path_factory, actions):
    with Store.open(tmp_path_factory.mktemp("prop") / "papers.db") as store:
        imp(store, PAGE)
        store.add_tags([1], ["a"])
        start, entries = dump(store), len(journal_rows(store))
        for name, first, second in actions:
            if name == "import":
                imp(
                    store,
                    [
                        pp(f"Extra {first}", upvotes=second, tags=("c",)),
                        pp(PAGE[first % 3].title, upvotes=second),
                    ],
                    format="export",
                )
            else:
                getattr(store, name)(
                    *([sorted(first), sorted(second)] if name.endswith("tags") else [first, second])
                )
        while sum(not undone for *_, undone in journal_rows(store)) > entries:
            store.undo()
        assert dump(store) == start


def test_edit_tags_adds_and_removes_as_one_undo_step(tmp_path):
    store = Store.open(tmp_path / "edit.db")
    store.import_papers(
        [ParsedPaper(title=f"Paper {n}") for n in range(3)],
        source="t",
        captured_on=date(2025, 12, 8),
    )
    store.add_tags([1, 2], ["old"])
    before = [p.tags for p in store.papers([1, 2, 3])]
    result = store.edit_tags([1, 2, 3], add=["new"], remove=["old"])
    assert result.changed == 3
    assert "new" in result.message and "old" in result.message
    assert [p.tags for p in store.papers([1, 2, 3])] == [("new",), ("new",), ("new",)]
    assert [t.name for t in store.tag_counts()] == ["new"]
    assert store.undo().message.startswith("Undid: ")
    assert [p.tags for p in store.papers([1, 2, 3])] == before
    assert [t.name for t in store.tag_counts()] == ["old"]


def test_export_format_fills_triage_state_the_library_lacks(filled):
    """A backup's note, snooze and dismissal land where the library has none; the library's own
    note wins over the backup's; undo takes the import's state away and redo brings it back."""
    filled.set_note(1, "mine")
    before = dump(filled)
    papers = [
        pp(
            PAGE[0].title,
            arxiv_id="1706.03762",
            note="theirs",
            dismissed_at="2020-01-02T00:00:00+00:00",
        ),
        pp(PAGE[1].title, note="from the backup", snoozed_until="2031-05-06"),
    ]
    report = imp(filled, papers, format="export")
    assert report.updated == 2
    first, second = filled.paper(1), filled.paper(2)
    assert (first.note, first.dismissed_at) == ("mine", "2020-01-02T00:00:00+00:00")
    assert (second.note, second.snoozed_until) == ("from the backup", "2031-05-06")
    after = dump(filled)
    filled.undo()
    assert dump(filled) == before
    filled.redo()
    assert dump(filled) == after
