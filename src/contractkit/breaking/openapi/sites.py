"""Where a schema is written: a 3.0 ``{$ref: X, nullable: true}`` makes the reference nullable at that place.

OpenAPI 3.0 ignores keywords beside a ``$ref``, yet every author who writes ``nullable: true`` there means a
nullable X (as ``allOf: [X]`` + ``nullable: true`` and 3.1's ``anyOf: [X, {type: 'null'}]`` say). The schema
reached through the reference is shared; the place is not, so the comparison of two schemas is told how each
is written only when that matters (one side writes such a reference), and shares its result otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

from contractkit.breaking.openapi.schema_view import SchemaView, ref_nullable
from contractkit.loaders.document import Cursor

__all__ = ["NO_SITES", "Sites", "Written", "schema_sites", "sites_of"]


@dataclass(frozen=True, slots=True)
class Written:
    """A schema as written at a place (its ``$ref`` not followed), and whether it makes the reference nullable."""

    cursor: Cursor
    nullable: bool


Sites = tuple[Written | None, Written | None]
NO_SITES: Sites = (None, None)


def schema_sites(old: Cursor, new: Cursor, key: str, openapi_30: tuple[bool, bool]) -> Sites:
    """Return how ``old[key]`` and ``new[key]`` are written, when one is a 3.0 ``{$ref: X, nullable: true}``."""
    raws = old.raw(key), new.raw(key)
    flags = [ref_nullable(raw, flag) for raw, flag in zip(raws, openapi_30, strict=True)]
    if not any(flags):
        return NO_SITES
    old_site, new_site = (
        Written(Cursor(holder.doc, holder.file, (*holder.parts, key), raw), flag)
        for holder, raw, flag in zip((old, new), raws, flags, strict=True)
    )
    return old_site, new_site


def sites_of(old: SchemaView, new: SchemaView, name: str) -> Sites:
    """Return how ``name`` (a property, ``[]`` or ``*``) is written, when one side writes a nullable reference.

    Otherwise the place adds nothing to the schemas it reaches, and ``NO_SITES`` lets every place that reaches
    them share one comparison.
    """
    if name not in old.nullable_sites and name not in new.nullable_sites:
        return NO_SITES
    return _site(old, name), _site(new, name)


def _site(schema: SchemaView, name: str) -> Written | None:
    if name in ("[]", "*"):
        key = "items" if name == "[]" else "additionalProperties"
        holder = _holder(schema.cursor, key)
        if holder is None:
            return None
        cursor = Cursor(holder.doc, holder.file, (*holder.parts, key), holder.raw(key))
    else:
        found = schema.sites.get(name)
        if found is None:
            return None
        cursor = found
    return Written(cursor, name in schema.nullable_sites)


def _holder(cursor: Cursor, key: str) -> Cursor | None:
    """Return ``cursor``, or the `allOf` member, that writes ``key`` (the place a `{$ref, nullable}` is written)."""
    if cursor.raw(key) is not None:
        return cursor
    members = cursor.get("allOf")
    for member in members.elements() if members is not None else ():
        found = _holder(member, key)
        if found is not None:
            return found
    return None
