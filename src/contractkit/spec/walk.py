"""Walking a contract the way every engine needs it: operations of OpenAPI, messages of AsyncAPI 2.x and 3.x.

This is the one walk of OpenAPI operations: lint, breaking, codegen, the runtime's router and the fuzzer all
enumerate operations and their effective parameters here, so they can never disagree on what a contract
declares. A document already in memory (the runtime's inlined dict, the fuzzer's bundle) is walked through
:func:`contractkit.loaders.document.memory_document`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from contractkit.loaders.document import Cursor, Document
from contractkit.loaders.types import JsonValue
from contractkit.spec.traits import Traited, apply_traits

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True, slots=True)
class Operation:
    """An OpenAPI operation (of `paths`, of 3.1 `webhooks`, or of a callback).

    Attributes:
        method: lower-case HTTP method.
        path: the path template (``/orders/{order_id}``), the webhook name, or the callback's expression.
        cursor: the operation object.
        path_item: the path item object it belongs to (a `$ref`'d path item: where it really lives).
        webhook: whether it is a webhook rather than a path operation.
        callback: the name of the callback it belongs to, ``None`` for an operation of `paths` or `webhooks`.
    """

    method: str
    path: str
    cursor: Cursor
    path_item: Cursor
    webhook: bool = False
    callback: str | None = None

    @property
    def label(self) -> str:
        """Return ``GET /orders``, ``POST webhook orderStatusChanged`` or ``POST callback onEvent {$url}``."""
        if self.callback is not None:
            return f"{self.method.upper()} callback {self.callback} {self.path}"
        return f"{self.method.upper()} webhook {self.path}" if self.webhook else f"{self.method.upper()} {self.path}"

    def parameters(self) -> list[Cursor]:
        """Return the effective parameters: the path item's, overridden by the operation's (same name and `in`).

        A parameter is identified by its name and location; header names compare case-insensitively, as HTTP
        compares them (an operation's ``x-trace`` overrides its path item's ``X-Trace``). Each parameter keeps
        the place of the first one of its identity.
        """
        merged: dict[object, Cursor] = {}
        for owner in (self.path_item, self.cursor):
            params = owner.get("parameters")
            if params is None:
                continue
            for param in params.elements():
                if isinstance(param.value, dict):
                    name, where = param.value.get("name"), param.value.get("in")
                    # A `name` that is not a string (validation reports it) overrides nothing.
                    if isinstance(name, str) and isinstance(where, str):
                        key: object = (name.lower() if where == "header" else name, where)
                    else:
                        key = param.identity
                    merged[key] = param
        return list(merged.values())


def path_operations(
    item: Cursor, path: str, *, webhook: bool = False, callback: str | None = None
) -> Iterator[Operation]:
    """Yield the operations of one path item, in the order of :data:`HTTP_METHODS`."""
    for method in HTTP_METHODS:
        op = item.get(method)
        if op is not None and isinstance(op.value, dict):
            yield Operation(method, path, op, item, webhook, callback)


def operations(doc: Document, *, webhooks: bool = True) -> Iterator[Operation]:
    """Yield every operation of ``paths`` and then of ``webhooks`` (3.1), in document order.

    Keys of ``paths`` that do not start with ``/`` (``x-`` extensions) are not paths; a path item may be a
    ``$ref``. ``webhooks=False`` yields the operations a server receives requests for: those of ``paths``.
    """
    root = doc.cursor()
    sections = [("paths", False)]
    if webhooks and doc.spec.major_minor != "3.0":
        sections.append(("webhooks", True))
    for section, webhook in sections:
        items = root.get(section)
        if items is None:
            continue
        for path, item in items.items():
            if not webhook and not path.startswith("/"):
                continue  # `x-` extensions of the Paths object
            yield from path_operations(item, path, webhook=webhook)


def callback_operations(op: Operation) -> Iterator[Operation]:
    """Yield the operations of ``op``'s callbacks (path item by path item, in document order)."""
    callbacks = op.cursor.get("callbacks")
    for name, callback in callbacks.items() if callbacks is not None else ():
        for expression, item in callback.items():
            yield from path_operations(item, expression, callback=name)


@dataclass(frozen=True, slots=True)
class Message:
    """An AsyncAPI message, wherever it is declared, with its traits applied.

    Read a field through :meth:`get` or :meth:`raw` to see it as every engine does, a trait's ``name``,
    ``headers``, ``correlationId`` or ``contentType`` included (:mod:`contractkit.spec.traits`, the merge the
    AsyncAPI view, the breaking check and codegen share); ``cursor.get`` sees only what the message says itself.

    Attributes:
        key: the name it is declared under (the component or channel message key), or ``""`` inline in 2.x.
        cursor: the message object.
        label: how findings name where it is used (``channel order.created``, ``component OrderCreated``).
        traited: the message with its traits applied, field by field.
    """

    key: str
    cursor: Cursor
    label: str
    traited: Traited

    def get(self, name: str) -> Cursor | None:
        """Return field ``name``, traits applied, as a cursor at the place it is written (the message or a trait)."""
        return self.traited.get(name)

    def raw(self, name: str) -> JsonValue | None:
        """Return the raw value of field ``name``, traits applied (``$ref``s not followed), or ``None``."""
        return self.traited.raw(name)


def messages(doc: Document) -> Iterator[Message]:
    """Yield every distinct message of an AsyncAPI 2.x or 3.x document (a message used twice is yielded once).

    Each comes with its traits applied (:attr:`Message.traited`), as the AsyncAPI view reads it.
    """
    seen: set[tuple[str, tuple[str, ...]]] = set()

    def fresh(cursor: Cursor) -> bool:
        if cursor.identity in seen:
            return False
        seen.add(cursor.identity)
        return True

    root = doc.cursor()
    channels = root.get("channels")
    if channels is not None:
        for name, channel in channels.items():
            if doc.spec.version.startswith("2."):
                for action in ("publish", "subscribe"):
                    operation = channel.get(action)
                    message = operation.get("message") if operation is not None else None
                    if message is None:
                        continue
                    variants = message.get("oneOf")
                    for variant in variants.elements() if variants is not None else [message]:
                        if fresh(variant):
                            key = variant.key if variant.key != "message" else ""
                            yield Message(key, variant, f"channel {name}", apply_traits(variant))
            else:
                declared = channel.get("messages")
                for key, message in declared.items() if declared is not None else ():
                    if fresh(message):
                        yield Message(key, message, f"channel {name}", apply_traits(message))
    components = root.get("components")
    component_messages = components.get("messages") if components is not None else None
    if component_messages is not None:
        for key, message in component_messages.items():
            if fresh(message):
                yield Message(key, message, f"component {key}", apply_traits(message))
