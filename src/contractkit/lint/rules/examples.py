"""House rule for examples (OpenAPI 3.0/3.1, AsyncAPI 2.x/3.x): every example validates against its schema.

Each schema goes through the one schema normaliser (:mod:`contractkit.spec.normalise`, external refs inlined
first, as for the middleware) and is validated by jsonschema's 2020-12 validator: an example lint accepts is a
body the middleware accepts (``tests/workflow/test_parts_agree.py``). Each schema is converted once per
direction however many examples use it; one that reaches a broken ref is skipped (validation reports the ref).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

import jsonschema
from jsonschema import Draft7Validator, Draft202012Validator, FormatChecker
from jsonschema.protocols import Validator
from openapi_schema_validator import oas30_format_checker, oas31_format_checker

from contractkit.errors import UnresolvedRef
from contractkit.findings import Severity
from contractkit.kinds import SpecKind
from contractkit.lint.context import LintContext
from contractkit.lint.registry import lint_rule
from contractkit.loaders.document import Cursor, Document
from contractkit.loaders.pointer import to_pointer
from contractkit.loaders.source import SourceFile
from contractkit.loaders.types import JsonValue
from contractkit.schema_errors import describe, instance_path, most_specific, short
from contractkit.schema_regex import with_bounded_patterns
from contractkit.spec.flatten import Flattener, inline_external
from contractkit.spec.normalise import DISCRIMINATOR, Dialect, SchemaConverter, dialect_of
from contractkit.spec.normalise import Direction as NormalDirection
from contractkit.spec.walk import Operation, callback_operations, messages, operations, path_operations

Direction = Literal["plain", "read", "write"]
Identity = tuple[str, tuple[str, ...]]

# Where a schema holds subschemas: a mapping of them, a list of them, or one.
_SCHEMA_MAPS = frozenset(("properties", "patternProperties", "definitions", "$defs", "dependentSchemas"))
_SCHEMA_LISTS = frozenset(("allOf", "anyOf", "oneOf", "prefixItems", "items"))
_SCHEMA_ONE = frozenset((
    "additionalProperties", "items", "additionalItems", "not", "contains", "if", "then", "else", "propertyNames",
    "unevaluatedItems", "unevaluatedProperties", "contentSchema",
))  # fmt: skip
_JSON_SCHEMA_FORMATS = ("application/vnd.aai.asyncapi", "application/schema+json", "application/schema+yaml")
# A schema the validator cannot apply (an unknown `type`, a regex it cannot compile, `minimum: "5"`,
# `properties: 5`, `$ref: {}`, `multipleOf: 0`, a ref loop with no data in between) is validation's business:
# the example is skipped.
_UNUSABLE = (
    jsonschema.exceptions.UnknownType, jsonschema.exceptions.SchemaError, re.error, RecursionError, TypeError,
    AttributeError, ValueError, ArithmeticError,
)  # fmt: skip


def _format_checker(*checkers: FormatChecker) -> FormatChecker:
    """Return one checker with the formats of all ``checkers`` (later ones win)."""
    combined = FormatChecker(formats=())
    for checker in checkers:
        combined.checkers.update(checker.checkers)
    return combined


#: How lint's directions read in the normaliser: a request is written by a client, a response read by one.
_DIRECTIONS: dict[Direction, NormalDirection] = {"plain": "plain", "read": "response", "write": "request"}
_HIDDEN = {"read": "writeOnly", "write": "readOnly"}


def _validator_class(doc: Document) -> tuple[type[Validator], FormatChecker]:
    """Return the validator of ``doc``'s normalised schemas (patterns matched in bounded time) and its formats."""
    standard = Draft202012Validator.FORMAT_CHECKER
    if doc.spec.kind is SpecKind.ASYNCAPI:
        formats = Draft7Validator.FORMAT_CHECKER
    elif doc.spec.major_minor == "3.0":
        formats = _format_checker(standard, oas30_format_checker)
    else:
        formats = _format_checker(standard, oas31_format_checker)
    return with_bounded_patterns(Draft202012Validator), formats


class _Schemas:
    """The schemas of a document, external refs inlined, normalised once per schema and direction.

    In OpenAPI 3.1 the siblings of a ``$ref`` apply (3.0 and AsyncAPI's draft-07 ignore them). A schema that
    reaches a broken ref has no normalised form (``None``): validation reports the ref.
    """

    def __init__(self, doc: Document, *, openapi: bool) -> None:
        self.doc = doc
        self.openapi = openapi
        self.root = inline_external(doc)
        self.dialect: Dialect = dialect_of(self.root) if openapi else "draft-07"
        self.siblings = self.dialect == "oas3.1"
        self._inliner = Flattener(doc)
        self._converters: dict[Direction, SchemaConverter] = {}
        self._memo: dict[tuple[Identity, Direction], dict[str, Any] | None] = {}

    def at(self, holder: Cursor, key: str) -> JsonValue | None:
        """Return the schema at ``holder[key]`` with its external refs inlined (``None``: there is none)."""
        raw = holder.raw(key)
        return None if raw is None else self.below(holder, (key,), raw)

    def below(self, parent: Cursor, tokens: tuple[str, ...], raw: JsonValue) -> JsonValue | None:
        """Return the schema ``raw`` at ``tokens`` below ``parent``, its external refs inlined."""
        return self._inliner.walk(parent.file, raw, (*parent.parts, *tokens))

    def of(self, cursor: Cursor) -> JsonValue | None:
        """Return the schema node ``cursor``, its external refs inlined."""
        return self._inliner.walk(cursor.file, cursor.value, cursor.parts)

    def follow(self, source: SourceFile, parts: tuple[str, ...], ref: str) -> Cursor | None:
        """Return the node that ``ref``, found at ``parts`` of ``source``, leads to (``None``: broken ref)."""
        try:
            target = self.doc.resolver.follow(source, (*parts, "$ref"), ref)
        except UnresolvedRef:
            return None
        return Cursor(self.doc, target.file, target.parts, target.value)

    def normalised(self, schema: JsonValue, at: Identity, direction: Direction) -> dict[str, Any] | None:
        """Return ``schema`` as JSON Schema 2020-12 for ``direction`` (``None``: it reaches a broken ref)."""
        key = (at, direction)
        if key not in self._memo:
            converter = self._converters.get(direction)
            if converter is None:
                hidden = _HIDDEN.get(direction)
                marked: dict[str, Any] | bool = {"not": {}, "$comment": hidden} if hidden else False
                converter = SchemaConverter(
                    self.root, direction=_DIRECTIONS[direction], dialect=self.dialect, hidden=marked
                )
                self._converters[direction] = converter
            root = converter.root_schema(schema)
            broken = converter.broken.intersection(converter.reached(root))
            self._memo[key] = None if broken else root
        return self._memo[key]


@dataclass(frozen=True, slots=True)
class _Task:
    """One example to validate: its value, the node it is at, the schema copy and how to name it."""

    value: JsonValue
    at: Cursor
    schema: JsonValue
    schema_at: Identity
    direction: Direction
    what: str
    operation: str | None


@dataclass(slots=True)
class _Collector:
    """Finds the examples of a document and the schema each must match."""

    doc: Document
    schemas: _Schemas
    tasks: list[_Task] = field(default_factory=list)
    _seen_examples: set[tuple[Identity, Identity, Direction]] = field(default_factory=set)
    _seen_schemas: set[Identity] = field(default_factory=set)
    _seen_operations: set[Identity] = field(default_factory=set)

    def add(
        self,
        node: Cursor,
        schema: JsonValue,
        schema_at: Identity,
        direction: Direction,
        what: str,
        operation: str | None,
    ) -> None:
        """Queue the example at ``node`` once per schema and direction."""
        key = (node.identity, schema_at, direction)
        if node.value is not None and key not in self._seen_examples:
            self._seen_examples.add(key)
            self.tasks.append(_Task(node.value, node, schema, schema_at, direction, what, operation))

    def examples(self, holder: Cursor, direction: Direction, subject: str, operation: str | None) -> None:
        """Queue the `example` and `examples` of a media type, parameter or header against its `schema`."""
        self.walk_schema(holder, "schema")
        schema = self.schemas.at(holder, "schema")
        if schema is None or not isinstance(holder.value, dict):
            return
        schema_at = (holder.file.name, (*holder.parts, "schema"))
        if "example" in holder.value:
            node = Cursor(self.doc, holder.file, (*holder.parts, "example"), holder.value["example"])
            self.add(node, schema, schema_at, direction, f"example{subject}", operation)
        examples = holder.get("examples")
        for name, example in examples.items() if examples is not None else ():
            if isinstance(example.value, dict) and "value" in example.value:
                node = Cursor(self.doc, example.file, (*example.parts, "value"), example.value["value"])
                self.add(node, schema, schema_at, direction, f"example `{name}`{subject}", operation)

    def walk_schema(self, holder: Cursor, key: str) -> None:
        """Queue the schema-level examples of the schema at ``holder[key]`` and of all its subschemas."""
        raw = holder.raw(key)
        if raw is None:
            return
        stack: list[tuple[Cursor, tuple[str, ...], JsonValue]] = [(holder, (key,), raw)]
        while stack:
            parent, tokens, raw = stack.pop()
            node = self._schema_node(parent, tokens, raw)
            if node is None or node.identity in self._seen_schemas or not isinstance(node.value, dict):
                continue
            self._seen_schemas.add(node.identity)
            self._schema_examples(node, None)
            for name, child in node.value.items():
                if name in _SCHEMA_MAPS and isinstance(child, dict):
                    stack.extend((node, (name, k), v) for k, v in child.items())
                elif name in _SCHEMA_LISTS and isinstance(child, list):
                    stack.extend((node, (name, str(i)), v) for i, v in enumerate(child))
                elif name in _SCHEMA_ONE and isinstance(child, dict):
                    stack.append((node, (name,), child))

    def _schema_node(self, parent: Cursor, tokens: tuple[str, ...], raw: JsonValue) -> Cursor | None:
        """Return the schema node at ``tokens`` below ``parent``, following a ref (3.1: checking its siblings)."""
        parts = (*parent.parts, *tokens)
        ref = raw.get("$ref") if isinstance(raw, dict) else None
        if not isinstance(raw, dict) or not isinstance(ref, str):
            return Cursor(self.doc, parent.file, parts, raw)
        if self.schemas.siblings and ("example" in raw or "examples" in raw):
            schema = self.schemas.below(parent, tokens, raw)
            if schema is not None:
                self._schema_examples(Cursor(self.doc, parent.file, parts, raw), schema)
        return self.schemas.follow(parent.file, parts, ref)

    def _schema_examples(self, node: Cursor, schema: JsonValue | None) -> None:
        value = node.value
        assert isinstance(value, dict)  # only called for schema mappings
        multiple = self.doc.spec.kind is SpecKind.ASYNCAPI or self.schemas.siblings
        found: list[tuple[Cursor, str]] = []
        if value.get("example") is not None:
            found.append((Cursor(self.doc, node.file, (*node.parts, "example"), value["example"]), "schema `example`"))
        listed = value.get("examples")
        if multiple and isinstance(listed, list):
            found.extend(
                (Cursor(self.doc, node.file, (*node.parts, "examples", str(i)), item), f"schema `examples[{i}]`")
                for i, item in enumerate(listed)
            )
        schema = self.schemas.of(node) if found and schema is None else schema
        if schema is not None:
            for example, what in found:
                self.add(example, schema, node.identity, "plain", what, None)

    # OpenAPI

    def openapi(self) -> None:
        """Queue every example of an OpenAPI document."""
        for op in operations(self.doc):
            self.operation(op, op.label)
        components = self.doc.cursor().get("components")
        if components is None:
            return
        for _, param in _entries(components, "parameters"):
            self.parameter(param, None)
        for _, body in _entries(components, "requestBodies"):
            self.content(body, "write", "", None)
        for _, response in _entries(components, "responses"):
            self.response(response, None)
        for name, header in _entries(components, "headers"):
            self.header(name, header, None)
        for name, item in _entries(components, "pathItems"):
            for op in path_operations(item, f"path item `{name}`"):
                self.operation(op, op.label)
        for name, callback in _entries(components, "callbacks"):
            for expression, item in callback.items():
                for op in path_operations(item, f"callback `{name}` {expression}"):
                    self.operation(op, op.label)
        schemas = components.get("schemas")
        for name in schemas.value if schemas is not None and isinstance(schemas.value, dict) else ():
            assert schemas is not None
            self.walk_schema(schemas, name)

    def operation(self, found: Operation, label: str) -> None:
        """Queue the examples of an operation: parameters, request body, responses, callbacks."""
        op = found.cursor
        if op.identity in self._seen_operations:
            return
        self._seen_operations.add(op.identity)
        for param in found.parameters():
            self.parameter(param, label)
        body = op.get("requestBody")
        if body is not None:
            self.content(body, "write", "", label)
        for _, response in _entries(op, "responses"):
            self.response(response, label)
        for cb in callback_operations(found):
            self.operation(cb, f"{cb.method.upper()} callback `{cb.callback}` {cb.path} of {label}")

    def parameter(self, param: Cursor, operation: str | None) -> None:
        """Queue the examples of a parameter (by `schema` or by `content`)."""
        name = param.raw("name")
        subject = f" of parameter `{name}`" if isinstance(name, str) else ""
        self.examples(param, "plain", subject, operation)
        self.content(param, "plain", subject, operation)

    def header(self, name: str, header: Cursor, operation: str | None) -> None:
        """Queue the examples of a header (by `schema` or by `content`)."""
        self.examples(header, "plain", f" of header `{name}`", operation)
        self.content(header, "plain", f" of header `{name}`", operation)

    def response(self, response: Cursor, operation: str | None) -> None:
        """Queue the examples of a response body and of its headers."""
        self.content(response, "read", "", operation)
        for name, header in _entries(response, "headers"):
            self.header(name, header, operation)

    def content(self, owner: Cursor, direction: Direction, subject: str, operation: str | None) -> None:
        """Queue the examples of each media type of ``owner``'s `content`."""
        for _, media in _entries(owner, "content"):
            self.examples(media, direction, subject, operation)

    # AsyncAPI

    def asyncapi(self) -> None:
        """Queue every example of an AsyncAPI document: message examples and schema-level examples."""
        for message in messages(self.doc):
            cursor = message.cursor
            # `headers` with traits applied: from the message or the trait that says it, as every engine reads it.
            schemas = {
                "payload": self._message_schema(cursor, cursor, "payload"),
                "headers": self._message_schema(cursor, message.traited.owner("headers"), "headers"),
            }
            examples = cursor.get("examples")
            for index, example in enumerate(examples.elements() if examples is not None else ()):
                if not isinstance(example.value, dict):
                    continue
                name = example.value.get("name")
                label = f"example `{name}`" if isinstance(name, str) else f"example {index}"
                for part, found in schemas.items():
                    if found is None or part not in example.value:
                        continue
                    node = Cursor(self.doc, example.file, (*example.parts, part), example.value[part])
                    self.add(node, found[0], found[1], "plain", f"`{part}` of {label}", None)
        components = self.doc.cursor().get("components")
        section = components.get("schemas") if components is not None else None
        for name in section.value if section is not None and isinstance(section.value, dict) else ():
            assert section is not None
            self.walk_schema(section, name)

    def _message_schema(self, message: Cursor, holder: Cursor | None, part: str) -> tuple[JsonValue, Identity] | None:
        """Return the copy of ``holder[part]`` (a message's or a trait's) and where it is (``None``: no JSON Schema)."""
        node = holder.get(part) if holder is not None else None
        if holder is None or node is None:
            return None
        key = part
        if isinstance(node.value, dict) and "schemaFormat" in node.value and "schema" in node.value:  # 3.x
            schema_format, holder, key = node.value["schemaFormat"], node, "schema"
        else:
            schema_format = message.raw("schemaFormat") if part == "payload" else None
        if isinstance(schema_format, str) and not schema_format.startswith(_JSON_SCHEMA_FORMATS):
            return None  # Avro, RAML, ...: not JSON Schema
        self.walk_schema(holder, key)
        schema = self.schemas.at(holder, key)
        return None if schema is None else (schema, (holder.file.name, (*holder.parts, key)))


def _entries(owner: Cursor, key: str) -> Iterator[tuple[str, Cursor]]:
    section = owner.get(key)
    return section.items() if section is not None else iter(())


def _describe(error: jsonschema.ValidationError, path: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """Return the message for one (most specific) error, with OpenAPI's keywords explained, and where it is."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    marked = schema.get("$comment")
    if error.validator == "required" and isinstance(error.instance, dict) and isinstance(error.validator_value, list):
        missing = [f"`{name}`" for name in error.validator_value if name not in error.instance]
        if marked == DISCRIMINATOR:
            return f"missing discriminator property {missing[0]}", path
        return "missing required " + ", ".join(missing), path
    if error.validator == "not" and marked in ("readOnly", "writeOnly"):
        said = "sent in a request" if marked == "readOnly" else "returned in a response"
        return f"a `{marked}` property must not be {said}", path
    if error.validator == "enum" and marked == DISCRIMINATOR and path:
        return f"discriminator `{path[-1]}` value {short(error.instance)} is not mapped to a schema", path[:-1]
    return describe(error), path


def _validate(ctx: LintContext, tasks: list[_Task], schemas: _Schemas) -> None:
    cls, formats = _validator_class(ctx.doc)
    for task in tasks:
        schema = schemas.normalised(task.schema, task.schema_at, task.direction)
        if schema is None:
            continue
        try:
            errors = list(cls(schema, format_checker=formats).iter_errors(task.value))
        except _UNUSABLE:
            continue
        reported: set[tuple[str, ...]] = set()  # one error per place in the example: the first is enough to fix
        for error in errors:
            specific = most_specific(error)
            detail, path = _describe(specific, instance_path(specific))
            if path in reported:
                continue
            reported.add(path)
            where = f" at {to_pointer(path)}" if path else ""
            # Point at the offending value inside the example (examples are inline data: no refs to follow).
            at = task.at.file.location((*task.at.parts, *path)) if path else task.at.location
            ctx.report(
                at,
                f"invalid {task.what}{where}: {detail}",
                operation=task.operation,
                hint="fix the example value, or the schema if the example shows what is really sent",
            )


@lint_rule(
    "example-invalid",
    severity=Severity.ERROR,
    summary="an example that does not match its schema misleads readers, mock servers and generated tests",
    specs=(SpecKind.OPENAPI, SpecKind.ASYNCAPI),
)
def example_invalid(ctx: LintContext) -> None:
    """Examples are copied into documentation, mock servers and tests: one that breaks its own schema teaches a bug.

    OpenAPI: the `example` and each `examples.<name>.value` (refs to `components/examples` followed;
    `externalValue` is not fetched) of media types, parameters and headers, of the operations of `paths`,
    `webhooks` and callbacks and of `components`; and schema-level `example` (and, in 3.1, each entry of
    `examples`) in component and inline schemas. Request bodies are validated as written by a client (a
    `readOnly` property must be absent), responses as read by one (no `writeOnly` property); `nullable` counts
    in 3.0 only, type arrays such as `[string, 'null']` in 3.1. Formats are checked (`date-time`, `email`,
    `uuid`, `int32`...).

    AsyncAPI: each message's `examples[].payload` against its `payload` schema and `examples[].headers` against
    its `headers` schema (JSON Schema draft-07; payloads in other schema formats such as Avro are skipped), and
    schema-level `example`/`examples`.

    Each error names the path inside the example, such as `at /items/0/price`. Examples under a schema that
    cannot be applied (an unknown `type`, a regular expression Python cannot read) are skipped.

    Fix: correct the example, or the schema if the example shows what the API really does.
    """
    openapi = ctx.doc.spec.kind is SpecKind.OPENAPI
    schemas = _Schemas(ctx.doc, openapi=openapi)
    collector = _Collector(ctx.doc, schemas)
    if openapi:
        collector.openapi()
    else:
        collector.asyncapi()
    _validate(ctx, collector.tasks, schemas)
