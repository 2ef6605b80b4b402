"""What the messaging tests share: the contracts, their examples, a broker cleaner and a recording handler."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from contractkit.messaging import MessageContract, Received
from contractkit.messaging.topology import plan_topology

ROOT = Path(__file__).resolve().parents[2]
ORDER_EVENTS = ROOT / "contracts" / "order-events" / "asyncapi.yaml"
PARTNER_NOTIFICATIONS = ROOT / "contracts" / "partner-notifications" / "asyncapi.yaml"
CONTRACTS = {"order-events": ORDER_EVENTS, "partner-notifications": PARTNER_NOTIFICATIONS}
EXTRA_QUEUES: set[str] = set()  # queues a test declared outside the contracts (deleted before the next test)


def contract(name: str) -> MessageContract:
    return MessageContract.from_spec(CONTRACTS[name])


def example(name: str, component: str) -> dict[str, Any]:
    """The first example (payload and headers) of the component message ``component``."""
    doc = yaml.safe_load(CONTRACTS[name].read_text())
    found = doc["components"]["messages"][component]["examples"][0]
    return {"payload": found["payload"], "headers": {k: str(v) for k, v in found["headers"].items()}}


async def clean_broker(url: str) -> None:
    import aio_pika

    connection = await aio_pika.connect(url)
    try:
        names = set(EXTRA_QUEUES)
        exchanges: set[str] = set()
        for path in CONTRACTS.values():
            topology = plan_topology(MessageContract.from_spec(path).view)
            names.update(q.name for q in topology.queues)
            exchanges.update(e.name for e in topology.exchanges)
        for name in sorted(names):
            channel = await connection.channel()
            await channel.queue_delete(name)
            await channel.close()
        for name in sorted(exchanges):
            channel = await connection.channel()
            await channel.exchange_delete(name)
            await channel.close()
    finally:
        await connection.close()
    EXTRA_QUEUES.clear()


@dataclass
class Recorder:
    """A handler that records what it receives; fails the first ``failures`` calls per message id."""

    failures: int = 0
    received: list[Received] = field(default_factory=list)
    calls: dict[str | None, int] = field(default_factory=dict)
    event: asyncio.Event = field(default_factory=asyncio.Event)
    expected: int = 1

    async def __call__(self, received: Received) -> None:
        count = self.calls[received.message_id] = self.calls.get(received.message_id, 0) + 1
        if count <= self.failures:
            raise RuntimeError(f"downstream unavailable (call {count})")
        self.received.append(received)
        if len(self.received) >= self.expected:
            self.event.set()
