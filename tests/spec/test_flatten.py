"""One ``$ref`` flattener (issue 16): inlining and bundling are one walk, deciding the same way at the same ref.

Each case is a small multi-file contract run through both modes of :mod:`contractkit.spec.flatten`:
:func:`inline_external` (every external target copied in place, for validation) and :func:`bundle_document`
(external targets hoisted into ``components``, what no section holds copied in place). The tests read each
output at the same place of the contract, following the local refs the output kept, so that a target hoisted by
the bundle and the same target inlined are compared where they are used.

The last test holds the line in the code: one module walks the refs that leave the root file.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from contractkit.errors import ContractInvalid, UnresolvedRef
from contractkit.loaders import Document, load_document
from contractkit.loaders.pointer import parse_pointer
from contractkit.spec.flatten import bundle_document, inline_external

SRC = Path(__file__).resolve().parents[2] / "src" / "contractkit"

OAS31 = "openapi: 3.1.0\ninfo: {title: T, version: 1.0.0}\n"
OAS30 = "openapi: 3.0.3\ninfo: {title: T, version: 1.0.0}\n"
RESPONSE = "responses: {'200': {description: ok, content: {application/json: {schema: %s}}}}"


def _get(path: str, schema: str) -> str:
    return "paths:\n  %s:\n    get:\n      %s\n" % (path, RESPONSE % schema)  # noqa: UP031 - YAML braces


def _load(tmp_path: Path, files: dict[str, str]) -> Document:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return load_document(tmp_path / "openapi.yaml", root_dir=tmp_path)


def _at(data: Any, path: tuple[str, ...], *, follow_last: bool = False) -> Any:
    """Return the node at ``path`` of a flattened document, following the local refs it kept on the way."""
    node = data
    for key in (*path, None):
        while (key is not None or follow_last) and isinstance(node, dict) and isinstance(node.get("$ref"), str):
            node = _at(data, parse_pointer(node["$ref"][1:]))
        if key is not None:
            node = node[key]
    return node


SCHEMA_AT = ("paths", "/a", "get", "responses", "200", "content", "application/json", "schema")

FOLLOW = "(follow the ref written there)"

# (files, the place to read, what both modes write there, or mean there with FOLLOW)
SAME = [
    pytest.param(
        {
            "openapi.yaml": OAS31 + _get("/a", "{$ref: 'common.yaml#/Order'}") + "components:\n  schemas:\n"
            "    Id: {type: string}\n",
            "common.yaml": "Order: {type: object, properties: {id: {$ref: 'openapi.yaml#/components/schemas/Id'}}}\n",
        },
        (*SCHEMA_AT, "properties", "id"),
        {"$ref": "#/components/schemas/Id"},
        id="a-ref-into-the-root-file-becomes-local",
    ),
    pytest.param(
        {
            "openapi.yaml": OAS31 + _get("/a", "{$ref: 'common.yaml#/Order'}") + "components:\n  schemas:\n"
            "    Id: {type: string}\n",
            "common.yaml": "Order: {type: object, properties: {id: {$ref: '#/components/schemas/Id'}}}\n"
            "components: {schemas: {Id: {type: integer}}}\n",
        },
        (*SCHEMA_AT, "properties", "id"),
        {"type": "integer", FOLLOW: True},
        id="a-local-ref-of-another-file-is-that-files",
    ),
    pytest.param(
        {
            "openapi.yaml": OAS31 + _get("/a", "{$ref: '#/components/schemas/Node'}") + "components:\n  schemas:\n"
            "    Node: {type: object, properties: {next: {$ref: '#/components/schemas/Node'}}}\n",
        },
        (*SCHEMA_AT, "properties", "next"),
        {"$ref": "#/components/schemas/Node"},
        id="a-ref-local-to-the-root-stays",
    ),
    pytest.param(
        {
            "openapi.yaml": OAS31.replace("version: 1.0.0}", "version: 1.0.0, description: {$ref: 'text.yaml#/t'}}")
            + "paths: {}\n",
            "text.yaml": "t: the words\n",
        },
        ("info", "description"),
        "the words",
        id="a-string-is-copied-in-place",
    ),
    pytest.param(
        {
            "openapi.yaml": OAS30 + "paths:\n  /a: {$ref: 'items.yaml#/A'}\n",
            "items.yaml": "A: {get: {responses: {'204': {description: none}}}}\n",
        },
        ("paths", "/a"),
        {"get": {"responses": {"204": {"description": "none"}}}},
        id="an-openapi-3.0-path-item-is-copied-in-place",
    ),
    pytest.param(
        {
            "openapi.yaml": OAS31 + _get("/a", "{$ref: 'common.yaml#/Order'}"),
            "common.yaml": "Order: {type: object, properties: {total: {$ref: 'money.yaml#/Money'}}}\n",
            "money.yaml": "Money: {type: object, properties: {amount: {type: number}}}\n",
        },
        (*SCHEMA_AT, "properties", "total", "properties", "amount"),
        {"type": "number"},
        id="a-chain-of-files-is-followed-to-its-end",
    ),
]


@pytest.mark.parametrize(("files", "place", "expected"), SAME)
def test_both_modes_write_the_same_at_the_same_place(
    tmp_path: Path, files: dict[str, str], place: tuple[str, ...], expected: Any
) -> None:
    doc = _load(tmp_path, files)
    follow = isinstance(expected, dict) and FOLLOW in expected
    if follow:
        expected = {key: value for key, value in expected.items() if key != FOLLOW}
    assert _at(inline_external(doc), place, follow_last=follow) == expected
    assert _at(bundle_document(doc), place, follow_last=follow) == expected


# (files, the place of the ref where the cycle closes, what inlining writes there, what bundling writes there)
CYCLES = [
    pytest.param(
        {
            "openapi.yaml": OAS31 + _get("/a", "{$ref: 'node.yaml#/Node'}"),
            "node.yaml": "Node: {type: object, properties: {next: {$ref: 'other.yaml#/Other'}}}\n",
            "other.yaml": "Other: {type: object, properties: {back: {$ref: 'node.yaml#/Node'}}}\n",
        },
        (*SCHEMA_AT, "properties", "next", "properties", "back"),
        {},
        {"$ref": "#/components/schemas/Node"},
        id="through-schemas-of-two-files",
    ),
    pytest.param(
        {
            "openapi.yaml": OAS31 + _get("/a", "{$ref: 'node.yaml#/Node'}"),
            "node.yaml": "Node: {type: object, properties: {next: {$ref: '#/Node'}}}\n",
        },
        (*SCHEMA_AT, "properties", "next"),
        {},
        {"$ref": "#/components/schemas/Node"},
        id="through-one-schema-of-another-file",
    ),
]


@pytest.mark.parametrize(("files", "place", "inlined", "bundled"), CYCLES)
def test_an_external_cycle_closes_at_the_same_ref(
    tmp_path: Path, files: dict[str, str], place: tuple[str, ...], inlined: Any, bundled: Any
) -> None:
    """Copying in place writes ``{}`` where the cycle closes; hoisting keeps the recursion as a local ref."""
    doc = _load(tmp_path, files)
    assert _at(inline_external(doc), place) == inlined
    assert _at(bundle_document(doc), place) == bundled


@pytest.mark.parametrize(
    "loop",
    [
        pytest.param("    x-next: {$ref: '#/A'}\n", id="extension"),
        pytest.param("    callbacks:\n      c: {'{$url}': {$ref: '#/A'}}\n", id="callback"),
    ],
)
def test_a_cycle_of_copied_objects_closes_at_the_same_ref_in_both_modes(tmp_path: Path, loop: str) -> None:
    """No section holds an OpenAPI 3.0 path item: both modes copy it, and meet the cycle at the same ref.

    Inlining writes ``{}`` there; a bundle cannot be written, and the error points at that ref.
    """
    doc = _load(
        tmp_path,
        {
            "openapi.yaml": OAS30 + "paths:\n  /a: {$ref: 'p.yaml#/A'}\n",
            "p.yaml": f"A:\n  get:\n    responses: {{}}\n{loop}",
        },
    )
    inlined = inline_external(doc)
    with pytest.raises(ContractInvalid, match="closes a cycle") as caught:
        bundle_document(doc)
    location = caught.value.location
    assert location is not None and location.file.endswith("p.yaml")
    closing = parse_pointer(location.pointer)
    assert closing[-1] == "$ref"
    assert _at(inlined, ("paths", "/a", *closing[1:-1])) == {}


def test_an_unresolvable_ref_is_the_same_ref_in_both_modes(tmp_path: Path) -> None:
    """Inlining keeps it as written; bundling refuses the document with the error of that ref."""
    doc = _load(
        tmp_path,
        {
            "openapi.yaml": OAS31 + _get("/a", "{$ref: 'common.yaml#/Order'}"),
            "common.yaml": "Order: {type: object, properties: {id: {$ref: '#/Missing'}}}\n",
        },
    )
    (problem,) = doc.ref_problems()
    assert _at(inline_external(doc), (*SCHEMA_AT, "properties", "id")) == {"$ref": "#/Missing"}
    with pytest.raises(UnresolvedRef) as caught:
        bundle_document(doc)
    assert caught.value.location == problem.location
    assert problem.location is not None and problem.location.pointer == "/Order/properties/id/$ref"


def test_a_single_file_is_its_own_inlining(tmp_path: Path) -> None:
    doc = _load(tmp_path, {"openapi.yaml": OAS31 + _get("/a", "{$ref: '#/components/schemas/X'}")})
    assert inline_external(doc) is doc.root.data


# -- one walk in the code -----------------------------------------------------------------------------------

# A module that follows `$ref`s with the resolver, and why it is not a second flattener.
FOLLOWERS = {
    "spec/flatten.py": "THE flattener: one walk over the refs leaving the root file (inline and bundle)",
    "spec/schemas.py": "one schema subtree, every ref (local ones too) into its own $defs, for a compiled validator",
    "spec/markers.py": "follows one ref to read a marker",
    "lint/rules/examples.py": "follows one ref at a time; its schemas are inlined by spec.flatten.Flattener",
    "lint/rules/links.py": "follows a link's operationRef",
    "lint/rules/responses.py": "follows the configured shared response",
    "lint/rules/components.py": "resolves one ref to tell where it goes",
    "codegen/schemas.py": "follows a discriminator mapping value",
    "breaking/openapi/variants.py": "follows a discriminator mapping value",
}
_FOLLOW = re.compile(r"\.(follow|resolve_once)\(")


def test_one_module_walks_the_refs_that_leave_the_root_file() -> None:
    followers = {
        path.relative_to(SRC).as_posix()
        for path in SRC.rglob("*.py")
        if not path.is_relative_to(SRC / "loaders") and _FOLLOW.search(path.read_text())
    }
    assert followers == set(FOLLOWERS)
    walkers = {
        path.relative_to(SRC).as_posix()
        for path in SRC.rglob("*.py")
        if re.search(r"class \w*(Inliner|Bundler|Flattener)\b", path.read_text())
    }
    assert walkers == {"spec/flatten.py"}
    assert not (SRC / "loaders" / "inline.py").exists()
    assert not (SRC / "codegen" / "_shapes.py").exists()
