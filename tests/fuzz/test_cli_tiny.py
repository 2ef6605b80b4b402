"""`contractkit fuzz` over real HTTP against a small service of our own (tests/fuzz/_tiny_app.py): exit codes,
the summary, the report files, the bounds and the operation selection."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from contractkit.cli.app import app

from .conftest import Serve, free_port

TINY = str(Path(__file__).resolve().parent / "tiny" / "openapi.yaml")
FAST = ["--seed", "7", "--max-examples", "15", "--time-budget", "60"]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("defect", "check"),
    [
        pytest.param("server-error", "not_a_server_error", id="500-on-some-input"),
        pytest.param("wrong-type", "response_schema_conformance", id="wrong-field-type"),
        pytest.param("undocumented-status", "status_code_conformance", id="undocumented-status"),
    ],
)
def test_a_planted_defect_fails_the_run_and_names_its_check(serve: Serve, defect: str, check: str) -> None:
    url = serve("tiny", defect)
    code, out, _ = run("fuzz", TINY, "--base-url", url, *FAST)
    assert code == 1, out
    assert f": {check} failed" in out
    assert "curl -X " in out
    assert "fuzz failed:" in out


def test_the_correct_service_passes_with_reports(serve: Serve, tmp_path: Path) -> None:
    url = serve("tiny")
    junit, markdown = tmp_path / "fuzz.xml", tmp_path / "fuzz.md"
    code, out, err = run("fuzz", TINY, "--base-url", url, *FAST, "--junit-xml", str(junit), "--report", str(markdown))
    assert code == 0, out
    assert f"at {url}/api/v1" in err  # the contract's server path was added to the bare base URL
    assert "fuzz passed:" in out
    suite = ET.parse(junit).getroot()
    assert suite.get("failures") == "0"
    assert [case.get("name") for case in suite.iter("testcase")] == ["POST /items", "GET /items/{item_id}"]
    text = markdown.read_text()
    assert "| `POST /items` |" in text
    assert "stateful sequences (OpenAPI links): yes" in text


def test_requests_are_counted_per_operation_and_bounded(serve: Serve) -> None:
    url = serve("tiny")
    code, out, _ = run("fuzz", TINY, "--base-url", url, "--seed", "3", "--max-examples", "5", "--phases", "fuzzing")
    assert code == 0, out
    rows = {line.split()[1]: int(line.split()[2]) for line in out.splitlines() if line.startswith(("POST ", "GET "))}
    assert set(rows) == {"/items", "/items/{item_id}"}
    # one phase, five examples per operation and generation mode (positive, negative)
    assert all(1 <= count <= 10 for count in rows.values()), rows


def test_the_same_seed_sends_the_same_requests(serve: Serve) -> None:
    url = serve("tiny", "server-error")
    first = run("fuzz", TINY, "--base-url", url, *FAST)
    second = run("fuzz", TINY, "--base-url", url, *FAST)

    def failures(out: str) -> list[str]:
        return [line for line in out.splitlines() if "failed" in line and not line.startswith("fuzz ")]

    assert first[0] == second[0] == 1
    assert failures(first[1]) == failures(second[1])


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        pytest.param(["--include", "getItem"], ["GET /items/{item_id}"], id="include-operation-id"),
        pytest.param(["--include", "post /items"], ["POST /items"], id="include-method-path"),
        pytest.param(["--exclude", "createItem"], ["GET /items/{item_id}"], id="exclude"),
    ],
)
def test_include_and_exclude_select_operations(serve: Serve, selection: list[str], expected: list[str]) -> None:
    url = serve("tiny")
    code, out, _ = run("fuzz", TINY, "--base-url", url, *FAST, "--phases", "coverage", *selection)
    assert code == 0, out
    listed = [line.split("  ")[0] for line in out.splitlines() if line.startswith(("POST ", "GET "))]
    assert listed == expected


def test_the_time_budget_stops_the_run_and_says_so(serve: Serve) -> None:
    url = serve("tiny")
    code, out, _ = run("fuzz", TINY, "--base-url", url, "--seed", "1", "--max-examples", "100000", "--time-budget", "1")
    assert code == 0, out
    assert "the time budget of 1 s was spent" in out


def test_headers_are_sent_and_masked(serve: Serve) -> None:
    url = serve("tiny", "server-error")
    code, out, _ = run("fuzz", TINY, "--base-url", url, *FAST, "-H", "Authorization: Bearer s3cret", "-H", "X-Team: a")
    assert code == 1
    assert "-H 'Authorization: ***'" in out
    assert "s3cret" not in out
    assert "-H 'X-Team: ***'" in out  # every header given on the command line may be a credential


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["no-such-contract"], "known ids: b2b-orders", id="unknown-contract-id"),
        pytest.param(["order-events"], "is an AsyncAPI contract", id="asyncapi-contract"),
        pytest.param([TINY, "--check", "nonsense"], "unknown check `nonsense`", id="unknown-check"),
        pytest.param([TINY, "--mode", "sideways"], "unknown --mode", id="unknown-mode"),
        pytest.param([TINY, "--include", "deleteItem"], "matches no operation", id="unknown-operation"),
        pytest.param([TINY, "-H", "no colon"], "is not a header", id="bad-header"),
        pytest.param([TINY, "--max-examples", "0"], "--max-examples must be at least 1", id="zero-examples"),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str) -> None:
    code, _, err = run("fuzz", *args, "--base-url", f"http://127.0.0.1:{free_port()}")
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_an_unreachable_service_exits_2_with_a_clear_message() -> None:
    port = free_port()
    code, out, err = run("fuzz", TINY, "--base-url", f"http://127.0.0.1:{port}")
    assert code == 2
    assert f"cannot reach http://127.0.0.1:{port}: connection refused; is the service running?" in err
    assert "Traceback" not in err + out


def test_without_schemathesis_it_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "schemathesis", None)  # `import schemathesis` raises ImportError
    code, _, err = run("fuzz", TINY, "--base-url", f"http://127.0.0.1:{free_port()}")
    assert code == 2
    assert "install contractkit[fuzz]" in err
