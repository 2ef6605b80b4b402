"""The ``contractkit`` console script: answers ``--version`` at once and explains a missing ``cli`` extra.

Kept free of heavy imports: ``contractkit[runtime]`` installs this script too (a package has one set of entry
points), without typer; the full command line is imported only when it is there.
"""

from __future__ import annotations

import sys

MISSING_CLI = (
    "error: contractkit's command line is not installed in this environment\n\n"
    "    `{module}` is missing: this contractkit was installed without its `cli` extra (the runtime middleware\n"
    "    needs only `contractkit[runtime]`)\n\n"
    "Tip: pip install 'contractkit[cli]' (add `codegen` or `fuzz` for `contractkit gen`, `package`, `fuzz`).\n"
)


def main() -> None:
    """Run the command line; exit 2 with an install tip when its dependencies are missing."""
    if sys.argv[1:] == ["--version"]:
        sys.stdout.write(f"contractkit {_version()}\n")
        raise SystemExit(0)
    try:
        from contractkit.cli.app import main as run
    except ModuleNotFoundError as exc:
        if exc.name is None or exc.name.split(".")[0] == "contractkit":
            raise
        sys.stderr.write(MISSING_CLI.format(module=exc.name))
        raise SystemExit(2) from None
    run()


def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("contractkit")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"
