"""The one ``$ref`` flattener: a multi-file contract as one self-contained tree, by one walk in one of two modes.

:class:`Flattener` walks the document from the root file, and at every ``$ref`` one method decides
(:meth:`Flattener._ref`), the same way in both modes:

- a ref local to the root file stays as it is (recursion survives);
- a ref, in another file, into the root file becomes local (``#/components/schemas/Order``);
- a ref that cannot be followed stays as written (:meth:`Document.ref_problems` reports it;
  :func:`bundle_document` refuses such a document before it walks);
- a ref to another file is either **hoisted**: its target is walked once and moved into the ``components``
  section that holds its kind of object, under a name (:mod:`contractkit.spec._names`), and the ref becomes
  local; or **copied in place**: the ref is replaced by its walked target. Inlining
  (:func:`inline_external`) copies every target; bundling (:func:`bundle_document`) hoists what a section
  holds (the kind of each place is read from :mod:`contractkit.spec._shapes`) and copies the rest (a string,
  an operation, an OpenAPI 3.0 path item, an example value).

A cycle through copied targets closes at the ref that reaches a target being copied: inlining writes ``{}``
there (the schema that would recurse accepts anything), bundling refuses the document, as it cannot be written.

Inlining is for validation: each object from another file is validated where it is used, by the schema of that
place, and local refs keep their meaning (AsyncAPI 3.0 even requires some fields to *be* references); a target is
walked once and shared by every ref to it, a ref's siblings give way to its target. Bundling is for tools and
people: the document keeps its references and names (``contractkit bundle``, the fuzzer, ``package``), each copy
is its own, a ref's siblings are kept, and discriminator ``mapping`` values that point to other files are rewritten
to the components they became.
"""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

from contractkit.errors import ContractInvalid, UnresolvedRef
from contractkit.loaders.document import Document
from contractkit.loaders.pointer import escape, to_pointer
from contractkit.loaders.refs import Target
from contractkit.loaders.source import SourceFile
from contractkit.loaders.types import JsonObject, JsonValue
from contractkit.spec._names import Key, candidates, component_names, relative
from contractkit.spec._shapes import ANY, DISCRIMINATOR, LITERAL, Holds, sections, shapes

_MAP_OF = "map-of:"
"""Prefix of the kind of a map of named objects (``map-of:schema`` for ``properties``); no section holds one."""

_Identity = tuple[str, tuple[str, ...]]
"""A target: (file name, pointer tokens in that file)."""


def inline_external(doc: Document) -> JsonValue:
    """Return the root file's data with every external ``$ref`` replaced by what it points to; local refs kept.

    Refs that cannot be followed are left as they are (:meth:`Document.ref_problems` reports them).
    """
    if len(doc.files()) == 1:
        return doc.root.data
    return Flattener(doc).walk(doc.root, doc.root.data, ())


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
    return Flattener(doc, hoist=True).bundle()


class Flattener:
    """The one walk over the refs that leave the root file of a document (see the module's docstring).

    Args:
        doc: the document.
        hoist: bundle (hoist into ``components`` what a section holds) instead of inlining every target.
    """

    def __init__(self, doc: Document, *, hoist: bool = False) -> None:
        self.doc = doc
        self.root = doc.root
        self.hoist = hoist
        self._memo: dict[_Identity, JsonValue] = {}
        self._copying: set[_Identity] = set()
        if not hoist:
            return
        self.shapes = shapes(doc.spec.kind)
        self.sections = sections(doc.spec.kind, doc.spec.version)
        self.kind_of = {section: kind for kind, section in self.sections.items()}
        self.targets: dict[Key, Target] = {}
        self.pending: list[Key] = []
        self.patches: list[tuple[JsonObject, str, Key]] = []
        # Objects no section holds are copied at each use: a chain of them can double the bundle at every
        # link (a 1 KB file became 131 MB). Written nodes, twice over, plus what the loader lets aliases add.
        self.written = sum(_count(file.data) for file in doc.files())
        self.budget = 2 * self.written + doc.resolver.store.limits.max_alias_nodes
        self.made = 0

    def walk(self, file: SourceFile, value: JsonValue, parts: tuple[str, ...], kind: str = ANY) -> JsonValue:
        """Return ``value`` (at ``parts`` of ``file``, a ``kind`` of object), every ref leaving the root flattened."""
        if self.hoist:
            self.made += 1
            if self.made > self.budget:
                self._over_budget(file, parts)
        if isinstance(value, dict):
            ref = value.get("$ref")
            if isinstance(ref, str):
                return self._ref(file, value, parts, kind, ref)
            if self.hoist:
                return self._object(file, value, parts, kind)
            return {key: self.walk(file, child, (*parts, key)) for key, child in value.items()}
        if isinstance(value, list):
            return [self.walk(file, item, (*parts, str(i)), kind) for i, item in enumerate(value)]
        return value

    def bundle(self) -> JsonObject:
        """Return the document bundled: walk it, then each hoisted target once, then name and place them."""
        root = self.root
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
        contents: dict[Key, JsonValue] = {}
        while self.pending:
            key = self.pending.pop()
            target = self.targets[key]
            contents[key] = self.walk(target.file, target.value, target.parts, self.kind_of[key[0]])
        root_dir = self.doc.resolver.root_dir
        paths = {key: relative(target.file.path, root_dir) for key, target in self.targets.items()}
        names = component_names(paths, aliases, components or {})
        for holder, slot, key in self.patches:
            holder[slot] = f"#/components/{key[0]}/{escape(names[key])}"
        if contents:
            self._place(out, contents, names)
        return out

    # -- the one decision at a ref ---------------------------------------------------------------------------

    def _ref(self, file: SourceFile, value: JsonObject, parts: tuple[str, ...], kind: str, ref: str) -> JsonValue:
        local = file is self.root and not ref.partition("#")[0]
        if local and len(value) == 1:  # the common case, kept fast: the loader/validate path inlines every document
            return {"$ref": ref}
        # A bundle keeps a ref's siblings; inlining replaces the whole reference object by its target.
        siblings = self._object(file, _siblings(value), parts, kind) if local or self.hoist else {}
        if local:
            return _with_ref(value, ref, siblings)
        try:
            target = self.doc.resolver.follow(file, (*parts, "$ref"), ref)
        except UnresolvedRef:
            if self.hoist:  # pragma: no cover - bundle_document refused the document's ref problems
                raise
            return value
        if target.file is self.root:
            pointer = "#" + to_pointer(target.parts)
            return _with_ref(value, pointer, siblings) if self.hoist else {"$ref": pointer}
        section = self._section(kind, target) if self.hoist else None
        if section is not None:
            key = (section, target.file.name, target.parts)
            if key not in self.targets:
                self.targets[key] = target
                self.pending.append(key)
            out = _with_ref(value, "", siblings)
            self.patches.append((out, "$ref", key))
            return out
        copied = self._copy(file, parts, ref, target, kind)
        if self.hoist and isinstance(copied, dict):
            return {**copied, **siblings}
        return copied

    def _copy(self, file: SourceFile, parts: tuple[str, ...], ref: str, target: Target, kind: str) -> JsonValue:
        """Return ``target`` walked, to stand in place of the ref at ``parts`` of ``file``."""
        identity = (target.file.name, target.parts)
        if identity in self._copying:
            if not self.hoist:
                return {}
            raise ContractInvalid(
                f"`$ref: {ref}` closes a cycle through {kind} objects, which no `components` section can hold",
                title=f"cannot bundle `{self.doc.name}`",
                location=file.location((*parts, "$ref")),
                tip="break the cycle, or make the recursive part a schema.",
            )
        if not self.hoist and identity in self._memo:
            return self._memo[identity]
        self._copying.add(identity)
        try:
            copied = self.walk(target.file, target.value, target.parts, kind)
        finally:
            self._copying.discard(identity)
        if not self.hoist:
            self._memo[identity] = copied
        return copied

    def _section(self, kind: str, target: Target) -> str | None:
        """Return the components section for a ref at a ``kind`` place, or None to copy the target in place."""
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

    # -- hoisting: kinds, mappings, the size budget, aliases, placing -----------------------------------------

    def _object(self, file: SourceFile, value: JsonObject, parts: tuple[str, ...], kind: str) -> JsonObject:
        if not self.hoist:
            return {key: self.walk(file, child, (*parts, key)) for key, child in value.items()}
        if kind.startswith(_MAP_OF):  # a map of named objects that was itself a `$ref`
            return {name: self.walk(file, item, (*parts, name), kind[len(_MAP_OF) :]) for name, item in value.items()}
        shape = self.shapes.get(kind, {})
        out: JsonObject = {}
        for key, child in value.items():
            at = (*parts, key)
            if kind == "callback":  # every key of a callback is a runtime expression naming a path item
                out[key] = self.walk(file, child, at, "pathItem")
                continue
            if kind == LITERAL or key.startswith("x-"):
                out[key] = self.walk(file, child, at, LITERAL)
                continue
            if kind == DISCRIMINATOR and key == "mapping" and isinstance(child, dict):
                out[key] = self._mapping(file, child, at)
                continue
            holds, child_kind = shape.get(key, (Holds.ONE, ANY))
            if holds is Holds.MAP and isinstance(child, dict):
                out[key] = self.walk(file, child, at, _MAP_OF + child_kind)
            else:
                out[key] = self.walk(file, child, at, child_kind)
        return out

    def _mapping(self, file: SourceFile, mapping: JsonObject, parts: tuple[str, ...]) -> JsonObject:
        """Rewrite a discriminator's mapping: its values are schema names or references written as strings."""
        out: JsonObject = dict(mapping)
        for name, value in mapping.items():
            if not isinstance(value, str) or ("#" not in value and "/" not in value and "." not in value):
                continue  # a component name of the document: it means the same in the bundle
            if file is self.root and value.startswith("#"):
                continue
            try:
                target = self.doc.resolver.follow(file, (*parts, name), value)
            except UnresolvedRef:
                continue  # validation reports it; the bundle keeps what was written
            if target.file is self.root:
                out[name] = "#" + to_pointer(target.parts)
                continue
            key = ("schemas", target.file.name, target.parts)
            if key not in self.targets:
                self.targets[key] = target
                self.pending.append(key)
            self.patches.append((out, name, key))
        return out

    def _over_budget(self, file: SourceFile, parts: tuple[str, ...]) -> NoReturn:
        raise ContractInvalid(
            f"the bundle would hold more than {self.budget:,} nodes ({self.written:,} are written): objects that "
            "no `components` section can hold are copied at each `$ref` to them",
            title=f"cannot bundle `{self.doc.name}`",
            location=file.location(parts),
            tip="refer to such objects (extensions, operations, strings) from fewer places, or make them "
            "schemas under `components`.",
        )

    def _aliases(self, components: JsonObject) -> dict[Key, str]:
        """Return target -> root component name, for root components that are only a ref to an external object.

        Such a component receives the object itself, and keeps its name
        (``Problem: {$ref: ../common/problem.yaml#/Problem}``).
        """
        claims: dict[Key, list[str]] = {}
        paths: dict[str, Path] = {}
        root = self.root
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
        root_dir = self.doc.resolver.root_dir
        for key, names in claims.items():
            base = candidates(relative(paths[key[1]], root_dir), key[2])[0]
            chosen[key] = base if base in names else min(names)
        return chosen

    def _place(self, out: JsonObject, contents: dict[Key, JsonValue], names: dict[Key, str]) -> None:
        components = out.setdefault("components", {})
        assert isinstance(components, dict)  # checked in bundle()
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


def _siblings(value: JsonObject) -> JsonObject:
    return {key: child for key, child in value.items() if key != "$ref"}


def _with_ref(value: JsonObject, ref: str, siblings: JsonObject) -> JsonObject:
    """Return ``value`` with its ``$ref`` replaced by ``ref`` and its other keys by ``siblings``, in its order."""
    return {key: (ref if key == "$ref" else siblings[key]) for key in value}
