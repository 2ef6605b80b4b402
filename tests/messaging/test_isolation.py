"""`contractkit[runtime]` does not pull the messaging stack, and `contractkit.messaging` pulls no CLI or tool."""

from __future__ import annotations

import subprocess
import sys
import tomllib

import pytest

import contractkit.messaging

from ._support import ROOT

MESSAGING_ONLY = ("aio_pika", "aiormq", "pamqp", "faststream", "tenacity", "pika")
CLI_AND_TOOLS = ("typer", "click", "schemathesis", "datamodel_code_generator", "openapi_spec_validator", "openapi_core")


def _imported(module: str) -> set[str]:
    code = f"import {module}, sys; print(','.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.strip().split(","))


@pytest.mark.parametrize("module", ["contractkit.runtime", "contractkit.middleware"])
def test_the_http_runtime_imports_no_messaging_library(module: str) -> None:
    assert _imported(module) & set(MESSAGING_ONLY) == set()


@pytest.mark.parametrize(
    ("module", "allowed"),
    [
        pytest.param("contractkit.messaging", set(), id="validator-only"),
        pytest.param("contractkit.messaging.aiopika", {"aio_pika", "aiormq", "pamqp"}, id="aio-pika"),
    ],
)
def test_messaging_imports_only_what_it_uses(module: str, allowed: set[str]) -> None:
    found = _imported(module)
    assert found & set(CLI_AND_TOOLS) == set()
    assert found & set(MESSAGING_ONLY) <= allowed


def test_the_runtime_extra_does_not_list_the_messaging_stack() -> None:
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    runtime = " ".join(extras["runtime"]).lower()
    assert not any(name.replace("_", "-") in runtime for name in MESSAGING_ONLY), extras["runtime"]
    messaging = " ".join(extras["messaging"]).lower()
    assert all(name in messaging for name in ("aio-pika", "faststream[rabbit]", "tenacity", "pika"))
    assert "contractkit[runtime]" in extras["messaging"]


def test_exported_members() -> None:
    exported = contractkit.messaging.__all__
    assert len(set(exported)) == len(exported)
    assert all(getattr(contractkit.messaging, name, None) is not None for name in exported)
