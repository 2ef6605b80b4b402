"""Invariants of the breaking-change engine: changes that change nothing find nothing.

Each real contract (the Redocly museum of the shared corpus, and the company contracts in ``contracts/``, which
reach ``../common`` through relative refs) and each generated one is diffed against:

- itself (a copy in another folder, so no identity is shared between the two sides);
- itself re-serialised: YAML -> JSON (the shared files too, refs rewritten), every mapping's keys shuffled;
- itself with every inline schema moved to ``components/schemas``, and with every component inlined back;
- itself with every component renamed (refs and discriminator mappings updated).

The transformations work on the raw data and write real files, so the loader and ``$ref`` resolution are part of
what is tested. Generated contracts come from hypothesis: random schemas (objects, arrays, scalars with bounds,
enums, patterns, nullable in the spelling of each version, ``allOf``/``oneOf``/``anyOf``) used in a request body,
a response body and a query parameter; random pairs of them are also diffed, where only "no crash" is checked.
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Callable, Iterator
from itertools import count
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from contractkit.breaking import diff_documents
from contractkit.findings import Finding
from contractkit.loaders import FileStore, open_document
from tests.examples_budget import examples

ROOT = Path(__file__).resolve().parents[2]
MUSEUM = ROOT.parent / "shared" / "corpus" / "openapi" / "museum.yaml"
COMPANY = ("b2b-orders", "mes", "model-files")

Json = object
# Keys whose values are data, not schemas or refs: a transformation never looks inside them.
DATA_KEYS = frozenset({"example", "examples", "default", "enum", "const", "x-examples"})
SCHEMA_MAPS = ("properties", "patternProperties")
SCHEMA_ONE = ("items", "additionalProperties", "not", "contains", "propertyNames", "if", "then", "else")
SCHEMA_LISTS = ("allOf", "oneOf", "anyOf", "prefixItems")
LOCAL = "#/components/schemas/"
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when present: dumping is most of the time


# --- a contract as a tree of raw files ---------------------------------------------------------------------
Tree = dict[str, Json]  # relative path -> data, plus "__root__": the relative path of the root file


def load_tree(root_dir: Path, root_file: str, folders: tuple[str, ...] = ()) -> Tree:
    """Read ``root_file`` and every YAML file of ``folders`` (relative to ``root_dir``)."""
    tree: Tree = {root_file: yaml.safe_load((root_dir / root_file).read_text())}
    for folder in folders:
        for path in sorted((root_dir / folder).rglob("*.yaml")):
            tree[path.relative_to(root_dir).as_posix()] = yaml.safe_load(path.read_text())
    tree["__root__"] = root_file
    return tree


def write_tree(tree: Tree, folder: Path) -> Path:
    for rel, data in tree.items():
        if rel == "__root__":
            continue
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(data, indent=1) if rel.endswith(".json") else yaml.dump(data, Dumper=DUMPER, sort_keys=False)
        target.write_text(text)
    return folder / str(tree["__root__"])


def diff_trees(tmp_path: Path, base: Tree, revision: Tree) -> list[Finding]:
    base_root = write_tree(base, tmp_path / "base")
    revision_root = write_tree(revision, tmp_path / "revision")
    store = FileStore()
    base_doc = open_document(base_root, store=store, root_dir=tmp_path / "base")
    revision_doc = open_document(revision_root, store=store, root_dir=tmp_path / "revision")
    assert not base_doc.ref_problems(), base_doc.ref_problems()
    assert not revision_doc.ref_problems(), revision_doc.ref_problems()
    return diff_documents(base_doc, revision_doc)


def root_of(tree: Tree) -> dict[str, Json]:
    data = tree[str(tree["__root__"])]
    assert isinstance(data, dict)
    return data


def with_root(tree: Tree, data: dict[str, Json]) -> Tree:
    out = dict(tree)
    out[str(tree["__root__"])] = data
    return out


# --- transformations ---------------------------------------------------------------------------------------
def reserialised(tree: Tree, seed: int) -> Tree:
    """Every file as JSON with its keys shuffled; refs to ``.yaml`` files rewritten to ``.json``."""
    rng = random.Random(seed)

    def convert(node: Json) -> Json:
        if isinstance(node, dict):
            keys = list(node)
            rng.shuffle(keys)
            out = {k: convert(node[k]) for k in keys}
            ref = out.get("$ref")
            if isinstance(ref, str) and ".yaml" in ref.partition("#")[0]:
                file, hash_, pointer = ref.partition("#")
                out["$ref"] = file.replace(".yaml", ".json") + hash_ + pointer
            return out
        if isinstance(node, list):
            return [convert(item) for item in node]
        return node

    out: Tree = {rel.replace(".yaml", ".json"): convert(data) for rel, data in tree.items() if rel != "__root__"}
    out["__root__"] = str(tree["__root__"]).replace(".yaml", ".json")
    return out


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _local_ref_targets(node: Json) -> set[str]:
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/"):
                found.add(ref[1:])
            mapping = item.get("mapping")
            if isinstance(mapping, dict):
                found.update(v[1:] for v in mapping.values() if isinstance(v, str) and v.startswith("#/"))
            stack.extend(v for k, v in item.items() if k not in DATA_KEYS)
        elif isinstance(item, list):
            stack.extend(item)
    return found


def extracted(data: dict[str, Json]) -> dict[str, Json]:
    """Move every inline schema (nested ones too) to ``components/schemas`` behind a ``$ref``."""
    doc = copy.deepcopy(data)
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    protected = _local_ref_targets(doc)
    numbers = count(1)

    def touched(pointer: str) -> bool:
        return any(p == pointer or p.startswith(pointer + "/") for p in protected)

    def children(node: dict[str, Json], pointer: str) -> None:
        for key in SCHEMA_MAPS:
            members = node.get(key)
            if isinstance(members, dict):
                for name in list(members):
                    members[name] = schema(members[name], f"{pointer}/{key}/{_escape(name)}")
        for key in SCHEMA_ONE:
            if isinstance(node.get(key), dict):
                node[key] = schema(node[key], f"{pointer}/{key}")
        for key in SCHEMA_LISTS:
            members = node.get(key)
            if isinstance(members, list):
                node[key] = [schema(m, f"{pointer}/{key}/{i}") for i, m in enumerate(members)]

    def schema(node: Json, pointer: str) -> Json:
        if not isinstance(node, dict) or "$ref" in node or touched(pointer):
            return node
        children(node, pointer)
        name = f"Extracted{next(numbers)}"
        schemas[name] = node
        return {"$ref": LOCAL + name}

    def walk(node: Json, pointer: str) -> None:
        if isinstance(node, dict):
            for key, value in list(node.items()):
                if key in DATA_KEYS:
                    continue
                child = f"{pointer}/{_escape(str(key))}"
                if key == "schema" and isinstance(value, dict):
                    node[key] = schema(value, child)
                elif child != "/components/schemas":
                    walk(value, child)
        elif isinstance(node, list):
            for index, item in enumerate(node):
                walk(item, f"{pointer}/{index}")

    walk(doc, "")
    for name, component in list(schemas.items()):
        if isinstance(component, dict) and not touched(f"/components/schemas/{_escape(name)}"):
            children(component, f"/components/schemas/{_escape(name)}")
    return doc


def inlined(data: dict[str, Json]) -> dict[str, Json]:
    """Replace every ``$ref`` to a non-recursive local component by a copy of it (components are kept)."""
    doc = copy.deepcopy(data)
    schemas = doc.get("components", {}).get("schemas", {})

    def names_in(node: Json) -> Iterator[str]:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(LOCAL):
                yield ref[len(LOCAL) :].split("/")[0]
            for key, value in node.items():
                if key not in DATA_KEYS:
                    yield from names_in(value)
        elif isinstance(node, list):
            for item in node:
                yield from names_in(item)

    def reaches(start: str) -> set[str]:
        seen: set[str] = set()
        stack = list(names_in(schemas.get(start)))
        while stack:
            name = stack.pop()
            if name not in seen:
                seen.add(name)
                stack.extend(names_in(schemas.get(name)))
        return seen

    recursive = {name for name in schemas if name in reaches(name)}
    recursive |= {n for name in recursive for n in reaches(name)}  # and whatever they reach: keep it simple

    def expand(node: Json) -> Json:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(LOCAL) and "/" not in ref[len(LOCAL) :]:
                name = ref[len(LOCAL) :]
                if name in schemas and name not in recursive:
                    siblings = {k: v for k, v in node.items() if k != "$ref"}
                    target = expand(copy.deepcopy(schemas[name]))
                    return {**target, **siblings} if isinstance(target, dict) else target
            return {k: (v if k in DATA_KEYS else expand(v)) for k, v in node.items()}
        if isinstance(node, list):
            return [expand(item) for item in node]
        return node

    out = {k: (v if k == "components" else expand(v)) for k, v in doc.items()}
    if "components" in doc:
        out["components"] = {k: (v if k == "schemas" else expand(v)) for k, v in doc["components"].items()}
    return out


def renamed(data: dict[str, Json]) -> dict[str, Json]:
    """Rename every component schema ``X`` to ``XRenamed`` (except those a discriminator names implicitly)."""
    doc = copy.deepcopy(data)
    schemas = doc.get("components", {}).get("schemas", {})
    implicit = _implicitly_mapped(doc)
    names = {name: f"{name}Renamed" for name in schemas if name not in implicit}

    def rewrite(ref: str) -> str:
        if ref.startswith(LOCAL):
            name, slash, rest = ref[len(LOCAL) :].partition("/")
            if name in names:
                return LOCAL + names[name] + slash + rest
        return ref

    def walk(node: Json) -> Json:
        if isinstance(node, dict):
            out = {}
            for key, value in node.items():
                if key in DATA_KEYS:
                    out[key] = value
                elif key == "$ref" and isinstance(value, str):
                    out[key] = rewrite(value)
                elif key == "mapping" and isinstance(value, dict):
                    out[key] = {k: rewrite(v) if isinstance(v, str) else v for k, v in value.items()}
                else:
                    out[key] = walk(value)
            return out
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    doc = walk(doc)
    if schemas:
        doc["components"]["schemas"] = {names.get(k, k): v for k, v in doc["components"]["schemas"].items()}
    return doc


def _implicitly_mapped(doc: dict[str, Json]) -> set[str]:
    """Components a discriminator selects by their name: no `mapping` entry points at them.

    Those are `oneOf`/`anyOf` members of a discriminated schema, and the children that extend a discriminated
    parent with `allOf`; renaming them changes the values on the wire (a real change, not a rename).
    """
    schemas = doc.get("components", {}).get("schemas", {})
    found: set[str] = set()
    parents: set[str] = set()
    mapped: set[str] = set()
    stack: list[tuple[str | None, Json]] = [(name, schema) for name, schema in schemas.items()]
    stack.append((None, {k: v for k, v in doc.items() if k != "components"}))
    while stack:
        owner, node = stack.pop()
        if isinstance(node, dict):
            discriminator = node.get("discriminator")
            if isinstance(discriminator, dict):
                mapped |= {v for v in (discriminator.get("mapping") or {}).values() if isinstance(v, str)}
                members = [m for key in ("oneOf", "anyOf") for m in node.get(key) or []]
                found |= {m["$ref"][len(LOCAL) :] for m in members if isinstance(m, dict) and "$ref" in m}
                if not members and owner is not None:
                    parents.add(owner)
            stack.extend((owner, v) for k, v in node.items() if k not in DATA_KEYS)
        elif isinstance(node, list):
            stack.extend((owner, item) for item in node)
    for name, schema in schemas.items():
        members = schema.get("allOf") if isinstance(schema, dict) else None
        if any(isinstance(m, dict) and m.get("$ref") in {LOCAL + p for p in parents} for m in members or []):
            found.add(name)
    return {name for name in found if LOCAL + name not in mapped and name not in mapped}


TRANSFORMS: dict[str, Callable[[Tree], Tree]] = {
    "itself": lambda tree: tree,
    "reserialised": lambda tree: reserialised(tree, seed=7),
    "inline-to-components": lambda tree: with_root(tree, extracted(root_of(tree))),
    "components-to-inline": lambda tree: with_root(tree, inlined(root_of(tree))),
    "extracted-then-inlined": lambda tree: with_root(tree, inlined(extracted(root_of(tree)))),
    "components-renamed": lambda tree: with_root(tree, renamed(root_of(tree))),
}


def real_trees() -> list[object]:
    params: list[object] = []
    for name in COMPANY:
        params.append(pytest.param(("contracts", name), id=name))
    params.append(
        pytest.param(
            ("museum", ""),
            id="museum",
            marks=pytest.mark.skipif(not MUSEUM.exists(), reason=f"the shared corpus is not at {MUSEUM}"),
        )
    )
    return params


def tree_of(source: tuple[str, str]) -> Tree:
    kind, name = source
    if kind == "museum":
        return load_tree(MUSEUM.parent, MUSEUM.name)
    return load_tree(ROOT / "contracts", f"{name}/openapi.yaml", ("common",))


def render(findings: list[Finding]) -> list[str]:
    return [f"{f.location} {f.rule_id} [{f.operation}] {f.message}" for f in findings]


@pytest.mark.parametrize("transform", list(TRANSFORMS))
@pytest.mark.parametrize("source", real_trees())
def test_real_contract_unchanged(source: tuple[str, str], transform: str, tmp_path: Path) -> None:
    tree = tree_of(source)
    findings = diff_trees(tmp_path, tree, TRANSFORMS[transform](tree))
    assert render(findings) == []


def test_a_real_change_is_seen(tmp_path: Path) -> None:
    """Guard the guards: the same pipeline reports a removed path and a removed response property."""
    tree = tree_of(("contracts", "b2b-orders"))
    changed = copy.deepcopy(root_of(tree))
    del changed["paths"]["/orders/{order_id}/status-timeline"]
    order = changed["components"]["schemas"]["Order"]
    del order["properties"][order["required"].pop()]
    rules = {f.rule_id for f in diff_trees(tmp_path, tree, with_root(tree, changed))}
    assert {"api-path-removed", "response-required-property-removed"} <= rules


@pytest.mark.parametrize("source", real_trees())
def test_transformations_really_change_the_files(source: tuple[str, str]) -> None:
    """Guard the guards: each transformation must produce a different document for a real contract."""
    tree = tree_of(source)
    root = root_of(tree)
    assert extracted(root) != root
    assert inlined(root) != root
    assert renamed(root) != root
    assert reserialised(tree, seed=7) != tree


# --- generated contracts -------------------------------------------------------------------------------------
def scalars(version: str) -> st.SearchStrategy[dict[str, Json]]:
    string = st.fixed_dictionaries(
        {"type": st.just("string")},
        optional={
            "maxLength": st.integers(1, 50),
            "minLength": st.integers(0, 3),
            "pattern": st.sampled_from(["^[a-z]+$", "^[A-Z0-9-]+$"]),
            "format": st.sampled_from(["date", "uuid", "email"]),
            "enum": st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, max_size=3, unique=True),
            "readOnly": st.just(True),
            "x-extensible-enum": st.just(True),
        },
    )
    number = st.fixed_dictionaries(
        {"type": st.sampled_from(["integer", "number"])},
        optional={"minimum": st.integers(-5, 0), "maximum": st.integers(1, 100), "writeOnly": st.just(True)},
    )
    flag = st.just({"type": "boolean"})
    base = st.one_of(string, number, flag)

    def with_null(schema: dict[str, Json]) -> dict[str, Json]:
        if version == "3.0.3":
            return {**schema, "nullable": True}
        return {**schema, "type": [schema["type"], "null"]}

    return st.one_of(base, base.map(with_null))


def schemas(version: str) -> st.SearchStrategy[Json]:
    def extend(children: st.SearchStrategy[Json]) -> st.SearchStrategy[Json]:
        names = st.sampled_from(["id", "name", "qty", "tags", "kind", "note"])
        objects = st.dictionaries(names, children, min_size=1, max_size=4).flatmap(
            lambda props: st.fixed_dictionaries(
                {
                    "type": st.just("object"),
                    "properties": st.just(props),
                    "required": st.lists(st.sampled_from(sorted(props)), unique=True, max_size=len(props)),
                },
                optional={"additionalProperties": st.just(False)},
            )
        )
        arrays = st.fixed_dictionaries(
            {"type": st.just("array"), "items": children}, optional={"maxItems": st.integers(1, 9)}
        )
        choices = st.builds(
            lambda keyword, members: {keyword: members},
            st.sampled_from(["oneOf", "anyOf", "allOf"]),
            st.lists(children, min_size=1, max_size=3),
        )
        return st.one_of(objects, arrays, choices)

    return st.recursive(scalars(version), extend, max_leaves=8)


@st.composite
def contracts(draw: st.DrawFn) -> dict[str, Json]:
    version = draw(st.sampled_from(["3.0.3", "3.1.0"]))
    schema = schemas(version)
    return {
        "openapi": version,
        "info": {"title": "generated", "version": "1.0.0"},
        "paths": {
            "/things": {
                "post": {
                    "parameters": [{"name": "q", "in": "query", "schema": draw(schema)}],
                    "requestBody": {"required": True, "content": {"application/json": {"schema": draw(schema)}}},
                    "responses": {
                        "200": {"description": "ok", "content": {"application/json": {"schema": draw(schema)}}}
                    },
                }
            }
        },
    }


FAST = settings(max_examples=examples(25), deadline=None)


def single(data: dict[str, Json]) -> Tree:
    return {"openapi.yaml": data, "__root__": "openapi.yaml"}


@FAST
@given(contract=contracts(), transform=st.sampled_from(sorted(TRANSFORMS)))
def test_generated_contract_unchanged(
    contract: dict[str, Json], transform: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    tmp_path = tmp_path_factory.mktemp("generated")
    tree = single(contract)
    assert render(diff_trees(tmp_path, tree, TRANSFORMS[transform](tree))) == []


@FAST
@given(base=contracts(), revision=contracts())
def test_generated_pairs_never_crash(
    base: dict[str, Json], revision: dict[str, Json], tmp_path_factory: pytest.TempPathFactory
) -> None:
    revision = {**revision, "openapi": base["openapi"]}  # the same major version on both sides
    tmp_path = tmp_path_factory.mktemp("pair")
    for finding in diff_trees(tmp_path, single(base), single(revision)):
        assert finding.message[:1].islower() or finding.message.startswith("`"), finding.message
        assert not finding.message.endswith("."), finding.message
