"""What to generate from an AsyncAPI 2.x or 3.x contract: component schemas and every message's payload and headers.

The messages are the AsyncAPI view's (:func:`contractkit.spec.asyncapi.read_asyncapi`, the one walk of channels
and operations): those of ``components/messages`` first, then each channel's (2.x: of its ``publish``, then its
``subscribe`` operation). A message is named after its key in ``components/messages`` (or in a 3.x channel's
``messages``), else its ``messageId``/``name``, else the operation that carries it. Its payload is
``<Message>Payload`` and its headers ``<Message>Headers``: the class itself when the schema is inline, an alias of
the referenced schema otherwise (``OrderCreatedHeaders = MessageHeaders``). The headers are the view's: message
traits merged (:mod:`contractkit.spec.traits`, JSON Merge Patch), so headers a trait gives are the message's
headers. Payloads in a non-JSON schema format (Avro, RAML, Protobuf) are skipped.
"""

from __future__ import annotations

from contractkit.codegen.naming import pascal, words
from contractkit.codegen.schemas import Example, SchemaSet
from contractkit.loaders.document import Cursor
from contractkit.spec.asyncapi import RECEIVE, Message, Operation, read_asyncapi

_JSON_FORMATS = ("application/vnd.aai.asyncapi", "application/schema+json", "application/schema+yaml")


def collect_asyncapi(schemas: SchemaSet) -> None:
    """Add every component schema and message payload/headers schema of the AsyncAPI document of ``schemas``."""
    root = schemas.doc.cursor()
    components = root.get("components")
    component_schemas = components.get("schemas") if components is not None else None
    if component_schemas is not None:
        keys = list(component_schemas.items())
        for key, cursor in keys:
            schemas.names.claim(cursor.identity, pascal(key))
        for key, cursor in keys:
            schemas.add(cursor, pascal(key))
    view = read_asyncapi(schemas.doc, with_components=True)
    seen: set[tuple[str, tuple[str, ...]]] = set()
    for key, message in view.components.items():
        _message(schemas, message, pascal(key), seen)
    if not schemas.doc.spec.version.startswith("2."):
        for channel in view.channels.values():
            for key, message in channel.messages.items():
                _message(schemas, message, pascal(key), seen)
        return
    by_channel: dict[str, list[Operation]] = {}
    for operation in view.operations.values():
        by_channel.setdefault(operation.channel.key, []).append(operation)
    for channel_key in view.channels:
        # `publish` (the application receives) before `subscribe`, as the names were first given
        for operation in sorted(by_channel.get(channel_key, ()), key=lambda op: op.action != RECEIVE):
            _operation_2x(schemas, operation, seen)


def _operation_2x(schemas: SchemaSet, operation: Operation, seen: set[tuple[str, tuple[str, ...]]]) -> None:
    operation_id = operation.cursor.raw("operationId")
    named = isinstance(operation_id, str) and words(operation_id)
    base = pascal(operation_id) if isinstance(operation_id, str) and named else pascal(operation.channel.key)
    for message in operation.messages:
        fallback = f"{base}Message" if message.position is None else f"{base}Message{message.position + 1}"
        _message(schemas, message, _message_name(message.cursor) or fallback, seen)


def _message_name(message: Cursor) -> str | None:
    if len(message.parts) == 3 and message.parts[:2] == ("components", "messages"):
        return pascal(message.parts[2])
    for key in ("messageId", "name"):
        value = message.raw(key)
        if isinstance(value, str) and words(value):
            return pascal(value)
    return None


def _message(schemas: SchemaSet, message: Message, name: str, seen: set[tuple[str, tuple[str, ...]]]) -> None:
    cursor = message.cursor
    if cursor.identity in seen:
        return
    seen.add(cursor.identity)
    if message.component is not None:
        name = pascal(message.component)
    names: dict[str, str] = {}
    payload, headers = message_schemas(message)
    if payload is not None:
        names["payload"] = _named(schemas, payload, f"{name}Payload")
    if headers is not None:
        names["headers"] = _named(schemas, headers, f"{name}Headers")
    examples = cursor.get("examples")
    if examples is not None:
        for example in examples.elements():
            for part, model in names.items():
                value = example.get(part)
                if value is not None:
                    schemas.examples.append(Example(model, value.value, str(value.location)))


def message_schemas(message: Message) -> tuple[Cursor | None, Cursor | None]:
    """Return the payload and headers schemas generated for ``message`` (``None``: it has none, or not JSON Schema).

    Both are the view's (a 3.x multi-format schema unwrapped; the headers with the message's traits merged).
    """
    payload = message.payload
    if message.schema_format is not None and not message.schema_format.startswith(_JSON_FORMATS):
        payload = None  # Avro, RAML, Protobuf: not generated
    return payload, message.headers


def _named(schemas: SchemaSet, schema: Cursor, alias: str) -> str:
    name = schemas.add(schema, alias, alias + "Schema")
    schemas.alias(alias, name)
    return alias if alias in schemas.aliases or alias == name else name
