"""A contract file names its own catalog, wherever the command runs from.

``contractkit check /path/repo/contracts/mes/openapi.yaml`` from a sibling folder used to take the file's own
folder as the contracts root: 24 false "reference leaves the contracts root" errors on ``../common/`` refs. Now the
file's catalog is found by walking up from the file: its id, root and lint policy apply.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from ..ci_templates._support import CONTRACTKIT, clean_env


def _check(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CONTRACTKIT), *args, "--format", "json"],
        cwd=cwd,
        env=clean_env(NO_COLOR="1"),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.parametrize("command", ["check", "validate", "lint"])
def test_a_file_outside_the_working_directory_uses_its_own_catalog(
    fresh_clone: Callable[[], Path], tmp_path: Path, command: str
) -> None:
    repo = fresh_clone()
    elsewhere = tmp_path / "sibling"
    elsewhere.mkdir()
    target = repo / "contracts" / "mes" / "openapi.yaml"
    outside = _check(elsewhere, command, str(target))
    inside = _check(repo, command, "contracts/mes/openapi.yaml")
    assert outside.returncode == inside.returncode == 0, outside.stdout + outside.stderr
    found_outside, found_inside = json.loads(outside.stdout), json.loads(inside.stdout)
    assert found_outside["findings"] == found_inside["findings"] == []
    assert found_outside.get("checked") == found_inside.get("checked")
