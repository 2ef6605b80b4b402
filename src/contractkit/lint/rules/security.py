"""House rules for OpenAPI security: every operation secured unless it says it is public, every scheme defined."""

from __future__ import annotations

from collections.abc import Iterator

from contractkit.findings import Severity
from contractkit.kinds import SpecKind
from contractkit.lint.context import LintContext
from contractkit.lint.registry import lint_rule
from contractkit.loaders.document import Cursor
from contractkit.spec.walk import operations


def _anonymous(requirements: Cursor) -> Cursor | None:
    """Return the first empty requirement object (`{}`: "no credentials needed") of a `security` list."""
    for requirement in requirements.elements():
        if requirement.value == {}:
            return requirement
    return None


@lint_rule(
    "operation-security-missing",
    severity=Severity.ERROR,
    summary="an operation without a security requirement is open to anyone: public must be a decision, not a default",
    specs=(SpecKind.OPENAPI,),
)
def operation_security_missing(ctx: LintContext) -> None:
    """An operation nobody secured is public by accident; this rule makes public access an explicit decision.

    Each operation of `paths` needs an effective security requirement: its own `security`, or else the
    top-level one. An operation that is public on purpose says so with `x-public: true` and `security: []`.
    Reported are: no requirement at all, an empty `security: []` without `x-public: true`, a list holding an
    empty requirement `{}` (anonymous access allowed, so public without saying so) without `x-public: true`,
    and `x-public: true` on an operation that still requires credentials. Webhooks (OpenAPI 3.1) are not
    checked: they describe requests the API sends, which the receiver secures.

    Fix: add `security` to the operation or at the top level; for an endpoint that is meant to be public,
    add `x-public: true` and `security: []`.
    """
    root = ctx.doc.cursor()
    root_security = root.get("security")
    for op in operations(ctx.doc):
        if op.webhook:
            continue
        own = op.cursor.get("security")
        security = own if own is not None else root_security
        public = op.cursor.raw("x-public") is True
        requirements = security.value if security is not None and isinstance(security.value, list) else None
        anonymous = _anonymous(security) if security is not None else None
        where = f"operation `{op.label}`"
        if public:
            if requirements and anonymous is None:
                ctx.report(
                    op.cursor.get("x-public") or op.cursor,
                    f"{where} is marked `x-public: true` but requires credentials",
                    operation=op.label,
                    hint="add `security: []` to the operation, or remove `x-public: true` if it is not public",
                )
        elif requirements is None:
            ctx.report(
                op.cursor,
                f"{where} has no security requirement",
                operation=op.label,
                hint="add `security` to the operation or at the top level, or mark it `x-public: true`",
            )
        elif not requirements:
            ctx.report(
                own or op.cursor,
                f"{where} has `security: []` but is not marked `x-public: true`",
                operation=op.label,
                hint="add `x-public: true` if the operation is public on purpose, or else a security requirement",
            )
        elif anonymous is not None:
            ctx.report(
                anonymous if own is not None else op.cursor,
                f"{where} allows anonymous access (`{{}}` in `security`) but is not marked `x-public: true`",
                operation=op.label,
                hint="remove the empty requirement `{}`, or mark the operation `x-public: true`",
            )


def _requirement_lists(ctx: LintContext) -> Iterator[tuple[Cursor, str | None]]:
    """Yield every `security` list (the top-level one, then each operation's) with its operation label."""
    root_security = ctx.doc.cursor().get("security")
    if root_security is not None:
        yield root_security, None
    for op in operations(ctx.doc):
        own = op.cursor.get("security")
        if own is not None:
            yield own, op.label


def _declared_scopes(scheme: Cursor) -> set[str]:
    """Return the scopes an OAuth 2 scheme declares across all its flows."""
    scopes: set[str] = set()
    flows = scheme.get("flows")
    for _, flow in flows.items() if flows is not None else ():
        declared = flow.get("scopes")
        if declared is not None and isinstance(declared.value, dict):
            scopes.update(declared.value)
    return scopes


@lint_rule(
    "security-scheme-undefined",
    severity=Severity.ERROR,
    summary="a security requirement must name a scheme of `components.securitySchemes` and scopes it declares",
    specs=(SpecKind.OPENAPI,),
)
def security_scheme_undefined(ctx: LintContext) -> None:
    """A requirement that names an undefined scheme or scope cannot be enforced, documented or generated.

    Every name in a security requirement (top-level, or of an operation, webhooks included) must be a key of
    `components.securitySchemes`, and every scope it requires from an `oauth2` scheme must be declared in one
    of that scheme's flows. Scopes of `openIdConnect` schemes are not checked: they live in the provider's
    discovery document.

    Fix: define the scheme under `components.securitySchemes` (or correct its name), and declare the scope
    in the scheme's `flows`.
    """
    components = ctx.doc.cursor().get("components")
    schemes = components.get("securitySchemes") if components is not None else None
    for requirements, label in _requirement_lists(ctx):
        where = f"operation `{label}`" if label else "the top-level `security`"
        for requirement in requirements.elements():
            for name, scopes in requirement.items():
                if schemes is None or not isinstance(schemes.value, dict) or name not in schemes.value:
                    ctx.report(
                        requirement.file.location((*requirement.parts, name)),
                        f"{where} requires security scheme `{name}`, "
                        "which `components.securitySchemes` does not define",
                        operation=label,
                        hint="define the scheme under `components.securitySchemes`, or correct the name",
                    )
                    continue
                scheme = schemes.get(name)  # None when its own `$ref` is broken: `validate` reports that
                if scheme is None or scheme.raw("type") != "oauth2":
                    continue
                declared = _declared_scopes(scheme)
                for scope in scopes.elements():
                    if isinstance(scope.value, str) and scope.value not in declared:
                        ctx.report(
                            scope,
                            f"{where} requires scope `{scope.value}` that the oauth2 scheme `{name}` does not declare",
                            operation=label,
                            hint=f"declare `{scope.value}` in the `scopes` of a flow of `{name}`, or correct the name",
                        )
