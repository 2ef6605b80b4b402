"""Synthetic AsyncAPI 3.0 contracts over AMQP of any size, and a changed copy, for the AsyncAPI diff benchmark.

``make_spec(n)`` returns a document of ``n`` services. Each service owns a topic exchange ``svc<i>.events`` and:

- two event channels (``svc<i>.entity.created``, ``svc<i>.entity.updated``: AMQP ``is: routingKey`` on its
  exchange) that the application **sends** on, with the messages ``Entity<i>Created`` / ``Entity<i>Updated``
  (payload ``Entity<i>``: 20 properties, a nested object, an enum, an array of ``Line<i>`` items, `$ref`s to
  shared ``Money`` and ``Actor`` schemas);
- one command queue (``svc<i>.commands``: AMQP ``is: queue``, durable, bound with ``x-bound-to``) that the
  application **receives** ``Command<i>`` messages on (payload ``Command<i>``: 12 properties with constraints,
  a closed model, ``additionalProperties: false``, on every other service);
- shared message headers and a shared ``Money`` and ``Actor`` schema in ``components``.

``change(spec)`` changes every other service, cycling through :data:`CHANGES` (a fixed mix of breaking and
compatible changes, each named with what a correct engine should call it). So the revision of ``2 * n``
services is exactly twice the work of ``n`` services, and the number of findings grows with ``n``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

Json = dict[str, Any]

_AMQP = "0.3.0"


def _shared() -> Json:
    return {
        "Money": {
            "type": "object",
            "required": ["amount", "currency"],
            "properties": {
                "amount": {"type": "string", "pattern": "^-?[0-9]+(\\.[0-9]{1,4})?$", "description": "Decimal."},
                "currency": {"type": "string", "enum": ["EUR", "USD", "GBP", "CHF"], "description": "ISO 4217."},
            },
        },
        "Actor": {
            "type": "object",
            "required": ["type", "display_name"],
            "properties": {
                "type": {"type": "string", "enum": ["partner", "operator", "system"]},
                "id": {"type": ["string", "null"], "maxLength": 100},
                "display_name": {"type": "string", "maxLength": 120},
            },
        },
        "MessageHeaders": {
            "type": "object",
            "required": ["traceparent", "message-id", "correlation-id"],
            "properties": {
                "traceparent": {"type": "string", "pattern": "^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$"},
                "message-id": {"type": "string", "format": "uuid"},
                "correlation-id": {"type": "string", "format": "uuid"},
                "schema-version": {"type": "string"},
            },
        },
    }


def _schemas(i: int) -> dict[str, Json]:
    ref = "#/components/schemas/"
    entity = {
        "type": "object",
        "description": f"An entity of service {i}.",
        "required": ["id", "number", "status", "owner", "total", "lines", "created_at", "version"],
        "properties": {
            "id": {"type": "string", "format": "uuid", "description": "The id."},
            "number": {"type": "string", "pattern": "^ENT-[0-9]{4}-[0-9]{6}$", "description": "The number."},
            "status": {
                "type": "string",
                "enum": ["draft", "received", "in_progress", "done", "cancelled"],
                "description": "The status.",
            },
            "title": {"type": "string", "maxLength": 200},
            "summary": {"type": ["string", "null"], "maxLength": 2000},
            "priority": {"type": "integer", "minimum": 0, "maximum": 9},
            "owner": {"$ref": ref + "Actor"},
            "total": {"$ref": ref + "Money"},
            "tax": {"$ref": ref + "Money"},
            "lines": {"type": "array", "minItems": 1, "maxItems": 500, "items": {"$ref": f"{ref}Line{i}"}},
            "tags": {"type": "array", "items": {"type": "string", "maxLength": 40}, "uniqueItems": True},
            "address": {
                "type": "object",
                "required": ["street", "city", "country"],
                "properties": {
                    "street": {"type": "string", "maxLength": 200},
                    "city": {"type": "string", "maxLength": 100},
                    "postal_code": {"type": "string", "maxLength": 20},
                    "country": {"type": "string", "pattern": "^[A-Z]{2}$"},
                },
            },
            "weight_kg": {"type": "number", "minimum": 0},
            "rush": {"type": "boolean"},
            "due_date": {"type": ["string", "null"], "format": "date"},
            "created_at": {"type": "string", "format": "date-time"},
            "updated_at": {"type": "string", "format": "date-time"},
            "version": {"type": "integer", "minimum": 1},
            "source": {"type": "string", "enum": ["portal", "api", "edi"]},
            "external_ref": {"type": "string", "maxLength": 80},
        },
    }
    line = {
        "type": "object",
        "required": ["line_id", "sku", "quantity"],
        "properties": {
            "line_id": {"type": "string", "format": "uuid"},
            "sku": {"type": "string", "maxLength": 40},
            "quantity": {"type": "integer", "minimum": 1},
            "unit_price": {"$ref": ref + "Money"},
            "material": {"type": "string", "enum": ["pa12", "alu6061", "steel316", "ti64"]},
            "note": {"type": "string", "maxLength": 500},
        },
    }
    command: Json = {
        "type": "object",
        "description": f"A command to service {i}.",
        "required": ["command_id", "kind", "entity_id", "requested_by", "requested_at"],
        "properties": {
            "command_id": {"type": "string", "format": "uuid"},
            "kind": {"type": "string", "enum": ["create", "update", "cancel", "reprioritise"]},
            "entity_id": {"type": "string", "format": "uuid"},
            "requested_by": {"$ref": ref + "Actor"},
            "requested_at": {"type": "string", "format": "date-time"},
            "reason": {"type": "string", "maxLength": 500},
            "priority": {"type": "integer", "minimum": 0, "maximum": 9},
            "quantity": {"type": "integer", "minimum": 1, "maximum": 10000},
            "comment": {"type": ["string", "null"], "maxLength": 2000},
            "dry_run": {"type": "boolean"},
            "deadline": {"type": "string", "format": "date-time"},
            "options": {
                "type": "object",
                "properties": {"notify": {"type": "boolean"}, "channel": {"type": "string", "enum": ["mail", "sms"]}},
            },
        },
    }
    if i % 2 == 0:
        command["additionalProperties"] = False
    return {f"Entity{i}": entity, f"Line{i}": line, f"Command{i}": command}


def _message(name: str, schema: str, message_type: str) -> Json:
    return {
        "name": message_type,
        "title": name,
        "contentType": "application/json",
        "headers": {"$ref": "#/components/schemas/MessageHeaders"},
        "payload": {"$ref": f"#/components/schemas/{schema}"},
        "bindings": {"amqp": {"messageType": message_type, "bindingVersion": _AMQP}},
    }


def _exchange(name: str) -> Json:
    exchange = {"name": name, "type": "topic", "durable": True, "autoDelete": False, "vhost": "/"}
    return {"amqp": {"is": "routingKey", "exchange": exchange, "bindingVersion": _AMQP}}


def _service(i: int) -> tuple[Json, Json, Json]:
    """Return the channels, operations and messages of service ``i``."""
    exchange = f"svc{i}.events"
    channels: Json = {}
    operations: Json = {}
    messages: Json = {}
    for event in ("created", "updated"):
        name = f"Entity{i}{event.title()}"
        channel = f"entity{i}{event.title()}"
        messages[name] = _message(name, f"Entity{i}", f"svc{i}.entity.{event}")
        channels[channel] = {
            "address": f"svc{i}.entity.{event}",
            "description": f"Service {i} publishes an entity {event} event on `{exchange}`.",
            "messages": {name: {"$ref": f"#/components/messages/{name}"}},
            "bindings": _exchange(exchange),
        }
        operations[f"publish{name}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{channel}"},
            "summary": f"Publish the entity {event} event of service {i}.",
            "bindings": {"amqp": {"deliveryMode": 2, "mandatory": True, "bindingVersion": _AMQP}},
            "messages": [{"$ref": f"#/channels/{channel}/messages/{name}"}],
        }
    command = f"Command{i}"
    messages[command] = _message(command, command, f"svc{i}.command")
    queue = {"name": f"svc{i}.commands", "durable": True, "exclusive": False, "autoDelete": False, "vhost": "/"}
    channels[f"commands{i}"] = {
        "address": f"svc{i}.commands",
        "description": f"The command queue of service {i}.",
        "messages": {command: {"$ref": f"#/components/messages/{command}"}},
        "bindings": {
            "amqp": {
                "is": "queue",
                "queue": queue,
                "x-bound-to": [{"exchange": "commands", "routingKey": f"svc{i}.#"}],
                "bindingVersion": _AMQP,
            }
        },
    }
    operations[f"consume{command}"] = {
        "action": "receive",
        "channel": {"$ref": f"#/channels/commands{i}"},
        "summary": f"Service {i} executes commands.",
        "bindings": {"amqp": {"ack": True, "bindingVersion": _AMQP}},
        "messages": [{"$ref": f"#/channels/commands{i}/messages/{command}"}],
    }
    return channels, operations, messages


def make_spec(services: int) -> Json:
    """Return an AsyncAPI 3.0 document of ``services`` services (3 channels, 3 operations, 3 messages each)."""
    schemas = _shared()
    channels: Json = {}
    operations: Json = {}
    messages: Json = {}
    for i in range(services):
        schemas.update(_schemas(i))
        more_channels, more_operations, more_messages = _service(i)
        channels.update(more_channels)
        operations.update(more_operations)
        messages.update(more_messages)
    return {
        "asyncapi": "3.0.0",
        "info": {"title": f"Synthetic event platform ({services} services)", "version": "1.0.0"},
        "defaultContentType": "application/json",
        "servers": {"production": {"host": "rabbitmq.example.com:5671", "protocol": "amqps"}},
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }


# --- the changes: (name, what a correct engine says, edit) -----------------------------------------------------


def _required_added_to_received(spec: Json, i: int) -> None:
    command = spec["components"]["schemas"][f"Command{i}"]
    command["properties"]["tenant_id"] = {"type": "string", "format": "uuid"}
    command["required"].append("tenant_id")


def _optional_added_to_sent(spec: Json, i: int) -> None:
    spec["components"]["schemas"][f"Entity{i}"]["properties"]["channel_hint"] = {"type": "string", "maxLength": 40}


def _enum_value_added_to_sent(spec: Json, i: int) -> None:
    spec["components"]["schemas"][f"Entity{i}"]["properties"]["status"]["enum"].append("on_hold")


def _enum_value_added_to_received(spec: Json, i: int) -> None:
    spec["components"]["schemas"][f"Command{i}"]["properties"]["kind"]["enum"].append("split")


def _exchange_renamed(spec: Json, i: int) -> None:
    for event in ("Created", "Updated"):
        spec["channels"][f"entity{i}{event}"]["bindings"]["amqp"]["exchange"]["name"] = f"svc{i}.events.v2"


def _max_length_lowered_on_received(spec: Json, i: int) -> None:
    spec["components"]["schemas"][f"Command{i}"]["properties"]["reason"]["maxLength"] = 200


def _description_changed(spec: Json, i: int) -> None:
    spec["components"]["schemas"][f"Entity{i}"]["properties"]["title"]["description"] = "The title, as shown."
    spec["channels"][f"commands{i}"]["description"] = f"The command queue of service {i} (quorum queue)."


def _channel_added(spec: Json, i: int) -> None:
    name = f"Entity{i}Archived"
    spec["components"]["messages"][name] = _message(name, f"Entity{i}", f"svc{i}.entity.archived")
    spec["channels"][f"entity{i}Archived"] = {
        "address": f"svc{i}.entity.archived",
        "messages": {name: {"$ref": f"#/components/messages/{name}"}},
        "bindings": _exchange(f"svc{i}.events"),
    }
    spec["operations"][f"publish{name}"] = {
        "action": "send",
        "channel": {"$ref": f"#/channels/entity{i}Archived"},
        "messages": [{"$ref": f"#/channels/entity{i}Archived/messages/{name}"}],
    }


def _queue_made_non_durable(spec: Json, i: int) -> None:
    spec["channels"][f"commands{i}"]["bindings"]["amqp"]["queue"]["durable"] = False


def _type_widened_on_received(spec: Json, i: int) -> None:
    spec["components"]["schemas"][f"Command{i}"]["properties"]["quantity"]["type"] = "number"


CHANGES: tuple[tuple[str, str, Callable[[Json, int], None]], ...] = (
    ("required property added to a received payload", "breaking", _required_added_to_received),
    ("optional property added to a sent payload (open model)", "compatible", _optional_added_to_sent),
    ("enum value added to a sent payload", "breaking", _enum_value_added_to_sent),
    ("enum value added to a received payload", "compatible", _enum_value_added_to_received),
    ("exchange renamed (2 channels)", "breaking", _exchange_renamed),
    ("maxLength lowered on a received payload", "breaking", _max_length_lowered_on_received),
    ("descriptions changed", "compatible", _description_changed),
    ("channel + send operation + message added", "compatible", _channel_added),
    ("queue `durable` flipped", "breaking", _queue_made_non_durable),
    ("integer widened to number on a received payload", "compatible", _type_widened_on_received),
)


def change(spec: Json) -> Json:
    """Return a copy of ``spec`` where every other service changed, cycling through :data:`CHANGES`."""
    revision = copy.deepcopy(spec)
    revision["info"]["version"] = "2.0.0"
    services = sum(1 for key in spec["operations"] if key.startswith("consumeCommand"))
    for n, i in enumerate(range(0, services, 2)):
        CHANGES[n % len(CHANGES)][2](revision, i)
    return revision


def expected(services: int) -> dict[str, int]:
    """Return how many changed services a correct engine calls breaking and compatible (one verdict each)."""
    counts = {"breaking": 0, "compatible": 0}
    for n, _ in enumerate(range(0, services, 2)):
        counts[CHANGES[n % len(CHANGES)][1]] += 1
    return counts


def write_pair(folder: Path, services: int) -> tuple[Path, Path]:
    """Write ``base.yaml`` and ``revision.yaml`` of ``services`` services into ``folder``; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    spec = make_spec(services)
    paths = folder / "base.yaml", folder / "revision.yaml"
    for path, doc in zip(paths, (spec, change(spec)), strict=True):
        path.write_text(yaml.safe_dump(doc, sort_keys=False, width=120), encoding="utf-8")
    return paths
