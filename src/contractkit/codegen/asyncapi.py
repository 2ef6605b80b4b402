"""What to generate from an AsyncAPI 2.x or 3.x contract: component schemas and every message's payload and headers.

A message is named after its key in ``components/messages`` (or in a 3.x channel's ``messages``), else its
``messageId``/``name``, else the operation that carries it. Its payload is ``<Message>Payload`` and its headers
``<Message>Headers``: the class itself when the schema is inline, an alias of the referenced schema otherwise
(``OrderCreatedHeaders = MessageHeaders``). Message traits are applied (:mod:`contractkit.spec.traits`): headers
a trait gives are the message's headers. Payloads in a non-JSON schema format (Avro, RAML, Protobuf) are skipped.
"""

from __future__ import annotations

from contractkit.codegen.naming import pascal, words
from contractkit.codegen.schemas import Example, SchemaSet
from contractkit.loaders.document import Cursor
from contractkit.spec.traits import apply_traits

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
    seen: set[tuple[str, tuple[str, ...]]] = set()
    messages = components.get("messages") if components is not None else None
    if messages is not None:
        for key, message in messages.items():
            _message(schemas, message, pascal(key), seen)
    channels = root.get("channels")
    if channels is None:
        return
    for channel_key, channel in channels.items():
        if schemas.doc.spec.version.startswith("2."):
            for action in ("publish", "subscribe"):
                operation = channel.get(action)
                if operation is not None:
                    _operation_2x(schemas, operation, channel_key, action, seen)
        else:
            channel_messages = channel.get("messages")
            if channel_messages is not None:
                for key, message in channel_messages.items():
                    _message(schemas, message, pascal(key), seen)


def _operation_2x(
    schemas: SchemaSet, operation: Cursor, channel: str, action: str, seen: set[tuple[str, tuple[str, ...]]]
) -> None:
    operation_id = operation.raw("operationId")
    base = pascal(operation_id) if isinstance(operation_id, str) and words(operation_id) else pascal(f"{channel}")
    message = operation.get("message")
    if message is None:
        return
    options = message.get("oneOf")
    if options is not None and isinstance(options.value, list):
        for index, option in enumerate(options.elements()):
            _message(schemas, option, _message_name(option) or f"{base}Message{index + 1}", seen)
        return
    _message(schemas, message, _message_name(message) or f"{base}Message", seen)
    del action


def _message_name(message: Cursor) -> str | None:
    if len(message.parts) == 3 and message.parts[:2] == ("components", "messages"):
        return pascal(message.parts[2])
    for key in ("messageId", "name"):
        value = message.raw(key)
        if isinstance(value, str) and words(value):
            return pascal(value)
    return None


def _message(schemas: SchemaSet, message: Cursor, name: str, seen: set[tuple[str, tuple[str, ...]]]) -> None:
    if message.identity in seen:
        return
    seen.add(message.identity)
    if len(message.parts) == 3 and message.parts[:2] == ("components", "messages"):
        name = pascal(message.parts[2])
    names: dict[str, str] = {}
    payload, headers = message_schemas(message)
    if payload is not None:
        names["payload"] = _named(schemas, payload, f"{name}Payload")
    if headers is not None:
        names["headers"] = _named(schemas, headers, f"{name}Headers")
    examples = message.get("examples")
    if examples is not None:
        for example in examples.elements():
            for part, model in names.items():
                value = example.get(part)
                if value is not None:
                    schemas.examples.append(Example(model, value.value, str(value.location)))


def message_schemas(message: Cursor) -> tuple[Cursor | None, Cursor | None]:
    """Return the payload and headers schemas generated for ``message`` (``None``: it has none, or not JSON Schema).

    The headers are read with the message's traits applied (a trait's ``headers`` too), as every engine reads them.
    """
    payload_format = message.raw("schemaFormat")
    payload = message.get("payload")
    if payload is not None and isinstance(payload.value, dict) and "schemaFormat" in payload.value:
        payload_format = payload.raw("schemaFormat")  # 3.x multi-format schema object
        payload = payload.get("schema")
    if isinstance(payload_format, str) and not payload_format.startswith(_JSON_FORMATS):
        payload = None  # Avro, RAML, Protobuf: not generated
    headers = apply_traits(message).get("headers")
    if headers is not None and isinstance(headers.value, dict) and "schemaFormat" in headers.value:
        headers = headers.get("schema")
    return payload, headers


def _named(schemas: SchemaSet, schema: Cursor, alias: str) -> str:
    name = schemas.add(schema, alias, alias + "Schema")
    schemas.alias(alias, name)
    return alias if alias in schemas.aliases or alias == name else name
