"""``contractkit ci``: the pull-request gate over the contracts a change affects.

:func:`plan_gate` says which contracts a change affects and why; :func:`run_gate` checks them (validate, lint,
breaking, semver, gen --check) and returns a :class:`GateResult`; the table ``GATE`` of :mod:`contractkit.outputs`
turns it into text, Markdown, GitHub annotations, JSON or JUnit. See docs/gate.md.
"""

from __future__ import annotations

from contractkit.gate.model import Accepted, Affected, Base, ContractResult, GateResult, Plan, Reason
from contractkit.gate.run import GateOptions, plan_gate, run_gate

__all__ = [
    "Accepted",
    "Affected",
    "Base",
    "ContractResult",
    "GateOptions",
    "GateResult",
    "Plan",
    "Reason",
    "plan_gate",
    "run_gate",
]
