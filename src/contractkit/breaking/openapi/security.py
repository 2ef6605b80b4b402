"""Comparing what credentials an operation accepts, and the security schemes they name.

A requirement is a list of alternatives; each alternative is a set of schemes (with scopes) that must all be
satisfied. A client keeps working when the alternative it uses is still accepted, or a new alternative asks
for no more than it did.
"""

from __future__ import annotations

from contractkit.breaking.context import DiffContext
from contractkit.breaking.registry import CHANGE, ERROR, INFO, change_rule
from contractkit.loaders.document import Cursor, Document
from contractkit.spec.walk import Operation

API_SECURITY_ADDED = change_rule(
    id="request-security-requirement-added",
    level=ERROR,
    direction="request",
    summary="clients that called the operation without those credentials are now rejected with 401/403",
    fix="add the new requirement as an alternative (a second entry of `security`) until clients have migrated.",
    category=CHANGE,
)
API_SECURITY_SCOPE_ADDED = change_rule(
    id="request-security-scope-added",
    level=ERROR,
    direction="request",
    summary="tokens issued with the old scopes are now refused",
    fix="accept the old scopes as an alternative until clients have new tokens.",
    category=CHANGE,
)
API_SECURITY_SCHEME_CHANGED = change_rule(
    id="request-security-scheme-changed",
    level=ERROR,
    direction="request",
    summary="clients send their credentials the old way (scheme type, HTTP scheme, header or query name): they are "
    "refused",
    fix="add the new scheme as an alternative requirement next to the old one until clients have migrated.",
    category=CHANGE,
)
API_SECURITY_RELAXED = change_rule(
    id="request-security-requirement-removed",
    level=INFO,
    direction="request",
    summary="accepting more credentials breaks no client",
    category=CHANGE,
)


Alternative = dict[str, frozenset[str]]
# The fields of a security scheme that decide what a client sends, and where.
_SCHEME_FIELDS = ("type", "scheme", "in", "name", "openIdConnectUrl")


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
    """Report credentials an operation newly requires, and relaxed requirements."""
    before, after = requirements(ctx.base, old), requirements(ctx.revision, new)
    if before == after:
        return
    where = new.cursor.get("security") or ctx.revision.cursor().get("security") or new.cursor
    open_before = not before or {} in before
    open_after = not after or {} in after
    if open_after:
        if not open_before:
            text = "credentials are no longer required"
            ctx.report(API_SECURITY_RELAXED, text, base=old.cursor, revision=where, operation=label)
        return
    if open_before:
        text = f"credentials are now required ({_names(after)})"
        ctx.report(API_SECURITY_ADDED, text, base=old.cursor, revision=where, operation=label)
        return
    broken = False
    for alternative in before:
        if any(_satisfies(alternative, option) for option in after):
            continue
        broken = True
        same_schemes = [option for option in after if set(option) == set(alternative)]
        if same_schemes:
            extra = sorted(set().union(*(option[k] - alternative[k] for option in same_schemes for k in option)))
            text = f"scope(s) {', '.join(f'`{s}`' for s in extra)} are now required"
            ctx.report(API_SECURITY_SCOPE_ADDED, text, base=old.cursor, revision=where, operation=label)
        else:
            text = f"{_names([alternative])} is no longer accepted; accepted: {_names(after)}"
            ctx.report(API_SECURITY_ADDED, text, base=old.cursor, revision=where, operation=label)
    if not broken and any(not any(_satisfies(option, alt) for alt in before) for option in after):
        text = f"the requirement was relaxed; accepted: {_names(after)}"
        ctx.report(API_SECURITY_RELAXED, text, base=old.cursor, revision=where, operation=label)


def _names(alternatives: list[Alternative]) -> str:
    return " or ".join(" + ".join(f"`{name}`" for name in sorted(option)) or "anonymous" for option in alternatives)


def compare_schemes(ctx: DiffContext) -> None:
    """Report security schemes whose type, location or name changed (once each, not per operation)."""
    before, after = _schemes(ctx.base), _schemes(ctx.revision)
    for name, scheme in before.items():
        counterpart = after.get(name)
        if counterpart is None:
            continue  # an unused scheme; a used one is reported where the requirement changed
        old_fields, new_fields = _fields(scheme), _fields(counterpart)
        changed = [
            f"`{field}` from `{scheme.raw(field)}` to `{counterpart.raw(field)}`"
            for field in _SCHEME_FIELDS
            if old_fields[field] != new_fields[field]
        ]
        if changed:
            text = f"security scheme `{name}` changed: {', '.join(changed)}"
            ctx.report(API_SECURITY_SCHEME_CHANGED, text, base=scheme, revision=counterpart)


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
