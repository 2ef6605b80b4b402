"""contractkit as a library: what the ``contractkit`` command does, as functions (docs/library.md).

    >>> import contractkit
    >>> report = contractkit.check([])                       # doctest: +SKIP  (the whole catalog: validate + lint)
    >>> contractkit.fails(report, contractkit.Severity.ERROR)  # doctest: +SKIP

One function per command: :func:`validate`, :func:`lint`, :func:`check`, :func:`check_breaking` (``breaking`` and,
with ``command="changelog"``, ``changelog``), :func:`run_gate` (``ci``), :func:`generate` (``gen``),
:func:`bundle_contract` (``bundle``), :func:`build_packages` (``package``), :func:`run_fuzz` (``fuzz``); their option
and result types; :class:`Finding`, :class:`Severity`, :class:`Location`; the error tree under
:class:`ContractkitError`; the runtime middleware. Every name is imported on first use, so ``import contractkit``
costs nothing and a service with ``contractkit[runtime]`` alone never imports the command line's dependencies.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from contractkit.api import Options, check, fails, lint, validate
    from contractkit.breaking.changelog import ChangeReport
    from contractkit.breaking.run import BreakingOptions, check_breaking
    from contractkit.codegen.bundle import bundle_contract
    from contractkit.codegen.gen import GenResult, generate
    from contractkit.codegen.package import build_packages
    from contractkit.errors import (
        ConfigError,
        ContractInvalid,
        ContractkitError,
        ContractNotFound,
        ContractSyntaxError,
        InputError,
        ToolFailed,
        UnresolvedRef,
        UsageError,
    )
    from contractkit.findings import Finding, Location, Report, Severity
    from contractkit.fuzz.options import FuzzOptions
    from contractkit.fuzz.runner import run_fuzz
    from contractkit.gate.model import GateResult
    from contractkit.gate.run import GateOptions, run_gate
    from contractkit.runtime import ContractValidationMiddleware, RequestValidator, WSGIContractValidationMiddleware

#: Each public name -> the module that defines it.
_EXPORTS = {
    "BreakingOptions": "contractkit.breaking.run",
    "ChangeReport": "contractkit.breaking.changelog",
    "ConfigError": "contractkit.errors",
    "ContractInvalid": "contractkit.errors",
    "ContractNotFound": "contractkit.errors",
    "ContractSyntaxError": "contractkit.errors",
    "ContractValidationMiddleware": "contractkit.runtime",
    "ContractkitError": "contractkit.errors",
    "Finding": "contractkit.findings",
    "FuzzOptions": "contractkit.fuzz.options",
    "GateOptions": "contractkit.gate.run",
    "GateResult": "contractkit.gate.model",
    "GenResult": "contractkit.codegen.gen",
    "InputError": "contractkit.errors",
    "Location": "contractkit.findings",
    "Options": "contractkit.api",
    "Report": "contractkit.findings",
    "RequestValidator": "contractkit.runtime",
    "Severity": "contractkit.findings",
    "ToolFailed": "contractkit.errors",
    "UnresolvedRef": "contractkit.errors",
    "UsageError": "contractkit.errors",
    "WSGIContractValidationMiddleware": "contractkit.runtime",
    "build_packages": "contractkit.codegen.package",
    "bundle_contract": "contractkit.codegen.bundle",
    "check": "contractkit.api",
    "check_breaking": "contractkit.breaking.run",
    "fails": "contractkit.api",
    "generate": "contractkit.codegen.gen",
    "lint": "contractkit.api",
    "run_fuzz": "contractkit.fuzz.runner",
    "run_gate": "contractkit.gate.run",
    "validate": "contractkit.api",
}

__all__ = [  # every name is imported on first use (`__getattr__`); tests/library checks the three lists agree
    "BreakingOptions",
    "ChangeReport",
    "ConfigError",
    "ContractInvalid",
    "ContractNotFound",
    "ContractSyntaxError",
    "ContractValidationMiddleware",
    "ContractkitError",
    "Finding",
    "FuzzOptions",
    "GateOptions",
    "GateResult",
    "GenResult",
    "InputError",
    "Location",
    "Options",
    "Report",
    "RequestValidator",
    "Severity",
    "ToolFailed",
    "UnresolvedRef",
    "UsageError",
    "WSGIContractValidationMiddleware",
    "__version__",
    "build_packages",
    "bundle_contract",
    "check",
    "check_breaking",
    "fails",
    "generate",
    "lint",
    "run_fuzz",
    "run_gate",
    "validate",
]


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use (and keep it)."""
    if name == "__version__":
        from importlib import metadata

        try:
            value: Any = metadata.version("contractkit")
        except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
            value = "unknown"
    elif name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
    else:
        raise AttributeError(f"module 'contractkit' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
