"""AsyncAPI traits applied one way: every reader of a message or an operation sees the same merged object.

A message (or operation) lists ``traits``, each an object of the fields it may carry (a message trait: ``name``,
``headers``, ``correlationId``, ``contentType``, ``bindings``, ``examples``...; never ``payload``). Both major
versions merge them with JSON Merge Patch (RFC 7386), in the order they are listed; they differ in what is the
target and what the patches:

- **AsyncAPI 2.x** ("Traits MUST be merged into the message object using the JSON Merge Patch algorithm in the
  same order they are defined here"): the object is the target and each trait a patch applied on top, so a
  trait's field wins over the object's own, and a later trait over an earlier one (as ``@asyncapi/parser``'s
  ``applyTraitsV2``: ``value[key] = mergePatch(value[key], trait[key])``).
- **AsyncAPI 3.x** ("Traits Merge Mechanism": merged "in the same order they are defined. A property on a trait
  MUST NOT override the same property on the target object"): the traits are merged in order, then the object
  on top of them, so the object's own field wins, then the later of the traits (``applyTraitsV3``).

JSON Merge Patch is deep: two objects at the same place (two ``headers`` schemas, their ``properties``, a
``bindings.amqp``) are merged key by key, at any depth; anything else (a string, a number, a list: ``required``,
``enum``, ``tags``) is replaced whole by the layer that wins; a ``null`` in a patch removes the key. ``$ref``s are
followed before merging (each layer's in its own file).

Where a field is written matters to findings (file and line), so the merge is lazy and keeps places: a field
that one layer alone says is that layer's cursor, as written; only a field that two or more layers say as
objects becomes a :class:`MergedCursor`, located at the winning layer, whose children are again the one layer
that says them or a merge. (A ``$ref`` inside a merged object's value is relative to the file of the layer it
comes from; :func:`contractkit.spec.schemas.standalone_schema` reads it from the winning layer's file, so a
trait in another file that merges a schema with relative ``$ref``s into a message's is not supported.)
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from contractkit.loaders.document import Cursor
from contractkit.loaders.types import JsonValue

__all__ = ["MergedCursor", "Traited", "apply_traits", "merged_field"]

_ABSENT = object()
_MAX_DEPTH = 64  # two layers that recurse through $refs at the same place: merged this deep, then the winner


@dataclass(frozen=True, slots=True)
class Traited:
    """A message or operation object with its traits applied (JSON Merge Patch, see the module).

    Attributes:
        cursor: the object itself.
        order: the object and its traits, the one whose field wins first (2.x: the last trait first, the object
            last; 3.x: the object first, then the traits from the last).
    """

    cursor: Cursor
    order: tuple[Cursor, ...]

    def owner(self, name: str) -> Cursor | None:
        """Return the object or trait whose field ``name`` wins (``None``: none says it, or a patch removed it)."""
        found = _contributors(self.order, name)
        return found[0][0] if found else None

    def get(self, name: str) -> Cursor | None:
        """Return field ``name`` with the traits applied: the winning layer's cursor, or a :class:`MergedCursor`."""
        if len(self.order) == 1:
            return self.cursor.get(name)
        return merged_field(self.order, name)

    def raw(self, name: str) -> JsonValue | None:
        """Return the raw value of field ``name`` with the traits applied (a lone layer's ``$ref`` not followed)."""
        if len(self.order) == 1:
            return self.cursor.raw(name)
        found = _contributors(self.order, name)
        if not found:
            return None
        if len(found) == 1:
            return found[0][0].raw(name)
        return MergedCursor(tuple(child for _, child in found)).value

    def layers(self, name: str) -> Iterator[Cursor]:
        """Yield field ``name`` of every layer merged into the result, the winning one first."""
        for _, child in _contributors(self.order, name):
            yield child


class MergedCursor(Cursor):
    """Two or more objects at the same place of a message and its traits, merged (JSON Merge Patch).

    It reads as the winning layer's cursor (its ``file``, ``parts`` and ``location``); ``value`` is the merged
    object, and :meth:`get`/:meth:`items` return each child where it is written (or merged again).

    Attributes:
        layers: the merged objects, the winning one first.
    """

    __slots__ = ("depth", "layers")

    def __init__(self, layers: tuple[Cursor, ...], depth: int = 0) -> None:
        top = layers[0]
        self.layers = layers
        self.depth = depth
        super().__init__(top.doc, top.file, top.parts, None)
        value: dict[str, JsonValue] = {}
        for layer in reversed(layers):  # the target's keys first, in its order, as a merge patch keeps them
            for key in layer.value if isinstance(layer.value, dict) else ():
                if key not in value:
                    value[key] = None
        merged: dict[str, JsonValue] = {}
        for key in value:
            child = self.get(key)
            if child is not None:
                merged[key] = child.value
        self.value = merged

    @property
    def identity(self) -> tuple[str, tuple[str, ...]]:
        """Return an identity of its own: the merge is no node of any file."""
        return (self.file.name, (*self.parts, "+traits"))

    def get(self, key: str) -> Cursor | None:
        """Return child ``key`` of the merge: where one layer alone says it, else merged again."""
        if self.depth >= _MAX_DEPTH:
            return self.layers[0].get(key)
        return merged_field(self.layers, key, self.depth + 1)

    def items(self) -> Iterator[tuple[str, Cursor]]:
        """Yield (key, child) of the merged object."""
        for key in list(self.value) if isinstance(self.value, dict) else ():
            child = self.get(key)
            if child is not None:
                yield key, child

    def __repr__(self) -> str:
        return f"MergedCursor({', '.join(str(layer.location) for layer in self.layers)})"


def merged_field(order: Sequence[Cursor], name: str, depth: int = 0) -> Cursor | None:
    """Return field ``name`` of the objects ``order`` (the winning one first) merged by JSON Merge Patch."""
    found = _contributors(order, name)
    if not found:
        return None
    if len(found) == 1:
        return found[0][1]
    return MergedCursor(tuple(child for _, child in found), depth)


def _contributors(order: Sequence[Cursor], name: str) -> list[tuple[Cursor, Cursor]]:
    """Return (layer, its field ``name``) of the layers merged into the result, the winning one first.

    The winner is the first layer that says the field; the layers under it count while each says an object
    (merged into it) and no ``null`` (a patch removing the key) or non-object (replaced) comes between.
    """
    if len(order) == 1:  # no traits: the object's own field, as written (a null included)
        child = order[0].get(name)
        return [(order[0], child)] if child is not None else []
    found: list[tuple[Cursor, Cursor]] = []
    last = len(order) - 1
    for index, node in enumerate(order):
        raw = node.value.get(name, _ABSENT) if isinstance(node.value, dict) else _ABSENT
        if raw is _ABSENT:
            continue
        child = node.get(name)
        if raw is None:
            if not found and index == last and child is not None:
                found.append((node, child))  # a null in the target itself is its value; in a patch, a removal
            break
        if child is None:
            continue  # a broken $ref: validate reports it
        if found and not isinstance(child.value, dict):
            break  # an object above a non-object replaces it
        if any(child.identity == seen.identity for _, seen in found):
            continue  # the same node reached twice: nothing to merge
        found.append((node, child))
        if not isinstance(child.value, dict):
            break  # the winner is no object: it replaces everything under it
    return found


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
