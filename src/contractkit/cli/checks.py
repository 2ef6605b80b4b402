"""``contractkit validate``, ``lint`` and ``check``: the same options, three depths of checking."""

from __future__ import annotations

import enum
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from contractkit.cli._errors import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, error_boundary, print_error
from contractkit.cli._formats import format_option
from contractkit.outputs import CHECK

if TYPE_CHECKING:
    from contractkit import Options
    from contractkit.findings import Report

# The engines (the loader, the rules, the validators) are imported when a command runs, not when the command line
# is built: `contractkit check --help` stays fast.


class FailOn(enum.StrEnum):
    """The lowest severity that makes a command exit 1."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


Targets = Annotated[
    list[str] | None,
    typer.Argument(
        help="Contract ids from the catalog, contract files, or folders. Default: the whole catalog.",
        show_default=False,
    ),
]
FormatOption = Annotated[str, format_option(CHECK)]
FailOnOption = Annotated[FailOn, typer.Option("--fail-on", help="Exit 1 when a finding is at this severity or worse.")]
OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write the report to this file (atomically) instead of stdout.")
]
CatalogOption = Annotated[
    Path | None, typer.Option("--catalog", help="The catalog file. Default: contracts/catalog.yaml here or above.")
]
RootOption = Annotated[
    Path | None,
    typer.Option(
        "--root",
        help="For files outside the catalog: the folder `$ref`s may not leave. Default: the working directory, "
        "or the file's own folder when it is outside the working directory.",
    ),
]
MaxBytesOption = Annotated[
    int | None, typer.Option("--max-bytes", min=1, help="Refuse documents larger than this. Default: 16 MiB.")
]
RemoteOption = Annotated[bool, typer.Option("--allow-remote-refs", help="Allow http(s):// `$ref`s (off: no network).")]
ColorOption = Annotated[
    bool | None,
    typer.Option(
        "--color/--no-color", help="Colour text output. Default: when stdout is a terminal and NO_COLOR is unset."
    ),
]


def _command(name: str) -> Callable[..., None]:
    def command(
        targets: Targets = None,
        format: FormatOption = CHECK.default,
        fail_on: FailOnOption = FailOn.ERROR,
        output: OutputOption = None,
        catalog: CatalogOption = None,
        root: RootOption = None,
        max_bytes: MaxBytesOption = None,
        allow_remote_refs: RemoteOption = False,
        color: ColorOption = None,
    ) -> None:
        with error_boundary():
            import contractkit
            from contractkit.cli._output import emit
            from contractkit.findings import Severity
            from contractkit.outputs import CHECK

            run: Callable[[list[str], Options], Report] = getattr(contractkit, name)
            options = contractkit.Options(
                catalog=catalog, root=root, max_bytes=max_bytes, allow_remote_refs=allow_remote_refs
            )
            report = run(list(targets or []), options)
            emit(report, CHECK[format], output, color=color)
            for error in report.errors:
                print_error(error, sys.stderr)
            if report.errors:
                raise typer.Exit(EXIT_INPUT)
            raise typer.Exit(EXIT_FINDINGS if contractkit.fails(report, Severity(fail_on.value)) else EXIT_OK)

    return command


def register(app: typer.Typer) -> None:
    """Add the checking commands to ``app``."""
    validate = _command("validate")
    validate.__doc__ = (
        "Validate contracts against the OpenAPI or AsyncAPI specification.\n\n"
        "OpenAPI 3.0/3.1 with openapi-spec-validator, AsyncAPI 2.x/3.0/3.1 with the official JSON Schemas, after "
        "following every `$ref`. With no argument, also reports contracts on disk that the catalog does not list."
    )
    lint = _command("lint")
    lint.__doc__ = (
        "Check contracts against the house rules.\n\n"
        "`contractkit rules` lists them; the catalog's `lint.rules` sets their severities (per contract too)."
    )
    check = _command("check")
    check.__doc__ = "Validate and lint in one pass: the contract gate over contracts/."
    app.command("validate", short_help="Validate contracts against the OpenAPI/AsyncAPI specification.")(validate)
    app.command("lint", short_help="Check contracts against the house rules.")(lint)
    app.command("check", short_help="Validate and lint in one pass: the contract gate.")(check)
