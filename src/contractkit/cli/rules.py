"""``contractkit rules``: every rule of every engine, as a table, Markdown (docs/rules.md) or JSON."""

from __future__ import annotations

import enum
from typing import Annotated

import typer

from contractkit.cli._errors import error_boundary
from contractkit.rulebook.docs import render_rules


class RulesFormat(enum.StrEnum):
    """Output formats of ``contractkit rules``."""

    TEXT = "text"
    MARKDOWN = "markdown"
    JSON = "json"


def register(app: typer.Typer) -> None:
    """Add ``rules`` to ``app``."""

    @app.command("rules")
    def rules(
        format: Annotated[RulesFormat, typer.Option("--format", "-f", help="Output format.")] = RulesFormat.TEXT,
    ) -> None:
        """List every rule with its engine, default severity and rationale."""
        with error_boundary():
            typer.echo(render_rules(format.value), nl=False)
