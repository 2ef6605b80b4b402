"""The lazy command line: its table of commands is the commands the modules register, with their own help."""

from __future__ import annotations

import subprocess
import sys

import pytest

from contractkit.cli import app as cli


def test_the_table_names_every_command_with_the_help_its_module_registers() -> None:
    eager = {command.name: command for command in __import__("typer").main.get_group(cli.app).commands.values()}
    assert set(eager) == set(cli.COMMANDS)
    for name, (_, short) in cli.COMMANDS.items():
        assert eager[name].short_help == short or (eager[name].help or "").startswith(short), name


@pytest.mark.parametrize("argv", [["--help"], ["--version"]])
def test_help_and_version_import_no_engine(argv: list[str]) -> None:
    code = (
        f"import os, sys; sys.argv = ['contractkit', *{argv!r}]; os._exit = sys.exit\n"
        "from contractkit.cli.entry import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in sys.modules if m.startswith(('contractkit.api', 'contractkit.lint', "
        "'contractkit.breaking', 'jsonschema', 'openapi_spec_validator', 'yaml')))\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "HEAVY []", out


def test_a_misspelt_command_gets_a_suggestion() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "from contractkit.cli.entry import main; main()", "chek"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2 and "Did you mean `check`?" in done.stderr
