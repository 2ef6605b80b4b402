"""The ``contractkit`` command: every subcommand parses options, calls :mod:`contractkit.api`, renders.

Start-up is lazy: the console script builds a command group that knows each command's name, module and one-line
help from :data:`COMMANDS`, and imports a command's module (with what it needs: the loader, the rules, the
engines) only when that command runs or shows its own help. ``contractkit --help`` imports typer alone.
:data:`app` is the same command line with every command imported up front (for tests and embedding).
"""

from __future__ import annotations

import difflib
import importlib
import os
import sys
from importlib import metadata
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

#: Every command: its name -> (the module that registers it, its one-line help). `tests/cli` checks the help
#: is the one the module registers, so the table cannot drift.
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("checks", "Validate contracts against the OpenAPI/AsyncAPI specification."),
    "lint": ("checks", "Check contracts against the house rules."),
    "check": ("checks", "Validate and lint in one pass: the contract gate."),
    "breaking": ("breaking", "Report breaking changes between two versions of contracts."),
    "changelog": ("breaking", "List every change between two versions, grouped by operation."),
    "rules": ("rules", "List every rule with its engine, default severity and rationale."),
    "gen": ("codegen", "Generate Pydantic models from the contracts (--check: the drift gate)."),
    "bundle": ("packaging", "Bundle a multi-file contract into one self-contained document."),
    "package": ("packaging", "Build installable wheels of the generated models."),
    "fuzz": ("fuzz", "Fuzz a running service with its contract (Schemathesis)."),
    "ci": ("gate", "The pull-request gate: validate, lint, breaking, semver, gen --check."),
    "dlq": ("dlq", "List, show, replay and purge dead letters (RabbitMQ)."),
}


class _LazyGroup(TyperGroup):
    """A command group that imports a command's module only when the command is looked up."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        return _commands_of(entry[0]).get(cmd_name)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name = args[0] if args else ""
        if name and not name.startswith("-") and name not in COMMANDS:
            guess = difflib.get_close_matches(name, list(COMMANDS), n=1)
            hint = f" Did you mean `{guess[0]}`?" if guess else ""
            ctx.fail(f"No such command '{name}'.{hint} `contractkit --help` lists them.")
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, short) for name, (_, short) in COMMANDS.items()])


def _commands_of(module: str) -> dict[str, Any]:
    """Return the click commands the CLI module ``contractkit.cli.<module>`` registers."""
    sub = _new_app()
    importlib.import_module(f"contractkit.cli.{module}").register(sub)
    return dict(typer.main.get_group(sub).commands)


def _new_app(group: type[TyperGroup] | None = None) -> typer.Typer:
    options: dict[str, Any] = {"cls": group} if group is not None else {}
    return typer.Typer(
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
        **options,
    )


_lazy = _new_app(_LazyGroup)


def _version(value: bool) -> None:
    if value:
        try:
            version = metadata.version("contractkit")
        except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
            version = "unknown"
        typer.echo(f"contractkit {version}")
        raise typer.Exit(0)


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


_lazy.callback()(_root)


def _eager() -> typer.Typer:
    """Return :data:`app`: the command line with every command's module imported and registered."""
    eager = _new_app()
    eager.callback()(_root)
    for module in dict.fromkeys(module for module, _ in COMMANDS.values()):
        importlib.import_module(f"contractkit.cli.{module}").register(eager)
    return eager


def __getattr__(name: str) -> Any:
    """Build :data:`app` on first use (``from contractkit.cli.app import app``), so that the script stays lazy."""
    if name == "app":
        globals()["app"] = built = _eager()
        return built
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """Run the command line (the ``contractkit`` console script).

    The process ends with :func:`os._exit` once the output is flushed: tearing down the millions of objects
    of two big parsed contracts took longer than comparing them (1.2 s of 2.2 s on the twilio pair), and a
    one-shot command has nothing left to clean up.
    """
    try:
        _lazy(prog_name="contractkit")
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


__all__ = ["COMMANDS", "main"]  # and `app`, built on first use (`__getattr__`)
