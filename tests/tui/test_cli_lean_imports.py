"""A command-line search loads only what it uses: no numpy, no sqlite-utils, no Textual, and
none of the readers, the importer, the undo history or the similarity ranking.

Run in a fresh interpreter (this test process has loaded everything already).
"""

from __future__ import annotations

import subprocess
import sys

import pytest

PROBE = """
import sys
from papershelf.tui.cli import main
try:
    main(["--db", sys.argv[1], "list", *sys.argv[2:], "--limit", "5", "--format", "ids"])
except SystemExit:
    pass
print("MODULES", " ".join(sorted(sys.modules)))
"""


@pytest.mark.parametrize("query", [["gemm"], ["lutgemm"], ["emo", "v2"], ["tag:vision", "conv"]])
def test_list_with_words_loads_no_numpy(sample_store, query):
    sample_store.add_tags([p.id for p in sample_store.papers()[:5]], ["vision"])
    path = str(sample_store.path)
    sample_store.close()
    done = subprocess.run(
        [sys.executable, "-c", PROBE, path, *query], capture_output=True, text=True, check=True
    )
    ids, _, modules = done.stdout.partition("MODULES ")
    assert ids.split()  # it found papers
    loaded = set(modules.split())
    assert {"numpy", "sqlite_utils", "textual"}.isdisjoint(loaded)
    assert {
        "papershelf.db.formats.common",
        "papershelf.db.importer",
        "papershelf.db.history",
        "papershelf.db.similar",
        "shutil",
    }.isdisjoint(loaded)
