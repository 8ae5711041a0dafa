"""papershelf: a terminal reading list for Hugging Face Daily Papers.

The import package holds the repository's two top-level folders by link: `papershelf.db`
(everything below the screen) is `db/`, `papershelf.tui` (the app and the command line) is `tui/`.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("papershelf")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.0.0"
