"""Generated models reject what the contract's JSON Schema rejects, and accept what it accepts."""

from __future__ import annotations

import importlib
import json
import sys
import textwrap
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from openapi_schema_validator import OAS30Validator, OAS31Validator
from pydantic import TypeAdapter, ValidationError

from contractkit.catalog import load_catalog
from contractkit.codegen.gen import generate

CATALOG = """\
version: 1
codegen:
  strict-types: true
contracts:
  - {id: verdicts, kind: openapi, path: verdicts.yaml, owner: t, lifecycle: draft}
  - {id: legacy-verdicts, kind: openapi, path: legacy.yaml, owner: t, lifecycle: draft}
"""
SCHEMAS = """\
    Pet:
      oneOf:
        - $ref: '#/components/schemas/Cat'
        - $ref: '#/components/schemas/Dog'
      discriminator:
        propertyName: pet_type
        mapping: {cat: '#/components/schemas/Cat', dog: '#/components/schemas/Dog'}
    Cat:
      type: object
      required: [pet_type]
      properties:
        pet_type: {type: string, enum: [cat]}
        meow: {type: boolean}
    Dog:
      type: object
      required: [pet_type]
      properties:
        pet_type: {type: string, enum: [dog]}
    Item:
      type: object
      additionalProperties: false
      required: [id, name]
      properties:
        id: {type: string, format: uuid}
        name: {type: string, pattern: '^[a-z]+$'}
        count: {type: integer, minimum: 1}
        due: {type: string, format: date}
        at: {type: string, format: date-time}
        size: {type: string, enum: [s, m, l]}
NULLABLE
    Open:
      type: object
      properties:
        name: {type: string}
"""
NULLABLE_31 = "        note: {type: [string, 'null']}"
NULLABLE_30 = "        note: {type: string, nullable: true}"


def _contract(version: str, nullable: str) -> str:
    head = f"openapi: {version}\ninfo: {{title: t, version: 1.0.0}}\npaths: {{}}\ncomponents:\n  schemas:\n"
    return head + SCHEMAS.replace("NULLABLE", nullable)


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[ModuleType, dict[str, Any]]]]:
    root = tmp_path_factory.mktemp("verdicts")
    (root / "contracts").mkdir()
    (root / "contracts" / "catalog.yaml").write_text(CATALOG)
    (root / "contracts" / "verdicts.yaml").write_text(_contract("3.1.0", NULLABLE_31))
    (root / "contracts" / "legacy.yaml").write_text(_contract("3.0.3", NULLABLE_30))
    catalog = load_catalog(root / "contracts" / "catalog.yaml")
    assert catalog is not None
    generate(catalog)
    sys.path.insert(0, str(root / "generated"))
    import yaml

    try:
        yield {
            "3.1": (
                importlib.import_module("verdicts.v1"),
                yaml.safe_load((root / "contracts" / "verdicts.yaml").read_text()),
            ),
            "3.0": (
                importlib.import_module("legacy_verdicts.v1"),
                yaml.safe_load((root / "contracts" / "legacy.yaml").read_text()),
            ),
        }
    finally:
        sys.path.remove(str(root / "generated"))
        for name in [n for n in sys.modules if n.split(".")[0] in ("verdicts", "legacy_verdicts")]:
            del sys.modules[name]


ITEM = {"id": "0b8e4c1d-6f3a-4e2b-9c7d-5a1f2e3b4c6d", "name": "bolt"}
CASES = [
    pytest.param("Item", ITEM, True, id="item-minimal"),
    pytest.param("Item", {**ITEM, "id": "not-a-uuid"}, False, id="format-uuid"),
    pytest.param("Item", {**ITEM, "due": "2025-02-30"}, False, id="format-date-impossible"),
    pytest.param("Item", {**ITEM, "due": "2025-02-28"}, True, id="format-date"),
    pytest.param("Item", {**ITEM, "at": "2025-03-14T09:30:00Z"}, True, id="format-date-time"),
    pytest.param("Item", {**ITEM, "at": "yesterday"}, False, id="format-date-time-bad"),
    pytest.param("Item", {**ITEM, "name": "Bolt"}, False, id="pattern"),
    pytest.param("Item", {**ITEM, "count": 0}, False, id="minimum"),
    pytest.param("Item", {**ITEM, "count": "3"}, False, id="strict-no-string-to-int"),
    pytest.param("Item", {**ITEM, "size": "xl"}, False, id="enum"),
    pytest.param("Item", {**ITEM, "note": None}, True, id="nullable-null"),
    pytest.param("Item", {**ITEM, "name": None}, False, id="not-nullable-null"),
    pytest.param("Item", {**ITEM, "colour": "red"}, False, id="extra-forbidden-by-schema"),
    pytest.param("Item", {"id": ITEM["id"]}, False, id="required-missing"),
    pytest.param("Open", {"name": "a", "colour": "red"}, True, id="extra-allowed-by-default"),
    pytest.param("Pet", {"pet_type": "cat", "meow": True}, True, id="discriminator-cat"),
    pytest.param("Pet", {"pet_type": "dog"}, True, id="discriminator-dog"),
    pytest.param("Pet", {"pet_type": "cow"}, False, id="discriminator-unknown"),
    pytest.param("Pet", {"meow": True}, False, id="discriminator-missing"),
    pytest.param("Pet", {"pet_type": "cat", "meow": "yes"}, False, id="discriminator-variant-invalid"),
]


@pytest.mark.parametrize("version", ["3.1", "3.0"])
@pytest.mark.parametrize(("model", "instance", "valid"), CASES)
def test_model_verdict_matches_json_schema(
    packages: dict[str, tuple[ModuleType, dict[str, Any]]], version: str, model: str, instance: Any, valid: bool
) -> None:
    package, contract = packages[version]
    validator_class = OAS31Validator if version == "3.1" else OAS30Validator
    schema = {"$ref": f"#/components/schemas/{model}", "components": contract["components"]}
    schema_valid = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER).is_valid(instance)
    try:
        TypeAdapter(getattr(package, model)).validate_json(json.dumps(instance))
        model_valid = True
    except ValidationError:
        model_valid = False
    assert (schema_valid, model_valid) == (valid, valid)


def test_contract_is_bundled_beside_the_models(packages: dict[str, tuple[ModuleType, dict[str, Any]]]) -> None:
    package, contract = packages["3.1"]
    bundled = json.loads(package.CONTRACT.read_text())
    assert bundled["components"]["schemas"].keys() == contract["components"]["schemas"].keys()
    assert textwrap.dedent(package.CONTRACT_VERSION) == "1.0.0"
