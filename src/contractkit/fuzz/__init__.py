"""Fuzzing a live service (or an in-process app) with its contract, through Schemathesis.

Schemathesis is the optional ``fuzz`` extra: nothing here imports it until a run starts
(:func:`run_fuzz`), so ``contractkit[cli]`` works without it and says what to install when it is needed.

The in-process pytest entry point is :func:`contractkit.fuzz.pytest.contract_suite`.
"""

from contractkit.fuzz.errors import ServiceUnreachable
from contractkit.fuzz.options import DEFAULT_CHECKS, KNOWN_CHECKS, PHASES, FuzzOptions
from contractkit.fuzz.report import render_junit, render_markdown, render_text
from contractkit.fuzz.result import FailedCheck, FuzzResult, OperationRun, RunError
from contractkit.fuzz.runner import run_fuzz
from contractkit.fuzz.spec import FuzzSpec, load_fuzz_spec, resolve_base_url

__all__ = [
    "DEFAULT_CHECKS",
    "KNOWN_CHECKS",
    "PHASES",
    "FailedCheck",
    "FuzzOptions",
    "FuzzResult",
    "FuzzSpec",
    "OperationRun",
    "RunError",
    "ServiceUnreachable",
    "load_fuzz_spec",
    "render_junit",
    "render_markdown",
    "render_text",
    "resolve_base_url",
    "run_fuzz",
]
