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

from typing import TYPE_CHECKING

from contractkit.gate.render.markdown import MARKER
from contractkit.outputs import GATE, Renderer

if TYPE_CHECKING:
    from contractkit.gate.model import GateResult
    from contractkit.outputs import Formats

__all__ = ["GATE_RENDERERS", "MARKER", "GateRenderer"]

#: Something that renders a gate result to a text stream.
GateRenderer = Renderer["GateResult"]

#: The renderers by ``--format`` name, the default first: the table in :mod:`contractkit.outputs`.
GATE_RENDERERS: Formats[GateResult] = GATE
