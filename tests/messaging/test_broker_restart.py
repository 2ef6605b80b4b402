"""A broker restart in the middle of a 10,000-message stream loses nothing: in = handled + dead-lettered, counted.

The producer publishes with confirms and publishes again whatever was not confirmed (at least once); the
consumer validates, handles or dead-letters, and acknowledges after. The node is stopped and started again
while messages are in flight. Every message id that went in must come out: handled by the handler, or in the
dead-letter queue with a reason (the invalid ones). Duplicates are allowed (at-least-once) and counted.
"""

from __future__ import annotations

import asyncio
import json
import uuid

import aio_pika

from contractkit.messaging import ContractClient, PublishFailed, Received, RetryPolicy
from contractkit.messaging.testing import LocalBroker

from ._support import ORDER_EVENTS, clean_broker, example

TOTAL = 10_000
INVALID_EVERY = 50  # 200 of the 10,000 break the contract: they must all be dead-lettered
IN_FLIGHT = 200
ORDER = example("order-events", "OrderCreated")


async def _produce(client: ContractClient, ids: list[str], invalid: set[str], stats: dict[str, int]) -> None:
    """Publish every id, confirmed; what is not confirmed (the broker went away) is published again."""
    semaphore = asyncio.Semaphore(IN_FLIGHT)

    async def one(message_id: str) -> None:
        async with semaphore:
            while True:
                try:
                    if message_id in invalid:
                        raw = aio_pika.Message(
                            b'{"order_id": "broken"}',
                            content_type="application/json",
                            type="order.created",
                            message_id=message_id,
                            headers={**ORDER["headers"], "message-id": message_id},
                            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                        )
                        await client.publish_raw("orders.events", "order.created", raw, timeout=5)
                    else:
                        await client.publish(
                            "publishOrderCreated",
                            ORDER["payload"],
                            headers={"message-id": message_id},
                            correlation_id="stream",
                            timeout=5,
                        )
                    return
                except PublishFailed:
                    stats["republished"] += 1
                    await asyncio.sleep(0.2)

    await asyncio.gather(*(one(message_id) for message_id in ids))


async def _drain_dlq(url: str) -> list[str]:
    connection = await aio_pika.connect(url)
    try:
        channel = await connection.channel()
        queue = await channel.get_queue("orders.events.dlq", ensure=False)
        found = []
        while (message := await queue.get(fail=False)) is not None:
            reason = message.headers.get("x-contractkit-reason")
            assert reason == "payload-schema", reason
            found.append(str(message.message_id))
            await message.ack()
        return found
    finally:
        await connection.close()


def test_a_broker_restart_mid_stream_loses_nothing(rabbit: LocalBroker) -> None:
    ids = [str(uuid.uuid4()) for _ in range(TOTAL)]
    invalid = set(ids[::INVALID_EVERY])
    stats = {"republished": 0}
    handled: list[str] = []

    async def handler(received: Received) -> None:
        handled.append(str(received.message_id))

    async def scenario() -> list[str]:
        await clean_broker(rabbit.url)
        retry = RetryPolicy(attempts=2, initial=0.01, maximum=0.05, jitter=0.0)
        async with ContractClient(
            ORDER_EVENTS, rabbit.url, metrics=False, retry=retry, reconnect_interval=0.3, prefetch=64
        ) as client:
            await client.consume("consumeOrderIntake", handler)
            producer = asyncio.create_task(_produce(client, ids, invalid, stats))
            while len(handled) < TOTAL // 3:
                await asyncio.sleep(0.05)
            await asyncio.to_thread(rabbit.restart)  # every connection drops; unacked deliveries come back
            await asyncio.wait_for(producer, timeout=120)
            expected = set(ids) - invalid
            deadline = asyncio.get_running_loop().time() + 120
            while not expected <= set(handled) and asyncio.get_running_loop().time() < deadline:
                await asyncio.sleep(0.1)
            await asyncio.sleep(0.5)  # the last dead letters are confirmed before their originals are acked
        return await _drain_dlq(rabbit.url)

    dead = asyncio.run(scenario())
    missing = set(ids) - set(handled) - set(dead)
    report = {
        "in": TOTAL,
        "handled": len(set(handled)),
        "dead_lettered": len(set(dead)),
        "duplicates": len(handled) - len(set(handled)) + len(dead) - len(set(dead)),
        "republished": stats["republished"],
    }
    print(json.dumps(report))
    assert missing == set(), f"{len(missing)} messages lost: {report}"
    assert set(handled) == set(ids) - invalid, report
    assert set(dead) == invalid, report
    assert report["handled"] + report["dead_lettered"] == TOTAL
