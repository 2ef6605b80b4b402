"""Helpers of the hook and CI-script tests: git, a clean environment, and contract edits."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

#: The checkout under test: found from this file, never from the working directory.
ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CONTRACTKIT = BIN / "contractkit"

GUIDE = ROOT / "docs" / "changing-a-contract.md"

#: A stable git identity and no interference from the developer's or CI's git settings.
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def clean_env(**extra: str) -> dict[str, str]:
    """Return the environment for a subprocess: no CI variables (the tools read them), git identity set."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GITHUB_", "GITLAB_", "CI_", "GIT_", "CONTRACTKIT", "PRE_COMMIT"))
    }
    env.update(GIT_ENV)
    env.update(extra)
    return env


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=repo, env=clean_env(), capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout.strip()


def drop_machine_endpoint(repo: Path) -> None:
    """A breaking change: remove `GET /machines/{machine_id}` from the MES contract."""
    path = repo / "contracts" / "mes" / "openapi.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    start = lines.index("  /machines/{machine_id}:")
    end = start + 1
    while lines[end].startswith("   ") or not lines[end]:
        end += 1
    del lines[start:end]
    path.write_text("\n".join(lines), encoding="utf-8")


def add_optional_query_parameter(repo: Path) -> None:
    """A compatible change: an optional query parameter on `GET /machines`, and the minor bump it needs."""
    path = repo / "contracts" / "mes" / "openapi.yaml"
    text = path.read_text(encoding="utf-8")
    major, minor = re.search(r"(?m)^  version: (\d+)\.(\d+)\.\d+$", text).groups()  # type: ignore[union-attr]
    text = re.sub(r"(?m)^  version: .*$", f"  version: {major}.{int(minor) + 1}.0", text, count=1)
    anchor = "  /machines:\n    get:\n"
    assert anchor in text, "the MES contract changed shape: update the test's edit"
    start = text.index(anchor)
    params = text.index("      parameters:\n", start) + len("      parameters:\n")
    text = (
        text[:params]
        + "        - name: hall\n          in: query\n          required: false\n"
        + "          description: Only machines in this hall.\n          schema:\n            type: string\n"
        + text[params:]
    )
    path.write_text(text, encoding="utf-8")


def guide_block(first_line: str, containing: str, *, fence: str = "```text") -> str:
    """The whole (not cut with `...`) block of the guide opened by ``fence``, starting with ``first_line``."""
    closing = "`" * (len(fence) - len(fence.lstrip("`")))
    blocks = re.findall(re.escape(fence) + r"\n(.*?)^" + closing + r"$", GUIDE.read_text(encoding="utf-8"), re.S | re.M)
    found = [b for b in blocks if b.startswith(first_line + "\n") and containing in b and "\n...\n" not in b]
    assert len(found) == 1, f"no single block `{first_line}` with `{containing}` in the guide"
    return str(found[0])


def normalized(text: str) -> str:
    """``text`` without what changes from run to run: commit ids (`base main (1a2b3c4)`, `approved by X in 1a2b3c4`)."""
    text = re.sub(r"\b(base main) \([0-9a-f]{7,}\)", r"\1 (COMMIT)", text)
    return re.sub(r"\b(in) [0-9a-f]{7,}\b", r"\1 COMMIT", text)
