"""The FastStream middleware on FastStream's in-memory test broker (fast), and once on the real broker."""

from __future__ import annotations

import asyncio
import copy
import importlib
import sys
from typing import Any

import pytest
from faststream.rabbit import ExchangeType, RabbitBroker, RabbitExchange, RabbitQueue, TestRabbitBroker
from faststream.rabbit.annotations import RabbitMessage
from faststream.rabbit.testing import build_message

from contractkit.messaging import MessageRefused, RetryPolicy
from contractkit.messaging.aiopika import declare
from contractkit.messaging.deadletter import DeadLetterReason
from contractkit.messaging.faststream import ContractMiddleware

from ._support import EXTRA_QUEUES, ORDER_EVENTS, ROOT, example

ORDER = example("order-events", "OrderCreated")
FAST = RetryPolicy(attempts=3, initial=0.0, maximum=0.0, jitter=0.0)


def _models() -> Any:
    sys.path.insert(0, str(ROOT / "generated"))
    try:
        return importlib.import_module("order_events.v1")
    finally:
        sys.path.remove(str(ROOT / "generated"))


async def _undecoded(message: Any) -> bytes:
    return bytes(message.body)


OrderCreatedPayload = _models().OrderCreatedPayload  # a global: FastStream resolves the handler's annotation


class Service:
    """A tiny FastStream service on the contract: the MES order intake, plus a dead-letter listener."""

    def __init__(self, unknown: str = "reject", failures: int = 0) -> None:
        self.broker = RabbitBroker("amqp://guest:guest@127.0.0.1:1/")
        self.contract = ContractMiddleware(ORDER_EVENTS, retry=FAST, unknown=unknown, metrics=False)
        self.contract.install(self.broker)
        self.handled: list[Any] = []
        self.dead: list[tuple[bytes, dict[str, Any]]] = []
        self.calls = 0
        queue = self.contract.queue("consumeOrderIntake", routing_key="order.created")
        orders = RabbitExchange("orders.events", type=ExchangeType.TOPIC, durable=True)
        dlx = RabbitExchange("orders.events.dlx", type=ExchangeType.TOPIC, durable=True)

        @self.broker.subscriber(queue, orders)
        async def _intake(payload: OrderCreatedPayload) -> None:
            self.calls += 1
            if self.calls <= failures:
                raise ConnectionError("the MES database is down")
            self.handled.append(payload)

        self.intake = self.broker.subscribers[0]

        # dead letters may be anything: the listener takes the raw message, undecoded
        @self.broker.subscriber(RabbitQueue("orders.events.dlq", routing_key="#"), dlx, decoder=_undecoded)
        async def dead_letters(message: RabbitMessage) -> None:
            self.dead.append((message.body, dict(message.headers)))


def test_a_valid_event_reaches_the_handler_as_its_model() -> None:
    async def scenario() -> None:
        service = Service()
        async with TestRabbitBroker(service.broker) as broker:
            await broker.publish(
                ORDER["payload"], exchange="orders.events", routing_key="order.created", correlation_id="order-1"
            )
        assert [type(p).__name__ for p in service.handled] == ["OrderCreatedPayload"]
        assert str(service.handled[0].order_id) == ORDER["payload"]["order_id"]
        assert service.dead == []

    asyncio.run(scenario())


@pytest.mark.parametrize(
    ("payload", "location"),
    [
        pytest.param({**ORDER["payload"], "order_id": "nope"}, "payload#/order_id", id="format"),
        pytest.param({k: v for k, v in ORDER["payload"].items() if k != "items"}, "payload#/items", id="required"),
    ],
)
def test_an_invalid_publish_is_refused_before_it_leaves(payload: dict[str, Any], location: str) -> None:
    async def scenario() -> None:
        service = Service()
        async with TestRabbitBroker(service.broker) as broker:
            with pytest.raises(MessageRefused) as info:
                await broker.publish(payload, exchange="orders.events", routing_key="order.created", correlation_id="c")
        assert info.value.errors[0].location == location
        assert service.handled == [] and service.dead == []

    asyncio.run(scenario())


def test_a_publish_the_contract_does_not_describe_is_refused() -> None:
    async def scenario() -> None:
        service = Service()
        async with TestRabbitBroker(service.broker) as broker:
            with pytest.raises(MessageRefused) as info:
                await broker.publish({}, exchange="orders.events", routing_key="order.x")
        assert info.value.errors[0].message == "no send operation publishes to `orders.events` with `order.x`"

    asyncio.run(scenario())


INVALID = [
    pytest.param(b"{not json", "application/json", "payload-json", "payload#", id="malformed"),
    pytest.param(b'{"order_id": 1}', "application/json", "payload-schema", "payload#/order_number", id="schema"),
    pytest.param(b"<order/>", "application/xml", "content-type", "property.content_type", id="content-type"),
]


@pytest.mark.parametrize(("body", "content_type", "rule", "location"), INVALID)
def test_an_invalid_delivery_is_dead_lettered_with_its_reason(
    body: bytes, content_type: str, rule: str, location: str
) -> None:
    async def scenario() -> None:
        service = Service()
        async with TestRabbitBroker(service.broker):
            # delivered as a broker would, around the publish validation (another service's bad message)
            raw = await build_message(
                body,
                queue="mes.order-intake",
                exchange="orders.events",
                routing_key="order.created",
                headers={**ORDER["headers"]},
                content_type=content_type,
                message_type="order.created",
            )
            await service.intake.process_message(raw)
        assert service.handled == []
        assert len(service.dead) == 1
        dead_body, dead_headers = service.dead[0]
        reason = DeadLetterReason.from_headers(dead_headers)
        assert dead_body == body
        assert (reason.reason, reason.location) == (rule, location)
        assert (reason.contract, reason.operation, reason.queue) == (
            "order-events",
            "consumeOrderIntake",
            "mes.order-intake",
        )

    asyncio.run(scenario())


@pytest.mark.parametrize(
    ("failures", "handled", "dead"),
    [pytest.param(2, 1, 0, id="recovers-on-the-third-try"), pytest.param(5, 0, 1, id="gives-up-after-three")],
)
def test_a_failing_handler_is_retried_then_dead_lettered(failures: int, handled: int, dead: int) -> None:
    async def scenario() -> None:
        service = Service(failures=failures)
        async with TestRabbitBroker(service.broker) as broker:
            await broker.publish(
                copy.deepcopy(ORDER["payload"]),
                exchange="orders.events",
                routing_key="order.created",
                correlation_id="c",
            )
        assert (len(service.handled), len(service.dead)) == (handled, dead)
        assert service.calls == min(failures + 1, 3)
        if dead:
            reason = DeadLetterReason.from_headers(service.dead[0][1])
            assert reason.reason == "handler-failed"
            assert reason.exception == "ConnectionError"
            assert reason.message == "ConnectionError: the MES database is down"
            assert reason.delivery_count == 3

    asyncio.run(scenario())


def test_on_a_real_broker_an_unroutable_publish_raises_and_a_routed_one_is_confirmed(amqp_url: str) -> None:
    from contractkit.messaging import PublishFailed
    from contractkit.messaging.aiopika import declare

    async def scenario() -> None:
        await declare(ORDER_EVENTS, amqp_url)
        broker = RabbitBroker(amqp_url, logger=None)
        ContractMiddleware(ORDER_EVENTS, metrics=False).install(broker)
        await broker.start()
        try:
            await broker.publish(
                ORDER["payload"], exchange="orders.events", routing_key="order.created", correlation_id="c"
            )
            sample = example("order-events", "OrderStatusChanged")
            with pytest.raises(
                PublishFailed
            ) as info:  # nothing binds order.status_changed; the contract says mandatory
                await broker.publish(
                    sample["payload"], exchange="orders.events", routing_key="order.status_changed", correlation_id="c"
                )
            assert "no queue is bound to `orders.events` with `order.status_changed`" in info.value.detail
        finally:
            await broker.stop()

    asyncio.run(scenario())


# --- a queue that carries several messages: each handed to the handler as its own model ------------------------

CANCELLED = example("order-events", "OrderCancelled")


def _snippet() -> str:
    """The FastStream example of docs/messaging.md, as written there."""
    section = (ROOT / "docs" / "messaging.md").read_text().split("## FastStream: `ContractMiddleware`", 1)[1]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


@pytest.mark.parametrize(
    ("message_type", "sample", "model"),
    [
        pytest.param("order.created", ORDER, "OrderCreatedPayload", id="created"),
        pytest.param("order.cancelled", CANCELLED, "OrderCancelledPayload", id="cancelled"),
    ],
)
def test_a_validated_message_is_the_model_of_its_own_type(message_type: str, sample: Any, model: str) -> None:
    from contractkit.messaging.faststream import ValidatedMessage

    async def scenario() -> None:
        broker = RabbitBroker("amqp://guest:guest@127.0.0.1:1/")
        ContractMiddleware(_models(), retry=FAST, metrics=False).install(broker)
        got: list[Any] = []

        @broker.subscriber(ContractMiddleware(_models(), metrics=False).queue("consumeOrderIntake"))
        async def intake(received: ValidatedMessage) -> None:
            got.append(received)

        async with TestRabbitBroker(broker):
            raw = await build_message(
                sample["payload"],
                queue="mes.order-intake",
                headers=sample["headers"],
                content_type="application/json",
                message_type=message_type,
            )
            await broker.subscribers[0].process_message(raw)
        assert [(r.message, type(r.payload).__name__) for r in got] == [(message_type, model)]
        assert got[0].message_id == sample["headers"]["message-id"]

    asyncio.run(scenario())


def test_the_documented_faststream_service_takes_both_messages_of_its_queue(
    amqp_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/messaging.md's snippet, run as written on a real broker: a valid `order.cancelled` on the queue of
    `order.created` reaches the handler as an `OrderCancelledPayload` (it was dead-lettered as handler-failed)."""
    from contractkit.messaging import ContractClient

    monkeypatch.syspath_prepend(str(ROOT / "generated"))
    code = _snippet()
    assert 'url = "amqp://guest:guest@localhost/"' in code
    planned: list[Any] = []
    cancelled: list[Any] = []

    async def plan(order: Any) -> None:
        planned.append(order)

    async def cancel(order_id: Any) -> None:
        cancelled.append(order_id)

    snippet: dict[str, Any] = {"__name__": "snippet", "plan": plan, "cancel": cancel}
    exec(compile(code.replace("amqp://guest:guest@localhost/", amqp_url), "docs/messaging.md", "exec"), snippet)

    async def scenario() -> None:
        await snippet["topology"]()
        broker = snippet["broker"]
        await broker.start()
        try:
            async with ContractClient(ORDER_EVENTS, amqp_url, metrics=False) as client:
                await client.publish("publishOrderCreated", ORDER["payload"], correlation_id="o-1")
                await client.publish("publishOrderCancelled", CANCELLED["payload"], correlation_id="o-1")
            for _ in range(200):
                if planned and cancelled:
                    break
                await asyncio.sleep(0.05)
        finally:
            await broker.stop()
        letters = await _queue_size(amqp_url, "orders.events.dlq")
        assert ([type(p).__name__ for p in planned], [str(c) for c in cancelled], letters) == (
            ["OrderCreatedPayload"],
            [CANCELLED["payload"]["order_id"]],
            0,
        )

    asyncio.run(scenario())


async def _queue_size(url: str, queue: str) -> int:
    import aio_pika

    connection = await aio_pika.connect(url)
    try:
        channel = await connection.channel()
        declared = await channel.declare_queue(queue, passive=True)
        return int(declared.declaration_result.message_count or 0)
    finally:
        await connection.close()


# --- a subscribed queue the contract does not describe --------------------------------------------------------


def _stranger(unknown: str = "reject") -> tuple[RabbitBroker, list[Any]]:
    broker = RabbitBroker("amqp://guest:guest@127.0.0.1:1/")
    ContractMiddleware(ORDER_EVENTS, unknown=unknown, metrics=False).install(broker)
    handled: list[Any] = []

    @broker.subscriber(RabbitQueue("trial.random"))
    async def anything(body: Any) -> None:
        handled.append(body)

    return broker, handled


def test_a_subscriber_of_an_unknown_queue_is_refused_before_the_broker_connects() -> None:
    from contractkit.messaging import MessagingError

    async def scenario() -> None:
        broker, _handled = _stranger()
        with pytest.raises(MessagingError) as info:
            async with TestRabbitBroker(broker):
                pass
        assert info.value.title == "refusing to start: a queue the contract does not describe"
        assert "`trial.random`" in info.value.detail and "unknown='pass'" in (info.value.tip or "")

        passing, handled = _stranger(unknown="pass")
        async with TestRabbitBroker(passing) as broker_:
            await broker_.publish({"any": "thing"}, queue="trial.random")
        assert handled == [{"any": "thing"}]

    asyncio.run(scenario())


def test_on_a_real_broker_an_unknown_queue_is_refused_at_start_and_a_late_subscriber_loses_nothing(
    amqp_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    import aio_pika

    from contractkit.messaging import MessagingError

    EXTRA_QUEUES.add("trial.random")

    async def scenario() -> None:
        broker = RabbitBroker(amqp_url, logger=logging.getLogger("trial.faststream"))
        ContractMiddleware(ORDER_EVENTS, metrics=False).install(broker)
        broker.subscriber(RabbitQueue("trial.random"))(_never)
        with pytest.raises(MessagingError, match=r"`trial\.random`"):
            await broker.start()  # refused before it connects: nothing is consumed
        await broker.stop()

        # a subscriber added to a running broker: its deliveries go back to the queue, unread
        await declare(ORDER_EVENTS, amqp_url)
        broker = RabbitBroker(amqp_url, logger=logging.getLogger("trial.faststream"))
        ContractMiddleware(ORDER_EVENTS, metrics=False).install(broker)
        await broker.start()
        late = broker.subscriber(RabbitQueue("trial.random"))
        late(_never)
        await late.start()
        connection = await aio_pika.connect(amqp_url)
        channel = await connection.channel(publisher_confirms=True)
        message = aio_pika.Message(b'{"any": "thing"}', content_type="application/json", message_id="stranger")
        await channel.default_exchange.publish(message, routing_key="trial.random")
        await asyncio.sleep(2.5)  # two deliveries, each put back after a pause
        await broker.stop()
        await connection.close()
        assert await _queue_size(amqp_url, "trial.random") == 1  # still there, not handled, not lost

    with caplog.at_level(logging.INFO):
        asyncio.run(scenario())
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [r.getMessage().split(":")[0] for r in errors] == ["refusing to consume `trial.random`"]  # once
    assert not any(r.exc_info for r in caplog.records)  # no traceback anywhere
    assert sum(r.getMessage() == "Message was nacked" for r in caplog.records) >= 2


async def _never(body: Any) -> None:
    raise AssertionError("a message of a queue the contract does not describe reached the handler")
