"""House rules for reusable components (OpenAPI and AsyncAPI): every component is used."""

from __future__ import annotations

from collections.abc import Iterator

from contractkit.errors import UnresolvedRef
from contractkit.findings import Severity
from contractkit.kinds import SpecKind
from contractkit.lint.context import LintContext
from contractkit.lint.registry import lint_rule
from contractkit.loaders.document import Document
from contractkit.loaders.pointer import escape
from contractkit.loaders.source import SourceFile
from contractkit.loaders.types import JsonValue

_OPENAPI_SECTIONS = (
    "schemas", "responses", "parameters", "examples", "requestBodies", "headers", "securitySchemes", "links",
    "callbacks", "pathItems",
)  # fmt: skip
_ASYNCAPI_SECTIONS = (
    "schemas", "servers", "channels", "operations", "messages", "securitySchemes", "serverVariables", "parameters",
    "correlationIds", "replies", "replyAddresses", "externalDocs", "tags", "operationTraits", "messageTraits",
    "serverBindings", "channelBindings", "operationBindings", "messageBindings",
)  # fmt: skip

Component = tuple[str, str]  # (section, name)


def _walk(value: JsonValue, key: str) -> Iterator[JsonValue]:
    """Yield the value of every mapping entry named ``key``, at any depth of ``value``."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if key in node:
                yield node[key]
            stack.extend(child for child in node.values() if isinstance(child, dict | list))
        elif isinstance(node, list):
            stack.extend(child for child in node if isinstance(child, dict | list))


def _component(doc: Document, file: SourceFile, at: tuple[str, ...], ref: str) -> Component | None:
    """Return the root document's component that the ``$ref`` targets (or reaches into), if any."""
    try:
        target = doc.resolver.resolve_once(file, at, ref)
    except UnresolvedRef:
        return None
    parts = target.parts
    if target.file.name != doc.root.name or len(parts) < 3 or parts[0] != "components":
        return None
    return (parts[1], parts[2])


def _inside(file: SourceFile, at: tuple[str, ...], component: Component, doc: Document) -> bool:
    return file.name == doc.root.name and at[:3] == ("components", *component)


def _used(doc: Document, schemas: set[str]) -> set[Component]:
    """Return the components of the root document that something outside them uses."""
    used: set[Component] = set()
    for file, at, ref in doc.refs():
        component = _component(doc, file, at, ref)
        if component is not None and not _inside(file, at, component, doc):
            used.add(component)
    by_name = doc.spec.kind is SpecKind.OPENAPI or doc.spec.version.startswith("2.")
    for file in doc.files():
        # Security schemes are used by name (OpenAPI, AsyncAPI 2.x): `security: [{scheme: [scopes]}]`.
        for requirements in _walk(file.data, "security") if by_name else ():
            for requirement in requirements if isinstance(requirements, list) else ():
                if isinstance(requirement, dict):
                    used.update(("securitySchemes", name) for name in requirement)
        if doc.spec.kind is SpecKind.OPENAPI:
            # A discriminator `mapping` names schemas by ref or by name, without a `$ref`.
            for discriminator in _walk(file.data, "discriminator"):
                mapping = discriminator.get("mapping") if isinstance(discriminator, dict) else None
                for target in mapping.values() if isinstance(mapping, dict) else ():
                    if not isinstance(target, str):
                        continue
                    if "#" not in target and "/" not in target and target in schemas:
                        used.add(("schemas", target))
                        continue
                    component = _component(doc, file, (), target)
                    if component is not None:
                        used.add(component)
    return used


@lint_rule(
    "component-unused",
    severity=Severity.WARNING,
    summary="an unused component is dead weight that readers and code generators still have to process",
    specs=(SpecKind.OPENAPI, SpecKind.ASYNCAPI),
)
def component_unused(ctx: LintContext) -> None:
    """A component nothing refers to is dead code: generators still emit it, and readers assume it matters.

    Every entry of the root document's `components` (OpenAPI: `schemas`, `responses`, `parameters`,
    `examples`, `requestBodies`, `headers`, `securitySchemes`, `links`, `callbacks`, `pathItems`; AsyncAPI: every
    section, such as `schemas`, `messages`, `channels`, `operations`, `parameters`, `securitySchemes` and the
    bindings) must be the target of a `$ref` somewhere in the document or the files it references. A ref
    inside the component itself does not count, so a schema that only refers to itself is unused. Security
    schemes also count as used when a security requirement names them (OpenAPI, AsyncAPI 2.x), and schemas when
    a `discriminator` `mapping` names them. A component used only by other unused components still counts as
    used: remove those first.

    Fix: remove the component, or refer to it with `$ref` where it was meant to be used.
    """
    doc = ctx.doc
    components = doc.data.get("components") if isinstance(doc.data, dict) else None
    if not isinstance(components, dict):
        return
    sections = _OPENAPI_SECTIONS if doc.spec.kind is SpecKind.OPENAPI else _ASYNCAPI_SECTIONS
    schemas = components.get("schemas")
    used = _used(doc, set(schemas) if isinstance(schemas, dict) else set())
    for section in sections:
        entries = components.get(section)
        if not isinstance(entries, dict):
            continue
        for name in entries:
            if (section, name) in used:
                continue
            pointer = f"#/components/{section}/{escape(name)}"
            if section == "securitySchemes":
                message = f"component `{pointer}` is never used by a security requirement"
                hint = f"remove it, or require it with `security: [{{{name}: []}}]`"
                if doc.spec.kind is SpecKind.ASYNCAPI and not doc.spec.version.startswith("2."):
                    hint = f"remove it, or require it with `security: [{{$ref: '{pointer}'}}]`"
            else:
                message = f"component `{pointer}` is never referenced"
                hint = f"remove it, or use it with `$ref: '{pointer}'`"
            ctx.report(doc.root.location(("components", section, name)), message, hint=hint)
