"""Error messages a new user meets first (issue 15): said once, where the mistake is, with what to do.

- An unknown contract id says "did you mean" the same way in every command that takes one.
- `contractkit ci b2b-order` says that the gate takes no contract, and how to check one.
- A misspelt key is one error at its own line ("did you mean `responses`?"), not two at the parent.
- `type: intger` in OpenAPI 3.0 is one error (the 3.0 types, no `null`), with a did-you-mean.
- A document that could not be read is not "no findings".
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from contractkit.cli.app import app

REPO = Path(__file__).resolve().parents[2]
GIT = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@x"}


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository with this one's contracts, committed on `main`."""
    root = tmp_path_factory.mktemp("repo")
    shutil.copytree(REPO / "contracts", root / "contracts")
    env = {**os.environ, **GIT, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "contracts"]):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env=env)
    return root


def run(root: Path, *args: str) -> tuple[int, str, str]:
    cwd = Path.cwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(app, list(args))
    finally:
        os.chdir(cwd)
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["validate", "b2b-order"], id="validate"),
        pytest.param(["lint", "b2b-order"], id="lint"),
        pytest.param(["check", "b2b-order"], id="check"),
        pytest.param(["breaking", "b2b-order", "--base-ref", "main"], id="breaking"),
        pytest.param(["changelog", "b2b-order", "--base-ref", "main"], id="changelog"),
        pytest.param(["bundle", "b2b-order"], id="bundle"),
        pytest.param(["gen", "b2b-order", "--check"], id="gen"),
        pytest.param(["package", "b2b-order"], id="package"),
        pytest.param(["fuzz", "b2b-order", "--base-url", "http://127.0.0.1:9"], id="fuzz"),
    ],
)
def test_an_unknown_contract_id_is_said_the_same_way_everywhere(repo: Path, args: list[str]) -> None:
    code, _, err = run(repo, *args)
    assert code == 2
    assert err.startswith("error: contract `b2b-order` not found\n"), err
    assert "Tip: did you mean `b2b-orders`? known ids: b2b-orders, mes, model-files, order-events" in err


@pytest.mark.parametrize(
    ("args", "words"),
    [
        pytest.param(
            ["ci", "b2b-order"],
            ["`contractkit ci` takes no contract id (got `b2b-order`)", "did you mean `b2b-orders`?",
             "run `contractkit check b2b-orders` and `contractkit breaking b2b-orders --against-target`"],
            id="a-misspelt-id",
        ),
        pytest.param(
            ["ci", "mes", "b2b-orders"],
            ["(got `mes b2b-orders`)", "run `contractkit check mes`", "`contractkit ci --all` checks every contract"],
            id="two-ids",
        ),
    ],
)  # fmt: skip
def test_ci_says_it_takes_no_contract(repo: Path, args: list[str], words: list[str]) -> None:
    code, _, err = run(repo, *args)
    assert code == 2
    assert err.startswith("error: unexpected argument\n")
    assert "unexpected extra argument" not in err  # typer's own words
    for word in words:
        assert word in err


HEAD = "openapi: {version}\ninfo: {{title: t, version: 1.0.0}}\npaths:\n  /a:\n    get:\n      operationId: a\n"


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            "      reponses:\n        '200': {description: ok}\n",
            ["a.yaml:7:7  error    openapi-structure  unknown key `reponses`: did you mean `responses`?"],
            id="misspelt-key",
        ),
        pytest.param(
            "      responses:\n        '200': {description: ok}\n      colour: red\n",
            ["a.yaml:9:7  error    openapi-structure  unknown key `colour`: the specification defines no such key "
             "here (extensions start with `x-`)"],
            id="unknown-key",
        ),
        pytest.param(
            "      responses:\n        '200': {description: ok}\ncomponents:\n  schemas:\n    A: {type: intger}\n",
            ['a.yaml:11:9  error    openapi-structure  `type`: "intger" is not one of ["array", "boolean", '],
            id="type-misspelt",
        ),
    ],
)  # fmt: skip
def test_a_wrong_key_or_value_is_one_error_at_its_own_line(
    tmp_path: Path, version: str, body: str, expected: list[str]
) -> None:
    (tmp_path / "a.yaml").write_text(HEAD.format(version=version) + body)
    code, out, _ = run(tmp_path, "validate", "a.yaml")
    assert code == 1
    lines = [line for line in out.splitlines() if line.startswith("a.yaml:")]
    assert len(lines) == len(expected), out
    for line, start in zip(lines, expected, strict=True):
        assert line.startswith(start), line
    if "intger" in body:
        assert "did you mean `integer`?" in lines[0]
        assert ('"null"' in lines[0]) is (version == "3.1.0")  # 3.0 has no `null` type: said once, in its dialect


def test_a_document_that_could_not_be_read_is_not_no_findings(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("openapi: 3.0.3\ninfo: [\n")
    code, out, err = run(tmp_path, "validate", "broken.yaml")
    assert code == 2
    assert "no findings" not in out
    assert out == "could not read 1 contract (errors on stderr)\n"
    assert err.startswith("error: could not parse `broken.yaml`")
