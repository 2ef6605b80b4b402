"""What the ASGI middleware and its WSGI twin share: the options, checked once, and the compiled contract."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any, Literal

from contractkit.errors import UsageError
from contractkit.runtime._compile import Operation
from contractkit.runtime._core import RequestValidator, ValidationResult
from contractkit.runtime._framing import bad_length, both_lengths, content_length, is_preflight
from contractkit.runtime.observability import Observer
from contractkit.runtime.problem import ErrorRenderer, ErrorResponse, render_problem, too_large

Passing = Literal["reject", "pass"]
ResponseMode = Literal["off", "report", "enforce"]


def check_options(
    max_body_bytes: int,
    unknown_path: str,
    undeclared_method: str,
    response_validation: str,
    on_error: str,
    cors_preflight: str = "pass",
) -> None:
    """Refuse a wrong option at start-up (a typo must not silently disable validation).

    Raises:
        UsageError: an option has a value it cannot take.
    """
    for name, value, allowed in (
        ("unknown_path", unknown_path, ("reject", "pass")),
        ("undeclared_method", undeclared_method, ("reject", "pass")),
        ("response_validation", response_validation, ("off", "report", "enforce")),
        ("on_error", on_error, ("reject", "pass")),
        ("cors_preflight", cors_preflight, ("pass", "reject")),
    ):
        if value not in allowed:
            raise UsageError(
                f"{name}={value!r} is not one of {', '.join(map(repr, allowed))}",
                title="invalid middleware option",
                tip=f"pass {name}={allowed[0]!r} (the default) or {allowed[1]!r}.",
            )
    if not isinstance(max_body_bytes, int) or max_body_bytes < 0:
        raise UsageError(
            f"max_body_bytes={max_body_bytes!r} is not a non-negative integer",
            title="invalid middleware option",
            tip="pass the largest body to accept, in bytes (default 1048576).",
        )


class MiddlewareSettings:
    """The options of a contract middleware, checked at start-up, and the contract compiled once."""

    def __init__(
        self,
        spec: object,
        max_body_bytes: int,
        unknown_path: str,
        undeclared_method: str,
        response_validation: str,
        error_renderer: ErrorRenderer | None,
        metrics: Any,
        logger: logging.Logger | None,
        on_error: str,
        cors_preflight: str,
    ) -> None:
        """Check the options and compile ``spec`` (raises :class:`contractkit.errors.ContractkitError`)."""
        check_options(max_body_bytes, unknown_path, undeclared_method, response_validation, on_error, cors_preflight)
        self.validator = spec if isinstance(spec, RequestValidator) else RequestValidator.from_spec(spec)
        self.max_body_bytes = max_body_bytes
        self.pass_unknown_path = unknown_path == "pass"
        self.pass_undeclared_method = undeclared_method == "pass"
        self.response_validation = response_validation
        self.check_responses = response_validation != "off"
        self.render = error_renderer or render_problem
        self.observer = Observer(self.validator.name, metrics, logger)
        self.fail_open = on_error == "pass"
        self.pass_preflight = cors_preflight == "pass"

    def passes(self, verdict: ValidationResult, method: str, headers: Mapping[str, str]) -> bool:
        """Return whether a request the contract does not route (404/405) goes to the app, as the options say."""
        if verdict.status == 404:
            return self.pass_unknown_path
        return self.pass_undeclared_method or (self.pass_preflight and is_preflight(method, headers))

    def admit(
        self, op: Operation, query: str, headers: Mapping[str, str]
    ) -> tuple[ValidationResult | None, int | None]:
        """Check what the headers alone decide, before any body is read: the credential (401), then the framing.

        Returns:
            (the verdict that ends the request, or ``None``; the ``Content-Length``, ``None`` when none was sent).
            A ``Content-Length`` that is not a number is a 400, one past ``max_body_bytes`` a 413.
        """
        if op.security:
            denied = self.validator.authorize(op, query, headers)
            if denied is not None:
                return denied, None
        declared = headers.get("content-length")
        if declared is None:
            return None, None
        if "transfer-encoding" in headers:
            return both_lengths(), None
        length = content_length(declared)
        if length is None:
            return bad_length(), None
        if length > self.max_body_bytes:
            return too_large(self.max_body_bytes), length
        return None, length

    def reject(
        self, result: ValidationResult, method: str, path: str, headers: Mapping[str, str], started: float
    ) -> ErrorResponse:
        """Observe a rejection and render the response that replaces the app's.

        A rejection stays a rejection whatever fails here: a custom ``error_renderer`` that raises is logged and
        the default problem is sent instead; an observer that raises (a broken log handler) is skipped.
        """
        try:
            self.observer.timed(time.perf_counter() - started)
            self.observer.rejected(result, method, path, headers)
        except Exception:
            pass  # observing must never turn a rejection into a pass
        if self.render is render_problem:
            return render_problem(result, path)
        try:
            return self.render(result, path)
        except Exception:
            self.observer.logger.exception(
                "contractkit's error_renderer failed on a %d for contract %s; the default problem was sent",
                result.status,
                self.observer.contract,
            )
            return render_problem(result, path)
