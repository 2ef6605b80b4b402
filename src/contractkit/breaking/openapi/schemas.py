"""Comparing two schemas in a direction: what a request may no longer carry, what a response may now carry."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from contractkit.breaking.context import DiffContext
from contractkit.breaking.openapi import rules as r
from contractkit.breaking.openapi.schema_view import (
    LENGTHS,
    NUMERIC,
    UPPER,
    Bound,
    SchemaView,
    accepts,
    describe_types,
    overlap,
    view,
)
from contractkit.breaking.openapi.variants import (
    discriminator_values,
    is_component,
    mapping_targets,
    match_variants,
    shape,
    variant_name,
)
from contractkit.breaking.registry import ChangeRule
from contractkit.loaders.document import Cursor
from contractkit.rules.registry import SpecKind

REQUEST, RESPONSE = "request", "response"
_SCALARS = frozenset({"string", "integer", "number", "boolean"})

__all__ = ["REQUEST", "RESPONSE", "SchemaDiff"]


@dataclass(slots=True)
class SchemaDiff:
    """Compares schemas of one operation place (a body, a parameter, a header) recursively.

    A pair of schemas is compared once per place: a recursive schema, or a component used at several depths,
    reports a change once, at the first path that reaches it.

    Attributes:
        ctx: where changes are reported.
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
    _seen: set[tuple[object, object]] = field(default_factory=set)

    def compare(self, base: Cursor, revision: Cursor, path: str = "", *, nullable: bool = True) -> None:
        """Report every change between the ``base`` and ``revision`` schemas (``path`` names the nested node).

        ``nullable=False`` leaves out the `null` check (a variant compared with a whole schema: the choice's
        `null` was compared already).
        """
        key = (base.identity, revision.identity)
        if key in self._seen:
            return  # recursive schema: this pair is being (or was) compared
        self._seen.add(key)
        old, new = self._view(base), self._view(revision)
        if nullable:
            self._nullable(old, new, path)
        choice = old if old.variants else new
        if bool(old.variants) != bool(new.variants) and not choice.properties:
            # A single schema became a choice, or the reverse: compare them as choices of one and of many (a
            # choice with properties of its own is an object constrained by `oneOf`, compared as an object).
            self._variants(old, new, path, promote=True)
            return
        if not self._types(old, new, path):
            return  # nothing deeper is comparable between, say, an object and a string
        self._enum(old, new, path)
        self._bounds(old, new, path)
        self._pattern_and_format(old, new, path)
        self._properties(old, new, path)
        if old.items is not None and new.items is not None:
            self.compare(old.items, new.items, f"{path}[]")
        if old.additional_schema is not None and new.additional_schema is not None:
            self.compare(old.additional_schema, new.additional_schema, f"{path}.*" if path else "*")
        self._variants(old, new, path)

    # --- helpers -------------------------------------------------------------------------------------
    def _view(self, cursor: Cursor) -> SchemaView:
        key = ("view", id(cursor.doc), cursor.identity, self.openapi_30)
        cached = self.ctx.cache.get(key)
        if not isinstance(cached, SchemaView):
            openapi_30 = self.openapi_30
            if openapi_30 is None:
                openapi_30 = cursor.doc.spec.kind is SpecKind.OPENAPI and cursor.doc.spec.major_minor == "3.0"
            cached = self.ctx.cache[key] = view(cursor, openapi_30=openapi_30)
        return cached

    def _at(self, path: str) -> str:
        return f"`{path}` in the {self.where}" if path else f"the {self.where}"

    def _report(
        self, rule: ChangeRule, message: str, old: SchemaView | Cursor | None, new: SchemaView | Cursor | None
    ) -> None:
        base = old.cursor if isinstance(old, SchemaView) else old
        revision = new.cursor if isinstance(new, SchemaView) else new
        rule = self.renames.get(rule.id, rule)
        self.ctx.report(rule, message, base=base, revision=revision, operation=self.operation)

    @property
    def request(self) -> bool:
        return self.direction == REQUEST

    # --- checks -------------------------------------------------------------------------------------
    def _nullable(self, old: SchemaView, new: SchemaView, path: str) -> None:
        if old.nullable == new.nullable:
            return
        if self.request:
            rule = r.REQ_NULLABLE_REMOVED if old.nullable else r.REQ_BECAME_NULLABLE
        else:
            rule = r.RESP_BECAME_NULLABLE if new.nullable else r.RESP_NULLABLE_REMOVED
        if self.request:
            what = "no longer accepts `null`" if old.nullable else "now accepts `null`"
        else:
            what = "is never `null` any more" if old.nullable else "may now be `null`"
        self._report(rule, f"{self._at(path)} {what}", old, new)

    def _types(self, old: SchemaView, new: SchemaView, path: str) -> bool:
        """Report a type change; return whether the two schemas still share a type (worth comparing deeper).

        An untyped `oneOf`/`anyOf` has the types of its variants: `{oneOf: [A, B]}` of two objects is an object.
        """
        before, after = self._choice_types(old), self._choice_types(new)
        if before == after:
            return True
        text = f"type of {self._at(path)} changed from `{describe_types(before)}` to `{describe_types(after)}`"
        if self.request:
            widened = accepts(after, before) or (
                self.textual
                and not path
                and after == frozenset({"string"})
                and before is not None
                and before <= _SCALARS
            )
            self._report(r.REQ_TYPE_WIDENED if widened else r.REQ_TYPE_CHANGED, text, old, new)
        else:
            self._report(r.RESP_TYPE_NARROWED if accepts(before, after) else r.RESP_TYPE_CHANGED, text, old, new)
        return overlap(before, after)

    def _enum(self, old: SchemaView, new: SchemaView, path: str) -> None:
        if old.enum is None and new.enum is None:
            return
        if old.enum is None:
            if self.request:
                self._report(r.REQ_ENUM_ADDED, f"{self._at(path)} is now restricted to {_values(new.enum)}", old, new)
            return
        if new.enum is None:
            if self.request:
                rule = r.REQ_ENUM_VALUE_ADDED
            else:
                rule = r.RESP_EXTENSIBLE_ENUM_VALUE_ADDED if old.extensible else r.RESP_ENUM_VALUE_ADDED
            self._report(rule, f"{self._at(path)} is no longer restricted to {_values(old.enum)}", old, new)
            return
        added = [v for v in new.enum if not _contains(old.enum, v)]
        removed = [v for v in old.enum if not _contains(new.enum, v)]
        if removed:
            rule = r.REQ_ENUM_VALUE_REMOVED if self.request else r.RESP_ENUM_VALUE_REMOVED
            self._report(rule, f"enum value(s) {_values(removed)} removed from {self._at(path)}", old, new)
        if added:
            if self.request:
                rule = r.REQ_ENUM_VALUE_ADDED
            else:
                # The promise to handle unknown values must have been made before the value appears.
                rule = r.RESP_EXTENSIBLE_ENUM_VALUE_ADDED if old.extensible else r.RESP_ENUM_VALUE_ADDED
            self._report(rule, f"enum value(s) {_values(added)} added to {self._at(path)}", old, new)

    def _bounds(self, old: SchemaView, new: SchemaView, path: str) -> None:
        for keyword in (*NUMERIC, *LENGTHS):
            before, after = old.bounds.get(keyword), new.bounds.get(keyword)
            if before == after:
                continue
            # A bound added narrows, a bound dropped widens.
            narrowed = before is None if before is None or after is None else after.tighter(before, keyword in UPPER)
            text = f"`{keyword}` of {self._at(path)} changed from {_bound(before)} to {_bound(after)}"
            if self.request:
                self._report(r.REQ_BOUND_NARROWED if narrowed else r.REQ_BOUND_WIDENED, text, old, new)
            else:
                self._report(r.RESP_BOUND_NARROWED if narrowed else r.RESP_BOUND_WIDENED, text, old, new)

    def _pattern_and_format(self, old: SchemaView, new: SchemaView, path: str) -> None:
        if old.pattern != new.pattern:
            text = f"`pattern` of {self._at(path)} changed from {_text(old.pattern)} to {_text(new.pattern)}"
            if self.request:
                if old.pattern is None:
                    rule = r.REQ_PATTERN_ADDED
                else:
                    rule = r.REQ_PATTERN_REMOVED if new.pattern is None else r.REQ_PATTERN_CHANGED
                self._report(rule, text, old, new)
            elif old.pattern is not None:
                # A response that gains a pattern sends fewer values: only a changed or dropped one matters.
                self._report(r.RESP_PATTERN_CHANGED, text, old, new)
        # A format dropped is a relaxation (formats are often annotations); in a response, one added narrows.
        if old.format != new.format and new.format is not None and (self.request or old.format is not None):
            rule = r.REQ_FORMAT_CHANGED if self.request else r.RESP_FORMAT_CHANGED
            self._report(
                rule, f"`format` of {self._at(path)} changed from {_text(old.format)} to {_text(new.format)}", old, new
            )

    def _hidden(self, owner: SchemaView, name: str, prop: Cursor) -> bool:
        """A readOnly property is never sent by clients; a writeOnly one never read by them."""
        flag = "readOnly" if self.request else "writeOnly"
        schema = self._view(prop)
        return (schema.read_only if self.request else schema.write_only) or flag in owner.ref_flags.get(name, ())

    def _properties(self, old: SchemaView, new: SchemaView, path: str) -> None:
        hidden_flag = "`readOnly`" if self.request else "`writeOnly`"
        before = {name: prop for name, prop in old.properties.items() if not self._hidden(old, name, prop)}
        after = {name: prop for name, prop in new.properties.items() if not self._hidden(new, name, prop)}
        for name, base_prop in before.items():
            child = f"{path}.{name}" if path else name
            rev_prop = after.get(name)
            old_site = old.sites.get(name, base_prop)
            if rev_prop is None:
                gone = f"became {hidden_flag}" if name in new.properties else "was removed"
                if self.request:
                    # Clients still send it: a closed schema rejects it, an open one ignores it.
                    rule = r.REQ_PROPERTY_REMOVED if new.additional else r.REQ_CLOSED_PROPERTY_REMOVED
                    text = f"property {self._at(child)} {gone}"
                elif name in old.required:
                    rule, text = r.RESP_PROPERTY_REMOVED, f"required property {self._at(child)} {gone}"
                else:
                    rule, text = r.RESP_OPTIONAL_PROPERTY_REMOVED, f"property {self._at(child)} {gone}"
                self._report(rule, text, old_site, new.sites.get(name, new.cursor))
                continue
            was, now = name in old.required, name in new.required
            if was != now:
                if self.request:
                    rule = r.REQ_PROPERTY_BECAME_REQUIRED if now else r.REQ_PROPERTY_BECAME_OPTIONAL
                else:
                    rule = r.RESP_PROPERTY_BECAME_REQUIRED if now else r.RESP_PROPERTY_BECAME_OPTIONAL
                state = "required" if now else "optional"
                self._report(
                    rule, f"property {self._at(child)} became {state}", old_site, new.sites.get(name, rev_prop)
                )
            self.compare(base_prop, rev_prop, child)
        for name, rev_prop in after.items():
            if name in before:
                continue
            child = f"{path}.{name}" if path else name
            site = new.sites.get(name, rev_prop)
            if self.request:
                has_default = isinstance(rev_prop.value, dict) and "default" in rev_prop.value
                if name in new.required and not has_default:
                    rule, text = r.REQ_PROPERTY_REQUIRED_ADDED, f"required property {self._at(child)} was added"
                else:
                    rule, text = r.REQ_PROPERTY_ADDED, f"property {self._at(child)} was added"
            else:
                # Clients reading with the old, closed schema reject a property it does not list.
                rule = r.RESP_PROPERTY_ADDED if old.additional else r.RESP_CLOSED_PROPERTY_ADDED
                text = f"property {self._at(child)} was added"
            self._report(rule, text, old.sites.get(name, old.cursor), site)
        if self.request and old.additional and not new.additional:
            self._report(
                r.REQ_ADDITIONAL_FORBIDDEN, f"{self._at(path)} no longer accepts unlisted properties", old, new
            )
        if not self.request and not old.additional and new.additional:
            self._report(r.RESP_ADDITIONAL_ALLOWED, f"{self._at(path)} may now carry unlisted properties", old, new)

    def _variants(self, old: SchemaView, new: SchemaView, path: str, *, promote: bool = False) -> None:
        if old.discriminator is not None and new.discriminator is not None and old.discriminator != new.discriminator:
            rule = r.REQ_DISCRIMINATOR_CHANGED if self.request else r.RESP_DISCRIMINATOR_CHANGED
            text = f"discriminator of {self._at(path)} changed from `{old.discriminator}` to `{new.discriminator}`"
            self._report(rule, text, old, new)
        old_variants = old.variants or ([old.sole or old.cursor] if promote else [])
        new_variants = new.variants or ([new.sole or new.cursor] if promote else [])
        if not old_variants and not new_variants:
            self._mapping(old, new, path)
            return
        keyword = old.variant_keyword or new.variant_keyword
        # Between a single schema and a choice of typed variants, a change of the set of types says it all.
        covered: frozenset[str] = frozenset()
        if promote:
            old_types, new_types = self._choice_types(old), self._choice_types(new)
            if old_types is not None and new_types is not None and old_types != new_types:
                self._types(old, new, path)
                covered = (old_types - new_types) | (new_types - old_types)
        pairs, removed, added = match_variants(old_variants, new_variants)
        old_values, new_values = discriminator_values(old), discriminator_values(new)
        for index, before, after in pairs:
            name = variant_name(before, keyword, index)
            self._discriminator_values(old_values, new_values, before, after, f"variant {name} of {self._at(path)}")
            label = path if promote else f"{path}<{name.strip('`')}>"
            self.compare(before, after, label, nullable=not promote)
        for index in removed:
            variant = old_variants[index]
            if self._covered(variant, covered):
                continue
            rule = r.REQ_VARIANT_REMOVED if self.request else r.RESP_VARIANT_REMOVED
            if not old.variants:  # the single old schema is none of the new choice's variants
                text = f"{self._at(path)} became a `{keyword}` that has no variant like the old schema"
            else:
                text = f"variant {variant_name(variant, keyword, index)} of {self._at(path)} was removed"
            self._report(rule, text, variant, new)
        for index in added:
            variant = new_variants[index]
            if self._covered(variant, covered):
                continue
            rule = r.REQ_VARIANT_ADDED if self.request else r.RESP_VARIANT_ADDED
            if not new.variants:  # a choice became a single schema that is none of its variants
                text = f"{self._at(path)} was a `{keyword}` and became a schema unlike any of its variants"
            else:
                text = f"variant {variant_name(variant, keyword, index)} was added to {self._at(path)}"
            self._report(rule, text, old, variant)

    def _choice_types(self, schema: SchemaView) -> frozenset[str] | None:
        """Return the declared types of a schema, or the union of its variants' (``None``: some is untyped)."""
        if schema.types is not None or not schema.variants:
            return schema.types
        union: set[str] = set()
        for variant in schema.variants:
            types = self._view(variant).types
            if types is None:
                return None
            union |= types
        return frozenset(union)

    def _covered(self, variant: Cursor, covered: frozenset[str]) -> bool:
        types = self._view(variant).types
        return bool(covered) and types is not None and types <= covered

    def _discriminator_values(
        self,
        old_values: dict[tuple[str, tuple[str, ...]], set[str]],
        new_values: dict[tuple[str, tuple[str, ...]], set[str]],
        before: Cursor,
        after: Cursor,
        variant: str,
    ) -> None:
        """A variant kept its shape but is selected by other values: the wire changed for its payloads."""
        was, now = old_values.get(before.identity, set()), new_values.get(after.identity, set())
        if not was or not now or was == now:
            return
        # Clients sending an old value, or reading a new one, no longer agree with the API on the variant.
        if (self.request and was - now) or (not self.request and now - was):
            rule = r.REQ_DISCRIMINATOR_CHANGED if self.request else r.RESP_DISCRIMINATOR_CHANGED
            text = f"discriminator value(s) of {variant} changed from {_values(sorted(was))} to {_values(sorted(now))}"
            self._report(rule, text, before, after)

    def _mapping(self, old: SchemaView, new: SchemaView, path: str) -> None:
        """A discriminator without `oneOf` (on a parent that subtypes extend with `allOf`): compare its mapping."""
        if old.discriminator is None or new.discriminator is None:
            return
        before, after = mapping_targets(old), mapping_targets(new)
        for value, target in before.items():
            counterpart = after.get(value)
            if counterpart is None:
                if self.request:
                    text = f"discriminator value `{value}` of {self._at(path)} was removed"
                    self._report(r.REQ_DISCRIMINATOR_CHANGED, text, target, new)
            elif not _same_schema(target, counterpart):
                rule = r.REQ_DISCRIMINATOR_CHANGED if self.request else r.RESP_DISCRIMINATOR_CHANGED
                text = f"discriminator value `{value}` of {self._at(path)} now selects another schema"
                self._report(rule, text, target, counterpart)
        if not self.request:
            for value, target in after.items():
                if value not in before:
                    text = f"discriminator value `{value}` was added to {self._at(path)}"
                    self._report(r.RESP_VARIANT_ADDED, text, old, target)


def _same_schema(left: Cursor, right: Cursor) -> bool:
    if is_component(left) and is_component(right) and left.key == right.key:
        return True
    return shape(left) == shape(right)


def _contains(values: list[object], value: object) -> bool:
    return any(type(v) is type(value) and v == value for v in values)


def _values(values: list[object] | list[str] | None, limit: int = 5) -> str:
    shown = [f"`{json.dumps(v)}`" for v in (values or [])[:limit]]
    more = len(values or []) - limit
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def _bound(bound: Bound | None) -> str:
    if bound is None:
        return "none"
    number = f"`{int(bound.value)}`" if bound.value == int(bound.value) else f"`{bound.value}`"
    return f"{number} (exclusive)" if bound.exclusive else number


def _text(value: str | None) -> str:
    return f"`{value}`" if value is not None else "none"
