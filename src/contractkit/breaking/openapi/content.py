"""Comparing request bodies, responses, their media types and response headers of an operation pair."""

from __future__ import annotations

from collections.abc import Iterator

from contractkit.breaking.context import DiffContext
from contractkit.breaking.openapi.fixes import DEPRECATE
from contractkit.breaking.openapi.schemas import SchemaDiff
from contractkit.breaking.registry import CHANGE, ERROR, INFO, WARNING, AnyChangeRule, change_rule
from contractkit.loaders.document import Cursor
from contractkit.spec.walk import Operation

# --- bodies and media types ------------------------------------------------------------------------------
BODY_BECAME_REQUIRED = change_rule(
    id="request-body-became-required",
    level=ERROR,
    direction="request",
    summary="clients that sent no body are now rejected",
    fix="keep the body optional.",
    category=CHANGE,
)
BODY_ADDED_REQUIRED = change_rule(
    id="request-body-added-required",
    level=ERROR,
    direction="request",
    summary="clients that sent no body are now rejected",
    fix="make the new body optional.",
    category=CHANGE,
)
BODY_REMOVED = change_rule(
    id="request-body-removed",
    level=WARNING,
    direction="request",
    summary="clients still send a body the server no longer reads",
    fix=DEPRECATE,
    category=CHANGE,
)
REQUEST_MEDIA_TYPE_REMOVED = change_rule(
    id="request-body-media-type-removed",
    level=ERROR,
    direction="request",
    summary="clients sending that content type get 415",
    fix="keep accepting the media type.",
    category=CHANGE,
)
REQUEST_MEDIA_TYPE_ADDED = change_rule(
    id="request-body-media-type-added",
    level=INFO,
    direction="request",
    summary="accepting another content type breaks no client",
    category=CHANGE,
)
REQUEST_SCHEMA_ADDED = change_rule(
    id="request-body-media-type-schema-added",
    level=ERROR,
    direction="request",
    summary="a media type without a schema accepted any body: one with a schema rejects the bodies that do not match "
    "it",
    fix="publish the schema in a new major version, or make it accept every body clients send today.",
    category=CHANGE,
)
REQUEST_SCHEMA_REMOVED = change_rule(
    id="request-body-media-type-schema-removed",
    level=INFO,
    direction="request",
    summary="a media type without a schema accepts any body: everything clients send is still accepted",
    category=CHANGE,
)
RESPONSE_SCHEMA_ADDED = change_rule(
    id="response-media-type-schema-added",
    level=INFO,
    direction="response",
    summary="a schema on a response says what clients already receive: nothing they read changes",
    category=CHANGE,
)
RESPONSE_SCHEMA_REMOVED = change_rule(
    id="response-media-type-schema-removed",
    level=WARNING,
    direction="response",
    summary="without a schema the response may carry anything: clients and generated models lose the shape they rely "
    "on",
    fix="keep the schema, or describe the new shape in it.",
    category=CHANGE,
)
RESPONSE_MEDIA_TYPE_REMOVED = change_rule(
    id="response-media-type-removed",
    level=ERROR,
    direction="response",
    summary="clients that accept only that content type can no longer be served",
    fix="keep producing the media type.",
    category=CHANGE,
)
ERROR_MEDIA_TYPE_REMOVED = change_rule(
    id="response-error-media-type-removed",
    level=WARNING,
    direction="response",
    summary="clients that parse error bodies of that content type may not understand the new one",
    fix="keep producing the media type for errors, or move all errors to `application/problem+json` in a new version.",
    category=CHANGE,
)
RESPONSE_MEDIA_TYPE_ADDED = change_rule(
    id="response-media-type-added",
    level=INFO,
    direction="response",
    summary="clients choose the content type with `Accept`",
    category=CHANGE,
)
# --- responses ------------------------------------------------------------------------------------------
SUCCESS_STATUS_REMOVED = change_rule(
    id="response-success-status-removed",
    level=ERROR,
    direction="response",
    summary="clients that handle that success status now see a status they do not expect",
    fix="keep returning the status, or add the new one next to it in a new major version.",
    category=CHANGE,
)
STATUS_REMOVED = change_rule(
    id="response-status-removed",
    level=WARNING,
    direction="response",
    summary="an error status that is no longer documented may still be handled by clients: usually harmless",
    category=CHANGE,
)
SUCCESS_STATUS_ADDED = change_rule(
    id="response-success-status-added",
    level=WARNING,
    direction="response",
    summary="clients that check for the old success status may not handle the new one",
    fix="document it, and keep returning the old status to existing clients.",
    category=CHANGE,
)
STATUS_ADDED = change_rule(
    id="response-status-added",
    level=INFO,
    direction="response",
    summary="a newly documented error status",
    category=CHANGE,
)
HEADER_REMOVED = change_rule(
    id="response-required-header-removed",
    level=ERROR,
    direction="response",
    summary="clients that read the header no longer get it",
    fix="keep sending the header.",
    category=CHANGE,
    removes="header",
)
HEADER_BECAME_OPTIONAL = change_rule(
    id="response-header-became-optional",
    level=ERROR,
    direction="response",
    summary="clients that rely on the header may no longer get it",
    fix="keep the header required.",
    category=CHANGE,
)
OPTIONAL_HEADER_REMOVED = change_rule(
    id="response-optional-header-removed",
    level=WARNING,
    direction="response",
    summary="clients may read the optional header",
    fix=DEPRECATE,
    category=CHANGE,
    removes="header",
)


def media_types(holder: Cursor | None) -> dict[str, Cursor]:
    """Return the media types of a `content` holder, by lower-case name without parameters (``; charset``)."""
    content = holder.get("content") if holder is not None else None
    if content is None:
        return {}
    return {name.split(";")[0].strip().lower(): media for name, media in content.items()}


def compare_request_body(ctx: DiffContext, old: Operation, new: Operation, label: str, direction: str) -> None:
    """Report a request body added, removed, made required, and the changes of its media types."""
    before, after = old.cursor.get("requestBody"), new.cursor.get("requestBody")
    if before is None:
        if after is not None and after.raw("required") is True:
            text = "a required request body was added"
            ctx.report(BODY_ADDED_REQUIRED, text, base=old.cursor, revision=after, operation=label)
        return
    if after is None:
        ctx.report(BODY_REMOVED, "the request body was removed", base=before, near=new.cursor, operation=label)
        return
    if before.raw("required") is not True and after.raw("required") is True:
        text = "the request body became required"
        ctx.report(BODY_BECAME_REQUIRED, text, base=before, revision=after, operation=label)
    rules = (REQUEST_MEDIA_TYPE_REMOVED, REQUEST_MEDIA_TYPE_ADDED)
    _compare_content(ctx, before, after, label, direction, "request body", rules)


def _compare_content(
    ctx: DiffContext,
    before: Cursor,
    after: Cursor,
    label: str,
    direction: str,
    where: str,
    rules: tuple[AnyChangeRule, AnyChangeRule | None],
) -> None:
    removed, added = rules
    old_media, new_media = media_types(before), media_types(after)
    request = where == "request body"
    for name, media in old_media.items():
        counterpart = new_media.get(name)
        if counterpart is None:
            text = f"media type `{name}` was removed from the {where}"
            ctx.report(removed, text, base=media, near=after, operation=label)
            continue
        diff = SchemaDiff(ctx, direction, label, f"{where} `{name}`")
        _schema_existence(ctx, diff, media, counterpart, f"media type `{name}` of the {where}", request, label)
        diff.compare_at(media, counterpart)
    for name, media in new_media.items():
        if name not in old_media and added is not None:
            text = f"media type `{name}` was added to the {where}"
            ctx.report(added, text, base=before, revision=media, operation=label)


def _schema_existence(
    ctx: DiffContext, diff: SchemaDiff, before: Cursor, after: Cursor, what: str, request: bool, label: str
) -> None:
    """Report a media type that gains or loses its schema (a schema that accepts anything counts as none)."""
    had, has = _constraining(diff, before), _constraining(diff, after)
    if had == has:
        return
    if has:
        rule = REQUEST_SCHEMA_ADDED if request else RESPONSE_SCHEMA_ADDED
        ctx.report(rule, f"{what} has a schema now (it had none)", base=before, revision=after, operation=label)
    else:
        rule = REQUEST_SCHEMA_REMOVED if request else RESPONSE_SCHEMA_REMOVED
        ctx.report(rule, f"{what} no longer has a schema", base=before, revision=after, operation=label)


def _constraining(diff: SchemaDiff, media: Cursor) -> bool:
    """Return whether the media type has a schema that says something (`{}` and `true` accept any body)."""
    schema = media.get("schema")
    if schema is None or schema.value is True:
        return False
    if not isinstance(schema.value, dict):
        return True  # not a schema at all: validation says so; here it is not "no schema"
    view = diff.view(schema)
    return view.types is not None or not view.unconstrained()


def is_success(status: str) -> bool:
    """Return whether a response key is a success status (``200``, ``204``, ``2XX``)."""
    return status.startswith("2")


def compare_responses(ctx: DiffContext, old: Operation, new: Operation, label: str, direction: str) -> None:
    """Report removed and added responses, and the changes of the responses both versions have."""
    before = {_status(key): response for key, response in _items(old.cursor.get("responses"))}
    after = {_status(key): response for key, response in _items(new.cursor.get("responses"))}
    near = new.cursor.get("responses") or new.cursor
    for status, response in before.items():
        counterpart = after.get(status)
        if counterpart is None:
            rule = SUCCESS_STATUS_REMOVED if is_success(status) else STATUS_REMOVED
            ctx.report(rule, f"response `{status}` was removed", base=response, near=near, operation=label)
            continue
        where = f"response `{status}`"
        if is_success(status):
            rules = (RESPONSE_MEDIA_TYPE_REMOVED, RESPONSE_MEDIA_TYPE_ADDED)
        else:
            rules = (ERROR_MEDIA_TYPE_REMOVED, RESPONSE_MEDIA_TYPE_ADDED)
        _compare_content(ctx, response, counterpart, label, direction, where, rules)
        _compare_headers(ctx, response, counterpart, label, status, direction)
    for status, response in after.items():
        if status not in before:
            rule = SUCCESS_STATUS_ADDED if is_success(status) else STATUS_ADDED
            text = f"response `{status}` was added"
            ctx.report(rule, text, base=old.cursor, revision=response, operation=label)


def _status(key: str) -> str:
    return key.upper() if key.lower().endswith("xx") else key  # `2xx` is `2XX`


def _items(cursor: Cursor | None) -> Iterator[tuple[str, Cursor]]:
    if cursor is not None:
        for key, child in cursor.items():
            if not key.startswith("x-"):
                yield key, child


def _headers(response: Cursor) -> dict[str, tuple[str, Cursor]]:
    """Return the response headers by lower-case name, with the name as written."""
    # A map of names, not an object with extensions: `X-Rate-Limit` is a header. A `Content-Type` response
    # header "SHALL be ignored" (the media type says it).
    headers = response.get("headers")
    items = headers.items() if headers is not None else ()
    return {k.lower(): (k, v) for k, v in items if k.lower() != "content-type"}


def _compare_headers(ctx: DiffContext, before: Cursor, after: Cursor, label: str, status: str, direction: str) -> None:
    old_headers, new_headers = _headers(before), _headers(after)
    for key, (name, header) in old_headers.items():
        required = header.raw("required") is True
        if key not in new_headers:
            rule = HEADER_REMOVED if required else OPTIONAL_HEADER_REMOVED
            text = f"header `{name}` of response `{status}` was removed"
            ctx.report(rule, text, base=header, near=after, operation=label)
            continue
        name, counterpart = new_headers[key]
        text = f"header `{name}` of response `{status}`"
        if required and counterpart.raw("required") is not True:
            ctx.report(
                HEADER_BECAME_OPTIONAL, f"{text} became optional", base=header, revision=counterpart, operation=label
            )
        old_schema, new_schema = _header_schema(header), _header_schema(counterpart)
        if old_schema is not None and new_schema is not None:
            SchemaDiff(ctx, direction, label, text).compare(old_schema, new_schema)


def _header_schema(header: Cursor) -> Cursor | None:
    schema = header.get("schema")
    if schema is not None:
        return schema
    content = header.get("content")
    for _, media in content.items() if content is not None else ():
        return media.get("schema")
    return None
