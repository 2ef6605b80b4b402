"""Small inline contracts for the runtime tests: one API, written once in OAS 3.1 and derived in OAS 3.0."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
B2B = ROOT / "contracts" / "b2b-orders" / "openapi.yaml"
ORDER_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
ORDER = {
    "customer_reference": "PO-1",
    "currency": "EUR",
    "shipping_address": {
        "recipient_name": "Hall 3",
        "line1": "Industriestrasse 12",
        "city": "Stuttgart",
        "postal_code": "70565",
        "country_code": "DE",
    },
    "items": [{"part_name": "Bracket", "material": "nylon_pa12", "process": "sls", "quantity": 4}],
}
B2B_HEADERS = [
    ("authorization", "Bearer t0ken"),
    ("idempotency-key", "abcdefgh-1234"),
    ("content-type", "application/json"),
]


def _pet_31() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "shop", "version": "1"},
        "servers": [{"url": "https://api.example.com/v1"}],
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "basic": {"type": "http", "scheme": "basic"},
                "key": {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
                "qkey": {"type": "apiKey", "in": "query", "name": "api_key"},
                "ckey": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
            "schemas": {
                "Card": {
                    "type": "object",
                    "required": ["kind", "number"],
                    "properties": {"kind": {"type": "string"}, "number": {"type": "string", "pattern": "^[0-9]{16}$"}},
                },
                "Invoice": {
                    "type": "object",
                    "required": ["kind", "vat_id"],
                    "properties": {"kind": {"type": "string"}, "vat_id": {"type": "string", "minLength": 4}},
                },
                "Order": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["id", "sku", "quantity"],
                    "properties": {
                        "id": {"type": "string", "format": "uuid", "readOnly": True},
                        "sku": {"type": "string", "minLength": 3},
                        "quantity": {"type": "integer", "minimum": 1, "maximum": 100},
                        "note": {"type": ["string", "null"]},
                        "email": {"type": "string", "format": "email"},
                        "ship_on": {"type": "string", "format": "date"},
                        "secret": {"type": "string", "writeOnly": True},
                        "tags": {"type": "array", "prefixItems": [{"const": "first"}], "items": {"type": "string"}},
                        "payment": {
                            "oneOf": [{"$ref": "#/components/schemas/Card"}, {"$ref": "#/components/schemas/Invoice"}],
                            "discriminator": {
                                "propertyName": "kind",
                                "mapping": {
                                    "card": "#/components/schemas/Card",
                                    "invoice": "#/components/schemas/Invoice",
                                },
                            },
                        },
                        "size": {"anyOf": [{"type": "integer"}, {"type": "string", "enum": ["S", "M", "L"]}]},
                        "window": {"allOf": [{"type": "object", "required": ["from"]}, {"required": ["to"]}]},
                    },
                },
            },
        },
        "security": [{"bearer": []}],
        "paths": {
            "/orders": {
                "get": {
                    "parameters": [
                        {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 50}},
                        {
                            "name": "status",
                            "in": "query",
                            "style": "form",
                            "explode": False,
                            "schema": {"type": "array", "items": {"type": "string", "enum": ["open", "closed"]}},
                        },
                        {"name": "tag", "in": "query", "schema": {"type": "array", "items": {"type": "integer"}}},
                        {
                            "name": "filter",
                            "in": "query",
                            "style": "deepObject",
                            "schema": {
                                "type": "object",
                                "properties": {"min": {"type": "number"}, "max": {"type": "number"}},
                            },
                        },
                        {"name": "flag", "in": "query", "schema": {"type": "boolean"}},
                        {"name": "since", "in": "query", "schema": {"type": "string", "format": "date-time"}},
                        {"name": "X-Request-Id", "in": "header", "schema": {"type": "string", "format": "uuid"}},
                        {"name": "session", "in": "cookie", "schema": {"type": "string", "minLength": 8}},
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["items"],
                                        "properties": {
                                            "items": {"type": "array", "items": {"$ref": "#/components/schemas/Order"}}
                                        },
                                    }
                                }
                            },
                        }
                    },
                },
                "post": {
                    "security": [{"key": []}, {"basic": [], "qkey": []}],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Order"}},
                            "application/merge-patch+json": {"schema": {"$ref": "#/components/schemas/Order"}},
                            "application/x-www-form-urlencoded": {
                                "schema": {
                                    "type": "object",
                                    "required": ["sku"],
                                    "properties": {
                                        "sku": {"type": "string"},
                                        "quantity": {"type": "integer", "maximum": 9},
                                        "tags": {"type": "array", "items": {"type": "string"}},
                                    },
                                }
                            },
                            "multipart/form-data": {"schema": {"type": "object"}},
                        },
                    },
                    "responses": {
                        "201": {
                            "description": "created",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}},
                        }
                    },
                },
            },
            "/orders/mine": {"get": {"security": [], "responses": {"200": {"description": "ok"}}}},
            "/orders/{order_id}": {
                "parameters": [
                    {"name": "order_id", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}
                ],
                "get": {"security": [{"ckey": []}], "responses": {"200": {"description": "ok"}}},
                "delete": {"security": [{}], "responses": {"204": {"description": "gone"}}},
            },
            "/items/{ids}": {
                "get": {
                    "security": [],
                    "parameters": [
                        {
                            "name": "ids",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "array", "items": {"type": "integer"}},
                        },
                        {"name": "X-Trace", "in": "header", "required": True, "schema": {"type": "integer"}},
                    ],
                    "responses": {"200": {"description": "ok"}},
                }
            },
            "/label/{color}": {
                "get": {
                    "security": [],
                    "parameters": [
                        {
                            "name": "color",
                            "in": "path",
                            "required": True,
                            "style": "label",
                            "schema": {"type": "array", "items": {"type": "string"}},
                        }
                    ],
                    "responses": {"200": {"description": "ok"}},
                }
            },
        },
    }


def _to_30(node: Any) -> Any:
    """Rewrite the 3.1 spellings the 3.0 variant cannot use: type arrays with null, prefixItems, const."""
    if isinstance(node, list):
        return [_to_30(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {k: _to_30(v) for k, v in node.items()}
    kind = out.get("type")
    if isinstance(kind, list):
        rest = [k for k in kind if k != "null"]
        out["type"] = rest[0]
        if "null" in kind:
            out["nullable"] = True
    out.pop("prefixItems", None)
    if "const" in out:
        out["enum"] = [out.pop("const")]
    return out


def pet_spec(version: str) -> dict[str, Any]:
    """Return the test API in OAS ``3.1`` or ``3.0``."""
    spec = _pet_31()
    if version == "3.0":
        spec = _to_30(copy.deepcopy(spec))
        spec["openapi"] = "3.0.3"
        limit = spec["paths"]["/orders"]["get"]["parameters"][0]["schema"]
        limit["exclusiveMaximum"] = True  # 3.0 boolean form: limit < 50
    return spec
