"""The reason headers of a dead letter: why it was refused, where, by which contract, and where it came from.

A consumer that refuses a delivery publishes it, unchanged (same body, properties and headers), to its queue's
dead-letter exchange with these headers added, then acknowledges the original: the broker's own dead-lettering
(``basic.reject``) cannot add headers. :func:`reason_headers` builds them, :class:`DeadLetterReason` reads them
back (for ``contractkit dlq``); docs/messaging.md has the table.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from contractkit.messaging.errors import MessageError

PREFIX = "x-contractkit-"
REASON = PREFIX + "reason"
LOCATION = PREFIX + "location"
MESSAGE = PREFIX + "message"
ERRORS = PREFIX + "errors"
CONTRACT = PREFIX + "contract"
CONTRACT_VERSION = PREFIX + "contract-version"
OPERATION = PREFIX + "operation"
FIRST_SEEN = PREFIX + "first-seen"
DEAD_LETTERED_AT = PREFIX + "dead-lettered-at"
DELIVERY_COUNT = PREFIX + "delivery-count"
EXCEPTION = PREFIX + "exception"
ORIGINAL_EXCHANGE = PREFIX + "original-exchange"
ORIGINAL_ROUTING_KEY = PREFIX + "original-routing-key"
QUEUE = PREFIX + "queue"
REPLAY_COUNT = PREFIX + "replay-count"
REPLAYED_AT = PREFIX + "replayed-at"
REPLAY_ID = PREFIX + "replay-id"

#: The reason of a handler that kept failing (the other reasons are the validation rules of :class:`MessageError`).
HANDLER_FAILED = "handler-failed"
_MAX_TEXT = 1000
_MAX_ERRORS = 20


def now_iso() -> str:
    """Return the current UTC time as ISO 8601 with milliseconds (``2025-03-17T06:02:11.123Z``)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def reason_headers(
    *,
    errors: Sequence[MessageError],
    contract: str,
    version: str,
    operation: str,
    queue: str,
    exchange: str,
    routing_key: str,
    previous: Mapping[str, Any],
    delivery_count: int,
    exception: BaseException | None = None,
) -> dict[str, Any]:
    """Return the headers to add to a dead letter (``previous``: its headers, to keep a first-seen time)."""
    first = errors[0] if errors else MessageError(HANDLER_FAILED, "handler", "the handler failed")
    headers: dict[str, Any] = {
        REASON: first.rule,
        LOCATION: first.location,
        MESSAGE: first.message[:_MAX_TEXT],
        ERRORS: json.dumps(
            [{"rule": e.rule, "location": e.location, "message": e.message[:_MAX_TEXT]} for e in errors[:_MAX_ERRORS]]
        ),
        CONTRACT: contract,
        CONTRACT_VERSION: version,
        OPERATION: operation,
        QUEUE: queue,
        ORIGINAL_EXCHANGE: str(previous.get(ORIGINAL_EXCHANGE, exchange)),
        ORIGINAL_ROUTING_KEY: str(previous.get(ORIGINAL_ROUTING_KEY, routing_key)),
        FIRST_SEEN: str(previous.get(FIRST_SEEN) or now_iso()),
        DEAD_LETTERED_AT: now_iso(),
        DELIVERY_COUNT: delivery_count,
    }
    if exception is not None:
        headers[EXCEPTION] = type(exception).__qualname__
    return headers


def handler_error(exception: BaseException) -> MessageError:
    """Return the error a failing handler leaves: its exception's class and text."""
    text = str(exception) or repr(exception)
    return MessageError(HANDLER_FAILED, "handler", f"{type(exception).__qualname__}: {text}"[:_MAX_TEXT])


@dataclass(frozen=True, slots=True)
class DeadLetterReason:
    """The reason headers of a dead letter, read back.

    Attributes:
        reason: the rule (``payload-schema``...) or ``handler-failed``; ``broker:<why>`` for a letter the broker
            dead-lettered itself (``x-death``: ``rejected``, ``expired``, ``delivery_limit``, ``maxlen``).
        errors: every error the consumer recorded.
        queue: the queue it was refused from; ``exchange``/``routing_key``: where it was first published.
    """

    reason: str
    location: str
    message: str
    errors: tuple[MessageError, ...]
    contract: str | None
    contract_version: str | None
    operation: str | None
    queue: str | None
    exchange: str | None
    routing_key: str | None
    first_seen: str | None
    dead_lettered_at: str | None
    delivery_count: int
    exception: str | None
    replay_count: int

    @classmethod
    def from_headers(cls, headers: Mapping[str, Any]) -> DeadLetterReason:
        """Read the reason of a dead letter from its headers (ours, else the broker's ``x-death``)."""
        if REASON in headers:
            return cls(
                reason=_text(headers.get(REASON)) or "unknown",
                location=_text(headers.get(LOCATION)) or "",
                message=_text(headers.get(MESSAGE)) or "",
                errors=_errors(headers.get(ERRORS)),
                contract=_text(headers.get(CONTRACT)),
                contract_version=_text(headers.get(CONTRACT_VERSION)),
                operation=_text(headers.get(OPERATION)),
                queue=_text(headers.get(QUEUE)),
                exchange=_text(headers.get(ORIGINAL_EXCHANGE)),
                routing_key=_text(headers.get(ORIGINAL_ROUTING_KEY)),
                first_seen=_text(headers.get(FIRST_SEEN)),
                dead_lettered_at=_text(headers.get(DEAD_LETTERED_AT)),
                delivery_count=_int(headers.get(DELIVERY_COUNT)),
                exception=_text(headers.get(EXCEPTION)),
                replay_count=_int(headers.get(REPLAY_COUNT)),
            )
        death = _first_death(headers.get("x-death"))
        why = _text(death.get("reason")) or "unknown"
        keys = death.get("routing-keys")
        stamp = death.get("time")
        return cls(
            reason=f"broker:{why}",
            location="",
            message=f"dead-lettered by the broker ({why})",
            errors=(),
            contract=None,
            contract_version=None,
            operation=None,
            queue=_text(death.get("queue")),
            exchange=_text(death.get("exchange")),
            routing_key=_text(keys[0]) if isinstance(keys, list) and keys else None,
            first_seen=stamp.isoformat() if isinstance(stamp, dt.datetime) else None,
            dead_lettered_at=stamp.isoformat() if isinstance(stamp, dt.datetime) else None,
            delivery_count=_int(death.get("count")),
            exception=None,
            replay_count=_int(headers.get(REPLAY_COUNT)),
        )


def _first_death(value: Any) -> dict[str, Any]:
    if isinstance(value, list) and value and isinstance(value[0], Mapping):
        return {str(k): v for k, v in value[0].items()}
    return {}


def _errors(value: Any) -> tuple[MessageError, ...]:
    text = _text(value)
    if not text:
        return ()
    try:
        items = json.loads(text)
    except ValueError:
        return ()
    found = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            found.append(
                MessageError(str(item.get("rule", "")), str(item.get("location", "")), str(item.get("message", "")))
            )
    return tuple(found)


def _text(value: Any) -> str | None:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value if isinstance(value, str) else None if value is None else str(value)


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
