"""Codegen names the schemas of the operations `spec.walk` yields, and of their effective parameters (issue 16)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from contractkit.codegen.openapi import collect_openapi
from contractkit.codegen.schemas import SchemaSet
from contractkit.loaders import FileStore, open_document

STATUS = "{name: status, in: query, schema: {type: string, enum: [open, shipped]}}"


@pytest.mark.parametrize(
    ("version", "paths", "names"),
    [
        pytest.param(
            "3.1.0",
            f"""
            paths:
              /orders:
                parameters: [{STATUS}]
                get: {{parameters: [{STATUS}]}}
            """,
            # Before: the overridden path-level schema took `GetOrdersStatus`, the one GET uses `...StatusParam`.
            ["GetOrdersStatus"],
            id="overridden-path-parameter-is-not-the-operations",
        ),
        pytest.param(
            "3.1.0",
            f"""
            paths:
              /orders:
                parameters: [{STATUS}]
                get: {{}}
                delete: {{parameters: [{STATUS}]}}
            """,
            ["GetOrdersStatus", "DeleteOrdersStatus"],
            id="path-parameter-named-by-the-operation-that-uses-it",
        ),
        pytest.param(
            "3.1.0",
            f"""
            paths:
              x-draft:
                get: {{parameters: [{STATUS}]}}
            webhooks:
              orderShipped:
                post: {{parameters: [{STATUS}]}}
            """,
            ["OrderShippedWebhookStatus"],
            id="paths-extensions-are-no-operations",
        ),
        pytest.param(
            "3.0.3",
            f"""
            paths: {{}}
            webhooks:
              orderShipped:
                post: {{parameters: [{STATUS}]}}
            """,
            [],
            id="no-webhooks-in-3-0",
        ),
    ],
)
def test_parameter_schema_names(tmp_path: Path, version: str, paths: str, names: list[str]) -> None:
    contract = tmp_path / "openapi.yaml"
    contract.write_text(f"openapi: {version}\ninfo: {{title: t, version: '1'}}\n" + textwrap.dedent(paths))
    schemas = SchemaSet(open_document(contract, store=FileStore()), None, enums_as_enum=True)
    collect_openapi(schemas)
    assert list(schemas.defs) == names
