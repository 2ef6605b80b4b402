"""Comparing two schemas in a direction: what a request may no longer carry, what a response may now carry.

A comparison of two schemas is done once per run, however many operations reach them: its changes are kept
as :class:`Said` records, relative to the pair compared, and replayed under each place that reaches the pair
(a body, a parameter, a header). Each change also names the schema where it happened (``Order.status``), so
the findings of every operation a shared schema reaches read as one change (``Finding.change``).

This module is the walk over two schemas; each concept is compared, and its rules declared, in a module of its
own: types and `null` in ``value_types.py``, `enum` in ``enums.py``, bounds, `pattern` and `format` in
``constraints.py``, properties and open or closed objects in ``properties.py``, `oneOf`/`anyOf` in ``unions.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from contractkit.breaking.context import DiffContext
from contractkit.breaking.openapi.constraints import compare_bounds, compare_pattern_and_format
from contractkit.breaking.openapi.enums import compare_enum
from contractkit.breaking.openapi.properties import compare_properties
from contractkit.breaking.openapi.said import NO_CYCLE, Said, place, schema_place
from contractkit.breaking.openapi.schema_view import SchemaView, view
from contractkit.breaking.openapi.sites import NO_SITES, Sites, schema_sites, sites_of
from contractkit.breaking.openapi.unions import compare_variants
from contractkit.breaking.openapi.value_types import compare_nullable, compare_types
from contractkit.breaking.registry import AnyChangeRule
from contractkit.kinds import SpecKind
from contractkit.loaders.document import Cursor

REQUEST, RESPONSE = "request", "response"

__all__ = ["REQUEST", "RESPONSE", "SchemaDiff"]

Identity = tuple[str, tuple[str, ...]]


@dataclass(slots=True)
class SchemaDiff:
    """Compares the schemas of one operation place (a body, a parameter, a header) recursively.

    Within one place a change is reported once, at the first path that reaches it (a recursive schema, or a
    component used at several depths).

    Attributes:
        ctx: where changes are reported (and where compared pairs are remembered for the whole run).
        direction: ``request`` (clients write it) or ``response`` (clients read it).
        operation: the operation label, for ``Finding.operation``.
        where: the place, as messages show it (``request body `application/json```).
        textual: the value travels as text (a parameter with a `schema`): a request `string` accepts whatever
            an `integer`, `number` or `boolean` did, so that change widens.
        renames: rule id -> the rule to report instead (AsyncAPI reports these rules under its own names).
        openapi_30: read schemas with OpenAPI 3.0 semantics (`nullable`, boolean exclusive bounds); ``None``:
            when the document is OpenAPI 3.0.
    """

    ctx: DiffContext
    direction: str
    operation: str
    where: str
    textual: bool = False
    renames: Mapping[str, AnyChangeRule] = field(default_factory=dict)
    openapi_30: bool | None = None
    _frames: list[tuple[list[Said], Cursor]] = field(default_factory=list)
    _stack: dict[tuple[object, ...], int] = field(default_factory=dict)

    def compare(self, base: Cursor, revision: Cursor, *, sites: Sites = NO_SITES) -> None:
        """Report every change between the ``base`` and ``revision`` schemas of the place.

        ``sites`` are the schemas as written, when one of them is a 3.0 ``{$ref: X, nullable: true}`` (see
        :func:`schema_sites`): the reference is then nullable at this place.
        """
        found, _ = self._pair(base, revision, root=True, check_null=True, sites=sites)
        # The same change reached again by another path of the place is reported once, at its shortest path.
        kept: dict[tuple[object, ...], Said] = {}
        for said in found:
            key = (said.rule.id, _identity(said.base), _identity(said.revision), said.head, said.tail)
            if key not in kept or len(said.path) < len(kept[key].path):
                kept[key] = said
        for said in kept.values():
            rule = self.renames.get(said.rule.id, said.rule)
            message = said.text(self._at(place(said.path)))
            named = schema_place(said.node)
            change = said.text(f"`{named}{''.join(said.below)}`") if named is not None else None
            self.ctx.report(
                rule, message, base=said.base, revision=said.revision, operation=self.operation, change=change
            )

    def compare_at(self, old: Cursor, new: Cursor, key: str = "schema") -> None:
        """Compare the schemas ``old[key]`` and ``new[key]`` (a media type's, a parameter's), when both exist."""
        base, revision = old.get(key), new.get(key)
        if base is not None and revision is not None:
            sites = schema_sites(old, new, key, (self._openapi_30(old), self._openapi_30(new)))
            self.compare(base, revision, sites=sites)

    def _openapi_30(self, cursor: Cursor) -> bool:
        if self.openapi_30 is not None:
            return self.openapi_30
        return cursor.doc.spec.kind is SpecKind.OPENAPI and cursor.doc.spec.major_minor == "3.0"

    # --- the pair: compared once per run -------------------------------------------------------------
    def _pair(
        self,
        base: Cursor,
        revision: Cursor,
        *,
        root: bool = False,
        check_null: bool = True,
        sites: Sites = NO_SITES,
    ) -> tuple[tuple[Said, ...], int]:
        """Return the changes between two schemas (relative to them) and the depth of a cycle they are part of.

        The result is remembered for the run unless it depends on a pair still being compared further up (a
        recursive schema): then it is incomplete seen from anywhere else.
        """
        key = (
            "pair",
            id(base.doc),
            base.identity,
            id(revision.doc),
            revision.identity,
            self.direction,
            self.openapi_30,
            self.textual and root,
            check_null,
            tuple((_identity(site.cursor), site.nullable) if site is not None else None for site in sites),
        )
        remembered = self.ctx.cache.get(key)
        if isinstance(remembered, tuple):
            return remembered, NO_CYCLE
        depth = self._stack.get(key)
        if depth is not None:
            return (), depth  # recursion: this pair is being compared further up
        depth = self._stack[key] = len(self._stack)
        self._frames.append(([], revision))
        lowest = NO_CYCLE
        try:
            lowest = self._check(self.view(base), self.view(revision), root, check_null, sites)
        finally:
            found = self._frames.pop()[0]
            del self._stack[key]
        result = tuple(found)
        if lowest >= depth:
            self.ctx.cache[key] = result
            return result, NO_CYCLE
        return result, lowest

    def _child(
        self,
        base: Cursor,
        revision: Cursor,
        segment: str,
        *,
        check_null: bool = True,
        sites: Sites = NO_SITES,
    ) -> int:
        """Compare a pair of sub-schemas reached at ``segment``; return the depth of a cycle it hit."""
        found, lowest = self._pair(base, revision, check_null=check_null, sites=sites)
        self._frames[-1][0].extend(said.under(segment) for said in found)
        return lowest

    def _check(
        self,
        old: SchemaView,
        new: SchemaView,
        root: bool,
        check_null: bool,
        sites: Sites,
    ) -> int:
        if check_null:
            compare_nullable(self, old, new, sites)
        choice = old if old.variants else new
        if bool(old.variants) != bool(new.variants) and not choice.properties:
            # A single schema became a choice, or the reverse: compare them as choices of one and of many (a
            # choice with properties of its own is an object constrained by `oneOf`, compared as an object).
            return compare_variants(self, old, new, promote=True, root=root)
        if not compare_types(self, old, new, root):
            return NO_CYCLE  # nothing deeper is comparable between, say, an object and a string
        compare_enum(self, old, new)
        compare_bounds(self, old, new)
        compare_pattern_and_format(self, old, new)
        lowest = compare_properties(self, old, new)
        if old.items is not None and new.items is not None:
            lowest = min(lowest, self._child(old.items, new.items, "[]", sites=sites_of(old, new, "[]")))
        if old.additional_schema is not None and new.additional_schema is not None:
            sites = sites_of(old, new, "*")
            lowest = min(lowest, self._child(old.additional_schema, new.additional_schema, ".*", sites=sites))
        return min(lowest, compare_variants(self, old, new))

    # --- helpers -------------------------------------------------------------------------------------
    def view(self, cursor: Cursor) -> SchemaView:
        """Return the normalised view of the schema at ``cursor`` (computed once per run)."""
        key = ("view", id(cursor.doc), cursor.identity, self.openapi_30)
        cached = self.ctx.cache.get(key)
        if not isinstance(cached, SchemaView):
            cached = self.ctx.cache[key] = view(cursor, openapi_30=self._openapi_30(cursor))
        return cached

    def _at(self, path: str) -> str:
        return f"`{path}` in the {self.where}" if path else f"the {self.where}"

    def say(
        self,
        rule: AnyChangeRule,
        message: str,
        old: SchemaView | Cursor | None,
        new: SchemaView | Cursor | None,
        *,
        node: Cursor | None = None,
    ) -> None:
        """Record a change of the pair being compared; ``message`` names the place with :data:`AT`.

        ``node`` is the changed place (default: the revision schema of the pair).
        """
        base = old.cursor if isinstance(old, SchemaView) else old
        revision = new.cursor if isinstance(new, SchemaView) else new
        found, root = self._frames[-1]
        found.append(Said.of(rule, message, base, revision, node or root))

    def say_property(
        self,
        name: str,
        rule: AnyChangeRule,
        message: str,
        base: Cursor | None,
        revision: Cursor | None,
        *,
        node: Cursor | None,
    ) -> None:
        """Record a change of the property ``name`` (said at the property's place, one level down).

        ``node`` is the property as written in one version; ``None`` for a required name that has no schema (the
        change is then named from the object: ``Order`` gains a required `note`).
        """
        found, root = self._frames[-1]
        said = Said.of(rule, message, base, revision, node or root).under(f".{name}")
        if node is None:
            said = replace(said, below=(f".{name}",))
        found.append(said)

    def child(
        self, base: Cursor, revision: Cursor, segment: str, *, check_null: bool = True, sites: Sites = NO_SITES
    ) -> int:
        """Compare a pair of sub-schemas (a pair of variants, of properties) reached at ``segment``."""
        return self._child(base, revision, segment, check_null=check_null, sites=sites)

    @property
    def request(self) -> bool:
        """Return whether clients write these schemas (a narrowing breaks them) rather than read them."""
        return self.direction == REQUEST


def _identity(cursor: Cursor | None) -> Identity | None:
    return cursor.identity if cursor is not None else None
