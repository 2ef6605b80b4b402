"""What a lint rule sees: the document, the contract, the rule's options, and a way to report."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from contractkit.findings import Finding, Location, Severity
from contractkit.loaders.document import Cursor, Document


@dataclass(slots=True)
class LintContext:
    """One rule's run over one document.

    Attributes:
        doc: the document (walk it with ``doc.cursor()``: refs are followed for you).
        rule_id: the rule being run.
        severity: its severity under the catalog's policy.
        options: the policy's rule options (``problem-schema``, ``trace-headers``, ...).
        contract: the catalog id of the contract, when it is in the catalog.
        findings: what the rule reported so far.
    """

    doc: Document
    rule_id: str
    severity: Severity
    options: Mapping[str, object] = field(default_factory=dict)
    contract: str | None = None
    findings: list[Finding] = field(default_factory=list)

    def report(
        self,
        at: Cursor | Location,
        message: str,
        *,
        operation: str | None = None,
        hint: str | None = None,
    ) -> None:
        """Record a violation at ``at`` (a cursor, or a location)."""
        location = at.location if isinstance(at, Cursor) else at
        self.findings.append(
            Finding(
                self.rule_id, self.severity, message, location, operation=operation, hint=hint, contract=self.contract
            )
        )

    def option(self, name: str, default: object) -> object:
        """Return the option ``name`` from the policy, or ``default``."""
        return self.options.get(name, default)
