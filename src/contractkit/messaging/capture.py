"""Listen to what a service publishes on a send operation, on a temporary queue, and check each message.

The queue is exclusive and auto-deleted (it disappears with the connection), bound to the operation's exchange
with its routing key, so it receives a copy of every message published there without disturbing the service's
own consumers. Used by the contract tests (:mod:`contractkit.messagefuzz`) and the round-trip tests.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from contractkit.messaging.contract import MessageContract, Verdict
from contractkit.spec.asyncapi import SEND

if TYPE_CHECKING:
    from aio_pika.abc import AbstractChannel, AbstractQueue


@dataclass(frozen=True, slots=True)
class Captured:
    """One captured message and the verdict on it against the send operation."""

    verdict: Verdict
    routing_key: str
    message_id: str | None


class Capture:
    """A temporary queue bound to one send operation's exchange and routing key (see the module docstring)."""

    def __init__(self, contract: MessageContract, operation: str, channel: AbstractChannel) -> None:
        """Prepare a capture (use :meth:`open`)."""
        self.contract = contract
        self.operation = contract.operation(operation, SEND)
        self.channel = channel
        self._queue: AbstractQueue | None = None
        self._buffer: asyncio.Queue[Captured] = asyncio.Queue()
        self._tag: str | None = None

    @classmethod
    async def open(cls, contract: MessageContract, operation: str, connection: Any) -> Capture:
        """Declare and bind the temporary queue on a new channel of ``connection`` and start listening."""
        channel = await connection.channel()
        capture = cls(contract, operation, channel)
        queue = await channel.declare_queue("", exclusive=True, auto_delete=True)
        op = capture.operation
        if op.exchange:
            await queue.bind(op.exchange, routing_key=op.routing_key)
        capture._queue = queue
        capture._tag = await queue.consume(capture._on_message, no_ack=True)
        return capture

    async def _on_message(self, incoming: Any) -> None:
        verdict = self.contract.check_incoming(
            self.operation,
            incoming.body,
            dict(incoming.headers or {}),
            content_type=incoming.content_type,
            content_encoding=incoming.content_encoding,
            message_type=incoming.type,
        )
        await self._buffer.put(Captured(verdict, incoming.routing_key or "", incoming.message_id))

    async def next(self, timeout: float) -> Captured | None:
        """Return the next captured message, or ``None`` if none came within ``timeout`` seconds."""
        try:
            return await asyncio.wait_for(self._buffer.get(), timeout)
        except TimeoutError:
            return None

    def drain(self) -> list[Captured]:
        """Return every message captured and not yet taken."""
        found = []
        while not self._buffer.empty():
            found.append(self._buffer.get_nowait())
        return found

    async def close(self) -> None:
        """Stop listening and close the channel (the queue goes with it)."""
        if not self.channel.is_closed:
            await self.channel.close()
