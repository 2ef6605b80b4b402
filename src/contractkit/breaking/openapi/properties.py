"""The properties of an object: added, removed, required or optional, and whether the object is open or closed.

A request property is judged by what clients send (a new required one, or a removed one that a closed schema,
`additionalProperties: false`, now rejects); a response property by what clients read (a removed or optional one
they rely on, a new one that the old closed schema rejects). A `readOnly` property is never sent by clients and a
`writeOnly` one never read by them, so each is left out of that side.

Each rule is a function: :func:`compare_properties` works out what changed for each property once (a
:class:`PropertyRemoved`, :class:`PropertyAdded` or :class:`RequiredChange`; a :class:`OpennessChange` for the
object) and calls the rules of that kind (:data:`REMOVED_RULES`, :data:`ADDED_RULES`, :data:`REQUIRED_RULES`,
:data:`OPENNESS_RULES`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from contractkit.breaking.openapi.fixes import DEPRECATE
from contractkit.breaking.openapi.said import AT, NO_CYCLE
from contractkit.breaking.openapi.schema_view import SchemaView
from contractkit.breaking.openapi.sites import sites_of
from contractkit.breaking.registry import CHANGE, ERROR, INFO, WARNING, AnyChangeRule, breaking_rule, fired

if TYPE_CHECKING:
    from contractkit.breaking.openapi.schemas import SchemaDiff
    from contractkit.loaders.document import Cursor


@dataclass(frozen=True, slots=True)
class PropertyRemoved:
    """A property of the base that the revision lacks on this side, for :data:`REMOVED_RULES`.

    Attributes:
        request: the schema is read from requests (clients write it); else from responses.
        required: the base required the property.
        closed: the revision is closed to unlisted properties (`additionalProperties: false`).
        gone: how it went, as messages say it (``was removed``, ``became `readOnly```).
    """

    request: bool
    required: bool
    closed: bool
    gone: str


@dataclass(frozen=True, slots=True)
class PropertyAdded:
    """A property of the revision that the base lacked on this side, for :data:`ADDED_RULES`.

    Attributes:
        request: the schema is read from requests (clients write it); else from responses.
        required: clients must send it: required without a `default` (only said of a request).
        was_closed: the base was closed to unlisted properties (`additionalProperties: false`).
    """

    request: bool
    required: bool
    was_closed: bool


@dataclass(frozen=True, slots=True)
class RequiredChange:
    """A property (or a required name without a schema) became required or optional, for :data:`REQUIRED_RULES`.

    Attributes:
        request: the schema is read from requests (clients write it); else from responses.
        now: the revision requires it (the base did not); else the base required it and the revision does not.
    """

    request: bool
    now: bool

    def text(self) -> str:
        """Say the change."""
        return f"property {AT} became {'required' if self.now else 'optional'}"


@dataclass(frozen=True, slots=True)
class OpennessChange:
    """An object closed to unlisted properties (`additionalProperties: false`), or opened to them.

    Attributes:
        request: the schema is read from requests (clients write it); else from responses.
        open: the revision accepts unlisted properties (the base did not); else the base did and the revision not.
    """

    request: bool
    open: bool


#: The rules of a property removed (exactly one says it).
REMOVED_RULES: list[AnyChangeRule] = []
#: The rules of a property added (exactly one says it).
ADDED_RULES: list[AnyChangeRule] = []
#: The rules of a property made required or optional (exactly one says it).
REQUIRED_RULES: list[AnyChangeRule] = []
#: The rules of an object closed or opened to unlisted properties.
OPENNESS_RULES: list[AnyChangeRule] = []


# --- a property removed -------------------------------------------------------------------------------------
@breaking_rule(
    id="request-property-removed",
    level=WARNING,
    direction="request",
    summary="clients still send it: rejected if the schema is closed, silently ignored otherwise",
    fix=DEPRECATE,
    category=CHANGE,
    removes="property",
    schema=True,
    group=REMOVED_RULES,
)
def request_property_removed(change: PropertyRemoved) -> str | None:
    """A request property was removed (or became `readOnly`) from a schema that accepts unlisted properties.

    Clients still send it: the server now ignores what they send, silently, which may lose their data.
    """
    return f"property {AT} {change.gone}" if change.request and not change.closed else None


@breaking_rule(
    id="request-closed-property-removed",
    level=ERROR,
    direction="request",
    summary="the schema is closed (`additionalProperties: false`): clients that still send the removed property are "
    "now rejected",
    fix="keep the property (deprecated) until clients stop sending it, or open the schema.",
    category=CHANGE,
    removes="property",
    schema=True,
    group=REMOVED_RULES,
)
def request_closed_property_removed(change: PropertyRemoved) -> str | None:
    """A request property was removed (or became `readOnly`) from a closed schema (`additionalProperties: false`).

    Clients that still send it are rejected with a 400: the schema no longer lists it and accepts nothing else.
    """
    return f"property {AT} {change.gone}" if change.request and change.closed else None


@breaking_rule(
    id="response-required-property-removed",
    level=ERROR,
    direction="response",
    summary="clients that read the property no longer get it",
    fix=DEPRECATE,
    category=CHANGE,
    removes="property",
    schema=True,
    group=REMOVED_RULES,
)
def response_required_property_removed(change: PropertyRemoved) -> str | None:
    """A required response property was removed (or became `writeOnly`).

    Clients were promised it in every response: those that read it (a non-optional field of a generated model)
    fail to parse the response, or crash on the missing value.
    """
    if not change.request and change.required:
        return f"required property {AT} {change.gone}"
    return None


@breaking_rule(
    id="response-optional-property-removed",
    level=WARNING,
    direction="response",
    summary="clients may read the optional property",
    fix=DEPRECATE,
    category=CHANGE,
    removes="property",
    schema=True,
    group=REMOVED_RULES,
)
def response_optional_property_removed(change: PropertyRemoved) -> str | None:
    """An optional response property was removed (or became `writeOnly`).

    Clients that read it whenever it was sent stop getting it: the feature that shows it loses its data.
    """
    return f"property {AT} {change.gone}" if not change.request and not change.required else None


# --- a property added ---------------------------------------------------------------------------------------
@breaking_rule(
    id="request-required-property-added",
    level=ERROR,
    direction="request",
    summary="clients that do not send the new property are rejected",
    fix="make it optional, with a server-side default.",
    category=CHANGE,
    schema=True,
    group=ADDED_RULES,
)
def request_required_property_added(change: PropertyAdded) -> str | None:
    """A request schema gained a required property without a `default`.

    Every client written against the old contract omits it, and every one of their requests is rejected with a 400.
    """
    return f"required property {AT} was added" if change.request and change.required else None


@breaking_rule(
    id="request-property-added",
    level=INFO,
    direction="request",
    summary="an optional property breaks no client",
    category=CHANGE,
    schema=True,
    group=ADDED_RULES,
)
def request_property_added(change: PropertyAdded) -> str | None:
    """A request schema gained an optional property (or a required one with a `default`): clients may omit it."""
    return f"property {AT} was added" if change.request and not change.required else None


@breaking_rule(
    id="response-property-added",
    level=INFO,
    direction="response",
    summary="clients ignore properties they do not know (tolerant reader)",
    category=CHANGE,
    schema=True,
    group=ADDED_RULES,
)
def response_property_added(change: PropertyAdded) -> str | None:
    """A response schema open to unlisted properties gained one: clients ignore the properties they do not know."""
    return f"property {AT} was added" if not change.request and not change.was_closed else None


@breaking_rule(
    id="response-closed-property-added",
    level=ERROR,
    direction="response",
    summary="the schema was closed (`additionalProperties: false`): clients that validate against it reject the new "
    "property",
    fix="open the schema (drop `additionalProperties: false`) in one version, add the property in a later one.",
    category=CHANGE,
    schema=True,
    group=ADDED_RULES,
)
def response_closed_property_added(change: PropertyAdded) -> str | None:
    """A response schema that was closed (`additionalProperties: false`) gained a property.

    Clients that validate responses against the old schema reject every response that carries the new property.
    """
    return f"property {AT} was added" if not change.request and change.was_closed else None


# --- a property made required or optional -------------------------------------------------------------------
@breaking_rule(
    id="request-property-became-required",
    level=ERROR,
    direction="request",
    summary="clients that omitted the property are now rejected",
    fix="keep it optional, with a server-side default.",
    category=CHANGE,
    schema=True,
    group=REQUIRED_RULES,
)
def request_property_became_required(change: RequiredChange) -> str | None:
    """An optional request property became required.

    Clients that omit it (as the old contract allowed) are rejected with a 400.
    """
    return change.text() if change.request and change.now else None


@breaking_rule(
    id="request-property-became-optional",
    level=INFO,
    direction="request",
    summary="accepting a missing property breaks no client",
    category=CHANGE,
    schema=True,
    group=REQUIRED_RULES,
)
def request_property_became_optional(change: RequiredChange) -> str | None:
    """A required request property became optional: the requests of every client, which send it, still pass."""
    return change.text() if change.request and not change.now else None


@breaking_rule(
    id="response-property-became-required",
    level=INFO,
    direction="response",
    summary="always sending a property is safe",
    category=CHANGE,
    schema=True,
    group=REQUIRED_RULES,
)
def response_property_became_required(change: RequiredChange) -> str | None:
    """An optional response property became required: clients that handle its absence now always get it."""
    return change.text() if not change.request and change.now else None


@breaking_rule(
    id="response-property-became-optional",
    level=ERROR,
    direction="response",
    summary="clients that rely on the property may no longer get it",
    fix="keep it required.",
    category=CHANGE,
    schema=True,
    group=REQUIRED_RULES,
)
def response_property_became_optional(change: RequiredChange) -> str | None:
    """A required response property became optional.

    Clients that rely on it being there (a non-optional field of a generated model) fail on a response without it.
    """
    return change.text() if not change.request and not change.now else None


# --- an object closed or opened -----------------------------------------------------------------------------
@breaking_rule(
    id="request-additional-properties-forbidden",
    level=WARNING,
    direction="request",
    summary="clients sending properties the schema does not list are now rejected",
    fix="keep the schema open.",
    category=CHANGE,
    schema=True,
    group=OPENNESS_RULES,
)
def request_additional_properties_forbidden(change: OpennessChange) -> str | None:
    """A request schema that accepted unlisted properties is now closed (`additionalProperties: false`).

    Clients that send a property the schema does not list (an extra field, one from a newer model) are rejected.
    """
    return f"{AT} no longer accepts unlisted properties" if change.request and not change.open else None


@breaking_rule(
    id="response-additional-properties-allowed",
    level=WARNING,
    direction="response",
    summary="the schema was closed (`additionalProperties: false`) and is now open: clients that validate against the "
    "old schema reject the unlisted properties they may now get",
    fix="tell clients to ignore unknown properties before opening the schema.",
    category=CHANGE,
    schema=True,
    group=OPENNESS_RULES,
)
def response_additional_properties_allowed(change: OpennessChange) -> str | None:
    """A response schema that was closed (`additionalProperties: false`) now allows unlisted properties.

    Clients that validate responses against the old schema reject the responses that carry one.
    """
    return f"{AT} may now carry unlisted properties" if not change.request and change.open else None


def compare_properties(diff: SchemaDiff, old: SchemaView, new: SchemaView) -> int:
    """Report the properties removed, added, made required or optional; compare those kept, deeper.

    Also reports an object closed to, or opened to, unlisted properties. Returns the depth of a cycle a pair of
    properties hit (see ``SchemaDiff``), or a large number.
    """
    request = diff.request
    hidden_flag = "`readOnly`" if request else "`writeOnly`"
    before = {name: prop for name, prop in old.properties.items() if not _hidden(diff, old, name, prop)}
    after = {name: prop for name, prop in new.properties.items() if not _hidden(diff, new, name, prop)}
    lowest = NO_CYCLE
    for name, base_prop in before.items():
        old_site = old.sites.get(name, base_prop)
        rev_prop = after.get(name)
        if rev_prop is None:
            gone = f"became {hidden_flag}" if name in new.properties else "was removed"
            # Clients still send it (a closed schema rejects it, an open one ignores it), or read it.
            removed = PropertyRemoved(request, name in old.required, not new.additional, gone)
            revision = new.sites.get(name, new.cursor)
            for rule, message in fired(REMOVED_RULES, removed):
                diff.say_property(name, rule, message, old_site, revision, node=old_site)
            continue
        new_site = new.sites.get(name, rev_prop)
        _required_changed(diff, old, new, name, old_site, new_site, node=new_site)
        sites = sites_of(old, new, name)
        lowest = min(lowest, diff.child(base_prop, rev_prop, f".{name}", sites=sites))
    for name, rev_prop in after.items():
        if name in before:
            continue
        site = new.sites.get(name, rev_prop)
        # A request property is required of clients unless it has a default; clients reading with the old,
        # closed schema reject a property it does not list.
        required = request and name in new.required and not _has_default(rev_prop)
        base = old.sites.get(name, old.cursor)
        for rule, message in fired(ADDED_RULES, PropertyAdded(request, required, not old.additional)):
            diff.say_property(name, rule, message, base, site, node=site)
    # A required name with no schema of its own (the schema accepts it with any value) is required all the same.
    for name in sorted((old.required ^ new.required) - old.properties.keys() - new.properties.keys()):
        _required_changed(diff, old, new, name, old.cursor, new.cursor, node=None)
    if old.additional != new.additional:
        for rule, message in fired(OPENNESS_RULES, OpennessChange(request, new.additional)):
            diff.say(rule, message, old, new)
    return lowest


def _has_default(prop: Cursor) -> bool:
    return isinstance(prop.value, dict) and "default" in prop.value


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
    for rule, message in fired(REQUIRED_RULES, RequiredChange(diff.request, now)):
        diff.say_property(name, rule, message, base, revision, node=node)
