"""Tag names: the one rule that turns what a person typed into the name the library stores.

The store, the importer, the command line and the query language's `tag:` all go through
`tag_name`, so a tag typed anywhere finds the tag stored from anywhere else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from papershelf.db.text import strip_controls

_SPACES = re.compile(r"\s+")


def tag_name(text: str) -> str:
    """`" Offline RL "` -> `offline-rl`; `rl//Offline/` -> `rl/offline`; may be empty.

    Terminal controls go, letters are lowercased, runs of white space become one `-`, and
    empty `/` levels are dropped.
    """
    text = _SPACES.sub("-", strip_controls(text).strip().lower())
    return "/".join(part for part in text.split("/") if part)


def normalize_tag(tag: str) -> str:
    """`tag_name`, refusing what cannot be a tag: ValueError (one sentence) if it is empty,
    holds a comma, or starts with `-` or `!` (the query language's exclusions)."""
    text = tag_name(tag)
    if not text:
        raise ValueError("A tag cannot be empty.")
    if "," in text:
        raise ValueError(f"The tag {text!r} contains a comma; use one tag per argument.")
    if text[0] in "-!":
        raise ValueError(
            f"The tag {text!r} starts with {text[0]!r}, which the query language reserves."
        )
    return text


def tag_list(tags: Iterable[str]) -> list[str]:
    """Normalised, de-duplicated tag names (a lone string is one tag); ValueError if one is unusable."""
    if isinstance(tags, str):
        tags = [tags]
    return list(dict.fromkeys(normalize_tag(t) for t in tags))
