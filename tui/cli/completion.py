"""Shell completion for tag names (click's `shell_complete`), read from the library.

Enable completion with click's variable, e.g. for bash:
`eval "$(_PAPERSHELF_COMPLETE=bash_source papershelf)"` (zsh_source, fish_source likewise).
"""

from __future__ import annotations

import click
from click.shell_completion import CompletionItem


def complete_tags(
    ctx: click.Context, _param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Tag names starting with what was typed (after the last comma, for `a,b`)."""
    from papershelf.db.store import Store, StoreError, default_db_path

    root = ctx.find_root()
    path = root.params.get("db_path") or default_db_path()
    head, _, word = incomplete.rpartition(",")
    try:
        with Store.open(path, readonly=True) as store:
            names = [t.name for t in store.tag_counts()]
    except (StoreError, OSError):
        return []
    prefix = f"{head}," if head else ""
    return [CompletionItem(prefix + name) for name in names if name.startswith(word.lower())]
