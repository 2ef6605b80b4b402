"""Dead letters you can work with: list them grouped by reason, show one, replay selected ones, purge.

Reading never loses anything: the dead-letter queue is browsed with unacknowledged gets (at most the number of
messages it held when the command started, so a letter that comes back during a replay is not met twice);
whatever is not replayed or purged goes back when the channel closes.

A replay takes each selected letter, checks it again against the receive operation of the queue it was refused
from (a letter that is still invalid stays, with the errors reported), publishes it unchanged (same body,
properties and ``message-id``; the reason headers and the broker's ``x-death`` removed,
``x-contractkit-replay-count`` raised) and confirmed, and only then acknowledges it in the dead-letter queue.
By default it goes back to the queue it failed in, through the default exchange (what the contracts say: only
the consumer that failed receives it again); ``to_origin=True`` republishes to its original exchange and routing
key instead. A letter that was replayed once is not replayed again unless asked (``include_replayed``): a
replay cannot loop. If the process dies between the confirm and the acknowledgement, the letter may be
delivered twice: consumers de-duplicate on ``message-id`` (at least once, as everywhere on the broker).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contractkit.errors import UsageError
from contractkit.messaging import deadletter
from contractkit.messaging.contract import MessageContract
from contractkit.messaging.deadletter import DeadLetterReason
from contractkit.messaging.errors import MessageError
from contractkit.messaging.observability import MessageObserver
from contractkit.messaging.topology import Topology, plan_topology

_DROPPED_HEADERS = (
    "x-death",
    "x-first-death-exchange",
    "x-first-death-queue",
    "x-first-death-reason",
    "x-delivery-count",
)
_KEPT_OURS = (deadletter.FIRST_SEEN, deadletter.ORIGINAL_EXCHANGE, deadletter.ORIGINAL_ROUTING_KEY)


@dataclass(frozen=True, slots=True)
class DeadLetter:
    """One dead letter, as read from the dead-letter queue.

    Attributes:
        message_id: its AMQP ``message_id`` (else its ``message-id`` header).
        reason: why it is there (:class:`DeadLetterReason`).
        body: the payload, unchanged.
        headers: every header (reasons included).
        properties: its AMQP properties (``content_type``, ``type``, ``correlation_id``...).
        age: seconds since it was dead-lettered (``None`` when no header says when).
    """

    message_id: str | None
    reason: DeadLetterReason
    body: bytes
    headers: dict[str, Any]
    properties: dict[str, Any]
    age: float | None

    def as_json(self, *, with_body: bool = True) -> dict[str, Any]:
        """Return it as JSON values (``--format json``)."""
        r = self.reason
        out: dict[str, Any] = {
            "message_id": self.message_id,
            "reason": r.reason,
            "location": r.location,
            "message": r.message,
            "errors": [e._asdict() for e in r.errors],
            "contract": r.contract,
            "contract_version": r.contract_version,
            "operation": r.operation,
            "queue": r.queue,
            "original_exchange": r.exchange,
            "original_routing_key": r.routing_key,
            "first_seen": r.first_seen,
            "dead_lettered_at": r.dead_lettered_at,
            "delivery_count": r.delivery_count,
            "exception": r.exception,
            "replay_count": r.replay_count,
            "age_seconds": round(self.age, 3) if self.age is not None else None,
            "properties": {k: _json_safe(v) for k, v in self.properties.items()},
        }
        if with_body:
            out["payload"] = self.body.decode("utf-8", "replace")
            out["headers"] = {k: _json_safe(v) for k, v in self.headers.items()}
        return out


@dataclass(frozen=True, slots=True)
class ReasonGroup:
    """The dead letters that share a reason, for ``dlq list``."""

    reason: str
    count: int
    queues: tuple[str, ...]
    location: str
    message: str
    oldest: float | None
    message_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DeadLetterSelection:
    """Which dead letters a replay or purge takes (all the given criteria at once; nothing given: none).

    Attributes:
        message_ids: these message ids.
        reason: this reason (``payload-schema``, ``handler-failed``, ``broker:rejected``...).
        older_than: dead-lettered at least this many seconds ago.
        everything: every dead letter (needed when no other criterion is given).
    """

    message_ids: frozenset[str] = frozenset()
    reason: str | None = None
    older_than: float | None = None
    everything: bool = False

    def __post_init__(self) -> None:
        """Refuse a selection that names nothing (a replay or purge of everything must be explicit)."""
        if not (self.message_ids or self.reason or self.older_than is not None or self.everything):
            raise UsageError(
                "no dead letters selected",
                tip="select with --id, --reason or --older-than, or pass --all to take every one.",
            )

    def matches(self, letter: DeadLetter) -> bool:
        """Return whether ``letter`` is selected."""
        if self.message_ids and letter.message_id not in self.message_ids:
            return False
        if self.reason is not None and letter.reason.reason != self.reason:
            return False
        return self.older_than is None or (letter.age is not None and letter.age >= self.older_than)


@dataclass(slots=True)
class ReplayReport:
    """What a replay or purge did.

    Attributes:
        done: the message ids replayed (or purged).
        refused: message id -> why it still breaks the contract (left in the dead-letter queue).
        skipped: message id -> why it was not taken (already replayed, no queue to go back to...).
        failed: message id -> why the broker did not take it (left in the dead-letter queue).
    """

    done: list[str] = field(default_factory=list)
    refused: dict[str, list[MessageError]] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """Return it as JSON values."""
        return {
            "done": self.done,
            "refused": {k: [e._asdict() for e in v] for k, v in self.refused.items()},
            "skipped": self.skipped,
            "failed": self.failed,
        }


class DeadLetterQueue:
    """The dead-letter queue of a contract on a broker (see the module docstring).

    Args:
        spec: the contract (path, dict, catalog id, generated package or :class:`MessageContract`).
        url: the broker's AMQP URL.
        queue: the dead-letter queue; needed only when the contract has several. It must be one (a queue of the
            contract bound to a queue's dead-letter exchange): any other queue holds live messages, not letters.
        limit: the most letters one command reads.
        metrics: where ``replayed`` is counted (as for the runtime: ``None`` the default registry, ``False`` none).
        catalog: the catalog file to look a contract id up in (default: ``contracts/catalog.yaml`` here or above).
    """

    def __init__(
        self,
        spec: object,
        url: str,
        *,
        queue: str | None = None,
        limit: int = 10_000,
        metrics: Any = None,
        catalog: Path | None = None,
    ) -> None:
        """Compile the contract and find its dead-letter queue.

        Raises:
            UsageError: ``queue`` is not a dead-letter queue of the contract, or none is given and the contract has
                several (or none).
        """
        self.contract = MessageContract.from_spec(spec, catalog=catalog)
        self.topology: Topology = plan_topology(self.contract.view)
        self.url = url
        self.limit = limit
        self.queue = _dead_letter_queue(self.contract.name, self.topology, queue)
        self.observer = MessageObserver(self.contract.name, metrics)

    async def letters(self) -> list[DeadLetter]:
        """Return every dead letter (up to ``limit``), oldest first; the queue is left as it was."""
        found: list[DeadLetter] = []

        async def keep(letter: DeadLetter, _message: Any) -> None:
            found.append(letter)

        await self._browse(keep)
        return found

    async def groups(self) -> list[ReasonGroup]:
        """Return the dead letters grouped by reason, the biggest group first."""
        return group_by_reason(await self.letters())

    async def show(self, message_id: str) -> DeadLetter | None:
        """Return the dead letter with ``message_id``, ``None`` if there is none."""
        return next((letter for letter in await self.letters() if letter.message_id == message_id), None)

    async def replay(
        self, selection: DeadLetterSelection, *, to_origin: bool = False, include_replayed: bool = False
    ) -> ReplayReport:
        """Replay the selected dead letters after a fix (see the module docstring)."""
        import aio_pika

        report = ReplayReport()
        connection = await self._connect()
        try:
            publisher = await connection.channel(publisher_confirms=True, on_return_raises=True)

            async def take(letter: DeadLetter, message: Any) -> None:
                key = letter.message_id or "(no message id)"
                if not selection.matches(letter):
                    return
                if letter.reason.replay_count and not include_replayed:
                    report.skipped[key] = "replayed once already (pass --include-replayed to replay it again)"
                    return
                target = self._target(letter, to_origin)
                if isinstance(target, str):
                    report.skipped[key] = target
                    return
                errors = self._recheck(letter)
                if errors:
                    report.refused[key] = errors
                    return
                exchange, routing_key = target
                copy = aio_pika.Message(
                    letter.body,
                    headers=_replay_headers(letter.headers),
                    delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                    **{k: v for k, v in letter.properties.items() if k in _COPIED},
                )
                try:
                    destination = (
                        publisher.default_exchange
                        if exchange == ""
                        else await publisher.get_exchange(exchange, ensure=False)
                    )
                    await destination.publish(copy, routing_key=routing_key, mandatory=True, timeout=30)
                except (aio_pika.exceptions.AMQPError, OSError, TimeoutError) as exc:
                    report.failed[key] = f"not confirmed by the broker: {exc!r}"
                    return
                await message.ack()
                report.done.append(key)
                self.observer.count(letter.reason.queue or self.queue, _message_name(letter), "replayed")

            await self._browse(take, connection)
        finally:
            await connection.close()
        return report

    async def purge(self, selection: DeadLetterSelection) -> ReplayReport:
        """Delete the selected dead letters for good."""
        report = ReplayReport()

        async def drop(letter: DeadLetter, message: Any) -> None:
            if selection.matches(letter):
                await message.ack()
                report.done.append(letter.message_id or "(no message id)")

        await self._browse(drop)
        return report

    # --- helpers ------------------------------------------------------------------------------------------
    async def _connect(self) -> Any:

        import aio_pika

        from contractkit.messaging.errors import broker_unreachable

        try:
            return await aio_pika.connect(self.url)
        except (TimeoutError, OSError, aio_pika.exceptions.AMQPError) as exc:
            raise broker_unreachable(self.url, exc) from None

    async def _browse(self, visit: Any, connection: Any = None) -> None:
        import aio_pika

        own = connection is None
        connection = connection or await self._connect()
        try:
            channel = await connection.channel()
            try:
                queue = await channel.declare_queue(self.queue, passive=True)
            except aio_pika.exceptions.ChannelNotFoundEntity:
                raise UsageError(
                    f"the dead-letter queue `{self.queue}` does not exist on the broker",
                    title="no dead-letter queue",
                    tip="start a consumer of the contract (it declares the topology) or check the URL's vhost.",
                ) from None
            present = min(queue.declaration_result.message_count or 0, self.limit)
            now = dt.datetime.now(dt.UTC)
            for _ in range(present):
                message = await queue.get(no_ack=False, fail=False)
                if message is None:
                    break
                await visit(_letter(message, now), message)
            await channel.close()  # every letter not acknowledged goes back
        finally:
            if own:
                await connection.close()

    def _target(self, letter: DeadLetter, to_origin: bool) -> tuple[str, str] | str:
        if to_origin:
            if letter.reason.exchange is None or letter.reason.routing_key is None:
                return "its original exchange and routing key are unknown"
            return letter.reason.exchange, letter.reason.routing_key
        if not letter.reason.queue:
            return "the queue it was refused from is unknown (replay it with --to-origin)"
        return "", letter.reason.queue

    def _recheck(self, letter: DeadLetter) -> list[MessageError]:
        op = self.contract.receive_for_queue(letter.reason.queue or "")
        if op is None:
            return []  # a queue of another contract: its consumer checks it
        verdict = self.contract.check_incoming(
            op,
            letter.body,
            _replay_headers(letter.headers),
            content_type=letter.properties.get("content_type"),
            content_encoding=letter.properties.get("content_encoding"),
            message_type=letter.properties.get("type"),
        )
        return verdict.errors


_COPIED = (
    "content_type",
    "content_encoding",
    "priority",
    "correlation_id",
    "reply_to",
    "message_id",
    "timestamp",
    "type",
    "app_id",
)


def group_by_reason(letters: Iterable[DeadLetter]) -> list[ReasonGroup]:
    """Group dead letters by reason (the biggest group first, then by name)."""
    grouped: dict[str, list[DeadLetter]] = defaultdict(list)
    for letter in letters:
        grouped[letter.reason.reason].append(letter)
    groups = []
    for reason, items in grouped.items():
        ages = [item.age for item in items if item.age is not None]
        groups.append(
            ReasonGroup(
                reason=reason,
                count=len(items),
                queues=tuple(sorted({item.reason.queue or "?" for item in items})),
                location=items[0].reason.location,
                message=items[0].reason.message,
                oldest=max(ages) if ages else None,
                message_ids=tuple(item.message_id or "?" for item in items),
            )
        )
    return sorted(groups, key=lambda g: (-g.count, g.reason))


def _dead_letter_queue(contract: str, topology: Topology, queue: str | None) -> str:
    queues = sorted(topology.dead_letter_queues())
    if not queues:
        raise UsageError(
            f"contract `{contract}` has no dead-letter queue (no queue of it is bound to a queue's dead-letter "
            "exchange)",
            title="no dead-letter queue",
            tip="bind a queue to the dead-letter exchange in the contract (`x-bound-to`), as `order-events` binds "
            "`orders.events.dlq`.",
        )
    named = ", ".join(f"`{name}`" for name in queues)
    if queue is not None and queue not in queues:
        detail = (
            f"`{queue}` is not a dead-letter queue of contract `{contract}`: it holds live messages, not dead letters"
            if topology.queue(queue) is not None
            else f"contract `{contract}` declares no queue `{queue}`"
        )
        raise UsageError(
            detail, title="not a dead-letter queue", tip=f"name a dead-letter queue of `{contract}`: {named}."
        )
    if queue is not None:
        return queue
    if len(queues) == 1:
        return queues[0]
    raise UsageError(
        f"contract `{contract}` has several dead-letter queues: {named}",
        title="which dead-letter queue?",
        tip=f"choose one with --queue: {named}.",
    )


def _letter(message: Any, now: dt.datetime) -> DeadLetter:
    headers = dict(message.headers or {})
    reason = DeadLetterReason.from_headers(headers)
    when = _parse_time(reason.dead_lettered_at)
    properties = {
        "content_type": message.content_type,
        "content_encoding": message.content_encoding,
        "correlation_id": message.correlation_id,
        "message_id": message.message_id,
        "type": message.type,
        "timestamp": message.timestamp,
        "priority": message.priority,
        "reply_to": message.reply_to,
        "app_id": message.app_id,
    }
    header_id = headers.get("message-id")
    return DeadLetter(
        message_id=message.message_id or (header_id if isinstance(header_id, str) else None),
        reason=reason,
        body=bytes(message.body),
        headers=headers,
        properties={k: v for k, v in properties.items() if v is not None},
        age=(now - when).total_seconds() if when is not None else None,
    )


def _replay_headers(headers: dict[str, Any]) -> dict[str, Any]:
    kept = {
        k: v
        for k, v in headers.items()
        if k not in _DROPPED_HEADERS and (not k.startswith(deadletter.PREFIX) or k in _KEPT_OURS)
    }
    previous = headers.get(deadletter.REPLAY_COUNT)
    count = previous if isinstance(previous, int) and not isinstance(previous, bool) else 0
    kept[deadletter.REPLAY_COUNT] = count + 1
    kept[deadletter.REPLAYED_AT] = deadletter.now_iso()
    return kept


def _parse_time(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.UTC)


def _message_name(letter: DeadLetter) -> str:
    kind = letter.properties.get("type")
    return kind if isinstance(kind, str) else "unknown"


def _json_safe(value: Any) -> Any:
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", "replace")
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    return value


__all__ = ["DeadLetter", "DeadLetterQueue", "DeadLetterSelection", "ReasonGroup", "ReplayReport", "group_by_reason"]
