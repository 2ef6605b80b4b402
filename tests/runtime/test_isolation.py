"""`contractkit[runtime]` must not pull the command line or the heavy tools: checked in a fresh interpreter."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import contractkit.middleware
import contractkit.runtime

from ._specs import ROOT

FORBIDDEN = ("typer", "click", "schemathesis", "datamodel_code_generator", "openapi_spec_validator", "openapi_core")


@pytest.mark.parametrize("module", ["contractkit.middleware", "contractkit.runtime"])
def test_runtime_imports_no_cli_or_tools(module: str) -> None:
    code = (
        f"import {module}, sys; "
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}); "
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


@pytest.mark.parametrize("module", [contractkit.runtime, contractkit.middleware])
def test_exported_members(module: object) -> None:
    exported = module.__all__  # type: ignore[attr-defined]
    assert len(set(exported)) == len(exported)  # ruff (RUF022) keeps the order
    assert all(getattr(module, name, None) is not None for name in exported)


@pytest.mark.parametrize("name", ["starlette_app", "flask_app"])
def test_examples_import_and_reject(name: str) -> None:
    code = (
        "import sys; sys.path.insert(0, '.'); import importlib; "
        f"m = importlib.import_module('examples.middleware.{name}'); print(type(m.app).__name__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() in ("ContractValidationMiddleware", "Flask")


@pytest.mark.e2e  # a new venv and a pip install: a minute on a cold machine
def test_a_runtime_only_install_has_a_cli_that_says_what_to_install(tmp_path: Path) -> None:
    """`pip install contractkit[runtime]` installs the `contractkit` script too: it must explain, not crash."""
    source = tmp_path / "src-copy"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(ROOT / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    subprocess.run(
        [str(venv / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check", f"{source}[runtime]"],
        check=True,
        capture_output=True,
        timeout=600,
    )
    ran = subprocess.run([str(venv / "bin" / "contractkit"), "check"], capture_output=True, text=True, timeout=60)
    assert ran.returncode == 2
    assert "Traceback" not in ran.stderr
    assert "pip install 'contractkit[cli]'" in ran.stderr and "`typer` is missing" in ran.stderr
    version = subprocess.run([str(venv / "bin" / "contractkit"), "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.startswith("contractkit ")
    imported = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import contractkit.middleware"], capture_output=True, text=True
    )
    assert imported.returncode == 0, imported.stderr
