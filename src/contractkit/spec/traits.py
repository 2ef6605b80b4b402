"""AsyncAPI traits applied one way: every reader of a message or an operation sees the same fields.

A message (or operation) lists ``traits``, each an object of the fields it may carry (a message trait: ``name``,
``headers``, ``correlationId``, ``contentType``, ``bindings``, ``examples``...; never ``payload``). The two major
versions merge them with opposite precedence:

- **AsyncAPI 2.x** merges each trait *into* the object with JSON Merge Patch, in the order listed: a trait's field
  wins over the object's own, and a later trait over an earlier one.
- **AsyncAPI 3.x** says a trait never overrides what the object says itself: the object's own field wins, then
  the later of the traits.

The merge is field by field, at the top level: the winning field is taken whole, where it is written (the trait
or the object), so a finding about it points at its own file and line. Two ``headers`` schemas are not merged
into one; a rule that wants every layer (the trace-header rule unions the header names of all of them) asks
:meth:`Traited.layers`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from contractkit.loaders.document import Cursor
from contractkit.loaders.types import JsonValue

__all__ = ["Traited", "apply_traits"]


@dataclass(frozen=True, slots=True)
class Traited:
    """A message or operation object with its traits applied, field by field.

    Attributes:
        cursor: the object itself.
        order: the object and its traits, the one whose field wins first.
    """

    cursor: Cursor
    order: tuple[Cursor, ...]

    def owner(self, name: str) -> Cursor | None:
        """Return the object or trait whose field ``name`` wins (``None``: neither says it)."""
        for node in self.order:
            if node.get(name) is not None:
                return node
        return None

    def get(self, name: str) -> Cursor | None:
        """Return field ``name`` with the traits applied, as a cursor at the place it is written."""
        for node in self.order:
            found = node.get(name)
            if found is not None:
                return found
        return None

    def raw(self, name: str) -> JsonValue | None:
        """Return the raw value of field ``name`` with the traits applied (``$ref``s not followed), or ``None``."""
        for node in self.order:
            value = node.raw(name)
            if value is not None:
                return value
        return None

    def layers(self, name: str) -> Iterator[Cursor]:
        """Yield field ``name`` of every layer that says it, the winning one first."""
        for node in self.order:
            found = node.get(name)
            if found is not None:
                yield found


def apply_traits(cursor: Cursor) -> Traited:
    """Return ``cursor`` (an AsyncAPI message or operation) with its ``traits`` applied, by its document's version."""
    declared = cursor.get("traits")
    traits = [t for t in declared.elements() if isinstance(t.value, dict)] if declared is not None else []
    if not traits:
        return Traited(cursor, (cursor,))
    traits.reverse()  # a later trait wins over an earlier one
    if cursor.doc.spec.version.startswith("2."):
        return Traited(cursor, (*traits, cursor))
    return Traited(cursor, (cursor, *traits))
