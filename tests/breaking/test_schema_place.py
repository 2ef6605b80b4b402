"""Where a change happened, said at the named schema that holds it (``Finding.change`` and the grouped reports)."""

from __future__ import annotations

from pathlib import Path

import pytest

from contractkit.breaking.openapi.said import place, schema_place
from contractkit.loaders import Cursor, FileStore, open_document

ROOT = """\
openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Order: {type: object}
"""


@pytest.fixture
def doc_files(tmp_path: Path) -> tuple[Cursor, Cursor, Cursor]:
    """The root document, a file of named schemas (`money.yaml`) and a file that is one schema (`droplet.yml`)."""
    (tmp_path / "openapi.yaml").write_text(ROOT)
    (tmp_path / "money.yaml").write_text("Money: {type: object}\n")
    (tmp_path / "droplet.yml").write_text("type: object\nproperties: {status: {type: string}}\n")
    doc = open_document(tmp_path / "openapi.yaml", store=FileStore())
    root = doc.cursor()
    money = doc.resolver.follow(root.file, ("x",), "money.yaml#/Money")
    droplet = doc.resolver.follow(root.file, ("x",), "droplet.yml")
    return (
        root,
        Cursor(doc, money.file, (), money.file.data),
        Cursor(doc, droplet.file, (), droplet.file.data),
    )


@pytest.mark.parametrize(
    ("which", "parts", "expected"),
    [
        pytest.param(0, ("components", "schemas", "Order"), "Order", id="component"),
        pytest.param(0, ("components", "schemas", "Order", "properties", "status"), "Order.status", id="property"),
        pytest.param(
            0,
            ("components", "schemas", "Order", "properties", "items", "items", "properties", "sku"),
            "Order.items[].sku",
            id="array-item",
        ),
        pytest.param(
            0, ("components", "schemas", "Order", "allOf", "1", "properties", "note"), "Order.note", id="allof-member"
        ),
        pytest.param(0, ("components", "schemas", "Pet", "oneOf", "2"), "Pet<oneOf[2]>", id="variant"),
        pytest.param(0, ("components", "schemas", "Tags", "additionalProperties"), "Tags.*", id="map-values"),
        pytest.param(0, ("components", "parameters", "Limit", "schema"), "Limit", id="parameter-component"),
        pytest.param(
            0,
            ("components", "messages", "OrderCreated", "payload", "properties", "id"),
            "OrderCreated.id",
            id="asyncapi-payload",
        ),
        pytest.param(0, ("paths", "/orders", "get"), None, id="inline-in-an-operation"),
        pytest.param(1, ("Money", "properties", "currency"), "Money.currency", id="entry-of-a-shared-file"),
        pytest.param(2, ("properties", "status"), "droplet.status", id="a-file-that-is-one-schema"),
    ],
)
def test_schema_place(
    doc_files: tuple[Cursor, Cursor, Cursor], which: int, parts: tuple[str, ...], expected: str | None
) -> None:
    base = doc_files[which]
    node = Cursor(base.doc, base.file, parts, None)
    assert schema_place(node) == expected


@pytest.mark.parametrize(
    ("path", "text"),
    [
        pytest.param((), "", id="root"),
        pytest.param((".items", "[]", ".sku"), "items[].sku", id="nested"),
        pytest.param((".*",), "*", id="map-values"),
        pytest.param(("[]",), "[]", id="items-at-the-root"),
        pytest.param((".pet", "<Cat>", ".name"), "pet<Cat>.name", id="variant"),
    ],
)
def test_place(path: tuple[str, ...], text: str) -> None:
    assert place(path) == text
