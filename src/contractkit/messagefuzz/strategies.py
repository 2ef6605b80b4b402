"""Payloads drawn from a message's schema: valid ones, and invalid ones, by Schemathesis's generator.

Schemathesis generates request bodies from JSON Schemas, valid (positive) and schema-breaking (negative), and
is the ``fuzz`` extra already. A message payload schema is handed to it as the body of a one-operation OpenAPI
3.1 document (``$defs`` moved to ``components/schemas``), through its public API. (hypothesis-jsonschema, the
obvious choice, fails on object schemas with current Hypothesis releases.)
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Literal

from contractkit.messaging._compile import CompiledMessage
from contractkit.spec.schemas import standalone_schema

Mode = Literal["positive", "negative"]


def payload_strategy(message: CompiledMessage, mode: Mode) -> Any:
    """Return a Hypothesis strategy of payloads of ``message`` (``None`` when it has no JSON payload schema)."""
    import schemathesis
    from schemathesis import GenerationMode

    if message.spec.payload is None or not message.json:
        return None
    schema = standalone_schema(message.spec.payload)
    defs = schema.pop("$defs", {})
    text = json.dumps(schema).replace('"#/$defs/', '"#/components/schemas/')
    defs_text = json.dumps(defs).replace('"#/$defs/', '"#/components/schemas/')
    document = {
        "openapi": "3.1.0",
        "info": {"title": message.spec.name, "version": "1"},
        "paths": {
            "/message": {
                "post": {
                    "requestBody": {"required": True, "content": {"application/json": {"schema": json.loads(text)}}},
                    "responses": {"200": {"description": "acknowledged"}},
                }
            }
        },
        "components": {"schemas": json.loads(defs_text)},
    }
    found: Any = next(iter(schemathesis.openapi.from_dict(document).get_all_operations()))
    operation = found.ok()
    generation = GenerationMode.POSITIVE if mode == "positive" else GenerationMode.NEGATIVE
    return operation.as_strategy(generation_mode=generation).map(_body)


def _body(case: Any) -> Any:
    return case.body


def draw(strategy: Any, count: int, seed: int, keep: Callable[[Any], bool] = lambda _: True) -> list[Any]:
    """Return up to ``count`` distinct values of ``strategy``, the same ones for the same ``seed``."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as seeded

    found: list[Any] = []
    seen: set[str] = set()

    @seeded(seed)
    @settings(
        max_examples=count * 3,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(value: Any) -> None:
        key = repr(value)
        if len(found) < count and key not in seen and keep(value):
            seen.add(key)
            found.append(value)

    collect()
    return found
