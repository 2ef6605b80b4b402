"""JSON Schema engines for the runtime: fastjsonschema vs jsonschema-rs vs jsonschema, per validation.

The body is the b2b-orders `createOrder` body (valid, and invalid), its schema converted once by contractkit's
runtime converter (JSON Schema 2020-12; fastjsonschema gets the same schema declared as draft-07, which this
schema's keywords allow). Run: `python -m benchmarks.bench_schema_engines`.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from typing import Any

import fastjsonschema
import jsonschema
import jsonschema_rs

from benchmarks.middleware_apps.common import INVALID_ORDER_BODY, ORDER_BODY, contract
from contractkit.runtime._compile import _rooted
from contractkit.spec.normalise import SchemaConverter


def _median_us(fn: Callable[[], Any], rounds: int = 7, number: int = 2000) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        samples.append((time.perf_counter() - start) / number * 1e6)
    return statistics.median(samples)


def _fast_valid(validate: Callable[[Any], Any], value: Any) -> bool:
    try:
        validate(value)
    except fastjsonschema.JsonSchemaValueException:
        return False
    return True


def main() -> None:
    spec = contract()
    converter = SchemaConverter(spec, direction="request")
    schema = _rooted(converter, dict(converter.convert({"$ref": "#/components/schemas/OrderCreate"})))  # type: ignore[arg-type]
    draft7 = json.loads(json.dumps(schema).replace("#/$defs/", "#/definitions/").replace('"$defs"', '"definitions"'))
    draft7["$schema"] = "http://json-schema.org/draft-07/schema#"
    rs = jsonschema_rs.Draft202012Validator(schema, validate_formats=True)
    fast = fastjsonschema.compile(draft7)
    py = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    assert rs.is_valid(ORDER_BODY) and _fast_valid(fast, ORDER_BODY) and py.is_valid(ORDER_BODY)
    assert not rs.is_valid(INVALID_ORDER_BODY) and not _fast_valid(fast, INVALID_ORDER_BODY)
    rows = [
        ("jsonschema (anchor)", lambda b: py.is_valid(b), lambda b: list(py.iter_errors(b))),
        ("fastjsonschema", lambda b: _fast_valid(fast, b), lambda b: _fast_valid(fast, b)),
        ("jsonschema-rs", lambda b: rs.is_valid(b), lambda b: list(rs.iter_errors(b))),
    ]
    measured = []
    for name, valid, errors in rows:
        number = 300 if "anchor" in name else 2000
        v = _median_us(lambda valid=valid: valid(ORDER_BODY), number=number)  # type: ignore[misc]
        e = _median_us(lambda errors=errors: errors(INVALID_ORDER_BODY), number=number)  # type: ignore[misc]
        measured.append((name, v, e))
    anchor_valid, anchor_errors = measured[0][1], measured[0][2]
    print("| engine | valid body p50 µs | ratio | invalid body (all errors) p50 µs | ratio |")
    print("| --- | --- | --- | --- | --- |")
    for name, v, e in measured:
        print(f"| {name} | {v:.1f} | x{v / anchor_valid:.3f} | {e:.1f} | x{e / anchor_errors:.3f} |")
    print("(fastjsonschema stops at the first error: its 'invalid' column is one error, not all)")


if __name__ == "__main__":
    main()
