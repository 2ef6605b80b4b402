"""The gen step of ``contractkit ci``: with a generated/ folder, a contract change without `gen` fails the gate."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .test_gate_git import CONTRACTS, commit, compatible, git, run

GENERATED = CONTRACTS.parent / "generated"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("GITHUB_BASE_REF", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(name, raising=False)
    shutil.copytree(CONTRACTS, tmp_path / "contracts")
    shutil.copytree(GENERATED, tmp_path / "generated", ignore=shutil.ignore_patterns("__pycache__"))
    git(tmp_path, "init", "-q", "-b", "main")
    commit(tmp_path, "contracts and models")
    git(tmp_path, "checkout", "-q", "-b", "feature")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_current_models_pass(repo: Path) -> None:
    code, out, _ = run("--all", "--format", "json")
    doc = json.loads(out)
    assert code == 0, doc["summary"]
    assert {c["gen"] for c in doc["contracts"]} == {"ok"}
    assert doc["gen"] == {"ran": True, "shared": "ok", "diff": None}


def test_a_change_without_gen_fails_on_that_contract_only(repo: Path) -> None:
    compatible(repo)
    commit(repo, "compatible, models not regenerated")
    code, out, _ = run()
    assert code == 1
    assert out.splitlines()[0] == "gate failed: stale generated models in model-files (team-storage-platform)"
    assert "+++ b/model_files/v1/models.py" in out
    code, out, _ = run("--no-gen")
    assert code == 0


def test_a_hand_edit_of_generated_code_affects_its_contract(repo: Path) -> None:
    models = repo / "generated/mes/v1/models.py"
    models.write_text(models.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    code, out, _ = run("--list-changed", "--format", "json")
    plan = json.loads(out)
    assert plan["ids"] == ["mes"]
    assert plan["contracts"][0]["why"] == [{"file": "generated/mes/v1/models.py", "via": "generated", "detail": ""}]
    code, out, _ = run()
    assert code == 1
    assert "stale generated models in mes" in out.splitlines()[0]
