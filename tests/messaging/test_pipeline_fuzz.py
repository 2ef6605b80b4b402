"""A seeded, bounded Hypothesis fuzz of the consumer pipeline (no broker: a recording transport).

Whatever arrives (bytes, content type, encoding, type, headers; valid payloads drawn from the contract's own
schema and broken ones): the pipeline never raises, acknowledges exactly once, and either hands the handler a
payload that the reference validator (the pure-Python ``jsonschema``) accepts, or dead-letters it with a reason.
"""

from __future__ import annotations

import asyncio
import collections
import json
from dataclasses import dataclass, field
from typing import Any

import jsonschema
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from contractkit.messagefuzz.strategies import payload_strategy
from contractkit.messaging import Received, RetryPolicy
from contractkit.messaging._pipeline import ConsumerPipeline, Delivery
from contractkit.messaging.observability import MessageObserver
from contractkit.messaging.topology import plan_topology
from contractkit.spec.schemas import standalone_schema

from ._support import contract, example

CONTRACT = contract("order-events")
OPERATION = CONTRACT.operation("consumeOrderIntake")
QUEUE = plan_topology(CONTRACT.view).queue("mes.order-intake")
MESSAGE = OPERATION.message("order.created")
assert MESSAGE is not None and QUEUE is not None and MESSAGE.spec.payload is not None
PAYLOAD_SCHEMA = standalone_schema(MESSAGE.spec.payload)
REFERENCE = jsonschema.Draft202012Validator(PAYLOAD_SCHEMA, format_checker=jsonschema.FormatChecker())
HEADERS = example("order-events", "OrderCreated")["headers"]
OUTCOMES: collections.Counter[str] = collections.Counter()


@dataclass
class RecordingTransport:
    acks: int = 0
    requeues: int = 0
    dead: list[dict[str, Any]] = field(default_factory=list)

    async def ack(self) -> None:
        self.acks += 1

    async def requeue(self) -> None:
        self.requeues += 1

    async def dead_letter(self, exchange: str, routing_key: str, headers: dict[str, Any]) -> None:
        assert exchange == "orders.events.dlx"
        self.dead.append(headers)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
valid_payloads = payload_strategy(MESSAGE, "positive")
bodies = st.one_of(
    valid_payloads.map(lambda v: json.dumps(v).encode()),
    payload_strategy(MESSAGE, "negative").map(lambda v: v if isinstance(v, bytes) else json.dumps(v).encode()),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.binary(max_size=200),
    valid_payloads.map(lambda v: json.dumps(v).encode()[:-1]),  # truncated
)
headers = st.one_of(
    st.just(HEADERS),
    st.dictionaries(st.sampled_from(sorted(HEADERS)), st.text(max_size=60) | st.integers()),
    st.fixed_dictionaries({k: st.just(v) for k, v in HEADERS.items()}, optional={"x-extra": json_values}),
)


@seed(17)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(
    body=bodies,
    content_type=st.sampled_from(["application/json", "application/json; charset=utf-8", "text/plain", None]),
    encoding=st.sampled_from([None, "utf-8", "gzip"]),
    kind=st.sampled_from(["order.created", None, "order.cancelled", "nope"]),
    wire_headers=headers,
)
def test_every_delivery_is_handled_validated_or_dead_lettered(
    body: bytes, content_type: str | None, encoding: str | None, kind: str | None, wire_headers: dict[str, Any]
) -> None:
    received: list[Received] = []

    async def handler(message: Received) -> None:
        received.append(message)

    pipeline = ConsumerPipeline(
        CONTRACT,
        OPERATION,
        QUEUE,
        handler,
        retry=RetryPolicy(attempts=1),
        observer=MessageObserver("order-events", metrics=False),
    )
    transport = RecordingTransport()
    delivery = Delivery(body, wire_headers, content_type, encoding, kind, "orders.events", "order.created", False)
    outcome = asyncio.run(pipeline.handle(delivery, transport))
    OUTCOMES[outcome] += 1

    assert transport.acks == 1 and transport.requeues == 0
    if outcome == "consumed":
        assert len(received) == 1 and transport.dead == []
        if received[0].message == "order.created":
            assert REFERENCE.is_valid(received[0].payload)
    else:
        assert outcome == "dead_lettered" and received == []
        assert transport.dead[0]["x-contractkit-reason"] not in ("", "internal-error")
        assert transport.dead[0]["x-contractkit-message"]


def test_the_fuzz_reached_both_outcomes() -> None:
    # runs after the fuzz above (file order): a fuzz that only ever dead-lettered would prove little
    assert OUTCOMES["consumed"] >= 10 and OUTCOMES["dead_lettered"] >= 100, OUTCOMES
