"""Round trips through a real RabbitMQ: every message of both contracts published, captured and consumed."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from contractkit.messaging import ContractClient, MessageContract, MessagingError
from contractkit.messaging.capture import Capture
from contractkit.messaging.topology import plan_topology
from contractkit.spec.asyncapi import RECEIVE, SEND

from ._support import CONTRACTS, Recorder, example


def _sends() -> list[Any]:
    cases = []
    for name, path in CONTRACTS.items():
        contract = MessageContract.from_spec(path)
        for op in contract.sends():
            message = op.messages[0].spec
            cases.append(pytest.param(name, op.key, message.component, id=f"{name}:{op.key}"))
    return cases


def _receives() -> list[Any]:
    cases = []
    for name, path in CONTRACTS.items():
        contract = MessageContract.from_spec(path)
        topology = plan_topology(contract.view)
        for op in contract.receives():
            spec = topology.queue(op.queue or "")
            if spec is None or spec.dead_letter_exchange is None:
                continue  # a dead-letter queue: read by `contractkit dlq`, not by a runtime consumer (see below)
            for message in op.messages:
                cases.append(
                    pytest.param(name, op.key, message.spec.component, id=f"{name}:{op.key}:{message.spec.key}")
                )
    return cases


@pytest.mark.parametrize(("name", "operation", "component"), _sends())
def test_every_published_message_arrives_valid(amqp_url: str, name: str, operation: str, component: str) -> None:
    async def scenario() -> None:
        sample = example(name, component)
        async with ContractClient(CONTRACTS[name], amqp_url, metrics=False) as client:
            capture = await Capture.open(client.contract, operation, client._connection)
            message_id = await client.publish(
                operation, sample["payload"], correlation_id=sample["headers"]["correlation-id"]
            )
            captured = await capture.next(timeout=10)
            assert captured is not None, "nothing arrived on the capture queue"
            assert captured.verdict.ok, captured.verdict.errors
            assert captured.message_id == message_id
            assert captured.verdict.payload == sample["payload"]

    asyncio.run(scenario())


@pytest.mark.parametrize(("name", "operation", "component"), _receives())
def test_every_consumed_message_reaches_the_handler(amqp_url: str, name: str, operation: str, component: str) -> None:
    async def scenario() -> None:
        sample = example(name, component)
        recorder = Recorder()
        async with ContractClient(CONTRACTS[name], amqp_url, metrics=False) as client:
            op = client.contract.operation(operation, RECEIVE)
            message = op.message(component)
            assert message is not None
            verdict = client.contract.check_outgoing(op, sample["payload"], sample["headers"], message=component)
            assert verdict.ok, verdict.errors
            import aio_pika

            raw = aio_pika.Message(
                verdict.body,
                headers=verdict.headers,
                content_type="application/json",
                type=message.spec.message_type,
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            )
            await client.consume(operation, recorder)
            await client.publish_raw("", op.queue or "", raw)
            await asyncio.wait_for(recorder.event.wait(), timeout=10)
        received = recorder.received[0]
        assert received.payload == sample["payload"]
        assert received.message == message.spec.name
        assert received.message_id == sample["headers"]["message-id"]

    asyncio.run(scenario())


def test_send_operations_are_all_covered() -> None:
    # the table above has one case per send operation and one per message of each receive operation
    assert len(_sends()) == sum(len(MessageContract.from_spec(p).sends()) for p in CONTRACTS.values()) == 10
    assert len(_receives()) == 6  # order.created/cancelled, the three job events, replay_requested
    assert {op.spec.action for p in CONTRACTS.values() for op in MessageContract.from_spec(p).operations.values()} == {
        SEND,
        RECEIVE,
    }


@pytest.mark.parametrize("name", list(CONTRACTS))
def test_a_queue_without_dead_letter_exchange_is_not_consumed(amqp_url: str, name: str) -> None:
    async def scenario() -> None:
        async with ContractClient(CONTRACTS[name], amqp_url, metrics=False) as client:
            with pytest.raises(MessagingError, match=r"has no `x-dead-letter-exchange`") as info:
                await client.consume("consumeDeadLetters", Recorder())
        assert info.value.title == "refusing to consume: messages could be lost"

    asyncio.run(scenario())
