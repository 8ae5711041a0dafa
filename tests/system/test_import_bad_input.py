"""Hostile input: every bad or odd file a person may feed `papershelf import`.

Each refused input gives one sentence on stderr, exit code 1, nothing on stdout, and leaves the
library byte-for-byte as it was (files in its folder hashed, rows dumped). Each odd-but-readable
input (CRLF, BOM, NBSP, zero-width characters, Windows-1252) reads exactly like the clean page,
with a warning where the bytes had to be guessed. Everything runs through a real process.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from tests.support.library import FIXTURES
from tests.support.processes import (
    SAMPLE,
    dump,
    files_state,
    one_sentence_error,
    plain_page,
    run,
)

PAGES = FIXTURES / "pages"
SAMPLE_BYTES = SAMPLE.read_bytes()
SAMPLE_TEXT = SAMPLE_BYTES.decode("utf-8")
CUT_AT = SAMPLE_BYTES.index("\n  • 4 authors".encode())  # inside the first entry


@pytest.fixture(scope="module")
def clean_papers(tmp_path_factory) -> list[dict]:
    """The sample imported from its clean bytes: what every readable variant must equal."""
    db = tmp_path_factory.mktemp("clean") / "papers.db"
    assert run(db, "import", str(SAMPLE), "--captured-on", "2025-12-08").returncode == 0
    return _papers(db)


def _papers(db: Path) -> list[dict]:
    listed = run(db, "list", "--format", "json", "--sort", "title")
    assert listed.returncode == 0, listed.stderr
    return [
        {k: v for k, v in p.items() if k not in ("id", "added_at")}
        for p in json.loads(listed.stdout)
    ]


@pytest.fixture(scope="module")
def built_library(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("built") / "papers.db"
    assert run(db, "import", str(SAMPLE), "--captured-on", "2025-12-08").returncode == 0
    assert run(db, "tag", "add", "keep", "1", "2").returncode == 0
    assert run(db, "read", "3").returncode == 0
    return db


@pytest.fixture
def library(built_library: Path, tmp_path: Path) -> Path:
    """A library holding the sample and some of the person's work, in a folder of its own."""
    db = tmp_path / "lib" / "papers.db"
    db.parent.mkdir()
    shutil.copyfile(built_library, db)
    return db


# name -> (bytes, words the one-sentence message must contain)
REFUSED = {
    "empty": (b"", "empty"),
    "whitespace only": (b" \r\n\t\r\n\xc2\xa0\n", "empty"),
    "escape sequences only": (b"\x1b[31m\x1b]0;title\x07\x1b[2J\n", "empty"),
    "binary (NUL bytes)": (bytes(range(256)) * 64, "binary"),
    "binary (PNG header)": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(4000), "binary"),
    "binary (controls, no NUL)": (bytes([1, 2, 3, 4, 5, 6, 7, 8]) * 500, "binary"),
    "UTF-16 mark but odd bytes": (b"\xff\xfe" + b"a\x00b\x00\x00\xd8", "UTF-16"),
    "another site's page": ((PAGES / "other_site.html").read_bytes(), ""),
    "another site, plain text": (b"Weather for Paris\n\nSunny, 21 C\n\nWind 5 km/h\n", ""),
    "JSON of another shape": ((PAGES / "other_shape.json").read_bytes(), "JSON"),
    "JSON scalar": (b"42", ""),
    "truncated JSON": ((PAGES / "truncated.json").read_bytes(), "JSON"),
    "cut inside the only entry": (SAMPLE_BYTES[:CUT_AT], "no complete papers"),
}


@pytest.mark.parametrize("name", REFUSED)
def test_refused_input_is_one_sentence_exit_1_library_unchanged(
    library: Path, tmp_path: Path, name: str
):
    data, words = REFUSED[name]
    page = tmp_path / "bad-input"
    page.write_bytes(data)
    before_files, before_rows = files_state(library.parent), dump(library)
    done = run(library, "import", str(page), "--captured-on", "2025-12-08")
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert done.stdout == b""
    message = one_sentence_error(done.stderr)
    assert words.lower() in message.lower()
    assert str(page) in message  # says which file
    assert files_state(library.parent) == before_files
    assert dump(library) == before_rows


def test_refused_stdin_changes_nothing(library: Path):
    before = files_state(library.parent)
    done = run(library, "import", "-", input=b"\x00\x01\x02 not a page")
    assert done.returncode == 1
    assert "binary" in one_sentence_error(done.stderr)
    assert files_state(library.parent) == before


def test_one_bad_file_among_good_ones_imports_nothing(library: Path, tmp_path: Path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    good = tmp_path / "good.txt"
    good.write_text(plain_page(5, prefix="Good"), encoding="utf-8")
    before = files_state(library.parent)
    done = run(library, "import", str(good), str(bad), "--captured-on", "2025-12-08")
    assert done.returncode == 1
    one_sentence_error(done.stderr)
    assert files_state(library.parent) == before


# --- readable variants: the same papers as the clean page ----------------------------------------

ZW = "\u200b"
VARIANTS = {
    "CRLF": lambda t: t.replace("\n", "\r\n").encode(),
    "lone CR (old Mac)": lambda t: t.replace("\n", "\r").encode(),
    "UTF-8 BOM": lambda t: b"\xef\xbb\xbf" + t.encode(),
    "BOM + CRLF": lambda t: b"\xef\xbb\xbf" + t.replace("\n", "\r\n").encode(),
    "UTF-16 with BOM": lambda t: t.encode("utf-16"),
    "NBSP for spaces": lambda t: t.replace(" ", "\u00a0").encode(),
    "zero-width characters": lambda t: (
        t.replace("Flash", f"Fl{ZW}ash").replace(" on ", f" {ZW}on\u2060 ").encode()
    ),
    "tabs and trailing blanks": lambda t: t.replace("\n", " \t\n").encode(),
}


@pytest.mark.parametrize("name", VARIANTS)
def test_dirty_but_readable_pages_import_the_same_papers(tmp_path: Path, clean_papers, name: str):
    page = tmp_path / "variant.txt"
    page.write_bytes(VARIANTS[name](SAMPLE_TEXT))
    db = tmp_path / "papers.db"
    done = run(db, "import", str(page), "--captured-on", "2025-12-08")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"53 papers: 53 new"), done.stdout
    assert done.stderr == b""
    assert _papers(db) == clean_papers


def test_dirty_variant_of_an_imported_page_changes_no_paper(library: Path, tmp_path: Path):
    page = tmp_path / "crlf-nbsp.txt"
    page.write_bytes(SAMPLE_TEXT.replace(" ", "\u00a0").replace("\n", "\r\n").encode())
    before = _papers(library)
    done = run(library, "import", str(page), "--captured-on", "2025-12-08")
    assert done.returncode == 0
    assert done.stdout.startswith(b"53 papers: 0 new, 0 updated, 53 unchanged")
    assert _papers(library) == before


def test_windows_1252_is_decoded_with_a_warning_never_mojibake(tmp_path: Path):
    title = "Schrödinger’s Café: naïve “quotes” — and €5 déjà vu"
    text = SAMPLE_TEXT.replace(
        "FlashDecoding++: Faster Large Language Model Inference on GPUs", title
    )
    # cp1252 cannot hold every character of the sample (CJK, emoji...): replace those.
    page = tmp_path / "cp1252.txt"
    page.write_bytes(text.encode("cp1252", errors="replace"))
    db = tmp_path / "papers.db"
    done = run(db, "import", str(page), "--captured-on", "2025-12-08")
    assert done.returncode == 0, done.stderr
    assert b"53 papers: 53 new" in done.stdout
    warning = done.stderr.decode()
    assert "not UTF-8 (from this line on); read as Windows-1252" in warning
    assert str(page) in warning
    titles = [p["title"] for p in _papers(db)]
    assert title in titles
    assert not any("Ã" in t or "â€" in t for t in titles)  # the UTF-8-read-as-1252 signature


def test_cut_mid_entry_imports_the_complete_papers_and_reports_the_cut(
    library: Path, tmp_path: Path
):
    cut = SAMPLE_TEXT.index("EMOv2")  # a later entry: cut a few words into its abstract
    cut = SAMPLE_TEXT.index("\n\n", cut) + 60
    page = tmp_path / "cut.txt"
    page.write_text(SAMPLE_TEXT[:cut], encoding="utf-8")
    fresh = tmp_path / "fresh.db"
    done = run(fresh, "import", str(page), "--captured-on", "2025-12-08")
    assert done.returncode == 0, done.stderr
    complete = SAMPLE_TEXT[:cut].count("\n·\n")
    assert done.stdout.startswith(f"{complete} papers: {complete} new".encode())
    problem = done.stderr.decode().strip()
    line = SAMPLE_TEXT[:cut].count("\n", 0, SAMPLE_TEXT.index("EMOv2")) + 1
    assert problem.startswith(f"{page}:{line}:"), problem
    assert not any("EMOv2" in p["title"] for p in _papers(fresh))  # never invented
    # --strict refuses the same page and leaves the person's library as it was
    before = files_state(library.parent)
    strict = run(library, "import", str(page), "--strict", "--captured-on", "2025-12-08")
    assert strict.returncode == 1
    assert files_state(library.parent) == before


def test_cut_json_item_list_is_refused_not_half_imported(library: Path, tmp_path: Path):
    api = (PAGES / "daily_papers_api.json").read_bytes()
    page = tmp_path / "cut.json"
    page.write_bytes(api[: len(api) * 2 // 3])
    before = files_state(library.parent)
    done = run(library, "import", str(page), "--captured-on", "2025-12-08")
    assert done.returncode == 1
    assert "JSON" in one_sentence_error(done.stderr)
    assert files_state(library.parent) == before


# --- 50 MB -------------------------------------------------------------------------------------

FIFTY_MB = 50 * 1024 * 1024


def _fifty_mb_page(path: Path) -> int:
    """~50 MB in the sample's format: 16k papers with ~3 KB abstracts. Returns the count."""
    n = 16_000
    text = plain_page(n, prefix="Big", abstract_words=440)
    assert len(text) > FIFTY_MB * 0.95, len(text)
    path.write_text(text, encoding="utf-8")
    return n


def test_fifty_megabyte_page_imports_in_bounded_time(tmp_path: Path):
    page = tmp_path / "big.txt"
    n = _fifty_mb_page(page)
    db = tmp_path / "papers.db"
    started = time.monotonic()
    done = run(db, "import", str(page), "--captured-on", "2025-12-08", timeout=120)
    took = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"{n} papers: {n} new".encode())
    # Measured ~10 s here; the bound catches a quadratic step, not a slow machine.
    assert took < 60, f"50 MB import took {took:.1f} s"
    print(f"50 MB page ({n} papers) imported in {took:.1f} s")


def test_fifty_megabytes_of_one_line_is_refused_quickly(library: Path, tmp_path: Path):
    page = tmp_path / "one-line.txt"
    page.write_bytes(b"x" * FIFTY_MB)
    before = files_state(library.parent)
    started = time.monotonic()
    done = run(library, "import", str(page), timeout=120)
    took = time.monotonic() - started
    assert done.returncode == 1
    one_sentence_error(done.stderr)
    assert files_state(library.parent) == before
    assert took < 30, f"refusing 50 MB took {took:.1f} s"
