"""What kind of object sits where in an OpenAPI or AsyncAPI document, and which ``components`` section holds it.

When it hoists (bundles), the flattener (:mod:`contractkit.spec.flatten`) walks a document with these tables to
know, at every ``$ref``, what the reference stands for (a schema, a parameter, a message...) and so where its
target goes. A key the tables do not know leads to :data:`ANY`: an unknown place, whose references go to
``schemas`` (or are copied in place when that cannot hold them).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

from contractkit.kinds import SpecKind
from contractkit.schema_keywords import SCHEMA_LISTS, SCHEMA_MAPS, SCHEMA_VALUES

ANY = "any"
"""The kind of a node the tables do not describe (extensions, examples, bindings' insides)."""

DISCRIMINATOR = "discriminator"
"""An OpenAPI discriminator: its ``mapping`` values are references written as plain strings."""

LITERAL = "literal"
"""Data, not a contract object: examples, defaults, enums, extensions (``x-...``). Refs there are inlined."""


class Holds(enum.Enum):
    """How a key holds its children: one object, a map of named objects, or a list of them."""

    ONE = "one"
    MAP = "map"
    LIST = "list"


Child = tuple[Holds, str]
Shape = Mapping[str, Child]

_ONE, _MAP, _LIST = Holds.ONE, Holds.MAP, Holds.LIST

_SCHEMA: Shape = {
    **dict.fromkeys(SCHEMA_MAPS, (_MAP, "schema")),
    **dict.fromkeys(SCHEMA_LISTS, (_LIST, "schema")),
    **dict.fromkeys(SCHEMA_VALUES, (_ONE, "schema")),
    "discriminator": (_ONE, DISCRIMINATOR),
    **dict.fromkeys(("example", "examples", "default", "enum", "const"), (_ONE, LITERAL)),
}

_PARAMETER: Shape = {
    "schema": (_ONE, "schema"),
    "content": (_MAP, "mediaType"),
    "examples": (_MAP, "example"),
    "example": (_ONE, LITERAL),
}
_OPERATION_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

OPENAPI_SHAPES: Mapping[str, Shape] = {
    "root": {"paths": (_MAP, "pathItem"), "webhooks": (_MAP, "pathItem"), "components": (_ONE, "components")},
    "components": {
        "schemas": (_MAP, "schema"),
        "responses": (_MAP, "response"),
        "parameters": (_MAP, "parameter"),
        "examples": (_MAP, "example"),
        "requestBodies": (_MAP, "requestBody"),
        "headers": (_MAP, "header"),
        "securitySchemes": (_MAP, "securityScheme"),
        "links": (_MAP, "link"),
        "callbacks": (_MAP, "callback"),
        "pathItems": (_MAP, "pathItem"),
    },
    "pathItem": {"parameters": (_LIST, "parameter"), **dict.fromkeys(_OPERATION_METHODS, (_ONE, "operation"))},
    "operation": {
        "parameters": (_LIST, "parameter"),
        "requestBody": (_ONE, "requestBody"),
        "responses": (_MAP, "response"),
        "callbacks": (_MAP, "callback"),
    },
    "response": {"headers": (_MAP, "header"), "content": (_MAP, "mediaType"), "links": (_MAP, "link")},
    "parameter": _PARAMETER,
    "header": _PARAMETER,
    "requestBody": {"content": (_MAP, "mediaType")},
    "mediaType": {
        "schema": (_ONE, "schema"),
        "examples": (_MAP, "example"),
        "example": (_ONE, LITERAL),
        "encoding": (_MAP, "encoding"),
    },
    "example": {"value": (_ONE, LITERAL)},
    "encoding": {"headers": (_MAP, "header")},
    "schema": _SCHEMA,
}
"""OpenAPI 3.0/3.1: object kind -> key -> (how held, child kind). A callback maps every key to a path item."""

OPENAPI_SECTIONS: Mapping[str, str] = {
    "schema": "schemas",
    "response": "responses",
    "parameter": "parameters",
    "example": "examples",
    "requestBody": "requestBodies",
    "header": "headers",
    "securityScheme": "securitySchemes",
    "link": "links",
    "callback": "callbacks",
    "pathItem": "pathItems",  # OpenAPI 3.1 only: 3.0 has no components/pathItems, its path items are inlined
}

_TAGGED: Shape = {"tags": (_LIST, "tag"), "externalDocs": (_ONE, "externalDocs")}
_MESSAGE: Shape = {
    "headers": (_ONE, "schema"),
    "payload": (_ONE, "schema"),
    "correlationId": (_ONE, "correlationId"),
    "traits": (_LIST, "messageTrait"),
    "bindings": (_ONE, "messageBindings"),
    "examples": (_ONE, LITERAL),
    "oneOf": (_LIST, "message"),  # AsyncAPI 2.x: `message: {oneOf: [...]}`
    **_TAGGED,
}
_OPERATION_TRAIT: Shape = {"security": (_LIST, "securityScheme"), "bindings": (_ONE, "operationBindings"), **_TAGGED}

ASYNCAPI_SHAPES: Mapping[str, Shape] = {
    "root": {
        "servers": (_MAP, "server"),
        "channels": (_MAP, "channel"),
        "operations": (_MAP, "operation"),
        "components": (_ONE, "components"),
    },
    "components": {
        "schemas": (_MAP, "schema"),
        "servers": (_MAP, "server"),
        "channels": (_MAP, "channel"),
        "operations": (_MAP, "operation"),
        "messages": (_MAP, "message"),
        "securitySchemes": (_MAP, "securityScheme"),
        "serverVariables": (_MAP, "serverVariable"),
        "parameters": (_MAP, "parameter"),
        "correlationIds": (_MAP, "correlationId"),
        "replies": (_MAP, "reply"),
        "replyAddresses": (_MAP, "replyAddress"),
        "externalDocs": (_MAP, "externalDocs"),
        "tags": (_MAP, "tag"),
        "operationTraits": (_MAP, "operationTrait"),
        "messageTraits": (_MAP, "messageTrait"),
        "serverBindings": (_MAP, "serverBindings"),
        "channelBindings": (_MAP, "channelBindings"),
        "operationBindings": (_MAP, "operationBindings"),
        "messageBindings": (_MAP, "messageBindings"),
    },
    "server": {
        "variables": (_MAP, "serverVariable"),
        "security": (_LIST, "securityScheme"),
        "bindings": (_ONE, "serverBindings"),
        **_TAGGED,
    },
    "channel": {
        "messages": (_MAP, "message"),
        "parameters": (_MAP, "parameter"),
        "subscribe": (_ONE, "operation"),  # AsyncAPI 2.x
        "publish": (_ONE, "operation"),  # AsyncAPI 2.x
        "bindings": (_ONE, "channelBindings"),
        **_TAGGED,
    },
    "operation": {
        **_OPERATION_TRAIT,
        "traits": (_LIST, "operationTrait"),
        "reply": (_ONE, "reply"),
        "message": (_ONE, "message"),  # AsyncAPI 2.x
    },
    "operationTrait": _OPERATION_TRAIT,
    "reply": {"address": (_ONE, "replyAddress")},
    "message": _MESSAGE,
    "messageTrait": {key: child for key, child in _MESSAGE.items() if key not in ("payload", "oneOf")},
    "parameter": {"schema": (_ONE, "schema")},  # AsyncAPI 2.x
    "schema": _SCHEMA,
}
"""AsyncAPI 2.x and 3.x: object kind -> key -> (how held, child kind); the two versions' keys do not clash."""

ASYNCAPI_SECTIONS: Mapping[str, str] = {kind: section for section, (_, kind) in ASYNCAPI_SHAPES["components"].items()}
"""AsyncAPI 3.x object kind -> its ``components`` section."""

_ASYNCAPI_3_ONLY = ("operations", "replies", "replyAddresses", "tags", "externalDocs")


def shapes(kind: SpecKind) -> Mapping[str, Shape]:
    """Return the shape table of ``kind``."""
    return OPENAPI_SHAPES if kind is SpecKind.OPENAPI else ASYNCAPI_SHAPES


def sections(kind: SpecKind, version: str) -> Mapping[str, str]:
    """Return object kind -> ``components`` section for a document of ``kind`` and ``version``."""
    if kind is SpecKind.ASYNCAPI:
        if version.startswith("2."):
            return {k: v for k, v in ASYNCAPI_SECTIONS.items() if v not in _ASYNCAPI_3_ONLY}
        return ASYNCAPI_SECTIONS
    if version.startswith("3.0"):
        return {k: v for k, v in OPENAPI_SECTIONS.items() if k != "pathItem"}
    return OPENAPI_SECTIONS
