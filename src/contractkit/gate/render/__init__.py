"""Renderers of a :class:`~contractkit.gate.model.GateResult`, by ``--format`` name (table ``outputs.GATE``).

=============  ==============================================================================
``text``       the CI log: verdict, table, findings with file:line, rule and fix (the default)
``markdown``   a pull-request comment, with the hidden marker ``<!-- contractkit-gate -->``
``github``     GitHub Actions annotations, and the Markdown in ``$GITHUB_STEP_SUMMARY``
``json``       one document, schema ``contractkit-gate/1``
``junit``      JUnit XML, a test suite per contract and a test case per step
=============  ==============================================================================
"""

from __future__ import annotations

from contractkit.gate.model import GateResult
from contractkit.gate.render.markdown import MARKER
from contractkit.outputs import Renderer

__all__ = ["MARKER", "GateRenderer"]

#: Something that renders a gate result to a text stream.
GateRenderer = Renderer[GateResult]
