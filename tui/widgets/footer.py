"""The key bar: Textual's Footer, rebuilt at most once per refresh.

Textual's Footer recomposes (removes and mounts every key) each time the screen's bindings
change, and they change several times in a row: five times as the app starts, again for each
dialog that opens or closes, and on every `refresh_bindings`. Each rebuild costs 30-60 ms on a
busy 2-core machine; this footer lets the changes of one refresh share a single rebuild.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class KeyBar(Footer):
    """A Footer that coalesces binding changes into one recompose."""

    _rebuild_pending = False

    def bindings_changed(self, screen: Screen) -> None:
        if self._rebuild_pending:
            self._bindings_ready = True
            return  # the rebuild already scheduled will show these bindings too
        self._rebuild_pending = True
        self.call_after_refresh(self._rebuild_done)
        super().bindings_changed(screen)

    def _rebuild_done(self) -> None:
        self._rebuild_pending = False
