"""The broker-free validator: outgoing and incoming messages of both contracts, as tables of cases."""

from __future__ import annotations

import copy
import json
import types
from typing import Any

import pytest

from contractkit.errors import ContractInvalid, ContractNotFound, UsageError
from contractkit.messaging import MessageContract, UnknownOperation
from contractkit.messaging.contract import model_error_text

from ._support import ORDER_EVENTS, contract, example

ORDER = example("order-events", "OrderCreated")
TRACE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def _changed(payload: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(payload)
    node: Any = changed
    parts = path.split("/")
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if value is KeyError:
        del node[parts[-1]]
    else:
        node[parts[-1]] = value
    return changed


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        pytest.param(ORDER["payload"], [], id="example-valid"),
        pytest.param(
            _changed(ORDER["payload"], "order_id", KeyError),
            [("payload-schema", "payload#/order_id")],
            id="required-missing",
        ),
        pytest.param(
            _changed(ORDER["payload"], "items/0/quantity", 0),
            [("payload-schema", "payload#/items/0/quantity")],
            id="min",
        ),
        pytest.param(
            _changed(ORDER["payload"], "order_id", "not-a-uuid"), [("payload-schema", "payload#/order_id")], id="format"
        ),
        pytest.param(
            _changed(ORDER["payload"], "status", "teleported"), [("payload-schema", "payload#/status")], id="enum"
        ),
        pytest.param(
            _changed(ORDER["payload"], "order_number", "ORD-1"),
            [("payload-schema", "payload#/order_number")],
            id="pattern",
        ),
        pytest.param(_changed(ORDER["payload"], "items", []), [("payload-schema", "payload#/items")], id="min-items"),
        pytest.param(["not", "an", "object"], [("payload-schema", "payload#")], id="wrong-type"),
    ],
)
def test_outgoing_payload(payload: Any, expected: list[tuple[str, str]]) -> None:
    verdict = contract("order-events").check_outgoing(
        "publishOrderCreated", payload, traceparent=TRACE, correlation_id="c-1"
    )
    assert [(e.rule, e.location) for e in verdict.errors] == expected


def test_outgoing_fills_the_headers_a_publisher_owns() -> None:
    verdict = contract("order-events").check_outgoing(
        "publishOrderCreated", ORDER["payload"], traceparent=TRACE, correlation_id="order-7"
    )
    assert verdict.ok
    assert verdict.headers["traceparent"] == TRACE
    assert verdict.headers["correlation-id"] == "order-7"
    assert verdict.headers["schema-version"] == "1.0.0"
    assert len(verdict.headers["message-id"]) == 36
    assert json.loads(verdict.body) == ORDER["payload"]


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        pytest.param({}, [("headers-schema", "header.correlation-id")], id="correlation-id-missing"),
        pytest.param(
            {"correlation-id": "c", "traceparent": "not-a-trace"},
            [("headers-schema", "header.traceparent")],
            id="trace",
        ),
        pytest.param(
            {"correlation-id": "c", "message-id": "nope"}, [("headers-schema", "header.message-id")], id="message-id"
        ),
        pytest.param(
            {"correlation-id": "c", "schema-version": "v1"}, [("headers-schema", "header.schema-version")], id="version"
        ),
    ],
)
def test_outgoing_headers(headers: dict[str, str], expected: list[tuple[str, str]]) -> None:
    verdict = contract("order-events").check_outgoing("publishOrderCreated", ORDER["payload"], headers)
    assert [(e.rule, e.location) for e in verdict.errors] == expected


def test_outgoing_accepts_a_generated_model() -> None:
    import importlib
    import sys

    from ._support import ROOT

    sys.path.insert(0, str(ROOT / "generated"))
    try:
        package = importlib.import_module("order_events.v1")
    finally:
        sys.path.remove(str(ROOT / "generated"))
    typed = MessageContract.from_spec(package)
    model = package.OrderCreatedPayload.model_validate_json(json.dumps(ORDER["payload"]))
    verdict = typed.check_outgoing("publishOrderCreated", model, correlation_id="c")
    assert verdict.ok, verdict.errors
    assert typed.name == "order-events"
    incoming = typed.check_incoming(
        "consumeOrderIntake",
        verdict.body,
        verdict.headers,
        content_type="application/json",
        message_type="order.created",
    )
    assert isinstance(incoming.value(), package.OrderCreatedPayload)


def _models_refusing(validator: str) -> types.ModuleType:
    """A hand-written models package whose `OrderCreatedPayload` refuses every `order_number` with ``validator``."""
    module = types.ModuleType("hand_written_models")
    exec(  # a model class needs a real module namespace for pydantic to build it
        "from pydantic import BaseModel, ConfigDict, field_validator\n"
        "class OrderCreatedPayload(BaseModel):\n"
        "    model_config = ConfigDict(extra='allow')\n"
        "    order_number: str\n"
        "    @field_validator('order_number')\n"
        "    @classmethod\n"
        "    def _check(cls, value: str) -> str:\n"
        f"        {validator}\n",
        module.__dict__,
    )
    return module


@pytest.mark.parametrize(
    ("validator", "message"),
    [
        pytest.param("raise ValueError('must be issued by the shop')", "must be issued by the shop", id="value-error"),
        pytest.param("assert value == 'never', 'not issued by the shop'", "not issued by the shop", id="assert"),
    ],
)
def test_a_model_error_reads_as_its_validator_wrote_it(validator: str, message: str) -> None:
    typed = MessageContract.from_spec(ORDER_EVENTS, models=_models_refusing(validator))
    verdict = typed.check_incoming(
        "consumeOrderIntake",
        json.dumps(ORDER["payload"]).encode(),
        ORDER["headers"],
        content_type="application/json",
        message_type="order.created",
    )
    assert [(e.rule, e.location, e.message) for e in verdict.errors] == [
        ("payload-model", "payload#/order_number", message)
    ]


@pytest.mark.parametrize(
    ("item", "text"),
    [
        pytest.param({"type": "value_error", "msg": "Value error, too early"}, "too early", id="value-error"),
        pytest.param({"type": "assertion_error", "msg": "Assertion failed, too late"}, "too late", id="assertion"),
        pytest.param({"type": "missing", "msg": "Field required"}, "Field required", id="pydantic-own-text"),
        pytest.param({"type": "x", "msg": "a Value error, inside"}, "a Value error, inside", id="only-a-prefix"),
    ],
)
def test_model_error_text(item: dict[str, Any], text: str) -> None:
    assert model_error_text(item) == text


BODY = json.dumps(ORDER["payload"]).encode()


@pytest.mark.parametrize(
    ("body", "props", "expected"),
    [
        pytest.param(BODY, {}, [], id="valid"),
        pytest.param(BODY, {"message_type": None}, [], id="valid-without-type"),
        pytest.param(BODY, {"content_type": "text/plain"}, [("content-type", "property.content_type")], id="ctype"),
        pytest.param(BODY, {"content_type": None}, [("content-type", "property.content_type")], id="no-ctype"),
        pytest.param(BODY, {"content_encoding": "gzip"}, [("content-encoding", "property.content_encoding")], id="gz"),
        pytest.param(BODY, {"message_type": "order.exploded"}, [("message-unknown", "property.type")], id="type"),
        pytest.param(b"{", {}, [("payload-json", "payload#")], id="malformed"),
        pytest.param(b'{"a": NaN}', {}, [("payload-json", "payload#")], id="nan"),
        pytest.param(b"\xff\xfe", {}, [("payload-json", "payload#")], id="not-utf8"),
        pytest.param(b"x" * 2_000_000, {}, [("body-too-large", "payload#")], id="giant"),
    ],
)
def test_incoming(body: bytes, props: dict[str, Any], expected: list[tuple[str, str]]) -> None:
    options = {"content_type": "application/json", "message_type": "order.created", **props}
    verdict = contract("order-events").check_incoming("consumeOrderIntake", body, ORDER["headers"], **options)
    assert [(e.rule, e.location) for e in verdict.errors][: len(expected) or None] == expected


def test_incoming_without_type_names_every_candidate() -> None:
    verdict = contract("order-events").check_incoming(
        "consumeOrderIntake", b'{"order_id": 1}', ORDER["headers"], content_type="application/json"
    )
    assert verdict.errors[0].rule == "message-unknown"
    assert "`order.created`, `order.cancelled`" in verdict.errors[0].message


@pytest.mark.parametrize(
    ("key", "action", "listed", "unlisted"),
    [
        pytest.param("publishNothing", None, ["publishOrderCreated", "consumeOrderIntake"], [], id="absent"),
        pytest.param(
            "consumeOrderIntake", "send", ["publishOrderCreated"], ["`consumeDeadLetters`"], id="wrong-action"
        ),
        pytest.param(
            "publishOrderCreated", "receive", ["consumeOrderIntake"], ["`publishOrderCancelled`"], id="wrong-action-2"
        ),
    ],
)
def test_unknown_operation_lists_the_known_ones_in_its_message(
    key: str, action: str | None, listed: list[str], unlisted: list[str]
) -> None:
    with pytest.raises(UnknownOperation) as info:
        contract("order-events").operation(key, action)
    text = str(info.value)  # what a library user sees, without the tip
    assert all(f"`{name}`" in text for name in listed), text
    assert not any(name in text.split("operations:")[1] for name in unlisted), text


@pytest.mark.parametrize(
    ("spec", "error"),
    [
        pytest.param("no-such-contract", ContractNotFound, id="unknown-id"),
        pytest.param(str(ORDER_EVENTS) + ".missing", ContractNotFound, id="missing-file"),
        pytest.param(42, UsageError, id="wrong-kind"),
        pytest.param("b2b-orders", ContractInvalid, id="openapi"),
    ],
)
def test_unusable_contracts_are_refused_clearly(spec: object, error: type[Exception]) -> None:
    with pytest.raises(error) as info:
        MessageContract.from_spec(spec)
    assert getattr(info.value, "tip", None) or getattr(info.value, "detail", None)


def test_a_dict_contract_with_local_refs() -> None:
    doc = {
        "asyncapi": "3.0.0",
        "info": {"title": "tiny", "version": "2.0.0"},
        "channels": {"c": {"address": "a.b", "messages": {"m": {"$ref": "#/components/messages/M"}}}},
        "operations": {"send": {"action": "send", "channel": {"$ref": "#/channels/c"}}},
        "components": {"messages": {"M": {"payload": {"type": "object", "required": ["n"]}}}},
    }
    tiny = MessageContract.from_spec(doc)
    assert tiny.name == "tiny"
    assert [e.location for e in tiny.check_outgoing("send", {}).errors] == ["payload#/n"]


JOB = example("order-events", "ProductionJobStarted")
GENERAL_TIP = "fix the payload or headers at the locations named; nothing was published."


@pytest.mark.parametrize(
    ("headers", "kwargs", "location", "tip"),
    [
        pytest.param({}, {}, "header.correlation-id", "pass `correlation_id=` to `publish()`", id="no-correlation-id"),
        pytest.param(
            {"traceparent": "00-nope"},
            {"correlation_id": "c"},
            "header.traceparent",
            "pass a W3C `traceparent=` to `publish()`",
            id="bad-traceparent",
        ),
        pytest.param(
            {},
            {"correlation_id": "c", "traceparent": "not-a-trace"},
            "header.traceparent",
            "pass a W3C `traceparent=` to `publish()`",
            id="bad-traceparent-argument",
        ),
        pytest.param(
            {"message-id": "not-a-uuid"},
            {"correlation_id": "c"},
            "header.message-id",
            "leave `message-id` out of the headers",
            id="bad-message-id",
        ),
        pytest.param(
            {"schema-version": "one"},
            {"correlation_id": "c"},
            "header.schema-version",
            "leave `schema-version` out of the headers",
            id="bad-schema-version",
        ),
    ],
)
@pytest.mark.parametrize("client", ["aio-pika", "pika"])
def test_a_refused_header_the_client_fills_names_its_argument(
    client: str, headers: dict[str, str], kwargs: dict[str, str], location: str, tip: str
) -> None:
    """The tip says which argument of `publish()` fills the header (nothing is sent: no broker needed)."""
    import asyncio

    from contractkit.messaging import ContractClient, MessageRefused, SyncPublisher

    with pytest.raises(MessageRefused) as info:
        if client == "aio-pika":
            aio = ContractClient(ORDER_EVENTS, "amqp://127.0.0.1:1/", metrics=False)
            asyncio.run(aio.publish("publishProductionJobStarted", JOB["payload"], headers=headers, **kwargs))
        else:
            sync = SyncPublisher(ORDER_EVENTS, "amqp://127.0.0.1:1/", metrics=False)
            sync.publish("publishProductionJobStarted", JOB["payload"], headers=headers, **kwargs)
    assert [e.location for e in info.value.errors] == [location]
    assert info.value.tip is not None
    assert info.value.tip.startswith(tip), info.value.tip
    assert info.value.tip.endswith(GENERAL_TIP)


def test_a_refused_payload_keeps_the_general_tip() -> None:
    from contractkit.messaging import MessageRefused
    from contractkit.messaging.errors import refused_tip

    verdict = contract("order-events").check_outgoing("publishProductionJobStarted", {}, correlation_id="c")
    assert {e.location.split("/")[0] for e in verdict.errors} == {"payload#"}
    assert refused_tip(verdict.errors) == GENERAL_TIP
    assert MessageRefused("publishProductionJobStarted", verdict.errors).tip == GENERAL_TIP
