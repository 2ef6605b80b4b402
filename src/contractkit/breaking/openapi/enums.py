"""`enum` lists: values added to or removed from the closed list a schema accepts.

A request that accepts fewer values breaks the clients sending the others. A response that sends a new value
breaks the clients with an exhaustive switch, unless the enum is marked open (`x-extensible-enum: true`); one
marked closed (`x-extensible-enum: false`) promised there would be none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from contractkit.breaking.openapi.fixes import NEW_VERSION
from contractkit.breaking.openapi.said import AT, values_text
from contractkit.breaking.openapi.schema_view import SchemaView, contains
from contractkit.breaking.registry import CHANGE, ERROR, INFO, WARNING, AnyChangeRule, breaking_rule, fired

if TYPE_CHECKING:
    from contractkit.breaking.openapi.schemas import SchemaDiff


@dataclass(frozen=True, slots=True)
class EnumChange:
    """What changed in the `enum` of one schema pair, worked out once for the rules below.

    Attributes:
        request: the schema is read from requests (clients write it); else from responses.
        old: the base's values, or ``None`` (any value).
        new: the revision's values, or ``None``.
        added: values of ``new`` that ``old`` lacks (empty unless both are lists).
        removed: values of ``old`` that ``new`` lacks (empty unless both are lists).
        open: the base's ``x-extensible-enum``: ``True`` open, ``False`` closed, ``None`` not said.
    """

    request: bool
    old: list[object] | None
    new: list[object] | None
    added: list[object]
    removed: list[object]
    open: bool | None

    @classmethod
    def of(cls, request: bool, old: SchemaView, new: SchemaView) -> EnumChange:
        """Return the change from ``old`` to ``new``."""
        added = removed = []
        if old.enum is not None and new.enum is not None:
            added = [v for v in new.enum if not contains(old.enum, v)]
            removed = [v for v in old.enum if not contains(new.enum, v)]
        return cls(request, old.enum, new.enum, added, removed, old.open_enum)

    def grown(self) -> str | None:
        """Say the values accepted now that were not (values added, or the list dropped), if any."""
        if self.old is None:
            return None
        if self.new is None:
            return f"{AT} is no longer restricted to {values_text(self.old)}"
        return f"enum value(s) {values_text(self.added)} added to {AT}" if self.added else None


#: The enum rules, in the order their findings are said (a list added, values removed, values added).
ENUM_RULES: list[AnyChangeRule] = []


@breaking_rule(
    id="request-enum-added",
    level=ERROR,
    direction="request",
    summary="a free value became a closed list: clients sending other values are rejected",
    fix=NEW_VERSION,
    category=CHANGE,
    schema=True,
    group=ENUM_RULES,
)
def request_enum_added(change: EnumChange) -> str | None:
    """A request value that took anything now takes only the listed values.

    Every client that sends another value (one the old contract allowed) is rejected with a 400.
    """
    if change.request and change.old is None and change.new is not None:
        return f"{AT} is now restricted to {values_text(change.new)}"
    return None


@breaking_rule(
    id="request-enum-value-removed",
    level=ERROR,
    direction="request",
    summary="clients sending the removed value are rejected",
    fix="keep accepting the value; deprecate it in its description.",
    category=CHANGE,
    schema=True,
    group=ENUM_RULES,
)
def request_enum_value_removed(change: EnumChange) -> str | None:
    """A value clients may send was taken out of a request enum.

    Clients that send it (stored in their data, chosen by their users) are rejected from the day of the release.
    """
    if change.request and change.removed:
        return f"enum value(s) {values_text(change.removed)} removed from {AT}"
    return None


@breaking_rule(
    id="response-enum-value-removed",
    level=INFO,
    direction="response",
    summary="sending fewer values is safe",
    category=CHANGE,
    schema=True,
    group=ENUM_RULES,
)
def response_enum_value_removed(change: EnumChange) -> str | None:
    """A value the API may send was taken out of a response enum: clients only stop seeing it."""
    if not change.request and change.removed:
        return f"enum value(s) {values_text(change.removed)} removed from {AT}"
    return None


@breaking_rule(
    id="request-enum-value-added",
    level=INFO,
    direction="request",
    summary="accepting a new value breaks no client",
    category=CHANGE,
    schema=True,
    group=ENUM_RULES,
)
def request_enum_value_added(change: EnumChange) -> str | None:
    """A request enum accepts a value it refused (or its list was dropped): every client's requests still pass."""
    return change.grown() if change.request else None


@breaking_rule(
    id="response-enum-value-added",
    level=WARNING,
    direction="response",
    summary="clients with an exhaustive switch or a generated enum may fail on the new value; APIs grow enums in "
    "minor releases, so the contract should say whether its enum is open (`x-extensible-enum: true`) or closed "
    "(`x-extensible-enum: false`)",
    fix="mark the enum `x-extensible-enum: true` (clients must then handle unknown values) before adding values.",
    category=CHANGE,
    schema=True,
    group=ENUM_RULES,
)
def response_enum_value_added(change: EnumChange) -> str | None:
    """A response enum that says neither open nor closed can send a new value.

    A generated client (a Java or TypeScript enum, a pydantic `Literal`) fails to parse a value it does not know.
    """
    return change.grown() if not change.request and change.open is None else None


@breaking_rule(
    id="response-closed-enum-value-added",
    level=ERROR,
    direction="response",
    summary="the enum is declared closed (`x-extensible-enum: false`): clients rely on knowing every value, and fail "
    "on the new one",
    fix="add the value in a new major version, or open the enum (`x-extensible-enum: true`) in one release and add "
    "values in a later one.",
    category=CHANGE,
    schema=True,
    group=ENUM_RULES,
)
def response_closed_enum_value_added(change: EnumChange) -> str | None:
    """A response enum marked closed (`x-extensible-enum: false`) can send a new value, which it promised not to."""
    return change.grown() if not change.request and change.open is False else None


@breaking_rule(
    id="response-extensible-enum-value-added",
    level=INFO,
    direction="response",
    summary="the enum is marked `x-extensible-enum`: clients promised to handle unknown values",
    category=CHANGE,
    schema=True,
    group=ENUM_RULES,
)
def response_extensible_enum_value_added(change: EnumChange) -> str | None:
    """A response enum marked open (`x-extensible-enum: true`) can send a new value: clients handle unknown ones."""
    return change.grown() if not change.request and change.open else None


def compare_enum(diff: SchemaDiff, old: SchemaView, new: SchemaView) -> None:
    """Report an `enum` added or dropped, and the values added to or removed from it (:data:`ENUM_RULES`)."""
    if old.enum is None and new.enum is None:
        return
    for rule, message in fired(ENUM_RULES, EnumChange.of(diff.request, old, new)):
        diff.say(rule, message, old, new)
