"""A major bump, crossed the way a team does it: ``gen``, ``gen mes``, ``gen --check`` and ``ci`` agree on the majors.

The one rule (docs/codegen.md): a contract's current major is generated; an older major stays only when the
catalog entry lists it in ``keep-majors`` (frozen, for services still migrating); any other is removed by ``gen``
(whole catalog or the contract alone) and reported by ``gen --check`` and ``ci``. Before, ``gen mes`` kept
``mes/v1``, ``ci`` passed, ``gen --check`` failed on it and a plain ``gen`` deleted it.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from ..ci_templates._support import CONTRACTKIT, clean_env, git


def _run(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CONTRACTKIT), *args],
        cwd=repo,
        env=clean_env(NO_COLOR="1"),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _bump_mes_to_2(repo: Path, keep_v1: bool) -> None:
    path = repo / "contracts" / "mes" / "openapi.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^  version: 1\.\d+\.\d+$", "  version: 2.0.0", text, count=1), encoding="utf-8")
    if keep_v1:
        catalog = repo / "contracts" / "catalog.yaml"
        text = catalog.read_text(encoding="utf-8")
        entry = "    path: mes/openapi.yaml\n"
        assert entry in text
        catalog.write_text(text.replace(entry, entry + "    keep-majors: [1]\n", 1), encoding="utf-8")


@pytest.mark.parametrize("keep_v1", [False, True], ids=["v1-dropped", "v1-kept"])
def test_gen_gen_contract_check_and_ci_agree_on_a_major_bump(fresh_clone: Callable[[], Path], keep_v1: bool) -> None:
    repo = fresh_clone()
    git(repo, "switch", "-q", "-c", "mes-2")
    _bump_mes_to_2(repo, keep_v1)

    stale = _run(repo, "gen", "--check")
    assert stale.returncode == 1 and "out of date: mes/v2" in stale.stderr

    one = _run(repo, "gen", "mes")
    assert one.returncode == 0, one.stderr
    assert "generated: mes/v2" in one.stderr
    assert ("kept (keep-majors): mes/v1" if keep_v1 else "removed: mes/v1") in one.stderr
    assert (repo / "generated" / "mes" / "v1").is_dir() is keep_v1
    after_one = git(repo, "status", "--porcelain", "generated")

    whole = _run(repo, "gen")
    assert whole.returncode == 0, whole.stderr
    assert git(repo, "status", "--porcelain", "generated") == after_one, "gen and gen mes disagree"

    checked = _run(repo, "gen", "--check")
    assert checked.returncode == 0, checked.stdout + checked.stderr

    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "mes 2.0.0")
    gate = _run(repo, "ci", "--format", "json", "--today", "2026-12-06")
    report = json.loads(gate.stdout)
    (mes,) = [c for c in report["contracts"] if c["id"] == "mes"]
    assert mes["gen"] == "ok", gate.stdout


def test_a_kept_major_edited_by_hand_is_reported(fresh_clone: Callable[[], Path]) -> None:
    repo = fresh_clone()
    _bump_mes_to_2(repo, keep_v1=True)
    assert _run(repo, "gen").returncode == 0
    models = repo / "generated" / "mes" / "v1" / "models.py"
    models.write_text(models.read_text(encoding="utf-8") + "\nHAND_EDIT = 1\n", encoding="utf-8")
    checked = _run(repo, "gen", "--check")
    assert checked.returncode == 1
    assert "out of date: mes/v1" in checked.stderr and "edited by hand" in checked.stdout
