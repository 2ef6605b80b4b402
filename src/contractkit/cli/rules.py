"""``contractkit rules``: every rule of every engine, as a table, Markdown (docs/rules.md) or JSON."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from contractkit.cli._errors import error_boundary
from contractkit.cli._formats import format_option
from contractkit.outputs import RULES


def register(app: typer.Typer) -> None:
    """Add ``rules`` to ``app``."""

    @app.command("rules")
    def rules(format: Annotated[str, format_option(RULES)] = RULES.default) -> None:
        """List every rule with its engine, default severity and rationale."""
        with error_boundary():
            from contractkit import all_rules

            RULES[format].render(all_rules(), sys.stdout)
