"""A problem in a shared file is reported once, naming every contract it affects (issue 15).

`contracts/common/problem.yaml` is reached by three contracts; before, a mistake in it was printed three times
(once per contract) by `validate`, `lint`, `check` and the gate. The end-to-end test breaks it in a copy of this
repository's contracts (a git repository, for `ci`) and reads every format.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from contractkit.cli.app import app
from contractkit.findings import Finding, Location, Report, Severity

REPO = Path(__file__).resolve().parents[2]
USERS = ["b2b-orders", "mes", "model-files"]  # the contracts that reach `Problem.title`
MESSAGE = '`maxLength`: expected `integer`, got string "lots"'


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("shared")
    shutil.copytree(REPO / "contracts", root / "contracts")
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@x", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@x"}  # fmt: skip
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "contracts"]):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env=env)
    problem = root / "contracts/common/problem.yaml"
    text = problem.read_text()
    assert "      maxLength: 200\n" in text
    problem.write_text(text.replace("      maxLength: 200\n", "      maxLength: lots\n", 1))
    return root


def run(root: Path, *args: str) -> tuple[int, str]:
    cwd = Path.cwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(app, list(args))
    finally:
        os.chdir(cwd)
    return result.exit_code, result.stdout


@pytest.mark.parametrize("command", ["validate", "check"])
@pytest.mark.parametrize(
    ("fmt", "count"),
    [
        pytest.param("text", lambda out: out.count(MESSAGE), id="text"),
        pytest.param("json", lambda out: sum(f["message"] == MESSAGE for f in json.loads(out)["findings"]), id="json"),
        pytest.param(
            "sarif",
            lambda out: sum(r["message"]["text"] == MESSAGE for r in json.loads(out)["runs"][0]["results"]),
            id="sarif",
        ),
        pytest.param("github", lambda out: out.count("::error file=contracts/common/problem.yaml"), id="github"),
    ],
)
def test_a_problem_in_a_shared_file_is_reported_once(repo: Path, command: str, fmt: str, count: object) -> None:
    code, out = run(repo, command, "--format", fmt)
    assert code == 1
    assert callable(count)
    assert count(out) == 1, out
    if fmt == "text":
        assert "  in contracts b2b-orders, mes, model-files\n" in out
        assert "1 error, " in out.splitlines()[-1]
    if fmt == "json":
        (finding,) = [f for f in json.loads(out)["findings"] if f["message"] == MESSAGE]
        assert finding["contracts"] == USERS
    if fmt == "github":
        assert "in contracts b2b-orders, mes, model-files" in out


def test_junit_fails_the_suite_of_every_contract_it_affects(repo: Path) -> None:
    code, out = run(repo, "validate", "--format", "junit")
    assert code == 1
    assert out.count("contracts: b2b-orders, mes, model-files") == len(USERS)  # one failing test per contract


@pytest.mark.parametrize(
    ("fmt", "once", "naming"),
    [
        pytest.param("text", MESSAGE, "in contracts b2b-orders, mes, model-files", id="text"),
        pytest.param("markdown", MESSAGE, "| `b2b-orders`<br>`mes`<br>`model-files` | validate |", id="markdown"),
        pytest.param("github", "::error file=contracts/common/problem.yaml,line=28", "in contracts b2b-orders, mes",
                     id="github"),
    ],
)  # fmt: skip
def test_the_gate_lists_a_shared_problem_once(repo: Path, fmt: str, once: str, naming: str) -> None:
    code, out = run(repo, "ci", "--base-ref", "main", "--no-gen", "--format", fmt)
    assert code == 1
    assert out.count(once) == 1, out
    assert naming in out
    if fmt == "text":
        assert out.count("and 1 finding in shared files, listed under b2b-orders") == 2  # under mes and model-files


def test_the_gate_json_names_every_contract_of_a_shared_problem(repo: Path) -> None:
    code, out = run(repo, "ci", "--base-ref", "main", "--no-gen", "--format", "json")
    assert code == 1
    data = json.loads(out)
    for contract in data["contracts"]:
        shared = [f for f in contract["findings"] if f["message"] == MESSAGE]
        assert [f["contracts"] for f in shared] == ([USERS] if contract["id"] in USERS else [])


HERE = Location("contracts/common/problem.yaml", "/Problem", 3, 5)


def finding(contract: str | None, *, message: str = "bad", operation: str | None = None) -> Finding:
    return Finding("openapi-structure", Severity.ERROR, message, HERE, operation=operation, contract=contract)


@pytest.mark.parametrize(
    ("batches", "expected"),
    [
        pytest.param([[finding("a")], [finding("b")], [finding("c")]], [("a", ("a", "b", "c"))], id="three-contracts"),
        pytest.param([[finding("a")], [finding("a")]], [("a", ())], id="same-contract-twice"),
        pytest.param([[finding("b")], [finding("a")]], [("a", ("a", "b"))], id="first-in-order"),
        pytest.param([[finding("a")], [finding("b", message="other")]], [("a", ()), ("b", ())], id="other-message"),
        pytest.param(
            [[finding("a", operation="GET /x")], [finding("b", operation="GET /y")]],
            [("a", ()), ("b", ())],
            id="other-operation",
        ),
        pytest.param([[finding(None)], [finding("a")]], [("a", ())], id="with-and-without-contract"),
    ],
)
def test_report_keeps_a_shared_finding_once(
    batches: list[list[Finding]], expected: list[tuple[str | None, tuple[str, ...]]]
) -> None:
    report = Report("validate")
    for batch in batches:
        report.extend(batch)
    assert sorted((f.contract, f.contracts) for f in report.findings) == sorted(expected)
