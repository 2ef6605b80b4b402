"""The layers of ARCHITECTURE.md hold: import-linter keeps them, and fails on an import that goes up a layer.

The second table proves the check can fail: each case copies ``src/`` and the configuration to a temporary
folder, adds one import that breaks a contract, and runs ``lint-imports`` on the copy.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports(project: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(project / "src")}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_layers_are_kept() -> None:
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "layers KEPT" in result.stdout
    assert "the runtime stands alone KEPT" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        pytest.param(
            "loaders/document.py", "import contractkit.lint.engine", "contractkit.loaders is not allowed to import",
            id="loaders-import-an-engine",
        ),
        pytest.param(
            "breaking/openapi/operations.py", "import contractkit.lint.registry",
            "contractkit.breaking is not allowed to import contractkit.lint", id="engine-imports-its-sibling",
        ),
        pytest.param(
            "rules/registry.py", "import contractkit.validate.rules",
            "contractkit.rules is not allowed to import contractkit.validate", id="registry-imports-an-engine",
        ),
        pytest.param(
            "findings.py", "import contractkit.errors", "contractkit.findings is not allowed to import",
            id="bottom-imports-up",
        ),
        pytest.param(
            "runtime/_compile.py", "import typer", "contractkit.runtime is not allowed to import typer",
            id="runtime-imports-the-cli-library",
        ),
        pytest.param(
            "middleware.py", "import contractkit.codegen.gen",
            "contractkit.middleware is not allowed to import contractkit.codegen", id="middleware-imports-codegen",
        ),
    ],
)  # fmt: skip
def test_an_import_up_a_layer_is_refused(tmp_path: Path, module: str, line: str, broken: str) -> None:
    shutil.copytree(ROOT / "src" / "contractkit", tmp_path / "src" / "contractkit")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "src" / "contractkit" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    result = _lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert broken in result.stdout
