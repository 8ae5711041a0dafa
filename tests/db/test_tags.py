"""Tag names: one rule for the store, the importer, the command line and the query's `tag:`."""

from __future__ import annotations

import pytest

from papershelf.db.query import parse_query
from papershelf.db.tags import normalize_tag, tag_list, tag_name

NAMES = [
    (" RL ", "rl"),
    ("Offline  RL", "offline-rl"),
    ("rl/Offline", "rl/offline"),
    ("rl//x/", "rl/x"),
    ("a\x1b[31mb", "ab"),  # a terminal escape typed or pasted into a tag is not part of it
    ("vision\u200b", "vision"),  # nor is a zero-width space
    ("LLM\tAgents", "llm-agents"),
    ("Straße", "straße"),  # lowercased, not casefolded: tags keep their letters
]


@pytest.mark.parametrize(("raw", "tag"), NAMES)
def test_normalize_tag(raw, tag):
    assert normalize_tag(raw) == tag


@pytest.mark.parametrize("raw", ["", "   ", "a,b", "-x", "!x", "\x1b[0m", "//"])
def test_normalize_tag_refuses(raw):
    with pytest.raises(ValueError):
        normalize_tag(raw)


def test_tag_list_keeps_order_and_drops_repeats():
    assert tag_list(["B", "a", "b ", "A"]) == ["b", "a"]
    assert tag_list("Offline RL") == ["offline-rl"]


@pytest.mark.parametrize(
    ("raw", "tag"), [(r, t) for r, t in NAMES if not any(c.isspace() for c in r)]
)
def test_the_query_looks_for_the_tag_the_store_keeps(raw, tag):
    term = parse_query(f"tag:{raw}").groups[0][0]
    assert term.value == tag == tag_name(raw)
