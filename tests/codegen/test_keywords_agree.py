"""codegen and the validators read a 3.0 (3.1, draft-07) keyword the same way: one normaliser, two judges.

codegen's ``SchemaSet`` takes its per-node keyword conversion from ``spec.normalise.convert_keywords``, the function
the middleware's (and the message runtime's) ``SchemaConverter`` is built on. Each row is a schema of a small contract
and instances: the generated Pydantic model (``model_validate_json``, as a handler behind the middleware uses it) must
give the verdict the middleware's compiled validator gives, except where a row names a looser model and why.
"""

from __future__ import annotations

import importlib
import json
import sys
import warnings
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from contractkit.catalog import load_catalog
from contractkit.codegen.gen import generate
from contractkit.loaders.document import load_document
from contractkit.runtime._engine import compile_schema
from contractkit.spec.flatten import inline_external
from contractkit.spec.normalise import SchemaConverter

_SCHEMAS = """\
    Cat:
      type: object
      required: [name]
      properties: {name: {type: string}}
    Short: {type: string}
    NullableString: {type: string, nullable: true}
    NullableEnum: {type: string, enum: [a, b], nullable: true}
    NullableUntyped:
      nullable: true
      allOf: [{$ref: '#/components/schemas/Cat'}]
    RefSiblings:
      type: object
      properties:
        pet: {$ref: '#/components/schemas/Short', maxLength: 3}
        tag: {$ref: '#/components/schemas/Short', enum: [x, y]}
        cat: {$ref: '#/components/schemas/Cat', required: [age], properties: {age: {type: integer}}}
        doc: {$ref: '#/components/schemas/Short', description: Annotations beside a ref change nothing.}
    MaybeCat:
      type: object
      required: [cat]
      properties:
        cat: {$ref: '#/components/schemas/Cat', nullable: true}
"""
_OPENAPI = "openapi: VERSION\ninfo: {title: ID, version: 1.0.0}\npaths: {}\ncomponents:\n  schemas:\n" + _SCHEMAS
_BOUNDS_30 = "    Bounded: {type: number, minimum: 0, exclusiveMinimum: true, maximum: 10, exclusiveMaximum: false}\n"
_ASYNCAPI = """\
asyncapi: 2.6.0
info: {title: kwev, version: 1.0.0}
channels:
  pairs:
    subscribe:
      message: {$ref: '#/components/messages/PairSent'}
components:
  messages:
    PairSent:
      payload: {$ref: '#/components/schemas/Pair'}
  schemas:
    Pair: {type: array, items: [{type: string}, {type: integer}]}
    Held:
      type: object
      properties:
        pet: {$ref: '#/components/schemas/Short', maxLength: 3}
    Short: {type: string}
"""
_CATALOG = """\
version: 1
contracts:
  - {id: kw30, kind: openapi, path: kw30.yaml, owner: t, lifecycle: draft}
  - {id: kw31, kind: openapi, path: kw31.yaml, owner: t, lifecycle: draft}
  - {id: kwev, kind: asyncapi, path: kwev.yaml, owner: t, lifecycle: draft}
"""
_IDS = ("kw30", "kw31", "kwev")

# (contract, schema, instances, the instances the model accepts and the middleware refuses: a known gap of dcg)
ROWS = [
    pytest.param("kw30", "NullableString", ["a", None, 1], [], id="30-nullable-with-type"),
    pytest.param("kw31", "NullableString", ["a", None], [], id="31-nullable-is-no-keyword"),
    pytest.param("kw30", "NullableEnum", ["a", None, "c"], [], id="30-nullable-enum"),
    pytest.param("kw31", "NullableEnum", ["a", None, "c"], [], id="31-nullable-enum-is-no-keyword"),
    pytest.param("kw30", "NullableUntyped", [{"name": "x"}, None, {}], [], id="30-nullable-without-type"),
    pytest.param("kw31", "NullableUntyped", [{"name": "x"}, None, {}], [], id="31-nullable-without-type"),
    pytest.param("kw30", "Bounded", [0, 0.5, 10, 10.5, -1], [], id="30-exclusive-bounds-boolean"),
    pytest.param(
        "kw30",
        "RefSiblings",
        [{"pet": "abcd"}, {"tag": "z"}, {"cat": {"name": "x"}}, {"doc": "d"}, {"cat": {}}],
        [],
        id="30-ref-siblings-ignored",
    ),
    pytest.param(
        "kw31",
        "RefSiblings",
        [
            {"pet": "abc"},
            {"pet": "abcd"},
            {"tag": "x"},
            {"tag": "z"},
            {"cat": {"name": "x", "age": 1}},
            {"cat": {"name": "x"}},
            {"doc": "d"},
        ],
        [],
        id="31-ref-siblings-apply",
    ),
    pytest.param("kw30", "MaybeCat", [{"cat": {"name": "x"}}, {"cat": None}], [], id="30-nullable-beside-ref-ignored"),
    pytest.param(
        "kw31", "MaybeCat", [{"cat": {"name": "x"}}, {"cat": None}], [], id="31-nullable-beside-ref-is-no-keyword"
    ),
    pytest.param("kwev", "Held", [{"pet": "abc"}, {"pet": "abcd"}, {"pet": 1}], [], id="draft7-ref-siblings-ignored"),
    pytest.param(
        "kwev",
        "Pair",
        [["a", 1], ["a", "b"], ["a", 1, True], []],
        [["a", "b"]],
        id="draft7-items-tuple",  # dcg: list[Any]
    ),
]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[ModuleType, Any]]]:
    """The three contracts generated once (``contractkit gen``) and imported, beside their documents."""
    root = tmp_path_factory.mktemp("keywords")
    contracts = root / "contracts"
    contracts.mkdir()
    (contracts / "kw30.yaml").write_text(_OPENAPI.replace("VERSION", "3.0.3").replace("ID", "kw30") + _BOUNDS_30)
    (contracts / "kw31.yaml").write_text(_OPENAPI.replace("VERSION", "3.1.0").replace("ID", "kw31"))
    (contracts / "kwev.yaml").write_text(_ASYNCAPI)
    (contracts / "catalog.yaml").write_text(_CATALOG)
    catalog = load_catalog(contracts / "catalog.yaml")
    assert catalog is not None
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning, module=r"datamodel_code_generator\b")
        generate(catalog, out_dir=root / "generated")
    sys.path.insert(0, str(root / "generated"))
    try:
        yield {
            cid: (
                importlib.import_module(f"{cid}.v1.models"),
                inline_external(load_document(contracts / f"{cid}.yaml", root_dir=contracts)),
            )
            for cid in _IDS
        }
    finally:
        sys.path.remove(str(root / "generated"))
        for name in [n for n in sys.modules if n.split(".")[0] in _IDS]:
            del sys.modules[name]


@pytest.mark.parametrize(("contract", "schema", "instances", "model_looser"), ROWS)
def test_the_model_accepts_what_the_middleware_accepts(
    generated: dict[str, tuple[ModuleType, Any]],
    contract: str,
    schema: str,
    instances: list[Any],
    model_looser: list[Any],
) -> None:
    models, root = generated[contract]
    converter = SchemaConverter(root, direction="plain")  # the middleware's (the message runtime's) converter
    middleware = compile_schema(converter.root_schema({"$ref": f"#/components/schemas/{schema}"}))
    model = TypeAdapter(getattr(models, schema))
    verdicts = []
    for instance in instances:
        try:
            model.validate_json(json.dumps(instance))
            accepted = True
        except ValidationError:
            accepted = False
        verdicts.append((instance, middleware.is_valid(instance), accepted))
    disagree = [(i, m, a) for i, m, a in verdicts if m != a and not (a and i in model_looser)]
    assert not disagree, f"(instance, middleware, model): {disagree}"
    assert {m for _, m, _ in verdicts} == {True, False}, "a row must hold an accepted and a refused instance"
    assert [i for i, m, a in verdicts if a and not m] == model_looser, "the model's known gap changed: update the row"


def test_where_a_document_holds_rows() -> None:
    """Every row names a schema of its contract (a typo would test nothing)."""
    text = {"kw30": _OPENAPI + _BOUNDS_30, "kw31": _OPENAPI, "kwev": _ASYNCAPI}
    for row in ROWS:
        contract, schema = row.values[0], row.values[1]
        assert f"    {schema}:" in str(text[contract]), row.id
