"""``contractkit breaking`` and ``contractkit changelog``: compare two versions of contracts.

Both take two files (``BASE REVISION``) or contract ids with ``--base-ref REF`` (none: the whole catalog), call
:func:`contractkit.breaking.run.check_breaking`, render, and pick the exit code: 0 nothing at or above
``--fail-on``, 1 something is, 2 an input could not be read or the command was used wrongly.
"""

from __future__ import annotations

import datetime as dt
import enum
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from contractkit.cli._errors import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, error_boundary, print_error
from contractkit.cli._formats import format_option
from contractkit.cli._output import emit
from contractkit.cli.checks import CatalogOption, ColorOption, MaxBytesOption, OutputOption, RemoteOption, RootOption
from contractkit.errors import UsageError
from contractkit.findings import Severity
from contractkit.outputs import BREAKING, CHANGELOG, Renderer

if TYPE_CHECKING:
    # Imported when a comparison runs: importing them registers their rules, which `contractkit rules` must
    # not depend on (the registry loads every engine's rules itself).
    from contractkit import BreakingOptions, ChangeReport, Command, Report


class ChangeFailOn(enum.StrEnum):
    """The lowest level of change that makes ``breaking`` exit 1."""

    ERROR = "error"
    WARNING = "warning"


class ChangelogFailOn(enum.StrEnum):
    """The lowest level of change that makes ``changelog`` exit 1 (by default it never does)."""

    ERROR = "error"
    WARNING = "warning"
    NONE = "none"


class EngineChoice(enum.StrEnum):
    """The engine that finds the changes."""

    NATIVE = "native"
    OASDIFF = "oasdiff"


Arguments = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="BASE REVISION | CONTRACT_ID",
        help="Two contract files, BASE (may be REF:path) and REVISION; or, with --base-ref or --against-target, "
        "contract ids, files or folders of the catalog (default: the whole catalog).",
        show_default=False,
    ),
]
BaseRefOption = Annotated[
    str | None,
    typer.Option(
        "--base-ref",
        metavar="REF",
        help="Compare the working tree with this git revision (branch, tag, commit, HEAD~1); the base side, its "
        "$ref'd files and the base catalog are read from git.",
    ),
]
AgainstTargetOption = Annotated[
    bool,
    typer.Option(
        "--against-target",
        help="Compare with the merge base of HEAD and the branch the change targets, found as `contractkit ci` "
        "finds it: CONTRACTKIT_BASE_REF, the CI's target branch, origin/HEAD, main, master (docs/gate.md).",
    ),
]
BreakingFormatOption = Annotated[str, format_option(BREAKING)]
ChangelogFormatOption = Annotated[str, format_option(CHANGELOG)]
IgnoresOption = Annotated[
    Path | None,
    typer.Option(
        "--ignores",
        help="The file of accepted changes. Default: breaking-ignores.yaml next to the catalog, when it exists.",
    ),
]
EngineOption = Annotated[
    EngineChoice, typer.Option("--engine", help="native, or oasdiff (its binary must be on PATH; OpenAPI only).")
]
TodayOption = Annotated[
    str | None,
    typer.Option(
        "--today",
        metavar="YYYY-MM-DD",
        help="The date ignore entries expire against and deprecation sunset dates (x-sunset, Sunset headers) are "
        "compared with. Default: today's date.",
    ),
]


def _options(
    catalog: Path | None,
    root: Path | None,
    max_bytes: int | None,
    allow_remote_refs: bool,
    ignores: Path | None,
    engine: EngineChoice,
    today: str | None,
) -> BreakingOptions:
    from contractkit import BreakingOptions

    return BreakingOptions(
        catalog=catalog,
        root=root,
        max_bytes=max_bytes,
        allow_remote_refs=allow_remote_refs,
        ignores=ignores,
        engine="oasdiff" if engine is EngineChoice.OASDIFF else "native",
        today=parse_today(today) if today is not None else None,
    )


def parse_today(text: str) -> dt.date:
    """Read the ``--today`` option (shared by ``breaking``, ``changelog`` and ``ci``).

    Raises:
        UsageError: the text is not a YYYY-MM-DD date.
    """
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(
            f"`--today {text}` is not a date", tip="write it as YYYY-MM-DD: `--today 2025-01-31`."
        ) from None


def _finish(report: ChangeReport, fail_on: Severity | None) -> None:
    for name, why in report.skipped:
        sys.stderr.write(f"note: `{name}` was not compared: {why}\n")
    for error in report.errors:
        print_error(error, sys.stderr)
    if report.errors:
        raise typer.Exit(EXIT_INPUT)
    failed = fail_on is not None and report.has_at_least(fail_on)
    raise typer.Exit(EXIT_FINDINGS if failed else EXIT_OK)


def _run(
    command: Command,
    arguments: list[str] | None,
    base_ref: str | None,
    options: BreakingOptions,
    reporter: Renderer[Report],
    output: Path | None,
    color: bool | None,
    fail_on: Severity | None,
) -> None:
    from contractkit import check_breaking

    report = check_breaking(list(arguments or []), base_ref=base_ref, options=options, command=command)
    emit(report, reporter, output, color=color)
    _finish(report, fail_on)


def breaking(
    arguments: Arguments = None,
    base_ref: BaseRefOption = None,
    against_target: AgainstTargetOption = False,
    format: BreakingFormatOption = BREAKING.default,
    fail_on: Annotated[
        ChangeFailOn, typer.Option("--fail-on", help="Exit 1 when a change is at this level or worse.")
    ] = ChangeFailOn.ERROR,
    ignores: IgnoresOption = None,
    engine: EngineOption = EngineChoice.NATIVE,
    output: OutputOption = None,
    catalog: CatalogOption = None,
    root: RootOption = None,
    max_bytes: MaxBytesOption = None,
    allow_remote_refs: RemoteOption = False,
    today: TodayOption = None,
    color: ColorOption = None,
) -> None:
    """Report breaking changes between two versions of contracts.

    `contractkit breaking BASE REVISION` compares two files; `contractkit breaking [CONTRACT_ID...] --base-ref
    REF` compares contracts with their version at a git revision (no id: the whole catalog, and contracts
    added to or removed from it). Levels: error = breaking, warning = possibly breaking, info = compatible
    (`contractkit changelog` lists those). Exit codes: 0 nothing at or above --fail-on, 1 there is, 2
    unreadable input or usage error.
    """
    with error_boundary():
        if against_target:
            base_ref = _target_base(base_ref)
        options = _options(catalog, root, max_bytes, allow_remote_refs, ignores, engine, today)
        reporter = BREAKING[format]
        _run("breaking", arguments, base_ref, options, reporter, output, color, Severity(fail_on.value))


def _target_base(base_ref: str | None) -> str:
    """Return the revision ``--against-target`` names: the merge base of HEAD and the target branch.

    Raises:
        UsageError: ``--base-ref`` was given too.
        GitError: no target branch, or no common history.
    """
    if base_ref is not None:
        raise UsageError(
            "--against-target and --base-ref both name the base", tip="pass one of them: --base-ref REF wins no ties."
        )
    from contractkit import target_base

    base = target_base()
    if base.name != base.ref:
        sys.stderr.write(f"comparing with the merge base of HEAD and {base.ref} ({base.name})\n")
    return base.name


def changelog(
    arguments: Arguments = None,
    base_ref: BaseRefOption = None,
    against_target: AgainstTargetOption = False,
    format: ChangelogFormatOption = CHANGELOG.default,
    fail_on: Annotated[
        ChangelogFailOn,
        typer.Option(
            "--fail-on",
            help="Exit 1 when a change is at this level or worse: error (breaking), warning (possibly breaking), "
            "or none (never: the changelog only reports).",
        ),
    ] = ChangelogFailOn.NONE,
    ignores: IgnoresOption = None,
    engine: EngineOption = EngineChoice.NATIVE,
    output: OutputOption = None,
    catalog: CatalogOption = None,
    root: RootOption = None,
    max_bytes: MaxBytesOption = None,
    allow_remote_refs: RemoteOption = False,
    today: TodayOption = None,
    color: ColorOption = None,
) -> None:
    """List every change between two versions of contracts, grouped by operation.

    The same comparison as `contractkit breaking`; `--format markdown` is a pull-request comment (the verdict,
    breaking changes with their fix, the rest folded). Compare two files, or contracts with --base-ref REF or
    --against-target, as `contractkit breaking` does. Exits 0 whatever changed unless --fail-on error|warning is
    given (--fail-on none, the default, never fails); 2 on unreadable input or a usage error.
    """
    with error_boundary():
        if against_target:
            base_ref = _target_base(base_ref)
        options = _options(catalog, root, max_bytes, allow_remote_refs, ignores, engine, today)
        reporter = CHANGELOG[format]
        level = None if fail_on is ChangelogFailOn.NONE else Severity(fail_on.value)
        _run("changelog", arguments, base_ref, options, reporter, output, color, level)


def register(app: typer.Typer) -> None:
    """Add ``breaking`` and ``changelog`` to ``app``."""
    app.command("breaking", short_help="Report breaking changes between two versions of contracts.")(breaking)
    app.command("changelog", short_help="List every change between two versions, grouped by operation.")(changelog)
