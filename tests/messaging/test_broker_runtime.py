"""The aio-pika runtime against a real RabbitMQ: refusals, dead letters with reasons, retries, topology conflicts."""

from __future__ import annotations

import asyncio
from typing import Any

import aio_pika
import pytest

from contractkit.messaging import (
    BrokerUnreachable,
    ContractClient,
    MessageContract,
    MessageRefused,
    PublishFailed,
    RetryPolicy,
    TopologyConflict,
)
from contractkit.messaging.capture import Capture
from contractkit.messaging.deadletter import DeadLetterReason
from contractkit.messaging.topology import plan_topology

from ._support import EXTRA_QUEUES, ORDER_EVENTS, Recorder, example

ORDER = example("order-events", "OrderCreated")
FAST = RetryPolicy(attempts=3, initial=0.01, maximum=0.05, jitter=0.0)


async def dead_letters(
    connection: Any, count: int, timeout: float = 10.0
) -> list[aio_pika.abc.AbstractIncomingMessage]:
    """Take ``count`` messages from the DLQ (acknowledged), waiting up to ``timeout`` seconds for them."""
    channel = await connection.channel()
    queue = await channel.get_queue("orders.events.dlq", ensure=False)
    found: list[Any] = []
    deadline = asyncio.get_running_loop().time() + timeout
    while len(found) < count and asyncio.get_running_loop().time() < deadline:
        message = await queue.get(fail=False)
        if message is None:
            await asyncio.sleep(0.05)
            continue
        await message.ack()
        found.append(message)
    return found


def test_an_invalid_publish_is_refused_and_nothing_leaves(amqp_url: str) -> None:
    async def scenario() -> None:
        async with ContractClient(ORDER_EVENTS, amqp_url, metrics=False) as client:
            capture = await Capture.open(client.contract, "publishOrderCreated", client._connection)
            bad = {**ORDER["payload"], "items": [{**ORDER["payload"]["items"][0], "quantity": -3}]}
            with pytest.raises(MessageRefused) as info:
                await client.publish("publishOrderCreated", bad, correlation_id="c-1")
            assert [(e.rule, e.location) for e in info.value.errors] == [
                ("payload-schema", "payload#/items/0/quantity")
            ]
            assert "payload#/items/0/quantity" in str(info.value)
            assert await capture.next(timeout=0.5) is None

    asyncio.run(scenario())


def test_an_unroutable_publish_raises(amqp_url: str) -> None:
    async def scenario() -> None:
        async with ContractClient(ORDER_EVENTS, amqp_url, metrics=False) as client:
            # nothing of the contract binds `order.status_changed`, and the operation says `mandatory: true`
            sample = example("order-events", "OrderStatusChanged")
            with pytest.raises(PublishFailed) as info:
                await client.publish("publishOrderStatusChanged", sample["payload"], correlation_id="c")
        assert "no queue is bound to `orders.events` with `order.status_changed`" in info.value.detail

    asyncio.run(scenario())


@pytest.mark.parametrize(
    ("failures", "handled", "dead"),
    [pytest.param(2, 1, 0, id="succeeds-on-the-third-attempt"), pytest.param(9, 0, 1, id="dead-lettered-after-three")],
)
def test_a_failing_handler_is_retried_then_dead_lettered(amqp_url: str, failures: int, handled: int, dead: int) -> None:
    async def scenario() -> None:
        recorder = Recorder(failures=failures)
        async with ContractClient(ORDER_EVENTS, amqp_url, metrics=False, retry=FAST) as client:
            await client.consume("consumeOrderIntake", recorder)
            message_id = await client.publish("publishOrderCreated", ORDER["payload"], correlation_id="c-2")
            letters = await dead_letters(client._connection, dead, timeout=5 if dead else 0)
            if handled:
                await asyncio.wait_for(recorder.event.wait(), 5)
        assert recorder.calls[message_id] == min(failures + 1, 3)
        assert len(recorder.received) == handled
        assert len(letters) == dead
        if dead:
            reason = DeadLetterReason.from_headers(letters[0].headers)
            assert (reason.reason, reason.exception) == ("handler-failed", "RuntimeError")
            assert reason.message == "RuntimeError: downstream unavailable (call 3)"
            assert reason.delivery_count == 3
            assert (reason.exchange, reason.routing_key, reason.queue) == (
                "orders.events",
                "order.created",
                "mes.order-intake",
            )
            assert letters[0].message_id == message_id
            assert letters[0].body == ORDER_BODY

    asyncio.run(scenario())


ORDER_BODY = __import__("json").dumps(ORDER["payload"], separators=(",", ":")).encode()


def _on(name: str) -> str:
    return f"queue `{name}` (vhost `/`): "


@pytest.mark.parametrize(
    ("queue", "arguments", "expected"),
    [
        pytest.param(
            "mes.order-intake",
            {"x-queue-type": "classic", "x-delivery-limit": None},
            [_on("mes.order-intake") + "`x-queue-type` is `classic` on the broker, the contract says `quorum`"],
            id="queue-type",
        ),
        pytest.param(
            "order-service.production-jobs",
            {"x-delivery-limit": 9},
            [_on("order-service.production-jobs") + "`x-delivery-limit` is `9` on the broker, the contract says `5`"],
            id="delivery-limit",
        ),
        pytest.param(
            "mes.order-intake",
            {"x-queue-type": "classic", "x-delivery-limit": None, "x-max-length": 10, "x-message-ttl": 60000},
            [
                # a classic queue has no delivery limit: RabbitMQ does not compare `x-delivery-limit` on it
                _on("mes.order-intake") + "`x-max-length` is `10` on the broker, the contract says not set",
                _on("mes.order-intake") + "`x-message-ttl` is `60000` on the broker, the contract says not set",
                _on("mes.order-intake") + "`x-queue-type` is `classic` on the broker, the contract says `quorum`",
            ],
            id="classic-for-quorum",
        ),
        pytest.param(
            "order-service.production-jobs",
            {"x-delivery-limit": 9, "x-max-length": 10, "x-dead-letter-routing-key": "elsewhere"},
            [
                _on("order-service.production-jobs")
                + "`x-dead-letter-routing-key` is `elsewhere` on the broker, the contract says "
                "`order-service.production-jobs`",
                _on("order-service.production-jobs") + "`x-delivery-limit` is `9` on the broker, the contract says `5`",
                _on("order-service.production-jobs")
                + "`x-max-length` is `10` on the broker, the contract says not set",
            ],
            id="three-arguments",
        ),
    ],
)
def test_every_contradicting_argument_of_a_queue_is_reported(
    amqp_url: str, queue: str, arguments: dict[str, Any], expected: list[str]
) -> None:
    async def scenario() -> None:
        declared = plan_topology(MessageContract.from_spec(ORDER_EVENTS).view).queue(queue)
        assert declared is not None
        connection = await aio_pika.connect(amqp_url)
        channel = await connection.channel()
        # what an older version of the service declared: the contract's arguments, some of them different
        changed = {k: v for k, v in {**declared.arguments, **arguments}.items() if v is not None}
        await channel.declare_queue(queue, durable=True, arguments=changed)
        await connection.close()
        with pytest.raises(TopologyConflict) as info:
            async with ContractClient(ORDER_EVENTS, amqp_url, metrics=False):
                pass
        assert sorted(info.value.conflicts) == expected  # one line each, nothing else: the rest was declared
        # the queue was left as the broker had it, and the rest of the topology was declared
        connection = await aio_pika.connect(amqp_url)
        channel = await connection.channel()
        await channel.declare_queue("orders.events.dlq", passive=True)
        await channel.declare_queue(queue, durable=True, arguments=changed)  # still equivalent: unchanged
        await connection.close()

    asyncio.run(scenario())


def test_every_contradiction_of_an_exchange_is_reported(amqp_url: str) -> None:
    async def scenario() -> None:
        connection = await aio_pika.connect(amqp_url)
        channel = await connection.channel()
        await channel.declare_exchange("production.events", "fanout", durable=False)
        await connection.close()
        with pytest.raises(TopologyConflict) as info:
            async with ContractClient(ORDER_EVENTS, amqp_url, metrics=False):
                pass
        assert info.value.conflicts == (
            "exchange `production.events` (vhost `/`): `type` is `fanout` on the broker, the contract says `topic`",
            "exchange `production.events` (vhost `/`): `durable` is `false` on the broker, the contract says `true`",
        )

    asyncio.run(scenario())


def test_an_unreachable_broker_is_one_clear_error() -> None:
    async def scenario() -> None:
        with pytest.raises(BrokerUnreachable) as info:
            await ContractClient(ORDER_EVENTS, "amqp://guest:secret@127.0.0.1:1/", metrics=False).connect()
        assert "secret" not in str(info.value)
        assert info.value.detail.startswith("cannot connect to amqp://127.0.0.1:1/")
        assert info.value.tip

    asyncio.run(scenario())


def test_extra_queues_are_cleaned() -> None:
    assert isinstance(EXTRA_QUEUES, set)


def test_the_sync_publisher_validates_and_confirms(amqp_url: str) -> None:
    from contractkit.messaging import SyncPublisher

    async def listen() -> tuple[Any, Capture]:
        client = await ContractClient(ORDER_EVENTS, amqp_url, metrics=False).connect()
        return client, await Capture.open(client.contract, "publishOrderCreated", client._connection)

    async def scenario() -> None:
        client, capture = await listen()
        with SyncPublisher(ORDER_EVENTS, amqp_url, metrics=False) as publisher:
            message_id = await asyncio.to_thread(
                publisher.publish, "publishOrderCreated", ORDER["payload"], correlation_id="c-9"
            )
            with pytest.raises(MessageRefused):
                publisher.publish("publishOrderCreated", {"order_id": "x"}, correlation_id="c-9")
            sample = example("order-events", "OrderStatusChanged")
            with pytest.raises(PublishFailed):
                publisher.publish("publishOrderStatusChanged", sample["payload"], correlation_id="c")
        captured = await capture.next(timeout=10)
        assert captured is not None and captured.verdict.ok
        assert captured.message_id == message_id
        assert await capture.next(timeout=0.3) is None  # the refused one never left
        await client.close()

    asyncio.run(scenario())
