"""Comparing request bodies, responses, their media types and response headers of an operation pair.

Each rule is a function declared with ``@breaking_rule`` in a group: the walkers below work out what changed
once (a :class:`BodyChange`, a :class:`MediaTypePresence`, a :class:`SchemaPresence`, a :class:`StatusPresence`,
a :class:`HeaderChange`) and call the group's rules with it, in the order they are declared.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from contractkit.breaking.context import DiffContext
from contractkit.breaking.openapi.fixes import DEPRECATE
from contractkit.breaking.openapi.schemas import SchemaDiff
from contractkit.breaking.registry import CHANGE, ERROR, INFO, WARNING, AnyChangeRule, breaking_rule, fired
from contractkit.loaders.document import Cursor
from contractkit.spec.walk import Operation


# --- bodies and media types ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class BodyChange:
    """The request body of an operation pair, for the rules below (they read what they judge, once each).

    Attributes:
        before: the base's `requestBody`, or ``None``.
        after: the revision's, or ``None``.
    """

    before: Cursor | None
    after: Cursor | None


@dataclass(frozen=True, slots=True)
class MediaTypePresence:
    """A media type only one side of a body or response has, for the rules below.

    Attributes:
        name: the media type, lower-case, without parameters (``application/json``).
        where: what holds it, as the messages say it (``request body``, ``response `200```).
        request: it is a request body's.
        success: it is a success response's (``2XX``); an error response's otherwise.
        added: the revision has it (else only the base has it: removed).
    """

    name: str
    where: str
    request: bool
    success: bool
    added: bool


@dataclass(frozen=True, slots=True)
class SchemaPresence:
    """A media type both sides have, whose schema came or went (a schema that accepts anything counts as none).

    Attributes:
        what: the media type as the messages say it (``media type `application/json` of the request body``).
        request: it is a request body's.
        has: the revision's media type has a schema (the base's had none); else it lost it.
    """

    what: str
    request: bool
    has: bool


#: The rules on a request body added, removed or made required, in the order their findings are said.
BODY_RULES: list[AnyChangeRule] = []
#: The rules on a media type added or removed, in the order their findings are said.
MEDIA_TYPE_RULES: list[AnyChangeRule] = []
#: The rules on a media type's schema added or removed, in the order their findings are said.
SCHEMA_PRESENCE_RULES: list[AnyChangeRule] = []


@breaking_rule(
    id="request-body-became-required",
    level=ERROR,
    direction="request",
    summary="clients that sent no body are now rejected",
    fix="keep the body optional.",
    category=CHANGE,
    group=BODY_RULES,
)
def request_body_became_required(change: BodyChange) -> str | None:
    """An optional request body was made `required: true`.

    Clients that call the operation without a body (they were allowed to) are rejected with a 400.
    """
    before, after = change.before, change.after
    if before is None or after is None:
        return None
    if before.raw("required") is not True and after.raw("required") is True:
        return "the request body became required"
    return None


@breaking_rule(
    id="request-body-added-required",
    level=ERROR,
    direction="request",
    summary="clients that sent no body are now rejected",
    fix="make the new body optional.",
    category=CHANGE,
    group=BODY_RULES,
)
def request_body_added_required(change: BodyChange) -> str | None:
    """An operation that took no request body now requires one.

    No existing client sends it: every one of their calls is rejected with a 400 until they are updated.
    """
    if change.before is None and change.after is not None and change.after.raw("required") is True:
        return "a required request body was added"
    return None


@breaking_rule(
    id="request-body-removed",
    level=WARNING,
    direction="request",
    summary="clients still send a body the server no longer reads",
    fix=DEPRECATE,
    category=CHANGE,
    group=BODY_RULES,
)
def request_body_removed(change: BodyChange) -> str | None:
    """An operation's request body was removed from its contract.

    Clients keep sending it: a strict server rejects the call, a lenient one drops what they sent without telling
    them (the data they meant to store or the options they chose).
    """
    return "the request body was removed" if change.before is not None and change.after is None else None


@breaking_rule(
    id="request-body-media-type-removed",
    level=ERROR,
    direction="request",
    summary="clients sending that content type get 415",
    fix="keep accepting the media type.",
    category=CHANGE,
    group=MEDIA_TYPE_RULES,
)
def request_body_media_type_removed(change: MediaTypePresence) -> str | None:
    """A request body no longer accepts one of its content types (`application/xml`, say).

    Clients that send their body in that content type get a 415 Unsupported Media Type.
    """
    if change.request and not change.added:
        return f"media type `{change.name}` was removed from the {change.where}"
    return None


@breaking_rule(
    id="request-body-media-type-added",
    level=INFO,
    direction="request",
    summary="accepting another content type breaks no client",
    category=CHANGE,
    group=MEDIA_TYPE_RULES,
)
def request_body_media_type_added(change: MediaTypePresence) -> str | None:
    """A request body accepts one more content type: clients keep sending the ones they use; for the changelog."""
    if change.request and change.added:
        return f"media type `{change.name}` was added to the {change.where}"
    return None


@breaking_rule(
    id="request-body-media-type-schema-added",
    level=ERROR,
    direction="request",
    summary="a media type without a schema accepted any body: one with a schema rejects the bodies that do not match "
    "it",
    fix="publish the schema in a new major version, or make it accept every body clients send today.",
    category=CHANGE,
    group=SCHEMA_PRESENCE_RULES,
)
def request_body_media_type_schema_added(change: SchemaPresence) -> str | None:
    """A request media type that had no schema (any body passed) now has one that constrains the body.

    A server that validates requests rejects every body clients send today that does not happen to match it.
    """
    return f"{change.what} has a schema now (it had none)" if change.request and change.has else None


@breaking_rule(
    id="request-body-media-type-schema-removed",
    level=INFO,
    direction="request",
    summary="a media type without a schema accepts any body: everything clients send is still accepted",
    category=CHANGE,
    group=SCHEMA_PRESENCE_RULES,
)
def request_body_media_type_schema_removed(change: SchemaPresence) -> str | None:
    """A request media type dropped its schema: it now accepts any body, so every client's body still passes."""
    return f"{change.what} no longer has a schema" if change.request and not change.has else None


@breaking_rule(
    id="response-media-type-schema-added",
    level=INFO,
    direction="response",
    summary="a schema on a response says what clients already receive: nothing they read changes",
    category=CHANGE,
    group=SCHEMA_PRESENCE_RULES,
)
def response_media_type_schema_added(change: SchemaPresence) -> str | None:
    """A response media type that had no schema now documents one: the bytes clients receive are the same."""
    return f"{change.what} has a schema now (it had none)" if not change.request and change.has else None


@breaking_rule(
    id="response-media-type-schema-removed",
    level=WARNING,
    direction="response",
    summary="without a schema the response may carry anything: clients and generated models lose the shape they rely "
    "on",
    fix="keep the schema, or describe the new shape in it.",
    category=CHANGE,
    group=SCHEMA_PRESENCE_RULES,
)
def response_media_type_schema_removed(change: SchemaPresence) -> str | None:
    """A response media type dropped its schema: the contract no longer says what the body looks like.

    Clients and the models generated for them rely on that shape; without it the API may send anything, and
    regenerated SDKs lose their typed response.
    """
    return f"{change.what} no longer has a schema" if not change.request and not change.has else None


@breaking_rule(
    id="response-media-type-removed",
    level=ERROR,
    direction="response",
    summary="clients that accept only that content type can no longer be served",
    fix="keep producing the media type.",
    category=CHANGE,
    group=MEDIA_TYPE_RULES,
)
def response_media_type_removed(change: MediaTypePresence) -> str | None:
    """A success response no longer comes in one of its content types.

    Clients that ask for it (`Accept: application/xml`) and parse only it get a 406, or a body they cannot read.
    """
    if not change.request and change.success and not change.added:
        return f"media type `{change.name}` was removed from the {change.where}"
    return None


@breaking_rule(
    id="response-error-media-type-removed",
    level=WARNING,
    direction="response",
    summary="clients that parse error bodies of that content type may not understand the new one",
    fix="keep producing the media type for errors, or move all errors to `application/problem+json` in a new version.",
    category=CHANGE,
    group=MEDIA_TYPE_RULES,
)
def response_error_media_type_removed(change: MediaTypePresence) -> str | None:
    """An error response no longer comes in one of its content types.

    Clients that parse error bodies in that content type (to show the message, to retry) may not understand what
    they get instead; they still see the status.
    """
    if not change.request and not change.success and not change.added:
        return f"media type `{change.name}` was removed from the {change.where}"
    return None


@breaking_rule(
    id="response-media-type-added",
    level=INFO,
    direction="response",
    summary="clients choose the content type with `Accept`",
    category=CHANGE,
    group=MEDIA_TYPE_RULES,
)
def response_media_type_added(change: MediaTypePresence) -> str | None:
    """A response comes in one more content type: clients ask for the one they read with `Accept`; for the changelog."""
    if not change.request and change.added:
        return f"media type `{change.name}` was added to the {change.where}"
    return None


# --- responses ------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class StatusPresence:
    """A response status only one version of an operation documents, for the rules below.

    Attributes:
        status: the status (``200``, ``4XX``, ``default``).
        added: the revision documents it (else only the base does: removed).
    """

    status: str
    added: bool


@dataclass(frozen=True, slots=True)
class HeaderChange:
    """A response header of a status both versions document: removed, or kept with its `required` flag.

    Attributes:
        name: the header as written (the base's when removed, else the revision's).
        status: the response's status.
        required: the base's header is `required: true`.
        removed: the revision's response lacks it.
        still_required: the revision's header is `required: true` (``False`` when removed).
    """

    name: str
    status: str
    required: bool
    removed: bool
    still_required: bool


#: The rules on a response status added or removed, in the order their findings are said.
STATUS_RULES: list[AnyChangeRule] = []
#: The rules on a response header, in the order their findings are said.
HEADER_RULES: list[AnyChangeRule] = []


@breaking_rule(
    id="response-success-status-removed",
    level=ERROR,
    direction="response",
    summary="clients that handle that success status now see a status they do not expect",
    fix="keep returning the status, or add the new one next to it in a new major version.",
    category=CHANGE,
    group=STATUS_RULES,
)
def response_success_status_removed(change: StatusPresence) -> str | None:
    """An operation no longer documents one of its success statuses (`201`, `2XX`).

    Clients check for the status they were promised: the one they get instead is one their code does not handle,
    and a generated SDK may treat it as an error.
    """
    if not change.added and is_success(change.status):
        return f"response `{change.status}` was removed"
    return None


@breaking_rule(
    id="response-status-removed",
    level=WARNING,
    direction="response",
    summary="an error status that is no longer documented may still be handled by clients: usually harmless",
    category=CHANGE,
    group=STATUS_RULES,
)
def response_status_removed(change: StatusPresence) -> str | None:
    """An error (or `default`) status is no longer documented for an operation.

    Clients that handle it keep their code, which simply stops running; worth a look in case the status is still
    returned without being documented.
    """
    if not change.added and not is_success(change.status):
        return f"response `{change.status}` was removed"
    return None


@breaking_rule(
    id="response-success-status-added",
    level=WARNING,
    direction="response",
    summary="clients that check for the old success status may not handle the new one",
    fix="document it, and keep returning the old status to existing clients.",
    category=CHANGE,
    group=STATUS_RULES,
)
def response_success_status_added(change: StatusPresence) -> str | None:
    """An operation documents a new success status (a `202` next to its `200`, say).

    Clients that check for the old status may treat the new one as a failure, or not read its body.
    """
    if change.added and is_success(change.status):
        return f"response `{change.status}` was added"
    return None


@breaking_rule(
    id="response-status-added",
    level=INFO,
    direction="response",
    summary="a newly documented error status",
    category=CHANGE,
    group=STATUS_RULES,
)
def response_status_added(change: StatusPresence) -> str | None:
    """An operation documents a new error (or `default`) status; clients already handle unexpected errors."""
    if change.added and not is_success(change.status):
        return f"response `{change.status}` was added"
    return None


@breaking_rule(
    id="response-required-header-removed",
    level=ERROR,
    direction="response",
    summary="clients that read the header no longer get it",
    fix="keep sending the header.",
    category=CHANGE,
    removes="header",
    group=HEADER_RULES,
)
def response_required_header_removed(change: HeaderChange) -> str | None:
    """A response header the API promised to send (`required: true`) was removed.

    Clients that read it (a `Location`, a rate limit, a pagination cursor) no longer get it and fail or loop. The
    deprecation policy judges the removal by the header's `deprecated` flag.
    """
    if change.removed and change.required:
        return f"header `{change.name}` of response `{change.status}` was removed"
    return None


@breaking_rule(
    id="response-header-became-optional",
    level=ERROR,
    direction="response",
    summary="clients that rely on the header may no longer get it",
    fix="keep the header required.",
    category=CHANGE,
    group=HEADER_RULES,
)
def response_header_became_optional(change: HeaderChange) -> str | None:
    """A response header the API promised to send (`required: true`) is now optional.

    Clients that read it without checking it is there may fail on a response that omits it.
    """
    if not change.removed and change.required and not change.still_required:
        return f"header `{change.name}` of response `{change.status}` became optional"
    return None


@breaking_rule(
    id="response-optional-header-removed",
    level=WARNING,
    direction="response",
    summary="clients may read the optional header",
    fix=DEPRECATE,
    category=CHANGE,
    removes="header",
    group=HEADER_RULES,
)
def response_optional_header_removed(change: HeaderChange) -> str | None:
    """An optional response header was removed from the contract.

    Clients that read it when it is there lose what it told them; the deprecation policy judges the removal by the
    header's `deprecated` flag.
    """
    if change.removed and not change.required:
        return f"header `{change.name}` of response `{change.status}` was removed"
    return None


def media_types(holder: Cursor | None) -> dict[str, Cursor]:
    """Return the media types of a `content` holder, by lower-case name without parameters (``; charset``)."""
    content = holder.get("content") if holder is not None else None
    if content is None:
        return {}
    return {name.split(";")[0].strip().lower(): media for name, media in content.items()}


def compare_request_body(ctx: DiffContext, old: Operation, new: Operation, label: str, direction: str) -> None:
    """Report a request body added, removed, made required, and the changes of its media types."""
    before, after = old.cursor.get("requestBody"), new.cursor.get("requestBody")
    if before is None and after is None:
        return
    for rule, text in fired(BODY_RULES, BodyChange(before, after)):
        if before is None:
            ctx.report(rule, text, base=old.cursor, revision=after, operation=label)
        elif after is None:
            ctx.report(rule, text, base=before, near=new.cursor, operation=label)
        else:
            ctx.report(rule, text, base=before, revision=after, operation=label)
    if before is not None and after is not None:
        _compare_content(ctx, before, after, label, direction, "request body", success=False)


def _compare_content(
    ctx: DiffContext,
    before: Cursor,
    after: Cursor,
    label: str,
    direction: str,
    where: str,
    *,
    success: bool,
) -> None:
    """Report media types of a body or response removed and added (:data:`MEDIA_TYPE_RULES`); compare the rest."""
    old_media, new_media = media_types(before), media_types(after)
    request = where == "request body"
    for name, media in old_media.items():
        counterpart = new_media.get(name)
        if counterpart is None:
            removal = MediaTypePresence(name, where, request, success, added=False)
            for rule, text in fired(MEDIA_TYPE_RULES, removal):
                ctx.report(rule, text, base=media, near=after, operation=label)
            continue
        diff = SchemaDiff(ctx, direction, label, f"{where} `{name}`")
        _schema_existence(ctx, diff, media, counterpart, f"media type `{name}` of the {where}", request, label)
        diff.compare_at(media, counterpart)
    for name, media in new_media.items():
        if name not in old_media:
            addition = MediaTypePresence(name, where, request, success, added=True)
            for rule, text in fired(MEDIA_TYPE_RULES, addition):
                ctx.report(rule, text, base=before, revision=media, operation=label)


def _schema_existence(
    ctx: DiffContext, diff: SchemaDiff, before: Cursor, after: Cursor, what: str, request: bool, label: str
) -> None:
    """Report a media type that gains or loses its schema (:data:`SCHEMA_PRESENCE_RULES`).

    A schema that accepts anything counts as none.
    """
    had, has = _constraining(diff, before), _constraining(diff, after)
    if had == has:
        return
    for rule, text in fired(SCHEMA_PRESENCE_RULES, SchemaPresence(what, request, has)):
        ctx.report(rule, text, base=before, revision=after, operation=label)


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
    """Report removed and added responses (:data:`STATUS_RULES`), and the changes of those both versions have."""
    before = {_status(key): response for key, response in _items(old.cursor.get("responses"))}
    after = {_status(key): response for key, response in _items(new.cursor.get("responses"))}
    near = new.cursor.get("responses") or new.cursor
    for status, response in before.items():
        counterpart = after.get(status)
        if counterpart is None:
            for rule, text in fired(STATUS_RULES, StatusPresence(status, added=False)):
                ctx.report(rule, text, base=response, near=near, operation=label)
            continue
        where = f"response `{status}`"
        _compare_content(ctx, response, counterpart, label, direction, where, success=is_success(status))
        _compare_headers(ctx, response, counterpart, label, status, direction)
    for status, response in after.items():
        if status not in before:
            for rule, text in fired(STATUS_RULES, StatusPresence(status, added=True)):
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
            removal = HeaderChange(name, status, required, removed=True, still_required=False)
            for rule, said in fired(HEADER_RULES, removal):
                ctx.report(rule, said, base=header, near=after, operation=label)
            continue
        name, counterpart = new_headers[key]
        text = f"header `{name}` of response `{status}`"
        kept = HeaderChange(name, status, required, removed=False, still_required=counterpart.raw("required") is True)
        for rule, said in fired(HEADER_RULES, kept):
            ctx.report(rule, said, base=header, revision=counterpart, operation=label)
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
