"""What the AsyncAPI view reads for the breaking model and codegen (issue 16): one row per thing it grew.

The breaking model (``breaking/asyncapi/model.py``) used to walk the document itself; it now re-keys the view, so
the view carries what it compared: channel parameters, 3.x replies, the AMQP binding objects (of an operation with
its traits merged), 2.x anonymous ``oneOf`` variants and their positions.
"""

from __future__ import annotations

from typing import Any

from contractkit.breaking.asyncapi.model import read_model
from contractkit.loaders.document import memory_document
from contractkit.spec.asyncapi import read_asyncapi

INFO = {"title": "t", "version": "1.0.0"}


def _v3() -> dict[str, Any]:
    return {
        "asyncapi": "3.0.0",
        "info": INFO,
        "channels": {
            "orders": {
                "address": "orders.{region}",
                "parameters": {"region": {"enum": ["eu", "us"]}},
                "messages": {
                    "Placed": {
                        "payload": {"type": "object"},
                        "headers": {
                            "schemaFormat": "application/schema+json;version=draft-07",
                            "schema": {"type": "object", "properties": {"x-tenant": {"type": "string"}}},
                        },
                    }
                },
                "bindings": {"amqp": {"is": "routingKey", "exchange": {"name": "orders", "type": "topic"}}},
            },
            "answers": {"address": "answers", "messages": {"Answer": {"payload": {"type": "string"}}}},
        },
        "operations": {
            "placeOrder": {
                "action": "send",
                "channel": {"$ref": "#/channels/orders"},
                "bindings": {"amqp": {"deliveryMode": 1, "mandatory": True}},
                "traits": [{"bindings": {"amqp": {"deliveryMode": 2, "priority": 5}}}],
                "reply": {"channel": {"$ref": "#/channels/answers"}},
            }
        },
    }


def test_operation_amqp_binding_is_typed_with_its_traits_merged() -> None:
    (op,) = read_asyncapi(memory_document(_v3())).operations.values()
    assert op.amqp is not None
    # 3.x: the operation's own deliveryMode wins over its trait's; the trait's priority is merged in
    assert (op.amqp.delivery_mode, op.amqp.mandatory, op.amqp.priority) == (1, True, 5)
    assert op.amqp_binding is not None and op.amqp_binding.value == {
        "deliveryMode": 1,
        "mandatory": True,
        "priority": 5,
    }


def test_channel_parameters_bindings_and_reply() -> None:
    view = read_asyncapi(memory_document(_v3()))
    orders = view.channels["orders"]
    assert list(orders.parameters) == ["region"]
    assert orders.amqp is not None and orders.amqp_binding is orders.amqp.cursor
    (op,) = view.operations.values()
    assert op.reply is not None and op.reply.channel is view.channels["answers"]
    assert [m.key for m in op.reply.messages] == ["Answer"]
    model = read_model(memory_document(_v3()))
    assert list(model.operations) == ["placeOrder", "placeOrder reply"]
    reply = model.operations["placeOrder reply"]
    assert (reply.label, list(reply.messages)) == ("RECEIVE answers reply", ["Answer"])
    assert list(model.channels) == ["orders.{region}", "answers"]


def test_multi_format_headers_are_unwrapped_for_breaking_too() -> None:
    """3.0 headers may be a Multi Format Schema Object; the old breaking walker compared the wrapper."""
    model = read_model(memory_document(_v3()))
    message = model.channels["orders.{region}"].messages["Placed"]
    assert message.headers is not None and message.headers.value == {
        "type": "object",
        "properties": {"x-tenant": {"type": "string"}},
    }


def test_2x_anonymous_one_of_variants() -> None:
    doc = {
        "asyncapi": "2.6.0",
        "info": INFO,
        "channels": {
            "orders": {
                "subscribe": {
                    "message": {"oneOf": [{"payload": {"type": "string"}}, {"name": "placed", "payload": {}}]}
                }
            }
        },
    }
    (op,) = read_asyncapi(memory_document(doc)).operations.values()
    assert [(m.key, m.anonymous, m.position) for m in op.messages] == [("message0", True, 0), ("placed", False, 1)]
