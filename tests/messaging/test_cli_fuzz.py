"""`contractkit fuzz --amqp-url`: the command line of the message fuzzer, and what docs/messaging.md says of it
and of `contractkit dlq` (the broker itself: tests/messaging/test_examples.py)."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from contractkit.cli.app import app
from contractkit.fuzz.result import FailedCheck, FuzzResult, OperationRun, RunError
from contractkit.messagefuzz.report import render_markdown

from ._support import ROOT

UNREACHABLE = "amqp://guest:guest@127.0.0.1:1/"
CATALOG = ROOT / "contracts" / "catalog.yaml"
DOC = (ROOT / "docs" / "messaging.md").read_text()


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("where", "args", "expected"),
    [
        pytest.param("root", (), "cannot connect to amqp://127.0.0.1:1/", id="from-the-repository"),
        pytest.param("elsewhere", ("--catalog", str(CATALOG)), "cannot connect", id="catalog-option"),
        pytest.param("elsewhere", (), "no catalog found (looked for contracts/catalog.yaml", id="no-catalog"),
        pytest.param(
            "elsewhere", ("--catalog", str(ROOT / "nope.yaml")), "could not read the catalog", id="missing-catalog"
        ),
        pytest.param(
            "elsewhere",
            ("--catalog", str(CATALOG), "--include", "publishNothing"),
            "its operations: `publishOrderCreated`",
            id="unknown-operation",
        ),
    ],
)
def test_a_catalog_id_is_looked_up_in_the_catalog_given(
    where: str, args: tuple[str, ...], expected: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(ROOT if where == "root" else tmp_path)
    code, _out, err = run("fuzz", "order-events", "--amqp-url", UNREACHABLE, *args)
    assert code == 2 and expected in err, err  # "cannot connect": the contract was found; the broker was not
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param((), "at most 10 valid and 10 invalid messages per message", id="default-10"),
        pytest.param(("-n", "50"), "at most 50 valid and 50 invalid messages per message", id="50-is-50"),
        pytest.param(("--max-examples", "3"), "at most 3 valid and 3 invalid messages per message", id="3"),
    ],
)
def test_the_message_count_is_what_the_help_says(args: tuple[str, ...], expected: str) -> None:
    code, _out, err = run("fuzz", str(ROOT / "contracts/order-events/asyncapi.yaml"), "--amqp-url", UNREACHABLE, *args)
    assert code == 2 and expected in err, err


def test_the_help_describes_both_modes_and_their_defaults() -> None:
    code, out, _err = run("fuzz", "--help")
    text = " ".join(out.split())
    assert code == 0
    assert (
        "(default 50). With --amqp-url: valid and invalid messages per message of each receive operation (default 10)"
        in text
    )
    assert "A send operation the service published nothing on was not tested: that is an error, not a pass." in text
    assert "1 a check failed, or an operation could not be tested" in text
    assert "--settle is for messages only" in text


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param(("--amqp-url", UNREACHABLE, "--workers", "2"), "--workers only apply to HTTP", id="workers"),
        pytest.param(
            ("--amqp-url", UNREACHABLE, "--base-url", "http://x", "-H", "A: b"),
            "--base-url, --header only apply to HTTP services",
            id="base-url-and-header",
        ),
        pytest.param(("--amqp-url", UNREACHABLE, "--phases", "fuzzing"), "--phases only apply", id="phases"),
        pytest.param(("--amqp-url", UNREACHABLE, "-c", "all"), "--check only apply", id="check"),
        pytest.param(("--amqp-url", UNREACHABLE, "--request-timeout", "1"), "--request-timeout only", id="timeout"),
        pytest.param(
            ("--base-url", "http://127.0.0.1:1", "--settle", "1"), "--settle only apply to message", id="settle"
        ),
    ],
)
def test_options_of_the_other_mode_are_refused(args: tuple[str, ...], expected: str) -> None:
    code, out, err = run("fuzz", "order-events", *args)
    assert (code, out) == (2, "")
    assert expected in err and "Tip:" in err, err


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(["fuzz", "order-events", "--amqp-url", UNREACHABLE], id="fuzz"),
        pytest.param(["dlq", "list", "order-events", "--amqp-url", UNREACHABLE], id="dlq-list"),
        pytest.param(["dlq", "replay", "order-events", "--amqp-url", UNREACHABLE, "--all"], id="dlq-replay"),
    ],
)
def test_an_unreachable_broker_is_one_error_without_the_library_log_line(command: list[str]) -> None:
    """Run as a user would: logging unconfigured, so a library's log line would reach stderr (as it did)."""
    script = Path(sys.executable).parent / "contractkit"
    done = subprocess.run([str(script), *command], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if not line.startswith("fuzzing the message service")]
    assert lines == [
        "error: cannot reach the broker",
        "",
        "    cannot connect to amqp://127.0.0.1:1/: [Errno 111] Connect call failed ('127.0.0.1', 1)",
        "",
        "Tip: check that RabbitMQ runs there and that the URL (user, password, vhost) is right.",
    ]


def _result(**changes: Any) -> FuzzResult:
    fields: dict[str, Any] = {
        "contract": "order-events",
        "base_url": "amqp://127.0.0.1:5672/",
        "seed": 5,
        "checks": ("valid-acknowledged", "invalid-dead-lettered", "published-conforms"),
        "operations": (
            OperationRun("RECEIVE mes.order-intake", 6, 1),
            OperationRun("SEND production.job.started", 0, skipped="the service published nothing on it"),
        ),
        "failures": (
            FailedCheck(
                "RECEIVE mes.order-intake",
                "invalid-dead-lettered",
                "an invalid message was not dead-lettered",
                "message 1",
                "contractkit fuzz order-events --amqp-url amqp://127.0.0.1:5672/ --seed 5 -n 3 --settle 3",
                None,
            ),
        ),
        "errors": (RunError("SEND production.job.started", "nothing captured", "the service published nothing"),),
        "stop": "completed",
        "elapsed": 1.5,
        "time_budget": 300.0,
        "max_examples": 3,
    }
    return FuzzResult(**{**fields, **changes})


def test_the_markdown_report_of_a_message_run_has_no_http_lines() -> None:
    report = render_markdown(_result())
    assert "stateful" not in report and "OpenAPI" not in report
    assert "examples per operation and phase" not in report
    assert "- broker: `amqp://127.0.0.1:5672/`" in report
    assert "- bounds: at most 3 valid and 3 invalid messages per message of each receive operation" in report
    assert "| operation | messages | failed checks | note |" in report
    assert "**fuzz failed: 6 requests, 2 operations, 1 failed check, 1 error in 1.5 s (seed 5)**" in report
    assert "--seed 5 -n 3 --settle 3" in report


# --- docs/messaging.md against the command line -------------------------------------------------------------


def _options(command: Any) -> set[str]:
    return {name for param in command.params for name in param.opts if name.startswith("--")} - {"--help"}


def _click(*names: str) -> Any:
    command: Any = typer.main.get_command(app)
    for name in names:
        command = command.commands[name]
    return command


def _synopses() -> dict[str, str]:
    block = DOC.split("## `contractkit dlq`", 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    found: dict[str, str] = {}
    current = ""
    for line in block.splitlines():
        head = re.match(r"contractkit dlq (\w+)\s", line)
        if head is not None:
            current = head[1]
        found[current] = found.get(current, "") + " " + line
    return found


@pytest.mark.parametrize("name", ["list", "show", "replay", "purge"])
def test_each_dlq_synopsis_in_the_docs_names_every_option_of_the_command(name: str) -> None:
    documented = set(re.findall(r"--[a-z][a-z-]*", _synopses()[name]))
    assert documented == _options(_click("dlq", name))


def test_the_docs_name_every_option_of_a_message_fuzz_run() -> None:
    section = DOC.split("## Contract tests: `contractkit fuzz CONTRACT --amqp-url URL`", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"--[a-z][a-z-]*", section))
    assert documented <= _options(_click("fuzz"))
    assert _options(_click("fuzz")) <= documented  # the HTTP-only ones are named too: as refused


def test_the_install_line_of_each_command_pulls_the_command_line() -> None:
    """`contractkit[messaging]` alone has no `contractkit` command: the lines that name one add an extra with typer."""
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]

    def closure(names: set[str]) -> set[str]:
        found = set(names)
        for name in names:
            for requirement in extras[name]:
                inner = re.fullmatch(r"contractkit\[([a-z,]+)\]", requirement)
                if inner is not None:
                    found |= closure(set(inner[1].split(",")))
        return found

    block = DOC.split("## Install", 1)[1].split("```bash\n", 1)[1].split("```", 1)[0]
    commands = {}
    for line in block.splitlines():
        named = re.match(r"pip install 'contractkit\[([a-z,]+)\]'\s+# (.*)", line)
        assert named is not None, line
        requirements = {r for extra in closure(set(named[1].split(","))) for r in extras[extra]}
        has_cli = any(r.startswith("typer") for r in requirements)
        for command in re.findall(r"`contractkit (\w+)", named[2]):
            commands[command] = has_cli
    assert commands == {"dlq": True, "fuzz": True}
    assert "typer" not in " ".join(extras["messaging"])


def _signature(function: Any) -> str:
    """``name(a, b, *, c=None)``: the parameters as docs/messaging.md writes them (no annotations, no self)."""
    import inspect

    parts: list[str] = []
    for parameter in list(inspect.signature(function).parameters.values())[1:]:
        if parameter.kind is parameter.KEYWORD_ONLY and "*" not in parts:
            parts.append("*")
        default = "" if parameter.default is parameter.empty else f"={parameter.default!r}"
        parts.append(parameter.name + default)
    return f"{function.__name__}({', '.join(parts)})"


@pytest.mark.parametrize("method", ["publish", "consume"])
def test_the_documented_client_signatures_are_the_code(method: str) -> None:
    from contractkit.messaging.aiopika import ContractClient

    assert f"`{_signature(getattr(ContractClient, method))}`" in DOC
