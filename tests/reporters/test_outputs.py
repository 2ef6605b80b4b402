"""The output formats of every command come from one place (contractkit.outputs) and the CLI reads them there."""

from __future__ import annotations

import importlib
import inspect
import io
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from contractkit import outputs
from contractkit.cli.app import app
from contractkit.fuzz.result import FailedCheck, FuzzResult, OperationRun, RunError
from contractkit.outputs import Format, Formats

TABLES = {
    "check": outputs.CHECK,
    "breaking": outputs.BREAKING,
    "changelog": outputs.CHANGELOG,
    "ci": outputs.GATE,
    "rules": outputs.RULES,
}
DLQ_TABLES = {
    "dlq list": outputs.DLQ_LIST,
    "dlq show": outputs.DLQ_SHOW,
    "dlq replay": outputs.DLQ_ACTION,
    "dlq purge": outputs.DLQ_ACTION,
}
COMMANDS = [("validate", outputs.CHECK), ("lint", outputs.CHECK), *TABLES.items(), *DLQ_TABLES.items()]
# Tables of a command without --format (fuzz writes its reports through them): not in the CLI's choices.
REPORT_TABLES = {"fuzz": outputs.FUZZ, "fuzz-amqp": outputs.MESSAGE_FUZZ}


@pytest.mark.parametrize(
    ("table", "name"),
    [pytest.param(t, n, id=f"{c}-{n}") for c, t in {**TABLES, **REPORT_TABLES, **DLQ_TABLES}.items() for n in t],
)
def test_each_renderer_takes_its_tables_result(table: Formats[object], name: str) -> None:
    renderer = table[name]
    first = next(iter(inspect.signature(renderer.render).parameters.values()))
    assert first.annotation == table.result  # the annotation as written (postponed evaluation: a string)
    assert table[name] is renderer  # made once


@pytest.mark.parametrize(("command", "table"), [pytest.param(c, t, id=c) for c, t in COMMANDS])
def test_the_cli_offers_exactly_the_tables_formats(command: str, table: Formats[object]) -> None:
    result = CliRunner().invoke(app, [*command.split(), "--help"], terminal_width=400)
    assert result.exit_code == 0, result.output
    assert f"<{'|'.join(table)}>" in result.output
    for name, entry in table.table.items():
        assert f"{name} ({entry.summary})" in " ".join(result.output.split())


@pytest.mark.parametrize(
    ("command", "value", "words"),
    [
        pytest.param("check", "sarf", ["`sarf` is not an output format of `check`", "mean `sarif`?"], id="typo"),
        pytest.param("lint", "xml", ["`xml` is not an output format", "text, json, github, sarif, junit"], id="none"),
        pytest.param("breaking", "sarif", ["`sarif` is not an output format of `breaking`"], id="other-commands"),
        pytest.param("ci", "markdwn", ["did you mean `markdown`?"], id="gate"),
        pytest.param("dlq list x --amqp-url amqp://127.0.0.1:1/", "jsno", ["of `dlq list`", "mean `json`?"], id="dlq"),
        pytest.param(
            "dlq show x y --amqp-url amqp://127.0.0.1:1/",
            "yaml",
            ["of `dlq show`: choose one of text, json"],
            id="dlq-show",
        ),
    ],
)
def test_an_unknown_format_is_a_usage_error_naming_the_choices(command: str, value: str, words: list[str]) -> None:
    result = CliRunner().invoke(app, [*command.split(), "--format", value], terminal_width=400)
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    for word in words:
        assert word in text


def test_a_format_added_to_a_table_is_rendered_by_name() -> None:
    table: Formats[str] = Formats("demo", "str", {"plain": Format(f"{__name__}:Upper", "shouting")})
    stream = io.StringIO()
    table["plain"].render("hello", stream)
    assert (table.default, list(table), stream.getvalue()) == ("plain", ["plain"], "HELLO")
    assert "plain (shouting)" in table.help()


class Upper:
    """A renderer of strings, for the test above."""

    def render(self, result: str, stream: io.StringIO, *, color: bool = False) -> None:
        stream.write(result.upper())


def test_a_command_imports_only_the_reporter_it_renders_with() -> None:
    code = (
        "import sys\n"
        "from contractkit.cli.app import _lazy\n"
        "sys.argv = ['contractkit', 'check', 'contracts/mes/openapi.yaml', '--format', 'sarif']\n"
        "try:\n    _lazy(prog_name='contractkit')\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write(' '.join(sorted(m for m in sys.modules if m.startswith('contractkit.reporters.'))))\n"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=60)
    assert done.stderr.split() == ["contractkit.reporters.common", "contractkit.reporters.sarif"], done.stderr


@pytest.mark.parametrize(
    ("table", "name", "function"),
    [
        pytest.param(outputs.FUZZ, "text", "contractkit.fuzz.report:render_text", id="text"),
        pytest.param(outputs.FUZZ, "markdown", "contractkit.fuzz.report:render_markdown", id="markdown"),
        pytest.param(outputs.FUZZ, "junit", "contractkit.fuzz.report:render_junit", id="junit"),
        pytest.param(outputs.MESSAGE_FUZZ, "text", "contractkit.fuzz.report:render_text", id="amqp-text"),
        pytest.param(
            outputs.MESSAGE_FUZZ, "markdown", "contractkit.messagefuzz.report:render_markdown", id="amqp-markdown"
        ),
        pytest.param(outputs.MESSAGE_FUZZ, "junit", "contractkit.fuzz.report:render_junit", id="amqp-junit"),
    ],
)
def test_the_fuzz_tables_write_the_reports_byte_for_byte(table: Formats[FuzzResult], name: str, function: str) -> None:
    module, _, attribute = function.partition(":")
    result = FuzzResult(
        contract="b2b-orders",
        base_url="http://127.0.0.1:8080/b2b/v1",
        seed=5,
        checks=("not_a_server_error",),
        operations=(OperationRun("GET /orders", 12, 1), OperationRun("POST /orders", 0, 0, "no data")),
        failures=(
            FailedCheck("GET /orders", "not_a_server_error", "Server error", "500 | <b>", "curl -X GET 'x'", 500),
        ),
        errors=(RunError("POST /orders", "no data", "could not generate"),),
        stop="time-budget",
        elapsed=1.25,
        time_budget=2.0,
        max_examples=10,
    )
    stream = io.StringIO()
    table[name].render(result, stream)
    assert stream.getvalue() == getattr(importlib.import_module(module), attribute)(result)
