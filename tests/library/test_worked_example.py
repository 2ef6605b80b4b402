"""docs/library.md's worked example runs as written, from the top of the repository."""

from __future__ import annotations

import re
import subprocess
import sys

from ..ci_templates._support import ROOT

DOC = ROOT / "docs" / "library.md"


def test_the_worked_example_runs_and_says_what_it_found() -> None:
    (block,) = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    done = subprocess.run([sys.executable, "-c", block], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert "5 contracts checked, gate passed" in lines
    assert lines[-1].startswith("mes against HEAD: ")
