"""House rule for examples (OpenAPI 3.0/3.1, AsyncAPI 2.x/3.x): every example validates against its schema.

Schemas are validated as dereferenced copies built through the document's cursor, so refs to other files
work, and each schema is copied once however many examples use it. A recursive ref and a discriminator's
mapping become URNs of those copies in a :mod:`referencing` registry, so the validator follows recursion to
any depth and openapi-schema-validator picks the mapped variant as usual.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import jsonschema
from jsonschema import Draft7Validator, Draft202012Validator, FormatChecker
from jsonschema.protocols import Validator
from jsonschema.validators import extend
from openapi_schema_validator import (
    OAS30ReadValidator,
    OAS30Validator,
    OAS30WriteValidator,
    OAS31Validator,
    oas30_format_checker,
    oas31_format_checker,
)
from referencing import Registry, Specification
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT4, DRAFT7, DRAFT202012, Schema

from contractkit.errors import UnresolvedRef
from contractkit.findings import Severity
from contractkit.kinds import SpecKind
from contractkit.lint.context import LintContext
from contractkit.lint.registry import lint_rule
from contractkit.loaders.document import Cursor, Document
from contractkit.loaders.pointer import parse_pointer, to_pointer
from contractkit.loaders.source import SourceFile
from contractkit.loaders.types import JsonValue
from contractkit.schema_errors import describe, instance_path, most_specific, short
from contractkit.schema_regex import with_bounded_patterns
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
# Keywords that do not constrain an instance, or that would make the copy resolve things on its own.
_DROPPED = frozenset((
    "example", "examples", "description", "title", "externalDocs", "xml", "$comment", "$schema", "$id", "$anchor",
    "$dynamicAnchor", "$dynamicRef", "$recursiveRef", "$recursiveAnchor", "$vocabulary",
))  # fmt: skip
_JSON_SCHEMA_FORMATS = ("application/vnd.aai.asyncapi", "application/schema+json", "application/schema+yaml")
# A schema the validator cannot apply (an unknown `type`, a regex it cannot compile, `minimum: "5"`,
# `properties: 5`, `$ref: {}`, `multipleOf: 0`, a ref loop with no data in between) is validation's business:
# the example is skipped.
_UNUSABLE = (
    jsonschema.exceptions.UnknownType, Unresolvable, re.error, RecursionError, TypeError, AttributeError,
    ValueError, ArithmeticError,
)  # fmt: skip


def _format_checker(*checkers: FormatChecker) -> FormatChecker:
    """Return one checker with the formats of all ``checkers`` (later ones win)."""
    combined = FormatChecker(formats=())
    for checker in checkers:
        combined.checkers.update(checker.checkers)
    return combined


_OAS31ReadValidator = extend(  # type: ignore[no-untyped-call]
    OAS31Validator,
    {"required": OAS30ReadValidator.VALIDATORS["required"], "writeOnly": OAS30ReadValidator.VALIDATORS["writeOnly"]},
)
_OAS31WriteValidator = extend(  # type: ignore[no-untyped-call]
    OAS31Validator,
    {"required": OAS30WriteValidator.VALIDATORS["required"], "readOnly": OAS30WriteValidator.VALIDATORS["readOnly"]},
)


@dataclass(frozen=True, slots=True)
class _Dialect:
    """How one kind of document validates: a validator class per direction, formats, and the registry's spec."""

    classes: dict[Direction, type[Validator]]
    formats: FormatChecker
    specification: Specification[Schema]


def _dialect(doc: Document) -> _Dialect:
    """Return the validators of ``doc``'s examples; patterns are matched in bounded time (``schema_regex``)."""
    dialect = _plain_dialect(doc)
    classes = {direction: with_bounded_patterns(cls) for direction, cls in dialect.classes.items()}
    return _Dialect(classes, dialect.formats, dialect.specification)


def _plain_dialect(doc: Document) -> _Dialect:
    standard = Draft202012Validator.FORMAT_CHECKER
    if doc.spec.kind is SpecKind.ASYNCAPI:
        draft7: dict[Direction, type[Validator]] = dict.fromkeys(("plain", "read", "write"), Draft7Validator)
        return _Dialect(draft7, Draft7Validator.FORMAT_CHECKER, DRAFT7)
    if doc.spec.major_minor == "3.0":
        oas30: dict[Direction, type[Validator]] = {
            "plain": OAS30Validator, "read": OAS30ReadValidator, "write": OAS30WriteValidator,
        }  # fmt: skip
        return _Dialect(oas30, _format_checker(standard, oas30_format_checker), DRAFT4)
    classes: dict[Direction, type[Validator]] = {
        "plain": OAS31Validator, "read": _OAS31ReadValidator, "write": _OAS31WriteValidator,
    }  # fmt: skip
    return _Dialect(classes, _format_checker(standard, oas31_format_checker), DRAFT202012)


class _Schemas:
    """Dereferenced copies of a document's schemas, memoised per schema node.

    A ref that would loop back into a schema being copied becomes a ``$ref`` to that schema's URN in the
    registry (rather than ``{}``), so a recursive schema is checked at every depth of the example without the
    copy ever looping. In OpenAPI 3.1 the siblings of a ``$ref`` apply too. A schema that reaches a broken ref,
    or a subschema that is not a schema at all (``schema: 5``, a ``oneOf`` item that is a ``$ref`` to a string),
    has no copy (``None``): validation reports it, and ``{}`` in its place could make a ``oneOf`` or a ``not``
    fail.
    """

    def __init__(self, doc: Document, *, openapi: bool) -> None:
        self.doc = doc
        self.openapi = openapi
        self.siblings = openapi and doc.spec.major_minor != "3.0"
        self.resources: dict[str, JsonValue] = {}
        self._memo: dict[Identity, JsonValue] = {}
        self._building: dict[Identity, dict[str, JsonValue]] = {}  # copies in progress
        self._broken: set[Identity] = set()
        self._frames: list[bool] = []  # one per copy in progress: whether it reached a broken ref
        self._urns: dict[Identity, str] = {}

    def at(self, holder: Cursor, key: str) -> JsonValue | None:
        """Return the copy of the schema at ``holder[key]``, or ``None`` when there is none or it is broken."""
        raw = holder.raw(key)
        return None if raw is None else self.below(holder, (key,), raw)

    def below(self, parent: Cursor, tokens: tuple[str, ...], raw: JsonValue) -> JsonValue | None:
        """Return the copy of the schema ``raw`` at ``tokens`` below ``parent`` (``None``: it is broken)."""
        self._frames.append(False)
        copied = self._child(parent, tokens, raw)
        return None if self._frames.pop() else copied

    def of(self, cursor: Cursor) -> JsonValue | None:
        """Return the copy of the schema node ``cursor`` (``None``: it is broken)."""
        self._frames.append(False)
        copied = self._copy(cursor)
        return None if self._frames.pop() else copied

    def follow(self, source: SourceFile, parts: tuple[str, ...], ref: str) -> Cursor | None:
        """Return the node that ``ref``, found at ``parts`` of ``source``, leads to (``None``: broken ref)."""
        try:
            target = self.doc.resolver.follow(source, (*parts, "$ref"), ref)
        except UnresolvedRef:
            return None
        return Cursor(self.doc, target.file, target.parts, target.value)

    def _taint(self) -> None:
        if self._frames:
            self._frames[-1] = True

    def _child(self, parent: Cursor, tokens: tuple[str, ...], raw: JsonValue) -> JsonValue:
        parts = (*parent.parts, *tokens)
        ref = raw.get("$ref") if isinstance(raw, dict) else None
        if not isinstance(raw, dict) or not isinstance(ref, str):
            return self._copy(Cursor(self.doc, parent.file, parts, raw))
        target = self.follow(parent.file, parts, ref)
        if target is None:
            self._taint()
            return {}
        copied = self._copy(target)
        if self.siblings:
            rest = {key: value for key, value in raw.items() if key != "$ref" and _applies(key)}
            if rest:
                return {"allOf": [copied, self._copy(Cursor(self.doc, parent.file, parts, rest))]}
        return copied

    def _copy(self, cursor: Cursor) -> JsonValue:
        value = cursor.value
        if isinstance(value, bool):
            return value
        if not isinstance(value, dict):  # `schema: 5`, a `$ref` to a string: validation reports it
            self._taint()
            return {}
        key = cursor.identity
        if key in self._memo:
            if key in self._broken:
                self._taint()
            return self._memo[key]
        if key in self._building:
            return {"$ref": self._urn(cursor)}
        out: dict[str, JsonValue] = {}
        self._building[key] = out
        self._frames.append(False)
        for name, raw in value.items():
            if not _applies(name):
                continue
            if name in _SCHEMA_MAPS and isinstance(raw, dict):
                out[name] = {k: self._child(cursor, (name, k), v) for k, v in raw.items()}
            elif name in _SCHEMA_LISTS and isinstance(raw, list):
                out[name] = [self._child(cursor, (name, str(i)), v) for i, v in enumerate(raw)]
            elif name in _SCHEMA_ONE and isinstance(raw, dict):
                out[name] = self._child(cursor, (name,), raw)
            elif name == "dependencies" and isinstance(raw, dict):
                out[name] = {k: self._child(cursor, (name, k), v) if isinstance(v, dict) else v for k, v in raw.items()}
            else:
                out[name] = raw
        if "discriminator" in out:
            self._discriminator(cursor, out)
        if self._frames.pop():
            self._broken.add(key)
            self._taint()
        del self._building[key]
        self._memo[key] = out
        return out

    def _discriminator(self, cursor: Cursor, out: dict[str, JsonValue]) -> None:
        """Point an OpenAPI discriminator's mapping at registry URNs; drop it where it selects nothing."""
        raw = out.pop("discriminator")
        assert isinstance(cursor.value, dict)  # copy() only calls this for mappings
        kind = next((k for k in ("oneOf", "anyOf") if isinstance(cursor.value.get(k), list)), None)
        # AsyncAPI's `discriminator` is a plain string; an allOf parent's discriminator selects nothing.
        if (
            not self.openapi
            or kind is None
            or not isinstance(raw, dict)
            or not isinstance(raw.get("propertyName"), str)
        ):
            return
        mapping: dict[str, JsonValue] = {}
        variants = cursor.value[kind]
        assert isinstance(variants, list)
        for index, variant in enumerate(variants):
            ref = variant.get("$ref") if isinstance(variant, dict) else None
            if isinstance(ref, str):
                target = self.follow(cursor.file, (*cursor.parts, kind, str(index)), ref)
                if target is not None:
                    mapping[_schema_name(ref)] = self._urn(target)
        explicit = raw.get("mapping")
        for value, ref in explicit.items() if isinstance(explicit, dict) else ():
            if not isinstance(ref, str):
                continue
            target = None
            if "#" not in ref and "/" not in ref:
                target = self.follow(self.doc.root, (), f"#/components/schemas/{ref}")
            if target is None:
                target = self.follow(cursor.file, (*cursor.parts, "discriminator", "mapping", value), ref)
            if target is not None:
                mapping[value] = self._urn(target)
        out["discriminator"] = {"propertyName": raw["propertyName"], "mapping": mapping}

    def _urn(self, target: Cursor) -> str:
        urn = self._urns.get(target.identity)
        if urn is None:
            urn = self._urns[target.identity] = f"urn:contractkit:schema:{len(self._urns)}"
            building = self._building.get(target.identity)
            self.resources[urn] = building if building is not None else self._copy(target)
        elif target.identity in self._broken:
            self._taint()
        return urn


def _applies(keyword: str) -> bool:
    return keyword not in _DROPPED and not keyword.startswith("x-")


def _schema_name(ref: str) -> str:
    """Return the component name a discriminator infers from a ref (``#/components/schemas/Cat`` -> ``Cat``)."""
    address, _, fragment = ref.partition("#")
    try:
        parts = parse_pointer(fragment)
    except ValueError:
        parts = ()
    return parts[-1] if parts else Path(address).stem


@dataclass(frozen=True, slots=True)
class _Task:
    """One example to validate: its value, the node it is at, the schema copy and how to name it."""

    value: JsonValue
    at: Cursor
    schema: JsonValue
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
            self.tasks.append(_Task(node.value, node, schema, direction, what, operation))

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


def _describe(error: jsonschema.ValidationError, direction: Direction) -> str:
    """Return the message for one (most specific) error, with OpenAPI's keywords explained."""
    if error.validator == "required" and isinstance(error.instance, dict) and isinstance(error.validator_value, list):
        return "missing required " + ", ".join(f"`{name}`" for name in _missing(error, direction))
    if error.validator == "readOnly":
        return "a `readOnly` property must not be sent in a request"
    if error.validator == "writeOnly":
        return "a `writeOnly` property must not be returned in a response"
    schema = error.schema
    if error.validator in ("oneOf", "anyOf") and isinstance(schema, dict) and not error.context:
        discriminator = schema.get("discriminator")
        instance = error.instance
        if isinstance(discriminator, dict) and isinstance(instance, dict):
            prop = discriminator.get("propertyName")
            if prop not in instance:
                return f"missing discriminator property `{prop}`"
            return f"discriminator `{prop}` value {short(instance[prop])} is not mapped to a schema"
    return describe(error)


def _missing(error: jsonschema.ValidationError, direction: Direction) -> list[str]:
    """Return the required properties the instance lacks, leaving out those its direction exempts."""
    assert isinstance(error.instance, dict) and isinstance(error.validator_value, list)  # checked by the caller
    properties = error.schema.get("properties") if isinstance(error.schema, dict) else None
    exempt = {"read": "writeOnly", "write": "readOnly"}.get(direction)
    missing = []
    for name in error.validator_value:
        if name in error.instance:
            continue
        schema = properties.get(name) if isinstance(properties, dict) else None
        if exempt is not None and isinstance(schema, dict) and schema.get(exempt) is True:
            continue
        missing.append(str(name))
    return missing or [str(name) for name in error.validator_value if name not in error.instance]


def _validate(ctx: LintContext, tasks: list[_Task], schemas: _Schemas) -> None:
    dialect = _dialect(ctx.doc)
    registry: Registry[Schema] = Registry().with_resources(
        (urn, dialect.specification.create_resource(schema))
        for urn, schema in schemas.resources.items()
        if isinstance(schema, dict | bool)
    )
    base = {
        direction: cls({}, format_checker=dialect.formats, registry=registry)
        for direction, cls in dialect.classes.items()
    }
    for task in tasks:
        try:
            validator = base[task.direction].evolve(schema=task.schema)
            errors = list(validator.iter_errors(task.value))
        except _UNUSABLE:
            continue
        reported: set[tuple[str, ...]] = set()  # one error per place in the example: the first is enough to fix
        for error in errors:
            specific = most_specific(error)
            path = instance_path(specific)
            if path in reported:
                continue
            reported.add(path)
            detail = _describe(specific, task.direction)
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
