"""docs/changing-a-contract.md walked on a fresh clone, with the guide's own commands: every path it describes.

A compatible change (bump, regenerate, pass); a break with no warning (fails); and the three ways to ship a break:
(a) deprecate with a sunset, merge, remove after it; (b) a new major version, which alone does not pass; (c) an
approved early break in the ignores file. Real git (branches, commits, merges), the real `contractkit` command.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

from ..ci_templates._support import (
    CONTRACTKIT,
    add_optional_query_parameter,
    clean_env,
    drop_machine_endpoint,
    git,
    guide_block,
    normalized,
)

MES = Path("contracts") / "mes" / "openapi.yaml"
SUNSET = "2027-03-31"


def ck(repo: Path, *args: str) -> tuple[int, str]:
    done = subprocess.run(
        [str(CONTRACTKIT), *args],
        cwd=repo,
        env=clean_env(NO_COLOR="1"),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    return done.returncode, done.stdout + done.stderr


def bump(repo: Path, part: str) -> str:
    """Bump mes's `info.version` (`minor` or `major`), as the guide's step 2 says; return the new version."""
    path = repo / MES
    text = path.read_text(encoding="utf-8")
    major, minor, _ = map(int, re.search(r"(?m)^  version: (\d+)\.(\d+)\.(\d+)$", text).groups())  # type: ignore[union-attr]
    version = f"{major + 1}.0.0" if part == "major" else f"{major}.{minor + 1}.0"
    path.write_text(re.sub(r"(?m)^  version: .*$", f"  version: {version}", text, count=1), encoding="utf-8")
    return version


def deprecate_machine_endpoint(repo: Path) -> None:
    """Step 4a: `deprecated: true` and `x-sunset` on `GET /machines/{machine_id}`."""
    path = repo / MES
    text = path.read_text(encoding="utf-8")
    anchor = "    get:\n      operationId: getMachine\n"
    assert anchor in text, "the MES contract changed shape: update the walk"
    path.write_text(
        text.replace(anchor, anchor + f"      deprecated: true\n      x-sunset: '{SUNSET}'\n", 1), encoding="utf-8"
    )


def drop_machine_id_parameter(repo: Path) -> None:
    """The removal leaves `#/components/parameters/MachineId` unused: the guide removes it too (lint)."""
    path = repo / MES
    lines = path.read_text(encoding="utf-8").split("\n")
    start = lines.index("    MachineId:")
    end = start + 1
    while lines[end].startswith("      "):
        end += 1
    del lines[start:end]
    path.write_text("\n".join(lines), encoding="utf-8")


def remove_machine_endpoint(repo: Path) -> None:
    drop_machine_endpoint(repo)
    drop_machine_id_parameter(repo)


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def test_a_compatible_change(fresh_clone: Callable[[], Path]) -> None:
    repo = fresh_clone()
    git(repo, "switch", "-q", "-c", "hall-filter")
    add_optional_query_parameter(repo)  # the edit, with its minor bump
    code, out = ck(repo, "ci")
    assert code == 1 and "stale generated models in mes" in out, out
    assert ck(repo, "gen", "mes")[0] == 0
    code, out = ck(repo, "ci")
    assert code == 0 and "gate passed: 1 contract checked" in out and "minor: ok" in out, out


def test_a_break_without_warning_fails(fresh_clone: Callable[[], Path]) -> None:
    repo = fresh_clone()
    git(repo, "switch", "-q", "-c", "drop-machine")
    drop_machine_endpoint(repo)
    code, out = ck(repo, "ci", "--no-gen")
    assert code == 1, out
    assert "1 breaking change" in out and "needs a major bump (to 2.0.0)" in out and "api-path-removed" in out


def test_a_deprecate_announce_then_remove_after_the_sunset(fresh_clone: Callable[[], Path]) -> None:
    repo = fresh_clone()
    git(repo, "switch", "-q", "-c", "deprecate-machine")
    deprecate_machine_endpoint(repo)
    bump(repo, "minor")
    assert ck(repo, "gen", "mes")[0] == 0
    code, out = ck(repo, "ci")
    assert code == 0 and "1 compatible" in out and "minor: ok" in out, out
    commit(repo, "mes: deprecate GET /machines/{machine_id}")
    git(repo, "switch", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", "deprecate-machine", "-m", "merge the deprecation")

    git(repo, "switch", "-q", "-c", "remove-machine")
    remove_machine_endpoint(repo)
    bump(repo, "minor")
    assert ck(repo, "gen", "mes")[0] == 0
    code, out = ck(repo, "ci", "--no-gen", "--today", "2027-01-15")
    assert code == 1 and "removed-before-sunset" in out and "version-bump-too-small" in out, out
    code, out = ck(repo, "ci", "--today", "2027-04-01")
    assert code == 0 and "1 compatible" in out and "minor: ok" in out, out


def test_b_a_major_version_alone_does_not_pass_a_break(fresh_clone: Callable[[], Path]) -> None:
    repo = fresh_clone()
    git(repo, "switch", "-q", "-c", "mes-2")
    remove_machine_endpoint(repo)
    bump(repo, "major")
    catalog = repo / "contracts" / "catalog.yaml"
    entry = "    path: mes/openapi.yaml\n"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace(entry, entry + "    keep-majors: [1]\n"))
    code, out = ck(repo, "gen", "mes")
    assert code == 0 and "generated: mes/v2" in out and "kept (keep-majors): mes/v1" in out, out
    code, out = ck(repo, "ci")
    assert code == 1 and "1 breaking" in out and "major: ok" in out, out


def test_c_an_approved_early_break(fresh_clone: Callable[[], Path]) -> None:
    repo = fresh_clone()
    git(repo, "switch", "-q", "-c", "deprecate-machine")
    deprecate_machine_endpoint(repo)
    bump(repo, "minor")
    assert ck(repo, "gen", "mes")[0] == 0
    commit(repo, "mes: deprecate")
    git(repo, "switch", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", "deprecate-machine", "-m", "merge the deprecation")
    git(repo, "switch", "-q", "-c", "remove-early")
    remove_machine_endpoint(repo)
    bump(repo, "minor")
    assert ck(repo, "gen", "mes")[0] == 0
    # the guide's own entry, committed by the guide's approver: the outputs below are the guide's, commit ids aside
    entry = guide_block("ignores:", "removed-before-sunset", fence="```yaml")
    (repo / "contracts" / "breaking-ignores.yaml").write_text(entry, encoding="utf-8")
    git(repo, "add", "-A")
    approver = {"GIT_AUTHOR_NAME": "Ana Silva", "GIT_COMMITTER_NAME": "Ana Silva"}
    subprocess.run(
        ["git", "commit", "-q", "-m", "mes: remove GET /machines/{machine_id} early, approved"],
        cwd=repo,
        env=clean_env(**approver),
        check=True,
        capture_output=True,
    )
    code, out = ck(repo, "ci", "--today", "2027-01-15")
    assert code == 0 and "1 accepted change" in out and "[accepted]" in out, out
    assert "approved by Ana Silva in" in out, out  # who committed the approval (git blame of the entry)
    shown = guide_block("$ contractkit ci", "gate passed: 1 contract checked, 1 accepted change")
    assert normalized(f"$ contractkit ci\n{out}[exit {code}]\n") == normalized(shown)
    code, markdown = ck(repo, "ci", "--today", "2027-01-15", "--format", "markdown")
    assert code == 0 and "#### Accepted changes" in markdown and "MES-311" in markdown, markdown
    # the pull-request comment, its changelog grouping included, is the guide's
    comment = guide_block("<!-- contractkit-gate -->", "### ✅ contract gate passed", fence="````markdown")
    assert normalized(markdown) == normalized(comment)
