"""AsyncAPI traits are merged by JSON Merge Patch (RFC 7386), in the order each major version states.

2.x: the message is the target and each trait a patch on top of it (a trait wins, a later trait over an earlier).
3.x: the traits are merged in order, then the message on top of them (the message's own field wins).
Objects merge at any depth; lists and scalars are replaced whole; ``null`` in a patch removes the key.
"""

from __future__ import annotations

from typing import Any

import pytest

from contractkit.loaders.document import memory_document
from contractkit.spec.traits import MergedCursor, apply_traits

Json = dict[str, Any]


def _doc(version: str, message: Json, traits: list[Json]) -> Json:
    message = {**message, "traits": [{"$ref": f"#/components/messageTraits/T{i}"} for i in range(len(traits))]}
    doc: Json = {
        "asyncapi": version,
        "info": {"title": "t", "version": "1.0.0"},
        "components": {
            "messages": {"M": message},
            "messageTraits": {f"T{i}": trait for i, trait in enumerate(traits)},
        },
    }
    return doc


def _merged(version: str, message: Json, traits: list[Json], field: str) -> Any:
    doc = memory_document(_doc(version, message, traits))
    found = doc.cursor().get("components")
    assert found is not None
    cursor = found.get("messages")
    assert cursor is not None
    m = cursor.get("M")
    assert m is not None
    merged = apply_traits(m).get(field)
    return merged.value if merged is not None else None


def _headers(*names: str, required: list[str] | None = None, **props: Any) -> Json:
    schema: Json = {"type": "object", "properties": {n: {"type": "string"} for n in names} | props}
    if required is not None:
        schema["required"] = required
    return {"headers": schema}


V2, V3 = "2.6.0", "3.0.0"
STR, INT = {"type": "string"}, {"type": "integer"}

CASES = [
    pytest.param(
        V2, {"contentType": "a/json"}, [{"contentType": "b/json"}], "contentType", "b/json", id="2x-trait-wins"
    ),
    pytest.param(V3, {"contentType": "a/json"}, [{"contentType": "b/json"}], "contentType", "a/json", id="3x-own-wins"),
    pytest.param(V2, {}, [{"name": "one"}, {"name": "two"}], "name", "two", id="2x-later-trait-wins"),
    pytest.param(V3, {}, [{"name": "one"}, {"name": "two"}], "name", "two", id="3x-later-trait-wins"),
    pytest.param(V3, {"name": "own"}, [{"name": "one"}, {"name": "two"}], "name", "own", id="3x-own-over-all-traits"),
    pytest.param(
        V2,
        _headers("a"),
        [_headers("trace-id")],
        "headers",
        {"type": "object", "properties": {"a": STR, "trace-id": STR}},
        id="2x-nested-header-properties-merged",
    ),
    pytest.param(
        V3,
        _headers("a"),
        [_headers("trace-id")],
        "headers",
        {"type": "object", "properties": {"trace-id": STR, "a": STR}},
        id="3x-nested-header-properties-merged",
    ),
    pytest.param(
        V2,
        _headers(a=STR),
        [_headers(a=INT)],
        "headers",
        {"type": "object", "properties": {"a": INT}},
        id="2x-same-header-trait-wins",
    ),
    pytest.param(
        V3,
        _headers(a=STR),
        [_headers(a=INT)],
        "headers",
        {"type": "object", "properties": {"a": STR}},
        id="3x-same-header-own-wins",
    ),
    pytest.param(
        V2,
        _headers("a", "b"),
        [{"headers": {"properties": {"b": None}}}],
        "headers",
        {"type": "object", "properties": {"a": STR}},
        id="2x-null-in-trait-removes",
    ),
    pytest.param(
        V3,
        {"headers": {"properties": {"b": None}}},
        [_headers("a", "b")],
        "headers",
        {"type": "object", "properties": {"a": STR}},
        id="3x-null-in-message-removes",
    ),
    pytest.param(V2, {"name": "x"}, [{"name": None}], "name", None, id="2x-null-removes-a-field"),
    pytest.param(
        V2,
        _headers("a", "b", required=["a"]),
        [{"headers": {"required": ["b"]}}],
        "headers",
        {"type": "object", "properties": {"a": STR, "b": STR}, "required": ["b"]},
        id="2x-list-replaced-not-merged",
    ),
    pytest.param(
        V3,
        _headers("a", "b", required=["a"]),
        [{"headers": {"required": ["b"]}}],
        "headers",
        {"required": ["a"], "type": "object", "properties": {"a": STR, "b": STR}},
        id="3x-list-replaced-not-merged",
    ),
    pytest.param(
        V2,
        {"bindings": {"amqp": {"messageType": "a", "bindingVersion": "0.3.0"}}},
        [{"bindings": {"amqp": {"messageType": "b"}}}],
        "bindings",
        {"amqp": {"messageType": "b", "bindingVersion": "0.3.0"}},
        id="2x-bindings-deep",
    ),
    pytest.param(V2, {"x-meta": {"a": 1}}, [{"x-meta": [1]}], "x-meta", [1], id="2x-list-replaces-object"),
    pytest.param(V2, {"x-meta": [1]}, [{"x-meta": {"a": 1}}], "x-meta", {"a": 1}, id="2x-object-replaces-list"),
    pytest.param(V3, {"x-meta": "own"}, [{"x-meta": {"a": 1}}], "x-meta", "own", id="3x-own-scalar-replaces-object"),
    pytest.param(V2, {"summary": "s"}, [], "summary", "s", id="no-traits"),
]


@pytest.mark.parametrize(("version", "message", "traits", "field", "expected"), CASES)
def test_traits_are_merged_by_json_merge_patch(
    version: str, message: Json, traits: list[Json], field: str, expected: Any
) -> None:
    assert _merged(version, message, traits, field) == expected


def test_a_field_one_layer_says_stays_where_it_is_written() -> None:
    doc = memory_document(_doc(V2, _headers("a"), [{"name": "n"}]))
    message = doc.cursor().get("components").get("messages").get("M")  # type: ignore[union-attr]
    traited = apply_traits(message)  # type: ignore[arg-type]
    headers = traited.get("headers")
    assert headers is not None and not isinstance(headers, MergedCursor)
    assert headers.parts == ("components", "messages", "M", "headers")
    name = traited.get("name")
    assert name is not None and name.parts == ("components", "messageTraits", "T0", "name")


def test_a_merge_is_located_at_the_winning_layer_and_its_children_where_written() -> None:
    doc = memory_document(_doc(V3, _headers("a"), [_headers("trace-id")]))
    message = doc.cursor().get("components").get("messages").get("M")  # type: ignore[union-attr]
    traited = apply_traits(message)  # type: ignore[arg-type]
    headers = traited.get("headers")
    assert isinstance(headers, MergedCursor)
    assert headers.parts == ("components", "messages", "M", "headers")  # 3.x: the message wins
    properties = headers.get("properties")
    assert properties is not None
    trace = properties.get("trace-id")
    assert trace is not None and trace.parts[:3] == ("components", "messageTraits", "T0")
    assert [layer.parts[-2] for layer in traited.layers("headers")] == ["M", "T0"]
    assert traited.owner("headers") is message
