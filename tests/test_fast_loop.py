"""`ci/test --fast`: the e2e folders are not even imported, and property tests run a share of their examples."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("marker", "imported"), [("not e2e", False), ("e2e", True)])
def test_the_e2e_folders_are_not_imported_for_the_fast_loop(marker: str, imported: bool) -> None:
    # Collecting a folder imports its test modules (and what they import); ignoring it imports none.
    code = (
        "import sys, pytest\n"
        f"pytest.main(['--collect-only', '-q', '-p', 'no:cacheprovider', '-m', {marker!r}, 'tests/fuzz'])\n"
        "print(any(name.startswith('tests.fuzz.test_') for name in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip().splitlines()[-1] == str(imported)


@pytest.mark.parametrize(("scale", "count", "expected"), [("1", 400, 400), ("0.25", 400, 100), ("0.25", 8, 5)])
def test_the_examples_budget_scales_and_keeps_a_floor(scale: str, count: int, expected: int) -> None:
    code = f"from tests.examples_budget import examples; print(examples({count}))"
    env = {"CONTRACTKIT_TEST_EXAMPLES": scale, "PATH": "", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=env, check=True)
    assert int(done.stdout) == expected
