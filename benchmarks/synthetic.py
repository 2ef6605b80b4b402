"""A synthetic OpenAPI 3.0 contract of any size, and a changed copy of it, for scaling measurements.

``make_pair(n)`` returns a base document with ``n`` resources (each with a list and an item path: 4 operations,
2 component schemas with a nested object, an enum, an array and `$ref`s, query and path parameters) and a
revision where every fifth resource has changed in the ways real contracts change: an optional request
property added, a response property removed, an enum value added, a query parameter made required, a
`maxLength` lowered. So the revision of ``2 * n`` resources is exactly twice the work of ``n`` resources, and
the number of findings grows with ``n`` too.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

Json = dict[str, Any]


def _resource_schemas(name: str) -> dict[str, Json]:
    item = {
        "type": "object",
        "required": ["id", "status", "owner"],
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "status": {"type": "string", "enum": ["draft", "active", "archived"]},
            "title": {"type": "string", "maxLength": 200},
            "count": {"type": "integer", "minimum": 0, "maximum": 1000},
            "tags": {"type": "array", "items": {"type": "string"}},
            "owner": {
                "type": "object",
                "required": ["id"],
                "properties": {"id": {"type": "string"}, "email": {"type": "string", "format": "email"}},
            },
            "created_at": {"type": "string", "format": "date-time"},
        },
    }
    page = {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": {"$ref": f"#/components/schemas/{name}"}},
            "next": {"type": "string", "nullable": True},
        },
    }
    create = {
        "type": "object",
        "required": ["title"],
        "properties": {
            "title": {"type": "string", "maxLength": 200},
            "status": {"type": "string", "enum": ["draft", "active"]},
            "tags": {"type": "array", "items": {"type": "string"}},
        },
    }
    return {name: item, f"{name}Page": page, f"{name}Create": create}


def _json(ref: str) -> Json:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}


def _resource_paths(index: int, name: str) -> dict[str, Json]:
    base = f"/r{index}/items"
    limit = {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}}
    item_id = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
    return {
        base: {
            "get": {
                "operationId": f"list{name}",
                "parameters": [limit, {"name": "q", "in": "query", "schema": {"type": "string"}}],
                "responses": {"200": {"description": "a page", "content": _json(f"{name}Page")}},
            },
            "post": {
                "operationId": f"create{name}",
                "requestBody": {"required": True, "content": _json(f"{name}Create")},
                "responses": {"201": {"description": "created", "content": _json(name)}},
            },
        },
        base + "/{id}": {
            "parameters": [item_id],
            "get": {
                "operationId": f"get{name}",
                "responses": {"200": {"description": "one", "content": _json(name)}, "404": {"description": "none"}},
            },
            "delete": {"operationId": f"delete{name}", "responses": {"204": {"description": "deleted"}}},
        },
    }


def make_spec(resources: int) -> Json:
    """Return a valid OpenAPI 3.0.3 document with ``resources`` resources (4 operations and 3 schemas each)."""
    paths: Json = {}
    schemas: Json = {}
    for index in range(resources):
        name = f"Thing{index}"
        paths.update(_resource_paths(index, name))
        schemas.update(_resource_schemas(name))
    return {
        "openapi": "3.0.3",
        "info": {"title": f"Synthetic ({resources} resources)", "version": "1.0.0"},
        "paths": paths,
        "components": {"schemas": schemas},
    }


def change(spec: Json, every: int = 5) -> Json:
    """Return a changed copy of ``spec``: one resource in ``every`` gets five compatible and breaking changes."""
    revision = copy.deepcopy(spec)
    schemas = revision["components"]["schemas"]
    for index in range(0, len(schemas) // 3, every):
        name = f"Thing{index}"
        schemas[f"{name}Create"]["properties"]["note"] = {"type": "string"}  # optional request property: info
        del schemas[name]["properties"]["created_at"]  # response property removed: warning
        schemas[name]["properties"]["status"]["enum"].append("deleted")  # response enum value added: error
        schemas[f"{name}Create"]["properties"]["title"]["maxLength"] = 100  # request maxLength lowered: error
        revision["paths"][f"/r{index}/items"]["get"]["parameters"][0]["required"] = True  # became required: error
    return revision


def write_pair(folder: Path, resources: int) -> tuple[Path, Path]:
    """Write ``base.yaml`` and ``revision.yaml`` of ``resources`` resources in ``folder``; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    base = make_spec(resources)
    paths = folder / "base.yaml", folder / "revision.yaml"
    for path, document in zip(paths, (base, change(base)), strict=True):
        path.write_text(yaml.dump(document, Dumper=yaml.CSafeDumper, sort_keys=False), encoding="utf-8")
    return paths
