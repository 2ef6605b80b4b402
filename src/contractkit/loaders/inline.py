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
    memo: dict[_Key, JsonValue] = {}

    def walk(file: SourceFile, value: JsonValue, parts: tuple[str, ...], stack: frozenset[_Key]) -> JsonValue:
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
                if key not in memo:
                    memo[key] = walk(target.file, target.value, target.parts, stack | {key})
                return memo[key]
            return {k: walk(file, v, (*parts, k), stack) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(file, v, (*parts, str(i)), stack) for i, v in enumerate(value)]
        return value

    return walk(doc.root, doc.root.data, (), frozenset())
