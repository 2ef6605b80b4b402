"""An AsyncAPI view -> compiled validators for every message of every operation (start-up only).

Payload and headers schemas are made standalone (:func:`contractkit.spec.schemas.standalone_schema`), converted by
the one schema normaliser, :class:`~contractkit.spec.normalise.SchemaConverter` (annotations dropped, draft-07 tuples to
2020-12) and compiled by its :func:`~contractkit.runtime._engine.compile_schema` (jsonschema-rs, formats
asserted): the same engine and the same conversions as the HTTP middleware.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Any

from contractkit.codegen.naming import pascal
from contractkit.loaders.document import Cursor
from contractkit.runtime._engine import Compiled, compile_schema
from contractkit.spec.asyncapi import AsyncApiView, Message, Operation
from contractkit.spec.normalise import SchemaConverter
from contractkit.spec.schemas import standalone_schema

_JSON_FORMATS = ("application/vnd.aai.asyncapi", "application/schema+json", "application/schema+yaml")


@dataclass(frozen=True, slots=True)
class CompiledMessage:
    """One message, ready to validate.

    Attributes:
        spec: the message as the contract declares it.
        payload: the payload validator (``None``: the contract says nothing about the payload).
        headers: the headers validator (``None``: no headers schema).
        header_names: the header names the schema declares (lower-case, as on the wire).
        json: whether the payload is JSON (its content type is ``application/json`` or ``*+json``).
        model: the generated Pydantic model of the payload, when the contract came from a generated package.
    """

    spec: Message
    payload: Compiled | None
    headers: Compiled | None
    header_names: frozenset[str]
    json: bool
    model: Any = None

    @property
    def content_type(self) -> str:
        """Return the content type a publisher sets (``application/json`` when the contract names none)."""
        return self.spec.content_type or "application/json"


@dataclass(frozen=True, slots=True)
class CompiledOperation:
    """One operation with its messages compiled.

    Attributes:
        key: the operation key (``publishOrderCreated``).
        spec: the operation as the contract declares it.
        messages: its messages, compiled.
        exchange: where a publisher sends: the channel's exchange (``""``: the default exchange).
        routing_key: the routing key of a publish (the channel's address; the queue's name on a queue channel).
        queue: where a consumer reads: the channel's queue name (``None`` on a routing-key channel).
    """

    key: str
    spec: Operation
    messages: tuple[CompiledMessage, ...]
    exchange: str
    routing_key: str
    queue: str | None

    @property
    def label(self) -> str:
        """Return ``SEND order.created``."""
        return self.spec.label

    def message(self, key: str | None) -> CompiledMessage | None:
        """Return the message with key, name or AMQP type ``key`` (the only one when ``key`` is ``None``)."""
        if key is None:
            return self.messages[0] if len(self.messages) == 1 else None
        for message in self.messages:
            spec = message.spec
            if key in (spec.key, spec.name, spec.message_type, spec.component):
                return message
        return None


def compile_operations(view: AsyncApiView, models: ModuleType | None) -> dict[str, CompiledOperation]:
    """Compile every operation of ``view`` (messages shared by several operations are compiled once)."""
    cache: dict[tuple[str, tuple[str, ...]], CompiledMessage] = {}
    compiled: dict[str, CompiledOperation] = {}
    for key, op in view.operations.items():
        messages = []
        for message in op.messages:
            found = cache.get(message.cursor.identity)
            if found is None:
                found = cache[message.cursor.identity] = _message(message, models)
            messages.append(found)
        amqp = op.channel.amqp
        exchange = amqp.exchange.name if amqp is not None and amqp.exchange is not None else ""
        queue = amqp.queue.name if amqp is not None and amqp.queue is not None else None
        routing_key = queue if amqp is not None and amqp.is_ == "queue" and queue else op.channel.address
        compiled[key] = CompiledOperation(key, op, tuple(messages), exchange, routing_key, queue)
    return compiled


def _message(message: Message, models: ModuleType | None) -> CompiledMessage:
    content_type = (message.content_type or "application/json").split(";", 1)[0].strip().lower()
    is_json = content_type == "application/json" or content_type.endswith("+json")
    json_schema = message.schema_format is None or message.schema_format.startswith(_JSON_FORMATS)
    payload = _compile(message.payload) if message.payload is not None and is_json and json_schema else None
    headers = _compile(message.headers) if message.headers is not None else None
    names: frozenset[str] = frozenset()
    if message.headers is not None and isinstance(message.headers.value, dict):
        props = message.headers.value.get("properties")
        names = frozenset(str(n).lower() for n in props) if isinstance(props, dict) else frozenset()
    return CompiledMessage(message, payload, headers, names, is_json, _model(message, models))


def _compile(cursor: Cursor) -> Compiled:
    schema = standalone_schema(cursor)
    converter = SchemaConverter(schema, dialect="draft-07", direction="response")
    return compile_schema(converter.root_schema({k: v for k, v in schema.items() if k != "$defs"}))


def _model(message: Message, models: ModuleType | None) -> Any:
    """Return the generated payload model of ``message`` (``OrderCreatedPayload``), if the package has one."""
    if models is None:
        return None
    for base in (message.component, message.key, message.name):
        if base:
            found = getattr(models, f"{pascal(base)}Payload", None)
            if found is not None and hasattr(found, "model_validate_json"):
                return found
    return None
