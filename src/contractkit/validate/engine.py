"""Structural validation of one document: its refs, then the OpenAPI or AsyncAPI specification."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator

from contractkit.findings import Finding, Location
from contractkit.kinds import SpecKind
from contractkit.loaders.document import Document
from contractkit.loaders.types import JsonValue
from contractkit.validate import asyncapi, openapi
from contractkit.validate.rules import Said, validate_rule


def validate_document(doc: Document, *, contract: str | None = None) -> list[Finding]:
    """Return every structural problem of ``doc``, each located in the file it comes from.

    Refs that cannot be followed are reported first; the specification is then checked on what can be
    reached (with broken refs, only the root file as written, so that nothing is reported twice).
    """
    findings = ref_unresolved.findings(ref_unresolved(doc), contract)
    follow = not findings
    structure = openapi_structure if doc.spec.kind is SpecKind.OPENAPI else asyncapi_structure
    findings += structure.findings(structure(doc, follow), contract)
    return findings


@validate_rule(
    "ref-unresolved",
    summary="every `$ref` must lead somewhere: missing files or pointers, remote refs, refs leaving the contracts root "
    "and circular chains are refused",
)
def ref_unresolved(doc: Document) -> Iterator[Said]:
    """A `$ref` that leads nowhere makes every tool read a different contract, or none.

    A missing file or pointer, a remote URL (contracts are read offline, from the repository), a ref that leaves
    the contracts root, or a chain of refs that comes back to itself: each is reported where the `$ref` is
    written, and the specification check then reads only the root file, so nothing is reported twice.
    """
    for problem in doc.ref_problems():
        yield Said(problem.detail, problem.location or doc.root.location(()), problem.tip)


@validate_rule(
    "openapi-structure",
    summary="the document must follow the OpenAPI 3.0/3.1 specification (openapi-spec-validator)",
    specs=(SpecKind.OPENAPI,),
)
def openapi_structure(doc: Document, follow: bool) -> Iterator[Said]:
    """The document breaks the OpenAPI 3.0/3.1 specification, as openapi-spec-validator reads it.

    Each problem is located in the file and line it comes from (a shared schema's once, not once per use), and
    numbers no JSON can hold (YAML's `.inf`, `.nan`, `1.0e+400`) are refused too: every JSON tool chokes on them.
    """
    yield from _structure(doc, openapi.structure_problems(doc, follow_refs=follow), follow)


@validate_rule(
    "asyncapi-structure",
    summary="the document must follow the AsyncAPI 2.6/3.0 specification (the official JSON Schemas)",
    specs=(SpecKind.ASYNCAPI,),
)
def asyncapi_structure(doc: Document, follow: bool) -> Iterator[Said]:
    """The document breaks the AsyncAPI 2.x/3.x specification, as its official JSON Schemas read it.

    Located as OpenAPI problems are: in the file and line they come from, once per place in the source.
    """
    yield from _structure(doc, asyncapi.structure_problems(doc, follow_refs=follow), follow)


def _structure(doc: Document, problems: Iterable[tuple[str, Location]], follow: bool) -> Iterator[Said]:
    # A problem in a shared schema is met everywhere the schema is used: report each place in the source once.
    unique = dict.fromkeys(problems)
    if follow:
        unique.update(dict.fromkeys(_not_json_numbers(doc)))
    for message, where in unique:
        yield Said(message, where)


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
