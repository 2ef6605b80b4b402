"""`contractkit[runtime]` must not pull the command line or the heavy tools: checked in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys

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
