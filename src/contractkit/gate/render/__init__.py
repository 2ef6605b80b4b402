"""Renderers of a :class:`~contractkit.gate.model.GateResult`, by ``--format`` name.

=============  ==============================================================================
``text``       the CI log: verdict, table, findings with file:line, rule and fix (the default)
``markdown``   a pull-request comment, with the hidden marker ``<!-- contractkit-gate -->``
``github``     GitHub Actions annotations, and the Markdown in ``$GITHUB_STEP_SUMMARY``
``json``       one document, schema ``contractkit-gate/1``
``junit``      JUnit XML, a test suite per contract and a test case per step
=============  ==============================================================================
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from contractkit.gate.render.github import GateGithubRenderer
from contractkit.gate.render.json import GateJsonRenderer
from contractkit.gate.render.junit import GateJunitRenderer
from contractkit.gate.render.markdown import MARKER, GateMarkdownRenderer
from contractkit.gate.render.text import GateTextRenderer

if TYPE_CHECKING:
    from typing import TextIO

    from contractkit.gate.model import GateResult

__all__ = ["GATE_RENDERERS", "MARKER", "GateRenderer"]


class GateRenderer(Protocol):
    """Something that renders a gate result to a text stream."""

    def render(self, result: GateResult, stream: TextIO, *, color: bool = False) -> None:
        """Write ``result`` to ``stream`` (``color``: ANSI colours allowed; only the text format uses them)."""


#: The renderers by ``--format`` name, the default first.
GATE_RENDERERS: dict[str, GateRenderer] = {
    "text": GateTextRenderer(),
    "markdown": GateMarkdownRenderer(),
    "github": GateGithubRenderer(),
    "json": GateJsonRenderer(),
    "junit": GateJunitRenderer(),
}
