"""Bundling: a multi-file contract becomes one self-contained document.

Every ``$ref`` that leaves the root file is rewritten to a local one, and its target is copied once into the
``components`` section that holds its kind of object (a schema into ``components/schemas``, a parameter into
``components/parameters``, an AsyncAPI message into ``components/messages``...), under its own name (the
pointer's last segment: ``common/money.yaml#/Money`` becomes ``#/components/schemas/Money``). Local refs stay
as they are, so recursion survives: a recursive external schema becomes a recursive component.

Names never depend on the order of the walk. When two different targets want the same name, or a name the
root already uses, each of them is qualified by what is around it, nearest first (the pointer segments before
the name, then the file's stem, then its folders): ``CommonMoney``, ``ManufacturingOrderStatus``. A root
component that is only a ``$ref`` to an external object (``Problem: {$ref: ../common/problem.yaml#/Problem}``)
receives that object itself, and keeps its name.

A target that no ``components`` section can hold (a string, an operation, an OpenAPI 3.0 path item) is copied
in place instead, as :mod:`contractkit.loaders.inline` does.

Unlike :func:`contractkit.loaders.inline.inline_external` (which inlines every external ref, for validation),
the bundle keeps references, so it can be read by tools and by people as the contract it is.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from pathlib import Path, PurePosixPath
from typing import Literal

import yaml

from contractkit.codegen._shapes import ANY, DISCRIMINATOR, LITERAL, Holds, sections, shapes
from contractkit.errors import ContractInvalid, UnresolvedRef
from contractkit.loaders.document import Document, load_document
from contractkit.loaders.limits import Limits
from contractkit.loaders.pointer import escape, to_pointer
from contractkit.loaders.refs import Target
from contractkit.loaders.source import SourceFile
from contractkit.loaders.types import JsonObject, JsonValue
from contractkit.targets import find_catalog, resolve

BundleFormat = Literal["json", "yaml"]

_MAP_OF = "map-of:"
"""Prefix of the kind of a map of named objects (``map-of:schema`` for ``properties``); no section holds one."""

_Key = tuple[str, str, tuple[str, ...]]
"""A bundled target: (components section, file name, pointer tokens in that file)."""

# Pointer tokens that say where a node is, not what it is: a name ending in them takes the token before too.
_GENERIC = frozenset({"schema", "items", "payload", "headers", "content", "value", "additionalProperties", "not"})
# Pointer tokens that only group named things: never used to qualify a name.
_CONTAINERS = frozenset(
    {"components", "definitions", "$defs", "properties", "allOf", "anyOf", "oneOf", "paths", "channels", "webhooks"}
)


def bundle_document(doc: Document) -> JsonObject:
    """Return ``doc`` as one self-contained document: external refs moved into ``components``, local refs kept.

    Args:
        doc: a loaded contract (:func:`contractkit.loaders.document.load_document`).

    Returns:
        A new mapping (the document's own data is not changed), in the root file's key order, with the
        components it gained appended to their sections in name order.

    Raises:
        UnresolvedRef: a ``$ref`` of the document cannot be followed.
        ContractInvalid: the root's ``components`` is not a mapping, or a cycle runs through objects that
            no ``components`` section can hold.
    """
    problems = doc.ref_problems()
    if problems:
        raise problems[0]
    return _Bundler(doc).run()


def bundle_contract(
    argument: str,
    *,
    catalog: Path | None = None,
    root: Path | None = None,
    max_bytes: int | None = None,
    allow_remote_refs: bool = False,
) -> JsonObject:
    """Return the bundle of one contract, named by its catalog id, its file, or its folder.

    Args:
        argument: a contract id of the catalog, a contract file, or a folder holding exactly one catalog contract.
        catalog: the catalog file (default: found from the working directory).
        root: for a file outside the catalog, the folder its refs may not leave.
        max_bytes: override of the loader's size limit.
        allow_remote_refs: allow ``http(s)://`` refs.

    Raises:
        UsageError: the argument names more than one contract.
        InputError: the contract cannot be found, read, or its refs followed.
    """
    target = resolve(argument, find_catalog(catalog), root=root)
    limits = (target.catalog.limits if target.catalog is not None else Limits()).overridden(
        max_bytes=max_bytes, allow_remote=allow_remote_refs
    )
    return bundle_document(load_document(target.path, root_dir=target.root_dir, limits=limits))


def dump_bundle(data: JsonValue, format: BundleFormat = "json") -> str:
    """Return ``data`` as text: JSON indented by 2, or block-style YAML; in the mapping's order, newline-ended."""
    if format == "yaml":
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=120)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


class _Bundler:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.shapes = shapes(doc.spec.kind)
        self.sections = sections(doc.spec.kind, doc.spec.version)
        self.kind_of = {section: kind for kind, section in self.sections.items()}
        self.targets: dict[_Key, Target] = {}
        self.pending: list[_Key] = []
        self.patches: list[tuple[JsonObject, str, _Key]] = []
        self.inlining: set[tuple[str, tuple[str, ...]]] = set()
        # Objects no section holds are copied at each use: a chain of them can double the bundle at every
        # link (a 1 KB file became 131 MB). Written nodes, twice over, plus what the loader lets aliases add.
        self.written = sum(_count(file.data) for file in doc.files())
        self.budget = 2 * self.written + doc.resolver.store.limits.max_alias_nodes
        self.made = 0

    def run(self) -> JsonObject:
        root = self.doc.root
        if not isinstance(root.data, dict):  # pragma: no cover - detect_spec refuses other documents
            raise ContractInvalid("the document is not a mapping", location=root.location(()))
        components = root.data.get("components")
        if components is not None and not isinstance(components, dict):
            raise ContractInvalid(
                "`components` is not a mapping",
                title=f"cannot bundle `{root.name}`",
                location=root.location(("components",)),
                tip="make `components` a mapping of sections (`schemas`, `parameters`, ...).",
            )
        aliases = self._aliases(components or {})
        out = self._object(root, root.data, (), "root")
        contents: dict[_Key, JsonValue] = {}
        while self.pending:
            key = self.pending.pop()
            target = self.targets[key]
            contents[key] = self._walk(target.file, target.value, target.parts, self.kind_of[key[0]])
        names = self._names(aliases, components or {})
        for holder, slot, key in self.patches:
            holder[slot] = f"#/components/{key[0]}/{escape(names[key])}"
        if contents:
            self._place(out, contents, names)
        return out

    # -- walking ---------------------------------------------------------------------------------------------

    def _walk(self, file: SourceFile, value: JsonValue, parts: tuple[str, ...], kind: str) -> JsonValue:
        self.made += 1
        if self.made > self.budget:
            raise ContractInvalid(
                f"the bundle would hold more than {self.budget:,} nodes ({self.written:,} are written): objects that "
                "no `components` section can hold are copied at each `$ref` to them",
                title=f"cannot bundle `{self.doc.name}`",
                location=file.location(parts),
                tip="refer to such objects (extensions, operations, strings) from fewer places, or make them "
                "schemas under `components`.",
            )
        if isinstance(value, dict):
            if isinstance(value.get("$ref"), str):
                return self._ref(file, value, parts, kind)
            return self._object(file, value, parts, kind)
        if isinstance(value, list):
            return [self._walk(file, item, (*parts, str(i)), kind) for i, item in enumerate(value)]
        return value

    def _object(self, file: SourceFile, value: JsonObject, parts: tuple[str, ...], kind: str) -> JsonObject:
        if kind.startswith(_MAP_OF):  # a map of named objects that was itself a `$ref`
            return {name: self._walk(file, item, (*parts, name), kind[len(_MAP_OF) :]) for name, item in value.items()}
        shape = self.shapes.get(kind, {})
        out: JsonObject = {}
        for key, child in value.items():
            at = (*parts, key)
            if kind == "callback":  # every key of a callback is a runtime expression naming a path item
                out[key] = self._walk(file, child, at, "pathItem")
                continue
            if kind == LITERAL or key.startswith("x-"):
                out[key] = self._walk(file, child, at, LITERAL)
                continue
            if kind == DISCRIMINATOR and key == "mapping" and isinstance(child, dict):
                out[key] = self._mapping(file, child, at)
                continue
            holds, child_kind = shape.get(key, (Holds.ONE, ANY))
            if holds is Holds.MAP and isinstance(child, dict):
                out[key] = self._walk(file, child, at, _MAP_OF + child_kind)
            else:
                out[key] = self._walk(file, child, at, child_kind)
        return out

    def _ref(self, file: SourceFile, value: JsonObject, parts: tuple[str, ...], kind: str) -> JsonValue:
        ref = str(value["$ref"])
        siblings = self._object(file, {k: v for k, v in value.items() if k != "$ref"}, parts, kind)
        if file is self.doc.root and not ref.partition("#")[0]:
            return _with_ref(value, ref, siblings)
        target = self.doc.resolver.follow(file, (*parts, "$ref"), ref)
        if target.file is self.doc.root:
            return _with_ref(value, "#" + to_pointer(target.parts), siblings)
        section = self._section(kind, target)
        if section is None:
            inlined = self._inline(file, parts, ref, target, kind)
            if isinstance(inlined, dict):
                return {**inlined, **siblings}
            return inlined
        key = (section, target.file.name, target.parts)
        if key not in self.targets:
            self.targets[key] = target
            self.pending.append(key)
        out = _with_ref(value, "", siblings)
        self.patches.append((out, "$ref", key))
        return out

    def _inline(self, file: SourceFile, parts: tuple[str, ...], ref: str, target: Target, kind: str) -> JsonValue:
        identity = (target.file.name, target.parts)
        if identity in self.inlining:
            raise ContractInvalid(
                f"`$ref: {ref}` closes a cycle through {kind} objects, which no `components` section can hold",
                title=f"cannot bundle `{self.doc.name}`",
                location=file.location((*parts, "$ref")),
                tip="break the cycle, or make the recursive part a schema.",
            )
        self.inlining.add(identity)
        try:
            return self._walk(target.file, target.value, target.parts, kind)
        finally:
            self.inlining.discard(identity)

    def _mapping(self, file: SourceFile, mapping: JsonObject, parts: tuple[str, ...]) -> JsonObject:
        """Rewrite a discriminator's mapping: its values are schema names or references written as strings."""
        out: JsonObject = dict(mapping)
        for name, value in mapping.items():
            if not isinstance(value, str) or ("#" not in value and "/" not in value and "." not in value):
                continue  # a component name of the document: it means the same in the bundle
            if file is self.doc.root and value.startswith("#"):
                continue
            try:
                target = self.doc.resolver.follow(file, (*parts, name), value)
            except UnresolvedRef:
                continue  # validation reports it; the bundle keeps what was written
            if target.file is self.doc.root:
                out[name] = "#" + to_pointer(target.parts)
                continue
            key = ("schemas", target.file.name, target.parts)
            if key not in self.targets:
                self.targets[key] = target
                self.pending.append(key)
            self.patches.append((out, name, key))
        return out

    def _section(self, kind: str, target: Target) -> str | None:
        """Return the components section for a ref at a ``kind`` place, or None to inline the target."""
        if not isinstance(target.value, dict):
            return None
        section = self.sections.get(kind)
        if section is not None:
            return section
        if kind != ANY:
            return None  # an operation, a media type...: no section holds it
        parts = target.parts
        if len(parts) >= 3 and parts[-3] == "components" and parts[-2] in self.kind_of:
            return parts[-2]  # the target says what it is
        return "schemas"

    # -- naming and placing ----------------------------------------------------------------------------------

    def _aliases(self, components: JsonObject) -> dict[_Key, str]:
        """Return target -> root component name, for root components that are only a ref to an external object."""
        claims: dict[_Key, list[str]] = {}
        paths: dict[str, Path] = {}
        root = self.doc.root
        for section, entries in components.items():
            if section not in self.kind_of or not isinstance(entries, dict):
                continue
            for name, entry in entries.items():
                if not (isinstance(entry, dict) and len(entry) == 1 and isinstance(entry.get("$ref"), str)):
                    continue
                ref = str(entry["$ref"])
                if not ref.partition("#")[0]:
                    continue
                try:
                    target = self.doc.resolver.follow(root, ("components", section, name, "$ref"), ref)
                except UnresolvedRef:  # pragma: no cover - ref_problems() was empty
                    continue
                if target.file is not root and isinstance(target.value, dict):
                    claims.setdefault((section, target.file.name, target.parts), []).append(name)
                    paths[target.file.name] = target.file.path
        chosen = {}
        for key, names in claims.items():
            base = _candidates(self._relative(paths[key[1]]), key[2])[0]
            chosen[key] = base if base in names else min(names)
        return chosen

    def _names(self, aliases: dict[_Key, str], components: JsonObject) -> dict[_Key, str]:
        names = {key: name for key, name in aliases.items() if key in self.targets}
        by_section: dict[str, list[_Key]] = {}
        for key in self.targets:
            if key not in names:
                by_section.setdefault(key[0], []).append(key)
        for section, keys in by_section.items():
            entries = components.get(section)
            taken = set(entries) if isinstance(entries, dict) else set()
            taken |= {name for key, name in names.items() if key[0] == section}
            candidates = {key: _candidates(self._relative(self.targets[key].file.path), key[2]) for key in keys}
            levels = dict.fromkeys(keys, 0)
            while True:
                proposed = {key: candidates[key][levels[key]] for key in keys}
                counts = Counter(proposed.values())
                clashing = [key for key in keys if counts[proposed[key]] > 1 or proposed[key] in taken]
                movable = [key for key in clashing if levels[key] < len(candidates[key]) - 1]
                if not movable:
                    break
                for key in movable:
                    levels[key] += 1
            names.update(proposed)
        return names

    def _relative(self, path: Path) -> PurePosixPath:
        try:
            return PurePosixPath(path.relative_to(self.doc.resolver.root_dir).as_posix())
        except ValueError:  # a remote file
            return PurePosixPath(path.as_posix())

    def _place(self, out: JsonObject, contents: dict[_Key, JsonValue], names: dict[_Key, str]) -> None:
        components = out.setdefault("components", {})
        assert isinstance(components, dict)  # checked in run()
        new: dict[str, dict[str, JsonValue]] = {}
        for key, content in contents.items():
            new.setdefault(key[0], {})[names[key]] = content
        for section in self.shapes["components"]:
            if section not in new:
                continue
            entries = components.setdefault(section, {})
            assert isinstance(entries, dict)  # a section that is not a mapping never had aliases to replace
            for name in sorted(new[section]):
                entries[name] = new[section][name]


def _count(value: JsonValue) -> int:
    """Return how many nodes ``value`` has as written (a node the loader shares, from a YAML alias, once)."""
    seen: set[int] = set()
    stack = [value]
    count = 0
    while stack:
        node = stack.pop()
        count += 1
        if isinstance(node, dict | list):
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.extend(node.values() if isinstance(node, dict) else node)
    return count


def _with_ref(value: JsonObject, ref: str, siblings: JsonObject) -> JsonObject:
    """Return ``value`` with its ``$ref`` replaced by ``ref`` and its other keys by ``siblings``, in its order."""
    return {key: (ref if key == "$ref" else siblings[key]) for key in value}


def _candidates(path: PurePosixPath, parts: tuple[str, ...]) -> list[str]:
    """Return the names a target may take, plainest first; the last one is unique to the target."""
    end = len(parts) - 1
    while end > 0 and (parts[end].isdigit() or parts[end] in _GENERIC):
        end -= 1
    if parts:
        name = _clean(parts[end]) + "".join(_pascal(token) for token in parts[end + 1 :])
        qualifiers = [t for t in reversed(parts[:end]) if not t.isdigit() and t not in _CONTAINERS]
        qualifiers.append(path.stem)
    else:
        name, qualifiers = _clean(path.stem), []
    qualifiers += reversed(path.parent.parts)
    names = [name]
    prefix = ""
    seen = {_normal(name)}
    for qualifier in qualifiers:
        if _normal(qualifier) in seen or not _pascal(qualifier):
            continue
        seen.add(_normal(qualifier))
        prefix = _pascal(qualifier) + prefix
        names.append(prefix + name[:1].upper() + name[1:])
    digest = hashlib.sha256(f"{path.as_posix()}#{to_pointer(parts)}".encode()).hexdigest()[:8]
    names.append(f"{name}_{digest}")
    return names


def _clean(token: str) -> str:
    """Return ``token`` as a component name (letters, digits, ``.``, ``-``, ``_``)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", token).strip("_") or "Unnamed"


def _pascal(token: str) -> str:
    return "".join(word[:1].upper() + word[1:] for word in re.findall(r"[A-Za-z0-9]+", token))


def _normal(token: str) -> str:
    return re.sub(r"[^a-z0-9]", "", token.lower())
