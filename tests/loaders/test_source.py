"""``SourceFile.position`` / ``.location``: from JSON pointer tokens back to the 1-based line and column.

A mapping entry is located at its key (as editors and Spectral show it), a sequence item at its first
character; a pointer that leads nowhere stops at the nearest node that exists.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from contractkit.findings import Location
from contractkit.loaders import Limits, SourceFile, _yaml, parse_source

YAML = """\
openapi: 3.1.0
paths:
  /orders/{id}:
    get:
      tags:
        - orders
        - admin
      parameters:
        - name: id
          in: path
        - $ref: "#/components/parameters/Limit"
  "~draft":
    post: {responses: {"201": {description: made}}}
components:
  schemas:
    a/b~c:
      type: string
"""

JSON = """\
{
\t"openapi": "3.1.0",
\t"paths": {
\t\t"/orders/{id}": {
\t\t\t"get": {"tags": ["orders", "admin"], "summary": "s\\/t \\u00e9"}
\t\t},
\t\t"~draft": {"post": {"responses": {"201": {"description": "made"}}}}
\t},
\t"components": {"schemas": {"a/b~c": {"type": "string"}}}
}
"""


def parse(text: str, name: str) -> SourceFile:
    return parse_source(text, name=name, path=Path("/contracts") / name, limits=Limits())


@pytest.mark.parametrize(
    ("parts", "line", "column"),
    [
        pytest.param((), 1, 1, id="root"),
        pytest.param(("openapi",), 1, 1, id="top-level-key"),
        pytest.param(("paths", "/orders/{id}"), 3, 3, id="key-with-slashes"),
        pytest.param(("paths", "/orders/{id}", "get"), 4, 5, id="nested-mapping"),
        pytest.param(("paths", "/orders/{id}", "get", "tags", "0"), 6, 11, id="sequence-item"),
        pytest.param(("paths", "/orders/{id}", "get", "tags", "1"), 7, 11, id="second-sequence-item"),
        pytest.param(("paths", "/orders/{id}", "get", "parameters", "0", "in"), 10, 11, id="key-in-sequence-item"),
        pytest.param(("paths", "/orders/{id}", "get", "parameters", "1", "$ref"), 11, 11, id="ref-key"),
        pytest.param(("paths", "~draft"), 12, 3, id="quoted-key-with-tilde"),
        pytest.param(("paths", "~draft", "post", "responses", "201", "description"), 13, 32, id="flow-mapping"),
        pytest.param(("components", "schemas", "a/b~c", "type"), 17, 7, id="key-with-slash-and-tilde"),
        # A pointer that leads nowhere stops at the nearest node that exists.
        pytest.param(("paths", "/orders/{id}", "delete"), 3, 3, id="missing-key-falls-back-to-parent"),
        pytest.param(("paths", "/orders/{id}", "get", "tags", "7"), 5, 7, id="index-out-of-range"),
        pytest.param(("paths", "/orders/{id}", "get", "tags", "x"), 5, 7, id="non-numeric-index"),
        pytest.param(("openapi", "deeper"), 1, 1, id="below-a-scalar"),
        pytest.param(("nope", "a", "b"), 1, 1, id="missing-at-the-top"),
    ],
)
def test_yaml_positions(parts: tuple[str, ...], line: int, column: int) -> None:
    assert parse(YAML, "orders.yaml").position(parts) == (line, column)


@pytest.mark.parametrize(
    ("parts", "line", "column"),
    [
        pytest.param((), 1, 1, id="root"),
        pytest.param(("openapi",), 2, 2, id="tab-indented-key"),
        pytest.param(("paths", "/orders/{id}"), 4, 3, id="key-with-slashes"),
        pytest.param(("paths", "/orders/{id}", "get", "tags", "1"), 5, 31, id="inline-array-item"),
        pytest.param(("paths", "/orders/{id}", "get", "summary"), 5, 41, id="key-after-escapes"),
        pytest.param(("paths", "~draft", "post", "responses", "201", "description"), 7, 45, id="deep-inline"),
        pytest.param(("components", "schemas", "a/b~c", "type"), 9, 39, id="key-with-slash-and-tilde"),
        pytest.param(("paths", "/orders/{id}", "get", "tags", "9"), 5, 12, id="index-out-of-range"),
        pytest.param(("paths", "nope", "x"), 3, 2, id="missing-key-falls-back-to-parent"),
    ],
)
def test_json_positions(parts: tuple[str, ...], line: int, column: int) -> None:
    source = parse(JSON, "orders.json")
    assert source.data["paths"]["/orders/{id}"]["get"]["summary"] == "s/t é"  # type: ignore[index, call-overload]
    assert source.position(parts) == (line, column)


def test_json_is_composed_lazily_and_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real_compose = _yaml.compose

    def counting_compose(text: str) -> object:
        calls.append(len(text))
        return real_compose(text)

    monkeypatch.setattr(_yaml, "compose", counting_compose)
    source = parse(JSON, "orders.json")
    assert calls == [], "a JSON file was composed although no position was asked for"
    assert source.position(("openapi",)) == (2, 2)
    assert source.position(("components",)) == (9, 2)
    assert len(calls) == 1


def test_yaml_is_composed_once_at_parse_time(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real_compose = _yaml.compose

    def counting_compose(text: str) -> object:
        calls.append(len(text))
        return real_compose(text)

    monkeypatch.setattr(_yaml, "compose", counting_compose)
    source = parse(YAML, "orders.yaml")
    source.position(("paths",))
    source.position(("components",))
    assert len(calls) == 1


@pytest.mark.parametrize(
    ("parts", "location"),
    [
        pytest.param(
            ("paths", "/orders/{id}", "get"),
            Location("orders.yaml", "/paths/~1orders~1{id}/get", 4, 5),
            id="slashes-are-escaped-as-tilde-1",
        ),
        pytest.param(
            ("paths", "~draft"), Location("orders.yaml", "/paths/~0draft", 12, 3), id="tilde-is-escaped-as-tilde-0"
        ),
        pytest.param(
            ("components", "schemas", "a/b~c"),
            Location("orders.yaml", "/components/schemas/a~1b~0c", 16, 5),
            id="both",
        ),
        pytest.param(
            ("paths", "/orders/{id}", "delete"),
            Location("orders.yaml", "/paths/~1orders~1{id}/delete", 3, 3),
            id="missing-node-keeps-its-pointer-with-the-parent-position",
        ),
        pytest.param((), Location("orders.yaml", "", 1, 1), id="root"),
    ],
)
def test_location_escapes_the_pointer(parts: tuple[str, ...], location: Location) -> None:
    assert parse(YAML, "orders.yaml").location(parts) == location


def test_a_json_file_yaml_cannot_compose_still_gives_a_position() -> None:
    # Valid JSON that is not valid YAML (an implicit key over 1,024 characters): the data is there, and every
    # position falls back to the start of the file instead of failing.
    long_key = "k" * 2000
    source = parse(json.dumps({"openapi": "3.1.0", long_key: {"a": 1}}, indent=2), "long.json")
    assert source.data == {"openapi": "3.1.0", long_key: {"a": 1}}
    assert source.position((long_key, "a")) == (1, 1)
    assert source.location(("openapi",)) == Location("long.json", "/openapi", 1, 1)


# Characters beyond U+FFFF are written in JSON as surrogate-pair escapes, which YAML (the position pass) refuses.
SURROGATES = r"""{
  "info": {"title": "thumbs \ud83d\udc4d up", "version": "1"},
  "paths": {"/a": {"get": {"summary": "\ud83d\ude80 \ud83d\udc4d", "operationId": "a"}}},
  "x-\ud83d\udc4d": {"lone": "\ud83d", "escaped": "\\ud83d", "after": 1},
  "components": {"schemas": {"reaction_\ud83d\udc4d": {"type": "integer"}}}
}
"""


@pytest.mark.parametrize(
    ("parts", "line", "column"),
    [
        pytest.param(("info", "version"), 2, 47, id="after-a-pair-on-the-same-line"),
        pytest.param(("paths", "/a", "get", "operationId"), 3, 68, id="after-two-pairs"),
        pytest.param(("x-👍", "after"), 4, 62, id="key-with-a-pair-and-a-lone-surrogate-before"),
        pytest.param(("components", "schemas", "reaction_👍", "type"), 5, 56, id="key-holding-a-pair"),
    ],
)
def test_json_positions_with_surrogate_escapes(parts: tuple[str, ...], line: int, column: int) -> None:
    source = parse(SURROGATES, "emoji.json")
    assert source.data["info"]["title"] == "thumbs 👍 up"  # type: ignore[index, call-overload]
    assert source.position(parts) == (line, column)
