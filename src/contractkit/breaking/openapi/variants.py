"""Pairing the `oneOf`/`anyOf` variants of two versions of a schema, and reading discriminator values.

A variant keeps its identity across versions when it is the same component, the same shape
(an inline schema moved to `components`, or a component renamed), the same title, the only variant of its
type, or, as a last resort, at the same position among the variants left over.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from contractkit.breaking.openapi.schema_view import SchemaView
from contractkit.errors import UnresolvedRef
from contractkit.loaders.document import Cursor

Identity = tuple[str, tuple[str, ...]]
Pairs = list[tuple[int, Cursor, Cursor]]


def match_variants(old: list[Cursor], new: list[Cursor]) -> tuple[Pairs, list[int], list[int]]:
    """Pair the variants of ``old`` with those of ``new``.

    Returns:
        The pairs (index in ``old``, old variant, new variant), the indexes of ``old`` variants that have no
        counterpart (removed) and those of ``new`` (added).
    """
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    shapes_old = [shape(v) for v in old]
    shapes_new = [shape(v) for v in new]
    # (Never by pointer: the two versions may have the same file names, and an inline variant at `oneOf/0`
    # may be another schema after a reordering.)
    tests: list[Callable[[int, int], bool]] = [
        lambda i, j: is_component(old[i]) and is_component(new[j]) and old[i].key == new[j].key,
        lambda i, j: shapes_old[i] == shapes_new[j],
        lambda i, j: bool(_title(old[i])) and _title(old[i]) == _title(new[j]),
    ]
    for test in tests:
        for i in range(len(old)):
            if i in pairs:
                continue
            j = next((j for j in range(len(new)) if j not in taken and test(i, j)), None)
            if j is not None:
                pairs[i] = j
                taken.add(j)
    # Inline variants have no name to follow: pair what is left by type, then by position. Two components
    # of different names and shapes are different variants (one removed, one added).
    named = [i for i in range(len(old)) if i not in pairs and is_component(old[i])]
    left_old = [i for i in range(len(old)) if i not in pairs and not is_component(old[i])]
    left_new = [j for j in range(len(new)) if j not in taken]
    for i in list(left_old):
        kind = _type(old[i])
        same_old = [k for k in left_old if _type(old[k]) == kind]
        same_new = [j for j in left_new if _type(new[j]) == kind]
        if kind is not None and len(same_old) == 1 and len(same_new) == 1:
            pairs[i] = same_new[0]
            left_old.remove(i)
            left_new.remove(same_new[0])
    if left_old and len(left_old) == len(left_new):
        pairs.update(zip(left_old, left_new, strict=True))
        left_old, left_new = [], []
    left_old = sorted(left_old + named)
    ordered = [(i, old[i], new[pairs[i]]) for i in sorted(pairs)]
    return ordered, left_old, left_new


def discriminator_values(schema: SchemaView) -> dict[Identity, set[str]]:
    """Return, for each variant of a discriminated `oneOf`/`anyOf`, the discriminator values that select it.

    A value comes from the explicit ``mapping``, or, for a component variant that no mapping entry targets,
    is the component's name (the implicit mapping of the specification).
    """
    if schema.discriminator is None:
        return {}
    result: dict[Identity, set[str]] = {}
    for value, target in mapping_targets(schema).items():
        result.setdefault(target.identity, set()).add(value)
    for variant in schema.variants:
        if variant.identity not in result and is_component(variant):
            result[variant.identity] = {variant.key}
    return result


def mapping_targets(schema: SchemaView) -> dict[str, Cursor]:
    """Return the schemas the discriminator ``mapping`` of ``schema`` selects, by value (broken refs left out)."""
    cursor = schema.cursor
    result = {}
    for value, ref in schema.mapping.items():
        address = ref if "#" in ref or "/" in ref or "." in ref else f"#/components/schemas/{ref}"
        try:
            at = (*cursor.parts, "discriminator", "mapping", value)
            target = cursor.doc.resolver.follow(cursor.file, at, address)
        except UnresolvedRef:
            continue
        result[value] = Cursor(cursor.doc, target.file, target.parts, target.value)
    return result


def is_component(cursor: Cursor) -> bool:
    """Return whether ``cursor`` is a schema of ``components`` (the key is then its name)."""
    return len(cursor.parts) == 3 and cursor.parts[0] == "components"


def variant_name(variant: Cursor, keyword: str, index: int) -> str:
    """Return how messages name a variant: its component name, its title, or ``oneOf[1]``."""
    if is_component(variant):
        return f"`{variant.key}`"
    title = _title(variant)
    return f"`{title}`" if title else f"`{keyword}[{index}]`"


def _title(cursor: Cursor) -> str | None:
    title = cursor.value.get("title") if isinstance(cursor.value, dict) else None
    return title if isinstance(title, str) else None


def _type(cursor: Cursor) -> str | None:
    declared = cursor.value.get("type") if isinstance(cursor.value, dict) else None
    return json.dumps(declared, sort_keys=True) if declared is not None else None


_NAMED = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"})
_IGNORED = frozenset(
    {"description", "summary", "title", "example", "examples", "externalDocs", "deprecated", "$comment", "xml"}
)


def shape(cursor: Cursor, depth: int = 6) -> str:
    """Return a canonical text of the schema's meaning (refs followed, docs dropped, keys sorted)."""

    def walk(node: Cursor, level: int, stack: frozenset[object], names: bool = False) -> object:
        value = node.value
        if node.identity in stack or level > depth:
            return "<recursion>"
        inner = stack | {node.identity}
        if isinstance(value, dict) and isinstance(value.get("propertyName"), str):
            # A discriminator: its mapping's refs name the same schema however they are written (a bundled
            # `#/components/schemas/Pet` is the source's `pets.yaml#/Pet`).
            mapping = value.get("mapping")
            targets = {k: str(v).rsplit("/", 1)[-1] for k, v in mapping.items()} if isinstance(mapping, dict) else {}
            return {"propertyName": value["propertyName"], "mapping": targets}
        if isinstance(value, dict):
            # The keys of `properties` (and the like) are names, not keywords: keep them all.
            return {
                k: walk(child, level + 1, inner, k in _NAMED and not names)
                for k, child in sorted(node.items())
                if names or (k not in _IGNORED and not k.startswith("x-"))
            }
        if isinstance(value, list):
            return [walk(child, level + 1, inner) for child in node.elements()]
        return value

    return json.dumps(walk(cursor, 0, frozenset()), sort_keys=True, default=str)
