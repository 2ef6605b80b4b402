"""The published pre-commit hooks, installed by pre-commit from this checkout and run in a contracts repository.

pre-commit installs a `language: python` hook repository with pip into a fresh virtualenv, so these tests need
the package index this machine's pip is configured with (pip.conf / PIP_* variables; CI machines have the same);
nothing else leaves 127.0.0.1. The environments are installed once per session (PRE_COMMIT_HOME in a tmp dir).
`pre-commit try-repo` always installs into a new store, so it runs once; the other cases use a config naming
the same snapshot (what a service repository's `.pre-commit-config.yaml` does), which shares the cache.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from ._support import (
    BIN,
    CONTRACTKIT,
    ROOT,
    add_optional_query_parameter,
    clean_env,
    drop_machine_endpoint,
    git,
)

PRE_COMMIT = BIN / "pre-commit"
#: What `pip install .` needs from the checkout (the hook repository's working tree, as committed by try-repo).
PACKAGE_FILES = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "src")


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A committed snapshot of this checkout's working tree (pre-commit clones a commit, and the hooks under
    test may not be committed yet): the path and the commit."""
    snapshot = tmp_path_factory.mktemp("hook-repo")
    for name in PACKAGE_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, snapshot / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, snapshot / name)
    git(snapshot, "init", "-q", "-b", "main")
    git(snapshot, "add", "-A")
    git(snapshot, "commit", "-q", "-m", "snapshot")
    return snapshot, git(snapshot, "rev-parse", "HEAD")


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def use_hooks(repo: Path, hook_repo: tuple[Path, str], *hook_ids: str) -> None:
    path, rev = hook_repo
    config = {"repos": [{"repo": str(path), "rev": rev, "hooks": [{"id": hook_id} for hook_id in hook_ids]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    git(repo, "add", ".pre-commit-config.yaml")
    git(repo, "commit", "-q", "-m", "hooks")


def run_hook(repo: Path, home: Path, hook_id: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(PRE_COMMIT), "run", hook_id, "--all-files", "--color", "never"],
        cwd=repo,
        env=clean_env(PRE_COMMIT_HOME=str(home), **env),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def break_yaml(repo: Path) -> None:
    path = repo / "contracts" / "mes" / "openapi.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "paths: {}\n", encoding="utf-8")  # a duplicate key


def add_unused_schema(repo: Path) -> None:
    path = repo / "contracts" / "model-files" / "openapi.yaml"
    text = path.read_text(encoding="utf-8")
    assert "\n  schemas:\n" in text
    text = text.replace("\n  schemas:\n", "\n  schemas:\n    Leftover:\n      type: string\n", 1)
    path.write_text(text, encoding="utf-8")


def no_change(repo: Path) -> None:
    pass


@pytest.mark.parametrize(
    ("hook_id", "change", "passes", "expected"),
    [
        pytest.param("contractkit-validate", no_change, True, "contractkit validate...", id="validate-good"),
        pytest.param("contractkit-validate", break_yaml, False, "duplicate key `paths`", id="validate-broken"),
        pytest.param("contractkit-lint", no_change, True, "contractkit lint...", id="lint-good"),
        pytest.param("contractkit-lint", add_unused_schema, False, "component-unused", id="lint-unused-component"),
        pytest.param("contractkit-check", add_unused_schema, False, "component-unused", id="check-unused-component"),
        pytest.param("contractkit-gen-check", no_change, True, "contractkit gen --check...", id="gen-check-current"),
        pytest.param(
            "contractkit-gen-check", drop_machine_endpoint, False, "-GetMachineResponse", id="gen-check-stale"
        ),
    ],
)
def test_checking_hooks(
    contracts_repo: Callable[..., Path],
    hook_repo: tuple[Path, str],
    pre_commit_home: Path,
    hook_id: str,
    change: Callable[[Path], None],
    passes: bool,
    expected: str,
) -> None:
    repo = contracts_repo()
    use_hooks(repo, hook_repo, hook_id)
    change(repo)
    git(repo, "add", "-A")
    done = run_hook(repo, pre_commit_home, hook_id)
    assert (done.returncode == 0) is passes, done.stdout + done.stderr
    assert expected in done.stdout
    assert ("Passed" if passes else "Failed") in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


@pytest.mark.parametrize(
    ("setup", "change", "code", "expected"),
    [
        pytest.param(
            "origin-main", drop_machine_endpoint, 1, "was at main:contracts/mes/openapi.yaml", id="breaking-vs-main"
        ),
        pytest.param(
            "origin-only",
            drop_machine_endpoint,
            1,
            "was at origin/main:contracts/mes/openapi.yaml",
            id="breaking-vs-origin-main",
        ),
        pytest.param("origin-main", add_optional_query_parameter, 0, "contractkit breaking (against", id="compatible"),
        pytest.param(
            "diverged",
            drop_machine_endpoint,
            1,
            "comparing with the merge base of HEAD and main",
            id="main-moved-on",
        ),
        pytest.param(
            "local-main", drop_machine_endpoint, 1, "was at main:contracts/mes/openapi.yaml", id="no-remote-local-main"
        ),
        pytest.param(
            "env", drop_machine_endpoint, 1, "was at release:contracts/mes/openapi.yaml", id="CONTRACTKIT_BASE_REF"
        ),
        pytest.param(
            "no-base", drop_machine_endpoint, 2, "error: cannot find the base of the pull request", id="no-base"
        ),
        pytest.param(
            "unrelated", drop_machine_endpoint, 2, "`other` and `HEAD` have no common history", id="unrelated"
        ),
    ],
)
def test_breaking_hook_compares_with_the_target_branch(
    contracts_repo: Callable[..., Path],
    hook_repo: tuple[Path, str],
    pre_commit_home: Path,
    setup: str,
    change: Callable[[Path], None],
    code: int,
    expected: str,
) -> None:
    repo = contracts_repo()
    use_hooks(repo, hook_repo, "contractkit-breaking")
    env: dict[str, str] = {}
    if setup in ("origin-main", "diverged", "origin-only"):
        git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    if setup == "env":
        git(repo, "branch", "release")
        env["CONTRACTKIT_BASE_REF"] = "release"
    if setup == "unrelated":  # as in a shallow clone: the base exists, the fork point does not
        git(repo, "switch", "-q", "--orphan", "other")
        git(repo, "commit", "-q", "--allow-empty", "-m", "unrelated")
        git(repo, "switch", "-q", "main")
        env["CONTRACTKIT_BASE_REF"] = "other"
    git(repo, "switch", "-q", "-c", "feature")
    if setup in ("no-base", "origin-only"):
        git(repo, "branch", "-q", "-D", "main")
    if setup == "diverged":  # main gets a change after the branch was made: not the PR's, so not reported
        git(repo, "switch", "-q", "main")
        add_optional_query_parameter(repo)
        git(repo, "commit", "-q", "-am", "main moved on")
        git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
        git(repo, "switch", "-q", "feature")
    change(repo)
    git(repo, "commit", "-q", "-am", "the change")
    done = run_hook(repo, pre_commit_home, "contractkit-breaking", **env)
    assert done.returncode == (1 if code else 0), done.stdout  # pre-commit exits 1 for any failed hook
    if code:
        assert f"- exit code: {code}" in done.stdout
    assert expected in done.stdout
    assert "`hall`" not in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_try_repo_from_the_checkout(
    contracts_repo: Callable[..., Path], hook_repo: tuple[Path, str], tmp_path: Path
) -> None:
    """The command a contracts team runs to try the hooks before pinning them: a fresh install, no cache."""
    repo = contracts_repo(generated=False)
    drop_machine_endpoint(repo)  # breaking, and stale models: but valid
    git(repo, "commit", "-q", "-am", "change")
    done = subprocess.run(
        [str(PRE_COMMIT), "try-repo", str(hook_repo[0]), "contractkit-validate", "--all-files", "--color", "never"],
        cwd=repo,
        env=clean_env(PRE_COMMIT_HOME=str(tmp_path / "home")),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "contractkit validate" in done.stdout
    assert "Passed" in done.stdout


def test_manifest_and_config_are_valid() -> None:
    for command in (
        ("validate-manifest", ROOT / ".pre-commit-hooks.yaml"),
        ("validate-config", ROOT / ".pre-commit-config.yaml"),
    ):
        done = subprocess.run(
            [str(PRE_COMMIT), command[0], str(command[1])], capture_output=True, text=True, timeout=60, check=False
        )
        assert done.returncode == 0, done.stdout + done.stderr


def manifest() -> list[dict[str, object]]:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert isinstance(hooks, list)
    return hooks


def test_published_hooks_and_their_extras() -> None:
    hooks = {str(h["id"]): h for h in manifest()}
    assert {"contractkit-validate", "contractkit-lint", "contractkit-breaking", "contractkit-gen-check"} <= set(hooks)
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    extras = set(pyproject["project"]["optional-dependencies"])
    for hook_id, hook in hooks.items():
        assert hook["language"] == "python"
        assert hook["pass_filenames"] is False
        deps = hook["additional_dependencies"]
        assert isinstance(deps, list) and len(deps) == 1
        extra = str(deps[0]).removeprefix(".[").removesuffix("]")
        assert extra in extras, f"{hook_id}: `{deps[0]}` names no extra of pyproject.toml"
        assert extra == ("codegen" if hook_id == "contractkit-gen-check" else "cli")


def test_this_repositorys_config_mirrors_the_published_hooks() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    local = {h["id"]: h for repo in config["repos"] if repo["repo"] == "local" for h in repo["hooks"]}
    published = {str(h["id"]): h for h in manifest()}
    mirrored = sorted(i for i in local if i.startswith("contractkit-"))
    assert mirrored == ["contractkit-breaking", "contractkit-gen-check", "contractkit-lint", "contractkit-validate"]
    for hook_id in mirrored:
        mine, theirs = local[hook_id], published[hook_id]
        assert mine["language"] == "system"
        assert mine["entry"] == str(theirs["entry"]).replace("contractkit ", ".venv/bin/contractkit "), hook_id
        for key in ("name", "files", "pass_filenames"):
            assert mine[key] == theirs[key], (hook_id, key)


def test_breaking_hook_resolves_the_base_as_the_gate_does() -> None:
    """No shell script of its own: the hook asks contractkit for the base, as `contractkit ci` does."""
    entry = str(next(h for h in manifest() if h["id"] == "contractkit-breaking")["entry"])
    assert entry == f"{os.path.basename(str(CONTRACTKIT))} breaking --against-target"


def test_after_a_local_merge_the_hook_and_the_gate_agree(
    contracts_repo: Callable[..., Path], hook_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    """A break merged into the local main (accepted there) is not the feature branch's: neither the hook nor `ci`
    reports it, though origin/main (behind the local main) does not have it yet."""
    repo = contracts_repo()
    use_hooks(repo, hook_repo, "contractkit-breaking")
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    drop_machine_endpoint(repo)
    git(repo, "commit", "-q", "-am", "merged locally: the machine endpoint is gone")
    git(repo, "switch", "-q", "-c", "feature")
    add_optional_query_parameter(repo)
    git(repo, "commit", "-q", "-am", "the change: compatible")
    hook = run_hook(repo, pre_commit_home, "contractkit-breaking")
    assert hook.returncode == 0, hook.stdout
    gate = subprocess.run(
        [str(CONTRACTKIT), "ci", "--no-gen"],
        cwd=repo,
        env=clean_env(NO_COLOR="1"),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert "base main (" in gate.stdout, gate.stdout
    assert "1 compatible" in gate.stdout and "breaking change" not in gate.stdout, gate.stdout
