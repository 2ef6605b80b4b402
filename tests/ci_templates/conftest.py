"""Temporary git repositories holding a copy of this checkout's contracts, for the hooks and the CI scripts."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from ._support import ROOT, git


@pytest.fixture
def contracts_repo(tmp_path: Path) -> Callable[..., Path]:
    """Make a git repository (branch main, one commit) with a copy of contracts/ (and generated/)."""

    def make(*, generated: bool = True, name: str = "service") -> Path:
        repo = tmp_path / name
        repo.mkdir()
        shutil.copytree(ROOT / "contracts", repo / "contracts")
        if generated:
            shutil.copytree(ROOT / "generated", repo / "generated", ignore=shutil.ignore_patterns("__pycache__"))
        git(repo, "init", "-q", "-b", "main")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "contracts")
        return repo

    return make
