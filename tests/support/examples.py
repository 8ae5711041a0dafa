"""How many examples a property test runs: all of them in the full suite, a fifth in the quick
loop (`make quick` loads the `quick` Hypothesis profile, registered in tests/conftest.py)."""

from __future__ import annotations

from hypothesis import settings

FULL = 100  # Hypothesis's own default max_examples: the profile the full suite runs with


def examples(n: int) -> int:
    """`n` scaled by the loaded profile (its max_examples against the default 100), at least 10."""
    return max(n * settings.default.max_examples // FULL, 10)
