"""Hostile deliveries: each one dead-lettered with a reason, the consumer still alive, the handler never reached.

All attacks go through one running consumer on the real broker (then a valid message, which must still be
handled): a crash on any of them would stop the ones after it.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import aio_pika
import pytest

from contractkit.messaging import ContractClient, RetryPolicy
from contractkit.messaging.deadletter import DeadLetterReason
from contractkit.messaging.testing import LocalBroker

from ._support import ORDER_EVENTS, Recorder, clean_broker, example

ORDER = example("order-events", "OrderCreated")
VALID = json.dumps(ORDER["payload"]).encode()
JSON = "application/json"
HEADERS = ORDER["headers"]


def _with(path: str, value: Any) -> bytes:
    payload = json.loads(VALID)
    payload[path] = value
    return json.dumps(payload).encode()


@dataclass(frozen=True)
class Attack:
    body: bytes
    rule: str
    location: str
    content_type: str | None = JSON
    encoding: str | None = None
    kind: str | None = "order.created"
    headers: dict[str, Any] = field(default_factory=lambda: dict(HEADERS))


LONG_NUMBER = b'{"order_id": ' + b"9" * 5000 + b"}"
SURROGATE = _with("customer_reference", "x").replace(b'"x"', b'"\\ud800"')
ATTACKS: dict[str, Attack] = {
    "malformed-json": Attack(b'{"order_id": ', "payload-json", "payload#"),
    "empty-body": Attack(b"", "payload-json", "payload#"),
    "nan": Attack(VALID.replace(b'"EUR"', b"NaN"), "payload-json", "payload#"),
    "huge-integer": Attack(LONG_NUMBER, "payload-json", "payload#"),
    "huge-float": Attack(_with("items", 1e308).replace(b"1e+308", b"1e999"), "payload-json", "payload#/items"),
    "deep-nesting": Attack(b"[" * 100_000 + b"]" * 100_000, "payload-json", "payload#"),
    "lone-surrogate": Attack(SURROGATE, "payload-json", "payload#/customer_reference"),
    "not-utf8": Attack(b'{"order_id": "\xff\xfe"}', "payload-json", "payload#"),
    "utf16-encoded": Attack(VALID.decode().encode("utf-16"), "payload-json", "payload#"),
    "wrong-content-type": Attack(VALID, "content-type", "property.content_type", content_type="text/plain"),
    "no-content-type": Attack(VALID, "content-type", "property.content_type", content_type=None),
    "gzip-encoding": Attack(VALID, "content-encoding", "property.content_encoding", encoding="gzip"),
    "unknown-type": Attack(VALID, "message-unknown", "property.type", kind="order.exploded"),
    "missing-headers": Attack(VALID, "headers-schema", "header.traceparent", headers={}),
    "binary-traceparent": Attack(
        VALID, "headers-schema", "header.traceparent", headers={**HEADERS, "traceparent": bytearray(b"\xff" * 55)}
    ),
    "giant-payload": Attack(b'{"pad": "' + b"x" * 2_000_000 + b'"}', "body-too-large", "payload#"),
    "null-payload": Attack(b"null", "payload-schema", "payload#"),
    "wrong-types": Attack(_with("items", "many"), "payload-schema", "payload#/items"),
    "extra-nulls": Attack(_with("order_id", None), "payload-schema", "payload#/order_id"),
}


@pytest.fixture(scope="module")
def outcome(rabbit: LocalBroker) -> Iterator[tuple[dict[str, DeadLetterReason], Recorder]]:
    recorder = Recorder()

    async def scenario() -> dict[str, DeadLetterReason]:
        await clean_broker(rabbit.url)
        async with ContractClient(ORDER_EVENTS, rabbit.url, metrics=False, retry=RetryPolicy(attempts=1)) as client:
            await client.consume("consumeOrderIntake", recorder)
            for name, attack in ATTACKS.items():
                raw = aio_pika.Message(
                    attack.body,
                    headers=attack.headers,
                    content_type=attack.content_type,
                    content_encoding=attack.encoding,
                    type=attack.kind,
                    message_id=name,
                )
                await client.publish_raw("", "mes.order-intake", raw)
            await client.publish("publishOrderCreated", ORDER["payload"], correlation_id="after-the-attacks")
            await asyncio.wait_for(recorder.event.wait(), 30)
            channel = await client._connection.channel()  # type: ignore[union-attr]
            queue = await channel.get_queue("orders.events.dlq", ensure=False)
            found: dict[str, DeadLetterReason] = {}
            deadline = asyncio.get_running_loop().time() + 30
            while len(found) < len(ATTACKS) and asyncio.get_running_loop().time() < deadline:
                message = await queue.get(fail=False)
                if message is None:
                    await asyncio.sleep(0.05)
                    continue
                found[str(message.message_id)] = DeadLetterReason.from_headers(message.headers)
                await message.ack()
        return found

    yield asyncio.run(scenario()), recorder


@pytest.mark.parametrize("name", list(ATTACKS))
def test_each_attack_is_dead_lettered_with_its_reason(
    outcome: tuple[dict[str, DeadLetterReason], Recorder], name: str
) -> None:
    found, _recorder = outcome
    assert name in found, f"`{name}` was not dead-lettered (dead letters: {sorted(found)})"
    reason = found[name]
    expected_rule, expected_location = ATTACKS[name].rule, ATTACKS[name].location
    assert reason.reason == expected_rule, reason
    assert reason.location.startswith(expected_location), reason
    assert reason.message
    assert (reason.contract, reason.queue) == ("order-events", "mes.order-intake")


def test_the_handler_only_ever_saw_the_valid_message(outcome: tuple[dict[str, DeadLetterReason], Recorder]) -> None:
    found, recorder = outcome
    assert [r.correlation_id for r in recorder.received] == ["after-the-attacks"]
    assert len(found) == len(ATTACKS)
