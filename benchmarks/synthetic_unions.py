"""A synthetic OpenAPI 3.1 pair shaped like OpenAI's API: few paths, many shared unions, for scaling measurements.

OpenAI's 2.8 MB 3.1 contract took 4.3-5.1 s to compare where Twilio's 2.1 MB one took 1.3 s (issue 18): its
operations share a few large schemas made of unions (`anyOf: [X, {type: 'null'}]` everywhere, an item union of
dozens of variants each holding content-part unions, model ids as "any string or one of these"). Such a
contract is not in the corpus, so this module writes one of that shape: ``write_union_pair(folder, n)`` makes a
base with ``n`` item kinds (each a variant of the ``Item`` union, with nested unions of content parts, nullable
wrappers and a model-id catch-all) reached by ``2 * n`` operations, and a revision where the model ids grew,
every fourth item kind gained a property, every fifth item kind's nullable spelling flipped, and one item kind
was added. Doubling ``n`` doubles the size and the number of operations, as a real API grows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

Json = dict[str, Any]
MODELS = [f"model-{i}" for i in range(80)]
PARTS = ["input_text", "input_image", "input_file", "input_audio", "output_text", "refusal", "reasoning_text"]


def _ref(name: str) -> Json:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: Json, *, flipped: bool = False) -> Json:
    """``anyOf: [X, {type: 'null'}]``, or (flipped) ``oneOf: [{type: 'null'}, X]``: the same schema."""
    if flipped:
        return {"oneOf": [{"type": "null"}, schema], "description": "nullable"}
    return {"anyOf": [schema, {"type": "null"}], "description": "nullable"}


def _part(name: str) -> Json:
    return {
        "type": "object",
        "title": name,
        "required": ["type"],
        "properties": {
            "type": {"type": "string", "enum": [name]},
            "text": {"type": "string"},
            "annotations": {"type": "array", "items": _nullable({"type": "string"})},
            "detail": {"type": "string", "enum": ["low", "high", "auto"]},
        },
    }


def _item(index: int, *, revision: bool) -> Json:
    properties: Json = {
        "type": {"type": "string", "enum": [f"kind_{index}"]},
        "id": {"type": "string"},
        "status": {"type": "string", "enum": ["in_progress", "completed", "incomplete"]},
        "content": {"type": "array", "items": _ref("ContentPart")},
        "model": _ref("ModelIds"),
        "error": _nullable(_ref("Error"), flipped=revision and index % 5 == 0),
        "metadata": _nullable({"type": "object", "additionalProperties": {"type": "string"}}),
        "max_tokens": {"anyOf": [{"type": "integer", "format": "int64"}, {"enum": ["inf"]}]},
    }
    if revision and index % 4 == 0:
        properties["summary"] = {"type": "string"}
    return {"type": "object", "title": f"Kind{index}", "required": ["type", "id"], "properties": properties}


def _schemas(kinds: int, *, revision: bool) -> Json:
    count = kinds + (1 if revision else 0)
    names = [f"Kind{i}" for i in range(count)]
    models = MODELS + (["model-80", "model-81"] if revision else [])
    schemas: Json = {
        "ModelIds": {"anyOf": [{"type": "string"}, {"type": "string", "enum": models}]},
        "Error": {"type": "object", "required": ["code"], "properties": {"code": {"type": "string"}}},
        "ContentPart": {
            "oneOf": [_ref(f"Part{i}") for i in range(len(PARTS))],
            "discriminator": {"propertyName": "type"},
        },
        "Item": {"anyOf": [_ref(name) for name in names], "discriminator": {"propertyName": "type"}},
        "ItemList": {
            "type": "object",
            "required": ["data"],
            "properties": {"data": {"type": "array", "items": _ref("Item")}, "next": _nullable({"type": "string"})},
        },
        "CreateRequest": {
            "type": "object",
            "required": ["model"],
            "properties": {
                "model": _ref("ModelIds"),
                "input": {"anyOf": [{"type": "string"}, {"type": "array", "items": _ref("Item")}]},
                "previous": _nullable(_ref("Item")),
            },
        },
    }
    schemas.update({f"Part{i}": _part(name) for i, name in enumerate(PARTS)})
    schemas.update({f"Kind{i}": _item(i, revision=revision) for i in range(count)})
    return schemas


def _examples(index: int, size: int) -> Json:
    """Code samples of about ``size`` characters, as OpenAI's `x-oaiMeta` holds for every operation."""
    line = f"client.things{index}.create(model='model-1', input='Tell me a story about unions.')\n"
    return {"name": f"Create thing {index}", "examples": {"python": line * max(1, size // len(line))}}


def _paths(kinds: int, pad: int) -> Json:
    paths: Json = {}
    for index in range(kinds):
        body = {"application/json": {"schema": _ref("CreateRequest")}}
        items = {"application/json": {"schema": _ref("ItemList")}}
        paths[f"/things{index}"] = {
            "get": {"responses": {"200": {"description": "ok", "content": items}}, "x-oaiMeta": _examples(index, pad)},
            "post": {
                "requestBody": {"required": True, "content": body},
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": _ref("Item")}}}},
                "x-oaiMeta": _examples(index, pad),
            },
        }
    return paths


def union_document(kinds: int, *, revision: bool, pad: int = 0) -> Json:
    """Return one side of the pair: ``kinds`` item kinds and ``2 * kinds`` operations, ``pad`` characters of samples."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "Unions", "version": "2.0.0" if revision else "1.0.0"},
        "paths": _paths(kinds, pad),
        "components": {"schemas": _schemas(kinds, revision=revision)},
    }


def write_union_pair(folder: Path, kinds: int, *, pad: int = 0) -> tuple[Path, Path]:
    """Write ``base.yaml`` and ``revision.yaml`` of ``kinds`` item kinds into ``folder``; return their paths.

    ``pad``: characters of code samples per operation (none by default: the structure alone).
    """
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, revision in (("base.yaml", False), ("revision.yaml", True)):
        path = folder / name
        document = union_document(kinds, revision=revision, pad=pad)
        path.write_text(yaml.safe_dump(document, sort_keys=False, width=120), encoding="utf-8")
        paths.append(path)
    return paths[0], paths[1]
