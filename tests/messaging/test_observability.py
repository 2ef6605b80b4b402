"""Metrics, log fields and spans of the messaging runtime, and the trace context from HTTP to the handler."""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from prometheus_client import CollectorRegistry

from contractkit.messaging import MessageRefused, Received, RetryPolicy, TraceContextMiddleware
from contractkit.messaging._outgoing import prepare
from contractkit.messaging._pipeline import ConsumerPipeline, Delivery
from contractkit.messaging.observability import MessageObserver
from contractkit.messaging.topology import plan_topology
from contractkit.messaging.tracing import current_traceparent, trace_id

from ._support import contract, example

CONTRACT = contract("order-events")
INTAKE = CONTRACT.operation("consumeOrderIntake")
QUEUE = plan_topology(CONTRACT.view).queue("mes.order-intake")
ORDER = example("order-events", "OrderCreated")
VALID = json.dumps(ORDER["payload"]).encode()
TRACE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


@dataclass
class Transport:
    dead: list[dict[str, Any]] = field(default_factory=list)

    async def ack(self) -> None:
        return None

    async def requeue(self) -> None:
        raise AssertionError("nothing is requeued here")

    async def dead_letter(self, exchange: str, routing_key: str, headers: dict[str, Any]) -> None:
        self.dead.append(headers)


def _deliver(observer: MessageObserver, body: bytes, handler: Any) -> str:
    assert QUEUE is not None
    pipeline = ConsumerPipeline(CONTRACT, INTAKE, QUEUE, handler, retry=RetryPolicy(attempts=1), observer=observer)
    headers = {**ORDER["headers"], "traceparent": TRACE}
    delivery = Delivery(
        body, headers, "application/json", None, "order.created", "orders.events", "order.created", False
    )
    return asyncio.run(pipeline.handle(delivery, Transport()))


async def _nothing(received: Received) -> None:
    return None


def test_counters_per_channel_message_and_outcome() -> None:
    registry = CollectorRegistry()
    observer = MessageObserver("order-events", registry)
    assert _deliver(observer, VALID, _nothing) == "consumed"
    assert _deliver(observer, b"{}", _nothing) == "dead_lettered"
    with prepare(CONTRACT, observer, "publishOrderCreated", ORDER["payload"], None, correlation_id="c"):
        pass
    with pytest.raises(MessageRefused), prepare(CONTRACT, observer, "publishOrderCreated", {}, None):
        pass

    def value(channel: str, message: str, outcome: str) -> float | None:
        labels = {"contract": "order-events", "channel": channel, "message": message, "outcome": outcome}
        return registry.get_sample_value("contractkit_messages_total", labels)

    assert value("mes.order-intake", "order.created", "consumed") == 1
    assert value("mes.order-intake", "order.created", "dead_lettered") == 1
    assert value("order.created", "order.created", "published") == 1
    assert value("order.created", "order.created", "refused") == 1
    count = registry.get_sample_value(
        "contractkit_message_handling_seconds_count", {"contract": "order-events", "channel": "mes.order-intake"}
    )
    assert count == 2


def test_log_lines_carry_the_trace_fields(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="contractkit.messaging")
    observer = MessageObserver("order-events", metrics=False)
    _deliver(observer, b'{"order_id": 1}', _nothing)
    record = next(r for r in caplog.records if "dead-lettered" in r.getMessage())
    fields = {k: getattr(record, k) for k in ("traceparent", "message_id", "contract", "operation", "outcome")}
    assert fields == {
        "traceparent": TRACE,
        "message_id": ORDER["headers"]["message-id"],
        "contract": "order-events",
        "operation": "consumeOrderIntake",
        "outcome": "dead_lettered",
    }
    assert record.errors[0]["rule"] == "payload-schema"  # type: ignore[attr-defined]


def test_a_publish_inside_a_handler_continues_the_message_trace_without_otel_sdk() -> None:
    observer = MessageObserver("order-events", metrics=False)
    sent: list[str] = []

    async def handler(received: Received) -> None:
        with prepare(CONTRACT, observer, "publishOrderCancelled", _cancelled(), None, correlation_id="c") as out:
            sent.append(out.verdict.headers["traceparent"])

    assert _deliver(observer, VALID, handler) == "consumed"
    assert trace_id(sent[0]) == trace_id(TRACE) and sent[0] != TRACE  # same trace, a span of its own


def test_otel_spans_consumer_child_of_the_message_and_producer_child_of_the_consumer() -> None:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    observer = MessageObserver("order-events", metrics=False, tracer_provider=provider)
    sent: list[str] = []

    async def handler(received: Received) -> None:
        with prepare(CONTRACT, observer, "publishOrderCancelled", _cancelled(), None, correlation_id="c") as out:
            sent.append(out.verdict.headers["traceparent"])

    assert _deliver(observer, VALID, handler) == "consumed"
    spans = {span.name: span for span in exporter.get_finished_spans()}
    consumer, producer = spans["mes.order-intake process"], spans["order.cancelled publish"]
    assert f"{consumer.context.trace_id:032x}" == trace_id(TRACE)
    assert consumer.parent is not None and f"{consumer.parent.span_id:016x}" == TRACE.split("-")[2]
    assert producer.parent is not None and producer.parent.span_id == consumer.context.span_id
    assert sent[0] == f"00-{producer.context.trace_id:032x}-{producer.context.span_id:016x}-01"
    assert consumer.attributes is not None and consumer.attributes["contractkit.operation"] == "consumeOrderIntake"


def test_the_http_request_trace_becomes_the_trace_of_what_the_app_publishes() -> None:
    seen: list[str | None] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen.append(current_traceparent.get())
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async def call(headers: dict[str, str]) -> None:
        transport = httpx.ASGITransport(app=TraceContextMiddleware(app))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            await http.post("/orders", headers=headers)

    asyncio.run(call({"traceparent": TRACE}))
    asyncio.run(call({"traceparent": "garbage"}))
    asyncio.run(call({}))
    assert seen == [TRACE, None, None]


def _cancelled() -> dict[str, Any]:
    return example("order-events", "OrderCancelled")["payload"]
