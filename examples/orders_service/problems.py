"""Every error of the service as the contract's RFC 9457 problem (`application/problem+json`).

Two sources: the handlers raise :class:`ApiProblem` (404, 409, 403, 422, 429), and the validation middleware
rejects bad requests (400, 401) through :func:`render_rejection`, which keeps its answers inside the contract:
the contract declares 400 for a malformed request, so the middleware's 413 (body too large) and 415 (undeclared
content type) are answered as 400 problems, and every string is cut to the length the `Problem` schema allows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import quote

from contractkit.middleware import ErrorResponse
from contractkit.runtime.problem import TITLES

from .models import Problem, ProblemError

if TYPE_CHECKING:
    from contractkit.runtime._core import ValidationResult

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://problems.example.com/"
_MAX_LOCATION, _MAX_MESSAGE, _MAX_DETAIL, _MAX_URI, _MAX_ERRORS = 512, 1000, 4000, 2048, 100
_RESTATED = {413: 400, 415: 400}  # statuses the contract does not declare -> the one it declares for them


@dataclass
class ApiProblem(Exception):
    """A request the service refuses, raised by the domain and rendered as a problem by the app.

    Attributes:
        status: the HTTP status.
        kind: the problem type's last path segment (`order-not-cancellable`).
        title: the problem type's fixed title.
        detail: what happened this time.
        errors: the offending inputs, as (location, message) pairs.
    """

    status: int
    kind: str
    title: str
    detail: str
    errors: list[tuple[str, str]] = field(default_factory=list)

    def to_model(self, instance: str | None = None) -> Problem:
        """Return the problem as the contract's generated model."""
        return Problem(
            type=PROBLEM_BASE + self.kind,
            title=self.title,
            status=self.status,
            detail=self.detail[:_MAX_DETAIL],
            instance=instance,
            errors=[ProblemError(location=loc[:_MAX_LOCATION], message=msg[:_MAX_MESSAGE]) for loc, msg in self.errors]
            or None,
        )


def not_found(what: str, ident: object) -> ApiProblem:
    """Return the 404 for a resource the partner does not have."""
    return ApiProblem(404, "not-found", "The resource does not exist.", f"{what} {ident} does not exist.")


def uri_reference(path: str) -> str:
    """Return a request path as a valid, bounded URI reference (the ASGI path is percent-decoded)."""
    return quote(path, safe="/:@!$&'()*+,;=-._~")[:_MAX_URI]


_DETAILS = {
    401: "The request carries no credential of the kind the contract requires (a bearer token).",
    404: "The contract declares no operation at this path.",
    405: "The contract does not declare this method at this path.",
    413: "The request body is too large.",
    415: "The request has a content type the contract does not accept.",
}


def render_rejection(result: ValidationResult, path: str) -> ErrorResponse:
    """Render a middleware rejection as a problem the contract declares (the middleware's `error_renderer`)."""
    status = _RESTATED.get(result.status, result.status)
    count = len(result.errors)
    detail = _DETAILS.get(result.status, f"{count} error{'s' if count != 1 else ''} in the request.")
    body: dict[str, object] = {
        "type": "about:blank",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "instance": uri_reference(path),
    }
    if result.errors:
        body["errors"] = [
            {"location": e.location[:_MAX_LOCATION], "message": e.message[:_MAX_MESSAGE]}
            for e in result.errors[:_MAX_ERRORS]
        ]
    headers = [("content-type", PROBLEM_JSON)]
    if result.status == 405 and result.allow:
        headers.append(("allow", ", ".join(result.allow)))
    if result.status == 401:
        headers.append(("www-authenticate", ", ".join(result.challenges) or "Bearer"))
    return ErrorResponse(status, headers, json_bytes(body))


def json_bytes(value: object) -> bytes:
    """Encode JSON as ASCII: a string the client sent may hold a lone surrogate, which UTF-8 cannot encode."""
    return json.dumps(value, ensure_ascii=True, separators=(",", ":")).encode("ascii")
