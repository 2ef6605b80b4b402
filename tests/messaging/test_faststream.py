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
from contractkit.messaging.deadletter import DeadLetterReason
from contractkit.messaging.faststream import ContractMiddleware

from ._support import ORDER_EVENTS, ROOT, example

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
