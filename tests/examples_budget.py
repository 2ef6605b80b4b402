"""How many generated examples a property test runs: all of them in CI, a quarter in the fast loop.

``ci/test --fast`` sets ``CONTRACTKIT_TEST_EXAMPLES=0.25`` (the loop a developer runs while working must stay
under two minutes on two cores); ``ci/test`` and ``.ci/run`` leave it unset, so CI runs every example. The
seeds are fixed (``derandomize=True``) either way: the fast loop runs the first quarter of CI's examples.
"""

from __future__ import annotations

import os

SCALE = float(os.environ.get("CONTRACTKIT_TEST_EXAMPLES", "1"))


def examples(count: int) -> int:
    """Return ``count`` scaled for this run, at least 5."""
    return max(5, round(count * SCALE))
