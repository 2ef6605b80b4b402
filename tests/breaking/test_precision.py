"""The judged sample of real breaks and false alarms (tests/data/precision/verdicts.yaml) holds.

``benchmarks/precision.py --check`` compares every version pair of the shared corpus and fails when a change
judged ``FALSE`` is reported as an error again, or one judged ``TRUE`` is no longer reported; a change nobody
judged yet is listed, not failed (review it and add its verdict).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parents[2]
CORPUS = ROOT.parent / "shared" / "corpus" / "pairs"
VERDICTS = ROOT / "tests" / "data" / "precision" / "verdicts.yaml"


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the shared corpus is not at {CORPUS}")
def test_no_false_alarm_comes_back_and_no_real_break_is_lost() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.precision", "--check"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "0 FALSE" in done.stdout
    assert "0 unjudged" in done.stdout, "changes nobody judged yet: run `python -m benchmarks.precision --unjudged`"


def test_every_verdict_says_why() -> None:
    entries = yaml.safe_load(VERDICTS.read_text(encoding="utf-8"))["verdicts"]
    assert {e["verdict"] for e in entries} == {"TRUE", "FALSE"}
    assert all(len(e["reason"].split()) >= 8 for e in entries), "a verdict needs a reason a reviewer can check"
    keys = [(e["pair"], e["rule"], e["change"], e["at"]) for e in entries]
    assert len(keys) == len(set(keys)), "one verdict per change"
