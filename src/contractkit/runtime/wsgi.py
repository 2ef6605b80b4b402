"""The WSGI twin of the ASGI middleware (Flask, Django, any WSGI app): same options, same verdicts.

The typed values reach the app as ``environ["contractkit.request"]`` (a :class:`ValidationResult`); the body it
reads from ``wsgi.input`` is the one the middleware buffered. The checks run in the ASGI middleware's order (404,
405, 401, 400 for a ``Content-Length`` that is not a length, 413, 415, 400). A header sent twice reaches a WSGI app
joined by the server into one value (PEP 3333), and that joined value is the one validated.
"""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Literal

from contractkit.runtime._core import RequestError, ValidationResult
from contractkit.runtime._settings import MiddlewareSettings, Passing, ResponseMode
from contractkit.runtime._types import Environ, StartResponse, WSGIApp
from contractkit.runtime.problem import (
    UNCHECKED_RESPONSE,
    ErrorRenderer,
    ErrorResponse,
    internal_error,
    response_problem,
    too_large,
)

ENVIRON_KEY = "contractkit.request"
_REASONS = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 405: "Method Not Allowed"}
_REASONS |= {413: "Content Too Large", 415: "Unsupported Media Type", 500: "Internal Server Error"}


class WSGIContractValidationMiddleware(MiddlewareSettings):
    """Enforce an OpenAPI contract at the door of a WSGI app; the options are the ASGI middleware's.

    Example:
        >>> app.wsgi_app = WSGIContractValidationMiddleware(app.wsgi_app, spec="b2b-orders")  # doctest: +SKIP
    """

    def __init__(
        self,
        app: WSGIApp,
        spec: object,
        *,
        max_body_bytes: int = 1_048_576,
        unknown_path: Passing = "reject",
        undeclared_method: Passing = "reject",
        response_validation: ResponseMode = "off",
        error_renderer: ErrorRenderer | None = None,
        metrics: Any = None,
        logger: logging.Logger | None = None,
        on_error: Literal["reject", "pass"] = "reject",
        cors_preflight: Passing = "pass",
    ) -> None:
        """Load and compile the contract once (see :class:`ContractValidationMiddleware` for the options)."""
        super().__init__(
            spec,
            max_body_bytes,
            unknown_path,
            undeclared_method,
            response_validation,
            error_renderer,
            metrics,
            logger,
            on_error,
            cors_preflight,
        )
        self.app = app

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        """Validate the request, then answer with a problem or call the app."""
        headers = _headers(environ, self.validator.spec.interesting)
        try:
            verdict = self._verdict(environ, headers)
        except Exception:
            method, path = str(environ.get("REQUEST_METHOD", "")), str(environ.get("PATH_INFO", ""))
            self.observer.internal_error(method, path, headers, self.fail_open)
            if not self.fail_open:
                return _respond(start_response, internal_error(path))
            verdict = None
        if isinstance(verdict, ErrorResponse):
            return _respond(start_response, verdict)
        if verdict is None or self.response_validation == "off":
            return self.app(environ, start_response)
        return self._checked(environ, start_response, headers)

    def _verdict(self, environ: Environ, headers: Mapping[str, str]) -> ValidationResult | ErrorResponse | None:
        started = time.perf_counter()
        method = str(environ.get("REQUEST_METHOD", "GET"))
        path = _path(environ)
        validator = self.validator
        routed = validator.route(method, path)
        if isinstance(routed, ValidationResult):
            if self.passes(routed, method, headers):
                return None
            return self.reject(routed, method, path, headers, started)
        op, raw_path = routed
        query = str(environ.get("QUERY_STRING", ""))
        refused, length = self.admit(op, query, headers)
        if refused is not None:
            return self.reject(refused, method, path, headers, started)
        limit = self.max_body_bytes
        body: bytes | None = None
        chunked = length is None and bool(environ.get("wsgi.input_terminated"))
        if op.media is not None or chunked:
            stream = environ.get("wsgi.input")
            if stream is None:
                body = b""
            elif length is not None:
                body = stream.read(length) if length else b""
            elif chunked:
                body = stream.read(limit + 1)
                if len(body) > limit:
                    return self.reject(too_large(limit), method, path, headers, started)
            environ["wsgi.input"] = io.BytesIO(body or b"")
            environ["CONTENT_LENGTH"] = str(len(body or b""))
            if op.media is None:
                body = None  # bounded and replayed, but the contract says nothing of it
        result = validator.inspect(op, raw_path, query, headers, body)
        if not result.ok:
            return self.reject(result, method, path, headers, started)
        self.observer.timed(time.perf_counter() - started)
        environ[ENVIRON_KEY] = result
        return result

    def _checked(self, environ: Environ, start_response: StartResponse, headers: Mapping[str, str]) -> Iterable[bytes]:
        captured: dict[str, Any] = {}

        def capture(status: str, response_headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            captured["status"], captured["headers"] = status, response_headers
            if self.response_validation == "enforce":
                return lambda data: captured.setdefault("written", []).append(data)
            return (
                start_response(status, response_headers, exc_info)
                if exc_info
                else start_response(status, response_headers)
            )

        iterable = self.app(environ, capture)
        enforce = self.response_validation == "enforce"
        if not enforce and not isinstance(iterable, list | tuple):
            return iterable  # report mode leaves streaming (generator) responses alone
        try:
            chunks = [*captured.get("written", []), *iterable]
        finally:
            close = getattr(iterable, "close", None)
            if close is not None:
                close()
        errors = self._response_errors(environ, captured, b"".join(chunks), headers)
        if not enforce:
            return chunks
        if errors:
            result = environ.get(ENVIRON_KEY)
            operation = str(getattr(result, "operation", None) or "this request")
            return _respond(start_response, response_problem(errors, operation, _path(environ)))
        start_response(captured["status"], captured["headers"])
        return chunks

    def _response_errors(
        self, environ: Environ, captured: Mapping[str, Any], body: bytes, headers: Mapping[str, str]
    ) -> list[RequestError]:
        method = str(environ.get("REQUEST_METHOD", "GET"))
        path = _path(environ)
        status = int(str(captured.get("status", "500")).split(" ", 1)[0])
        content_type = next((v for k, v in captured.get("headers", []) if k.lower() == "content-type"), None)
        try:
            errors = self.validator.validate_response(method, path, status, content_type, body or None)
        except Exception:
            enforce = self.response_validation == "enforce"
            self.observer.internal_error(method, path, headers, not enforce, response=True)
            return [UNCHECKED_RESPONSE] if enforce else []  # enforce fails closed
        if errors:
            result = environ.get(ENVIRON_KEY)
            operation = str(getattr(result, "operation", None) or "unmatched")
            self.observer.invalid_response(operation, method, path, status, errors, headers)
        return errors


def _path(environ: Environ) -> str:
    raw = str(environ.get("SCRIPT_NAME", "")) + str(environ.get("PATH_INFO", ""))
    try:  # PEP 3333: the path arrives as latin-1 decoded bytes
        return raw.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return raw


def _headers(environ: Environ, interesting: frozenset[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            name = key[5:].replace("_", "-").lower()
        elif key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            name = key.replace("_", "-").lower()
        else:
            continue
        if name in interesting and value != "":
            out[name] = str(value)
    return out


def _respond(start_response: StartResponse, response: ErrorResponse) -> Iterator[bytes]:
    headers = [*response.headers, ("content-length", str(len(response.body)))]
    start_response(f"{response.status} {_REASONS.get(response.status, 'Error')}", headers)
    return iter([response.body])
