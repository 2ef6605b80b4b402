"""One schema of a document as a standalone JSON Schema: every ``$ref`` it reaches moved into ``$defs``.

A message payload is a subtree of a contract whose refs point anywhere in the document or into shared files
(``../common/trace-headers.yaml#/MessageHeaders``). A compiled validator wants one self-contained schema: each
ref target is copied once under ``$defs`` (named after the pointer's last token, made unique) and the ref
becomes ``#/$defs/<name>``, so recursion survives and nothing is resolved per message. The siblings of a ``$ref``
are dropped, as draft-07 (AsyncAPI's schema dialect) says; :mod:`contractkit.spec.normalise` then makes the result
JSON Schema 2020-12.

A ref that cannot be followed is an error here, never an "accept anything": a validator must not fail open.
"""

from __future__ import annotations

from typing import Any

from contractkit.errors import UnresolvedRef
from contractkit.loaders.document import Cursor
from contractkit.loaders.pointer import escape
from contractkit.loaders.source import SourceFile
from contractkit.loaders.types import JsonValue

_Key = tuple[str, tuple[str, ...]]


def standalone_schema(cursor: Cursor) -> dict[str, Any]:
    """Return the schema at ``cursor`` with every ref it reaches in ``$defs`` (a boolean schema is wrapped).

    Raises:
        UnresolvedRef: a ref in the schema cannot be followed.
    """
    builder = _Builder(cursor)
    body = builder.copy(cursor.file, cursor.parts, cursor.value)
    schema: dict[str, Any] = body if isinstance(body, dict) else {"allOf": [body]}
    if builder.defs:
        schema = {**schema, "$defs": {**builder.defs, **schema.get("$defs", {})}}
    return schema


class _Builder:
    def __init__(self, cursor: Cursor) -> None:
        self.doc = cursor.doc
        self.defs: dict[str, Any] = {}
        self.names: dict[_Key, str] = {}

    def copy(self, file: SourceFile, parts: tuple[str, ...], value: JsonValue) -> Any:
        if isinstance(value, dict):
            ref = value.get("$ref")
            if isinstance(ref, str):
                return self._ref(file, parts, ref, value)
            return {k: self.copy(file, (*parts, k), v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.copy(file, (*parts, str(i)), v) for i, v in enumerate(value)]
        return value

    def _ref(self, file: SourceFile, parts: tuple[str, ...], ref: str, value: dict[str, JsonValue]) -> Any:
        target = self.doc.resolver.follow(file, (*parts, "$ref"), ref)  # raises UnresolvedRef
        key = (target.file.name, target.parts)
        name = self.names.get(key)
        if name is None:
            base = target.parts[-1] if target.parts else "root"
            name = base
            counter = 2
            while name in self.defs:
                name = f"{base}{counter}"
                counter += 1
            self.names[key] = name
            self.defs[name] = True  # placeholder: a cycle that comes back here gets the pointer
            self.defs[name] = self.copy(target.file, target.parts, target.value)
        # AsyncAPI's schemas are draft-07, which ignores the siblings of a `$ref` (as lint's example check does).
        return {"$ref": f"#/$defs/{escape(name)}"}


__all__ = ["UnresolvedRef", "standalone_schema"]
