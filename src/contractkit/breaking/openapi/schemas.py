"""Comparing two schemas in a direction: what a request may no longer carry, what a response may now carry."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from contractkit.breaking.context import DiffContext
from contractkit.breaking.openapi import rules as r
from contractkit.breaking.openapi.schema_view import LOWER, UPPER, SchemaView, accepts, describe_types, view
from contractkit.breaking.registry import ChangeRule
from contractkit.loaders.document import Cursor

REQUEST, RESPONSE = "request", "response"


@dataclass(slots=True)
class SchemaDiff:
    """Compares schemas of one operation place (a body, a parameter, a header) recursively.

    Attributes:
        ctx: where changes are reported.
        direction: ``request`` (clients write it) or ``response`` (clients read it).
        operation: the operation label for messages.
        where: the place, as messages show it (``request body `application/json```).
    """

    ctx: DiffContext
    direction: str
    operation: str
    where: str
    _seen: set[tuple[object, object]] = field(default_factory=set)

    def compare(self, base: Cursor, revision: Cursor, path: str = "") -> None:
        """Report every change between the ``base`` and ``revision`` schemas (``path`` names the nested node)."""
        key = (base.identity, revision.identity)
        if key in self._seen:
            return  # recursive schema: this pair is being (or was) compared
        self._seen.add(key)
        old = self._view(base, self.ctx.base.spec.major_minor == "3.0")
        new = self._view(revision, self.ctx.revision.spec.major_minor == "3.0")
        self._types(old, new, path)
        self._enum(old, new, path)
        self._bounds(old, new, path)
        self._pattern_and_format(old, new, path)
        self._properties(old, new, path)
        self._variants(old, new, path)
        if old.items is not None and new.items is not None:
            self.compare(old.items, new.items, f"{path}[]")

    # --- helpers -------------------------------------------------------------------------------------
    def _view(self, cursor: Cursor, openapi_30: bool) -> SchemaView:
        key = ("view", id(cursor.doc), cursor.identity)
        cached = self.ctx.cache.get(key)
        if not isinstance(cached, SchemaView):
            cached = self.ctx.cache[key] = view(cursor, openapi_30=openapi_30)
        return cached

    def _at(self, path: str) -> str:
        return f"`{path}` in the {self.where}" if path else f"the {self.where}"

    def _report(
        self, rule: ChangeRule, message: str, old: SchemaView | Cursor | None, new: SchemaView | Cursor | None
    ) -> None:
        base = old.cursor if isinstance(old, SchemaView) else old
        revision = new.cursor if isinstance(new, SchemaView) else new
        self.ctx.report(rule, message, base=base, revision=revision, operation=self.operation)

    @property
    def request(self) -> bool:
        return self.direction == REQUEST

    # --- checks -------------------------------------------------------------------------------------
    def _types(self, old: SchemaView, new: SchemaView, path: str) -> None:
        if old.types != new.types and not (old.types is None and new.types is None):
            text = (
                f"type of {self._at(path)} changed from `{describe_types(old.types)}` to `{describe_types(new.types)}`"
            )
            if self.request:
                self._report(
                    r.REQ_TYPE_WIDENED if accepts(new.types, old.types) else r.REQ_TYPE_CHANGED, text, old, new
                )
            else:
                self._report(
                    r.RESP_TYPE_NARROWED if accepts(old.types, new.types) else r.RESP_TYPE_CHANGED, text, old, new
                )
        if old.nullable != new.nullable:
            if self.request:
                rule = r.REQ_NULLABLE_REMOVED if old.nullable else r.REQ_BECAME_NULLABLE
            else:
                rule = r.RESP_BECAME_NULLABLE if new.nullable else r.RESP_NULLABLE_REMOVED
            what = "no longer accepts `null`" if old.nullable else "now accepts `null`"
            self._report(rule, f"{self._at(path)} {what}", old, new)

    def _enum(self, old: SchemaView, new: SchemaView, path: str) -> None:
        if old.enum is None and new.enum is None:
            return
        if old.enum is None:
            if self.request:
                self._report(r.REQ_ENUM_ADDED, f"{self._at(path)} is now restricted to {_values(new.enum)}", old, new)
            return
        if new.enum is None:
            if self.request:
                self._report(r.REQ_ENUM_VALUE_ADDED, f"{self._at(path)} is no longer restricted to an enum", old, new)
            else:
                self._report(
                    r.RESP_ENUM_VALUE_ADDED,
                    f"{self._at(path)} is no longer restricted to {_values(old.enum)}",
                    old,
                    new,
                )
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
                rule = r.RESP_EXTENSIBLE_ENUM_VALUE_ADDED if new.extensible else r.RESP_ENUM_VALUE_ADDED
            self._report(rule, f"enum value(s) {_values(added)} added to {self._at(path)}", old, new)

    def _bounds(self, old: SchemaView, new: SchemaView, path: str) -> None:
        for keyword in (*UPPER, *LOWER):
            before, after = old.bounds.get(keyword), new.bounds.get(keyword)
            if before == after:
                continue
            upper = keyword in UPPER
            if before is None:
                narrowed = True
            elif after is None:
                narrowed = False
            else:
                narrowed = after < before if upper else after > before
            text = f"`{keyword}` of {self._at(path)} changed from {_number(before)} to {_number(after)}"
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
            elif new.pattern is not None:
                self._report(r.RESP_PATTERN_CHANGED, text, old, new)
        if old.format != new.format and new.format is not None:
            rule = r.REQ_FORMAT_CHANGED if self.request else r.RESP_FORMAT_CHANGED
            self._report(
                rule, f"`format` of {self._at(path)} changed from {_text(old.format)} to {_text(new.format)}", old, new
            )

    def _properties(self, old: SchemaView, new: SchemaView, path: str) -> None:
        for name, base_prop in old.properties.items():
            child = f"{path}.{name}" if path else name
            rev_prop = new.properties.get(name)
            if self._hidden(base_prop) and (rev_prop is None or self._hidden(rev_prop)):
                continue
            if rev_prop is None:
                if self.request:
                    self._report(r.REQ_PROPERTY_REMOVED, f"property {self._at(child)} was removed", base_prop, new)
                elif name in old.required:
                    self._report(
                        r.RESP_PROPERTY_REMOVED, f"required property {self._at(child)} was removed", base_prop, new
                    )
                else:
                    self._report(
                        r.RESP_OPTIONAL_PROPERTY_REMOVED, f"property {self._at(child)} was removed", base_prop, new
                    )
                continue
            was, now = name in old.required, name in new.required
            if was != now and not self._hidden(rev_prop):
                if self.request:
                    rule = r.REQ_PROPERTY_BECAME_REQUIRED if now else r.REQ_PROPERTY_BECAME_OPTIONAL
                else:
                    rule = r.RESP_PROPERTY_BECAME_REQUIRED if now else r.RESP_PROPERTY_BECAME_OPTIONAL
                state = "required" if now else "optional"
                self._report(rule, f"property {self._at(child)} became {state}", base_prop, rev_prop)
            self.compare(base_prop, rev_prop, child)
        for name, rev_prop in new.properties.items():
            if name in old.properties or self._hidden(rev_prop):
                continue
            child = f"{path}.{name}" if path else name
            if self.request:
                has_default = isinstance(rev_prop.value, dict) and "default" in rev_prop.value
                if name in new.required and not has_default:
                    self._report(
                        r.REQ_PROPERTY_REQUIRED_ADDED, f"required property {self._at(child)} was added", old, rev_prop
                    )
                else:
                    self._report(r.REQ_PROPERTY_ADDED, f"property {self._at(child)} was added", old, rev_prop)
            else:
                self._report(r.RESP_PROPERTY_ADDED, f"property {self._at(child)} was added", old, rev_prop)
        if self.request and old.additional and not new.additional:
            self._report(
                r.REQ_ADDITIONAL_FORBIDDEN, f"{self._at(path)} no longer accepts unlisted properties", old, new
            )

    def _hidden(self, prop: Cursor) -> bool:
        """A readOnly property is never sent by clients; a writeOnly one never read by them."""
        if not isinstance(prop.value, dict):
            return False
        return bool(prop.value.get("readOnly" if self.request else "writeOnly"))

    def _variants(self, old: SchemaView, new: SchemaView, path: str) -> None:
        if (
            old.discriminator is not None
            and new.discriminator is not None
            and old.discriminator[0] != new.discriminator[0]
        ):
            rule = r.REQ_DISCRIMINATOR_CHANGED if self.request else r.RESP_DISCRIMINATOR_CHANGED
            text = (
                f"discriminator of {self._at(path)} changed from `{old.discriminator[0]}` to `{new.discriminator[0]}`"
            )
            self._report(rule, text, old, new)
        if not old.variants and not new.variants:
            return
        unmatched = list(new.variants)
        for index, variant in enumerate(old.variants):
            match = _match_variant(variant, unmatched)
            label = f"{path}<{old.variant_keyword or new.variant_keyword}[{index}]>"
            if match is None:
                rule = r.REQ_VARIANT_REMOVED if self.request else r.RESP_VARIANT_REMOVED
                self._report(rule, f"variant {_variant_name(variant)} of {self._at(path)} was removed", variant, new)
                continue
            unmatched.remove(match)
            self.compare(variant, match, label)
        for variant in unmatched:
            rule = r.REQ_VARIANT_ADDED if self.request else r.RESP_VARIANT_ADDED
            self._report(rule, f"variant {_variant_name(variant)} was added to {self._at(path)}", old, variant)


def _match_variant(variant: Cursor, candidates: list[Cursor]) -> Cursor | None:
    """Pair a variant with one of the revision's: same component name, else same shape, else same title."""
    for candidate in candidates:
        if candidate.identity == variant.identity:
            return candidate
        if _is_component(candidate) and _is_component(variant) and candidate.key == variant.key:
            return candidate
    fingerprint = shape(variant)
    for candidate in candidates:
        if shape(candidate) == fingerprint:
            return candidate
    title = variant.value.get("title") if isinstance(variant.value, dict) else None
    for candidate in candidates:
        if title and isinstance(candidate.value, dict) and candidate.value.get("title") == title:
            return candidate
    return None


def _is_component(cursor: Cursor) -> bool:
    return len(cursor.parts) >= 3 and cursor.parts[0] == "components"


def _variant_name(variant: Cursor) -> str:
    if _is_component(variant):
        return f"`{variant.key}`"
    title = variant.value.get("title") if isinstance(variant.value, dict) else None
    return f"`{title}`" if title else f"at {variant.location}"


_IGNORED = frozenset(
    {"description", "summary", "title", "example", "examples", "externalDocs", "deprecated", "$comment", "xml"}
)


def shape(cursor: Cursor, depth: int = 6) -> str:
    """Return a canonical text of the schema's meaning (refs followed, docs dropped, keys sorted)."""

    def walk(node: Cursor, level: int, stack: frozenset[object]) -> object:
        value = node.value
        if node.identity in stack or level > depth:
            return "<recursion>"
        inner = stack | {node.identity}
        if isinstance(value, dict):
            return {
                k: walk(child, level + 1, inner)
                for k, child in sorted(node.items())
                if k not in _IGNORED and not k.startswith("x-")
            }
        if isinstance(value, list):
            return [walk(child, level + 1, inner) for child in node.elements()]
        return value

    return json.dumps(walk(cursor, 0, frozenset()), sort_keys=True, default=str)


def _contains(values: list[object], value: object) -> bool:
    return any(type(v) is type(value) and v == value for v in values)


def _values(values: list[object] | None, limit: int = 5) -> str:
    shown = [f"`{json.dumps(v)}`" for v in (values or [])[:limit]]
    more = len(values or []) - limit
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def _number(value: float | None) -> str:
    if value is None:
        return "none"
    return f"`{int(value)}`" if value == int(value) else f"`{value}`"


def _text(value: str | None) -> str:
    return f"`{value}`" if value is not None else "none"
