"""Inline the external ``$ref``s of a document, keeping its local ones: one self-contained tree to validate.

Each object from another file is validated where it is used, by the schema of that place; local refs keep
their meaning (AsyncAPI 3.0 even requires some fields to *be* references). A cycle through external files
becomes ``{}`` at the point where it closes (the schema that would recurse accepts anything there).
"""

from __future__ import annotations

from contractkit.errors import UnresolvedRef
from contractkit.loaders.document import Document
from contractkit.loaders.pointer import to_pointer
from contractkit.loaders.source import SourceFile
from contractkit.loaders.types import JsonValue

_Key = tuple[str, tuple[str, ...]]


def inline_external(doc: Document) -> JsonValue:
    """Return the root file's data with every external ``$ref`` replaced by what it points to.

    Refs that cannot be followed are left as they are (:meth:`Document.ref_problems` reports them).
    """
    if len(doc.files()) == 1:
        return doc.root.data
    return Inliner(doc).walk(doc.root, doc.root.data, ())


class Inliner:
    """Inlines the external refs of any node of a document, each target once (refs into the root file stay local).

    A node of another file is inlined whole: its refs, local to that file, are external to the root.
    """

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self._memo: dict[_Key, JsonValue] = {}

    def walk(
        self, file: SourceFile, value: JsonValue, parts: tuple[str, ...], stack: frozenset[_Key] = frozenset()
    ) -> JsonValue:
        """Return ``value`` (at ``parts`` of ``file``) with every ref leaving the root file inlined."""
        doc = self.doc
        if isinstance(value, dict):
            ref = value.get("$ref")
            if isinstance(ref, str) and (file is not doc.root or ref.partition("#")[0]):
                try:
                    target = doc.resolver.follow(file, (*parts, "$ref"), ref)
                except UnresolvedRef:
                    return value
                if target.file is doc.root:
                    return {"$ref": "#" + to_pointer(target.parts)}
                key = (target.file.name, target.parts)
                if key in stack:
                    return {}
                if key not in self._memo:
                    self._memo[key] = self.walk(target.file, target.value, target.parts, stack | {key})
                return self._memo[key]
            return {k: self.walk(file, v, (*parts, k), stack) for k, v in value.items()}
        if isinstance(value, list):
            return [self.walk(file, v, (*parts, str(i)), stack) for i, v in enumerate(value)]
        return value
