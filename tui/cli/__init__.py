"""The `papershelf` command line: a scriptable surface over the same store as the app.

Every command opens the library through `Store.open`, does one thing, and ends with one clear
sentence on stderr and a non-zero exit when a person's input is wrong — never a traceback.
`base` holds the group; each module beside it adds one family of commands to it, imported only
when one of its commands runs (`base.COMMAND_MODULES`).
"""

from papershelf.tui.cli.base import main

__all__ = ["main"]
