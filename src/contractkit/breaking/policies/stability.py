"""The stability policy: a draft may change freely, and a promise of stability may not be taken back.

A contract is *draft* when its catalog ``lifecycle`` is ``draft`` or its ``info`` says ``x-stability-level:
draft`` (or ``alpha``), in the base or in the revision; an operation is when its own ``x-stability-level`` says
so (on either side). The breaking and possibly breaking changes of a draft contract, or of a draft operation
(by the finding's operation label), become ``info``, their message suffixed ``(draft: may change freely)``.
``beta`` and ``stable`` change nothing. A level that goes down (``stable`` -> ``beta``, ``alpha`` or ``draft``)
on ``info`` or on an operation present in both versions is ``stability-decreased`` (``error``). An operation
without a level has its contract's level (an unmarked contract is ``stable``, a draft one ``draft``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field

from contractkit.breaking.registry import CHANGE, ERROR, AnyChangeRule, breaking_rule, fired
from contractkit.findings import Finding, Severity
from contractkit.kinds import SpecKind
from contractkit.loaders.document import Cursor, Document
from contractkit.spec.markers import STABILITY_LEVELS, stability_level
from contractkit.spec.walk import operations

__all__ = [
    "FREE_LEVELS",
    "STABILITY_RULES",
    "Stability",
    "decreased_levels",
    "read_stability",
    "soften",
    "stability_decreased",
]

#: Levels at which a contract or an operation may change freely.
FREE_LEVELS = frozenset({"draft", "alpha"})


@dataclass(slots=True)
class Stability:
    """The stability levels one version of a contract declares.

    Attributes:
        contract: the contract's level (``info``, else the catalog's lifecycle: ``draft`` or ``stable``).
        contract_at: where ``info`` declares it (``None`` when it comes from the catalog).
        operations: operation label -> (its own level, where it is declared).
        labels: every operation label of the version.
    """

    contract: str
    contract_at: Cursor | None = None
    operations: dict[str, tuple[str, Cursor]] = field(default_factory=dict)
    labels: set[str] = field(default_factory=set)

    def of(self, label: str) -> str:
        """Return the level of the operation ``label`` (its own, else the contract's)."""
        own = self.operations.get(label)
        return own[0] if own is not None else self.contract


def read_stability(doc: Document, *, draft: bool) -> Stability:
    """Return the levels ``doc`` declares; ``draft`` is the catalog's ``lifecycle: draft``."""
    found = stability_level(doc.cursor().get("info"))
    result = Stability(found[0], found[1]) if found is not None else Stability("draft" if draft else "stable")
    for label, cursor in _operation_cursors(doc).items():
        result.labels.add(label)
        level = stability_level(cursor)
        if level is not None:
            result.operations[label] = level
    return result


def _operation_cursors(doc: Document) -> dict[str, Cursor]:
    if doc.spec.kind is SpecKind.OPENAPI:
        return {op.label: op.cursor for op in operations(doc)}
    from contractkit.breaking.asyncapi import operation_cursors

    return operation_cursors(doc)


def _rank(level: str) -> int:
    return STABILITY_LEVELS.index(level)


def free_level(base: Stability, revision: Stability, operation: str | None) -> str | None:
    """Return the level (``draft``/``alpha``) that lets a change of ``operation`` through, or ``None``."""
    for side in (revision, base):
        if side.contract in FREE_LEVELS:
            return side.contract
    if operation is not None:
        for side in (revision, base):
            own = side.operations.get(operation)
            if own is not None and own[0] in FREE_LEVELS:
                return own[0]
    return None


def soften(findings: Iterable[Finding], base: Stability, revision: Stability) -> list[Finding]:
    """Return ``findings`` with the breaking and possibly breaking changes of draft parts made ``info``."""
    result = []
    for finding in findings:
        level = free_level(base, revision, finding.operation)
        if level is not None and finding.severity.at_least(Severity.WARNING):
            finding = dataclasses.replace(
                finding, severity=Severity.INFO, message=f"{finding.message} ({level}: may change freely)"
            )
        result.append(finding)
    return result


#: The stability rule, called with the level of the base and the revision's, and the operation (``None``: the
#: contract's ``info``).
STABILITY_RULES: list[AnyChangeRule] = []


@breaking_rule(
    id="stability-decreased",
    level=ERROR,
    direction="stability",
    summary="clients built on a promise of stability (`x-stability-level`) lose it: a lower level lets the contract "
    "break them later without notice",
    fix="keep the level; publish the less stable form as a new operation (or contract) with its own level.",
    category=CHANGE,
    specs=(SpecKind.OPENAPI, SpecKind.ASYNCAPI),
    group=STABILITY_RULES,
)
def stability_decreased(was: str, now: str, operation: str | None) -> str | None:
    """The `x-stability-level` of the contract (its `info`) or of an operation went down, say `stable` to `beta`.

    Clients chose the contract on that promise; a lower level (down to `draft` or `alpha`, which may change
    freely) lets it break them later without notice. An operation without a level has its contract's.
    """
    if _rank(now) >= _rank(was):
        return None
    whose = "contract" if operation is None else "operation"
    return f"the {whose}'s stability level went down from `{was}` to `{now}`"


def decreased_levels(
    base: Stability, revision: Stability, base_doc: Document, revision_doc: Document, contract: str | None
) -> list[Finding]:
    """Return what :data:`STABILITY_RULES` say about ``info`` and about each operation of both versions."""
    found: list[Finding] = []
    for rule, message in fired(STABILITY_RULES, base.contract, revision.contract, None):
        at = revision.contract_at or revision_doc.cursor().get("info") or revision_doc.cursor()
        found.append(_finding(rule, message, at, base.contract_at, None, contract))
    for label in sorted(base.labels & revision.labels):
        if label not in base.operations and label not in revision.operations:
            continue  # both inherit the contract's level: reported once, above
        for rule, message in fired(STABILITY_RULES, base.of(label), revision.of(label), label):
            own = revision.operations.get(label)
            before = base.operations.get(label)
            at = own[1] if own is not None else _operation_cursors(revision_doc)[label]
            found.append(_finding(rule, message, at, before[1] if before is not None else None, label, contract))
    return found


def _finding(
    rule: AnyChangeRule, message: str, at: Cursor, before: Cursor | None, operation: str | None, contract: str | None
) -> Finding:
    return Finding(
        rule.id,
        rule.level,
        message,
        at.location,
        operation=operation,
        hint=rule.fix,
        contract=contract,
        base_location=before.location if before is not None else None,
    )
