"""`enum` lists: values added to or removed from the closed list a schema accepts.

A request that accepts fewer values breaks the clients sending the others. A response that sends a new value
breaks the clients with an exhaustive switch, unless the enum is marked open (`x-extensible-enum: true`); one
marked closed (`x-extensible-enum: false`) promised there would be none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from contractkit.breaking.openapi.fixes import NEW_VERSION
from contractkit.breaking.openapi.said import AT, values_text
from contractkit.breaking.openapi.schema_view import SchemaView, contains
from contractkit.breaking.registry import CHANGE, ERROR, INFO, WARNING, change_rule

if TYPE_CHECKING:
    from contractkit.breaking.openapi.schemas import SchemaDiff

# --- request side (what clients send) ---------------------------------------------------------------------
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
# --- response side (what clients read) --------------------------------------------------------------------
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


def compare_enum(diff: SchemaDiff, old: SchemaView, new: SchemaView) -> None:
    """Report an `enum` added or dropped, and the values added to or removed from it."""
    if old.enum is None and new.enum is None:
        return
    if old.enum is None:
        if diff.request:
            diff.say(REQ_ENUM_ADDED, f"{AT} is now restricted to {values_text(new.enum)}", old, new)
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
        rule = REQ_ENUM_VALUE_ADDED if diff.request else grown
        diff.say(rule, f"{AT} is no longer restricted to {values_text(old.enum)}", old, new)
        return
    added = [v for v in new.enum if not contains(old.enum, v)]
    removed = [v for v in old.enum if not contains(new.enum, v)]
    if removed:
        rule = REQ_ENUM_VALUE_REMOVED if diff.request else RESP_ENUM_VALUE_REMOVED
        diff.say(rule, f"enum value(s) {values_text(removed)} removed from {AT}", old, new)
    if added:
        rule = REQ_ENUM_VALUE_ADDED if diff.request else grown
        diff.say(rule, f"enum value(s) {values_text(added)} added to {AT}", old, new)
