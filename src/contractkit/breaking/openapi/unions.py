"""Comparing `oneOf`/`anyOf` choices as the sets of values they accept.

A union accepts what any of its variants accepts. Variants are paired across versions (see
:func:`~contractkit.breaking.openapi.variants.match_variants`) and each pair is compared, but a variant whose
values another variant of the other version accepts anyway changes nothing a client can see:

- in a **request** (clients send old values): an old variant that some *other* new variant covers is not
  compared, and neither an old variant some new variant covers nor a new variant some old one covered is
  reported as removed or added;
- in a **response** (clients read new values): a new variant that some *other* old variant covered is not
  compared, and the same variants are left out of the removed and added ones.

So a catch-all branch (``anyOf: [{type: string}, {type: string, enum: [...]}]``) absorbs the enum changes of
its sibling, and a variant merged into a wider one is not "removed". What "covers" means is
:func:`covers`: certain, never guessed.

Each rule is a function: the walker works out a :class:`VariantChange` for each variant added or removed (and
each discriminator value added to a mapping), and a :class:`SelectionChange` for each change of how a variant is
selected (the discriminator's property, a variant's values, a mapping's), and calls :data:`VARIANT_RULES` or
:data:`SELECTION_RULES` with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from contractkit.breaking.openapi.fixes import NEW_VERSION
from contractkit.breaking.openapi.said import AT, NO_CYCLE, values_text
from contractkit.breaking.openapi.schema_view import NUMERIC, UPPER, SchemaView, accepts, contains, json_type
from contractkit.breaking.openapi.value_types import choice_types, compare_types
from contractkit.breaking.openapi.variants import (
    discriminator_values,
    is_component,
    mapping_targets,
    match_variants,
    shape,
    variant_name,
)
from contractkit.breaking.registry import CHANGE, ERROR, INFO, WARNING, AnyChangeRule, breaking_rule, fired

if TYPE_CHECKING:
    from contractkit.breaking.openapi.schemas import SchemaDiff
    from contractkit.loaders.document import Cursor


@dataclass(frozen=True, slots=True)
class VariantChange:
    """A variant of a choice that no variant of the other version covers, added or removed, for :data:`VARIANT_RULES`.

    Attributes:
        request: the schema is read from requests (clients write it); else from responses.
        added: the variant is the revision's; else the base's (removed).
        keyword: the choice's keyword (`oneOf`, `anyOf`).
        name: the variant as messages name it (``#2``, `Cat`); ``None`` when it is the single schema of its
            version (the other one is a choice).
        value: the discriminator value of a mapping that selects the added variant, when that is the change (a
            discriminator without `oneOf`, on a parent that subtypes extend with `allOf`).
    """

    request: bool
    added: bool
    keyword: str
    name: str | None
    value: str | None = None

    def removal(self) -> str:
        """Say the variant removed."""
        if self.name is None:  # the single old schema is none of the new choice's variants
            return f"{AT} became a `{self.keyword}` that has no variant like the old schema"
        return f"variant {self.name} of {AT} was removed"

    def addition(self) -> str:
        """Say the variant added."""
        if self.value is not None:
            return f"discriminator value `{self.value}` was added to {AT}"
        if self.name is None:  # a choice became a single schema that is none of its variants
            return f"{AT} was a `{self.keyword}` and became a schema unlike any of its variants"
        return f"variant {self.name} was added to {AT}"


@dataclass(frozen=True, slots=True)
class SelectionChange:
    """How a payload selects its variant changed, for :data:`SELECTION_RULES`.

    The discriminator's property, the values that select a variant, or the schema a mapping's value selects.

    Attributes:
        request: the schema is read from requests (clients write it); else from responses.
        lost: a value that selected a variant no longer selects it (payloads clients send go astray).
        gained: a value selects a variant it did not (payloads clients read are taken for another variant).
        said: what changed, naming the place with :data:`~contractkit.breaking.openapi.said.AT`.
    """

    request: bool
    lost: bool
    gained: bool
    said: str


#: The rules of a variant added to or removed from a choice (exactly one says it).
VARIANT_RULES: list[AnyChangeRule] = []
#: The rules of a change of how a variant is selected (the discriminator).
SELECTION_RULES: list[AnyChangeRule] = []


# --- variants -----------------------------------------------------------------------------------------------
@breaking_rule(
    id="request-variant-removed",
    level=ERROR,
    direction="request",
    summary="clients sending the shape of a removed `oneOf`/`anyOf` variant are rejected",
    fix="keep accepting the variant.",
    category=CHANGE,
    schema=True,
    group=VARIANT_RULES,
)
def request_variant_removed(change: VariantChange) -> str | None:
    """A request `oneOf`/`anyOf` lost a variant whose values no remaining variant accepts.

    Clients that send a payload of that shape (or of the single schema that became a choice without it) are
    rejected with a 400.
    """
    return change.removal() if change.request and not change.added else None


@breaking_rule(
    id="request-variant-added",
    level=INFO,
    direction="request",
    summary="accepting another shape breaks no client",
    category=CHANGE,
    schema=True,
    group=VARIANT_RULES,
)
def request_variant_added(change: VariantChange) -> str | None:
    """A request `oneOf`/`anyOf` gained a variant: every payload clients send today is still accepted."""
    return change.addition() if change.request and change.added else None


@breaking_rule(
    id="response-variant-added",
    level=WARNING,
    direction="response",
    summary="clients that handle each `oneOf`/`anyOf` variant may not handle the new one",
    fix="tell clients to ignore unknown variants (a discriminator with a default branch) before adding one.",
    category=CHANGE,
    schema=True,
    group=VARIANT_RULES,
)
def response_variant_added(change: VariantChange) -> str | None:
    """A response `oneOf`/`anyOf` gained a variant (or a discriminator mapping a new value) no old one covered.

    Clients that handle each variant they know (a `switch` on the type, a generated sealed class) may fail on a
    payload of the new one.
    """
    return change.addition() if not change.request and change.added else None


@breaking_rule(
    id="response-variant-removed",
    level=INFO,
    direction="response",
    summary="sending fewer shapes is safe",
    category=CHANGE,
    schema=True,
    group=VARIANT_RULES,
)
def response_variant_removed(change: VariantChange) -> str | None:
    """A response `oneOf`/`anyOf` lost a variant: clients only stop getting payloads of that shape."""
    return change.removal() if not change.request and not change.added else None


# --- the discriminator --------------------------------------------------------------------------------------
@breaking_rule(
    id="request-discriminator-changed",
    level=ERROR,
    direction="request",
    summary="the property or mapping that selects the `oneOf` variant changed: old payloads select nothing",
    fix=NEW_VERSION,
    category=CHANGE,
    schema=True,
    group=SELECTION_RULES,
)
def request_discriminator_changed(change: SelectionChange) -> str | None:
    """The discriminator of a request choice changed: its property, a value removed, or what a value selects.

    Clients that send the old discriminator value (or set the old property) select no variant, or another one,
    and are rejected or misread.
    """
    return change.said if change.request and change.lost else None


@breaking_rule(
    id="response-discriminator-changed",
    level=ERROR,
    direction="response",
    summary="clients select the variant by the discriminator: a changed property or mapping selects nothing",
    fix=NEW_VERSION,
    category=CHANGE,
    schema=True,
    group=SELECTION_RULES,
)
def response_discriminator_changed(change: SelectionChange) -> str | None:
    """The discriminator of a response choice changed: its property, a new value, or what a value selects.

    Clients select the variant to parse by the discriminator: a payload with the new property or value selects
    nothing they know, or the wrong model.
    """
    return change.said if not change.request and change.gained else None


def compare_variants(
    diff: SchemaDiff, old: SchemaView, new: SchemaView, *, promote: bool = False, root: bool = False
) -> int:
    """Compare the variants of two schemas, as sets of accepted values.

    ``promote``: one side is a single schema, compared as a choice of one; ``root``: the schemas are those of
    the place itself.

    Returns:
        The depth of a cycle a variant pair hit (see ``SchemaDiff``), or a large number.
    """
    if old.discriminator is not None and new.discriminator is not None and old.discriminator != new.discriminator:
        text = f"discriminator of {AT} changed from `{old.discriminator}` to `{new.discriminator}`"
        for rule, message in fired(SELECTION_RULES, SelectionChange(diff.request, True, True, text)):
            diff.say(rule, message, old, new)
    old_variants = old.variants or ([old.sole or old.cursor] if promote else [])
    new_variants = new.variants or ([new.sole or new.cursor] if promote else [])
    if not old_variants and not new_variants:
        _mapping(diff, old, new)
        return NO_CYCLE
    keyword = old.variant_keyword or new.variant_keyword
    # Between a single schema and a choice of typed variants, a change of the set of types says it all.
    covered: frozenset[str] = frozenset()
    if promote:
        old_types, new_types = choice_types(diff, old), choice_types(diff, new)
        if old_types is not None and new_types is not None and old_types != new_types:
            compare_types(diff, old, new, root)
            covered = (old_types - new_types) | (new_types - old_types)
    old_views = [diff.view(v) for v in old_variants]
    new_views = [diff.view(v) for v in new_variants]
    pairs, removed, added = match_variants(old_variants, new_variants)
    new_index = {id(v): j for j, v in enumerate(new_variants)}
    old_values, new_values = discriminator_values(old), discriminator_values(new)
    lowest = NO_CYCLE
    for index, before, after in pairs:
        j = new_index[id(after)]
        if _absorbed(diff.request, old_views, new_views, index, j):
            continue
        name = variant_name(before, keyword, index)
        _discriminator_values(diff, old_values, new_values, before, after, f"variant {name} of {AT}")
        segment = "" if promote else f"<{name.strip('`')}>"
        lowest = min(lowest, diff.child(before, after, segment, check_null=not promote))
    for index in removed:
        variant = old_variants[index]
        if _types_covered(diff, variant, covered) or union_covers(new_views, old_views[index]):
            continue  # its values are still accepted (or still possible): nothing was removed
        label = variant_name(variant, keyword, index) if old.variants else None
        for rule, message in fired(VARIANT_RULES, VariantChange(diff.request, False, keyword, label)):
            diff.say(rule, message, variant, new)
    for index in added:
        variant = new_variants[index]
        if _types_covered(diff, variant, covered) or union_covers(old_views, new_views[index]):
            continue  # it accepts (or sends) nothing the old choice did not
        label = variant_name(variant, keyword, index) if new.variants else None
        for rule, message in fired(VARIANT_RULES, VariantChange(diff.request, True, keyword, label)):
            diff.say(rule, message, old, variant)
    return lowest


def _absorbed(request: bool, old_views: list[SchemaView], new_views: list[SchemaView], i: int, j: int) -> bool:
    """Return whether the pair (old ``i``, new ``j``) cannot break anyone because a sibling covers its values.

    Request: another new variant accepts every value old ``i`` accepted. Response: another old variant already
    allowed every value new ``j`` may carry.
    """
    if request:
        return union_covers([n for k, n in enumerate(new_views) if k != j], old_views[i])
    return union_covers([o for k, o in enumerate(old_views) if k != i], new_views[j])


def _types_covered(diff: SchemaDiff, variant: Cursor, covered: frozenset[str]) -> bool:
    types = diff.view(variant).types
    return bool(covered) and types is not None and types <= covered


def _discriminator_values(
    diff: SchemaDiff,
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
    text = f"discriminator value(s) of {variant} changed from {values_text(sorted(was))} to {values_text(sorted(now))}"
    for rule, message in fired(SELECTION_RULES, SelectionChange(diff.request, bool(was - now), bool(now - was), text)):
        diff.say(rule, message, before, after)


def _mapping(diff: SchemaDiff, old: SchemaView, new: SchemaView) -> None:
    """A discriminator without `oneOf` (on a parent that subtypes extend with `allOf`): compare its mapping."""
    if old.discriminator is None or new.discriminator is None:
        return
    request = diff.request
    before, after = mapping_targets(old), mapping_targets(new)
    for value, target in before.items():
        counterpart = after.get(value)
        if counterpart is None:  # clients reading payloads never see the value again
            change = SelectionChange(request, True, False, f"discriminator value `{value}` of {AT} was removed")
            for rule, message in fired(SELECTION_RULES, change):
                diff.say(rule, message, target, new)
        elif not _same_schema(target, counterpart):
            change = SelectionChange(
                request, True, True, f"discriminator value `{value}` of {AT} now selects another schema"
            )
            for rule, message in fired(SELECTION_RULES, change):
                diff.say(rule, message, target, counterpart)
    if not request:  # a request value added selects a variant no client sends: nothing to say
        for value, target in after.items():
            if value not in before:
                for rule, message in fired(VARIANT_RULES, VariantChange(request, True, "", None, value)):
                    diff.say(rule, message, old, target)


def _same_schema(left: Cursor, right: Cursor) -> bool:
    if is_component(left) and is_component(right) and left.key == right.key:
        return True
    if _document_root(left) and _document_root(right):
        return True  # a mapping value `#`: the document itself (no schema), in both versions
    return shape(left) == shape(right)


def _document_root(cursor: Cursor) -> bool:
    return not cursor.parts and cursor.file is cursor.doc.root


def covers(outer: SchemaView, inner: SchemaView) -> bool:
    """Return whether every value ``inner`` accepts is accepted by ``outer`` (a safe, partial answer).

    ``True`` only when that is certain from the facts compared: ``outer`` has every type of ``inner``, and for
    scalars no constraint that ``inner`` does not have as tight (its enum holds ``inner``'s values, its bounds are
    no tighter, its pattern and format are absent or the same); an object or an array is covered only by a
    schema that says nothing about its content. ``null`` is left to the nullability check.
    """
    if not accepts(outer.types, inner.types):
        return False
    if outer.unconstrained():
        return True
    if outer.properties or outer.required or not outer.additional or outer.additional_schema is not None:
        return False
    if outer.items is not None or outer.variants:
        return False
    if outer.enum is not None and (inner.enum is None or not all(contains(outer.enum, v) for v in inner.enum)):
        return False
    for keyword, bound in outer.bounds.items():
        other = inner.bounds.get(keyword)
        if other is None or bound.tighter(other, keyword in UPPER):
            return False
    return (outer.pattern is None or outer.pattern == inner.pattern) and (
        outer.format is None or outer.format == inner.format
    )


def union_covers(outers: list[SchemaView], inner: SchemaView) -> bool:
    """Return whether the union of ``outers`` accepts every value ``inner`` accepts (a safe, partial answer).

    Some member covers ``inner`` whole (:func:`covers`), or ``inner`` is an enum whose every value some member
    accepts (two enum branches merged into one, a value moved to a sibling).
    """
    if any(covers(outer, inner) for outer in outers):
        return True
    return inner.enum is not None and all(any(_accepts_value(o, v) for o in outers) for v in inner.enum)


def _accepts_value(schema: SchemaView, value: object) -> bool:
    """Return whether ``schema`` certainly accepts ``value`` (``False`` when that cannot be told for sure)."""
    kind = json_type(value)
    if schema.types is not None and not (kind in schema.types or (kind == "integer" and "number" in schema.types)):
        return False
    if schema.enum is not None:
        return contains(schema.enum, value)
    if schema.variants or schema.pattern is not None or schema.format is not None:
        return False
    if kind in ("object", "array"):
        return schema.unconstrained()
    if isinstance(value, str):
        measure: int | float = len(value)
        keywords: tuple[str, ...] = ("maxLength", "minLength")
    elif isinstance(value, int | float) and not isinstance(value, bool):
        measure, keywords = value, NUMERIC
    else:
        return not schema.bounds  # `true`/`false`: no bound applies, but keep to the certain answer
    for keyword in keywords:
        bound = schema.bounds.get(keyword)
        if bound is None:
            continue
        outside = measure > bound.value if keyword in UPPER else measure < bound.value
        if outside or (bound.exclusive and measure == bound.value):
            return False
    return True
