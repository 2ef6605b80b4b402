"""``contractkit gen``: generate the Pydantic models of the catalog's contracts, or check that they are current."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from contractkit import catalog_contracts, find_catalog
from contractkit.cli._errors import EXIT_FINDINGS, EXIT_OK, error_boundary
from contractkit.cli.checks import CatalogOption

_VERBS = {
    "written": "generated",
    "unchanged": "up to date",
    "stale": "out of date",
    "removed": "removed",
    "kept": "kept (keep-majors)",
}


def gen(
    ids: Annotated[
        list[str] | None,
        typer.Argument(metavar="[CONTRACT_ID]...", help="Contract ids. Default: every contract of the catalog."),
    ] = None,
    check: Annotated[
        bool,
        typer.Option("--check", help="Write nothing: exit 1 and print a diff when the generated models are stale."),
    ] = False,
    out: Annotated[
        Path | None, typer.Option("--out", help="The output folder. Default: generated/ next to contracts/.")
    ] = None,
    catalog: CatalogOption = None,
) -> None:
    """Generate Pydantic v2 models from the contracts into generated/ (one package per contract and major version).

    With --check, nothing is written: exit 0 when generated/ is current, 1 with a unified diff on stdout when it
    is not (the CI gate), 2 when a contract cannot be read.
    """
    with error_boundary():
        from contractkit import generate

        found, _ = catalog_contracts(list(ids or []), find_catalog(catalog))
        result = generate(found, list(ids or []), check=check, out_dir=out)
        for package in result.packages:
            sys.stderr.write(f"{_VERBS[package.status]}: {package.path}\n")
        if check and result.stale:
            sys.stdout.write(result.diff)
            sys.stdout.flush()
            sys.stderr.write(
                f"error: the generated models in {result.out_dir} are out of date with the contracts\n\n"
                "Tip: run `contractkit gen` and commit the result.\n"
            )
            raise typer.Exit(EXIT_FINDINGS)
        raise typer.Exit(EXIT_OK)


def register(app: typer.Typer) -> None:
    """Add ``gen`` to ``app``."""
    app.command("gen", short_help="Generate Pydantic models from the contracts (--check: the drift gate).")(gen)
