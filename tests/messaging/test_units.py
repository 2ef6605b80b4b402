"""Small pure pieces as tables: topic patterns, PRECONDITION_FAILED explained, the topology plan, retries,
reason headers, trace contexts, and the AsyncAPI view of both contracts."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from contractkit.errors import UsageError
from contractkit.messaging import RetryPolicy
from contractkit.messaging.deadletter import DeadLetterReason, handler_error, reason_headers
from contractkit.messaging.errors import MessageError
from contractkit.messaging.topology import (
    Redeclaration,
    dead_letter_problems,
    explain_precondition,
    plan_topology,
    topic_matches,
)
from contractkit.messaging.tracing import child_traceparent, new_traceparent, trace_id

from ._support import contract


@pytest.mark.parametrize(
    ("pattern", "key", "matches"),
    [
        pytest.param("#", "a.b", True, id="hash-any"),
        pytest.param("#", "", True, id="hash-empty"),
        pytest.param("production.job.*", "production.job.started", True, id="star-one-word"),
        pytest.param("production.job.*", "production.job.a.b", False, id="star-not-two"),
        pytest.param("a.*", "a", False, id="star-not-zero"),
        pytest.param("a.#", "a", True, id="hash-zero-words"),
        pytest.param("a.#.c", "a.x.y.c", True, id="hash-middle"),
        pytest.param("#.c", "c", True, id="hash-leading"),
        pytest.param("order.created", "order.cancelled", False, id="literal"),
        pytest.param("a+b", "a+b", True, id="regex-chars-are-literal"),
    ],
)
def test_topic_matches(pattern: str, key: str, matches: bool) -> None:
    assert topic_matches(pattern, key) is matches


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "PRECONDITION_FAILED - inequivalent arg 'x-queue-type' for queue 'q' in vhost '/': received 'quorum' "
            "but current is 'classic'",
            "queue `q` (vhost `/`): `x-queue-type` is `classic` on the broker, the contract says `quorum`",
            id="queue-argument",
        ),
        pytest.param(
            "PRECONDITION_FAILED - inequivalent arg 'durable' for exchange 'e' in vhost 'v': received 'true' but "
            "current is 'false'",
            "exchange `e` (vhost `v`): `durable` is `false` on the broker, the contract says `true`",
            id="exchange-durable",
        ),
        pytest.param(
            "PRECONDITION_FAILED - inequivalent arg 'x-message-ttl' for queue 'q' in vhost '/': received none but "
            "current is the value '5' of type 'signedint'",
            "queue `q` (vhost `/`): `x-message-ttl` is `5` on the broker, the contract says not set",
            id="argument-missing",
        ),
        pytest.param("PRECONDITION_FAILED - something else", "something else", id="unknown-text"),
    ],
)
def test_precondition_failed_is_explained(text: str, expected: str) -> None:
    assert explain_precondition(text) == expected


def test_the_order_events_topology() -> None:
    topology = plan_topology(contract("order-events").view)
    assert {e.name: e.type for e in topology.exchanges} == {
        "orders.events": "topic",
        "orders.events.dlx": "topic",
        "production.events": "topic",
    }
    assert [q.name for q in topology.queues] == [
        "mes.order-intake",
        "order-service.production-jobs",
        "orders.events.dlq",
    ]
    assert topology.routes("orders.events", "order.created") == ["mes.order-intake"]
    assert topology.routes("orders.events", "order.status_changed") == []
    assert topology.routes("orders.events.dlx", "mes.order-intake") == ["orders.events.dlq"]
    assert topology.dead_letter_queues() == {"orders.events.dlq"}
    assert topology.problems == ()


@pytest.mark.parametrize(
    ("name", "queue", "problem"),
    [
        pytest.param("order-events", "mes.order-intake", None, id="intake-ok"),
        pytest.param("order-events", "orders.events.dlq", "has no `x-dead-letter-exchange`", id="dlq-itself"),
        pytest.param("order-events", "nope", "is not declared", id="unknown"),
        pytest.param("partner-notifications", "webhook-dispatcher.replay-requests", None, id="dispatcher-ok"),
    ],
)
def test_dead_letter_routes(name: str, queue: str, problem: str | None) -> None:
    found = dead_letter_problems(plan_topology(contract(name).view), queue)
    assert (found == []) if problem is None else (problem in found[0])


@pytest.mark.parametrize(
    ("failures", "attempts", "calls", "raises"),
    [
        pytest.param(0, 3, 1, False, id="first-try"),
        pytest.param(2, 3, 3, False, id="third-try"),
        pytest.param(3, 3, 3, True, id="gives-up"),
        pytest.param(1, 1, 1, True, id="no-retry"),
    ],
)
def test_retry_policy_is_bounded(failures: int, attempts: int, calls: int, raises: bool) -> None:
    policy = RetryPolicy(attempts=attempts, initial=0.0, maximum=0.0, jitter=0.0)
    made: list[int] = []
    retried: list[int] = []

    async def call() -> str:
        made.append(1)
        if len(made) <= failures:
            raise ConnectionError(f"failure {len(made)}")
        return "done"

    async def scenario() -> str:
        return await policy.run(call, lambda number, error: retried.append(number))

    if raises:
        with pytest.raises(ConnectionError, match=f"failure {calls}"):
            asyncio.run(scenario())
    else:
        assert asyncio.run(scenario()) == "done"
    assert len(made) == calls
    assert retried == list(range(1, min(failures, attempts - 1) + 1))


@pytest.mark.parametrize(
    "options", [pytest.param({"attempts": 0}, id="zero"), pytest.param({"initial": 2.0, "maximum": 1.0}, id="waits")]
)
def test_retry_policy_refuses_nonsense(options: dict[str, float]) -> None:
    with pytest.raises(UsageError):
        RetryPolicy(**options)  # type: ignore[arg-type]


def test_reason_headers_round_trip() -> None:
    error = handler_error(TimeoutError("db"))
    headers = reason_headers(
        errors=[error, MessageError("payload-schema", "payload#/x", "bad")],
        contract="order-events",
        version="1.0.0",
        operation="consumeOrderIntake",
        queue="mes.order-intake",
        exchange="orders.events",
        routing_key="order.created",
        previous={"x-contractkit-first-seen": "2025-01-01T00:00:00Z"},
        delivery_count=3,
        exception=TimeoutError("db"),
    )
    reason = DeadLetterReason.from_headers(headers)
    assert (reason.reason, reason.location, reason.message) == ("handler-failed", "handler", "TimeoutError: db")
    assert reason.first_seen == "2025-01-01T00:00:00Z"  # kept from the first time it was dead-lettered
    assert (reason.exception, reason.delivery_count, reason.contract_version) == ("TimeoutError", 3, "1.0.0")
    assert [e.rule for e in reason.errors] == ["handler-failed", "payload-schema"]


def test_a_broker_dead_letter_is_read_from_x_death() -> None:
    reason = DeadLetterReason.from_headers(
        {"x-death": [{"reason": "delivery_limit", "queue": "q", "exchange": "e", "routing-keys": ["k"], "count": 6}]}
    )
    assert (reason.reason, reason.queue, reason.exchange, reason.routing_key) == (
        "broker:delivery_limit",
        "q",
        "e",
        "k",
    )


@pytest.mark.parametrize(
    ("parent", "same_trace"),
    [
        pytest.param("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", True, id="valid"),
        pytest.param("00-00000000000000000000000000000000-00f067aa0ba902b7-01", False, id="zero-trace"),
        pytest.param("junk", False, id="junk"),
        pytest.param(None, False, id="none"),
    ],
)
def test_child_traceparent(parent: str | None, same_trace: bool) -> None:
    child = child_traceparent(parent)
    assert trace_id(child) is not None and child != parent
    assert (trace_id(child) == trace_id(parent)) is same_trace
    assert trace_id(new_traceparent()) != trace_id(new_traceparent())


@pytest.mark.parametrize(
    ("name", "operations", "messages"),
    [
        pytest.param("order-events", 9, 6, id="asyncapi-3.0"),
        pytest.param("partner-notifications", 6, 5, id="asyncapi-2.6"),
    ],
)
def test_the_asyncapi_view_of_both_versions(name: str, operations: int, messages: int) -> None:
    view = contract(name).view
    assert len(view.operations) == operations
    assert len(list(view.messages())) == messages
    for message in view.messages():
        assert message.content_type == "application/json"
        assert message.headers is not None and message.payload is not None
        assert message.message_type == message.name
        assert message.correlation_id == "$message.header#/correlation-id"


def _refusal(argument: str, kind: str, sent: str, current: str) -> str:
    return (
        f"PRECONDITION_FAILED - inequivalent arg '{argument}' for {kind} 'x' in vhost '/': received {sent} but "
        f"current is {current}"
    )


QUEUE = {"durable": True, "exclusive": False, "auto_delete": False, "arguments": {"x-queue-type": "quorum"}}


@pytest.mark.parametrize(
    ("declaration", "refusal", "expected"),
    [
        pytest.param(
            QUEUE,
            _refusal("x-queue-type", "queue", "'quorum'", "'classic'"),
            {**QUEUE, "arguments": {"x-queue-type": "classic"}},
            id="text-argument",
        ),
        pytest.param(
            {**QUEUE, "arguments": {"x-max-length": 20}},
            _refusal("x-max-length", "queue", "'20'", "'10'"),
            {**QUEUE, "arguments": {"x-max-length": 10}},  # a number stays a number (RabbitMQ prints both alike)
            id="untyped-number",
        ),
        pytest.param(
            QUEUE,
            _refusal("x-message-ttl", "queue", "none", "the value '1000' of type 'short'"),
            {**QUEUE, "arguments": {"x-queue-type": "quorum", "x-message-ttl": 1000}},
            id="argument-only-on-the-broker",
        ),
        pytest.param(
            QUEUE,
            _refusal("x-queue-type", "queue", "the value 'quorum' of type 'longstr'", "none"),
            {**QUEUE, "arguments": {}},
            id="argument-only-in-the-contract",
        ),
        pytest.param(
            QUEUE,
            _refusal("durable", "queue", "'true'", "'false'"),
            {**QUEUE, "durable": False},
            id="queue-property",
        ),
        pytest.param(
            {"type": "topic", "durable": True, "auto_delete": False},
            _refusal("type", "exchange", "'topic'", "'fanout'"),
            {"type": "fanout", "durable": True, "auto_delete": False, "arguments": {}},
            id="exchange-type",
        ),
        pytest.param(
            QUEUE,
            _refusal("x-single-active-consumer", "queue", "none", "the value 'true' of type 'bool'"),
            {**QUEUE, "arguments": {"x-queue-type": "quorum", "x-single-active-consumer": True}},
            id="typed-bool",
        ),
        pytest.param(
            QUEUE, _refusal("x-args", "queue", "none", "the value '[]' of type 'array'"), None, id="unreadable-value"
        ),
        pytest.param(QUEUE, "PRECONDITION_FAILED - something else", None, id="another-error"),
        pytest.param(None, _refusal("type", "exchange", "'topic'", "'fanout'"), None, id="passive-declaration"),
    ],
)
def test_a_refusal_is_noted_and_the_broker_value_declared_next(
    declaration: dict[str, Any] | None, refusal: str, expected: dict[str, Any] | None
) -> None:
    tracker = Redeclaration(declaration)
    again = tracker.refused(refusal)
    assert (again, tracker.declaration if again else None) == (expected is not None, expected)
    assert len(tracker.conflicts) == 1


def test_the_same_contradiction_twice_ends_the_redeclarations() -> None:
    tracker = Redeclaration(dict(QUEUE))
    refusal = _refusal("x-queue-type", "queue", "'quorum'", "'classic'")
    assert tracker.refused(refusal)
    assert not tracker.refused(refusal)  # RabbitMQ repeats itself: the loop stops, the conflict is listed once
    assert tracker.conflicts == [
        "queue `x` (vhost `/`): `x-queue-type` is `classic` on the broker, the contract says `quorum`"
    ]
