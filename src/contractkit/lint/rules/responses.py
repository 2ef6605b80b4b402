"""House rules for OpenAPI responses: every operation declares client errors, and errors are RFC 9457 problems.

The shared-schema helpers here (:func:`shared_schema`, :func:`is_or_extends`, :func:`merged_properties`) are
also used by the pagination rules: a house schema is named by a rule option, found under the contracts root,
and a response "is" it when its schema is that very node or an ``allOf`` that includes it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from contractkit.errors import ConfigError, UnresolvedRef
from contractkit.findings import Severity
from contractkit.kinds import SpecKind
from contractkit.lint.context import LintContext
from contractkit.lint.registry import lint_rule
from contractkit.loaders.document import Cursor
from contractkit.loaders.pointer import parse_pointer
from contractkit.spec.walk import Operation, operations

_CLIENT_ERROR = re.compile(r"4(\d\d|XX)", re.ASCII | re.IGNORECASE)
_ERROR = re.compile(r"[45](\d\d|XX)", re.ASCII | re.IGNORECASE)
PROBLEM_JSON = "application/problem+json"
_PROBLEM_MEMBERS = ("type", "title", "status")

Identity = tuple[str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class SharedSchema:
    """A house schema named by a rule option (``common/problem.yaml#/Problem``), found or not.

    Attributes:
        option: the option's value, as configured.
        name: the schema's name for messages (the last pointer token: ``Problem``).
        path: the absolute path of its file.
        identity: the node's identity when it was found, else ``None``.
        missing: why it was not found (the rules then check the shape instead), else ``None``.
    """

    option: str
    name: str
    path: Path
    identity: Identity | None
    missing: str | None

    def ref_from(self, cursor: Cursor) -> str:
        """Return the relative ``$ref`` that reaches this schema from the file of ``cursor``."""
        relative = Path(os.path.relpath(self.path, cursor.file.path.parent)).as_posix()
        return f"{relative}#{self.option.partition('#')[2]}"


def shared_schema(ctx: LintContext, option: str, default: str) -> SharedSchema:
    """Find the house schema named by the rule option ``option`` (a path under the contracts root + pointer).

    Raises:
        ConfigError: the option is not a string.
    """
    value = ctx.option(option, default)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(
            f"the lint option `{option}` must be a string such as `{default}`, not {value!r}",
            tip="write it as a path relative to the contracts root, `#`, and a JSON pointer.",
        )
    address, _, fragment = value.partition("#")
    resolver = ctx.doc.resolver
    path = (resolver.root_dir / address).resolve()
    try:
        parts = parse_pointer(fragment)
    except ValueError:
        parts = ()
    name = parts[-1] if parts else Path(address).stem
    if not address or not resolver.store.exists(path):
        why = f"`{address}` (option `{option}`) is not under the contracts root `{resolver.root_dir}`"
        return SharedSchema(value, name, path, None, why if address else f"option `{option}` names no file")
    try:
        target = resolver.follow(ctx.doc.root, (), f"{quote(path.as_posix())}#{fragment}")
    except UnresolvedRef as exc:
        return SharedSchema(value, name, path, None, f"option `{option}` `{value}`: {exc.detail}")
    return SharedSchema(value, name, path, (target.file.name, target.parts), None)


def is_or_extends(schema: Cursor, identity: Identity, seen: set[Identity] | None = None) -> bool:
    """Return whether ``schema`` is the node ``identity``, or an ``allOf`` (at any depth) that includes it."""
    if schema.identity == identity:
        return True
    seen = set() if seen is None else seen
    if schema.identity in seen:
        return False
    seen.add(schema.identity)
    all_of = schema.get("allOf")
    return all_of is not None and any(is_or_extends(part, identity, seen) for part in all_of.elements())


def merged_properties(schema: Cursor, seen: set[Identity] | None = None) -> dict[str, Cursor]:
    """Return the ``properties`` of ``schema`` and of its ``allOf`` parts (refs followed), the first one winning."""
    seen = set() if seen is None else seen
    if schema.identity in seen:
        return {}
    seen.add(schema.identity)
    found: dict[str, Cursor] = {}
    properties = schema.get("properties")
    if properties is not None:
        found.update(properties.items())
    all_of = schema.get("allOf")
    for part in all_of.elements() if all_of is not None else ():
        for name, cursor in merged_properties(part, seen).items():
            found.setdefault(name, cursor)
    return found


def media_type(key: str) -> str:
    """Return the bare, lower-case media type of a content key (``Application/JSON; charset=utf-8`` -> ...)."""
    return key.partition(";")[0].strip().lower()


def is_json(media: str) -> bool:
    """Return whether a bare media type is JSON (``application/json``, ``application/*+json``)."""
    subtype = media.partition("/")[2]
    return subtype == "json" or subtype.endswith("+json")


@lint_rule(
    "operation-4xx-response-missing",
    severity=Severity.ERROR,
    summary="clients and SDKs handle only the errors a contract declares: every operation can fail on bad input",
    specs=(SpecKind.OPENAPI,),
)
def operation_4xx_response_missing(ctx: LintContext) -> None:
    """An operation without a 4xx response pretends it cannot fail, so clients and SDKs do not handle its errors.

    Every operation can at least be called with bad input or credentials; generated clients only parse the
    error bodies the contract declares. Each operation of `paths`, and of `webhooks` in OpenAPI 3.1, needs at
    least one `4xx` response (`400`...`499`, or the range `4XX`). A `default` response does not count: it says
    nothing about which errors to expect.

    Fix: declare the client errors the operation returns, such as `400`, `401`, `404` or `422`, each with an
    `application/problem+json` body (shared responses under `components/responses` keep this short).
    """
    for op in operations(ctx.doc):
        responses = op.cursor.get("responses")
        codes = [code for code, _ in responses.items()] if responses is not None else []
        if any(_CLIENT_ERROR.fullmatch(code) for code in codes):
            continue
        ctx.report(
            responses if responses is not None else op.cursor,
            f"operation `{op.label}` declares no 4xx response",
            operation=op.label,
            hint="declare the client errors it returns, such as `400`, `404` or `422`, "
            "with an `application/problem+json` body",
        )


@dataclass(frozen=True, slots=True)
class _Use:
    code: str
    op: Operation


@lint_rule(
    "error-response-not-problem-json",
    severity=Severity.ERROR,
    summary="clients parse every error the same way only if each one is an RFC 9457 problem of the shared schema",
    specs=(SpecKind.OPENAPI,),
)
def error_response_not_problem_json(ctx: LintContext) -> None:
    """Errors are `application/problem+json` (RFC 9457) with the shared `Problem` schema, so one handler reads them all.

    Every `4xx` and `5xx` response (and the ranges `4XX`, `5XX`, and `default`) of the operations of `paths` and
    `webhooks` must have a body: offer `application/problem+json`, offer no other JSON media type (a client
    asking for `application/json` would get an undocumented shape), and its schema must be the shared problem
    schema (option `problem-schema`, default `common/problem.yaml#/Problem` under the contracts root), or an
    `allOf` that includes it to add members. Responses of `HEAD` operations may have no body. When the shared
    schema's file is not under the contracts root, the schema is only checked for the members `type`, `title`
    and `status`. A response shared by several operations is reported once.

    Fix: give the response `content: {application/problem+json: {schema: {$ref: '../common/problem.yaml#/Problem'}}}`,
    or a `$ref` to a shared response under `components/responses`.
    """
    problem = shared_schema(ctx, "problem-schema", "common/problem.yaml#/Problem")
    uses: dict[Identity, tuple[Cursor, list[_Use]]] = {}
    for op in operations(ctx.doc):
        responses = op.cursor.get("responses")
        for code, response in responses.items() if responses is not None else ():
            if code == "default" or _ERROR.fullmatch(code):
                uses.setdefault(response.identity, (response, []))[1].append(_Use(code, op))
    for response, group in uses.values():
        first = group[0]
        if len(group) == 1:
            where, operation = f"`{first.code}` response of `{first.op.label}`", first.op.label
        else:
            where, operation = f"`{first.code}` response `{response.key}` (used by {len(group)} operations)", None
        head_only = all(use.op.method == "head" for use in group)
        _check_error_response(ctx, response, where, operation, problem, head_only)


def _check_error_response(
    ctx: LintContext,
    response: Cursor,
    where: str,
    operation: str | None,
    problem: SharedSchema,
    head_only: bool,
) -> None:
    content = response.get("content")
    body_hint = f"add `content: {{{PROBLEM_JSON}: {{schema: {{$ref: '{problem.ref_from(response)}'}}}}}}`"
    if content is None or not content.value:
        if not head_only:
            ctx.report(
                response, f"{where} has no body: an error must be `{PROBLEM_JSON}`", operation=operation, hint=body_hint
            )
        return
    found: Cursor | None = None
    others: list[tuple[str, Cursor]] = []
    for key, media in content.items():
        bare = media_type(key)
        if bare == PROBLEM_JSON:
            found = found or media
        elif is_json(bare):
            others.append((key, media))
    for key, media in others:
        if found is None:
            message = f"{where} is `{key}`, not `{PROBLEM_JSON}`"
        else:
            message = f"{where} also offers `{key}`: errors are `{PROBLEM_JSON}` only"
        ctx.report(media, message, operation=operation, hint=f"use `{PROBLEM_JSON}` as the only JSON media type")
    if found is None:
        if not others:
            ctx.report(content, f"{where} does not offer `{PROBLEM_JSON}`", operation=operation, hint=body_hint)
        return
    _check_problem_schema(ctx, found, where, operation, problem)


def _check_problem_schema(
    ctx: LintContext, media: Cursor, where: str, operation: str | None, problem: SharedSchema
) -> None:
    schema = media.get("schema")
    ref_hint = f"use `schema: {{$ref: '{problem.ref_from(media)}'}}`, or an `allOf` that includes it"
    if media.raw("schema") is None:
        ctx.report(media, f"{where} has no schema", operation=operation, hint=ref_hint)
        return
    if schema is None:  # a broken $ref: validation reports it
        return
    at = media.file.location((*media.parts, "schema"))
    if problem.identity is not None:
        if not is_or_extends(schema, problem.identity):
            ctx.report(
                at,
                f"{where}: the schema is not the shared `{problem.name}` (`{problem.option}`) "
                "or an `allOf` extending it",
                operation=operation,
                hint=ref_hint,
            )
        return
    properties = merged_properties(schema)
    missing = [name for name in _PROBLEM_MEMBERS if name not in properties]
    if missing:
        ctx.report(
            at,
            f"{where}: the schema lacks the problem members {', '.join(f'`{name}`' for name in missing)}",
            operation=operation,
            hint=f"{problem.missing}, so the schema was checked for the RFC 9457 members `type`, `title` and "
            "`status` instead; fix the option or add the shared file",
        )


#: What the validation middleware answers in a contract's name, and when (docs/middleware.md, "Order of checks").
_ENFORCED = (
    ("400", "a malformed request (a parameter or the body against its schema)"),
    ("401", "a request without the credential its security requires"),
    ("413", "a body over the size limit"),
    ("415", "a body of a content type it does not declare"),
)


@lint_rule(
    "validation-response-undeclared",
    severity=Severity.WARNING,
    summary="the validation middleware answers 400, 401, 413 and 415 in the service's name: the contract declares them",
    specs=(SpecKind.OPENAPI,),
)
def validation_response_undeclared(ctx: LintContext) -> None:
    """An operation does not declare a response the validation middleware answers for it.

    A service behind `contractkit.middleware` answers bad requests before its handlers run: `400` for a parameter
    or body that breaks its schema (an operation with parameters or a request body), `401` when a credential is
    missing (a secured operation), `413` for a body over the size limit and `415` for an undeclared content type
    (an operation with a request body). A status the contract does not declare breaks its clients, SDKs and the
    fuzz suite's `status_code_conformance` check. A range (`4XX`) counts; `default` does not. Webhooks are the
    service's own calls, not requests it receives: they are not checked.

    Fix: declare the status with an `application/problem+json` response; `contracts/common/responses.yaml` has
    `ContentTooLarge` and `UnsupportedMediaType` ready to `$ref`.
    """
    root = ctx.doc.data
    root_security = root.get("security") if isinstance(root, dict) else None
    for op in operations(ctx.doc):
        if op.webhook:
            continue
        responses = op.cursor.get("responses")
        codes = {code.upper() for code, _ in responses.items()} if responses is not None else set()
        body = op.cursor.get("requestBody") is not None
        security = op.cursor.raw("security")
        wanted = {
            "400": bool(op.parameters()) or body,
            "401": _secured(security if security is not None else root_security),
            "413": body,
            "415": body,
        }
        for code, why in _ENFORCED:
            if not wanted[code] or code in codes or f"{code[0]}XX" in codes:
                continue
            shared = _SHARED.get(code)
            ctx.report(
                responses if responses is not None else op.cursor,
                f"operation `{op.label}` does not declare `{code}`, which the validation middleware answers for {why}",
                operation=op.label,
                hint=f"declare `{code}` with an `application/problem+json` body"
                + (f" (`$ref: '../common/responses.yaml#/{shared}'`)" if shared else ""),
            )


_SHARED = {"413": "ContentTooLarge", "415": "UnsupportedMediaType"}


def _secured(requirements: object) -> bool:
    """Return whether security requirements demand a credential (a non-empty list without an empty `{}`)."""
    if not isinstance(requirements, list) or not requirements:
        return False
    return all(isinstance(requirement, dict) and requirement for requirement in requirements)
