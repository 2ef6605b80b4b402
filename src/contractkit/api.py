"""The library API every command calls: validate and lint contracts, over the catalog or given files.

Example:
    >>> from contractkit import api
    >>> report = api.validate(["b2b-orders"])  # doctest: +SKIP
    >>> report.has_at_least(Severity.ERROR)  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from contractkit.catalog.model import Catalog, Contract
from contractkit.catalog.reader import load_catalog
from contractkit.errors import ContractkitError, InputError
from contractkit.findings import Finding, Report, Severity
from contractkit.lint.engine import lint_document
from contractkit.loaders.document import Document, load_document
from contractkit.loaders.limits import Limits
from contractkit.targets import Selection, Target, find_catalog, select
from contractkit.validate.catalog_rules import catalog_kind_mismatch, contract_not_in_catalog
from contractkit.validate.engine import validate_document


@dataclass(frozen=True, slots=True)
class Options:
    """What every command accepts besides its targets.

    Attributes:
        catalog: the catalog file (default: found from the working directory).
        root: the folder refs may not leave, for files outside the catalog.
        max_bytes: override of the loader's size limit.
        allow_remote_refs: allow ``http(s)://`` refs.
    """

    catalog: Path | None = None
    root: Path | None = None
    max_bytes: int | None = None
    allow_remote_refs: bool = False


def validate(arguments: list[str], options: Options | None = None) -> Report:
    """Validate the contracts named by ``arguments`` (default: the whole catalog) against their specification."""
    return _run("validate", arguments, options or Options(), validating=True, linting=False)


def lint(arguments: list[str], options: Options | None = None) -> Report:
    """Lint the contracts named by ``arguments`` (default: the whole catalog) with the catalog's house rules."""
    return _run("lint", arguments, options or Options(), validating=False, linting=True)


def check(arguments: list[str], options: Options | None = None) -> Report:
    """Validate and lint, reading every document once: the contract gate over ``contracts/``."""
    return _run("check", arguments, options or Options(), validating=True, linting=True)


def _run(command: str, arguments: list[str], options: Options, *, validating: bool, linting: bool) -> Report:
    catalog = find_catalog(options.catalog)
    selection = select(arguments, catalog, root=options.root)
    limits = _limits(catalog, options)
    report = Report(command)
    steps: list[Callable[[Document, Target], list[Finding]]] = []
    if validating:
        steps.append(_validate_one)
    if linting:
        steps.append(lambda doc, target: _lint_one(doc, target, catalog))
    for target in selection.targets:
        report.checked.append(target.name)
        try:
            doc = load_document(target.path, root_dir=target.root_dir, limits=limits)
            for step in steps:
                report.extend(step(doc, target))
        except InputError as exc:
            report.errors.append(exc)
    if validating and catalog is not None and selection.whole_catalog:
        report.extend(_strays(catalog))
    return report


def _validate_one(doc: Document, target: Target) -> list[Finding]:
    contract = target.contract
    findings = validate_document(doc, contract=contract.id if contract else None)
    mismatch = kind_mismatch(doc, contract) if contract is not None else None
    if mismatch is not None:
        findings.append(mismatch)
    return findings


def kind_mismatch(doc: Document, contract: Contract) -> Finding | None:
    """Return the finding for a contract whose catalog ``kind`` is not what its file is, else ``None``."""
    found = catalog_kind_mismatch.findings(catalog_kind_mismatch(doc, contract), contract.id)
    return found[0] if found else None


def _lint_one(doc: Document, target: Target, catalog: Catalog | None) -> list[Finding]:
    contract = target.contract
    owner = target.catalog or catalog
    policy = owner.policy_for(contract) if owner is not None else None
    return lint_document(doc, policy, contract=contract.id if contract else None)


def _strays(catalog: Catalog) -> list[Finding]:
    return contract_not_in_catalog.findings(contract_not_in_catalog(catalog))


def _limits(catalog: Catalog | None, options: Options) -> Limits:
    base = catalog.limits if catalog is not None else Limits()
    return base.overridden(max_bytes=options.max_bytes, allow_remote=options.allow_remote_refs)


def fails(report: Report, fail_on: Severity) -> bool:
    """Return whether ``report`` should fail a command run with ``--fail-on fail_on``."""
    return report.has_at_least(fail_on)


__all__ = ["ContractkitError", "Options", "Selection", "check", "fails", "lint", "load_catalog", "validate"]
