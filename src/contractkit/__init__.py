"""contractkit as a library: what the ``contractkit`` command does, as functions (docs/library.md).

    >>> import contractkit
    >>> report = contractkit.check([])                       # doctest: +SKIP  (the whole catalog: validate + lint)
    >>> contractkit.fails(report, contractkit.Severity.ERROR)  # doctest: +SKIP

One function per command: :func:`validate`, :func:`lint`, :func:`check`, :func:`check_breaking` (``breaking`` and,
with ``command="changelog"``, ``changelog``), :func:`run_gate` (``ci``), :func:`generate` (``gen``),
:func:`bundle_contract` (``bundle``), :func:`build_packages` (``package``), :func:`run_fuzz` and
:func:`run_message_fuzz` (``fuzz``), :class:`DeadLetterQueue` (``dlq``), :func:`all_rules` (``rules``), and what
the command line needs around them (:func:`plan_gate`, :func:`target_base`, :func:`find_catalog`...); their option
and result types; :class:`Finding`, :class:`Severity`, :class:`Location`; the error tree under
:class:`ContractkitError`; the runtime middleware. Every name is imported on first use, so ``import contractkit``
costs nothing and a service with ``contractkit[runtime]`` alone never imports the command line's dependencies.
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from contractkit.api import Options, check, fails, lint, validate
    from contractkit.breaking.changelog import ChangeReport
    from contractkit.breaking.run import BreakingOptions, Command, check_breaking
    from contractkit.codegen.bundle import bundle_contract, dump_bundle
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
    from contractkit.fuzz.operations import select_operations
    from contractkit.fuzz.options import FuzzOptions
    from contractkit.fuzz.result import FuzzResult
    from contractkit.fuzz.runner import run_fuzz
    from contractkit.fuzz.spec import load_fuzz_spec, resolve_base_url
    from contractkit.gate.changes import target_base
    from contractkit.gate.model import GateResult
    from contractkit.gate.run import GateOptions, plan_gate, run_gate
    from contractkit.messagefuzz import MessageFuzzOptions, run_message_fuzz
    from contractkit.messaging.dlq import DeadLetterQueue, DeadLetterSelection, group_by_reason
    from contractkit.messaging.dlq_report import DeadLetterAction, DeadLetterListing, DeadLetterShown
    from contractkit.rulebook import all_rules
    from contractkit.runtime import ContractValidationMiddleware, RequestValidator, WSGIContractValidationMiddleware
    from contractkit.targets import catalog_contracts, find_catalog

#: Each public name -> the module that defines it.
_EXPORTS = {
    "BreakingOptions": "contractkit.breaking.run",
    "ChangeReport": "contractkit.breaking.changelog",
    "Command": "contractkit.breaking.run",
    "ConfigError": "contractkit.errors",
    "ContractInvalid": "contractkit.errors",
    "ContractNotFound": "contractkit.errors",
    "ContractSyntaxError": "contractkit.errors",
    "ContractValidationMiddleware": "contractkit.runtime",
    "ContractkitError": "contractkit.errors",
    "DeadLetterAction": "contractkit.messaging.dlq_report",
    "DeadLetterListing": "contractkit.messaging.dlq_report",
    "DeadLetterQueue": "contractkit.messaging.dlq",
    "DeadLetterSelection": "contractkit.messaging.dlq",
    "DeadLetterShown": "contractkit.messaging.dlq_report",
    "Finding": "contractkit.findings",
    "FuzzOptions": "contractkit.fuzz.options",
    "FuzzResult": "contractkit.fuzz.result",
    "GateOptions": "contractkit.gate.run",
    "GateResult": "contractkit.gate.model",
    "GenResult": "contractkit.codegen.gen",
    "InputError": "contractkit.errors",
    "Location": "contractkit.findings",
    "MessageFuzzOptions": "contractkit.messagefuzz",
    "Options": "contractkit.api",
    "Report": "contractkit.findings",
    "RequestValidator": "contractkit.runtime",
    "Severity": "contractkit.findings",
    "ToolFailed": "contractkit.errors",
    "UnresolvedRef": "contractkit.errors",
    "UsageError": "contractkit.errors",
    "WSGIContractValidationMiddleware": "contractkit.runtime",
    "all_rules": "contractkit.rulebook",
    "build_packages": "contractkit.codegen.package",
    "bundle_contract": "contractkit.codegen.bundle",
    "catalog_contracts": "contractkit.targets",
    "check": "contractkit.api",
    "check_breaking": "contractkit.breaking.run",
    "dump_bundle": "contractkit.codegen.bundle",
    "fails": "contractkit.api",
    "find_catalog": "contractkit.targets",
    "generate": "contractkit.codegen.gen",
    "group_by_reason": "contractkit.messaging.dlq",
    "lint": "contractkit.api",
    "load_fuzz_spec": "contractkit.fuzz.spec",
    "plan_gate": "contractkit.gate.run",
    "resolve_base_url": "contractkit.fuzz.spec",
    "run_fuzz": "contractkit.fuzz.runner",
    "run_gate": "contractkit.gate.run",
    "run_message_fuzz": "contractkit.messagefuzz",
    "select_operations": "contractkit.fuzz.operations",
    "target_base": "contractkit.gate.changes",
    "validate": "contractkit.api",
}

__all__ = [  # every name is imported on first use (`__getattr__`); tests/library checks the three lists agree
    "BreakingOptions",
    "ChangeReport",
    "Command",
    "ConfigError",
    "ContractInvalid",
    "ContractNotFound",
    "ContractSyntaxError",
    "ContractValidationMiddleware",
    "ContractkitError",
    "DeadLetterAction",
    "DeadLetterListing",
    "DeadLetterQueue",
    "DeadLetterSelection",
    "DeadLetterShown",
    "Finding",
    "FuzzOptions",
    "FuzzResult",
    "GateOptions",
    "GateResult",
    "GenResult",
    "InputError",
    "Location",
    "MessageFuzzOptions",
    "Options",
    "Report",
    "RequestValidator",
    "Severity",
    "ToolFailed",
    "UnresolvedRef",
    "UsageError",
    "WSGIContractValidationMiddleware",
    "__version__",
    "all_rules",
    "build_packages",
    "bundle_contract",
    "catalog_contracts",
    "check",
    "check_breaking",
    "dump_bundle",
    "fails",
    "find_catalog",
    "generate",
    "group_by_reason",
    "lint",
    "load_fuzz_spec",
    "plan_gate",
    "resolve_base_url",
    "run_fuzz",
    "run_gate",
    "run_message_fuzz",
    "select_operations",
    "target_base",
    "validate",
]


#: Public functions that share their name with a subpackage (``contractkit.lint``, ``contractkit.validate``).
_SHADOWED = frozenset({"lint", "validate"})


class _Package(ModuleType):
    """The ``contractkit`` module: its public functions ``lint`` and ``validate`` stay functions.

    When Python first imports the subpackage ``contractkit.lint`` (the engine behind the function), it binds the
    subpackage to the package's attribute ``lint``: the function would then be a module for every later caller,
    depending on what was imported first. The binding is refused; ``import contractkit.lint.rules`` and
    ``sys.modules`` work as always.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _SHADOWED and isinstance(value, ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


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
