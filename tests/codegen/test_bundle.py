"""contractkit bundle: external refs moved into components under stable names; the bundle validates and diffs clean."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from contractkit.breaking.engine import diff_documents
from contractkit.catalog.reader import read_catalog
from contractkit.cli.app import app
from contractkit.codegen.bundle import bundle_contract, bundle_document, dump_bundle
from contractkit.errors import ContractInvalid, UnresolvedRef
from contractkit.loaders.document import Document, load_document
from contractkit.validate.engine import validate_document

REPO = Path(__file__).resolve().parents[2]
CONTRACTS = REPO / "contracts"
CORPUS = (REPO.parent / "shared" / "corpus").resolve()
SOCIAL = sorted((CORPUS / "asyncapi").glob("v*/social-media/*/asyncapi.yaml"))


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root / next(iter(files))


def reload(tmp_path: Path, data: dict[str, Any], name: str = "bundle.json") -> Document:
    path = tmp_path / "out" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(dump_bundle(data, "yaml" if name.endswith(".yaml") else "json"))
    return load_document(path)


def bundle_files(tmp_path: Path, files: dict[str, str]) -> dict[str, Any]:
    root = write(tmp_path, files)
    return bundle_document(load_document(root, root_dir=tmp_path))


def assert_round_trip(doc: Document, tmp_path: Path) -> Document:
    """The bundle is one file, validates as its source does, and compares equal to it."""
    bundled = reload(tmp_path, bundle_document(doc))
    assert [file.name for file in bundled.files()] == [bundled.name]
    assert not bundled.ref_problems()
    assert validate_document(bundled) == []
    assert diff_documents(doc, bundled) == []
    return bundled


# -- the real contracts and the multi-file corpus -------------------------------------------------------------


@pytest.mark.parametrize("contract", [c.id for c in read_catalog(CONTRACTS / "catalog.yaml").contracts])
def test_every_contract_bundles_valid_and_diffs_clean(contract: str, tmp_path: Path) -> None:
    entry = read_catalog(CONTRACTS / "catalog.yaml").get(contract)
    assert entry is not None
    doc = load_document(entry.path, root_dir=CONTRACTS)
    assert len(doc.files()) > 1, "the contracts share contracts/common: they are multi-file"
    bundled = assert_round_trip(doc, tmp_path)
    assert all(ref.startswith("#/") for _, _, ref in bundled.refs())


@pytest.mark.skipif(not SOCIAL, reason="the shared corpus is not available")
@pytest.mark.parametrize("path", SOCIAL, ids=[f"{p.parts[-4]}-{p.parts[-2]}" for p in SOCIAL])
def test_corpus_social_media_bundles_valid_and_diffs_clean(path: Path, tmp_path: Path) -> None:
    assert_round_trip(load_document(path, root_dir=path.parents[1]), tmp_path)


def test_the_diff_of_a_round_trip_can_fail(tmp_path: Path) -> None:
    """The clean diffs above mean something: a changed bundled component is reported."""
    doc = load_document(CONTRACTS / "b2b-orders" / "openapi.yaml", root_dir=CONTRACTS)
    data: Any = bundle_document(doc)
    data["components"]["schemas"]["Money"]["properties"]["currency"] = {"type": "integer"}
    assert diff_documents(doc, reload(tmp_path, data)) != []


# -- where targets go and what they are called ----------------------------------------------------------------

OAS = """\
openapi: 3.1.0
info: {title: T, version: 1.0.0}
paths:
  /orders/{id}:
    parameters:
      - $ref: 'common/params.yaml#/OrderId'
    get:
      responses:
        '200':
          description: ok
          headers:
            X-Rate-Limit: {$ref: 'common/headers.yaml#/RateLimit'}
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Order'}
              examples:
                one: {$ref: 'common/examples.yaml#/OneOrder'}
        '404': {$ref: 'common/responses.yaml#/NotFound'}
components:
  schemas:
    Order:
      type: object
      properties:
        total: {$ref: 'common/money.yaml#/Money'}
        tree: {$ref: 'common/tree.yaml#/Node'}
"""
COMMON = {
    "common/params.yaml": "OrderId: {name: id, in: path, required: true, schema: {type: string}}\n",
    "common/headers.yaml": "RateLimit: {schema: {type: integer}}\n",
    "common/examples.yaml": "OneOrder: {value: {total: {amount: '1.00', currency: EUR}}}\n",
    "common/responses.yaml": "NotFound:\n  description: gone\n  content:\n"
    "    application/problem+json: {schema: {$ref: 'problem.yaml#/Problem'}}\n",
    "common/problem.yaml": "Problem: {type: object, properties: {title: {type: string}}}\n",
    "common/money.yaml": "Money:\n  type: object\n  properties:\n    amount: {type: string}\n"
    "    currency: {$ref: '#/CurrencyCode'}\nCurrencyCode: {type: string, pattern: '^[A-Z]{3}$'}\n",
    "common/tree.yaml": "Node:\n  type: object\n  properties:\n"
    "    children: {type: array, items: {$ref: '#/Node'}}\n    leaf: {$ref: 'leaf.yaml#/Leaf'}\n",
    "common/leaf.yaml": "Leaf:\n  type: object\n  properties:\n    parent: {$ref: 'tree.yaml#/Node'}\n",
}


@pytest.fixture
def oas(tmp_path: Path) -> dict[str, Any]:
    return bundle_files(tmp_path, {"api/openapi.yaml": OAS.replace("common/", "../common/"), **COMMON})


ORDER = ("paths", "/orders/{id}")
OK = (*ORDER, "get", "responses", "200")


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        pytest.param((*ORDER, "parameters", 0), "#/components/parameters/OrderId", id="parameter"),
        pytest.param((*OK, "headers", "X-Rate-Limit"), "#/components/headers/RateLimit", id="header"),
        pytest.param(
            (*OK, "content", "application/json", "examples", "one"), "#/components/examples/OneOrder", id="example"
        ),
        pytest.param((*ORDER, "get", "responses", "404"), "#/components/responses/NotFound", id="response"),
        pytest.param((*OK, "content", "application/json", "schema"), "#/components/schemas/Order", id="local-kept"),
        pytest.param(
            ("components", "schemas", "Order", "properties", "total"), "#/components/schemas/Money", id="schema"
        ),
        pytest.param(
            ("components", "schemas", "Money", "properties", "currency"),
            "#/components/schemas/CurrencyCode",
            id="chain",
        ),
        pytest.param(
            ("components", "schemas", "Node", "properties", "children", "items"),
            "#/components/schemas/Node",
            id="recursion",
        ),
        pytest.param(
            ("components", "schemas", "Leaf", "properties", "parent"),
            "#/components/schemas/Node",
            id="mutual-recursion",
        ),
        pytest.param(
            ("components", "responses", "NotFound", "content", "application/problem+json", "schema"),
            "#/components/schemas/Problem",
            id="inside-a-moved-response",
        ),
    ],
)
def test_a_ref_goes_to_the_section_of_its_kind(oas: dict[str, Any], keys: tuple[str | int, ...], expected: str) -> None:
    node: Any = oas
    for key in keys:
        node = node[key]
    assert node == {"$ref": expected}


def test_moved_components_keep_their_content(oas: dict[str, Any]) -> None:
    schemas = oas["components"]["schemas"]
    assert list(schemas) == ["Order", "CurrencyCode", "Leaf", "Money", "Node", "Problem"]
    assert schemas["CurrencyCode"] == {"type": "string", "pattern": "^[A-Z]{3}$"}
    assert oas["components"]["parameters"]["OrderId"]["name"] == "id"


@pytest.mark.parametrize(
    ("root_extra", "files", "expected"),
    [
        pytest.param(
            "    Money: {type: number}\n",
            {"common/money.yaml": "Money: {type: string}\n"},
            {"Money": {"type": "number"}, "CommonMoney": {"type": "string"}},
            id="root-name-taken-file-folder-qualifies",
        ),
        pytest.param(
            "",
            {"a/money.yaml": "Money: {type: string}\n", "b/money.yaml": "Money: {type: integer}\n"},
            {"AMoney": {"type": "string"}, "BMoney": {"type": "integer"}},
            id="two-files-same-name",
        ),
        pytest.param(
            "",
            {
                "x.yaml": "Order: {properties: {status: {type: string}}}\n",
                "y.yaml": "Job: {properties: {status: {type: integer}}}\n",
            },
            {"OrderStatus": {"type": "string"}, "JobStatus": {"type": "integer"}},
            id="pointer-qualifies-first",
        ),
        pytest.param(
            "",
            {"pet.yaml": "type: object\n"},
            {"pet": {"type": "object"}},
            id="whole-file-named-by-stem",
        ),
    ],
)
def test_names_are_readable_and_never_counted(
    tmp_path: Path, root_extra: str, files: dict[str, str], expected: dict[str, Any]
) -> None:
    refs = {
        "common/money.yaml": ["common/money.yaml#/Money"],
        "a/money.yaml": ["a/money.yaml#/Money"],
        "b/money.yaml": ["b/money.yaml#/Money"],
        "x.yaml": ["x.yaml#/Order/properties/status"],
        "y.yaml": ["y.yaml#/Job/properties/status"],
        "pet.yaml": ["pet.yaml"],
    }
    wanted = [ref for name in files for ref in refs[name]]
    for order in (wanted, wanted[::-1]):  # the order refs are met in never changes a name
        properties = "".join(f"        p{i}: {{$ref: '{ref}'}}\n" for i, ref in enumerate(order))
        root = (
            "openapi: 3.1.0\ninfo: {title: T, version: 1.0.0}\npaths: {}\ncomponents:\n  schemas:\n"
            f"{root_extra}    Holder:\n      type: object\n      properties:\n{properties}"
        )
        data = bundle_files(tmp_path, {"openapi.yaml": root, **files})
        schemas = {k: v for k, v in data["components"]["schemas"].items() if k != "Holder"}
        assert schemas == expected
        holder = data["components"]["schemas"]["Holder"]["properties"]
        assert all(p["$ref"].removeprefix("#/components/schemas/") in schemas for p in holder.values())


def test_a_root_alias_of_an_external_schema_receives_it(tmp_path: Path) -> None:
    root = """\
    openapi: 3.1.0
    info: {title: T, version: 1.0.0}
    paths: {}
    components:
      schemas:
        Problem: {$ref: 'common/problem.yaml#/Problem'}
        Other: {type: object, properties: {p: {$ref: 'common/problem.yaml#/Problem'}}}
    """
    data = bundle_files(tmp_path, {"openapi.yaml": root, "common/problem.yaml": "Problem: {type: object}\n"})
    assert data["components"]["schemas"] == {
        "Problem": {"type": "object"},
        "Other": {"type": "object", "properties": {"p": {"$ref": "#/components/schemas/Problem"}}},
    }


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        pytest.param("3.0.3", {"get": {"responses": {"200": {"description": "ok"}}}}, id="oas30-inlined"),
        pytest.param("3.1.0", {"$ref": "#/components/pathItems/Ping"}, id="oas31-components"),
    ],
)
def test_path_items(tmp_path: Path, version: str, expected: dict[str, Any]) -> None:
    root = f"openapi: {version}\ninfo: {{title: T, version: 1.0.0}}\npaths:\n  /ping: {{$ref: 'paths.yaml#/Ping'}}\n"
    files = {"openapi.yaml": root, "paths.yaml": "Ping: {get: {responses: {'200': {description: ok}}}}\n"}
    assert bundle_files(tmp_path, files)["paths"]["/ping"] == expected


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        pytest.param(
            "info:\n  title: T\n  version: 1.0.0\n  description: {$ref: 'text.yaml#/Text'}\n", "text", id="str"
        ),
        pytest.param(
            "info: {title: T, version: 1.0.0}\nx-samples: [{$ref: 'text.yaml#/Sample'}]\n", "extension", id="extension"
        ),
    ],
)
def test_what_no_section_holds_is_inlined(tmp_path: Path, where: str, expected: str) -> None:
    files = {"openapi.yaml": f"openapi: 3.1.0\n{where}paths: {{}}\n", "text.yaml": "Text: hello\nSample: {lang: sh}\n"}
    data = bundle_files(tmp_path, files)
    assert "components" not in data
    if expected == "text":
        assert data["info"]["description"] == "hello"
    else:
        assert data["x-samples"] == [{"lang": "sh"}]


def test_discriminator_mapping_and_defs(tmp_path: Path) -> None:
    root = """\
    openapi: 3.1.0
    info: {title: T, version: 1.0.0}
    paths: {}
    components:
      schemas:
        Pet:
          oneOf: [{$ref: 'pets.yaml#/Cat'}, {$ref: 'pets.yaml#/Dog'}]
          discriminator:
            propertyName: kind
            mapping: {cat: 'pets.yaml#/Cat', dog: 'pets.yaml#/Dog', bird: Bird}
          $defs:
            Name: {type: string}
    """
    pets = "Cat: {type: object, properties: {name: {$ref: '#/Name'}}}\nDog: {type: object}\nName: {type: string}\n"
    data = bundle_files(tmp_path, {"openapi.yaml": root, "pets.yaml": pets})
    pet = data["components"]["schemas"]["Pet"]
    assert pet["discriminator"]["mapping"] == {
        "cat": "#/components/schemas/Cat",
        "dog": "#/components/schemas/Dog",
        "bird": "Bird",
    }
    assert pet["$defs"] == {"Name": {"type": "string"}}
    assert data["components"]["schemas"]["Cat"]["properties"]["name"] == {"$ref": "#/components/schemas/Name"}


def test_asyncapi_messages_and_payloads(tmp_path: Path) -> None:
    root = """\
    asyncapi: 3.0.0
    info: {title: T, version: 1.0.0}
    channels:
      liked:
        address: comment/liked
        messages:
          commentLiked: {$ref: 'common/messages.yaml#/commentLiked'}
    operations:
      sendLiked:
        action: send
        channel: {$ref: '#/channels/liked'}
        messages: [{$ref: '#/channels/liked/messages/commentLiked'}]
    """
    files = {
        "api/asyncapi.yaml": root.replace("common/", "../common/"),
        "common/messages.yaml": "commentLiked:\n  payload: {$ref: './schemas.yaml#/commentLikedPayload'}\n",
        "common/schemas.yaml": "commentLikedPayload: {type: object, properties: {id: {type: string}}}\n",
    }
    data = bundle_files(tmp_path, files)
    assert data["channels"]["liked"]["messages"]["commentLiked"] == {"$ref": "#/components/messages/commentLiked"}
    assert data["operations"]["sendLiked"]["messages"] == [{"$ref": "#/channels/liked/messages/commentLiked"}]
    assert data["components"]["messages"]["commentLiked"] == {
        "payload": {"$ref": "#/components/schemas/commentLikedPayload"}
    }


def test_a_broken_ref_is_a_located_error(tmp_path: Path) -> None:
    root = write(tmp_path, {"openapi.yaml": OAS, "common/money.yaml": "Other: {}\n"})
    with pytest.raises(UnresolvedRef) as caught:
        bundle_document(load_document(root, root_dir=tmp_path))
    assert caught.value.location is not None and caught.value.location.line > 0


@pytest.mark.parametrize(
    "loop",
    [
        pytest.param("    callbacks:\n      c: {'{$url}': {$ref: '#/A'}}\n", id="callback"),
        pytest.param("    x-next: {$ref: '#/A'}\n", id="extension"),
    ],
)
def test_a_cycle_through_inlined_objects_is_refused(tmp_path: Path, loop: str) -> None:
    """OpenAPI 3.0 has no components/pathItems: a path item is inlined, and a path item inside itself cannot be."""
    root = "openapi: 3.0.3\ninfo: {title: T, version: 1.0.0}\npaths:\n  /a: {$ref: 'p.yaml#/A'}\n"
    root_file = write(tmp_path, {"openapi.yaml": root, "p.yaml": f"A:\n  get:\n    responses: {{}}\n{loop}"})
    with pytest.raises(ContractInvalid, match="closes a cycle") as caught:
        bundle_document(load_document(root_file, root_dir=tmp_path))
    assert caught.value.location is not None and caught.value.location.file.endswith("p.yaml")


# -- output -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_output_is_deterministic_and_round_trips(fmt: str) -> None:
    doc = load_document(CONTRACTS / "order-events" / "asyncapi.yaml", root_dir=CONTRACTS)
    first, second = dump_bundle(bundle_document(doc), fmt), dump_bundle(bundle_document(doc), fmt)  # type: ignore[arg-type]
    assert first == second and first.endswith("\n") and not first.endswith("\n\n")
    loaded = json.loads(first) if fmt == "json" else yaml.safe_load(first)
    assert loaded == bundle_document(doc)
    if fmt == "json":
        assert first.startswith('{\n  "asyncapi": "3.0.0",\n')


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("args", "name", "loader"),
    [
        pytest.param([], None, json.loads, id="stdout-json"),
        pytest.param(["-o", "-", "--format", "yaml"], None, yaml.safe_load, id="dash-yaml"),
        pytest.param(["-o", "out/b.yaml"], "out/b.yaml", yaml.safe_load, id="file-yaml-by-suffix"),
        pytest.param(["-o", "b.txt", "--format", "json"], "b.txt", json.loads, id="file-json"),
    ],
)
def test_cli_bundle(
    args: list[str], name: str | None, loader: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("bundle", "mes", "--catalog", str(CONTRACTS / "catalog.yaml"), *args)
    assert code == 0
    text = out if name is None else (tmp_path / name).read_text()
    assert name is None or out == ""
    expected = bundle_contract("mes", catalog=CONTRACTS / "catalog.yaml")
    assert loader(text) == expected


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["bundle", "nope"], "contract `nope` not found", id="unknown-id"),
        pytest.param(["bundle", "b2b-orders", "--format", "xml"], "xml", id="bad-format"),
        pytest.param(["bundle", "."], "`.` names 5 contracts (`b2b-orders`, `mes`", id="a-folder-of-many"),
    ],
)
def test_cli_bundle_errors(args: list[str], message: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    code, out, err = run(*args)
    assert code == 2
    assert message in err
    assert out == ""
