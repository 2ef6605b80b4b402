"""The ``--format`` option of a command, read from its table in :mod:`contractkit.outputs`."""

from __future__ import annotations

from typing import Any

import typer

from contractkit.outputs import Formats


def format_option(formats: Formats[Any]) -> Any:
    """Return the ``--format``/``-f`` option whose choices, help and error for an unknown name come from ``formats``.

    The renderers are not imported: the command imports the one chosen when it runs.
    """

    def parse(value: str) -> str:
        if value not in formats:
            raise typer.BadParameter(formats.unknown(value))
        return value

    return typer.Option(
        "--format",
        "-f",
        help=formats.help(),
        metavar="<" + "|".join(formats) + ">",
        parser=parse,
        autocompletion=lambda: list(formats),
    )
