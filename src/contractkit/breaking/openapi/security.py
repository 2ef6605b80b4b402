"""Comparing what credentials an operation accepts, and the security schemes they name.

A requirement is a list of alternatives; each alternative is a set of schemes (with scopes) that must all be
satisfied. A client keeps working when the alternative it uses is still accepted, or a new alternative asks
for no more than it did. The walkers work out what changed (a :class:`SecurityChange` per operation, a
:class:`SchemeChange` per security scheme) and call the rules declared below with it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from contractkit.breaking.context import DiffContext
from contractkit.breaking.registry import CHANGE, ERROR, INFO, AnyChangeRule, breaking_rule, fired
from contractkit.loaders.document import Cursor, Document
from contractkit.spec.walk import Operation

Alternative = dict[str, frozenset[str]]
# The fields of a security scheme that decide what a client sends, and where.
_SCHEME_FIELDS = ("type", "scheme", "in", "name", "openIdConnectUrl")


@dataclass(frozen=True, slots=True)
class SecurityChange:
    """What changed in the `security` of one operation pair (its alternatives differ), for the rules below.

    Attributes:
        before: the base's alternatives (the operation's, or the document's when it has none).
        after: the revision's alternatives.
        open_before: the base let a client call without credentials (no requirement, or an empty alternative).
        open_after: the revision does.
        alternative: a base alternative that no revision alternative accepts (the rules are called once per
            such alternative), or ``None`` for the requirement as a whole (when a side is open, or none broke).
    """

    before: list[Alternative]
    after: list[Alternative]
    open_before: bool
    open_after: bool
    alternative: Alternative | None = None

    @classmethod
    def of(cls, before: list[Alternative], after: list[Alternative]) -> SecurityChange:
        """Return the change from ``before`` to ``after``."""
        return cls(before, after, not before or {} in before, not after or {} in after)

    def broken(self) -> list[SecurityChange]:
        """Return the change once per base alternative no revision alternative accepts (none if either is open)."""
        if self.open_before or self.open_after:
            return []
        return [
            replace(self, alternative=alternative)
            for alternative in self.before
            if not any(_satisfies(alternative, option) for option in self.after)
        ]


#: The rules on an operation's requirement, in the order their findings are said.
SECURITY_RULES: list[AnyChangeRule] = []


@breaking_rule(
    id="request-security-requirement-added",
    level=ERROR,
    direction="request",
    summary="clients that called the operation without those credentials are now rejected with 401/403",
    fix="add the new requirement as an alternative (a second entry of `security`) until clients have migrated.",
    category=CHANGE,
    group=SECURITY_RULES,
)
def request_security_requirement_added(change: SecurityChange) -> str | None:
    """An operation that took anonymous calls now requires credentials, or no longer accepts the ones a client has.

    Clients that call it without credentials, or with a scheme that is no longer one of the accepted
    alternatives, are refused with a 401 or a 403 until they obtain and send the new credentials.
    """
    if change.alternative is None:
        if change.open_before and not change.open_after:
            return f"credentials are now required ({_names(change.after)})"
        return None
    if any(set(option) == set(change.alternative) for option in change.after):
        return None  # the same schemes with more scopes: request-security-scope-added
    return f"{_names([change.alternative])} is no longer accepted; accepted: {_names(change.after)}"


@breaking_rule(
    id="request-security-scope-added",
    level=ERROR,
    direction="request",
    summary="tokens issued with the old scopes are now refused",
    fix="accept the old scopes as an alternative until clients have new tokens.",
    category=CHANGE,
    group=SECURITY_RULES,
)
def request_security_scope_added(change: SecurityChange) -> str | None:
    """An operation keeps its security schemes but requires more OAuth2 or OpenID Connect scopes.

    Tokens already issued to clients carry only the old scopes: the server refuses them (403) until every client
    has been granted, and has fetched, a token with the new ones.
    """
    alternative = change.alternative
    if alternative is None:
        return None
    same_schemes = [option for option in change.after if set(option) == set(alternative)]
    if not same_schemes:
        return None
    extra = sorted(set().union(*(option[k] - alternative[k] for option in same_schemes for k in option)))
    return f"scope(s) {', '.join(f'`{s}`' for s in extra)} are now required"


@breaking_rule(
    id="request-security-requirement-removed",
    level=INFO,
    direction="request",
    summary="accepting more credentials breaks no client",
    category=CHANGE,
    group=SECURITY_RULES,
)
def request_security_requirement_removed(change: SecurityChange) -> str | None:
    """An operation accepts calls with fewer credentials: none at all, or an alternative that asks for less.

    Every client keeps working with the credentials it sends today; listed so the changelog says it.
    """
    if change.alternative is not None or change.open_before:
        return None
    if change.open_after:
        return "credentials are no longer required"
    # Called with the whole requirement when no alternative broke: is some new alternative easier to meet?
    if any(not any(_satisfies(option, alt) for alt in change.before) for option in change.after):
        return f"the requirement was relaxed; accepted: {_names(change.after)}"
    return None


@dataclass(frozen=True, slots=True)
class SchemeChange:
    """A security scheme both versions declare under the same name, for the rules below.

    Attributes:
        name: the scheme's name in `components/securitySchemes`.
        old: the base's scheme.
        new: the revision's scheme.
    """

    name: str
    old: Cursor
    new: Cursor


#: The rules on a security scheme, in the order their findings are said.
SCHEME_RULES: list[AnyChangeRule] = []


@breaking_rule(
    id="request-security-scheme-changed",
    level=ERROR,
    direction="request",
    summary="clients send their credentials the old way (scheme type, HTTP scheme, header or query name): they are "
    "refused",
    fix="add the new scheme as an alternative requirement next to the old one until clients have migrated.",
    category=CHANGE,
    group=SCHEME_RULES,
)
def request_security_scheme_changed(change: SchemeChange) -> str | None:
    """A security scheme changed what a client sends or where: its type, HTTP auth scheme, header or query name.

    Every operation that names the scheme is affected: clients keep sending their credentials the old way (a
    `Bearer` token, an `X-Api-Key` header) and are refused. Header names and HTTP auth schemes are compared
    case-insensitively.
    """
    old_fields, new_fields = _fields(change.old), _fields(change.new)
    changed = [
        f"`{field}` from `{change.old.raw(field)}` to `{change.new.raw(field)}`"
        for field in _SCHEME_FIELDS
        if old_fields[field] != new_fields[field]
    ]
    return f"security scheme `{change.name}` changed: {', '.join(changed)}" if changed else None


def requirements(doc: Document, operation: Operation) -> list[Alternative]:
    """Return the alternatives of the operation's `security`, or of the document's when it has none."""
    declared = operation.cursor.raw("security")
    if declared is None and isinstance(doc.data, dict):
        declared = doc.data.get("security")
    result = []
    for alternative in declared if isinstance(declared, list) else []:
        if isinstance(alternative, dict):
            result.append(
                {
                    str(k): frozenset(str(s) for s in v) if isinstance(v, list) else frozenset()
                    for k, v in alternative.items()
                }
            )
    return result


def _satisfies(alternative: Alternative, option: Alternative) -> bool:
    """Return whether a client using ``alternative`` meets ``option`` (its schemes and scopes, or fewer)."""
    return set(option) <= set(alternative) and all(option[k] <= alternative[k] for k in option)


def compare_security(ctx: DiffContext, old: Operation, new: Operation, label: str) -> None:
    """Report credentials an operation newly requires, and relaxed requirements (:data:`SECURITY_RULES`)."""
    before, after = requirements(ctx.base, old), requirements(ctx.revision, new)
    if before == after:
        return
    where = new.cursor.get("security") or ctx.revision.cursor().get("security") or new.cursor
    change = SecurityChange.of(before, after)
    # Once per alternative a client can no longer use; once for the whole requirement when none broke.
    for judged in change.broken() or [change]:
        for rule, text in fired(SECURITY_RULES, judged):
            ctx.report(rule, text, base=old.cursor, revision=where, operation=label)


def _names(alternatives: list[Alternative]) -> str:
    return " or ".join(" + ".join(f"`{name}`" for name in sorted(option)) or "anonymous" for option in alternatives)


def compare_schemes(ctx: DiffContext) -> None:
    """Report security schemes whose type, location or name changed, once each (:data:`SCHEME_RULES`)."""
    before, after = _schemes(ctx.base), _schemes(ctx.revision)
    for name, scheme in before.items():
        counterpart = after.get(name)
        if counterpart is None:
            continue  # an unused scheme; a used one is reported where the requirement changed
        for rule, text in fired(SCHEME_RULES, SchemeChange(name, scheme, counterpart)):
            ctx.report(rule, text, base=scheme, revision=counterpart)


def _fields(scheme: Cursor) -> dict[str, object]:
    fields: dict[str, object] = {field: scheme.raw(field) for field in _SCHEME_FIELDS}
    # HTTP auth scheme names are case-insensitive (RFC 7235), and so are header names.
    for field in ("scheme", "name") if fields["type"] == "http" or fields["in"] == "header" else ("scheme",):
        value = fields[field]
        fields[field] = value.lower() if isinstance(value, str) else value
    return fields


def _schemes(doc: Document) -> dict[str, Cursor]:
    components = doc.cursor().get("components")
    schemes = components.get("securitySchemes") if components is not None else None
    return dict(schemes.items()) if schemes is not None else {}
