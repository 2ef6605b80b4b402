"""The pure ASGI middleware: validates each HTTP request against the contract before the app sees it.

Per request, in this order: route (404, 405), security (401), both from the headers alone; ``Content-Length``
(400 when it is not a length, 413 past the limit); read the body up to the limit (413 as soon as it is passed:
``receive()`` is not called again); content type (415); parameters and body (400). Then either answer with a
problem or call the app with the buffered body replayed and the typed values in ``scope["state"]["contract"]``.

Fail closed: every exception a request can cause is a 4xx verdict of the validator; any other exception is a bug,
answered with a 500 problem (``on_error="reject"``, the default) or, when the service opts in with
``on_error="pass"``, passed to the app unvalidated, logged at WARNING and counted.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any, Literal

from contractkit.runtime._core import ValidationResult
from contractkit.runtime._settings import MiddlewareSettings, Passing, ResponseMode
from contractkit.runtime._types import ASGIApp, Message, Receive, Scope, Send
from contractkit.runtime.problem import (
    UNCHECKED_RESPONSE,
    ErrorRenderer,
    ErrorResponse,
    internal_error,
    response_problem,
    too_large,
)

_HTTP1 = frozenset({"1.0", "1.1"})  # where a request without Content-Length or Transfer-Encoding has no body
_clock = time.perf_counter


class ContractValidationMiddleware(MiddlewareSettings):
    """Enforce an OpenAPI contract at the door of any ASGI app (Starlette, FastAPI, ...).

    Args:
        app: the ASGI app to protect.
        spec: the contract: a path, a loaded document (dict), a catalog contract id, a generated package with a
            ``CONTRACT`` attribute, or a ready :class:`RequestValidator`.
        max_body_bytes: the largest request body accepted, for every operation (413 past it; the body is never
            read further).
        unknown_path: ``"reject"`` (404) or ``"pass"`` (the app handles paths the contract does not declare).
        undeclared_method: ``"reject"`` (405 with ``Allow``) or ``"pass"``.
        cors_preflight: ``"pass"`` (a CORS preflight ``OPTIONS`` the contract does not declare goes to the app,
            so that a CORS layer inside can answer it) or ``"reject"`` (405). A declared ``OPTIONS`` is validated.
        response_validation: ``"off"``, ``"report"`` (log + metric, response unchanged) or ``"enforce"``
            (a response that breaks the contract becomes a 500 problem; the response is buffered).
        error_renderer: ``(result, path) -> ErrorResponse``; the default renders RFC 9457 problem+json.
        metrics: ``None`` (prometheus-client's default registry when installed), a registry, or ``False``.
        logger: the logger for rejections and failures (default ``contractkit.runtime``).
        on_error: when the validator itself fails (a bug, never the client's input): ``"reject"`` the request
            with a 500 problem (the default), or ``"pass"`` it to the app unvalidated (logged at WARNING, counted).

    Example:
        >>> app = ContractValidationMiddleware(app, spec="contracts/b2b-orders/openapi.yaml")  # doctest: +SKIP
    """

    def __init__(
        self,
        app: ASGIApp,
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
        """Load and compile the contract once (raises :class:`contractkit.errors.ContractkitError` if unusable)."""
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
        self._interesting = frozenset(name.encode("latin-1") for name in self.validator.spec.interesting)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Validate an HTTP request, then answer with a problem or call the app."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        buffered: list[Message] = []
        headers: dict[str, str] = {}
        try:
            verdict = await self._verdict(scope, receive, buffered, headers)
        except Exception:
            self.observer.internal_error(scope.get("method", ""), scope.get("path", ""), headers, self.fail_open)
            if not self.fail_open:
                await _send(send, internal_error(str(scope.get("path", ""))))
                return
            verdict = None
        if isinstance(verdict, ErrorResponse):
            await _send(send, verdict)
            return
        if verdict is False:
            return  # the client disconnected while sending its body
        downstream = _replay(buffered, receive) if buffered else receive
        if verdict is not None:
            state = scope.get("state")
            if state is None:
                state = scope["state"] = {}
            state["contract"] = verdict
            if self.check_responses:
                checker = _ResponseChecker(self, scope, send, headers, _full_path(scope))
                await self.app(scope, downstream, checker.send)
                return
        await self.app(scope, downstream, send)

    async def _verdict(
        self, scope: Scope, receive: Receive, buffered: list[Message], headers: dict[str, str]
    ) -> ValidationResult | ErrorResponse | bool | None:
        """Return the valid result, the response to send instead, ``None`` to pass, ``False`` on disconnect."""
        started = _clock()
        interesting = self._interesting
        repeated: set[str] | None = None
        for raw_name, raw_value in scope.get("headers", ()):
            if raw_name in interesting and raw_value:  # an empty value is no value (as a WSGI server drops it)
                name = raw_name.decode("latin-1")
                previous = headers.get(name)
                if previous is None:
                    headers[name] = raw_value.decode("latin-1")
                else:
                    value = raw_value.decode("latin-1")
                    headers[name] = f"{previous}; {value}" if name == "cookie" else f"{previous}, {value}"
                    repeated = {name} if repeated is None else repeated | {name}
        method: str = scope["method"]
        path = _full_path(scope)
        validator = self.validator
        routed = validator.route(method, path)
        if type(routed) is not tuple:
            assert isinstance(routed, ValidationResult)
            if self.passes(routed, method, headers):
                return None
            return self.reject(routed, method, path, headers, started)
        op, raw_path = routed
        query_string: bytes = scope.get("query_string", b"")
        query = query_string.decode("latin-1") if query_string else ""
        refused, length = self.admit(op, query, headers)
        if refused is not None:
            return self.reject(refused, method, path, headers, started)
        limit = self.max_body_bytes
        body: bytes | None = None
        if op.media is not None or (
            length is None and ("transfer-encoding" in headers or scope.get("http_version") not in _HTTP1)
        ):
            # A body is read when the operation takes one, or when one may come that no Content-Length bounds.
            message = await receive()
            buffered.append(message)
            if message["type"] == "http.request" and not message.get("more_body", False):
                body = message.get("body", b"")  # the whole body in one message: the common case
                if len(body) > limit:
                    return self.reject(too_large(limit), method, path, headers, started)
            else:
                read = await _read_body(receive, buffered, limit)
                if read is None:
                    return self.reject(too_large(limit), method, path, headers, started)
                if read is False:
                    return False
                body = read if isinstance(read, bytes) else None
            if op.media is None:
                body = None  # bounded and replayed, but the contract says nothing of it
        result = validator.inspect(op, raw_path, query, headers, body, repeated)
        if result.status != 200:
            return self.reject(result, method, path, headers, started)
        self.observer.timed(_clock() - started)
        return result


def _full_path(scope: Scope) -> str:
    """Return the path the client asked for: ``root_path`` included (servers differ in where they put it)."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return path if not root or path.startswith(root) else root + path


async def _read_body(receive: Receive, buffered: list[Message], limit: int) -> bytes | bool | None:
    """Read the whole body; ``None`` once it passes ``limit`` (nothing more is read), ``False`` on disconnect.

    ``buffered`` already holds the first message (received by the caller); the rest is read here.
    """
    chunks: list[bytes] = []
    size = 0
    message = buffered[-1]
    while True:
        if message["type"] == "http.disconnect":
            return False
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks) if len(chunks) != 1 else chunks[0]
        message = await receive()
        buffered.append(message)


def _replay(buffered: list[Message], receive: Receive) -> Receive:
    """Return a ``receive`` that yields the buffered messages first, then the server's own."""
    pending = iter(buffered)

    async def replay() -> Message:
        for message in pending:
            return message
        return await receive()

    return replay


async def _send(send: Send, response: ErrorResponse) -> None:
    headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in response.headers]
    headers.append((b"content-length", str(len(response.body)).encode("ascii")))
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    await send({"type": "http.response.body", "body": response.body})


class _ResponseChecker:
    """Wraps ``send`` for one request to validate the app's response (``report`` or ``enforce``)."""

    def __init__(
        self,
        middleware: ContractValidationMiddleware,
        scope: Scope,
        send: Send,
        headers: Mapping[str, str],
        path: str,
    ) -> None:
        self.middleware = middleware
        self.scope = scope
        self.downstream = send
        self.headers = headers
        self.enforce = middleware.response_validation == "enforce"
        self.start: Message | None = None
        self.chunks: list[bytes] = []
        self.streaming = False
        self.path = path

    async def send(self, message: Message) -> None:
        kind = message["type"]
        if kind == "http.response.start":
            self.start = message
            if not self.enforce:
                await self.downstream(message)
            return
        if kind != "http.response.body" or self.start is None:
            await self.downstream(message)
            return
        more = bool(message.get("more_body", False))
        if not self.enforce:
            await self.downstream(message)
            if more or self.streaming:
                self.streaming = True  # report mode leaves streaming responses alone
                return
            self._errors(message.get("body", b""))
            return
        self.chunks.append(message.get("body", b""))
        if more:
            return
        errors = self._errors(b"".join(self.chunks))
        if errors:
            await _send(self.downstream, response_problem(errors, self._operation(), self.path))
            return
        await self.downstream(self.start)
        await self.downstream({"type": "http.response.body", "body": b"".join(self.chunks)})

    def _operation(self) -> str:
        state = self.scope.get("state", {})
        result = state.get("contract") if isinstance(state, dict) else None
        return str(getattr(result, "operation", None) or "this request")

    def _errors(self, body: bytes) -> list[Any]:
        assert self.start is not None
        status = int(self.start["status"])
        content_type = next(
            (v.decode("latin-1") for k, v in self.start.get("headers", ()) if k.lower() == b"content-type"), None
        )
        middleware = self.middleware
        path = self.path
        try:
            errors = middleware.validator.validate_response(
                self.scope["method"], path, status, content_type, body if body else None
            )
        except Exception:
            middleware.observer.internal_error(
                self.scope["method"], path, self.headers, not self.enforce, response=True
            )
            return [UNCHECKED_RESPONSE] if self.enforce else []  # enforce fails closed
        if errors:
            middleware.observer.invalid_response(
                self._operation(), self.scope["method"], path, status, errors, self.headers
            )
        return errors
