"""The repository's own pre-commit hooks on a fresh clone: they pass untouched and let regenerated models in.

Real git, real pre-commit (``.pre-commit-config.yaml``: local hooks running ``.venv``'s ruff, mypy and contractkit),
a real ``contractkit gen``. Before ruff's ``force-exclude``, ruff checked and reformatted the generated files that
pre-commit names explicitly (ruff ignores ``extend-exclude`` for named files unless told): six hooks failed on an
untouched main and every commit of regenerated models was refused.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

from ..ci_templates._support import CONTRACTKIT, add_optional_query_parameter, clean_env, git


def _pre_commit(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(repo / ".venv" / "bin" / "pre-commit"), *args, "--color", "never"],
        cwd=repo,
        env=clean_env(PRE_COMMIT_HOME=str(repo.parent / "pre-commit-home")),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def test_every_hook_passes_on_an_untouched_clone_and_changes_nothing(fresh_clone: Callable[[], Path]) -> None:
    repo = fresh_clone()
    done = _pre_commit(repo, "run", "--all-files")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Failed" not in done.stdout
    assert git(repo, "status", "--porcelain") == "", "a hook rewrote files"


def test_a_commit_of_regenerated_models_goes_through_the_hooks(fresh_clone: Callable[[], Path]) -> None:
    repo = fresh_clone()
    git(repo, "switch", "-q", "-c", "hall-filter")
    installed = _pre_commit(repo, "install")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    add_optional_query_parameter(repo)  # a compatible change to mes, with its minor bump
    subprocess.run([str(CONTRACTKIT), "gen", "mes"], cwd=repo, check=True, capture_output=True, timeout=300)
    changed = git(repo, "status", "--porcelain")
    assert "generated/mes/v1/models.py" in changed, changed
    git(repo, "add", "-A")
    commit = subprocess.run(
        ["git", "commit", "-m", "mes: filter machines by hall"],
        cwd=repo,
        env=clean_env(PRE_COMMIT_HOME=str(repo.parent / "pre-commit-home")),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert commit.returncode == 0, commit.stdout + commit.stderr
    assert "Passed" in commit.stdout + commit.stderr
    assert git(repo, "status", "--porcelain") == ""
