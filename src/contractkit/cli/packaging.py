"""``contractkit bundle`` and ``contractkit package``: one self-contained document, and installable wheels."""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated

import typer

from contractkit import catalog_contracts, find_catalog
from contractkit.cli._errors import EXIT_OK, error_boundary
from contractkit.cli._output import write_atomic
from contractkit.cli.checks import CatalogOption, MaxBytesOption, RemoteOption, RootOption


class BundleFormat(enum.StrEnum):
    """Output formats of ``bundle``."""

    JSON = "json"
    YAML = "yaml"


def bundle(
    contract: Annotated[str, typer.Argument(help="A contract id of the catalog, or a contract file.")],
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", help="Write the bundle to this file (atomically); `-` or none: stdout."),
    ] = None,
    format: Annotated[
        BundleFormat | None,
        typer.Option("--format", "-f", help="Output format. Default: yaml for a .yaml/.yml output file, else json."),
    ] = None,
    catalog: CatalogOption = None,
    root: RootOption = None,
    max_bytes: MaxBytesOption = None,
    allow_remote_refs: RemoteOption = False,
) -> None:
    """Bundle a multi-file contract into one self-contained document.

    Refs to other files (contracts/common/...) become local refs to `components`, under the target's own name;
    local refs and recursion are kept. The bundle validates and compares equal to its source.
    """
    from contractkit import bundle_contract, dump_bundle

    with error_boundary():
        to_stdout = output in (None, "-")
        chosen = format or (
            BundleFormat.YAML if not to_stdout and Path(str(output)).suffix in (".yaml", ".yml") else BundleFormat.JSON
        )
        data = bundle_contract(
            contract, catalog=catalog, root=root, max_bytes=max_bytes, allow_remote_refs=allow_remote_refs
        )
        text = dump_bundle(data, chosen.value)
        if to_stdout:
            sys.stdout.write(text)
            sys.stdout.flush()
        else:
            write_atomic(Path(str(output)), text)
    raise typer.Exit(EXIT_OK)


def package(
    contracts: Annotated[
        list[str] | None,
        typer.Argument(help="Contract ids of the catalog. Default: every contract.", show_default=False),
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="The folder the wheels are written to.")] = Path("dist"),
    generated: Annotated[
        Path | None,
        typer.Option("--generated", help="The output folder of `contractkit gen`. Default: generated/."),
    ] = None,
    prefix: Annotated[
        str | None,
        typer.Option(
            "--prefix",
            help="Distribution name prefix. Default: the catalog's codegen.package.distribution-prefix, or contracts.",
        ),
    ] = None,
    catalog: CatalogOption = None,
) -> None:
    """Build one installable wheel per contract and major version from the generated models.

    A wheel `<prefix>-<id>-v<major>` (version: the contract's info.version; depends on pydantic only) holds the
    package `<id_>.v<major>` with its models, the bundled contract (`CONTRACT`) and the shared models. Refuses
    when generated/ is missing or out of date: run `contractkit gen` first. Prints the wheels' paths.
    """
    from contractkit import build_packages

    with error_boundary():
        found, _ = catalog_contracts(contracts or [], find_catalog(catalog))
        wheels = build_packages(found, contracts or [], out, generated_dir=generated, prefix=prefix)
        for wheel in wheels:
            sys.stdout.write(f"{wheel}\n")
    raise typer.Exit(EXIT_OK)


def register(app: typer.Typer) -> None:
    """Add ``bundle`` and ``package`` to ``app``."""
    app.command("bundle", short_help="Bundle a multi-file contract into one self-contained document.")(bundle)
    app.command("package", short_help="Build installable wheels of the generated models.")(package)
