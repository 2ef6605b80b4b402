"""``contractkit ci``: the pull-request gate (validate, lint, breaking, semver, gen --check) over what changed.

Calls :func:`contractkit.gate.run_gate` (or :func:`~contractkit.gate.plan_gate` for ``--list-changed``), renders,
and picks the exit code: 0 the gate passes, 1 it fails, 2 it could not run (git, the base, an unreadable input).
"""

from __future__ import annotations

import difflib
import enum
import io
import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from contractkit.cli._errors import EXIT_OK, error_boundary, print_error
from contractkit.cli._formats import format_option
from contractkit.cli._output import write_atomic
from contractkit.cli.breaking import IgnoresOption, TodayOption, parse_today
from contractkit.cli.checks import CatalogOption, ColorOption, OutputOption
from contractkit.errors import UsageError
from contractkit.findings import Severity
from contractkit.outputs import GATE


class GateFailOn(enum.StrEnum):
    """The lowest severity that fails the gate."""

    ERROR = "error"
    WARNING = "warning"


def ci(
    ctx: typer.Context,
    base_ref: Annotated[
        str | None,
        typer.Option(
            "--base-ref",
            metavar="REF",
            help="Compare with the merge base of REF and HEAD. Default: the target branch: CONTRACTKIT_BASE_REF, "
            "the CI's (GITHUB_BASE_REF, CI_MERGE_REQUEST_TARGET_BRANCH_NAME), origin/HEAD, main, master; local or "
            "origin/<branch>, whichever is further along (docs/gate.md).",
        ),
    ] = None,
    everything: Annotated[
        bool, typer.Option("--all", help="Check every contract, not only those the change affects.")
    ] = False,
    list_changed: Annotated[
        bool,
        typer.Option(
            "--list-changed",
            help="Only print the affected contracts (id, kind, path, owner, why), for a CI matrix; exit 0.",
        ),
    ] = False,
    format: Annotated[str, format_option(GATE)] = GATE.default,
    fail_on: Annotated[
        GateFailOn, typer.Option("--fail-on", help="Fail on findings and changes at this level or worse.")
    ] = GateFailOn.ERROR,
    no_gen: Annotated[bool, typer.Option("--no-gen", help="Skip the `gen --check` step.")] = False,
    output: OutputOption = None,
    catalog: CatalogOption = None,
    ignores: IgnoresOption = None,
    today: TodayOption = None,
    color: ColorOption = None,
) -> None:
    """Run the pull-request gate over the contracts a change affects.

    Steps: validate, lint, breaking (against the merge base with the base ref), semver (the versioning policy),
    gen --check. Only contracts that reach a changed file are checked (--all: every one); the summary names the
    skipped ones. Exit codes: 0 the gate passes, 1 it fails, 2 it could not run (not a git repository, unknown
    base ref, unreadable contract or catalog). docs/gate.md has the details.
    """
    with error_boundary():
        if ctx.args:  # `contractkit ci b2b-orders`: say why not, rather than typer's "unexpected extra argument"
            raise _no_contract_ids(list(ctx.args), catalog)
        from contractkit import GateOptions, plan_gate, run_gate

        options = GateOptions(
            base_ref=base_ref,
            everything=everything,
            catalog=catalog,
            ignores=ignores,
            today=parse_today(today) if today is not None else None,
            fail_on=Severity(fail_on.value),
            gen=not no_gen,
        )
        if list_changed:
            plan = plan_gate(options)
            if format == "json":
                text = json.dumps(plan.as_dict(), indent=2, ensure_ascii=False) + "\n"
            else:
                rows = [(a.id, a.path, a.owner, "; ".join(map(str, a.reasons))) for a in plan.affected]
                text = "".join("\t".join(row) + "\n" for row in rows)
            _write(text, output)
            raise typer.Exit(EXIT_OK)
        result = run_gate(options)
        renderer = GATE[format]
        if output is None:
            use_color = color if color is not None else (sys.stdout.isatty() and "NO_COLOR" not in os.environ)
            renderer.render(result, sys.stdout, color=use_color)
        else:
            buffer = io.StringIO()
            renderer.render(result, buffer)
            write_atomic(output, buffer.getvalue())
        if format != "text":
            for error in [*result.errors, *(e for c in result.contracts for e in c.errors)]:
                print_error(error, sys.stderr)
        raise typer.Exit(result.exit_code())


def _no_contract_ids(arguments: list[str], catalog: Path | None) -> UsageError:
    """Return the error for ``contractkit ci b2b-orders``: the gate takes no contract, it finds what changed.

    The gate's unit is the change, not a contract: it checks every contract the change reaches (a shared file
    reaches several), so that no one can pass it by naming fewer. One contract is checked with ``check`` and
    ``breaking --against-target``; every one with ``--all``.
    """
    from contractkit import find_catalog

    found = find_catalog(catalog)
    first = arguments[0]
    one, guess = first, ""
    if found is not None and found.get(first) is None:
        close = difflib.get_close_matches(first, [c.id for c in found.contracts], n=1)
        if close:
            one, guess = close[0], f"`{first}` is no contract id: did you mean `{close[0]}`? "
    return UsageError(
        f"`contractkit ci` takes no contract id (got `{' '.join(arguments)}`): it checks every contract the change "
        "affects, found from git",
        title="unexpected argument",
        tip=f"{guess}{'To' if guess else 'to'} check one contract, run `contractkit check {one}` and "
        f"`contractkit breaking {one} --against-target`; `contractkit ci --all` checks every contract.",
    )


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text)


def register(app: typer.Typer) -> None:
    """Add ``ci`` to ``app``."""
    app.command(
        "ci",
        short_help="The pull-request gate: validate, lint, breaking, semver, gen --check.",
        context_settings={"allow_extra_args": True},  # extra arguments get a clear error (`ci` takes no contract)
    )(ci)
