"""Run one HTTP request through openapi-core (the reference) and through contractkit's RequestValidator.

Both sides are reduced to a :class:`Verdict`: the HTTP status the middleware would answer (200 when valid) and
the set of failing locations in contractkit's vocabulary (``query.limit``, ``header.x-request-id``,
``body/items/0/quantity``, ``security``). openapi-core's exceptions are mapped onto that vocabulary here:

- path/server not found -> 404, operation not found -> 405 (no location);
- a missing credential (``SecurityNotFound``) -> 401 ``security`` (openapi-core stops there, as the middleware);
- a parameter error carries its ``location`` and ``name`` -> ``<in>.<name>`` (header names lower-cased);
- a body schema error carries jsonschema errors -> ``body`` + their ``absolute_path`` ("/"-joined);
- an undeclared content type (``MediaTypeNotFound``) -> 415; an undecodable body or a missing required body
  -> 400 ``body``.

openapi-core is compiled once per spec (``OpenAPI.from_dict``, spec validation included) and so is contractkit
(``RequestValidator.from_spec``); the :class:`Differential` holding both lives for the test session (conftest.py).
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.templating.media_types.exceptions import MediaTypeNotFound
from openapi_core.templating.paths.exceptions import OperationNotFound, PathError
from openapi_core.templating.security.exceptions import SecurityNotFound
from openapi_core.validation.request.exceptions import (
    MissingRequiredRequestBody,
    ParameterValidationError,
    RequestBodyValidationError,
    SecurityValidationError,
)
from openapi_core.validation.schemas.exceptions import InvalidSchemaValue
from werkzeug.datastructures import Headers, ImmutableMultiDict

from contractkit.loaders.document import load_document
from contractkit.runtime import RequestValidator
from contractkit.spec.flatten import inline_external

ROOT = Path(__file__).resolve().parents[3]
CONTRACTS = ROOT / "contracts"
CORPUS = ROOT.parent / "shared" / "corpus" / "openapi"

Spec = Mapping[str, Any]


@dataclass(frozen=True)
class Req:
    """One HTTP request as it reaches the middleware: the raw query string, lower-case header names, raw body."""

    method: str
    path: str
    query: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes | None = None

    def __str__(self) -> str:
        query = f"?{self.query}" if self.query else ""
        body = "" if self.body is None else f" body={self.body[:200]!r}"
        return f"{self.method} {self.path}{query} headers={list(self.headers)}{body}"


def req(
    method: str,
    path: str,
    query: str = "",
    *,
    headers: Sequence[tuple[str, str]] | Mapping[str, str] = (),
    body: bytes | str | None = None,
    json_body: Any = None,
    content_type: str | None = None,
) -> Req:
    """Build a :class:`Req`; ``json_body`` is serialised with ``application/json`` unless ``content_type`` says."""
    pairs = list(headers.items()) if isinstance(headers, Mapping) else list(headers)
    raw: bytes | None = body.encode() if isinstance(body, str) else body
    if json_body is not None:
        raw = json.dumps(json_body).encode()
        content_type = content_type or "application/json"
    if content_type is not None:
        pairs.append(("content-type", content_type))
    return Req(method.upper(), path, query, tuple((k.lower(), v) for k, v in pairs), raw)


@dataclass(frozen=True)
class Verdict:
    """What a validator decided: the status the middleware answers, and where the request is wrong."""

    status: int
    locations: frozenset[str] = frozenset()
    detail: str = field(default="", compare=False)

    @property
    def ok(self) -> bool:
        return self.status == 200

    def __str__(self) -> str:
        where = " ".join(sorted(self.locations))
        return f"{self.status} {where}".strip()


def expect(text: str) -> Verdict:
    """Parse a table's expectation: ``"ok"``, ``"404"``, ``"400 query.limit body/items/0"``."""
    if text == "ok":
        return Verdict(200)
    status, *locations = text.split()
    return Verdict(int(status), frozenset(locations))


# ---------------------------------------------------------------------------------------------------------------
# openapi-core, the reference


class _Request:
    """openapi-core's ``Request`` protocol over a :class:`Req`, parsed the way its Starlette integration does."""

    def __init__(self, host_url: str, request: Req) -> None:
        self.host_url = host_url
        self.path = request.path
        self.method = request.method.lower()
        self.body = request.body
        headers = Headers(list(request.headers))
        self.content_type = headers.get("content-type", "")
        cookies: dict[str, str] = {}
        for value in headers.getlist("cookie"):
            jar: SimpleCookie = SimpleCookie()
            jar.load(value)
            cookies.update({name: morsel.value for name, morsel in jar.items()})
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(parse_qsl(request.query, keep_blank_values=True)),
            header=headers,
            cookie=ImmutableMultiDict(cookies),
        )


def _host_url(spec: Spec) -> str:
    servers = spec.get("servers") or [{"url": "/"}]
    url = urlsplit(str(servers[0].get("url", "/")))
    return f"{url.scheme}://{url.netloc}" if url.scheme else "http://testserver"


def _body_locations(exc: BaseException) -> frozenset[str]:
    cause = exc.__cause__
    if isinstance(cause, InvalidSchemaValue):
        paths = {"/".join(["body#", *(str(part) for part in err.absolute_path)]) for err in cause.schema_errors}  # type: ignore[attr-defined]
        return frozenset(paths) or frozenset({"body#"})
    return frozenset({"body#"})


@dataclass
class Reference:
    """openapi-core compiled for one spec."""

    openapi: OpenAPI
    host_url: str

    @classmethod
    def build(cls, spec: Spec) -> Reference:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return cls(OpenAPI.from_dict(dict(spec)), _host_url(spec))

    def verdict(self, request: Req) -> Verdict:
        """Validate ``request`` and map every error openapi-core yields onto a :class:`Verdict`."""
        with warnings.catch_warnings():
            # openapi-core warns on deprecated parameters and on security schemes it cannot check (oauth2).
            warnings.simplefilter("ignore")
            try:
                errors = list(self.openapi.iter_request_errors(_Request(self.host_url, request)))
            except Exception as exc:  # a crash of the reference is a verdict of its own (see KNOWN_DIFFERENCES)
                return Verdict(500, frozenset({f"crash:{type(exc).__name__}"}), detail=repr(exc))
        return _map_errors(errors)


def describe(error: BaseException) -> str:
    """``str(error)``, or what went wrong formatting it (openapi-core's own message can crash: non-UTF-8 bodies)."""
    try:
        return str(error)
    except Exception as exc:
        return f"<str() of {type(error).__name__} raised {type(exc).__name__}>"


def _map_errors(errors: Sequence[BaseException]) -> Verdict:
    if not errors:
        return Verdict(200)
    status = 400
    locations: set[str] = set()
    for error in errors:
        if isinstance(error, OperationNotFound):
            return Verdict(405, detail=describe(error))
        if isinstance(error, PathError):
            return Verdict(404, detail=describe(error))
        if isinstance(error, SecurityValidationError | SecurityNotFound):
            return Verdict(401, frozenset({"security"}), detail=describe(error))
        if isinstance(error, ParameterValidationError):
            name = error.name.lower() if error.location == "header" else error.name
            locations.add(f"{error.location}.{name}")
        elif isinstance(error, RequestBodyValidationError) and isinstance(error.__cause__, MediaTypeNotFound):
            status = 415
        elif isinstance(error, RequestBodyValidationError | MissingRequiredRequestBody):
            locations |= _body_locations(error)
        else:  # pragma: no cover - a new openapi-core error class: make the test say so
            locations.add(f"unmapped:{type(error).__name__}")
    if status == 415:
        return Verdict(415, detail="; ".join(map(describe, errors)))
    return Verdict(status, frozenset(locations), detail="; ".join(map(describe, errors)))


# ---------------------------------------------------------------------------------------------------------------
# contractkit


@dataclass
class Contractkit:
    """contractkit's RequestValidator compiled for one spec."""

    validator: RequestValidator

    def verdict(self, request: Req) -> Verdict:
        result = self.validator.validate_request(
            method=request.method,
            path=request.path,
            query=request.query,
            headers=list(request.headers),
            body=request.body,
        )
        if result.ok:
            return Verdict(200)
        locations = frozenset() if result.status in (404, 405, 415) else frozenset(e.location for e in result.errors)
        detail = "; ".join(f"{e.location}: {e.message}" for e in result.errors)
        return Verdict(result.status, locations, detail=detail)


def load_contract(path: Path) -> dict[str, Any]:
    """A contract file with its external refs inlined (openapi-core gets one self-contained document)."""
    data = inline_external(load_document(path, root_dir=CONTRACTS if path.is_relative_to(CONTRACTS) else None))
    assert isinstance(data, dict)
    return data


@dataclass
class Differential:
    """Both validators for a named spec, compiled once per session."""

    _refs: dict[str, Reference] = field(default_factory=dict)
    _cks: dict[str, Contractkit] = field(default_factory=dict)

    def reference(self, name: str, spec: Spec) -> Reference:
        if name not in self._refs:
            self._refs[name] = Reference.build(spec)
        return self._refs[name]

    def contractkit(self, name: str, spec: Spec) -> Contractkit:
        if name not in self._cks:
            self._cks[name] = Contractkit(RequestValidator.from_spec(dict(spec)))
        return self._cks[name]

    def both(self, name: str, spec: Spec, request: Req) -> tuple[Verdict, Verdict]:
        """Return (openapi-core's verdict, contractkit's verdict) for ``request``."""
        return self.reference(name, spec).verdict(request), self.contractkit(name, spec).verdict(request)


def explain(request: Req, ref: Verdict, other: Verdict, label: str = "contractkit") -> str:
    """The assertion message of a mismatch between openapi-core and the other side (contractkit or the table)."""
    side = f"{label}:"
    return f"\n  request:      {request}\n  openapi-core: {ref} ({ref.detail})\n  {side:<13} {other} ({other.detail})"
