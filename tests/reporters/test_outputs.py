"""The output formats of every command come from one place (contractkit.outputs) and the CLI reads them there."""

from __future__ import annotations

import inspect
import io
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from contractkit import outputs
from contractkit.cli.app import app
from contractkit.outputs import Format, Formats

TABLES = {
    "check": outputs.CHECK,
    "breaking": outputs.BREAKING,
    "changelog": outputs.CHANGELOG,
    "ci": outputs.GATE,
    "rules": outputs.RULES,
}
COMMANDS = [("validate", outputs.CHECK), ("lint", outputs.CHECK), *TABLES.items()]


@pytest.mark.parametrize(("table", "name"), [pytest.param(t, n, id=f"{c}-{n}") for c, t in TABLES.items() for n in t])
def test_each_renderer_takes_its_tables_result(table: Formats[object], name: str) -> None:
    renderer = table[name]
    first = next(iter(inspect.signature(renderer.render).parameters.values()))
    assert first.annotation == table.result  # the annotation as written (postponed evaluation: a string)
    assert table[name] is renderer  # made once


@pytest.mark.parametrize(("command", "table"), [pytest.param(c, t, id=c) for c, t in COMMANDS])
def test_the_cli_offers_exactly_the_tables_formats(command: str, table: Formats[object]) -> None:
    result = CliRunner().invoke(app, [command, "--help"], terminal_width=400)
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
    ],
)
def test_an_unknown_format_is_a_usage_error_naming_the_choices(command: str, value: str, words: list[str]) -> None:
    result = CliRunner().invoke(app, [command, "--format", value], terminal_width=400)
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
    assert done.stderr.split() == ["contractkit.reporters._common", "contractkit.reporters.sarif"], done.stderr
