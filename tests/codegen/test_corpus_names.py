"""No numbered or dcg-invented class names: box.json from the corpus, and a small contract holding every position.

datamodel-code-generator names the schemas contractkit leaves unnamed after what holds them and numbers the
collisions (``MetadataFilterFiltersValue1``, ``FileFullLock1``, ``Stop1``). contractkit names those positions
itself: union members dcg would name, constrained array items and map values, an ``allOf`` around one inline
schema; and dcg's own root model no longer takes the name ``Model`` from a schema.
"""

from __future__ import annotations

import importlib
import re
import shutil
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from pydantic import BaseModel, ValidationError

from contractkit.catalog import load_catalog
from contractkit.codegen.gen import PackageResult, generate
from contractkit.codegen.naming import variant_names

REPO = Path(__file__).resolve().parents[2]
BOX = REPO.parent / "shared" / "corpus" / "openapi" / "box.json"
_ENDS_IN_DIGIT = re.compile(r"\d$")

CATALOG = """\
version: 1
contracts:
  - {{id: {id}, kind: openapi, path: {path}, owner: t, lifecycle: draft}}
loader: {{max-bytes: 67108864}}
codegen: {{enums: {enums}}}
"""

# Every position where dcg used to make up a name (first seen on box.json and DigitalOcean's spec).
POSITIONS = r"""
openapi: 3.0.3
info: {title: positions, version: 1.0.0}
paths: {}
components:
  schemas:
    Model:
      type: object
      properties: {id: {type: string}}
    ModelList:
      type: object
      properties:
        data: {type: array, items: {$ref: '#/components/schemas/Model'}}
    FilterValue:
      oneOf: [{type: string}, {type: number}, {type: array, items: {type: string}}]
    Settings:
      type: object
      properties:
        cnames:
          type: array
          maxItems: 4
          items: {type: string, maxLength: 20, pattern: '^[a-z.]+$'}
        stop:
          oneOf: [{type: string}, {type: array, minItems: 1, maxItems: 4, items: {type: string}}]
        extension:
          oneOf:
            - {type: string, enum: [none]}
            - {type: string, pattern: '^[1-9]\d*$', format: int32}
            - {type: integer, minimum: 1}
        action:
          nullable: true
          anyOf: [{type: string, enum: [keep, drop]}, {type: string, pattern: '^x-'}]
        lock:
          nullable: true
          allOf:
            - {title: Lock, type: object, required: [id], properties: {id: {type: string}}}
            - {description: The lock held on the settings.}
        filters:
          type: object
          additionalProperties:
            allOf: [{$ref: '#/components/schemas/FilterValue'}, {example: online}, {x-example-key: category}]
        pin:
          type: object
          required: [a]
          allOf:
            - {type: object, required: [b], properties: {a: {type: string}, b: {type: string}}}
            - {description: Both `required` lists hold.}
        key:
          type: object
          items: {$ref: '#/components/schemas/Model'}
        choice:
          oneOf:
            - {type: string, enum: [auto]}
            - type: object
              required: [type]
              properties: {type: {type: string, enum: [function]}, name: {type: string}}
"""


def _generate(root: Path, contract_id: str, spec: Path | str, enums: str) -> tuple[PackageResult, Path]:
    (root / "contracts").mkdir(parents=True)
    name = spec.name if isinstance(spec, Path) else f"{contract_id}.yaml"
    if isinstance(spec, Path):
        shutil.copy(spec, root / "contracts" / name)
    else:
        (root / "contracts" / name).write_text(spec)
    (root / "contracts" / "catalog.yaml").write_text(CATALOG.format(id=contract_id, path=name, enums=enums))
    catalog = load_catalog(root / "contracts" / "catalog.yaml")
    assert catalog is not None
    with warnings.catch_warnings():  # dcg's notes on the contract ("format of 'int32' not understood ...")
        warnings.filterwarnings("ignore", category=UserWarning, module=r"datamodel_code_generator\b")
        result = generate(catalog)
    (package,) = (p for p in result.packages if p.contract_id == contract_id)
    return package, root / "generated"


@pytest.fixture(scope="module")
def box(tmp_path_factory: pytest.TempPathFactory) -> dict[str, PackageResult]:
    """box.json generated once per enum mode (about 5 s each)."""
    if not BOX.is_file():
        pytest.skip(f"the corpus is not at {BOX}")
    return {
        enums: _generate(tmp_path_factory.mktemp(f"box-{enums}"), "box", BOX, enums)[0] for enums in ("literal", "enum")
    }


@pytest.fixture(scope="module")
def positions(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[PackageResult, ModuleType]]:
    """The positions contract generated (enums as ``Literal``) and its models imported."""
    package, out = _generate(tmp_path_factory.mktemp("positions"), "positions", POSITIONS, "literal")
    sys.path.insert(0, str(out))
    try:
        yield package, importlib.import_module("positions.v1.models")
    finally:
        sys.path.remove(str(out))
        for name in [n for n in sys.modules if n.split(".")[0] == "positions"]:
            del sys.modules[name]


@pytest.mark.slow
@pytest.mark.parametrize("enums", ["literal", "enum"])
def test_box_has_no_numbered_or_invented_name(box: dict[str, PackageResult], enums: str) -> None:
    package = box[enums]
    assert package.status == "written"
    assert len(package.names) > 800
    assert package.numbered == ()
    assert package.unplanned == ()
    assert [name for name in package.names if _ENDS_IN_DIGIT.search(name)] == []


@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    [
        pytest.param("FileFullLock", id="nullable-allof-object"),
        pytest.param("FolderSharedLink", id="nullable-allof-object-2"),
        pytest.param("MetadataFilterFiltersValue", id="map-value-allof-ref"),
        pytest.param("RetentionPolicyMaxExtensionLengthRequestString", id="union-constrained-string"),
        pytest.param("RetentionPolicyMaxExtensionLengthRequestInteger", id="union-constrained-integer"),
        pytest.param("PutRetentionPoliciesIdRequestDispositionActionString", id="property-union-constrained-member"),
    ],
)
def test_box_names_the_old_collisions(box: dict[str, PackageResult], name: str) -> None:
    assert name in box["literal"].names


def test_positions_have_no_numbered_or_invented_name(positions: tuple[PackageResult, ModuleType]) -> None:
    package, _ = positions
    assert (package.numbered, package.unplanned) == ((), ())
    assert [name for name in package.names if _ENDS_IN_DIGIT.search(name)] == []


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("Model", id="schema-named-like-dcg-root"),
        pytest.param("SettingsCnamesItem", id="constrained-array-item"),
        pytest.param("SettingsStopArray", id="union-constrained-array"),
        pytest.param("SettingsExtensionString", id="union-constrained-string"),
        pytest.param("SettingsExtensionInteger", id="union-constrained-integer"),
        pytest.param("SettingsActionString", id="nullable-union-constrained-string"),
        pytest.param("SettingsLock", id="nullable-allof-object"),
        pytest.param("SettingsFiltersValue", id="map-value-allof-ref"),
        pytest.param("SettingsPin", id="allof-object-merged-with-owner"),
        pytest.param("SettingsChoiceFunction", id="union-object-tagged-by-single-enum"),
    ],
)
def test_positions_names(positions: tuple[PackageResult, ModuleType], name: str) -> None:
    package, _ = positions
    assert name in package.names


def test_schema_named_model_is_the_class(positions: tuple[PackageResult, ModuleType]) -> None:
    _, models = positions  # dcg's root model used to keep `Model` (an alias of Any) and make the schema `Model1`
    assert issubclass(models.Model, BaseModel)
    assert models.ModelList.model_validate({"data": [{"id": "a"}]}).data[0].id == "a"


@pytest.mark.parametrize(
    ("data", "accepted"),
    [
        pytest.param({"cnames": ["a.b"]}, True, id="item-ok"),
        pytest.param({"cnames": ["A"]}, False, id="item-pattern"),
        pytest.param({"cnames": ["a"] * 5}, False, id="items-max"),
        pytest.param({"stop": []}, False, id="union-array-min-items"),
        pytest.param({"stop": "x"}, True, id="union-string"),
        pytest.param({"extension": "none"}, True, id="union-enum"),
        pytest.param({"extension": "12"}, True, id="union-pattern"),
        pytest.param({"extension": "0"}, False, id="union-pattern-miss"),
        pytest.param({"extension": 0}, False, id="union-minimum"),
        pytest.param({"action": None}, True, id="nullable-union"),
        pytest.param({"action": "nope"}, False, id="union-no-member"),
        pytest.param({"lock": None}, True, id="nullable-object"),
        pytest.param({"lock": {}}, False, id="merged-allof-required"),
        pytest.param({"filters": {"category": ["a", "b"]}}, True, id="map-value-union"),
        pytest.param({"filters": {"category": {}}}, False, id="map-value-wrong-type"),
        pytest.param({"pin": {"a": "x", "b": "y"}}, True, id="merged-required-met"),
        pytest.param({"pin": {"b": "y"}}, False, id="merged-required-outer"),
        pytest.param({"pin": {"a": "x"}}, False, id="merged-required-inner"),
        pytest.param({"key": {"any": 1}}, True, id="object-items-ignored"),
        pytest.param({"key": []}, False, id="object-not-list"),
        pytest.param({"choice": {"type": "function"}}, True, id="tagged-object"),
    ],
)
def test_named_positions_keep_their_constraints(
    positions: tuple[PackageResult, ModuleType], data: dict[str, object], accepted: bool
) -> None:
    _, models = positions
    try:
        models.Settings.model_validate(data)
        ok = True
    except ValidationError:
        ok = False
    assert ok is accepted


_NULL = {"type": "null"}


@pytest.mark.parametrize(
    ("member", "others", "first"),
    [
        pytest.param({"type": "object"}, [_NULL], "Owner", id="nullable-form-is-the-owner"),
        pytest.param({"title": "Lock", "type": "object"}, [{}], "Lock", id="title"),
        pytest.param({"properties": {"kind": {"const": "card"}}}, [{}], "OwnerCard", id="const-property"),
        pytest.param({"properties": {"kind": {"enum": ["card"]}}}, [{}], "OwnerCard", id="single-enum-property"),
        pytest.param({"type": "string", "enum": ["none"]}, [{}], "OwnerNone", id="single-enum"),
        pytest.param({"type": "string", "enum": ["a", "b"]}, [{}], "OwnerEnum", id="enum"),
        pytest.param({"type": "string", "format": "date-time"}, [{}], "OwnerDateTime", id="format"),
        pytest.param({"type": "string", "format": "int32"}, [{}], "OwnerString", id="width-format-skipped"),
        pytest.param({"type": ["integer", "null"]}, [{}], "OwnerInteger", id="type-list"),
        pytest.param({"type": "array"}, [{}], "OwnerArray", id="array"),
        pytest.param({}, [{}], "OwnerVariant", id="nothing-to-go-by"),
    ],
)
def test_variant_names_first_candidate(member: dict[str, object], others: list[object], first: str) -> None:
    assert variant_names("Owner", member, [member, *others])[0] == first  # type: ignore[list-item]


@pytest.mark.parametrize(
    ("member", "expected"),
    [
        pytest.param(
            {"type": "object", "required": ["id"], "properties": {"id": {}, "name": {}}},
            ("OwnerObject", "OwnerWithId", "OwnerWithName", "OwnerVariant"),
            id="object",
        ),
        pytest.param(
            {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}},
            ("OwnerArray", "OwnerPetArray", "OwnerVariant"),
            id="array-of-ref",
        ),
        pytest.param(
            {"type": "array", "items": {"type": "string"}},
            ("OwnerArray", "OwnerStringArray", "OwnerVariant"),
            id="array-of-strings",
        ),
    ],
)
def test_variant_names_fallbacks(member: dict[str, object], expected: tuple[str, ...]) -> None:
    assert variant_names("Owner", member, [member, {}]) == expected  # type: ignore[list-item]
