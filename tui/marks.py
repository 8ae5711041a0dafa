"""The symbols papershelf prints for numbers, shared by the app and the command line."""

UPVOTE_MARK = "▲"
COMMENT_MARK = "💬"


def count(n: int, word: str) -> str:
    """`1 comment`, `2 comments`, `0 comments`."""
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"
