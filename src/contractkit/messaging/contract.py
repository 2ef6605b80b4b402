"""The message validator: one message (payload and headers, as plain values) -> a :class:`Verdict`.

Broker-free: the aio-pika runtime, the FastStream middleware, the sync publisher, the DLQ tool and the fuzzer
all call :meth:`MessageContract.check_outgoing` (a message about to be published) or
:meth:`MessageContract.check_incoming` (a delivery, raw bytes and all). Everything that depends on the contract
is compiled once by :meth:`MessageContract.from_spec`; per message this module parses the body once and calls
two compiled schemas (payload, headers). The full error list is computed only for an invalid message.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, Self

from contractkit.loaders.pointer import escape
from contractkit.messaging._compile import CompiledMessage, CompiledOperation, compile_operations
from contractkit.messaging._load import load_asyncapi
from contractkit.messaging.errors import MessageError, UnknownOperation
from contractkit.messaging.tracing import new_traceparent
from contractkit.runtime._core import DETAIL_LIMIT
from contractkit.runtime._json import BadInput, parse_json
from contractkit.spec.asyncapi import RECEIVE, SEND, AsyncApiView, read_asyncapi

MAX_ERRORS = 50
PAYLOAD = "payload#"  # as the HTTP runtime's `body#`: the house location format (common/problem.yaml)
_bits = random.getrandbits
DEFAULT_MAX_BODY_BYTES = 1_048_576
_ENCODINGS = frozenset({"", "identity", "utf-8", "utf8"})


@dataclass(slots=True)
class Verdict:
    """The verdict on one message.

    Attributes:
        operation: the operation key it was checked against.
        message: the message of the operation it matched (``None`` when it matched none).
        errors: every problem found (at most 50), empty when valid.
        payload: the parsed payload (a JSON value), ``None`` when it could not be parsed.
        body: the payload's bytes as they go on the wire.
        headers: the application headers (with what the publisher filled in: message id, trace context...).
    """

    operation: str
    message: CompiledMessage | None
    errors: list[MessageError] = field(default_factory=list)
    payload: Any = None
    body: bytes = b""
    headers: dict[str, Any] = field(default_factory=dict)
    shaped: Any = None

    @property
    def ok(self) -> bool:
        """Return whether the message is valid."""
        return not self.errors

    def value(self) -> Any:
        """Return the payload shaped by the message's generated model when there is one, else the parsed JSON.

        The JSON Schema decides what is valid; the model only shapes it, in Pydantic's lax mode (a model generated
        with strict types refuses ``5.0`` for an integer that the schema accepts).
        """
        model = self.message.model if self.message is not None else None
        if model is None:
            return self.payload
        if self.shaped is None:
            self.shaped = model.model_validate_json(self.body, strict=False)
        return self.shaped


class MessageContract:
    """One AsyncAPI 2.x/3.x contract compiled for messages: validators per operation and message.

    Example:
        >>> contract = MessageContract.from_spec("order-events")  # doctest: +SKIP
        >>> contract.check_outgoing("publishOrderCreated", {"order_id": "x"}).errors[0].location  # doctest: +SKIP
        'payload#/order_id'
    """

    def __init__(
        self,
        view: AsyncApiView,
        operations: dict[str, CompiledOperation],
        name: str,
        *,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    ) -> None:
        """Wrap a compiled contract (use :meth:`from_spec`)."""
        self.view = view
        self.operations = operations
        self.name = name
        self.version = view.info_version
        self.max_body_bytes = max_body_bytes

    @classmethod
    def from_spec(
        cls,
        spec: object,
        *,
        models: Any = None,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        catalog: Path | None = None,
    ) -> Self:
        """Load and compile a contract.

        Args:
            spec: a file path; a loaded document (``dict``, local refs only); a catalog contract id
                (``"order-events"``); or a generated model package (a module with a ``CONTRACT`` path), whose
                models then shape consumed payloads; or a ready :class:`MessageContract`.
            models: a generated model package (module) to shape payloads with, when ``spec`` is not one.
            max_body_bytes: the largest payload accepted from the broker (bigger ones are dead-lettered unread).
            catalog: the catalog file to look a contract id up in (default: ``contracts/catalog.yaml`` in the
                working directory or above).

        Raises:
            ContractNotFound, ContractSyntaxError, ContractInvalid, UnresolvedRef, UsageError: unusable contract.
        """
        if isinstance(spec, cls):
            return spec
        loaded = load_asyncapi(spec, catalog=catalog)
        view = read_asyncapi(loaded.doc)
        operations = compile_operations(view, models if models is not None else loaded.models)
        return cls(view, operations, loaded.name, max_body_bytes=max_body_bytes)

    # --- lookup -------------------------------------------------------------------------------------------
    def operation(self, key: str, action: str | None = None) -> CompiledOperation:
        """Return the operation ``key`` (checking its action when given).

        Raises:
            UnknownOperation: no such operation, or it has the other action.
        """
        found = self.operations.get(key)
        if found is None or (action is not None and found.spec.action != action):
            wanted = [k for k, op in self.operations.items() if action is None or op.spec.action == action]
            what = f"a `{action}` operation" if action else "an operation"
            known = ", ".join(f"`{k}`" for k in wanted) or "none"
            kind = f"`{action}` " if action else ""
            other = "" if found is None else f" (`{key}` is a `{found.spec.action}` operation)"
            raise UnknownOperation(
                f"`{key}` is not {what} of contract `{self.name}`{other}; its {kind}operations: {known}",
                tip="name one of the operations listed.",
            )
        return found

    def sends(self) -> list[CompiledOperation]:
        """Return the operations the application sends (publishes)."""
        return [op for op in self.operations.values() if op.spec.action == SEND]

    def receives(self) -> list[CompiledOperation]:
        """Return the operations the application receives (consumes)."""
        return [op for op in self.operations.values() if op.spec.action == RECEIVE]

    def send_for(self, exchange: str, routing_key: str) -> CompiledOperation | None:
        """Return the send operation that publishes to ``exchange`` with ``routing_key``."""
        for op in self.operations.values():
            if op.spec.action == SEND and op.exchange == exchange and op.routing_key == routing_key:
                return op
        return None

    def receive_for_queue(self, queue: str) -> CompiledOperation | None:
        """Return the receive operation that consumes ``queue``."""
        for op in self.operations.values():
            if op.spec.action == RECEIVE and op.queue == queue:
                return op
        return None

    # --- outgoing -----------------------------------------------------------------------------------------
    def check_outgoing(
        self,
        operation: str | CompiledOperation,
        payload: Any,
        headers: Mapping[str, Any] | None = None,
        *,
        message: str | None = None,
        traceparent: str | None = None,
        correlation_id: str | None = None,
    ) -> Verdict:
        """Check a message about to be published, after filling in the headers a publisher owns.

        Filled in when the headers schema declares them and the caller did not set them: ``message-id`` (a new
        UUID), ``traceparent`` (``traceparent``, else a new trace), ``correlation-id`` (``correlation_id``) and
        ``schema-version`` (the contract's ``info.version``).

        Args:
            operation: a send operation key (or the compiled operation).
            payload: a JSON value, a Pydantic model (dumped by alias, unset fields left out) or JSON bytes.
            headers: the application headers.
            message: which of the operation's messages (key, name or AMQP type) when it has several.
            traceparent: the trace context to fill in (a new trace when ``None``).
            correlation_id: the ``correlation-id`` to fill in.
        """
        op = operation if isinstance(operation, CompiledOperation) else self.operation(operation, SEND)
        chosen = op.message(message)
        if chosen is None:
            names = ", ".join(f"`{m.spec.key}`" for m in op.messages)
            error = MessageError("message-unknown", "message", f"say which message of `{op.key}` to send: {names}")
            return Verdict(op.key, None, [error])
        filled = self._filled(chosen, dict(headers or {}), traceparent, correlation_id)
        body, value, errors = _encode(payload)
        verdict = Verdict(op.key, chosen, errors, value, body, filled)
        if not errors:
            self._validate(chosen, value, filled, verdict.errors, len(body))
        return verdict

    def _filled(
        self, message: CompiledMessage, headers: dict[str, Any], traceparent: str | None, correlation_id: str | None
    ) -> dict[str, Any]:
        names = message.header_names
        if "message-id" in names and "message-id" not in headers:
            headers["message-id"] = _uuid4()
        if "traceparent" in names and "traceparent" not in headers:
            headers["traceparent"] = traceparent or new_traceparent()
        if "correlation-id" in names and "correlation-id" not in headers and correlation_id is not None:
            headers["correlation-id"] = correlation_id
        if "schema-version" in names and "schema-version" not in headers and self.version:
            headers["schema-version"] = self.version
        return headers

    # --- incoming -----------------------------------------------------------------------------------------
    def check_incoming(
        self,
        operation: str | CompiledOperation,
        body: bytes,
        headers: Mapping[str, Any] | None,
        *,
        content_type: str | None = None,
        content_encoding: str | None = None,
        message_type: str | None = None,
    ) -> Verdict:
        """Check a delivery: its content type and encoding, size, JSON, payload and headers.

        The message is the one whose AMQP ``type`` (``message_type``) or name matches; without a type, the one
        message of the operation, or the first of several that the delivery satisfies.
        """
        op = operation if isinstance(operation, CompiledOperation) else self.operation(operation)
        wire = _wire_headers(headers)
        if len(body) > self.max_body_bytes:
            error = MessageError(
                "body-too-large", PAYLOAD, f"the payload has {len(body)} bytes, more than {self.max_body_bytes}"
            )
            return Verdict(op.key, None, [error], headers=wire)
        candidates = list(op.messages)
        if message_type:
            chosen = op.message(message_type)
            if chosen is None:
                names = ", ".join(f"`{m.spec.message_type or m.spec.name}`" for m in op.messages)
                error = MessageError(
                    "message-unknown", "property.type", f"`{message_type}` is not a message of `{op.key}` ({names})"
                )
                return Verdict(op.key, None, [error], headers=wire)
            candidates = [chosen]
        best: Verdict | None = None
        for candidate in candidates:
            verdict = self._incoming(op, candidate, body, wire, content_type, content_encoding)
            if verdict.ok:
                return verdict
            if best is None or len(verdict.errors) < len(best.errors):
                best = verdict
        assert best is not None  # an operation has at least one message (validate ensures it)
        if len(candidates) > 1:
            names = ", ".join(f"`{m.spec.name}`" for m in candidates)
            best.errors.insert(0, MessageError("message-unknown", "message", f"matches none of {names}"))
            best.message = None
        return best

    def _incoming(
        self,
        op: CompiledOperation,
        message: CompiledMessage,
        body: bytes,
        headers: dict[str, Any],
        content_type: str | None,
        content_encoding: str | None,
    ) -> Verdict:
        verdict = Verdict(op.key, message, body=body, headers=headers)
        errors = verdict.errors
        declared = message.content_type.split(";", 1)[0].strip().lower()
        sent = (content_type or "").split(";", 1)[0].strip().lower()
        if sent != declared:
            shown = f"`{sent}`" if sent else "no content type"
            errors.append(MessageError("content-type", "property.content_type", f"{shown} is not `{declared}`"))
        encoding = (content_encoding or "").strip().lower()
        allowed = {(message.spec.content_encoding or "").lower()} | _ENCODINGS
        if encoding not in allowed:
            errors.append(
                MessageError(
                    "content-encoding", "property.content_encoding", f"`{encoding}` is not a declared encoding"
                )
            )
        if errors:
            return verdict
        if message.json:
            try:
                verdict.payload = _parse(body)
            except BadInput as exc:
                errors.append(MessageError("payload-json", PAYLOAD + exc.pointer, str(exc).replace("body", "payload")))
                return verdict
        self._validate(message, verdict.payload, headers, errors, len(body))
        if not errors and message.model is not None:
            verdict.shaped = _model_check(message, body, errors)
        return verdict

    # --- both ---------------------------------------------------------------------------------------------
    def _validate(
        self,
        message: CompiledMessage,
        payload: Any,
        headers: dict[str, Any],
        errors: list[MessageError],
        size: int,
    ) -> None:
        """Append the schema errors of the payload and headers to ``errors``.

        Every error (50 at most) of a payload up to the runtime's ``DETAIL_LIMIT``; beyond it, the first one only:
        listing every error of a large invalid payload can cost seconds (see contractkit.runtime._engine).
        """
        compiled = message.payload
        if compiled is not None and not compiled.is_valid(payload):
            found = (
                islice(compiled.errors(payload), MAX_ERRORS)
                if size <= DETAIL_LIMIT
                else [compiled.first_error(payload)]
            )
            for error in found:
                if error is not None:
                    path, text, kind, _schema = error
                    errors.append(MessageError("payload-schema", _pointer(_where(path, text, kind)), text))
        if message.headers is not None and not message.headers.is_valid(headers):
            for path, text, kind, _schema in islice(message.headers.errors(headers), max(MAX_ERRORS - len(errors), 1)):
                where = _where(path, text, kind)
                errors.append(MessageError("headers-schema", f"header.{where[0]}" if where else "headers", text))


def _uuid4() -> str:
    """Return a random version-4 UUID as text, from :func:`random.getrandbits` (no system call per message)."""
    n = (_bits(128) & ~(0xF << 76) & ~(0x3 << 62)) | (0x4 << 76) | (0x2 << 62)
    h = f"{n:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _parse(body: bytes) -> Any:
    """Parse a JSON payload with the HTTP runtime's strict, total parser (raises only :class:`BadInput`)."""
    return parse_json(body)


def _encode(payload: Any) -> tuple[bytes, Any, list[MessageError]]:
    """Return (JSON bytes, JSON value, errors) for a payload given as a value, a Pydantic model or bytes."""
    if isinstance(payload, bytes | bytearray | memoryview):
        raw = bytes(payload)
        try:
            return raw, _parse(raw), []
        except BadInput as exc:
            return (
                raw,
                None,
                [MessageError("payload-json", PAYLOAD + exc.pointer, str(exc).replace("body", "payload"))],
            )
    dump = getattr(payload, "model_dump", None)
    if callable(dump):
        payload = dump(mode="json", by_alias=True, exclude_unset=True)
    try:
        return _dumps(payload), payload, []
    except (TypeError, ValueError) as exc:
        return b"", payload, [MessageError("payload-json", PAYLOAD, f"the payload cannot be written as JSON: {exc}")]


try:  # pragma: no branch - which encoder is installed is decided once
    import msgspec

    _dumps = msgspec.json.Encoder().encode
except ImportError:  # pragma: no cover - the messaging extra installs msgspec

    def _dumps(value: Any) -> bytes:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def _wire_headers(headers: Mapping[str, Any] | None) -> dict[str, Any]:
    """Return AMQP application headers as JSON-like values (``bytes`` decoded when they are UTF-8 text).

    Names are kept as they are: AMQP header names are case-sensitive, and the contracts name them in lower case.
    """
    out = dict(headers or {})
    for name, value in out.items():
        if type(value) is str:
            continue
        if isinstance(value, bytes | bytearray):
            try:
                out[name] = bytes(value).decode("utf-8")
            except UnicodeDecodeError:
                out[name] = repr(bytes(value)[:64])
        elif isinstance(value, dt.datetime):
            out[name] = value.isoformat()
    return out


def _model_check(message: CompiledMessage, body: bytes, errors: list[MessageError]) -> Any:
    try:
        return message.model.model_validate_json(body, strict=False)
    except ValueError as exc:  # pydantic.ValidationError is a ValueError
        details = getattr(exc, "errors", None)
        for item in (details() if callable(details) else [])[:MAX_ERRORS]:
            errors.append(MessageError("payload-model", _pointer(tuple(item.get("loc", ()))), model_error_text(item)))
        if not errors:
            errors.append(MessageError("payload-model", PAYLOAD, str(exc)))
    return None


#: What pydantic puts before the text of an error a validator raised (`ValueError`, `assert`): not the user's words.
_PYDANTIC_PREFIXES = ("Value error, ", "Assertion failed, ")


def model_error_text(item: Mapping[str, Any]) -> str:
    """Return the message of one of pydantic's ``ValidationError.errors()`` items, as its validator wrote it.

    Example:
        >>> model_error_text({"type": "value_error", "msg": "Value error, must start with ORD-"})
        'must start with ORD-'
    """
    text = str(item.get("msg", ""))
    for prefix in _PYDANTIC_PREFIXES:
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text


_REQUIRED = re.compile(r'^"(?P<name>.*)" is a required property$')


def _where(path: tuple[str | int, ...], text: str, kind: str) -> tuple[str | int, ...]:
    """Return where an error is; a missing required property is located at the property, not at its parent."""
    if kind in ("Required", "required"):
        found = _REQUIRED.match(text)
        if found is not None:
            return (*path, found["name"])
    return path


def _pointer(path: tuple[str | int, ...]) -> str:
    """Return the location of a value in the payload: ``payload#`` and a JSON Pointer (``payload#/items/0``)."""
    return PAYLOAD + "".join("/" + escape(str(part)) for part in path)


__all__ = ["MessageContract", "Verdict"]
