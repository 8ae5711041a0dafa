"""The library file replaced under the app (a restore, a copy over it): open the new one.

The poll notices (`Store.replaced`: the path names another file than the one opened). The app
then opens the file now at that path, shows it, and says so; writes to the old Store are
refused meanwhile, so nothing goes into the renamed-away file.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from papershelf.db.store import Store, StoreError
from papershelf.tui.library import Library


@dataclass
class LibraryReplaced(Message):
    """The file at the library's path is not the one the app opened."""


class Reopening:
    """Mixed into the App: needs `library`, `reload`, `notify`, `set_status`, `_version`."""

    _version: int | None
    _reopen_error: str | None = None  # the last failure said, so a poll does not repeat it

    def on_library_replaced(self, _message: LibraryReplaced) -> None:
        old: Library = self.library  # type: ignore[has-type]
        path = old.store.path
        try:
            store = Store.open(path, create=False, readonly=old.store.readonly)
        except StoreError as error:
            if str(error) != self._reopen_error:
                self._reopen_error = str(error)
                said = f"The library file was replaced and cannot be opened: {error}"
                self.set_status(error=said)  # type: ignore[attr-defined]
                self.notify(  # type: ignore[attr-defined]
                    f"{path} was replaced and cannot be opened ({error}); changes are refused.",
                    severity="error",
                    markup=False,
                )
            return
        self._reopen_error = None
        self.library = Library(store)
        self._version = None
        self.notify(  # type: ignore[attr-defined]
            f"{path} was replaced (restored?); showing the new library.", markup=False
        )
        self.reload()  # type: ignore[attr-defined]
