"""docs/changing-a-contract.md shows real gate output: replay two of its steps and compare, so it cannot rot."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from ._support import (
    CONTRACTKIT,
    add_optional_query_parameter,
    clean_env,
    drop_machine_endpoint,
    git,
    guide_block,
    normalized,
)


def run_ci(repo: Path, *args: str) -> str:
    done = subprocess.run(
        [str(CONTRACTKIT), "ci", *args],
        cwd=repo,
        env=clean_env(NO_COLOR="1"),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    command = " ".join(["$ contractkit ci", *args])
    return f"{command}\n{done.stdout}{done.stderr}[exit {done.returncode}]\n"


def compatible_change(repo: Path) -> None:
    add_optional_query_parameter(repo)  # with the minor bump
    subprocess.run([str(CONTRACTKIT), "gen", "mes"], cwd=repo, check=True, capture_output=True, timeout=300)


@pytest.mark.parametrize(
    ("change", "args", "marker"),
    [
        pytest.param(compatible_change, (), "gate passed: 1 contract checked\n", id="compatible-bumped-regenerated"),
        pytest.param(drop_machine_endpoint, ("--no-gen",), "api-path-removed", id="breaking"),
    ],
)
def test_guide_shows_what_the_gate_prints(
    contracts_repo: Callable[..., Path], change: Callable[[Path], None], args: tuple[str, ...], marker: str
) -> None:
    repo = contracts_repo()
    git(repo, "switch", "-q", "-c", "change")
    change(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "change")
    expected = guide_block(" ".join(["$ contractkit ci", *args]), marker)
    assert normalized(run_ci(repo, *args)) == normalized(expected)
