"""The JSON body parser: msgspec's fast path gives exactly what the json module gives, or defers to it.

``parse_json`` tries msgspec and falls back to ``parse_json_stdlib`` (the json module, strict) on any refusal.
The fast path is only safe if, whenever msgspec accepts a text, it returns the value the json module returns:
same types (an int stays an int however large: orjson fails exactly this), same floats to the bit, same keys
in the same order. Tables of awkward texts and Hypothesis-generated documents check it.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contractkit.runtime._json import BadInput, parse_json, parse_json_stdlib
from tests.examples_budget import examples


def outcome(parse: Any, body: bytes) -> tuple[str, Any]:
    try:
        return "value", canonical(parse(body))
    except BadInput as exc:
        return "400", (str(exc), exc.pointer)


def canonical(value: Any) -> Any:
    """A form where equal means identical: types kept, floats by their bits (``-0.0``, ``1.0`` vs ``1``)."""
    if isinstance(value, dict):
        return ("dict", [(key, canonical(item)) for key, item in value.items()])
    if isinstance(value, list):
        return ("list", [canonical(item) for item in value])
    if isinstance(value, float):
        return ("float", value.hex() if math.isfinite(value) else repr(value))
    return (type(value).__name__, value)


TEXTS = [
    pytest.param(b'{"a": 1, "b": [true, false, null], "c": "x"}', id="object"),
    pytest.param(b"18446744073709551616", id="int-beyond-64-bits"),
    pytest.param(b"-9223372036854775809", id="negative-int-beyond-64-bits"),
    pytest.param(b"123456789012345678901234567890123456789", id="huge-int"),
    pytest.param(b"1e400", id="float-overflow"),
    pytest.param(b"-1e400", id="negative-float-overflow"),
    pytest.param(b"5e-324", id="smallest-subnormal"),
    pytest.param(b"1e-400", id="float-underflow"),
    pytest.param(b"2.2250738585072011e-308", id="near-min-normal"),
    pytest.param(b"9007199254740993", id="int-past-2-53"),
    pytest.param(b"9007199254740993.0", id="float-past-2-53"),
    pytest.param(b"-0", id="minus-zero-int"),
    pytest.param(b"-0.0", id="minus-zero-float"),
    pytest.param(b"1E+2", id="exponent"),
    pytest.param(b'{"a": 1, "a": 2}', id="duplicate-key"),
    pytest.param(b'{"b": 1, "a": 2}', id="key-order"),
    pytest.param(b'"\\ud83d\\ude00"', id="surrogate-pair"),
    pytest.param(b'"\\ud800"', id="lone-surrogate"),
    pytest.param(b'{"\\udc00": 1}', id="lone-surrogate-key"),
    pytest.param(b'"\\u0000"', id="escaped-nul"),
    pytest.param(b'"\x01"', id="raw-control-character"),
    pytest.param(b"NaN", id="nan"),
    pytest.param(b'{"a": Infinity}', id="infinity"),
    pytest.param(b"\xef\xbb\xbf{}", id="utf8-bom"),
    pytest.param(b'"\xff"', id="invalid-utf8"),
    pytest.param(b'"\xed\xa0\x80"', id="utf8-encoded-surrogate"),
    pytest.param(b"[1,]", id="trailing-comma"),
    pytest.param(b'{"a":1}x', id="trailing-data"),
    pytest.param(b" \t\r\n[1] \n", id="whitespace"),
    pytest.param(b"\x0c[1]", id="form-feed-is-not-whitespace"),
    pytest.param(b"", id="empty"),
    pytest.param(b"01", id="leading-zero"),
    pytest.param(b"[" * 100 + b"]" * 100, id="nested-100"),
    pytest.param(b"[" * 5000 + b"]" * 5000, id="nested-5000"),
]


@pytest.mark.parametrize("body", TEXTS)
def test_fast_path_matches_the_json_module(body: bytes) -> None:
    assert outcome(parse_json, body) == outcome(parse_json_stdlib, body)


def test_big_integers_stay_exact() -> None:
    assert parse_json(b"[18446744073709551616]") == [2**64]
    assert type(parse_json(b"18446744073709551616")) is int


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5),
    max_leaves=25,
)


@settings(max_examples=examples(400), deadline=None)
@given(json_values, st.booleans(), st.sampled_from([None, 2]))
def test_generated_documents(value: Any, ascii_only: bool, indent: int | None) -> None:
    body = json.dumps(value, ensure_ascii=ascii_only, indent=indent).encode("utf-8", "surrogatepass")
    assert outcome(parse_json, body) == outcome(parse_json_stdlib, body)


number_texts = st.from_regex(r"\A-?(0|[1-9][0-9]{0,30})(\.[0-9]{1,30})?([eE][+-]?[0-9]{1,4})?\Z", fullmatch=True)


@settings(max_examples=examples(600), deadline=None)
@given(number_texts)
def test_generated_numbers(text: str) -> None:
    assert outcome(parse_json, text.encode()) == outcome(parse_json_stdlib, text.encode())
