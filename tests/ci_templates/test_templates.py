"""The CI templates: their YAML loads, has what GitHub/GitLab need, and calls only commands our CLI has."""

from __future__ import annotations

import functools
import json
import re
import shlex
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from contractkit.cli.app import app

from ._support import ROOT

GITHUB = [ROOT / "ci" / "github" / "contracts-gate.yml", ROOT / ".github" / "workflows" / "contracts-gate.yml"]
GITLAB = ROOT / "ci" / "gitlab" / "contracts-gate.gitlab-ci.yml"
SCRIPTS = [ROOT / "ci" / "gate", ROOT / "ci" / "post-comment", ROOT / "ci" / "gitlab" / "child-pipeline"]
SAMPLE_PLAN = {"contracts": [{"id": "b2b-orders", "kind": "openapi", "owner": "team-partner-api"}]}
GUIDE = ROOT / "docs" / "changing-a-contract.md"
#: `contractkit <command> <arguments>` in a script line, a YAML string or a doc (`.venv/bin/` and `$ck` too).
INVOCATION = re.compile(r"(?:^|[\s;(&|])(?:\.venv/bin/)?(?:contractkit|\$ck) (?P<rest>[a-z][^\n;&|`]*)")


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def strings(node: Any) -> list[str]:
    """Every string in a loaded YAML document (run: blocks, script: lines, env values)."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for value in node.values() for s in strings(value)]
    if isinstance(node, list):
        return [s for item in node for s in strings(item)]
    return []


def invocations(text: str) -> list[list[str]]:
    found = []
    for match in INVOCATION.finditer(text.replace("\\\n", " ")):
        rest = match.group("rest").split(" #", 1)[0].split(" >", 1)[0].strip().rstrip("'")
        try:
            found.append(shlex.split(rest))
        except ValueError:  # an unbalanced quote: a phrase in prose, not a command line
            continue
    return found


@dataclass(frozen=True)
class Option:
    takes_value: bool
    choices: tuple[str, ...] | None


#: An option line of typer's help: `  -f, --format <text|json>   Output format.` (`--x/--no-x` for a switch).
HELP_OPTION = re.compile(r"^  (?:-\w, )?(--[\w-]+)(?:/(--[\w-]+))?(?: (<[^>]*>|[A-Z][\w-]*))?(?:\s{2,}|$)", re.M)


@functools.cache
def cli_help(*command: str) -> str:
    result = CliRunner().invoke(app, [*command, "--help"], terminal_width=100)
    assert result.exit_code == 0, result.output
    return result.output


@functools.cache
def commands() -> frozenset[str]:
    section = cli_help().split("Commands:", 1)[1]
    return frozenset(re.findall(r"^  ([a-z][\w-]*)", section, re.M))


@functools.cache
def options(command: str) -> dict[str, Option]:
    found: dict[str, Option] = {}
    for match in HELP_OPTION.finditer(cli_help(command).split("Options:", 1)[1]):
        metavar = match[3]
        choices = tuple(metavar[1:-1].split("|")) if metavar and "|" in metavar else None
        option = Option(takes_value=metavar is not None, choices=choices)
        found.update({name: option for name in (match[1], match[2]) if name})
    return found


def check_invocation(tokens: list[str], where: str) -> None:
    """Fail unless the command and each option exist in our CLI's help, with an allowed value."""
    name, *args = tokens
    assert name in commands(), f"{where}: `contractkit {name}` is no command of our CLI"
    known = options(name)
    index = 0
    while index < len(args):
        token = args[index]
        index += 1
        if not token.startswith("--") or token == "--":
            continue
        flag, _, inline = token.partition("=")
        option = known.get(flag)
        assert option is not None, f"{where}: `contractkit {name}` has no option `{flag}`"
        if not option.takes_value:
            continue
        value = inline or (args[index] if index < len(args) else "")
        index += 0 if inline else 1
        if option.choices and not any(c in value for c in "$<|"):
            assert value in option.choices, f"{where}: `{flag} {value}` is not one of {option.choices}"


def test_scanner_catches_a_wrong_command() -> None:
    """The checks below can fail: an unknown command, option or value is reported."""
    with pytest.raises(AssertionError, match="no command"):
        check_invocation(["deploy"], "x")
    with pytest.raises(AssertionError, match="no option `--base`"):
        check_invocation(["ci", "--base", "main"], "x")
    with pytest.raises(AssertionError, match="not one of"):
        check_invocation(["ci", "--format", "sarif"], "x")
    check_invocation(["ci", "--list-changed", "--format", "json", "--output", "plan.json"], "x")


def every_invocation() -> list[Any]:
    cases = []
    sources: list[tuple[Path, list[str]]] = [(p, strings(load(p))) for p in [*GITHUB, GITLAB]]
    sources.append((ROOT / ".pre-commit-hooks.yaml", strings(load(ROOT / ".pre-commit-hooks.yaml"))))
    gate = (ROOT / "ci" / "gate").read_text(encoding="utf-8").splitlines()
    sources.append((ROOT / "ci" / "gate", [line for line in gate if not line.lstrip().startswith("#")]))
    sources.append((ROOT / "ci" / "gitlab" / "child-pipeline", strings(child_pipeline(SAMPLE_PLAN))))
    if GUIDE.exists():
        lines = GUIDE.read_text(encoding="utf-8").splitlines()
        sources.append((GUIDE, [line.removeprefix("$ ") for line in lines if line.startswith("$ contractkit ")]))
    for path, texts in sources:
        for tokens in (t for text in texts for t in invocations(text)):
            cases.append(pytest.param(tokens, id=f"{path.relative_to(ROOT)}:{' '.join(tokens[:1])}"))
    return cases


def child_pipeline(plan: object) -> Any:
    """What ci/gitlab/child-pipeline writes for ``plan``."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.json"
        path.write_text(json.dumps(plan), encoding="utf-8")
        done = subprocess.run(
            [sys.executable, str(ROOT / "ci" / "gitlab" / "child-pipeline"), str(path)],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
    return json.loads(done.stdout)


INVOCATIONS = every_invocation()


def test_templates_call_contractkit() -> None:
    called = {p.values[0][0] for p in INVOCATIONS}
    assert {"ci", "fuzz", "package", "validate", "lint", "breaking", "gen"} <= called


@pytest.mark.parametrize("tokens", INVOCATIONS)
def test_every_contractkit_command_in_the_templates_exists(tokens: list[str], request: pytest.FixtureRequest) -> None:
    check_invocation(tokens, request.node.callspec.id)


@pytest.mark.parametrize("path", GITHUB, ids=lambda p: str(p.relative_to(ROOT)))
def test_github_workflow(path: Path) -> None:
    workflow = load(path)
    on = workflow[True]  # YAML 1.1 reads the key `on` as true, as GitHub's own parser does not
    assert "pull_request" in on
    assert workflow["permissions"]["pull-requests"] == "write"
    jobs = workflow["jobs"]
    for name, job in jobs.items():
        assert "runs-on" in job and job["steps"], name
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step), (name, step)
    gate = jobs["gate"]
    checkout = next(s for s in gate["steps"] if str(s.get("uses", "")).startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0
    runs = [str(s.get("run", "")) for s in gate["steps"]]
    assert any(r.startswith("ci/gate ") for r in runs)
    assert any("ci/post-comment" in r for r in runs)
    post = next(s for s in gate["steps"] if "ci/post-comment" in str(s.get("run", "")))
    assert post["if"] == "${{ !cancelled() }}"  # the summary is posted when the gate fails too
    assert post["env"]["GITHUB_TOKEN"] == "${{ github.token }}"
    step_ids = {s.get("id") for s in gate["steps"]}
    for output in gate["outputs"].values():
        assert re.fullmatch(r"\$\{\{ steps\.(\w+)\.outputs\.\w+ \}\}", output)[1] in step_ids  # type: ignore[index]
    matrix = jobs["contract"]["strategy"]["matrix"]["contract"]
    assert matrix == "${{ fromJSON(needs.gate.outputs.contracts) }}"
    assert jobs["contract"]["needs"] == "gate"


def test_gitlab_pipeline() -> None:
    pipeline = load(GITLAB)
    jobs = {k: v for k, v in pipeline.items() if not k.startswith(".") and isinstance(v, dict) and k != "variables"}
    assert set(jobs) == {"contracts-gate", "contracts-plan", "contracts-per-contract"}
    for name, job in jobs.items():
        base = job.get("extends")
        assert base is None or base in pipeline, name
        assert ("script" in job) != ("trigger" in job), name
    base = pipeline[".contractkit"]
    assert base["variables"]["GIT_DEPTH"] == "0"
    rules = pipeline[".contractkit-rules"]["rules"]
    assert rules[0]["if"] == '$CI_PIPELINE_SOURCE == "merge_request_event"'
    gate = jobs["contracts-gate"]
    assert gate["script"][0].startswith("ci/gate ")
    assert "ci/post-comment" in gate["after_script"][0]  # after_script runs when the gate fails too
    assert gate["artifacts"]["when"] == "always"
    trigger = jobs["contracts-per-contract"]["trigger"]
    assert trigger["include"][0] == {"artifact": "contractkit-child.yml", "job": "contracts-plan"}
    assert "contractkit-child.yml" in jobs["contracts-plan"]["artifacts"]["paths"]
    assert jobs["contracts-per-contract"]["needs"] == ["contracts-plan"]


def test_this_repositorys_workflow_is_the_template_with_this_checkout() -> None:
    """.github/workflows/ differs from the template only in where contractkit comes from (and more paths)."""

    def normalized(path: Path) -> str:
        workflow = load(path)
        workflow.pop("env")
        workflow[True]["pull_request"]["paths"] = [
            p for p in workflow[True]["pull_request"]["paths"] if p.startswith(("contracts", "generated", ".github"))
        ]
        for job in workflow["jobs"].values():
            job["steps"] = [s for s in job["steps"] if not str(s.get("name", "")).startswith("Install contractkit")]
        return yaml.safe_dump(workflow, width=1_000_000).replace(".venv/bin/contractkit", "contractkit")

    template, own = GITHUB
    assert normalized(own) == normalized(template)


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_scripts_are_executable_and_parse(path: Path) -> None:
    assert path.stat().st_mode & 0o111
    source = path.read_text(encoding="utf-8")
    if source.splitlines()[0].endswith("python3"):
        compile(source, str(path), "exec")  # raises SyntaxError
        return
    done = subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("path", [GITHUB[0], GITLAB], ids=lambda p: str(p.relative_to(ROOT)))
def test_pinned_contractkit_has_the_extras_each_job_needs(path: Path) -> None:
    document = load(path)
    variables = document["env"] if "env" in document else document["variables"]
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    known = set(pyproject["project"]["optional-dependencies"])
    needs = {"CONTRACTKIT_PIP_SPEC": {"codegen"}, "CONTRACTKIT_FUZZ_PIP_SPEC": {"codegen", "fuzz"}}
    for name, extras in needs.items():
        match = re.fullmatch(r"contractkit\[([\w,]+)\] @ git\+https://\S+@v\d+\.\d+\.\d+", variables[name])
        assert match, f"{name}: {variables[name]}"
        given = set(match[1].split(","))
        assert given <= known, f"{name} names an extra pyproject.toml does not have"
        assert given == extras, name
