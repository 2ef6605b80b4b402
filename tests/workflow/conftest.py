"""Fixtures of the workflow tests: a fresh git repository holding this checkout's working tree, as a team clones it.

The copy is made from the files git tracks or would track (``git ls-files --cached --others --exclude-standard``),
committed on ``main``, with this checkout's ``.venv`` linked in (the repository's hooks and CI scripts run the tools
from ``.venv``): the seams are crossed with real git, real pre-commit and the real command line.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from ..ci_templates._support import ROOT, git


def _working_tree_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout.decode()
    return [name for name in listed.split("\0") if name and (ROOT / name).is_file()]


@pytest.fixture
def fresh_clone(tmp_path: Path) -> Callable[[], Path]:
    """Return a factory of fresh repositories holding this checkout (one commit on ``main``, ``.venv`` linked)."""

    def make() -> Path:
        repo = tmp_path / f"repo{len(list(tmp_path.iterdir()))}"
        for name in _working_tree_files():
            target = repo / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target)
        (repo / ".venv").symlink_to(ROOT / ".venv")
        git(repo, "init", "-q", "-b", "main")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "the contracts repository")
        return repo

    return make
