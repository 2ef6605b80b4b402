"""Lint, breaking, codegen and the messaging runtime see the same merged message (issue 16).

One contract whose message declares a header itself and gets another from a trait (JSON Merge Patch merges the two
``headers`` schemas): each tool, through its own entry point, sees both headers.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from contractkit.breaking import diff_documents
from contractkit.breaking.asyncapi.model import read_model
from contractkit.codegen.asyncapi import collect_asyncapi
from contractkit.codegen.schemas import SchemaSet
from contractkit.loaders.document import Cursor, memory_document
from contractkit.messaging import MessageContract
from contractkit.spec.walk import messages

Json = dict[str, Any]
JSON = "application/json"
BOTH = ["order-id", "x-tenant"]
TRAIT = {"headers": {"type": "object", "properties": {"x-tenant": {"type": "string"}}, "required": ["x-tenant"]}}
OWN = {"type": "object", "properties": {"order-id": {"type": "string"}}}
PAYLOAD = {"type": "object", "properties": {"id": {"type": "string"}}}
INFO = {"title": "orders", "version": "1.0.0"}


def _components() -> Json:
    """The message (its own header `order-id`) and its trait (the required header `x-tenant`)."""
    message = {
        "name": "OrderPlaced",
        "headers": OWN,
        "payload": PAYLOAD,
        "traits": [{"$ref": "#/components/messageTraits/Tenant"}],
    }
    return {"messages": {"OrderPlaced": message}, "messageTraits": {"Tenant": TRAIT}}


def _v3() -> Json:
    return {
        "asyncapi": "3.0.0",
        "info": INFO,
        "channels": {
            "placed": {
                "address": "order.placed",
                "messages": {"OrderPlaced": {"$ref": "#/components/messages/OrderPlaced"}},
            }
        },
        "operations": {
            "receiveOrderPlaced": {"action": "receive", "channel": {"$ref": "#/channels/placed"}},
        },
        "components": _components(),
    }


def _v2() -> Json:
    return {
        "asyncapi": "2.6.0",
        "info": INFO,
        "channels": {
            "order.placed": {
                "publish": {
                    "operationId": "receiveOrderPlaced",
                    "message": {"$ref": "#/components/messages/OrderPlaced"},
                }
            }
        },
        "components": _components(),
    }


def _properties(schema: Cursor | Json | None) -> list[str]:
    value = schema.value if isinstance(schema, Cursor) else schema
    assert isinstance(value, dict)
    return sorted(value.get("properties", {}))


CONTRACTS = [pytest.param(_v2, id="asyncapi-2.6"), pytest.param(_v3, id="asyncapi-3.0")]


@pytest.mark.parametrize("contract", CONTRACTS)
def test_lint_walk_sees_the_trait_header(contract: Any) -> None:
    (message,) = messages(memory_document(contract()))
    assert _properties(message.get("headers")) == BOTH


@pytest.mark.parametrize("contract", CONTRACTS)
def test_breaking_sees_the_trait_header(contract: Any) -> None:
    doc = memory_document(contract())
    (operation,) = read_model(doc).operations.values()
    (message,) = operation.messages.values()
    assert _properties(message.headers) == BOTH
    # the trait's required header, added to a received message, is a change producers must follow
    base = contract()
    del base["components"]["messages"]["OrderPlaced"]["traits"]
    findings = diff_documents(memory_document(base), memory_document(contract()))
    assert any("x-tenant" in f.message for f in findings), [f.message for f in findings]


@pytest.mark.parametrize("contract", CONTRACTS)
def test_codegen_sees_the_trait_header(contract: Any) -> None:
    schemas = SchemaSet(memory_document(contract()), None)
    collect_asyncapi(schemas)
    headers = schemas.defs[schemas.aliases.get("OrderPlacedHeaders", "OrderPlacedHeaders")]
    assert isinstance(headers, dict)
    assert _properties(headers) == BOTH


@pytest.mark.parametrize("contract", CONTRACTS)
def test_messaging_sees_the_trait_header(contract: Any) -> None:
    runtime = MessageContract.from_spec(contract())
    missing = runtime.check_incoming("receiveOrderPlaced", b'{"id": "1"}', {"order-id": "1"}, content_type=JSON)
    assert any("x-tenant" in str(error) for error in missing.errors), missing.errors
    valid = runtime.check_incoming(
        "receiveOrderPlaced", b'{"id": "1"}', {"order-id": "1", "x-tenant": "t"}, content_type=JSON
    )
    assert valid.errors == []
    assert copy.deepcopy(contract()) == contract()  # reading it changed nothing
