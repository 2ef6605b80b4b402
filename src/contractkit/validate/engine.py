"""Structural validation of one document: its refs, then the OpenAPI or AsyncAPI specification."""

from __future__ import annotations

from contractkit.findings import Finding
from contractkit.loaders.document import Document
from contractkit.rules.registry import SpecKind
from contractkit.validate import asyncapi, openapi
from contractkit.validate.rules import ASYNCAPI_STRUCTURE, OPENAPI_STRUCTURE, REF_UNRESOLVED


def validate_document(doc: Document, *, contract: str | None = None) -> list[Finding]:
    """Return every structural problem of ``doc``, each located in the file it comes from.

    Refs that cannot be followed are reported first; the specification is then checked on what can be
    reached (with broken refs, only the root file as written, so that nothing is reported twice).
    """
    findings = [
        Finding(
            REF_UNRESOLVED.id,
            REF_UNRESOLVED.severity,
            problem.detail,
            problem.location or doc.root.location(()),
            hint=problem.tip,
            contract=contract,
        )
        for problem in doc.ref_problems()
    ]
    follow = not findings
    if doc.spec.kind is SpecKind.OPENAPI:
        rule, problems = OPENAPI_STRUCTURE, openapi.structure_problems(doc, follow_refs=follow)
    else:
        rule, problems = ASYNCAPI_STRUCTURE, asyncapi.structure_problems(doc, follow_refs=follow)
    # A problem in a shared schema is met everywhere the schema is used: report each place in the source once.
    unique = dict.fromkeys(problems)
    findings.extend(Finding(rule.id, rule.severity, message, where, contract=contract) for message, where in unique)
    return findings
