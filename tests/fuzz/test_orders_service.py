"""The headline: `contractkit fuzz b2b-orders` against the reference service (examples/orders_service), over real
HTTP with uvicorn and in-process through the pytest entry point; clean it passes, with a planted defect it fails
and names the defect's check."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from contractkit.cli.app import app

from ._defects import DEFECTS
from .conftest import REPO, Serve

SEED = "1"
AUTH = "Authorization: Bearer fuzz-test-token"
BOUNDS = ["--seed", SEED, "--max-examples", "10", "--time-budget", "120"]


def fuzz(url: str, *extra: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["fuzz", "b2b-orders", "--base-url", url, "-H", AUTH, *BOUNDS, *extra])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)  # `b2b-orders` is looked up in contracts/catalog.yaml


def test_the_reference_service_passes_every_default_check(serve: Serve) -> None:
    code, out, err = fuzz(serve("orders"))
    assert code == 0, out + err
    assert "fuzz passed:" in out
    assert " 0 failed checks" in out


@pytest.mark.parametrize(
    ("defect", "check"), [pytest.param(defect, check, id=defect) for defect, check in DEFECTS.items()]
)
def test_a_planted_defect_is_found_and_named(serve: Serve, defect: str, check: str) -> None:
    code, out, err = fuzz(serve("orders", defect))
    assert code == 1, out + err
    assert f": {check} failed" in out
    assert "curl -X GET 'http://127.0.0.1:" in out or "curl -X GET http://127.0.0.1:" in out


SUITE = """
from pathlib import Path

import pytest

from contractkit.fuzz.pytest import contract_suite

import _defects


@pytest.fixture
def orders_app():
    return _defects.orders_app({defect!r})


test_b2b_orders = contract_suite(
    "b2b-orders",
    app="orders_app",
    headers={{"Authorization": "Bearer fuzz-test-token"}},
    catalog=Path({catalog!r}),
    seed={seed},
    max_examples=10,
)
"""

INI = """
[pytest]
addopts = -p no:cacheprovider --import-mode=importlib
filterwarnings = error
"""


@pytest.mark.parametrize(
    ("defect", "expected"),
    [
        pytest.param(None, None, id="clean"),
        pytest.param("server-error", DEFECTS["server-error"], id="server-error"),
    ],
)
def test_the_pytest_entry_point_runs_in_process(tmp_path: Path, defect: str | None, expected: str | None) -> None:
    (tmp_path / "test_contract.py").write_text(
        SUITE.format(defect=defect, catalog=str(REPO / "contracts" / "catalog.yaml"), seed=SEED)
    )
    (tmp_path / "pytest.ini").write_text(INI)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), str(REPO)])}
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
    if expected is None:
        assert done.returncode == 0, output
        assert "8 passed" in output  # 7 operations + the stateful sequences through the links
    else:
        assert done.returncode == 1, output
        assert "test_b2b_orders[GET /orders/{order_id}/status-timeline]" in output
        assert f"{expected} failed" in output
