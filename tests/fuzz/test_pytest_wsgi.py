"""The pytest entry point fuzzes a WSGI (Flask) app in-process, as it does an ASGI one: no server, no network."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]

SUITE = """
import pytest

from contractkit.fuzz.pytest import contract_suite

import _tiny_wsgi


@pytest.fixture
def items_app():
    return _tiny_wsgi.create_wsgi_app({defect!r})


test_items = contract_suite({spec!r}, app="items_app", seed=7, max_examples=25)
"""

INI = """
[pytest]
addopts = -p no:cacheprovider --import-mode=importlib
filterwarnings = error
"""


@pytest.mark.parametrize(
    ("defect", "verdict"),
    [
        pytest.param(None, "3 passed", id="clean"),
        pytest.param("server-error", "test_items[POST /items] - ", id="server-error"),
    ],
)
def test_a_wsgi_app_is_fuzzed_in_process(tmp_path: Path, defect: str | None, verdict: str) -> None:
    (tmp_path / "test_contract.py").write_text(SUITE.format(defect=defect, spec=str(HERE / "tiny" / "openapi.yaml")))
    (tmp_path / "pytest.ini").write_text(INI)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), str(REPO / "src")])}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rf", str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = done.stdout + done.stderr
    assert verdict in output, output
    if defect is None:
        assert done.returncode == 0, output
    else:
        assert done.returncode == 1, output
        assert "not_a_server_error" in output
