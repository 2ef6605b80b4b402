"""The properties of an object: added, removed, required or optional, and whether the object is open or closed.

A request property is judged by what clients send (a new required one, or a removed one that a closed schema,
`additionalProperties: false`, now rejects); a response property by what clients read (a removed or optional one
they rely on, a new one that the old closed schema rejects). A `readOnly` property is never sent by clients and a
`writeOnly` one never read by them, so each is left out of that side.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from contractkit.breaking.openapi.fixes import DEPRECATE
from contractkit.breaking.openapi.said import AT, NO_CYCLE
from contractkit.breaking.openapi.schema_view import SchemaView
from contractkit.breaking.openapi.sites import sites_of
from contractkit.breaking.registry import CHANGE, ERROR, INFO, WARNING, change_rule

if TYPE_CHECKING:
    from contractkit.breaking.openapi.schemas import SchemaDiff
    from contractkit.loaders.document import Cursor

# --- request side (what clients send) ---------------------------------------------------------------------
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
REQ_ADDITIONAL_FORBIDDEN = change_rule(
    id="request-additional-properties-forbidden",
    level=WARNING,
    direction="request",
    summary="clients sending properties the schema does not list are now rejected",
    fix="keep the schema open.",
    category=CHANGE,
    schema=True,
)
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
# --- response side (what clients read) --------------------------------------------------------------------
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


def compare_properties(diff: SchemaDiff, old: SchemaView, new: SchemaView) -> int:
    """Report the properties removed, added, made required or optional; compare those kept, deeper.

    Also reports an object closed to, or opened to, unlisted properties. Returns the depth of a cycle a pair of
    properties hit (see ``SchemaDiff``), or a large number.
    """
    hidden_flag = "`readOnly`" if diff.request else "`writeOnly`"
    before = {name: prop for name, prop in old.properties.items() if not _hidden(diff, old, name, prop)}
    after = {name: prop for name, prop in new.properties.items() if not _hidden(diff, new, name, prop)}
    lowest = NO_CYCLE
    for name, base_prop in before.items():
        old_site = old.sites.get(name, base_prop)
        rev_prop = after.get(name)
        if rev_prop is None:
            gone = f"became {hidden_flag}" if name in new.properties else "was removed"
            if diff.request:
                # Clients still send it: a closed schema rejects it, an open one ignores it.
                rule = REQ_PROPERTY_REMOVED if new.additional else REQ_CLOSED_PROPERTY_REMOVED
                text = f"property {AT} {gone}"
            elif name in old.required:
                rule, text = RESP_PROPERTY_REMOVED, f"required property {AT} {gone}"
            else:
                rule, text = RESP_OPTIONAL_PROPERTY_REMOVED, f"property {AT} {gone}"
            diff.say_property(name, rule, text, old_site, new.sites.get(name, new.cursor), node=old_site)
            continue
        new_site = new.sites.get(name, rev_prop)
        _required_changed(diff, old, new, name, old_site, new_site, node=new_site)
        sites = sites_of(old, new, name)
        lowest = min(lowest, diff.child(base_prop, rev_prop, f".{name}", sites=sites))
    for name, rev_prop in after.items():
        if name in before:
            continue
        site = new.sites.get(name, rev_prop)
        if diff.request:
            has_default = isinstance(rev_prop.value, dict) and "default" in rev_prop.value
            if name in new.required and not has_default:
                rule, text = REQ_PROPERTY_REQUIRED_ADDED, f"required property {AT} was added"
            else:
                rule, text = REQ_PROPERTY_ADDED, f"property {AT} was added"
        else:
            # Clients reading with the old, closed schema reject a property it does not list.
            rule = RESP_PROPERTY_ADDED if old.additional else RESP_CLOSED_PROPERTY_ADDED
            text = f"property {AT} was added"
        diff.say_property(name, rule, text, old.sites.get(name, old.cursor), site, node=site)
    # A required name with no schema of its own (the schema accepts it with any value) is required all the same.
    for name in sorted((old.required ^ new.required) - old.properties.keys() - new.properties.keys()):
        _required_changed(diff, old, new, name, old.cursor, new.cursor, node=None)
    if diff.request and old.additional and not new.additional:
        diff.say(REQ_ADDITIONAL_FORBIDDEN, f"{AT} no longer accepts unlisted properties", old, new)
    if not diff.request and not old.additional and new.additional:
        diff.say(RESP_ADDITIONAL_ALLOWED, f"{AT} may now carry unlisted properties", old, new)
    return lowest


def _hidden(diff: SchemaDiff, owner: SchemaView, name: str, prop: Cursor) -> bool:
    """A readOnly property is never sent by clients; a writeOnly one never read by them."""
    flag = "readOnly" if diff.request else "writeOnly"
    schema = diff.view(prop)
    return (schema.read_only if diff.request else schema.write_only) or flag in owner.ref_flags.get(name, ())


def _required_changed(
    diff: SchemaDiff,
    old: SchemaView,
    new: SchemaView,
    name: str,
    base: Cursor,
    revision: Cursor,
    *,
    node: Cursor | None,
) -> None:
    was, now = name in old.required, name in new.required
    if was == now:
        return
    if diff.request:
        rule = REQ_PROPERTY_BECAME_REQUIRED if now else REQ_PROPERTY_BECAME_OPTIONAL
    else:
        rule = RESP_PROPERTY_BECAME_REQUIRED if now else RESP_PROPERTY_BECAME_OPTIONAL
    text = f"property {AT} became {'required' if now else 'optional'}"
    diff.say_property(name, rule, text, base, revision, node=node)
