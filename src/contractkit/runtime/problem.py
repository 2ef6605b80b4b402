"""RFC 9457 problem details (``application/problem+json``) for rejected requests, and the renderer hook.

A rejection answers::

    {"type": "about:blank", "title": "Bad Request", "status": 400,
     "detail": "2 errors in the request to POST /orders.", "instance": "/b2b/v1/orders",
     "errors": [{"location": "query.limit", "message": "0 is less than the minimum of 1"}, ...]}

with ``Allow`` on a 405 and ``WWW-Authenticate`` on a 401. Messages never carry the value of a credential or a
cookie (the validator masks them), and headers are never echoed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from json.encoder import encode_basestring_ascii as _quote  # C: escapes to ASCII, any str (never raises)
from urllib.parse import quote

from contractkit.runtime._core import RequestError, ValidationResult

TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    500: "Internal Server Error",
}


@dataclass(frozen=True, slots=True)
class ErrorResponse:
    """A complete HTTP response the middleware sends instead of calling the app.

    Attributes:
        status: the status code.
        headers: (name, value) pairs; ``content-length`` is added by the middleware.
        body: the body bytes.
    """

    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""


ErrorRenderer = Callable[[ValidationResult, str], ErrorResponse]
"""A hook that turns a rejected :class:`ValidationResult` and the request path into the response to send."""


def problem(status: int, errors: list[RequestError], *, detail: str, instance: str) -> dict[str, object]:
    """Return an RFC 9457 problem object with contractkit's ``errors`` extension member."""
    return {
        "type": "about:blank",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "instance": instance,
        "errors": [{"location": e.location, "message": e.message} for e in errors],
    }


def _detail(result: ValidationResult) -> str:
    where = f" to {result.operation}" if result.operation else ""
    if result.status == 404:
        return "The contract declares no operation at this path."
    if result.status == 405:
        return f"The contract declares only {', '.join(result.allow)} at this path."
    if result.status == 401:
        return f"The request{where} carries no credential of the kind the contract requires."
    if result.status == 413:
        return result.errors[0].message if result.errors else "The request body is too large."
    if result.status == 415:
        return f"The request{where} has a content type the contract does not accept."
    count = len(result.errors)
    return f"{count} error{'s' if count != 1 else ''} in the request{where}."


def problem_json(status: int, errors: list[RequestError], *, detail: str, instance: str) -> bytes:
    """Return :func:`problem` serialised as JSON, written directly (a third of ``json.dumps``'s time).

    The rejection path is as hot as the valid one under a flood of bad requests. Strings are escaped by the
    json module's own C escaper, to ASCII, so the bytes are valid JSON (and UTF-8) whatever a message holds, and
    kept within the house ``Problem`` schema's limits (contracts/common/problem.yaml: a location of 512
    characters, a message of 1,000, a detail of 4,000, 100 errors), whatever the result handed in holds.
    """
    items = ",".join(
        f'{{"location":{_quote(_within(e.location, 512))},"message":{_quote(_within(e.message, 1000))}}}'
        for e in errors[:100]
    )
    return (
        f'{{"type":"about:blank","title":{_quote(TITLES.get(status, "Error"))},"status":{int(status)},'
        f'"detail":{_quote(_within(detail, 4000))},"instance":{_quote(instance)},"errors":[{items}]}}'
    ).encode("ascii")


def _within(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def render_problem(result: ValidationResult, path: str) -> ErrorResponse:
    """Render a rejection as ``application/problem+json`` (the default error renderer)."""
    body = problem_json(result.status, result.errors, detail=_detail(result), instance=instance(path))
    headers = [("content-type", "application/problem+json")]
    if result.status == 405 and result.allow:
        headers.append(("allow", ", ".join(result.allow)))
    if result.status == 401:
        headers.append(("www-authenticate", ", ".join(result.challenges) or "Bearer"))
    return ErrorResponse(result.status, headers, body)


def response_problem(errors: list[RequestError], operation: str, path: str) -> ErrorResponse:
    """Render the 500 sent instead of a response that breaks the contract (``response_validation="enforce"``)."""
    body = problem_json(
        500,
        errors,
        detail=f"The service's response to {operation} does not match its contract.",
        instance=instance(path),
    )
    return ErrorResponse(500, [("content-type", "application/problem+json")], body)


def internal_error(path: str) -> ErrorResponse:
    """Render the 500 sent when contractkit itself failed on a request (``on_error="reject"``, the default)."""
    body = problem_json(
        500,
        [],
        detail="contractkit could not validate this request (an internal error, logged); it was not passed on.",
        instance=instance(path),
    )
    return ErrorResponse(500, [("content-type", "application/problem+json")], body)


def instance(path: str) -> str:
    """Return the request path as the problem's ``instance``: a URI reference (percent-encoded), at most 1,000 chars.

    The cut is made after the encoding, never inside a ``%XX`` escape.
    """
    if len(path) <= 1000 and _URI_PATH.match(path):
        return path
    encoded = quote(path[:1000], safe=_PATH_SAFE)[:1000]
    escape = encoded.rfind("%", len(encoded) - 2)
    return encoded[:escape] if escape != -1 else encoded


_PATH_SAFE = "/!$&'()*+,;=:@-._~"  # RFC 3986 pchar and "/"; everything else (`%` included) is percent-encoded
_URI_PATH = re.compile(r"[A-Za-z0-9/!$&'()*+,;=:@\-._~]*\Z")


UNCHECKED_RESPONSE = RequestError("response", "could not be checked against the contract (an internal error, logged)")


def too_large(limit: int) -> ValidationResult:
    """Return the 413 verdict for a body over ``limit`` bytes."""
    return ValidationResult(413, [RequestError("body#", f"The request body is larger than {limit} bytes.")])
