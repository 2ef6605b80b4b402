"""What the ASGI middleware and its WSGI twin share: the options, checked once, and the compiled contract."""

from __future__ import annotations

import logging
from typing import Any, Literal

from contractkit.errors import UsageError
from contractkit.runtime._core import RequestValidator
from contractkit.runtime.observability import Observer
from contractkit.runtime.problem import ErrorRenderer, render_problem

Passing = Literal["reject", "pass"]
ResponseMode = Literal["off", "report", "enforce"]


def check_options(
    max_body_bytes: int, unknown_path: str, undeclared_method: str, response_validation: str, on_error: str
) -> None:
    """Refuse a wrong option at start-up (a typo must not silently disable validation).

    Raises:
        UsageError: an option has a value it cannot take.
    """
    for name, value, allowed in (
        ("unknown_path", unknown_path, ("reject", "pass")),
        ("undeclared_method", undeclared_method, ("reject", "pass")),
        ("response_validation", response_validation, ("off", "report", "enforce")),
        ("on_error", on_error, ("pass", "reject")),
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
    ) -> None:
        """Check the options and compile ``spec`` (raises :class:`contractkit.errors.ContractkitError`)."""
        check_options(max_body_bytes, unknown_path, undeclared_method, response_validation, on_error)
        self.validator = spec if isinstance(spec, RequestValidator) else RequestValidator.from_spec(spec)
        self.max_body_bytes = max_body_bytes
        self.pass_unknown_path = unknown_path == "pass"
        self.pass_undeclared_method = undeclared_method == "pass"
        self.response_validation = response_validation
        self.check_responses = response_validation != "off"
        self.render = error_renderer or render_problem
        self.observer = Observer(self.validator.name, metrics, logger)
        self.fail_open = on_error == "pass"
