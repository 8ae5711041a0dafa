"""papershelf: a terminal reading list for Hugging Face Daily Papers.

The import package holds the repository's two top-level folders by link: `papershelf.db`
(everything below the screen) is `db/`, `papershelf.tui` (the app and the command line) is `tui/`.
"""


def __getattr__(name: str) -> str:
    # The version is read from the installed metadata only when asked for: importing
    # importlib.metadata costs every command ~80 ms of start-up.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("papershelf")
        except PackageNotFoundError:  # a checkout that was never installed
            return "0.0.0"
    raise AttributeError(f"module 'papershelf' has no attribute {name!r}")
