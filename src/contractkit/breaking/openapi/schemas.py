"""Comparing two schemas in a direction: what a request may no longer carry, what a response may now carry.

A comparison of two schemas is done once per run, however many operations reach them: its changes are kept
as :class:`Said` records, relative to the pair compared, and replayed under each place that reaches the pair
(a body, a parameter, a header). Each change also names the schema where it happened (``Order.status``), so
the findings of every operation a shared schema reaches read as one change (``Finding.change``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from contractkit.breaking.context import DiffContext
from contractkit.breaking.openapi.fixes import DEPRECATE, NEW_VERSION
from contractkit.breaking.openapi.said import AT, NO_CYCLE, Said, place, schema_place, values_text
from contractkit.breaking.openapi.schema_view import (
    LENGTHS,
    NUMERIC,
    UPPER,
    Bound,
    SchemaView,
    accepts,
    contains,
    describe_types,
    overlap,
    view,
)
from contractkit.breaking.openapi.sites import NO_SITES, Sites, schema_sites, sites_of
from contractkit.breaking.openapi.unions import compare_variants
from contractkit.breaking.registry import CHANGE, ERROR, INFO, WARNING, ChangeRule, change_rule
from contractkit.kinds import SpecKind
from contractkit.loaders.document import Cursor
from contractkit.schema_errors import short

# --- schemas: request side (what clients send) -----------------------------------------------------------
REQ_TYPE_CHANGED = change_rule(
    id="request-type-changed",
    level=ERROR,
    direction="request",
    summary="values of the old type, which clients send, are now rejected",
    fix=NEW_VERSION,
    category=CHANGE,
    schema=True,
)
REQ_TYPE_WIDENED = change_rule(
    id="request-type-widened",
    level=INFO,
    direction="request",
    summary="accepting more types breaks no client",
    category=CHANGE,
    schema=True,
)
PARAM_BECAME_STRING = change_rule(
    id="request-parameter-became-string",
    level=WARNING,
    direction="request",
    summary="a parameter travels as text, so every old value is still a string on the wire; but typed clients and "
    "generated models change their signature (an `int` argument becomes a `str`)",
    fix="keep the type; accept the new values in a new parameter, or in a new major version.",
    category=CHANGE,
)
REQ_NULLABLE_REMOVED = change_rule(
    id="request-nullable-removed",
    level=ERROR,
    direction="request",
    summary="clients sending `null` are now rejected",
    fix="keep accepting `null`.",
    category=CHANGE,
    schema=True,
)
REQ_BECAME_NULLABLE = change_rule(
    id="request-became-nullable",
    level=INFO,
    direction="request",
    summary="accepting `null` breaks no client",
    category=CHANGE,
    schema=True,
)
REQ_ENUM_VALUE_REMOVED = change_rule(
    id="request-enum-value-removed",
    level=ERROR,
    direction="request",
    summary="clients sending the removed value are rejected",
    fix="keep accepting the value; deprecate it in its description.",
    category=CHANGE,
    schema=True,
)
REQ_ENUM_VALUE_ADDED = change_rule(
    id="request-enum-value-added",
    level=INFO,
    direction="request",
    summary="accepting a new value breaks no client",
    category=CHANGE,
    schema=True,
)
REQ_ENUM_ADDED = change_rule(
    id="request-enum-added",
    level=ERROR,
    direction="request",
    summary="a free value became a closed list: clients sending other values are rejected",
    fix=NEW_VERSION,
    category=CHANGE,
    schema=True,
)
REQ_PROPERTY_REQUIRED_ADDED = change_rule(
    id="request-required-property-added",
    level=ERROR,
    direction="request",
    summary="clients that do not send the new property are rejected",
    fix="make it optional, with a server-side default.",
    category=CHANGE,
    schema=True,
)
REQ_PROPERTY_ADDED = change_rule(
    id="request-property-added",
    level=INFO,
    direction="request",
    summary="an optional property breaks no client",
    category=CHANGE,
    schema=True,
)
REQ_PROPERTY_BECAME_REQUIRED = change_rule(
    id="request-property-became-required",
    level=ERROR,
    direction="request",
    summary="clients that omitted the property are now rejected",
    fix="keep it optional, with a server-side default.",
    category=CHANGE,
    schema=True,
)
REQ_PROPERTY_BECAME_OPTIONAL = change_rule(
    id="request-property-became-optional",
    level=INFO,
    direction="request",
    summary="accepting a missing property breaks no client",
    category=CHANGE,
    schema=True,
)
REQ_PROPERTY_REMOVED = change_rule(
    id="request-property-removed",
    level=WARNING,
    direction="request",
    summary="clients still send it: rejected if the schema is closed, silently ignored otherwise",
    fix=DEPRECATE,
    category=CHANGE,
    removes="property",
    schema=True,
)
REQ_BOUND_NARROWED = change_rule(
    id="request-bound-narrowed",
    level=ERROR,
    direction="request",
    summary="values inside the old bounds (`maximum`, `minimum`, `maxLength`, `minLength`, `maxItems`, `minItems`, "
    "exclusive bounds) are now rejected",
    fix="keep the old bounds; validate the new limit only in a new major version.",
    category=CHANGE,
    schema=True,
)
REQ_BOUND_WIDENED = change_rule(
    id="request-bound-widened",
    level=INFO,
    direction="request",
    summary="accepting more values breaks no client",
    category=CHANGE,
    schema=True,
)
REQ_PATTERN_ADDED = change_rule(
    id="request-pattern-added",
    level=ERROR,
    direction="request",
    summary="values that do not match the new `pattern` are now rejected",
    fix=NEW_VERSION,
    category=CHANGE,
    schema=True,
)
REQ_PATTERN_CHANGED = change_rule(
    id="request-pattern-changed",
    level=ERROR,
    direction="request",
    summary="values matching the old `pattern` may now be rejected",
    fix=NEW_VERSION,
    category=CHANGE,
    schema=True,
)
REQ_PATTERN_REMOVED = change_rule(
    id="request-pattern-removed",
    level=INFO,
    direction="request",
    summary="accepting more values breaks no client",
    category=CHANGE,
    schema=True,
)
REQ_FORMAT_CHANGED = change_rule(
    id="request-format-changed",
    level=WARNING,
    direction="request",
    summary="values of the old `format` may now be rejected",
    fix=NEW_VERSION,
    category=CHANGE,
    schema=True,
)
REQ_ADDITIONAL_FORBIDDEN = change_rule(
    id="request-additional-properties-forbidden",
    level=WARNING,
    direction="request",
    summary="clients sending properties the schema does not list are now rejected",
    fix="keep the schema open.",
    category=CHANGE,
    schema=True,
)
# --- schemas: response side (what clients read) ----------------------------------------------------------
RESP_TYPE_CHANGED = change_rule(
    id="response-type-changed",
    level=ERROR,
    direction="response",
    summary="clients parsing the old type fail on the new one",
    fix="add a new property with the new type; keep the old one.",
    category=CHANGE,
    schema=True,
)
RESP_TYPE_NARROWED = change_rule(
    id="response-type-narrowed",
    level=INFO,
    direction="response",
    summary="sending fewer types breaks no client",
    category=CHANGE,
    schema=True,
)
RESP_BECAME_NULLABLE = change_rule(
    id="response-became-nullable",
    level=ERROR,
    direction="response",
    summary="clients that do not expect `null` crash on it",
    fix="omit the property instead of sending `null`, or add a new one.",
    category=CHANGE,
    schema=True,
)
RESP_NULLABLE_REMOVED = change_rule(
    id="response-nullable-removed",
    level=INFO,
    direction="response",
    summary="no longer sending `null` is safe",
    category=CHANGE,
    schema=True,
)
RESP_ENUM_VALUE_ADDED = change_rule(
    id="response-enum-value-added",
    level=WARNING,
    direction="response",
    summary="clients with an exhaustive switch or a generated enum may fail on the new value; APIs grow enums in "
    "minor releases, so the contract should say whether its enum is open (`x-extensible-enum: true`) or closed "
    "(`x-extensible-enum: false`)",
    fix="mark the enum `x-extensible-enum: true` (clients must then handle unknown values) before adding values.",
    category=CHANGE,
    schema=True,
)
RESP_CLOSED_ENUM_VALUE_ADDED = change_rule(
    id="response-closed-enum-value-added",
    level=ERROR,
    direction="response",
    summary="the enum is declared closed (`x-extensible-enum: false`): clients rely on knowing every value, and fail "
    "on the new one",
    fix="add the value in a new major version, or open the enum (`x-extensible-enum: true`) in one release and add "
    "values in a later one.",
    category=CHANGE,
    schema=True,
)
RESP_EXTENSIBLE_ENUM_VALUE_ADDED = change_rule(
    id="response-extensible-enum-value-added",
    level=INFO,
    direction="response",
    summary="the enum is marked `x-extensible-enum`: clients promised to handle unknown values",
    category=CHANGE,
    schema=True,
)
RESP_ENUM_VALUE_REMOVED = change_rule(
    id="response-enum-value-removed",
    level=INFO,
    direction="response",
    summary="sending fewer values is safe",
    category=CHANGE,
    schema=True,
)
RESP_PROPERTY_REMOVED = change_rule(
    id="response-required-property-removed",
    level=ERROR,
    direction="response",
    summary="clients that read the property no longer get it",
    fix=DEPRECATE,
    category=CHANGE,
    removes="property",
    schema=True,
)
RESP_OPTIONAL_PROPERTY_REMOVED = change_rule(
    id="response-optional-property-removed",
    level=WARNING,
    direction="response",
    summary="clients may read the optional property",
    fix=DEPRECATE,
    category=CHANGE,
    removes="property",
    schema=True,
)
RESP_PROPERTY_BECAME_OPTIONAL = change_rule(
    id="response-property-became-optional",
    level=ERROR,
    direction="response",
    summary="clients that rely on the property may no longer get it",
    fix="keep it required.",
    category=CHANGE,
    schema=True,
)
RESP_PROPERTY_BECAME_REQUIRED = change_rule(
    id="response-property-became-required",
    level=INFO,
    direction="response",
    summary="always sending a property is safe",
    category=CHANGE,
    schema=True,
)
RESP_PROPERTY_ADDED = change_rule(
    id="response-property-added",
    level=INFO,
    direction="response",
    summary="clients ignore properties they do not know (tolerant reader)",
    category=CHANGE,
    schema=True,
)
RESP_BOUND_WIDENED = change_rule(
    id="response-bound-widened",
    level=WARNING,
    direction="response",
    summary="clients that validate or size buffers by the old bounds may fail on larger or longer values",
    fix="keep the old bounds, or document the change for clients.",
    category=CHANGE,
    schema=True,
)
RESP_BOUND_NARROWED = change_rule(
    id="response-bound-narrowed",
    level=INFO,
    direction="response",
    summary="sending fewer values is safe",
    category=CHANGE,
    schema=True,
)
RESP_PATTERN_CHANGED = change_rule(
    id="response-pattern-changed",
    level=WARNING,
    direction="response",
    summary="clients that validate against the old `pattern` may reject new values",
    category=CHANGE,
    schema=True,
)
RESP_FORMAT_CHANGED = change_rule(
    id="response-format-changed",
    level=WARNING,
    direction="response",
    summary="clients parsing the old `format` may fail on new values",
    category=CHANGE,
    schema=True,
)
# --- schemas: open and closed content models (`additionalProperties: false`) ------------------------------
REQ_CLOSED_PROPERTY_REMOVED = change_rule(
    id="request-closed-property-removed",
    level=ERROR,
    direction="request",
    summary="the schema is closed (`additionalProperties: false`): clients that still send the removed property are "
    "now rejected",
    fix="keep the property (deprecated) until clients stop sending it, or open the schema.",
    category=CHANGE,
    removes="property",
    schema=True,
)
RESP_CLOSED_PROPERTY_ADDED = change_rule(
    id="response-closed-property-added",
    level=ERROR,
    direction="response",
    summary="the schema was closed (`additionalProperties: false`): clients that validate against it reject the new "
    "property",
    fix="open the schema (drop `additionalProperties: false`) in one version, add the property in a later one.",
    category=CHANGE,
    schema=True,
)
RESP_ADDITIONAL_ALLOWED = change_rule(
    id="response-additional-properties-allowed",
    level=WARNING,
    direction="response",
    summary="the schema was closed (`additionalProperties: false`) and is now open: clients that validate against the "
    "old schema reject the unlisted properties they may now get",
    fix="tell clients to ignore unknown properties before opening the schema.",
    category=CHANGE,
    schema=True,
)


REQUEST, RESPONSE = "request", "response"
_SCALARS = frozenset({"string", "integer", "number", "boolean"})

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
    renames: Mapping[str, ChangeRule] = field(default_factory=dict)
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
            self._nullable(old, new, sites)
        choice = old if old.variants else new
        if bool(old.variants) != bool(new.variants) and not choice.properties:
            # A single schema became a choice, or the reverse: compare them as choices of one and of many (a
            # choice with properties of its own is an object constrained by `oneOf`, compared as an object).
            return compare_variants(self, old, new, promote=True, root=root)
        if not self.compare_types(old, new, root):
            return NO_CYCLE  # nothing deeper is comparable between, say, an object and a string
        self._enum(old, new)
        self._bounds(old, new)
        self._pattern_and_format(old, new)
        lowest = self._properties(old, new)
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
        rule: ChangeRule,
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

    def child(self, base: Cursor, revision: Cursor, segment: str, *, check_null: bool = True) -> int:
        """Compare a pair of sub-schemas (a pair of variants) reached at ``segment``."""
        return self._child(base, revision, segment, check_null=check_null)

    @property
    def request(self) -> bool:
        """Return whether clients write these schemas (a narrowing breaks them) rather than read them."""
        return self.direction == REQUEST

    # --- checks -------------------------------------------------------------------------------------
    def _nullable(self, old: SchemaView, new: SchemaView, sites: Sites) -> None:
        before, after = sites
        was = old.nullable or (before is not None and before.nullable)
        now = new.nullable or (after is not None and after.nullable)
        if was == now:
            return
        if self.request:
            rule = REQ_NULLABLE_REMOVED if was else REQ_BECAME_NULLABLE
            what = "no longer accepts `null`" if was else "now accepts `null`"
        else:
            rule = RESP_BECAME_NULLABLE if now else RESP_NULLABLE_REMOVED
            what = "is never `null` any more" if was else "may now be `null`"
        base, revision = (before.cursor if before else old.cursor), (after.cursor if after else new.cursor)
        self.say(rule, f"{AT} {what}", base, revision, node=revision)

    def compare_types(self, old: SchemaView, new: SchemaView, root: bool) -> bool:
        """Report a type change; return whether the two schemas still share a type (worth comparing deeper).

        An untyped `oneOf`/`anyOf` has the types of its variants: `{oneOf: [A, B]}` of two objects is an object.
        """
        before, after = self.choice_types(old), self.choice_types(new)
        if before == after:
            return True
        text = f"type of {AT} changed from `{describe_types(before)}` to `{describe_types(after)}`"
        if self.request:
            if accepts(after, before):
                rule = REQ_TYPE_WIDENED
            elif self.textual and root and after == frozenset({"string"}) and before is not None and before <= _SCALARS:
                rule = PARAM_BECAME_STRING  # the wire accepts every old value; typed clients change
            else:
                rule = REQ_TYPE_CHANGED
            self.say(rule, text, old, new)
        else:
            self.say(RESP_TYPE_NARROWED if accepts(before, after) else RESP_TYPE_CHANGED, text, old, new)
        return overlap(before, after)

    def choice_types(self, schema: SchemaView) -> frozenset[str] | None:
        """Return the declared types of a schema, or the union of its variants' (``None``: some is untyped)."""
        if schema.types is not None or not schema.variants:
            return schema.types
        union: set[str] = set()
        for variant in schema.variants:
            types = self.view(variant).types
            if types is None:
                return None
            union |= types
        return frozenset(union)

    def _enum(self, old: SchemaView, new: SchemaView) -> None:
        if old.enum is None and new.enum is None:
            return
        if old.enum is None:
            if self.request:
                self.say(REQ_ENUM_ADDED, f"{AT} is now restricted to {values_text(new.enum)}", old, new)
            return
        # The promise to handle unknown values (or the warning that the list is closed) must come before a value.
        grown = (
            RESP_EXTENSIBLE_ENUM_VALUE_ADDED
            if old.open_enum
            else RESP_CLOSED_ENUM_VALUE_ADDED
            if old.open_enum is False
            else RESP_ENUM_VALUE_ADDED
        )
        if new.enum is None:
            rule = REQ_ENUM_VALUE_ADDED if self.request else grown
            self.say(rule, f"{AT} is no longer restricted to {values_text(old.enum)}", old, new)
            return
        added = [v for v in new.enum if not contains(old.enum, v)]
        removed = [v for v in old.enum if not contains(new.enum, v)]
        if removed:
            rule = REQ_ENUM_VALUE_REMOVED if self.request else RESP_ENUM_VALUE_REMOVED
            self.say(rule, f"enum value(s) {values_text(removed)} removed from {AT}", old, new)
        if added:
            rule = REQ_ENUM_VALUE_ADDED if self.request else grown
            self.say(rule, f"enum value(s) {values_text(added)} added to {AT}", old, new)

    def _bounds(self, old: SchemaView, new: SchemaView) -> None:
        size_added: str | None = None
        for keyword in (*NUMERIC, *LENGTHS):
            before, after = old.bounds.get(keyword), new.bounds.get(keyword)
            if before == after:
                continue
            # A size format (`int64`) added or dropped alone is judged as a format, as formats always were.
            if before is None and after is not None and after.implied_by:
                size_added = after.implied_by
                continue
            if after is None and before is not None and before.implied_by:
                continue
            # A bound added narrows, a bound dropped widens.
            narrowed = before is None if before is None or after is None else after.tighter(before, keyword in UPPER)
            text = f"`{keyword}` of {AT} changed from {_bound(before)} to {_bound(after)}"
            if self.request:
                self.say(REQ_BOUND_NARROWED if narrowed else REQ_BOUND_WIDENED, text, old, new)
            else:
                self.say(RESP_BOUND_NARROWED if narrowed else RESP_BOUND_WIDENED, text, old, new)
        if size_added is not None and self.request and old.format is None:
            # The old side may have had a size format that bounds nothing (`double`): name it, not "none".
            text = f"`format` of {AT} changed from {_text(old.size_format)} to `{size_added}`"
            self.say(REQ_FORMAT_CHANGED, text, old, new)

    def _pattern_and_format(self, old: SchemaView, new: SchemaView) -> None:
        if old.pattern != new.pattern:
            text = f"`pattern` of {AT} changed from {_text(old.pattern)} to {_text(new.pattern)}"
            if self.request:
                if old.pattern is None:
                    rule = REQ_PATTERN_ADDED
                else:
                    rule = REQ_PATTERN_REMOVED if new.pattern is None else REQ_PATTERN_CHANGED
                self.say(rule, text, old, new)
            elif old.pattern is not None:
                # A response that gains a pattern sends fewer values: only a changed or dropped one matters.
                self.say(RESP_PATTERN_CHANGED, text, old, new)
        # A format dropped is a relaxation (formats are often annotations); in a response, one added narrows.
        if old.format != new.format and new.format is not None and (self.request or old.format is not None):
            rule = REQ_FORMAT_CHANGED if self.request else RESP_FORMAT_CHANGED
            self.say(rule, f"`format` of {AT} changed from {_text(old.format)} to {_text(new.format)}", old, new)

    def _hidden(self, owner: SchemaView, name: str, prop: Cursor) -> bool:
        """A readOnly property is never sent by clients; a writeOnly one never read by them."""
        flag = "readOnly" if self.request else "writeOnly"
        schema = self.view(prop)
        return (schema.read_only if self.request else schema.write_only) or flag in owner.ref_flags.get(name, ())

    def _properties(self, old: SchemaView, new: SchemaView) -> int:
        hidden_flag = "`readOnly`" if self.request else "`writeOnly`"
        before = {name: prop for name, prop in old.properties.items() if not self._hidden(old, name, prop)}
        after = {name: prop for name, prop in new.properties.items() if not self._hidden(new, name, prop)}
        lowest = NO_CYCLE
        for name, base_prop in before.items():
            old_site = old.sites.get(name, base_prop)
            rev_prop = after.get(name)
            if rev_prop is None:
                gone = f"became {hidden_flag}" if name in new.properties else "was removed"
                if self.request:
                    # Clients still send it: a closed schema rejects it, an open one ignores it.
                    rule = REQ_PROPERTY_REMOVED if new.additional else REQ_CLOSED_PROPERTY_REMOVED
                    text = f"property {AT} {gone}"
                elif name in old.required:
                    rule, text = RESP_PROPERTY_REMOVED, f"required property {AT} {gone}"
                else:
                    rule, text = RESP_OPTIONAL_PROPERTY_REMOVED, f"property {AT} {gone}"
                self._named(name, rule, text, old_site, new.sites.get(name, new.cursor), node=old_site)
                continue
            new_site = new.sites.get(name, rev_prop)
            self._required_changed(old, new, name, old_site, new_site, node=new_site)
            sites = sites_of(old, new, name)
            lowest = min(lowest, self._child(base_prop, rev_prop, f".{name}", sites=sites))
        for name, rev_prop in after.items():
            if name in before:
                continue
            site = new.sites.get(name, rev_prop)
            if self.request:
                has_default = isinstance(rev_prop.value, dict) and "default" in rev_prop.value
                if name in new.required and not has_default:
                    rule, text = REQ_PROPERTY_REQUIRED_ADDED, f"required property {AT} was added"
                else:
                    rule, text = REQ_PROPERTY_ADDED, f"property {AT} was added"
            else:
                # Clients reading with the old, closed schema reject a property it does not list.
                rule = RESP_PROPERTY_ADDED if old.additional else RESP_CLOSED_PROPERTY_ADDED
                text = f"property {AT} was added"
            self._named(name, rule, text, old.sites.get(name, old.cursor), site, node=site)
        # A required name with no schema of its own (the schema accepts it with any value) is required all the same.
        for name in sorted((old.required ^ new.required) - old.properties.keys() - new.properties.keys()):
            self._required_changed(old, new, name, old.cursor, new.cursor, node=None)
        if self.request and old.additional and not new.additional:
            self.say(REQ_ADDITIONAL_FORBIDDEN, f"{AT} no longer accepts unlisted properties", old, new)
        if not self.request and not old.additional and new.additional:
            self.say(RESP_ADDITIONAL_ALLOWED, f"{AT} may now carry unlisted properties", old, new)
        return lowest

    def _required_changed(
        self, old: SchemaView, new: SchemaView, name: str, base: Cursor, revision: Cursor, *, node: Cursor | None
    ) -> None:
        was, now = name in old.required, name in new.required
        if was == now:
            return
        if self.request:
            rule = REQ_PROPERTY_BECAME_REQUIRED if now else REQ_PROPERTY_BECAME_OPTIONAL
        else:
            rule = RESP_PROPERTY_BECAME_REQUIRED if now else RESP_PROPERTY_BECAME_OPTIONAL
        text = f"property {AT} became {'required' if now else 'optional'}"
        self._named(name, rule, text, base, revision, node=node)

    def _named(
        self,
        name: str,
        rule: ChangeRule,
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


def _identity(cursor: Cursor | None) -> Identity | None:
    return cursor.identity if cursor is not None else None


def _bound(bound: Bound | None) -> str:
    if bound is None:
        return "none"
    value = bound.value
    number = f"`{short(int(value) if isinstance(value, float) and value.is_integer() else value)}`"
    if bound.implied_by:
        number += f" (`format: {bound.implied_by}`)"
    return f"{number} (exclusive)" if bound.exclusive else number


def _text(value: str | None) -> str:
    return f"`{value}`" if value is not None else "none"
