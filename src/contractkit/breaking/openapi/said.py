"""What a schema comparison records: a change said relative to the pair of schemas that showed it.

A message names the changed place with :data:`AT`; the place is filled in when the change is reported, once per
operation place that reaches the pair (``items[].sku`` in the request body), and once as the named schema where
the change happened (``Order.items[].sku``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from contractkit.breaking.registry import AnyChangeRule
    from contractkit.loaders.document import Cursor

__all__ = ["AT", "NO_CYCLE", "Said", "place", "schema_place", "values_text"]

#: Where a message names the changed place: split there, the rest is said around the place.
AT = "\x00"
#: What a comparison that is part of no cycle returns as the depth of the cycle it hit (see ``SchemaDiff``).
NO_CYCLE = 1 << 30


@dataclass(frozen=True, slots=True)
class Said:
    """One change found by comparing two schemas, relative to the pair whose comparison found it.

    Attributes:
        rule: the rule.
        head: the message before the place it names.
        tail: the message after it.
        path: the place, from the pair compared: ``.name`` (a property), ``[]`` (the items), ``.*`` (a map's
            values), ``<Cat>`` (a variant).
        base: the node in the base (``None`` for an addition without counterpart).
        revision: the node in the revision.
        node: the node of the changed place (the revision's, or the base's when it is gone there): it names the
            change at the schema where it happened (see :func:`schema_place`).
        below: the place below ``node``, when the place has no node of its own (a required name without a
            property schema).
    """

    rule: AnyChangeRule
    head: str
    tail: str
    path: tuple[str, ...]
    base: Cursor | None
    revision: Cursor | None
    node: Cursor | None
    below: tuple[str, ...] = ()

    @classmethod
    def of(
        cls, rule: AnyChangeRule, message: str, base: Cursor | None, revision: Cursor | None, node: Cursor | None
    ) -> Said:
        """Return the change ``message`` (which names the place with :data:`AT`) at the pair itself."""
        head, _, tail = message.partition(AT)
        return cls(rule, head, tail, (), base, revision, node)

    def under(self, segment: str) -> Said:
        """Return this change as seen from the parent of the pair, which reaches the pair at ``segment``."""
        return replace(self, path=(segment, *self.path)) if segment else self

    def text(self, at: str) -> str:
        """Return the message with the place said as ``at``."""
        return self.head + at + self.tail


def place(path: tuple[str, ...]) -> str:
    """Return ``items[].sku`` for ``(".items", "[]", ".sku")``."""
    return "".join(path).removeprefix(".")


def schema_place(node: Cursor | None) -> str | None:
    """Return the place of ``node`` in the named schema that holds it (``Order.items[].sku``), or ``None``.

    A named schema is a component (``#/components/schemas/Order``; a parameter, header, response or request
    body component too), a ``$defs``/``definitions`` entry, or the root or a top-level entry of a file other
    than the contract's own (``common/money.yaml#/Money``). Inside it, ``properties`` are ``.name``, ``items``
    ``[]``, ``additionalProperties`` ``.*``, a `oneOf`/`anyOf` member ``<oneOf[1]>``; ``allOf`` members, the
    ``schema`` and ``content`` of a parameter, header or response, and an AsyncAPI message's ``payload`` are
    transparent.
    """
    if node is None:
        return None
    parts = node.parts
    if len(parts) >= 3 and parts[0] == "components":
        name, rest = parts[2], parts[3:]
    elif len(parts) >= 2 and parts[0] in ("$defs", "definitions"):
        name, rest = parts[1], parts[2:]
    elif node.file is not node.doc.root:
        # A file holds named schemas (`money.yaml#/Money`), or is one schema itself (`droplet.yml`).
        if parts and parts[0] not in _KEYWORDS:
            name, rest = parts[0], parts[1:]
        else:
            name, rest = node.file.path.stem, parts
    else:
        return None
    return name + "".join(_steps(rest))


# Keywords a schema file may start with: such a file is one schema, not a set of named ones.
_KEYWORDS = frozenset(
    {
        "properties",
        "patternProperties",
        "additionalProperties",
        "items",
        "allOf",
        "oneOf",
        "anyOf",
        "not",
        "type",
        "enum",
        "const",
        "required",
        "discriminator",
    }
)


def _steps(parts: tuple[str, ...]) -> list[str]:
    steps: list[str] = []
    index = 0
    while index < len(parts):
        part = parts[index]
        following = parts[index + 1] if index + 1 < len(parts) else None
        if part in ("properties", "patternProperties") and following is not None:
            steps.append(f".{following}")
            index += 2
        elif part in ("oneOf", "anyOf") and following is not None:
            steps.append(f"<{part}[{following}]>")
            index += 2
        elif part in ("allOf", "content") and following is not None:
            index += 2  # an `allOf` member, a media type: transparent
        elif part == "items":
            steps.append("[]")
            index += 1
        elif part == "additionalProperties":
            steps.append(".*")
            index += 1
        elif part in ("schema", "payload"):
            index += 1
        else:
            steps.append(f"/{part}")
            index += 1
    return steps


def values_text(values: list[object] | list[str] | None, limit: int = 5) -> str:
    """Return `` `"a"`, `"b"` and 3 more``: values as JSON in backticks, at most ``limit`` of them."""
    shown = [f"`{json.dumps(v)}`" for v in (values or [])[:limit]]
    more = len(values or []) - limit
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")
