"""Structural validation of one document: its refs, then the OpenAPI or AsyncAPI specification."""

from __future__ import annotations

import math
from collections.abc import Iterator

from contractkit.findings import Finding, Location
from contractkit.kinds import SpecKind
from contractkit.loaders.document import Document
from contractkit.loaders.types import JsonValue
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
    if follow:
        unique.update(dict.fromkeys(_not_json_numbers(doc)))
    findings.extend(Finding(rule.id, rule.severity, message, where, contract=contract) for message, where in unique)
    return findings


def _not_json_numbers(doc: Document) -> Iterator[tuple[str, Location]]:
    """Yield the numbers no JSON can hold (YAML ``.inf``, ``.nan``, ``1.0e+400``): every JSON tool chokes on them."""
    for file in doc.files():
        stack: list[tuple[tuple[str, ...], JsonValue]] = [((), file.data)]
        seen: set[int] = set()
        while stack:
            parts, value = stack.pop()
            if isinstance(value, float) and not math.isfinite(value):
                name = f"`{parts[-1]}`" if parts else "the document"
                shown = ".nan" if math.isnan(value) else ("-.inf" if value < 0 else ".inf")
                yield (
                    f"{name} is `{shown}` (infinite, or not a number), which JSON cannot write; a number beyond "
                    "±1.8e308 is read as infinite",
                    file.location(parts),
                )
            elif isinstance(value, dict | list) and id(value) not in seen:
                seen.add(id(value))
                items = value.items() if isinstance(value, dict) else enumerate(value)
                stack.extend(((*parts, str(k)), v) for k, v in items)
