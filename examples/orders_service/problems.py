"""Every error of the service as the contract's RFC 9457 problem (`application/problem+json`).

Two sources: the handlers raise :class:`ApiProblem` (404, 409, 403, 422, 429), and the validation middleware
rejects bad requests (400, 401, 413, 415) with its default problems, which are the contract's own: the contract
declares those statuses (`contracts/common/responses.yaml`) and the default problem keeps the house `Problem`
format (`body#/...` locations, strings within the schema's lengths), so the service adds no renderer of its own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import quote

from .models import Problem, ProblemError

if TYPE_CHECKING:
    pass

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://problems.example.com/"
_MAX_LOCATION, _MAX_MESSAGE, _MAX_DETAIL, _MAX_URI = 512, 1000, 4000, 2048


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


def json_bytes(value: object) -> bytes:
    """Encode JSON as ASCII: a string the client sent may hold a lone surrogate, which UTF-8 cannot encode."""
    return json.dumps(value, ensure_ascii=True, separators=(",", ":")).encode("ascii")
