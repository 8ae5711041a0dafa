"""Key routing: every key reaches the widget the person meant, however fast they type.

Textual hands each key to the focused widget's queue the moment the key arrives, but moves focus
later (`Widget.focus()` is deferred): keys typed right after `/` used to land in the list, where
`u` undid an import. The app decides here instead, in arrival order, before any key is queued:

- `/` on the main screen (while no text box has focus) focuses the filter box at once; from then
  until Enter, Esc, Down or Tab every key goes to the box, even if something moved focus meanwhile;
- a key that arrives while a dialog is still opening (it has no focus yet) waits, and reaches the
  dialog once it has focus, in order;
- Tab and shift+Tab, where they move focus, move it here, so the keys behind them reach the
  widget they move to (`z Tab 3d Enter` types the day into the snooze dialog's box);
- Esc and the key typed right after it arrive from the terminal as one alt+key; where nothing
  is bound to that alt+key, it is taken apart again (`/xyz Esc j` leaves the box, then moves);
- in a dialog, the keys behind a key bound to an action wait until that action has run. Textual
  runs a binding once the key has bubbled up from the focused widget, which meanwhile takes the
  keys queued behind it: without the wait, `vis Tab later` in the tag dialog would complete
  `vislater`, and `ctrl+a ctrl+k` would clear what was typed after them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from textual import events
from textual.keys import _character_to_key
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input

if TYPE_CHECKING:
    from textual.actions import ActionParseResult
    from textual.dom import DOMNode

# Keys that end typing into the filter box: the box still gets them (Esc clears it, Enter keeps
# it), then the list has focus before the next key arrives.
LEAVE_TO_LIST = {
    "escape": "action_clear_and_leave",
    "enter": "action_submit",
    "down": "action_leave",
}
FOCUS_KEYS = frozenset({"tab", "shift+tab"})  # the only keys bound to focus moves
LEAVE = {*LEAVE_TO_LIST, *FOCUS_KEYS}
OPEN_FILTER = "slash"
# Focus moves that run here rather than in the focused widget's turn (its queue already holds the
# keys typed after them).
MOVE_FOCUS = {"focus_next": 1, "focus_previous": -1}
# How many refreshes a key waits for an opening dialog to take focus before it goes anyway.
MAX_WAIT = 20
# The longest keys wait for a worker to decide whether a dialog opens (s); normally a few ms.
EXPECT_AT_MOST = 2.0


# Actions that may open a dialog: keys typed after their key belong to the dialog. Those in
# SETTLED_LATER decide in a worker and call `dialog_settled` themselves.
OPENS_DIALOG = {
    "undo",
    "tag",
    "help",
    "edit_filters",
    "command_palette",
    "snooze",
    "edit_note",
    "similar",
    "stats",
}
SETTLED_LATER = {"undo", "similar", "stats"}


def _action_name(screen: Screen, key: str) -> str | None:
    """The action `key` would run on `screen` now (its name only), if any."""
    for _node, bindings in screen._modal_binding_chain:  # noqa: SLF001 - Textual's own lookup
        for binding in bindings.key_to_bindings.get(key, ()):
            return binding.action.split("(")[0].rsplit(".", 1)[-1]
    return None


class KeyRouting:
    """Mixed into the App (before `App`); needs `filter_box()` and `paper_list` on the app."""

    typing_filter = False  # between `/` and the key that leaves the box
    # What held keys wait for: "dialog" (an action may open one) or "results" (the list Enter
    # left the filter box for). A frozenset, replaced on change, so the class default is shared.
    _expecting: frozenset[str] = frozenset()
    _held_keys: list[events.Key] | None = None
    _held_waits = 0

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.MouseDown):
            self.typing_filter = False  # a click chooses focus itself
        if isinstance(event, events.Key) and not event.is_forwarded:
            if (parts := self._escape_then_key(event)) is not None:
                for part in parts:
                    await self.on_event(part)
                return
            if await self._route_key(event):
                return
        await super().on_event(event)  # type: ignore[misc]

    def _escape_then_key(self, event: events.Key) -> tuple[events.Key, events.Key] | None:
        """(Esc, the key) for an alt+key nothing is bound to; None for any other key. The
        terminal sends Esc as a lone ESC byte, and a key typed within ~0.1 s after it reads as
        that key with alt held."""
        char = event.character
        if not event.key.startswith("alt+") or char is None or len(char) != 1:
            return None
        if not char.isprintable():
            return None
        try:
            screen: Screen = self.screen  # type: ignore[attr-defined]
        except Exception:  # no screen yet
            return None
        if _action_name(screen, event.key) is not None:
            return None
        parts = (events.Key("escape", "\x1b"), events.Key(_character_to_key(char), char))
        for part in parts:
            part.set_sender(self)  # type: ignore[arg-type]
        return parts

    # ------------------------------------------------------------------ routing
    def _main_screen(self) -> Screen | None:
        stack = self.screen_stack  # type: ignore[attr-defined]
        return stack[0] if stack else None

    def _expect(self, what: str) -> None:
        """Hold the keys typed from now on until `_settled(what)`, or EXPECT_AT_MOST seconds."""
        self._expecting = self._expecting | {what}
        self.set_timer(EXPECT_AT_MOST, lambda: self._settled(what))  # type: ignore[attr-defined]

    def _settled(self, what: str) -> None:
        if what in self._expecting:
            self._expecting = self._expecting - {what}
            if not self._expecting and self._held_keys:
                self.call_after_refresh(self._release_keys)  # type: ignore[attr-defined]

    def expect_dialog(self) -> None:
        """An action may open a dialog once a worker has answered: hold the keys typed
        meanwhile until `dialog_settled` (they belong to the dialog if it opens)."""
        self._expect("dialog")

    def dialog_settled(self) -> None:
        """The dialog is open (or will not open): held keys go where they now belong."""
        self._settled("dialog")

    def expect_results(self) -> None:
        """Enter or Esc left the filter box: the keys typed after it are for the list of what
        was typed (or, after Esc, of nothing), so they wait until that list is shown (or its
        search failed)."""
        self._expect("results")

    def results_shown(self) -> None:
        """The list shows the filter's results (or never will): held keys go to it."""
        self._settled("results")

    def _check_results_shown(self) -> None:
        if self.list_text == self.filter_box().value:  # type: ignore[attr-defined]
            self.results_shown()  # nothing more to wait for

    def _waiting_for_focus(self, screen: Screen) -> bool:
        """A dialog that is opening: not mounted yet, or its first widget not focused yet; or
        the list that Enter left the filter box for, not shown yet."""
        if self._expecting:
            return True
        if screen is self._main_screen():
            return not screen.is_mounted
        if not screen.is_mounted:
            return True
        return screen.focused is None and bool(screen.focus_chain)

    async def _route_key(self, event: events.Key, *, hold: bool = True) -> bool:
        """Handle `event` here (True) or let Textual deliver it as usual (False)."""
        try:
            screen: Screen = self.screen  # type: ignore[attr-defined]
        except Exception:  # no screen yet: Textual queues it as usual
            return False
        if hold and (self._held_keys or self._waiting_for_focus(screen)):
            self._hold(event)
            return True
        if self._move_focus_now(screen, event.key):
            if screen is self._main_screen():
                self.typing_filter = False
            return True
        if screen is not self._main_screen():
            self.typing_filter = False  # the person moved on to a dialog
            if _action_name(screen, event.key) is not None:
                self._expect("binding")  # `run_action` settles it
            return False
        box = self.filter_box()  # type: ignore[attr-defined]
        if self.typing_filter:
            if screen.focused is not box:
                screen.set_focus(box)
            if event.key in LEAVE:
                self.typing_filter = False
            if event.key in LEAVE_TO_LIST:
                # The box acts on it after the keys already queued for it; the list has focus
                # for the keys that follow.
                box.call_later(getattr(box, LEAVE_TO_LIST[event.key]))
                self._focus_list(screen)
                if event.key in ("enter", "escape"):
                    # The keys after it are for the list of what the box holds once the keys
                    # before it are in (Esc: of nothing typed, the whole list).
                    self.expect_results()
                    box.call_later(self._check_results_shown)
                return True
            return False
        if isinstance(screen.focused, Input):
            return False
        if event.key == OPEN_FILTER:
            self.typing_filter = True
            screen.set_focus(box)
            return True
        action = _action_name(screen, event.key)
        if action in OPENS_DIALOG and self.check_action(action, ()) is not False:  # type: ignore[attr-defined]
            self.expect_dialog()  # the keys after it wait until the dialog is there (or not)
        return False

    async def run_action(
        self,
        action: str | ActionParseResult,
        default_namespace: DOMNode | None = None,
        namespaces: Mapping[str, DOMNode] | None = None,
    ) -> bool:
        try:
            return await super().run_action(action, default_namespace, namespaces)  # type: ignore[misc]
        finally:
            name = action.split("(")[0].rsplit(".", 1)[-1] if isinstance(action, str) else action[1]
            if name in OPENS_DIALOG and name not in SETTLED_LATER:
                self.call_after_refresh(self.dialog_settled)  # type: ignore[attr-defined]
            if "binding" in self._expecting:
                self.call_after_refresh(self._settled, "binding")  # type: ignore[attr-defined]

    def _move_focus_now(self, screen: Screen, key: str) -> bool:
        """Run `key` here if it moves focus (Tab, shift+Tab, unless the focused widget takes it,
        as a TextArea that indents does, or its screen binds it to something else); True if it
        did."""
        if key not in FOCUS_KEYS:  # every keystroke passes here: walk no binding chain for it
            return False
        step = MOVE_FOCUS.get(_action_name(screen, key) or "")
        if step is None:
            return False
        if step > 0:
            screen.focus_next()
        else:
            screen.focus_previous()
        return True

    def refocus_list(self, *, filled: bool = False) -> None:
        """Give the list focus back if nobody holds it. An empty library hides the list (its
        focus goes, to nothing or to the filter box a person left with Esc); once papers
        arrive (`filled`), j, k, g, G work again without `/` and Esc."""
        screen = self._main_screen()
        if screen is None or self.typing_filter:
            return
        focused = screen.focused
        if focused is None or (filled and focused is self.filter_box()):  # type: ignore[attr-defined]
            self.call_after_refresh(self._focus_list, screen)  # type: ignore[attr-defined]

    def _focus_list(self, screen: Screen) -> None:
        if self._main_screen() is not screen:
            return  # the app is closing
        papers: Widget = self.paper_list  # type: ignore[attr-defined]
        if papers.focusable:
            screen.set_focus(papers)

    # ------------------------------------------------------------------ keys held for a dialog
    def _hold(self, event: events.Key) -> None:
        if self._held_keys is None:
            self._held_keys = []
        self._held_keys.append(event)
        if len(self._held_keys) == 1:
            self._held_waits = 0
            self.call_after_refresh(self._release_keys)  # type: ignore[attr-defined]

    async def _release_keys(self) -> None:
        held = self._held_keys or []
        waiting = lambda: self._waiting_for_focus(self.screen)  # type: ignore[attr-defined]  # noqa: E731
        if self._expecting:
            return  # `_settled` releases them
        if held and waiting() and self._held_waits < MAX_WAIT:
            self._held_waits += 1
            self.call_after_refresh(self._release_keys)  # type: ignore[attr-defined]
            return
        forced, self._held_keys = bool(held) and waiting(), None
        for index, event in enumerate(held):
            if not forced and waiting():  # a key opened another dialog: the rest wait for it
                for later in held[index:]:
                    self._hold(later)
                return
            if not await self._route_key(event, hold=False):
                await super().on_event(event)  # type: ignore[misc]
