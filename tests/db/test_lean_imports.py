"""What opening a library and one command-line search load: nothing they do not use.

Each check runs in a fresh interpreter, since this test process has loaded everything already.
"""

from __future__ import annotations

import subprocess
import sys

from papershelf.db import schema
from papershelf.db.store import Store


def loaded_after(code: str) -> set[str]:
    probe = code + "\nimport sys\nprint('\\n'.join(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(done.stdout.split())


def test_opening_a_current_library_loads_no_sqlite_utils(sample_store):
    path = sample_store.path
    sample_store.close()
    modules = loaded_after(
        f"from papershelf.db.store import Store\nStore.open({str(path)!r}).close()"
    )
    assert "papershelf.db.store" in modules
    assert "sqlite_utils" not in modules


def test_pending_migrations_are_read_as_sqlite_utils_reads_them(tmp_path):
    store = Store.open(tmp_path / "lib.db")
    assert not schema.pending(store._conn)  # noqa: SLF001
    from sqlite_utils.migrations import Migrations

    every = Migrations(schema.APPLICATION)
    for step in schema.STEPS:
        every(name=step.__name__)(step)
    assert every.pending(store.db) == []
    store.db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm004_fts_content_quoting'")
    assert schema.pending(store._conn)  # noqa: SLF001
    assert [m.name for m in every.pending(store.db)] == ["m004_fts_content_quoting"]
    store.close()
