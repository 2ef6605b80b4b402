"""The ``contractkit`` command: every subcommand parses options, calls :mod:`contractkit.api`, renders."""

from __future__ import annotations

import enum
import os
import sys
from importlib import metadata
from pathlib import Path
from typing import Annotated

import typer

from contractkit.cli import breaking, checks, codegen, dlq, fuzz, gate, packaging, rules

app = typer.Typer(
    name="contractkit",
    help=(
        "Contract-first API governance: validate, lint and check OpenAPI and AsyncAPI contracts.\n\n"
        "With no contract named, a command works on every contract of the catalog (contracts/catalog.yaml, "
        "found from the working directory). Exit codes: 0 clean, 1 findings at or above --fail-on, "
        "2 usage error or unreadable input, 70 a bug in contractkit."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        try:
            version = metadata.version("contractkit")
        except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
            version = "unknown"
        typer.echo(f"contractkit {version}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Contract-first API governance: validate, lint and check OpenAPI and AsyncAPI contracts.

    With no contract named, a command works on every contract of the catalog (contracts/catalog.yaml,
    found from the working directory). Exit codes: 0 clean, 1 findings at or above --fail-on,
    2 usage error or unreadable input, 70 a bug in contractkit.
    """


checks.register(app)
breaking.register(app)
rules.register(app)
codegen.register(app)
packaging.register(app)
fuzz.register(app)
gate.register(app)
dlq.register(app)


def main() -> None:
    """Run the command line (the ``contractkit`` console script).

    The process ends with :func:`os._exit` once the output is flushed: tearing down the millions of objects
    of two big parsed contracts took longer than comparing them (1.2 s of 2.2 s on the twilio pair), and a
    one-shot command has nothing left to clean up.
    """
    try:
        app(prog_name="contractkit")
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # the reader went away (`| head`): the exit code still tells the verdict
        pass
    if code is None:
        code = 0
    elif not isinstance(code, int):
        sys.stderr.write(f"{code}\n")
        code = 1
    os._exit(code)


__all__ = ["Path", "app", "enum", "main"]
