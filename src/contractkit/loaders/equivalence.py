"""Whether two documents say the same thing, wherever their parts are written and whatever refs lead there.

A contract and its bundle (:mod:`contractkit.codegen.bundle`) are written differently: the bundle moved what
``common/money.yaml#/Money`` held to ``#/components/schemas/Money`` (maybe renamed ``CommonMoney``), copied
objects no ``components`` section holds to where they are used, and rewrote a discriminator's mapping. They say
the same thing, and the versioning policy must not ask for a new version for it.

Two documents are the same when their graphs, with every ``$ref`` followed, are: mappings with the same keys
and the same values, lists of the same values in the same order, equal scalars of the same JSON type (``1``
is not ``1.0`` nor ``true``). A ``$ref`` with siblings is its target with the siblings laid over it (what the
bundle writes for an object it copies); a discriminator's mapping compares the schemas its values name, not
their spelling. A ref that cannot be followed compares as written. Recursion is fine: the comparison assumes
a pair of nodes is the same while it checks it (a bisimulation), so each pair of nodes is visited once, and a
schema shared by a thousand places costs one visit, not a thousand.
"""

from __future__ import annotations

from dataclasses import dataclass

from contractkit.errors import UnresolvedRef
from contractkit.loaders.document import Document
from contractkit.loaders.source import SourceFile
from contractkit.loaders.types import JsonValue

__all__ = ["same_content"]


@dataclass(frozen=True, slots=True)
class _Node:
    """A node as written: its file, its place there, its value."""

    file: SourceFile
    parts: tuple[str, ...]
    value: JsonValue

    @property
    def key(self) -> tuple[str, tuple[str, ...]]:
        return (self.file.name, self.parts)


# A mapping's entries once refs are followed: key -> the node of its value.
_Entries = dict[str, _Node]
_EMPTY: JsonValue = {}


def same_content(base: Document, revision: Document) -> bool:
    """Return whether ``base`` and ``revision`` say the same thing, ``info.version`` left out.

    A component only one of them has counts only when nothing refers to it: a bundle's copies of shared
    schemas are components its refs reach, the same schemas the other document reaches from the same places.
    """
    return _Comparison(base, revision).run()


class _Comparison:
    def __init__(self, base: Document, revision: Document) -> None:
        self.docs = (base, revision)
        self._used: list[set[tuple[str, str]] | None] = [None, None]

    def run(self) -> bool:
        base, revision = self.docs
        pending: list[tuple[_Node, _Node, tuple[str, ...]]] = [
            (_Node(base.root, (), base.data), _Node(revision.root, (), revision.data), ())
        ]
        assumed: set[tuple[object, object]] = set()
        while pending:
            left, right, where = pending.pop()
            pair = (left.key, right.key)
            if pair in assumed:
                continue
            assumed.add(pair)
            children = self._compare(left, right, where)
            if children is None:
                return False
            pending.extend((a, b, (*where, key)) for key, a, b in children)
        return True

    def _compare(self, left: _Node, right: _Node, where: tuple[str, ...]) -> list[tuple[str, _Node, _Node]] | None:
        """Compare two nodes one level deep; return the pairs of children to compare, or ``None`` if they differ."""
        base, revision = self.docs
        a, b = _entries(base, left), _entries(revision, right)
        if a is not None or b is not None:
            if a is None or b is None:
                return None
            if where == ("info",):
                a.pop("version", None)
                b.pop("version", None)
            if where in ((), ("components",)):  # a missing `components` (or section) is an empty one
                for side, other, node in ((a, b, left), (b, a, right)):
                    for key in other.keys() - side.keys():
                        if key == "components" or where:
                            side[key] = _Node(node.file, (*node.parts, key), _EMPTY)
            if len(where) == 2 and where[0] == "components":
                for index, side, other in ((0, a, b), (1, b, a)):
                    extra = side.keys() - other.keys()
                    if not extra <= {name for section, name in self._used_components(index) if section == where[1]}:
                        return None
                    for name in extra:
                        del side[name]
            if a.keys() != b.keys():
                return None
            return [(key, a[key], b[key]) for key in a]
        ta, tb = _target(base, left), _target(revision, right)
        va, vb = ta.value, tb.value
        if isinstance(va, list) or isinstance(vb, list):
            if not (isinstance(va, list) and isinstance(vb, list)) or len(va) != len(vb):
                return None
            return [
                (str(i), _child(ta, str(i), x), _child(tb, str(i), y))
                for i, (x, y) in enumerate(zip(va, vb, strict=True))
            ]
        return [] if _same_scalar(va, vb) else None

    def _used_components(self, index: int) -> set[tuple[str, str]]:
        """Return the (section, name) of the root's components that a ``$ref`` of the document leads to."""
        used = self._used[index]
        if used is None:
            doc = self.docs[index]
            used = set()
            for file, at, ref in doc.refs():
                try:
                    target = doc.resolver.follow(file, (*at, "$ref"), ref)
                except UnresolvedRef:
                    continue
                if target.file is doc.root and len(target.parts) >= 3 and target.parts[0] == "components":
                    used.add((target.parts[1], target.parts[2]))
            self._used[index] = used
        return used


def _entries(doc: Document, node: _Node) -> _Entries | None:
    """Return a mapping node's entries, refs followed and siblings laid over their target; ``None``: not a mapping."""
    entries = _own_entries(doc, node, set())
    if entries is None:
        return None
    if node.parts[-2:] == ("discriminator", "mapping"):
        entries = {k: _mapped(doc, v) for k, v in entries.items()}
    return entries


def _own_entries(doc: Document, node: _Node, seen: set[tuple[str, tuple[str, ...]]]) -> _Entries | None:
    value = node.value
    if not isinstance(value, dict):
        return None
    entries = {k: _child(node, k, v) for k, v in value.items()}
    ref = value.get("$ref")
    target = _follow(doc, node) if isinstance(ref, str) and (node.file.name, node.parts) not in seen else None
    if target is None:
        return entries  # no ref, or one that cannot be followed: as written
    seen.add((node.file.name, node.parts))
    under = _own_entries(doc, target, seen)
    if under is None:  # a ref to a list or a scalar: the siblings of such a ref say nothing
        return None if len(value) == 1 else entries
    del entries["$ref"]
    return {**under, **entries}


def _follow(doc: Document, node: _Node) -> _Node | None:
    assert isinstance(node.value, dict)  # callers check
    try:
        found = doc.resolver.follow(node.file, (*node.parts, "$ref"), str(node.value["$ref"]))
    except UnresolvedRef:
        return None
    return _Node(found.file, found.parts, found.value)


def _target(doc: Document, node: _Node) -> _Node:
    """Return the node a ``{$ref: ...}`` leads to, through chains of refs (``node`` itself when it is no ref)."""
    current = node
    seen: set[tuple[str, tuple[str, ...]]] = set()
    while isinstance(current.value, dict) and isinstance(current.value.get("$ref"), str):
        where = (current.file.name, current.parts)
        if where in seen:
            return current  # a ref loop with nothing in between: compares as written
        seen.add(where)
        found = _follow(doc, current)
        if found is None:
            return current
        current = found
    return current


def _child(parent: _Node, key: str, value: JsonValue) -> _Node:
    return _Node(parent.file, (*parent.parts, key), value)


def _mapped(doc: Document, node: _Node) -> _Node:
    """Return the schema a discriminator mapping value names (a schema name or a reference), or the value itself."""
    value = node.value
    if not isinstance(value, str):
        return node
    ref = value if ("#" in value or "/" in value or "." in value) else f"#/components/schemas/{value}"
    file = node.file if ref is value else doc.root
    try:
        found = doc.resolver.follow(file, node.parts, ref)
    except UnresolvedRef:
        return node
    return _Node(found.file, found.parts, found.value)


def _same_scalar(a: JsonValue, b: JsonValue) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and isinstance(b, float) and a != a and b != b:  # NaN is itself
        return True
    return a == b
