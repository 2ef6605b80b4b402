"""ci/gate and ci/gitlab/child-pipeline, run for real in temporary git repositories."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from ._support import (
    BIN,
    CONTRACTKIT,
    ROOT,
    add_optional_query_parameter,
    clean_env,
    drop_machine_endpoint,
    git,
)

MARKER = "<!-- contractkit-gate -->"


def run_gate(repo: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    (repo / "ci").mkdir(exist_ok=True)
    shutil.copy2(ROOT / "ci" / "gate", repo / "ci" / "gate")
    return subprocess.run(
        ["bash", str(repo / "ci" / "gate"), *args],
        cwd=repo,
        env=clean_env(**env),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def branch_with(repo: Path, change: Callable[[Path], None], *, regenerate: bool) -> None:
    git(repo, "switch", "-q", "-c", "feature")
    change(repo)
    if regenerate:
        subprocess.run([str(CONTRACTKIT), "gen", "mes"], cwd=repo, check=True, capture_output=True, timeout=300)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "change")


@pytest.mark.parametrize(
    ("change", "regenerate", "code", "in_markdown"),
    [
        pytest.param(add_optional_query_parameter, True, 0, "contract gate passed", id="compatible-change-passes"),
        pytest.param(drop_machine_endpoint, False, 1, "`api-path-removed`", id="breaking-change-fails"),
    ],
)
def test_gate_verdict_summary_and_exit_code(
    contracts_repo: Callable[..., Path],
    tmp_path: Path,
    change: Callable[[Path], None],
    regenerate: bool,
    code: int,
    in_markdown: str,
) -> None:
    repo = contracts_repo()
    branch_with(repo, change, regenerate=regenerate)
    summary = tmp_path / "step-summary.md"
    done = run_gate(repo, "--base-ref", "main", CONTRACTKIT=str(CONTRACTKIT), GITHUB_STEP_SUMMARY=str(summary))
    assert done.returncode == code, done.stderr
    markdown = (repo / "contractkit-gate.md").read_text(encoding="utf-8")
    assert MARKER in markdown
    assert in_markdown in markdown
    assert summary.read_text(encoding="utf-8") == markdown  # the job page gets the same summary
    assert "mes" in done.stdout  # the text rendering for the log
    assert f"contractkit ci exited {code}; summary in contractkit-gate.md" in done.stderr


def test_github_log_format_annotates_and_fills_the_job_summary_once(
    contracts_repo: Callable[..., Path], tmp_path: Path
) -> None:
    repo = contracts_repo()
    branch_with(repo, drop_machine_endpoint, regenerate=False)
    summary = tmp_path / "step-summary.md"
    env = {"GITHUB_STEP_SUMMARY": str(summary), "CONTRACTKIT_GATE_LOG_FORMAT": "github"}
    done = run_gate(repo, "--base-ref", "main", "--no-gen", CONTRACTKIT=str(CONTRACTKIT), **env)
    assert done.returncode == 1
    assert "::error file=contracts/mes/openapi.yaml,line=" in done.stdout
    assert summary.read_text(encoding="utf-8").count(MARKER) == 1


def test_gate_that_cannot_run_leaves_a_summary_and_exits_2(contracts_repo: Callable[..., Path]) -> None:
    repo = contracts_repo()
    done = run_gate(repo, "--base-ref", "no-such-branch", CONTRACTKIT=str(CONTRACTKIT))
    assert done.returncode == 2
    assert "no-such-branch" in done.stderr
    assert "Traceback" not in done.stderr
    markdown = (repo / "contractkit-gate.md").read_text(encoding="utf-8")
    assert "could not run" in markdown
    assert MARKER in markdown


@pytest.mark.parametrize(
    ("env", "message"),
    [
        pytest.param({"PATH": "/usr/bin:/bin"}, "error: contractkit is not installed", id="not-installed"),
        pytest.param(
            {
                "PATH": f"{BIN}:/usr/bin:/bin",
                "CONTRACTKIT_GATE_MARKDOWN": "out/gate.md",
                "CONTRACTKIT_GATE_LOG_FORMAT": "none",
            },
            "contractkit ci exited 0; summary in out/gate.md",
            id="on-path-custom-file",
        ),
    ],
)
def test_gate_finds_contractkit(contracts_repo: Callable[..., Path], env: dict[str, str], message: str) -> None:
    repo = contracts_repo()
    done = run_gate(repo, "--base-ref", "main", **env)
    assert message in done.stderr
    assert done.returncode == (2 if "error" in message else 0)


def test_list_changed_feeds_the_gitlab_child_pipeline(contracts_repo: Callable[..., Path], tmp_path: Path) -> None:
    repo = contracts_repo()
    branch_with(repo, drop_machine_endpoint, regenerate=False)
    plan = tmp_path / "plan.json"
    subprocess.run(
        [str(CONTRACTKIT), "ci", "--list-changed", "--format", "json", "--base-ref", "main", "--output", str(plan)],
        cwd=repo,
        env=clean_env(),
        check=True,
        capture_output=True,
        timeout=120,
    )
    child = run_child_pipeline(plan)
    assert child.returncode == 0, child.stderr
    jobs = json.loads(child.stdout)
    assert list(jobs) == ["contract:mes"]
    assert jobs["contract:mes"]["variables"] == {"CONTRACT": "mes", "OWNER": "team-manufacturing-platform"}


def run_child_pipeline(plan: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "ci" / "gitlab" / "child-pipeline"), str(plan)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


OPENAPI = {"id": "b2b-orders", "kind": "openapi", "owner": "team-partner-api"}
ASYNCAPI = {"id": "order-events", "kind": "asyncapi", "owner": "team-order-platform"}


@pytest.mark.parametrize(
    ("contracts", "jobs", "fuzzed"),
    [
        pytest.param([OPENAPI, ASYNCAPI], ["contract:b2b-orders", "contract:order-events"], {"b2b-orders"}, id="mixed"),
        pytest.param([], ["no-contract-affected"], set(), id="nothing-affected"),
    ],
)
def test_child_pipeline_jobs(
    tmp_path: Path, contracts: list[dict[str, str]], jobs: list[str], fuzzed: set[str]
) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"contracts": contracts}), encoding="utf-8")
    done = run_child_pipeline(plan)
    assert done.returncode == 0
    pipeline = json.loads(done.stdout)
    assert list(pipeline) == jobs
    assert all(job.get("script") for job in pipeline.values())
    got = {name.split(":", 1)[1] for name, job in pipeline.items() if "contractkit fuzz" in "\n".join(job["script"])}
    assert got == fuzzed


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param("[1, 2]", 'no "contracts" list', id="not-a-plan"),
        pytest.param('{"contracts": [{"kind": "openapi"}]}', "a contract entry without an id", id="no-id"),
        pytest.param("{", "Expecting property name", id="not-json"),
    ],
)
def test_child_pipeline_bad_plan(tmp_path: Path, content: str, message: str) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text(content, encoding="utf-8")
    done = run_child_pipeline(plan)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Tip: write it with `contractkit ci --list-changed" in done.stderr
