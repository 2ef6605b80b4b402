"""Dead letters listed by reason, shown, replayed after a fix exactly once, re-validated, purged."""

from __future__ import annotations

import asyncio
from collections import Counter

import aio_pika
import pytest

from contractkit.errors import UsageError
from contractkit.messaging import ContractClient, Received, RetryPolicy
from contractkit.messaging.dlq import DeadLetterQueue, DeadLetterSelection

from ._support import ORDER_EVENTS, example

ORDER = example("order-events", "OrderCreated")
ONCE = RetryPolicy(attempts=1)


async def _dead_lettered_world(url: str) -> tuple[list[str], list[str]]:
    """Five orders that a buggy consumer failed on, and two that break the contract: all in the DLQ."""

    async def buggy(received: Received) -> None:
        raise KeyError("plant")

    async with ContractClient(ORDER_EVENTS, url, metrics=False, retry=ONCE) as client:
        await client.consume("consumeOrderIntake", buggy)
        failed = [
            str(await client.publish("publishOrderCreated", ORDER["payload"], correlation_id=f"order-{n}"))
            for n in range(5)
        ]
        invalid = []
        for n in range(2):
            message_id = f"bad-{n}"
            raw = aio_pika.Message(
                b'{"order_id": "nope"}',
                content_type="application/json",
                type="order.created",
                message_id=message_id,
                headers={**ORDER["headers"], "message-id": message_id},
            )
            await client.publish_raw("orders.events", "order.created", raw)
            invalid.append(message_id)
        dlq = DeadLetterQueue(ORDER_EVENTS, url)
        for _ in range(100):
            if len(await dlq.letters()) == 7:
                break
            await asyncio.sleep(0.1)
    return failed, invalid


def test_replay_after_a_fix_drains_the_dlq_exactly_once(amqp_url: str) -> None:
    async def scenario() -> None:
        failed, invalid = await _dead_lettered_world(amqp_url)
        dlq = DeadLetterQueue(ORDER_EVENTS, amqp_url)
        groups = {g.reason: g for g in await dlq.groups()}
        assert {reason: g.count for reason, g in groups.items()} == {"handler-failed": 5, "payload-schema": 2}
        assert groups["handler-failed"].message == "KeyError: 'plant'"
        assert groups["payload-schema"].queues == ("mes.order-intake",)
        assert len(await dlq.letters()) == 7  # listing twice takes nothing away

        shown = await dlq.show(failed[0])
        assert shown is not None
        assert shown.reason.exception == "KeyError"
        assert shown.body.startswith(b'{"order_id"')
        assert shown.as_json()["original_routing_key"] == "order.created"

        handled: Counter[str] = Counter()

        async def fixed(received: Received) -> None:
            handled[str(received.message_id)] += 1

        async with ContractClient(ORDER_EVENTS, amqp_url, metrics=False, retry=ONCE) as client:
            await client.consume("consumeOrderIntake", fixed)
            first = await dlq.replay(DeadLetterSelection(reason="handler-failed"))
            second = await dlq.replay(DeadLetterSelection(reason="handler-failed"))
            for _ in range(100):
                if sum(handled.values()) >= 5:
                    break
                await asyncio.sleep(0.05)
            await asyncio.sleep(0.3)  # a second delivery of any of them would arrive by now
        assert sorted(first.done) == sorted(failed)
        assert second.done == []
        assert handled == Counter(dict.fromkeys(failed, 1))

        # still invalid: re-validated and left where they are, with the reason
        refused = await dlq.replay(DeadLetterSelection(message_ids=frozenset(invalid)))
        assert refused.done == []
        assert sorted(refused.refused) == sorted(invalid)
        assert "payload#/order_id" in {e.location for e in refused.refused["bad-0"]}
        assert sorted(letter.message_id or "" for letter in await dlq.letters()) == sorted(invalid)

        purged = await dlq.purge(DeadLetterSelection(reason="payload-schema"))
        assert sorted(purged.done) == sorted(invalid)
        assert await dlq.letters() == []

    asyncio.run(scenario())


def test_a_replayed_letter_that_fails_again_is_not_replayed_again_by_default(amqp_url: str) -> None:
    async def scenario() -> None:
        async def broken(received: Received) -> None:
            raise RuntimeError("still broken")

        async with ContractClient(ORDER_EVENTS, amqp_url, metrics=False, retry=ONCE) as client:
            await client.consume("consumeOrderIntake", broken)
            message_id = await client.publish("publishOrderCreated", ORDER["payload"], correlation_id="o")
            dlq = DeadLetterQueue(ORDER_EVENTS, amqp_url)
            for _ in range(100):
                if await dlq.letters():
                    break
                await asyncio.sleep(0.05)
            assert (await dlq.replay(DeadLetterSelection(everything=True))).done == [message_id]
            for _ in range(100):
                letters = await dlq.letters()
                if letters and letters[0].reason.replay_count == 1:
                    break
                await asyncio.sleep(0.05)
            again = await dlq.replay(DeadLetterSelection(everything=True))
            assert again.done == [] and list(again.skipped) == [message_id]
            forced = await dlq.replay(DeadLetterSelection(everything=True), include_replayed=True)
            assert forced.done == [message_id]

    asyncio.run(scenario())


@pytest.mark.parametrize(
    ("selection", "error"),
    [
        pytest.param({}, "no dead letters selected", id="nothing-selected"),
    ],
)
def test_a_selection_must_name_something(selection: dict[str, object], error: str) -> None:
    with pytest.raises(UsageError, match=error):
        DeadLetterSelection(**selection)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("queue", "error"),
    [
        pytest.param("no-such-queue", "declares no queue `no-such-queue`", id="unknown-queue"),
    ],
)
def test_the_dead_letter_queue_is_found_or_named(queue: str, error: str) -> None:
    with pytest.raises(UsageError, match=error):
        DeadLetterQueue(ORDER_EVENTS, "amqp://127.0.0.1:1/", queue=queue)
    assert DeadLetterQueue(ORDER_EVENTS, "amqp://127.0.0.1:1/").queue == "orders.events.dlq"
    assert DeadLetterQueue("partner-notifications", "amqp://127.0.0.1:1/").queue == "partner-notifications.dlq"


def test_replay_to_origin_goes_through_the_original_exchange_and_routing_key(amqp_url: str) -> None:
    async def scenario() -> None:
        failed, _invalid = await _dead_lettered_world(amqp_url)
        handled: Counter[str] = Counter()

        async def fixed(received: Received) -> None:
            assert received.routing_key == "order.created"  # not the queue name: it came through orders.events
            handled[str(received.message_id)] += 1

        dlq = DeadLetterQueue(ORDER_EVENTS, amqp_url)
        async with ContractClient(ORDER_EVENTS, amqp_url, metrics=False, retry=ONCE) as client:
            await client.consume("consumeOrderIntake", fixed)
            report = await dlq.replay(DeadLetterSelection(message_ids=frozenset(failed[:2])), to_origin=True)
            for _ in range(100):
                if sum(handled.values()) >= 2:
                    break
                await asyncio.sleep(0.05)
        assert sorted(report.done) == sorted(failed[:2])
        assert handled == Counter(dict.fromkeys(failed[:2], 1))
        assert len(await dlq.letters()) == 5  # the three others and the two invalid ones stay

    asyncio.run(scenario())
